//! Bundled gazetteers (lists of names from `data/gazetteers/`) and their matching.
//!
//! Every list is compiled into the binary with `include_str!` and, for tagging, into the model
//! as hash tables ([`Lexicon`]). Matching is case-insensitive: the tagger combines membership
//! with the token's shape, so a list match on a lower-case word counts for less than one on a
//! capitalized word once trained.

use super::features::FxMap as HashMap;
use super::features::{T_LOWER, WordInfo, hstr};
use super::table::{self, Table, TableAt};
use std::sync::OnceLock;

/// One bundled list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct List {
    /// Short name used in feature strings.
    pub name: &'static str,
    /// The list's text, one entry a line.
    pub text: &'static str,
}

/// The lists, in a fixed order: a list's position is its bit in the masks below.
pub(crate) const LISTS: [List; 11] = [
    List {
        name: "country",
        text: include_str!("../../data/gazetteers/countries.lst"),
    },
    List {
        name: "place",
        text: include_str!("../../data/gazetteers/places_extra.lst"),
    },
    List {
        name: "region",
        text: include_str!("../../data/gazetteers/regions.lst"),
    },
    List {
        name: "city",
        text: include_str!("../../data/gazetteers/cities.lst"),
    },
    List {
        name: "org",
        text: include_str!("../../data/gazetteers/organizations.lst"),
    },
    List {
        name: "orgword",
        text: include_str!("../../data/gazetteers/org_words.lst"),
    },
    List {
        name: "title",
        text: include_str!("../../data/gazetteers/person_titles.lst"),
    },
    List {
        name: "first",
        text: include_str!("../../data/gazetteers/first_names.lst"),
    },
    List {
        name: "surname",
        text: include_str!("../../data/gazetteers/surnames.lst"),
    },
    List {
        name: "common",
        text: include_str!("../../data/gazetteers/common_words.lst"),
    },
    List {
        name: "town",
        text: include_str!("../../data/gazetteers/towns.lst"),
    },
];

/// Bit of the list of common lower-case words.
pub(crate) const COMMON: u16 = 1 << 9;

/// Lists matched as whole phrases (possibly several tokens); the others are single words.
pub(crate) const PHRASE_LISTS: u16 = 0b100_0001_1111;

/// Template of the phrase keys (not a feature: phrase keys live in their own table).
const T_PHRASE_KEY: u64 = 0x5048_5241_5345;

/// Frequency class of a rank among common English words: 1 (most frequent) to 4.
fn frequency_class(rank: usize) -> u8 {
    match rank {
        0..1000 => 1,
        1000..3000 => 2,
        3000..10000 => 3,
        _ => 4,
    }
}

/// What the lists say about one lower-cased word, packed in a table value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordLists {
    /// Lists where the word is an entry on its own.
    pub whole: u16,
    /// Lists where the word is part of a longer entry.
    pub part: u16,
    /// Phrase lists with an entry starting with the word.
    pub start: u16,
    /// The longest such entry, in tokens.
    pub start_len: u8,
    /// Frequency class among common English words (0: not one, then 1, most frequent, to 4).
    pub freq: u8,
}

/// The place lists (country, region, city, other place) among a word's list masks.
const PLACES: u16 = 0b1111;

impl WordLists {
    /// Whether [`Lexicon::place_len_of`] can find a place name starting with a word of these
    /// lists.
    pub fn may_start_place(self) -> bool {
        self.start & PLACES != 0 || (self.whole & PLACES != 0 && !self.ordinary())
    }

    /// A common lower-case word of news text or a frequent English word.
    fn ordinary(self) -> bool {
        self.whole & COMMON != 0 || (1..=2).contains(&self.freq)
    }

    fn pack(self) -> u64 {
        self.whole as u64
            | (self.part as u64) << 16
            | (self.start as u64) << 32
            | (self.start_len as u64) << 48
            | (self.freq as u64) << 56
    }

    fn unpack(v: u64) -> WordLists {
        WordLists {
            whole: v as u16,
            part: (v >> 16) as u16,
            start: (v >> 32) as u16,
            start_len: (v >> 48) as u8,
            freq: (v >> 56) as u8,
        }
    }
}

/// The gazetteers as two hash tables: lower-cased word (by its hash, [`WordInfo::lower_h`]) ->
/// [`WordLists`], and lower-cased phrase of two tokens or more (tokens joined by one space) ->
/// mask of the phrase lists holding it. Models carry these tables, so that tagging builds
/// nothing at start-up; [`ListTables`] builds them from the bundled lists for training.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lexicon<'a> {
    words: Table<'a>,
    phrases: Table<'a>,
}

impl<'a> Lexicon<'a> {
    /// The lexicon made of two tables.
    pub fn new(words: Table<'a>, phrases: Table<'a>) -> Lexicon<'a> {
        Lexicon { words, phrases }
    }

    /// Starts loading what [`Lexicon::word`] of `lower_h` will read.
    #[inline]
    pub fn prefetch_word(&self, lower_h: u64) {
        self.words.prefetch(lower_h);
    }

    /// What the lists say about the lower-cased word whose [`hstr`]`(T_LOWER, ..)` hash is
    /// `lower_h`.
    #[inline]
    pub fn word(&self, lower_h: u64) -> WordLists {
        self.words
            .get_u64(lower_h)
            .map(WordLists::unpack)
            .unwrap_or_default()
    }

    /// Every word of the lists: its hash and what the lists say about it.
    pub fn words(&self) -> impl Iterator<Item = (u64, WordLists)> + 'a {
        self.words
            .iter()
            .map(|(k, v)| (k, WordLists::unpack(table::le64(v))))
    }

    /// Mask of the phrase lists holding the lower-cased phrase `key` (tokens joined by spaces).
    #[inline]
    fn phrase(&self, key: &str) -> u16 {
        self.phrases
            .get_u64(hstr(T_PHRASE_KEY, key))
            .map_or(0, |m| m as u16)
    }

    /// Length in words of the longest place name (country, region, city or other place list)
    /// that `lower` starts with, when it is not an ordinary word: a one-word name must be
    /// neither a common lower-case word of news text nor a frequent English word. 0 if none.
    /// `lists` is what the lists say about the first word, `self.word(hstr(T_LOWER, lower[0]))`
    /// ([`crate::tagger::place_name_len`] asks only about words that
    /// [`WordLists::may_start_place`] lets through).
    pub fn place_len_of(&self, lower: &[&str], lists: WordLists) -> usize {
        if lists.start & PLACES != 0 {
            let mut key = String::new();
            for n in (2..=(lists.start_len as usize).min(lower.len())).rev() {
                key.clear();
                for (j, w) in lower[..n].iter().enumerate() {
                    if j > 0 {
                        key.push(' ');
                    }
                    key.push_str(w);
                }
                if self.phrase(&key) & PLACES != 0 {
                    return n;
                }
            }
        }
        if lists.whole & PLACES != 0 && !lists.ordinary() {
            1
        } else {
            0
        }
    }

    /// Longest phrase matches in a sentence. For each list, greedy left to right, longest
    /// first, not overlapping within the list. Calls `hit(list, start, end)`.
    pub fn matches(&self, words: &[&WordInfo], mut hit: impl FnMut(usize, usize, usize)) {
        // next free position per list, to keep matches of one list apart
        let mut free = [0usize; LISTS.len()];
        let mut key = String::new();
        for i in 0..words.len() {
            let (mask, maxlen) = words[i].gaz_start;
            if mask == 0 {
                continue;
            }
            let maxlen = (maxlen as usize).min(words.len() - i);
            let mut found = 0u16;
            for n in (1..=maxlen).rev() {
                // a one-token entry of a phrase list is a whole entry of that list
                let m = if n == 1 {
                    words[i].gaz & PHRASE_LISTS
                } else {
                    key.clear();
                    for (j, w) in words[i..i + n].iter().enumerate() {
                        if j > 0 {
                            key.push(' ');
                        }
                        key.push_str(&w.lower);
                    }
                    self.phrase(&key)
                };
                if m != 0 {
                    let new = m & mask & !found;
                    for (list, slot) in free.iter_mut().enumerate() {
                        if new & (1 << list) != 0 && *slot <= i {
                            hit(list, i, i + n);
                            *slot = i + n;
                        }
                    }
                    found |= m;
                }
            }
        }
    }
}

/// The lexicon tables built from the bundled lists.
pub(crate) struct ListTables {
    /// Word records (key, packed [`WordLists`]), sorted by key.
    pub words: Vec<(u64, u64)>,
    /// Phrase records (key, mask), sorted by key.
    pub phrases: Vec<(u64, u64)>,
    /// Both tables, written one after the other.
    blob: Vec<u8>,
    words_at: TableAt,
    phrases_at: TableAt,
    /// A checksum of every list's text, stored in models to tell which lists they carry.
    pub checksum: u64,
}

/// Common English words, most frequent first.
const ENGLISH: &str = include_str!("../../data/gazetteers/english_words.lst");

impl ListTables {
    /// The tables of the bundled lists, built once (training only: tagging uses the model's).
    pub fn get() -> &'static ListTables {
        static G: OnceLock<ListTables> = OnceLock::new();
        G.get_or_init(ListTables::build)
    }

    /// The lexicon of these tables.
    pub fn lexicon(&self) -> Lexicon<'_> {
        Lexicon::new(
            self.words_at.view(&self.blob),
            self.phrases_at.view(&self.blob),
        )
    }

    fn build() -> ListTables {
        let mut phrases: HashMap<String, u16> = HashMap::default();
        let mut words: HashMap<String, WordLists> = HashMap::default();
        let mut checksum = super::features::FNV_OFFSET;
        for (bit, list) in LISTS.iter().enumerate() {
            let bit = 1u16 << bit;
            checksum = super::features::fnv(checksum, list.text.as_bytes());
            for line in list.text.lines() {
                let entry = line.trim();
                if entry.is_empty() || entry.starts_with('#') {
                    continue;
                }
                let lower = entry.to_lowercase();
                let toks: Vec<&str> = lower.split_whitespace().collect();
                let n = toks.len().min(255) as u8;
                if bit & PHRASE_LISTS != 0 {
                    if n > 1 {
                        *phrases.entry(toks.join(" ")).or_default() |= bit;
                    }
                    let s = words.entry(toks[0].to_string()).or_default();
                    s.start |= bit;
                    s.start_len = s.start_len.max(n);
                }
                for &t in &toks {
                    // whole entries in the first mask, words of longer entries in the second
                    let w = words.entry(t.to_string()).or_default();
                    if n == 1 {
                        w.whole |= bit;
                    } else {
                        w.part |= bit;
                    }
                }
            }
        }
        checksum = super::features::fnv(checksum, ENGLISH.as_bytes());
        // a word listed twice keeps its last rank
        let mut ranks: HashMap<&str, usize> = HashMap::default();
        for (i, w) in ENGLISH
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            ranks.insert(w, i);
        }
        for (w, r) in ranks {
            words.entry(w.to_string()).or_default().freq = frequency_class(r);
        }
        let sorted = |mut v: Vec<(u64, u64)>| {
            v.sort_unstable();
            v
        };
        let words = sorted(
            words
                .iter()
                .map(|(w, l)| (hstr(T_LOWER, w), l.pack()))
                .collect(),
        );
        let phrases = sorted(
            phrases
                .iter()
                .map(|(p, &m)| (hstr(T_PHRASE_KEY, p), m as u64))
                .collect(),
        );
        let mut blob = Vec::new();
        let words_at = table::write_u64(&mut blob, &words);
        let phrases_at = table::write_u64(&mut blob, &phrases);
        ListTables {
            words,
            phrases,
            blob,
            words_at,
            phrases_at,
            checksum,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_longest_phrase() {
        let lex = ListTables::get().lexicon();
        let infos: Vec<WordInfo> = ["in", "New", "York", "and", "the", "United", "States", "."]
            .iter()
            .map(|w| WordInfo::new(w, &lex))
            .collect();
        let words: Vec<&WordInfo> = infos.iter().collect();
        let mut hits = Vec::new();
        lex.matches(&words, |l, s, e| hits.push((LISTS[l].name, s, e)));
        assert!(hits.contains(&("place", 1, 3)), "{hits:?}");
        assert!(hits.contains(&("region", 1, 3)), "{hits:?}");
        assert!(hits.contains(&("country", 5, 7)), "{hits:?}");
    }

    #[test]
    fn word_membership() {
        let lex = ListTables::get().lexicon();
        let word = |w: &str| lex.word(hstr(T_LOWER, w));
        assert!(word("john").whole & (1 << 7) != 0);
        assert!(word("york").part & (1 << 3) != 0);
        assert_eq!(word("new").start_len, word("new").start_len.max(2));
        assert_eq!(word("the").freq, 1);
        assert_eq!(word("zzzqx"), WordLists::default());
    }

    #[test]
    fn packing_round_trips() {
        let w = WordLists {
            whole: 0x8001,
            part: 0x0300,
            start: 0x1f,
            start_len: 9,
            freq: 4,
        };
        assert_eq!(WordLists::unpack(w.pack()), w);
    }
}
