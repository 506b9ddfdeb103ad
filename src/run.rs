//! What each subcommand does, in terms of library calls; errors become messages here.

use crate::cli::{
    BuildArgs, CapArgs, Cli, Command, EvalArgs, ExtractArgs, InputArgs, MergeArgs, OutputArgs,
    TrainArgs,
};
use crate::write::{Outputs, write_atomically};
use anyhow::{Context, Result, bail};
use entigraph::export::{self, Format, Image};
use entigraph::graph::{EntityGraph, GraphConfig};
use entigraph::load::Item;
use entigraph::partial::Partial;
use entigraph::pipeline::{self, Analysis};
use entigraph::recognize::Chain;
use entigraph::{Document, Kind};
use serde::Serialize;
use std::io::{BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
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
        Command::Merge(args) => merge(args),
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
    let config = GraphConfig {
        evidence_cap,
        ..GraphConfig::default()
    };
    let (partial, streamed) = partial_of(input, true, &config, &DateRange::default())?;
    Ok((partial.finish().0, streamed.outcome()))
}

/// What reading the inputs found.
#[derive(Default)]
struct Streamed {
    /// Documents read.
    documents: usize,
    /// Files or lines that could not be read.
    unreadable: usize,
    /// Files of other types, skipped.
    skipped: Vec<PathBuf>,
}

impl Streamed {
    fn outcome(&self) -> Outcome {
        if self.unreadable > 0 {
            Outcome::Skipped
        } else {
            Outcome::Clean
        }
    }
}

/// Documents handed to the worker threads at a time: enough to keep them busy, few enough
/// that memory holds only a handful of megabytes of text.
const CHUNK_BYTES: usize = 4 << 20;
const CHUNK_DOCUMENTS: usize = 4096;

/// Reads the inputs (or `data/` when none are given and `default_data`) as a stream, handing
/// documents to `work` a chunk at a time, in input order, and reporting what could not be
/// read as it goes. Shows a progress bar on a terminal.
/// The inputs to read: those given, else (when `default_data`) the `data` directory.
fn input_paths(input: &InputArgs, default_data: bool) -> Result<Vec<PathBuf>> {
    Ok(if input.inputs.is_empty() && default_data {
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
    })
}

fn stream_inputs(
    input: &InputArgs,
    default_data: bool,
    mut work: impl FnMut(Vec<Document>) -> Result<()>,
) -> Result<Streamed> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    let inputs = input_paths(input, default_data)?;
    if input.max_doc_mb == 0 {
        bail!("--max-doc-mb must be at least 1");
    }
    let options = entigraph::LoadOptions {
        max_document_bytes: input.max_doc_mb.saturating_mul(1 << 20),
    };
    let bar = if !input.quiet && std::io::stderr().is_terminal() {
        let total = entigraph::load::total_bytes(&inputs);
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let template = if total.is_some() {
            "{spinner} {msg} documents, {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, {eta} left"
        } else {
            "{spinner} {msg} documents, {decimal_bytes} at {decimal_bytes_per_sec}"
        };
        bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut streamed = Streamed::default();
    let mut chunk: Vec<Document> = Vec::new();
    let mut chunk_bytes = 0;
    let mut failed: Option<anyhow::Error> = None;
    let mut done = 0;
    let mut flush = |chunk: &mut Vec<Document>, failed: &mut Option<anyhow::Error>| {
        let bytes: u64 = chunk.iter().map(|d| d.text.len() as u64).sum();
        done += chunk.len();
        bar.set_message(done.to_string());
        if failed.is_none()
            && let Err(e) = work(std::mem::take(chunk))
        {
            *failed = Some(e);
        }
        chunk.clear();
        bar.inc(bytes);
    };
    entigraph::load::stream(&inputs, &options, &mut |item| {
        if failed.is_some() {
            return;
        }
        match item {
            Item::Document(d) => {
                streamed.documents += 1;
                chunk_bytes += d.text.len();
                chunk.push(d);
                if chunk_bytes >= CHUNK_BYTES || chunk.len() >= CHUNK_DOCUMENTS {
                    flush(&mut chunk, &mut failed);
                    chunk_bytes = 0;
                }
            }
            Item::Skipped(p) => streamed.skipped.push(p),
            Item::Warning(w) => bar.suspend(|| eprintln!("entigraph: warning: {w}")),
            Item::Error(e) => {
                streamed.unreadable += 1;
                bar.suspend(|| eprintln!("entigraph: skipped: {e}"));
                if input.strict {
                    failed = Some(anyhow::anyhow!(
                        "an input could not be read and --strict is set; nothing was written"
                    ));
                }
            }
        }
    });
    if failed.is_none() && !chunk.is_empty() {
        flush(&mut chunk, &mut failed);
    }
    bar.finish_and_clear();
    if let Some(e) = failed {
        return Err(e);
    }
    if streamed.documents == 0 {
        bail!(
            "found no readable articles in {} (entigraph reads .txt, .md, .html, .htm and .jsonl)",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(streamed)
}

/// Inputs of less than this many bytes are tagged from the built-in model where it lies in
/// the binary, which starts faster than copying it (see `Model::embedded_in_place`).
const SMALL_INPUT: u64 = 1 << 20;

fn recognizer(input: &InputArgs, default_data: bool) -> Result<Chain> {
    Ok(recognizer_made_by(input, default_data)?.0)
}

/// [`recognizer`], and what a partial graph it makes records as its maker: this program's
/// version and the model's fingerprint.
fn recognizer_made_by(input: &InputArgs, default_data: bool) -> Result<(Chain, String)> {
    if input.model.is_none()
        && let Ok(paths) = input_paths(input, default_data)
        && entigraph::load::total_below(&paths, SMALL_INPUT)
    {
        entigraph::tagger::Model::embedded_in_place();
    }
    let learned = entigraph::recognize::learned(input.model.as_deref())
        .with_context(|| "could not load the tagger model")?;
    let maker = format!(
        "entigraph {}, model {}",
        env!("CARGO_PKG_VERSION"),
        learned.model().fingerprint()
    );
    Ok((entigraph::recognize::standard_with(learned), maker))
}

/// The worker threads: `--jobs` of them, else one per core, this thread among them (it would
/// otherwise wait for them): a run on one core starts no thread, and so does without the
/// fresh memory a thread's first allocations take.
fn pool(input: &InputArgs) -> Result<rayon::ThreadPool> {
    if input.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    let builder = || {
        let b = rayon::ThreadPoolBuilder::new();
        match input.jobs {
            Some(n) => b.num_threads(n),
            None => b,
        }
    };
    // this thread can be in one pool only: a second pool of the same run has its own threads
    builder()
        .use_current_thread()
        .build()
        .or_else(|_| builder().build())
        .context("could not start the worker threads")
}

/// Documents kept by `--since`/`--until`.
#[derive(Default)]
struct DateRange {
    since: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
    /// Documents left out, and how many of them had no date.
    left_out: AtomicUsize,
    undated: AtomicUsize,
}

impl DateRange {
    fn is_set(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// True when the document is kept; counts those left out.
    fn keeps(&self, a: &Analysis) -> bool {
        if !self.is_set() {
            return true;
        }
        let keep = match pipeline::document_date(a) {
            Some(d) => self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u),
            None => {
                self.undated.fetch_add(1, Ordering::Relaxed);
                false
            }
        };
        if !keep {
            self.left_out.fetch_add(1, Ordering::Relaxed);
        }
        keep
    }
}

/// The partial graph of the inputs, documents analysed in parallel and dropped once added.
/// Merging is associative and commutative, so the result does not depend on the threads.
fn partial_of(
    input: &InputArgs,
    default_data: bool,
    config: &GraphConfig,
    dates: &DateRange,
) -> Result<(Partial, Streamed)> {
    use rayon::prelude::*;
    let (recognizer, maker) = recognizer_made_by(input, default_data)?;
    let pool = pool(input)?;
    let mut total = Partial::new(config);
    total.set_made_by(maker);
    let streamed = stream_inputs(input, default_data, |chunk| {
        let part = pool.install(|| {
            chunk
                .into_par_iter()
                .fold(
                    || Partial::new(config),
                    |mut acc, d| {
                        let a = pipeline::analyze(d, &recognizer);
                        if dates.keeps(&a) {
                            acc.merge(Partial::of_document(&a, config).0);
                        }
                        acc
                    },
                )
                .reduce(
                    || Partial::new(config),
                    |mut a, b| {
                        a.merge(b);
                        a
                    },
                )
        });
        total.merge(part);
        Ok(())
    })?;
    Ok((total, streamed))
}

/// The outputs asked for, with their formats, and notes for the summary.
fn outputs(args: &OutputArgs, notes: &mut Vec<String>) -> Result<Vec<(PathBuf, Format)>> {
    let forced = args
        .format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()?;
    let explicit_graphviz = args.graphviz.as_deref();
    let outputs: Vec<(PathBuf, Format)> = if let (true, Some(format)) =
        (args.outputs.is_empty(), forced)
    {
        // `--format` alone: the default output, in that format
        vec![(PathBuf::from("output").join(format.default_name()), format)]
    } else if args.outputs.is_empty() {
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
                None if p.as_os_str() == "-" => bail!(
                    "-o - writes to standard output; say in which format with --format"
                ),
                None => bail!(
                    "{}: cannot tell the format from the extension (.dot, .json, .graphml, .gexf, .cyjs, .html, .svg, .png, .pdf); or pass --format",
                    p.display()
                ),
            })
            .collect::<Result<_>>()?
    };
    let mut seen = std::collections::HashSet::new();
    for (path, format) in &outputs {
        if !seen.insert(path) {
            bail!("{}: given twice as an output", path.display());
        }
        if path.as_os_str() == "-" && format.is_directory() {
            bail!("the Neo4j export is a directory of files; it cannot go to standard output");
        }
        // before the long part of the run, not after it
        crate::write::check(path, format.is_directory())?;
    }
    Ok(outputs)
}

fn build(args: BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    let mut notes: Vec<String> = Vec::new();
    let outputs = outputs(&args.output, &mut notes)?;
    // Find Graphviz before the long part of the run when a picture is asked for.
    let graphviz = find_graphviz_for(&outputs, &args.output)?;
    let prune = prune_options(&args.output)?;
    let dates = DateRange {
        since: parse_date(args.since.as_deref(), "--since")?,
        until: parse_date(args.until.as_deref(), "--until")?,
        ..DateRange::default()
    };
    if let (Some(since), Some(until)) = (dates.since, dates.until)
        && since > until
    {
        bail!("--since {since} is after --until {until}: no day is in between");
    }
    let config = graph_config(&args.caps);
    let (partial, streamed) = partial_of(&args.input, true, &config, &dates)?;
    if dates.is_set() {
        let left_out = dates.left_out.load(Ordering::Relaxed);
        notes.push(format!(
            "left out {left_out} of {} document(s) outside the dates asked for ({} without a date)",
            streamed.documents,
            dates.undated.load(Ordering::Relaxed)
        ));
        if left_out == streamed.documents {
            bail!(
                "no document falls within --since/--until; documents are dated by a JSONL `date` field, a dateline or a line holding only a date"
            );
        }
    }
    let graph = partial.finish().0;
    let summary = Summary {
        read: format!(
            "read {} document(s); skipped {} and {} unreadable",
            streamed.documents,
            describe_skipped(&streamed.skipped),
            streamed.unreadable
        ),
    };
    write_graph(
        graph,
        &outputs,
        graphviz.as_deref(),
        &prune,
        notes,
        &summary,
        started,
    )?;
    Ok(streamed.outcome())
}

fn graph_config(caps: &CapArgs) -> GraphConfig {
    GraphConfig {
        evidence_cap: caps.evidence,
        document_cap: caps.document_ids,
    }
}

fn find_graphviz_for(outputs: &[(PathBuf, Format)], args: &OutputArgs) -> Result<Option<PathBuf>> {
    Ok(
        if outputs.iter().any(|(_, f)| matches!(f, Format::Image(_))) {
            Some(export::render::find_graphviz(args.graphviz.as_deref())?)
        } else {
            None
        },
    )
}

/// The first line of a run's summary.
struct Summary {
    read: String,
}

/// Prunes the graph, writes every output and prints the summary.
fn write_graph(
    mut graph: EntityGraph,
    outputs: &[(PathBuf, Format)],
    graphviz: Option<&Path>,
    prune: &entigraph::prune::Prune,
    mut notes: Vec<String>,
    summary: &Summary,
    started: Instant,
) -> Result<()> {
    if !prune.is_empty() {
        let (nodes, edges) = (graph.node_count(), graph.edge_count());
        graph = entigraph::prune::prune(&graph, prune)?;
        notes.push(format!(
            "kept {} of {nodes} entities and {} of {edges} links ({})",
            graph.node_count(),
            graph.edge_count(),
            describe_prune(prune)
        ));
        if graph.node_count() == 0 && nodes > 0 {
            notes.push(
                "the pruning left nothing: the outputs hold an empty graph (loosen --top, --min-weight, --types or --focus)".into(),
            );
        }
    }
    let mut staged = Outputs::default();
    for (path, format) in outputs {
        write_output(&mut staged, &graph, path, *format, graphviz)?;
    }
    staged.commit()?;
    let g = &graph;
    let mut err = std::io::stderr().lock();
    writeln!(err, "{}", summary.read)?;
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
            export::one_line(&e.name),
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
    Ok(())
}

/// `entigraph merge`: partial graphs in, the graph (or one merged partial) out.
fn merge(args: MergeArgs) -> Result<Outcome> {
    let started = Instant::now();
    let mut notes = Vec::new();
    let outputs = if let Some(out) = &args.partial {
        crate::write::check(out, false)?;
        Vec::new()
    } else {
        outputs(&args.output, &mut notes)?
    };
    let graphviz = find_graphviz_for(&outputs, &args.output)?;
    let prune = prune_options(&args.output)?;
    let mut total: Option<Partial> = None;
    let mut seen = std::collections::HashSet::new();
    for path in &args.partials {
        // standard input is one partial, however many times `-` is given
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !seen.insert(real) {
            eprintln!(
                "entigraph: warning: {}: given more than once; merged once",
                path.display()
            );
            continue;
        }
        let p = read_partial(path)?;
        match &mut total {
            Some(t) => {
                if t.caps() != p.caps() {
                    let ((e1, d1), (e2, d2)) = (t.caps(), p.caps());
                    eprintln!(
                        "entigraph: warning: {}: written with --evidence {e2} --document-ids {d2}, the partials before it with {e1} and {d1}; the merge keeps {} and {}",
                        path.display(),
                        e1.min(e2),
                        d1.min(d2)
                    );
                }
                t.merge(p);
            }
            None => total = Some(p),
        }
    }
    let total = total.context("no partial graph given")?;
    if total.made_by().len() > 1 {
        let makers: Vec<&str> = total.made_by().iter().map(String::as_str).collect();
        eprintln!(
            "entigraph: warning: the partials were made by different programs or models ({}), which can recognize the same names differently; for one graph, make every partial with the same entigraph and --model",
            makers.join("; ")
        );
    }
    if let Some(out) = &args.partial {
        write_partial(&total, out)?;
        eprintln!(
            "merged {} partial graph(s) of {} document(s) into {}",
            seen.len(),
            total.documents(),
            out.display()
        );
        return Ok(Outcome::Clean);
    }
    let summary = Summary {
        read: format!(
            "merged {} partial graph(s) of {} document(s)",
            seen.len(),
            total.documents()
        ),
    };
    let graph = total.finish().0;
    write_graph(
        graph,
        &outputs,
        graphviz.as_deref(),
        &prune,
        notes,
        &summary,
        started,
    )?;
    Ok(Outcome::Clean)
}

/// Reads a partial graph file (`-`: standard input), gzip-compressed when its name ends in
/// `.gz`. A file of several partials, one after the other, gives their merge.
fn read_partial(path: &Path) -> Result<Partial> {
    if path.as_os_str() == "-" {
        return Ok(Partial::read(&mut std::io::stdin().lock(), path)?);
    }
    if path.is_dir() {
        bail!(
            "{}: is a directory; give the partial graph files in it (`{}/*`)",
            path.display(),
            path.display()
        );
    }
    let file = std::fs::File::open(path)
        .with_context(|| format!("{}: could not open the partial graph", path.display()))?;
    let mut reader: Box<dyn Read> = if is_gz(path) {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    Ok(Partial::read(&mut reader, path)?)
}

fn is_gz(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Writes a partial graph atomically, gzip-compressed when its name ends in `.gz`; `-` writes
/// it to standard output, as one line.
fn write_partial(partial: &Partial, path: &Path) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        partial.write(&mut out)?;
        return Ok(out.flush()?);
    }
    write_atomically(path, |w| {
        if is_gz(path) {
            let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::fast());
            partial.write(&mut gz)?;
            gz.finish()?;
            Ok(())
        } else {
            partial.write(w)
        }
    })
}

/// Writes one output to `staged`: a file, a picture drawn by Graphviz, or a directory of
/// files.
fn write_output(
    staged: &mut Outputs,
    graph: &entigraph::graph::EntityGraph,
    path: &Path,
    format: Format,
    graphviz: Option<&Path>,
) -> Result<()> {
    match format {
        Format::Image(image) => {
            let graphviz = graphviz.context("Graphviz was not looked for")?;
            let picture = export::render::render(graph, image, graphviz)?;
            staged.add(path, |w| w.write_all(&picture))
        }
        Format::Neo4j => {
            staged.add(&path.join(export::neo4j::NODES_FILE), |w| {
                export::neo4j::write_nodes(graph, w)
            })?;
            staged.add(&path.join(export::neo4j::RELATIONSHIPS_FILE), |w| {
                export::neo4j::write_relationships(graph, w)
            })
        }
        _ => staged.add(path, |w| export::write(graph, format, w)),
    }
}

fn prune_options(args: &OutputArgs) -> Result<entigraph::prune::Prune> {
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

fn extract(args: ExtractArgs) -> Result<Outcome> {
    use rayon::prelude::*;
    if args.format != "jsonl" {
        bail!("unknown extract format `{}` (expected jsonl)", args.format);
    }
    let config = graph_config(&args.caps);
    if let Some(out) = &args.partial {
        crate::write::check(out, false)?;
        let (partial, streamed) = partial_of(&args.input, false, &config, &DateRange::default())?;
        write_partial(&partial, out)?;
        eprintln!(
            "wrote the partial graph of {} document(s) ({} names) to {}",
            streamed.documents,
            partial.name_count(),
            out.display()
        );
        return Ok(streamed.outcome());
    }
    // Each document's output line is rendered as documents stream by, but for its entity
    // ids, which are known only once every document is read: the lines go to a spool file
    // and the ids are filled in at the end.
    let recognizer = recognizer(&args.input, false)?;
    let pool = pool(&args.input)?;
    let mut total = Partial::new(&config);
    let mut spool = std::io::BufWriter::new(
        tempfile::tempfile().context("could not create a temporary file for the mentions")?,
    );
    let streamed = stream_inputs(&args.input, false, |chunk| {
        let done: Vec<(Partial, PendingLine)> = pool.install(|| {
            chunk
                .into_par_iter()
                .map(|d| {
                    let a = pipeline::analyze(d, &recognizer);
                    let (partial, names) = Partial::names_of_document(&a, &config);
                    (partial, PendingLine::of(&a, &names))
                })
                .collect()
        });
        for (partial, mut line) in done {
            let remap = total.merge(partial);
            for (_, name) in &mut line.ends {
                if *name != NO_NAME {
                    *name = remap[*name as usize];
                }
            }
            line.write(&mut spool)?;
        }
        Ok(())
    })?;
    let (graph, of_name) = total.finish();
    let mut spool = spool.into_inner().map_err(|e| e.into_error())?;
    spool.seek(std::io::SeekFrom::Start(0))?;
    let mut spool = std::io::BufReader::new(spool);
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::new(stdout);
    let mut line = PendingLine::default();
    while line.read(&mut spool)? {
        line.finish(&mut out, |name| {
            of_name[name as usize].map(|e| graph.entity_at(e).id.as_str())
        })?;
    }
    out.flush()?;
    Ok(streamed.outcome())
}

/// The name of a mention that has none.
const NO_NAME: u32 = u32::MAX;

/// A document's line of `extract` output, but for its mentions' entity ids: `bytes` holds
/// `{"id":…,"mentions":[` and each mention's fields up to its closing brace (a comma before
/// all but the first), and `ends` says where each mention's fields end and the name whose
/// entity it belongs to. Rendered in the threads that analyse the documents; only the ids
/// are written at the end.
#[derive(Default)]
struct PendingLine {
    bytes: Vec<u8>,
    ends: Vec<(usize, u32)>,
}

impl PendingLine {
    /// The line of the analysed document `a`, whose mentions have the names `names`.
    fn of(a: &Analysis, names: &[Option<u32>]) -> PendingLine {
        let text = &a.document.text;
        let mut bytes = Vec::with_capacity(64 + a.mentions.len() * 80);
        let mut ends = Vec::with_capacity(a.mentions.len());
        bytes.extend_from_slice(b"{\"id\":");
        json_string(&mut bytes, &a.document.id);
        bytes.extend_from_slice(b",\"mentions\":[");
        for (i, (m, name)) in a.mentions.iter().zip(names).enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            let (start, end) = (m.span.start, m.span.end);
            // writing to a Vec cannot fail
            let _ = write!(bytes, "{{\"start\":{start},\"end\":{end},\"text\":");
            json_string(&mut bytes, m.span.of(text));
            bytes.extend_from_slice(b",\"type\":");
            json_string(&mut bytes, m.kind.as_str());
            ends.push((bytes.len(), name.unwrap_or(NO_NAME)));
        }
        PendingLine { bytes, ends }
    }

    /// Writes the line as a spool record, little-endian: the length of `bytes` and `bytes`,
    /// then the number of mentions and each one's end (u64) and name (u32).
    fn write(&self, w: &mut impl Write) -> std::io::Result<()> {
        w.write_all(&(self.bytes.len() as u64).to_le_bytes())?;
        w.write_all(&self.bytes)?;
        w.write_all(&(self.ends.len() as u64).to_le_bytes())?;
        for &(end, name) in &self.ends {
            w.write_all(&(end as u64).to_le_bytes())?;
            w.write_all(&name.to_le_bytes())?;
        }
        Ok(())
    }

    /// Reads the next record [`PendingLine::write`] wrote into `self`; false at the end.
    fn read(&mut self, r: &mut impl Read) -> std::io::Result<bool> {
        let mut n = [0u8; 8];
        match r.read_exact(&mut n) {
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
            other => other?,
        }
        self.bytes.resize(u64::from_le_bytes(n) as usize, 0);
        r.read_exact(&mut self.bytes)?;
        r.read_exact(&mut n)?;
        self.ends.clear();
        for _ in 0..u64::from_le_bytes(n) {
            let (mut end, mut name) = ([0u8; 8], [0u8; 4]);
            r.read_exact(&mut end)?;
            r.read_exact(&mut name)?;
            self.ends
                .push((u64::from_le_bytes(end) as usize, u32::from_le_bytes(name)));
        }
        Ok(true)
    }

    /// Writes the whole line, each mention with the id of its name's entity, if any.
    fn finish<'e>(
        &self,
        out: &mut impl Write,
        entity: impl Fn(u32) -> Option<&'e str>,
    ) -> std::io::Result<()> {
        let piece = |from: usize, end: usize| {
            self.bytes.get(from..end).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "damaged mention spool")
            })
        };
        let mut from = 0;
        for &(end, name) in &self.ends {
            out.write_all(piece(from, end)?)?;
            if let Some(id) = (name != NO_NAME).then(|| entity(name)).flatten() {
                out.write_all(b",\"entity\":")?;
                serde_json::to_writer(&mut *out, id)?;
            }
            out.write_all(b"}")?;
            from = end;
        }
        out.write_all(piece(from, self.bytes.len())?)?;
        out.write_all(b"]}\n")
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
fn json_string(out: &mut Vec<u8>, s: &str) {
    // serializing a string into a Vec cannot fail
    let _ = serde_json::to_writer(out, s);
}

fn train(args: TrainArgs) -> Result<Outcome> {
    // before minutes of training, not after
    crate::write::check(&args.out, false)?;
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
    if let Some(b) = args.outside_bias {
        opts.outside_bias = b;
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
        let gold_before = report.overall().gold;
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
        if report.overall().gold == gold_before {
            bail!(
                "{}: no person, organization or place in its gold tags (MISC counts as outside), so there is nothing to measure; check that it is a CoNLL-2003 (`token POS chunk tag`) or IOB2 (`index token tag`) file",
                path.display()
            );
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The line as serde would write it.
    #[derive(Serialize)]
    struct Line<'a> {
        id: &'a str,
        mentions: Vec<Mention<'a>>,
    }

    #[derive(Serialize)]
    struct Mention<'a> {
        start: usize,
        end: usize,
        text: &'a str,
        #[serde(rename = "type")]
        kind: Kind,
        #[serde(skip_serializing_if = "Option::is_none")]
        entity: Option<&'a str>,
    }

    /// A spooled line, read back and finished, is what serde_json makes of the same line.
    #[test]
    fn spooled_extract_lines_are_the_json_of_their_mentions() {
        let recognizer = entigraph::recognize::standard(None).unwrap();
        let text =
            "Vladimir Putin met \"Steve\" Witkoff in Moscow.\nTab\there, Zoë \\ Kremlin in Moscow.";
        for (id, text) in [("a \"quoted\" id\u{1}", text), ("empty", "")] {
            let doc = Document {
                id: id.to_owned(),
                text: text.to_owned(),
                meta: Default::default(),
            };
            let a = pipeline::analyze(doc, &recognizer);
            // every other mention without an entity; names stand for themselves
            let names: Vec<Option<u32>> = (0..a.mentions.len() as u32)
                .map(|i| (i % 2 == 0).then_some(i))
                .collect();
            let line = PendingLine::of(&a, &names);
            let mut spool = Vec::new();
            line.write(&mut spool).unwrap();
            line.write(&mut spool).unwrap();
            let mut r = &spool[..];
            let mut back = PendingLine::default();
            let mut out = Vec::new();
            while back.read(&mut r).unwrap() {
                back.finish(&mut out, |n| {
                    (n % 4 == 0).then_some(if n == 0 { "e-\"0\"" } else { "e" })
                })
                .unwrap();
            }
            let mentions: Vec<Mention> = a
                .mentions
                .iter()
                .zip(&names)
                .map(|(m, name)| Mention {
                    start: m.span.start,
                    end: m.span.end,
                    text: m.span.of(&a.document.text),
                    kind: m.kind,
                    entity: match name {
                        Some(0) => Some("e-\"0\""),
                        Some(n) if n % 4 == 0 => Some("e"),
                        _ => None,
                    },
                })
                .collect();
            let expected = serde_json::to_string(&Line { id, mentions }).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("{expected}\n{expected}\n")
            );
            if !text.is_empty() {
                assert!(a.mentions.len() >= 4, "{:?}", a.mentions);
            }
        }
    }
}
