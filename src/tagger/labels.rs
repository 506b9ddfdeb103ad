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

/// Best label sequence for emission scores `em` (`n * NL`, row per token) under masked
/// transitions `t`. Writes labels into `out`; `alpha` is scratch.
///
/// Only allowed moves are scored: a start-or-outside label (O, B, U) follows an end-or-outside
/// label (O, L, U); I and L of a kind follow B or I of the same kind. The forward pass keeps
/// only the best scores (no back-pointers, so it has no data-dependent branches); the
/// backtrace recomputes the best predecessor of the one label chosen at each token.
pub(crate) fn viterbi(em: &[i32], t: &Transitions, out: &mut Vec<u8>, alpha: &mut Vec<i32>) {
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
pub(crate) fn margins(em: &[i32], t: &Transitions, best: &[u8], alpha: &[i32]) -> Vec<i64> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let t = Transitions::zero().masked();
        let (mut out, mut back) = (Vec::new(), Vec::new());
        viterbi(&em, &t, &mut out, &mut back);
        assert_eq!(out, vec![0, up as u8]);
        for w in out.windows(2) {
            assert!(allowed(w[0], w[1]));
        }
        let m = margins(&em, &t, &out, &back);
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
        let t = Transitions::zero().masked();
        let (mut out, mut back) = (Vec::new(), Vec::new());
        viterbi(&em, &t, &mut out, &mut back);
        assert_eq!(out, vec![b as u8, l as u8, 0]);
    }
}
