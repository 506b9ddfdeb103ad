//! The interactive page: built by the binary, then opened in headless Chromium by a Node
//! script (`tests/browser/page.test.js`, driving the browser with playwright-core) that
//! searches, selects, reads the evidence, clicks the canvas and uses the filters.

use crate::common::{entigraph, not_run, root, runs};
use std::path::Path;
use std::process::Command;

/// Builds the seed corpus's page into `dir` and returns its text.
fn build_page(dir: &Path, args: &[&str]) -> String {
    let page = dir.join("graph.html");
    let mut all = vec!["build", "data", "-o", page.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = entigraph(&root(), &all);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(page).expect("page written")
}

#[test]
fn html_output_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = build_page(dir.path(), &[]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<canvas id=\"graph\""));
    assert!(page.contains("\"name\":\"Vladimir Putin\""));
    // Nothing is fetched: no external script, style sheet or image.
    for outside in ["src=", "href=", "http://", "https://", "@import", "url("] {
        assert!(!page.contains(outside), "the page refers to {outside}");
    }
    // --format html overrides the extension.
    let other = dir.path().join("graph.out");
    let out = entigraph(
        &root(),
        &[
            "build",
            "data",
            "-o",
            other.to_str().unwrap(),
            "--format",
            "html",
        ],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(other).unwrap(), page);
}

#[test]
fn the_page_works_in_headless_chromium() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !runs("node", &["--version"]) {
        return not_run("Node.js", "Debian: apt-get install nodejs npm");
    }
    if !Path::new(&chromium).exists() {
        return not_run("Chromium", "Debian: apt-get install chromium");
    }
    let browser = root().join("tests/browser");
    if !browser.join("node_modules/playwright-core").is_dir() {
        return not_run(
            "playwright-core",
            "npm ci --prefix tests/browser, from the repository root",
        );
    }
    let dir = tempfile::tempdir().unwrap();
    build_page(dir.path(), &[]);
    let out = Command::new("node")
        .arg(browser.join("page.test.js"))
        .arg(dir.path().join("graph.html"))
        .arg("--screenshot")
        .arg(dir.path().join("page.png"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("ok - the panel lists Steve Witkoff"),
        "{stdout}"
    );
    assert!(dir.path().join("page.png").metadata().unwrap().len() > 10_000);
}
