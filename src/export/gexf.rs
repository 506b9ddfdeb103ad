//! GEXF 1.3, Gephi's own format, also read by networkx (`read_gexf(path, version="1.3")`).
//!
//! Nodes carry their type, mentions, aliases, roles and documents as declared attributes, and
//! a colour and size (`viz`) so that Gephi shows the types at once; edges carry their weight
//! and the `met` relation. Lists are joined with "; ".

use super::attrs::{EdgeAttrs, NodeAttrs, one_line};
use crate::graph::EntityGraph;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io::{self, Write};

const NODE_ATTRIBUTES: &[(&str, &str)] = &[
    ("type", "string"),
    ("mentions", "integer"),
    ("aliases", "string"),
    ("roles", "string"),
    ("documents", "string"),
];
const EDGE_ATTRIBUTES: &[(&str, &str)] = &[
    ("met", "boolean"),
    ("met_sentences", "integer"),
    ("places", "string"),
    ("dates", "string"),
    ("evidence", "string"),
];

fn attvalues<W: Write>(w: &mut Writer<W>, values: &[(usize, &str)]) -> io::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        for (i, v) in values {
            w.create_element("attvalue")
                .with_attributes([
                    ("for", i.to_string().as_str()),
                    ("value", one_line(v).as_str()),
                ])
                .write_empty()?;
        }
        Ok::<(), io::Error>(())
    })?;
    Ok(())
}

/// Writes the graph as GEXF 1.3.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Writer::new_with_indent(super::buffered(out), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("gexf").with_attributes([
        ("xmlns", "http://gexf.net/1.3"),
        ("xmlns:viz", "http://gexf.net/1.3/viz"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
        ),
        ("version", "1.3"),
    ])))?;
    w.create_element("meta").write_inner_content(|w| {
        w.create_element("creator")
            .write_text_content(BytesText::new("entigraph"))?;
        w.create_element("description").write_text_content(BytesText::new(
            "People, organizations and places of news articles; edges join entities mentioned in one sentence",
        ))?;
        Ok::<(), io::Error>(())
    })?;
    w.write_event(Event::Start(BytesStart::new("graph").with_attributes([
        ("defaultedgetype", "undirected"),
        ("mode", "static"),
    ])))?;
    for (class, attributes) in [("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)] {
        w.create_element("attributes")
            .with_attribute(("class", class))
            .write_inner_content(|w| {
                for (i, (title, kind)) in attributes.iter().enumerate() {
                    w.create_element("attribute")
                        .with_attributes([
                            ("id", i.to_string().as_str()),
                            ("title", title),
                            ("type", kind),
                        ])
                        .write_empty()?;
                }
                Ok::<(), io::Error>(())
            })?;
    }
    let g = &graph.graph;
    let max_mentions = g
        .node_weights()
        .map(|e| e.mentions)
        .max()
        .unwrap_or(1)
        .max(1);
    w.write_event(Event::Start(BytesStart::new("nodes")))?;
    for e in g.node_weights() {
        let a = NodeAttrs::of(e);
        let [r, gr, b] = super::fill(e.kind);
        let size = 10.0 + 30.0 * (e.mentions as f64 / max_mentions as f64).sqrt();
        w.create_element("node")
            .with_attributes([
                ("id", one_line(&e.id).as_str()),
                ("label", one_line(&e.name).as_str()),
            ])
            .write_inner_content(|w| {
                attvalues(
                    w,
                    &[
                        (0, e.kind.as_str()),
                        (1, &e.mentions.to_string()),
                        (2, &a.aliases),
                        (3, &a.roles),
                        (4, &a.documents),
                    ],
                )?;
                w.create_element("viz:color")
                    .with_attributes([
                        ("r", r.to_string().as_str()),
                        ("g", gr.to_string().as_str()),
                        ("b", b.to_string().as_str()),
                    ])
                    .write_empty()?;
                w.create_element("viz:size")
                    .with_attribute(("value", format!("{size:.1}").as_str()))
                    .write_empty()?;
                Ok::<(), io::Error>(())
            })?;
    }
    w.write_event(Event::End(BytesEnd::new("nodes")))?;
    w.write_event(Event::Start(BytesStart::new("edges")))?;
    for (i, ix) in g.edge_indices().enumerate() {
        let Some((s, t)) = g.edge_endpoints(ix) else {
            continue;
        };
        let link = &g[ix];
        let a = EdgeAttrs::of(link);
        w.create_element("edge")
            .with_attributes([
                ("id", i.to_string().as_str()),
                ("source", one_line(&g[s].id).as_str()),
                ("target", one_line(&g[t].id).as_str()),
                ("weight", link.weight.to_string().as_str()),
            ])
            .write_inner_content(|w| {
                attvalues(
                    w,
                    &[
                        (0, if link.is_met() { "true" } else { "false" }),
                        (1, &link.met.to_string()),
                        (2, &a.places),
                        (3, &a.dates),
                        (4, &a.evidence),
                    ],
                )
            })?;
    }
    w.write_event(Event::End(BytesEnd::new("edges")))?;
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("gexf")))?;
    let mut w = w.into_inner();
    w.write_all(b"\n")?;
    w.flush()
}
