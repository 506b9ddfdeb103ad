//! The trained model: weights, their compact file encoding, and tagging.
//!
//! File layout (little-endian): magic `ENTGTAG1`, gazetteer checksum (u64), number of passes
//! (u8), weight scale (f32), score temperature (f32), outside bias (f32), for each of the two
//! passes the
//! transition, start and end scores (i32), the number of features (u32), their hashes sorted
//! ascending (delta-encoded varints), and for each feature a varint mask of its non-zero
//! weights followed by those weights as zigzag varints. Weights are quantized to i16.

use super::features::{BOS, EOS, FxMap, OFFSETS, WordInfo, context_features, doc_features};
use super::gazetteer::Gazetteers;
use super::labels::{NL, Transitions, margins, to_tag, viterbi};
use super::{Tag, spans};
use crate::kind::Kind;
use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Weights per feature: the first pass's `NL` labels, then the second pass's.
pub(crate) const ROW: usize = 2 * NL;

const MAGIC: &[u8; 8] = b"ENTGTAG1";

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
    /// The model was trained with other gazetteers than the ones built in.
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

/// The weights of one feature, aligned to a cache line.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(64))]
struct Row([i16; ROW]);

/// Open-addressing hash table from feature hash to weights. Keys are already uniform hashes, so
/// their top bits pick the slot. A slot packs the key's low 32 bits (a fingerprint) and 1 + the
/// row index (0 marks an empty slot) in 8 bytes, so the probed part stays small and in cache;
/// the rows are only touched for features the model has.
#[derive(Debug, Clone, Default)]
struct Table {
    shift: u32,
    slots: Vec<u64>,
    rows: Vec<Row>,
}

impl Table {
    fn new(keys: &[u64], rows: &[i16]) -> Table {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let bits = cap.trailing_zeros();
        let mut t = Table {
            shift: 64 - bits,
            slots: vec![0; cap],
            rows: rows
                .chunks_exact(ROW)
                .map(|r| {
                    let mut row = Row([0; ROW]);
                    row.0.copy_from_slice(r);
                    row
                })
                .collect(),
        };
        let mask = cap - 1;
        for (i, &k) in keys.iter().enumerate() {
            let mut p = (k >> t.shift) as usize;
            while t.slots[p] != 0 {
                p = (p + 1) & mask;
            }
            t.slots[p] = (k << 32) | (i as u64 + 1);
        }
        t
    }

    /// Row indices of many keys (`u32::MAX` for absent ones) into `out`. The first probe of
    /// every key is loaded in one tight loop, so that the processor overlaps the cache misses.
    fn find_many(&self, keys: &[u64], first: &mut Vec<u64>, out: &mut Vec<u32>) {
        first.clear();
        first.extend(keys.iter().map(|&k| self.slots[(k >> self.shift) as usize]));
        out.clear();
        out.extend(keys.iter().zip(first.iter()).map(|(&k, &s)| {
            if s == 0 {
                u32::MAX
            } else if s & 0xffff_ffff_0000_0000 == k << 32 {
                s as u32 - 1
            } else {
                self.find(k).unwrap_or(u32::MAX)
            }
        }));
    }

    #[inline]
    fn find(&self, k: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let fp = k << 32;
        let mut p = (k >> self.shift) as usize;
        loop {
            let s = self.slots[p];
            if s == 0 {
                return None;
            }
            if s & 0xffff_ffff_0000_0000 == fp {
                return Some(s as u32 - 1);
            }
            p = (p + 1) & mask;
        }
    }

    #[inline]
    fn get(&self, k: u64) -> Option<&[i16; ROW]> {
        self.find(k).map(|i| &self.rows[i as usize].0)
    }
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

/// Most words whose feature sums a model keeps between documents (about 1 KB each).
const WORD_CACHE_SIZE: usize = 32 * 1024;

/// A word as the model sees it, cached between documents.
struct WordEntry {
    info: WordInfo,
    sums: [[i32; ROW]; 5],
}

/// A trained tagger.
///
/// Tagging is thread-safe; the model caches, across documents, what it computed about up to
/// 32,768 distinct words.
pub struct Model {
    stages: u8,
    scale: f32,
    temperature: f32,
    outside_bias: f32,
    raw: [Transitions; 2],
    masked: [Transitions; 2],
    keys: Vec<u64>,
    table: Table,
    cache: Mutex<FxMap<Box<str>, Arc<WordEntry>>>,
    /// Identity for the per-thread memo of feature sums.
    id: u64,
}

impl Clone for Model {
    /// A copy with the same weights and an empty word cache.
    fn clone(&self) -> Model {
        Model {
            stages: self.stages,
            scale: self.scale,
            temperature: self.temperature,
            outside_bias: self.outside_bias,
            raw: self.raw.clone(),
            masked: self.masked.clone(),
            keys: self.keys.clone(),
            table: self.table.clone(),
            cache: Mutex::default(),
            id: next_id(),
        }
    }
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("passes", &self.stages)
            .field("features", &self.keys.len())
            .field("scale", &self.scale)
            .field("temperature", &self.temperature)
            .field("outside_bias", &self.outside_bias)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Model {
    fn eq(&self, o: &Model) -> bool {
        self.stages == o.stages
            && self.scale == o.scale
            && self.temperature == o.temperature
            && self.outside_bias == o.outside_bias
            && self.raw == o.raw
            && self.keys == o.keys
            && self
                .keys
                .iter()
                .all(|&k| self.table.get(k) == o.table.get(k))
    }
}

impl Model {
    /// The model shipped in `data/model.bin`, decoded on first use.
    ///
    /// Panics if the bundled file is corrupt, which the crate's tests rule out.
    pub fn embedded() -> &'static Model {
        static M: OnceLock<Model> = OnceLock::new();
        M.get_or_init(
            || match Model::from_bytes(include_bytes!("../../data/model.bin")) {
                Ok(m) => m,
                Err(e) => panic!("bundled tagger model is unusable: {e}"),
            },
        )
    }

    /// Reads a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_bytes(&bytes)
    }

    /// Number of features with weights.
    pub fn num_features(&self) -> usize {
        self.keys.len()
    }

    /// True when the model has the document-level second pass.
    pub fn has_second_pass(&self) -> bool {
        self.stages == 2
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
        let raw = [tr(s1), s2.map(tr).unwrap_or_else(Transitions::zero)];
        let keys: Vec<u64> = all.iter().map(|e| e.0).collect();
        let rows: Vec<i16> = all.iter().flat_map(|e| e.1).collect();
        Model::assemble(
            if s2.is_some() { 2 } else { 1 },
            scale as f32,
            1.0,
            raw,
            keys,
            rows,
        )
    }

    fn assemble(
        stages: u8,
        scale: f32,
        temperature: f32,
        raw: [Transitions; 2],
        keys: Vec<u64>,
        rows: Vec<i16>,
    ) -> Model {
        let masked = [raw[0].masked(), raw[1].masked()];
        let table = Table::new(&keys, &rows);
        drop(rows);
        Model {
            stages,
            scale,
            temperature,
            outside_bias: 0.0,
            raw,
            masked,
            keys,
            table,
            cache: Mutex::default(),
            id: next_id(),
        }
    }

    /// Sets the temperature that turns decoding margins into scores.
    pub(crate) fn set_temperature(&mut self, t: f32) {
        self.temperature = t;
    }

    /// Adds `bias` (in units of averaged weights) to the score of O in the final pass: above
    /// zero the tagger proposes fewer, surer entities.
    pub fn set_outside_bias(&mut self, bias: f32) {
        self.outside_bias = bias;
    }

    /// The bias added to O in the final pass (see [`Model::set_outside_bias`]).
    pub fn outside_bias(&self) -> f32 {
        self.outside_bias
    }

    /// Encodes the model (deterministically: same model, same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.keys.len() * 16 + 4096);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&Gazetteers::get().checksum.to_le_bytes());
        out.push(self.stages);
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&self.outside_bias.to_le_bytes());
        for t in &self.raw {
            for v in t.trans.iter().chain(&t.start).chain(&t.end) {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        let mut last = 0u64;
        for &k in &self.keys {
            put_varint(&mut out, k - last);
            last = k;
        }
        for row in self.keys.iter().filter_map(|&k| self.table.get(k)) {
            let mut mask = 0u64;
            for (i, &w) in row.iter().enumerate() {
                if w != 0 {
                    mask |= 1 << i;
                }
            }
            put_varint(&mut out, mask);
            for &w in row.iter().filter(|&&w| w != 0) {
                put_varint(&mut out, ((w as i64) << 1 ^ ((w as i64) >> 63)) as u64);
            }
        }
        out
    }

    /// Decodes a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { b: bytes, p: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        if r.u64()? != Gazetteers::get().checksum {
            return Err(ModelError::GazetteerMismatch);
        }
        let stages = r.take(1)?[0];
        if !(1..=2).contains(&stages) {
            return Err(ModelError::Corrupt("number of passes"));
        }
        let scale = r.f32()?;
        let temperature = r.f32()?;
        let outside_bias = r.f32()?;
        let mut raw = [Transitions::zero(), Transitions::zero()];
        for t in &mut raw {
            for v in t
                .trans
                .iter_mut()
                .chain(t.start.iter_mut())
                .chain(t.end.iter_mut())
            {
                *v = r.u32()? as i32;
            }
        }
        let n = r.u32()? as usize;
        if n > bytes.len() {
            return Err(ModelError::Corrupt("feature count"));
        }
        let mut keys = Vec::with_capacity(n);
        let mut last = 0u64;
        for _ in 0..n {
            let d = r.varint()?;
            last = last
                .checked_add(d)
                .ok_or(ModelError::Corrupt("feature hash"))?;
            keys.push(last);
        }
        let mut rows = vec![0i16; n * ROW];
        for row in rows.chunks_exact_mut(ROW) {
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
        let mut m = Model::assemble(stages, scale, temperature, raw, keys, rows);
        m.outside_bias = outside_bias;
        Ok(m)
    }

    /// Tags a document given as sentences of tokens. Sentences should be in document order:
    /// the second pass looks at the whole document.
    pub fn tag_document<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<Tag>> {
        self.run(sentences, self.stages, false)
            .0
            .into_iter()
            .map(|ls| ls.into_iter().map(to_tag).collect())
            .collect()
    }

    /// Entities of each sentence of a document, with scores.
    pub fn entities<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<Entity>> {
        let (labels, margins) = self.run(sentences, self.stages, true);
        let t = (self.scale * self.temperature).max(1e-9);
        labels
            .iter()
            .zip(&margins)
            .map(|(ls, ms)| {
                let tags: Vec<Tag> = ls.iter().map(|&l| to_tag(l)).collect();
                spans(&tags)
                    .into_iter()
                    .map(|(r, kind)| {
                        let m = ms[r.clone()].iter().copied().min().unwrap_or(0) as f32;
                        let score = 1.0 / (1.0 + (-m / t).exp());
                        Entity {
                            tokens: r,
                            kind,
                            score,
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// First-pass labels only (for training the second pass).
    pub(crate) fn first_pass_labels<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<u8>> {
        self.run(sentences, 1, false).0
    }

    #[inline]
    fn add_row(&self, h: u64, acc: &mut [i32; ROW]) {
        if let Some(row) = self.table.get(h) {
            for (a, &w) in acc.iter_mut().zip(row) {
                *a += w as i32;
            }
        }
    }

    /// Cache entries of `words` (computing and, while there is room, caching missing ones).
    fn word_entries(&self, words: &[&str]) -> Vec<Arc<WordEntry>> {
        let mut cache = match self.cache.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        words
            .iter()
            .map(|&w| {
                if let Some(e) = cache.get(w) {
                    return Arc::clone(e);
                }
                let e = Arc::new(self.word_entry(w));
                if cache.len() < WORD_CACHE_SIZE {
                    cache.insert(w.into(), Arc::clone(&e));
                }
                e
            })
            .collect()
    }

    /// What the model knows about one word: its infos and the sums of the weights of its own
    /// features and of its features seen from each neighbour slot.
    fn word_entry(&self, w: &str) -> WordEntry {
        let mut info = WordInfo::new(w);
        let mut sums = [[0i32; ROW]; 5];
        for &h in info.own() {
            self.add_row(h, &mut sums[0]);
        }
        for slot in 0..OFFSETS.len() {
            for &h in info.neigh(slot) {
                self.add_row(h, &mut sums[slot + 1]);
            }
        }
        info.drop_features();
        WordEntry { info, sums }
    }

    /// Sum of the weights of `feats`, memoized on the whole set: for groups of features with
    /// few distinct combinations.
    #[inline]
    fn memo_sum<'m>(&self, memo: &'m mut FxMap<u64, [i32; ROW]>, feats: &[u64]) -> &'m [i32; ROW] {
        let key = feats.iter().fold(0x2545_f491_4f6c_dd1du64, |h, &f| {
            (h ^ f).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(23)
        });
        memo.entry(key).or_insert_with(|| {
            let mut acc = [0i32; ROW];
            for &h in feats {
                self.add_row(h, &mut acc);
            }
            acc
        })
    }

    /// Labels (and, if asked, per-token margins) of every sentence, using `stages` passes.
    fn run<S: AsRef<str>>(
        &self,
        sentences: &[Vec<S>],
        stages: u8,
        want_margins: bool,
    ) -> (Vec<Vec<u8>>, Vec<Vec<i64>>) {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut sc) => self.run_with(&mut sc, sentences, stages, want_margins),
            Err(_) => self.run_with(&mut Scratch::default(), sentences, stages, want_margins),
        })
    }

    /// [`Model::run`] with the buffers of `sc`.
    fn run_with<S: AsRef<str>>(
        &self,
        sc: &mut Scratch,
        sentences: &[Vec<S>],
        stages: u8,
        want_margins: bool,
    ) -> (Vec<Vec<u8>>, Vec<Vec<i64>>) {
        let stages = stages.min(self.stages);
        if sc.model != self.id || sc.memo.len() > MEMO_SIZE {
            sc.memo.clear();
            sc.model = self.id;
        }
        let Scratch {
            memo,
            ctx,
            lex,
            lex_keys,
            lex_ends,
            lex_rows,
            first,
            em,
            em1,
            back,
            ids,
            starts,
            ..
        } = sc;
        // distinct words of the document, and what the model knows about each
        let ntok: usize = sentences.iter().map(Vec::len).sum();
        let mut local: FxMap<&str, u32> =
            FxMap::with_capacity_and_hasher(ntok / 2 + 8, Default::default());
        let mut distinct: Vec<&str> = vec![BOS, EOS];
        let (bos, eos) = (0usize, 1usize);
        ids.clear();
        starts.clear();
        starts.push(0);
        for s in sentences {
            for w in s {
                let w = w.as_ref();
                let id = *local.entry(w).or_insert_with(|| {
                    distinct.push(w);
                    distinct.len() as u32 - 1
                });
                ids.push(id);
            }
            starts.push(ids.len());
        }
        let entries = self.word_entries(&distinct);
        let words: Vec<&WordInfo> = ids.iter().map(|&i| &entries[i as usize].info).collect();
        em.clear();
        em.resize(ntok * ROW, 0);
        let mut labels1: Vec<Vec<u8>> = Vec::with_capacity(sentences.len());
        for se in starts.windows(2) {
            let (s0, s1) = (se[0], se[1]);
            let n = s1 - s0;
            let sid = &ids[s0..s1];
            let ws = &words[s0..s1];
            for v in [&mut *ctx, &mut *lex] {
                v.iter_mut().take(n).for_each(Vec::clear);
                if v.len() < n {
                    v.resize(n, Vec::new());
                }
            }
            context_features(ws, &mut ctx[..n], &mut lex[..n]);
            lex_keys.clear();
            lex_ends.clear();
            for x in &lex[..n] {
                lex_keys.extend_from_slice(x);
                lex_ends.push(lex_keys.len());
            }
            self.table.find_many(lex_keys, first, lex_rows);
            // touch the rows now, in one loop, so that their cache misses overlap
            let mut touch = 0i16;
            for &r in lex_rows.iter() {
                if let Some(row) = self.table.rows.get(r as usize) {
                    touch ^= row.0[0];
                }
            }
            std::hint::black_box(touch);
            let em = &mut em[s0 * ROW..s1 * ROW];
            for (i, out) in em.chunks_exact_mut(ROW).enumerate() {
                let mut acc = entries[sid[i] as usize].sums[0];
                for (slot, &off) in OFFSETS.iter().enumerate() {
                    let j = i as isize + off;
                    let wid = if j < 0 {
                        bos
                    } else if j as usize >= n {
                        eos
                    } else {
                        sid[j as usize] as usize
                    };
                    let s = &entries[wid].sums[slot + 1];
                    for (a, &v) in acc.iter_mut().zip(s) {
                        *a += v;
                    }
                }
                let sums = self.memo_sum(memo, &ctx[i]);
                for (a, &v) in acc.iter_mut().zip(sums) {
                    *a += v;
                }
                let from = if i == 0 { 0 } else { lex_ends[i - 1] };
                for &r in &lex_rows[from..lex_ends[i]] {
                    if let Some(row) = self.table.rows.get(r as usize) {
                        for (a, &w) in acc.iter_mut().zip(&row.0) {
                            *a += w as i32;
                        }
                    }
                }
                out.copy_from_slice(&acc);
            }
            em1.clear();
            for row in em.chunks_exact(ROW) {
                em1.extend_from_slice(&row[..NL]);
            }
            let mut out = Vec::new();
            viterbi(em1, &self.masked[0], &mut out, back);
            labels1.push(out);
        }
        let bias = (self.outside_bias * self.scale).round() as i32;
        if stages < 2 {
            let mut margins1 = Vec::new();
            if want_margins || (bias != 0 && self.stages == 1) {
                let bias = if self.stages == 1 { bias } else { 0 };
                labels1.clear();
                for se in starts.windows(2) {
                    em1.clear();
                    for row in em[se[0] * ROW..se[1] * ROW].chunks_exact(ROW) {
                        em1.extend_from_slice(&row[..NL]);
                        let o = em1.len() - NL;
                        em1[o] += bias;
                    }
                    let mut out = Vec::new();
                    viterbi(em1, &self.masked[0], &mut out, back);
                    if want_margins {
                        margins1.push(margins(em1, &self.masked[0], &out, back));
                    }
                    labels1.push(out);
                }
            }
            return (labels1, margins1);
        }
        let sent_words: Vec<&[&WordInfo]> =
            starts.windows(2).map(|se| &words[se[0]..se[1]]).collect();
        // second-pass emissions: the base features' second-pass weights plus document features
        em1.clear();
        em1.extend(em.chunks_exact(ROW).flat_map(|r| r[NL..].iter().copied()));
        doc_features(&sent_words, &labels1, |s, i, feats| {
            let acc = self.memo_sum(memo, feats);
            let t = starts[s] + i;
            let e = &mut em1[t * NL..(t + 1) * NL];
            for (a, &v) in e.iter_mut().zip(&acc[NL..]) {
                *a += v;
            }
            e[0] += bias;
        });
        let mut labels2 = Vec::with_capacity(sentences.len());
        let mut margins2 = Vec::new();
        for se in starts.windows(2) {
            let em2 = &em1[se[0] * NL..se[1] * NL];
            let mut out = Vec::new();
            viterbi(em2, &self.masked[1], &mut out, back);
            if want_margins {
                margins2.push(margins(em2, &self.masked[1], &out, back));
            }
            labels2.push(out);
        }
        (labels2, margins2)
    }
}

/// Most memoized sums of context and document feature sets kept between documents.
const MEMO_SIZE: usize = 1 << 16;

/// Buffers one thread reuses between documents, and the memoized context sums of the model
/// it last ran.
#[derive(Default)]
struct Scratch {
    model: u64,
    memo: FxMap<u64, [i32; ROW]>,
    ctx: Vec<Vec<u64>>,
    lex: Vec<Vec<u64>>,
    lex_keys: Vec<u64>,
    lex_ends: Vec<usize>,
    lex_rows: Vec<u32>,
    first: Vec<u64>,
    em: Vec<i32>,
    em1: Vec<i32>,
    back: Vec<i32>,
    ids: Vec<u32>,
    starts: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Source of [`Model`] identities (0 is no model).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
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
    use crate::tagger::features::hstr;

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

    #[test]
    fn bytes_round_trip() {
        let m = toy();
        let b = m.to_bytes();
        let m2 = Model::from_bytes(&b).expect("decodes");
        assert_eq!(m, m2);
        assert_eq!(m2.to_bytes(), b);
        assert!(Model::from_bytes(&b[..b.len() - 1]).is_err());
        assert!(matches!(
            Model::from_bytes(b"nonsense"),
            Err(ModelError::Corrupt(_)) | Err(ModelError::BadMagic)
        ));
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

    #[test]
    fn table_lookup() {
        let keys: Vec<u64> = (1..1000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let rows: Vec<i16> = (0..keys.len() * ROW).map(|i| (i / ROW) as i16).collect();
        let t = Table::new(&keys, &rows);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(t.get(k).map(|r| r[0]), Some(i as i16));
        }
        assert_eq!(t.get(12345), None);
    }
}
