//! Bundled gazetteers (lists of names from `data/gazetteers/`) and their matching.
//!
//! Every list is compiled into the binary with `include_str!`. Matching is case-insensitive:
//! the tagger combines membership with the token's shape, so a list match on a lower-case word
//! counts for less than one on a capitalized word once trained.

use super::features::FxMap as HashMap;
use super::features::WordInfo;
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
pub(crate) const LISTS: [List; 10] = [
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
];

/// Bit of the list of common lower-case words.
pub(crate) const COMMON: u16 = 1 << 9;

/// Lists matched as whole phrases (possibly several tokens); the others are single words.
pub(crate) const PHRASE_LISTS: u16 = 0b1_1111;

/// The compiled gazetteers.
pub(crate) struct Gazetteers {
    /// Lower-cased phrase (tokens joined by one space) -> mask of phrase lists holding it.
    phrases: HashMap<String, u16>,
    /// Lower-cased word -> (mask of lists with an entry *starting* with it, longest such entry in
    /// tokens).
    starts: HashMap<String, (u16, u8)>,
    /// Lower-cased word -> mask of lists where it is an entry on its own or a word of an entry.
    words: HashMap<String, (u16, u16)>,
    /// Lower-cased common English word -> frequency rank (0 = most frequent).
    ranks: HashMap<&'static str, u32>,
    /// A checksum of every list's text, stored in models to catch stale ones.
    pub checksum: u64,
}

/// Common English words, most frequent first.
const ENGLISH: &str = include_str!("../../data/gazetteers/english_words.lst");

impl Gazetteers {
    /// The bundled gazetteers, compiled once.
    pub fn get() -> &'static Gazetteers {
        static G: OnceLock<Gazetteers> = OnceLock::new();
        G.get_or_init(Gazetteers::build)
    }

    fn build() -> Gazetteers {
        let mut phrases: HashMap<String, u16> = HashMap::default();
        let mut starts: HashMap<String, (u16, u8)> = HashMap::default();
        let mut words: HashMap<String, (u16, u16)> = HashMap::default();
        let mut checksum = super::features::FNV_OFFSET;
        phrases.reserve(6000);
        starts.reserve(6000);
        words.reserve(24000);
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
                    let key = if n == 1 {
                        lower.clone()
                    } else {
                        toks.join(" ")
                    };
                    *phrases.entry(key).or_default() |= bit;
                    match starts.get_mut(toks[0]) {
                        Some(s) => {
                            s.0 |= bit;
                            s.1 = s.1.max(n);
                        }
                        None => {
                            starts.insert(toks[0].to_string(), (bit, n));
                        }
                    }
                }
                for &t in &toks {
                    // whole entries in the first mask, words of longer entries in the second
                    let (whole, part) = if n == 1 { (bit, 0) } else { (0, bit) };
                    match words.get_mut(t) {
                        Some(w) => {
                            w.0 |= whole;
                            w.1 |= part;
                        }
                        None => {
                            words.insert(t.to_string(), (whole, part));
                        }
                    }
                }
            }
        }
        checksum = super::features::fnv(checksum, ENGLISH.as_bytes());
        let ranks = ENGLISH
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
            .map(|(i, w)| (w, i as u32))
            .collect::<HashMap<_, _>>();
        Gazetteers {
            phrases,
            starts,
            words,
            ranks,
            checksum,
        }
    }

    /// Masks for one lower-cased word: (lists where it is a whole entry, lists where it is part of
    /// a longer entry).
    pub fn word(&self, lower: &str) -> (u16, u16) {
        self.words.get(lower).copied().unwrap_or((0, 0))
    }

    /// Frequency class of a lower-cased word among common English words: 0 when it is not
    /// one, then 1 (most frequent) to 4.
    pub fn frequency_class(&self, lower: &str) -> u8 {
        match self.ranks.get(lower) {
            None => 0,
            Some(&r) if r < 1000 => 1,
            Some(&r) if r < 3000 => 2,
            Some(&r) if r < 10000 => 3,
            Some(_) => 4,
        }
    }

    /// Phrase lists with an entry starting with the lower-cased word, and the longest such
    /// entry in tokens (`(0, 0)` when none).
    pub fn start(&self, lower: &str) -> (u16, u8) {
        self.starts.get(lower).copied().unwrap_or((0, 0))
    }

    /// Length in words of the longest place name (country, region, city or other place list)
    /// that `lower` starts with, when it is not an ordinary word: a one-word name must be
    /// neither a common lower-case word of news text nor a frequent English word. 0 if none.
    pub fn place_len(&self, lower: &[&str]) -> usize {
        const PLACES: u16 = 0b1111;
        let Some(&(mask, longest)) = lower.first().and_then(|w| self.starts.get(*w)) else {
            return 0;
        };
        if mask & PLACES == 0 {
            return 0;
        }
        for n in (1..=(longest as usize).min(lower.len())).rev() {
            let key = lower[..n].join(" ");
            if self
                .phrases
                .get(key.as_str())
                .is_some_and(|m| m & PLACES != 0)
            {
                let ordinary =
                    n == 1 && (self.word(&key).0 & COMMON != 0 || self.frequency_class(&key) != 0);
                return if ordinary { 0 } else { n };
            }
        }
        0
    }

    /// Longest phrase matches in a sentence. For each list, greedy left to right, longest
    /// first, not overlapping within the list. Calls `hit(list, start, end)`.
    pub fn matches(&self, words: &[&WordInfo], mut hit: impl FnMut(usize, usize, usize)) {
        // next free position per list, to keep matches of one list apart
        let mut free = [0usize; LISTS.len()];
        let mut key = String::new();
        let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
        for i in 0..lower.len() {
            let (mask, maxlen) = words[i].gaz_start;
            if mask == 0 {
                continue;
            }
            let maxlen = (maxlen as usize).min(lower.len() - i);
            let mut found = 0u16;
            for n in (1..=maxlen).rev() {
                key.clear();
                for (j, w) in lower[i..i + n].iter().enumerate() {
                    if j > 0 {
                        key.push(' ');
                    }
                    key.push_str(w);
                }
                if let Some(&m) = self.phrases.get(key.as_str()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_longest_phrase() {
        let g = Gazetteers::get();
        let infos: Vec<WordInfo> = ["in", "New", "York", "and", "the", "United", "States", "."]
            .iter()
            .map(|w| WordInfo::new(w))
            .collect();
        let words: Vec<&WordInfo> = infos.iter().collect();
        let mut hits = Vec::new();
        g.matches(&words, |l, s, e| hits.push((LISTS[l].name, s, e)));
        assert!(hits.contains(&("place", 1, 3)), "{hits:?}");
        assert!(hits.contains(&("region", 1, 3)), "{hits:?}");
        assert!(hits.contains(&("country", 5, 7)), "{hits:?}");
    }

    #[test]
    fn word_membership() {
        let g = Gazetteers::get();
        let (whole, _) = g.word("john");
        assert!(whole & (1 << 7) != 0);
        let (_, part) = g.word("york");
        assert!(part & (1 << 3) != 0);
    }
}
