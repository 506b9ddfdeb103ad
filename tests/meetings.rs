//! Who met whom, roles and queries (issue 4): on the seed corpus, and on articles written for
//! these tests (negation, proposals, coordination) under tests/fixtures/meetings.

use crate::common::{entigraph, node, root, seed_build};
use serde_json::Value;
use std::path::Path;

/// The (label, label) pairs of the `met` links of a graph JSON, each pair sorted.
fn met_pairs(graph: &Value) -> Vec<(String, String)> {
    let label = |id: &Value| -> String {
        graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == *id)
            .map(|n| n["label"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let mut pairs: Vec<(String, String)> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["met"] == true)
        .map(|e| {
            let (a, b) = (label(&e["source"]), label(&e["target"]));
            if a < b { (a, b) } else { (b, a) }
        })
        .collect();
    pairs.sort();
    pairs
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

/// The graph JSON of one fixture article.
fn fixture_graph(name: &str) -> Value {
    graph_of(&root().join("tests/fixtures/meetings").join(name))
}

/// The graph JSON that `build` makes of one article file.
fn graph_of(input: &std::path::Path) -> Value {
    let dir = tempfile::tempdir().unwrap();
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
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn seed_meetings_are_the_ones_that_happened() {
    let met = met_pairs(&seed_build().json);
    for (a, b) in [
        ("Steve Witkoff", "Vladimir Putin"),
        ("Jared Kushner", "Vladimir Putin"),
        ("Steve Witkoff", "Kirill Dmitriev"),
        ("Jared Kushner", "Kirill Dmitriev"),
    ] {
        assert!(met.contains(&pair(a, b)), "{a} met {b}: {met:?}");
    }
    for (a, b) in [
        ("Volodymyr Zelenskyy", "Vladimir Putin"),
        ("Donald Trump", "Vladimir Putin"),
        ("Marco Rubio", "Vladimir Putin"),
        ("Volodymyr Zelenskyy", "Steve Witkoff"),
    ] {
        assert!(!met.contains(&pair(a, b)), "{a} did not meet {b}: {met:?}");
    }
}

#[test]
fn met_links_carry_evidence_places_and_dates() {
    let g = &seed_build().json;
    let putin = node("Vladimir Putin").unwrap()["id"].clone();
    let witkoff = node("Steve Witkoff").unwrap()["id"].clone();
    let link = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            (e["source"] == putin && e["target"] == witkoff)
                || (e["source"] == witkoff && e["target"] == putin)
        })
        .expect("Putin-Witkoff link");
    assert_eq!(link["relations"], serde_json::json!(["co-mention", "met"]));
    assert!(
        link["dates"]
            .as_array()
            .unwrap()
            .contains(&"2025-12-02".into())
    );
    let places = link["places"].as_array().unwrap();
    assert!(places.contains(&"Moscow".into()) || places.contains(&"Kremlin".into()));
    for m in link["meetings"].as_array().unwrap() {
        let s = m["sentence"].as_str().unwrap();
        assert!(s.contains("Witkoff") && s.contains("Putin"), "{s}");
    }
}

#[test]
fn roles_of_the_seed_people() {
    for (person, role) in [
        ("Steve Witkoff", "special envoy"),
        ("Yuri Ushakov", "Kremlin aide"),
        ("Kirill Dmitriev", "CEO of Russian Direct Investment Fund"),
        ("Jared Kushner", "son-in-law of Donald Trump"),
    ] {
        let roles = node(person).unwrap()["roles"].as_array().unwrap();
        let found = roles.iter().find(|r| r["role"] == role);
        let found = found.unwrap_or_else(|| panic!("{person}: {role} in {roles:?}"));
        assert!(!found["evidence"].as_array().unwrap().is_empty());
    }
}

#[test]
fn negated_meetings_are_not_meetings() {
    assert_eq!(met_pairs(&fixture_graph("negation.txt")), []);
}

#[test]
fn proposed_and_future_meetings_are_not_meetings() {
    assert_eq!(met_pairs(&fixture_graph("proposals.txt")), []);
}

#[test]
fn coordinated_participants_each_meet_the_other_side() {
    let g = fixture_graph("coordination.txt");
    let met = met_pairs(&g);
    for (a, b) in [
        ("Daniel Mwangi", "Omar Hamdan"),
        ("Selam Tesfaye", "Omar Hamdan"),
        ("Claire Dubois", "Daniel Mwangi"),
        ("Claire Dubois", "Selam Tesfaye"),
        ("Claire Dubois", "Omar Hamdan"),
    ] {
        assert!(met.contains(&pair(a, b)), "{a} met {b}: {met:?}");
    }
    // Named together on one side: not a meeting of their own.
    assert!(!met.contains(&pair("Daniel Mwangi", "Selam Tesfaye")));
    assert_eq!(met.len(), 5, "{met:?}");
    // "on Tuesday" in an article dated Wednesday, May 20, 2026.
    let mwangi = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["label"] == "Daniel Mwangi")
        .unwrap()["id"]
        .clone();
    let link = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["met"] == true
                && (e["source"] == mwangi || e["target"] == mwangi)
                && e["places"] == serde_json::json!(["Geneva"])
        })
        .expect("a meeting of Mwangi in Geneva");
    assert_eq!(link["dates"], serde_json::json!(["2026-05-19"]));
}

fn stdout(args: &[&str]) -> String {
    let out = entigraph(&root(), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn who_met_answers_with_evidence() {
    let text = stdout(&["who-met", "Putin"]);
    assert!(text.starts_with("Vladimir Putin met:"), "{text}");
    for name in [
        "Steve Witkoff",
        "Jared Kushner",
        "2025-12-02",
        "Moscow",
        "[data/",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    let putin: Value = serde_json::from_str(&stdout(&["who-met", "putin", "--json"])).unwrap();
    let met: Vec<&str> = putin["met"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        met.contains(&"Steve Witkoff") && met.contains(&"Jared Kushner"),
        "{met:?}"
    );
    for name in ["Volodymyr Zelenskyy", "Donald Trump", "Marco Rubio"] {
        assert!(!met.contains(&name), "{name} in {met:?}");
    }
    let dmitriev: Value =
        serde_json::from_str(&stdout(&["who-met", "dmitriev", "--json"])).unwrap();
    let met: Vec<&str> = dmitriev["met"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(met.len(), 2);
    assert!(met.contains(&"Steve Witkoff") && met.contains(&"Jared Kushner"));
    for m in dmitriev["met"].as_array().unwrap() {
        assert_eq!(m["places"], serde_json::json!(["Miami"]));
        assert!(!m["evidence"].as_array().unwrap().is_empty());
    }
}

#[test]
fn queries_read_a_saved_graph() {
    let saved = seed_build().dir.path().join("graph.json");
    let saved = saved.to_str().unwrap();
    let from_articles = stdout(&["who-met", "Vladimir Putin", "--json"]);
    let from_graph = stdout(&["who-met", "Vladimir Putin", "--json", "--graph", saved]);
    assert_eq!(from_articles, from_graph);

    let neighbors: Value = serde_json::from_str(&stdout(&[
        "neighbors",
        "Zelenskyy",
        "--type",
        "place",
        "--json",
        "--graph",
        saved,
    ]))
    .unwrap();
    let list = neighbors["neighbors"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list.iter().all(|n| n["type"] == "place"));

    let path: Value = serde_json::from_str(&stdout(&[
        "path", "Rubio", "Dmitriev", "--json", "--graph", saved,
    ]))
    .unwrap();
    assert_eq!(path["found"], true);
    let nodes = path["nodes"].as_array().unwrap();
    assert_eq!(nodes.first().unwrap()["name"], "Marco Rubio");
    assert_eq!(nodes.last().unwrap()["name"], "Kirill Dmitriev");
    assert_eq!(path["links"].as_array().unwrap().len(), nodes.len() - 1);

    let top: Value = serde_json::from_str(&stdout(&[
        "top",
        "--by",
        "betweenness",
        "--type",
        "person",
        "-n",
        "3",
        "--json",
        "--graph",
        saved,
    ]))
    .unwrap();
    let top = top["top"].as_array().unwrap();
    assert_eq!(top.len(), 3);
    assert!(top.iter().all(|n| n["type"] == "person"));
    assert!(top[0]["score"].as_f64().unwrap() >= top[2]["score"].as_f64().unwrap());
}

#[test]
fn unknown_and_ambiguous_names_get_candidates() {
    let out = entigraph(&root(), &["who-met", "Putn"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no entity is called `Putn`") && err.contains("Vladimir Putin"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("smiths.txt");
    std::fs::write(
        &article,
        "John Smith met Mary Smith in Paris on Monday. Later Smith spoke to reporters.\n",
    )
    .unwrap();
    let out = entigraph(
        Path::new("."),
        &["who-met", "Smith", article.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("could mean") && err.contains("John Smith") && err.contains("Mary Smith"),
        "{err}"
    );
}

/// The graph JSON of an article given as text.
fn text_graph(text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("article.txt");
    std::fs::write(&input, text).unwrap();
    graph_of(&input)
}

#[test]
fn passives_relatives_coordination_speakers_and_things_met() {
    let met = met_pairs(&text_graph(
        "Diplomats crisscross Asia and Europe\n\n\
         Brazilian President Luiz Inacio Lula da Silva was received by Chinese President Xi \
         Jinping in Beijing on Friday.\n\n\
         Anthony Albanese, who met Fumio Kishida in Tokyo last week, said the trade deal was \
         close.\n\n\
         Volodymyr Zelensky said he met Jens Stoltenberg in Brussels on Wednesday.\n\n\
         Antony Blinken met Wang Yi in Beijing, and Lloyd Austin met Dong Jun in Singapore.\n\n\
         Olaf Scholz met Emmanuel Macron on Thursday without reaching an agreement, State \
         Department spokesman Matthew Miller said.\n\n\
         Siemens met its profit target, chief executive Roland Busch said.\n\n\
         Narendra Modi held phone talks with Joe Biden on Monday.\n\n\
         Joe Biden and Andrzej Duda discussed Ukraine, and Kamala Harris met reporters.\n",
    ));
    let expected = [
        pair("Luiz Inacio Lula da Silva", "Xi Jinping"),
        pair("Anthony Albanese", "Fumio Kishida"),
        pair("Volodymyr Zelensky", "Jens Stoltenberg"),
        pair("Antony Blinken", "Wang Yi"),
        pair("Lloyd Austin", "Dong Jun"),
        pair("Olaf Scholz", "Emmanuel Macron"),
    ];
    for p in &expected {
        assert!(met.contains(p), "{p:?} in {met:?}");
    }
    // Not Blinken with Austin or Dong Jun, not the spokesmen, not a profit target, not a
    // phone call, not Harris with Biden and Duda.
    assert_eq!(met.len(), expected.len(), "{met:?}");
}
