//! The learned named-entity tagger: an averaged perceptron over hashed features with
//! constrained first-order Viterbi decoding, in two passes.
//!
//! The first pass tags each sentence on its own. The second pass sees, besides the same
//! features, what the first pass said about the same word elsewhere in the document (its
//! majority label, whether it ended a person's name, ...), which makes a document consistent and
//! helps headlines in capitals. Internally labels are BILOU; the public [`Tag`] is BIO.
//!
//! The shipped model is `data/model.bin`, embedded in the binary and used where it lies
//! ([`Model::embedded`]): its weights and gazetteers are hash tables laid out for lookup in
//! place, so start-up decodes nothing. Train a new one with [`train`] or [`train_files`].
//! Feature work that depends on one word only is cached per distinct word (across documents),
//! so tagging costs little more than a few table look-ups a token.

mod features;
mod gazetteer;
mod labels;
mod model;
mod table;
mod train;

pub use model::{Entity, Model, ModelError};
pub use train::{EpochReport, TrainError, TrainOptions, TrainSummary, train, train_files};

use crate::kind::Kind;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::OnceLock;

/// A BIO tag of one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tag {
    /// Outside any entity.
    #[default]
    O,
    /// First token of an entity of this kind.
    B(Kind),
    /// A later token of an entity of this kind.
    I(Kind),
}

impl Tag {
    /// The kind of entity the token belongs to, if any.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Tag::O => None,
            Tag::B(k) | Tag::I(k) => Some(k),
        }
    }
}

/// CoNLL label of a kind.
fn conll_label(k: Kind) -> &'static str {
    match k {
        Kind::Person => "PER",
        Kind::Organization => "ORG",
        Kind::Place => "LOC",
    }
}

impl fmt::Display for Tag {
    /// `O`, `B-PER`, `I-ORG`, `B-LOC`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(k) => write!(f, "B-{}", conll_label(*k)),
            Tag::I(k) => write!(f, "I-{}", conll_label(*k)),
        }
    }
}

/// A tag string that is not `O`, `B-TYPE` or `I-TYPE` with a known type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad tag `{0}` (expected O, B-TYPE or I-TYPE with TYPE one of PER, ORG, LOC)")]
pub struct TagError(pub String);

impl FromStr for Tag {
    type Err = TagError;

    /// Parses `O`, `B-PER`, `I-LOC`, ...; types are read with [`Kind`]'s `FromStr`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "O" {
            return Ok(Tag::O);
        }
        let bad = || TagError(s.to_string());
        let (p, t) = s.split_once('-').ok_or_else(bad)?;
        let k: Kind = t.parse().map_err(|_| bad())?;
        match p {
            "B" => Ok(Tag::B(k)),
            "I" => Ok(Tag::I(k)),
            _ => Err(bad()),
        }
    }
}

/// Length in words of the longest known place name that the lower-cased words `lower` start
/// with ("san francisco", "kerala"), leaving out one-word names that are also ordinary words
/// ("nice", "mobile"); 0 if none.
pub fn place_name_len(lower: &[&str]) -> usize {
    /// Bits of the filter of the words a place name may start with: 2^20 bits, 128 KiB, which
    /// stay in the processor's caches, unlike the model's word table.
    const BITS: u32 = 20;
    static FIRST: OnceLock<Vec<u64>> = OnceLock::new();
    let Some(first) = lower.first() else {
        return 0;
    };
    let h = features::hstr(features::T_LOWER, first);
    let bit = |h: u64| (h >> (64 - BITS)) as usize;
    let filter = FIRST.get_or_init(|| {
        let mut f = vec![0u64; 1 << (BITS - 6)];
        for (h, lists) in Model::embedded().lexicon().words() {
            if lists.may_start_place() {
                f[bit(h) >> 6] |= 1 << (bit(h) & 63);
            }
        }
        f
    });
    // most words start no place name; the filter says so of nearly all of them
    if filter[bit(h) >> 6] >> (bit(h) & 63) & 1 == 0 {
        return 0;
    }
    let lex = Model::embedded().lexicon();
    lex.place_len_of(lower, lex.word(h))
}

/// Entity spans (token ranges and kinds) of a BIO tag sequence, read as CoNLL's `conlleval`
/// does: an `I-X` that follows `O` or a tag of another kind starts a new entity.
pub fn spans(tags: &[Tag]) -> Vec<(Range<usize>, Kind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for (i, &t) in tags.iter().enumerate() {
        match t {
            Tag::O => {
                if let Some((s, k)) = open.take() {
                    out.push((s..i, k));
                }
            }
            Tag::B(k) => {
                if let Some((s, k0)) = open.take() {
                    out.push((s..i, k0));
                }
                open = Some((i, k));
            }
            Tag::I(k) => match open {
                Some((_, k0)) if k0 == k => {}
                _ => {
                    if let Some((s, k0)) = open.take() {
                        out.push((s..i, k0));
                    }
                    open = Some((i, k));
                }
            },
        }
    }
    if let Some((s, k)) = open {
        out.push((s..tags.len(), k));
    }
    out
}

/// BIO tags of entity spans over `n` tokens (spans must not overlap).
pub fn tags_of_spans(n: usize, spans: &[(Range<usize>, Kind)]) -> Vec<Tag> {
    let mut tags = vec![Tag::O; n];
    for (r, k) in spans {
        for i in r.clone() {
            if i < n {
                tags[i] = if i == r.start { Tag::B(*k) } else { Tag::I(*k) };
            }
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_are_found_past_the_filter_of_first_words() {
        for (words, n) in [
            (&["san", "francisco", "bay"][..], 2),
            (&["kerala", "state"], 1),
            (&["new", "delhi"], 2),
            (&["nice", "weather"], 0),
            (&["the", "city"], 0),
            (&["zzyzxq"], 0),
            (&[], 0),
        ] {
            assert_eq!(place_name_len(words), n, "{words:?}");
        }
        // the filter is built from the lists as a look-up reads them
        let lex = Model::embedded().lexicon();
        for (h, lists) in lex.words().filter(|(_, l)| l.may_start_place()).take(2000) {
            assert_eq!(lex.word(h), lists);
        }
    }

    #[test]
    fn tag_strings_round_trip() {
        for t in [
            Tag::O,
            Tag::B(Kind::Person),
            Tag::I(Kind::Person),
            Tag::B(Kind::Organization),
            Tag::I(Kind::Organization),
            Tag::B(Kind::Place),
            Tag::I(Kind::Place),
        ] {
            assert_eq!(t.to_string().parse::<Tag>(), Ok(t));
        }
        assert!("B-MISC".parse::<Tag>().is_err());
        assert!("X-PER".parse::<Tag>().is_err());
        assert!("".parse::<Tag>().is_err());
    }

    #[test]
    fn bio_round_trip() {
        let tags: Vec<Tag> = "B-PER I-PER O B-LOC B-LOC I-LOC O B-ORG"
            .split(' ')
            .map(|s| s.parse().unwrap())
            .collect();
        let sp = spans(&tags);
        assert_eq!(
            sp,
            vec![
                (0..2, Kind::Person),
                (3..4, Kind::Place),
                (4..6, Kind::Place),
                (7..8, Kind::Organization)
            ]
        );
        assert_eq!(tags_of_spans(tags.len(), &sp), tags);
    }

    #[test]
    fn malformed_inside_starts_entity() {
        let tags: Vec<Tag> = "O I-PER I-PER B-LOC I-ORG O I-LOC"
            .split(' ')
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(
            spans(&tags),
            vec![
                (1..3, Kind::Person),
                (3..4, Kind::Place),
                (4..5, Kind::Organization),
                (6..7, Kind::Place)
            ]
        );
    }
}
