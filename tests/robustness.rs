//! Any input, a clear answer, nothing lost (issue 7): a folder of bad inputs beside good ones,
//! documents over the size limit, an output that cannot be written, and a run killed midway.

use crate::common::{entigraph, root};
use serde_json::Value;
use std::io::Write;

const GOOD: &str = "Ukrainian President Volodymyr Zelensky met German Chancellor Friedrich Merz in Berlin on Monday.\n";

#[test]
fn bad_inputs_are_named_and_skipped_and_the_good_ones_make_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("nested")).unwrap();
    let put = |name: &str, bytes: &[u8]| std::fs::write(input.join(name), bytes).unwrap();
    put("good.txt", GOOD.as_bytes());
    put(
        "nested/good.md",
        b"Steve Witkoff flew to Moscow to see Vladimir Putin.\n",
    );
    put("empty.txt", b"");
    put("binary.txt", b"\x7fELF\x00\x00\x01\x02binary");
    put("latin1.txt", b"Fran\xe7ois Hollande visited Paris.\n");
    put("truncated.html", b"<html><head><title>Talks</title></head><body><article><p>Emmanuel Macron met Olaf Scholz in Berlin");
    put(
        "feed.jsonl",
        b"{\"id\": \"ok\", \"text\": \"Keir Starmer met Mark Carney in London.\"}\n{\"id\": \"x\", \"text\": 42}\n{\"title\": \"no text\"}\nnot json at all\n",
    );
    put("notes.xyz", b"not an article");
    put(
        "deep.html",
        format!(
            "<html><body>{}<p>Xi Jinping</p></body></html>",
            "<div>".repeat(5000)
        )
        .as_bytes(),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), input.join("dangling.txt")).unwrap();
    let out = dir.path().join("g.json");
    let run = entigraph(
        &root(),
        &[
            "build",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for expected in [
        "binary.txt: looks like a binary file",
        "latin1.txt: not valid UTF-8",
        "feed.jsonl: line 2:",
        "feed.jsonl: line 3:",
        "feed.jsonl: line 4:",
        "skipped 1 file(s) of other types (.xyz 1)",
        "deep.html: HTML nests elements more than 1000 levels deep",
        #[cfg(unix)]
        "dangling.txt: No such file or directory",
    ] {
        assert!(stderr.contains(expected), "{expected} in {stderr}");
    }
    let graph: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let labels: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    for name in [
        "Volodymyr Zelensky",
        "Berlin",
        "Vladimir Putin",
        "Keir Starmer",
    ] {
        assert!(labels.contains(&name), "{name} in {labels:?}");
    }
}

#[test]
fn a_document_over_the_limit_is_skipped_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let mut text = String::new();
    while text.len() < (1 << 20) + 10 {
        text.push_str(GOOD);
    }
    std::fs::write(&big, &text).unwrap();
    let small = dir.path().join("small.txt");
    std::fs::write(&small, GOOD).unwrap();
    let feed = dir.path().join("feed.jsonl");
    let line = serde_json::json!({"id": "huge", "text": text}).to_string();
    std::fs::write(
        &feed,
        format!("{line}\n{{\"id\": \"fine\", \"text\": \"Rome is old.\"}}\n"),
    )
    .unwrap();
    let out = dir.path().join("g.json");
    let run = entigraph(
        &root(),
        &[
            "build",
            big.to_str().unwrap(),
            small.to_str().unwrap(),
            feed.to_str().unwrap(),
            "--max-doc-mb",
            "1",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("big.txt: the file is larger than the 1 MB limit"),
        "{stderr}"
    );
    assert!(
        stderr.contains("feed.jsonl: line 1 is larger than the 1 MB limit"),
        "{stderr}"
    );
    assert!(stderr.contains("--max-doc-mb"), "{stderr}");
    assert!(out.exists());
}

#[test]
fn an_output_that_cannot_be_written_is_an_error_naming_it_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, GOOD).unwrap();
    // a path below a regular file can be neither created nor written
    let blocked = article.join("graph.json");
    let kept = dir.path().join("kept.dot");
    let run = entigraph(
        &root(),
        &[
            "build",
            article.to_str().unwrap(),
            "-o",
            kept.to_str().unwrap(),
            "-o",
            blocked.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("a.txt"), "{stderr}");
    // checked before any article is read, so not even the output that could be written is
    assert!(!stderr.contains("read 1 document"), "{stderr}");
    assert!(!blocked.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "a.txt")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn outputs_go_through_links_to_standard_output_and_by_format_alone() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, GOOD).unwrap();
    let a = article.to_str().unwrap();
    // `-o -` writes to standard output, in the format asked for
    let run = entigraph(dir.path(), &["build", a, "--format", "json", "-o", "-"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let graph: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(!graph["nodes"].as_array().unwrap().is_empty());
    // `--format` without `-o`: the default output in that format
    let run = entigraph(dir.path(), &["build", a, "--format", "graphml"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names: Vec<_> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["graph.graphml"]);
    // a link is written through: the file it names is replaced, the link stays
    #[cfg(unix)]
    {
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::fs::write(dir.path().join("real/g.dot"), "old").unwrap();
        let link = dir.path().join("g.dot");
        std::os::unix::fs::symlink("real/g.dot", &link).unwrap();
        let run = entigraph(dir.path(), &["build", a, "-o", "g.dot"]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let dot = std::fs::read_to_string(dir.path().join("real/g.dot")).unwrap();
        assert!(dot.starts_with("graph entigraph"), "{dot}");
    }
    let run = entigraph(dir.path(), &["build", a, "-o", "x.json", "-o", "x.json"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("x.json: given twice"));
}

#[test]
fn killing_a_build_leaves_the_earlier_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let mut f = std::fs::File::create(&feed).unwrap();
    let seed = std::fs::read_to_string(root().join("data/000_10e7863bc1577538.txt")).unwrap();
    for i in 0..3000 {
        writeln!(
            f,
            "{}",
            serde_json::json!({"id": format!("d{i}"), "text": seed})
        )
        .unwrap();
    }
    drop(f);
    let out = dir.path().join("g.json");
    let earlier = "{\"earlier\": true}\n";
    std::fs::write(&out, earlier).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_entigraph"))
        .args(["build", feed.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let finished_already = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !finished_already,
        "the build finished before it could be killed; make the input bigger"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), earlier);
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "feed.jsonl" && n != "g.json" && !n.to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}
