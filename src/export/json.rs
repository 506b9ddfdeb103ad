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
use std::io::{self, Read, Seek, Write};

/// The document as read back (`"directed"` and `"multigraph"`, always false, are not read).
/// [`write()`] writes it by hand.
#[derive(Deserialize)]
struct NodeLink {
    graph: GraphAttrs,
    nodes: Vec<NodeOut>,
    #[serde(default)]
    edges: Option<Vec<LinkOut>>,
    #[serde(default)]
    links: Option<Vec<LinkOut>>,
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

#[derive(Serialize, Deserialize)]
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

#[derive(Serialize, Deserialize)]
struct MeetingOut {
    #[serde(flatten)]
    evidence: EvidenceOut,
    places: Vec<String>,
    dates: Vec<String>,
}

/// A piece of evidence as the graph JSON and the partial graph files write it.
#[derive(Serialize, Deserialize, PartialEq)]
pub(crate) struct EvidenceOut {
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
            // a damaged file's span ends no earlier than it starts
            span: Span::new(e.start, e.end.max(e.start)),
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

/// Writes the graph as node-link JSON, with a final newline: what serde_json's pretty printer
/// makes of the whole document, but with the array of links serialized once, into a temporary
/// file, and copied under both of its keys.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let g = &graph.graph;
    let nodes: Vec<NodeOut> = g.node_weights().map(node_out).collect();
    let links = links_out(graph);
    let mut spool = tempfile::tempfile()?;
    {
        let mut w = io::BufWriter::with_capacity(1 << 16, &mut spool);
        nested(&mut w, &links)?;
        w.flush()?;
    }
    drop(links);
    let mut w = super::buffered(out);
    w.write_all(b"{\n  \"directed\": false,\n  \"multigraph\": false,\n  \"graph\": ")?;
    nested(&mut w, &graph_attrs(graph))?;
    w.write_all(b",\n  \"nodes\": ")?;
    nested(&mut w, &nodes)?;
    for key in ["edges", "links"] {
        write!(w, ",\n  \"{key}\": ")?;
        spool.seek(io::SeekFrom::Start(0))?;
        io::copy(&mut spool, &mut w)?;
    }
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// Writes `value` pretty-printed as the value of a key of a pretty-printed object.
fn nested<W: Write, T: Serialize + ?Sized>(w: W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Nested::default());
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// The layout of serde_json's pretty printer (two spaces a level, `": "` after keys, empty
/// arrays and objects as `[]` and `{}`), started one level in: for values of the top-level
/// object, which [`write()`] writes by hand.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Default for Nested {
    fn default() -> Self {
        Nested {
            level: 1,
            has_value: false,
        }
    }
}

impl Nested {
    fn line<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        const SPACES: &[u8; 32] = b"                                ";
        w.write_all(if first { b"\n" } else { b",\n" })?;
        let mut n = 2 * self.level;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn graph_attrs(graph: &EntityGraph) -> GraphAttrs {
    GraphAttrs {
        name: "entigraph".to_owned(),
        documents: graph.documents,
    }
}

fn links_out(graph: &EntityGraph) -> Vec<LinkOut> {
    let g = &graph.graph;
    g.edge_indices()
        .filter_map(|ix| {
            let (a, b) = g.edge_endpoints(ix)?;
            Some(link_out(&g[a].id, &g[b].id, &g[ix]))
        })
        .collect()
}

fn node_out(e: &Entity) -> NodeOut {
    NodeOut {
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
    }
}

/// Reads a graph written by [`write()`]. `path` names the source in error messages.
pub fn read(input: &mut dyn Read, path: &std::path::Path) -> Result<EntityGraph> {
    let bad = |message: String| Error::new(ErrorKind::Parse, Some(path), message);
    let mut input = std::io::BufReader::new(input);
    if starts_with_field(&mut input, b"\"format\":\"entigraph-partial\"") {
        return Err(bad(
            "is a partial graph (written by `extract --partial`), not a graph; make its graph with `entigraph merge FILE -o graph.json`".into(),
        ));
    }
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
    for l in doc.edges.or(doc.links).unwrap_or_default() {
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

/// True when the first kilobyte of `input` (not consumed) holds `field`: how a file of one
/// kind of JSON is told from another before it is parsed, for a message that says which it is.
pub(crate) fn starts_with_field(input: &mut dyn std::io::BufRead, field: &[u8]) -> bool {
    input
        .fill_buf()
        .is_ok_and(|head| memchr::memmem::find(&head[..head.len().min(1024)], field).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{load, pipeline, recognize};

    fn graph_of(texts: &[&str]) -> EntityGraph {
        let recognizer = recognize::standard(None).expect("the embedded model loads");
        let analyses = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let doc = load::document_from_text(&format!("d\"{i}\t"), t);
                pipeline::analyze(doc, &recognizer)
            })
            .collect();
        pipeline::build(analyses, &pipeline::Config::default()).graph
    }

    /// The whole document, for serde to write.
    #[derive(Serialize)]
    struct Document<'a> {
        directed: bool,
        multigraph: bool,
        graph: GraphAttrs,
        nodes: Vec<NodeOut>,
        edges: &'a [LinkOut],
        links: &'a [LinkOut],
    }

    /// The hand-written document is byte for byte what serde_json's pretty printer makes of the
    /// whole document.
    #[test]
    fn written_json_is_the_pretty_json_of_the_document() {
        let graphs = [
            graph_of(&[]),
            graph_of(&["Nothing to see here."]),
            graph_of(&[
                "Vladimir Putin met Steve Witkoff in Moscow on Tuesday, the Kremlin said.",
                "\"Putin\" told Witkoff\tand Jared Kushner \\ in Moscow: no deal.\nPresident \
                 Donald Trump of the United States met Putin in Alaska.",
            ]),
        ];
        for graph in &graphs {
            let mut written = Vec::new();
            write(graph, &mut written).expect("writes to memory");
            let links = links_out(graph);
            let doc = Document {
                directed: false,
                multigraph: false,
                graph: graph_attrs(graph),
                nodes: graph.graph.node_weights().map(node_out).collect(),
                edges: &links,
                links: &links,
            };
            let mut expected = serde_json::to_string_pretty(&doc).expect("serializes");
            expected.push('\n');
            assert_eq!(String::from_utf8(written).expect("UTF-8"), expected);
        }
        assert!(graphs[2].graph.edge_count() > 0, "the test graph has links");
    }

    /// A damaged file's evidence span that ends before it starts is read as empty, not as a
    /// span that would break whatever slices with it.
    #[test]
    fn backward_evidence_span_is_read_empty() {
        let graph = graph_of(&["Vladimir Putin met Steve Witkoff in Moscow on Tuesday."]);
        let mut written = Vec::new();
        write(&graph, &mut written).expect("writes to memory");
        let mut doc: serde_json::Value = serde_json::from_slice(&written).expect("JSON");
        for key in ["edges", "links"] {
            let evidence = &mut doc[key][0]["evidence"][0];
            evidence["start"] = 40.into();
            evidence["end"] = 3.into();
        }
        let damaged = serde_json::to_vec(&doc).expect("serializes");
        let read = read(&mut damaged.as_slice(), std::path::Path::new("g.json")).expect("reads");
        let link = read.graph.edge_weights().next().expect("a link");
        assert_eq!(link.evidence[0].span, crate::span::Span::new(40, 40));
    }
}
