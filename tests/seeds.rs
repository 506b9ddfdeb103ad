//! The seed corpus: the entities it must yield, merged, typed and free of junk (issue 2).

use crate::common::{entigraph, node, nodes, root, seed_build};
use serde_json::Value;

const PERSONS: &[&str] = &[
    "Vladimir Putin",
    "Steve Witkoff",
    "Jared Kushner",
    "Donald Trump",
    "Yuri Ushakov",
    "Kirill Dmitriev",
    "Volodymyr Zelensky",
    "Marco Rubio",
    "Rustem Umerov",
];
const ORGANIZATIONS: &[&str] = &[
    "NATO",
    "Russian Direct Investment Fund",
    "White House",
    "State Department",
];
const PLACES: &[&str] = &[
    "Russia",
    "Ukraine",
    "United States",
    "Europe",
    "Moscow",
    "Miami",
    "Kyiv",
    "Berlin",
    "Dublin",
    "Ireland",
    "Istanbul",
    "Pokrovsk",
    "Donbas",
    "Florida",
    "Germany",
    "France",
];

/// The nodes that carry `name` as their label or as one of their aliases.
fn named(name: &str) -> Vec<&'static Value> {
    nodes()
        .iter()
        .filter(|n| {
            n["label"] == name
                || n["aliases"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == name))
        })
        .collect()
}

#[test]
fn expected_entities_exist_once_with_their_type() {
    for (names, kind) in [
        (PERSONS, "person"),
        (ORGANIZATIONS, "organization"),
        (PLACES, "place"),
    ] {
        for name in names {
            let found = named(name);
            assert_eq!(
                found.len(),
                1,
                "{name}: expected one node so named, got {found:?}"
            );
            assert_eq!(found[0]["type"], kind, "{name}");
        }
    }
}

#[test]
fn spellings_of_one_entity_are_one_node() {
    for group in [
        &["Putin", "Vladimir Putin"][..],
        &["Zelensky", "Zelenskyy"],
        &["Yuri Ushakov", "Yury Ushakov"],
        &["U.S.", "US", "United States"],
        &["Trump", "Donald Trump"],
        &["Witkoff", "Steve Witkoff"],
        &["Dmitriev", "Kirill Dmitriev"],
    ] {
        // The full form must be found; a short form counts where the articles use it.
        let full = group.last().unwrap();
        assert!(node(full).is_some(), "no node for {full}");
        let ids: Vec<&Value> = group
            .iter()
            .filter_map(|name| node(name))
            .map(|n| &n["id"])
            .collect();
        assert!(
            ids.windows(2).all(|w| w[0] == w[1]),
            "{group:?} are not one node: {ids:?}"
        );
    }
}

#[test]
fn junk_is_not_a_node() {
    let junk = [
        "Meanwhile",
        "Speaking",
        "Despite",
        "However",
        "According",
        "Officials",
        "Hails",
        "Talks",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Friday",
        "Saturday",
        "Sunday",
        "December",
        "July",
        "HIGHLIGHTS",
        "World",
        "Jared Kushner Steve Witkoff",
        // The unrelated headlines at the end of seed 001.
        "Israeli",
        "West Bank",
        "Kobyz",
        "Yurt",
        "Central Asia",
        "UNESCO",
        "Venezuela",
        "Intangible Heritage Lists",
    ];
    for name in junk {
        assert!(
            node(name).is_none(),
            "{name} must not be a node: {:?}",
            node(name)
        );
    }
    for n in nodes() {
        let label = n["label"].as_str().unwrap();
        for a in n["aliases"].as_array().unwrap() {
            let a = a.as_str().unwrap();
            assert!(
                !a.ends_with("'s") && !a.ends_with("\u{2019}s"),
                "possessive in {a}"
            );
            assert!(
                !a.starts_with("the ") && !a.starts_with("The "),
                "determiner in {a}"
            );
            assert!(
                !a.starts_with("President ") && !a.starts_with("CEO "),
                "title in {a}"
            );
        }
        assert!(!label.is_empty());
    }
}

#[test]
fn node_ids_are_unique_and_links_point_to_nodes() {
    let json = &seed_build().json;
    let mut ids: Vec<&str> = nodes().iter().map(|n| n["id"].as_str().unwrap()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "duplicate ids");
    assert_eq!(json["edges"], json["links"]);
    for l in json["edges"].as_array().unwrap() {
        assert!(ids.contains(&l["source"].as_str().unwrap()));
        assert!(ids.contains(&l["target"].as_str().unwrap()));
        assert!(l["weight"].as_u64().unwrap() >= 1);
        assert!(!l["evidence"].as_array().unwrap().is_empty());
    }
}

#[test]
fn evidence_spans_point_at_their_sentences() {
    for l in seed_build().json["edges"].as_array().unwrap() {
        for e in l["evidence"].as_array().unwrap() {
            let text = std::fs::read_to_string(e["document"].as_str().unwrap())
                .expect("document readable");
            let (start, end) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[start..end], e["sentence"].as_str().unwrap());
        }
    }
}

#[test]
fn extracted_mention_spans_are_exact() {
    let out = entigraph(&root(), &["extract", "data", "--format", "jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5);
    let ids: Vec<&str> = nodes().iter().map(|n| n["id"].as_str().unwrap()).collect();
    let mut putin = 0;
    for line in lines {
        let doc: Value = serde_json::from_str(line).unwrap();
        let text = std::fs::read_to_string(root().join(doc["id"].as_str().unwrap())).unwrap();
        for m in doc["mentions"].as_array().unwrap() {
            let (start, end) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[start..end], m["text"].as_str().unwrap());
            assert!(ids.contains(&m["entity"].as_str().unwrap()), "{m}");
            if m["text"] == "Vladimir Putin" {
                putin += 1;
            }
        }
    }
    assert!(putin >= 4, "Vladimir Putin found {putin} times");
}

#[test]
fn summary_reports_documents_types_edges_and_paths() {
    let b = seed_build();
    let s = &b.summary;
    assert!(s.contains("read 5 document(s)"), "{s}");
    let edges = b.json["edges"].as_array().unwrap().len();
    assert!(s.contains(&format!("edges: {edges}")), "{s}");
    assert!(s.contains(&format!("entities: {} (", nodes().len())), "{s}");
    assert!(s.contains("most connected:"), "{s}");
    assert!(s.contains("graph.dot") && s.contains("graph.json"), "{s}");
}
