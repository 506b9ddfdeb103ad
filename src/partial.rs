//! Partial graphs: what a shard of documents adds up to, before the corpus is known.
//!
//! A [`Partial`] holds sums and capped samples only: per [`Name`] (a folded key and how its
//! document joined a lone word) the mentions by type, the surface forms, the documents; per
//! pair of names the co-mention weight, the met count and their evidence; the roles given; the
//! acronyms the texts define. Merging adds sums and keeps the smallest evidence in a total
//! order (document id, then span), so it is associative and commutative: the graph of a corpus
//! is [`Partial::finish`] of the merge of its documents' partials, in any grouping and order.
//! That is how `build` runs (one partial per document, merged as documents stream by) and how
//! `extract --partial` and `merge` split the work across machines.
//!
//! Memory grows with the distinct names and name pairs, not with the documents: evidence is
//! capped per link and role, document ids per name.
//!
//! Architecture invariant: partials know names, not entities; entities exist only after
//! [`Partial::finish`], which groups names with the whole corpus's type votes and acronyms.

use crate::error::{Error, ErrorKind, Result};
use crate::export::json::EvidenceOut;
use crate::graph::{EntityGraph, Evidence, GraphConfig, Link, MeetingEvidence};
use crate::pipeline::Analysis;
use crate::relate::{DocInput, Role, relate};
use crate::resolve::{
    DocMentions, DocNames, Expansion, Name, NameStats, document_names, group, merge_acronyms,
    merge_sorted,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

/// What a link between two names adds up to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PartLink {
    weight: u64,
    evidence: Vec<Evidence>,
    met: u64,
    meetings: Vec<PartMeeting>,
}

impl PartLink {
    fn add(&mut self, other: PartLink, cap: usize) {
        // saturating: counts from a damaged or hand-made partial must not wrap
        self.weight = self.weight.saturating_add(other.weight);
        merge_sorted(&mut self.evidence, other.evidence, cap);
        self.met = self.met.saturating_add(other.met);
        merge_sorted(&mut self.meetings, other.meetings, cap);
    }

    fn truncate(&mut self, cap: usize) {
        self.evidence.truncate(cap);
        self.meetings.truncate(cap);
    }
}

/// One sentence saying that two names met; places are names too, named at the end.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct PartMeeting {
    evidence: Evidence,
    places: Vec<Name>,
    dates: Vec<String>,
}

/// The graph of a shard of documents, before resolution across the corpus.
#[derive(Debug, Clone)]
pub struct Partial {
    documents: u64,
    cap: usize,
    doc_cap: usize,
    names: Vec<(Name, NameStats)>,
    /// Each name's index in `names`, built when first needed ([`Partial::indexed`]): a
    /// document's own partial, merged once and dropped, never builds it.
    index: FxHashMap<Name, u32>,
    acronyms: BTreeMap<String, Expansion>,
    links: FxHashMap<(u32, u32), PartLink>,
    roles: FxHashMap<(u32, PartRole), Vec<Evidence>>,
    /// What made the documents' partials ([`Partial::set_made_by`]): one entry, unless
    /// partials of different makers were merged.
    made_by: BTreeSet<String>,
}

/// A role as a document words it, and the name it holds, to be written with that entity's
/// name in the whole corpus ("son-in-law of Trump" becomes "son-in-law of Donald Trump").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
struct PartRole {
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    of: Option<Name>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    written: Option<String>,
}

impl PartRole {
    /// The role with the corpus's name of the entity it holds.
    fn text(&self, renamed: Option<&str>) -> String {
        let (Some(written), Some(name)) = (&self.written, renamed) else {
            return self.role.clone();
        };
        if let Some(rest) = self.role.strip_suffix(written.as_str()) {
            format!("{rest}{name}")
        } else if let Some(rest) = self.role.strip_prefix(written.as_str()) {
            format!("{name}{rest}")
        } else {
            self.role.clone()
        }
    }
}

impl PartialEq for Partial {
    fn eq(&self, other: &Partial) -> bool {
        self.to_file() == other.to_file()
    }
}

/// How much of a document a partial takes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Names only: enough for entity ids.
    Names,
    /// Names, links, meetings and roles.
    Graph,
}

/// Each name's index in `names` (names are distinct).
fn index_of(names: &[(Name, NameStats)]) -> FxHashMap<Name, u32> {
    let index: FxHashMap<Name, u32> = names
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.clone(), i as u32))
        .collect();
    debug_assert_eq!(index.len(), names.len(), "names are distinct");
    index
}

/// An ordered pair of name indices.
fn pair(a: u32, b: u32) -> (u32, u32) {
    (a.min(b), a.max(b))
}

impl Partial {
    /// An empty partial that keeps the evidence and document ids `config` allows.
    pub fn new(config: &GraphConfig) -> Partial {
        Partial {
            documents: 0,
            cap: config.evidence_cap,
            doc_cap: config.document_cap,
            names: Vec::new(),
            index: FxHashMap::default(),
            acronyms: BTreeMap::new(),
            links: FxHashMap::default(),
            roles: FxHashMap::default(),
            made_by: BTreeSet::new(),
        }
    }

    /// Records what made this partial: the program and the recognizer's model, as one line
    /// ("entigraph 0.1.0, model 5f0c..."). A merge keeps every maker of its parts, so that
    /// shards recognized by different programs or models can be told apart.
    pub fn set_made_by(&mut self, maker: impl Into<String>) {
        self.made_by = BTreeSet::from([maker.into()]);
    }

    /// What made this partial's parts (see [`Partial::set_made_by`]), in order; empty when
    /// nothing was recorded.
    pub fn made_by(&self) -> &BTreeSet<String> {
        &self.made_by
    }

    /// Number of documents added up.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Most evidence sentences kept per link and role, and most document ids per name.
    pub fn caps(&self) -> (usize, usize) {
        (self.cap, self.doc_cap)
    }

    /// Number of distinct names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The partial of one analysed document, and for each of its mentions the index of its
    /// name in that partial (`None` for a mention with an empty key).
    pub fn of_document(a: &Analysis, config: &GraphConfig) -> (Partial, Vec<Option<u32>>) {
        Partial::of_document_with(a, config, Scope::Graph)
    }

    /// Only the names of one analysed document, with no links, meetings or roles: all that
    /// entity ids depend on, for `extract`, which writes mentions and their entities only.
    /// Merged and finished like [`Partial::of_document`]'s, it gives the same entities.
    pub fn names_of_document(a: &Analysis, config: &GraphConfig) -> (Partial, Vec<Option<u32>>) {
        Partial::of_document_with(a, config, Scope::Names)
    }

    fn of_document_with(
        a: &Analysis,
        config: &GraphConfig,
        scope: Scope,
    ) -> (Partial, Vec<Option<u32>>) {
        let text = &a.document.text;
        let doc = DocMentions {
            id: &a.document.id,
            text,
            mentions: &a.mentions,
        };
        let names = document_names(&doc, config.document_cap);
        let local = &names.local;
        let mut p = Partial::new(config);
        p.documents = 1;
        p.acronyms = names.acronyms.clone();
        // Each local entity speaks through its first name.
        let mut anchor: Vec<u32> = vec![u32::MAX; local.entities.len()];
        for (i, (name, _)) in names.names.iter().enumerate() {
            if let Some(e) = local.of_name[i]
                && (anchor[e] == u32::MAX || *name < names.names[anchor[e] as usize].0)
            {
                anchor[e] = i as u32;
            }
        }
        let of_mention: Vec<Option<u32>> = names
            .of_mention
            .iter()
            .map(|&n| local.of_name[n].map(|_| n as u32))
            .collect();
        if scope == Scope::Graph {
            p.add_relations(a, &names, &anchor);
        }
        p.names = names.names;
        (p, of_mention)
    }

    /// Co-mentions, meetings and roles of a document, between the names that `anchor` gives
    /// each of its local entities.
    fn add_relations(&mut self, a: &Analysis, names: &DocNames, anchor: &[u32]) {
        let (cap, text, local) = (self.cap, &a.document.text, &names.local);
        let p = self;
        let local_of: Vec<Option<usize>> =
            names.of_mention.iter().map(|&n| local.of_name[n]).collect();

        // Relations, on the mentions that have an entity.
        let kept: Vec<_>;
        let (mentions, entities): (&[_], Vec<usize>) = if local_of.iter().all(Option::is_some) {
            (&a.mentions, local_of.iter().flatten().copied().collect())
        } else {
            kept = a
                .mentions
                .iter()
                .zip(&local_of)
                .filter(|(_, e)| e.is_some())
                .map(|(m, _)| m.clone())
                .collect();
            (&kept, local_of.iter().flatten().copied().collect())
        };
        let found = relate(
            &DocInput {
                id: &a.document.id,
                text,
                segmentation: &a.segmentation,
                mentions,
                entities: &entities,
                date: a.document.meta.date.as_deref(),
            },
            &local.entities,
        );

        // Co-mentions: each sentence's entities, pairwise.
        let id: std::sync::Arc<str> = a.document.id.as_str().into();
        let mut at = 0;
        while at < mentions.len() {
            let sentence = mentions[at].sentence;
            let end = at
                + mentions[at..]
                    .iter()
                    .take_while(|m| m.sentence == sentence)
                    .count();
            let mut ids: Vec<u32> = entities[at..end].iter().map(|&e| anchor[e]).collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.len() > 1 {
                let s = &a.segmentation.sentences[sentence];
                let evidence = Evidence {
                    document: id.clone(),
                    span: s.span,
                    sentence: s.span.of(text).into(),
                };
                for (i, &x) in ids.iter().enumerate() {
                    for &y in &ids[i + 1..] {
                        let link = p.links.entry((x, y)).or_default();
                        link.weight += 1;
                        if link.evidence.len() < cap {
                            link.evidence.push(evidence.clone());
                        }
                    }
                }
            }
            at = end;
        }
        let name_of = |e: usize| names.names[anchor[e] as usize].0.clone();
        for m in found.meetings {
            let (x, y) = (anchor[m.a], anchor[m.b]);
            if x == y {
                continue;
            }
            let link = p.links.entry(pair(x, y)).or_default();
            link.met += 1;
            let meeting = PartMeeting {
                evidence: m.evidence,
                places: m.places.iter().map(|&e| name_of(e)).collect(),
                dates: m.dates,
            };
            merge_sorted(&mut link.meetings, vec![meeting], cap);
        }
        for r in found.roles {
            let role = PartRole {
                role: r.name,
                of: r.of.map(&name_of),
                written: r.of.map(|e| local.entities[e].name.clone()),
            };
            let evidence = p.roles.entry((anchor[r.entity], role)).or_default();
            merge_sorted(evidence, vec![r.evidence], cap);
        }
    }

    /// Adds `other` to this partial. Returns, for each name index of `other`, its index here.
    /// Evidence is capped at the smaller of the two caps.
    pub fn merge(&mut self, other: Partial) -> Vec<u32> {
        if other.cap < self.cap || other.doc_cap < self.doc_cap {
            self.set_caps(other.cap.min(self.cap), other.doc_cap.min(self.doc_cap));
        }
        let (cap, doc_cap) = (self.cap, self.doc_cap);
        self.indexed();
        self.documents = self.documents.saturating_add(other.documents);
        self.made_by.extend(other.made_by);
        merge_acronyms(&mut self.acronyms, &other.acronyms);
        let remap: Vec<u32> = other
            .names
            .into_iter()
            .map(|(name, stats)| match self.index.get(&name) {
                Some(&i) => {
                    self.names[i as usize].1.add(stats, doc_cap);
                    i
                }
                None => {
                    let i = self.names.len() as u32;
                    let mut stats = stats;
                    stats.sample.truncate(doc_cap);
                    self.index.insert(name.clone(), i);
                    self.names.push((name, stats));
                    i
                }
            })
            .collect();
        for ((a, b), link) in other.links {
            self.links
                .entry(pair(remap[a as usize], remap[b as usize]))
                .or_default()
                .add(link, cap);
        }
        for ((n, role), evidence) in other.roles {
            let mine = self.roles.entry((remap[n as usize], role)).or_default();
            merge_sorted(mine, evidence, cap);
        }
        remap
    }

    /// Builds the index of the names if it is not complete.
    fn indexed(&mut self) {
        if self.index.len() != self.names.len() {
            self.index = index_of(&self.names);
        }
    }

    fn set_caps(&mut self, cap: usize, doc_cap: usize) {
        self.cap = cap;
        self.doc_cap = doc_cap;
        for (_, s) in &mut self.names {
            s.sample.truncate(doc_cap);
        }
        for l in self.links.values_mut() {
            l.truncate(cap);
        }
        for e in self.roles.values_mut() {
            e.truncate(cap);
        }
    }

    /// Resolves the names into entities with the whole corpus's votes and builds the graph.
    /// Also returns, for each name index, the index of its entity (its node), if any.
    pub fn finish(&self) -> (EntityGraph, Vec<Option<usize>>) {
        let cap = self.cap;
        let names: Vec<(&Name, &NameStats)> = self.names.iter().map(|(n, s)| (n, s)).collect();
        let grouping = group(&names, &self.acronyms, self.doc_cap);
        let of_name = grouping.of_name;
        let mut entities = grouping.entities;

        let built;
        let index = if self.index.len() == self.names.len() {
            &self.index
        } else {
            built = index_of(&self.names);
            &built
        };
        let entity_of = |n: &Name| index.get(n).and_then(|&i| of_name[i as usize]);
        let mut roles: BTreeMap<(usize, String), Vec<Evidence>> = BTreeMap::new();
        for ((n, role), evidence) in &self.roles {
            if let Some(e) = of_name[*n as usize] {
                let named = role.of.as_ref().and_then(entity_of);
                let text = role.text(named.map(|x| entities[x].name.as_str()));
                merge_sorted(roles.entry((e, text)).or_default(), evidence.clone(), cap);
            }
        }
        for ((e, role), evidence) in roles {
            entities[e].roles.push(Role {
                name: role,
                evidence,
            });
        }
        for e in &mut entities {
            e.roles.sort_by(|a, b| {
                a.evidence
                    .first()
                    .cmp(&b.evidence.first())
                    .then(a.name.cmp(&b.name))
            });
        }

        let mut links: BTreeMap<(usize, usize), PartLink> = BTreeMap::new();
        for (&(a, b), link) in &self.links {
            let (Some(x), Some(y)) = (of_name[a as usize], of_name[b as usize]) else {
                continue;
            };
            if x != y {
                links
                    .entry((x.min(y), x.max(y)))
                    .or_default()
                    .add(link.clone(), cap);
            }
        }
        let place_name = |n: &Name| {
            index
                .get(n)
                .and_then(|&i| of_name[i as usize])
                .map(|e| entities[e].name.clone())
        };
        let links: BTreeMap<(usize, usize), Link> = links
            .into_iter()
            .map(|(k, l)| {
                let meetings = l
                    .meetings
                    .iter()
                    .map(|m| {
                        let mut places: Vec<String> = Vec::new();
                        for p in m.places.iter().filter_map(place_name) {
                            if !places.contains(&p) {
                                places.push(p);
                            }
                        }
                        MeetingEvidence {
                            evidence: m.evidence.clone(),
                            places,
                            dates: m.dates.clone(),
                        }
                    })
                    .collect();
                let link = Link {
                    weight: u32::try_from(l.weight).unwrap_or(u32::MAX),
                    evidence: l.evidence,
                    met: u32::try_from(l.met).unwrap_or(u32::MAX),
                    meetings,
                };
                (k, link)
            })
            .collect();
        let graph = EntityGraph::from_links(
            entities,
            links,
            usize::try_from(self.documents).unwrap_or(usize::MAX),
        );
        (graph, of_name)
    }

    /// The partial as a file, in canonical order: names sorted, links by name pair.
    fn to_file(&self) -> PartialFile {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| self.names[a].0.cmp(&self.names[b].0));
        let mut rank = vec![0u32; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        let names = order
            .iter()
            .map(|&i| {
                let (n, s) = &self.names[i];
                NameOut {
                    name: n.clone(),
                    stats: s.clone(),
                }
            })
            .collect();
        let mut links: Vec<LinkOut> = self
            .links
            .iter()
            .map(|(&(a, b), l)| {
                let (a, b) = pair(rank[a as usize], rank[b as usize]);
                LinkOut {
                    a,
                    b,
                    weight: l.weight,
                    evidence: l.evidence.iter().map(EvidenceOut::from).collect(),
                    met: l.met,
                    meetings: l
                        .meetings
                        .iter()
                        .map(|m| MeetingOut {
                            evidence: EvidenceOut::from(&m.evidence),
                            places: m.places.clone(),
                            dates: m.dates.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        links.sort_by_key(|l| (l.a, l.b));
        let mut roles: Vec<RoleOut> = self
            .roles
            .iter()
            .map(|((n, role), evidence)| RoleOut {
                name: rank[*n as usize],
                role: role.clone(),
                evidence: evidence.iter().map(EvidenceOut::from).collect(),
            })
            .collect();
        roles.sort_by(|a, b| (a.name, &a.role).cmp(&(b.name, &b.role)));
        PartialFile {
            format: FORMAT.to_owned(),
            version: VERSION,
            documents: self.documents,
            evidence_cap: self.cap,
            document_cap: self.doc_cap,
            names,
            acronyms: self.acronyms.clone(),
            links,
            roles,
            made_by: self.made_by.clone(),
        }
    }

    /// Writes the partial as one JSON object, in canonical order, so that equal partials are
    /// equal files.
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = crate::export::buffered(out);
        serde_json::to_writer(&mut w, &self.to_file())?;
        w.write_all(b"\n")?;
        w.flush()
    }

    /// Reads the partials written by [`Partial::write`] one after the other in `input` (one,
    /// usually; several when the outputs of many map tasks were concatenated) and merges
    /// them; `path` names the input in error messages.
    pub fn read(input: &mut dyn Read, path: &std::path::Path) -> Result<Partial> {
        let bad = |message: String| Error::new(ErrorKind::Parse, Some(path), message);
        let mut input = std::io::BufReader::new(input);
        if crate::export::json::starts_with_field(&mut input, b"\"directed\"")
            && !crate::export::json::starts_with_field(&mut input, FORMAT.as_bytes())
        {
            return Err(bad(
                "is a graph (written by `build`), not a partial graph; merge reads what `entigraph extract --partial FILE` writes".into(),
            ));
        }
        let mut total: Option<Partial> = None;
        for file in serde_json::Deserializer::from_reader(input).into_iter::<PartialFile>() {
            let file = file.map_err(|e| {
                bad(format!(
                    "not an entigraph partial graph ({e}); write one with `entigraph extract --partial FILE`"
                ))
            })?;
            let p = Partial::from_file(file, path)?;
            match &mut total {
                Some(t) => {
                    t.merge(p);
                }
                None => total = Some(p),
            }
        }
        total.ok_or_else(|| {
            bad("holds no partial graph; write one with `entigraph extract --partial FILE`".into())
        })
    }

    fn from_file(file: PartialFile, path: &std::path::Path) -> Result<Partial> {
        let bad = |message: String| Error::new(ErrorKind::Parse, Some(path), message);
        if file.format != FORMAT || file.version != VERSION {
            return Err(bad(format!(
                "a partial graph of format `{}` version {}, not `{FORMAT}` version {VERSION}; make it again with this entigraph",
                file.format, file.version
            )));
        }
        let n = file.names.len();
        let bad_index = |i: u32| {
            bad(format!(
                "refers to name {i} but has only {n} names; the file is damaged"
            ))
        };
        let mut p = Partial::new(&GraphConfig {
            evidence_cap: file.evidence_cap,
            document_cap: file.document_cap,
        });
        p.documents = file.documents;
        p.acronyms = file.acronyms;
        p.made_by = file.made_by;
        for (i, NameOut { name, stats }) in file.names.into_iter().enumerate() {
            if stats.surfaces.is_empty() {
                return Err(bad(format!(
                    "name `{}` has no surface form; the file is damaged",
                    name.key
                )));
            }
            if p.index.insert(name.clone(), i as u32).is_some() {
                return Err(bad(format!(
                    "names `{}` twice; the file is damaged",
                    name.key
                )));
            }
            p.names.push((name, stats));
        }
        for l in file.links {
            for i in [l.a, l.b] {
                if i as usize >= n {
                    return Err(bad_index(i));
                }
            }
            let link = PartLink {
                weight: l.weight,
                evidence: sorted(l.evidence.into_iter().map(Evidence::from).collect()),
                met: l.met,
                meetings: sorted(
                    l.meetings
                        .into_iter()
                        .map(|m| PartMeeting {
                            evidence: Evidence::from(m.evidence),
                            places: m.places,
                            dates: m.dates,
                        })
                        .collect(),
                ),
            };
            p.links.entry(pair(l.a, l.b)).or_default().add(link, p.cap);
        }
        for r in file.roles {
            if r.name as usize >= n {
                return Err(bad_index(r.name));
            }
            let evidence = sorted(r.evidence.into_iter().map(Evidence::from).collect());
            let mine = p.roles.entry((r.name, r.role)).or_default();
            merge_sorted(mine, evidence, p.cap);
        }
        for (_, s) in &mut p.names {
            s.sample = sorted(std::mem::take(&mut s.sample));
            s.sample.truncate(p.doc_cap);
        }
        Ok(p)
    }
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

const FORMAT: &str = "entigraph-partial";
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize, PartialEq)]
struct PartialFile {
    format: String,
    version: u32,
    documents: u64,
    evidence_cap: usize,
    document_cap: usize,
    names: Vec<NameOut>,
    acronyms: BTreeMap<String, Expansion>,
    links: Vec<LinkOut>,
    roles: Vec<RoleOut>,
    /// Absent in partials of earlier releases.
    #[serde(default)]
    made_by: BTreeSet<String>,
}

#[derive(Serialize, Deserialize, PartialEq)]
struct NameOut {
    #[serde(flatten)]
    name: Name,
    #[serde(flatten)]
    stats: NameStats,
}

#[derive(Serialize, Deserialize, PartialEq)]
struct LinkOut {
    a: u32,
    b: u32,
    weight: u64,
    evidence: Vec<EvidenceOut>,
    met: u64,
    meetings: Vec<MeetingOut>,
}

#[derive(Serialize, Deserialize, PartialEq)]
struct MeetingOut {
    evidence: EvidenceOut,
    places: Vec<Name>,
    dates: Vec<String>,
}

#[derive(Serialize, Deserialize, PartialEq)]
struct RoleOut {
    name: u32,
    #[serde(flatten)]
    role: PartRole,
    evidence: Vec<EvidenceOut>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::document_from_text;
    use crate::pipeline::analyze;
    use crate::recognize::standard;

    fn partial(id: &str, text: &str) -> Partial {
        let r = standard(None).expect("embedded model");
        let a = analyze(document_from_text(id, text), &r);
        Partial::of_document(&a, &GraphConfig::default()).0
    }

    #[test]
    fn a_document_counts_once_per_entity_and_merging_in_any_order_agrees() {
        let a = partial(
            "a",
            "Vladimir Putin met Steve Witkoff in Moscow. Putin smiled.",
        );
        let b = partial(
            "b",
            "On Friday, President Putin spoke to Witkoff again in Moscow.",
        );
        let c = partial("c", "The Kremlin said Putin would travel to India.");
        let mut abc = a.clone();
        abc.merge(b.clone());
        abc.merge(c.clone());
        let mut cba = c.clone();
        cba.merge(b.clone());
        cba.merge(a.clone());
        assert!(abc == cba);
        let mut bc = b;
        bc.merge(c);
        let mut a_bc = a;
        a_bc.merge(bc);
        assert!(abc == a_bc);

        let (graph, _) = abc.finish();
        let putin = graph
            .graph
            .node_weights()
            .find(|e| e.name == "Vladimir Putin")
            .expect("Putin");
        assert_eq!(putin.document_count, 3, "{putin:?}");
        assert_eq!(putin.documents, ["a", "b", "c"]);
        assert_eq!(putin.mentions, 4);
    }

    #[test]
    fn partials_survive_their_file() {
        let mut p = partial(
            "a",
            "Vladimir Putin met Steve Witkoff in Moscow on Tuesday.",
        );
        p.merge(partial(
            "b",
            "Witkoff (RDIF) and Kirill Dmitriev met in Miami.",
        ));
        let mut bytes = Vec::new();
        p.write(&mut bytes).unwrap();
        let back = Partial::read(&mut &bytes[..], std::path::Path::new("p.json")).unwrap();
        assert!(back == p);
        let mut again = Vec::new();
        back.write(&mut again).unwrap();
        assert_eq!(bytes, again);
        let err = Partial::read(&mut &b"{}"[..], std::path::Path::new("p.json")).unwrap_err();
        assert!(err.to_string().contains("p.json"), "{err}");
    }

    #[test]
    fn damaged_counts_saturate_and_names_without_a_surface_are_refused() {
        let p = partial("a", "Vladimir Putin spoke.");
        let mut bytes = Vec::new();
        p.write(&mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let huge = text.replace(
            "\"kinds\":[1,0,0]",
            &format!("\"kinds\":[{},0,0]", u64::MAX),
        );
        assert_ne!(huge, text, "{text}");
        let both = format!("{huge}{huge}");
        let read = Partial::read(&mut both.as_bytes(), std::path::Path::new("p.json")).unwrap();
        let (graph, _) = read.finish();
        assert_eq!(graph.entity_at(0).mentions as u64, u64::MAX);
        let nameless = text.replacen("\"surfaces\":{\"Vladimir Putin\":1}", "\"surfaces\":{}", 1);
        assert_ne!(nameless, text, "{text}");
        let err =
            Partial::read(&mut nameless.as_bytes(), std::path::Path::new("p.json")).unwrap_err();
        assert!(err.to_string().contains("no surface form"), "{err}");
    }
}
