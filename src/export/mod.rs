//! Export: the graph written in the formats users open it with.
//!
//! Each format is a function that writes a whole graph to any [`std::io::Write`], so the
//! formats are interchangeable. Serialization types live here, at the edge, so the core types
//! are free to change.
//!
//! Architecture invariant: only this module knows DOT, JSON and HTML.

pub mod dot;
pub mod html;
pub mod json;
pub mod layout;

use crate::error::{Error, Result};
use crate::graph::EntityGraph;
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
    /// A self-contained interactive HTML page.
    Html,
}

impl Format {
    /// The format a file name's extension names.
    pub fn of_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Some(Format::Dot),
            "json" => Some(Format::Json),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "dot" | "gv" | "graphviz" => Ok(Format::Dot),
            "json" | "node-link" | "networkx" => Ok(Format::Json),
            "html" | "htm" | "page" => Ok(Format::Html),
            _ => Err(Error::usage(format!(
                "unknown output format `{s}` (expected dot, json or html)"
            ))),
        }
    }
}

/// Writes `graph` in `format` to `out`.
pub fn write(graph: &EntityGraph, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Dot => dot::write(graph, out),
        Format::Json => json::write(graph, out),
        Format::Html => html::write(graph, out),
    }
}
