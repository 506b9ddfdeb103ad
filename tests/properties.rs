//! Properties over any input (issue 7): any text goes through the whole pipeline without a
//! panic, with every span on character boundaries inside the text; any graph exports to DOT and
//! JSON that parse again.

use crate::dot_syntax::dot_is_balanced;
use entigraph::export::{self, Format};
use entigraph::graph::{EntityGraph, GraphConfig, SentenceEntities};
use entigraph::pipeline::{self, Config};
use entigraph::{Document, Entity, Kind, Meta, Span};
use proptest::prelude::*;
use std::sync::OnceLock;

fn recognizer() -> &'static entigraph::Chain {
    static CHAIN: OnceLock<entigraph::Chain> = OnceLock::new();
    CHAIN.get_or_init(|| entigraph::recognize::standard(None).expect("the built-in model"))
}

/// Text that looks a little like news: capitalized words, punctuation, quotes, digits, any
/// Unicode now and then, and line breaks.
fn newsy() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[A-Z][a-z]{1,8}",
        "[a-z]{1,8}",
        Just("U.S.".to_owned()),
        Just("'s".to_owned()),
        "[0-9]{1,4}",
        "[.,;:!?\"'()\u{2019}\u{201c}\u{201d}-]",
        any::<char>().prop_map(String::from),
        Just("\n".to_owned()),
    ];
    prop::collection::vec(word, 0..60).prop_map(|w| w.join(" "))
}

fn check_text(text: &str) {
    let doc = Document {
        id: "p".into(),
        text: text.to_owned(),
        meta: Meta::default(),
    };
    let analysis = pipeline::analyze(doc, recognizer());
    let text = &analysis.document.text;
    let seg = &analysis.segmentation;
    for t in &seg.tokens {
        assert!(t.span.start < t.span.end && t.span.end <= text.len());
        assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
    }
    for m in &analysis.mentions {
        assert!(
            m.span.start < m.span.end && m.span.end <= text.len(),
            "{m:?}"
        );
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        assert!(m.tokens.end <= seg.tokens.len() && m.sentence < seg.sentences.len());
    }
    let built = pipeline::build(vec![analysis], &Config::default());
    for e in built.graph.graph.edge_weights() {
        for ev in &e.evidence {
            assert_eq!(ev.span.of(&built.analyses[0].document.text), &*ev.sentence);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_text_goes_through_with_valid_spans(text in any::<String>()) {
        check_text(&text);
    }

    #[test]
    fn news_like_text_goes_through_with_valid_spans(text in newsy()) {
        check_text(&text);
    }

    #[test]
    fn any_graph_exports_to_dot_and_json_that_parse_again(
        names in prop::collection::vec(any::<String>(), 1..8),
        links in prop::collection::vec((0usize..8, 0usize..8), 0..12),
    ) {
        let entities: Vec<Entity> = names
            .iter()
            .enumerate()
            .map(|(i, n)| Entity { id: format!("e{i}"), ..Entity::new(n, Kind::ALL[i % 3]) })
            .collect();
        let n = entities.len();
        let text = names.join(" ");
        let sentences: Vec<SentenceEntities> = links
            .iter()
            .map(|&(a, b)| SentenceEntities {
                document: "d",
                span: Span::new(0, text.len()),
                text: &text,
                entities: vec![a % n, b % n],
            })
            .collect();
        let graph = EntityGraph::build(entities, sentences, Vec::new(), 1, &GraphConfig::default());
        let mut json = Vec::new();
        export::write(&graph, Format::Json, &mut json).unwrap();
        let back = export::json::read(&mut &json[..], std::path::Path::new("g.json")).unwrap();
        prop_assert_eq!(back.node_count(), graph.node_count());
        prop_assert_eq!(back.edge_count(), graph.edge_count());
        let shown: Vec<&str> = back.graph.node_weights().map(|e| e.name.as_str()).collect();
        let given: Vec<&str> = names.iter().map(String::as_str).collect();
        prop_assert_eq!(shown, given);
        let mut dot = Vec::new();
        export::write(&graph, Format::Dot, &mut dot).unwrap();
        let dot = String::from_utf8(dot).unwrap();
        prop_assert!(dot_is_balanced(&dot), "{}", dot);
    }
}
