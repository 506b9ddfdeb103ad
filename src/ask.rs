//! The query subcommands (`who-met`, `neighbors`, `path`, `top`): get the graph, ask the
//! library, print the answer for people or, with `--json`, for scripts.
//!
//! Every answer cites its evidence: the document and the sentence.

use crate::cli::{NeighborsArgs, PathArgs, QueryArgs, TopArgs, WhoMetArgs};
use crate::run::{Outcome, build_graph};
use anyhow::{Context, Result, anyhow};
use entigraph::Kind;
use entigraph::export::one_line;
use entigraph::graph::{EntityGraph, Evidence, Link};
use entigraph::query::{self, Lookup, Measure, Neighbor};
use petgraph::graph::NodeIndex;
use serde_json::{Value, json};
use std::fs::File;
use std::io::BufReader;

/// `println!`, through [`one_line`]: article text's control characters (escape sequences,
/// line breaks) print as spaces, so one answer is one line.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", one_line(&format!($($arg)*)))
    };
}

/// The graph a query asks: the JSON given with `--graph`, else the one built from the inputs.
fn graph(args: &QueryArgs) -> Result<(EntityGraph, Outcome)> {
    match &args.graph {
        Some(path) if path.as_os_str() == "-" => {
            let graph = entigraph::export::json::read(&mut std::io::stdin().lock(), path)?;
            Ok((graph, Outcome::Clean))
        }
        Some(path) => {
            if path.is_dir() {
                anyhow::bail!(
                    "{}: is a directory; give the graph JSON that `entigraph build -o graph.json` writes",
                    path.display()
                );
            }
            let file = File::open(path).map_err(|e| entigraph::Error::io(path, &e))?;
            let graph = entigraph::export::json::read(&mut BufReader::new(file), path)?;
            Ok((graph, Outcome::Clean))
        }
        None => build_graph(&args.input, 5),
    }
}

/// The entity a name means, or an error listing the candidates.
fn find(graph: &EntityGraph, name: &str) -> Result<NodeIndex> {
    find_in(graph, name, query::find(graph, name))
}

fn find_in(graph: &EntityGraph, name: &str, lookup: Lookup) -> Result<NodeIndex> {
    let list = |nodes: &[NodeIndex]| {
        nodes
            .iter()
            .map(|&n| {
                let e = graph.entity(n);
                let line = format!(
                    "  {} ({}, {} mentions; id {})",
                    e.name, e.kind, e.mentions, e.id
                );
                one_line(&line)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    match lookup {
        Lookup::Found(n) => Ok(n),
        Lookup::Ambiguous(nodes) => Err(anyhow!(
            "`{name}` could mean any of these; give more of the name, or an id:\n{}",
            list(&nodes)
        )),
        Lookup::Unknown(nodes) if nodes.is_empty() => Err(anyhow!(
            "no entity is called `{name}`; `entigraph top -n 50` lists the main ones"
        )),
        Lookup::Unknown(nodes) => Err(anyhow!(
            "no entity is called `{name}`; the closest names are:\n{}",
            list(&nodes)
        )),
    }
}

fn kind_filter(kind: Option<&str>) -> Result<Option<Kind>> {
    kind.map(|k| k.parse::<Kind>().map_err(|e| anyhow!(e)))
        .transpose()
}

fn entity_json(graph: &EntityGraph, n: NodeIndex) -> Value {
    let e = graph.entity(n);
    json!({
        "id": e.id,
        "name": e.name,
        "type": e.kind.as_str(),
        "mentions": e.mentions,
        "roles": e.roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
    })
}

fn evidence_json(e: &Evidence) -> Value {
    json!({ "document": e.document, "start": e.span.start, "end": e.span.end, "sentence": e.sentence })
}

/// "Steve Witkoff (person; special envoy)".
fn describe(graph: &EntityGraph, n: NodeIndex) -> String {
    let e = graph.entity(n);
    // The role most often given; the more precise on a tie.
    let role = e
        .roles
        .iter()
        .max_by_key(|r| (r.evidence.len(), r.name.len()));
    match role {
        Some(r) => format!("{} ({}; {})", e.name, e.kind, r.name),
        None => format!("{} ({})", e.name, e.kind),
    }
}

fn print_evidence(evidence: &[Evidence], limit: usize, indent: &str) {
    for e in evidence.iter().take(limit) {
        say!("{indent}[{}] {}", e.document, e.sentence);
    }
    if evidence.len() > limit {
        say!("{indent}... {} more", evidence.len() - limit);
    }
}

/// `entigraph who-met NAME`.
pub fn who_met(args: WhoMetArgs) -> Result<Outcome> {
    let (graph, outcome) = graph(&args.query)?;
    let node = find(&graph, &args.name)?;
    let met = query::who_met(&graph, node);
    if args.query.json {
        let answers: Vec<Value> = met
            .iter()
            .map(|m| {
                let mut v = entity_json(&graph, m.node);
                v["sentences"] = json!(m.link.met);
                v["places"] = json!(m.link.meeting_places());
                v["dates"] = json!(m.link.meeting_dates());
                v["evidence"] = m
                    .link
                    .meetings
                    .iter()
                    .take(args.query.evidence)
                    .map(|x| {
                        let mut e = evidence_json(&x.evidence);
                        e["places"] = json!(x.places);
                        e["dates"] = json!(x.dates);
                        e
                    })
                    .collect();
                v
            })
            .collect();
        say!(
            "{}",
            json!({ "entity": entity_json(&graph, node), "met": answers })
        );
        return Ok(outcome);
    }
    let name = &graph.entity(node).name;
    if met.is_empty() {
        say!("No sentence says that {name} met anyone.");
        return Ok(outcome);
    }
    say!("{name} met:");
    for m in &met {
        let mut facts = vec![format!(
            "{} sentence{}",
            m.link.met,
            if m.link.met == 1 { "" } else { "s" }
        )];
        let dates = m.link.meeting_dates();
        if !dates.is_empty() {
            facts.push(format!("on {}", dates.join(", ")));
        }
        let places = m.link.meeting_places();
        if !places.is_empty() {
            facts.push(format!("in {}", places.join(", ")));
        }
        say!("  {}: {}", describe(&graph, m.node), facts.join("; "));
        let evidence: Vec<Evidence> = m.link.meetings.iter().map(|x| x.evidence.clone()).collect();
        print_evidence(&evidence, args.query.evidence, "      ");
    }
    Ok(outcome)
}

fn link_json(graph: &EntityGraph, n: &Neighbor<'_>, limit: usize) -> Value {
    let mut v = entity_json(graph, n.node);
    v["weight"] = json!(n.link.weight);
    v["met"] = json!(n.link.is_met());
    v["evidence"] = n
        .link
        .evidence
        .iter()
        .take(limit)
        .map(evidence_json)
        .collect();
    v
}

fn link_facts(link: &Link) -> String {
    let mut s = format!(
        "{} sentence{}",
        link.weight,
        if link.weight == 1 { "" } else { "s" }
    );
    if link.is_met() {
        s.push_str(", met");
    }
    s
}

/// `entigraph neighbors NAME`.
pub fn neighbors(args: NeighborsArgs) -> Result<Outcome> {
    let kind = kind_filter(args.kind.as_deref())?;
    let (graph, outcome) = graph(&args.query)?;
    let node = find(&graph, &args.name)?;
    let found = query::neighbors(&graph, node, kind);
    if args.query.json {
        let answers: Vec<Value> = found
            .iter()
            .map(|n| link_json(&graph, n, args.query.evidence))
            .collect();
        say!(
            "{}",
            json!({ "entity": entity_json(&graph, node), "neighbors": answers })
        );
        return Ok(outcome);
    }
    let name = &graph.entity(node).name;
    if found.is_empty() {
        say!(
            "{name} has no neighbours{}.",
            kind.map_or(String::new(), |k| format!(" of type {k}"))
        );
        return Ok(outcome);
    }
    say!("{name} is linked to:");
    for n in &found {
        say!("  {}: {}", describe(&graph, n.node), link_facts(n.link));
        print_evidence(&n.link.evidence, args.query.evidence, "      ");
    }
    Ok(outcome)
}

/// `entigraph path A B`.
pub fn path(args: PathArgs) -> Result<Outcome> {
    let (graph, outcome) = graph(&args.query)?;
    let from = find(&graph, &args.from)?;
    let to = find(&graph, &args.to)?;
    let chain = query::path(&graph, from, to);
    let g = &graph.graph;
    let hops: Vec<(NodeIndex, NodeIndex, &Link)> = chain
        .as_deref()
        .unwrap_or_default()
        .windows(2)
        .filter_map(|w| {
            let e = g.find_edge(w[0], w[1])?;
            Some((w[0], w[1], &g[e]))
        })
        .collect();
    if args.query.json {
        let steps: Vec<Value> = hops
            .iter()
            .map(|(a, b, link)| {
                json!({
                    "from": graph.entity(*a).id,
                    "to": graph.entity(*b).id,
                    "weight": link.weight,
                    "met": link.is_met(),
                    "evidence": link.evidence.iter().take(args.query.evidence).map(evidence_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        let nodes: Vec<Value> = chain
            .iter()
            .flatten()
            .map(|&n| entity_json(&graph, n))
            .collect();
        say!(
            "{}",
            json!({ "found": chain.is_some(), "nodes": nodes, "links": steps })
        );
        return Ok(outcome);
    }
    let (a, b) = (&graph.entity(from).name, &graph.entity(to).name);
    let Some(chain) = chain else {
        say!("No chain of links joins {a} and {b}.");
        return Ok(outcome);
    };
    if chain.len() == 1 {
        say!("{a} and {b} are the same entity.");
        return Ok(outcome);
    }
    say!("{a} to {b} in {} link(s):", hops.len());
    for (x, y, link) in hops {
        say!(
            "  {} -- {}: {}",
            describe(&graph, x),
            describe(&graph, y),
            link_facts(link)
        );
        print_evidence(&link.evidence, args.query.evidence, "      ");
    }
    Ok(outcome)
}

/// `entigraph top`.
pub fn top(args: TopArgs) -> Result<Outcome> {
    let measure: Measure = args.by.parse().map_err(|e: String| anyhow!(e))?;
    let kind = kind_filter(args.kind.as_deref())?;
    let (graph, outcome) = graph(&args.query).context("could not get the graph")?;
    let ranked = query::top(&graph, measure, kind, args.limit);
    if args.query.json {
        let answers: Vec<Value> = ranked
            .iter()
            .map(|&(n, score)| {
                let mut v = entity_json(&graph, n);
                v["score"] = json!(score);
                v["degree"] = json!(graph.degree(n));
                v["weight"] = json!(graph.strength(n));
                v
            })
            .collect();
        say!(
            "{}",
            json!({ "by": args.by.to_lowercase(), "top": answers })
        );
        return Ok(outcome);
    }
    for (rank, (n, score)) in ranked.iter().enumerate() {
        let shown = match measure {
            Measure::Betweenness => format!("{score:.3}"),
            _ => format!("{score:.0}"),
        };
        say!(
            "{:>3}. {:<40} {:>8}  ({} neighbours, {} sentences, {} mentions)",
            rank + 1,
            describe(&graph, *n),
            shown,
            graph.degree(*n),
            graph.strength(*n),
            graph.entity(*n).mentions
        );
    }
    Ok(outcome)
}
