//! Recognition: the standard recognizer chain over any segmented text. Every mention must lie
//! inside the text on character boundaries with `&text[span]` equal to its text, inside its
//! sentence and over its own tokens; mentions come sorted and do not overlap.

#![no_main]

use entigraph::{Chain, recognize, segment};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn chain() -> &'static Chain {
    static CHAIN: OnceLock<Chain> = OnceLock::new();
    CHAIN.get_or_init(|| recognize::standard(None).expect("the built-in model"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let seg = segment(text);
    let mentions = chain().recognize(text, &seg);
    let mut last_end = 0;
    for m in &mentions {
        let s = m.span;
        assert!(s.start < s.end && s.end <= text.len(), "{m:?}");
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{m:?}"
        );
        assert_eq!(&text[s.start..s.end], s.of(text));
        assert!(last_end <= s.start, "overlap or disorder at {m:?}");
        last_end = s.end;
        assert!((0.0..=1.0).contains(&m.score), "{m:?}");
        let sentence = &seg.sentences[m.sentence];
        assert!(sentence.span.contains(s), "{m:?} outside {sentence:?}");
        assert!(!m.tokens.is_empty(), "{m:?}");
        assert!(
            sentence.tokens.start <= m.tokens.start && m.tokens.end <= sentence.tokens.end,
            "{m:?} has tokens outside {sentence:?}"
        );
        let first = seg.tokens[m.tokens.start].span;
        let last = seg.tokens[m.tokens.end - 1].span;
        assert_eq!((first.start, last.end), (s.start, s.end), "{m:?}");
    }
});
