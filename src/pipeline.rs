//! The pipeline end to end: documents in, analyses, entities and the graph out.

use crate::graph::{EntityGraph, GraphConfig, SentenceEntities};
use crate::load::Document;
use crate::recognize::{Mention, Recognizer};
use crate::resolve::{DocMentions, Resolution, resolve};
use crate::segment::{Segmentation, segment};

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
    /// Which entity each mention belongs to.
    pub resolution: Resolution,
    /// The entity graph.
    pub graph: EntityGraph,
}

/// Resolves the mentions of all documents into entities and links them.
pub fn build(analyses: Vec<Analysis>, config: &Config) -> Built {
    let inputs: Vec<DocMentions> = analyses
        .iter()
        .map(|a| DocMentions {
            id: &a.document.id,
            text: &a.document.text,
            mentions: &a.mentions,
        })
        .collect();
    let resolution = resolve(&inputs);
    let mut sentences = Vec::new();
    for (a, assigned) in analyses.iter().zip(&resolution.assignment) {
        let mut current: Option<SentenceEntities> = None;
        for (m, &entity) in a.mentions.iter().zip(assigned) {
            if current
                .as_ref()
                .is_some_and(|c| c.span != a.segmentation.sentences[m.sentence].span)
            {
                sentences.extend(current.take());
            }
            let s = &a.segmentation.sentences[m.sentence];
            current
                .get_or_insert_with(|| SentenceEntities {
                    document: &a.document.id,
                    span: s.span,
                    text: s.span.of(&a.document.text),
                    entities: Vec::new(),
                })
                .entities
                .push(entity);
        }
        sentences.extend(current);
    }
    let graph = EntityGraph::build(
        resolution.entities.clone(),
        sentences,
        analyses.len(),
        &config.graph,
    );
    Built {
        analyses,
        resolution,
        graph,
    }
}
