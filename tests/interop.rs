//! The outputs opened by the programs users open them with: Graphviz and networkx (node-link
//! JSON, GraphML, GEXF).

use crate::common::{not_run, runs, seed_build};
use std::process::Command;

#[test]
fn graphviz_renders_the_dot_without_warnings() {
    if !runs("dot", &["-V"]) {
        return not_run("Graphviz `dot`", "Debian: apt-get install graphviz");
    }
    let b = seed_build();
    let svg = b.dir.path().join("graph.svg");
    let out = Command::new("dot")
        .args(["-Tsvg", "-o"])
        .arg(&svg)
        .arg(b.dir.path().join("graph.dot"))
        .output()
        .expect("run dot");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot failed: {stderr}");
    assert!(stderr.trim().is_empty(), "dot warned: {stderr}");
    let svg = std::fs::read_to_string(svg).expect("svg written");
    assert!(svg.contains("<svg") && svg.contains("Vladimir Putin"));
}

#[test]
fn networkx_loads_the_json_with_the_summary_counts() {
    let python = if runs("python3", &["-c", "import networkx"]) {
        "python3"
    } else {
        return not_run("Python's networkx", "pip install networkx");
    };
    let b = seed_build();
    let script = r#"
import json, sys
import networkx as nx
data = json.load(open(sys.argv[1]))
try:
    g = nx.node_link_graph(data, edges="links")
except TypeError:
    g = nx.node_link_graph(data)
g2 = nx.node_link_graph(data)
assert g2.number_of_edges() == g.number_of_edges()
met = sorted(tuple(sorted((a, b))) for a, b, d in g.edges(data=True) if d.get("met"))
assert ("steve-witkoff", "vladimir-putin") in met, met
assert all("met" in g.edges[a, b]["relations"] for a, b in met)
print(g.number_of_nodes(), g.number_of_edges(), g.nodes["vladimir-putin"]["type"], len(met))
"#;
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(b.dir.path().join("graph.json"))
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    let (nodes, edges) = (fields[0], fields[1]);
    assert!(
        b.summary.contains(&format!("entities: {nodes} (")),
        "{}",
        b.summary
    );
    assert!(
        b.summary.contains(&format!("edges: {edges}\n")),
        "{}",
        b.summary
    );
    assert_eq!(fields[2], "person");
    let met = b.json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["met"] == true)
        .count();
    assert_eq!(fields[3], met.to_string());
}

#[test]
fn networkx_reads_graphml_and_gexf_like_the_json() {
    if !runs("python3", &["-c", "import networkx"]) {
        return not_run("Python's networkx", "pip install networkx");
    }
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<std::path::PathBuf> = ["g.json", "g.graphml", "g.gexf"]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
    let mut args = vec!["build", "data"];
    for f in &files {
        args.push("-o");
        args.push(f.to_str().unwrap());
    }
    let run = crate::common::entigraph(&crate::common::root(), &args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let script = r#"
import json, sys
import networkx as nx
data = json.load(open(sys.argv[1]))
j = nx.node_link_graph(data)
m = nx.read_graphml(sys.argv[2])
x = nx.read_gexf(sys.argv[3], version="1.3")
for g in (m, x):
    assert sorted(g.nodes) == sorted(j.nodes), "nodes differ"
    assert {frozenset(e) for e in g.edges} == {frozenset(e) for e in j.edges}, "edges differ"
putin = "vladimir-putin"
assert m.nodes[putin]["type"] == "person" and x.nodes[putin]["type"] == "person"
assert m.nodes[putin]["label"] == "Vladimir Putin" and x.nodes[putin]["label"] == "Vladimir Putin"
met_m = sum(1 for *_, d in m.edges(data=True) if d["met"])
met_x = sum(1 for *_, d in x.edges(data=True) if d["met"])
met_j = sum(1 for *_, d in j.edges(data=True) if d["met"])
assert met_m == met_x == met_j, (met_m, met_x, met_j)
w = {frozenset((a, b)): d["weight"] for a, b, d in j.edges(data=True)}
assert all(d["weight"] == w[frozenset((a, b))] for a, b, d in m.edges(data=True))
assert all(d["weight"] == w[frozenset((a, b))] for a, b, d in x.edges(data=True))
print(j.number_of_nodes(), j.number_of_edges(), met_j)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&files)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
