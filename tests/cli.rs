//! The command line: defaults, inputs of every kind, output formats, messages.

use crate::common::{entigraph, root};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const ARTICLE: &str = "Ukrainian President Volodymyr Zelensky met German Chancellor Friedrich Merz in Berlin on Monday. Zelensky said the talks were useful.\n";

/// The texts of the mentions of one `extract` line.
fn mention_texts(line: &Value) -> Vec<&str> {
    line["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect()
}

#[test]
fn build_without_arguments_reads_data_and_writes_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/a.txt"), ARTICLE).unwrap();
    std::fs::write(dir.path().join("data/notes.pdf"), "not an article").unwrap();
    let out = entigraph(dir.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(dir.path().join("output/graph.dot").is_file());
    assert!(dir.path().join("output/graph.json").is_file());
    assert!(
        stderr.contains("read 1 document(s); skipped 1 file(s) of other types"),
        "{stderr}"
    );
    assert!(
        stderr.contains("output/graph.dot, output/graph.json"),
        "{stderr}"
    );
}

#[test]
fn format_overrides_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, ARTICLE).unwrap();
    let out = entigraph(
        dir.path(),
        &["build", "a.txt", "-o", "graph.txt", "--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("graph.txt")).unwrap())
            .unwrap();
    assert!(
        json["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["label"] == "Volodymyr Zelensky")
    );

    let out = entigraph(dir.path(), &["build", "a.txt", "-o", "graph.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("graph.txt: cannot tell the format"));
}

#[test]
fn stdin_jsonl_and_html_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_entigraph"))
        .args(["extract", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ARTICLE.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["id"], "-");
    let texts = mention_texts(&line);
    assert!(
        texts.contains(&"Volodymyr Zelensky") && texts.contains(&"Berlin"),
        "{texts:?}"
    );

    let jsonl = "{\"id\": \"n1\", \"text\": \"Vladimir Putin met Steve Witkoff in Moscow.\"}\n{\"id\": \"n2\", \"text\": \"Kremlin aide Yury Ushakov said Putin\u{2019}s envoy would travel.\"}\n";
    std::fs::write(dir.path().join("feed.jsonl"), jsonl).unwrap();
    let out = entigraph(dir.path(), &["extract", "feed.jsonl"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let docs: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs[1]["id"], "n2");
    let mentions = docs[1]["mentions"].as_array().unwrap();
    let putin = mentions
        .iter()
        .find(|m| m["text"] == "Putin")
        .expect("Putin found");
    assert_eq!(putin["entity"], "vladimir-putin");
    let text = "Kremlin aide Yury Ushakov said Putin\u{2019}s envoy would travel.";
    for m in docs[1]["mentions"].as_array().unwrap() {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], m["text"].as_str().unwrap());
    }

    let html = "<html><head><title>Envoy in Moscow</title><script>var Bob = 1;</script></head><body><nav>Home | World | Sport</nav><article><p>U.S. envoy Steve Witkoff met Russian President Vladimir Putin in Moscow on Tuesday, officials said after a long day of talks in the Kremlin.</p><p>Kremlin aide Yury Ushakov said the talks were constructive but that no compromise had been reached on territory.</p></article></body></html>";
    std::fs::write(dir.path().join("page.html"), html).unwrap();
    let out = entigraph(dir.path(), &["extract", "page.html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    let texts = mention_texts(&line);
    assert!(
        texts.contains(&"Steve Witkoff") && texts.contains(&"Yury Ushakov"),
        "{texts:?}"
    );
    assert!(
        !texts.contains(&"Bob") && !texts.contains(&"Sport"),
        "{texts:?}"
    );
}

#[test]
fn unreadable_inputs_are_named_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    std::fs::write(dir.path().join("b.txt"), b"\x00\x01binary\x00").unwrap();
    let out = entigraph(dir.path(), &["build", ".", "-o", "g.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("b.txt: looks like a binary file"),
        "{stderr}"
    );
    assert!(dir.path().join("g.json").is_file());

    let out = entigraph(dir.path(), &["build", "missing.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing.txt"), "{stderr}");
}

#[test]
fn the_bundled_corpus_is_the_default_input() {
    let data = root().join("data");
    let articles = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "txt")
        })
        .count();
    assert_eq!(articles, 5);
}

#[test]
fn strict_turns_a_skip_into_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "Vladimir Putin met Steve Witkoff in Moscow.\n").unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"\x00\x01binary\x00").unwrap();
    let out = dir.path().join("g.json");
    let args = |strict: bool| {
        let mut a = vec![
            "build".to_owned(),
            good.display().to_string(),
            bad.display().to_string(),
            "-o".to_owned(),
            out.display().to_string(),
        ];
        if strict {
            a.push("--strict".to_owned());
        }
        a
    };
    let run = |strict| {
        let a = args(strict);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        entigraph(dir.path(), &a)
    };
    let lenient = run(false);
    assert_eq!(lenient.status.code(), Some(2));
    assert!(out.exists());
    std::fs::remove_file(&out).unwrap();
    let strict = run(true);
    assert_eq!(strict.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains("bad.txt") && stderr.contains("--strict"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_reader_that_stops_early_ends_the_program_quietly() {
    let g = crate::common::seed_build().dir.path().join("graph.json");
    for query in [&["top", "-n", "30"][..], &["neighbors", "Vladimir Putin"]] {
        // Another test's child, forked but not yet exec'd, can hold a copy of the pipe's
        // reading end for a moment; the answer then fits in the pipe and the run ends
        // well. A few tries tell that race from a program that ignores the closed pipe.
        let mut signals = Vec::new();
        for _ in 0..5 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_entigraph"))
                .args(query)
                .args(["--graph", g.to_str().unwrap()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // the pipe is closed before the program writes its answer
            drop(child.stdout.take());
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{query:?}: {stderr}");
            assert!(stderr.is_empty(), "{query:?}: {stderr}");
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                signals.push(out.status.signal());
                if out.status.signal() == Some(libc::SIGPIPE) {
                    break;
                }
            }
        }
        #[cfg(unix)]
        assert!(
            signals.contains(&Some(libc::SIGPIPE)),
            "{query:?}: {signals:?}"
        );
    }
}

#[test]
fn query_answers_reach_the_terminal_without_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("e.jsonl");
    std::fs::write(
        &feed,
        "{\"id\":\"x\\u001b]0;PWNED\\u0007\\u001b[2J\\nforged line\",\"text\":\"Vladimir Putin met Steve Witkoff in Moscow on Tuesday.\"}\n",
    )
    .unwrap();
    let run = entigraph(dir.path(), &["who-met", "Putin", "e.jsonl"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.contains("Steve Witkoff"), "{out}");
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(!out.lines().any(|l| l.starts_with("forged")), "{out}");
}

#[test]
fn a_graph_and_a_partial_given_for_each_other_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let graph = crate::common::seed_build().dir.path().join("graph.json");
    let partial = dir.path().join("p.json");
    let data = root().join("data");
    let run = entigraph(
        dir.path(),
        &["extract", "--partial", "p.json", data.to_str().unwrap()],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = entigraph(dir.path(), &["top", "--graph", partial.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr.contains("is a partial graph"), "{stderr}");
    let run = entigraph(dir.path(), &["merge", graph.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr.contains("is a graph (written by `build`)"),
        "{stderr}"
    );
    // `--graph -` reads standard input
    let mut child = Command::new(env!("CARGO_BIN_EXE_entigraph"))
        .args(["top", "-n", "1", "--graph", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = std::fs::read(&graph).unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("  1."));
}

#[test]
fn nonsense_flags_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], expected: &str| {
        let run = entigraph(dir.path(), args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_ne!(run.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    };
    let train = ["train", "--train", "missing.txt", "--out", "m.bin"];
    refused(&[&train[..], &["--epochs", "0"]].concat(), "--epochs");
    refused(
        &[&train[..], &["--outside-bias", "NaN"]].concat(),
        "expected a number",
    );
    refused(
        &[&train[..], &["--lexical-dropout", "-0.5"]].concat(),
        "probability",
    );
    refused(
        &[&train[..], &["--lowercase-docs", "2"]].concat(),
        "fraction",
    );
    let data = root().join("data");
    let data = data.to_str().unwrap();
    refused(
        &[
            "build",
            data,
            "--since",
            "2025-12-31",
            "--until",
            "2025-12-01",
        ],
        "is after --until",
    );
    refused(
        &["merge", "p.json", "--partial", "q.json", "--focus", "Putin"],
        "cannot be used with",
    );
    assert!(!dir.path().join("m.bin").exists());
}
