//! Dates in news text: "December 2, 2025", "2 December 2025", "December 2nd", "on Saturday",
//! resolved against the document's own date when the year or the day is left out.
//!
//! The document's date is the one given with it (a JSONL `date` field), else a line of the
//! article that holds nothing but a full date (a dateline, "December 22, 2025").

use super::{Sentence, Unit};
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A calendar expression as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateExpr {
    /// Day, month and year.
    Full(NaiveDate),
    /// Month and day, no year.
    MonthDay(u32, u32),
    /// A day of the week.
    Weekday(Weekday),
}

/// The twelve month names (the segmenter's list, whose first twelve entries they are).
const MONTHS: &[&str] = crate::segment::MONTHS.split_at(12).0;

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The month (1–12) of a month name or its usual abbreviation ("Dec", "Dec."). "May" counts
/// only when capitalized, the verb being more common.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 || !w.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let lower = w.to_ascii_lowercase();
    if lower == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() == 3 && m.starts_with(lower.as_str())))
        .map(|i| i as u32 + 1)
}

/// A day of the month: "2", "02", "2nd", "21st".
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1800..=2200).contains(y))
}

fn weekday(word: &str) -> Option<Weekday> {
    if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    WEEKDAYS.iter().find(|(w, _)| *w == lower).map(|(_, d)| *d)
}

/// Every calendar expression in `units`, in order.
pub(crate) fn find(units: &[Unit<'_>]) -> Vec<DateExpr> {
    let word = |i: usize| units.get(i).and_then(Unit::word);
    let mut out = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let Some(w) = word(i) else {
            i += 1;
            continue;
        };
        // A year after a day, with or without a comma between.
        let year_after = |j: usize| -> Option<(i32, usize)> {
            match word(j) {
                Some(",") => word(j + 1).and_then(year).map(|y| (y, j + 2)),
                Some(w) => year(w).map(|y| (y, j + 1)),
                None => None,
            }
        };
        if let Some(m) = month(w) {
            if let Some(d) = word(i + 1).and_then(day) {
                let (expr, next) = match year_after(i + 2) {
                    Some((y, next)) => match NaiveDate::from_ymd_opt(y, m, d) {
                        Some(date) => (DateExpr::Full(date), next),
                        None => (DateExpr::MonthDay(m, d), i + 2),
                    },
                    None => (DateExpr::MonthDay(m, d), i + 2),
                };
                out.push(expr);
                i = next;
                continue;
            }
        } else if let Some(d) = day(w)
            && let Some(m) = word(i + 1).and_then(month)
        {
            let (expr, next) = match word(i + 2).and_then(year) {
                Some(y) => match NaiveDate::from_ymd_opt(y, m, d) {
                    Some(date) => (DateExpr::Full(date), i + 3),
                    None => (DateExpr::MonthDay(m, d), i + 2),
                },
                None => (DateExpr::MonthDay(m, d), i + 2),
            };
            out.push(expr);
            i = next;
            continue;
        } else if let Some(d) = weekday(w) {
            out.push(DateExpr::Weekday(d));
        }
        i += 1;
    }
    out
}

/// The document's date: the one given with it, else the first sentence of at most eight units
/// that holds a full date, else a dateline: a full date among the first eight units of one of
/// the first five sentences ("GENEVA, May 20, 2026 — ...").
pub(crate) fn document_date(given: Option<&str>, sentences: &[Sentence<'_>]) -> Option<NaiveDate> {
    if let Some(date) = given
        .and_then(|g| g.get(..10))
        .and_then(|g| NaiveDate::parse_from_str(g, "%Y-%m-%d").ok())
    {
        return Some(date);
    }
    let full = |units: &[Unit<'_>]| {
        find(units).into_iter().find_map(|e| match e {
            DateExpr::Full(d) => Some(d),
            _ => None,
        })
    };
    sentences
        .iter()
        .filter(|s| s.units.len() <= 8)
        .find_map(|s| full(&s.units))
        .or_else(|| {
            sentences
                .iter()
                .take(5)
                .find_map(|s| full(&s.units[..s.units.len().min(8)]))
        })
}

/// The expression as a date, ISO 8601 when the document's date supplies what is missing
/// (the year; for a weekday, the latest such day on or before the document's date), else as
/// written ("December 2", "Saturday").
pub fn resolve(expr: DateExpr, document: Option<NaiveDate>) -> String {
    match (expr, document) {
        (DateExpr::Full(d), _) => d.to_string(),
        (DateExpr::MonthDay(m, d), Some(doc)) => {
            // A month and day well after the document's date belong to the year before.
            let this_year = NaiveDate::from_ymd_opt(doc.year(), m, d);
            match this_year {
                Some(date) if date > doc + Duration::days(31) => {
                    NaiveDate::from_ymd_opt(doc.year() - 1, m, d)
                        .map_or_else(|| month_day(m, d), |d| d.to_string())
                }
                Some(date) => date.to_string(),
                None => month_day(m, d),
            }
        }
        (DateExpr::MonthDay(m, d), None) => month_day(m, d),
        (DateExpr::Weekday(w), Some(doc)) => {
            let back = (7 + doc.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7;
            (doc - Duration::days(i64::from(back))).to_string()
        }
        (DateExpr::Weekday(w), None) => {
            let name = WEEKDAYS
                .iter()
                .find(|(_, d)| *d == w)
                .map_or("", |(n, _)| n);
            let mut s = name.to_owned();
            s[..1].make_ascii_uppercase();
            s
        }
    }
}

fn month_day(m: u32, d: u32) -> String {
    let mut name = MONTHS[(m - 1) as usize].to_owned();
    name[..1].make_ascii_uppercase();
    format!("{name} {d}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Unit<'_>> {
        s.split(' ').map(Unit::Word).collect()
    }

    fn dates(s: &str, doc: Option<&str>) -> Vec<String> {
        let doc = doc.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        find(&words(s))
            .into_iter()
            .map(|e| resolve(e, doc))
            .collect()
    }

    #[test]
    fn full_dates_in_both_orders() {
        assert_eq!(
            dates("met on December 2 , 2025 in Moscow", None),
            ["2025-12-02"]
        );
        assert_eq!(dates("Moscow , 2 December 2025", None), ["2025-12-02"]);
        assert_eq!(dates("on Dec. 2 2025", None), ["2025-12-02"]);
    }

    #[test]
    fn missing_parts_come_from_the_document_date() {
        assert_eq!(dates("The December 2nd meeting", None), ["December 2"]);
        assert_eq!(
            dates("The December 2nd meeting", Some("2025-12-22")),
            ["2025-12-02"]
        );
        // 2025-12-22 is a Monday: the Saturday before is the 20th.
        assert_eq!(
            dates("met Saturday with", Some("2025-12-22")),
            ["2025-12-20"]
        );
        assert_eq!(dates("said on Monday", Some("2025-12-22")), ["2025-12-22"]);
        assert_eq!(dates("met Saturday with", None), ["Saturday"]);
        // Late December seen from early January is last year's.
        assert_eq!(dates("on December 30", Some("2026-01-03")), ["2025-12-30"]);
    }

    #[test]
    fn words_that_only_look_like_dates_are_not() {
        assert!(dates("they may meet 2 times", None).is_empty());
        assert!(dates("a march of 30 people", None).is_empty());
        assert!(dates("December 45", None).is_empty());
    }
}
