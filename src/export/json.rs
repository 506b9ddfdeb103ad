//! networkx node-link JSON, readable by `networkx.node_link_graph` in every release.
//!
//! networkx 3.6 reads links under `"edges"`, older releases under `"links"`; the same array is
//! written under both keys so that the file loads unchanged in either.

use crate::graph::{EntityGraph, Evidence};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct NodeLink<'a> {
    directed: bool,
    multigraph: bool,
    graph: GraphAttrs,
    nodes: Vec<Node<'a>>,
    edges: &'a [Link<'a>],
    links: &'a [Link<'a>],
}

#[derive(Serialize)]
struct GraphAttrs {
    name: &'static str,
    documents: usize,
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    aliases: &'a [String],
    mentions: usize,
    documents: &'a [String],
}

#[derive(Serialize)]
struct Link<'a> {
    source: &'a str,
    target: &'a str,
    weight: u32,
    evidence: Vec<EvidenceOut<'a>>,
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    document: &'a str,
    start: usize,
    end: usize,
    sentence: &'a str,
}

impl<'a> From<&'a Evidence> for EvidenceOut<'a> {
    fn from(e: &'a Evidence) -> Self {
        EvidenceOut {
            document: &e.document,
            start: e.span.start,
            end: e.span.end,
            sentence: &e.sentence,
        }
    }
}

/// Writes the graph as node-link JSON, with a final newline.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let g = &graph.graph;
    let nodes = g
        .node_weights()
        .map(|e| Node {
            id: &e.id,
            label: &e.name,
            kind: e.kind.as_str(),
            aliases: &e.aliases,
            mentions: e.mentions,
            documents: &e.documents,
        })
        .collect();
    let links: Vec<Link> = g
        .edge_indices()
        .filter_map(|ix| {
            let (a, b) = g.edge_endpoints(ix)?;
            let link = &g[ix];
            Some(Link {
                source: &g[a].id,
                target: &g[b].id,
                weight: link.weight,
                evidence: link.evidence.iter().map(EvidenceOut::from).collect(),
            })
        })
        .collect();
    let doc = NodeLink {
        directed: false,
        multigraph: false,
        graph: GraphAttrs {
            name: "entigraph",
            documents: graph.documents,
        },
        nodes,
        edges: &links,
        links: &links,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
