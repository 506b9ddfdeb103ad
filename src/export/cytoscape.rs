//! Cytoscape.js elements JSON (`--format cytoscape`, or a `.cyjs` file): loads with
//! `cy.add(json.elements)` or `cytoscape({elements: json.elements})` in Cytoscape.js, and
//! through File > Import > Network in Cytoscape desktop, which reads the same layout.
//!
//! Each element's `data` holds its attributes as JSON values (lists stay lists); nodes carry
//! a `colour` and a `shape` so that a stylesheet can map them directly.

use super::fill_hex;
use crate::graph::{EntityGraph, Evidence};
use crate::kind::Kind;
use serde_json::{Value, json};
use std::io::{self, Write};

fn evidence(e: &Evidence) -> Value {
    json!({"document": e.document, "start": e.span.start, "end": e.span.end, "sentence": e.sentence})
}

fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "ellipse",
        Kind::Organization => "round-rectangle",
        Kind::Place => "hexagon",
    }
}

/// Writes the graph as Cytoscape.js JSON, with a final newline.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let g = &graph.graph;
    let nodes: Vec<Value> = g
        .node_weights()
        .map(|e| {
            json!({"data": {
                "id": e.id,
                "name": e.name,
                "type": e.kind.as_str(),
                "mentions": e.mentions,
                "aliases": e.aliases,
                "roles": e.roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
                "documents": e.documents,
                "colour": fill_hex(e.kind),
                "shape": shape(e.kind),
            }})
        })
        .collect();
    let edges: Vec<Value> = g
        .edge_indices()
        .enumerate()
        .filter_map(|(i, ix)| {
            let (s, t) = g.edge_endpoints(ix)?;
            let link = &g[ix];
            // Cytoscape wants ids unique across nodes and edges; an entity id, a slug, has
            // no colon
            Some(json!({"data": {
                "id": format!("link:{i}"),
                "source": g[s].id,
                "target": g[t].id,
                "weight": link.weight,
                "met": link.is_met(),
                "met_sentences": link.met,
                "places": link.meeting_places(),
                "dates": link.meeting_dates(),
                "evidence": link.evidence.iter().map(evidence).collect::<Vec<_>>(),
                "meetings": link.meetings.iter().map(|m| evidence(&m.evidence)).collect::<Vec<_>>(),
            }}))
        })
        .collect();
    let doc = json!({
        "format_version": "1.0",
        "generated_by": "entigraph",
        "target_cytoscapejs_version": "~3",
        "data": {"name": "entigraph", "documents": graph.documents},
        "elements": {"nodes": nodes, "edges": edges},
    });
    let mut w = super::buffered(out);
    serde_json::to_writer_pretty(&mut w, &doc)?;
    w.write_all(b"\n")?;
    w.flush()
}
