//! Training: structured averaged perceptron, first pass then second (document) pass.
//!
//! The second pass learns from first-pass labels that are as good as they will be on unseen
//! text: the training documents are cut into folds, and each fold is tagged by a first-pass
//! model trained on the other folds (jackknifing). Each pass keeps the epoch whose averaged
//! weights score best on the dev documents. Everything is deterministic for a given seed.

use super::features::{BOS, EOS, WordCache, WordInfo, doc_features, sentence_features};
use super::gazetteer::ListTables;
use super::labels::{Lattice, Moves, NL, Transitions, from_tags, viterbi};
use super::model::{Model, StageWeights};
use crate::conll::{self, ConllError, Doc};
use crate::eval::{self, Report};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// Settings of a training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Most epochs of the first pass.
    pub epochs: usize,
    /// Most epochs of the second pass.
    pub epochs2: usize,
    /// Stop a pass after this many epochs without a better dev score.
    pub patience: usize,
    /// Train the document-level second pass.
    pub second_pass: bool,
    /// Folds for the second pass's jackknifed first-pass labels.
    pub folds: usize,
    /// Ignore features seen fewer times than this in the training data.
    pub min_count: u32,
    /// Zero quantized weights smaller than this (out of 32767) to shrink the model.
    pub prune: i16,
    /// Fraction of training documents also added in lower case (for sloppy web text).
    pub lowercase_docs: f64,
    /// Fraction of training sentences also added, as one-sentence documents, in Title Case
    /// (as headlines are written in news).
    pub title_sentences: f64,
    /// Fraction of training documents also added with the sloppy casing of web text: in each
    /// sentence, names lowercased at random, sometimes the first word or the whole sentence.
    pub sloppy_docs: f64,
    /// Probability of leaving out a token's lower-case word feature at each training step, so
    /// that the weights learn from shape, gazetteers and context rather than from the word.
    pub lexical_dropout: f64,
    /// Added to the score of O in the final pass (see [`Model::set_outside_bias`]): above
    /// zero, fewer and surer entities.
    pub outside_bias: f32,
    /// Seed of the shuffling and of the choice of augmented documents.
    pub seed: u64,
    /// Print a line per epoch on standard error (used by [`train_files`]).
    pub verbose: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 20,
            epochs2: 15,
            patience: 4,
            second_pass: true,
            folds: 5,
            min_count: 2,
            prune: 0,
            lowercase_docs: 0.1,
            title_sentences: 0.25,
            sloppy_docs: 0.0,
            lexical_dropout: 0.0,
            outside_bias: 0.0,
            seed: 0x5eed_1e55,
            verbose: false,
        }
    }
}

/// Progress of training after one epoch.
#[derive(Debug, Clone)]
pub struct EpochReport {
    /// 1 for the first pass, 2 for the second.
    pub pass: u8,
    /// The jackknife fold being trained, if this is a fold model.
    pub fold: Option<usize>,
    /// 1-based epoch.
    pub epoch: usize,
    /// Training sentences tagged wrongly during the epoch.
    pub mistakes: usize,
    /// Overall dev F1 of the averaged weights, when there is dev data and this is not a fold.
    pub dev_f1: Option<f64>,
    /// True when this epoch is the best so far.
    pub best: bool,
    /// Seconds since training started.
    pub seconds: f64,
}

/// What a training run produced, besides the model.
#[derive(Debug, Clone)]
pub struct TrainSummary {
    /// Epochs kept for the first pass.
    pub epochs1: usize,
    /// Epochs kept for the second pass (0 without one).
    pub epochs2: usize,
    /// Dev report of the kept model, if there is dev data.
    pub dev: Option<Report>,
    /// Features with weights.
    pub features: usize,
    /// Size of the written model in bytes.
    pub bytes: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Why [`train_files`] failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A corpus could not be read.
    #[error(transparent)]
    Corpus(#[from] ConllError),
    /// The model could not be written.
    #[error("cannot write model {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// No training sentence.
    #[error("no training sentences")]
    Empty,
}

/// Reads training and dev corpora (CoNLL or UNER IOB2 files), trains, and writes the model to
/// `out_path`. Epochs are chosen on all dev files together (micro-averaged F1); with no dev
/// file every pass runs its full number of epochs.
pub fn train_files<P: AsRef<Path>, Q: AsRef<Path>>(
    train_paths: &[P],
    dev_paths: &[Q],
    out_path: &Path,
    opts: &TrainOptions,
) -> Result<TrainSummary, TrainError> {
    let start = Instant::now();
    let train_docs = conll::read_files(train_paths)?;
    if train_docs.iter().all(|d| d.sentences.is_empty()) {
        return Err(TrainError::Empty);
    }
    let dev_docs = conll::read_files(dev_paths)?;
    let verbose = opts.verbose;
    let mut kept = (0, 0);
    let model = train(&train_docs, &dev_docs, opts, |r| {
        if verbose {
            let fold = r.fold.map(|f| format!(" fold {f}")).unwrap_or_default();
            let dev = r
                .dev_f1
                .map(|f| format!(" dev F1 {f:.4}"))
                .unwrap_or_default();
            eprintln!(
                "pass {}{} epoch {:>2}: {} mistakes{}{} ({:.1}s)",
                r.pass,
                fold,
                r.epoch,
                r.mistakes,
                dev,
                if r.best { " *" } else { "" },
                r.seconds
            );
        }
        if r.best && r.fold.is_none() {
            if r.pass == 1 {
                kept.0 = r.epoch;
            } else {
                kept.1 = r.epoch;
            }
        }
    });
    // the weight sums of the training corpus's words, so that tagging need not sum them
    let model = model.with_vocabulary(
        train_docs
            .iter()
            .flat_map(|d| &d.sentences)
            .flat_map(|s| &s.words)
            .map(String::as_str),
    );
    let bytes = model.to_bytes();
    // through a temporary file beside it, so that a failed write leaves no half a model
    let dir = match out_path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // a model is an ordinary file, readable by others as the umask allows
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder
        .tempfile_in(dir)
        .and_then(|mut tmp| {
            std::io::Write::write_all(&mut tmp, &bytes)?;
            tmp.persist(out_path).map_err(|e| e.error)?;
            Ok(())
        })
        .map_err(|source| TrainError::Write {
            path: out_path.display().to_string(),
            source,
        })?;
    let dev = (!dev_docs.is_empty()).then(|| eval::evaluate_docs(&model, &dev_docs));
    Ok(TrainSummary {
        epochs1: kept.0,
        epochs2: if model.has_second_pass() { kept.1 } else { 0 },
        dev,
        features: model.num_features(),
        bytes: bytes.len(),
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// SplitMix64: a tiny deterministic generator for shuffling.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// One training sentence: feature ids per token and gold labels.
struct Instance {
    feats: Vec<u32>,
    offsets: Vec<u32>,
    gold: Vec<u8>,
    doc: usize,
}

/// Feature hash -> dense id, for features frequent enough.
struct Interner {
    ids: HashMap<u64, u32>,
    keys: Vec<u64>,
}

impl Interner {
    fn build(feats: &[Vec<Vec<Vec<u64>>>], min_count: u32) -> Interner {
        let mut counts: HashMap<u64, u32> = HashMap::new();
        let mut order = Vec::new();
        for d in feats {
            for s in d {
                for t in s {
                    for &h in t {
                        let c = counts.entry(h).or_insert_with(|| {
                            order.push(h);
                            0
                        });
                        *c += 1;
                    }
                }
            }
        }
        let mut ids = HashMap::new();
        let mut keys = Vec::new();
        for h in order {
            if counts[&h] >= min_count {
                ids.insert(h, keys.len() as u32);
                keys.push(h);
            }
        }
        Interner { ids, keys }
    }

    fn instances(&self, feats: &[Vec<Vec<Vec<u64>>>], docs: &[Doc]) -> Vec<Instance> {
        let mut out = Vec::new();
        for (di, (d, fd)) in docs.iter().zip(feats).enumerate() {
            for (s, fs) in d.sentences.iter().zip(fd) {
                let mut inst = Instance {
                    feats: Vec::new(),
                    offsets: vec![0],
                    gold: from_tags(&s.tags),
                    doc: di,
                };
                for t in fs {
                    inst.feats
                        .extend(t.iter().filter_map(|h| self.ids.get(h).copied()));
                    inst.offsets.push(inst.feats.len() as u32);
                }
                out.push(inst);
            }
        }
        out
    }
}

/// Perceptron weights with the running sums needed for averaging.
struct Perceptron {
    w: Vec<i32>,
    u: Vec<i64>,
    t: Vec<i32>,
    tu: Vec<i64>,
    c: i64,
}

const TN: usize = NL * NL + 2 * NL;

impl Perceptron {
    fn new(nfeat: usize) -> Perceptron {
        Perceptron {
            w: vec![0; nfeat * NL],
            u: vec![0; nfeat * NL],
            t: vec![0; TN],
            tu: vec![0; TN],
            c: 1,
        }
    }

    fn transitions(&self) -> Moves {
        Transitions {
            trans: self.t[..NL * NL].to_vec(),
            start: self.t[NL * NL..NL * NL + NL].to_vec(),
            end: self.t[NL * NL + NL..].to_vec(),
        }
        .moves()
    }

    /// One pass over `data` in `order`. Features marked in `dropout.0` are left out of a token
    /// with probability `dropout.1`, drawn from `rng` per token and step.
    fn epoch(
        &mut self,
        data: &[Instance],
        order: &[usize],
        dropout: (&[bool], f64),
        rng: &mut SplitMix,
    ) -> usize {
        let mut mistakes = 0;
        let mut em = Vec::new();
        let mut pred = Vec::new();
        let mut skip: Vec<bool> = Vec::new();
        let mut lat = Lattice::default();
        let mut trans = self.transitions();
        let (droppable, rate) = dropout;
        let kept = |f: u32, skip: bool| !(skip && droppable[f as usize]);
        for &i in order {
            let inst = &data[i];
            let n = inst.gold.len();
            skip.clear();
            skip.extend((0..n).map(|_| rate > 0.0 && rng.unit() < rate));
            em.clear();
            em.resize(n * NL, 0);
            for k in 0..n {
                let row = &mut em[k * NL..(k + 1) * NL];
                for &f in &inst.feats[inst.offsets[k] as usize..inst.offsets[k + 1] as usize] {
                    if !kept(f, skip[k]) {
                        continue;
                    }
                    let w = &self.w[f as usize * NL..(f as usize + 1) * NL];
                    for (a, &b) in row.iter_mut().zip(w) {
                        *a += b;
                    }
                }
            }
            viterbi(&em, &trans, &mut pred, &mut lat);
            if pred != inst.gold {
                mistakes += 1;
                let c = self.c;
                for (k, (&g, &p)) in inst.gold.iter().zip(&pred).enumerate() {
                    let (g, p) = (g as usize, p as usize);
                    if g != p {
                        for &f in
                            &inst.feats[inst.offsets[k] as usize..inst.offsets[k + 1] as usize]
                        {
                            if !kept(f, skip[k]) {
                                continue;
                            }
                            let b = f as usize * NL;
                            self.w[b + g] += 1;
                            self.u[b + g] += c;
                            self.w[b + p] -= 1;
                            self.u[b + p] -= c;
                        }
                    }
                }
                let mut upd = |idx: usize, d: i32| {
                    self.t[idx] += d;
                    self.tu[idx] += d as i64 * c;
                };
                for (seq, d) in [(&inst.gold, 1), (&pred, -1)] {
                    upd(NL * NL + seq[0] as usize, d);
                    upd(NL * NL + NL + seq[n - 1] as usize, d);
                    for k in 1..n {
                        upd(seq[k - 1] as usize * NL + seq[k] as usize, d);
                    }
                }
                trans = self.transitions();
            }
            self.c += 1;
        }
        mistakes
    }

    fn averaged(&self, keys: &[u64]) -> StageWeights {
        let c = self.c as f64;
        let avg = |w: &[i32], u: &[i64]| -> Vec<f64> {
            w.iter()
                .zip(u)
                .map(|(&w, &u)| w as f64 - u as f64 / c)
                .collect()
        };
        let t = avg(&self.t, &self.tu);
        StageWeights {
            keys: keys.to_vec(),
            weights: avg(&self.w, &self.u),
            trans: t[..NL * NL].to_vec(),
            start: t[NL * NL..NL * NL + NL].to_vec(),
            end: t[NL * NL + NL..].to_vec(),
        }
    }
}

/// Word ids and base (first-pass) feature hashes of every token of every document.
type DocIds = Vec<Vec<Vec<usize>>>;
type DocFeats = Vec<Vec<Vec<Vec<u64>>>>;

fn base_features<'a>(docs: &'a [Doc], cache: &mut WordCache<'a>) -> (DocIds, DocFeats) {
    let bos = cache.id(BOS);
    let eos = cache.id(EOS);
    let ids: Vec<Vec<Vec<usize>>> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| s.words.iter().map(|w| cache.id(w)).collect())
                .collect()
        })
        .collect();
    let infos = &cache.infos;
    let lex = ListTables::get().lexicon();
    let feats = ids
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| {
                    let words: Vec<&WordInfo> = s.iter().map(|&i| &infos[i]).collect();
                    sentence_features(&words, &infos[bos], &infos[eos], &lex)
                })
                .collect()
        })
        .collect();
    (ids, feats)
}

/// Runs epochs of one pass, keeping the best averaged weights by `score` (dev F1, or `None`
/// without dev data, in which case the last epoch is kept).
#[allow(clippy::too_many_arguments)]
fn run_pass(
    pass: u8,
    fold: Option<usize>,
    data: &[Instance],
    keys: &[u64],
    dropout: (&[bool], f64),
    epochs: usize,
    patience: usize,
    seed: u64,
    start: &Instant,
    mut score: impl FnMut(&StageWeights) -> Option<f64>,
    on_epoch: &mut dyn FnMut(&EpochReport),
) -> (StageWeights, usize) {
    let mut p = Perceptron::new(keys.len());
    let mut rng = SplitMix(seed ^ (pass as u64) << 32 ^ fold.map_or(0, |f| f as u64 + 1));
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut best: Option<(f64, StageWeights, usize)> = None;
    let mut since = 0;
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        let mistakes = p.epoch(data, &order, dropout, &mut rng);
        let avg = p.averaged(keys);
        let f = score(&avg);
        let better = match (&best, f) {
            (None, _) => true,
            (Some((b, _, _)), Some(f)) => f > *b,
            (Some(_), None) => true,
        };
        on_epoch(&EpochReport {
            pass,
            fold,
            epoch,
            mistakes,
            dev_f1: f,
            best: better,
            seconds: start.elapsed().as_secs_f64(),
        });
        if better {
            best = Some((f.unwrap_or(0.0), avg, epoch));
            since = 0;
        } else {
            since += 1;
            if since >= patience {
                break;
            }
        }
        if mistakes == 0 {
            break;
        }
    }
    match best {
        Some((_, w, e)) => (w, e),
        None => (p.averaged(keys), 0),
    }
}

/// The training documents plus augmented copies, with the index of the original of each.
fn augment(train: &[Doc], opts: &TrainOptions) -> (Vec<Doc>, Vec<usize>) {
    let mut docs = train.to_vec();
    let mut origin: Vec<usize> = (0..train.len()).collect();
    let mut rng = SplitMix(opts.seed ^ 0xa5a5_a5a5);
    for (i, d) in train.iter().enumerate() {
        let pick = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        if pick < opts.lowercase_docs {
            let mut c = d.clone();
            for s in &mut c.sentences {
                for w in &mut s.words {
                    *w = w.to_lowercase();
                }
            }
            docs.push(c);
            origin.push(i);
        }
    }
    for (i, d) in train.iter().enumerate() {
        for s in &d.sentences {
            let pick = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
            if pick < opts.title_sentences && s.words.len() >= 3 {
                let mut c = s.clone();
                for w in &mut c.words {
                    *w = title_case(w);
                }
                docs.push(Doc { sentences: vec![c] });
                origin.push(i);
            }
        }
    }
    let mut rng = SplitMix(opts.seed ^ 0x5107_5107);
    for (i, d) in train.iter().enumerate() {
        if rng.unit() < opts.sloppy_docs {
            let mut c = d.clone();
            for s in &mut c.sentences {
                sloppy(s, &mut rng);
            }
            docs.push(c);
            origin.push(i);
        }
    }
    (docs, origin)
}

/// Writes a sentence as careless web text might: all in lower case (one time in four), or else
/// each name in lower case (one time in two) and the first word in lower case (one time in
/// three).
fn sloppy(s: &mut conll::Sentence, rng: &mut SplitMix) {
    if rng.unit() < 0.25 {
        for w in &mut s.words {
            *w = w.to_lowercase();
        }
        return;
    }
    let mut lower = vec![false; s.words.len()];
    for (r, _) in super::spans(&s.tags) {
        if rng.unit() < 0.5 {
            lower[r].iter_mut().for_each(|l| *l = true);
        }
    }
    if rng.unit() < 1.0 / 3.0
        && let Some(l) = lower.first_mut()
    {
        *l = true;
    }
    for (w, l) in s.words.iter_mut().zip(lower) {
        if l {
            *w = w.to_lowercase();
        }
    }
}

/// Words left in lower case in Title Case headlines.
const SMALL_WORDS: [&str; 16] = [
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs",
    "with",
];

/// A word as it would be written in a Title Case headline: first letter capitalized unless it
/// is a small word; the rest unchanged.
fn title_case(w: &str) -> String {
    if SMALL_WORDS.contains(&w) {
        return w.to_string();
    }
    let mut cs = w.chars();
    match cs.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(cs).collect(),
        _ => w.to_string(),
    }
}

/// Trains a model on `train` documents, choosing epochs on `dev` documents (which may be empty:
/// then every pass runs its full number of epochs). Calls `on_epoch` after every epoch.
pub fn train(
    train: &[Doc],
    dev: &[Doc],
    opts: &TrainOptions,
    mut on_epoch: impl FnMut(&EpochReport),
) -> Model {
    let start = Instant::now();
    let (train, origin) = augment(train, opts);
    let train = &train[..];
    let fold_of = |doc: usize| origin[doc] % opts.folds.max(1);
    let mut cache = WordCache::default();
    let (ids, base) = base_features(train, &mut cache);
    let inter1 = Interner::build(&base, opts.min_count);
    let data1 = inter1.instances(&base, train);
    // the lower-case word features, which lexical dropout may leave out
    let lexical: std::collections::HashSet<u64> = cache.infos.iter().map(|i| i.lower_h).collect();
    let droppable =
        |keys: &[u64]| -> Vec<bool> { keys.iter().map(|k| lexical.contains(k)).collect() };
    let drop1 = droppable(&inter1.keys);
    let dev_f1 = |m: &Model| -> Option<f64> {
        (!dev.is_empty()).then(|| eval::evaluate_docs(m, dev).overall().f1())
    };
    let (s1, e1) = run_pass(
        1,
        None,
        &data1,
        &inter1.keys,
        (&drop1, opts.lexical_dropout),
        opts.epochs,
        opts.patience,
        opts.seed,
        &start,
        |w| dev_f1(&Model::build(w, None, opts.prune)),
        &mut on_epoch,
    );
    let model1 = Model::build(&s1, None, opts.prune);
    if !opts.second_pass || opts.folds < 2 || train.len() < opts.folds {
        return model1;
    }
    // jackknifed first-pass labels of the training documents
    let mut labels: Vec<Vec<Vec<u8>>> = vec![Vec::new(); train.len()];
    for fold in 0..opts.folds {
        let sub: Vec<Instance> = data1
            .iter()
            .filter(|i| fold_of(i.doc) != fold)
            .map(|i| Instance {
                feats: i.feats.clone(),
                offsets: i.offsets.clone(),
                gold: i.gold.clone(),
                doc: i.doc,
            })
            .collect();
        let (w, _) = run_pass(
            1,
            Some(fold),
            &sub,
            &inter1.keys,
            (&drop1, opts.lexical_dropout),
            e1.max(1),
            usize::MAX,
            opts.seed,
            &start,
            |_| None,
            &mut on_epoch,
        );
        let m = Model::build(&w, None, opts.prune);
        for (di, d) in train.iter().enumerate() {
            if fold_of(di) == fold {
                labels[di] = m.first_pass_labels(&d.words());
            }
        }
    }
    let mut feats2 = base;
    for (di, d) in ids.iter().enumerate() {
        let words: Vec<Vec<&WordInfo>> = d
            .iter()
            .map(|s| s.iter().map(|&i| &cache.infos[i]).collect())
            .collect();
        let fd = &mut feats2[di];
        doc_features(&words, &labels[di], |s, i, f| fd[s][i].extend_from_slice(f));
    }
    let inter2 = Interner::build(&feats2, opts.min_count);
    let data2 = inter2.instances(&feats2, train);
    drop(feats2);
    let drop2 = droppable(&inter2.keys);
    let best1 = dev_f1(&model1);
    let (s2, _) = run_pass(
        2,
        None,
        &data2,
        &inter2.keys,
        (&drop2, opts.lexical_dropout),
        opts.epochs2,
        opts.patience,
        opts.seed,
        &start,
        |w| dev_f1(&Model::build(&s1, Some(w), opts.prune)),
        &mut on_epoch,
    );
    let model2 = Model::build(&s1, Some(&s2), opts.prune);
    let mut model = match (best1, dev_f1(&model2)) {
        (Some(a), Some(b)) if a > b => model1,
        _ => model2,
    };
    model.set_outside_bias(opts.outside_bias);
    calibrate(&mut model, dev);
    model
}

/// Chooses the temperature that turns decoding margins into entity scores: the one whose scores
/// best predict (by log loss) whether a dev entity is right.
fn calibrate(model: &mut Model, dev: &[Doc]) {
    if dev.is_empty() {
        return;
    }
    let mut best = (f64::INFINITY, 1.0f32);
    for t in [0.25f32, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0] {
        model.set_temperature(t);
        let mut loss = 0.0;
        let mut n = 0usize;
        for d in dev {
            for (s, ents) in d.sentences.iter().zip(model.entities(&d.words())) {
                let gold = super::spans(&s.tags);
                for e in ents {
                    let right = gold.iter().any(|(r, k)| *r == e.tokens && *k == e.kind);
                    let p = (e.score as f64).clamp(1e-6, 1.0 - 1e-6);
                    loss -= if right { p.ln() } else { (1.0 - p).ln() };
                    n += 1;
                }
            }
        }
        let loss = loss / n.max(1) as f64;
        if loss < best.0 {
            best = (loss, t);
        }
    }
    model.set_temperature(best.1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll;

    fn corpus() -> Vec<Doc> {
        conll::parse(&corpus_text(), "synthetic").expect("parses")
    }

    fn corpus_text() -> String {
        let mut text = String::new();
        let people = ["John Smith", "Mary Jones", "Peter Brown", "Anna White"];
        let places = ["Paris", "Berlin", "Tokyo", "Madrid"];
        let orgs = ["Acme Corp", "Globex Inc", "Initech Ltd", "Hooli Group"];
        for d in 0..6 {
            text.push_str("-DOCSTART- -X- -X- O\n\n");
            for i in 0..4 {
                let p = people[(i + d) % 4];
                let l = places[(i + 2 * d) % 4];
                let o = orgs[(i + 3 * d) % 4];
                for (j, w) in p.split(' ').enumerate() {
                    let t = if j == 0 { "B-PER" } else { "I-PER" };
                    text.push_str(&format!("{w} NNP O {t}\n"));
                }
                text.push_str("joined x x O\n");
                for (j, w) in o.split(' ').enumerate() {
                    let t = if j == 0 { "B-ORG" } else { "I-ORG" };
                    text.push_str(&format!("{w} NNP O {t}\n"));
                }
                text.push_str(&format!("in x x O\n{l} NNP O B-LOC\n. x x O\n\n"));
            }
        }
        text
    }

    #[test]
    fn a_trained_model_file_carries_the_training_words() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (train_path, out) = (dir.path().join("train.txt"), dir.path().join("m.bin"));
        std::fs::write(&train_path, corpus_text()).expect("writes");
        let opts = TrainOptions {
            epochs: 2,
            epochs2: 2,
            folds: 2,
            ..TrainOptions::default()
        };
        train_files(&[&train_path], &[] as &[&Path], &out, &opts).expect("trains");
        let m = Model::load(&out).expect("loads");
        let docs = corpus();
        let doc: Vec<Vec<&str>> = docs.iter().flat_map(|d| d.words()).collect();
        let distinct: std::collections::HashSet<&str> = doc.iter().flatten().copied().collect();
        assert_eq!(m.vocabulary_len(), distinct.len());
        assert_eq!(
            m.tag_document(&doc),
            m.with_vocabulary([]).tag_document(&doc)
        );
    }

    #[test]
    fn trains_deterministically_and_learns() {
        let docs = corpus();
        let opts = TrainOptions {
            epochs: 4,
            epochs2: 3,
            folds: 3,
            ..TrainOptions::default()
        };
        let mut reports = 0;
        let m1 = train(&docs, &docs[..2], &opts, |_| reports += 1);
        assert!(reports > 0);
        let m2 = train(&docs, &docs[..2], &opts, |_| {});
        assert_eq!(m1.to_bytes(), m2.to_bytes());
        let r = eval::evaluate_docs(&m1, &docs);
        assert!(r.overall().f1() > 0.9, "{r}");
        let back = Model::from_bytes(&m1.to_bytes()).expect("round trip");
        assert_eq!(back, m1);
    }

    #[test]
    fn title_case_keeps_small_words() {
        assert_eq!(title_case("of"), "of");
        assert_eq!(title_case("rejects"), "Rejects");
        assert_eq!(title_case("EU"), "EU");
    }
}
