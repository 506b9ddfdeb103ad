//! Command-line flags (clap derive). Nothing else: `main` turns them into library calls.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// entigraph: news articles in, a graph of people, organizations and places out.
#[derive(Debug, Parser)]
#[command(name = "entigraph", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the entity graph of a set of articles and write it as DOT and/or JSON.
    Build(BuildArgs),
    /// Print the mentions found in each document (one JSON line per document).
    Extract(ExtractArgs),
}

/// Flags shared by the commands that read articles.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for standard input. Reads .txt, .md,
    /// .html/.htm and .jsonl (one article a line, with a `text` field).
    pub inputs: Vec<PathBuf>,
    /// A tagger model file to use instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
}

/// `entigraph build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// What to read [default: data].
    #[command(flatten)]
    pub input: InputArgs,
    /// Output file; may repeat. The format follows the extension (.dot, .json)
    /// [default: output/graph.dot and output/graph.json].
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub outputs: Vec<PathBuf>,
    /// Format of every output, whatever its extension: dot or json.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Most evidence sentences kept per edge.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub evidence: usize,
}

/// `entigraph extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format; `jsonl` is the one there is.
    #[arg(long, value_name = "FORMAT", default_value = "jsonl")]
    pub format: String,
}
