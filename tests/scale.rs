//! Many threads, compressed feeds and quiet pipes (issue 6).

use crate::common::{entigraph, root};
use std::io::Write;

#[test]
fn output_is_the_same_whatever_the_number_of_threads_and_the_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for jobs in ["1", "2", "3"] {
        let json = dir.path().join(format!("g{jobs}.json"));
        let dot = dir.path().join(format!("g{jobs}.dot"));
        let run = entigraph(
            &root(),
            &[
                "build",
                "data",
                "tests/fixtures/meetings",
                "--jobs",
                jobs,
                "-o",
                json.to_str().unwrap(),
                "-o",
                dot.to_str().unwrap(),
            ],
        );
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        outputs.push((std::fs::read(&json).unwrap(), std::fs::read(&dot).unwrap()));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    // The order of the inputs does not matter either.
    let json = dir.path().join("reversed.json");
    let run = entigraph(
        &root(),
        &[
            "build",
            "tests/fixtures/meetings",
            "data",
            "-o",
            json.to_str().unwrap(),
        ],
    );
    assert!(run.status.success());
    assert_eq!(std::fs::read(&json).unwrap(), outputs[0].0);
    let run = entigraph(&root(), &["build", "data", "--jobs", "0", "-o", "x.json"]);
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn gzip_jsonl_reads_like_plain_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let lines = "{\"id\": \"a\", \"text\": \"Vladimir Putin met Steve Witkoff in Moscow.\"}\n\
                 {\"id\": \"b\", \"text\": \"Witkoff later flew to Miami.\"}\n";
    let plain = dir.path().join("feed.jsonl");
    std::fs::write(&plain, lines).unwrap();
    let gz = dir.path().join("feed.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(lines.as_bytes()).unwrap();
    enc.finish().unwrap();
    let run = |p: &std::path::Path| {
        let out = entigraph(&root(), &["extract", p.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let from_plain = run(&plain);
    assert!(String::from_utf8_lossy(&from_plain).contains("\"id\":\"b\""));
    assert_eq!(from_plain, run(&gz));

    let broken = dir.path().join("broken.jsonl.gz");
    std::fs::write(&broken, b"\x1f\x8b\x08\x00 not really gzip").unwrap();
    let out = entigraph(
        &root(),
        &["extract", broken.to_str().unwrap(), plain.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("broken.jsonl.gz") && stderr.contains("gzip"),
        "{stderr}"
    );
}

#[test]
fn no_progress_bar_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    let out = entigraph(&root(), &["build", "data", "-o", json.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains("documents,"),
        "{stderr}"
    );
}

/// Runs entigraph in the repository and fails with its stderr unless it succeeds.
fn ok(args: &[&str]) {
    let run = entigraph(&root(), args);
    assert!(
        run.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn sharded_extract_and_merge_equal_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    // The seed articles and the meeting fixtures as three shards of JSONL, one compressed.
    let mut docs = Vec::new();
    for folder in ["data", "tests/fixtures/meetings"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let id = f.file_name().unwrap().to_string_lossy().into_owned();
            docs.push(serde_json::json!({"id": id, "text": text}).to_string());
        }
    }
    assert!(docs.len() >= 8);
    let whole = path("all.jsonl");
    std::fs::write(&whole, docs.join("\n")).unwrap();
    let shards = [path("s1.jsonl"), path("s2.jsonl"), path("s3.jsonl.gz")];
    let third = docs.len() / 3;
    std::fs::write(&shards[0], docs[..third].join("\n")).unwrap();
    std::fs::write(&shards[1], docs[third..2 * third].join("\n")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&shards[2]).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(docs[2 * third..].join("\n").as_bytes())
        .unwrap();
    gz.finish().unwrap();

    ok(&["build", &whole, "--jobs", "2", "-o", &path("whole.json")]);
    let parts = [path("p1.json"), path("p2.json"), path("p3.json.gz")];
    for (shard, part) in shards.iter().zip(&parts) {
        ok(&["extract", shard, "--partial", part]);
    }
    let whole_json = std::fs::read(path("whole.json")).unwrap();
    // Any order of the partials...
    ok(&[
        "merge",
        &parts[2],
        &parts[0],
        &parts[1],
        "-o",
        &path("m.json"),
    ]);
    assert_eq!(std::fs::read(path("m.json")).unwrap(), whole_json);
    // ...and any grouping: (p1 p2) p3 and p1 (p2 p3) give the same partial and graph.
    ok(&[
        "merge",
        &parts[0],
        &parts[1],
        "--partial",
        &path("p12.json"),
    ]);
    ok(&[
        "merge",
        &parts[1],
        &parts[2],
        "--partial",
        &path("p23.json"),
    ]);
    ok(&[
        "merge",
        &path("p12.json"),
        &parts[2],
        "--partial",
        &path("left.json"),
    ]);
    ok(&[
        "merge",
        &parts[0],
        &path("p23.json"),
        "--partial",
        &path("right.json"),
    ]);
    ok(&["extract", &whole, "--partial", &path("all-partial.json")]);
    let left = std::fs::read(path("left.json")).unwrap();
    assert_eq!(left, std::fs::read(path("right.json")).unwrap());
    assert_eq!(left, std::fs::read(path("all-partial.json")).unwrap());
    ok(&["merge", &path("left.json"), "-o", &path("m2.json")]);
    assert_eq!(std::fs::read(path("m2.json")).unwrap(), whole_json);

    let graph: serde_json::Value = serde_json::from_slice(&whole_json).unwrap();
    let met = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["met"] == true)
        .count();
    assert!(met >= 4, "meetings survive the merge: {met}");

    // A damaged partial is named, and nothing is written.
    std::fs::write(path("bad.json"), "{\"format\": \"something else\"}").unwrap();
    let run = entigraph(
        &root(),
        &["merge", &path("bad.json"), "-o", &path("x.json")],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("bad.json"));
    assert!(!dir.path().join("x.json").exists());

    // A partial names its maker; partials of different makers are merged with a warning
    // that names them, and the merge keeps both.
    let p1: serde_json::Value = serde_json::from_slice(&std::fs::read(&parts[0]).unwrap()).unwrap();
    let makers = p1["made_by"].as_array().expect("made_by").clone();
    assert_eq!(makers.len(), 1);
    let maker = makers[0].as_str().unwrap().to_owned();
    assert!(
        maker.starts_with("entigraph ") && maker.contains(", model "),
        "{maker}"
    );
    let quiet = entigraph(
        &root(),
        &["merge", &parts[0], &parts[1], "-o", &path("same.json")],
    );
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("warning"));
    let mut other = p1.clone();
    other["made_by"] = serde_json::json!(["entigraph 0.0.1, model 0123456789abcdef"]);
    std::fs::write(path("other.json"), other.to_string()).unwrap();
    let mixed = entigraph(
        &root(),
        &[
            "merge",
            &path("other.json"),
            &parts[1],
            "--partial",
            &path("mixed.json"),
        ],
    );
    assert!(mixed.status.success());
    let warned = String::from_utf8_lossy(&mixed.stderr).into_owned();
    assert!(
        warned.contains("different programs or models")
            && warned.contains("0123456789abcdef")
            && warned.contains(&maker),
        "{warned}"
    );
    let merged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path("mixed.json")).unwrap()).unwrap();
    assert_eq!(merged["made_by"].as_array().unwrap().len(), 2);
}

#[test]
fn a_progress_bar_on_a_terminal() {
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let exe = env!("CARGO_BIN_EXE_entigraph");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    let run = |extra: &str| {
        std::process::Command::new("script")
            .current_dir(root())
            .args(["-qec"])
            .arg(format!("{exe} build data -o {} {extra}", json.display()))
            .arg("/dev/null")
            .output()
    };
    let Ok(out) = run("") else {
        eprintln!("skipped: `script` is not installed");
        return;
    };
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("5 documents, "), "{shown}");
    let quiet = run("--quiet").unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("documents, "));
}
