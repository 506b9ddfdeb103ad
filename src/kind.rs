//! The three kinds of entity entigraph knows.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person.
    Person,
    /// A company, agency, party, team or other organization.
    Organization,
    /// A country, city, region or other place.
    Place,
}

impl Kind {
    /// Every kind, in a fixed order.
    pub const ALL: [Kind; 3] = [Kind::Person, Kind::Organization, Kind::Place];

    /// The lower-case name used in every output (`person`, `organization`, `place`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Place => "place",
        }
    }

    /// Position in [`Kind::ALL`], handy for small per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;

    /// Accepts the output names and the CoNLL labels (`PER`, `ORG`, `LOC`), any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "person" | "per" | "people" | "persons" => Ok(Kind::Person),
            "organization" | "organisation" | "org" | "organizations" => Ok(Kind::Organization),
            "place" | "loc" | "location" | "gpe" | "places" => Ok(Kind::Place),
            _ => Err(format!(
                "unknown entity type `{s}` (expected person, organization or place)"
            )),
        }
    }
}
