//! networkx node-link JSON, readable by `networkx.node_link_graph` in every release, and read
//! back by entigraph's queries (`--graph FILE`).
//!
//! networkx 3.6 reads links under `"edges"`, older releases under `"links"`; the same array is
//! written under both keys so that the file loads unchanged in either. A link carries its
//! co-mention weight and evidence and, when a sentence says the two met, `"met": true`,
//! `"relations": ["co-mention", "met"]`, the meeting sentences with their places and dates,
//! and every place and date of those meetings.

use crate::error::{Error, ErrorKind, Result};
use crate::graph::{EntityGraph, Evidence, Link, MeetingEvidence};
use crate::kind::Kind;
use crate::relate::Role;
use crate::resolve::Entity;
use crate::span::Span;
use petgraph::graph::{NodeIndex, UnGraph};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::sync::Arc;

#[derive(Serialize, Deserialize)]
struct NodeLink {
    directed: bool,
    multigraph: bool,
    graph: GraphAttrs,
    nodes: Vec<NodeOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edges: Option<Arc<Vec<LinkOut>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    links: Option<Arc<Vec<LinkOut>>>,
}

#[derive(Serialize, Deserialize)]
struct GraphAttrs {
    name: String,
    documents: usize,
}

#[derive(Serialize, Deserialize)]
struct NodeOut {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    aliases: Vec<String>,
    mentions: usize,
    #[serde(default)]
    document_count: Option<usize>,
    documents: Vec<String>,
    #[serde(default)]
    roles: Vec<RoleOut>,
}

#[derive(Serialize, Deserialize)]
struct RoleOut {
    role: String,
    evidence: Vec<EvidenceOut>,
}

#[derive(Clone, Serialize, Deserialize)]
struct LinkOut {
    source: String,
    target: String,
    weight: u32,
    relations: Vec<String>,
    evidence: Vec<EvidenceOut>,
    #[serde(default)]
    met: bool,
    #[serde(default)]
    met_sentences: u32,
    #[serde(default)]
    meetings: Vec<MeetingOut>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    dates: Vec<String>,
}

#[derive(Clone, Serialize, Deserialize)]
struct MeetingOut {
    #[serde(flatten)]
    evidence: EvidenceOut,
    places: Vec<String>,
    dates: Vec<String>,
}

#[derive(Clone, Serialize, Deserialize)]
struct EvidenceOut {
    document: std::sync::Arc<str>,
    start: usize,
    end: usize,
    sentence: std::sync::Arc<str>,
}

impl From<&Evidence> for EvidenceOut {
    fn from(e: &Evidence) -> Self {
        EvidenceOut {
            document: e.document.clone(),
            start: e.span.start,
            end: e.span.end,
            sentence: e.sentence.clone(),
        }
    }
}

impl From<EvidenceOut> for Evidence {
    fn from(e: EvidenceOut) -> Self {
        Evidence {
            document: e.document,
            span: Span::new(e.start, e.end),
            sentence: e.sentence,
        }
    }
}

fn link_out(source: &str, target: &str, link: &Link) -> LinkOut {
    let mut relations = vec!["co-mention".to_owned()];
    if link.is_met() {
        relations.push("met".to_owned());
    }
    LinkOut {
        source: source.to_owned(),
        target: target.to_owned(),
        weight: link.weight,
        relations,
        evidence: link.evidence.iter().map(EvidenceOut::from).collect(),
        met: link.is_met(),
        met_sentences: link.met,
        meetings: link
            .meetings
            .iter()
            .map(|m| MeetingOut {
                evidence: EvidenceOut::from(&m.evidence),
                places: m.places.clone(),
                dates: m.dates.clone(),
            })
            .collect(),
        places: link
            .meeting_places()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        dates: link
            .meeting_dates()
            .into_iter()
            .map(str::to_owned)
            .collect(),
    }
}

/// Writes the graph as node-link JSON, with a final newline.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let g = &graph.graph;
    let nodes = g
        .node_weights()
        .map(|e| NodeOut {
            id: e.id.clone(),
            label: e.name.clone(),
            kind: e.kind.as_str().to_owned(),
            aliases: e.aliases.clone(),
            mentions: e.mentions,
            document_count: Some(e.document_count),
            documents: e.documents.clone(),
            roles: e
                .roles
                .iter()
                .map(|r| RoleOut {
                    role: r.name.clone(),
                    evidence: r.evidence.iter().map(EvidenceOut::from).collect(),
                })
                .collect(),
        })
        .collect();
    let links: Arc<Vec<LinkOut>> = g
        .edge_indices()
        .filter_map(|ix| {
            let (a, b) = g.edge_endpoints(ix)?;
            Some(link_out(&g[a].id, &g[b].id, &g[ix]))
        })
        .collect::<Vec<_>>()
        .into();
    let doc = NodeLink {
        directed: false,
        multigraph: false,
        graph: GraphAttrs {
            name: "entigraph".to_owned(),
            documents: graph.documents,
        },
        nodes,
        edges: Some(links.clone()),
        links: Some(links),
    };
    let mut w = super::buffered(out);
    serde_json::to_writer_pretty(&mut w, &doc)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Reads a graph written by [`write()`]. `path` names the source in error messages.
pub fn read(input: &mut dyn Read, path: &std::path::Path) -> Result<EntityGraph> {
    let bad = |message: String| Error::new(ErrorKind::Parse, Some(path), message);
    let doc: NodeLink = serde_json::from_reader(input).map_err(|e| {
        bad(format!(
            "not an entigraph graph JSON ({e}); write one with `entigraph build -o graph.json`"
        ))
    })?;
    let mut graph: UnGraph<Entity, Link> = UnGraph::with_capacity(doc.nodes.len(), 0);
    let mut index: HashMap<String, NodeIndex> = HashMap::new();
    for n in doc.nodes {
        let kind: Kind = n
            .kind
            .parse()
            .map_err(|_| bad(format!("node `{}` has an unknown type `{}`", n.id, n.kind)))?;
        let entity = Entity {
            id: n.id.clone(),
            name: n.label,
            kind,
            aliases: n.aliases,
            mentions: n.mentions,
            document_count: n.document_count.unwrap_or(n.documents.len()),
            documents: n.documents,
            roles: n
                .roles
                .into_iter()
                .map(|r| Role {
                    name: r.role,
                    evidence: r.evidence.into_iter().map(Evidence::from).collect(),
                })
                .collect(),
        };
        index.insert(n.id, graph.add_node(entity));
    }
    let links = doc.edges.or(doc.links).unwrap_or_default();
    for l in Arc::unwrap_or_clone(links) {
        let node = |id: &str| {
            index
                .get(id)
                .copied()
                .ok_or_else(|| bad(format!("a link names `{id}`, which is not a node")))
        };
        let (a, b) = (node(&l.source)?, node(&l.target)?);
        let met = if l.met { l.met_sentences.max(1) } else { 0 };
        graph.add_edge(
            a,
            b,
            Link {
                weight: l.weight,
                evidence: l.evidence.into_iter().map(Evidence::from).collect(),
                met,
                meetings: l
                    .meetings
                    .into_iter()
                    .map(|m| MeetingEvidence {
                        evidence: m.evidence.into(),
                        places: m.places,
                        dates: m.dates,
                    })
                    .collect(),
            },
        );
    }
    Ok(EntityGraph {
        graph,
        documents: doc.graph.documents,
    })
}
