//! Many threads, compressed feeds and quiet pipes (issue 6).

use crate::common::{entigraph, root};
use std::io::Write;

#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
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
