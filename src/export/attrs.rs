//! Node and edge attributes flattened to plain strings, for the formats that have no list
//! type (GraphML, GEXF): lists joined with "; ", evidence reduced to its first sentence.

use crate::graph::Link;
use crate::resolve::Entity;

/// The separator of joined lists.
pub const LIST_SEPARATOR: &str = "; ";

/// An entity's list attributes, joined.
pub struct NodeAttrs {
    /// Every surface form.
    pub aliases: String,
    /// Every role.
    pub roles: String,
    /// Every document id.
    pub documents: String,
}

impl NodeAttrs {
    /// The joined attributes of `e`.
    pub fn of(e: &Entity) -> NodeAttrs {
        NodeAttrs {
            aliases: e.aliases.join(LIST_SEPARATOR),
            roles: e
                .roles
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
            documents: e.documents.join(LIST_SEPARATOR),
        }
    }
}

/// A link's list attributes, joined.
pub struct EdgeAttrs {
    /// Places of the meetings.
    pub places: String,
    /// Dates of the meetings.
    pub dates: String,
    /// The first meeting sentence if the two met, else the first co-mention sentence.
    pub evidence: String,
}

impl EdgeAttrs {
    /// The joined attributes of `link`.
    pub fn of(link: &Link) -> EdgeAttrs {
        let evidence = link
            .meetings
            .first()
            .map(|m| &m.evidence)
            .or(link.evidence.first())
            .map_or_else(String::new, |e| one_line(&e.sentence));
        EdgeAttrs {
            places: link.meeting_places().join(LIST_SEPARATOR),
            dates: link.meeting_dates().join(LIST_SEPARATOR),
            evidence,
        }
    }
}

/// `s` on one line: line breaks and other control characters become spaces, and so do
/// U+FFFE and U+FFFF, which XML does not allow anywhere (its `Char` production).
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if unprintable(c) { ' ' } else { c })
        .collect()
}

/// A control character, or one of the two that XML does not allow (U+FFFE, U+FFFF).
pub fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}')
}
