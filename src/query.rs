//! Questions asked of a graph: which entity a name means, who met it, its neighbours, the
//! shortest path between two entities, and the most central entities.
//!
//! Names are matched through every alias, ignoring case, accents and transliteration
//! ("putin", "Zelenskiy"); a name that fits several entities, or none, gets the candidates
//! instead of a guess.
//!
//! Architecture invariant: queries read the graph only; printing belongs to the binary.

use crate::graph::{EntityGraph, Link};
use crate::kind::Kind;
use crate::resolve::{fold, sound_key};
use petgraph::graph::{EdgeReference, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::VecDeque;
use std::str::FromStr;

/// What a name means in a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Exactly one entity.
    Found(NodeIndex),
    /// Several entities fit equally well; the most mentioned first.
    Ambiguous(Vec<NodeIndex>),
    /// None fits; the closest names, closest first.
    Unknown(Vec<NodeIndex>),
}

/// The words of a folded name, each as its transliteration key.
fn keys(name: &str) -> Vec<String> {
    fold(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(sound_key)
        .collect()
}

/// Finds the entity a name means: an entity's id as given first ("washington" for the
/// place, when "Washington" is also Denzel Washington's surname), then an exact alias
/// (ignoring case and accents), then a spelling variant of a whole alias, then an alias
/// containing every word of the name.
pub fn find(graph: &EntityGraph, name: &str) -> Lookup {
    let g = &graph.graph;
    if let Some(n) = g.node_indices().find(|&n| g[n].id == name) {
        return Lookup::Found(n);
    }
    let folded = fold(name);
    let wanted = keys(name);
    if folded.is_empty() {
        return Lookup::Unknown(Vec::new());
    }
    let names = |n: NodeIndex| {
        let e = &g[n];
        std::iter::once(e.name.as_str())
            .chain(e.aliases.iter().map(String::as_str))
            .chain(std::iter::once(e.id.as_str()))
    };
    let tiers: [&dyn Fn(&str) -> bool; 3] = [
        &|alias| fold(alias) == folded,
        &|alias| keys(alias) == wanted,
        &|alias| {
            let words = keys(alias);
            wanted.iter().all(|w| words.contains(w))
        },
    ];
    let matching = |fits: &dyn Fn(&str) -> bool| -> Vec<NodeIndex> {
        g.node_indices().filter(|&n| names(n).any(fits)).collect()
    };
    for (tier, fits) in tiers.iter().enumerate() {
        let mut found = matching(fits);
        // A lone surname left apart by resolution ("Smith" beside John and Mary Smith) does
        // not hide the full names that contain it; a place or an organization of one word
        // ("Washington", "Chelsea") is not a surname.
        if tier == 0
            && found.len() == 1
            && g[found[0]].kind == Kind::Person
            && !g[found[0]].name.contains(' ')
        {
            for n in matching(tiers[2]) {
                if !found.contains(&n) {
                    found.push(n);
                }
            }
        }
        match found.len() {
            0 => continue,
            1 => return Lookup::Found(found[0]),
            _ => {
                found.sort_by(|&a, &b| {
                    g[b].mentions
                        .cmp(&g[a].mentions)
                        .then(g[a].id.cmp(&g[b].id))
                });
                return Lookup::Ambiguous(found);
            }
        }
    }
    let mut scored: Vec<(f64, NodeIndex)> = g
        .node_indices()
        .map(|n| {
            let best = names(n)
                .map(|alias| strsim::normalized_levenshtein(&fold(alias), &folded))
                .fold(0.0, f64::max);
            (best, n)
        })
        .filter(|(s, _)| *s >= 0.4)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(g[a.1].id.cmp(&g[b.1].id)));
    Lookup::Unknown(scored.into_iter().take(5).map(|(_, n)| n).collect())
}

/// One neighbour of an entity, with the link between them.
#[derive(Debug, Clone, Copy)]
pub struct Neighbor<'g> {
    /// The neighbour.
    pub node: NodeIndex,
    /// The link.
    pub link: &'g Link,
}

fn neighbor_of(node: NodeIndex, e: EdgeReference<'_, Link>) -> Neighbor<'_> {
    let other = if e.source() == node {
        e.target()
    } else {
        e.source()
    };
    Neighbor {
        node: other,
        link: e.weight(),
    }
}

/// The entities a sentence says `node` met, most meeting sentences first.
pub fn who_met(graph: &EntityGraph, node: NodeIndex) -> Vec<Neighbor<'_>> {
    let g = &graph.graph;
    let mut out: Vec<Neighbor> = g
        .edges(node)
        .map(|e| neighbor_of(node, e))
        .filter(|n| n.link.is_met())
        .collect();
    out.sort_by(|a, b| {
        b.link
            .met
            .cmp(&a.link.met)
            .then(b.link.weight.cmp(&a.link.weight))
            .then(g[a.node].id.cmp(&g[b.node].id))
    });
    out
}

/// The entities linked to `node`, of `kind` if given, heaviest link first.
pub fn neighbors(graph: &EntityGraph, node: NodeIndex, kind: Option<Kind>) -> Vec<Neighbor<'_>> {
    let g = &graph.graph;
    let mut out: Vec<Neighbor> = g
        .edges(node)
        .map(|e| neighbor_of(node, e))
        .filter(|n| kind.is_none_or(|k| g[n.node].kind == k))
        .collect();
    out.sort_by(|a, b| {
        b.link
            .weight
            .cmp(&a.link.weight)
            .then(b.link.met.cmp(&a.link.met))
            .then(g[a.node].id.cmp(&g[b.node].id))
    });
    out
}

/// A shortest chain of links from `from` to `to` (fewest links; among those, found through
/// the heaviest links first), as the nodes along it, both ends included.
pub fn path(graph: &EntityGraph, from: NodeIndex, to: NodeIndex) -> Option<Vec<NodeIndex>> {
    let g = &graph.graph;
    let mut previous: Vec<Option<NodeIndex>> = vec![None; g.node_count()];
    let mut seen = vec![false; g.node_count()];
    let mut queue = VecDeque::from([from]);
    seen[from.index()] = true;
    while let Some(n) = queue.pop_front() {
        if n == to {
            let mut chain = vec![to];
            let mut at = to;
            while let Some(p) = previous[at.index()] {
                chain.push(p);
                at = p;
            }
            chain.reverse();
            return Some(chain);
        }
        for next in neighbors(graph, n, None) {
            if !seen[next.node.index()] {
                seen[next.node.index()] = true;
                previous[next.node.index()] = Some(n);
                queue.push_back(next.node);
            }
        }
    }
    None
}

/// How to rank entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Number of distinct neighbours.
    #[default]
    Degree,
    /// Sum of link weights (co-mention sentences).
    Weight,
    /// Betweenness centrality: how many shortest paths between others pass through it
    /// (normalized to 0..1).
    Betweenness,
}

impl FromStr for Measure {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "degree" => Ok(Measure::Degree),
            "weight" | "strength" => Ok(Measure::Weight),
            "betweenness" => Ok(Measure::Betweenness),
            _ => Err(format!(
                "unknown measure `{s}` (expected degree, weight or betweenness)"
            )),
        }
    }
}

/// The `n` highest-ranked entities by `measure`, of `kind` if given, with their scores;
/// ties go to the more mentioned, then to the smaller id.
pub fn top(
    graph: &EntityGraph,
    measure: Measure,
    kind: Option<Kind>,
    n: usize,
) -> Vec<(NodeIndex, f64)> {
    let g = &graph.graph;
    let scores: Vec<f64> = match measure {
        Measure::Degree => g.node_indices().map(|v| graph.degree(v) as f64).collect(),
        Measure::Weight => g.node_indices().map(|v| graph.strength(v) as f64).collect(),
        Measure::Betweenness => betweenness(graph),
    };
    let mut ranked: Vec<(NodeIndex, f64)> = g
        .node_indices()
        .filter(|&v| kind.is_none_or(|k| g[v].kind == k))
        .map(|v| (v, scores[v.index()]))
        .collect();
    ranked.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(g[b.0].mentions.cmp(&g[a.0].mentions))
            .then(g[a.0].id.cmp(&g[b.0].id))
    });
    ranked.truncate(n);
    ranked
}

/// Betweenness centrality of every node (Brandes' algorithm over unweighted shortest paths),
/// normalized for an undirected graph by 2 / ((n - 1)(n - 2)).
pub fn betweenness(graph: &EntityGraph) -> Vec<f64> {
    let g = &graph.graph;
    let n = g.node_count();
    let mut centrality = vec![0.0; n];
    let adjacency: Vec<Vec<usize>> = g
        .node_indices()
        .map(|v| g.neighbors(v).map(NodeIndex::index).collect())
        .collect();
    let mut stack = Vec::with_capacity(n);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![-1i64; n];
    let mut delta = vec![0.0f64; n];
    let mut queue = VecDeque::new();
    for s in 0..n {
        stack.clear();
        preds.iter_mut().for_each(Vec::clear);
        sigma.fill(0.0);
        dist.fill(-1);
        delta.fill(0.0);
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for &w in &adjacency[v] {
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        while let Some(w) = stack.pop() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                centrality[w] += delta[w];
            }
        }
    }
    // Each pair was counted from both ends.
    let scale = if n > 2 {
        1.0 / ((n - 1) as f64 * (n - 2) as f64)
    } else {
        0.0
    };
    centrality.iter().map(|c| c * scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphConfig, SentenceEntities};
    use crate::resolve::Entity;
    use crate::span::Span;

    fn entity(name: &str, aliases: &[&str], kind: Kind) -> Entity {
        Entity {
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            mentions: aliases.len(),
            documents: vec!["d".into()],
            ..Entity::new(name, kind)
        }
    }

    /// A path a - b - c - d plus e linked to b, f alone.
    fn graph() -> EntityGraph {
        let entities = vec![
            entity("Vladimir Putin", &["Putin", "Vladimir Putin"], Kind::Person),
            entity(
                "Volodymyr Zelenskyy",
                &["Zelensky", "Zelenskyy"],
                Kind::Person,
            ),
            entity("John Smith", &["John Smith"], Kind::Person),
            entity("Mary Smith", &["Mary Smith"], Kind::Person),
            entity("Moscow", &["Moscow"], Kind::Place),
            entity("Côte d'Ivoire", &["Côte d'Ivoire"], Kind::Place),
        ];
        let s = |ids: Vec<usize>| SentenceEntities {
            document: "d",
            span: Span::new(0, 1),
            text: "x",
            entities: ids,
        };
        EntityGraph::build(
            entities,
            vec![
                s(vec![0, 1]),
                s(vec![1, 2]),
                s(vec![2, 3]),
                s(vec![1, 4]),
                s(vec![1, 4]),
            ],
            Vec::new(),
            1,
            &GraphConfig::default(),
        )
    }

    fn name(g: &EntityGraph, l: Lookup) -> String {
        match l {
            Lookup::Found(n) => g.graph[n].name.clone(),
            Lookup::Ambiguous(ns) => format!(
                "ambiguous: {}",
                ns.iter()
                    .map(|&n| g.graph[n].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Lookup::Unknown(ns) => format!(
                "unknown: {}",
                ns.iter()
                    .map(|&n| g.graph[n].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    #[test]
    fn names_are_found_through_aliases_case_accents_and_spelling() {
        let g = graph();
        assert_eq!(name(&g, find(&g, "putin")), "Vladimir Putin");
        assert_eq!(name(&g, find(&g, "VLADIMIR PUTIN")), "Vladimir Putin");
        assert_eq!(name(&g, find(&g, "Zelenskiy")), "Volodymyr Zelenskyy");
        assert_eq!(name(&g, find(&g, "cote d'ivoire")), "Côte d'Ivoire");
        assert_eq!(
            name(&g, find(&g, "volodymyr-zelenskyy")),
            "Volodymyr Zelenskyy"
        );
    }

    #[test]
    fn ambiguous_and_unknown_names_get_candidates() {
        let g = graph();
        // Mentioned alone, "Smith" stays an entity of its own; asked for, it is ambiguous.
        let mut with_lone = graph();
        with_lone
            .graph
            .add_node(entity("Smith", &["Smith"], Kind::Person));
        assert_eq!(
            name(&with_lone, find(&with_lone, "Smith")),
            "ambiguous: John Smith, Mary Smith, Smith"
        );
        // its id, as given, names it alone
        assert_eq!(name(&with_lone, find(&with_lone, "smith")), "Smith");
        assert_eq!(
            name(&g, find(&g, "Smith")),
            "ambiguous: John Smith, Mary Smith"
        );
        // a place of one word is not a lone surname
        let mut with_place = graph();
        with_place
            .graph
            .add_node(entity("Smith", &["Smith"], Kind::Place));
        assert_eq!(name(&with_place, find(&with_place, "Smith")), "Smith");
        assert_eq!(name(&g, find(&g, "Putn")), "unknown: Vladimir Putin");
        assert_eq!(name(&g, find(&g, "Xi Jinping")), "unknown: ");
    }

    #[test]
    fn neighbours_paths_and_rankings() {
        let g = graph();
        let zelensky = NodeIndex::new(1);
        let by_weight: Vec<&str> = neighbors(&g, zelensky, None)
            .iter()
            .map(|n| g.graph[n.node].name.as_str())
            .collect();
        assert_eq!(by_weight, ["Moscow", "John Smith", "Vladimir Putin"]);
        let places: Vec<&str> = neighbors(&g, zelensky, Some(Kind::Place))
            .iter()
            .map(|n| g.graph[n.node].name.as_str())
            .collect();
        assert_eq!(places, ["Moscow"]);
        let p = path(&g, NodeIndex::new(0), NodeIndex::new(3)).unwrap();
        assert_eq!(p, [0, 1, 2, 3].map(NodeIndex::new));
        assert_eq!(path(&g, NodeIndex::new(0), NodeIndex::new(5)), None);
        let top = top(&g, Measure::Betweenness, None, 2);
        assert_eq!(top[0].0, zelensky);
        // Zelenskyy lies on the only shortest path of 5 of the 10 pairs of the other nodes:
        // Putin or Moscow with John or Mary, and Putin with Moscow.
        assert!((top[0].1 - 5.0 / 10.0).abs() < 1e-9, "{}", top[0].1);
    }
}
