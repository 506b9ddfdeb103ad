//! Segmentation: any text cut into sentences and tokens. Every span must lie inside the text
//! on character boundaries, be non-empty, and come in order without overlapping; a sentence's
//! tokens lie inside the sentence and the sentences' token ranges follow one another.

#![no_main]

use entigraph::segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let seg = segment(text);
    let inside = |s: entigraph::Span| {
        s.start < s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    };
    for pair in seg.tokens.windows(2) {
        assert!(pair[0].span.end <= pair[1].span.start, "{pair:?}");
    }
    let mut next = 0;
    let mut last_end = 0;
    for (i, s) in seg.sentences.iter().enumerate() {
        assert!(inside(s.span), "{s:?}");
        assert!(last_end <= s.span.start, "{s:?}");
        last_end = s.span.end;
        assert_eq!(s.tokens.start, next, "{s:?}");
        next = s.tokens.end;
        for t in seg.sentence_tokens(i) {
            assert!(inside(t.span), "{t:?}");
            assert!(s.span.contains(t.span), "{t:?} outside {s:?}");
            assert_eq!(t.span.of(text), &text[t.span.start..t.span.end]);
        }
    }
    assert_eq!(next, seg.tokens.len());
});
