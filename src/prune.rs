//! Pruning: the part of the graph a user asked to see, and how much was left out.
//!
//! Applied in this order: entity types (`--types`), link weight (`--min-weight`, which also
//! drops the entities it leaves without any link), the neighbourhood of one entity
//! (`--focus NAME --depth K`), and the most connected entities (`--top N`). Dates
//! (`--since`, `--until`) choose documents before the graph is built, in the pipeline.

use crate::graph::EntityGraph;
use crate::kind::Kind;
use crate::query::{self, Lookup};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::VecDeque;

/// What to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prune {
    /// Keep only these types (all when empty).
    pub types: Vec<Kind>,
    /// Drop links of fewer sentences.
    pub min_weight: u32,
    /// Keep only the neighbourhood of this entity...
    pub focus: Option<String>,
    /// ...up to this many links away.
    pub depth: usize,
    /// Keep only the most connected entities.
    pub top: Option<usize>,
}

impl Prune {
    /// True when nothing would be left out.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty() && self.min_weight <= 1 && self.focus.is_none() && self.top.is_none()
    }
}

/// A pruning that could not be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PruneError {
    /// The focus name fits several entities: their names.
    AmbiguousFocus(Vec<String>),
    /// The focus name fits no entity: the closest names.
    UnknownFocus(Vec<String>),
    /// The focus entity is in the graph, but `--types` or `--min-weight` left it out: its
    /// name.
    FocusLeftOut(String),
}

impl std::fmt::Display for PruneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PruneError::AmbiguousFocus(names) => write!(
                f,
                "--focus could mean any of: {}; give more of the name",
                names.join(", ")
            ),
            PruneError::UnknownFocus(names) if names.is_empty() => {
                f.write_str("--focus names no entity of the graph")
            }
            PruneError::UnknownFocus(names) => write!(
                f,
                "--focus names no entity of the graph; the closest are: {}",
                names.join(", ")
            ),
            PruneError::FocusLeftOut(name) => write!(
                f,
                "--focus names {name}, which --types or --min-weight leave out"
            ),
        }
    }
}

impl std::error::Error for PruneError {}

/// Keeps the nodes flagged in `keep` and the links of weight `min_weight` or more between them.
fn subgraph(graph: &EntityGraph, keep: &[bool], min_weight: u32) -> EntityGraph {
    let g = &graph.graph;
    let mut out = EntityGraph {
        graph: petgraph::graph::UnGraph::with_capacity(0, 0),
        documents: graph.documents,
    };
    let mut new_index: Vec<Option<NodeIndex>> = vec![None; g.node_count()];
    for n in g.node_indices() {
        if keep[n.index()] {
            new_index[n.index()] = Some(out.graph.add_node(g[n].clone()));
        }
    }
    for e in g.edge_references() {
        if let (Some(a), Some(b)) = (new_index[e.source().index()], new_index[e.target().index()])
            && e.weight().weight >= min_weight
        {
            out.graph.add_edge(a, b, e.weight().clone());
        }
    }
    out
}

/// The part of `graph` that `prune` keeps.
pub fn prune(graph: &EntityGraph, prune: &Prune) -> Result<EntityGraph, PruneError> {
    let g = &graph.graph;
    // Types.
    let keep: Vec<bool> = g
        .node_indices()
        .map(|n| prune.types.is_empty() || prune.types.contains(&g[n].kind))
        .collect();
    let mut current = subgraph(graph, &keep, prune.min_weight);
    // Weight: entities left without a link go too.
    if prune.min_weight > 1 {
        let keep: Vec<bool> = current
            .graph
            .node_indices()
            .map(|n| current.graph.edges(n).next().is_some())
            .collect();
        current = subgraph(&current, &keep, 0);
    }
    // Focus, looked up in the whole graph, so that a name the other prunings left out is
    // told apart from one that names nothing.
    let mut focus = None;
    if let Some(name) = &prune.focus {
        let names = |nodes: Vec<NodeIndex>| -> Vec<String> {
            nodes
                .into_iter()
                .map(|n| format!("{} (id {})", g[n].name, g[n].id))
                .collect()
        };
        let found = match query::find(graph, name) {
            Lookup::Found(n) => &g[n],
            Lookup::Ambiguous(nodes) => return Err(PruneError::AmbiguousFocus(names(nodes))),
            Lookup::Unknown(nodes) => return Err(PruneError::UnknownFocus(names(nodes))),
        };
        let start = current
            .graph
            .node_indices()
            .find(|&n| current.graph[n].id == found.id)
            .ok_or_else(|| PruneError::FocusLeftOut(found.name.clone()))?;
        let mut depth = vec![usize::MAX; current.graph.node_count()];
        depth[start.index()] = 0;
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            if depth[n.index()] == prune.depth {
                continue;
            }
            for m in current.graph.neighbors(n) {
                if depth[m.index()] == usize::MAX {
                    depth[m.index()] = depth[n.index()] + 1;
                    queue.push_back(m);
                }
            }
        }
        let keep: Vec<bool> = depth.iter().map(|&d| d != usize::MAX).collect();
        current = subgraph(&current, &keep, 0);
        focus = Some(found.id.clone());
    }
    // Top: the focus, if any, is one of them whatever its degree.
    if let Some(n) = prune.top {
        let mut keep = vec![false; current.graph.node_count()];
        let focus = focus.and_then(|id| {
            current
                .graph
                .node_indices()
                .find(|&m| current.graph[m].id == id)
        });
        let mut left = n;
        if let Some(f) = focus.filter(|_| n > 0) {
            keep[f.index()] = true;
            left -= 1;
        }
        let others = current
            .most_connected(current.graph.node_count())
            .into_iter()
            .filter(|&m| Some(m) != focus)
            .take(left);
        for node in others {
            keep[node.index()] = true;
        }
        current = subgraph(&current, &keep, 0);
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphConfig, SentenceEntities};
    use crate::resolve::Entity;
    use crate::span::Span;

    fn entity(name: &str, kind: Kind) -> Entity {
        Entity {
            documents: vec!["d".into()],
            ..Entity::new(name, kind)
        }
    }

    /// a - b (weight 3), b - c, c - d, d - paris; e alone.
    fn graph() -> EntityGraph {
        let s = |ids: Vec<usize>| SentenceEntities {
            document: "d",
            span: Span::new(0, 1),
            text: "x",
            entities: ids,
        };
        EntityGraph::build(
            vec![
                entity("Ann", Kind::Person),
                entity("Bob", Kind::Person),
                entity("Cat", Kind::Person),
                entity("Dan", Kind::Person),
                entity("Paris", Kind::Place),
                entity("Eve", Kind::Person),
            ],
            vec![
                s(vec![0, 1]),
                s(vec![0, 1]),
                s(vec![0, 1]),
                s(vec![1, 2]),
                s(vec![2, 3]),
                s(vec![3, 4]),
                s(vec![5]),
            ],
            Vec::new(),
            1,
            &GraphConfig::default(),
        )
    }

    fn names(g: &EntityGraph) -> Vec<&str> {
        let mut v: Vec<&str> = g.graph.node_weights().map(|e| e.name.as_str()).collect();
        v.sort();
        v
    }

    #[test]
    fn each_pruning_keeps_what_it_says() {
        let g = graph();
        let run = |p: Prune| prune(&g, &p).unwrap();
        let types = run(Prune {
            types: vec![Kind::Place],
            ..Prune::default()
        });
        assert_eq!(names(&types), ["Paris"]);
        let heavy = run(Prune {
            min_weight: 2,
            ..Prune::default()
        });
        assert_eq!(names(&heavy), ["Ann", "Bob"]);
        let focus = run(Prune {
            focus: Some("cat".into()),
            depth: 1,
            ..Prune::default()
        });
        assert_eq!(names(&focus), ["Bob", "Cat", "Dan"]);
        assert_eq!(focus.edge_count(), 2);
        let top = run(Prune {
            top: Some(2),
            ..Prune::default()
        });
        assert_eq!(top.node_count(), 2);
        // the focus stays among the top entities, however few links it has
        let focus_top = run(Prune {
            focus: Some("Dan".into()),
            depth: 2,
            top: Some(2),
            ..Prune::default()
        });
        assert_eq!(names(&focus_top), ["Cat", "Dan"]);
        // a focus that another pruning left out is told apart from an unknown name
        let left_out = prune(
            &g,
            &Prune {
                types: vec![Kind::Place],
                focus: Some("Dan".into()),
                ..Prune::default()
            },
        );
        assert_eq!(
            left_out.unwrap_err(),
            PruneError::FocusLeftOut("Dan".into())
        );
        assert!(
            prune(
                &g,
                &Prune {
                    focus: Some("Zed".into()),
                    ..Prune::default()
                }
            )
            .is_err()
        );
    }
}
