//! Validation of everything that crosses a trust boundary (API bodies, import files).
//!
//! It reports every problem at once, each with the field it concerns, so a person can fix a form
//! or an import file in one pass. It never panics, whatever the input.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};

use crate::model::{
    Alert, Card, Event, OpeningHours, Phone, Place, Record, Report, Resource, Translations,
};
use crate::{geo, text, time};

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
        if required && text::is_blank(value) {
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
        if value.chars().any(text::is_hidden_formatting) {
            self.add(
                field,
                "contains hidden formatting characters (direction overrides or zero-width spaces); \
                 remove them",
            );
        }
    }

    /// Report text: a reporter gives an area, never a point someone could be found at.
    fn no_precise_coordinate(&mut self, field: &str, value: Option<&str>) {
        if value.is_some_and(text::has_precise_coordinate) {
            self.add(
                field,
                format!(
                    "looks like an exact position; give at most {} decimals (about 100 m)",
                    text::MAX_COORDINATE_DECIMALS
                ),
            );
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

    /// A listing's [`Translations`]: known languages other than its own, only the fields that
    /// are translated, each within the size of its own field (`max`).
    fn translations(
        &mut self,
        translations: &Translations,
        own_lang: &str,
        fields: &[&str],
        max: impl Fn(&str) -> usize,
    ) {
        if translations.len() > MAX_LIST {
            self.add(
                "translations",
                format!("at most {MAX_LIST} languages are allowed"),
            );
        }
        for (lang, texts) in translations {
            let at = format!("translations.{lang}");
            self.language(&at, lang);
            if lang == own_lang {
                self.add(
                    &at,
                    "is the listing's own language: edit its own text instead",
                );
            }
            for (field, text) in texts {
                let at = format!("{at}.{field}");
                if fields.contains(&field.as_str()) {
                    self.text(&at, text, false, max(field));
                } else {
                    self.add(at, format!("only {} are translated", fields.join(", ")));
                }
            }
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
        let opens = time::clock_minutes(&hours.opens);
        let closes = time::clock_minutes(&hours.closes);
        if opens.is_none_or(|m| m >= 24 * 60) {
            self.add(format!("{field}.opens"), "must be a time as HH:MM");
        }
        if closes.is_none() {
            self.add(
                format!("{field}.closes"),
                "must be a time as HH:MM (24:00 for midnight)",
            );
        }
        // A closing time before the opening time runs past midnight into the next day.
        if opens.is_some() && opens == closes {
            self.add(
                format!("{field}.closes"),
                "must differ from the opening time (an earlier one closes the next day)",
            );
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
        p.translations(
            &self.translations,
            self.text_language(),
            &Event::TRANSLATED,
            |field| {
                if field == "title" {
                    MAX_TITLE
                } else {
                    MAX_TEXT
                }
            },
        );
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
        p.translations(
            &self.translations,
            self.text_language(),
            &Resource::TRANSLATED,
            |field| if field == "name" { MAX_TITLE } else { MAX_TEXT },
        );
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
        p.translations(
            &self.translations,
            &self.language,
            &Card::TRANSLATED,
            |field| {
                if field == "title" {
                    MAX_TITLE
                } else {
                    MAX_CARD_BODY
                }
            },
        );
        p.done()
    }
}

impl Alert {
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        // A withdrawn alert keeps no text.
        p.text(
            "summary",
            &self.summary,
            self.withdrawn.is_none(),
            MAX_REPORT_TEXT,
        );
        if self.translations.len() > MAX_LIST {
            p.add(
                "translations",
                format!("at most {MAX_LIST} languages are allowed"),
            );
        }
        for (lang, text) in &self.translations {
            p.language(&format!("translations.{lang}"), lang);
            p.text(&format!("translations.{lang}"), text, true, MAX_REPORT_TEXT);
        }
        if self.withdrawn.is_some() && !(self.summary.is_empty() && self.translations.is_empty()) {
            p.add("summary", "a withdrawn alert keeps no text");
        }
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
        p.no_precise_coordinate("description", Some(&self.description));
        p.no_precise_coordinate("cross_streets", self.cross_streets.as_deref());
        if self.area.is_none() && self.cross_streets.as_deref().is_none_or(text::is_blank) {
            p.add("area", "say where: an area or cross streets");
        }
        p.language("language", &self.language);
        // Checked, so that a `now` at the ends of chrono's range cannot panic: past them nothing
        // lies further ahead or behind.
        let latest = now
            .checked_add_signed(Duration::minutes(10))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let earliest = now
            .checked_sub_signed(Duration::days(MAX_REPORT_AGE_DAYS))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        if self.observed_at > latest {
            p.add("observed_at", "lies in the future");
        } else if self.observed_at < earliest {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventKind, EventStatus, ReportKind, ResourceCategory};
    use crate::pow::Stamp;
    use chrono::{NaiveDate, TimeZone};
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use uuid::Uuid;

    // ---- fixtures -------------------------------------------------------------------------------

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid UTC time")
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    /// The server clock used by the report tests.
    fn now() -> DateTime<Utc> {
        utc(2026, 11, 27, 12, 0)
    }

    fn place() -> Place {
        Place {
            name: "Lake Street Church".into(),
            address: "1 Lake St, Minneapolis".into(),
            lat: 44.9483,
            lon: -93.2621,
            accessibility: Some("Step-free entrance on 14th Ave".into()),
        }
    }

    fn event() -> Event {
        Event {
            translations: Default::default(),
            id: Uuid::nil(),
            version: 1,
            title: "Vigil for our neighbours".into(),
            description: "Bring candles.\nInterpreters on site.\tAll welcome.".into(),
            kind: EventKind::Vigil,
            starts_at: utc(2026, 11, 27, 18, 0),
            ends_at: Some(utc(2026, 11, 27, 20, 0)),
            time_zone: "America/Chicago".into(),
            place: Some(place()),
            organiser: "Example Network".into(),
            languages: vec!["en".into(), "es".into(), "so".into(), "hmn".into()],
            links: vec!["https://example.org/vigil".into()],
            status: EventStatus::Scheduled,
        }
    }

    fn resource() -> Resource {
        Resource {
            translations: Default::default(),
            id: Uuid::nil(),
            version: 1,
            name: "Tenant hotline".into(),
            category: ResourceCategory::Hotline,
            description: "Advice on evictions and repairs.".into(),
            organisation: "Example Tenants Union".into(),
            phones: vec![Phone {
                number: "612-555-0100".into(),
                label: Some("Hotline".into()),
            }],
            website: Some("https://example.org".into()),
            place: Some(place()),
            service_area: Some("North side, by appointment".into()),
            opening_hours: vec![OpeningHours {
                weekday: 1,
                opens: "09:00".into(),
                closes: "17:00".into(),
            }],
            languages: vec!["en".into(), "es".into()],
            eligibility: Some("Anyone renting in the city".into()),
            cost: Some("Free".into()),
            last_verified: day(2026, 1, 15),
        }
    }

    fn card() -> Card {
        Card {
            translations: Default::default(),
            id: Uuid::nil(),
            version: 1,
            language: "es".into(),
            title: "Sus derechos".into(),
            body: "No abra la puerta.\nUsted tiene derecho a guardar silencio.".into(),
            source_organisation: "Example Legal Aid".into(),
            reviewed: day(2026, 2, 1),
        }
    }

    fn alert() -> Alert {
        Alert {
            id: Uuid::nil(),
            version: 1,
            kind: ReportKind::Checkpoint,
            summary: "Checkpoint reported near Lake St.".into(),
            area: Some("9zvxvf2".into()),
            cross_streets: Some("Lake St & 14th Ave".into()),
            verified_at: utc(2026, 11, 27, 12, 0),
            expires_at: utc(2026, 11, 27, 14, 0),
            translations: Default::default(),
            withdrawn: None,
        }
    }

    fn report() -> Report {
        Report {
            id: Uuid::nil(),
            kind: ReportKind::EnforcementSeen,
            description: "Two unmarked vans.\nStill there.".into(),
            observed_at: now() - Duration::minutes(5),
            area: Some("9zvxvf2".into()),
            cross_streets: None,
            language: "en".into(),
            stamp: Stamp::v2("c2FsdA", 16, vec![42; crate::pow::PARTS]),
        }
    }

    fn event_with(change: impl FnOnce(&mut Event)) -> Event {
        let mut e = event();
        change(&mut e);
        e
    }

    fn resource_with(change: impl FnOnce(&mut Resource)) -> Resource {
        let mut r = resource();
        change(&mut r);
        r
    }

    fn card_with(change: impl FnOnce(&mut Card)) -> Card {
        let mut c = card();
        change(&mut c);
        c
    }

    fn alert_with(change: impl FnOnce(&mut Alert)) -> Alert {
        let mut a = alert();
        change(&mut a);
        a
    }

    fn report_with(change: impl FnOnce(&mut Report)) -> Report {
        let mut r = report();
        change(&mut r);
        r
    }

    /// The problems of a result; none when it is `Ok`.
    fn problems(result: Result<(), Vec<Problem>>) -> Vec<Problem> {
        result.err().unwrap_or_default()
    }

    /// The field of every problem, in the order reported.
    fn fields(result: Result<(), Vec<Problem>>) -> Vec<String> {
        problems(result).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn translations_of_the_text_fields_in_other_languages_pass() {
        let mut e = event();
        e.languages = vec!["en".into()];
        e.translations = Translations::from([(
            "es".into(),
            BTreeMap::from([
                ("title".into(), "Taller de derechos".into()),
                ("description".into(), "Con intérpretes.".into()),
            ]),
        )]);
        assert_eq!(e.validate(), Ok(()));
        let mut r = resource();
        r.translations = Translations::from([(
            "so".into(),
            BTreeMap::from([("eligibility".into(), "Qof walba".into())]),
        )]);
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn translations_refuse_unknown_fields_bad_codes_the_own_language_and_long_text() {
        let mut e = event();
        e.languages = vec!["en".into()];
        e.translations = Translations::from([
            (
                "en".into(),
                BTreeMap::from([("title".into(), "Same".into())]),
            ),
            (
                "Spanish".into(),
                BTreeMap::from([("title".into(), "x".into())]),
            ),
            (
                "es".into(),
                BTreeMap::from([
                    ("organiser".into(), "Otro".into()),
                    ("title".into(), "t".repeat(MAX_TITLE + 1)),
                ]),
            ),
        ]);
        assert_eq!(
            fields(e.validate()),
            [
                "translations.Spanish",
                "translations.en",
                "translations.es.organiser",
                "translations.es.title",
            ]
        );
        let mut c = card();
        c.translations = Translations::from([(
            c.language.clone(),
            BTreeMap::from([("body".into(), "again".into())]),
        )]);
        assert_eq!(
            fields(c.validate()),
            [format!("translations.{}", c.language)]
        );
    }

    fn message_of(result: Result<(), Vec<Problem>>, field: &str) -> String {
        problems(result)
            .into_iter()
            .find(|p| p.field == field)
            .map(|p| p.message)
            .expect("a problem for the field")
    }

    // ---- every kind of record: the valid fixture passes -----------------------------------------

    #[test]
    fn valid_records_pass() {
        assert_eq!(event().validate(), Ok(()));
        assert_eq!(resource().validate(), Ok(()));
        assert_eq!(card().validate(), Ok(()));
        assert_eq!(alert().validate(), Ok(()));
        assert_eq!(report().validate(now()), Ok(()));
    }

    #[test]
    fn minimal_records_with_optional_fields_absent_pass() {
        let e = event_with(|e| {
            e.description.clear();
            e.organiser.clear();
            e.ends_at = None;
            e.place = None;
            e.languages.clear();
            e.links.clear();
        });
        assert_eq!(e.validate(), Ok(()));
        let r = resource_with(|r| {
            r.description.clear();
            r.phones.clear();
            r.website = None;
            r.place = None;
            r.service_area = None;
            r.opening_hours.clear();
            r.languages.clear();
            r.eligibility = None;
            r.cost = None;
        });
        assert_eq!(r.validate(), Ok(()));
        let a = alert_with(|a| {
            a.area = None;
            a.cross_streets = None;
        });
        assert_eq!(a.validate(), Ok(()));
        let rep = report_with(|r| r.description.clear());
        assert_eq!(rep.validate(now()), Ok(()));
    }

    #[test]
    fn record_validate_dispatches_to_the_record_kind() {
        let bad_event = event_with(|e| e.title.clear());
        let bad_resource = resource_with(|r| r.organisation.clear());
        let bad_card = card_with(|c| c.body.clear());
        let bad_alert = alert_with(|a| a.expires_at = a.verified_at);
        assert_eq!(fields(Record::Event(bad_event).validate()), ["title"]);
        assert_eq!(
            fields(Record::Resource(bad_resource).validate()),
            ["organisation"]
        );
        assert_eq!(fields(Record::Card(bad_card).validate()), ["body"]);
        assert_eq!(fields(Record::Alert(bad_alert).validate()), ["expires_at"]);
        assert_eq!(Record::Event(event()).validate(), Ok(()));
        assert_eq!(Record::Resource(resource()).validate(), Ok(()));
        assert_eq!(Record::Card(card()).validate(), Ok(()));
        assert_eq!(Record::Alert(alert()).validate(), Ok(()));
    }

    // ---- Event ----------------------------------------------------------------------------------

    #[test]
    fn event_title_is_required() {
        for blank in ["", " ", "  \n\t "] {
            let result = event_with(|e| e.title = blank.into()).validate();
            assert_eq!(fields(result.clone()), ["title"], "{blank:?}");
            assert_eq!(message_of(result, "title"), "is required");
        }
    }

    #[test]
    fn event_title_over_200_characters_is_rejected() {
        let result = event_with(|e| e.title = "x".repeat(MAX_TITLE + 1)).validate();
        assert_eq!(fields(result.clone()), ["title"]);
        assert_eq!(
            message_of(result, "title"),
            "is 201 characters long; at most 200 are allowed"
        );
        assert_eq!(
            event_with(|e| e.title = "x".repeat(MAX_TITLE)).validate(),
            Ok(())
        );
    }

    #[test]
    fn event_title_length_counts_characters_not_bytes() {
        // 200 two-byte characters are 400 bytes but only 200 characters.
        assert_eq!(
            event_with(|e| e.title = "é".repeat(MAX_TITLE)).validate(),
            Ok(())
        );
        assert_eq!(
            fields(event_with(|e| e.title = "é".repeat(MAX_TITLE + 1)).validate()),
            ["title"]
        );
    }

    #[test]
    fn event_description_over_5000_characters_is_rejected() {
        assert_eq!(
            event_with(|e| e.description = "d".repeat(MAX_TEXT)).validate(),
            Ok(())
        );
        assert_eq!(
            fields(event_with(|e| e.description = "d".repeat(MAX_TEXT + 1)).validate()),
            ["description"]
        );
    }

    #[test]
    fn event_must_end_after_it_starts() {
        let before = event_with(|e| e.ends_at = Some(e.starts_at - Duration::hours(1)));
        assert_eq!(fields(before.validate()), ["ends_at"]);
        let equal = event_with(|e| e.ends_at = Some(e.starts_at));
        assert_eq!(fields(equal.validate()), ["ends_at"]);
        let just_after = event_with(|e| e.ends_at = Some(e.starts_at + Duration::seconds(1)));
        assert_eq!(just_after.validate(), Ok(()));
        let open_ended = event_with(|e| e.ends_at = None);
        assert_eq!(open_ended.validate(), Ok(()));
    }

    #[test]
    fn event_time_zone_must_be_iana() {
        for zone in [
            "America/Chicago",
            "Africa/Mogadishu",
            "UTC",
            "Europe/Madrid",
        ] {
            assert_eq!(
                event_with(|e| e.time_zone = zone.into()).validate(),
                Ok(()),
                "{zone}"
            );
        }
        for zone in [
            "Mars/Base",
            "",
            "America/Chicago ",
            "+05:00",
            "Central Time",
        ] {
            let result = event_with(|e| e.time_zone = zone.into()).validate();
            assert_eq!(fields(result.clone()), ["time_zone"], "{zone:?}");
            assert!(message_of(result, "time_zone").contains(&format!("{zone:?}")));
        }
    }

    #[test]
    fn event_place_coordinates_must_be_in_range() {
        let lat = event_with(|e| e.place.as_mut().expect("place").lat = 91.0);
        assert_eq!(fields(lat.validate()), ["place.lat"]);
        let lon = event_with(|e| e.place.as_mut().expect("place").lon = -181.0);
        assert_eq!(fields(lon.validate()), ["place.lon"]);
        let both = event_with(|e| {
            let p = e.place.as_mut().expect("place");
            p.lat = -90.5;
            p.lon = 180.5;
        });
        assert_eq!(fields(both.validate()), ["place.lat", "place.lon"]);
    }

    #[test]
    fn event_place_coordinates_at_the_edges_are_accepted() {
        for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (-0.0, -0.0)] {
            let e = event_with(|e| {
                let p = e.place.as_mut().expect("place");
                p.lat = lat;
                p.lon = lon;
            });
            assert_eq!(e.validate(), Ok(()), "{lat}, {lon}");
        }
    }

    #[test]
    fn nan_and_infinite_coordinates_are_rejected() {
        for bad in [
            f64::NAN,
            -f64::NAN,
            f64::from_bits(0x7ff0_0000_0000_0001), // a signalling NaN
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let lat = event_with(|e| e.place.as_mut().expect("place").lat = bad);
            assert_eq!(fields(lat.validate()), ["place.lat"], "{bad}");
            let lon = resource_with(|r| r.place.as_mut().expect("place").lon = bad);
            assert_eq!(fields(lon.validate()), ["place.lon"], "{bad}");
        }
    }

    #[test]
    fn event_place_needs_a_name_and_clean_text() {
        let nameless = event_with(|e| e.place.as_mut().expect("place").name = " ".into());
        assert_eq!(fields(nameless.validate()), ["place.name"]);
        let noisy = event_with(|e| {
            let p = e.place.as_mut().expect("place");
            p.address = "1 Lake St\u{7}".into();
            p.accessibility = Some("ramp\u{0}".into());
        });
        assert_eq!(
            fields(noisy.validate()),
            ["place.address", "place.accessibility"]
        );
    }

    #[test]
    fn event_language_must_be_an_iso_639_code() {
        let result = event_with(|e| e.languages = vec!["English".into()]).validate();
        assert_eq!(fields(result.clone()), ["languages[0]"]);
        assert!(message_of(result, "languages[0]").contains("\"English\""));
        let mixed = event_with(|e| {
            e.languages = ["en", "English", "es", "EN", "so"]
                .map(String::from)
                .to_vec();
        });
        assert_eq!(fields(mixed.validate()), ["languages[1]", "languages[3]"]);
    }

    #[test]
    fn event_with_more_than_20_languages_is_rejected() {
        let twenty = event_with(|e| e.languages = vec!["en".into(); MAX_LIST]);
        assert_eq!(twenty.validate(), Ok(()));
        let too_many = event_with(|e| e.languages = vec!["en".into(); MAX_LIST + 1]);
        assert_eq!(fields(too_many.validate()), ["languages"]);
    }

    #[test]
    fn event_links_must_be_web_addresses() {
        let e = event_with(|e| {
            e.links = ["https://example.org/x", "ftp://x", "javascript:alert(1)"]
                .map(String::from)
                .to_vec();
        });
        assert_eq!(fields(e.validate()), ["links[1]", "links[2]"]);
        let ok = event_with(|e| e.links = vec!["https://example.org/x".into()]);
        assert_eq!(ok.validate(), Ok(()));
    }

    #[test]
    fn event_with_more_than_20_links_is_rejected() {
        let too_many = event_with(|e| e.links = vec!["https://example.org".into(); MAX_LIST + 1]);
        assert_eq!(fields(too_many.validate()), ["links"]);
    }

    #[test]
    fn event_reports_every_problem_in_field_order() {
        let e = event_with(|e| {
            e.title = String::new();
            e.description = "bell\u{7}".into();
            e.organiser = "o".repeat(MAX_TITLE + 1);
            e.ends_at = Some(e.starts_at - Duration::minutes(1));
            e.time_zone = "Mars/Base".into();
            e.place = Some(Place {
                name: String::new(),
                address: String::new(),
                lat: 91.0,
                lon: -181.0,
                accessibility: None,
            });
            e.languages = vec!["English".into(), "es".into(), "e".into()];
            e.links = vec!["https://example.org/x".into(), "ftp://x".into()];
        });
        let all = problems(e.validate());
        let fields: Vec<&str> = all.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "description",
                "organiser",
                "ends_at",
                "time_zone",
                "place.name",
                "place.lat",
                "place.lon",
                "languages[0]",
                "languages[2]",
                "links[1]",
            ]
        );
        assert!(all.iter().all(|p| !p.message.is_empty()));
    }

    #[test]
    fn text_can_be_both_too_long_and_full_of_control_characters() {
        let e = event_with(|e| e.title = "\u{1b}".repeat(MAX_TITLE + 1));
        let all = problems(e.validate());
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|p| p.field == "title"));
        assert!(all[0].message.contains("characters long"));
        assert_eq!(all[1].message, "contains control characters");
    }

    // ---- Resource -------------------------------------------------------------------------------

    #[test]
    fn resource_phone_numbers_in_common_formats_are_accepted() {
        for number in [
            "612-555-0100",
            "+1 (612) 555-0100",
            "612.555.0100",
            "911",
            "+44 20 7946 0958",
        ] {
            let r = resource_with(|r| r.phones[0].number = number.into());
            assert_eq!(r.validate(), Ok(()), "{number}");
        }
    }

    #[test]
    fn resource_phone_numbers_that_are_not_numbers_are_rejected() {
        let forty_digits = "1".repeat(40);
        for number in [
            "call us",
            "12",
            forty_digits.as_str(),
            "",
            "612-555-0100 ext 2",
            "+1 612 555 0100;",
        ] {
            let r = resource_with(|r| r.phones[0].number = number.into());
            assert_eq!(fields(r.validate()), ["phones[0].number"], "{number:?}");
        }
    }

    #[test]
    fn resource_phone_problems_name_the_phone_and_its_label() {
        let r = resource_with(|r| {
            r.phones.push(Phone {
                number: "call us".into(),
                label: Some("after\u{0}hours".into()),
            });
        });
        assert_eq!(
            fields(r.validate()),
            ["phones[1].number", "phones[1].label"]
        );
        let too_many = resource_with(|r| r.phones = vec![r.phones[0].clone(); MAX_LIST + 1]);
        assert_eq!(fields(too_many.validate()), ["phones"]);
    }

    #[test]
    fn resource_website_must_be_a_web_address() {
        for bad in [
            "ftp://example.org",
            "example.org",
            "javascript:alert(1)",
            "",
        ] {
            let r = resource_with(|r| r.website = Some(bad.into()));
            assert_eq!(fields(r.validate()), ["website"], "{bad:?}");
        }
        assert_eq!(resource_with(|r| r.website = None).validate(), Ok(()));
        let ok = resource_with(|r| r.website = Some("http://example.org/help?lang=es".into()));
        assert_eq!(ok.validate(), Ok(()));
    }

    #[test]
    fn resource_opening_weekday_must_be_1_to_7() {
        for weekday in [0, 8, 255] {
            let r = resource_with(|r| r.opening_hours[0].weekday = weekday);
            assert_eq!(
                fields(r.validate()),
                ["opening_hours[0].weekday"],
                "{weekday}"
            );
        }
        for weekday in 1..=7 {
            let r = resource_with(|r| r.opening_hours[0].weekday = weekday);
            assert_eq!(r.validate(), Ok(()), "{weekday}");
        }
    }

    #[test]
    fn resource_opening_times_must_be_hh_mm() {
        let short = resource_with(|r| r.opening_hours[0].opens = "9:00".into());
        assert_eq!(fields(short.validate()), ["opening_hours[0].opens"]);
        let late = resource_with(|r| r.opening_hours[0].closes = "25:00".into());
        assert_eq!(fields(late.validate()), ["opening_hours[0].closes"]);
        let both = resource_with(|r| {
            r.opening_hours[0].opens = "nine".into();
            r.opening_hours[0].closes = "17:60".into();
        });
        assert_eq!(
            fields(both.validate()),
            ["opening_hours[0].opens", "opening_hours[0].closes"]
        );
    }

    #[test]
    fn resource_may_close_at_midnight_as_24_00() {
        let r = resource_with(|r| r.opening_hours[0].closes = "24:00".into());
        assert_eq!(r.validate(), Ok(()));
        let overnight_start = resource_with(|r| {
            r.opening_hours[0].opens = "00:00".into();
            r.opening_hours[0].closes = "24:00".into();
        });
        assert_eq!(overnight_start.validate(), Ok(()));
    }

    #[test]
    fn resource_hours_may_run_past_midnight_but_not_close_as_they_open() {
        let overnight = resource_with(|r| {
            r.opening_hours.push(OpeningHours {
                weekday: 7,
                opens: "20:00".into(),
                closes: "04:00".into(),
            });
        });
        assert_eq!(overnight.validate(), Ok(()));
        let equal = resource_with(|r| r.opening_hours[0].closes = "09:00".into());
        let result = equal.validate();
        assert_eq!(fields(result.clone()), ["opening_hours[0].closes"]);
        assert!(message_of(result, "opening_hours[0].closes").starts_with("must differ"));
        let from_midnight = resource_with(|r| r.opening_hours[0].opens = "24:00".into());
        assert_eq!(fields(from_midnight.validate()), ["opening_hours[0].opens"]);
    }

    #[test]
    fn resource_with_more_than_28_opening_periods_is_rejected() {
        let four_weeks = resource_with(|r| r.opening_hours = vec![r.opening_hours[0].clone(); 28]);
        assert_eq!(four_weeks.validate(), Ok(()));
        let too_many = resource_with(|r| r.opening_hours = vec![r.opening_hours[0].clone(); 29]);
        assert_eq!(fields(too_many.validate()), ["opening_hours"]);
    }

    #[test]
    fn resource_needs_a_name_and_an_organisation() {
        let r = resource_with(|r| r.organisation = String::new());
        assert_eq!(fields(r.validate()), ["organisation"]);
        let r = resource_with(|r| {
            r.name = "  ".into();
            r.organisation = "\n".into();
        });
        assert_eq!(fields(r.validate()), ["name", "organisation"]);
    }

    #[test]
    fn resource_reports_every_problem_in_field_order() {
        let r = resource_with(|r| {
            r.name = String::new();
            r.organisation = String::new();
            r.phones[0].number = "12".into();
            r.website = Some("ftp://x".into());
            r.place.as_mut().expect("place").lat = f64::NAN;
            r.service_area = Some("s".repeat(MAX_TITLE + 1));
            r.opening_hours[0].weekday = 0;
            r.languages = vec!["Spanish".into()];
            r.eligibility = Some("\u{0}".into());
            r.cost = Some("c".repeat(MAX_TITLE + 1));
        });
        assert_eq!(
            fields(r.validate()),
            [
                "name",
                "organisation",
                "phones[0].number",
                "website",
                "place.lat",
                "service_area",
                "opening_hours[0].weekday",
                "languages[0]",
                "eligibility",
                "cost",
            ]
        );
    }

    // ---- Card -----------------------------------------------------------------------------------

    #[test]
    fn card_language_must_be_an_iso_639_code() {
        for bad in ["Spanish", "", "ES", "es-MX"] {
            let c = card_with(|c| c.language = bad.into());
            assert_eq!(fields(c.validate()), ["language"], "{bad:?}");
        }
    }

    #[test]
    fn card_needs_a_body_title_and_source() {
        assert_eq!(fields(card_with(|c| c.body.clear()).validate()), ["body"]);
        let c = card_with(|c| {
            c.title.clear();
            c.body = " \n ".into();
            c.source_organisation.clear();
        });
        assert_eq!(
            fields(c.validate()),
            ["title", "body", "source_organisation"]
        );
    }

    #[test]
    fn card_body_may_be_long_but_not_over_20000_characters() {
        let c = card_with(|c| c.body = "b".repeat(MAX_CARD_BODY));
        assert_eq!(c.validate(), Ok(()));
        let c = card_with(|c| c.body = "b".repeat(MAX_CARD_BODY + 1));
        assert_eq!(fields(c.validate()), ["body"]);
    }

    // ---- Alert ----------------------------------------------------------------------------------

    #[test]
    fn alert_must_expire_after_it_was_verified() {
        let equal = alert_with(|a| a.expires_at = a.verified_at);
        assert_eq!(fields(equal.validate()), ["expires_at"]);
        let before = alert_with(|a| a.expires_at = a.verified_at - Duration::seconds(1));
        assert_eq!(fields(before.validate()), ["expires_at"]);
    }

    #[test]
    fn alert_area_must_be_a_coarse_geohash() {
        for ok in ["9zvxvf2", "9zvxvf", "9"] {
            let a = alert_with(|a| a.area = Some(ok.into()));
            assert_eq!(a.validate(), Ok(()), "{ok}");
        }
        // Too fine (8 characters, about 20 m), not in the alphabet, uppercase, empty.
        for bad in ["9zvxvf2k", "9zvxvfa", "9ZVXVF2", "", "9zv xvf", "ü"] {
            let a = alert_with(|a| a.area = Some(bad.into()));
            assert_eq!(fields(a.validate()), ["area"], "{bad:?}");
        }
    }

    #[test]
    fn alert_needs_a_summary() {
        let a = alert_with(|a| a.summary.clear());
        assert_eq!(fields(a.validate()), ["summary"]);
        let a = alert_with(|a| a.summary = "s".repeat(MAX_REPORT_TEXT + 1));
        assert_eq!(fields(a.validate()), ["summary"]);
    }

    // ---- Report ---------------------------------------------------------------------------------

    #[test]
    fn report_observed_more_than_10_minutes_ahead_is_rejected() {
        let ahead = report_with(|r| r.observed_at = now() + Duration::minutes(11));
        let result = ahead.validate(now());
        assert_eq!(fields(result.clone()), ["observed_at"]);
        assert_eq!(message_of(result, "observed_at"), "lies in the future");
        // Clock skew of up to 10 minutes is tolerated.
        for skew in [
            Duration::minutes(10),
            Duration::minutes(9),
            Duration::zero(),
        ] {
            let r = report_with(|r| r.observed_at = now() + skew);
            assert_eq!(r.validate(now()), Ok(()), "{skew}");
        }
        let just_over = report_with(|r| {
            r.observed_at = now() + Duration::minutes(10) + Duration::nanoseconds(1);
        });
        assert_eq!(fields(just_over.validate(now())), ["observed_at"]);
    }

    #[test]
    fn report_older_than_7_days_is_rejected() {
        let old = report_with(|r| r.observed_at = now() - Duration::days(8));
        let result = old.validate(now());
        assert_eq!(fields(result.clone()), ["observed_at"]);
        assert_eq!(message_of(result, "observed_at"), "is more than 7 days old");
        let six_days = report_with(|r| r.observed_at = now() - Duration::days(6));
        assert_eq!(six_days.validate(now()), Ok(()));
        let seven_days = report_with(|r| r.observed_at = now() - Duration::days(7));
        assert_eq!(seven_days.validate(now()), Ok(()));
        let just_over = report_with(|r| {
            r.observed_at = now() - Duration::days(7) - Duration::nanoseconds(1);
        });
        assert_eq!(fields(just_over.validate(now())), ["observed_at"]);
    }

    #[test]
    fn report_validation_does_not_overflow_at_the_ends_of_time() {
        let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        let at_max = report_with(|r| r.observed_at = max);
        assert_eq!(at_max.validate(max), Ok(()));
        let at_min = report_with(|r| r.observed_at = min);
        assert_eq!(at_min.validate(min), Ok(()));
        assert_eq!(fields(at_max.validate(min)), ["observed_at"]);
        assert_eq!(fields(at_min.validate(max)), ["observed_at"]);
    }

    #[test]
    fn report_must_say_where() {
        let nowhere = report_with(|r| r.area = None);
        let result = nowhere.validate(now());
        assert_eq!(fields(result.clone()), ["area"]);
        assert_eq!(
            message_of(result, "area"),
            "say where: an area or cross streets"
        );
        let blank_streets = report_with(|r| {
            r.area = None;
            r.cross_streets = Some(" \t".into());
        });
        assert_eq!(fields(blank_streets.validate(now())), ["area"]);
    }

    #[test]
    fn invisible_cross_streets_do_not_say_where() {
        let hidden = report_with(|r| {
            r.area = None;
            r.cross_streets = Some(" \u{200b} ".into());
        });
        let fields = fields(hidden.validate(now()));
        assert!(fields.contains(&"area".to_owned()), "{fields:?}");
    }

    #[test]
    fn hidden_formatting_is_refused_with_its_field() {
        let spoofed = event_with(|e| e.title = "Rally at \u{202e}gro.elpmaxe".into());
        let result = spoofed.validate();
        assert_eq!(fields(result.clone()), ["title"]);
        assert!(message_of(result, "title").contains("hidden formatting"));
        let zero_width = report_with(|r| r.description = "ICE\u{200b} van".into());
        assert_eq!(fields(zero_width.validate(now())), ["description"]);
        let title_of_nothing = event_with(|e| e.title = "\u{200b}\u{2060}".into());
        assert!(fields(title_of_nothing.validate()).contains(&"title".to_owned()));
        let emoji = event_with(|e| e.title = "Family day 👨\u{200d}👩\u{200d}👧".into());
        assert_eq!(emoji.validate(), Ok(()));
    }

    #[test]
    fn reports_refuse_precise_coordinates_in_their_text() {
        let precise = report_with(|r| {
            r.description = "van parked at 44.9630512,-93.2650871".into();
            r.cross_streets = Some("44.96305 -93.26508".into());
        });
        assert_eq!(
            fields(precise.validate(now())),
            ["description", "cross_streets"]
        );
        let coarse = report_with(|r| r.description = "near 44.963, -93.265".into());
        assert_eq!(coarse.validate(now()), Ok(()));
    }

    #[test]
    fn report_with_cross_streets_only_is_accepted() {
        let r = report_with(|r| {
            r.area = None;
            r.cross_streets = Some("Lake St & 14th Ave".into());
        });
        assert_eq!(r.validate(now()), Ok(()));
        let both = report_with(|r| r.cross_streets = Some("Lake St & 14th Ave".into()));
        assert_eq!(both.validate(now()), Ok(()));
    }

    #[test]
    fn report_area_finer_than_7_characters_is_rejected_once() {
        let r = report_with(|r| r.area = Some("9zvxvf2k".into()));
        let result = r.validate(now());
        assert_eq!(fields(result.clone()), ["area"]);
        assert!(message_of(result, "area").contains("1 to 7 characters"));
        // An invalid area is one problem, not also "say where".
        let empty = report_with(|r| r.area = Some(String::new()));
        assert_eq!(fields(empty.validate(now())), ["area"]);
    }

    #[test]
    fn report_description_over_1000_characters_is_rejected() {
        let ok = report_with(|r| r.description = "d".repeat(MAX_REPORT_TEXT));
        assert_eq!(ok.validate(now()), Ok(()));
        let long = report_with(|r| r.description = "d".repeat(MAX_REPORT_TEXT + 1));
        assert_eq!(fields(long.validate(now())), ["description"]);
    }

    #[test]
    fn report_description_rejects_control_characters_but_allows_newlines_and_tabs() {
        let ok = report_with(|r| r.description = "line one\nline two\n\n\tindented".into());
        assert_eq!(ok.validate(now()), Ok(()));
        for control in [
            "\u{0}",
            "\u{7}",
            "\u{8}",
            "\u{1b}[31m",
            "\u{7f}",
            "\u{85}",
            "\u{9b}",
        ] {
            let r = report_with(|r| r.description = format!("vans{control}seen"));
            let result = r.validate(now());
            assert_eq!(fields(result.clone()), ["description"], "{control:?}");
            assert_eq!(
                message_of(result, "description"),
                "contains control characters"
            );
        }
    }

    #[test]
    fn report_cross_streets_and_language_are_checked() {
        let r = report_with(|r| {
            r.cross_streets = Some("Lake St\u{0}".into());
            r.language = "English".into();
        });
        assert_eq!(fields(r.validate(now())), ["cross_streets", "language"]);
    }

    #[test]
    fn report_reports_every_problem_in_field_order() {
        let r = report_with(|r| {
            r.description = "\u{7}".into();
            r.area = Some("9zvxvf2k".into());
            r.language = "?".into();
            r.observed_at = now() + Duration::hours(1);
        });
        assert_eq!(
            fields(r.validate(now())),
            ["description", "area", "language", "observed_at"]
        );
    }

    // ---- helpers --------------------------------------------------------------------------------

    #[test]
    fn language_codes_are_two_or_three_lowercase_ascii_letters() {
        for ok in ["en", "es", "so", "hmn", "yue", "kar"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in [
            "", "e", "engl", "English", "EN", "En", "en-US", "es_MX", "e1", " en", "en ", "ñe",
            "ру",
        ] {
            assert!(!is_language_code(bad), "{bad:?}");
        }
    }

    #[test]
    fn web_urls_need_http_or_https_and_a_host() {
        for ok in [
            "https://example.org",
            "https://example.org/x",
            "http://example.org/path?q=1#frag",
            "https://example.org:8443/a",
            "http://localhost:8080/x",
            "http://localhost",
            "https://sub.example.org?x=1",
        ] {
            assert!(is_web_url(ok), "{ok}");
        }
        let too_long = format!("https://example.org/{}", "a".repeat(2_000));
        for bad in [
            "",
            "https://",
            "http://",
            "https:///x",
            "https://example",
            "https://?q=a.b",
            "ftp://x",
            "ftp://example.org",
            "javascript:alert(1)",
            "javascript://example.org/%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "example.org",
            "//example.org",
            " https://example.org",
            "https://exa mple.org",
            "https://example.org/\n",
            "https://example.org/\u{0}",
            "https://example.org/\u{a0}",
            too_long.as_str(),
        ] {
            assert!(!is_web_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn web_url_may_be_up_to_2000_bytes() {
        let prefix = "https://example.org/";
        let exact = format!("{prefix}{}", "a".repeat(2_000 - prefix.len()));
        assert_eq!(exact.len(), 2_000);
        assert!(is_web_url(&exact));
        assert!(!is_web_url(&format!("{exact}a")));
    }

    #[test]
    fn phone_numbers_have_3_to_20_digits_and_only_punctuation() {
        for ok in [
            "911",
            "612-555-0100",
            "+1 (612) 555-0100",
            "612.555.0100",
            "12345678901234567890",
        ] {
            assert!(is_phone_number(ok), "{ok}");
        }
        for bad in [
            "",
            "12",
            "+1-2",
            "123456789012345678901",
            "call us",
            "612-555-0100 x2",
            "612/555/0100",
            "６１２５５５０１００", // full-width digits
            "٦١٢٥٥٥٠١٠٠",           // Arabic-Indic digits
            "612\u{0}555\u{0}0100",
            // 20 digits, but longer than 32 bytes with its spacing.
            "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0",
        ] {
            assert!(!is_phone_number(bad), "{bad:?}");
        }
    }

    #[test]
    fn time_zones_are_iana_names() {
        for ok in [
            "America/Chicago",
            "Africa/Mogadishu",
            "America/Argentina/Buenos_Aires",
            "UTC",
            "Etc/GMT+5",
        ] {
            assert!(is_time_zone(ok), "{ok}");
        }
        for bad in [
            "",
            "Mars/Base",
            "America/Chicago ",
            " UTC",
            "America/",
            "+05:00",
            "Chicago",
            "America/Chicago\u{0}",
        ] {
            assert!(!is_time_zone(bad), "{bad:?}");
        }
    }

    #[test]
    fn clock_times_parse_to_minutes_since_midnight() {
        assert_eq!(time::clock_minutes("00:00"), Some(0));
        assert_eq!(time::clock_minutes("09:30"), Some(570));
        assert_eq!(time::clock_minutes("23:59"), Some(1_439));
        assert_eq!(time::clock_minutes("24:00"), Some(1_440));
        for bad in [
            "",
            "9:00",
            "09:0",
            "0900",
            "24:01",
            "25:00",
            "23:60",
            "-1:00",
            "+9:00",
            "09:00 ",
            " 09:00",
            "09:00:00",
            "０９:００",
            "9:000",
            "aa:bb",
            ":",
            "24:00:00",
        ] {
            assert_eq!(time::clock_minutes(bad), None, "{bad:?}");
        }
    }

    // ---- properties -----------------------------------------------------------------------------

    /// Any text: short arbitrary strings, long ones, runs of one character and ASCII with control
    /// characters.
    fn arb_text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => any::<String>(),
            1 => vec(any::<char>(), 0..4_000).prop_map(String::from_iter),
            1 => (any::<char>(), 0..3_000usize)
                .prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
            2 => vec(prop::char::range('\0', '\u{a0}'), 0..60).prop_map(String::from_iter),
            1 => Just(String::new()),
        ]
    }

    fn arb_coordinate() -> impl Strategy<Value = f64> {
        prop_oneof![
            prop::num::f64::ANY,
            -200.0..200.0f64,
            prop::sample::select(vec![
                f64::NAN,
                -f64::NAN,
                f64::from_bits(0x7ff0_0000_0000_0001),
                f64::INFINITY,
                f64::NEG_INFINITY,
                90.0,
                -90.0,
                180.0,
                -180.0,
                f64::MAX,
                f64::MIN_POSITIVE,
            ]),
        ]
    }

    /// Any instant chrono can represent, with a bias to its ends and to the present.
    fn arb_time() -> impl Strategy<Value = DateTime<Utc>> {
        let min = DateTime::<Utc>::MIN_UTC.timestamp();
        let max = DateTime::<Utc>::MAX_UTC.timestamp();
        prop_oneof![
            (min..=max, 0..1_000_000_000u32).prop_map(|(secs, nanos)| {
                DateTime::from_timestamp(secs, nanos).expect("within chrono's range")
            }),
            (-30 * 86_400..30 * 86_400i64).prop_map(|secs| now() + Duration::seconds(secs)),
            Just(DateTime::<Utc>::MIN_UTC),
            Just(DateTime::<Utc>::MAX_UTC),
        ]
    }

    fn arb_language() -> impl Strategy<Value = String> {
        prop_oneof![arb_text(), "[a-z]{2,3}", "[A-Za-z_-]{0,6}"]
    }

    fn arb_url() -> impl Strategy<Value = String> {
        prop_oneof![
            arb_text(),
            "(https?|ftp|javascript)://[a-z.:0-9]{0,20}([/?#].{0,30})?"
        ]
    }

    fn arb_zone() -> impl Strategy<Value = String> {
        prop_oneof![
            arb_text(),
            Just("America/Chicago".to_owned()),
            Just("Africa/Mogadishu".to_owned()),
            "[A-Za-z]{1,10}/[A-Za-z_]{1,12}",
        ]
    }

    fn arb_clock() -> impl Strategy<Value = String> {
        prop_oneof![
            arb_text(),
            "[0-9]{1,3}:[0-9]{1,3}",
            "[0-2][0-9]:[0-5][0-9]",
            Just("24:00".to_owned()),
        ]
    }

    fn arb_area() -> impl Strategy<Value = Option<String>> {
        option::of(prop_oneof![arb_text(), "[0-9a-zA-Z]{0,10}"])
    }

    fn arb_place() -> impl Strategy<Value = Place> {
        (
            arb_text(),
            arb_text(),
            arb_coordinate(),
            arb_coordinate(),
            option::of(arb_text()),
        )
            .prop_map(|(name, address, lat, lon, accessibility)| Place {
                name,
                address,
                lat,
                lon,
                accessibility,
            })
    }

    fn arb_event() -> impl Strategy<Value = Event> {
        (
            (
                any::<u128>(),
                any::<u64>(),
                arb_text(),
                arb_text(),
                arb_text(),
            ),
            (
                arb_time(),
                option::of(arb_time()),
                arb_zone(),
                option::of(arb_place()),
            ),
            (vec(arb_language(), 0..25), vec(arb_url(), 0..25)),
        )
            .prop_map(
                |(
                    (id, version, title, description, organiser),
                    (starts_at, ends_at, time_zone, place),
                    (languages, links),
                )| Event {
                    translations: Default::default(),
                    id: Uuid::from_u128(id),
                    version,
                    title,
                    description,
                    kind: EventKind::Other,
                    starts_at,
                    ends_at,
                    time_zone,
                    place,
                    organiser,
                    languages,
                    links,
                    status: EventStatus::Scheduled,
                },
            )
    }

    fn arb_phone() -> impl Strategy<Value = Phone> {
        (
            prop_oneof![arb_text(), "[0-9 +().-]{0,40}"],
            option::of(arb_text()),
        )
            .prop_map(|(number, label)| Phone { number, label })
    }

    fn arb_hours() -> impl Strategy<Value = OpeningHours> {
        (any::<u8>(), arb_clock(), arb_clock()).prop_map(|(weekday, opens, closes)| OpeningHours {
            weekday,
            opens,
            closes,
        })
    }

    fn arb_resource() -> impl Strategy<Value = Resource> {
        (
            (arb_text(), arb_text(), arb_text()),
            (
                vec(arb_phone(), 0..25),
                option::of(arb_url()),
                option::of(arb_place()),
            ),
            (
                option::of(arb_text()),
                vec(arb_hours(), 0..32),
                vec(arb_language(), 0..25),
            ),
            (option::of(arb_text()), option::of(arb_text())),
        )
            .prop_map(
                |(
                    (name, description, organisation),
                    (phones, website, place),
                    (service_area, opening_hours, languages),
                    (eligibility, cost),
                )| Resource {
                    translations: Default::default(),
                    id: Uuid::nil(),
                    version: 0,
                    name,
                    category: ResourceCategory::Food,
                    description,
                    organisation,
                    phones,
                    website,
                    place,
                    service_area,
                    opening_hours,
                    languages,
                    eligibility,
                    cost,
                    last_verified: day(2026, 1, 1),
                },
            )
    }

    fn arb_report() -> impl Strategy<Value = Report> {
        (
            arb_text(),
            arb_time(),
            arb_area(),
            option::of(arb_text()),
            arb_language(),
        )
            .prop_map(
                |(description, observed_at, area, cross_streets, language)| Report {
                    id: Uuid::nil(),
                    kind: ReportKind::HelpNeeded,
                    description,
                    observed_at,
                    area,
                    cross_streets,
                    language,
                    stamp: Stamp::v2("", 0, vec![0; crate::pow::PARTS]),
                },
            )
    }

    /// An `Err` lists at least one problem, and each names a field and says what is wrong.
    fn check_well_formed(result: &Result<(), Vec<Problem>>) -> Result<(), TestCaseError> {
        if let Err(problems) = result {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(!p.field.is_empty(), "{:?}", p);
                prop_assert!(!p.message.is_empty(), "{:?}", p);
            }
        }
        Ok(())
    }

    fn has_control(s: &str) -> bool {
        s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
    }

    proptest! {
        #[test]
        fn event_validation_never_panics(e in arb_event()) {
            let result = e.validate();
            check_well_formed(&result)?;
            prop_assert_eq!(&Record::Event(e.clone()).validate(), &result);
            let fields = fields(result);
            if let Some(place) = &e.place {
                // NaN and infinities included: only a finite in-range value passes.
                let lat_ok = place.lat.is_finite() && place.lat.abs() <= 90.0;
                let lon_ok = place.lon.is_finite() && place.lon.abs() <= 180.0;
                prop_assert_eq!(fields.contains(&"place.lat".to_owned()), !lat_ok);
                prop_assert_eq!(fields.contains(&"place.lon".to_owned()), !lon_ok);
            }
        }

        #[test]
        fn resource_validation_never_panics(r in arb_resource()) {
            let result = r.validate();
            check_well_formed(&result)?;
            prop_assert_eq!(&Record::Resource(r).validate(), &result);
        }

        #[test]
        fn report_validation_never_panics(r in arb_report(), now in arb_time()) {
            check_well_formed(&r.validate(now))?;
        }

        #[test]
        fn card_and_alert_validation_never_panic(
            language in arb_language(), title in arb_text(), body in arb_text(),
            summary in arb_text(), area in arb_area(), cross_streets in option::of(arb_text()),
            verified_at in arb_time(), expires_at in arb_time(),
        ) {
            let c = card_with(|c| {
                c.language = language;
                c.title = title;
                c.body = body;
            });
            check_well_formed(&c.validate())?;
            let a = alert_with(|a| {
                a.summary = summary;
                a.area = area;
                a.cross_streets = cross_streets;
                a.verified_at = verified_at;
                a.expires_at = expires_at;
            });
            let result = a.validate();
            check_well_formed(&result)?;
            prop_assert_eq!(
                fields(result).contains(&"expires_at".to_owned()),
                expires_at <= verified_at
            );
        }

        #[test]
        fn title_is_rejected_exactly_when_blank_too_long_or_with_control_or_hidden_characters(
            title in arb_text()
        ) {
            let e = event_with(|e| e.title = title.clone());
            let blank_or_long = text::is_blank(&title) || title.chars().count() > MAX_TITLE;
            let hidden = title.chars().any(text::is_hidden_formatting);
            let expected = usize::from(blank_or_long)
                + usize::from(has_control(&title))
                + usize::from(hidden);
            let fields = fields(e.validate());
            prop_assert!(fields.iter().all(|f| f == "title"), "{:?}", fields);
            prop_assert_eq!(fields.len(), expected);
        }

        #[test]
        fn report_time_window_is_ten_minutes_ahead_to_seven_days_back(
            offset in -8 * 86_400..3_600i64
        ) {
            let r = report_with(|r| r.observed_at = now() + Duration::seconds(offset));
            let in_window = (-7 * 86_400..=600).contains(&offset);
            let result = r.validate(now());
            if in_window {
                prop_assert_eq!(result, Ok(()));
            } else {
                prop_assert_eq!(fields(result), ["observed_at"]);
            }
        }

        #[test]
        fn report_area_is_accepted_exactly_when_a_coarse_geohash(area in "[0-9a-zA-Z]{0,10}") {
            let r = report_with(|r| r.area = Some(area.clone()));
            let coarse = (1..=7).contains(&area.len())
                && area.bytes().all(|b| geo::ALPHABET.contains(&b));
            let result = r.validate(now());
            if coarse {
                prop_assert_eq!(result, Ok(()));
            } else {
                prop_assert_eq!(fields(result), ["area"]);
            }
        }

        #[test]
        fn two_digit_clock_times_parse_exactly_when_in_the_day(h in 0..100u32, m in 0..100u32) {
            let text = format!("{h:02}:{m:02}");
            let expected = if h < 24 && m < 60 {
                Some(h * 60 + m)
            } else if (h, m) == (24, 0) {
                Some(1_440)
            } else {
                None
            };
            prop_assert_eq!(time::clock_minutes(&text), expected);
        }

        #[test]
        fn digit_strings_are_phone_numbers_exactly_with_3_to_20_digits(n in 0..40usize) {
            let number = "5".repeat(n);
            prop_assert_eq!(is_phone_number(&number), (3..=20).contains(&n));
        }

        #[test]
        fn language_codes_match_two_or_three_lowercase_letters(code in "[a-zA-Z0-9-]{0,5}") {
            let expected = (2..=3).contains(&code.len())
                && code.chars().all(|c| c.is_ascii_lowercase());
            prop_assert_eq!(is_language_code(&code), expected);
        }

        #[test]
        fn web_url_check_never_panics(url in arb_url()) {
            let ok = is_web_url(&url);
            if ok {
                prop_assert!(url.starts_with("https://") || url.starts_with("http://"));
                prop_assert!(!url.chars().any(char::is_whitespace));
            }
        }
    }
}
