//! What each subcommand does, in terms of library calls; errors become messages here.

use crate::cli::{BuildArgs, Cli, Command, EvalArgs, ExtractArgs, InputArgs, TrainArgs};
use anyhow::{Context, Result, bail};
use entigraph::export::{self, Format, Image};
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
    let analyses = analyze_all(loaded, &recognizer, input)?;
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
    if input.max_doc_mb == 0 {
        bail!("--max-doc-mb must be at least 1");
    }
    let options = entigraph::LoadOptions {
        max_document_bytes: input.max_doc_mb << 20,
    };
    let loaded = entigraph::load_with(&inputs, &options);
    for w in &loaded.warnings {
        eprintln!("entigraph: warning: {w}");
    }
    for e in &loaded.errors {
        eprintln!("entigraph: skipped: {e}");
    }
    if input.strict && !loaded.errors.is_empty() {
        bail!(
            "{} input(s) could not be read and --strict is set; nothing was written",
            loaded.errors.len()
        );
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

/// Segments and recognizes every document, on `--jobs` threads (all cores by default), with a
/// progress bar on a terminal. The result is in input order whatever the number of threads.
fn analyze_all(loaded: Loaded, recognizer: &Chain, input: &InputArgs) -> Result<Vec<Analysis>> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use rayon::prelude::*;
    use std::io::IsTerminal;
    let bytes: u64 = loaded.documents.iter().map(|d| d.text.len() as u64).sum();
    let show = !input.quiet && std::io::stderr().is_terminal() && loaded.documents.len() > 1;
    let bar = if show {
        let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} documents, {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, {eta} left",
            )
            .expect("valid template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = loaded.documents.len();
    let work = || -> Vec<Analysis> {
        loaded
            .documents
            .into_par_iter()
            .map(|d| {
                let size = d.text.len() as u64;
                let a = pipeline::analyze(d, recognizer);
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                bar.inc(size);
                bar.set_message(format!("{n}/{total}"));
                a
            })
            .collect()
    };
    let analyses = match input.jobs {
        Some(0) => bail!("--jobs must be at least 1"),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .context("could not start the worker threads")?
            .install(work),
        None => work(),
    };
    bar.finish_and_clear();
    Ok(analyses)
}

fn build(args: BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    let forced = args
        .format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()?;
    let explicit_graphviz = args.graphviz.as_deref();
    let mut notes: Vec<String> = Vec::new();
    let outputs: Vec<(PathBuf, Format)> = if args.outputs.is_empty() {
        let mut outputs = vec![
            (PathBuf::from("output/graph.dot"), Format::Dot),
            (PathBuf::from("output/graph.json"), Format::Json),
        ];
        match export::render::find_graphviz(explicit_graphviz) {
            Ok(_) => outputs.push((PathBuf::from("output/graph.svg"), Format::Image(Image::Svg))),
            Err(_) if explicit_graphviz.is_none() => notes.push(
                "Graphviz is not installed, so there is no output/graph.svg (apt-get install graphviz)"
                    .into(),
            ),
            Err(e) => return Err(e.into()),
        }
        outputs
    } else {
        args.outputs
            .iter()
            .map(|p| match forced.or_else(|| Format::of_path(p)) {
                Some(f) => Ok((p.clone(), f)),
                None => bail!(
                    "{}: cannot tell the format from the extension (.dot, .json, .graphml, .gexf, .cyjs, .html, .svg, .png, .pdf); or pass --format",
                    p.display()
                ),
            })
            .collect::<Result<_>>()?
    };
    // Find Graphviz before the long part of the run when a picture is asked for.
    let graphviz = if outputs.iter().any(|(_, f)| matches!(f, Format::Image(_))) {
        Some(export::render::find_graphviz(explicit_graphviz)?)
    } else {
        None
    };
    let prune = prune_options(&args)?;
    let since = parse_date(args.since.as_deref(), "--since")?;
    let until = parse_date(args.until.as_deref(), "--until")?;

    let recognizer = recognizer(&args.input)?;
    let loaded = load(&args.input, true)?;
    let (docs, unreadable) = (loaded.documents.len(), loaded.errors.len());
    let skipped = describe_skipped(&loaded.skipped);
    let mut analyses = analyze_all(loaded, &recognizer, &args.input)?;
    if since.is_some() || until.is_some() {
        let before = analyses.len();
        let mut undated = 0;
        analyses.retain(|a| match pipeline::document_date(a) {
            Some(d) => since.is_none_or(|s| d >= s) && until.is_none_or(|u| d <= u),
            None => {
                undated += 1;
                false
            }
        });
        notes.push(format!(
            "left out {} of {before} document(s) outside the dates asked for ({undated} without a date)",
            before - analyses.len()
        ));
        if analyses.is_empty() {
            bail!(
                "no document falls within --since/--until; documents are dated by a JSONL `date` field, a dateline or a line holding only a date"
            );
        }
    }
    let config = Config {
        graph: entigraph::graph::GraphConfig {
            evidence_cap: args.evidence,
        },
    };
    let mut built = pipeline::build(analyses, &config);
    if !prune.is_empty() {
        let (nodes, edges) = (built.graph.node_count(), built.graph.edge_count());
        built.graph = entigraph::prune::prune(&built.graph, &prune)?;
        notes.push(format!(
            "kept {} of {nodes} entities and {} of {edges} links ({})",
            built.graph.node_count(),
            built.graph.edge_count(),
            describe_prune(&prune)
        ));
    }
    for (path, format) in &outputs {
        write_output(&built.graph, path, *format, graphviz.as_deref())?;
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
    let met = g.graph.edge_weights().filter(|l| l.is_met()).count();
    writeln!(
        err,
        "meetings: {met} pair(s) said to have met (`entigraph who-met NAME`)"
    )?;
    for note in &notes {
        writeln!(err, "{note}")?;
    }
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

/// Writes one output: a file (through a temporary file renamed into place), a picture drawn
/// by Graphviz, or a directory of files.
fn write_output(
    graph: &entigraph::graph::EntityGraph,
    path: &Path,
    format: Format,
    graphviz: Option<&Path>,
) -> Result<()> {
    match format {
        Format::Image(image) => {
            let graphviz = graphviz.context("Graphviz was not looked for")?;
            let picture = export::render::render(graph, image, graphviz)?;
            write_atomically(path, |w| w.write_all(&picture))
        }
        Format::Neo4j => {
            if path.is_file() {
                bail!(
                    "{}: the Neo4j export writes a directory (nodes.csv, relationships.csv); give a directory name",
                    path.display()
                );
            }
            write_atomically(&path.join(export::neo4j::NODES_FILE), |w| {
                export::neo4j::write_nodes(graph, w)
            })?;
            write_atomically(&path.join(export::neo4j::RELATIONSHIPS_FILE), |w| {
                export::neo4j::write_relationships(graph, w)
            })
        }
        _ => write_atomically(path, |w| export::write(graph, format, w)),
    }
}

fn prune_options(args: &BuildArgs) -> Result<entigraph::prune::Prune> {
    let types = match &args.types {
        Some(list) => list
            .split(',')
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().parse::<Kind>().map_err(|e| anyhow::anyhow!(e)))
            .collect::<Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    Ok(entigraph::prune::Prune {
        types,
        min_weight: args.min_weight,
        focus: args.focus.clone(),
        depth: args.depth,
        top: args.top,
    })
}

fn describe_prune(p: &entigraph::prune::Prune) -> String {
    let mut parts = Vec::new();
    if !p.types.is_empty() {
        let types: Vec<&str> = p.types.iter().map(|k| k.as_str()).collect();
        parts.push(format!("--types {}", types.join(",")));
    }
    if p.min_weight > 1 {
        parts.push(format!("--min-weight {}", p.min_weight));
    }
    if let Some(f) = &p.focus {
        parts.push(format!("--focus {f} --depth {}", p.depth));
    }
    if let Some(n) = p.top {
        parts.push(format!("--top {n}"));
    }
    parts.join(" ")
}

fn parse_date(date: Option<&str>, flag: &str) -> Result<Option<chrono::NaiveDate>> {
    date.map(|d| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .with_context(|| format!("{flag} {d}: expected a date as YYYY-MM-DD"))
    })
    .transpose()
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
    let built = pipeline::build(
        analyze_all(loaded, &recognizer, &args.input)?,
        &Config::default(),
    );
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
    let mut builder = tempfile::Builder::new();
    // Outputs are ordinary files, readable by others as the umask allows, not private
    // temporary files.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .tempfile_in(&dir)
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
    if let Some(f) = args.lowercase_docs {
        opts.lowercase_docs = f;
    }
    if let Some(f) = args.title_sentences {
        opts.title_sentences = f;
    }
    if let Some(f) = args.sloppy_docs {
        opts.sloppy_docs = f;
    }
    if let Some(p) = args.lexical_dropout {
        opts.lexical_dropout = p;
    }
    if let Some(s) = args.seed {
        opts.seed = s;
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
