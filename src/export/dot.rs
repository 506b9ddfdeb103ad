//! Graphviz DOT: shape and colour by type, edge width by weight, everything quoted.
//!
//! Names come from untrusted text, so every identifier is quoted and every label escaped:
//! an unquoted id with `:` would become a port, and `\N`-style sequences in labels expand.

use crate::graph::EntityGraph;
use crate::kind::Kind;
use std::io::{self, Write};

/// Above this many nodes the layout switches from `neato` to the scalable `sfdp`.
const LARGE_GRAPH: usize = 150;

/// Shape and fill colour of each kind.
fn style(kind: Kind) -> (&'static str, String) {
    let shape = match kind {
        Kind::Person => "ellipse",
        Kind::Organization => "box",
        Kind::Place => "hexagon",
    };
    (shape, super::fill_hex(kind))
}

/// The legend of the three types, as a Graphviz HTML-like label: a colour swatch and the
/// type's name and shape for each.
fn legend() -> String {
    let mut cells = String::new();
    for kind in Kind::ALL {
        let (shape, fill) = style(kind);
        cells.push_str(&format!(
            "<td bgcolor=\"{fill}\" border=\"1\">  </td><td align=\"left\">{kind} ({shape})</td>"
        ));
    }
    cells.push_str("<td><font color=\"#c0392b\">━━</font></td><td align=\"left\">met</td>");
    cells.push_str(
        "<td><font color=\"#888888\">━━</font></td><td align=\"left\">mentioned together</td>",
    );
    format!("<table border=\"0\" cellspacing=\"6\"><tr>{cells}</tr></table>")
}

/// Quotes `s` as a DOT string whose text, when used as a label, shows `s` literally.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // Graphviz copies labels into SVG, which is XML
            c if super::attrs::unprintable(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Line width for a link of `weight` when the heaviest link weighs `max`: 1 to 6 points on a
/// logarithmic scale.
fn pen_width(weight: u32, max: u32) -> f64 {
    if max <= 1 {
        return 1.0;
    }
    let scaled = f64::from(weight.max(1)).ln() / f64::from(max).ln();
    1.0 + 5.0 * scaled
}

/// True when the graph is laid out by `sfdp` rather than `neato`.
pub fn is_large(graph: &EntityGraph) -> bool {
    graph.graph.node_count() > LARGE_GRAPH
}

/// Writes the graph as DOT.
pub fn write(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let mut out = super::buffered(out);
    let g = &graph.graph;
    let large = is_large(graph);
    writeln!(out, "graph entigraph {{")?;
    if large {
        writeln!(
            out,
            "  graph [layout=sfdp, overlap=scale, outputorder=edgesfirst, fontname=\"Helvetica\"];"
        )?;
    } else {
        writeln!(
            out,
            "  graph [layout=neato, overlap=false, sep=\"+8\", outputorder=edgesfirst, fontname=\"Helvetica\"];"
        )?;
    }
    writeln!(out, "  graph [labelloc=b, label=<{}>];", legend())?;
    writeln!(
        out,
        "  node [style=filled, fontname=\"Helvetica\", fontsize=11, color=\"#555555\"];"
    )?;
    writeln!(out, "  edge [color=\"#88888899\"];")?;
    for e in g.node_weights() {
        let (shape, fill) = style(e.kind);
        let mut tooltip = format!("{} ({}): {}", e.name, e.kind, e.aliases.join(", "));
        if !e.roles.is_empty() {
            let roles: Vec<&str> = e.roles.iter().map(|r| r.name.as_str()).collect();
            tooltip.push_str(&format!("; roles: {}", roles.join(", ")));
        }
        writeln!(
            out,
            "  {} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
            quote(&e.id),
            quote(&e.name),
            quote(&tooltip)
        )?;
    }
    let max = g.edge_weights().map(|l| l.weight).max().unwrap_or(1);
    for ix in g.edge_indices() {
        let Some((a, b)) = g.edge_endpoints(ix) else {
            continue;
        };
        let link = &g[ix];
        // A meeting is drawn solid red over the grey co-mentions.
        let (met, tooltip) = if link.is_met() {
            let mut t = format!("met ({} sentence(s))", link.met);
            let places = link.meeting_places();
            if !places.is_empty() {
                t.push_str(&format!(" in {}", places.join(", ")));
            }
            let dates = link.meeting_dates();
            if !dates.is_empty() {
                t.push_str(&format!(" on {}", dates.join(", ")));
            }
            (", color=\"#c0392bcc\", style=bold", t)
        } else {
            ("", format!("{} sentence(s)", link.weight))
        };
        writeln!(
            out,
            "  {} -- {} [weight={}, penwidth={:.2}{met}, tooltip={}];",
            quote(&g[a].id),
            quote(&g[b].id),
            link.weight,
            pen_width(link.weight, max),
            quote(&tooltip)
        )?;
    }
    writeln!(out, "}}")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_names_literal() {
        assert_eq!(quote("a\"b"), r#""a\"b""#);
        assert_eq!(quote(r"C:\N"), r#""C:\\N""#);
        assert_eq!(quote("two\nlines\r"), r#""two\nlines""#);
        assert_eq!(quote("bell\u{7}"), "\"bell \"");
    }

    #[test]
    fn the_legend_names_every_type() {
        let legend = legend();
        for kind in Kind::ALL {
            assert!(legend.contains(&format!(">{kind} (")), "{legend}");
        }
    }

    #[test]
    fn pen_width_is_bounded() {
        assert_eq!(pen_width(1, 1), 1.0);
        assert_eq!(pen_width(1, 100), 1.0);
        assert!((pen_width(100, 100) - 6.0).abs() < 1e-9);
    }
}
