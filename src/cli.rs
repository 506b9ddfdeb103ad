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
    /// Build the entity graph of a set of articles and write it: DOT, JSON, GraphML, GEXF,
    /// Cytoscape, Neo4j CSV, an HTML page, or a picture (SVG, PNG, PDF).
    Build(BuildArgs),
    /// Print the mentions found in each document (one JSON line per document), or write the
    /// partial graph of a shard of articles (`--partial`) for `merge`.
    Extract(ExtractArgs),
    /// Combine partial graphs written by `extract --partial` into the graph of all their
    /// articles, and write it as `build` does (or as one partial, `--partial`).
    Merge(MergeArgs),
    /// Train a tagger model on CoNLL-2003 or IOB2 files, keeping the epoch best on dev.
    Train(TrainArgs),
    /// Measure recognition against a gold CoNLL-2003 or IOB2 file (exact span and type).
    Eval(EvalArgs),
    /// Who met an entity: each person or organization a sentence says it met, with where,
    /// when and the sentences.
    WhoMet(WhoMetArgs),
    /// The entities linked to one entity, heaviest link first, with evidence.
    Neighbors(NeighborsArgs),
    /// The shortest chain of links between two entities, with a sentence for each link.
    Path(PathArgs),
    /// The most central entities.
    Top(TopArgs),
}

/// Where a query's graph comes from, and how it answers.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Articles to build the graph from [default: data].
    #[command(flatten)]
    pub input: InputArgs,
    /// Read a graph JSON written earlier by `entigraph build` instead of articles (`-`: standard
    /// input).
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    pub graph: Option<PathBuf>,
    /// Answer in JSON, for scripts.
    #[arg(long)]
    pub json: bool,
    /// Evidence sentences shown per answer.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub evidence: usize,
}

/// `entigraph who-met`.
#[derive(Debug, Args)]
pub struct WhoMetArgs {
    /// The entity, by any of its names ("Putin", "vladimir putin").
    pub name: String,
    /// Where the graph comes from.
    #[command(flatten)]
    pub query: QueryArgs,
}

/// `entigraph neighbors`.
#[derive(Debug, Args)]
pub struct NeighborsArgs {
    /// The entity, by any of its names.
    pub name: String,
    /// Only neighbours of this type: person, organization or place.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Where the graph comes from.
    #[command(flatten)]
    pub query: QueryArgs,
}

/// `entigraph path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Where the path starts.
    pub from: String,
    /// Where it ends.
    pub to: String,
    /// Where the graph comes from.
    #[command(flatten)]
    pub query: QueryArgs,
}

/// `entigraph top`.
#[derive(Debug, Args)]
pub struct TopArgs {
    /// Rank by degree (distinct neighbours), weight (co-mention sentences) or betweenness.
    #[arg(long, value_name = "MEASURE", default_value = "degree")]
    pub by: String,
    /// Only entities of this type: person, organization or place.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// How many.
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Where the graph comes from.
    #[command(flatten)]
    pub query: QueryArgs,
}

/// `entigraph train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training files (CoNLL-2003 `token POS chunk tag`, or IOB2 `index token tag`).
    #[arg(long = "train", value_name = "FILE", required = true, num_args = 1..)]
    pub train: Vec<PathBuf>,
    /// Development file(s) that choose the number of epochs.
    #[arg(long = "dev", value_name = "FILE", num_args = 1..)]
    pub dev: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// Most epochs of the first pass.
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub epochs: Option<usize>,
    /// Fraction of training documents also added in lower case.
    #[arg(long, value_name = "F", allow_negative_numbers = true, value_parser = fraction)]
    pub lowercase_docs: Option<f64>,
    /// Fraction of training sentences also added in Title Case.
    #[arg(long, value_name = "F", allow_negative_numbers = true, value_parser = fraction)]
    pub title_sentences: Option<f64>,
    /// Fraction of training documents also added with web-style sloppy casing.
    #[arg(long, value_name = "F", allow_negative_numbers = true, value_parser = fraction)]
    pub sloppy_docs: Option<f64>,
    /// Probability of leaving out a token's lower-case word feature at a training step.
    #[arg(long, value_name = "P", allow_negative_numbers = true, value_parser = probability)]
    pub lexical_dropout: Option<f64>,
    /// Added to the score of "outside" in the final pass: above 0, fewer and surer entities.
    #[arg(long, value_name = "B", allow_negative_numbers = true, value_parser = finite)]
    pub outside_bias: Option<f32>,
    /// Seed of shuffling and augmentation.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

/// A fraction of a whole, from 0 to 1.
fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("expected a fraction from 0 to 1, not `{s}`")),
    }
}

/// A probability below 1 (1 would leave the feature out always).
fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..1.0).contains(&p) => Ok(p),
        _ => Err(format!(
            "expected a probability from 0 up to (not including) 1, not `{s}`"
        )),
    }
}

/// A finite number.
fn finite(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(b) if b.is_finite() => Ok(b),
        _ => Err(format!("expected a number, not `{s}`")),
    }
}

/// `entigraph eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold file(s), CoNLL-2003 or IOB2; MISC and other types count as outside.
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub gold: Vec<PathBuf>,
    /// A tagger model file to use instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Measure the tagger alone, without the rules that follow it.
    #[arg(long)]
    pub tagger_only: bool,
    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also print every sentence where the prediction differs from the gold, with both.
    #[arg(long)]
    pub errors: bool,
}

/// Flags shared by the commands that read articles.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for standard input. Reads .txt, .md,
    /// .html/.htm and .jsonl (one article a line, with a `text` field), each possibly
    /// gzip-compressed (.jsonl.gz).
    pub inputs: Vec<PathBuf>,
    /// A tagger model file to use instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Threads that read articles [default: one per core]. The output is the same whatever
    /// the number.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest document, in MB: a bigger text or HTML file, or a longer JSONL line, is reported
    /// and skipped.
    #[arg(long, value_name = "MB", default_value_t = 64)]
    pub max_doc_mb: u64,
    /// Fail, writing nothing, when any input cannot be read (instead of skipping it).
    #[arg(long)]
    pub strict: bool,
    /// No progress bar (there is none anyway when stderr is not a terminal).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// `entigraph build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// What to read [default: data].
    #[command(flatten)]
    pub input: InputArgs,
    /// What to write.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How much evidence to keep.
    #[command(flatten)]
    pub caps: CapArgs,
    /// Keep only documents dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Keep only documents dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// How much evidence a graph keeps, so that it cannot grow without bound.
#[derive(Debug, Args)]
pub struct CapArgs {
    /// Most evidence sentences kept per edge and per role.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub evidence: usize,
    /// Most document ids listed per entity (all are counted).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub document_ids: usize,
}

/// Where a graph is written, and what of it.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output file; may repeat; `-` is standard output (with --format). The format follows
    /// the extension: .dot, .json, .graphml, .gexf, .cyjs (Cytoscape), .html (an interactive
    /// page), .svg/.png/.pdf (drawn by Graphviz) [default: output/graph.dot,
    /// output/graph.json, and output/graph.svg when Graphviz is installed; with --format
    /// alone, output/graph.EXT in that format].
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub outputs: Vec<PathBuf>,
    /// Format of every output, whatever its extension: dot, json, graphml, gexf, cytoscape,
    /// html, svg, png, pdf, or neo4j (the output is then a directory of CSV files).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Graphviz's `dot` (or its directory), when it is not on the PATH.
    #[arg(long, value_name = "PATH")]
    pub graphviz: Option<PathBuf>,
    /// Keep only the N most connected entities.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Keep only links of at least W sentences (and the entities that still have a link).
    #[arg(long, value_name = "W", default_value_t = 1)]
    pub min_weight: u32,
    /// Keep only these types, comma-separated: person,organization,place.
    #[arg(long, value_name = "TYPES")]
    pub types: Option<String>,
    /// Keep only the neighbourhood of this entity (see --depth).
    #[arg(long, value_name = "NAME")]
    pub focus: Option<String>,
    /// With --focus: how many links away from it to keep.
    #[arg(long, value_name = "K", default_value_t = 1, requires = "focus")]
    pub depth: usize,
}

/// `entigraph merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial graphs written by `entigraph extract --partial` (or by `merge --partial`); a
    /// file may hold several, one after the other; `-` reads standard input.
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,
    /// Write the merged partial graph here instead of the graph (a reduce step of its own).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["outputs", "format", "graphviz", "top", "min_weight", "types", "focus"])]
    pub partial: Option<PathBuf>,
    /// What to write.
    #[command(flatten)]
    pub output: OutputArgs,
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
    /// Write the partial graph of these articles to FILE (`.gz` compresses it; `-` is standard
    /// output), for `entigraph merge`, instead of printing mentions.
    #[arg(long, value_name = "FILE")]
    pub partial: Option<PathBuf>,
    /// How much evidence the partial graph keeps.
    #[command(flatten)]
    pub caps: CapArgs,
}
