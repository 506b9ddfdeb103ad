//! Exporters: a graph written in every format (DOT, JSON, GraphML, GEXF, Cytoscape, Neo4j CSV,
//! HTML). The graph is either built by the pipeline from the input's text or made directly from
//! arbitrary names, aliases, roles, evidence and links. The JSON must read back with
//! `export::json::read` to the same nodes and links, the DOT must quote and brace correctly,
//! the XML formats must parse, and the page's embedded data must be one JSON value that no
//! string closes early.

#![no_main]

#[path = "../../tests/dot_syntax.rs"]
mod dot_syntax;

use arbitrary::Arbitrary;
use dot_syntax::dot_is_balanced;
use entigraph::export::{self, Format};
use entigraph::graph::{EntityGraph, Evidence, Link, MeetingEvidence};
use entigraph::relate::Role;
use entigraph::{Chain, Entity, Kind, Span, load, pipeline};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
struct Node {
    id: String,
    name: String,
    kind: u8,
    aliases: Vec<String>,
    roles: Vec<(String, Vec<Sentence>)>,
}

#[derive(Arbitrary, Debug)]
struct Sentence {
    document: String,
    start: u16,
    len: u8,
    text: String,
}

#[derive(Arbitrary, Debug)]
struct Edge {
    a: u8,
    b: u8,
    weight: u32,
    evidence: Vec<Sentence>,
    met: Vec<(Sentence, Vec<String>, Vec<String>)>,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Text(String),
    Graph { nodes: Vec<Node>, edges: Vec<Edge> },
}

fn chain() -> &'static Chain {
    static CHAIN: OnceLock<Chain> = OnceLock::new();
    CHAIN.get_or_init(|| entigraph::recognize::standard(None).expect("the built-in model"))
}

fn evidence(s: Sentence) -> Evidence {
    let start = usize::from(s.start);
    Evidence {
        document: s.document.into(),
        span: Span::new(start, start + usize::from(s.len)),
        sentence: s.text.into(),
    }
}

fn graph(nodes: Vec<Node>, edges: Vec<Edge>) -> Option<EntityGraph> {
    let entities: Vec<Entity> = nodes
        .into_iter()
        .take(24)
        .enumerate()
        .map(|(i, n)| Entity {
            // Ids are unique in every graph entigraph makes.
            id: format!("{}{i}", n.id),
            aliases: n.aliases,
            roles: n
                .roles
                .into_iter()
                .map(|(name, ev)| Role {
                    name,
                    evidence: ev.into_iter().map(evidence).collect(),
                })
                .collect(),
            ..Entity::new(&n.name, Kind::ALL[usize::from(n.kind) % 3])
        })
        .collect();
    let n = entities.len();
    if n == 0 {
        return None;
    }
    let mut links = BTreeMap::new();
    for e in edges {
        let (a, b) = (usize::from(e.a) % n, usize::from(e.b) % n);
        if a == b {
            continue;
        }
        let meetings: Vec<MeetingEvidence> = e
            .met
            .into_iter()
            .map(|(s, places, dates)| MeetingEvidence {
                evidence: evidence(s),
                places,
                dates,
            })
            .collect();
        let link = Link {
            weight: e.weight,
            evidence: e.evidence.into_iter().map(evidence).collect(),
            met: meetings.len() as u32,
            meetings,
        };
        links.insert((a.min(b), a.max(b)), link);
    }
    Some(EntityGraph::from_links(entities, links, 1))
}

fn xml_parses(xml: &[u8]) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => buf.clear(),
            Err(e) => panic!("not XML: {e}"),
        }
    }
}

fn write(graph: &EntityGraph, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    export::write(graph, format, &mut out).expect("writing to memory");
    out
}

fuzz_target!(|input: Input| {
    let graph = match input {
        Input::Text(text) => {
            let analysis = pipeline::analyze(load::document_from_text("d", &text), chain());
            pipeline::build(vec![analysis], &pipeline::Config::default()).graph
        }
        Input::Graph { nodes, edges } => match graph(nodes, edges) {
            Some(g) => g,
            None => return,
        },
    };

    let json = write(&graph, Format::Json);
    let back = export::json::read(&mut &json[..], std::path::Path::new("g.json"))
        .expect("the JSON written reads back");
    assert_eq!(back.node_count(), graph.node_count());
    assert_eq!(back.edge_count(), graph.edge_count());
    for (a, b) in back.graph.node_weights().zip(graph.graph.node_weights()) {
        assert_eq!((&a.id, &a.name, a.kind), (&b.id, &b.name, b.kind));
    }

    let dot = String::from_utf8(write(&graph, Format::Dot)).expect("DOT is UTF-8");
    assert!(dot_is_balanced(&dot), "{dot}");

    xml_parses(&write(&graph, Format::GraphMl));
    xml_parses(&write(&graph, Format::Gexf));

    let cytoscape = write(&graph, Format::Cytoscape);
    serde_json::from_slice::<serde_json::Value>(&cytoscape).expect("Cytoscape JSON parses");

    let (mut nodes, mut relationships) = (Vec::new(), Vec::new());
    export::neo4j::write_nodes(&graph, &mut nodes).unwrap();
    export::neo4j::write_relationships(&graph, &mut relationships).unwrap();

    let page = String::from_utf8(write(&graph, Format::Html)).expect("the page is UTF-8");
    let marker = "id=\"graph-data\">";
    let start = page.find(marker).expect("the page has its data") + marker.len();
    let end = start
        + page[start..]
            .find("</script>")
            .expect("the data element closes");
    serde_json::from_str::<serde_json::Value>(&page[start..end]).expect("the page's data parses");
});
