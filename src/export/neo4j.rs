//! CSV files for `neo4j-admin database import full`: one file of nodes, one of relationships,
//! with the import tool's typed headers.
//!
//! - `nodes.csv`: `id:ID(Entity)`, `name`, `:LABEL` (`Entity;Person`, `Entity;Organization`,
//!   `Entity;Place`), `mentions:int`, `aliases:string[]`, `roles:string[]`,
//!   `documents:string[]`.
//! - `relationships.csv`: `:START_ID(Entity)`, `:END_ID(Entity)`, `:TYPE`, `weight:int`,
//!   `places:string[]`, `dates:string[]`, `evidence`. Each co-mention is a `MENTIONED_WITH`
//!   relationship weighing its sentences; each pair that met has a `MET` relationship too,
//!   weighing its meeting sentences, with places and dates.
//!
//! Arrays use the tool's default `;` delimiter (a `;` inside an element becomes `,`); every
//! field is on one line, so no `--multiline-fields` is needed. Quoting is the `csv` crate's.

use super::attrs::one_line;
use crate::graph::EntityGraph;
use std::io::{self, Write};

/// The file names written in the output directory.
pub const NODES_FILE: &str = "nodes.csv";
/// See [`NODES_FILE`].
pub const RELATIONSHIPS_FILE: &str = "relationships.csv";

fn array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|s| one_line(s).replace(';', ","))
        .collect::<Vec<_>>()
        .join(";")
}

fn label(kind: crate::kind::Kind) -> &'static str {
    match kind {
        crate::kind::Kind::Person => "Entity;Person",
        crate::kind::Kind::Organization => "Entity;Organization",
        crate::kind::Kind::Place => "Entity;Place",
    }
}

/// Writes the nodes file.
pub fn write_nodes(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id:ID(Entity)",
        "name",
        ":LABEL",
        "mentions:int",
        "aliases:string[]",
        "roles:string[]",
        "documents:string[]",
    ])?;
    for e in graph.graph.node_weights() {
        w.write_record([
            one_line(&e.id).as_str(),
            one_line(&e.name).as_str(),
            label(e.kind),
            e.mentions.to_string().as_str(),
            array(e.aliases.iter().map(String::as_str)).as_str(),
            array(e.roles.iter().map(|r| r.name.as_str())).as_str(),
            array(e.documents.iter().map(String::as_str)).as_str(),
        ])?;
    }
    w.flush()
}

/// Writes the relationships file.
pub fn write_relationships(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let g = &graph.graph;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        ":START_ID(Entity)",
        ":END_ID(Entity)",
        ":TYPE",
        "weight:int",
        "places:string[]",
        "dates:string[]",
        "evidence",
    ])?;
    for ix in g.edge_indices() {
        let Some((s, t)) = g.edge_endpoints(ix) else {
            continue;
        };
        let link = &g[ix];
        let (s, t) = (one_line(&g[s].id), one_line(&g[t].id));
        let first = |e: Option<&crate::graph::Evidence>| {
            e.map_or_else(String::new, |e| one_line(&e.sentence))
        };
        w.write_record([
            s.as_str(),
            t.as_str(),
            "MENTIONED_WITH",
            link.weight.to_string().as_str(),
            "",
            "",
            first(link.evidence.first()).as_str(),
        ])?;
        if link.is_met() {
            w.write_record([
                s.as_str(),
                t.as_str(),
                "MET",
                link.met.to_string().as_str(),
                array(link.meeting_places()).as_str(),
                array(link.meeting_dates()).as_str(),
                first(link.meetings.first().map(|m| &m.evidence)).as_str(),
            ])?;
        }
    }
    w.flush()
}
