//! Segmentation: sentences and tokens with byte spans into the document text.

use crate::span::Span;
use std::ops::Range;

/// A token: a word, a number or a punctuation mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Bytes of the token in the document text.
    pub span: Span,
}

/// A sentence, or a line that stands alone (a headline, a heading, a caption).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// Bytes of the sentence in the document text, without surrounding white space.
    pub span: Span,
    /// Indices of its tokens in [`Segmentation::tokens`].
    pub tokens: Range<usize>,
    /// True for a headline or heading: a line in Title Case or capitals, without final
    /// punctuation, standing alone.
    pub headline: bool,
    /// True for page furniture ("HIGHLIGHTS", "15 views", "2 hours ago", and the unrelated
    /// headlines listed after such markers): not news, recognizers skip it.
    pub furniture: bool,
}

/// A document cut into sentences and tokens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segmentation {
    /// The sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Every token of every sentence, in order.
    pub tokens: Vec<Token>,
}

/// Cuts `text` into sentences and tokens.
pub fn segment(text: &str) -> Segmentation {
    let _ = text;
    todo!()
}

/// Splits one piece of text into tokens, pushing their spans (offset by `base`) onto `out`.
/// Follows the Penn Treebank / CoNLL conventions: punctuation apart, "'s" and "n't" apart,
/// abbreviations ("U.S.", "Mr.") and hyphenated words whole.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Token>) {
    let _ = (text, base, out);
    todo!()
}
