//! The tagger's internal BILOU labels and constrained first-order Viterbi decoding.
//!
//! Label 0 is O; kind `k` (its [`Kind::index`]) has B = 1 + 4k, I = 2 + 4k, L = 3 + 4k and
//! U = 4 + 4k. (Learning CoNLL's MISC as a fourth class was tried: on the dev sets it did not
//! pay for the extra labels, so MISC is simply outside.) Decoding only admits well-formed sequences: I and L continue a B or I of the same
//! kind, nothing else may follow B or I, and a sentence cannot end inside an entity.

use super::Tag;
use crate::kind::Kind;

/// Number of entity classes: the three kinds.
pub(crate) const ENTITY_CLASSES: usize = 3;

/// Number of classes including O (class 0).
pub(crate) const CLASSES: usize = ENTITY_CLASSES + 1;

/// Number of labels.
pub(crate) const NL: usize = 1 + 4 * ENTITY_CLASSES;

/// A score far below any reachable one.
const NEG: i32 = i32::MIN / 4;

/// Label of kind `k` at position `pos` (0 = B, 1 = I, 2 = L, 3 = U).
#[cfg(test)]
pub(crate) fn label(k: Kind, pos: u8) -> u8 {
    label_of(k.index(), pos)
}

/// Label of entity class `c` at position `pos`.
#[inline]
fn label_of(c: usize, pos: u8) -> u8 {
    1 + 4 * c as u8 + pos
}

/// Class of a label: 0 for O, 1 + kind index otherwise.
#[inline]
pub(crate) const fn class_of(l: u8) -> usize {
    if l == 0 { 0 } else { 1 + (l as usize - 1) / 4 }
}

/// Position of a label in its entity: 0 = B, 1 = I, 2 = L, 3 = U, 4 for O.
#[inline]
pub(crate) const fn position_of(l: u8) -> u8 {
    if l == 0 { 4 } else { (l - 1) % 4 }
}

/// The BIO tag of a label.
pub(crate) fn to_tag(l: u8) -> Tag {
    let c = class_of(l);
    if c == 0 || c > Kind::ALL.len() {
        return Tag::O;
    }
    let k = Kind::ALL[c - 1];
    match position_of(l) {
        0 | 3 => Tag::B(k),
        _ => Tag::I(k),
    }
}

/// BILOU labels of a BIO tag sequence (malformed I- after O read as B-).
pub(crate) fn from_tags(tags: &[Tag]) -> Vec<u8> {
    let mut out = vec![0u8; tags.len()];
    for (r, k) in super::spans(tags) {
        let c = k.index();
        if r.len() == 1 {
            out[r.start] = label_of(c, 3);
        } else {
            out[r.start] = label_of(c, 0);
            for o in &mut out[r.start + 1..r.end - 1] {
                *o = label_of(c, 1);
            }
            out[r.end - 1] = label_of(c, 2);
        }
    }
    out
}

/// May `cur` follow `prev`?
#[inline]
pub(crate) const fn allowed(prev: u8, cur: u8) -> bool {
    match position_of(prev) {
        0 | 1 => class_of(cur) == class_of(prev) && matches!(position_of(cur), 1 | 2),
        _ => matches!(position_of(cur), 0 | 3 | 4),
    }
}

/// May a sentence start with `l`?
#[inline]
pub(crate) fn allowed_start(l: u8) -> bool {
    matches!(position_of(l), 0 | 3 | 4)
}

/// May a sentence end with `l`?
#[inline]
pub(crate) fn allowed_end(l: u8) -> bool {
    matches!(position_of(l), 2..=4)
}

/// Transition scores: `trans[prev * NL + cur]`, plus start and end scores. Forbidden moves are
/// folded in as [`NEG`] by [`Transitions::masked`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Transitions {
    /// `prev * NL + cur`.
    pub trans: Vec<i32>,
    /// Score of starting with a label.
    pub start: Vec<i32>,
    /// Score of ending with a label.
    pub end: Vec<i32>,
}

impl Transitions {
    /// All zero.
    pub fn zero() -> Self {
        Transitions {
            trans: vec![0; NL * NL],
            start: vec![0; NL],
            end: vec![0; NL],
        }
    }

    /// A copy with forbidden moves set to a prohibitive score.
    pub fn masked(&self) -> Transitions {
        let mut t = self.clone();
        for p in 0..NL as u8 {
            for c in 0..NL as u8 {
                if !allowed(p, c) {
                    t.trans[p as usize * NL + c as usize] = NEG;
                }
            }
            if !allowed_start(p) {
                t.start[p as usize] = NEG;
            }
            if !allowed_end(p) {
                t.end[p as usize] = NEG;
            }
        }
        t
    }
}

/// Labels that may start an entity or stand outside one (O, B-*, U-*): they may follow
/// exactly the labels of [`ENDS`].
const STARTS: [usize; 1 + 2 * ENTITY_CLASSES] = {
    let mut a = [0usize; 1 + 2 * ENTITY_CLASSES];
    let mut k = 0;
    while k < ENTITY_CLASSES {
        a[1 + 2 * k] = 1 + 4 * k;
        a[2 + 2 * k] = 4 + 4 * k;
        k += 1;
    }
    a
};

/// Labels that close an entity or stand outside one (O, L-*, U-*).
const ENDS: [usize; 1 + 2 * ENTITY_CLASSES] = {
    let mut a = [0usize; 1 + 2 * ENTITY_CLASSES];
    let mut k = 0;
    while k < ENTITY_CLASSES {
        a[1 + 2 * k] = 3 + 4 * k;
        a[2 + 2 * k] = 4 + 4 * k;
        k += 1;
    }
    a
};

/// `START_AT[y]`: the index of label `y` in [`STARTS`], [`NOT_A_START`] for I and L labels.
const START_AT: [usize; NL] = {
    let mut a = [NOT_A_START; NL];
    let mut k = 0;
    while k < STARTS.len() {
        a[STARTS[k]] = k;
        k += 1;
    }
    a
};

/// See [`START_AT`].
const NOT_A_START: usize = usize::MAX;

/// Lanes of the start-or-outside label vectors (seven labels, one lane of padding).
const W: usize = 8;

/// Transition scores arranged for decoding: only the allowed moves, in fixed-size arrays.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Moves {
    /// `into[j][k]`: from `ENDS[j]` to `STARTS[k]` (lane 7: [`NEG`]).
    into: [[i32; W]; ENDS.len()],
    /// `out_of[k][j]`: the same scores transposed (lane 7: [`NEG`]).
    out_of: [[i32; W]; STARTS.len()],
    /// Per entity class: B to I, I to I, B to L, I to L.
    inner: [[i32; 4]; ENTITY_CLASSES],
    /// Score of starting with a label ([`NEG`] where not allowed).
    start: [i32; NL],
    /// Score of ending with a label ([`NEG`] where not allowed).
    end: [i32; NL],
}

impl Transitions {
    /// The allowed moves of these transitions, for decoding.
    pub fn moves(&self) -> Moves {
        let t = self.masked();
        let at = |p: usize, c: usize| t.trans.get(p * NL + c).copied().unwrap_or(NEG);
        let mut into = [[NEG; W]; ENDS.len()];
        let mut out_of = [[NEG; W]; STARTS.len()];
        for (j, &p) in ENDS.iter().enumerate() {
            for (k, &c) in STARTS.iter().enumerate() {
                into[j][k] = at(p, c);
                out_of[k][j] = at(p, c);
            }
        }
        let inner = std::array::from_fn(|k| {
            let (b, i, l) = (1 + 4 * k, 2 + 4 * k, 3 + 4 * k);
            [at(b, i), at(i, i), at(b, l), at(i, l)]
        });
        let arr = |v: &[i32]| std::array::from_fn(|y| v.get(y).copied().unwrap_or(NEG));
        Moves {
            into,
            out_of,
            inner,
            start: arr(&t.start),
            end: arr(&t.end),
        }
    }
}

/// Buffers of decoding, reused between sentences.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lattice {
    /// Forward scores, `NL` a token.
    alpha: Vec<[i32; NL]>,
    /// `tops[i]`: the highest forward score at token `i - 1`, subtracted at token `i`.
    tops: Vec<i32>,
}

/// Largest element.
#[inline]
fn top(v: &[i32; NL]) -> i32 {
    v.iter().copied().fold(i32::MIN, i32::max)
}

/// Best label sequence for emission scores `em` (`n * NL`, row per token) under the moves
/// `m`. Writes labels into `out`; keeps the forward scores in `lat` (for [`margins`]).
///
/// Only allowed moves are scored: a start-or-outside label (O, B, U) follows an end-or-outside
/// label (O, L, U); I and L of a kind follow B or I of the same kind. The forward pass keeps
/// only the best scores (no back-pointers, so it has no data-dependent branches), renormalized
/// at each token so that long sentences cannot overflow; the backtrace recomputes the best
/// predecessor of the one label chosen at each token, the first best in label order.
pub(crate) fn viterbi(em: &[i32], m: &Moves, out: &mut Vec<u8>, lat: &mut Lattice) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just checked.
        return unsafe { wide::viterbi(em, m, out, lat) };
    }
    viterbi_in(em, m, out, lat)
}

/// [`viterbi`]'s body, inlined into each of its compilations.
#[inline(always)]
fn viterbi_in(em: &[i32], m: &Moves, out: &mut Vec<u8>, lat: &mut Lattice) {
    let n = em.len() / NL;
    out.clear();
    lat.alpha.clear();
    lat.tops.clear();
    if n == 0 {
        return;
    }
    let mut prev = [0i32; NL];
    for (y, p) in prev.iter_mut().enumerate() {
        *p = (m.start[y] as i64 + em[y] as i64).max(NEG as i64) as i32;
    }
    lat.alpha.push(prev);
    lat.tops.push(0);
    for row in em.chunks_exact(NL).skip(1) {
        let t = top(&prev);
        let mut p = [0i32; NL];
        for (q, &v) in p.iter_mut().zip(&prev) {
            *q = (v - t).max(NEG);
        }
        let mut best = [NEG; W];
        for (j, &e) in ENDS.iter().enumerate() {
            let pp = p[e];
            for (b, &tr) in best.iter_mut().zip(&m.into[j]) {
                *b = (*b).max(pp + tr);
            }
        }
        let mut cur = [NEG; NL];
        for (k, &y) in STARTS.iter().enumerate() {
            cur[y] = (best[k] + row[y]).max(NEG);
        }
        for (k, mv) in m.inner.iter().enumerate() {
            let (b, i, l) = (1 + 4 * k, 2 + 4 * k, 3 + 4 * k);
            cur[i] = ((p[b] + mv[0]).max(p[i] + mv[1]) + row[i]).max(NEG);
            cur[l] = ((p[b] + mv[2]).max(p[i] + mv[3]) + row[l]).max(NEG);
        }
        lat.alpha.push(cur);
        lat.tops.push(t);
        prev = cur;
    }
    let mut best = i64::MIN;
    let mut arg = 0usize;
    for (y, (&p, &e)) in prev.iter().zip(&m.end).enumerate() {
        let s = p as i64 + e as i64;
        if s > best {
            best = s;
            arg = y;
        }
    }
    out.resize(n, 0);
    out[n - 1] = arg as u8;
    for i in (1..n).rev() {
        // the best allowed predecessor of `arg`, from the renormalized scores at i - 1 (the
        // first best in label order); no sum leaves i32: both terms are at least NEG
        let a = &lat.alpha[i - 1];
        let t = lat.tops[i];
        let r = |p: usize| (a[p] - t).max(NEG);
        arg = match START_AT[arg] {
            NOT_A_START => {
                let k = (arg - 2) / 4;
                let (b, i) = (1 + 4 * k, 2 + 4 * k);
                let mv = &m.inner[k];
                let (from_b, from_i) = if arg == i {
                    (mv[0], mv[1])
                } else {
                    (mv[2], mv[3])
                };
                if r(i) + from_i > r(b) + from_b { i } else { b }
            }
            k => {
                let s: [i32; ENDS.len()] = std::array::from_fn(|j| r(ENDS[j]) + m.out_of[k][j]);
                let best = s.iter().copied().fold(i32::MIN, i32::max);
                ENDS[s.iter().position(|&x| x == best).unwrap_or(0)]
            }
        };
        out[i - 1] = arg as u8;
    }
}

/// For each token inside an entity (label not O), how far the best sequence's score is above
/// the best sequence giving that token another label (max-marginal margin); 0 for the others,
/// which are not computed. `best` is the Viterbi output for `em` and `lat` the forward scores
/// [`viterbi`] left. The margins are appended to `all`.
pub(crate) fn margins(em: &[i32], m: &Moves, best: &[u8], lat: &Lattice, all: &mut Vec<i64>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just checked.
        return unsafe { wide::margins(em, m, best, lat, all) };
    }
    margins_in(em, m, best, lat, all)
}

/// [`margins`]'s body, inlined into each of its compilations.
#[inline(always)]
fn margins_in(em: &[i32], m: &Moves, best: &[u8], lat: &Lattice, all: &mut Vec<i64>) {
    let n = best.len();
    let at = all.len();
    all.resize(at + n, 0);
    let out = &mut all[at..];
    if n == 0 || lat.alpha.len() != n || em.len() != n * NL {
        return;
    }
    // the backward pass stops at the first entity token
    let Some(first) = best.iter().position(|&l| l != 0) else {
        return;
    };
    // beta: best score of the rest of the sentence after each label, renormalized per token
    let mut beta = [0i32; NL];
    for (b, &e) in beta.iter_mut().zip(&m.end) {
        *b = e.max(NEG);
    }
    for i in (first..n).rev() {
        if i + 1 < n {
            // v[c]: score of taking label c at i + 1 and the best rest after it
            let row = &em[(i + 1) * NL..(i + 2) * NL];
            let mut v = [NEG; NL];
            for ((x, &r), &b) in v.iter_mut().zip(row).zip(&beta) {
                *x = (r as i64 + b as i64).max(NEG as i64) as i32;
            }
            let t = top(&v);
            for x in v.iter_mut() {
                *x = (*x - t).max(NEG);
            }
            let mut ends = [NEG; W];
            for (k, &c) in STARTS.iter().enumerate() {
                let vc = v[c];
                for (e, &tr) in ends.iter_mut().zip(&m.out_of[k]) {
                    *e = (*e).max(tr + vc);
                }
            }
            let mut nb = [NEG; NL];
            for (j, &y) in ENDS.iter().enumerate() {
                nb[y] = ends[j];
            }
            for (k, mv) in m.inner.iter().enumerate() {
                let (b, ci, cl) = (1 + 4 * k, 2 + 4 * k, 3 + 4 * k);
                nb[b] = (mv[0] + v[ci]).max(mv[2] + v[cl]);
                nb[ci] = (mv[1] + v[ci]).max(mv[3] + v[cl]);
            }
            beta = nb;
        }
        let b = best[i] as usize;
        if b == 0 {
            continue;
        }
        let a = &lat.alpha[i];
        let mut mine = i64::MIN;
        let mut other = i64::MIN;
        for (y, (&x, &z)) in a.iter().zip(&beta).enumerate() {
            let s = x as i64 + z as i64;
            if y == b {
                mine = s;
            } else {
                other = other.max(s);
            }
        }
        out[i] = (mine - other).max(0);
    }
}

/// The decoders compiled for processors with AVX2, chosen at run time: a label row is two
/// vectors of eight scores there, and the maxima are single instructions (SSE2, the baseline
/// of x86-64, has no packed 32-bit maximum). Same integer arithmetic, same results.
#[cfg(target_arch = "x86_64")]
mod wide {
    use super::*;

    #[target_feature(enable = "avx2")]
    pub(super) fn viterbi(em: &[i32], m: &Moves, out: &mut Vec<u8>, lat: &mut Lattice) {
        viterbi_in(em, m, out, lat)
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn margins(em: &[i32], m: &Moves, best: &[u8], lat: &Lattice, all: &mut Vec<i64>) {
        margins_in(em, m, best, lat, all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The plain decoder the one above was derived from, kept to check it.
    /// Best label sequence for emission scores `em` (`n * NL`, row per token) under masked
    /// transitions `t`. Writes labels into `out`; `alpha` is scratch.
    ///
    /// Only allowed moves are scored: a start-or-outside label (O, B, U) follows an end-or-outside
    /// label (O, L, U); I and L of a kind follow B or I of the same kind. The forward pass keeps
    /// only the best scores (no back-pointers, so it has no data-dependent branches); the
    /// backtrace recomputes the best predecessor of the one label chosen at each token.
    fn viterbi_reference(em: &[i32], t: &Transitions, out: &mut Vec<u8>, alpha: &mut Vec<i32>) {
        let n = em.len() / NL;
        out.clear();
        if n == 0 {
            return;
        }
        let Ok(trans) = <&[i32; NL * NL]>::try_from(t.trans.as_slice()) else {
            return;
        };
        // transposed transitions of the start-or-outside targets: tt[j][y] = trans[ENDS[j]][y]
        let mut tt = [[0i32; NL]; ENDS.len()];
        for (j, &p) in ENDS.iter().enumerate() {
            tt[j].copy_from_slice(&trans[p * NL..(p + 1) * NL]);
        }
        alpha.clear();
        alpha.resize(n * NL, 0);
        let mut prev = [0i32; NL];
        for y in 0..NL {
            prev[y] = (t.start[y] as i64 + em[y] as i64).max(NEG as i64) as i32;
        }
        alpha[..NL].copy_from_slice(&prev);
        for (row, a) in em.chunks_exact(NL).zip(alpha.chunks_exact_mut(NL)).skip(1) {
            // keep scores near zero so that long sentences cannot overflow
            let top = prev.iter().copied().max().unwrap_or(0);
            for p in prev.iter_mut() {
                *p = (*p - top).max(NEG);
            }
            // start-or-outside targets: max over end-or-outside predecessors, all targets at once
            let mut best = [NEG; NL];
            for (j, &p) in ENDS.iter().enumerate() {
                let pp = prev[p];
                for (b, &tr) in best.iter_mut().zip(&tt[j]) {
                    *b = (*b).max(pp + tr);
                }
            }
            let mut cur = [NEG; NL];
            for &y in &STARTS {
                cur[y] = (best[y] + row[y]).max(NEG);
            }
            for k in 0..ENTITY_CLASSES {
                let (b, i) = (1 + 4 * k, 2 + 4 * k);
                for y in [2 + 4 * k, 3 + 4 * k] {
                    let s = (prev[b] + trans[b * NL + y]).max(prev[i] + trans[i * NL + y]);
                    cur[y] = (s + row[y]).max(NEG);
                }
            }
            a.copy_from_slice(&cur);
            prev = cur;
        }
        let mut best = i64::MIN;
        let mut arg = 0usize;
        for (y, (&p, &e)) in prev.iter().zip(&t.end).enumerate() {
            let s = p as i64 + e as i64;
            if s > best {
                best = s;
                arg = y;
            }
        }
        out.resize(n, 0);
        out[n - 1] = arg as u8;
        for i in (1..n).rev() {
            // the best allowed predecessor of `arg`, from the (renormalized) scores at i - 1
            let a = &alpha[(i - 1) * NL..i * NL];
            let top = a.iter().copied().max().unwrap_or(0);
            let mut bp = 0usize;
            let mut bs = i64::MIN;
            for p in 0..NL {
                if allowed(p as u8, arg as u8) {
                    let s = (a[p] - top).max(NEG) as i64 + trans[p * NL + arg] as i64;
                    if s > bs {
                        bs = s;
                        bp = p;
                    }
                }
            }
            arg = bp;
            out[i - 1] = arg as u8;
        }
    }

    /// For each token, how far the best sequence's score is above the best sequence giving that
    /// token another label (max-marginal margin). `best` is the Viterbi output for `em` and `alpha`
    /// the forward scores [`viterbi`] left in its scratch.
    fn margins_reference(em: &[i32], t: &Transitions, best: &[u8], alpha: &[i32]) -> Vec<i64> {
        let n = best.len();
        if n == 0 || alpha.len() != n * NL || em.len() != n * NL {
            return vec![0; n];
        }
        let Ok(trans) = <&[i32; NL * NL]>::try_from(t.trans.as_slice()) else {
            return vec![0; n];
        };
        let mut out = vec![0i64; n];
        // beta: best score of the rest of the sentence after each label, renormalized per token
        let mut beta = [0i32; NL];
        for (y, b) in beta.iter_mut().enumerate() {
            *b = t.end[y].max(NEG);
        }
        for i in (0..n).rev() {
            if i + 1 < n {
                // v[c]: score of taking label c at i + 1 and the best rest after it
                let row = &em[(i + 1) * NL..(i + 2) * NL];
                let mut v = [NEG; NL];
                for c in 0..NL {
                    v[c] = (row[c] as i64 + beta[c] as i64).max(NEG as i64) as i32;
                }
                let top = v.iter().copied().max().unwrap_or(0);
                for x in v.iter_mut() {
                    *x = (*x - top).max(NEG);
                }
                let mut nb = [NEG; NL];
                for &y in &ENDS {
                    let tr = &trans[y * NL..(y + 1) * NL];
                    let mut m = NEG;
                    for &c in &STARTS {
                        m = m.max(tr[c] + v[c]);
                    }
                    nb[y] = m;
                }
                for k in 0..ENTITY_CLASSES {
                    let (ci, cl) = (2 + 4 * k, 3 + 4 * k);
                    for y in [1 + 4 * k, 2 + 4 * k] {
                        nb[y] = (trans[y * NL + ci] + v[ci]).max(trans[y * NL + cl] + v[cl]);
                    }
                }
                beta = nb;
            }
            let a = &alpha[i * NL..(i + 1) * NL];
            let b = best[i] as usize;
            let mine = a[b] as i64 + beta[b] as i64;
            let mut other = i64::MIN;
            for y in 0..NL {
                if y != b {
                    other = other.max(a[y] as i64 + beta[y] as i64);
                }
            }
            out[i] = (mine - other).max(0);
        }
        out
    }

    /// A tiny deterministic generator.
    fn rng(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z ^ (z >> 31)
    }

    #[test]
    fn decoder_matches_reference() {
        let mut seed = 7u64;
        for case in 0..400 {
            let range = [3u64, 50, 2000, 2_000_000][case % 4];
            let draw =
                |seed: &mut u64| ((rng(seed) % (2 * range + 1)) as i64 - range as i64) as i32;
            let t = Transitions {
                trans: (0..NL * NL).map(|_| draw(&mut seed)).collect(),
                start: (0..NL).map(|_| draw(&mut seed)).collect(),
                end: (0..NL).map(|_| draw(&mut seed)).collect(),
            };
            let n = 1 + (rng(&mut seed) % 40) as usize;
            let em: Vec<i32> = (0..n * NL).map(|_| draw(&mut seed)).collect();
            let masked = t.masked();
            let (mut want, mut back) = (Vec::new(), Vec::new());
            viterbi_reference(&em, &masked, &mut want, &mut back);
            let want_m = margins_reference(&em, &masked, &want, &back);
            // margins are wanted (and computed) inside entities only
            let want_m: Vec<i64> = want_m
                .iter()
                .zip(&want)
                .map(|(&m, &l)| if l == 0 { 0 } else { m })
                .collect();
            // the decoders this processor runs, then the baseline ones whatever it has
            for baseline in [false, true] {
                let (mut got, mut lat, mut got_m) = (Vec::new(), Lattice::default(), vec![-1]);
                if baseline {
                    viterbi_in(&em, &t.moves(), &mut got, &mut lat);
                    margins_in(&em, &t.moves(), &got, &lat, &mut got_m);
                } else {
                    viterbi(&em, &t.moves(), &mut got, &mut lat);
                    margins(&em, &t.moves(), &got, &lat, &mut got_m);
                }
                assert_eq!(got, want, "case {case}, baseline {baseline}");
                assert_eq!(got_m[1..], want_m, "case {case}, baseline {baseline}");
            }
        }
    }

    #[test]
    fn bilou_round_trip() {
        let tags = vec![
            Tag::B(Kind::Person),
            Tag::I(Kind::Person),
            Tag::O,
            Tag::B(Kind::Place),
            Tag::B(Kind::Place),
            Tag::I(Kind::Organization),
        ];
        let labels = from_tags(&tags);
        let back: Vec<Tag> = labels.iter().map(|&l| to_tag(l)).collect();
        assert_eq!(back[..5], tags[..5]);
        // a lone I- is read as the start of an entity
        assert_eq!(back[5], Tag::B(Kind::Organization));
    }

    #[test]
    fn viterbi_forbids_inside_after_outside() {
        // token 0 strongly O, token 1 strongly I-PER: I-PER cannot follow O.
        let ip = label(Kind::Person, 1) as usize;
        let up = label(Kind::Person, 3) as usize;
        let mut em = vec![0i32; 2 * NL];
        em[0] = 100;
        em[NL + ip] = 100;
        em[NL + up] = 10;
        let t = Transitions::zero().moves();
        let (mut out, mut lat) = (Vec::new(), Lattice::default());
        viterbi(&em, &t, &mut out, &mut lat);
        assert_eq!(out, vec![0, up as u8]);
        for w in out.windows(2) {
            assert!(allowed(w[0], w[1]));
        }
        let mut m = Vec::new();
        margins(&em, &t, &out, &lat, &mut m);
        assert_eq!(m[1], 10);
    }

    #[test]
    fn move_sets_match_allowed() {
        for p in 0..NL as u8 {
            for c in 0..NL as u8 {
                let scored = if STARTS.contains(&(c as usize)) {
                    ENDS.contains(&(p as usize))
                } else {
                    class_of(p) == class_of(c) && matches!(position_of(p), 0 | 1)
                };
                assert_eq!(scored, allowed(p, c), "{p} -> {c}");
            }
        }
    }

    #[test]
    fn viterbi_picks_multi_token_entity() {
        let b = label(Kind::Organization, 0) as usize;
        let l = label(Kind::Organization, 2) as usize;
        let mut em = vec![0i32; 3 * NL];
        em[b] = 5;
        em[NL + l] = 5;
        em[2 * NL] = 5;
        let t = Transitions::zero().moves();
        let (mut out, mut lat) = (Vec::new(), Lattice::default());
        viterbi(&em, &t, &mut out, &mut lat);
        assert_eq!(out, vec![b as u8, l as u8, 0]);
    }
}
