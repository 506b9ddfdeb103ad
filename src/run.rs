//! What each subcommand does, in terms of library calls; errors become messages here.

use crate::cli::{BuildArgs, Cli, Command, EvalArgs, ExtractArgs, InputArgs, TrainArgs};
use anyhow::{Context, Result, bail};
use entigraph::export::{self, Format};
use entigraph::pipeline::{self, Analysis, Config};
use entigraph::recognize::Chain;
use entigraph::{Kind, Loaded};
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a run that did not fail ended.
pub enum Outcome {
    /// Every input was read.
    Clean,
    /// Some inputs were skipped because they could not be read.
    Skipped,
}

/// Runs one subcommand.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Build(args) => build(args),
        Command::Extract(args) => extract(args),
        Command::Train(args) => train(args),
        Command::Eval(args) => eval(args),
        Command::WhoMet(args) => crate::ask::who_met(args),
        Command::Neighbors(args) => crate::ask::neighbors(args),
        Command::Path(args) => crate::ask::path(args),
        Command::Top(args) => crate::ask::top(args),
    }
}

/// Builds the graph of the inputs (or `data/`), for a query; nothing is written.
pub fn build_graph(
    input: &InputArgs,
    evidence_cap: usize,
) -> Result<(entigraph::graph::EntityGraph, Outcome)> {
    let recognizer = recognizer(input)?;
    let loaded = load(input, true)?;
    let outcome = if loaded.errors.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Skipped
    };
    let analyses = analyze_all(loaded, &recognizer);
    let config = Config {
        graph: entigraph::graph::GraphConfig { evidence_cap },
    };
    Ok((pipeline::build(analyses, &config).graph, outcome))
}

/// Loads the inputs (or `data/` when none are given), reporting what could not be read.
fn load(input: &InputArgs, default_data: bool) -> Result<Loaded> {
    let inputs = if input.inputs.is_empty() && default_data {
        let data = PathBuf::from("data");
        if !data.is_dir() {
            bail!(
                "no input given and there is no `data` directory here; pass files or directories, e.g. `entigraph build articles/`"
            );
        }
        vec![data]
    } else if input.inputs.is_empty() {
        bail!("no input given; pass files, directories or `-` for standard input");
    } else {
        input.inputs.clone()
    };
    let loaded = entigraph::load(&inputs);
    for w in &loaded.warnings {
        eprintln!("entigraph: warning: {w}");
    }
    for e in &loaded.errors {
        eprintln!("entigraph: skipped: {e}");
    }
    if loaded.documents.is_empty() {
        bail!(
            "found no readable articles in {} (entigraph reads .txt, .md, .html, .htm and .jsonl)",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(loaded)
}

fn recognizer(input: &InputArgs) -> Result<Chain> {
    entigraph::recognize::standard(input.model.as_deref())
        .with_context(|| "could not load the tagger model")
}

fn analyze_all(loaded: Loaded, recognizer: &Chain) -> Vec<Analysis> {
    loaded
        .documents
        .into_iter()
        .map(|d| pipeline::analyze(d, recognizer))
        .collect()
}

fn build(args: BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    let forced = args
        .format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()?;
    let outputs: Vec<(PathBuf, Format)> = if args.outputs.is_empty() {
        vec![
            (PathBuf::from("output/graph.dot"), Format::Dot),
            (PathBuf::from("output/graph.json"), Format::Json),
        ]
    } else {
        args.outputs
            .iter()
            .map(|p| match forced.or_else(|| Format::of_path(p)) {
                Some(f) => Ok((p.clone(), f)),
                None => bail!(
                    "{}: cannot tell the format from the extension; use .dot, .json or .html, or pass --format",
                    p.display()
                ),
            })
            .collect::<Result<_>>()?
    };
    let recognizer = recognizer(&args.input)?;
    let loaded = load(&args.input, true)?;
    let (docs, unreadable) = (loaded.documents.len(), loaded.errors.len());
    let skipped = describe_skipped(&loaded.skipped);
    let analyses = analyze_all(loaded, &recognizer);
    let config = Config {
        graph: entigraph::graph::GraphConfig {
            evidence_cap: args.evidence,
        },
    };
    let built = pipeline::build(analyses, &config);
    for (path, format) in &outputs {
        write_atomically(path, |w| export::write(&built.graph, *format, w))?;
    }

    let g = &built.graph;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "read {docs} document(s); skipped {skipped} and {unreadable} unreadable"
    )?;
    let counts = g.count_by_kind();
    writeln!(
        err,
        "entities: {} ({})",
        g.node_count(),
        Kind::ALL
            .iter()
            .map(|k| format!("{} {}", counts[k.index()], k))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(err, "edges: {}", g.edge_count())?;
    writeln!(err, "most connected:")?;
    for (rank, node) in g.most_connected(10).into_iter().enumerate() {
        let e = g.entity(node);
        writeln!(
            err,
            "  {:>2}. {} ({}): {} neighbours, {} mentions",
            rank + 1,
            e.name,
            e.kind,
            g.degree(node),
            e.mentions
        )?;
    }
    writeln!(
        err,
        "wrote {} in {:.2}s",
        outputs
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        started.elapsed().as_secs_f64()
    )?;
    Ok(if unreadable > 0 {
        Outcome::Skipped
    } else {
        Outcome::Clean
    })
}

/// "3 file(s) of other types (.lst 2, .bin 1)".
fn describe_skipped(skipped: &[PathBuf]) -> String {
    let mut by_ext: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for p in skipped {
        let ext = p.extension().map_or_else(
            || "no extension".to_owned(),
            |e| format!(".{}", e.to_string_lossy()),
        );
        *by_ext.entry(ext).or_default() += 1;
    }
    let mut s = format!("{} file(s) of other types", skipped.len());
    if !by_ext.is_empty() {
        let parts: Vec<String> = by_ext.iter().map(|(e, n)| format!("{e} {n}")).collect();
        s.push_str(&format!(" ({})", parts.join(", ")));
    }
    s
}

#[derive(Serialize)]
struct ExtractLine<'a> {
    id: &'a str,
    mentions: Vec<ExtractMention<'a>>,
}

#[derive(Serialize)]
struct ExtractMention<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: Kind,
    entity: &'a str,
}

fn extract(args: ExtractArgs) -> Result<Outcome> {
    if args.format != "jsonl" {
        bail!("unknown extract format `{}` (expected jsonl)", args.format);
    }
    let recognizer = recognizer(&args.input)?;
    let loaded = load(&args.input, false)?;
    let unreadable = loaded.errors.len();
    let built = pipeline::build(analyze_all(loaded, &recognizer), &Config::default());
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::new(stdout);
    for (a, assigned) in built.analyses.iter().zip(&built.assignment) {
        let line = ExtractLine {
            id: &a.document.id,
            mentions: a
                .mentions
                .iter()
                .zip(assigned)
                .map(|(m, &e)| ExtractMention {
                    start: m.span.start,
                    end: m.span.end,
                    text: m.span.of(&a.document.text),
                    kind: m.kind,
                    entity: &built.graph.entity_at(e).id,
                })
                .collect(),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if unreadable > 0 {
        Outcome::Skipped
    } else {
        Outcome::Clean
    })
}

/// Writes a file through a temporary file beside it, renamed into place only when complete,
/// so that a failed run leaves the previous file untouched.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("{}: cannot write in this directory", dir.display()))?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        write(&mut w).with_context(|| format!("{}: write failed", path.display()))?;
        w.flush()
            .with_context(|| format!("{}: write failed", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("{}: cannot replace the file", path.display()))?;
    Ok(())
}

fn train(args: TrainArgs) -> Result<Outcome> {
    let mut opts = entigraph::tagger::TrainOptions {
        verbose: true,
        ..Default::default()
    };
    if let Some(e) = args.epochs {
        opts.epochs = e;
    }
    let summary = entigraph::tagger::train_files(&args.train, &args.dev, &args.out, &opts)?;
    eprintln!(
        "kept {} + {} epochs; {} features; wrote {} ({:.1} MB) in {:.0}s",
        summary.epochs1,
        summary.epochs2,
        summary.features,
        args.out.display(),
        summary.bytes as f64 / 1e6,
        summary.seconds
    );
    if let Some(dev) = summary.dev {
        eprintln!("dev:\n{dev}");
    }
    Ok(Outcome::Clean)
}

#[derive(Serialize)]
struct Scores {
    precision: f64,
    recall: f64,
    f1: f64,
    gold: usize,
    predicted: usize,
    correct: usize,
}

impl From<entigraph::eval::Counts> for Scores {
    fn from(c: entigraph::eval::Counts) -> Self {
        Scores {
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
            gold: c.gold,
            predicted: c.predicted,
            correct: c.correct,
        }
    }
}

fn eval(args: EvalArgs) -> Result<Outcome> {
    let recognizer: Box<dyn entigraph::Recognizer> = if args.tagger_only {
        Box::new(entigraph::recognize::learned(args.model.as_deref())?)
    } else {
        Box::new(entigraph::recognize::standard(args.model.as_deref())?)
    };
    let mut report = entigraph::eval::Report::default();
    for path in &args.gold {
        let docs = entigraph::conll::read_file(path)?;
        for doc in &docs {
            let predicted = pipeline::recognize_gold(recognizer.as_ref(), doc);
            let gold = doc.tags();
            report.merge(&entigraph::eval::evaluate(&gold, &predicted));
            if args.errors {
                for ((sentence, g), p) in doc.sentences.iter().zip(&gold).zip(&predicted) {
                    if g != p {
                        println!(
                            "{}",
                            entigraph::eval::describe_errors(&sentence.words, g, p)
                        );
                    }
                }
            }
        }
    }
    if args.json {
        let mut scores = serde_json::Map::new();
        for (kind, label) in Kind::ALL.iter().zip(["PER", "ORG", "LOC"]) {
            scores.insert(
                label.into(),
                serde_json::to_value(Scores::from(report.kind(*kind)))?,
            );
        }
        scores.insert(
            "ALL".into(),
            serde_json::to_value(Scores::from(report.overall()))?,
        );
        println!("{}", serde_json::Value::Object(scores));
    } else {
        print!("{report}");
    }
    Ok(Outcome::Clean)
}
