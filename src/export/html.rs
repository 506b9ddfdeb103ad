//! The interactive page: one self-contained HTML file that draws the graph and lets a reader
//! search, select, filter and read the evidence, opened from disk with no network.
//!
//! The page is a template (`page/page.html`) with the viewer's style sheet and script
//! (`page/viewer.css`, `page/viewer.js`, written for entigraph and compiled in) and the graph
//! as JSON. Node positions are computed here by [`super::layout`], so the page draws at once.
//!
//! The JSON is compact: each evidence sentence is stored once, in a table that nodes and
//! links point into by number, since a sentence that names five entities supports ten links.
//!
//! Names and sentences come from untrusted text. The JSON sits in a
//! `<script type="application/json">` element, which the browser does not run and reads as
//! raw text up to the first `</script`; so every `<`, `>` and `&` in it is written as a JSON
//! `\u` escape (which `JSON.parse` reads back unchanged), and U+2028 and U+2029 likewise.
//! No text of the data can then close the element or open a comment. The viewer shows every
//! string with `textContent`, never as HTML, and the page's Content-Security-Policy forbids
//! any request, so the page cannot reach the network.

use super::layout::{self, LayoutConfig, Spring};
use crate::graph::{EntityGraph, Evidence};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

const TEMPLATE: &str = include_str!("page/page.html");
const STYLE: &str = include_str!("page/viewer.css");
const SCRIPT: &str = include_str!("page/viewer.js");

/// The graph as the viewer reads it.
#[derive(Serialize)]
struct PageData<'a> {
    title: String,
    /// Document ids; sentences and nodes refer to them by position.
    documents: Vec<&'a str>,
    /// Every evidence sentence once: `[document, start, end, text]`.
    sentences: Vec<(usize, usize, usize, &'a str)>,
    nodes: Vec<PageNode<'a>>,
    edges: Vec<PageEdge<'a>>,
}

#[derive(Serialize)]
struct PageNode<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    aliases: &'a [String],
    mentions: usize,
    docs: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<PageRole<'a>>,
    x: f64,
    y: f64,
}

#[derive(Serialize)]
struct PageRole<'a> {
    role: &'a str,
    ev: Vec<usize>,
}

#[derive(Serialize)]
struct PageEdge<'a> {
    /// Node positions of the two ends.
    s: usize,
    t: usize,
    /// Number of sentences mentioning both.
    w: u32,
    /// The kept sentences, as positions in the sentence table.
    ev: Vec<usize>,
    /// Number of sentences saying the two met; absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    met: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    meetings: Vec<PageMeeting<'a>>,
}

#[derive(Serialize)]
struct PageMeeting<'a> {
    ev: usize,
    places: &'a [String],
    dates: &'a [String],
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Numbers documents and sentences as they are first seen.
#[derive(Default)]
struct Tables<'a> {
    documents: Vec<&'a str>,
    document_index: HashMap<&'a str, usize>,
    sentences: Vec<(usize, usize, usize, &'a str)>,
    sentence_index: HashMap<(usize, usize, usize), usize>,
}

impl<'a> Tables<'a> {
    fn document(&mut self, id: &'a str) -> usize {
        *self.document_index.entry(id).or_insert_with(|| {
            self.documents.push(id);
            self.documents.len() - 1
        })
    }

    fn sentence(&mut self, e: &'a Evidence) -> usize {
        let doc = self.document(&e.document);
        let key = (doc, e.span.start, e.span.end);
        *self.sentence_index.entry(key).or_insert_with(|| {
            self.sentences
                .push((doc, e.span.start, e.span.end, &e.sentence));
            self.sentences.len() - 1
        })
    }
}

/// Rounds a coordinate to a tenth of a unit: plenty on screen, and a shorter file.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn page_data(graph: &EntityGraph) -> PageData<'_> {
    let g = &graph.graph;
    let springs: Vec<Spring> = g
        .edge_indices()
        .filter_map(|ix| {
            let (a, b) = g.edge_endpoints(ix)?;
            Some(Spring {
                a: a.index(),
                b: b.index(),
                weight: g[ix].weight,
            })
        })
        .collect();
    let positions = layout::layout(
        g.node_count(),
        &springs,
        &LayoutConfig::for_size(g.node_count()),
    );
    let mut tables = Tables::default();
    let nodes = g
        .node_indices()
        .map(|ix| {
            let e = &g[ix];
            let [x, y] = positions[ix.index()];
            PageNode {
                id: &e.id,
                name: &e.name,
                kind: e.kind.as_str(),
                aliases: &e.aliases,
                mentions: e.mentions,
                docs: e.documents.iter().map(|d| tables.document(d)).collect(),
                roles: e
                    .roles
                    .iter()
                    .map(|r| PageRole {
                        role: &r.name,
                        ev: r.evidence.iter().map(|ev| tables.sentence(ev)).collect(),
                    })
                    .collect(),
                x: round(x),
                y: round(y),
            }
        })
        .collect();
    let edges = g
        .edge_indices()
        .filter_map(|ix| {
            let (a, b) = g.edge_endpoints(ix)?;
            let link = &g[ix];
            Some(PageEdge {
                s: a.index(),
                t: b.index(),
                w: link.weight,
                ev: link.evidence.iter().map(|ev| tables.sentence(ev)).collect(),
                met: link.met,
                meetings: link
                    .meetings
                    .iter()
                    .map(|m| PageMeeting {
                        ev: tables.sentence(&m.evidence),
                        places: &m.places,
                        dates: &m.dates,
                    })
                    .collect(),
            })
        })
        .collect();
    PageData {
        title: format!(
            "entigraph: {} entities, {} links, {} documents",
            g.node_count(),
            g.edge_count(),
            graph.documents
        ),
        documents: tables.documents,
        sentences: tables.sentences,
        nodes,
        edges,
    }
}

/// Makes JSON text safe to place inside a `<script>` element: `<`, `>`, `&`, U+2028 and
/// U+2029 become `\u` escapes. JSON has these characters only inside strings, where the
/// escapes mean the same characters.
pub fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Writes the graph as a self-contained interactive HTML page.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let json = serde_json::to_string(&page_data(graph))?;
    let json = script_safe_json(&json);
    // The template's markers are replaced in one pass, so that nothing inserted is searched
    // for further markers.
    let mut rest = TEMPLATE;
    while let Some(at) = rest.find("{{") {
        let Some(len) = rest[at..].find("}}") else {
            break;
        };
        out.write_all(&rest.as_bytes()[..at])?;
        let inserted = match &rest[at + 2..at + len] {
            "STYLE" => STYLE,
            "SCRIPT" => SCRIPT,
            "DATA" => json.as_str(),
            other => {
                return Err(io::Error::other(format!(
                    "the page template has an unknown marker {other}"
                )));
            }
        };
        out.write_all(inserted.as_bytes())?;
        rest = &rest[at + len + 2..];
    }
    out.write_all(rest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphConfig, SentenceEntities};
    use crate::kind::Kind;
    use crate::resolve::Entity;
    use crate::span::Span;

    const NASTY: &str = "Evil </script><script>alert(1)</script> <!-- \"quoted\" 'single' \\ back\nnew line\u{2028}sep\u{2029}para & <b>bold</b> --> ]]>";

    fn entity(id: &str, name: &str) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: Kind::Person,
            aliases: vec![name.into(), "Plain".into()],
            mentions: 2,
            document_count: 1,
            documents: vec!["doc </script>".into()],
            roles: vec![],
        }
    }

    fn graph() -> EntityGraph {
        EntityGraph::build(
            vec![entity("evil", NASTY), entity("plain", "Plain Name")],
            vec![SentenceEntities {
                document: "doc </script>",
                span: Span::new(0, NASTY.len()),
                text: NASTY,
                entities: vec![0, 1],
            }],
            Vec::new(),
            1,
            &GraphConfig::default(),
        )
    }

    fn page() -> String {
        let mut out = Vec::new();
        write(&graph(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The text of the data element, as a browser reads it: up to the first `</script`.
    fn embedded_json(page: &str) -> &str {
        let open = "<script type=\"application/json\" id=\"graph-data\">";
        let start = page.find(open).expect("data element") + open.len();
        let len = page[start..]
            .to_ascii_lowercase()
            .find("</script")
            .expect("closed");
        &page[start..start + len]
    }

    #[test]
    fn a_hostile_name_round_trips_through_the_embedded_json() {
        let page = page();
        let json = embedded_json(&page);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}", "\n"] {
            assert!(!json.contains(bad), "{bad:?} in the embedded JSON");
        }
        let data: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(data["nodes"][0]["name"], NASTY);
        assert_eq!(data["nodes"][0]["aliases"][0], NASTY);
        assert_eq!(data["documents"][0], "doc </script>");
        assert_eq!(data["sentences"][0][3], NASTY);
        assert_eq!(data["edges"][0]["ev"][0], 0);
        // The rest of the page is the template's: exactly the scripts it has.
        assert_eq!(page.matches("<script").count(), 2);
        assert_eq!(page.to_ascii_lowercase().matches("</script").count(), 2);
        assert!(!page.contains("{{"));
    }

    #[test]
    fn the_viewer_cannot_close_its_own_element_and_shows_data_as_text() {
        for bad in ["</script", "<!--", "<script"] {
            assert!(
                !SCRIPT.to_ascii_lowercase().contains(bad),
                "{bad} in viewer.js"
            );
        }
        assert!(!STYLE.to_ascii_lowercase().contains("</style"));
        for risky in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!SCRIPT.contains(risky), "viewer.js uses {risky}");
        }
    }

    #[test]
    fn sentences_are_stored_once_and_positions_are_laid_out() {
        let page = page();
        let data: serde_json::Value = serde_json::from_str(embedded_json(&page)).unwrap();
        assert_eq!(data["sentences"].as_array().unwrap().len(), 1);
        let nodes = data["nodes"].as_array().unwrap();
        let (a, b) = (&nodes[0], &nodes[1]);
        assert!(a["x"].is_f64() && b["y"].is_f64());
        assert_ne!(
            (a["x"].as_f64(), a["y"].as_f64()),
            (b["x"].as_f64(), b["y"].as_f64())
        );
        assert!(data["edges"][0].get("met").is_none());
    }

    #[test]
    fn json_escapes_mean_the_same_text() {
        let s = script_safe_json(r#"{"a":"</script> & <!-- x"}"#);
        assert_eq!(s, r#"{"a":"\u003c/script\u003e \u0026 \u003c!-- x"}"#);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a"], "</script> & <!-- x");
    }
}
