//! The pipeline end to end: documents in, analyses, entities and the graph out.

use crate::eval::Report;
use crate::graph::{EntityGraph, GraphConfig};
use crate::load::Document;
use crate::partial::Partial;
use crate::recognize::{Mention, Recognizer};
use crate::segment::{Segmentation, segment};
use crate::tagger::Tag;

/// Options of a whole run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// How the graph is built.
    pub graph: GraphConfig,
}

/// One document after segmentation and recognition.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The document.
    pub document: Document,
    /// Its sentences and tokens.
    pub segmentation: Segmentation,
    /// Its mentions, sorted by position.
    pub mentions: Vec<Mention>,
}

/// Segments a document and finds its mentions.
pub fn analyze(document: Document, recognizer: &dyn Recognizer) -> Analysis {
    let segmentation = segment(&document.text);
    let mut mentions = Vec::new();
    recognizer.apply(&document.text, &segmentation, &mut mentions);
    Analysis {
        document,
        segmentation,
        mentions,
    }
}

/// Everything a run produces.
#[derive(Debug, Clone)]
pub struct Built {
    /// The documents, analysed.
    pub analyses: Vec<Analysis>,
    /// For each document, for each of its mentions, the index of its entity, which is also its
    /// node in `graph` ([`EntityGraph::entity_at`]).
    pub assignment: Vec<Vec<usize>>,
    /// The entity graph.
    pub graph: EntityGraph,
}

/// Resolves the mentions of all documents into entities and links them: the documents'
/// [`Partial`]s merged, then finished.
pub fn build(analyses: Vec<Analysis>, config: &Config) -> Built {
    let mut total = Partial::new(&config.graph);
    let mut names: Vec<Vec<Option<u32>>> = Vec::with_capacity(analyses.len());
    for a in &analyses {
        let (partial, of_mention) = Partial::of_document(a, &config.graph);
        let remap = total.merge(partial);
        names.push(
            of_mention
                .into_iter()
                .map(|n| n.map(|n| remap[n as usize]))
                .collect(),
        );
    }
    let (graph, of_name) = total.finish();
    let assignment = names
        .iter()
        .map(|ns| {
            ns.iter()
                .map(|n| n.and_then(|n| of_name[n as usize]).unwrap_or(usize::MAX))
                .collect()
        })
        .collect();
    Built {
        analyses,
        assignment,
        graph,
    }
}

/// The date of an analysed document: its `date` field, else a dateline or a line holding only
/// a date.
pub fn document_date(a: &Analysis) -> Option<chrono::NaiveDate> {
    crate::relate::document_date(
        &a.document.text,
        &a.segmentation,
        a.document.meta.date.as_deref(),
    )
}

/// Runs `recognizer` over a gold-tokenized document (as read by [`crate::conll`]) and returns
/// its predicted tags, sentence by sentence, so that the whole recognition stage (tagger and
/// rules) is measured, not the tagger alone. The document's text is its tokens joined by
/// spaces, one sentence a line; the segmentation is the gold one.
pub fn recognize_gold(recognizer: &dyn Recognizer, doc: &crate::conll::Doc) -> Vec<Vec<Tag>> {
    use crate::segment::{Sentence, Token};
    use crate::span::Span;
    let mut text = String::new();
    let mut seg = Segmentation::default();
    for s in &doc.sentences {
        let first = seg.tokens.len();
        let start = text.len();
        for (i, w) in s.words.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let at = text.len();
            text.push_str(w);
            seg.tokens.push(Token {
                span: Span::new(at, text.len()),
            });
        }
        seg.sentences.push(Sentence {
            span: Span::new(start, text.len()),
            tokens: first..seg.tokens.len(),
            headline: false,
            furniture: false,
        });
        text.push('\n');
    }
    let mut mentions = Vec::new();
    recognizer.apply(&text, &seg, &mut mentions);
    let mut tags: Vec<Vec<Tag>> = doc
        .sentences
        .iter()
        .map(|s| vec![Tag::O; s.words.len()])
        .collect();
    for m in &mentions {
        let s = &seg.sentences[m.sentence];
        for (k, t) in m.tokens.clone().enumerate() {
            let i = t - s.tokens.start;
            tags[m.sentence][i] = if k == 0 {
                Tag::B(m.kind)
            } else {
                Tag::I(m.kind)
            };
        }
    }
    tags
}

/// Evaluates `recognizer` on gold documents: exact span and type, CoNLL style.
pub fn evaluate_recognizer(recognizer: &dyn Recognizer, docs: &[crate::conll::Doc]) -> Report {
    let mut report = Report::default();
    for d in docs {
        report.merge(&crate::eval::evaluate(
            &d.tags(),
            &recognize_gold(recognizer, d),
        ));
    }
    report
}
