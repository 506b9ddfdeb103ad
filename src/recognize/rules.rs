//! Rules that refine the mentions a proposer found: what a name is not (titles, determiners,
//! possessives, calendar words, page furniture), names glued together in captions, and
//! consistency within a document.

use super::{Mention, Recognizer};
use crate::kind::Kind;
use crate::segment::{Segmentation, lower};
use crate::span::Span;
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A list of lower-case words, looked up in a hash set built at first use.
pub(crate) struct Words {
    list: &'static [&'static str],
    set: OnceLock<WordSet>,
}

/// The words of a [`Words`], and which first bytes its words of each length have: most tokens
/// are turned away by one bit of `starts`, without hashing them.
struct WordSet {
    words: FxHashSet<&'static str>,
    /// Bit `first_bit(w)` of `starts[length_slot(w)]` is set for each word `w`.
    starts: [u32; 32],
}

impl WordSet {
    fn new(list: &[&'static str]) -> WordSet {
        let mut starts = [0; 32];
        for w in list {
            starts[length_slot(w.len())] |= first_bit(w.as_bytes());
        }
        WordSet {
            words: list.iter().copied().collect(),
            starts,
        }
    }

    /// False when no word has the length and first byte (ASCII lower-cased) of a word of
    /// `len` bytes starting with `bytes`; true when one may.
    #[inline]
    fn may_have(&self, bytes: &[u8], len: usize) -> bool {
        self.starts[length_slot(len)] & first_bit(bytes) != 0
    }
}

#[inline]
fn length_slot(len: usize) -> usize {
    len.min(31)
}

#[inline]
fn first_bit(bytes: &[u8]) -> u32 {
    1 << (bytes.first().map_or(0, u8::to_ascii_lowercase) & 31)
}

impl Words {
    /// The words of `list`.
    pub(crate) const fn new(list: &'static [&'static str]) -> Words {
        Words {
            list,
            set: OnceLock::new(),
        }
    }

    fn set(&self) -> &WordSet {
        self.set.get_or_init(|| WordSet::new(self.list))
    }

    /// True when `w` is one of the words.
    #[inline]
    pub(crate) fn has(&self, w: &str) -> bool {
        let set = self.set();
        set.may_have(w.as_bytes(), w.len()) && set.words.contains(w)
    }

    /// True when the word at `span`, without final periods and in lower case, is one of the
    /// words: [`Words::has`] of [`lower_word`], lower-casing short ASCII words on the stack.
    #[inline]
    fn has_word(&self, text: &str, span: Span) -> bool {
        let w = span.of(text).trim_end_matches('.');
        if !w.is_ascii() {
            return self.has(&lower(w));
        }
        // lower-casing ASCII keeps the length, and the filter reads the first byte lower-cased
        if !self.set().may_have(w.as_bytes(), w.len()) {
            return false;
        }
        if !w.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.has(w);
        }
        let mut buf = [0u8; 24];
        match buf.get_mut(..w.len()) {
            Some(b) => {
                b.copy_from_slice(w.as_bytes());
                b.make_ascii_lowercase();
                std::str::from_utf8(b).is_ok_and(|l| self.has(l))
            }
            _ => self.has(&lower(w)),
        }
    }
}

/// Words that precede a name without being part of it: determiners, honorifics and titles.
static TITLES: Words = Words::new(&[
    "the",
    "a",
    "an",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "doctor",
    "drs",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "pm",
    "minister",
    "secretary",
    "senator",
    "sen",
    "rep",
    "representative",
    "gov",
    "governor",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "chancellor",
    "envoy",
    "special",
    "ambassador",
    "ceo",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "judge",
    "justice",
    "speaker",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "lt",
    "lieutenant",
    "sgt",
    "sergeant",
    "admiral",
    "adm",
    "commander",
    "chief",
    "foreign",
    "defense",
    "defence",
    "state",
    "deputy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "aide",
    "adviser",
    "advisor",
    "premier",
    "sheikh",
    "emir",
    "crown",
    "leader",
    "senior",
    "former",
    "late",
    "acting",
    "interim",
    "st",
    "saint",
    "rev",
    "reverend",
    "father",
    "bishop",
    "cardinal",
    "archbishop",
    "rabbi",
    "imam",
    "coach",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "officer",
    "agent",
    "detective",
    "inspector",
    "supt",
    "superintendent",
    "sec",
    "atty",
    "attorney",
    "mme",
    "herr",
    "frau",
    "madame",
]);

/// Titles that only a person bears: a mention of another type that starts with one is a
/// person's name after a title ("CEO Kirill Dmitriev").
static PERSON_TITLES: Words = Words::new(&[
    "mr",
    "mrs",
    "ms",
    "dr",
    "drs",
    "prof",
    "president",
    "ceo",
    "senator",
    "sen",
    "rep",
    "gov",
    "governor",
    "mayor",
    "chancellor",
    "envoy",
    "ambassador",
    "chairman",
    "chairwoman",
    "judge",
    "minister",
    "secretary",
    "pm",
    "spokesman",
    "spokeswoman",
    "aide",
    "adviser",
    "advisor",
    "sir",
    "dame",
]);

/// Determiners, the only words dropped before names of organizations and places ("the
/// Kremlin"): titles there are part of the name ("State Department", "General Motors").
const DETERMINERS: &[&str] = &["the", "a", "an"];

/// Words that begin a sentence or a headline and are never names on their own.
static NOT_NAMES: Words = Words::new(&[
    "meanwhile",
    "speaking",
    "despite",
    "however",
    "according",
    "officials",
    "official",
    "hails",
    "talks",
    "talk",
    "although",
    "though",
    "while",
    "after",
    "before",
    "during",
    "also",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "still",
    "then",
    "now",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "here",
    "there",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "our",
    "its",
    "we",
    "they",
    "he",
    "she",
    "it",
    "i",
    "you",
    "in",
    "on",
    "at",
    "of",
    "for",
    "with",
    "by",
    "from",
    "as",
    "if",
    "when",
    "where",
    "why",
    "how",
    "what",
    "who",
    "which",
    "amid",
    "highlights",
    "world",
    "news",
    "breaking",
    "update",
    "updated",
    "live",
    "exclusive",
    "analysis",
    "opinion",
    "editorial",
    "report",
    "reports",
    "sources",
    "source",
    "photo",
    "video",
    "watch",
    "read",
    "more",
    "related",
    "share",
    "comments",
    "advertisement",
    "following",
    "coinciding",
    "labeling",
    "labelling",
    "just",
    "key",
    "analysts",
    "diplomats",
    "observers",
    "experts",
    "critics",
    "residents",
    "several",
    "some",
    "many",
    "most",
    "both",
    "neither",
    "either",
    "each",
    "every",
    "all",
    "no",
    "not",
    "yes",
    "whether",
    "once",
    "since",
    "until",
    "unless",
    "because",
    "instead",
    "indeed",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "overall",
    "finally",
    "first",
    "second",
    "third",
    "last",
    "next",
    "earlier",
    "later",
    "previously",
    "currently",
    "recently",
    "ultimately",
    "speculation",
    "compromises",
]);

/// Words of chat, e-mail and forum text that are capitalized or written in capitals without
/// being names: greetings, sign-offs, interjections, chat abbreviations, and common acronyms of
/// things rather than of organizations.
static WEB_WORDS: Words = Words::new(&[
    "hi",
    "hey",
    "hello",
    "dear",
    "thanks",
    "thank",
    "thx",
    "cheers",
    "regards",
    "kindest",
    "best",
    "sincerely",
    "kudos",
    "congrats",
    "congratulations",
    "please",
    "plz",
    "pls",
    "oh",
    "ah",
    "heh",
    "hehe",
    "haha",
    "wow",
    "yay",
    "yeah",
    "ya",
    "yep",
    "nope",
    "ok",
    "okay",
    "lol",
    "lmao",
    "rofl",
    "omg",
    "btw",
    "fyi",
    "imo",
    "imho",
    "asap",
    "ps",
    "p.s",
    "faq",
    "personally",
    "honestly",
    "seriously",
    "basically",
    "actually",
    "anyway",
    "anyways",
    "laughter",
    "dvd",
    "cd",
    "tv",
    "pc",
    "usb",
    "pdf",
    "gps",
    "ipo",
    "ceo",
    "cfo",
    "coo",
    "cto",
    "svp",
    "evp",
    "vp",
    "mba",
    "phd",
    "dui",
    "adhd",
    "seo",
    "rfp",
    "atm",
    "diy",
]);

/// Words that open a greeting or a postscript before a name ("Dear Nina", "Hey Vladi",
/// "P.S. Tom"): not part of the name.
static GREETINGS: Words = Words::new(&["hi", "hey", "hello", "dear", "ps", "p.s"]);

/// True for text that is no name: an e-mail address, a web address or a file name
/// ("jane@example.com", "http://...", "resume.doc"), or a word stretched by repeated letters
/// ("Sooooo", "VERYYY").
fn is_not_a_name(s: &str) -> bool {
    const FILE_TYPES: &[&str] = &[
        ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pdf", ".txt", ".jpg", ".jpeg", ".png", ".gif",
        ".zip", ".htm", ".html", ".asp", ".exe",
    ];
    let lower = lower(s);
    let email = lower
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if email || lower.contains("://") || lower.starts_with("www.") {
        return true;
    }
    if FILE_TYPES.iter().any(|t| lower.ends_with(t)) {
        return true;
    }
    // three times the same letter in a row
    let mut last = ['\0'; 2];
    lower.chars().any(|c| {
        let three = last[0].is_alphabetic() && last[0] == last[1] && last[1] == c;
        last = [last[1], c];
        three
    })
}

/// Day and month names and holidays: dates, not entities.
fn is_calendar(word: &str) -> bool {
    crate::segment::MONTHS.contains(&word)
        || crate::segment::WEEKDAYS.contains(&word)
        || matches!(word, "christmas" | "easter")
}

/// The word at `span` without final periods, in lower case.
fn lower_word(text: &str, span: Span) -> Cow<'_, str> {
    lower(span.of(text).trim_end_matches('.'))
}

/// Rebuilds a mention from a range of its sentence's tokens.
fn with_tokens(m: &Mention, seg: &Segmentation, tokens: std::ops::Range<usize>) -> Mention {
    Mention {
        span: Span::new(
            seg.tokens[tokens.start].span.start,
            seg.tokens[tokens.end - 1].span.end,
        ),
        tokens,
        ..m.clone()
    }
}

/// Trims what is not part of a name: leading determiners, and titles before people
/// ("President Donald Trump" -> "Donald Trump", "the Kremlin" -> "Kremlin"), trailing
/// possessives and punctuation ("Putin's" -> "Putin").
#[derive(Debug, Default, Clone, Copy)]
pub struct Trim;

impl Recognizer for Trim {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let is_word = |i: usize| {
            seg.tokens[i]
                .span
                .of(text)
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        };
        mentions.retain_mut(|m| {
            let mut r = m.tokens.clone();
            // Trailing possessives and punctuation, but for a bracket the name opened
            // ("Mladost ( L )", as sports tables tell clubs of the same name apart).
            while r.end > r.start {
                let t = seg.tokens[r.end - 1].span.of(text);
                let possessive = matches!(t, "'s" | "\u{2019}s" | "'" | "\u{2019}" | "'S");
                let closes =
                    t == ")" && (r.start..r.end - 1).any(|i| seg.tokens[i].span.of(text) == "(");
                if possessive || (!is_word(r.end - 1) && !closes) {
                    r.end -= 1;
                } else {
                    break;
                }
            }
            // Leading punctuation, determiners and titles, as long as a capitalized word
            // follows them.
            // A person's title at the start of another type's mention: a person after all.
            if m.kind != Kind::Person && r.end > r.start + 1 {
                let first = lower_word(text, seg.tokens[r.start].span);
                let last = lower_word(text, seg.tokens[r.end - 1].span);
                if PERSON_TITLES.has(&first)
                    && !ORG_HEADS.has(&last)
                    && is_capitalized(seg.tokens[r.start + 1].span.of(text))
                {
                    m.kind = Kind::Person;
                }
            }
            while r.end > r.start + 1 {
                let t = seg.tokens[r.start].span;
                // "A." is an initial, not the article.
                let raw = t.of(text);
                let word = if raw.len() == 2 && raw.ends_with('.') {
                    lower(raw)
                } else {
                    lower_word(text, t)
                };
                let next = seg.tokens[r.start + 1].span.of(text);
                let next_is_name = next.chars().next().is_some_and(char::is_uppercase);
                // A capitalized "The" inside a sentence belongs to the name ("at The Oval").
                let sentence_case = !raw.starts_with(char::is_uppercase)
                    || r.start == seg.sentences[m.sentence].tokens.start;
                let droppable = GREETINGS.has(&word)
                    || if m.kind == Kind::Person {
                        TITLES.has(&word)
                    } else {
                        DETERMINERS.contains(&&*word) && sentence_case
                    };
                if !is_word(r.start) || (droppable && next_is_name) {
                    r.start += 1;
                } else {
                    break;
                }
            }
            if r.is_empty() {
                return false;
            }
            if r != m.tokens {
                *m = with_tokens(m, seg, r);
            }
            true
        });
    }
}

/// Drops mentions that cannot be names: calendar words, discourse words that open sentences
/// and headlines, mentions without a capital letter, anything in page furniture, nationality
/// adjectives taken for places ("Middle Eastern"), and hyphenated pairs of places used as
/// adjectives ("US-Russia talks").
#[derive(Debug, Default, Clone, Copy)]
pub struct Junk;

impl Recognizer for Junk {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        // the folded names of the document's mentions, needed only for hyphenated ones
        let known: FxHashSet<String> = if mentions
            .iter()
            .any(|m| m.kind != Kind::Person && may_be_place_pair(m.span.of(text)))
        {
            mentions
                .iter()
                .map(|m| crate::resolve::fold(m.span.of(text)))
                .collect()
        } else {
            FxHashSet::default()
        };
        let storms = storm_names(text, seg, mentions);
        mentions.retain(|m| {
            if seg.sentences[m.sentence].furniture {
                return false;
            }
            if !storms.is_empty() && storms.contains(&crate::resolve::fold(m.span.of(text))) {
                return false;
            }
            let all_junk = m.tokens.clone().all(|t| {
                let w = lower_word(text, seg.tokens[t].span);
                // "OH" and "OK" in capitals are states, "Oh" and "Ok" interjections
                let state =
                    w.len() == 2 && !seg.tokens[t].span.of(text).contains(char::is_lowercase);
                is_calendar(&w)
                    || NOT_NAMES.has(&w)
                    || (WEB_WORDS.has(&w) && !(state && matches!(&*w, "oh" | "ok")))
            });
            let s = m.span.of(text);
            // the pronoun
            if is_not_a_name(s) || s == "I" {
                return false;
            }
            let has_capital = s.chars().any(char::is_uppercase);
            let demonym = m.kind == Kind::Place
                && is_demonym(
                    &m.tokens
                        .clone()
                        .last()
                        .map_or(Cow::Borrowed(""), |t| lower_word(text, seg.tokens[t].span)),
                );
            let place_pair = m.kind != Kind::Person && is_place_pair(s, &known);
            !all_junk && has_capital && !demonym && !place_pair
        });
    }
}

/// Words that name a storm by the name that follows them ("Hurricane Katrina", "Typhoon
/// Haiyan", "Tropical Storm Rita").
static STORM_WORDS: Words = Words::new(&["hurricane", "typhoon", "cyclone", "storm"]);

/// The folded names the document gives storms: a storm word and the mention after it, or a
/// mention that opens with one. Storms are events, not people or places, and so is the bare
/// name elsewhere in the document ("Rita packed winds of 240 km/h").
fn storm_names(text: &str, seg: &Segmentation, mentions: &[Mention]) -> FxHashSet<String> {
    let mut names = FxHashSet::default();
    for m in mentions {
        let first = m.tokens.start;
        let name = if m.tokens.len() > 1 && STORM_WORDS.has_word(text, seg.tokens[first].span) {
            Span::new(seg.tokens[first + 1].span.start, m.span.end)
        } else if first > seg.sentences[m.sentence].tokens.start
            && STORM_WORDS.has_word(text, seg.tokens[first - 1].span)
        {
            m.span
        } else {
            continue;
        };
        names.insert(crate::resolve::fold(name.of(text)));
        names.insert(crate::resolve::fold(m.span.of(text)));
    }
    names
}

/// True for an adjective of origin or direction: "Eastern", "Ukrainian", "European",
/// "Japanese", "British".
fn is_demonym(word: &str) -> bool {
    ["ern", "ian", "ean", "ese", "ish"]
        .iter()
        .any(|suffix| word.len() > suffix.len() + 2 && word.ends_with(suffix))
}

/// True for a hyphenated word without spaces, which [`is_place_pair`] looks at further.
fn may_be_place_pair(s: &str) -> bool {
    s.contains(['-', '\u{2013}']) && !s.contains(' ')
}

/// True for a hyphenated word whose parts are each a place known from the alias table or
/// from the document's other mentions: "US-Russia", "Russia-Ukraine".
fn is_place_pair(s: &str, known: &FxHashSet<String>) -> bool {
    may_be_place_pair(s)
        && s.split(['-', '\u{2013}']).all(|p| {
            let key = crate::resolve::fold(p);
            !key.is_empty() && (crate::resolve::canonical(p).is_some() || known.contains(&key))
        })
}

/// Words that end the name of an organization ("Russian Direct Investment Fund", "State
/// Department") or head one followed by "of" ("Ministry of Defence", "Bank of England").
static ORG_HEADS: Words = Words::new(&[
    "fund",
    "bank",
    "department",
    "ministry",
    "agency",
    "council",
    "committee",
    "commission",
    "party",
    "company",
    "corporation",
    "corp",
    "inc",
    "ltd",
    "plc",
    "group",
    "university",
    "institute",
    "institution",
    "organization",
    "organisation",
    "association",
    "union",
    "court",
    "office",
    "service",
    "services",
    "army",
    "navy",
    "police",
    "parliament",
    "congress",
    "assembly",
    "foundation",
    "federation",
    "authority",
    "bureau",
    "board",
    "directorate",
    "administration",
    "alliance",
    "movement",
    "front",
    "coalition",
    "network",
    "airlines",
    "airways",
    "motors",
    "industries",
    "holdings",
    "reserve",
    "exchange",
    "guard",
    "forces",
    "command",
    "secretariat",
    "cabinet",
    "duma",
    "senate",
    "kremlin",
]);

/// Connecting words allowed inside an organization's name.
const ORG_LINKS: &[&str] = &["of", "for", "and", "&", "on"];

/// Proposes organizations that the tagger missed or cut short: a run of capitalized words
/// ending in a head word ("Russian Direct Investment Fund", "U.S. State Department"), or a
/// head word followed by "of" and a name ("Ministry of Defence"). Only where the tagger found
/// nothing: its mentions stand. Headlines are left alone, since every word there is
/// capitalized.
#[derive(Debug, Default, Clone, Copy)]
pub struct OrgNames;

impl Recognizer for OrgNames {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let word = |i: usize| seg.tokens[i].span.of(text);
        let cap = |i: usize| is_capitalized(word(i));
        let lower = |i: usize| lower_word(text, seg.tokens[i].span);
        let mut found: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for (si, s) in seg.sentences.iter().enumerate() {
            if s.headline || s.furniture {
                continue;
            }
            let mut i = s.tokens.start;
            while i < s.tokens.end {
                if !(cap(i) && ORG_HEADS.has_word(text, seg.tokens[i].span)) {
                    i += 1;
                    continue;
                }
                // Left: capitalized words that are not titles or determiners, and "People's"
                // ("Sudan People's Liberation Movement").
                let mut start = i;
                loop {
                    if start > s.tokens.start && cap(start - 1) && {
                        let l = lower(start - 1);
                        !TITLES.has(&l) && !NOT_NAMES.has(&l)
                    } {
                        start -= 1;
                    } else if start >= s.tokens.start + 2 && is_peoples(text, seg, start - 2) {
                        start -= 2;
                    } else {
                        break;
                    }
                }
                // Right: "of" and a capitalized run ("Ministry of Foreign Affairs").
                let mut end = i + 1;
                while end + 1 < s.tokens.end && ORG_LINKS.contains(&word(end)) && cap(end + 1) {
                    end += 2;
                    while end < s.tokens.end && cap(end) {
                        end += 1;
                    }
                }
                if end - start >= 2 {
                    found.push((si, start..end));
                }
                i = end.max(i + 1);
            }
        }
        // The tagger's decisions stand: only a gap is filled. Tokens already in a mention
        // are marked once, not searched for each name found (a long document names
        // thousands).
        let mut covered = vec![false; seg.tokens.len()];
        for m in mentions.iter() {
            covered[m.tokens.clone()].iter_mut().for_each(|c| *c = true);
        }
        company_before_title(text, seg, mentions, &covered, &mut found);
        extend_org_names(text, seg, mentions, &mut covered);
        for (si, r) in found {
            if covered[r.clone()].iter().any(|&c| c) {
                continue;
            }
            covered[r.clone()].iter_mut().for_each(|c| *c = true);
            let span = Span::new(
                seg.tokens[r.start].span.start,
                seg.tokens[r.end - 1].span.end,
            );
            mentions.push(Mention {
                span,
                kind: Kind::Organization,
                score: 0.6,
                sentence: si,
                tokens: r,
            });
        }
        mentions.sort_by_key(|m| m.span.start);
    }
}

/// Titles that only a company's people bear: the capitalized name right before one, and
/// before a person's name, is a company ("OpenAI CEO Sam Altman", "Binance founder Changpeng
/// Zhao"). Countries have presidents and ministers, not chief executives or founders.
static COMPANY_TITLES: Words = Words::new(&[
    "ceo",
    "cfo",
    "coo",
    "cto",
    "founder",
    "co-founder",
    "cofounder",
]);

/// Capitalized words that open a sentence before a company's title without naming the
/// company ("New CEO Jane Fraser", "Billionaire founder Elon Musk").
static TITLE_MODIFIERS: Words = Words::new(&[
    "new",
    "longtime",
    "veteran",
    "billionaire",
    "tech",
    "startup",
    "company",
    "its",
    "their",
]);

/// Companies named before a company's title and a person ("OpenAI CEO Sam Altman", "Nvidia
/// founder Jensen Huang", "Apple Chief Executive Tim Cook"): a run of capitalized words no
/// mention covers is proposed as an organization (into `found`), and a place or person
/// mention there is retyped, but for a place of the alias table ("U.S.").
fn company_before_title(
    text: &str,
    seg: &Segmentation,
    mentions: &mut [Mention],
    covered: &[bool],
    found: &mut Vec<(usize, std::ops::Range<usize>)>,
) {
    let word = |i: usize| seg.tokens[i].span.of(text);
    let cap = |i: usize| is_capitalized(word(i));
    let lower = |i: usize| lower_word(text, seg.tokens[i].span);
    for (si, s) in seg.sentences.iter().enumerate() {
        if s.headline || s.furniture {
            continue;
        }
        for i in s.tokens.start + 1..s.tokens.end {
            // a capitalized name before the title, first: most tokens follow none
            if !cap(i - 1) {
                continue;
            }
            let title_len = if COMPANY_TITLES.has_word(text, seg.tokens[i].span) {
                1
            } else if word(i).eq_ignore_ascii_case("chief")
                && i + 1 < s.tokens.end
                && word(i + 1).eq_ignore_ascii_case("executive")
            {
                2
            } else {
                continue;
            };
            // a person's name follows: a capitalized word that is not in capitals
            let name = i + title_len;
            let j = i - 1;
            if name >= s.tokens.end
                || !cap(name)
                || !word(name).chars().any(char::is_lowercase)
                || !cap(j)
            {
                continue;
            }
            if covered[j] {
                if let Some(m) = mentions.iter_mut().find(|m| m.tokens.end == j + 1)
                    && matches!(m.kind, Kind::Place | Kind::Person)
                    && crate::resolve::canonical(m.span.of(text)).is_none()
                    && !PLACE_HEADS.has(&lower(j))
                {
                    m.kind = Kind::Organization;
                }
                continue;
            }
            let not_name = |k: usize| {
                let l = lower(k);
                TITLES.has(&l)
                    || NOT_NAMES.has(&l)
                    || WEB_WORDS.has(&l)
                    || is_calendar(&l)
                    || (k == s.tokens.start && TITLE_MODIFIERS.has(&l))
            };
            if not_name(j) {
                continue;
            }
            let mut start = j;
            while start > s.tokens.start
                && cap(start - 1)
                && !covered[start - 1]
                && !not_name(start - 1)
            {
                start -= 1;
            }
            // a head word alone is a common noun ("the Fund CEO")
            if start == j && ORG_HEADS.has(&lower(j)) {
                continue;
            }
            found.push((si, start..j + 1));
        }
    }
}

/// True when the tokens at `i` are "People 's", as in names of parties and armies.
fn is_peoples(text: &str, seg: &Segmentation, i: usize) -> bool {
    let (people, s) = (seg.tokens[i].span.of(text), seg.tokens[i + 1].span.of(text));
    matches!(people, "People" | "PEOPLE") && matches!(s, "'s" | "\u{2019}s" | "'S")
}

/// Widens an organization that the tagger cut short at "People's" ("Tigray People's" and
/// "Liberation Front", "Sudan People's" and "Liberation Movement"): "People's" and the
/// capitalized words before it that no mention covers belong to a name ending in a head word.
/// Other capitalized words before such a name stay out ("British" and "Army"), as in the
/// training text.
fn extend_org_names(
    text: &str,
    seg: &Segmentation,
    mentions: &mut [Mention],
    covered: &mut [bool],
) {
    let word = |i: usize| seg.tokens[i].span.of(text);
    let cap = |i: usize| is_capitalized(word(i));
    let lower = |i: usize| lower_word(text, seg.tokens[i].span);
    let mut wider = Vec::new();
    for (k, m) in mentions.iter().enumerate() {
        let s = &seg.sentences[m.sentence];
        let j = m.tokens.start;
        if m.kind != Kind::Organization
            || s.headline
            || s.furniture
            || !ORG_HEADS.has(&lower(m.tokens.end - 1))
            || j < s.tokens.start + 2
            || !is_peoples(text, seg, j - 2)
            || covered[j - 2]
        {
            continue;
        }
        let mut start = j - 2;
        while start > s.tokens.start && cap(start - 1) && !covered[start - 1] && {
            let l = lower(start - 1);
            !TITLES.has(&l) && !NOT_NAMES.has(&l) && !is_calendar(&l)
        } {
            start -= 1;
        }
        wider.push((k, start));
    }
    for (k, start) in wider {
        let m = &mut mentions[k];
        covered[start..m.tokens.start]
            .iter_mut()
            .for_each(|c| *c = true);
        *m = with_tokens(m, seg, start..m.tokens.end);
    }
}

/// Words that end the name of a place or a building ("Orchestra Hall", "Tampa Bay", "Canyon
/// Road", "Hayes Street Grill"): streets, features of the land and water, buildings and the
/// places people go to.
static PLACE_HEADS: Words = Words::new(&[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "boulevard",
    "blvd",
    "square",
    "plaza",
    "hall",
    "lake",
    "river",
    "bay",
    "island",
    "islands",
    "bridge",
    "bridges",
    "museum",
    "auditorium",
    "airport",
    "station",
    "mountains",
    "hills",
    "beach",
    "canyon",
    "valley",
    "building",
    "tower",
    "towers",
    "garage",
    "memorial",
    "monument",
    "sea",
    "ocean",
    "falls",
    "creek",
    "peninsula",
    "harbor",
    "harbour",
    "desert",
    "cathedral",
    "church",
    "mosque",
    "temple",
    "park",
    "garden",
    "gardens",
    "zoo",
    "mall",
    "hotel",
    "motel",
    "restaurant",
    "grill",
    "cafe",
    "café",
    "bistro",
    "diner",
    "pizzeria",
    "theater",
    "theatre",
    "cinema",
    "stadium",
    "arena",
]);

/// Words that open the name of a place ("Cape Town", "Mount Everest", "Fort Worth", "Port
/// Sudan", "Lake Chad"): a person's name does not start with one.
static PLACE_PREFIXES: Words = Words::new(&["cape", "mount", "mt", "fort", "port", "lake"]);

/// Lower-case words after the name of a region ("the Kursk region", "Idlib province").
const REGION_WORDS: &[&str] = &["region", "province", "oblast", "governorate"];

/// Places named by a head word: a mention of another type whose last word is a head of
/// `PLACE_HEADS` is a place ("Orchestra Hall" is no person), and a run of capitalized words
/// ending in such a head that the tagger missed is proposed as one ("Civic Center" aside,
/// "Canyon Road", "Met Garage"), as are capitalized words before a lower-case region word ("the
/// eastern Donbas region", "Idlib province"). Headlines are left alone.
#[derive(Debug, Default, Clone, Copy)]
pub struct PlaceNames;

impl Recognizer for PlaceNames {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let word = |i: usize| seg.tokens[i].span.of(text);
        let cap = |i: usize| is_capitalized(word(i));
        let lower = |i: usize| lower_word(text, seg.tokens[i].span);
        let is_head = |i: usize| cap(i) && PLACE_HEADS.has_word(text, seg.tokens[i].span);
        for m in mentions.iter_mut() {
            if m.kind != Kind::Place && m.tokens.len() >= 2 && is_head(m.tokens.end - 1) {
                let org_head = m.tokens.clone().any(|i| ORG_HEADS.has(&lower(i)));
                if !org_head {
                    m.kind = Kind::Place;
                }
            }
            // "Cape Canaveral", "Mount Kenya", "Fort Worth": no person's name
            if m.kind == Kind::Person
                && m.tokens.len() >= 2
                && cap(m.tokens.start)
                && PLACE_PREFIXES.has_word(text, seg.tokens[m.tokens.start].span)
            {
                m.kind = Kind::Place;
            }
        }
        let mut covered = vec![false; seg.tokens.len()];
        for m in mentions.iter() {
            covered[m.tokens.clone()].iter_mut().for_each(|c| *c = true);
        }
        let mut found = Vec::new();
        for (si, s) in seg.sentences.iter().enumerate() {
            if s.headline || s.furniture {
                continue;
            }
            for i in s.tokens.clone() {
                // "the eastern Donbas region": the name is the capitalized words before the
                // region word, which stays outside it
                let before_region =
                    cap(i) && i + 1 < s.tokens.end && REGION_WORDS.contains(&word(i + 1));
                if !(is_head(i) || before_region) || covered[i] {
                    continue;
                }
                let mut start = i;
                while start > s.tokens.start && cap(start - 1) && !covered[start - 1] && {
                    let l = lower(start - 1);
                    !TITLES.has(&l) && !NOT_NAMES.has(&l) && !WEB_WORDS.has(&l) && !is_calendar(&l)
                } {
                    start -= 1;
                }
                // a sentence's first word may just be capitalized
                if before_region {
                    // the region word says the words before it are a name
                } else if start == s.tokens.start && i - start >= 1 && start + 1 < i {
                    // keep it: a longer run is a name
                } else if start == s.tokens.start && i > start {
                    start += 1;
                }
                if i > start || before_region {
                    found.push(Mention {
                        span: Span::new(seg.tokens[start].span.start, seg.tokens[i].span.end),
                        kind: Kind::Place,
                        score: 0.5,
                        sentence: si,
                        tokens: start..i + 1,
                    });
                }
            }
        }
        if !found.is_empty() {
            mentions.extend(found);
            mentions.sort_by_key(|m| m.span.start);
        }
    }
}

/// Names of places written in lower case, as in careless web text ("flights to san
/// francisco", "in kerala"): a known place name (see [`crate::tagger::place_name_len`]) in
/// lower case that no mention covers is a place.
#[derive(Debug, Default, Clone, Copy)]
pub struct LowerPlaces;

impl Recognizer for LowerPlaces {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let mut covered = vec![false; seg.tokens.len()];
        for m in mentions.iter() {
            covered[m.tokens.clone()].iter_mut().for_each(|c| *c = true);
        }
        let mut found = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        for (si, s) in seg.sentences.iter().enumerate() {
            if s.furniture {
                continue;
            }
            words.clear();
            words.extend(seg.tokens[s.tokens.clone()].iter().map(|t| t.span.of(text)));
            let mut i = 0;
            while i < words.len() {
                // only words all in lower case, up to the first that is not
                let run = words[i..]
                    .iter()
                    .take_while(|w| w.chars().next().is_some_and(char::is_lowercase))
                    .take(4)
                    .count();
                let n = if run == 0 || covered[s.tokens.start + i] {
                    0
                } else {
                    crate::tagger::place_name_len(&words[i..i + run])
                };
                let r = s.tokens.start + i..s.tokens.start + i + n;
                if n > 0 && !covered[r.clone()].iter().any(|&c| c) {
                    found.push(Mention {
                        span: Span::new(
                            seg.tokens[r.start].span.start,
                            seg.tokens[r.end - 1].span.end,
                        ),
                        kind: Kind::Place,
                        score: 0.5,
                        sentence: si,
                        tokens: r,
                    });
                    i += n;
                } else {
                    i += 1;
                }
            }
        }
        if !found.is_empty() {
            mentions.extend(found);
            mentions.sort_by_key(|m| m.span.start);
        }
    }
}

/// A capitalized word right after a title only people bear ("President Bush", "Mr. Lee") is
/// (the start of) a person's name: such names the tagger missed or typed otherwise become
/// people. Sentences written mostly in capitals or Title Case (seven words in ten) are left
/// alone.
#[derive(Debug, Default, Clone, Copy)]
pub struct TitledNames;

impl Recognizer for TitledNames {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let word = |i: usize| seg.tokens[i].span.of(text);
        let lower = |i: usize| lower_word(text, seg.tokens[i].span);
        let name_word = |i: usize| {
            let w = word(i);
            is_capitalized(w) && w.chars().any(char::is_lowercase) && {
                let l = lower(i);
                !TITLES.has(&l) && !NOT_NAMES.has(&l) && !ORG_HEADS.has(&l) && !is_calendar(&l)
            }
        };
        let mut owner: Vec<Option<usize>> = vec![None; seg.tokens.len()];
        for (k, m) in mentions.iter().enumerate() {
            owner[m.tokens.clone()]
                .iter_mut()
                .for_each(|o| *o = Some(k));
        }
        let mut added = Vec::new();
        for (si, s) in seg.sentences.iter().enumerate() {
            if s.headline || s.furniture {
                continue;
            }
            let words = s
                .tokens
                .clone()
                .filter(|&i| word(i).chars().any(char::is_alphabetic));
            let (n, caps) = words.fold((0, 0), |(n, c), i| {
                (n + 1, c + is_capitalized(word(i)) as usize)
            });
            if n >= 3 && caps * 10 >= n * 7 {
                continue;
            }
            for i in s.tokens.start..s.tokens.end.saturating_sub(1) {
                if !PERSON_TITLES.has_word(text, seg.tokens[i].span) || !name_word(i + 1) {
                    continue;
                }
                match owner[i + 1] {
                    Some(k) => {
                        let m = &mut mentions[k];
                        if m.kind != Kind::Person && m.tokens.start == i + 1 {
                            let last = lower(m.tokens.end - 1);
                            if !ORG_HEADS.has(&last) && !PLACE_HEADS.has(&last) {
                                m.kind = Kind::Person;
                            }
                        }
                    }
                    None => {
                        let mut end = i + 2;
                        while end < s.tokens.end
                            && end < i + 4
                            && owner[end].is_none()
                            && name_word(end)
                        {
                            end += 1;
                        }
                        added.push(Mention {
                            span: Span::new(
                                seg.tokens[i + 1].span.start,
                                seg.tokens[end - 1].span.end,
                            ),
                            kind: Kind::Person,
                            score: 0.5,
                            sentence: si,
                            tokens: i + 1..end,
                        });
                    }
                }
            }
        }
        if !added.is_empty() {
            mentions.extend(added);
            mentions.sort_by_key(|m| m.span.start);
        }
    }
}

/// Arabic articles written apart from the name they belong to ("al - Sadr", "az - Zaman").
const ARTICLES: &[&str] = &["al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ez"];

/// True for an Arabic article joined by a hyphen to a capitalized name: "al-Nahyan",
/// "el-Sisi".
fn is_joined_article(w: &str) -> bool {
    w.split_once('-').is_some_and(|(article, name)| {
        ARTICLES.contains(&article) && name.chars().count() >= 2 && is_capitalized(name)
    })
}

/// Heads of place names of the form "Gulf of Mexico", "Isle of Man".
const OF_PLACE_HEADS: &[&str] = &[
    "gulf", "bay", "sea", "isle", "isles", "cape", "strait", "straits", "lake",
];

/// Joins the pieces of names that the tagger cut apart: an Arabic article and hyphen before a
/// name belong to it ("al - Sadr"), and with the person's name just before them to one name
/// ("Muqtada al - Sadr"); a head such as "Gulf" or "Isle", "of" and a place make one place
/// ("Gulf of Mexico").
#[derive(Debug, Default, Clone, Copy)]
pub struct Joins;

impl Recognizer for Joins {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let word = |i: usize| seg.tokens[i].span.of(text);
        let lower = |i: usize| lower_word(text, seg.tokens[i].span);
        let sentence_start = |k: &Mention| seg.sentences[k.sentence].tokens.start;
        let starts: FxHashSet<usize> = mentions.iter().map(|m| m.tokens.start).collect();
        let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
        for m in mentions.drain(..) {
            let mut m = m;
            // "Abdel Fattah el-Sisi": the article joined to the surname by a hyphen
            let next = m.tokens.end;
            if m.kind == Kind::Person
                && next < seg.sentences[m.sentence].tokens.end
                && !starts.contains(&next)
                && is_joined_article(word(next))
            {
                m = with_tokens(&m, seg, m.tokens.start..next + 1);
            }
            let first = sentence_start(&m);
            let j = m.tokens.start;
            // "al - Sadr"
            if j >= first + 2
                && matches!(word(j - 1), "-" | "\u{2013}")
                && ARTICLES.contains(&&*lower(j - 2))
                && out.last().is_none_or(|p| p.tokens.end <= j - 2)
            {
                m = with_tokens(&m, seg, j - 2..m.tokens.end);
                if let Some(p) = out.last()
                    && p.tokens.end == j - 2
                    && p.sentence == m.sentence
                    && p.kind == Kind::Person
                {
                    let p = out.pop().expect("last mention");
                    m = Mention {
                        kind: Kind::Person,
                        ..with_tokens(&p, seg, p.tokens.start..m.tokens.end)
                    };
                }
            }
            // "Gulf of Mexico"
            let j = m.tokens.start;
            if m.kind == Kind::Place
                && j >= first + 2
                && word(j - 1) == "of"
                && is_capitalized(word(j - 2))
                && OF_PLACE_HEADS.contains(&&*lower(j - 2))
            {
                let head = j - 2;
                match out.last() {
                    Some(p) if p.tokens == (head..head + 1) && p.kind == Kind::Place => {
                        out.pop();
                        m = with_tokens(&m, seg, head..m.tokens.end);
                    }
                    Some(p) if p.tokens.end > head => {}
                    _ => m = with_tokens(&m, seg, head..m.tokens.end),
                }
            }
            out.push(m);
        }
        *mentions = out;
    }
}

/// Splits person mentions that are two full names glued together, as in photo captions
/// ("Jared Kushner Steve Witkoff"): a mention of four or more words splits where both parts
/// are names the document uses on their own, or where the second part starts with a word
/// that begins another person's name in the document.
#[derive(Debug, Default, Clone, Copy)]
pub struct SplitGlued;

impl Recognizer for SplitGlued {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let word = |i: usize| seg.tokens[i].span.of(text);
        // Names seen elsewhere in the document (2 or 3 words), and the words they start and
        // end with.
        let mut names: HashMap<Vec<&str>, usize> = HashMap::default();
        for m in mentions.iter().filter(|m| m.kind == Kind::Person) {
            let n = m.tokens.len();
            if (2..=3).contains(&n) {
                *names
                    .entry(m.tokens.clone().map(word).collect())
                    .or_default() += 1;
            }
        }
        let known = |r: std::ops::Range<usize>| {
            r.len() <= 3 && names.contains_key(&r.map(word).collect::<Vec<&str>>())
        };
        let mut out = Vec::with_capacity(mentions.len());
        for m in mentions.drain(..) {
            let n = m.tokens.len();
            // The known names have 2 or 3 words, so only the cuts that leave 2 or 3 words on
            // one side can match: at most four, tried in order, whatever the mention's length.
            let split = (m.kind == Kind::Person && n >= 4)
                .then(|| {
                    let mut cuts = [2, 3, n - 3, n - 2];
                    cuts.sort_unstable();
                    cuts.into_iter()
                        .filter(|&k| (2..=n - 2).contains(&k))
                        .find(|&k| {
                            let cut = m.tokens.start + k;
                            known(m.tokens.start..cut) || known(cut..m.tokens.end)
                        })
                })
                .flatten();
            match split {
                Some(k) => {
                    let cut = m.tokens.start + k;
                    out.push(with_tokens(&m, seg, m.tokens.start..cut));
                    out.push(with_tokens(&m, seg, cut..m.tokens.end));
                }
                None => out.push(m),
            }
        }
        *mentions = out;
    }
}

/// Makes a document consistent with itself: a name recognized once is recognized wherever
/// the same words appear capitalized in the document, and a person's surname alone is that
/// person wherever it appears. Type follows the majority of the name's mentions.
#[derive(Debug, Default, Clone, Copy)]
pub struct Consistency;

impl Recognizer for Consistency {
    fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
        let word = |i: usize| seg.tokens[i].span.of(text);
        // Token sequences recognized, with their kind votes.
        let mut known: HashMap<Vec<&str>, [usize; 3]> = HashMap::default();
        for m in mentions.iter() {
            known
                .entry(m.tokens.clone().map(word).collect())
                .or_default()[m.kind.index()] += 1;
            if m.kind == Kind::Person && m.tokens.len() >= 2 {
                let last = m.tokens.end - 1;
                if is_capitalized(word(last)) {
                    known.entry(vec![word(last)]).or_default()[Kind::Person.index()] += 1;
                }
            }
        }
        if known.is_empty() {
            return;
        }
        // Each name takes the type most of its mentions have.
        let mut key: Vec<&str> = Vec::new();
        for m in mentions.iter_mut() {
            key.clear();
            key.extend(m.tokens.clone().map(word));
            if let Some(votes) = known.get(key.as_slice()) {
                let best = (0..3).max_by_key(|&k| (votes[k], 3 - k)).unwrap_or(0);
                if votes[best] > votes[m.kind.index()] {
                    m.kind = Kind::ALL[best];
                }
            }
        }
        let longest = known.keys().map(Vec::len).max().unwrap_or(1);
        let mut covered = vec![false; seg.tokens.len()];
        for m in mentions.iter() {
            covered[m.tokens.clone()].iter_mut().for_each(|c| *c = true);
        }
        let mut added = Vec::new();
        for (si, s) in seg.sentences.iter().enumerate() {
            if s.furniture {
                continue;
            }
            let mut i = s.tokens.start;
            while i < s.tokens.end {
                let mut matched = None;
                // a name starts with a capitalized word that no mention covers
                let lens = if covered[i] || !is_capitalized(word(i)) {
                    0
                } else {
                    longest.min(s.tokens.end - i)
                };
                for len in (1..=lens).rev() {
                    let r = i..i + len;
                    if covered[r.clone()].iter().any(|&c| c) {
                        continue;
                    }
                    key.clear();
                    key.extend(r.clone().map(word));
                    if let Some(votes) = known.get(key.as_slice()) {
                        // A lone word at the start of a sentence or in a headline is too weak.
                        let weak = len == 1 && (i == s.tokens.start || s.headline);
                        let is_person = votes[Kind::Person.index()] > 0;
                        if !weak || is_person {
                            let best = (0..3).max_by_key(|&k| (votes[k], 3 - k)).unwrap_or(0);
                            matched = Some((r, Kind::ALL[best]));
                            break;
                        }
                    }
                }
                match matched {
                    Some((r, kind)) => {
                        // The name must not continue into another capitalized word.
                        let extends = r.end < s.tokens.end && is_capitalized(word(r.end));
                        if !extends {
                            added.push(Mention {
                                span: Span::new(
                                    seg.tokens[r.start].span.start,
                                    seg.tokens[r.end - 1].span.end,
                                ),
                                kind,
                                score: 0.5,
                                sentence: si,
                                tokens: r.clone(),
                            });
                        }
                        i = r.end;
                    }
                    None => i += 1,
                }
            }
        }
        if !added.is_empty() {
            mentions.extend(added);
            mentions.sort_by_key(|m| m.span.start);
        }
    }
}

fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::Chain;
    use crate::segment::segment;

    #[test]
    fn word_lists_answer_as_their_sets() {
        static LIST: Words = Words::new(&[
            "mr",
            "president",
            "señor",
            "émigré",
            "a",
            "",
            "extraordinarily-long-title-of-office",
        ]);
        let plain: FxHashSet<&str> = LIST.list.iter().copied().collect();
        let text = "Mr. mr MR President president. presidents PRESIDENT Señor SEÑOR señor Émigré \
                    émigré A a b M r EXTRAORDINARILY-LONG-TITLE-OF-OFFICE extraordinarily-long-title \
                    ... . prez Mrs zr";
        for w in text.split(' ') {
            let span = Span::new(
                w.as_ptr() as usize - text.as_ptr() as usize,
                w.as_ptr() as usize - text.as_ptr() as usize + w.len(),
            );
            let want = plain.contains(lower(w.trim_end_matches('.')).as_ref());
            assert_eq!(LIST.has_word(text, span), want, "{w:?}");
            assert_eq!(LIST.has(w), plain.contains(w), "{w:?}");
        }
    }

    /// A proposer that marks the given phrases, for testing the rules on their own.
    struct Marks(Vec<(&'static str, Kind)>);

    impl Recognizer for Marks {
        fn apply(&self, text: &str, seg: &Segmentation, mentions: &mut Vec<Mention>) {
            for (phrase, kind) in &self.0 {
                let start = text.find(phrase).expect("phrase in text");
                let end = start + phrase.len();
                let first = seg
                    .tokens
                    .iter()
                    .position(|t| t.span.start == start)
                    .expect("token start");
                let last = seg
                    .tokens
                    .iter()
                    .position(|t| t.span.end == end)
                    .expect("token end");
                let sentence = seg
                    .sentences
                    .iter()
                    .position(|s| s.tokens.contains(&first))
                    .unwrap();
                mentions.push(Mention {
                    span: Span::new(start, end),
                    kind: *kind,
                    score: 1.0,
                    sentence,
                    tokens: first..last + 1,
                });
            }
            mentions.sort_by_key(|m| m.span.start);
        }
    }

    fn run(text: &str, marks: Vec<(&'static str, Kind)>) -> Vec<(String, Kind)> {
        let chain = Chain::new()
            .then(Marks(marks))
            .then(OrgNames)
            .then(PlaceNames)
            .then(Trim)
            .then(Junk)
            .then(LowerPlaces)
            .then(TitledNames)
            .then(Joins)
            .then(SplitGlued)
            .then(Consistency);
        let seg = segment(text);
        chain
            .recognize(text, &seg)
            .into_iter()
            .map(|m| (m.span.of(text).to_owned(), m.kind))
            .collect()
    }

    #[test]
    fn titles_determiners_and_possessives_are_not_names() {
        let got = run(
            "U.S. President Donald Trump's envoy visited the Kremlin.",
            vec![
                ("President Donald Trump's", Kind::Person),
                ("the Kremlin", Kind::Organization),
            ],
        );
        assert_eq!(
            got,
            [
                ("Donald Trump".into(), Kind::Person),
                ("Kremlin".into(), Kind::Organization)
            ]
        );
    }

    #[test]
    fn a_title_makes_a_person() {
        let got = run(
            "Fund CEO Kirill Dmitriev met the Foreign Minister.",
            vec![("CEO Kirill Dmitriev", Kind::Organization)],
        );
        assert_eq!(got, [("Kirill Dmitriev".into(), Kind::Person)]);
        let got = run(
            "In Iraqi society, PM Allawi is responsible for his clan.",
            vec![("PM Allawi", Kind::Organization)],
        );
        assert_eq!(got, [("Allawi".into(), Kind::Person)]);
    }

    #[test]
    fn a_secretary_is_a_person() {
        let got = run(
            "Later, Defense Secretary Lloyd Austin dismissed the claim.",
            vec![("Lloyd Austin", Kind::Organization)],
        );
        assert_eq!(got, [("Lloyd Austin".into(), Kind::Person)]);
    }

    #[test]
    fn a_company_title_makes_the_name_before_it_a_company() {
        let got = run(
            "OpenAI CEO Sam Altman met Nvidia founder Jensen Huang and Apple chief executive Tim Cook.",
            vec![
                ("Sam Altman", Kind::Person),
                ("Nvidia", Kind::Place),
                ("Jensen Huang", Kind::Person),
                ("Tim Cook", Kind::Person),
            ],
        );
        assert_eq!(
            got,
            [
                ("OpenAI".into(), Kind::Organization),
                ("Sam Altman".into(), Kind::Person),
                ("Nvidia".into(), Kind::Organization),
                ("Jensen Huang".into(), Kind::Person),
                ("Apple".into(), Kind::Organization),
                ("Tim Cook".into(), Kind::Person),
            ]
        );
        // a modifier, a title or a country before the title is no company
        let got = run(
            "New CEO Jane Fraser met former CEO Tom Lee and U.S. CEO Ann Bo.",
            vec![
                ("Jane Fraser", Kind::Person),
                ("Tom Lee", Kind::Person),
                ("U.S.", Kind::Place),
                ("Ann Bo", Kind::Person),
            ],
        );
        let kinds: Vec<Kind> = got.iter().map(|(_, k)| *k).collect();
        assert_eq!(
            kinds,
            [Kind::Person, Kind::Person, Kind::Place, Kind::Person],
            "{got:?}"
        );
    }

    #[test]
    fn a_place_word_before_a_name_makes_a_place() {
        let got = run(
            "SpaceX launched from Cape Canaveral and flew over Mount Kenya.",
            vec![
                ("Cape Canaveral", Kind::Person),
                ("Mount Kenya", Kind::Person),
            ],
        );
        assert_eq!(
            got,
            [
                ("Cape Canaveral".into(), Kind::Place),
                ("Mount Kenya".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn a_stadium_or_an_arena_is_a_place() {
        let got = run(
            "Haaland scored at the Etihad Stadium, and the Lakers lost at Crypto.com Arena.",
            vec![("Haaland", Kind::Person), ("Lakers", Kind::Organization)],
        );
        assert_eq!(
            got,
            [
                ("Haaland".into(), Kind::Person),
                ("Etihad Stadium".into(), Kind::Place),
                ("Lakers".into(), Kind::Organization),
                ("Crypto.com Arena".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn peoples_belongs_to_the_name_of_an_organization() {
        // the tagger's mention cut short, and a name it missed altogether
        let got = run(
            "Talks with the Tigray People's Liberation Front resumed as the Sudan People's \
             Liberation Movement split.",
            vec![("Liberation Front", Kind::Organization)],
        );
        assert_eq!(
            got,
            [
                (
                    "Tigray People's Liberation Front".into(),
                    Kind::Organization
                ),
                (
                    "Sudan People's Liberation Movement".into(),
                    Kind::Organization
                )
            ]
        );
    }

    #[test]
    fn a_joined_arabic_article_belongs_to_the_name() {
        let got = run(
            "President Abdel Fattah el-Sisi met Mohammed bin Zayed al-Nahyan in Cairo.",
            vec![
                ("Abdel Fattah", Kind::Person),
                ("Mohammed bin Zayed", Kind::Person),
                ("Cairo", Kind::Place),
            ],
        );
        assert_eq!(
            got,
            [
                ("Abdel Fattah el-Sisi".into(), Kind::Person),
                ("Mohammed bin Zayed al-Nahyan".into(), Kind::Person),
                ("Cairo".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn storms_are_events_not_names() {
        let got = run(
            "Rita packed winds as Rick Perry spoke. Strengthening Hurricane Rita hit Texas.",
            vec![
                ("Rita", Kind::Person),
                ("Rick Perry", Kind::Person),
                ("Hurricane Rita", Kind::Person),
                ("Texas", Kind::Place),
            ],
        );
        assert_eq!(
            got,
            [
                ("Rick Perry".into(), Kind::Person),
                ("Texas".into(), Kind::Place)
            ]
        );
        // "Rita" named without a storm word is a name
        let got = run("Rita met Rick Perry.", vec![("Rita", Kind::Person)]);
        assert_eq!(got, [("Rita".into(), Kind::Person)]);
    }

    #[test]
    fn calendar_and_discourse_words_are_dropped() {
        let got = run(
            "Meanwhile, on Tuesday in December, Ushakov spoke.",
            vec![
                ("Meanwhile", Kind::Person),
                ("Tuesday", Kind::Place),
                ("December", Kind::Organization),
                ("Ushakov", Kind::Person),
            ],
        );
        assert_eq!(got, [("Ushakov".into(), Kind::Person)]);
    }

    #[test]
    fn organizations_end_in_a_head_word() {
        let got = run(
            "Russian Direct Investment Fund CEO Kirill Dmitriev and the Ministry of Foreign Affairs met. The Fund said so.",
            vec![
                ("Kirill Dmitriev", Kind::Person),
                ("Ministry", Kind::Organization),
            ],
        );
        assert_eq!(
            got,
            [
                ("Russian Direct Investment Fund".into(), Kind::Organization),
                ("Kirill Dmitriev".into(), Kind::Person),
                // The tagger's own mention stands.
                ("Ministry".into(), Kind::Organization),
            ]
        );
    }

    #[test]
    fn adjectives_are_not_places() {
        let got = run(
            "Middle Eastern diplomacy and US-Russia talks in Bosnia-Herzegovina.",
            vec![
                ("Middle Eastern", Kind::Place),
                ("US-Russia", Kind::Organization),
                ("Bosnia-Herzegovina", Kind::Place),
            ],
        );
        assert_eq!(got, [("Bosnia-Herzegovina".into(), Kind::Place)]);
    }

    #[test]
    fn web_words_files_and_addresses_are_not_names() {
        let got = run(
            "Hi Sam, send resume.doc to jo@example.com by Monday. LOL. Kindest regards, Ann",
            vec![
                ("Hi", Kind::Person),
                ("Sam", Kind::Person),
                ("resume.doc", Kind::Organization),
                ("jo@example.com", Kind::Person),
                ("LOL", Kind::Organization),
                ("Kindest", Kind::Place),
                ("Ann", Kind::Person),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, ["Sam", "Ann"]);
    }

    #[test]
    fn a_place_head_makes_a_place() {
        let got = run(
            "We walked from City Hall to the old Canyon Road and ate at Mario's.",
            vec![("City Hall", Kind::Person)],
        );
        assert_eq!(
            got,
            [
                ("City Hall".into(), Kind::Place),
                ("Canyon Road".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn the_words_before_a_region_word_are_a_place() {
        let got = run(
            "Kyiv rejected demands to cede the eastern Donbas region. Idlib province was shelled.",
            vec![("Kyiv", Kind::Place)],
        );
        assert_eq!(
            got,
            [
                ("Kyiv".into(), Kind::Place),
                ("Donbas".into(), Kind::Place),
                ("Idlib".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn greetings_and_the_pronoun_are_not_names() {
        let got = run(
            "Dear Nina , I think so .",
            vec![("Dear Nina", Kind::Person), ("I", Kind::Person)],
        );
        assert_eq!(got, [("Nina".into(), Kind::Person)]);
    }

    #[test]
    fn a_bracket_the_name_opened_stays_and_a_capital_the_inside_a_sentence() {
        let got = run(
            "Mladost ( L ) won at The Oval .",
            vec![
                ("Mladost ( L )", Kind::Organization),
                ("The Oval", Kind::Place),
            ],
        );
        assert_eq!(
            got,
            [
                ("Mladost ( L )".into(), Kind::Organization),
                ("The Oval".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn places_in_lower_case_are_found() {
        let got = run("i flew from mexico to san francisco , nice trip", vec![]);
        assert_eq!(
            got,
            [
                ("mexico".into(), Kind::Place),
                ("san francisco".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn pieces_of_names_are_joined() {
        let got = run(
            "Muqtada al - Sadr sailed the Gulf of Mexico .",
            vec![
                ("Muqtada", Kind::Person),
                ("Sadr", Kind::Person),
                ("Gulf", Kind::Place),
                ("Mexico", Kind::Place),
            ],
        );
        assert_eq!(
            got,
            [
                ("Muqtada al - Sadr".into(), Kind::Person),
                ("Gulf of Mexico".into(), Kind::Place)
            ]
        );
    }

    #[test]
    fn a_word_after_a_title_is_a_person() {
        let got = run(
            "Yesterday President Bush met the press and Mr. Lee Kuan spoke.",
            vec![("Lee Kuan", Kind::Organization)],
        );
        assert_eq!(
            got,
            [
                ("Bush".into(), Kind::Person),
                ("Lee Kuan".into(), Kind::Person)
            ]
        );
    }

    #[test]
    fn glued_caption_names_are_split() {
        let got = run(
            "Steve Witkoff spoke. Jared Kushner Steve Witkoff, in Moscow.",
            vec![
                ("Steve Witkoff", Kind::Person),
                ("Jared Kushner Steve Witkoff", Kind::Person),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, ["Steve Witkoff", "Jared Kushner", "Steve Witkoff"]);
    }

    #[test]
    fn long_glued_names_are_cut_beside_a_known_name() {
        // a known name of two words at the end, and of three at the start
        let got = run(
            "Steve Witkoff spoke. Mary Ann Smith spoke. \
             Ann Bo Cy Di Ed Fa Gu Steve Witkoff, in Moscow. Mary Ann Smith Bo Cy Di Ed left.",
            vec![
                ("Steve Witkoff", Kind::Person),
                ("Mary Ann Smith", Kind::Person),
                ("Ann Bo Cy Di Ed Fa Gu Steve Witkoff", Kind::Person),
                ("Mary Ann Smith Bo Cy Di Ed", Kind::Person),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "Steve Witkoff",
                "Mary Ann Smith",
                "Ann Bo Cy Di Ed Fa Gu",
                "Steve Witkoff",
                "Mary Ann Smith",
                "Bo Cy Di Ed"
            ]
        );
    }

    #[test]
    fn names_are_found_again_across_the_document() {
        let got = run(
            "Steve Witkoff met officials in Moscow. Later, Witkoff left Moscow.",
            vec![("Steve Witkoff", Kind::Person), ("Moscow", Kind::Place)],
        );
        let names: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, ["Steve Witkoff", "Moscow", "Witkoff", "Moscow"]);
        assert_eq!(got[2].1, Kind::Person);
    }
}
