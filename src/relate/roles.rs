//! Roles of people: titles before a name ("special envoy Steve Witkoff", "Kremlin aide Yury
//! Ushakov", "Russian Direct Investment Fund CEO Kirill Dmitriev", "Trump's son-in-law Jared
//! Kushner") and appositions after it ("Jared Kushner, son-in-law to President Donald Trump,",
//! "Yuri Ushakov, a senior adviser to Vladimir Putin", "Kirill Dmitriev, who serves as head of
//! the Russian Direct Investment Fund").
//!
//! A role is a run of role words that ends in a role noun. What it is a role *of* comes from
//! a possessor ("Trump's"), a following "to/of X" naming a person or organization, or an
//! organization or place before the title. A country before the title is left out ("U.S.
//! Special Envoy" is a special envoy), a single-word organization or place stays in front
//! ("Kremlin aide"), a longer one follows "of" ("CEO of Russian Direct Investment Fund").

use super::{Sentence, Unit};
use crate::kind::Kind;
use crate::resolve::{Entity, canonical};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Nouns a role can end in.
const HEADS: &[&str] = &[
    "president",
    "minister",
    "mediator",
    "secretary-general",
    "commissioner",
    "prosecutor",
    "captain",
    "coach",
    "manager",
    "owner",
    "partner",
    "activist",
    "researcher",
    "analyst",
    "reporter",
    "journalist",
    "secretary",
    "envoy",
    "adviser",
    "advisor",
    "aide",
    "ceo",
    "cfo",
    "coo",
    "head",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "negotiator",
    "ambassador",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "leader",
    "general",
    "commander",
    "governor",
    "mayor",
    "senator",
    "representative",
    "deputy",
    "officer",
    "founder",
    "king",
    "queen",
    "prince",
    "princess",
    "chancellor",
    "premier",
    "judge",
    "lawyer",
    "attorney",
    "counsel",
    "diplomat",
    "official",
    "executive",
    "economist",
    "professor",
    "correspondent",
    "editor",
    "son-in-law",
    "daughter-in-law",
    "father-in-law",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "father",
    "mother",
    "state",
];
/// Words that may come before a role noun inside a role.
const MODIFIERS: &[&str] = &[
    "special",
    "senior",
    "chief",
    "foreign",
    "defense",
    "defence",
    "policy",
    "deputy",
    "top",
    "former",
    "presidential",
    "national",
    "security",
    "vice",
    "prime",
    "executive",
    "acting",
    "interim",
    "economic",
    "finance",
    "interior",
    "trade",
    "first",
    "lead",
    "personal",
    "general",
    "assistant",
    "press",
    "health",
    "justice",
    "energy",
    "managing",
];
/// Kinship nouns: "son-in-law to X" becomes "son-in-law of X".
const KIN: &[&str] = &[
    "son-in-law",
    "daughter-in-law",
    "father-in-law",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "father",
    "mother",
];

/// True for a word that can be part of a role ("special", "envoy").
pub(crate) fn is_role_word(u: &Unit<'_>) -> bool {
    u.is_in(HEADS) || u.is_in(MODIFIERS)
}

/// Country names, from the bundled list and the alias table.
fn is_country(name: &str) -> bool {
    static COUNTRIES: OnceLock<HashSet<String>> = OnceLock::new();
    let set = COUNTRIES.get_or_init(|| {
        include_str!("../../data/gazetteers/countries.lst")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| crate::resolve::fold(l.trim()))
            .collect()
    });
    set.contains(&crate::resolve::fold(name)) || matches!(canonical(name), Some((Kind::Place, _)))
}

/// The role words of `units[from..to]`, as written in the role: lower case but acronyms.
fn role_text(units: &[Unit<'_>]) -> String {
    units
        .iter()
        .filter_map(Unit::word)
        .map(|w| {
            if w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()) {
                w.to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The end of a role starting at `from`: one past its last role noun, if it has one. "of"
/// joins role words ("Secretary of State").
fn role_forward(units: &[Unit<'_>], from: usize) -> Option<usize> {
    let mut end = None;
    let mut i = from;
    while i < units.len() {
        if is_role_word(&units[i]) {
            if units[i].is_in(HEADS) {
                end = Some(i + 1);
            }
            i += 1;
        } else if units[i].is("of") && units.get(i + 1).is_some_and(|u| u.is_in(&["state"])) {
            i += 1;
        } else {
            break;
        }
    }
    end
}

/// "to/of X" after a role: the person or organization X, skipping titles and nationality
/// words ("to Russian President Vladimir Putin").
fn role_object(units: &[Unit<'_>], from: usize) -> Option<(usize, &'static str)> {
    let prep = units.get(from)?;
    let word = if prep.is("to") {
        "to"
    } else if prep.is("of") {
        "of"
    } else if prep.is("from") || prep.is("at") {
        "from"
    } else {
        return None;
    };
    let mut i = from + 1;
    while i < units.len() {
        match units[i] {
            Unit::Mention {
                kind: Kind::Place, ..
            } => i += 1,
            Unit::Mention { entity, kind } => {
                let followed_by_noun = units.get(i + 1).is_some_and(|u| {
                    u.word().is_some_and(|w| {
                        w.starts_with(|c: char| c.is_lowercase()) && !u.is_possessive()
                    })
                });
                if followed_by_noun || (word == "from" && kind == Kind::Person) {
                    return None;
                }
                return Some((entity, word));
            }
            Unit::Word(w)
                if units[i].is("the")
                    || is_role_word(&units[i])
                    || w.starts_with(|c: char| c.is_uppercase()) =>
            {
                i += 1
            }
            Unit::Word(_) => return None,
        }
    }
    None
}

/// A role, and the entity whose name it holds, if any ("son-in-law of Donald Trump").
type Phrase = (String, Option<usize>);

fn phrase_with_object(role: String, object: Option<(usize, &str)>, entities: &[Entity]) -> Phrase {
    match object {
        Some((e, prep)) => {
            let is_kin = KIN.iter().any(|k| role.ends_with(k));
            let prep = if is_kin || prep == "from" { "of" } else { prep };
            (format!("{role} {prep} {}", entities[e].name), Some(e))
        }
        None => (role, None),
    }
}

/// A title right before the person at `at`: (start of the role, its text).
fn title_before(units: &[Unit<'_>], at: usize, entities: &[Entity]) -> Option<Phrase> {
    let mut j = at;
    while j > 0
        && (is_role_word(&units[j - 1])
            || (units[j - 1].is("of") && j >= 2 && is_role_word(&units[j - 2])))
    {
        j -= 1;
    }
    if j == at || !units[at - 1].is_in(HEADS) {
        return None;
    }
    let role = role_text(&units[j..at]);
    if j == 0 {
        return Some((role, None));
    }
    // A possessor: "Trump's son-in-law", "Ukraine's chief negotiator".
    if units[j - 1].is_possessive()
        && j >= 2
        && let Some((e, _)) = units[j - 2].entity()
    {
        return Some((format!("{role} of {}", entities[e].name), Some(e)));
    }
    match units[j - 1].entity() {
        Some((e, kind))
            if kind == Kind::Organization
                || (kind == Kind::Place && !is_country(&entities[e].name)) =>
        {
            let name = &entities[e].name;
            if name.split_whitespace().count() == 1 {
                Some((format!("{name} {role}"), Some(e)))
            } else {
                Some((format!("{role} of {name}"), Some(e)))
            }
        }
        _ => Some((role, None)),
    }
}

/// An apposition right after the person ending at `end`: ", son-in-law to X", ", Putin's
/// aide", ", a senior adviser to X", ", who serves as head of X".
fn apposition_after(units: &[Unit<'_>], end: usize, entities: &[Entity]) -> Option<Phrase> {
    if !units.get(end)?.is(",") {
        return None;
    }
    let mut i = end + 1;
    if units.get(i).is_some_and(|u| u.is("who")) {
        i += 1;
        if units
            .get(i)
            .is_some_and(|u| u.is_in(&["also", "now", "currently", "previously"]))
        {
            i += 1;
        }
        if !units
            .get(i)
            .is_some_and(|u| u.is_in(&["serves", "served", "is", "was"]))
        {
            return None;
        }
        i += 1;
        if units.get(i).is_some_and(|u| u.is("as")) {
            i += 1;
        }
    }
    if units.get(i).is_some_and(|u| u.is_in(&["a", "an", "the"])) {
        i += 1;
    }
    // A possessor, possibly after its own titles: ", President Donald Trump's son-in-law".
    let mut possessor = None;
    let mut k = i;
    while k < units.len() {
        match units[k] {
            Unit::Mention { entity, kind } if kind != Kind::Place => {
                if units.get(k + 1).is_some_and(Unit::is_possessive) {
                    possessor = Some((entity, k + 2));
                }
                break;
            }
            Unit::Mention { .. } => k += 1,
            Unit::Word(w)
                if is_role_word(&units[k]) || w.starts_with(|c: char| c.is_uppercase()) =>
            {
                k += 1
            }
            Unit::Word(_) => break,
        }
    }
    if let Some((_, after)) = possessor {
        i = after;
    }
    let role_end = role_forward(units, i)?;
    let role = role_text(&units[i..role_end]);
    Some(match possessor {
        Some((e, _)) => (format!("{role} of {}", entities[e].name), Some(e)),
        None => phrase_with_object(role, role_object(units, role_end), entities),
    })
}

/// The roles given in one sentence, as (entity, role, the entity named in the role).
pub(crate) fn roles(
    sentence: &Sentence<'_>,
    entities: &[Entity],
) -> Vec<(usize, String, Option<usize>)> {
    let units = &sentence.units;
    let mut out = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let Some((e, Kind::Person)) = u.entity() else {
            continue;
        };
        // After a possessor ("Trump's envoy, ...") what follows is someone else's role.
        let apposition = if units.get(i + 1).is_some_and(Unit::is_possessive) {
            None
        } else {
            apposition_after(units, i + 1, entities)
        };
        for (role, of) in [title_before(units, i, entities), apposition]
            .into_iter()
            .flatten()
        {
            if !out.iter().any(|(x, r, _)| *x == e && *r == role) {
                out.push((e, role, of));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Roles in a sentence written for [`super::super::parse_units`].
    fn roles_in(s: &str) -> Vec<String> {
        let (units, entities) = super::super::parse_units(s);
        let sentence = Sentence {
            span: crate::span::Span::new(0, 0),
            units,
        };
        roles(&sentence, &entities)
            .into_iter()
            .map(|(e, r, _)| format!("{}: {r}", entities[e].name))
            .collect()
    }

    #[test]
    fn titles_before_a_name() {
        assert_eq!(
            roles_in("[L:U.S.] Special Envoy [P:Steve_Witkoff] arrived ."),
            ["Steve Witkoff: special envoy"]
        );
        assert_eq!(
            roles_in("According to [L:Kremlin] aide [P:Yury_Ushakov] , talks ended ."),
            ["Yury Ushakov: Kremlin aide"]
        );
        assert_eq!(
            roles_in("[O:Russian_Direct_Investment_Fund] CEO [P:Kirill_Dmitriev] attended ."),
            ["Kirill Dmitriev: CEO of Russian Direct Investment Fund"]
        );
        assert_eq!(
            roles_in("[P:Donald_Trump] 's son-in-law [P:Jared_Kushner] met him ."),
            ["Jared Kushner: son-in-law of Donald Trump"]
        );
        assert_eq!(
            roles_in("[L:U.S.] Secretary of State [P:Marco_Rubio] said ."),
            ["Marco Rubio: secretary of state"]
        );
    }

    #[test]
    fn appositions_after_a_name() {
        assert_eq!(
            roles_in(
                "[P:Jared_Kushner] , son-in-law to [L:U.S.] President [P:Donald_Trump] , came ."
            ),
            [
                "Jared Kushner: son-in-law of Donald Trump",
                "Donald Trump: president"
            ]
        );
        assert_eq!(
            roles_in(
                "[P:Yuri_Ushakov] , a senior adviser to Russian President [P:Vladimir_Putin] ."
            ),
            [
                "Yuri Ushakov: senior adviser to Vladimir Putin",
                "Vladimir Putin: president"
            ]
        );
        assert_eq!(
            roles_in(
                "[P:Yuri_Ushakov] , [P:Vladimir_Putin] ’s chief foreign policy adviser , said ."
            ),
            ["Yuri Ushakov: chief foreign policy adviser of Vladimir Putin"]
        );
        assert_eq!(
            roles_in(
                "[P:Kirill_Dmitriev] , who also serves as head of the [O:Russian_Direct_Investment_Fund] ."
            ),
            ["Kirill Dmitriev: head of Russian Direct Investment Fund"]
        );
    }

    #[test]
    fn no_role_without_a_role_noun() {
        assert!(roles_in("[P:Witkoff] , [P:Kushner] and [P:Putin] met .").is_empty());
        assert!(roles_in("the senior [P:Witkoff] spoke .").is_empty());
        assert!(roles_in("[P:Witkoff] , a man of few words , spoke .").is_empty());
    }
}
