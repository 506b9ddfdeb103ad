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
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
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
    /// Number of documents that mention it. A document counts once per entity it has itself;
    /// where two of its names only join across the corpus (a transliteration, an acronym
    /// defined elsewhere) it counts for each.
    pub document_count: usize,
    /// Ids of the documents that mention it, sorted: the first ones, up to the evidence cap.
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
            document_count: 0,
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
    let plain = deunicode::deunicode_with_tofu_cow(name, "[?]");
    let lower: Cow<'_, str> = if plain.is_ascii() {
        // what `to_lowercase` gives an ASCII text, without a copy when it has no capitals
        if plain.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(plain.to_ascii_lowercase())
        } else {
            plain
        }
    } else {
        Cow::Owned(plain.to_lowercase())
    };
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
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
    push_sound_key(&mut out, word);
    out
}

/// Appends [`sound_key`] of `word` to `out`.
fn push_sound_key(out: &mut String, word: &str) {
    let mut last = None;
    for c in word.chars() {
        let c = if c == 'y' { 'i' } else { c };
        if last != Some(c) {
            out.push(c);
            last = Some(c);
        }
    }
}

/// The alias table: folded alias -> (kind, shown name).
fn alias_table() -> &'static FxHashMap<String, (Kind, &'static str)> {
    static TABLE: OnceLock<FxHashMap<String, (Kind, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = FxHashMap::default();
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

/// How a one-word person name stands in its document. A lone "Putin" belongs to the one full
/// name of its own document it can be ("Vladimir Putin"); a document that names no such full
/// name leaves it free to join the one full name of the whole corpus it can be; a document that
/// names several (two Smiths) leaves it alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Join {
    /// No full name of its document fits: the corpus decides.
    Free,
    /// The person key of the one full name of its document that fits.
    To(String),
    /// Several full names of its document fit: it stays on its own.
    Ambiguous,
}

/// A name as resolution carries it from a document to the corpus: its folded key (after the
/// alias table and the document's own acronyms) and, for one word, how its document joined it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Name {
    /// The folded key ("vladimir putin", "united states").
    pub key: String,
    /// What its document says a lone word belongs to.
    pub join: Join,
}

/// What the mentions of one [`Name`] add up to, in one document or many. Sums and capped
/// sorted samples only, so that adding up is associative and commutative.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameStats {
    /// Mentions tagged person, organization and place ([`Kind::ALL`] order).
    pub kinds: [u64; 3],
    /// Each surface form and how often it was seen.
    pub surfaces: BTreeMap<String, u64>,
    /// Documents counted for this name: each document counts once per entity, on the first of
    /// the entity's names in it.
    pub documents: u64,
    /// The first ids of those documents in sorted order, at most the evidence cap.
    pub sample: Vec<String>,
}

impl NameStats {
    /// Adds `other` to these, keeping at most `cap` document ids.
    pub fn add(&mut self, other: NameStats, cap: usize) {
        // saturating: counts read from a damaged or hand-made partial must not wrap
        for (a, b) in self.kinds.iter_mut().zip(other.kinds) {
            *a = a.saturating_add(b);
        }
        if self.surfaces.is_empty() {
            self.surfaces = other.surfaces;
        } else {
            for (s, n) in other.surfaces {
                let c = self.surfaces.entry(s).or_default();
                *c = c.saturating_add(n);
            }
        }
        self.documents = self.documents.saturating_add(other.documents);
        merge_sorted(&mut self.sample, other.sample, cap);
    }

    fn mentions(&self) -> u64 {
        self.kinds.iter().fold(0, |a, &b| a.saturating_add(b))
    }
}

/// Merges sorted list `b` into sorted list `a`, without repeats, keeping the first `cap`.
pub fn merge_sorted<T: Ord>(a: &mut Vec<T>, b: Vec<T>, cap: usize) {
    if b.is_empty() {
        a.truncate(cap);
        return;
    }
    if a.is_empty() {
        *a = b;
        a.dedup();
        a.truncate(cap);
        return;
    }
    // `a` full and all of `b` after it: the common case once a corpus has filled its samples
    if a.len() >= cap && a.last().is_some_and(|last| b[0] >= *last) {
        a.truncate(cap);
        return;
    }
    let mut out = Vec::with_capacity((a.len() + b.len()).min(cap));
    let mut xs = std::mem::take(a).into_iter().peekable();
    let mut ys = b.into_iter().peekable();
    while out.len() < cap {
        let next = match (xs.peek(), ys.peek()) {
            (Some(x), Some(y)) if x == y => {
                ys.next();
                xs.next()
            }
            (Some(x), Some(y)) if x < y => xs.next(),
            (Some(_), None) => xs.next(),
            (_, Some(_)) => ys.next(),
            (None, None) => None,
        };
        match next {
            Some(v) => out.push(v),
            None => break,
        }
    }
    *a = out;
}

/// What an acronym stands for, as the texts define it ("Russian Direct Investment Fund
/// (RDIF)"): one expansion, or several, and then none is used across documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expansion {
    /// The folded full name and its kind.
    One(String, Kind),
    /// Defined differently in different places.
    Several,
}

impl Expansion {
    /// The expansion given by both, or [`Expansion::Several`].
    pub fn and(&self, other: &Expansion) -> Expansion {
        if self == other {
            self.clone()
        } else {
            Expansion::Several
        }
    }
}

/// Adds the acronyms of `b` to `a`.
pub fn merge_acronyms(a: &mut BTreeMap<String, Expansion>, b: &BTreeMap<String, Expansion>) {
    for (k, e) in b {
        match a.get_mut(k) {
            Some(mine) => *mine = mine.and(e),
            None => {
                a.insert(k.clone(), e.clone());
            }
        }
    }
}

/// The names of one document.
#[derive(Debug, Clone, Default)]
pub struct DocNames {
    /// Its distinct names, with their sums (documents counted on each entity's first name).
    pub names: Vec<(Name, NameStats)>,
    /// For each mention, the index of its name in `names`.
    pub of_mention: Vec<usize>,
    /// The acronyms the document defines.
    pub acronyms: BTreeMap<String, Expansion>,
    /// The document's own entities: its names grouped as if it were the whole corpus.
    pub local: Grouping,
}

/// Names grouped into entities.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grouping {
    /// The entities, sorted by id.
    pub entities: Vec<Entity>,
    /// For each name, the index of its entity, if it has one (an empty key has none).
    pub of_name: Vec<Option<usize>>,
}

/// Reads the names of one document: keys, type votes and the joins of lone words within it.
/// `cap` bounds the document ids kept per name.
pub fn document_names(doc: &DocMentions<'_>, cap: usize) -> DocNames {
    let acronyms = acronyms(std::slice::from_ref(doc));
    let mut names: Vec<(Name, NameStats)> = Vec::new();
    let mut keyed: Vec<(String, Kind, String)> = Vec::with_capacity(doc.mentions.len());
    for m in doc.mentions {
        let surface = normalize_space(m.span.of(doc.text));
        let (folded, listed) = surface_keys(&surface);
        let (key, kind) = match listed {
            Some((kind, key)) => (key, kind),
            None => match acronyms.get(&folded) {
                Some(Expansion::One(full, kind)) => (full.clone(), *kind),
                _ => (folded, m.kind),
            },
        };
        keyed.push((key, kind, surface));
    }
    // The document's type votes decide which of its full names are people a lone word may
    // belong to.
    let mut votes: FxHashMap<&str, [u64; 3]> = FxHashMap::default();
    for (key, kind, _) in &keyed {
        votes.entry(key).or_default()[kind.index()] += 1;
    }
    let people = full_people(
        votes
            .iter()
            .filter(|(_, v)| voted(v) == Kind::Person)
            .map(|(k, _)| person_key(k)),
    );
    let join_of = |key: &str| -> Join {
        if key.contains(' ') || key.is_empty() {
            return Join::Free;
        }
        match people.get(person_key(key).as_str()) {
            None => Join::Free,
            Some(fulls) if fulls.len() == 1 => Join::To(
                fulls
                    .iter()
                    .next()
                    .map_or_else(String::new, |k| k.to_string()),
            ),
            Some(_) => Join::Ambiguous,
        }
    };
    let mut of_mention = Vec::with_capacity(keyed.len());
    let mut name_at: FxHashMap<&str, usize> = FxHashMap::default();
    for (key, kind, surface) in &keyed {
        let at = *name_at.entry(key).or_insert_with(|| {
            names.push((
                Name {
                    key: key.clone(),
                    join: join_of(key),
                },
                NameStats::default(),
            ));
            names.len() - 1
        });
        let stats = &mut names[at].1;
        stats.kinds[kind.index()] += 1;
        match stats.surfaces.get_mut(surface.as_str()) {
            Some(n) => *n += 1,
            None => {
                stats.surfaces.insert(surface.clone(), 1);
            }
        }
        of_mention.push(at);
    }
    let acronyms: BTreeMap<String, Expansion> = acronyms.into_iter().collect();
    let refs: Vec<(&Name, &NameStats)> = names.iter().map(|(n, s)| (n, s)).collect();
    let local = grouping(cluster(&refs, &BTreeMap::new(), cap), names.len());
    // Each entity counts the document once, on one of its names: the one the corpus is
    // least likely to give to another entity, a name of several words before a lone word,
    // a free word before one its document joined to a full name.
    let mut counted = vec![false; local.entities.len()];
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_cached_key(|&i| {
        let n = &names[i].0;
        let words = n.key.split(' ').count();
        (Reverse(words), !matches!(n.join, Join::Free), n.clone())
    });
    for i in order {
        if let Some(e) = local.of_name[i]
            && !counted[e]
        {
            counted[e] = true;
            names[i].1.documents = 1;
            if cap > 0 {
                names[i].1.sample = vec![doc.id.to_owned()];
            }
        }
    }
    let mut local = local;
    for e in &mut local.entities {
        e.documents = vec![doc.id.to_owned()];
        e.document_count = 1;
    }
    DocNames {
        names,
        of_mention,
        acronyms,
        local,
    }
}

/// A surface form's folded key, and the kind and folded name the alias table gives it, if
/// any. Remembered per thread: news repeats its names, and folding is most of their cost.
fn surface_keys(surface: &str) -> (String, Option<(Kind, String)>) {
    type Keys = (String, Option<(Kind, String)>);
    thread_local! {
        static SEEN: std::cell::RefCell<FxHashMap<String, Keys>> = Default::default();
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(k) = seen.get(surface) {
            return k.clone();
        }
        let folded = fold(surface);
        let listed = alias_table()
            .get(&folded)
            .map(|&(kind, name)| (kind, fold(name)));
        let keys = (folded, listed);
        if seen.len() >= 1 << 16 {
            seen.clear();
        }
        seen.insert(surface.to_owned(), keys.clone());
        keys
    })
}

/// The winning kind of a vote; ties go to the earlier kind in [`Kind::ALL`].
fn voted(v: &[u64; 3]) -> Kind {
    let best = (0..3).max_by_key(|&i| (v[i], 3 - i)).unwrap_or(0);
    Kind::ALL[best]
}

/// The person keys of full names (two words or more) of people, indexed by their first and
/// last words.
fn full_people<S: AsRef<str>>(
    person_keys: impl Iterator<Item = S>,
) -> FxHashMap<String, BTreeSet<String>> {
    let mut by_word: FxHashMap<String, BTreeSet<String>> = FxHashMap::default();
    for pk in person_keys {
        let pk = pk.as_ref();
        if !pk.contains(' ') {
            continue;
        }
        let mut words = pk.split(' ');
        for w in [words.next(), words.next_back()].into_iter().flatten() {
            match by_word.get_mut(w) {
                Some(fulls) => {
                    if !fulls.contains(pk) {
                        fulls.insert(pk.to_owned());
                    }
                }
                None => {
                    by_word.insert(w.to_owned(), BTreeSet::from([pk.to_owned()]));
                }
            }
        }
    }
    by_word
}

/// Groups names into entities. `acronyms` are those of the whole corpus: a name that is an
/// acronym with one expansion joins it. Type votes are summed over every name of a key; a
/// lone person word joins its document's full name, else the corpus's one full name it can be.
pub fn group(
    names: &[(&Name, &NameStats)],
    acronyms: &BTreeMap<String, Expansion>,
    cap: usize,
) -> Grouping {
    let mut entities = cluster(names, acronyms, cap);
    assign_ids(&mut entities);
    entities.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    grouping(entities, names.len())
}

/// The entities of `names` with their member names, in no particular order and without ids.
fn cluster(
    names: &[(&Name, &NameStats)],
    acronyms: &BTreeMap<String, Expansion>,
    cap: usize,
) -> Vec<(Entity, Vec<usize>)> {
    // 1. Keys after the corpus's acronyms, and type votes per key.
    let effective: Vec<(&str, Option<Kind>)> = names
        .iter()
        .map(|(n, _)| match acronyms.get(&n.key) {
            Some(Expansion::One(full, kind)) if *full != n.key => (full.as_str(), Some(*kind)),
            _ => (n.key.as_str(), None),
        })
        .collect();
    let mut votes: FxHashMap<&str, [u64; 3]> = FxHashMap::default();
    for ((_, stats), (key, forced)) in names.iter().zip(&effective) {
        let v = votes.entry(key).or_default();
        match forced {
            Some(kind) => v[kind.index()] = v[kind.index()].saturating_add(stats.mentions()),
            None => {
                for (a, b) in v.iter_mut().zip(stats.kinds) {
                    *a = a.saturating_add(b);
                }
            }
        }
    }
    // A lone word its own documents joined to a full name of a person ("Chelsea" beside
    // "Chelsea Clinton") is a person when those documents tagged it so, whatever the rest of
    // the corpus calls the word (the football club).
    let kinds: Vec<Kind> = names
        .iter()
        .zip(&effective)
        .map(|((n, stats), (k, forced))| match (&n.join, forced) {
            (Join::To(_), None) if voted(&stats.kinds) == Kind::Person => Kind::Person,
            _ => voted(&votes[k]),
        })
        .collect();

    // 2. Cluster keys: people by person key, a lone word joined to its full name.
    let person_keys: Vec<Option<String>> = effective
        .iter()
        .zip(&kinds)
        .map(|((key, _), &kind)| (kind == Kind::Person).then(|| person_key(key)))
        .collect();
    let people = full_people(person_keys.iter().flatten());
    let full_keys: BTreeSet<&String> = people.values().flatten().collect();
    let cluster: Vec<Cow<'_, str>> = names
        .iter()
        .zip(&effective)
        .zip(person_keys)
        .map(|(((n, _), (key, _)), pk)| {
            let Some(pk) = pk else {
                return Cow::Borrowed(*key);
            };
            if pk.contains(' ') || pk.is_empty() {
                return Cow::Owned(pk);
            }
            let in_corpus = || match people.get(&pk) {
                Some(fulls) if fulls.len() == 1 => fulls.iter().next().cloned(),
                _ => None,
            };
            let joined = match &n.join {
                Join::To(full) if full_keys.contains(full) => Some(full.clone()),
                Join::To(_) | Join::Free => in_corpus(),
                Join::Ambiguous => None,
            };
            Cow::Owned(joined.unwrap_or(pk))
        })
        .collect();

    // 3. Entities, named by their most complete form.
    let mut clusters: BTreeMap<(Kind, &str), Vec<usize>> = BTreeMap::new();
    for (i, c) in cluster.iter().enumerate() {
        if !c.is_empty() {
            clusters.entry((kinds[i], c.as_ref())).or_default().push(i);
        }
    }
    clusters
        .into_iter()
        .map(|((kind, _), members)| {
            let mut surfaces: BTreeMap<&str, u64> = BTreeMap::new();
            let (mut mentions, mut documents) = (0, 0);
            let mut sample: Vec<String> = Vec::new();
            for &i in &members {
                let stats = names[i].1;
                for (s, n) in &stats.surfaces {
                    let c = surfaces.entry(s).or_default();
                    *c = c.saturating_add(*n);
                }
                mentions = stats.mentions().saturating_add(mentions);
                documents = stats.documents.saturating_add(documents);
                if !stats.sample.is_empty() {
                    merge_sorted(&mut sample, stats.sample.clone(), cap);
                }
            }
            // The alias table's name, when a member's key is one of its names.
            let listed = members.iter().find_map(|&i| {
                let (k, name) = alias_table().get(effective[i].0)?;
                (*k == kind).then_some(*name)
            });
            let entity = Entity {
                id: String::new(),
                name: listed.map_or_else(|| shown_name(kind, &surfaces), str::to_owned),
                kind,
                aliases: surfaces.keys().map(|s| (*s).to_owned()).collect(),
                mentions: mentions as usize,
                document_count: documents as usize,
                documents: sample,
                roles: Vec::new(),
            };
            (entity, members)
        })
        .collect()
}

/// The grouping of `n` names into `entities`.
fn grouping(entities: Vec<(Entity, Vec<usize>)>, n: usize) -> Grouping {
    let mut of_name = vec![None; n];
    for (e, (_, members)) in entities.iter().enumerate() {
        for &i in members {
            of_name[i] = Some(e);
        }
    }
    Grouping {
        entities: entities.into_iter().map(|(e, _)| e).collect(),
        of_name,
    }
}

/// Groups every mention of every document into entities.
pub fn resolve(docs: &[DocMentions<'_>]) -> Resolution {
    let mut names: Vec<(Name, NameStats)> = Vec::new();
    let mut index: FxHashMap<Name, usize> = FxHashMap::default();
    let mut acronyms = BTreeMap::new();
    let mut of_mention: Vec<Vec<usize>> = Vec::with_capacity(docs.len());
    for doc in docs {
        let d = document_names(doc, usize::MAX);
        merge_acronyms(&mut acronyms, &d.acronyms);
        let at: Vec<usize> = d
            .names
            .into_iter()
            .map(|(name, stats)| match index.get(&name) {
                Some(&i) => {
                    names[i].1.add(stats, usize::MAX);
                    i
                }
                None => {
                    index.insert(name.clone(), names.len());
                    names.push((name, stats));
                    names.len() - 1
                }
            })
            .collect();
        of_mention.push(d.of_mention.iter().map(|&m| at[m]).collect());
    }
    let g = group(
        &names.iter().map(|(n, s)| (n, s)).collect::<Vec<_>>(),
        &acronyms,
        usize::MAX,
    );
    let assignment = of_mention
        .iter()
        .map(|ms| {
            ms.iter()
                .map(|&n| g.of_name[n].unwrap_or(usize::MAX))
                .collect()
        })
        .collect();
    Resolution {
        entities: g.entities,
        assignment,
    }
}

/// Acronyms the texts define: "Russian Direct Investment Fund (RDIF)" makes a later "RDIF"
/// the fund. Maps the folded acronym to the folded full name and its kind, or to
/// [`Expansion::Several`] when the texts give it two.
fn acronyms(docs: &[DocMentions<'_>]) -> FxHashMap<String, Expansion> {
    let mut found: FxHashMap<String, Expansion> = FxHashMap::default();
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
            let found_here = Expansion::One(key, kind);
            let entry = found
                .entry(fold(inner))
                .or_insert_with(|| found_here.clone());
            *entry = entry.and(&found_here);
        }
    }
    found
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
    let words: smallvec::SmallVec<[&str; 8]> =
        folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = String::with_capacity(folded.len());
    let last = words.len().saturating_sub(1);
    for (i, w) in words.iter().enumerate() {
        if w.len() > 1 || i == 0 || i == last {
            if !out.is_empty() {
                out.push(' ');
            }
            push_sound_key(&mut out, w);
        }
    }
    out
}

/// `s` with its runs of white space made single spaces, none at either end, and its letters
/// composed (Unicode NFC) and soft hyphens left out: a name typed with combining accents
/// ("Jose\u{301}") or with the invisible break points of typeset text ("Mer\u{ad}kel") is the
/// same surface form as the one typed plainly, as it looks the same.
fn normalize_space(s: &str) -> String {
    let s = crate::segment::composed(s);
    let plain = !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && s.chars().all(|c| c == ' ' || !c.is_whitespace());
    if plain {
        s.into_owned()
    } else {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The most complete form among an entity's surface forms (with their counts): for a person
/// the fullest name in the most used spelling; else the most frequent form.
fn shown_name(kind: Kind, surfaces: &BTreeMap<&str, u64>) -> String {
    if surfaces.len() == 1 {
        return surfaces
            .keys()
            .next()
            .map_or_else(String::new, |s| (*s).to_owned());
    }
    // People: votes for each spelling of the last word, so that the usual spelling of a
    // surname wins over a rarer transliteration.
    let mut surname_votes: FxHashMap<&str, u64> = FxHashMap::default();
    for (s, n) in surfaces {
        if let Some(last) = s.split_whitespace().last() {
            *surname_votes.entry(last).or_default() += n;
        }
    }
    let words = |s: &str| s.split_whitespace().count();
    let votes = |s: &str| {
        s.split_whitespace()
            .last()
            .map_or(0, |w| surname_votes.get(w).copied().unwrap_or(0))
    };
    let mut forms: Vec<(&str, u64)> = surfaces.iter().map(|(s, &n)| (*s, n)).collect();
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
    let slugs: Vec<String> = entities.iter().map(|(e, _)| slug(&e.name)).collect();
    let mut taken: FxHashMap<&str, usize> = FxHashMap::default();
    for s in &slugs {
        *taken.entry(s).or_default() += 1;
    }
    let mut used: FxHashSet<String> = FxHashSet::default();
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
        let base = &slugs[i];
        let mut id = if taken[base.as_str()] > 1 && used.contains(base) {
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

    /// Names in every form folding, spacing and person keys must handle.
    const AWKWARD: &[&str] = &[
        "Vladimir Putin",
        "VLADIMIR  PUTIN",
        " U.S. ",
        "Zelenskyy\u{a0}Volodymyr",
        "Gdańsk",
        "ΣΊΣΥΦΟΣ",
        "Ötzi  the\tIceman",
        "O'Neill-Smith & Co.",
        "J. R. R. Tolkien",
        "a b c",
        "The Hague",
        "\u{2003}Kyiv\u{2003}",
        "",
        " ",
        "Mr\u{7f}X",
    ];

    #[test]
    fn fold_and_spacing_are_their_plain_definitions() {
        let fold_plain = |name: &str| {
            let lower = deunicode::deunicode(name).to_lowercase();
            let mut out = String::new();
            for c in lower.chars() {
                match c {
                    '.' | '\'' | '`' => {}
                    c if c.is_alphanumeric() || c == '&' => out.push(c),
                    _ if !out.ends_with(' ') && !out.is_empty() => out.push(' '),
                    _ => {}
                }
            }
            let t = out.trim_end();
            t.strip_prefix("the ").unwrap_or(t).to_owned()
        };
        let person_key_plain = |folded: &str| {
            let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
            let kept: Vec<String> = (0..words.len())
                .filter(|&i| words[i].len() > 1 || i == 0 || i + 1 == words.len())
                .map(|i| sound_key(words[i]))
                .collect();
            kept.join(" ")
        };
        for name in AWKWARD {
            assert_eq!(fold(name), fold_plain(name), "{name:?}");
            let spaced = name.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(normalize_space(name), spaced, "{name:?}");
            for key in [fold(name), name.to_string()] {
                assert_eq!(person_key(&key), person_key_plain(&key), "{key:?}");
            }
        }
    }

    #[test]
    fn surface_forms_are_composed() {
        assert_eq!(
            normalize_space("Jose\u{301} Mourinho"),
            "Jos\u{e9} Mourinho"
        );
        assert_eq!(
            normalize_space(" Jose\u{301}\n Mourinho"),
            "Jos\u{e9} Mourinho"
        );
        assert_eq!(normalize_space("Jos\u{e9} Mourinho"), "Jos\u{e9} Mourinho");
        assert_eq!(normalize_space("Angela Mer\u{ad}kel"), "Angela Merkel");
    }

    #[test]
    fn merge_sorted_keeps_the_smallest_without_repeats() {
        let merged = |a: &[u32], b: &[u32], cap: usize| {
            let mut a = a.to_vec();
            merge_sorted(&mut a, b.to_vec(), cap);
            a
        };
        assert_eq!(merged(&[1, 4, 6], &[2, 4, 9], 10), [1, 2, 4, 6, 9]);
        assert_eq!(merged(&[1, 4, 6], &[2, 4, 9], 3), [1, 2, 4]);
        assert_eq!(merged(&[], &[3, 3, 5], 10), [3, 5]);
        assert_eq!(merged(&[3, 5], &[], 1), [3]);
        // a full list and one after it (or starting at its end): unchanged
        assert_eq!(merged(&[1, 2, 3], &[3, 7], 3), [1, 2, 3]);
        assert_eq!(merged(&[1, 2, 3], &[8], 3), [1, 2, 3]);
        // not full: the rest is taken
        assert_eq!(merged(&[1, 2, 3], &[3, 7], 4), [1, 2, 3, 7]);
        assert_eq!(merged(&[1, 2, 3], &[0, 8], 3), [0, 1, 2]);
    }

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
    fn an_acronym_with_two_expansions_means_each_in_its_own_document() {
        let (r, shown) = names(&[
            (
                "Civil Aviation Authority (CAA) and later CAA",
                &[("Civil Aviation Authority", O), ("CAA", O)],
            ),
            (
                "Canadian Automobile Association (CAA) and CAA",
                &[("Canadian Automobile Association", O), ("CAA", O)],
            ),
            ("CAA again", &[("CAA", O)]),
        ]);
        assert_eq!(r.entities.len(), 3);
        assert_eq!(shown[0], ["Civil Aviation Authority"; 2]);
        assert_eq!(shown[1], ["Canadian Automobile Association"; 2]);
        assert_eq!(shown[2], ["CAA"]);
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
    fn a_lone_word_stays_with_the_person_its_document_joined_it_to() {
        let club = (
            "Chelsea beat Arsenal.",
            &[("Chelsea", O), ("Arsenal", O)][..],
        );
        let (r, shown) = names(&[
            club,
            club,
            club,
            (
                "Chelsea Clinton spoke. Chelsea smiled.",
                &[("Chelsea Clinton", P), ("Chelsea", P)],
            ),
        ]);
        assert_eq!(shown[3], ["Chelsea Clinton", "Chelsea Clinton"]);
        assert_eq!(shown[0][0], "Chelsea");
        let by_name = |name: &str| r.entities.iter().find(|e| e.name == name).unwrap();
        assert_eq!(by_name("Chelsea Clinton").documents, ["d3"]);
        assert_eq!(by_name("Chelsea Clinton").document_count, 1);
        assert_eq!(by_name("Chelsea").document_count, 3);
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
