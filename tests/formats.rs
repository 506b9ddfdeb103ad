//! Every output format (issue 5): golden files of the seed corpus's ten most connected
//! entities, the Neo4j import headers, pruning and its summary, pictures through Graphviz, and
//! a clear message when Graphviz is missing.
//!
//! Golden files live in tests/golden; after an intended change, rewrite them with
//! `ENTIGRAPH_BLESS=1 cargo test formats` and review the diff.

use crate::common::{entigraph, not_run, root, runs};
use std::path::Path;

/// Builds the seed corpus pruned to its 10 most connected entities, one evidence sentence per
/// link, into `out` with `extra` flags.
fn build_small(out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build", "data", "--top", "10", "--evidence", "1", "-o"];
    args.push(out.to_str().unwrap());
    args.extend_from_slice(extra);
    let run = entigraph(&root(), &args);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{stderr}");
    stderr
}

/// Compares `actual` with the golden file `name`, or rewrites it under ENTIGRAPH_BLESS=1.
fn check_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("ENTIGRAPH_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with ENTIGRAPH_BLESS=1", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(ENTIGRAPH_BLESS=1 rewrites it)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn every_text_format_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "seeds.dot",
        "seeds.json",
        "seeds.graphml",
        "seeds.gexf",
        "seeds.cyjs",
        "seeds.html",
    ] {
        let out = dir.path().join(name);
        build_small(&out, &[]);
        check_golden(name, &std::fs::read_to_string(&out).unwrap());
    }
    let neo = dir.path().join("neo4j");
    build_small(&neo, &["--format", "neo4j"]);
    for file in ["nodes.csv", "relationships.csv"] {
        let text = std::fs::read_to_string(neo.join(file)).unwrap();
        check_golden(&format!("seeds-neo4j/{file}"), &text);
    }
}

#[test]
fn neo4j_headers_follow_the_import_tool() {
    let dir = tempfile::tempdir().unwrap();
    let neo = dir.path().join("import");
    build_small(&neo, &["--format", "neo4j"]);
    let nodes = std::fs::read_to_string(neo.join("nodes.csv")).unwrap();
    let rels = std::fs::read_to_string(neo.join("relationships.csv")).unwrap();
    assert_eq!(
        nodes.lines().next().unwrap(),
        "id:ID(Entity),name,:LABEL,mentions:int,aliases:string[],roles:string[],documents:string[]"
    );
    assert_eq!(
        rels.lines().next().unwrap(),
        ":START_ID(Entity),:END_ID(Entity),:TYPE,weight:int,places:string[],dates:string[],evidence"
    );
    assert!(nodes.contains(",Entity;Person,"));
    assert!(rels.contains(",MET,") && rels.contains(",MENTIONED_WITH,"));
    // One record a line: no field spans lines.
    let mut reader = csv::Reader::from_path(neo.join("relationships.csv")).unwrap();
    let records = reader.records().count();
    assert_eq!(records, rels.lines().count() - 1);
}

#[test]
fn the_summary_says_what_pruning_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.json");
    let stderr = build_small(&out, &["--min-weight", "2", "--types", "person,place"]);
    assert!(
        stderr.contains("kept ")
            && stderr.contains("(--types person,place --min-weight 2 --top 10)"),
        "{stderr}"
    );
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["type"] != "organization")
    );
    assert!(
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["weight"].as_u64().unwrap() >= 2)
    );

    let focus = dir.path().join("focus.json");
    let run = entigraph(
        &root(),
        &[
            "build",
            "data",
            "--focus",
            "Dmitriev",
            "--depth",
            "1",
            "-o",
            focus.to_str().unwrap(),
        ],
    );
    assert!(run.status.success());
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&focus).unwrap()).unwrap();
    let nodes = g["nodes"].as_array().unwrap();
    let dmitriev = nodes.iter().find(|n| n["label"] == "Kirill Dmitriev");
    let id = dmitriev.expect("the focus is kept")["id"].clone();
    let linked: Vec<&serde_json::Value> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| {
            if e["source"] == id {
                Some(&e["target"])
            } else if e["target"] == id {
                Some(&e["source"])
            } else {
                None
            }
        })
        .collect();
    assert!(nodes.len() > 1);
    for n in nodes {
        assert!(
            n["id"] == id || linked.contains(&&n["id"]),
            "{} is not next to Dmitriev",
            n["id"]
        );
    }

    let run = entigraph(
        &root(),
        &[
            "build",
            "data",
            "--focus",
            "Nobody Atall",
            "-o",
            focus.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--focus names no entity"));
}

#[test]
fn pictures_are_drawn_by_graphviz() {
    if !runs("dot", &["-V"]) {
        return not_run("Graphviz `dot`", "Debian: apt-get install graphviz");
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, magic) in [
        ("g.svg", &b"<?xml"[..]),
        ("g.png", b"\x89PNG"),
        ("g.pdf", b"%PDF"),
    ] {
        let out = dir.path().join(name);
        build_small(&out, &[]);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{name}");
    }
    let svg = std::fs::read_to_string(dir.path().join("g.svg")).unwrap();
    assert!(svg.contains("Vladimir Putin") && svg.contains("met"));
}

#[test]
fn a_picture_without_graphviz_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.svg");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_entigraph"))
        .args(["build", "data", "-o", out.to_str().unwrap()])
        .current_dir(root())
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("needs Graphviz") && stderr.contains("apt-get install graphviz"),
        "{stderr}"
    );
    assert!(!out.exists());
}
