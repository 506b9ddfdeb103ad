//! GraphML, for networkx (`read_graphml`), Gephi and Cytoscape desktop.
//!
//! Every attribute is declared with a `<key>` of a GraphML type: strings, `int` and
//! `boolean`. GraphML has no list type, so aliases, roles, documents, places and dates are
//! joined with "; ". The XML is written by `quick-xml`, which escapes every name; control
//! characters, which XML 1.0 cannot carry even escaped, become spaces.

use super::attrs::{EdgeAttrs, NodeAttrs, one_line};
use crate::graph::EntityGraph;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::{self, Write};

/// (id, for, attr.type)
const NODE_KEYS: &[(&str, &str)] = &[
    ("label", "string"),
    ("type", "string"),
    ("mentions", "int"),
    ("aliases", "string"),
    ("roles", "string"),
    ("documents", "string"),
];
const EDGE_KEYS: &[(&str, &str)] = &[
    ("weight", "int"),
    ("met", "boolean"),
    ("met_sentences", "int"),
    ("places", "string"),
    ("dates", "string"),
    ("evidence", "string"),
];

fn data<W: Write>(w: &mut Writer<W>, key: &str, value: &str) -> io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&one_line(value)))?;
    Ok(())
}

/// Writes the graph as GraphML.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Writer::new_with_indent(super::buffered(out), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
        ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ),
    ])))?;
    for (keys, target) in [(NODE_KEYS, "node"), (EDGE_KEYS, "edge")] {
        for (name, kind) in keys {
            w.create_element("key")
                .with_attributes([
                    ("id", *name),
                    ("for", target),
                    ("attr.name", *name),
                    ("attr.type", *kind),
                ])
                .write_empty()?;
        }
    }
    w.write_event(Event::Start(BytesStart::new("graph").with_attributes([
        ("id", "entigraph"),
        ("edgedefault", "undirected"),
    ])))?;
    let g = &graph.graph;
    for e in g.node_weights() {
        let a = NodeAttrs::of(e);
        w.create_element("node")
            .with_attribute(("id", one_line(&e.id).as_str()))
            .write_inner_content(|w| {
                data(w, "label", &e.name)?;
                data(w, "type", e.kind.as_str())?;
                data(w, "mentions", &e.mentions.to_string())?;
                data(w, "aliases", &a.aliases)?;
                data(w, "roles", &a.roles)?;
                data(w, "documents", &a.documents)
            })?;
    }
    for (i, ix) in g.edge_indices().enumerate() {
        let Some((s, t)) = g.edge_endpoints(ix) else {
            continue;
        };
        let link = &g[ix];
        let a = EdgeAttrs::of(link);
        w.create_element("edge")
            .with_attributes([
                ("id", format!("e{i}").as_str()),
                ("source", one_line(&g[s].id).as_str()),
                ("target", one_line(&g[t].id).as_str()),
            ])
            .write_inner_content(|w| {
                data(w, "weight", &link.weight.to_string())?;
                data(w, "met", if link.is_met() { "true" } else { "false" })?;
                data(w, "met_sentences", &link.met.to_string())?;
                data(w, "places", &a.places)?;
                data(w, "dates", &a.dates)?;
                data(w, "evidence", &a.evidence)
            })?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    let mut w = w.into_inner();
    w.write_all(b"\n")?;
    w.flush()
}
