//! The learned recognizer: runs the averaged-perceptron tagger over a whole document.

use super::{Mention, Recognizer};
use crate::segment::Segmentation;
use crate::span::Span;
use crate::tagger::Model;
use std::sync::Arc;

/// Proposes mentions with the statistical tagger ([`crate::tagger`]).
///
/// Page furniture is skipped; every other sentence is tagged, the whole document at once so the
/// tagger's document pass can make it consistent. Its mentions replace overlapping ones already
/// present.
#[derive(Clone)]
pub struct Learned {
    model: Shared,
}

/// The model, shipped or loaded.
#[derive(Clone)]
enum Shared {
    Embedded(&'static Model),
    Loaded(Arc<Model>),
}

impl Learned {
    /// A recognizer using the model shipped with the crate.
    pub fn embedded() -> Learned {
        Learned {
            model: Shared::Embedded(Model::embedded()),
        }
    }

    /// A recognizer using `model`.
    pub fn new(model: Arc<Model>) -> Learned {
        Learned {
            model: Shared::Loaded(model),
        }
    }

    /// A recognizer using the model file at `path`.
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Learned, crate::tagger::ModelError> {
        Ok(Learned::new(Arc::new(Model::load(path)?)))
    }

    /// The model in use.
    pub fn model(&self) -> &Model {
        match &self.model {
            Shared::Embedded(m) => m,
            Shared::Loaded(m) => m,
        }
    }
}

impl Default for Learned {
    fn default() -> Self {
        Learned::embedded()
    }
}

impl Recognizer for Learned {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        // the tokens of the sentences tagged, and where each of those sentences starts
        let mut which = Vec::new();
        let mut words: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(seg.tokens.len());
        let mut bounds = vec![0];
        for (si, s) in seg.sentences.iter().enumerate() {
            if s.furniture || s.tokens.is_empty() {
                continue;
            }
            let at = words.len();
            for t in &seg.tokens[s.tokens.clone()] {
                match text.get(t.span.start..t.span.end) {
                    Some(w) => words.push(as_trained(w)),
                    None => break,
                }
            }
            if words.len() - at == s.tokens.len() {
                which.push(si);
                bounds.push(words.len());
            } else {
                words.truncate(at);
            }
        }
        let words: Vec<&str> = words.iter().map(|w| w.as_ref()).collect();
        let mut new = Vec::new();
        self.model().entities_in(&words, &bounds, |k, e| {
            let si = which[k];
            let base = seg.sentences[si].tokens.start;
            let first = &seg.tokens[base + e.tokens.start];
            let last = &seg.tokens[base + e.tokens.end - 1];
            new.push(Mention {
                span: Span::new(first.span.start, last.span.end),
                kind: e.kind,
                score: e.score,
                sentence: si,
                tokens: base + e.tokens.start..base + e.tokens.end,
            });
        });
        // earlier mentions that overlap none of the new ones stay
        let overlaps = |m: &Mention| -> bool {
            // `new` is in document order and its spans do not overlap, so their ends ascend
            let first = new.partition_point(|n| n.span.end <= m.span.start);
            new.get(first).is_some_and(|n| n.span.start < m.span.end)
        };
        if new.windows(2).all(|w| w[0].span.end <= w[1].span.start) {
            mentions.retain(|m| !overlaps(m));
        } else {
            mentions.retain(|m| {
                !new.iter()
                    .any(|n| n.span.start < m.span.end && m.span.start < n.span.end)
            });
        }
        mentions.extend(new);
        mentions.sort_by_key(|m| (m.span.start, m.span.end));
    }
}

/// A token as the training text writes it: typographic apostrophes and quotes made plain
/// ("Putin\u{2019}s" -> "Putin's"), letters composed (Unicode NFC): "Franc\u{327}ois", with
/// the cedilla as a combining mark, is the "François" the model knows, and soft hyphens (the
/// invisible break points of typeset text: "Mos\u{ad}cow") left out. The span stays on the
/// text as written.
fn as_trained(w: &str) -> std::borrow::Cow<'_, str> {
    let mut w = crate::segment::composed(w);
    if w.contains(['\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}']) {
        w = w
            .replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201c}', '\u{201d}'], "\"")
            .into();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;
    use crate::segment::{Sentence, Token};

    /// A hand-made segmentation: one token per whitespace-separated word, one sentence per line.
    fn seg(text: &str) -> Segmentation {
        let mut s = Segmentation::default();
        let mut off = 0;
        for line in text.split_inclusive('\n') {
            let start_tok = s.tokens.len();
            let mut pos = off;
            for w in line.split(' ') {
                let w = w.trim_end_matches('\n');
                if !w.is_empty() {
                    s.tokens.push(Token {
                        span: Span::new(pos, pos + w.len()),
                    });
                }
                pos += w.len() + 1;
            }
            let trimmed = line.trim_end().len();
            s.sentences.push(Sentence {
                span: Span::new(off, off + trimmed),
                tokens: start_tok..s.tokens.len(),
                headline: false,
                furniture: false,
            });
            off += line.len();
        }
        s
    }

    #[test]
    fn finds_people_and_places() {
        let text = "Angela Merkel met Barack Obama in Berlin on Tuesday .\nMerkel said the talks with Obama went well .\n";
        let sg = seg(text);
        let mut ms = Vec::new();
        Learned::embedded().apply(text, &sg, &mut ms);
        let found: Vec<(&str, Kind)> = ms.iter().map(|m| (m.span.of(text), m.kind)).collect();
        assert!(
            found.contains(&("Angela Merkel", Kind::Person)),
            "{found:?}"
        );
        assert!(found.contains(&("Berlin", Kind::Place)), "{found:?}");
        for w in ms.windows(2) {
            assert!(w[0].span.end <= w[1].span.start);
        }
        for m in &ms {
            assert!(m.score > 0.0 && m.score <= 1.0);
            assert_eq!(sg.tokens[m.tokens.start].span.start, m.span.start);
        }
    }

    #[test]
    fn decomposed_letters_are_the_composed_ones() {
        let composed = "Fran\u{e7}ois Hollande met Jos\u{e9} Mourinho in Paris .\n";
        let decomposed = "Franc\u{327}ois Hollande met Jose\u{301} Mourinho in Paris .\n";
        let found = |text: &str| -> Vec<(String, Kind)> {
            let mut ms = Vec::new();
            Learned::embedded().apply(text, &seg(text), &mut ms);
            ms.iter()
                .map(|m| (m.span.of(text).to_string(), m.kind))
                .collect()
        };
        let spelled = |v: Vec<(String, Kind)>| -> Vec<(String, Kind)> {
            use unicode_normalization::UnicodeNormalization;
            v.into_iter().map(|(w, k)| (w.nfc().collect(), k)).collect()
        };
        let want = found(composed);
        assert!(
            want.iter().any(|(w, _)| w == "Fran\u{e7}ois Hollande"),
            "{want:?}"
        );
        assert_eq!(spelled(found(decomposed)), want);
        assert_eq!(as_trained("Putin\u{2019}s"), "Putin's");
        assert_eq!(as_trained("Mos\u{ad}cow"), "Moscow");
        assert!(matches!(as_trained("Putin"), std::borrow::Cow::Borrowed(_)));
    }
}
