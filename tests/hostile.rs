//! Names from untrusted text through every exporter (issue 7): quotes, backslashes, angle
//! brackets, `</script>`, newlines and control characters must reach each format's real client
//! as plain text.

use crate::common::{not_run, runs};
use entigraph::Kind;
use entigraph::export::{self, Format, neo4j};
use entigraph::graph::{EntityGraph, GraphConfig, SentenceEntities};
use entigraph::resolve::Entity;
use entigraph::span::Span;
use std::path::Path;
use std::process::Command;

const NAMES: &[&str] = &[
    "Quote \"Q\" O'Brien",
    "Back\\slash \\N \\L",
    "<b>Bold</b> & </script><!--",
    "Line\nbreak",
    "Tab\tand\u{7}bell",
    "Ünïcödé 李 \u{2028}sep",
    "{curly} [square] ;semi;colon, comma",
    "Not\u{fffe}XML\u{ffff}chars",
];

/// What a format without control characters shows: each one becomes a space, and so do
/// U+FFFE and U+FFFF, which XML forbids.
fn shown(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn graph() -> EntityGraph {
    let entities: Vec<Entity> = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| Entity {
            id: format!("e{i}-{}", entigraph::resolve::slug(name)),
            name: name.to_string(),
            kind: Kind::ALL[i % 3],
            aliases: vec![name.to_string(), format!("{name} alias")],
            mentions: i + 1,
            document_count: 1,
            documents: vec![format!("doc \"{i}\"")],
            roles: vec![],
        })
        .collect();
    let text = NAMES.join(" met ");
    let sentences = (0..NAMES.len() - 1).map(|i| SentenceEntities {
        document: "doc",
        span: Span::new(0, text.len()),
        text: &text,
        entities: vec![i, i + 1],
    });
    EntityGraph::build(
        entities,
        sentences.collect::<Vec<_>>(),
        Vec::new(),
        1,
        &GraphConfig::default(),
    )
}

fn write(dir: &Path, name: &str, format: Format) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut file = std::fs::File::create(&path).unwrap();
    export::write(&graph(), format, &mut file).unwrap();
    path
}

#[test]
fn json_and_cytoscape_keep_names_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let json = write(dir.path(), "g.json", Format::Json);
    let back = export::json::read(&mut std::fs::File::open(&json).unwrap(), &json).unwrap();
    let names: Vec<&str> = back.graph.node_weights().map(|e| e.name.as_str()).collect();
    assert_eq!(names, NAMES);
    let cyjs = write(dir.path(), "g.cyjs", Format::Cytoscape);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cyjs).unwrap()).unwrap();
    let names: Vec<&str> = v["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["data"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, NAMES);
}

#[test]
fn neo4j_csv_quotes_every_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nodes.csv");
    neo4j::write_nodes(&graph(), &mut std::fs::File::create(&path).unwrap()).unwrap();
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    let expected: Vec<String> = NAMES.iter().map(|n| shown(n)).collect();
    assert_eq!(names, expected);
}

#[test]
fn graphviz_draws_every_name_as_text() {
    if !runs("dot", &["-V"]) {
        return not_run("Graphviz `dot`", "Debian: apt-get install graphviz");
    }
    let dir = tempfile::tempdir().unwrap();
    let dot = write(dir.path(), "g.dot", Format::Dot);
    let out = Command::new("dot").arg("-Tsvg").arg(&dot).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.trim().is_empty(), "{stderr}");
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(
        svg.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;/script&gt;"),
        "{svg}"
    );
    assert!(svg.contains("Back\\slash \\N \\L"));
    assert!(
        svg.contains("Quote &quot;Q&quot; O&#39;Brien")
            || svg.contains("Quote &quot;Q&quot; O'Brien")
    );
    assert!(!svg.contains("<b>"));
}

#[test]
fn networkx_reads_every_name_from_json_graphml_and_gexf() {
    if !runs("python3", &["-c", "import networkx"]) {
        return not_run("Python's networkx", "pip install networkx");
    }
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(dir.path(), "g.json", Format::Json),
        write(dir.path(), "g.graphml", Format::GraphMl),
        write(dir.path(), "g.gexf", Format::Gexf),
    ];
    let script = r#"
import json, sys
import networkx as nx
j = nx.node_link_graph(json.load(open(sys.argv[1])))
m = nx.read_graphml(sys.argv[2])
x = nx.read_gexf(sys.argv[3], version="1.3")
print(json.dumps([[j.nodes[n]["label"] for n in j.nodes],
                  [m.nodes[n]["label"] for n in m.nodes],
                  [x.nodes[n]["label"] for n in x.nodes]]))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let [json, graphml, gexf]: [Vec<String>; 3] = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json, NAMES);
    let expected: Vec<String> = NAMES.iter().map(|n| shown(n)).collect();
    assert_eq!(graphml, expected);
    assert_eq!(gexf, expected);
}
