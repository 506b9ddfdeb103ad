//! Relations read from the words around mentions: who met whom (with where and when), and the
//! roles people are given ("special envoy", "son-in-law of Donald Trump").
//!
//! Both work one sentence at a time, on the sentence seen as a row of `Unit`s: a word, or a
//! whole mention with its resolved entity. Meetings come from verbs and nouns of meeting
//! (`meet`), roles from titles before a name and appositions after it (`roles`), dates
//! from calendar expressions resolved against the document's date ([`dates`]).
//!
//! Architecture invariant: relations read the text, its segmentation, the mentions and the
//! resolved entities; they do no I/O and cannot fail. What they are unsure of is left out.

pub mod dates;
mod meet;
mod roles;

use crate::graph::Evidence;
use crate::kind::Kind;
use crate::recognize::Mention;
use crate::resolve::Entity;
use crate::segment::Segmentation;
use crate::span::Span;

/// One document, as relation finding sees it.
#[derive(Debug, Clone, Copy)]
pub struct DocInput<'a> {
    /// The document's id.
    pub id: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Its sentences and tokens.
    pub segmentation: &'a Segmentation,
    /// Its mentions, sorted by position.
    pub mentions: &'a [Mention],
    /// For each mention, the index of its entity.
    pub entities: &'a [usize],
    /// The publication date given with the document, if any (ISO 8601 or starting with it).
    pub date: Option<&'a str>,
}

/// Two entities said to have met, in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// The entity with the smaller index.
    pub a: usize,
    /// The entity with the larger index.
    pub b: usize,
    /// The sentence that says so.
    pub evidence: Evidence,
    /// Places of the meeting found in the sentence or its neighbours (entity indices).
    pub places: Vec<usize>,
    /// Dates of the meeting: ISO 8601 when the year is known, else as written.
    pub dates: Vec<String>,
}

/// A role given to a person, with the sentences that give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role, in lower case except acronyms: "special envoy", "CEO of Russian Direct
    /// Investment Fund".
    pub name: String,
    /// Sentences that give it, in document order, up to the evidence cap.
    pub evidence: Vec<Evidence>,
}

/// A role found for one entity in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFound {
    /// The entity's index.
    pub entity: usize,
    /// The role.
    pub name: String,
    /// The entity whose name the role holds ("son-in-law of Donald Trump"), if any.
    pub of: Option<usize>,
    /// The sentence.
    pub evidence: Evidence,
}

/// What one document says about its entities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    /// Pairs said to have met.
    pub meetings: Vec<Meeting>,
    /// Roles given to people.
    pub roles: Vec<RoleFound>,
}

/// Finds the meetings and roles of one document. `entities` are the resolved entities that
/// `doc.entities` points into.
pub fn relate(doc: &DocInput<'_>, entities: &[Entity]) -> Relations {
    let sentences = sentences(doc, entities);
    let date = dates::document_date(doc.date, &sentences);
    let mut out = Relations::default();
    let id: std::sync::Arc<str> = doc.id.into();
    for (i, s) in sentences.iter().enumerate() {
        let evidence = || Evidence {
            document: id.clone(),
            span: s.span,
            sentence: s.span.of(doc.text).into(),
        };
        for found in meet::meetings(&sentences, i, date) {
            out.meetings.push(Meeting {
                a: found.a,
                b: found.b,
                evidence: evidence(),
                places: found.places,
                dates: found.dates,
            });
        }
        for (entity, name, of) in roles::roles(s, entities) {
            out.roles.push(RoleFound {
                entity,
                name,
                of,
                evidence: evidence(),
            });
        }
    }
    out
}

/// The date of a document: `given` (ISO 8601, from its metadata), else a dateline or a line
/// holding only a full date.
pub fn document_date(
    text: &str,
    segmentation: &Segmentation,
    given: Option<&str>,
) -> Option<chrono::NaiveDate> {
    let sentences: Vec<Sentence> = segmentation
        .sentences
        .iter()
        .map(|s| Sentence {
            span: s.span,
            units: segmentation.tokens[s.tokens.clone()]
                .iter()
                .map(|t| Unit::Word(t.span.of(text)))
                .collect(),
        })
        .collect();
    dates::document_date(given, &sentences)
}

/// One unit of a sentence: a word, or a whole mention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Unit<'a> {
    /// A token that is not part of a mention.
    Word(&'a str),
    /// A mention, with its entity's index and resolved kind.
    Mention {
        /// The entity's index.
        entity: usize,
        /// The entity's kind (after type votes).
        kind: Kind,
    },
}

impl<'a> Unit<'a> {
    /// The word, if this is one.
    pub(crate) fn word(&self) -> Option<&'a str> {
        match self {
            Unit::Word(w) => Some(w),
            Unit::Mention { .. } => None,
        }
    }

    /// True for a word equal to `w` ignoring ASCII case.
    pub(crate) fn is(&self, w: &str) -> bool {
        self.word().is_some_and(|x| x.eq_ignore_ascii_case(w))
    }

    /// True for a word found, ignoring ASCII case, in `list` (lower case).
    pub(crate) fn is_in(&self, list: &[&str]) -> bool {
        self.word()
            .is_some_and(|x| list.iter().any(|w| x.eq_ignore_ascii_case(w)))
    }

    /// The entity and kind, if this is a mention.
    pub(crate) fn entity(&self) -> Option<(usize, Kind)> {
        match *self {
            Unit::Mention { entity, kind } => Some((entity, kind)),
            Unit::Word(_) => None,
        }
    }

    /// True for the possessive marker: "'s", "’s" or a lone apostrophe.
    pub(crate) fn is_possessive(&self) -> bool {
        self.word()
            .is_some_and(|w| matches!(w, "'s" | "’s" | "'S" | "’S" | "'" | "’"))
    }
}

/// A sentence as a row of units.
#[derive(Debug, Clone)]
pub(crate) struct Sentence<'a> {
    /// The sentence's span in the text.
    pub(crate) span: Span,
    /// Its units, in order.
    pub(crate) units: Vec<Unit<'a>>,
}

/// The document's sentences as rows of units. A mention ending in a possessive ("Trump's")
/// gives the mention followed by the word "'s".
fn sentences<'a>(doc: &DocInput<'a>, entities: &[Entity]) -> Vec<Sentence<'a>> {
    let seg = doc.segmentation;
    let mut mention_at: Vec<Option<usize>> = vec![None; seg.tokens.len()];
    for (m, mention) in doc.mentions.iter().enumerate() {
        if let Some(first) = mention_at.get_mut(mention.tokens.start) {
            *first = Some(m);
        }
    }
    seg.sentences
        .iter()
        .map(|s| {
            let mut units = Vec::with_capacity(s.tokens.len());
            let mut t = s.tokens.start;
            while t < s.tokens.end {
                match mention_at[t] {
                    Some(m) if doc.mentions[m].tokens.end > t => {
                        let entity = doc.entities[m];
                        units.push(Unit::Mention {
                            entity,
                            kind: entities[entity].kind,
                        });
                        let text = doc.mentions[m].span.of(doc.text);
                        if text.ends_with("'s") || text.ends_with("’s") {
                            units.push(Unit::Word("'s"));
                        }
                        t = doc.mentions[m].tokens.end.max(t + 1);
                    }
                    _ => {
                        units.push(Unit::Word(seg.tokens[t].span.of(doc.text)));
                        t += 1;
                    }
                }
            }
            Sentence {
                span: s.span,
                units,
            }
        })
        .collect()
}

/// Test input: a sentence of words separated by spaces where `[P:Name]`, `[O:Name]` and
/// `[L:Name]` are mentions of a person, organization or place (underscores in a name stand for
/// spaces). Returns the units and the entities, numbered in order of first appearance.
#[cfg(test)]
pub(crate) fn parse_units(s: &str) -> (Vec<Unit<'_>>, Vec<Entity>) {
    let mut entities: Vec<Entity> = Vec::new();
    let units = s
        .split(' ')
        .map(
            |w| match w.strip_prefix('[').and_then(|w| w.strip_suffix(']')) {
                Some(inner) => {
                    let (k, name) = inner.split_once(':').expect("kind:name");
                    let kind = match k {
                        "P" => Kind::Person,
                        "O" => Kind::Organization,
                        _ => Kind::Place,
                    };
                    let name = name.replace('_', " ");
                    let entity = match entities.iter().position(|e| e.name == name) {
                        Some(i) => i,
                        None => {
                            entities.push(Entity::new(&name, kind));
                            entities.len() - 1
                        }
                    };
                    Unit::Mention { entity, kind }
                }
                None => Unit::Word(w),
            },
        )
        .collect();
    (units, entities)
}
