//! Feature extraction: every feature is a 64-bit hash of a template and its values.
//!
//! Features fall in three groups, so that tagging can cache most of the work per distinct word:
//! - *word* features of the token itself (word, lower case, shapes, affixes, gazetteer words);
//! - *neighbour* features of the words at offsets -2, -1, +1, +2 (lower case, short shape,
//!   gazetteer words), which also depend on one word only;
//! - *context* features that combine several tokens or the sentence: *shape* features with few
//!   distinct values (shapes of the token and its neighbours, position, sentence case mode),
//!   *lexical* ones (word bigrams, a word with a neighbour's shape or the sentence mode) and
//!   gazetteer *phrases*;
//! - for the second pass, *document* features built from the first pass's labels of the same
//!   word elsewhere in the document ([`DocView`]).

use super::gazetteer::{COMMON, LISTS, Lexicon, ListTables};
use super::labels::{CLASSES, NL, class_of, position_of};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The little-endian u64 of up to 8 bytes, zero above them: what copying them into a zeroed
/// `[u8; 8]` gives, read with at most three loads instead of a call to `memcpy`, which a copy
/// of variable length becomes (and which a word's hashes would make several times).
#[inline]
pub(crate) fn le_upto8(b: &[u8]) -> u64 {
    let n = b.len();
    match n {
        0 => 0,
        1..=3 => {
            b[0] as u64 | (b[n / 2] as u64) << (8 * (n / 2)) | (b[n - 1] as u64) << (8 * (n - 1))
        }
        4..=8 => {
            let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64;
            let hi = u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]) as u64;
            lo | hi << (8 * (n - 4))
        }
        _ => {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[..8]);
            u64::from_le_bytes(a)
        }
    }
}

/// A fast non-cryptographic hasher (the Fx hash of rustc) for the tagger's own maps.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let rem = chunks.remainder();
        if !rem.is_empty() {
            self.add(le_upto8(rem));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        fmix(self.0)
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over bytes, used for checksums only.
pub(crate) fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

#[inline]
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Hash of a template id and a string.
#[inline]
pub(crate) fn hstr(t: u64, s: &str) -> u64 {
    hbytes(t, s.as_bytes())
}

/// [`hstr`] of the bytes of a string.
#[inline]
fn hbytes(t: u64, b: &[u8]) -> u64 {
    let mut h = t.wrapping_mul(K1) ^ (b.len() as u64).wrapping_mul(K2);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K1).rotate_left(31);
    }
    let rem = chunks.remainder();
    if !rem.is_empty() {
        h = (h ^ le_upto8(rem)).wrapping_mul(K2).rotate_left(29);
    }
    fmix(h)
}

/// Hash of a template id and a list of values (already hashes or small numbers).
#[inline]
pub(crate) fn hmix(t: u64, vals: &[u64]) -> u64 {
    let mut h = t.wrapping_mul(K2) ^ 0x5bd1_e995;
    for &v in vals {
        h = (h ^ v).wrapping_mul(K1).rotate_left(27);
    }
    fmix(h)
}

// Template ids. Changing any of them, or what a template computes, needs a new model.
const T_WORD: u64 = 1;
pub(crate) const T_LOWER: u64 = 2;
const T_SHAPE: u64 = 3;
const T_SSHAPE: u64 = 4;
const T_PREFIX: u64 = 5; // + length
const T_SUFFIX: u64 = 10; // + length
const T_GAZ_WHOLE: u64 = 20; // + list, with capitalization
const T_GAZ_PART: u64 = 40; // + list, with capitalization
const T_NB_LOWER: u64 = 60; // + slot
const T_NB_SSHAPE: u64 = 65; // + slot
const T_NB_GAZ: u64 = 70; // hmix(slot, list)
const T_NB_SUFFIX3: u64 = 75; // + slot
const T_BIAS: u64 = 100;
const T_FIRST_SS: u64 = 101;
const T_BIGRAM_L: u64 = 102;
const T_BIGRAM_R: u64 = 103;
const T_SS3: u64 = 104;
const T_SS_L: u64 = 105;
const T_SS_R: u64 = 106;
const T_MODE: u64 = 107;
const T_MODE_SS: u64 = 108;
const T_MODE_LOWER: u64 = 109;
const T_GAZ_PHRASE: u64 = 110;
const T_LAST_SS: u64 = 111;
const T_MODE_FIRST: u64 = 112;
const T_LOWER_NEXT_SS: u64 = 113;
const T_PREV_SS_LOWER: u64 = 114;
const T_FIRST_COMMON: u64 = 115;
const T_GAZ_PHRASE_MODE: u64 = 116;
const T_FREQ: u64 = 117;
const T_FIRST_FREQ: u64 = 118;
const T_MODE_FREQ: u64 = 119;
const T_DOC_MAJ: u64 = 200;
const T_DOC_HAS: u64 = 201;
const T_DOC_RELIABLE: u64 = 202;
const T_DOC_ENT_FIRST: u64 = 203;
const T_DOC_ENT_LAST: u64 = 204;
const T_S1_LABEL: u64 = 205;
const T_S1_PREV: u64 = 206;
const T_S1_NEXT: u64 = 207;
const T_DOC_MAJ_SS: u64 = 208;
const T_DOC_FIRST_CLASS: u64 = 209;

/// Pseudo-words standing for the positions before the start and after the end of a sentence.
pub(crate) const BOS: &str = "\u{2}<s>";
/// See [`BOS`].
pub(crate) const EOS: &str = "\u{3}</s>";

/// Neighbour offsets, in slot order.
pub(crate) const OFFSETS: [isize; 4] = [-2, -1, 1, 2];

/// Long shape: upper -> X, lower -> x, digit -> d, other characters kept; runs longer than four
/// cut to four. ([`WordInfo::new`] computes it in one pass with the short shape; this is the
/// reference its tests check against.)
#[cfg(test)]
pub(crate) fn shape(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars() {
        let s = shape_char(c);
        if s == last {
            run += 1;
            if run > 4 {
                continue;
            }
        } else {
            run = 1;
            last = s;
        }
        out.push(s);
    }
    out
}

/// Short shape: like [`shape`] with every run collapsed to one character.
#[cfg(test)]
pub(crate) fn short_shape(w: &str) -> String {
    let mut out = String::with_capacity(8);
    let mut last = '\0';
    for c in w.chars() {
        let s = shape_char(c);
        if s != last {
            out.push(s);
            last = s;
        }
    }
    out
}

#[inline]
fn shape_char(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() || c.is_alphabetic() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// How the words of a sentence are cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub(crate) enum Mode {
    /// Ordinary prose.
    #[default]
    Normal = 0,
    /// Mostly capitals: a CoNLL headline or sports table.
    AllCaps = 1,
    /// Mostly capitalized words: a Title Case headline.
    Title = 2,
    /// No capital at all: sloppy web text.
    Lower = 3,
}

/// What the tagger needs to know about one distinct word, computed once.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordInfo {
    /// The word's own features, then its features seen from each neighbour slot of
    /// [`OFFSETS`]; see [`WordInfo::own`] and [`WordInfo::neigh`].
    feats: Vec<u64>,
    /// End of the own features and of each slot's features in `feats`.
    ends: [u8; 5],
    /// Lower-cased word.
    pub lower: String,
    /// Hash of the lower-cased word.
    pub lower_h: u64,
    /// Hash of the short shape.
    pub ss_h: u64,
    /// First character is upper case.
    pub cap: bool,
    /// Has a letter and no lower-case letter.
    pub allcaps: bool,
    /// Has more than one character.
    pub long: bool,
    /// First character is a letter.
    pub alpha: bool,
    /// Lists where the lower-cased word is an entry on its own.
    pub gaz: u16,
    /// Frequency class among common English words (0: not one).
    pub freq: u8,
    /// Phrase lists with an entry starting with this word, and the longest such entry.
    pub gaz_start: (u16, u8),
}

impl WordInfo {
    /// The word's own features.
    #[inline]
    pub fn own(&self) -> &[u64] {
        &self.feats[..self.ends[0] as usize]
    }

    /// The word's features as seen from the token at `-OFFSETS[slot]`.
    #[inline]
    pub fn neigh(&self, slot: usize) -> &[u64] {
        &self.feats[self.ends[slot] as usize..self.ends[slot + 1] as usize]
    }

    /// All the word's features: its own, then those of each neighbour slot in turn.
    #[inline]
    pub fn features(&self) -> &[u64] {
        &self.feats[..self.ends[4] as usize]
    }

    /// The group of `features()[i]`: 0 for the word's own features, `1 + slot` for those seen
    /// from neighbour slot `slot`.
    #[inline]
    pub fn group(&self, i: usize) -> usize {
        self.ends.iter().take_while(|&&e| e as usize <= i).count()
    }

    /// Frees the feature hashes once their weights have been summed (own and neighbour
    /// features are then empty).
    pub fn drop_features(&mut self) {
        self.feats = Vec::new();
        self.ends = [0; 5];
    }

    /// Computes everything about `w`, with the word lists of `lex`.
    pub fn new(w: &str, lex: &Lexicon) -> WordInfo {
        WordInfo::make(w, lex, true)
    }

    /// What [`WordInfo::new`] computes but the feature hashes, for a word whose weight sums
    /// are known already (as after [`WordInfo::drop_features`]).
    pub fn without_features(w: &str, lex: &Lexicon) -> WordInfo {
        WordInfo::make(w, lex, false)
    }

    /// The key of a word's entry in a model's vocabulary: the hash of its own word feature.
    pub fn vocabulary_key(w: &str) -> u64 {
        hstr(T_WORD, w)
    }

    #[inline]
    fn make(w: &str, lex: &Lexicon, with_features: bool) -> WordInfo {
        let lower = w.to_lowercase();
        let lower_h = hstr(T_LOWER, &lower);
        // the word lists are read below; their first memory read overlaps the work before
        lex.prefetch_word(lower_h);
        // the shapes (see `shape` and `short_shape`) and the casing, in one pass
        let mut sh: smallvec::SmallVec<[u8; 32]> = smallvec::SmallVec::new();
        let mut ss: smallvec::SmallVec<[u8; 16]> = smallvec::SmallVec::new();
        let (mut last, mut run) = ('\0', 0);
        let (mut has_letter, mut has_lower) = (false, false);
        let mut utf8 = [0u8; 4];
        for c in w.chars() {
            has_letter |= c.is_alphabetic();
            has_lower |= c.is_lowercase();
            let s = shape_char(c);
            let bytes = s.encode_utf8(&mut utf8).as_bytes();
            if s == last {
                run += 1;
                if run > 4 {
                    continue;
                }
            } else {
                run = 1;
                last = s;
                ss.extend_from_slice(bytes);
            }
            sh.extend_from_slice(bytes);
        }
        let first = w.chars().next().unwrap_or(' ');
        let cap = first.is_uppercase();
        let alpha = first.is_alphabetic();
        let allcaps = has_letter && !has_lower;
        let ss_h = hbytes(T_SSHAPE, &ss);
        let n = lower.chars().count();
        let lists = lex.word(lower_h);
        let (whole, part) = (lists.whole, lists.part);
        let (freq, gaz_start) = (lists.freq, (lists.start, lists.start_len));
        let mut info = WordInfo {
            feats: Vec::new(),
            ends: [0; 5],
            lower,
            lower_h,
            ss_h,
            cap,
            allcaps,
            long: n > 1,
            alpha,
            gaz: whole,
            freq,
            gaz_start,
        };
        if !with_features {
            return info;
        }
        let lower = &info.lower;
        let mut feats = Vec::with_capacity(32);
        feats.push(hstr(T_WORD, w));
        feats.push(lower_h);
        feats.push(hbytes(T_SHAPE, &sh));
        feats.push(ss_h);
        // prefixes and suffixes of one to four characters
        let ascii = n == lower.len();
        let prefix_end = |k: usize| {
            if ascii {
                k
            } else {
                lower.char_indices().nth(k).map_or(lower.len(), |(i, _)| i)
            }
        };
        let suffix_start = |k: usize| {
            if k == 0 {
                lower.len()
            } else if ascii {
                lower.len() - k
            } else {
                lower.char_indices().rev().nth(k - 1).map_or(0, |(i, _)| i)
            }
        };
        for k in 1..=4usize.min(n) {
            feats.push(hstr(T_PREFIX + k as u64, &lower[..prefix_end(k)]));
            feats.push(hstr(T_SUFFIX + k as u64, &lower[suffix_start(k)..]));
        }
        let capbit = cap as u64;
        for l in 0..LISTS.len() {
            if whole & (1 << l) != 0 {
                feats.push(hmix(T_GAZ_WHOLE, &[l as u64, capbit]));
            }
            if part & (1 << l) != 0 {
                feats.push(hmix(T_GAZ_PART, &[l as u64, capbit]));
            }
        }
        feats.push(hmix(T_FREQ, &[freq as u64, capbit, allcaps as u64]));
        let mut ends = [0u8; 5];
        ends[0] = feats.len() as u8;
        let suf3_h = hstr(0, &lower[suffix_start(3.min(n))..]);
        for slot in 0..4 {
            let s = slot as u64;
            feats.push(hmix(T_NB_LOWER + s, &[lower_h]));
            feats.push(hmix(T_NB_SSHAPE + s, &[ss_h]));
            if slot == 1 || slot == 2 {
                feats.push(hmix(T_NB_SUFFIX3 + s, &[suf3_h]));
            }
            for l in 0..LISTS.len() {
                if whole & (1 << l) != 0 {
                    feats.push(hmix(T_NB_GAZ, &[s, l as u64, capbit]));
                }
            }
            ends[slot + 1] = feats.len() as u8;
        }
        info.feats = feats;
        info.ends = ends;
        info
    }
}

/// The casing mode of a sentence.
pub(crate) fn sentence_mode(words: &[&WordInfo]) -> Mode {
    let mut alpha = 0;
    let mut caps = 0;
    let mut allcaps = 0;
    for w in words {
        if w.alpha {
            alpha += 1;
            if w.cap {
                caps += 1;
            }
            if w.allcaps && w.long {
                allcaps += 1;
            }
        }
    }
    if alpha == 0 {
        return Mode::Normal;
    }
    if alpha >= 2 && allcaps * 10 >= alpha * 6 {
        Mode::AllCaps
    } else if alpha >= 3 && caps * 10 >= alpha * 7 {
        Mode::Title
    } else if alpha >= 3 && caps == 0 {
        Mode::Lower
    } else {
        Mode::Normal
    }
}

/// Short-shape hash of the token at `i` (which may be a sentence boundary).
#[inline]
fn ss_at(words: &[&WordInfo], i: isize) -> u64 {
    if i < 0 {
        1
    } else if i as usize >= words.len() {
        2
    } else {
        words[i as usize].ss_h
    }
}

/// Lower-case hash of the token at `i` (which may be a sentence boundary).
#[inline]
fn lw_at(words: &[&WordInfo], i: isize) -> u64 {
    if i < 0 {
        1
    } else if i as usize >= words.len() {
        2
    } else {
        words[i as usize].lower_h
    }
}

/// Context features of token `i` with few distinct values (bias, position, shapes of the token
/// and its neighbours, sentence mode): tagging memoizes their sum on [`shape_key`].
pub(crate) fn shape_features(words: &[&WordInfo], mode: Mode, i: usize, o: &mut Vec<u64>) {
    let n = words.len();
    let mode = mode as u64;
    let ii = i as isize;
    let ss = |i| ss_at(words, i);
    o.push(hmix(T_BIAS, &[]));
    if i == 0 {
        o.push(hmix(T_FIRST_SS, &[ss(0)]));
        o.push(hmix(T_MODE_FIRST, &[mode, ss(0)]));
        o.push(hmix(
            T_FIRST_FREQ,
            &[words[0].freq as u64, words[0].cap as u64],
        ));
        if words[0].gaz & COMMON != 0 {
            o.push(hmix(T_FIRST_COMMON, &[words[0].cap as u64, mode]));
        }
    }
    if i + 1 == n {
        o.push(hmix(T_LAST_SS, &[ss(ii)]));
    }
    o.push(hmix(T_SS3, &[ss(ii - 1), ss(ii), ss(ii + 1)]));
    o.push(hmix(T_SS_L, &[ss(ii - 1), ss(ii)]));
    o.push(hmix(T_SS_R, &[ss(ii), ss(ii + 1)]));
    if mode != 0 {
        o.push(hmix(T_MODE, &[mode]));
        o.push(hmix(T_MODE_SS, &[mode, ss(ii)]));
        let w = words[i];
        o.push(hmix(T_MODE_FREQ, &[mode, w.freq as u64, w.cap as u64]));
    }
}

/// A key of everything [`shape_features`] of token `i` depend on: equal keys, equal features.
#[inline]
pub(crate) fn shape_key(words: &[&WordInfo], mode: Mode, i: usize) -> u64 {
    let n = words.len();
    let ii = i as isize;
    let w = words[i];
    let mut flags = mode as u64 | ((i == 0) as u64) << 2 | ((i + 1 == n) as u64) << 3;
    if i == 0 || mode != Mode::Normal {
        flags |= (w.freq as u64) << 4 | (w.cap as u64) << 12 | ((w.gaz & COMMON != 0) as u64) << 13;
    }
    hmix(
        0,
        &[ss_at(words, ii - 1), w.ss_h, ss_at(words, ii + 1), flags],
    )
}

/// Lexical context features of token `i`: word bigrams and other combinations of its
/// lower-cased word with a neighbour or the sentence mode.
#[inline]
pub(crate) fn lexical_features(words: &[&WordInfo], mode: Mode, i: usize, x: &mut Vec<u64>) {
    let mode = mode as u64;
    let ii = i as isize;
    let ss = |i| ss_at(words, i);
    let lw = |i| lw_at(words, i);
    x.push(hmix(T_BIGRAM_L, &[lw(ii - 1), lw(ii)]));
    x.push(hmix(T_BIGRAM_R, &[lw(ii), lw(ii + 1)]));
    x.push(hmix(T_LOWER_NEXT_SS, &[lw(ii), ss(ii + 1)]));
    x.push(hmix(T_PREV_SS_LOWER, &[ss(ii - 1), lw(ii)]));
    if mode != 0 {
        x.push(hmix(T_MODE_LOWER, &[mode, lw(ii)]));
    }
}

/// Gazetteer phrase features of a sentence: calls `add(i, feature)` for each, token by token
/// within a match, matches in the order [`Lexicon::matches`] finds them.
pub(crate) fn phrase_features(
    words: &[&WordInfo],
    mode: Mode,
    lex: &Lexicon,
    mut add: impl FnMut(usize, u64),
) {
    let mode = mode as u64;
    lex.matches(words, |list, s, e| {
        let l = list as u64;
        if e - s == 1 {
            add(s, hmix(T_GAZ_PHRASE, &[l, 3, words[s].cap as u64]));
            add(s, hmix(T_GAZ_PHRASE_MODE, &[l, 3, mode]));
        } else {
            let allcap = words[s..e].iter().all(|w| w.cap || !w.alpha) as u64;
            for i in s..e {
                let pos = if i == s {
                    0
                } else if i + 1 == e {
                    2
                } else {
                    1
                };
                add(i, hmix(T_GAZ_PHRASE, &[l, pos, allcap]));
                add(i, hmix(T_GAZ_PHRASE_MODE, &[l, pos, mode]));
            }
        }
    });
}

/// Context features of every token of a sentence, appended to `out[i]`: shape features and
/// gazetteer phrases go to `out`, lexical features to `lex_out`.
pub(crate) fn context_features(
    words: &[&WordInfo],
    lex: &Lexicon,
    out: &mut [Vec<u64>],
    lex_out: &mut [Vec<u64>],
) {
    let mode = sentence_mode(words);
    for (i, (o, x)) in out.iter_mut().zip(lex_out.iter_mut()).enumerate() {
        shape_features(words, mode, i, o);
        lexical_features(words, mode, i, x);
    }
    phrase_features(words, mode, lex, |i, f| out[i].push(f));
}

/// Every feature of every token of a sentence: its own word features, its neighbours' and the
/// context features. Training uses this; tagging computes the same sums through its word cache.
pub(crate) fn sentence_features(
    words: &[&WordInfo],
    bos: &WordInfo,
    eos: &WordInfo,
    lex: &Lexicon,
) -> Vec<Vec<u64>> {
    let n = words.len();
    let mut out = vec![Vec::new(); n];
    for (i, o) in out.iter_mut().enumerate() {
        o.extend_from_slice(words[i].own());
        for (slot, &off) in OFFSETS.iter().enumerate() {
            o.extend_from_slice(neighbour(words, bos, eos, i, off).neigh(slot));
        }
    }
    let mut lexical = vec![Vec::new(); n];
    context_features(words, lex, &mut out, &mut lexical);
    for (o, x) in out.iter_mut().zip(lexical) {
        o.extend(x);
    }
    out
}

/// The word at offset `off` from `i`, or the boundary pseudo-word.
#[inline]
pub(crate) fn neighbour<'a>(
    words: &[&'a WordInfo],
    bos: &'a WordInfo,
    eos: &'a WordInfo,
    i: usize,
    off: isize,
) -> &'a WordInfo {
    let j = i as isize + off;
    if j < 0 {
        bos
    } else if j as usize >= words.len() {
        eos
    } else {
        words[j as usize]
    }
}

/// A per-corpus cache of [`WordInfo`] for training, with the bundled lists.
#[derive(Default)]
pub(crate) struct WordCache<'a> {
    map: FxMap<&'a str, usize>,
    /// The infos, in order of first sight.
    pub infos: Vec<WordInfo>,
}

impl<'a> WordCache<'a> {
    /// Index of the info of `w`, computing it at first sight.
    pub fn id(&mut self, w: &'a str) -> usize {
        if let Some(&i) = self.map.get(w) {
            return i;
        }
        let i = self.infos.len();
        self.infos
            .push(WordInfo::new(w, &ListTables::get().lexicon()));
        self.map.insert(w, i);
        i
    }
}

/// What the first pass said that the second-pass features of one token are made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DocView {
    /// First-pass label of the token.
    pub label: u8,
    /// Label of the token before (`NL` at the start of the sentence).
    pub prev: u8,
    /// Label of the token after (`NL` at the end of the sentence).
    pub next: u8,
    /// For an alphabetic word, what the first pass said about it elsewhere in the document.
    pub word: Option<WordView>,
}

/// The first pass's labels of the other occurrences of a word in its document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordView {
    /// Majority class elsewhere, and the class of the word's first occurrence.
    pub majority: Option<(u8, u8)>,
    /// Bit `k`: labelled of class `k` elsewhere (`k >= 1`).
    pub has: u8,
    /// Bit `k`: first token of a multi-token entity of class `k` elsewhere.
    pub ent_first: u8,
    /// Bit `k`: last token of a multi-token entity of class `k` elsewhere.
    pub ent_last: u8,
    /// Majority class of the reliable occurrences elsewhere (capitalized, not first in their
    /// sentence, in a normally cased sentence).
    pub reliable: Option<u8>,
    /// Casing mode of the token's sentence.
    pub mode: Mode,
}

impl DocView {
    /// The document features of a token whose short shape hash is `ss_h`.
    pub fn features(&self, ss_h: u64, o: &mut Vec<u64>) {
        let dh = DocHashes::get();
        let (l, prev, next) = (self.label, self.prev as usize, self.next as usize);
        let lu = l as usize;
        o.push(
            dh.s1_label
                .get(lu)
                .copied()
                .unwrap_or_else(|| hmix(T_S1_LABEL, &[l as u64])),
        );
        o.push(
            dh.s1_prev
                .get(prev)
                .and_then(|r| r.get(lu))
                .copied()
                .unwrap_or_else(|| hmix(T_S1_PREV, &[prev as u64, l as u64])),
        );
        o.push(
            dh.s1_next
                .get(lu)
                .and_then(|r| r.get(next))
                .copied()
                .unwrap_or_else(|| hmix(T_S1_NEXT, &[l as u64, next as u64])),
        );
        let Some(w) = &self.word else {
            return;
        };
        if let Some((m, fc)) = w.majority {
            let (m, fc) = (m as usize, fc as usize);
            o.push(dh.maj[m]);
            o.push(doc_majority_shape(m, ss_h));
            o.push(
                dh.first_class
                    .get(fc)
                    .copied()
                    .unwrap_or_else(|| hmix(T_DOC_FIRST_CLASS, &[fc as u64])),
            );
        }
        for k in 1..CLASSES {
            if w.has & (1 << k) != 0 {
                o.push(dh.has[k]);
            }
            if w.ent_first & (1 << k) != 0 {
                o.push(dh.ent_first[k]);
            }
            if w.ent_last & (1 << k) != 0 {
                o.push(dh.ent_last[k]);
            }
        }
        if let Some(m) = w.reliable {
            o.push(dh.reliable[m as usize][w.mode as usize]);
        }
    }
}

/// The document feature pairing a word's majority class `m` with its short shape.
#[inline]
pub(crate) fn doc_majority_shape(m: usize, ss_h: u64) -> u64 {
    hmix(T_DOC_MAJ_SS, &[m as u64, ss_h])
}

/// Counts of the first pass's labels over the occurrences of one lower-cased word.
#[derive(Default, Clone, Copy)]
pub(crate) struct Stats {
    all: [u16; CLASSES],
    reliable: [u16; CLASSES],
    ent_first: [u16; CLASSES],
    ent_last: [u16; CLASSES],
    first_class: u8,
    seen: bool,
}

/// Is an occurrence reliable: capitalized, not first in its sentence, in a normally cased one?
#[inline]
fn reliable(w: &WordInfo, i: usize, mode: Mode) -> bool {
    w.cap && i > 0 && mode == Mode::Normal
}

impl Stats {
    /// True once an occurrence has been counted.
    #[inline]
    pub fn seen(&self) -> bool {
        self.seen
    }

    /// Counts one occurrence, labelled `l`, of a word at `i` in a sentence of mode `mode`.
    #[inline]
    pub fn add(&mut self, w: &WordInfo, i: usize, mode: Mode, l: u8) {
        let c = class_of(l);
        if !self.seen {
            self.seen = true;
            self.first_class = c as u8;
        }
        self.all[c] += 1;
        if reliable(w, i, mode) {
            self.reliable[c] += 1;
        }
        match position_of(l) {
            0 => self.ent_first[c] += 1,
            2 => self.ent_last[c] += 1,
            _ => {}
        }
    }

    /// What the counts say about the word elsewhere than its occurrence at `i`, labelled `l`.
    #[inline]
    pub fn view(&self, w: &WordInfo, i: usize, mode: Mode, l: u8) -> WordView {
        let c = class_of(l);
        let mut all = self.all;
        all[c] -= 1;
        let mut rel = self.reliable;
        if reliable(w, i, mode) {
            rel[c] -= 1;
        }
        let mut ent_first = self.ent_first;
        let mut ent_last = self.ent_last;
        match position_of(l) {
            0 => ent_first[c] -= 1,
            2 => ent_last[c] -= 1,
            _ => {}
        }
        let bits = |a: &[u16; CLASSES]| -> u8 {
            (1..CLASSES)
                .filter(|&k| a[k] > 0)
                .fold(0, |b, k| b | 1 << k)
        };
        WordView {
            majority: majority(&all).map(|m| (m as u8, self.first_class)),
            has: bits(&all),
            ent_first: bits(&ent_first),
            ent_last: bits(&ent_last),
            reliable: majority(&rel).map(|m| m as u8),
            mode,
        }
    }
}

/// The [`DocView`] of token `i` of a sentence labelled `ls` whose word is `w` (`stats` the
/// counts of the word's lower case over the document, `None` for a non-alphabetic word).
#[inline]
pub(crate) fn doc_view(
    ls: &[u8],
    i: usize,
    w: &WordInfo,
    mode: Mode,
    stats: Option<&Stats>,
) -> DocView {
    let l = ls[i];
    DocView {
        label: l,
        prev: if i > 0 { ls[i - 1] } else { NL as u8 },
        next: ls.get(i + 1).copied().unwrap_or(NL as u8),
        word: stats.filter(|_| w.alpha).map(|st| st.view(w, i, mode, l)),
    }
}

/// Document features for the second pass. `words[s][i]` are word infos, `labels[s][i]` the
/// first pass's labels; the features of token `i` of sentence `s` are handed to
/// `emit(s, i, features)`, in order.
pub(crate) fn doc_features<'w, W: AsRef<[&'w WordInfo]>>(
    words: &[W],
    labels: &[Vec<u8>],
    mut emit: impl FnMut(usize, usize, &[u64]),
) {
    // keyed by the hash of the lower-cased word
    let mut stats: FxMap<u64, Stats> = FxMap::default();
    let mut modes = Vec::with_capacity(words.len());
    for (ws, ls) in words.iter().zip(labels) {
        let ws = ws.as_ref();
        let mode = sentence_mode(ws);
        modes.push(mode);
        for (i, (w, &l)) in ws.iter().zip(ls).enumerate() {
            if w.alpha {
                stats.entry(w.lower_h).or_default().add(w, i, mode, l);
            }
        }
    }
    let mut buf: Vec<u64> = Vec::with_capacity(24);
    for (s, (ws, ls)) in words.iter().zip(labels).enumerate() {
        let ws = ws.as_ref();
        for (i, w) in ws.iter().enumerate().take(ls.len()) {
            let v = doc_view(ls, i, w, modes[s], stats.get(&w.lower_h));
            buf.clear();
            v.features(w.ss_h, &mut buf);
            emit(s, i, &buf);
        }
    }
}

/// Hashes of the document features with few values, computed once.
pub(crate) struct DocHashes {
    /// `[label]`.
    pub s1_label: [u64; NL],
    /// `[prev][label]`, `prev == NL` before the first token.
    pub s1_prev: [[u64; NL]; NL + 1],
    /// `[label][next]`, `next == NL` after the last token.
    pub s1_next: [[u64; NL + 1]; NL],
    /// `[class]`.
    pub maj: [u64; CLASSES],
    /// `[class]`.
    pub first_class: [u64; CLASSES],
    /// `[class]`.
    pub has: [u64; CLASSES],
    /// `[class]`.
    pub ent_first: [u64; CLASSES],
    /// `[class]`.
    pub ent_last: [u64; CLASSES],
    /// `[class][mode]`.
    pub reliable: [[u64; 4]; CLASSES],
}

impl DocHashes {
    /// The hashes, computed on first use.
    pub fn get() -> &'static DocHashes {
        static D: std::sync::OnceLock<DocHashes> = std::sync::OnceLock::new();
        D.get_or_init(|| {
            let one = |t: u64| -> [u64; CLASSES] { std::array::from_fn(|k| hmix(t, &[k as u64])) };
            DocHashes {
                s1_label: std::array::from_fn(|l| hmix(T_S1_LABEL, &[l as u64])),
                s1_prev: std::array::from_fn(|p| {
                    std::array::from_fn(|l| hmix(T_S1_PREV, &[p as u64, l as u64]))
                }),
                s1_next: std::array::from_fn(|l| {
                    std::array::from_fn(|n| hmix(T_S1_NEXT, &[l as u64, n as u64]))
                }),
                maj: one(T_DOC_MAJ),
                first_class: one(T_DOC_FIRST_CLASS),
                has: one(T_DOC_HAS),
                ent_first: one(T_DOC_ENT_FIRST),
                ent_last: one(T_DOC_ENT_LAST),
                reliable: std::array::from_fn(|m| {
                    std::array::from_fn(|mode| hmix(T_DOC_RELIABLE, &[m as u64, mode as u64]))
                }),
            }
        })
    }
}

/// The class with most counts (ties go to entity classes before O), if any count.
#[inline]
fn majority(c: &[u16; CLASSES]) -> Option<usize> {
    let mut best = 0;
    let mut bestn = 0;
    for (k, &n) in c.iter().enumerate().skip(1) {
        if n > bestn {
            bestn = n;
            best = k;
        }
    }
    if c[0] > bestn {
        return Some(0);
    }
    (bestn > 0).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bytes_read_as_their_zero_padded_copy() {
        let bytes: Vec<u8> = (0..9u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(0xA1))
            .collect();
        for n in 0..=8 {
            let mut a = [0u8; 8];
            a[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(le_upto8(&bytes[..n]), u64::from_le_bytes(a), "{n} bytes");
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Washington"), "Xxxxx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1996-08-22"), "dddd-dd-dd");
        assert_eq!(short_shape("McDonald's"), "XxXx'x");
        assert_eq!(short_shape("IBM"), "X");
    }

    /// A word's shape, affix and casing facts as `WordInfo::new` computed them before it did
    /// so in one pass: the first twelve features at most, and (cap, alpha, allcaps).
    fn reference(w: &str) -> (Vec<u64>, (bool, bool, bool)) {
        let lower = w.to_lowercase();
        let mut feats = vec![
            hstr(T_WORD, w),
            hstr(T_LOWER, &lower),
            hstr(T_SHAPE, &shape(w)),
            hstr(T_SSHAPE, &short_shape(w)),
        ];
        let n = lower.chars().count();
        let bounds: Vec<usize> = lower
            .char_indices()
            .map(|(i, _)| i)
            .chain([lower.len()])
            .collect();
        for k in 1..=4usize.min(n) {
            feats.push(hstr(T_PREFIX + k as u64, &lower[..bounds[k]]));
            feats.push(hstr(T_SUFFIX + k as u64, &lower[bounds[n - k]..]));
        }
        let suf3 = hstr(0, &lower[bounds[n.saturating_sub(3)]..]);
        feats.push(hmix(T_NB_SUFFIX3 + 1, &[suf3]));
        let first = w.chars().next().unwrap_or(' ');
        let has_letter = w.chars().any(char::is_alphabetic);
        let allcaps = has_letter && !w.chars().any(char::is_lowercase);
        (
            feats,
            (first.is_uppercase(), first.is_alphabetic(), allcaps),
        )
    }

    #[test]
    fn one_pass_word_features_equal_the_reference() {
        let lex = ListTables::get().lexicon();
        for w in [
            "",
            "a",
            "Washington",
            "U.S.",
            "McDonald's",
            "IBM",
            "1996-08-22",
            "Aaaaaaaah",
            "ÉCOLE",
            "Zürich",
            "İstanbul",
            "straße",
            "ΣΟΦΊΑ",
            "日本語",
            "x-ray",
            "--",
            "Ⅷ",
            "o'neill",
            "naïve",
        ] {
            let info = WordInfo::new(w, &lex);
            let (want, casing) = reference(w);
            let n = want.len() - 1;
            assert_eq!(&info.own()[..n], &want[..n], "{w:?}");
            assert!(info.neigh(1).contains(&want[n]), "{w:?}: suffix of three");
            assert_eq!((info.cap, info.alpha, info.allcaps), casing, "{w:?}");
        }
    }

    #[test]
    fn hashing_is_stable() {
        assert_eq!(hstr(1, "abc"), hstr(1, "abc"));
        assert_ne!(hstr(1, "abc"), hstr(2, "abc"));
        assert_ne!(hstr(1, "abcdefgh1"), hstr(1, "abcdefgh2"));
        assert_ne!(hmix(1, &[1, 2]), hmix(1, &[2, 1]));
    }

    #[test]
    fn modes() {
        let infos: Vec<WordInfo> = ["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN"]
            .iter()
            .map(|w| WordInfo::new(w, &ListTables::get().lexicon()))
            .collect();
        let refs: Vec<&WordInfo> = infos.iter().collect();
        assert_eq!(sentence_mode(&refs), Mode::AllCaps);
        let infos: Vec<WordInfo> = ["where", "can", "i", "get", "it"]
            .iter()
            .map(|w| WordInfo::new(w, &ListTables::get().lexicon()))
            .collect();
        let refs: Vec<&WordInfo> = infos.iter().collect();
        assert_eq!(sentence_mode(&refs), Mode::Lower);
    }
}
