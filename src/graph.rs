//! The entity graph: entities as nodes, co-mention in a sentence as weighted edges with the
//! sentences as evidence, and meetings as a relation of their own on the same edges.
//!
//! Architecture invariant: the graph knows entities and sentences, not file formats; exporters
//! read it, and nothing here writes.

use crate::relate::Meeting;
use crate::resolve::Entity;
use crate::span::Span;
use petgraph::graph::{NodeIndex, UnGraph};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One sentence that supports an edge.
///
/// The id and the text are shared: a sentence that links several pairs of entities, or a
/// document's many sentences, hold one copy of each (cloning evidence counts a reference).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    /// The document's id.
    pub document: Arc<str>,
    /// The sentence's byte span in the document's text.
    pub span: Span,
    /// The sentence's text.
    pub sentence: Arc<str>,
}

/// One sentence saying that two entities met, with where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingEvidence {
    /// The sentence.
    pub evidence: Evidence,
    /// Names of the places of the meeting found in it or around it.
    pub places: Vec<String>,
    /// Dates of the meeting: ISO 8601 when the year is known, else as written.
    pub dates: Vec<String>,
}

/// What links two entities.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    /// Number of sentences that mention both.
    pub weight: u32,
    /// The first of those sentences, up to the evidence cap, in document order.
    pub evidence: Vec<Evidence>,
    /// Number of sentences that say the two met.
    pub met: u32,
    /// The first of those sentences, up to the evidence cap, with the meetings' places and
    /// dates.
    pub meetings: Vec<MeetingEvidence>,
}

impl Link {
    /// True when a sentence says the two entities met.
    pub fn is_met(&self) -> bool {
        self.met > 0
    }

    /// Every place of the meetings, first seen first, without repeats.
    pub fn meeting_places(&self) -> Vec<&str> {
        unique(self.meetings.iter().flat_map(|m| m.places.iter()))
    }

    /// Every date of the meetings, first seen first, without repeats; a date written without
    /// its year ("December 2") is left out when a full date of the same day is there.
    pub fn meeting_dates(&self) -> Vec<&str> {
        let all = unique(self.meetings.iter().flat_map(|m| m.dates.iter()));
        let full: Vec<&str> = all.iter().copied().filter(|d| is_iso(d)).collect();
        all.into_iter()
            .filter(|d| is_iso(d) || !full.iter().any(|f| same_day(f, d)))
            .collect()
    }
}

fn is_iso(date: &str) -> bool {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()
}

/// True when ISO date `full` falls on `partial`, a month and day as written ("December 2").
fn same_day(full: &str, partial: &str) -> bool {
    use chrono::Datelike;
    let Ok(full) = chrono::NaiveDate::parse_from_str(full, "%Y-%m-%d") else {
        return false;
    };
    chrono::NaiveDate::parse_from_str(&format!("{partial} {}", full.year()), "%B %d %Y")
        .is_ok_and(|d| d == full)
}

fn unique<'a>(items: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for s in items {
        if !out.contains(&s.as_str()) {
            out.push(s);
        }
    }
    out
}

/// Options for building the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphConfig {
    /// Most evidence sentences kept per edge and per role.
    pub evidence_cap: usize,
    /// Most document ids listed per entity (the first in sorted order; all are counted).
    pub document_cap: usize,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig {
            evidence_cap: 5,
            document_cap: 100,
        }
    }
}

/// The entity graph.
#[derive(Debug, Clone, Default)]
pub struct EntityGraph {
    /// Nodes are entities, edges are co-mentions; undirected.
    pub graph: UnGraph<Entity, Link>,
    /// Number of documents the graph was built from.
    pub documents: usize,
}

/// One sentence's entities, as the graph builder takes them.
#[derive(Debug, Clone)]
pub struct SentenceEntities<'a> {
    /// The document's id.
    pub document: &'a str,
    /// The sentence's span.
    pub span: Span,
    /// The sentence's text.
    pub text: &'a str,
    /// Indices of the entities mentioned, in any order, repeats allowed.
    pub entities: Vec<usize>,
}

impl EntityGraph {
    /// Builds the graph over `entities` from the sentences that mention them and the meetings
    /// found in them.
    pub fn build<'s>(
        entities: Vec<Entity>,
        sentences: impl IntoIterator<Item = SentenceEntities<'s>>,
        meetings: impl IntoIterator<Item = Meeting>,
        documents: usize,
        config: &GraphConfig,
    ) -> EntityGraph {
        let mut graph: UnGraph<Entity, Link> =
            UnGraph::with_capacity(entities.len(), entities.len());
        for e in entities {
            graph.add_node(e);
        }
        // Edges are collected in a map keyed by node pair so that the edge order is the
        // pair order, whatever the order of the sentences.
        let mut links: BTreeMap<(usize, usize), Link> = BTreeMap::new();
        for s in sentences {
            let mut ids = s.entities.clone();
            ids.sort_unstable();
            ids.dedup();
            for (i, &a) in ids.iter().enumerate() {
                for &b in &ids[i + 1..] {
                    let link = links.entry((a, b)).or_default();
                    link.weight += 1;
                    if link.evidence.len() < config.evidence_cap {
                        link.evidence.push(Evidence {
                            document: s.document.into(),
                            span: s.span,
                            sentence: s.text.into(),
                        });
                    }
                }
            }
        }
        for m in meetings {
            let link = links.entry((m.a.min(m.b), m.a.max(m.b))).or_default();
            link.met += 1;
            if link.meetings.len() < config.evidence_cap {
                link.meetings.push(MeetingEvidence {
                    evidence: m.evidence,
                    places: m
                        .places
                        .iter()
                        .map(|&p| graph[NodeIndex::new(p)].name.clone())
                        .collect(),
                    dates: m.dates,
                });
            }
        }
        for ((a, b), link) in links {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), link);
        }
        EntityGraph { graph, documents }
    }

    /// The graph of `entities` and the links between them, keyed by pairs of entity indices
    /// (the smaller first); edges are added in pair order.
    pub fn from_links(
        entities: Vec<Entity>,
        links: BTreeMap<(usize, usize), Link>,
        documents: usize,
    ) -> EntityGraph {
        let mut graph: UnGraph<Entity, Link> = UnGraph::with_capacity(entities.len(), links.len());
        for e in entities {
            graph.add_node(e);
        }
        for ((a, b), link) in links {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), link);
        }
        EntityGraph { graph, documents }
    }

    /// Number of entities.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of links.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The entity at `node`.
    pub fn entity(&self, node: NodeIndex) -> &Entity {
        &self.graph[node]
    }

    /// The entity of index `i` in the list the graph was built from.
    pub fn entity_at(&self, i: usize) -> &Entity {
        &self.graph[NodeIndex::new(i)]
    }

    /// Number of distinct neighbours of `node`.
    pub fn degree(&self, node: NodeIndex) -> usize {
        self.graph.neighbors(node).count()
    }

    /// Sum of the weights of the links of `node`.
    pub fn strength(&self, node: NodeIndex) -> u64 {
        self.graph
            .edges(node)
            .map(|e| u64::from(e.weight().weight))
            .sum()
    }

    /// The `n` most connected entities: by degree, then by link weight, then by mentions, then
    /// by id.
    pub fn most_connected(&self, n: usize) -> Vec<NodeIndex> {
        // degree and strength walk a node's edges: computed once a node, not once a comparison
        let mut nodes: Vec<_> = self
            .graph
            .node_indices()
            .map(|ix| {
                let e = &self.graph[ix];
                let key: (usize, u64, usize) = (self.degree(ix), self.strength(ix), e.mentions);
                (Reverse(key), e.id.as_str(), ix)
            })
            .collect();
        nodes.sort_unstable();
        nodes.into_iter().take(n).map(|(_, _, ix)| ix).collect()
    }

    /// Number of entities of each kind, in [`crate::Kind::ALL`] order.
    pub fn count_by_kind(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for e in self.graph.node_weights() {
            counts[e.kind.index()] += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;

    fn entity(id: &str) -> Entity {
        Entity {
            id: id.into(),
            name: id.into(),
            kind: Kind::Person,
            aliases: vec![id.into()],
            mentions: 1,
            document_count: 1,
            documents: vec!["d".into()],
            roles: vec![],
        }
    }

    #[test]
    fn co_mentions_become_weighted_edges_with_capped_evidence() {
        let sentence = |entities: Vec<usize>, start: usize| SentenceEntities {
            document: "d",
            span: Span::new(start, start + 1),
            text: "x",
            entities,
        };
        let g = EntityGraph::build(
            vec![entity("a"), entity("b"), entity("c")],
            vec![
                sentence(vec![0, 1, 1], 0),
                sentence(vec![1, 0], 2),
                sentence(vec![1, 0, 2], 4),
                sentence(vec![2], 6),
            ],
            Vec::new(),
            1,
            &GraphConfig {
                evidence_cap: 2,
                ..GraphConfig::default()
            },
        );
        assert_eq!(g.edge_count(), 3);
        let ab = g
            .graph
            .find_edge(NodeIndex::new(0), NodeIndex::new(1))
            .expect("a-b");
        assert_eq!(g.graph[ab].weight, 3);
        assert_eq!(g.graph[ab].evidence.len(), 2);
        assert_eq!(g.graph[ab].evidence[1].span, Span::new(2, 3));
        assert_eq!(g.most_connected(1), [NodeIndex::new(0)]);
    }
}
