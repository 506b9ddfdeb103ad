//! Resolution: one entity per real-world person, organization or place, across documents.
//!
//! Mentions are grouped in four steps:
//! 1. **Keys.** Each mention's text is folded for matching only: accents and scripts to ASCII
//!    (`deunicode`), case, periods, apostrophes and hyphens dropped ("U.S." and "US" share the
//!    key `us`). A bundled alias table maps names that share no spelling ("America" -> "United
//!    States").
//! 2. **Type votes.** Mentions with the same key take the type most of them carry, so one odd tag
//!    does not split an entity.
//! 3. **People.** Full names are grouped by a transliteration key that hears "Zelensky",
//!    "Zelenskyy" and "Zelenskiy", or "Yuri" and "Yury", as one name. A surname or first name
//!    alone joins the full name it belongs to when that is unambiguous: first within its own
//!    document, else across the corpus.
//! 4. **Names.** An entity is shown under its most complete form (the alias table's name, or a
//!    person's fullest name), and keeps every surface form as an alias.
//!
//! Architecture invariant: resolution reads mentions and text only; it does no I/O and cannot
//! fail.

use crate::kind::Kind;
use crate::recognize::Mention;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

/// A real-world entity: everything its mentions say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Stable, readable identifier: a slug of the name ("vladimir-putin").
    pub id: String,
    /// The most complete name seen.
    pub name: String,
    /// Person, organization or place.
    pub kind: Kind,
    /// Every surface form seen, the name included, sorted.
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// Ids of the documents that mention it, sorted.
    pub documents: Vec<String>,
    /// Roles given to it (people only), with their evidence, in order of first appearance.
    pub roles: Vec<crate::relate::Role>,
}

impl Entity {
    /// An entity named `name`, mentioned once under that name, in no document yet, without
    /// roles; its id is the slug of the name.
    pub fn new(name: &str, kind: Kind) -> Entity {
        Entity {
            id: slug(name),
            name: name.to_owned(),
            kind,
            aliases: vec![name.to_owned()],
            mentions: 1,
            documents: Vec::new(),
            roles: Vec::new(),
        }
    }
}

/// The mentions of one document, as resolution sees them.
#[derive(Debug, Clone, Copy)]
pub struct DocMentions<'a> {
    /// The document's id.
    pub id: &'a str,
    /// The document's text.
    pub text: &'a str,
    /// Its mentions.
    pub mentions: &'a [Mention],
}

/// The outcome of resolution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolution {
    /// The entities, sorted by id.
    pub entities: Vec<Entity>,
    /// For each document, for each of its mentions, the index of its entity in `entities`.
    pub assignment: Vec<Vec<usize>>,
}

/// Folds a name for matching: ASCII, lower case, no periods, apostrophes or hyphens, single
/// spaces. The shown name keeps its spelling; only keys are folded.
pub fn fold(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        match c {
            '.' | '\'' | '`' => {}
            c if c.is_alphanumeric() || c == '&' => out.push(c),
            _ => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
    }
    let trimmed = out.trim_end();
    let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
    trimmed.to_owned()
}

/// A transliteration key for one folded name word: `y` heard as `i`, doubled letters as one,
/// so "zelensky", "zelenskyy" and "zelenskiy" all give "zelenski", "yury" and "yuri" give
/// "iuri", "dmitryev" and "dmitriev" give "dmitriev".
pub fn sound_key(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let c = if c == 'y' { 'i' } else { c };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The alias table: folded alias -> (kind, shown name).
fn alias_table() -> &'static HashMap<String, (Kind, &'static str)> {
    static TABLE: OnceLock<HashMap<String, (Kind, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for line in include_str!("../data/aliases.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(kind), Some(name)) = (fields.next(), fields.next()) else {
                continue;
            };
            let Ok(kind) = kind.parse::<Kind>() else {
                continue;
            };
            for alias in std::iter::once(name).chain(fields) {
                table.insert(fold(alias), (kind, name));
            }
        }
        table
    })
}

/// The shown name and kind of a name in the alias table.
pub fn canonical(name: &str) -> Option<(Kind, &'static str)> {
    alias_table().get(&fold(name)).copied()
}

/// Where one mention stands during resolution.
struct Item {
    doc: usize,
    surface: String,
    key: String,
    kind: Kind,
}

/// Groups every mention of every document into entities.
pub fn resolve(docs: &[DocMentions<'_>]) -> Resolution {
    // 1. Keys, with the alias table and the acronyms the texts define applied.
    let acronyms = acronyms(docs);
    let mut items: Vec<Item> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for m in doc.mentions {
            let surface = normalize_space(m.span.of(doc.text));
            let (key, kind) = match canonical(&surface) {
                Some((kind, name)) => (fold(name), kind),
                None => match acronyms.get(&fold(&surface)) {
                    Some((full, kind)) => (full.clone(), *kind),
                    None => (fold(&surface), m.kind),
                },
            };
            items.push(Item {
                doc: d,
                surface,
                key,
                kind,
            });
        }
    }

    // 2. Type votes per key; ties go to the earlier kind in Kind::ALL.
    let mut votes: HashMap<&str, [usize; 3]> = HashMap::new();
    for it in &items {
        votes.entry(&it.key).or_default()[it.kind.index()] += 1;
    }
    let voted: Vec<Kind> = items
        .iter()
        .map(|it| {
            let v = votes[it.key.as_str()];
            let best = (0..3).max_by_key(|&i| (v[i], 3 - i)).unwrap_or(0);
            Kind::ALL[best]
        })
        .collect();

    // 3. Clusters: (kind, cluster key). People by sound keys, the rest by folded key.
    let cluster_key = |i: usize| -> String {
        let it = &items[i];
        if voted[i] == Kind::Person {
            person_key(&it.key)
        } else {
            it.key.clone()
        }
    };
    let mut cluster_of: Vec<(Kind, String)> = (0..items.len())
        .map(|i| (voted[i], cluster_key(i)))
        .collect();

    // A lone surname or first name joins the one full name it can belong to: the only
    // candidate in its own document, else the only one in the corpus. Full names are indexed
    // by their first and last words, per document and overall.
    let mut by_word: HashMap<(&str, Option<usize>), BTreeSet<&str>> = HashMap::new();
    for (i, (kind, key)) in cluster_of.iter().enumerate() {
        if *kind != Kind::Person || !key.contains(' ') {
            continue;
        }
        let mut words = key.split(' ');
        for w in [words.next(), words.next_back()].into_iter().flatten() {
            for scope in [Some(items[i].doc), None] {
                by_word.entry((w, scope)).or_default().insert(key.as_str());
            }
        }
    }
    let joins: Vec<(usize, String)> = (0..items.len())
        .filter_map(|i| {
            let (kind, word) = &cluster_of[i];
            if *kind != Kind::Person || word.contains(' ') || word.is_empty() {
                return None;
            }
            let only = |scope| {
                let keys = by_word.get(&(word.as_str(), scope))?;
                (keys.len() == 1).then(|| keys.iter().next().map(|k| k.to_string()))?
            };
            match by_word.get(&(word.as_str(), Some(items[i].doc))) {
                Some(_) => only(Some(items[i].doc)),
                None => only(None),
            }
            .map(|key| (i, key))
        })
        .collect();
    for (i, key) in joins {
        cluster_of[i].1 = key;
    }

    // 4. Entities, named by their most complete form.
    let mut clusters: BTreeMap<(Kind, String), Vec<usize>> = BTreeMap::new();
    for (i, c) in cluster_of.iter().enumerate() {
        if !c.1.is_empty() {
            clusters.entry(c.clone()).or_default().push(i);
        }
    }
    let mut entities: Vec<(Entity, Vec<usize>)> = clusters
        .into_iter()
        .map(|((kind, _), members)| {
            let name = shown_name(kind, &members, &items);
            let mut aliases: Vec<String> =
                members.iter().map(|&i| items[i].surface.clone()).collect();
            aliases.sort();
            aliases.dedup();
            let mut documents: Vec<String> = members
                .iter()
                .map(|&i| docs[items[i].doc].id.to_owned())
                .collect();
            documents.sort();
            documents.dedup();
            let entity = Entity {
                id: String::new(),
                name,
                kind,
                aliases,
                mentions: members.len(),
                documents,
                roles: Vec::new(),
            };
            (entity, members)
        })
        .collect();
    assign_ids(&mut entities);
    entities.sort_by(|a, b| a.0.id.cmp(&b.0.id));

    let mut of_item = vec![usize::MAX; items.len()];
    for (e, (_, members)) in entities.iter().enumerate() {
        for &i in members {
            of_item[i] = e;
        }
    }
    let mut assignment = Vec::with_capacity(docs.len());
    let mut next = 0;
    for doc in docs {
        assignment.push(of_item[next..next + doc.mentions.len()].to_vec());
        next += doc.mentions.len();
    }
    Resolution {
        entities: entities.into_iter().map(|(e, _)| e).collect(),
        assignment,
    }
}

/// Acronyms the texts define: "Russian Direct Investment Fund (RDIF)" makes a later "RDIF"
/// the fund. Maps the folded acronym to the folded full name and its kind; an acronym given
/// two different expansions in the corpus is left out.
fn acronyms(docs: &[DocMentions<'_>]) -> HashMap<String, (String, Kind)> {
    let mut found: HashMap<String, Option<(String, Kind)>> = HashMap::new();
    for doc in docs {
        for m in doc.mentions {
            let after = &doc.text[m.span.end..];
            let Some(inner) = after
                .trim_start_matches([' ', '\u{a0}'])
                .strip_prefix('(')
                .and_then(|r| r.split_once(')'))
                .map(|(inner, _)| inner.trim())
            else {
                continue;
            };
            let full = normalize_space(m.span.of(doc.text));
            if !is_acronym_of(inner, &full) {
                continue;
            }
            let (key, kind) = match canonical(&full) {
                Some((kind, name)) => (fold(name), kind),
                None => (fold(&full), m.kind),
            };
            let entry = found
                .entry(fold(inner))
                .or_insert_with(|| Some((key.clone(), kind)));
            if entry.as_ref().is_some_and(|(k, _)| *k != key) {
                *entry = None;
            }
        }
    }
    found
        .into_iter()
        .filter_map(|(acronym, full)| Some((acronym, full?)))
        .collect()
}

/// True when `short` (2 to 8 letters, mostly capitals) is made of the initials of `full`'s
/// words, with or without its small words ("of", "the", ...).
fn is_acronym_of(short: &str, full: &str) -> bool {
    let letters: String = short.chars().filter(|c| c.is_alphanumeric()).collect();
    let capitals = letters.chars().filter(char::is_ascii_uppercase).count();
    if !(2..=8).contains(&letters.len()) || capitals * 2 <= letters.len() {
        return false;
    }
    const SMALL: &[&str] = &[
        "of", "the", "and", "for", "de", "du", "des", "la", "le", "on", "in", "&",
    ];
    let words: Vec<&str> = full.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return false;
    }
    let initials = |skip_small: bool| -> String {
        words
            .iter()
            .filter(|w| !(skip_small && SMALL.contains(&w.to_lowercase().as_str())))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = letters.to_lowercase();
    wanted == initials(true) || wanted == initials(false)
}

/// The key of a person's name: sound keys of its words, middle initials dropped.
fn person_key(folded: &str) -> String {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let kept: Vec<String> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| w.len() > 1 || *i == 0 || *i == words.len() - 1)
        .map(|(_, w)| sound_key(w))
        .collect();
    kept.join(" ")
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The most complete form among an entity's mentions: the alias table's name when there is
/// one; for a person the fullest name in the most used spelling; else the most frequent form.
fn shown_name(kind: Kind, members: &[usize], items: &[Item]) -> String {
    for &i in members {
        if let Some((k, name)) = canonical(&items[i].surface)
            && k == kind
        {
            return name.to_owned();
        }
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &i in members {
        *counts.entry(items[i].surface.as_str()).or_default() += 1;
    }
    // People: votes for each spelling of the last word, so that the usual spelling of a
    // surname wins over a rarer transliteration.
    let mut surname_votes: HashMap<&str, usize> = HashMap::new();
    for &i in members {
        if let Some(last) = items[i].surface.split_whitespace().last() {
            *surname_votes.entry(last).or_default() += 1;
        }
    }
    let words = |s: &str| s.split_whitespace().count();
    let votes = |s: &str| {
        s.split_whitespace()
            .last()
            .map_or(0, |w| surname_votes.get(w).copied().unwrap_or(0))
    };
    let mut forms: Vec<(&str, usize)> = counts.into_iter().collect();
    forms.sort_by(|a, b| {
        let order = if kind == Kind::Person {
            // The fullest name, in the most used spelling, the plainest on a tie.
            words(b.0)
                .cmp(&words(a.0))
                .then(votes(b.0).cmp(&votes(a.0)))
                .then(b.1.cmp(&a.1))
                .then(a.0.len().cmp(&b.0.len()))
        } else {
            // The most used form, written in mixed case, the longest on a tie.
            b.1.cmp(&a.1)
                .then(is_all_caps(a.0).cmp(&is_all_caps(b.0)))
                .then(b.0.len().cmp(&a.0.len()))
        };
        order.then(a.0.cmp(b.0))
    });
    forms.first().map_or_else(String::new, |f| f.0.to_owned())
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// A readable identifier: the folded name with hyphens ("vladimir-putin").
pub fn slug(name: &str) -> String {
    let folded = fold(name);
    let s = folded.replace(' ', "-");
    if s.is_empty() { "entity".to_owned() } else { s }
}

/// Gives every entity a unique slug id; a clash adds the type, then a number.
fn assign_ids(entities: &mut [(Entity, Vec<usize>)]) {
    let mut taken: HashMap<String, usize> = HashMap::new();
    for (e, _) in entities.iter() {
        *taken.entry(slug(&e.name)).or_default() += 1;
    }
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Bigger entities choose first, so the plain slug goes to the most mentioned.
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by(|&a, &b| {
        entities[b]
            .0
            .mentions
            .cmp(&entities[a].0.mentions)
            .then(a.cmp(&b))
    });
    for i in order {
        let base = slug(&entities[i].0.name);
        let mut id = if taken[&base] > 1 && used.contains(&base) {
            format!("{base}-{}", entities[i].0.kind)
        } else {
            base.clone()
        };
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{base}-{}-{n}", entities[i].0.kind);
            n += 1;
        }
        used.insert(id.clone());
        entities[i].0.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    /// Resolves documents given as (text, [(mention text, kind)]) and returns, for each
    /// document, the shown names of its mentions' entities.
    fn names(docs: &[(&str, &[(&str, Kind)])]) -> (Resolution, Vec<Vec<String>>) {
        let mentions: Vec<Vec<Mention>> = docs
            .iter()
            .map(|(text, ms)| {
                let mut from = 0;
                ms.iter()
                    .map(|(m, kind)| {
                        let start = from + text[from..].find(m).expect("mention in text");
                        from = start + m.len();
                        Mention {
                            span: Span::new(start, start + m.len()),
                            kind: *kind,
                            score: 1.0,
                            sentence: 0,
                            tokens: 0..1,
                        }
                    })
                    .collect()
            })
            .collect();
        let ids: Vec<String> = (0..docs.len()).map(|i| format!("d{i}")).collect();
        let input: Vec<DocMentions> = docs
            .iter()
            .zip(&mentions)
            .zip(&ids)
            .map(|(((text, _), ms), id)| DocMentions {
                id,
                text,
                mentions: ms,
            })
            .collect();
        let r = resolve(&input);
        let shown = r
            .assignment
            .iter()
            .map(|doc| doc.iter().map(|&e| r.entities[e].name.clone()).collect())
            .collect();
        (r, shown)
    }

    use Kind::{Organization as O, Person as P, Place as L};

    #[test]
    fn surnames_join_full_names_across_documents() {
        let (r, shown) = names(&[
            (
                "Vladimir Putin met Steve Witkoff.",
                &[("Vladimir Putin", P), ("Steve Witkoff", P)],
            ),
            ("Putin said Witkoff left.", &[("Putin", P), ("Witkoff", P)]),
        ]);
        assert_eq!(shown[1], ["Vladimir Putin", "Steve Witkoff"]);
        assert_eq!(r.entities.len(), 2);
        let putin = r
            .entities
            .iter()
            .find(|e| e.name == "Vladimir Putin")
            .unwrap();
        assert_eq!(putin.aliases, ["Putin", "Vladimir Putin"]);
        assert_eq!(putin.id, "vladimir-putin");
        assert_eq!(putin.documents, ["d0", "d1"]);
    }

    #[test]
    fn spelling_variants_join() {
        let (r, shown) = names(&[
            (
                "Volodymyr Zelensky and Yuri Ushakov",
                &[("Volodymyr Zelensky", P), ("Yuri Ushakov", P)],
            ),
            (
                "Zelenskyy, Zelenskiy and Yury Ushakov",
                &[("Zelenskyy", P), ("Zelenskiy", P), ("Yury Ushakov", P)],
            ),
        ]);
        assert_eq!(
            shown[1],
            ["Volodymyr Zelensky", "Volodymyr Zelensky", "Yuri Ushakov"]
        );
        assert_eq!(r.entities.len(), 2);
    }

    #[test]
    fn country_aliases_join_under_the_table_name() {
        let (r, shown) = names(&[(
            "U.S. and US and United States and America",
            &[("U.S.", L), ("US", L), ("United States", L), ("America", L)],
        )]);
        assert_eq!(shown[0], ["United States"; 4]);
        assert_eq!(
            r.entities[0].aliases,
            ["America", "U.S.", "US", "United States"]
        );
        assert_eq!(r.entities[0].id, "united-states");
    }

    #[test]
    fn two_people_sharing_a_surname_keep_the_lone_surname_apart() {
        let (r, shown) = names(&[(
            "John Smith and Mary Smith met. Smith spoke.",
            &[("John Smith", P), ("Mary Smith", P), ("Smith", P)],
        )]);
        assert_eq!(r.entities.len(), 3);
        assert_eq!(shown[0][2], "Smith");
    }

    #[test]
    fn different_names_do_not_merge() {
        let (r, _) = names(&[(
            "Donald Trump, Donald Tusk, Austria and Australia",
            &[
                ("Donald Trump", P),
                ("Donald Tusk", P),
                ("Austria", L),
                ("Australia", L),
            ],
        )]);
        assert_eq!(r.entities.len(), 4);
    }

    #[test]
    fn the_majority_type_wins() {
        let (r, _) = names(&[(
            "Kremlin, Kremlin, Kremlin",
            &[("Kremlin", O), ("Kremlin", O), ("Kremlin", L)],
        )]);
        assert_eq!(r.entities.len(), 1);
        assert_eq!(r.entities[0].kind, O);
        assert_eq!(r.entities[0].mentions, 3);
    }

    #[test]
    fn acronyms_defined_in_the_text_join_their_expansion() {
        let (r, shown) = names(&[
            (
                "The European Bank for Reconstruction and Development (EBRD) said.",
                &[("European Bank for Reconstruction and Development", O)],
            ),
            ("EBRD lends.", &[("EBRD", O)]),
        ]);
        assert_eq!(r.entities.len(), 1);
        assert_eq!(
            shown[1],
            ["European Bank for Reconstruction and Development"]
        );
        assert!(is_acronym_of("RDIF", "Russian Direct Investment Fund"));
        assert!(is_acronym_of("BoE", "Bank of England"));
        assert!(!is_acronym_of("AP", "Associated Press Television"));
        assert!(!is_acronym_of(
            "said",
            "Saudi Arabian Investment Department"
        ));
    }

    #[test]
    fn an_acronym_with_two_expansions_joins_neither() {
        let (r, _) = names(&[
            (
                "Civil Aviation Authority (CAA) and later CAA",
                &[("Civil Aviation Authority", O), ("CAA", O)],
            ),
            (
                "Canadian Automobile Association (CAA) and CAA",
                &[("Canadian Automobile Association", O), ("CAA", O)],
            ),
        ]);
        assert_eq!(r.entities.len(), 3);
    }

    #[test]
    fn nationality_adjectives_do_not_merge_with_their_country() {
        let (r, _) = names(&[("Russia and Russian", &[("Russia", L), ("Russian", L)])]);
        assert_eq!(r.entities.len(), 2);
    }

    #[test]
    fn different_people_with_one_first_name_stay_apart() {
        let (r, shown) = names(&[(
            "Donald Trump met Donald Tusk. Donald spoke.",
            &[("Donald Trump", P), ("Donald Tusk", P), ("Donald", P)],
        )]);
        assert_eq!(r.entities.len(), 3);
        assert_eq!(shown[0][2], "Donald");
    }

    #[test]
    fn folding_ignores_case_accents_and_periods() {
        assert_eq!(fold("U.S."), "us");
        assert_eq!(fold("Zelenskyy\u{2019}s"), "zelenskyys");
        assert_eq!(fold("Côte d'Ivoire"), "cote divoire");
        assert_eq!(fold("the Kremlin"), "kremlin");
        assert_eq!(sound_key("zelenskiy"), sound_key("zelenskyy"));
        assert_eq!(sound_key("dmitryev"), sound_key("dmitriev"));
        assert_ne!(sound_key("austria"), sound_key("australia"));
    }
}
