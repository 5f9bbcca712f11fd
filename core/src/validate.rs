//! Validation of everything that crosses a trust boundary (API bodies, import files).
//!
//! It reports every problem at once, each with the field it concerns, so a person can fix a form
//! or an import file in one pass. It never panics, whatever the input.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};

use crate::geo;
use crate::model::{Alert, Card, Event, OpeningHours, Phone, Place, Report, Resource};
use crate::sync::Record;

/// One thing wrong with a record: the field (dotted path, e.g. `place.lat`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 5_000;
pub const MAX_CARD_BODY: usize = 20_000;
pub const MAX_REPORT_TEXT: usize = 1_000;
pub const MAX_LIST: usize = 20;
/// How far back a report's observation may lie: a report written offline waits at most this long.
pub const MAX_REPORT_AGE_DAYS: i64 = 7;

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            field: field.into(),
            message: message.into(),
        });
    }

    fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        let chars = value.chars().count();
        if required && value.trim().is_empty() {
            self.add(field, "is required");
        } else if chars > max {
            self.add(
                field,
                format!("is {chars} characters long; at most {max} are allowed"),
            );
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            self.add(field, "contains control characters");
        }
    }

    fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(value) = value {
            self.text(field, value, false, max);
        }
    }

    fn language(&mut self, field: &str, code: &str) {
        if !is_language_code(code) {
            self.add(
                field,
                format!("{code:?} is not an ISO 639 language code (like en, es, so, hmn)"),
            );
        }
    }

    fn languages(&mut self, field: &str, codes: &[String]) {
        if codes.len() > MAX_LIST {
            self.add(
                field,
                format!("lists {} languages; at most {MAX_LIST}", codes.len()),
            );
        }
        for (i, code) in codes.iter().enumerate() {
            self.language(&format!("{field}[{i}]"), code);
        }
    }

    fn url(&mut self, field: &str, url: &str) {
        if !is_web_url(url) {
            self.add(
                field,
                "must be a web address starting with https:// or http://",
            );
        }
    }

    fn place(&mut self, field: &str, place: &Place) {
        self.text(&format!("{field}.name"), &place.name, true, MAX_TITLE);
        self.text(
            &format!("{field}.address"),
            &place.address,
            false,
            MAX_TITLE,
        );
        if !(-90.0..=90.0).contains(&place.lat) {
            self.add(format!("{field}.lat"), "must be between -90 and 90");
        }
        if !(-180.0..=180.0).contains(&place.lon) {
            self.add(format!("{field}.lon"), "must be between -180 and 180");
        }
        self.optional_text(
            &format!("{field}.accessibility"),
            place.accessibility.as_deref(),
            MAX_TEXT,
        );
    }

    fn phone(&mut self, field: &str, phone: &Phone) {
        if !is_phone_number(&phone.number) {
            self.add(
                format!("{field}.number"),
                "must be a phone number: digits, spaces, + - ( ) . only",
            );
        }
        self.optional_text(&format!("{field}.label"), phone.label.as_deref(), MAX_TITLE);
    }

    fn hours(&mut self, field: &str, hours: &OpeningHours) {
        if !(1..=7).contains(&hours.weekday) {
            self.add(
                format!("{field}.weekday"),
                "must be 1 (Monday) to 7 (Sunday)",
            );
        }
        let opens = parse_clock(&hours.opens);
        let closes = parse_clock(&hours.closes);
        if opens.is_none() {
            self.add(format!("{field}.opens"), "must be a time as HH:MM");
        }
        if closes.is_none() {
            self.add(
                format!("{field}.closes"),
                "must be a time as HH:MM (24:00 for midnight)",
            );
        }
        if let (Some(opens), Some(closes)) = (opens, closes)
            && closes <= opens
        {
            self.add(format!("{field}.closes"), "must be after the opening time");
        }
    }

    fn area(&mut self, field: &str, area: Option<&str>) {
        if let Some(area) = area
            && !geo::is_coarse_area(area)
        {
            self.add(
                field,
                "must be a geohash of 1 to 7 characters (about 150 m or coarser)",
            );
        }
    }

    fn done(self) -> Result<(), Vec<Problem>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// Minutes since midnight; "24:00" is the end of the day.
fn parse_clock(s: &str) -> Option<u32> {
    if s == "24:00" {
        return Some(24 * 60);
    }
    let (h, m) = s.split_once(':')?;
    let digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// ISO 639-1 or 639-2/3: two or three lowercase ASCII letters.
pub fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    url.len() <= 2_000
        && host.is_some_and(|h| (!h.is_empty() && h.contains('.')) || h.starts_with("localhost"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub fn is_phone_number(number: &str) -> bool {
    let digits = number.chars().filter(char::is_ascii_digit).count();
    (3..=20).contains(&digits)
        && number.len() <= 32
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

pub fn is_time_zone(zone: &str) -> bool {
    chrono_tz::Tz::from_str(zone).is_ok()
}

impl Event {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        p.text("title", &self.title, true, MAX_TITLE);
        p.text("description", &self.description, false, MAX_TEXT);
        p.text("organiser", &self.organiser, false, MAX_TITLE);
        if self.ends_at.is_some_and(|end| end <= self.starts_at) {
            p.add("ends_at", "must be after starts_at");
        }
        if !is_time_zone(&self.time_zone) {
            p.add(
                "time_zone",
                format!(
                    "{:?} is not an IANA time zone (like America/Chicago)",
                    self.time_zone
                ),
            );
        }
        if let Some(place) = &self.place {
            p.place("place", place);
        }
        p.languages("languages", &self.languages);
        if self.links.len() > MAX_LIST {
            p.add("links", format!("at most {MAX_LIST} links"));
        }
        for (i, link) in self.links.iter().enumerate() {
            p.url(&format!("links[{i}]"), link);
        }
        p.done()
    }
}

impl Resource {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        p.text("name", &self.name, true, MAX_TITLE);
        p.text("description", &self.description, false, MAX_TEXT);
        p.text("organisation", &self.organisation, true, MAX_TITLE);
        if self.phones.len() > MAX_LIST {
            p.add("phones", format!("at most {MAX_LIST} phone numbers"));
        }
        for (i, phone) in self.phones.iter().enumerate() {
            p.phone(&format!("phones[{i}]"), phone);
        }
        if let Some(website) = &self.website {
            p.url("website", website);
        }
        if let Some(place) = &self.place {
            p.place("place", place);
        }
        p.optional_text("service_area", self.service_area.as_deref(), MAX_TITLE);
        if self.opening_hours.len() > 7 * 4 {
            p.add("opening_hours", "at most 28 opening periods");
        }
        for (i, hours) in self.opening_hours.iter().enumerate() {
            p.hours(&format!("opening_hours[{i}]"), hours);
        }
        p.languages("languages", &self.languages);
        p.optional_text("eligibility", self.eligibility.as_deref(), MAX_TEXT);
        p.optional_text("cost", self.cost.as_deref(), MAX_TITLE);
        p.done()
    }
}

impl Card {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        p.language("language", &self.language);
        p.text("title", &self.title, true, MAX_TITLE);
        p.text("body", &self.body, true, MAX_CARD_BODY);
        p.text(
            "source_organisation",
            &self.source_organisation,
            true,
            MAX_TITLE,
        );
        p.done()
    }
}

impl Alert {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        p.text("summary", &self.summary, true, MAX_REPORT_TEXT);
        p.area("area", self.area.as_deref());
        p.optional_text("cross_streets", self.cross_streets.as_deref(), MAX_TITLE);
        if self.expires_at <= self.verified_at {
            p.add("expires_at", "must be after verified_at");
        }
        p.done()
    }
}

impl Report {
    /// `now` is the server's clock: an observation may not lie in the future (a few minutes of
    /// clock skew allowed) nor further back than a report can wait offline.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        p.text("description", &self.description, false, MAX_REPORT_TEXT);
        p.area("area", self.area.as_deref());
        p.optional_text("cross_streets", self.cross_streets.as_deref(), MAX_TITLE);
        if self.area.is_none()
            && self
                .cross_streets
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            p.add("area", "say where: an area or cross streets");
        }
        p.language("language", &self.language);
        if self.observed_at > now + Duration::minutes(10) {
            p.add("observed_at", "lies in the future");
        } else if self.observed_at < now - Duration::days(MAX_REPORT_AGE_DAYS) {
            p.add(
                "observed_at",
                format!("is more than {MAX_REPORT_AGE_DAYS} days old"),
            );
        }
        p.done()
    }
}

impl Record {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        match self {
            Self::Event(e) => e.validate(),
            Self::Resource(r) => r.validate(),
            Self::Card(c) => c.validate(),
            Self::Alert(a) => a.validate(),
        }
    }
}
