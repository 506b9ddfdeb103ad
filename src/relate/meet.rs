//! Who met whom: a sentence says two people (or organizations) met when a verb or noun of
//! meeting has participants on both sides of it, and nothing in its clause makes the meeting
//! negated, future, only proposed, or held at a distance.
//!
//! - Verbs: "met (with)", "hosted", "received", "visited", "welcomed", "sat down with",
//!   "meeting with"; nouns followed by "with" ("held talks with", "engaged in talks with",
//!   "X's meeting with Y", whose possessor takes part). Participants left of the trigger meet
//!   those right of it; those on one side do not meet each other ("Witkoff and Kushner met
//!   Putin" is two meetings). A passive names the other side after "by" ("Lula was received
//!   by Xi").
//! - "talks between X and Y" and "brought together X with Y"; "X and Y held talks" and "X and
//!   Y met" pair the participants named together, unless "met" has an object naming no one
//!   ("X and Y talked, and Z met reporters"). "Met" a thing is no meeting ("met the deadline",
//!   "met its target", "met with criticism").
//! - A clause with no named subject takes it from "X, who met Y", from "X said he met Y" (the
//!   speaker) or from "X visited Paris, where he met Y" (the only person named before).
//! - Not participants: a possessor ("Trump's envoy Witkoff" names Witkoff, not Trump), the
//!   object of a relation ("son-in-law to President Trump", "adviser to Putin"), a name used
//!   as a modifier ("the Trump administration", "Azerbaijani presidential adviser", "UN
//!   mediator"), a venue ("at the White House"), the speaker of ", spokesman Z said". Places
//!   are where meetings happen, never who.
//! - The clause is the stretch between words that start another clause ("as", "while",
//!   "who", "said", ";" ...); two triggers with subjects of their own in one clause ("X met Y,
//!   and Z met W") split it at ", and" (else the last "and", else the last comma), and a
//!   second verb without a subject shares the first one's ("X met Y and hosted Z").
//! - A negation, a modal, a proposal or a hope in the clause cancels the meeting ("no meeting
//!   is planned", "a summit is unlikely", "proposed talks", "agreed to meet"); after a past
//!   tense ("met", "hosted", "held talks with", "was received by") only the words before the
//!   trigger count, since what follows is the topic ("met Y to discuss a possible deal"), and
//!   "next" there is no future ("the next day, X met Y"). Phone and video talks are not
//!   meetings ("held phone talks with", "by video link"), as "spoke by phone with" is not.
//! - Place and date: "in/at/inside X" and calendar expressions in the trigger's clause, else
//!   in the sentence's other meeting clauses, else in the previous sentence's, else in the
//!   next one's.

use super::dates::{self, DateExpr};
use super::{Sentence, Unit};
use crate::kind::Kind;
use chrono::NaiveDate;

/// A meeting found in a sentence: two entities, with where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) a: usize,
    pub(crate) b: usize,
    pub(crate) places: Vec<usize>,
    pub(crate) dates: Vec<String>,
}

/// Verbs of meeting, followed by the other side.
const VERBS: &[&str] = &[
    "met", "meet", "meets", "hosted", "hosts", "host", "hosting", "received", "receives",
    "visited", "visits", "welcomed", "welcomes",
];
/// Verbs that name a meeting only when a participant follows at once ("received Witkoff",
/// not "received a letter from").
const WEAK_VERBS: &[&str] = &[
    "received", "receives", "visited", "visits", "welcomed", "welcomes", "hosted", "hosts", "host",
    "hosting",
];
/// Nouns of meeting.
const NOUNS: &[&str] = &[
    "talks",
    "meeting",
    "meetings",
    "summit",
    "negotiations",
    "discussions",
    "consultations",
    "encounter",
    "session",
];
const HOLD: &[&str] = &["held", "hold", "holds", "holding"];
/// Words that start another clause: the meeting's participants are not found past them.
const BOUNDARIES: &[&str] = &[
    ";",
    ":",
    "—",
    "–",
    "(",
    ")",
    "as",
    "while",
    "when",
    "whereas",
    "although",
    "though",
    "but",
    "because",
    "since",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "that",
    "what",
    "if",
    "said",
    "says",
    "told",
    "tells",
    "according",
    "stated",
    "added",
    "noted",
    "“",
    "”",
    "\"",
];
/// Words that make a meeting negated, future, proposed or hoped for.
const CUES: &[&str] = &[
    "not",
    "no",
    "never",
    "n't",
    "without",
    "neither",
    "nor",
    "will",
    "would",
    "could",
    "might",
    "should",
    "shall",
    "can",
    "possible",
    "possibly",
    "potential",
    "proposed",
    "proposes",
    "propose",
    "proposing",
    "proposal",
    "planned",
    "plans",
    "plan",
    "planning",
    "future",
    "unlikely",
    "likely",
    "hope",
    "hopes",
    "hoped",
    "hoping",
    "expected",
    "expects",
    "expect",
    "want",
    "wants",
    "wanted",
    "willing",
    "willingness",
    "ready",
    "scheduled",
    "upcoming",
    "next",
    "prospect",
    "invitation",
    "invited",
    "offer",
    "offered",
    "seek",
    "seeks",
    "sought",
    "urged",
    "cancelled",
    "canceled",
    "postponed",
    "refused",
    "declined",
    "denied",
    "rejected",
    "whether",
];
/// Nouns after which a person's name is a modifier, not a participant ("the Trump
/// administration").
const MODIFIED: &[&str] = &[
    "administration",
    "administration's",
    "government",
    "campaign",
    "team",
    "family",
    "era",
    "camp",
    "plan",
    "cabinet",
    "aides",
    "officials",
    "allies",
    "presidency",
    "envoy",
    "envoys",
    "doctrine",
];
/// Nouns of relation: the name after "son-in-law to", "adviser to" is not a participant.
const RELATIONS: &[&str] = &[
    "son-in-law",
    "daughter-in-law",
    "father-in-law",
    "adviser",
    "advisor",
    "aide",
    "envoy",
    "representative",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "assistant",
    "wife",
    "husband",
    "son",
    "daughter",
    "brother",
    "sister",
    "father",
    "mother",
    "ally",
    "lawyer",
    "attorney",
    "counsel",
    "deputy",
    "successor",
    "predecessor",
];
/// Words after which an organization's name is still a participant, not a modifier.
const ORG_MAY_PRECEDE: &[&str] = &[
    "and", "or", "held", "hold", "holds", "has", "have", "had", "was", "were", "is", "are", "did",
    "also", "on", "in", "at", "with", "to", "of", "for", "from", "said", "says", "led",
];

/// True for a mention right after "at", "inside" or "within" (and an optional "the"): where
/// something happens.
fn is_venue(units: &[Unit<'_>], i: usize) -> bool {
    let mut j = i;
    if j > 0 && units[j - 1].is("the") {
        j -= 1;
    }
    j > 0 && units[j - 1].is_in(&["at", "inside", "within"])
}

/// Words that may stand between a relation noun's preposition and the name ("adviser to
/// Russian President Vladimir Putin").
const TITLE_WORDS: &[&str] = &["the", "then", "former", "late"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Left side meets right side.
    Across,
    /// "between X and Y": everyone named after the trigger meets each other.
    Between,
    /// "brought together X with Y".
    Together,
    /// "X and Y held talks": everyone named before the trigger meets each other.
    Among,
    /// "After meeting Y in Z, X said": those named before the comma meet the subject after it.
    After,
}

struct Trigger {
    shape: Shape,
    at: usize,
    right_from: usize,
    /// A past-tense verb ("met", "hosted", "sat down with", "was received by") or a noun after
    /// "held/had/engaged" ("held talks with"): what follows the trigger cannot make it future
    /// or proposed, only what comes before it can.
    past: bool,
    /// With `past`: the words before this unit are those that can cancel the meeting; the
    /// trigger itself, or the verb that says a meeting noun's talks took place ("X's talks with
    /// Y ended without a deal", but "the meeting never took place").
    settled: usize,
    /// A verb or a noun after "held": it has a subject of its own, so it starts a new clause
    /// when coordinated after another trigger.
    has_subject: bool,
}

/// Verbs in the past that say a meeting noun's talks took place ("the talks lasted two
/// hours", "the meeting ended without a deal").
const DONE: &[&str] = &[
    "ended",
    "lasted",
    "concluded",
    "took",
    "began",
    "started",
    "broke",
    "went",
    "produced",
    "yielded",
    "wrapped",
];

/// Past tenses among the verbs of meeting.
const PAST: &[&str] = &["met", "hosted", "received", "visited", "welcomed", "sat"];
/// Past tenses before a noun of meeting ("held talks with", "engaged in talks with").
const HELD: &[&str] = &["held", "had", "engaged"];
/// Forms of "be" before a passive ("was received by").
const BE: &[&str] = &["was", "were", "is", "are", "be", "been", "being"];
/// Verbs of saying: the name just before them is who speaks, not who met.
const SPEECH: &[&str] = &["said", "says", "told", "tells", "added", "stated", "noted"];
/// Words of a conversation at a distance ("phone talks", "talks by video link"): not a
/// meeting, as "spoke by phone with" is not.
const REMOTE: &[&str] = &[
    "phone",
    "telephone",
    "phoned",
    "video",
    "videoconference",
    "video-link",
    "virtual",
    "virtually",
    "online",
];
/// Objects of "meet" that are not someone met ("met the deadline", "meets expectations", "met
/// with criticism").
const NOT_MET: &[&str] = &[
    "deadline",
    "deadlines",
    "target",
    "targets",
    "goal",
    "goals",
    "expectations",
    "expectation",
    "forecast",
    "forecasts",
    "estimate",
    "estimates",
    "demand",
    "demands",
    "requirement",
    "requirements",
    "criteria",
    "criterion",
    "standard",
    "standards",
    "condition",
    "conditions",
    "threshold",
    "obligation",
    "obligations",
    "commitment",
    "commitments",
    "need",
    "needs",
    "quota",
    "benchmark",
    "challenge",
    "resistance",
    "opposition",
    "criticism",
    "skepticism",
    "scepticism",
    "condemnation",
    "approval",
    "applause",
    "silence",
    "reaction",
    "response",
    "reception",
    "protest",
    "protests",
    "outrage",
    "fate",
    "death",
    "end",
];

fn is_boundary(units: &[Unit<'_>], i: usize) -> bool {
    let u = &units[i];
    if u.is("as") {
        // "such as", "serves as" do not start a clause.
        return !(i > 0 && units[i - 1].is_in(&["such", "serves", "served", "serve", "well"]));
    }
    u.is_in(BOUNDARIES)
}

/// True for a word that cancels a meeting in its clause. "may" counts in lower case only:
/// "May 5" is a date.
fn is_cue(u: &Unit<'_>) -> bool {
    u.word()
        .is_some_and(|w| u.is_in(CUES) || w.ends_with("n't") || w.ends_with("n’t") || w == "may")
}

/// The clause around units `from..to`: (first unit, one past the last).
fn clause(units: &[Unit<'_>], from: usize, to: usize) -> (usize, usize) {
    const REACH: usize = 40;
    let mut lo = from;
    while lo > 0 && from - lo < REACH && !is_boundary(units, lo - 1) {
        lo -= 1;
    }
    let mut hi = to;
    while hi < units.len() && hi - to < REACH && !is_boundary(units, hi) {
        hi += 1;
    }
    (lo, hi)
}

fn triggers(units: &[Unit<'_>]) -> Vec<Trigger> {
    let is = |i: usize, w: &str| units.get(i).is_some_and(|u| u.is(w));
    let mut out = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let trigger = |shape, right_from, past, has_subject| Trigger {
            shape,
            at: i,
            right_from,
            past,
            settled: i,
            has_subject,
        };
        let held = (1..=3).any(|k| i >= k && units[i - k].is_in(HOLD));
        if u.is_in(VERBS) {
            // "was received by", "was warmly welcomed by": the agent is the other side.
            let be = |k: usize| i >= k && units[i - k].is_in(BE);
            let adverb = i >= 1 && units[i - 1].word().is_some_and(|w| w.ends_with("ly"));
            let passive = is(i + 1, "by") && (be(1) || (adverb && be(2)));
            let right = if passive || is(i + 1, "with") {
                i + 2
            } else {
                i + 1
            };
            out.push(trigger(Shape::Across, right, u.is_in(PAST), true));
        } else if u.is_in(&["sat", "sit", "sits", "sitting"])
            && is(i + 1, "down")
            && is(i + 2, "with")
        {
            out.push(trigger(Shape::Across, i + 3, u.is_in(PAST), true));
        } else if u.is_in(&["brought", "brings", "bring", "bringing"]) && is(i + 1, "together") {
            out.push(trigger(Shape::Together, i + 2, false, true));
        } else if u.is("meeting") && i >= 1 && units[i - 1].is("after") {
            let right = if is(i + 1, "with") { i + 2 } else { i + 1 };
            out.push(trigger(Shape::After, right, true, false));
        } else if u.is_in(NOUNS) {
            let past = (1..=3).any(|k| i >= k && units[i - k].is_in(HELD));
            // "X's talks with Y ended ...": the first verb after the noun's participants
            let done = (!past && !held)
                .then(|| {
                    (i + 1..units.len().min(i + 16))
                        .take_while(|&j| !is_boundary(units, j))
                        .find(|&j| units[j].is_in(DONE))
                })
                .flatten();
            let (past, settled) = match done {
                Some(j) => (true, j),
                None => (past, i),
            };
            let mut push = |shape, right_from, has_subject| {
                out.push(Trigger {
                    settled,
                    ..trigger(shape, right_from, past, has_subject)
                })
            };
            if is(i + 1, "with") {
                push(Shape::Across, i + 2, held || past);
            } else if is(i + 1, "between") {
                push(Shape::Between, i + 2, held || past);
            } else if held {
                push(Shape::Among, i + 1, true);
            }
        }
    }
    out
}

/// The stretch of a sentence a trigger reads, and the subject it shares with the trigger
/// before it ("X met Y and hosted Z").
#[derive(Debug, Clone)]
struct Reach {
    lo: usize,
    hi: usize,
    shared: Option<(usize, usize)>,
}

/// Where a run of units between two coordinated triggers is cut: at ", and", else at the
/// last "and", else at the last comma.
fn split(units: &[Unit<'_>], from: usize, to: usize) -> Option<usize> {
    let range = from..to;
    range
        .clone()
        .find(|&j| units[j].is(",") && units.get(j + 1).is_some_and(|u| u.is("and")))
        .or_else(|| range.clone().rev().find(|&j| units[j].is("and")))
        .or_else(|| range.rev().find(|&j| units[j].is(",")))
}

/// The end of a clause, moved back before ", SPEAKER said" ("X met Y, spokesman Z said"):
/// who says it is not who met.
fn before_speaker(units: &[Unit<'_>], from: usize, hi: usize) -> usize {
    if !units.get(hi).is_some_and(|u| u.is_in(SPEECH)) {
        return hi;
    }
    let mut j = hi;
    while j > from {
        let u = &units[j - 1];
        let in_name = match u {
            Unit::Mention { .. } => true,
            Unit::Word(w) => {
                super::roles::is_role_word(u)
                    || u.is_in(&["the", "a", "an"])
                    || u.is_possessive()
                    || w.starts_with(char::is_uppercase)
            }
        };
        if !in_name {
            break;
        }
        j -= 1;
    }
    let names_someone = (j..hi).any(|k| units[k].entity().is_some());
    if j > from && units[j - 1].is(",") && names_someone {
        j - 1
    } else {
        hi
    }
}

/// The reach of each trigger: its clause, ended before a speaker, and, when a trigger with a
/// subject of its own follows in the same clause ("X met Y, and Z met W"), cut between the two.
fn reaches(units: &[Unit<'_>], ts: &[Trigger]) -> Vec<Reach> {
    let mut out: Vec<Reach> = ts
        .iter()
        .map(|t| {
            let (lo, hi) = clause(units, t.at, t.right_from);
            Reach {
                lo,
                hi: before_speaker(units, t.right_from, hi),
                shared: None,
            }
        })
        .collect();
    for k in 1..ts.len() {
        let (a, b) = (&ts[k - 1], &ts[k]);
        if !b.has_subject || b.at < a.right_from || b.at >= out[k - 1].hi || out[k].lo > a.at {
            continue;
        }
        if let Some(s) = split(units, a.right_from, b.at) {
            out[k - 1].hi = out[k - 1].hi.min(s);
            let after_and = units[s].is(",") && units.get(s + 1).is_some_and(|u| u.is("and"));
            out[k].lo = if after_and { s + 2 } else { s + 1 };
            out[k].shared = Some((out[k - 1].lo, a.at));
        }
    }
    out
}

/// True when the mention at `i` names a participant: a person or organization that is not a
/// possessor, a modifier or the object of a relation noun.
fn is_participant(units: &[Unit<'_>], i: usize) -> bool {
    let Some((_, kind)) = units[i].entity() else {
        return false;
    };
    if kind == Kind::Place {
        return false;
    }
    if let Some(next) = units.get(i + 1)
        && (next.is_possessive() || next.is_in(MODIFIED) || super::roles::is_role_word(next))
    {
        return false;
    }
    // An organization before a noun modifies it ("UN mediator", "Kremlin officials").
    if kind == Kind::Organization
        && let Some(w) = units.get(i + 1).and_then(Unit::word)
        && w.starts_with(char::is_lowercase)
        && !units[i + 1].is_in(ORG_MAY_PRECEDE)
        && !units[i + 1].is_in(VERBS)
    {
        return false;
    }
    // A venue: "at the White House", "inside the Kremlin".
    if is_venue(units, i) {
        return false;
    }
    // Walk back over titles and places to a preposition after a relation noun.
    let mut j = i;
    while j > 0 {
        let u = &units[j - 1];
        let title_like = match u {
            Unit::Word(w) => u.is_in(TITLE_WORDS) || w.starts_with(|c: char| c.is_uppercase()),
            Unit::Mention { kind, .. } => *kind != Kind::Person,
        };
        if !title_like {
            break;
        }
        j -= 1;
    }
    !(j >= 2 && units[j - 1].is_in(&["to", "of", "for"]) && units[j - 2].is_in(RELATIONS))
}

fn participants(units: &[Unit<'_>], range: std::ops::Range<usize>) -> Vec<usize> {
    let mut out: Vec<usize> = range
        .filter(|&i| is_participant(units, i))
        .filter_map(|i| units[i].entity().map(|(e, _)| e))
        .collect();
    out.dedup();
    out
}

fn all_pairs(xs: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, &a) in xs.iter().enumerate() {
        for &b in &xs[i + 1..] {
            out.push((a, b));
        }
    }
    out
}

fn across(left: &[usize], right: &[usize]) -> Vec<(usize, usize)> {
    left.iter()
        .flat_map(|&a| right.iter().map(move |&b| (a, b)))
        .collect()
}

/// True when the words around a trigger make its meeting negated, future, proposed or held at
/// a distance. Before a past tense only the words before it count: "met Y to discuss a possible
/// deal", "held talks with Y without a breakthrough" say a meeting took place, and "the next
/// day, X met Y" is no future.
fn cancelled(units: &[Unit<'_>], t: &Trigger, lo: usize, hi: usize) -> bool {
    if t.at > 0 && units[t.at - 1].is("to") {
        return true;
    }
    if units[lo..hi].iter().any(|u| u.is_in(REMOTE)) {
        return true;
    }
    if t.past {
        units[lo..t.settled.min(hi).max(lo)]
            .iter()
            .any(|u| is_cue(u) && !u.is("next"))
    } else {
        units[lo..hi].iter().any(is_cue)
    }
}

/// True when the object of "meet" is a thing, not someone ("met the deadline", "met its profit
/// target", "met with criticism"): a word of `NOT_MET` among the lower-case words after it.
fn meets_a_thing(units: &[Unit<'_>], from: usize, hi: usize) -> bool {
    const STOP: &[&str] = &[
        "in", "on", "at", "for", "to", "by", "from", "of", "with", ",",
    ];
    units[from..hi]
        .iter()
        .take_while(|u| {
            u.word()
                .is_some_and(|w| !w.starts_with(char::is_uppercase) && !u.is_in(STOP))
        })
        .take(4)
        .any(|u| u.is_in(NOT_MET))
}

/// True when "met" has an object that names no one ("X and Y discussed trade, and Z met
/// reporters"): a lower-case word after it that is not a preposition or an adverb. Then the
/// people before "met" did not meet each other.
fn meets_someone_unnamed(units: &[Unit<'_>], from: usize, hi: usize) -> bool {
    const NOT_AN_OBJECT: &[&str] = &[
        "in",
        "on",
        "at",
        "for",
        "during",
        "after",
        "before",
        "over",
        "since",
        "until",
        "amid",
        "ahead",
        "behind",
        "inside",
        "near",
        "outside",
        "to",
        "as",
        "and",
        "last",
        "this",
        "earlier",
        "again",
        "twice",
        "once",
        "first",
        "late",
        "later",
        "overnight",
        "often",
        "only",
        "just",
        "then",
        "here",
        "there",
        "yesterday",
        "today",
        "tonight",
        "face-to-face",
        "together",
        "alone",
        "without",
        "via",
        "under",
        "around",
    ];
    units[from..hi].first().is_some_and(|u| {
        u.word().is_some_and(|w| {
            w.starts_with(char::is_lowercase) && !w.ends_with("ly") && !u.is_in(NOT_AN_OBJECT)
        })
    })
}

/// The person a clause with no named subject speaks of: "X, who met Y", "X said he met Y",
/// "X visited Paris, where he met Y". A "he" or "she" stands for the speaker just before
/// "said", else for the only person named before the clause.
fn antecedent(units: &[Unit<'_>], lo: usize, at: usize) -> Option<usize> {
    if units[lo..at].iter().any(|u| u.entity().is_some()) {
        return None;
    }
    let person = |i: usize| match units[i].entity() {
        Some((e, Kind::Person)) if is_participant(units, i) => Some(e),
        _ => None,
    };
    if lo >= 3 && units[lo - 1].is("who") && units[lo - 2].is(",") {
        return person(lo - 3);
    }
    let pronoun = units[lo..at.min(lo + 3)]
        .iter()
        .any(|u| u.is_in(&["he", "she"]));
    if !pronoun || lo == 0 {
        return None;
    }
    if units[lo - 1].is_in(SPEECH)
        && let Some(e) = lo.checked_sub(2).and_then(person)
    {
        return Some(e);
    }
    let mut before: Vec<usize> = (0..lo - 1).filter_map(person).collect();
    before.dedup();
    match before[..] {
        [e] => Some(e),
        _ => None,
    }
}

/// The one who has a meeting in "X's meeting with Y", "X's first talks with Y".
fn possessor(units: &[Unit<'_>], lo: usize, at: usize) -> Option<usize> {
    let mut j = at;
    while j > lo
        && at - j < 2
        && units[j - 1]
            .word()
            .is_some_and(|w| w.starts_with(char::is_lowercase))
    {
        j -= 1;
    }
    if j < lo + 2 || !units[j - 1].is_possessive() {
        return None;
    }
    match units[j - 2].entity() {
        Some((e, Kind::Person | Kind::Organization)) => Some(e),
        _ => None,
    }
}

/// Who is on the left of a trigger: the participants named there, else the antecedent of a
/// "who" or a "he".
fn subject(units: &[Unit<'_>], lo: usize, at: usize) -> Vec<usize> {
    let named = participants(units, lo..at);
    if !named.is_empty() {
        return named;
    }
    antecedent(units, lo, at).into_iter().collect()
}

/// The pairs a trigger says met, or none when its clause negates or defers the meeting.
fn pairs(units: &[Unit<'_>], t: &Trigger, reach: &Reach) -> Vec<(usize, usize)> {
    let (lo, hi) = (reach.lo, reach.hi);
    if cancelled(units, t, lo, hi) {
        return Vec::new();
    }
    let right_from = t.right_from.min(hi);
    let mut left = subject(units, lo, t.at);
    if left.is_empty()
        && let Some((lo, at)) = reach.shared
    {
        left = subject(units, lo, at);
    }
    if units[t.at].is_in(NOUNS)
        && let Some(e) = possessor(units, lo, t.at)
        && !left.contains(&e)
    {
        left.push(e);
    }
    let right = participants(units, right_from..hi);
    let meet = units[t.at].is_in(&["met", "meet", "meets"]);
    match t.shape {
        Shape::Across => {
            let weak = units[t.at].is_in(WEAK_VERBS);
            if (weak && !starts_with_participant(units, right_from, hi))
                || (meet && meets_a_thing(units, right_from, hi))
            {
                Vec::new()
            } else if right.is_empty() && meet && !meets_someone_unnamed(units, right_from, hi) {
                all_pairs(&left)
            } else {
                across(&left, &right)
            }
        }
        Shape::Between => all_pairs(&right),
        Shape::After => {
            // the participle's object runs to the comma; the main clause's subject follows it
            let Some(comma) = (right_from..units.len()).find(|&j| units[j].is(",")) else {
                return Vec::new();
            };
            if !starts_with_participant(units, right_from, comma) {
                return Vec::new();
            }
            let subject = first_participant(units, comma + 1, units.len());
            match subject.and_then(|j| units[j].entity()) {
                Some((e, _)) => across(&[e], &participants(units, right_from..comma)),
                None => Vec::new(),
            }
        }
        Shape::Among => all_pairs(&left),
        Shape::Together => match (right_from..hi).find(|&i| units[i].is("with")) {
            Some(w) => across(
                &participants(units, right_from..w),
                &participants(units, w + 1..hi),
            ),
            None => all_pairs(&right),
        },
    }
}

/// True when the first unit from `from` that is not a title or a place is a participant
/// ("received Russian President Vladimir Putin").
fn starts_with_participant(units: &[Unit<'_>], from: usize, to: usize) -> bool {
    first_participant(units, from, to).is_some()
}

/// The first unit from `from` that is not a title or a place, if it is a participant.
fn first_participant(units: &[Unit<'_>], from: usize, to: usize) -> Option<usize> {
    (from..to)
        .find(|&i| match units[i] {
            Unit::Word(w) => {
                !(units[i].is_in(TITLE_WORDS) || w.starts_with(|c: char| c.is_uppercase()))
            }
            Unit::Mention { kind, .. } => kind != Kind::Place,
        })
        .filter(|&i| is_participant(units, i))
}

/// Words that start what a meeting was about ("to discuss a ceasefire in Gaza", "talks about
/// the war in Ukraine"): a place named after them is the topic's, not the meeting's.
const TOPIC: &[&str] = &[
    "about",
    "regarding",
    "concerning",
    "discuss",
    "discussed",
    "discussing",
];

/// True when unit `i` starts the topic of a meeting: a word of [`TOPIC`], or "to" before a
/// verb ("to review", "to sign"): a lower-case word that is not a determiner.
fn starts_topic(units: &[Unit<'_>], i: usize) -> bool {
    let u = &units[i];
    u.is_in(TOPIC)
        || (u.is("to")
            && units.get(i + 1).is_some_and(|n| {
                n.word().is_some_and(|w| w.starts_with(char::is_lowercase))
                    && !n.is_in(&[
                        "the", "a", "an", "this", "that", "its", "his", "her", "their",
                    ])
            }))
}

/// Places ("in/at/inside/within X", "X hosted") and dates in units `lo..hi`. Places stop
/// where the meeting's topic starts.
fn where_and_when(units: &[Unit<'_>], lo: usize, hi: usize) -> (Vec<usize>, Vec<DateExpr>) {
    let mut places = Vec::new();
    let topic = (lo..hi).find(|&i| starts_topic(units, i)).unwrap_or(hi);
    for i in lo..topic {
        let Some((e, kind)) = units[i].entity() else {
            continue;
        };
        if kind == Kind::Person || (kind == Kind::Organization && !is_venue(units, i)) {
            continue;
        }
        let mut j = i;
        if j > lo && units[j - 1].is("the") {
            j -= 1;
        }
        let after_preposition = j > lo && units[j - 1].is_in(&["in", "at", "inside", "within"]);
        let hosting = units
            .get(i + 1)
            .is_some_and(|u| u.is_in(&["hosted", "hosts"]));
        if (after_preposition || hosting) && !places.contains(&e) {
            places.push(e);
        }
    }
    (places, dates::find(&units[lo..hi]))
}

/// The clauses of a sentence that speak of a meeting that took place.
fn meeting_clauses(units: &[Unit<'_>]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        if u.is_in(NOUNS) || u.is_in(VERBS) {
            let (lo, hi) = clause(units, i, i + 1);
            if !units[lo..hi].iter().any(is_cue) && !out.contains(&(lo, hi)) {
                out.push((lo, hi));
            }
        }
    }
    out
}

/// The meetings of sentence `i` of `sentences`.
pub(crate) fn meetings(
    sentences: &[Sentence<'_>],
    i: usize,
    date: Option<NaiveDate>,
) -> Vec<Found> {
    let units = &sentences[i].units;
    let mut out: Vec<Found> = Vec::new();
    let ts = triggers(units);
    for (t, reach) in ts.iter().zip(reaches(units, &ts)) {
        let found = pairs(units, t, &reach);
        if found.is_empty() {
            continue;
        }
        // Where and when: the trigger's reach, the sentence's other meeting clauses, the
        // previous sentence's, the next one's; the first that says.
        let mut levels: Vec<Vec<(usize, usize, usize)>> = vec![vec![(i, reach.lo, reach.hi)]];
        levels.push(
            meeting_clauses(units)
                .into_iter()
                .map(|(lo, hi)| (i, lo, hi))
                .collect(),
        );
        for n in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
            if let Some(s) = sentences.get(n) {
                levels.push(
                    meeting_clauses(&s.units)
                        .into_iter()
                        .map(|(lo, hi)| (n, lo, hi))
                        .collect(),
                );
            }
        }
        let mut places = Vec::new();
        let mut when = Vec::new();
        for level in &levels {
            let mut p = Vec::new();
            let mut d = Vec::new();
            for &(s, lo, hi) in level {
                let (ps, ds) = where_and_when(&sentences[s].units, lo, hi);
                p.extend(ps);
                d.extend(ds);
            }
            if places.is_empty() && !p.is_empty() {
                places = p;
            }
            if when.is_empty() && !d.is_empty() {
                when = d;
            }
        }
        places.dedup();
        let mut dates: Vec<String> = when.into_iter().map(|e| dates::resolve(e, date)).collect();
        dates.dedup();
        for (a, b) in found {
            if a == b {
                continue;
            }
            let (a, b) = (a.min(b), a.max(b));
            if out.iter().any(|f| f.a == a && f.b == b) {
                continue;
            }
            out.push(Found {
                a,
                b,
                places: places.clone(),
                dates: dates.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The meetings of the last sentence, as "A-B" name pairs with places and dates, the
    /// other sentences being its context.
    fn met(sentences: &[&str], date: Option<&str>) -> Vec<String> {
        // Names are numbered across sentences so that context places resolve.
        let joined = sentences.join(" | ");
        let (all, entities) = super::super::parse_units(&joined);
        let names: Vec<&str> = entities.iter().map(|e| e.name.as_str()).collect();
        let mut rows: Vec<Sentence> = Vec::new();
        let mut current = Vec::new();
        for u in all {
            if u.is("|") {
                rows.push(Sentence {
                    span: crate::span::Span::new(0, 0),
                    units: std::mem::take(&mut current),
                });
            } else {
                current.push(u);
            }
        }
        rows.push(Sentence {
            span: crate::span::Span::new(0, 0),
            units: current,
        });
        let date = date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        let last = rows.len() - 1;
        meetings(&rows, last, date)
            .into_iter()
            .map(|f| {
                let mut s = format!("{}-{}", names[f.a], names[f.b]);
                for p in f.places {
                    s.push_str(&format!(" @{}", names[p]));
                }
                for d in f.dates {
                    s.push_str(&format!(" #{d}"));
                }
                s
            })
            .collect()
    }

    #[test]
    fn coordination_gives_one_meeting_each() {
        assert_eq!(
            met(
                &["[P:Witkoff] and [P:Kushner] met [P:Putin] in [L:Moscow] ."],
                None
            ),
            ["Witkoff-Putin @Moscow", "Kushner-Putin @Moscow"]
        );
    }

    #[test]
    fn possessors_and_relations_are_not_participants() {
        assert_eq!(
            met(
                &[
                    "US President [P:Trump] 's special envoy [P:Witkoff] and [P:Trump] 's son-in-law [P:Kushner] met Saturday with Russian President [P:Putin] 's envoy [P:Dmitriev] , who also serves as head of the [O:RDIF] ."
                ],
                Some("2025-12-22")
            ),
            [
                "Witkoff-Dmitriev #2025-12-20",
                "Kushner-Dmitriev #2025-12-20"
            ]
        );
        assert_eq!(
            met(
                &[
                    "A U.S. delegation , led by special envoy [P:Witkoff] and including [P:Kushner] , son-in-law to U.S. President [P:Trump] , engaged in talks with Russian President [P:Putin] ."
                ],
                None
            ),
            ["Witkoff-Putin", "Kushner-Putin"]
        );
    }

    #[test]
    fn negation_future_and_proposals_cancel_a_meeting() {
        for s in [
            "[P:Zelensky] did not meet [P:Putin] .",
            "[P:Zelensky] will meet [P:Putin] next week .",
            "[P:Zelensky] has never met [P:Putin] .",
            "[P:Zelensky] agreed to meet [P:Putin] .",
            "A possible summit between [P:Putin] and [P:Trump] is unlikely .",
            "[P:Rubio] proposed talks with [P:Lavrov] .",
            "No meeting between [P:Putin] and [P:Zelensky] is planned .",
            "[P:Zelensky] expressed willingness to meet with [P:Trump] .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn other_shapes_of_meeting() {
        assert_eq!(
            met(
                &["Talks between [P:Macron] and [P:Scholz] ended in [L:Paris] ."],
                None
            ),
            ["Macron-Scholz @Paris"]
        );
        assert_eq!(
            met(
                &["[P:Macron] and [P:Scholz] held talks on Monday ."],
                Some("2025-06-11")
            ),
            ["Macron-Scholz #2025-06-09"]
        );
        assert_eq!(
            met(
                &[
                    "The December 2nd meeting brought together [P:Witkoff] and [P:Kushner] , President [P:Trump] ’s son-in-law , with [P:Putin] and his advisers ."
                ],
                Some("2025-12-05")
            ),
            ["Witkoff-Putin #2025-12-02", "Kushner-Putin #2025-12-02"]
        );
        assert_eq!(
            met(
                &["[P:Modi] received [P:Albanese] at the [L:Hyderabad_House] ."],
                None
            ),
            ["Modi-Albanese @Hyderabad House"]
        );
    }

    #[test]
    fn saying_and_visiting_places_are_not_meetings() {
        for s in [
            "[P:Putin] said [P:Witkoff] was welcome .",
            "[P:Zelensky] visited [L:Dublin] and thanked [P:Harris] .",
            "[P:Ushakov] received a letter from [P:Rubio] .",
            "The [P:Trump] administration hosted a dinner .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn place_and_date_come_from_the_neighbouring_sentence() {
        assert_eq!(
            met(
                &[
                    "The assessment follows a meeting in [L:Moscow] on December 2 , 2025 .",
                    "A delegation led by [P:Witkoff] engaged in talks with [P:Putin] ."
                ],
                None
            ),
            ["Witkoff-Putin @Moscow #2025-12-02"]
        );
    }

    #[test]
    fn passives_name_the_host_after_by() {
        assert_eq!(
            met(&["[P:Lula] was received by [P:Xi] in [L:Beijing] ."], None),
            ["Lula-Xi @Beijing"]
        );
        assert_eq!(
            met(&["[P:Lula] was warmly welcomed by [P:Xi] ."], None),
            ["Lula-Xi"]
        );
        assert_eq!(
            met(&["[P:Biden] was welcomed by cheering crowds ."], None),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_possessor_of_a_meeting_has_it() {
        assert_eq!(
            met(
                &["[P:Starmer] 's first meeting with [P:Macron] lasted two hours ."],
                None
            ),
            ["Starmer-Macron"]
        );
    }

    #[test]
    fn who_and_he_stand_for_the_person_before() {
        assert_eq!(
            met(
                &[
                    "[P:Albanese] , who met [P:Kishida] in [L:Tokyo] last week , said the deal was close ."
                ],
                None
            ),
            ["Albanese-Kishida @Tokyo"]
        );
        assert_eq!(
            met(&["[P:Zelensky] said he met [P:Stoltenberg] ."], None),
            ["Zelensky-Stoltenberg"]
        );
        assert_eq!(
            met(
                &["[P:Biden] visited [L:Warsaw] , where he met [P:Duda] ."],
                None
            ),
            ["Biden-Duda"]
        );
        for s in [
            "[P:Zelensky] said he would not meet [P:Putin] .",
            "[P:Blinken] , who will meet [P:Wang] on Friday , said talks would be hard .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn coordinated_clauses_are_meetings_of_their_own() {
        assert_eq!(
            met(
                &[
                    "[P:Blinken] met [P:Wang] in [L:Beijing] , and [P:Austin] met [P:Dong] in [L:Singapore] ."
                ],
                None
            ),
            ["Blinken-Wang @Beijing", "Austin-Dong @Singapore"]
        );
        // A second verb without a subject shares the first one's.
        assert_eq!(
            met(
                &["[P:Blinken] met [P:Wang] on Monday and hosted [P:Li] on Tuesday ."],
                Some("2025-06-11")
            ),
            ["Blinken-Wang #2025-06-09", "Blinken-Li #2025-06-10"]
        );
    }

    #[test]
    fn the_speaker_is_not_a_participant() {
        assert_eq!(
            met(
                &["[P:Blinken] met [P:Wang] , [O:State_Department] spokesman [P:Miller] said ."],
                None
            ),
            ["Blinken-Wang"]
        );
    }

    #[test]
    fn after_a_past_tense_only_what_comes_before_cancels() {
        for s in [
            "[P:Blinken] met [P:Wang] to discuss a possible ceasefire .",
            "[P:Blinken] met [P:Wang] without reaching an agreement .",
            "The next day , [P:Blinken] met [P:Wang] .",
            "[P:Blinken] held talks with [P:Wang] on a proposed trade deal .",
        ] {
            assert_eq!(met(&[s], None), ["Blinken-Wang"], "{s}");
        }
        for s in [
            "[P:Blinken] meets [P:Wang] next week .",
            "Talks between [P:Blinken] and [P:Wang] were postponed .",
            "[P:Blinken] could have met [P:Wang] .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn meeting_a_thing_or_an_unnamed_someone_is_no_meeting() {
        for s in [
            "[O:Apple] met the deadline set by the [O:European_Commission] .",
            "[O:Siemens] met its profit target , chief executive [P:Busch] said .",
            "[P:Biden] met with criticism from [P:Sanders] .",
            "[P:Biden] and [P:Duda] discussed trade , and [P:Harris] met reporters .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
        assert_eq!(
            met(&["[P:Biden] and [P:Duda] met privately ."], None),
            ["Biden-Duda"]
        );
        assert_eq!(
            met(&["[P:Biden] and [P:Duda] met late on Tuesday ."], None),
            ["Biden-Duda #Tuesday"]
        );
    }

    #[test]
    fn talks_that_took_place_are_meetings_whatever_came_of_them() {
        for s in [
            "[P:Starmer] 's talks with [P:Macron] ended without a deal .",
            "Talks between [P:Blinken] and [P:Wang] lasted five hours but produced no agreement .",
            "The meeting between [P:Blinken] and [P:Wang] took place in [L:Beijing] .",
        ] {
            assert!(!met(&[s], None).is_empty(), "{s}");
        }
        for s in [
            "The meeting between [P:Blinken] and [P:Wang] never took place .",
            "Talks between [P:Blinken] and [P:Wang] will resume next week .",
            "The planned meeting between [P:Blinken] and [P:Wang] was cancelled .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn after_meeting_someone_the_subject_met_them() {
        assert_eq!(
            met(
                &["After meeting [P:Putin] in [L:Moscow] , [P:Witkoff] flew to [L:Miami] ."],
                None
            ),
            ["Putin-Witkoff @Moscow"]
        );
        assert_eq!(
            met(
                &[
                    "After meeting with [P:Macron] , U.S. President [P:Trump] said the talks went well ."
                ],
                None
            ),
            ["Macron-Trump"]
        );
        for s in [
            // the object is not someone, or no one named is the main clause's subject
            "After meeting the press , [P:Witkoff] flew to [L:Miami] .",
            "After meeting [P:Putin] , the envoy flew home .",
            "After a meeting with [P:Putin] , [P:Witkoff] left .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn a_place_of_the_topic_is_not_where_they_met() {
        assert_eq!(
            met(
                &["[P:Blinken] met [P:Wang] in [L:Beijing] to discuss a ceasefire in [L:Gaza] ."],
                None
            ),
            ["Blinken-Wang @Beijing"]
        );
        assert_eq!(
            met(
                &["[P:Blinken] held talks with [P:Wang] about the war in [L:Ukraine] ."],
                None
            ),
            ["Blinken-Wang"]
        );
        // "to" before a place is no topic
        assert_eq!(
            met(
                &["On a trip to [L:China] , [P:Blinken] met [P:Wang] in [L:Beijing] ."],
                None
            ),
            ["Blinken-Wang @Beijing"]
        );
    }

    #[test]
    fn talks_at_a_distance_are_not_meetings() {
        for s in [
            "[P:Modi] held phone talks with [P:Biden] .",
            "[P:Macron] held talks with [P:Scholz] by video link .",
        ] {
            assert_eq!(met(&[s], None), Vec::<String>::new(), "{s}");
        }
    }
}
