//! Export: the graph written in the formats users open it with.
//!
//! Each format is a function that writes a whole graph to any [`std::io::Write`], so the
//! formats are interchangeable. Serialization types live here, at the edge, so the core types
//! are free to change.
//!
//! Architecture invariant: only this module knows the output formats, and `render` is the one
//! place that runs another program (Graphviz).

mod attrs;
pub use attrs::one_line;
pub mod cytoscape;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod layout;
pub mod neo4j;
pub mod render;

use crate::error::{Error, Result};
use crate::graph::EntityGraph;
use crate::kind::Kind;
use std::io::{self, Write};
use std::path::Path;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// networkx node-link JSON.
    Json,
    /// GraphML (networkx, Gephi, Cytoscape desktop).
    GraphMl,
    /// GEXF 1.3 (Gephi, networkx).
    Gexf,
    /// Cytoscape.js elements JSON.
    Cytoscape,
    /// A directory of CSV files for `neo4j-admin database import full`.
    Neo4j,
    /// A self-contained interactive HTML page.
    Html,
    /// A picture rendered by Graphviz.
    Image(Image),
}

/// A picture format Graphviz renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    /// Scalable vector graphics.
    Svg,
    /// A bitmap.
    Png,
    /// A document.
    Pdf,
}

impl Image {
    /// Graphviz's name for the format (`-T`).
    pub fn graphviz_name(self) -> &'static str {
        match self {
            Image::Svg => "svg",
            Image::Png => "png",
            Image::Pdf => "pdf",
        }
    }
}

impl Format {
    /// The format a file name's extension names.
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Some(Format::Dot),
            "json" => Some(Format::Json),
            "graphml" => Some(Format::GraphMl),
            "gexf" => Some(Format::Gexf),
            "cyjs" => Some(Format::Cytoscape),
            "svg" => Some(Format::Image(Image::Svg)),
            "png" => Some(Format::Image(Image::Png)),
            "pdf" => Some(Format::Image(Image::Pdf)),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The name of the default output in this format: `graph.` and the format's extension,
    /// or `neo4j` for the directory of the Neo4j export.
    pub fn default_name(self) -> &'static str {
        match self {
            Format::Dot => "graph.dot",
            Format::Json => "graph.json",
            Format::GraphMl => "graph.graphml",
            Format::Gexf => "graph.gexf",
            Format::Cytoscape => "graph.cyjs",
            Format::Neo4j => "neo4j",
            Format::Html => "graph.html",
            Format::Image(Image::Svg) => "graph.svg",
            Format::Image(Image::Png) => "graph.png",
            Format::Image(Image::Pdf) => "graph.pdf",
        }
    }

    /// True when the output is a directory of files rather than one file.
    pub fn is_directory(self) -> bool {
        self == Format::Neo4j
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "dot" | "gv" | "graphviz" => Ok(Format::Dot),
            "json" | "node-link" | "networkx" => Ok(Format::Json),
            "graphml" => Ok(Format::GraphMl),
            "gexf" | "gephi" => Ok(Format::Gexf),
            "cytoscape" | "cyjs" | "cytoscape.js" => Ok(Format::Cytoscape),
            "neo4j" | "neo4j-csv" => Ok(Format::Neo4j),
            "html" | "htm" | "page" => Ok(Format::Html),
            "svg" => Ok(Format::Image(Image::Svg)),
            "png" => Ok(Format::Image(Image::Png)),
            "pdf" => Ok(Format::Image(Image::Pdf)),
            _ => Err(Error::usage(format!(
                "unknown output format `{s}` (expected dot, json, graphml, gexf, cytoscape, neo4j, html, svg, png or pdf)"
            ))),
        }
    }
}

/// The fill colour of each type, shared by every format that has colours.
pub(crate) fn fill(kind: Kind) -> [u8; 3] {
    match kind {
        Kind::Person => [0xa6, 0xce, 0xe3],
        Kind::Organization => [0xfd, 0xbf, 0x6f],
        Kind::Place => [0xb2, 0xdf, 0x8a],
    }
}

/// [`fill`] as `#rrggbb`.
pub(crate) fn fill_hex(kind: Kind) -> String {
    let [r, g, b] = fill(kind);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// `out` behind a buffer of its own. Writers that make many small writes (a serializer's
/// tokens, XML events, DOT lines) then reach `dyn Write` once per 64 KiB rather than once per
/// piece. Flush it at the end: dropping it would hide a write error.
pub(crate) fn buffered(out: &mut dyn Write) -> io::BufWriter<&mut dyn Write> {
    io::BufWriter::with_capacity(1 << 16, out)
}

/// Writes `graph` in a one-file text `format` to `out`. Pictures go through
/// [`render::render`], Neo4j's two files through [`neo4j`].
pub fn write(graph: &EntityGraph, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Dot => dot::write(graph, out),
        Format::Json => json::write(graph, out),
        Format::GraphMl => graphml::write(graph, out),
        Format::Gexf => gexf::write(graph, out),
        Format::Cytoscape => cytoscape::write(graph, out),
        Format::Html => html::write(graph, out),
        Format::Neo4j | Format::Image(_) => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this format is not one text file",
        )),
    }
}
