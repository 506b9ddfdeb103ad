//! The trained model: weights and word lists in a file layout that is used in place, and
//! tagging.
//!
//! File layout (little-endian), version 2. A header of 1632 bytes: magic `ENTGTAG2`, checksum
//! of the word lists the model was trained with (u64), number of passes (u8, then three zero
//! bytes), weight scale, score temperature and outside bias (f32), for each of the two passes
//! the transition, start and end scores (i32), then, as u32, the weight table's directory bits
//! and number of features, the number of overflow weights, the word table's directory bits and number of
//! words, the phrase table's directory bits and number of phrases, the vocabulary's directory
//! bits and number of words (both 0: no vocabulary), and zeros up to the end.
//! Then, each section starting at a multiple of 16 bytes:
//! - the weight [`table`] (records of 32 bytes): feature hash -> mask of the labels (first
//!   pass's, then second's) with a non-zero weight, and those weights, i16, in the record when
//!   they are at most 10, else in the overflow weights (see [`weight_record`]);
//! - the overflow weights, i16;
//! - the word and phrase tables of the gazetteers ([`Lexicon`]);
//! - the vocabulary, if any (records of 528 bytes): the hash of a word of the training corpus
//!   -> the sums of the weights of its features, as the token itself and as each neighbour
//!   (`5 * ROW` i32), which tagging would otherwise add up feature by feature the first time
//!   it meets the word (see [`Model::with_vocabulary`]).
//!
//! Nothing is decoded at start-up: the model file (but for the embedded model's vocabulary,
//! read where it lies) is copied once onto huge pages (see [`Blob`]) and used as it is.
//! Weights are the averaged perceptron's, quantized to i16. Files of version 1 (`ENTGTAG1`:
//! varint-coded weights, gazetteers taken from the bundled lists) are converted when loaded.

use super::features::{
    BOS, DocHashes, DocView, EOS, FxMap, Mode, OFFSETS, Stats, WordInfo, doc_majority_shape,
    doc_view, le_upto8, lexical_features, phrase_features, sentence_mode, shape_features,
    shape_key,
};
use super::gazetteer::{Lexicon, ListTables};
use super::labels::{CLASSES, Lattice, Moves, NL, Transitions, margins, to_tag, viterbi};
use super::table::{self, Blob, Table, TableAt, align_up, prefetch};
use super::{Tag, spans};
use crate::kind::Kind;
use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Weights per feature: the first pass's `NL` labels, then the second pass's.
pub(crate) const ROW: usize = 2 * NL;

/// The label bits of a weight mask.
const ROW_MASK: u32 = (1 << ROW) - 1;

/// Where a weight record keeps its number of non-zero weights.
const COUNT_SHIFT: u32 = 27;

/// Bytes of a weight record (key included).
const WEIGHT_REC: usize = 32;

/// Most non-zero weights a record holds itself (9 features in 10 have no more).
const INLINE: usize = 10;

#[inline]
fn le32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_le_bytes(a)
}

/// The value of a weight record: the mask of the labels with a non-zero weight and their
/// number (u32: mask in the low 26 bits, number from bit 27), then those weights (i16) if there
/// are at most [`INLINE`], else the index of the first of them in the overflow weights (u32);
/// zero padding to 24 bytes. Overflow weights are appended to `overflow`.
fn weight_record(row: &[i16; ROW], overflow: &mut Vec<i16>) -> [u8; WEIGHT_REC - 8] {
    let mut v = [0u8; WEIGHT_REC - 8];
    let mut mask = 0u32;
    let nz: Vec<i16> = row.iter().copied().filter(|&w| w != 0).collect();
    for (l, &w) in row.iter().enumerate() {
        if w != 0 {
            mask |= 1 << l;
        }
    }
    v[..4].copy_from_slice(&(mask | (nz.len() as u32) << COUNT_SHIFT).to_le_bytes());
    if nz.len() <= INLINE {
        for (c, w) in v[4..].chunks_exact_mut(2).zip(&nz) {
            c.copy_from_slice(&w.to_le_bytes());
        }
    } else {
        v[4..8].copy_from_slice(&(overflow.len() as u32).to_le_bytes());
        overflow.extend_from_slice(&nz);
    }
    v
}

const MAGIC: &[u8; 8] = b"ENTGTAG2";
const MAGIC_V1: &[u8; 8] = b"ENTGTAG1";

/// Bytes of the header.
const HEADER: usize = 1632;

/// Bytes of the value of a vocabulary record: a word's weight sums, `5 * ROW` i32.
const VOCAB_VAL: usize = 5 * ROW * 4;

/// Why a model could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("cannot read model {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The bytes are not a model of this version.
    #[error("not an entigraph tagger model (bad magic or version)")]
    BadMagic,
    /// The bytes end early or hold impossible values.
    #[error("corrupt model: {0}")]
    Corrupt(&'static str),
    /// A version 1 model was trained with other gazetteers than the ones built in.
    #[error("model was trained with different gazetteers; retrain it")]
    GazetteerMismatch,
}

/// An entity found by the tagger, in token coordinates of its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Token indices within the sentence.
    pub tokens: Range<usize>,
    /// What it names.
    pub kind: Kind,
    /// Confidence in `0.0..=1.0`, from the decoding margin of its least certain token.
    pub score: f32,
}

/// Averaged weights of one pass, as training hands them over.
pub(crate) struct StageWeights {
    /// Feature hashes.
    pub keys: Vec<u64>,
    /// `keys.len() * NL` weights.
    pub weights: Vec<f64>,
    /// Transitions, start and end scores.
    pub trans: Vec<f64>,
    /// Start scores.
    pub start: Vec<f64>,
    /// End scores.
    pub end: Vec<f64>,
}

/// The embedded model file, aligned so that its table records do not straddle cache lines.
#[repr(C, align(64))]
struct Aligned<T: ?Sized>(T);

static EMBEDDED: &Aligned<[u8]> = &Aligned(*include_bytes!("../../data/model.bin"));

/// Set by [`Model::embedded_in_place`].
static IN_PLACE: AtomicBool = AtomicBool::new(false);

/// The header fields of a model.
#[derive(Debug, Clone, PartialEq)]
struct Header {
    checksum: u64,
    stages: u8,
    scale: f32,
    temperature: f32,
    outside_bias: f32,
    raw: [Transitions; 2],
}

/// Sizes of a model's sections, as the header gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sizes {
    features: (u32, usize),
    weights: usize,
    words: (u32, usize),
    phrases: (u32, usize),
    /// `(0, 0)`: no vocabulary.
    vocab: (u32, usize),
}

/// A trained tagger.
///
/// Tagging is thread-safe. Each thread keeps, across documents, what it computed about up to
/// 32,768 distinct words.
pub struct Model {
    /// The whole file.
    blob: Blob,
    /// The part of it before the vocabulary, which tagging reads at every token: the same
    /// bytes, or a copy of them on huge pages while `blob` is the embedded file in place.
    hot: Blob,
    header: Header,
    moves: [Moves; 2],
    features: TableAt,
    weights: Range<usize>,
    words: TableAt,
    phrases: TableAt,
    /// The weight sums of the training corpus's words, if the model carries them.
    vocab: Option<TableAt>,
    derived: OnceLock<Derived>,
    /// Identity for the per-thread caches.
    id: u64,
}

impl Clone for Model {
    /// A model with the same weights (shared, not copied) and empty caches.
    fn clone(&self) -> Model {
        Model {
            blob: self.blob.clone(),
            hot: self.hot.clone(),
            header: self.header.clone(),
            moves: self.moves.clone(),
            features: self.features,
            weights: self.weights.clone(),
            words: self.words,
            phrases: self.phrases,
            vocab: self.vocab,
            derived: OnceLock::new(),
            id: next_id(),
        }
    }
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("passes", &self.header.stages)
            .field("features", &self.features.len)
            .field("scale", &self.header.scale)
            .field("temperature", &self.header.temperature)
            .field("outside_bias", &self.header.outside_bias)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Model {
    fn eq(&self, o: &Model) -> bool {
        self.header == o.header && self.blob[HEADER..] == o.blob[HEADER..]
    }
}

/// Weights of a model, borrowed from its bytes.
#[derive(Clone, Copy)]
struct Weights<'a> {
    table: Table<'a>,
    data: &'a [u8],
}

impl Weights<'_> {
    /// Adds the weights of feature `key` to `acc`.
    #[inline]
    fn add(&self, key: u64, acc: &mut [i32; ROW]) {
        if let Some(v) = self.table.get(key) {
            self.add_value(v, acc);
        }
    }

    /// Adds the weights of a table value (see [`weight_record`]).
    #[inline]
    fn add_value(&self, v: &[u8], acc: &mut [i32; ROW]) {
        let Some(head) = v.get(..4) else {
            return;
        };
        let head = le32(head);
        let mut mask = head & ROW_MASK;
        let n = (head >> COUNT_SHIFT) as usize;
        let ws = if n <= INLINE {
            v.get(4..4 + 2 * n)
        } else {
            let at = v.get(4..8).map_or(usize::MAX, |b| le32(b) as usize);
            at.checked_mul(2)
                .and_then(|at| self.data.get(at..at.checked_add(2 * n)?))
        };
        for w in ws.unwrap_or(&[]).chunks_exact(2) {
            if mask == 0 {
                break;
            }
            let l = mask.trailing_zeros() as usize;
            acc[l] += i16::from_le_bytes([w[0], w[1]]) as i32;
            mask &= mask - 1;
        }
    }

    /// The weights of feature `key`.
    fn row(&self, key: u64) -> [i32; ROW] {
        let mut acc = [0; ROW];
        self.add(key, &mut acc);
        acc
    }

    /// The second-pass half of the weights of feature `key`.
    fn second(&self, key: u64) -> [i32; NL] {
        let r = self.row(key);
        std::array::from_fn(|l| r[NL + l])
    }
}

/// Sums a model computes once, when it first tags: second-pass weights of the document
/// features with few values (see [`DocHashes`]).
struct Derived {
    s1_label: [[i32; NL]; NL],
    s1_prev: [[[i32; NL]; NL]; NL + 1],
    s1_next: [[[i32; NL]; NL + 1]; NL],
    maj: [[i32; NL]; CLASSES],
    first_class: [[i32; NL]; CLASSES],
    has: [[i32; NL]; CLASSES],
    ent_first: [[i32; NL]; CLASSES],
    ent_last: [[i32; NL]; CLASSES],
    reliable: [[[i32; NL]; 4]; CLASSES],
}

impl Derived {
    fn new(w: &Weights) -> Derived {
        let dh = DocHashes::get();
        let each = |hs: &[u64; CLASSES]| std::array::from_fn(|k| w.second(hs[k]));
        Derived {
            s1_label: std::array::from_fn(|l| w.second(dh.s1_label[l])),
            s1_prev: std::array::from_fn(|p| std::array::from_fn(|l| w.second(dh.s1_prev[p][l]))),
            s1_next: std::array::from_fn(|l| std::array::from_fn(|n| w.second(dh.s1_next[l][n]))),
            maj: each(&dh.maj),
            first_class: each(&dh.first_class),
            has: each(&dh.has),
            ent_first: each(&dh.ent_first),
            ent_last: each(&dh.ent_last),
            reliable: std::array::from_fn(|k| std::array::from_fn(|m| w.second(dh.reliable[k][m]))),
        }
    }

    /// Adds the second-pass weights of the document features of `v` (for a word of short shape
    /// `ss_h`) to `e`, but for the one feature of many values (a majority class with the
    /// word's shape), which it returns for the caller to look up.
    #[inline]
    fn add(&self, w: &Weights, v: &DocView, ss_h: u64, e: &mut [i32; NL]) -> Option<u64> {
        let add = |e: &mut [i32; NL], s: &[i32; NL]| {
            for (a, &b) in e.iter_mut().zip(s) {
                *a += b;
            }
        };
        let (l, p, n) = (v.label as usize, v.prev as usize, v.next as usize);
        let in_range = l < NL
            && p <= NL
            && n <= NL
            && v.word.is_none_or(|wv| {
                wv.majority
                    .is_none_or(|(m, fc)| (m as usize) < CLASSES && (fc as usize) < CLASSES)
                    && wv.reliable.is_none_or(|m| (m as usize) < CLASSES)
            });
        if !in_range {
            // labels that decoding cannot give: sum the features one by one
            let mut feats = Vec::new();
            v.features(ss_h, &mut feats);
            for h in feats {
                add(e, &w.second(h));
            }
            return None;
        }
        add(e, &self.s1_label[l]);
        add(e, &self.s1_prev[p][l]);
        add(e, &self.s1_next[l][n]);
        let Some(wv) = &v.word else {
            return None;
        };
        let mut later = None;
        if let Some((m, fc)) = wv.majority {
            add(e, &self.maj[m as usize]);
            later = Some(doc_majority_shape(m as usize, ss_h));
            add(e, &self.first_class[fc as usize]);
        }
        for k in 1..CLASSES {
            if wv.has & (1 << k) != 0 {
                add(e, &self.has[k]);
            }
            if wv.ent_first & (1 << k) != 0 {
                add(e, &self.ent_first[k]);
            }
            if wv.ent_last & (1 << k) != 0 {
                add(e, &self.ent_last[k]);
            }
        }
        if let Some(m) = wv.reliable {
            add(e, &self.reliable[m as usize][wv.mode as usize]);
        }
        later
    }
}

/// Most words whose weight sums a thread keeps between documents (about 700 bytes each).
const WORD_CACHE_SIZE: usize = 32 * 1024;

/// Most memoized sums of shape features a thread keeps between documents.
const MEMO_SIZE: usize = 1 << 16;

/// A word as the model sees it: its infos and the sums of the weights of its features that
/// depend on it alone, as the token itself (`sums[0]`) and as the neighbour at each offset of
/// [`OFFSETS`] (`sums[1 + slot]`).
#[derive(Default)]
struct WordEntry {
    info: WordInfo,
    sums: [[i32; ROW]; 5],
}

impl Model {
    /// The model shipped in `data/model.bin` (embedded in the binary), copied once onto huge
    /// pages (where look-ups miss the processor's address cache less often) unless
    /// [`Model::embedded_in_place`] asked otherwise first.
    ///
    /// Panics if the bundled file is damaged, which the crate's tests rule out.
    pub fn embedded() -> &'static Model {
        static M: OnceLock<Model> = OnceLock::new();
        M.get_or_init(|| {
            let mut m = match Model::parse(Blob::in_place(&EMBEDDED.0)) {
                Ok(m) => m,
                Err(e) => panic!("bundled tagger model is unusable: {e}"),
            };
            if !IN_PLACE.load(Ordering::Relaxed) {
                // the vocabulary is read once per new word, and stays where it is
                let hot = m.vocab.map_or(EMBEDDED.0.len(), |v| v.dir);
                m.hot = Blob::copy_of(&EMBEDDED.0[..hot]);
            }
            m
        })
    }

    /// A short name of this model's weights: the first 16 hex digits of an FNV-1a hash of its
    /// header (its training's checksum of the word lists, passes, scales, transition weights
    /// and section sizes) and of its outside bias. Two models trained apart differ in it;
    /// copies of one model share it.
    pub fn fingerprint(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let bias = self.header.outside_bias.to_le_bytes();
        for &b in self.blob[..HEADER.min(self.blob.len())].iter().chain(&bias) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    /// Makes [`Model::embedded`] read the model where it lies in the binary instead of copying
    /// it: start-up is 1.5 to 2 ms shorter, which is what a run over little text (under a
    /// megabyte or so) gains; longer runs tag faster from the copy. Takes effect only before
    /// the first call of [`Model::embedded`] (anywhere in the process).
    pub fn embedded_in_place() {
        IN_PLACE.store(true, Ordering::Relaxed);
    }

    /// Reads a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        if bytes.starts_with(MAGIC_V1) {
            return Model::from_v1(&bytes);
        }
        Model::parse(Blob::copy_of(&bytes))
    }

    /// Number of features with weights.
    pub fn num_features(&self) -> usize {
        self.features.len
    }

    /// True when the model has the document-level second pass.
    pub fn has_second_pass(&self) -> bool {
        self.header.stages == 2
    }

    fn weights(&self) -> Weights<'_> {
        Weights {
            table: self.features.view(&self.hot),
            data: self.hot.get(self.weights.clone()).unwrap_or(&[]),
        }
    }

    pub(crate) fn lexicon(&self) -> Lexicon<'_> {
        Lexicon::new(self.words.view(&self.hot), self.phrases.view(&self.hot))
    }

    fn derived(&self) -> &Derived {
        self.derived.get_or_init(|| Derived::new(&self.weights()))
    }

    /// Quantizes averaged weights into a model. `prune` zeroes weights whose quantized magnitude
    /// is below it; features left without weight are dropped.
    pub(crate) fn build(s1: &StageWeights, s2: Option<&StageWeights>, prune: i16) -> Model {
        let mut max = 0f64;
        for s in std::iter::once(s1).chain(s2) {
            for &w in &s.weights {
                max = max.max(w.abs());
            }
        }
        let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
        let q = |w: f64| -> i16 {
            let v = (w * scale).round().clamp(-32767.0, 32767.0) as i16;
            if v.abs() < prune { 0 } else { v }
        };
        let mut all: Vec<(u64, [i16; ROW])> = Vec::new();
        let mut seen = std::collections::HashMap::new();
        for (si, s) in std::iter::once(s1).chain(s2).enumerate() {
            for (i, &k) in s.keys.iter().enumerate() {
                let ws = &s.weights[i * NL..(i + 1) * NL];
                if ws.iter().all(|&w| q(w) == 0) {
                    continue;
                }
                let idx = *seen.entry(k).or_insert_with(|| {
                    all.push((k, [0; ROW]));
                    all.len() - 1
                });
                for (l, &w) in ws.iter().enumerate() {
                    all[idx].1[si * NL + l] = q(w);
                }
            }
        }
        all.sort_unstable_by_key(|e| e.0);
        let tr = |s: &StageWeights| -> Transitions {
            let r = |v: &[f64]| -> Vec<i32> {
                v.iter()
                    .map(|&w| (w * scale).round().clamp(-1e9, 1e9) as i32)
                    .collect()
            };
            Transitions {
                trans: r(&s.trans),
                start: r(&s.start),
                end: r(&s.end),
            }
        };
        let header = Header {
            checksum: ListTables::get().checksum,
            stages: if s2.is_some() { 2 } else { 1 },
            scale: scale as f32,
            temperature: 1.0,
            outside_bias: 0.0,
            raw: [tr(s1), s2.map(tr).unwrap_or_else(Transitions::zero)],
        };
        Model::from_rows(header, &all)
    }

    /// A model of `header` with the weights `rows` (sorted by feature hash, hashes distinct)
    /// and the bundled word lists.
    fn from_rows(header: Header, rows: &[(u64, [i16; ROW])]) -> Model {
        let keys: Vec<u64> = rows.iter().map(|r| r.0).collect();
        let mut vals = Vec::with_capacity(rows.len() * (WEIGHT_REC - 8));
        let mut overflow: Vec<i16> = Vec::new();
        for (_, row) in rows {
            vals.extend_from_slice(&weight_record(row, &mut overflow));
        }
        let lists = ListTables::get();
        let bytes = encode(
            &header,
            (&keys, &vals),
            &overflow,
            &lists.words,
            &lists.phrases,
        );
        match Model::parse(Blob::copy_of(&bytes)) {
            Ok(m) => m,
            Err(e) => unreachable!("a freshly encoded model parses: {e}"),
        }
    }

    /// This model carrying the weight sums of `words` (a training corpus's tokens), which
    /// tagging then reads instead of summing the weights of each new word's features: the
    /// same sums, at the price of their bytes (`5 * ROW` i32 a word). Replaces any
    /// vocabulary the model had; no words, no vocabulary.
    pub(crate) fn with_vocabulary<'w>(&self, words: impl IntoIterator<Item = &'w str>) -> Model {
        let mut recs: Vec<(u64, &str)> = words
            .into_iter()
            .map(|w| (WordInfo::vocabulary_key(w), w))
            .collect();
        recs.sort_unstable();
        recs.dedup_by_key(|r| r.0);
        let (weights, lex) = (self.weights(), self.lexicon());
        let words: Vec<&str> = recs.iter().map(|r| r.1).collect();
        let mut entries: Vec<WordEntry> = words.iter().map(|_| WordEntry::default()).collect();
        let (mut scratch, mut keys) = (Vec::new(), Vec::new());
        self.computed_entries(
            &words,
            &weights,
            &lex,
            &mut scratch,
            &mut keys,
            &mut entries,
        );
        let mut vals = Vec::with_capacity(recs.len() * VOCAB_VAL);
        for e in &entries {
            for x in e.sums.as_flattened() {
                vals.extend_from_slice(&x.to_le_bytes());
            }
        }
        let keys: Vec<u64> = recs.iter().map(|r| r.0).collect();
        let mut sizes = self.sizes();
        sizes.vocab = match keys.len() {
            0 => (0, 0),
            n => (table::bits_for(n), n),
        };
        let mut out = Vec::with_capacity(self.blob.len() + vals.len() + keys.len() * 16);
        write_header(&mut out, &self.header, &sizes);
        let before = self.vocab.map_or(self.blob.len(), |v| v.dir);
        out.extend_from_slice(&self.blob[HEADER..before]);
        if !keys.is_empty() {
            table::write(&mut out, 8 + VOCAB_VAL, &keys, &vals);
        }
        match Model::parse(Blob::copy_of(&out)) {
            Ok(m) => m,
            Err(e) => unreachable!("a freshly encoded model parses: {e}"),
        }
    }

    /// Number of words whose weight sums the model carries (for a model `train` wrote: the
    /// distinct tokens of its training corpus).
    pub fn vocabulary_len(&self) -> usize {
        self.vocab.map_or(0, |v| v.len)
    }

    /// Sets the temperature that turns decoding margins into scores.
    pub(crate) fn set_temperature(&mut self, t: f32) {
        self.header.temperature = t;
    }

    /// Adds `bias` (in units of averaged weights) to the score of O in the final pass: above
    /// zero the tagger proposes fewer, surer entities.
    pub fn set_outside_bias(&mut self, bias: f32) {
        self.header.outside_bias = bias;
    }

    /// The bias added to O in the final pass (see [`Model::set_outside_bias`]).
    pub fn outside_bias(&self) -> f32 {
        self.header.outside_bias
    }

    /// Encodes the model (deterministically: same model, same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.blob.len());
        write_header(&mut out, &self.header, &self.sizes());
        out.extend_from_slice(&self.blob[HEADER..]);
        out
    }

    fn sizes(&self) -> Sizes {
        Sizes {
            features: (self.features.bits, self.features.len),
            weights: self.weights.len() / 2,
            words: (self.words.bits, self.words.len),
            phrases: (self.phrases.bits, self.phrases.len),
            vocab: self.vocab.map_or((0, 0), |v| (v.bits, v.len)),
        }
    }

    /// Decodes a model written by [`Model::to_bytes`] (or a version 1 file).
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.starts_with(MAGIC_V1) {
            return Model::from_v1(bytes);
        }
        Model::parse(Blob::copy_of(bytes))
    }

    /// A model using `blob` in place: reads the header and checks that the sections fit.
    fn parse(blob: Blob) -> Result<Model, ModelError> {
        let (header, sizes) = read_header(&blob)?;
        let bad = || ModelError::Corrupt("section sizes");
        let (features, end) =
            TableAt::place(HEADER, WEIGHT_REC, sizes.features.0, sizes.features.1)
                .ok_or_else(bad)?;
        let weights = end..end.checked_add(sizes.weights * 2).ok_or_else(bad)?;
        let (words, end) =
            TableAt::place(weights.end, 16, sizes.words.0, sizes.words.1).ok_or_else(bad)?;
        let (phrases, end) =
            TableAt::place(end, 16, sizes.phrases.0, sizes.phrases.1).ok_or_else(bad)?;
        let (vocab, end) = match sizes.vocab {
            (0, 0) => (None, end),
            (bits, len) => {
                let (v, end) = TableAt::place(end, 8 + VOCAB_VAL, bits, len).ok_or_else(bad)?;
                (Some(v), end)
            }
        };
        if end != blob.len() {
            return Err(ModelError::Corrupt(if end > blob.len() {
                "unexpected end"
            } else {
                "trailing bytes"
            }));
        }
        let moves = [header.raw[0].moves(), header.raw[1].moves()];
        Ok(Model {
            hot: blob.clone(),
            blob,
            header,
            moves,
            features,
            weights,
            words,
            phrases,
            vocab,
            derived: OnceLock::new(),
            id: next_id(),
        })
    }

    /// Converts a version 1 file: delta-coded feature hashes and varint weights, trained with
    /// the bundled word lists.
    fn from_v1(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { b: bytes, p: 0 };
        if r.take(8)? != MAGIC_V1 {
            return Err(ModelError::BadMagic);
        }
        let checksum = r.u64()?;
        if checksum != ListTables::get().checksum {
            return Err(ModelError::GazetteerMismatch);
        }
        let stages = r.take(1)?[0];
        if !(1..=2).contains(&stages) {
            return Err(ModelError::Corrupt("number of passes"));
        }
        let scale = r.f32()?;
        let temperature = r.f32()?;
        let outside_bias = r.f32()?;
        let raw = [r.transitions()?, r.transitions()?];
        let n = r.u32()? as usize;
        if n > bytes.len() {
            return Err(ModelError::Corrupt("feature count"));
        }
        let mut rows: Vec<(u64, [i16; ROW])> = Vec::with_capacity(n);
        let mut last = 0u64;
        for _ in 0..n {
            let d = r.varint()?;
            last = last
                .checked_add(d)
                .ok_or(ModelError::Corrupt("feature hash"))?;
            if d == 0 && !rows.is_empty() {
                return Err(ModelError::Corrupt("feature hash"));
            }
            rows.push((last, [0; ROW]));
        }
        for (_, row) in &mut rows {
            let mask = r.varint()?;
            if mask >> ROW != 0 {
                return Err(ModelError::Corrupt("weight mask"));
            }
            for (i, w) in row.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    let z = r.varint()?;
                    let v = ((z >> 1) as i64) ^ -((z & 1) as i64);
                    *w = i16::try_from(v).map_err(|_| ModelError::Corrupt("weight"))?;
                }
            }
        }
        if r.p != bytes.len() {
            return Err(ModelError::Corrupt("trailing bytes"));
        }
        let header = Header {
            checksum,
            stages,
            scale,
            temperature,
            outside_bias,
            raw,
        };
        Ok(Model::from_rows(header, &rows))
    }

    /// Tags a document given as sentences of tokens. Sentences should be in document order:
    /// the second pass looks at the whole document.
    pub fn tag_document<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<Tag>> {
        self.run(sentences, self.header.stages, false, |sc| {
            sc.starts
                .windows(2)
                .map(|se| sc.labels[se[0]..se[1]].iter().map(|&l| to_tag(l)).collect())
                .collect()
        })
    }

    /// Entities of each sentence of a document, with scores.
    pub fn entities<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<Entity>> {
        let mut out: Vec<Vec<Entity>> = sentences.iter().map(|_| Vec::new()).collect();
        let (words, bounds) = flatten(sentences);
        self.entities_in(&words, &bounds, |s, e| out[s].push(e));
        out
    }

    /// Entities of a document given as all its tokens, `words`, and the boundaries of its
    /// sentences: sentence `s` is `words[bounds[s]..bounds[s + 1]]` (`bounds` starts at 0,
    /// ascends and ends at `words.len()`). Calls `found(s, entity)` for each entity, sentence
    /// by sentence, in order; the same entities as [`Model::entities`].
    pub fn entities_in<S: AsRef<str>>(
        &self,
        words: &[S],
        bounds: &[usize],
        mut found: impl FnMut(usize, Entity),
    ) {
        let t = (self.header.scale * self.header.temperature).max(1e-9);
        self.run_flat(words, bounds, self.header.stages, true, |sc| {
            let mut tags = Vec::new();
            for (s, se) in sc.starts.windows(2).enumerate() {
                let ms = &sc.margins[se[0]..se[1]];
                tags.clear();
                tags.extend(sc.labels[se[0]..se[1]].iter().map(|&l| to_tag(l)));
                for (r, kind) in spans(&tags) {
                    let m = ms[r.clone()].iter().copied().min().unwrap_or(0) as f32;
                    let score = 1.0 / (1.0 + (-m / t).exp());
                    found(
                        s,
                        Entity {
                            tokens: r,
                            kind,
                            score,
                        },
                    );
                }
            }
        })
    }

    /// First-pass labels only (for training the second pass).
    pub(crate) fn first_pass_labels<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<u8>> {
        self.run(sentences, 1, false, |sc| {
            sc.starts
                .windows(2)
                .map(|se| sc.labels[se[0]..se[1]].to_vec())
                .collect()
        })
    }

    /// What the model knows about one word: its infos and the sums of the weights of its own
    /// features and of its features seen from each neighbour slot, read from the model's
    /// vocabulary if the word is there, else computed.
    fn word_entry(
        &self,
        w: &str,
        weights: &Weights,
        lex: &Lexicon,
        scratch: &mut Vec<u64>,
    ) -> WordEntry {
        let known = self
            .vocab
            .and_then(|v| v.view(&self.blob).get(WordInfo::vocabulary_key(w)));
        known
            .and_then(|r| Model::vocabulary_entry(w, r, lex))
            .unwrap_or_else(|| self.computed_entry(w, weights, lex, scratch))
    }

    /// [`Model::word_entry`] of a word from its vocabulary record `r`; `None` if the record is
    /// not one.
    fn vocabulary_entry(w: &str, r: &[u8], lex: &Lexicon) -> Option<WordEntry> {
        if r.len() != VOCAB_VAL {
            return None;
        }
        let mut sums = [[0i32; ROW]; 5];
        read_sums(r, &mut sums);
        Some(WordEntry {
            info: WordInfo::without_features(w, lex),
            sums,
        })
    }

    /// [`Model::word_entry`], computed from the weights.
    fn computed_entry(
        &self,
        w: &str,
        weights: &Weights,
        lex: &Lexicon,
        scratch: &mut Vec<u64>,
    ) -> WordEntry {
        let mut out = vec![WordEntry::default()];
        self.computed_entries(&[w], weights, lex, scratch, &mut Vec::new(), &mut out);
        out.pop().unwrap_or_default()
    }

    /// [`Model::computed_entry`] of each of `words`, put in `sink` (whose sums start at zero).
    /// The weights of the features of several words are looked up in one batch, so that more
    /// of their cache misses overlap.
    fn computed_entries(
        &self,
        words: &[&str],
        weights: &Weights,
        lex: &Lexicon,
        scratch: &mut Vec<u64>,
        keys: &mut Vec<u64>,
        sink: &mut impl EntrySink,
    ) {
        /// Words a batch: some 400 look-ups.
        const BATCH: usize = 16;
        let mut infos: smallvec::SmallVec<[WordInfo; BATCH]> = smallvec::SmallVec::new();
        for (b, batch) in words.chunks(BATCH).enumerate() {
            keys.clear();
            infos.clear();
            let mut owner: smallvec::SmallVec<[(u8, u8); 512]> = smallvec::SmallVec::new();
            for (k, w) in batch.iter().enumerate() {
                let info = WordInfo::new(w, lex);
                keys.extend_from_slice(info.features());
                owner.extend((0..info.features().len()).map(|i| (k as u8, info.group(i) as u8)));
                infos.push(info);
            }
            weights.table.get_many(keys, scratch, |j, v| {
                let (k, g) = owner[j];
                weights.add_value(v, &mut sink.sums(b * BATCH + k as usize)[g as usize]);
            });
            for (k, mut info) in infos.drain(..).enumerate() {
                info.drop_features();
                sink.info(b * BATCH + k, info);
            }
        }
    }

    /// Tags with `stages` passes, then hands the labels (and, if asked, the margins of entity
    /// tokens) of all tokens, with the sentence boundaries, to `out` (see [`Scratch`]).
    fn run<S: AsRef<str>, R>(
        &self,
        sentences: &[Vec<S>],
        stages: u8,
        want_margins: bool,
        out: impl FnOnce(&Scratch) -> R,
    ) -> R {
        let (words, bounds) = flatten(sentences);
        self.run_flat(&words, &bounds, stages, want_margins, out)
    }

    /// [`Model::run`] on a document given as in [`Model::entities_in`].
    fn run_flat<S: AsRef<str>, R>(
        &self,
        words: &[S],
        bounds: &[usize],
        stages: u8,
        want_margins: bool,
        out: impl FnOnce(&Scratch) -> R,
    ) -> R {
        SCRATCH.with(|cell| {
            let mut guard;
            let mut own;
            let sc: &mut Scratch = match cell.try_borrow_mut() {
                Ok(g) => {
                    guard = g;
                    &mut guard
                }
                Err(_) => {
                    own = Scratch::default();
                    &mut own
                }
            };
            self.run_with(sc, words, bounds, stages, want_margins);
            out(sc)
        })
    }

    /// [`Model::run`] with the buffers and caches of `sc`.
    fn run_with<S: AsRef<str>>(
        &self,
        sc: &mut Scratch,
        tokens: &[S],
        bounds: &[usize],
        stages: u8,
        want_margins: bool,
    ) {
        let stages = stages.min(self.header.stages);
        let weights = self.weights();
        let lex = self.lexicon();
        if sc.model != self.id || sc.entries.len() > WORD_CACHE_SIZE {
            sc.words.clear();
            sc.entries.clear();
            sc.lowers.clear();
            sc.memo.clear();
            // the cache grows with the words met: room for a full one reserved at once was
            // memory the kernel had to zero on every run, a tenth of a short one's time
            for w in [BOS, EOS] {
                let e = self.word_entry(w, &weights, &lex, &mut sc.probe);
                *sc.entries.push(e.info) = e.sums;
            }
            sc.model = self.id;
        }
        if sc.memo.len() > MEMO_SIZE {
            sc.memo.clear();
        }
        let Scratch {
            words: cache,
            entries,
            lowers,
            memo,
            feats,
            em,
            flat1,
            em1,
            lat,
            ids,
            fresh,
            fresh_keys,
            probe,
            lex_keys,
            lex_tok,
            starts,
            stats,
            touched,
            maj_keys,
            maj_tok,
            lab1,
            labels,
            margins: margins_out,
            modes,
            path,
            ..
        } = sc;
        let (bos, eos) = (0u32, 1u32);
        // the cache entry of every token: first the words already cached, in a loop that does
        // nothing else, so that the processor overlaps their look-ups, then the new words
        const NEW: u32 = u32::MAX;
        ids.clear();
        starts.clear();
        starts.push(0);
        for se in bounds.windows(2) {
            ids.extend(tokens[se[0]..se[1]].iter().map(|w| {
                let id = cache.get(w.as_ref()).unwrap_or(NEW);
                if let Some(info) = entries.infos.get(id as usize) {
                    prefetch(info);
                }
                id
            }));
            starts.push(ids.len());
        }
        // the new words, each once, get their ids in order of first occurrence; those of
        // the vocabulary are looked up in one batch, so that its cache misses overlap
        let first = bounds.first().copied().unwrap_or(0);
        fresh.clear();
        for (t, id) in ids.iter_mut().enumerate() {
            if *id != NEW {
                continue;
            }
            let w = tokens[first + t].as_ref();
            *id = cache.get(w).unwrap_or_else(|| {
                let id = (entries.len() + fresh.len()) as u32;
                cache.insert(w, id);
                fresh.push(t as u32);
                id
            });
        }
        if !fresh.is_empty() {
            let mut known: Vec<Option<&[u8]>> = vec![None; fresh.len()];
            if let Some(v) = self.vocab {
                fresh_keys.clear();
                fresh_keys.extend(
                    fresh
                        .iter()
                        .map(|&t| WordInfo::vocabulary_key(tokens[first + t as usize].as_ref())),
                );
                v.view(&self.blob)
                    .get_many(fresh_keys, probe, |j, r| known[j] = Some(r));
            }
            // each new word takes its place in the cache at once: a word of the vocabulary
            // with its sums, read where they lie; any other with its sums to be computed below,
            // in batches, and put in place
            let word = |t: u32| tokens[first + t as usize].as_ref();
            let base = entries.len();
            let mut unknown: Vec<&str> = Vec::new();
            let mut slot_of: Vec<u32> = Vec::new();
            for (&t, r) in fresh.iter().zip(known) {
                let w = word(t);
                match r.filter(|r| r.len() == VOCAB_VAL) {
                    Some(r) => {
                        read_sums(r, entries.push(WordInfo::without_features(w, &lex)));
                    }
                    None => {
                        slot_of.push(entries.len() as u32);
                        unknown.push(w);
                        entries.push(WordInfo::default());
                    }
                }
            }
            let mut slots = Slots {
                entries,
                at: &slot_of,
            };
            self.computed_entries(&unknown, &weights, &lex, probe, fresh_keys, &mut slots);
            for at in base..entries.len() {
                let next = lowers.len() as u32;
                entries.lower[at] = *lowers.entry(entries.infos[at].lower_h).or_insert(next);
            }
        }
        let entries = &*entries;
        let words: Vec<&WordInfo> = ids.iter().map(|&i| &entries.infos[i as usize]).collect();
        let ntok = ids.len();
        let bias = (self.header.outside_bias * self.header.scale).round() as i32;
        // the first pass's scores are kept for one sentence at a time (`em`, both passes'
        // weights of the base features); the second pass's base scores for the whole document
        // (`em1`), to which the document features are added once the first pass is done
        em1.clear();
        if stages >= 2 {
            em1.reserve(ntok * NL);
        }
        modes.clear();
        lab1.clear();
        labels.clear();
        margins_out.clear();
        for se in starts.windows(2) {
            let (s0, s1) = (se[0], se[1]);
            let n = s1 - s0;
            em.clear();
            em.resize(n, [0; ROW]);
            let sid = &ids[s0..s1];
            let ws = &words[s0..s1];
            let mode = sentence_mode(ws);
            modes.push(mode);
            lex_keys.clear();
            lex_tok.clear();
            let id_at = |j: isize| -> usize {
                if j < 0 {
                    bos as usize
                } else if j as usize >= n {
                    eos as usize
                } else {
                    sid[j as usize] as usize
                }
            };
            for (i, out) in em.iter_mut().enumerate() {
                let mut acc = entries.sums[sid[i] as usize][0];
                for (slot, &off) in OFFSETS.iter().enumerate() {
                    let s = &entries.sums[id_at(i as isize + off)][slot + 1];
                    for (a, &v) in acc.iter_mut().zip(s) {
                        *a += v;
                    }
                }
                let shape = memo.entry(shape_key(ws, mode, i)).or_insert_with(|| {
                    feats.clear();
                    shape_features(ws, mode, i, feats);
                    let mut acc = [0; ROW];
                    for &h in feats.iter() {
                        weights.add(h, &mut acc);
                    }
                    acc
                });
                for (a, &v) in acc.iter_mut().zip(shape.iter()) {
                    *a += v;
                }
                *out = acc;
                let before = lex_keys.len();
                lexical_features(ws, mode, i, lex_keys);
                lex_tok.extend(std::iter::repeat_n(i as u32, lex_keys.len() - before));
            }
            weights.table.get_many(lex_keys, probe, |j, v| {
                weights.add_value(v, &mut em[lex_tok[j] as usize]);
            });
            phrase_features(ws, mode, &lex, |i, h| weights.add(h, &mut em[i]));
            flat1.clear();
            for row in em.iter() {
                flat1.extend_from_slice(&row[..NL]);
            }
            viterbi(flat1, &self.moves[0], path, lat);
            lab1.extend_from_slice(path);
            if stages >= 2 {
                for row in em.iter() {
                    em1.extend_from_slice(&row[NL..]);
                }
            } else if want_margins || (bias != 0 && self.header.stages == 1) {
                // the first pass is the last: its labels again, with the outside bias of a
                // one-pass model, and their margins
                let bias = if self.header.stages == 1 { bias } else { 0 };
                for row in flat1.chunks_exact_mut(NL) {
                    row[0] += bias;
                }
                viterbi(flat1, &self.moves[0], path, lat);
                if want_margins {
                    margins(flat1, &self.moves[0], path, lat, margins_out);
                }
                labels.extend_from_slice(path);
            } else {
                labels.extend_from_slice(path);
            }
        }
        if stages < 2 {
            return;
        }
        // second-pass emissions: the base features' second-pass weights plus document features
        let derived = self.derived();
        // label counts per lower-cased word, in a table indexed by the cache's lower-case ids
        // whose used rows are reset after each document
        for li in touched.drain(..) {
            stats[li as usize] = Stats::default();
        }
        if stats.len() < lowers.len() {
            stats.resize(lowers.len(), Stats::default());
        }
        for (se, &mode) in starts.windows(2).zip(modes.iter()) {
            let ls = &lab1[se[0]..se[1]];
            for (i, (&id, &l)) in ids[se[0]..se[1]].iter().zip(ls).enumerate() {
                let (info, lower) = (&entries.infos[id as usize], entries.lower[id as usize]);
                if info.alpha {
                    let st = &mut stats[lower as usize];
                    if !st.seen() {
                        touched.push(lower);
                    }
                    st.add(info, i, mode, l);
                }
            }
        }
        maj_keys.clear();
        maj_tok.clear();
        for (se, &mode) in starts.windows(2).zip(modes.iter()) {
            let ls = &lab1[se[0]..se[1]];
            for (i, &id) in ids[se[0]..se[1]].iter().enumerate() {
                let t = se[0] + i;
                let info = &entries.infos[id as usize];
                let st = info
                    .alpha
                    .then(|| &stats[entries.lower[id as usize] as usize]);
                let v = doc_view(ls, i, info, mode, st);
                let e: &mut [i32; NL] = (&mut em1[t * NL..(t + 1) * NL])
                    .try_into()
                    .expect("a row of labels");
                if let Some(k) = derived.add(&weights, &v, info.ss_h, e) {
                    maj_keys.push(k);
                    maj_tok.push(t as u32);
                }
                e[0] += bias;
            }
        }
        weights.table.get_many(maj_keys, probe, |j, v| {
            let mut r = [0; ROW];
            weights.add_value(v, &mut r);
            let t = maj_tok[j] as usize;
            for (a, &b) in em1[t * NL..(t + 1) * NL].iter_mut().zip(&r[NL..]) {
                *a += b;
            }
        });
        for se in starts.windows(2) {
            let em2 = &em1[se[0] * NL..se[1] * NL];
            viterbi(em2, &self.moves[1], path, lat);
            if want_margins {
                margins(em2, &self.moves[1], path, lat, margins_out);
            }
            labels.extend_from_slice(path);
        }
    }
}

/// All the tokens of `sentences` and the boundaries of the sentences among them (see
/// [`Model::entities_in`]).
fn flatten<S: AsRef<str>>(sentences: &[Vec<S>]) -> (Vec<&str>, Vec<usize>) {
    let words = sentences.iter().flatten().map(AsRef::as_ref).collect();
    let mut bounds = Vec::with_capacity(sentences.len() + 1);
    bounds.push(0);
    for s in sentences {
        bounds.push(bounds[bounds.len() - 1] + s.len());
    }
    (words, bounds)
}

/// Buffers one thread reuses between documents, and its caches for the model it last ran: the
/// words it has seen, and memoized sums of shape features. After a run, `labels` (and
/// `margins`, if asked) hold the results of all tokens, sentence `s` being
/// `starts[s]..starts[s + 1]`.
#[derive(Default)]
struct Scratch {
    model: u64,
    words: WordIds,
    lowers: FxMap<u64, u32>,
    entries: Entries,
    memo: FxMap<u64, [i32; ROW]>,
    feats: Vec<u64>,
    /// Both passes' scores of the base features, for the sentence being tagged.
    em: Vec<[i32; ROW]>,
    /// The same sentence's first-pass scores, in a row, for the decoder.
    flat1: Vec<i32>,
    /// The second pass's scores of every token of the document.
    em1: Vec<i32>,
    lat: Lattice,
    probe: Vec<u64>,
    lex_keys: Vec<u64>,
    lex_tok: Vec<u32>,
    ids: Vec<u32>,
    /// Token indices of a document's new words, and their vocabulary keys.
    fresh: Vec<u32>,
    fresh_keys: Vec<u64>,
    starts: Vec<usize>,
    stats: Vec<Stats>,
    touched: Vec<u32>,
    maj_keys: Vec<u64>,
    maj_tok: Vec<u32>,
    modes: Vec<Mode>,
    path: Vec<u8>,
    lab1: Vec<u8>,
    labels: Vec<u8>,
    margins: Vec<i64>,
}

/// The words a thread has seen, by index in its word cache: their infos, the sums of their
/// weights and the indices of their lower cases, in arrays of their own, so that the infos,
/// which every token reads, lie together in a few megabytes rather than spread over the
/// sums' twenty.
#[derive(Default)]
struct Entries {
    infos: Chunked<WordInfo>,
    sums: Chunked<[[i32; ROW]; 5]>,
    lower: Vec<u32>,
}

impl Entries {
    fn len(&self) -> usize {
        self.lower.len()
    }

    fn clear(&mut self) {
        self.infos.clear();
        self.sums.clear();
        self.lower.clear();
    }

    /// Appends a word's entry with `info`, zero sums and lower-case index 0, and returns its
    /// sums to fill in.
    fn push(&mut self, info: WordInfo) -> &mut [[i32; ROW]; 5] {
        self.infos.push(info);
        self.lower.push(0);
        self.sums.push([[0; ROW]; 5])
    }
}

/// Reads a vocabulary record's value `r` (see [`VOCAB_VAL`]) into `sums`.
#[inline]
fn read_sums(r: &[u8], sums: &mut [[i32; ROW]; 5]) {
    for (x, b) in sums.as_flattened_mut().iter_mut().zip(r.chunks_exact(4)) {
        *x = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
}

/// Where [`Model::computed_entries`] puts the entry of its `k`-th word.
trait EntrySink {
    /// The word's sums, zero until added to.
    fn sums(&mut self, k: usize) -> &mut [[i32; ROW]; 5];
    /// Sets the word's infos.
    fn info(&mut self, k: usize, info: WordInfo);
}

impl EntrySink for Vec<WordEntry> {
    fn sums(&mut self, k: usize) -> &mut [[i32; ROW]; 5] {
        &mut self[k].sums
    }

    fn info(&mut self, k: usize, info: WordInfo) {
        self[k].info = info;
    }
}

/// The entries of a word cache at indices `at`: the `k`-th word goes to `at[k]`.
struct Slots<'a> {
    entries: &'a mut Entries,
    at: &'a [u32],
}

impl EntrySink for Slots<'_> {
    #[inline]
    fn sums(&mut self, k: usize) -> &mut [[i32; ROW]; 5] {
        &mut self.entries.sums[self.at[k] as usize]
    }

    fn info(&mut self, k: usize, info: WordInfo) {
        self.entries.infos[self.at[k] as usize] = info;
    }
}

/// Words of the cache in each chunk of a [`Chunked`].
const CHUNK: usize = 64;

/// An array that grows a chunk at a time and never moves what it holds. The word cache
/// grows with every new word; as one vector, it was copied at each doubling into memory the
/// kernel had first to zero, megabytes of both on a short run.
struct Chunked<T> {
    chunks: Vec<Vec<T>>,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked { chunks: Vec::new() }
    }
}

impl<T> Chunked<T> {
    fn clear(&mut self) {
        self.chunks.clear();
    }

    /// Appends `x` and returns it in its place.
    fn push(&mut self, x: T) -> &mut T {
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let c = self.chunks.last_mut().expect("a chunk with room");
        c.push(x);
        c.last_mut().expect("the value just pushed")
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;

    #[inline]
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> std::ops::IndexMut<usize> for Chunked<T> {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

/// Word -> index in the word cache. Words of up to 15 bytes are keys themselves (bytes and
/// length in a u128), so that finding one reads no other memory.
#[derive(Default)]
struct WordIds {
    short: FxMap<u128, u32>,
    long: FxMap<Box<str>, u32>,
}

impl WordIds {
    /// The u128 key of a word of up to 15 bytes.
    #[inline]
    fn short_key(w: &str) -> Option<u128> {
        let b = w.as_bytes();
        (b.len() < 16).then(|| {
            // the bytes, zero-padded, with the length in the last byte
            let (lo, hi) = b.split_at(b.len().min(8));
            let k = le_upto8(lo) as u128 | (le_upto8(hi) as u128) << 64;
            k | (b.len() as u128) << 120
        })
    }

    #[inline]
    fn get(&self, w: &str) -> Option<u32> {
        match WordIds::short_key(w) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(w).copied(),
        }
    }

    fn insert(&mut self, w: &str, id: u32) {
        match WordIds::short_key(w) {
            Some(k) => self.short.insert(k, id),
            None => self.long.insert(w.into(), id),
        };
    }

    fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Source of [`Model`] identities (0 is no model).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

fn write_header(out: &mut Vec<u8>, h: &Header, s: &Sizes) {
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&h.checksum.to_le_bytes());
    out.extend_from_slice(&[h.stages, 0, 0, 0]);
    for f in [h.scale, h.temperature, h.outside_bias] {
        out.extend_from_slice(&f.to_le_bytes());
    }
    for t in &h.raw {
        for v in t.trans.iter().chain(&t.start).chain(&t.end) {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    for v in [
        s.features.0,
        s.features.1 as u32,
        s.weights as u32,
        s.words.0,
        s.words.1 as u32,
        s.phrases.0,
        s.phrases.1 as u32,
        s.vocab.0,
        s.vocab.1 as u32,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    debug_assert!(out.len() <= HEADER);
    out.resize(HEADER, 0);
}

fn read_header(b: &[u8]) -> Result<(Header, Sizes), ModelError> {
    let mut r = Reader { b, p: 0 };
    if r.take(8)? != MAGIC {
        return Err(ModelError::BadMagic);
    }
    if b.len() < HEADER {
        return Err(ModelError::Corrupt("unexpected end"));
    }
    let checksum = r.u64()?;
    let stages = r.take(4)?[0];
    if !(1..=2).contains(&stages) {
        return Err(ModelError::Corrupt("number of passes"));
    }
    let scale = r.f32()?;
    let temperature = r.f32()?;
    let outside_bias = r.f32()?;
    let raw = [r.transitions()?, r.transitions()?];
    let mut next = || -> Result<usize, ModelError> { Ok(r.u32()? as usize) };
    let features = (next()? as u32, next()?);
    let weights = next()?;
    let words = (next()? as u32, next()?);
    let phrases = (next()? as u32, next()?);
    let vocab = (next()? as u32, next()?);
    Ok((
        Header {
            checksum,
            stages,
            scale,
            temperature,
            outside_bias,
            raw,
        },
        Sizes {
            features,
            weights,
            words,
            phrases,
            vocab,
        },
    ))
}

/// A model file of version 2 (see the module documentation).
fn encode(
    h: &Header,
    features: (&[u64], &[u8]),
    weights: &[i16],
    words: &[(u64, u64)],
    phrases: &[(u64, u64)],
) -> Vec<u8> {
    let bits = |n: usize| table::bits_for(n);
    let sizes = Sizes {
        features: (bits(features.0.len()), features.0.len()),
        weights: weights.len(),
        words: (bits(words.len()), words.len()),
        phrases: (bits(phrases.len()), phrases.len()),
        vocab: (0, 0),
    };
    let mut out = Vec::new();
    write_header(&mut out, h, &sizes);
    table::write(&mut out, WEIGHT_REC, features.0, features.1);
    for w in weights {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out.resize(align_up(out.len()), 0);
    table::write_u64(&mut out, words);
    table::write_u64(&mut out, phrases);
    out
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .p
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(ModelError::Corrupt("unexpected end"))?;
        let s = &self.b[self.p..end];
        self.p = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        let mut a = [0u8; 4];
        a.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(a))
    }

    fn u64(&mut self) -> Result<u64, ModelError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32()?))
    }

    /// One pass's transition scores, start scores and end scores, as little-endian words (the
    /// same in both file versions).
    fn transitions(&mut self) -> Result<Transitions, ModelError> {
        let mut t = Transitions::zero();
        for v in t
            .trans
            .iter_mut()
            .chain(t.start.iter_mut())
            .chain(t.end.iter_mut())
        {
            *v = self.u32()? as i32;
        }
        Ok(t)
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = *self
                .b
                .get(self.p)
                .ok_or(ModelError::Corrupt("unexpected end"))?;
            self.p += 1;
            if shift >= 64 {
                return Err(ModelError::Corrupt("varint"));
            }
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagger::features::{doc_features, hstr, sentence_features};

    #[test]
    fn short_word_keys_are_the_bytes_and_the_length() {
        let word = "Ünïcödé-ish"; // 15 bytes
        for n in (0..=word.len()).filter(|&n| word.is_char_boundary(n)) {
            let w = &word[..n];
            let mut a = [0u8; 16];
            a[..n].copy_from_slice(w.as_bytes());
            a[15] = n as u8;
            let want = (n < 16).then(|| u128::from_le_bytes(a));
            assert_eq!(WordIds::short_key(w), want, "{w:?}");
        }
        assert_eq!(WordIds::short_key("sixteen bytes!!!"), None);
    }

    fn toy() -> Model {
        let keys = vec![hstr(2, "paris"), hstr(2, "john"), hstr(2, "the")];
        let mut weights = vec![0.0; keys.len() * NL];
        weights[crate::tagger::labels::label(Kind::Place, 3) as usize] = 2.5;
        weights[NL + crate::tagger::labels::label(Kind::Person, 3) as usize] = 1.5;
        weights[2 * NL] = -0.25;
        let s1 = StageWeights {
            keys,
            weights,
            trans: vec![0.1; NL * NL],
            start: vec![0.0; NL],
            end: vec![-0.3; NL],
        };
        Model::build(&s1, Some(&s1), 0)
    }

    /// `m` in the version 1 encoding.
    fn v1_bytes(m: &Model) -> Vec<u8> {
        fn put_varint(out: &mut Vec<u8>, mut v: u64) {
            while v >= 0x80 {
                out.push((v as u8) | 0x80);
                v >>= 7;
            }
            out.push(v as u8);
        }
        let h = &m.header;
        let mut out = MAGIC_V1.to_vec();
        out.extend_from_slice(&h.checksum.to_le_bytes());
        out.push(h.stages);
        for f in [h.scale, h.temperature, h.outside_bias] {
            out.extend_from_slice(&f.to_le_bytes());
        }
        for t in &h.raw {
            for v in t.trans.iter().chain(&t.start).chain(&t.end) {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let w = m.weights();
        let recs: Vec<u64> = w.table.iter().map(|r| r.0).collect();
        out.extend_from_slice(&(recs.len() as u32).to_le_bytes());
        let mut last = 0;
        for &k in &recs {
            put_varint(&mut out, k - last);
            last = k;
        }
        for &k in &recs {
            let row = w.row(k);
            let mask = row
                .iter()
                .enumerate()
                .filter(|(_, w)| **w != 0)
                .fold(0u64, |m, (i, _)| m | 1 << i);
            put_varint(&mut out, mask);
            for &w in row.iter().filter(|&&w| w != 0) {
                let w = w as i64;
                put_varint(&mut out, (w << 1 ^ (w >> 63)) as u64);
            }
        }
        out
    }

    #[test]
    fn bytes_round_trip() {
        let m = toy();
        let b = m.to_bytes();
        let m2 = Model::from_bytes(&b).expect("decodes");
        assert_eq!(m, m2);
        assert_eq!(m2.to_bytes(), b);
        assert!(Model::from_bytes(&b[..b.len() - 1]).is_err());
        assert!(Model::from_bytes(&b[..100]).is_err());
        let mut longer = b.clone();
        longer.extend_from_slice(&[0; 16]);
        assert!(Model::from_bytes(&longer).is_err());
        assert!(matches!(
            Model::from_bytes(b"nonsense"),
            Err(ModelError::Corrupt(_)) | Err(ModelError::BadMagic)
        ));
    }

    /// The facts of a word's infos that tagging reads (all but the feature hashes).
    fn facts(i: &WordInfo) -> impl PartialEq + std::fmt::Debug {
        let i = i.clone();
        (
            (i.lower, i.lower_h, i.ss_h, i.gaz, i.freq, i.gaz_start),
            (i.cap, i.allcaps, i.long, i.alpha),
        )
    }

    #[test]
    fn vocabulary_entries_are_the_computed_ones() {
        let words = [
            "Paris",
            "the",
            "Bundesbank",
            "U.S.",
            "1996",
            "naïve",
            "--",
            "Élysée",
            "zzyzx",
        ];
        let m = Model::embedded().with_vocabulary(words[..6].iter().copied().chain(["the"]));
        assert_eq!(m.vocabulary_len(), 6);
        let (weights, lex) = (m.weights(), m.lexicon());
        let mut scratch = Vec::new();
        for w in words {
            let known = m.word_entry(w, &weights, &lex, &mut scratch);
            let computed = m.computed_entry(w, &weights, &lex, &mut scratch);
            assert_eq!(known.sums, computed.sums, "{w}");
            assert_eq!(facts(&known.info), facts(&computed.info), "{w}");
        }
        let bare = Model::embedded().with_vocabulary([]);
        assert_eq!(bare.vocabulary_len(), 0);
        let doc = vec![
            "Angela Merkel met the Bundesbank in Paris ."
                .split(' ')
                .collect::<Vec<_>>(),
            "PARIS 1996-08-22".split(' ').collect(),
        ];
        assert_eq!(m.tag_document(&doc), bare.tag_document(&doc));
        let again = Model::from_bytes(&m.to_bytes()).expect("decodes");
        assert_eq!(again, m);
        assert_eq!(again.vocabulary_len(), 6);
    }

    #[test]
    fn the_shipped_model_carries_its_vocabulary() {
        assert!(Model::embedded().vocabulary_len() > 10_000);
    }

    #[test]
    fn version_1_files_convert() {
        // version 1 had no vocabulary
        for m in [toy(), Model::embedded().with_vocabulary([])] {
            let v1 = v1_bytes(&m);
            let back = Model::from_bytes(&v1).expect("converts");
            assert_eq!(back, m);
            assert!(Model::from_bytes(&v1[..v1.len() - 1]).is_err());
        }
    }

    #[test]
    fn the_embedded_model_in_place_tags_as_its_copy() {
        let in_place = Model::parse(Blob::in_place(&EMBEDDED.0)).expect("the bundled model parses");
        assert_eq!(in_place.blob.as_ptr(), EMBEDDED.0.as_ptr());
        let copy = Model::embedded();
        assert_eq!(&in_place, copy);
        let doc = vec![
            "Vladimir Putin met Steve Witkoff in Moscow on Tuesday ."
                .split(' ')
                .collect::<Vec<_>>(),
            "The Kremlin said Putin would travel to India ."
                .split(' ')
                .collect(),
        ];
        let found = in_place.entities(&doc);
        assert!(found.iter().flatten().count() >= 4, "{found:?}");
        assert_eq!(found, copy.entities(&doc));
    }

    #[test]
    fn embedded_model_carries_the_bundled_lists() {
        let m = Model::embedded();
        let lists = ListTables::get();
        assert_eq!(
            m.header.checksum, lists.checksum,
            "retrain or convert the model"
        );
        assert_eq!(
            m.words
                .view(&m.blob)
                .iter()
                .map(|(k, v)| (k, table::le64(v)))
                .collect::<Vec<_>>(),
            lists.words
        );
        assert_eq!(
            m.phrases
                .view(&m.blob)
                .iter()
                .map(|(k, v)| (k, table::le64(v)))
                .collect::<Vec<_>>(),
            lists.phrases
        );
    }

    #[test]
    fn toy_model_tags() {
        let m = toy();
        let tags = m.tag_document(&[vec!["Paris", "and", "John"]]);
        assert_eq!(tags[0][0], Tag::B(Kind::Place));
        assert_eq!(tags[0][2], Tag::B(Kind::Person));
        let ents = m.entities(&[vec!["Paris"]]);
        assert_eq!(ents[0].len(), 1);
        assert!(ents[0][0].score > 0.5 && ents[0][0].score <= 1.0);
    }

    /// Emission scores of both passes computed the plain way: every feature of every token
    /// looked up and summed.
    fn reference(m: &Model, doc: &[Vec<&str>]) -> (Vec<[i32; ROW]>, Vec<i32>) {
        let w = m.weights();
        let lex = m.lexicon();
        let infos: Vec<Vec<WordInfo>> = doc
            .iter()
            .map(|s| s.iter().map(|t| WordInfo::new(t, &lex)).collect())
            .collect();
        let (bos, eos) = (WordInfo::new(BOS, &lex), WordInfo::new(EOS, &lex));
        let refs: Vec<Vec<&WordInfo>> = infos.iter().map(|s| s.iter().collect()).collect();
        let mut em1 = Vec::new();
        let mut labels = Vec::new();
        for ws in &refs {
            let rows: Vec<[i32; ROW]> = sentence_features(ws, &bos, &eos, &lex)
                .iter()
                .map(|fs| {
                    let mut acc = [0; ROW];
                    for &h in fs {
                        w.add(h, &mut acc);
                    }
                    acc
                })
                .collect();
            let first: Vec<i32> = rows.iter().flat_map(|r| r[..NL].to_vec()).collect();
            let (mut out, mut lat) = (Vec::new(), Lattice::default());
            viterbi(&first, &m.moves[0], &mut out, &mut lat);
            labels.push(out);
            em1.extend(rows);
        }
        let starts: Vec<usize> = refs
            .iter()
            .scan(0, |n, s| {
                let at = *n;
                *n += s.len();
                Some(at)
            })
            .collect();
        let mut em2: Vec<i32> = em1.iter().flat_map(|r| r[NL..].to_vec()).collect();
        doc_features(&refs, &labels, |s, i, fs| {
            let t = starts[s] + i;
            for &h in fs {
                let r = w.row(h);
                for l in 0..NL {
                    em2[t * NL + l] += r[NL + l];
                }
            }
        });
        let bias = (m.header.outside_bias * m.header.scale).round() as i32;
        for row in em2.chunks_mut(NL) {
            row[0] += bias;
        }
        (em1, em2)
    }

    #[test]
    fn cached_scores_equal_plain_sums() {
        let m = Model::embedded();
        let text = "LONDON 1996-08-30\n\
            West Indian all-rounder Phil Simmons took four for 38 on Friday as Leicestershire \
            beat Somerset by an innings and 39 runs in two days .\n\
            SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .\n\
            Nadim Ladki\n\
            Putin Meets Witkoff In Moscow As Talks On Ukraine Resume\n\
            the united states and the new york times , said mr. smith of acme corp in paris\n\
            Simmons said Leicestershire and the United States would meet in New York .\n\
            ( ) \" ' - 12 3.5 U.S. McDonald's e-mail\n\
            Phil\n";
        let doc: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        let mut biased = m.clone();
        biased.set_outside_bias(3.0);
        for m in [m, &biased] {
            let mut sc = Scratch::default();
            for _ in 0..2 {
                // the second time every word comes from the cache
                let (words, bounds) = flatten(&doc);
                m.run_with(&mut sc, &words, &bounds, 2, true);
                let (_, em2) = reference(m, &doc);
                assert_eq!(sc.em1, em2);
                assert_eq!(sc.starts.len(), doc.len() + 1);
                // both passes' base scores are kept for the last sentence tagged only
                for sentence in &doc {
                    let one = std::slice::from_ref(sentence);
                    let (words, bounds) = flatten(one);
                    m.run_with(&mut sc, &words, &bounds, 2, true);
                    let (em1, em2) = reference(m, one);
                    assert_eq!(sc.em, em1);
                    assert_eq!(sc.em1, em2);
                }
            }
        }
    }
}
