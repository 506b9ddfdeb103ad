//! The entity graph: entities as nodes, co-mention in a sentence as weighted edges with the
//! sentences as evidence.
//!
//! Architecture invariant: the graph knows entities and sentences, not file formats; exporters
//! read it, and nothing here writes.

use crate::resolve::Entity;
use crate::span::Span;
use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::BTreeMap;

/// One sentence that supports an edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    /// The document's id.
    pub document: String,
    /// The sentence's byte span in the document's text.
    pub span: Span,
    /// The sentence's text.
    pub sentence: String,
}

/// What links two entities.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    /// Number of sentences that mention both.
    pub weight: u32,
    /// The first of those sentences, up to the evidence cap, in document order.
    pub evidence: Vec<Evidence>,
}

/// Options for building the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphConfig {
    /// Most evidence sentences kept per edge.
    pub evidence_cap: usize,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig { evidence_cap: 5 }
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
    /// Builds the graph over `entities` from the sentences that mention them.
    pub fn build<'s>(
        entities: Vec<Entity>,
        sentences: impl IntoIterator<Item = SentenceEntities<'s>>,
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
                            document: s.document.to_owned(),
                            span: s.span,
                            sentence: s.text.to_owned(),
                        });
                    }
                }
            }
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
        let mut nodes: Vec<NodeIndex> = self.graph.node_indices().collect();
        nodes.sort_by(|&a, &b| {
            self.degree(b)
                .cmp(&self.degree(a))
                .then(self.strength(b).cmp(&self.strength(a)))
                .then(self.graph[b].mentions.cmp(&self.graph[a].mentions))
                .then(self.graph[a].id.cmp(&self.graph[b].id))
        });
        nodes.truncate(n);
        nodes
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
            documents: vec!["d".into()],
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
            1,
            &GraphConfig { evidence_cap: 2 },
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
