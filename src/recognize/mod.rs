//! Recognition: find person, organization and place mentions in segmented text.
//!
//! Recognition is one stage made of a chain of [`Recognizer`]s. Each receives the mentions the
//! earlier ones produced and may add, drop, trim or retype them: the learned tagger proposes,
//! the rules trim titles and possessives, drop page furniture and make a document consistent.

pub mod learned;
pub mod rules;

use crate::error::Result;
use crate::kind::Kind;
use crate::segment::Segmentation;
use crate::span::Span;
use std::ops::Range;

/// One mention of a named entity in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Bytes of the mention in the document text.
    pub span: Span,
    /// What it names.
    pub kind: Kind,
    /// Confidence in `0.0..=1.0`.
    pub score: f32,
    /// Index of the sentence holding it.
    pub sentence: usize,
    /// Indices of its tokens in [`Segmentation::tokens`].
    pub tokens: Range<usize>,
}

/// One step of recognition.
pub trait Recognizer: Send + Sync {
    /// Refines `mentions` (sorted by span, not overlapping) for the document `text`, whose
    /// segmentation is `seg`. Must leave them sorted and not overlapping.
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>);
}

/// Recognizers run one after the other.
#[derive(Default)]
pub struct Chain {
    steps: Vec<Box<dyn Recognizer>>,
}

impl Chain {
    /// An empty chain.
    pub fn new() -> Self {
        Chain::default()
    }

    /// Appends a step.
    pub fn then(mut self, step: impl Recognizer + 'static) -> Self {
        self.steps.push(Box::new(step));
        self
    }

    /// Runs every step on a document and returns its mentions, sorted by position.
    pub fn recognize(&self, text: &str, seg: &Segmentation) -> Vec<Mention> {
        let mut mentions = Vec::new();
        for step in &self.steps {
            step.apply(text, seg, &mut mentions);
        }
        mentions
    }
}

impl Recognizer for Chain {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        for step in &self.steps {
            step.apply(text, seg, mentions);
        }
    }
}

/// The learned tagger alone: the built-in model, or the one at `model`.
pub fn learned(model: Option<&std::path::Path>) -> Result<learned::Learned> {
    match model {
        Some(path) => learned::Learned::load(path).map_err(|e| {
            crate::error::Error::new(crate::error::ErrorKind::Parse, Some(path), e.to_string())
        }),
        None => Ok(learned::Learned::embedded()),
    }
}

/// The standard recognizer: the learned tagger proposes (the built-in model, or the one at
/// `model`), then the rules trim, drop, split and make each document consistent.
pub fn standard(model: Option<&std::path::Path>) -> Result<Chain> {
    Ok(standard_with(learned(model)?))
}

/// The standard recognizer around a learned tagger already made.
pub fn standard_with(learned: learned::Learned) -> Chain {
    Chain::new()
        .then(learned)
        .then(rules::OrgNames)
        .then(rules::PlaceNames)
        .then(rules::Trim)
        .then(rules::Junk)
        .then(rules::LowerPlaces)
        .then(rules::TitledNames)
        .then(rules::Joins)
        .then(rules::SplitGlued)
        .then(rules::Consistency)
}
