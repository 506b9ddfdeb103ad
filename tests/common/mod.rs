//! Shared helpers: running the binary and building the seed graph once.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the entigraph binary with `args` in `dir`.
pub fn entigraph(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entigraph"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run entigraph")
}

/// The seed corpus built once: a temporary directory holding graph.dot and graph.json, the
/// summary printed on stderr, and the JSON graph.
pub struct SeedBuild {
    pub dir: tempfile::TempDir,
    pub summary: String,
    pub json: Value,
}

pub fn seed_build() -> &'static SeedBuild {
    static BUILD: OnceLock<SeedBuild> = OnceLock::new();
    BUILD.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let dot = dir.path().join("graph.dot");
        let json = dir.path().join("graph.json");
        let out = entigraph(
            &root(),
            &[
                "build",
                "data",
                "-o",
                dot.to_str().unwrap(),
                "-o",
                json.to_str().unwrap(),
            ],
        );
        let summary = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "build failed: {summary}");
        let text = std::fs::read_to_string(&json).expect("graph.json written");
        let json: Value = serde_json::from_str(&text).expect("valid JSON");
        SeedBuild { dir, summary, json }
    })
}

/// The seed graph's nodes.
pub fn nodes() -> &'static [Value] {
    seed_build().json["nodes"].as_array().expect("nodes")
}

/// The node whose label or aliases include `name`.
pub fn node(name: &str) -> Option<&'static Value> {
    nodes().iter().find(|n| {
        n["label"] == name
            || n["aliases"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == name))
    })
}

/// True when `program` runs with `args`.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Reports an interop test that could not run. Fails when the environment requires every
/// interop test (`ENTIGRAPH_REQUIRE_INTEROP=1`, as CI sets).
pub fn not_run(what: &str, install: &str) {
    let msg = format!("interop test NOT RUN: {what} is not installed ({install})");
    if std::env::var("ENTIGRAPH_REQUIRE_INTEROP").is_ok_and(|v| v == "1") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
}
