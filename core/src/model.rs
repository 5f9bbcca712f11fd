//! The records people browse: events and mutual-aid resources.
//!
//! Field names are the wire format (JSON, snake_case) shared by the server, the change feed and the
//! client's IndexedDB cache. Resources are shaped after Open Referral HSDS 3.0, flattened to what a
//! phone needs.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::time;

/// A rally, vigil, training, court watch or meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: Uuid,
    pub version: u64,
    pub title: String,
    pub description: String,
    pub kind: EventKind,
    #[serde(deserialize_with = "time::utc")]
    pub starts_at: DateTime<Utc>,
    #[serde(default, deserialize_with = "time::utc_option")]
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA time zone the event is held in, for showing local times.
    pub time_zone: String,
    pub place: Option<Place>,
    pub organiser: String,
    /// ISO 639 codes of the languages spoken or interpreted at the event.
    pub languages: Vec<String>,
    pub links: Vec<String>,
    pub status: EventStatus,
    /// The title and description in other languages ([`Translations`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: Translations,
}

/// A listing's own words in other languages: by ISO 639 code, the listing's text fields by name
/// ("title", "description"...), each written by an organiser, never machine translated. A field a
/// language lacks shows the listing's own. The listing's own text is in its first language
/// ([`Event::text_language`]); HSDS has no place for the others, so exports carry only it.
pub type Translations = BTreeMap<String, BTreeMap<String, String>>;

/// The text of `field` for someone reading `lang`: its translation if there is one, else `own`,
/// with the language it is in (`own_lang` for the listing's own).
pub fn text_in<'a>(
    translations: &'a Translations,
    lang: &'a str,
    field: &str,
    own: &'a str,
    own_lang: &'a str,
) -> (&'a str, &'a str) {
    match translations.get(lang).and_then(|t| t.get(field)) {
        Some(text) if !text.trim().is_empty() => (text, lang),
        _ => (own, own_lang),
    }
}

impl Event {
    /// The fields a translation may give.
    pub const TRANSLATED: [&str; 2] = ["title", "description"];

    /// The language its own text is in: the first it lists, else English.
    pub fn text_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Rally,
    Vigil,
    Training,
    CourtWatch,
    Meeting,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Scheduled,
    Cancelled,
    Postponed,
}

impl EventStatus {
    pub const ALL: [EventStatus; 3] = [Self::Scheduled, Self::Cancelled, Self::Postponed];

    /// Its name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Cancelled => "cancelled",
            Self::Postponed => "postponed",
        }
    }
}

/// Where something happens. A place is public by definition: listings that must not reveal a point
/// (safe houses) carry a service area instead and no place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub accessibility: Option<String>,
}

/// A mutual-aid resource: legal aid, a hotline, food, rides, a know-your-rights training...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub id: Uuid,
    pub version: u64,
    pub name: String,
    pub category: ResourceCategory,
    pub description: String,
    pub organisation: String,
    pub phones: Vec<Phone>,
    pub website: Option<String>,
    pub place: Option<Place>,
    /// Free-text area served when no place is published ("North side, by appointment").
    pub service_area: Option<String>,
    pub opening_hours: Vec<OpeningHours>,
    pub languages: Vec<String>,
    pub eligibility: Option<String>,
    pub cost: Option<String>,
    #[serde(deserialize_with = "time::date")]
    pub last_verified: NaiveDate,
    /// The name, description and eligibility in other languages ([`Translations`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: Translations,
}

impl Resource {
    /// The fields a translation may give.
    pub const TRANSLATED: [&str; 3] = ["name", "description", "eligibility"];

    /// The language its own text is in: the first it lists, else English.
    pub fn text_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceCategory {
    LegalAid,
    Hotline,
    Food,
    Rides,
    Housing,
    Medical,
    Childcare,
    Schools,
    TenantUnion,
    BailFund,
    KnowYourRights,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phone {
    pub number: String,
    pub label: Option<String>,
}

/// One weekly opening period, in the resource's local time: weekday 1 (Monday) to 7 (Sunday),
/// times as "HH:MM".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningHours {
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        Self::Rally,
        Self::Vigil,
        Self::Training,
        Self::CourtWatch,
        Self::Meeting,
        Self::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Rally => "Rally",
            Self::Vigil => "Vigil",
            Self::Training => "Training",
            Self::CourtWatch => "Court watch",
            Self::Meeting => "Meeting",
            Self::Other => "Event",
        }
    }
}

impl ResourceCategory {
    pub const ALL: [ResourceCategory; 11] = [
        Self::LegalAid,
        Self::Hotline,
        Self::Food,
        Self::Rides,
        Self::Housing,
        Self::Medical,
        Self::Childcare,
        Self::Schools,
        Self::TenantUnion,
        Self::BailFund,
        Self::KnowYourRights,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::LegalAid => "Legal aid",
            Self::Hotline => "Hotline",
            Self::Food => "Food",
            Self::Rides => "Rides",
            Self::Housing => "Housing",
            Self::Medical => "Medical",
            Self::Childcare => "Childcare",
            Self::Schools => "Schools",
            Self::TenantUnion => "Tenant union",
            Self::BailFund => "Bail fund",
            Self::KnowYourRights => "Know your rights",
        }
    }
}

/// A know-your-rights card, shown full screen at the door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: Uuid,
    pub version: u64,
    /// ISO 639 code of the card's language.
    pub language: String,
    pub title: String,
    pub body: String,
    pub source_organisation: String,
    #[serde(deserialize_with = "time::date")]
    pub reviewed: NaiveDate,
    /// The title and body in other languages ([`Translations`]), checked by the same reviewer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: Translations,
}

impl Card {
    /// The fields a translation may give.
    pub const TRANSLATED: [&str; 2] = ["title", "body"];
}

/// What a neighbour saw or needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    EnforcementSeen,
    Detained,
    Checkpoint,
    HelpNeeded,
    HelpOffered,
    Correction,
}

impl ReportKind {
    pub const ALL: [ReportKind; 6] = [
        Self::EnforcementSeen,
        Self::Detained,
        Self::Checkpoint,
        Self::HelpNeeded,
        Self::HelpOffered,
        Self::Correction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EnforcementSeen => "enforcement_seen",
            Self::Detained => "detained",
            Self::Checkpoint => "checkpoint",
            Self::HelpNeeded => "help_needed",
            Self::HelpOffered => "help_offered",
            Self::Correction => "correction",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A report as the phone sends it. It carries no position finer than a geohash of at most 7
/// characters (computed on the phone) and nothing about the reporter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Generated on the phone; also the idempotency key of its delivery.
    pub id: Uuid,
    pub kind: ReportKind,
    pub description: String,
    #[serde(deserialize_with = "time::utc")]
    pub observed_at: DateTime<Utc>,
    /// Geohash of at most 7 characters (about 150 m).
    pub area: Option<String>,
    /// Typed by hand instead of (or as well as) an area: "Lake St & 14th Ave".
    pub cross_streets: Option<String>,
    pub language: String,
    pub stamp: crate::pow::Stamp,
}

/// Where a report stands on the server; only organisers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Received,
    Verified,
    Rejected,
    Resolved,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 4] = [
        Self::Received,
        Self::Verified,
        Self::Rejected,
        Self::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What the public sees of a verified report. It expires on its own, and organisers can update it
/// (a new version) or take it back ([`Withdrawal`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: Uuid,
    pub version: u64,
    pub kind: ReportKind,
    /// Written by the organiser who verified the report, not the reporter's words; empty once
    /// withdrawn.
    pub summary: String,
    /// The summary in other languages, by ISO 639 code (the organiser's own, never machine
    /// translations); phones show their language's, else the summary.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
    pub area: Option<String>,
    pub cross_streets: Option<String>,
    #[serde(deserialize_with = "time::utc")]
    pub verified_at: DateTime<Utc>,
    /// When it leaves the feed; a withdrawn alert leaves an hour after it was withdrawn.
    #[serde(deserialize_with = "time::utc")]
    pub expires_at: DateTime<Utc>,
    /// Set when an organiser took the alert back: its text is gone, and phones show "All clear"
    /// in its place until it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Withdrawal>,
}

impl Alert {
    /// How long phones show "All clear" in place of a withdrawn alert.
    pub const ALL_CLEAR: chrono::Duration = chrono::Duration::hours(1);

    /// This alert taken back at `at`: its text goes, its place and kind stay (so phones can say
    /// what is clear), and it leaves the feed [`Self::ALL_CLEAR`] later.
    pub fn withdrawn(&self, at: DateTime<Utc>, reason: WithdrawalReason) -> Alert {
        Alert {
            summary: String::new(),
            translations: BTreeMap::new(),
            expires_at: at + Self::ALL_CLEAR,
            withdrawn: Some(Withdrawal { at, reason }),
            ..self.clone()
        }
    }

    /// The summary to show a person reading `lang`.
    pub fn summary_in(&self, lang: &str) -> &str {
        self.translations.get(lang).unwrap_or(&self.summary)
    }
}

/// An alert taken back, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    #[serde(deserialize_with = "time::utc")]
    pub at: DateTime<Utc>,
    pub reason: WithdrawalReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalReason {
    /// It was not what it seemed.
    FalseAlarm,
    /// It happened and it has ended (also: its report was resolved).
    Over,
}

/// Events still worth showing at `now`, soonest first: an event drops off once it has ended (or,
/// without an end, once it has started).
pub fn upcoming(events: &[Event], now: DateTime<Utc>) -> Vec<&Event> {
    let mut list: Vec<&Event> = events
        .iter()
        .filter(|e| e.ends_at.unwrap_or(e.starts_at) >= now)
        .collect();
    crate::order::sort_by(&mut list, |a, b| {
        (a.starts_at, a.id).cmp(&(b.starts_at, b.id))
    });
    list
}

/// The alerts still up at `now` and not withdrawn, most recently verified first. An alert leaves
/// at its `expires_at`, without any change from the server.
pub fn active_alerts(alerts: &[Alert], now: DateTime<Utc>) -> Vec<&Alert> {
    shown_alerts(alerts, now)
        .into_iter()
        .filter(|a| a.withdrawn.is_none())
        .collect()
}

/// What the Alerts screen shows at `now`: the active alerts and, for an hour after each was
/// withdrawn, its "All clear", most recently verified first.
pub fn shown_alerts(alerts: &[Alert], now: DateTime<Utc>) -> Vec<&Alert> {
    let mut list: Vec<&Alert> = alerts.iter().filter(|a| a.expires_at > now).collect();
    crate::order::sort_by(&mut list, |a, b| {
        (b.verified_at, b.id).cmp(&(a.verified_at, a.id))
    });
    list
}

/// What kind of record a change concerns; also the client's IndexedDB store for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Event,
    Resource,
    Card,
    Alert,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [Self::Event, Self::Resource, Self::Card, Self::Alert];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Resource => "resource",
            Self::Card => "card",
            Self::Alert => "alert",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A record as it travels in the feed, tagged with its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Record {
    Event(Event),
    Resource(Resource),
    Card(Card),
    Alert(Alert),
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Event(_) => RecordKind::Event,
            Self::Resource(_) => RecordKind::Resource,
            Self::Card(_) => RecordKind::Card,
            Self::Alert(_) => RecordKind::Alert,
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            Self::Event(e) => e.id,
            Self::Resource(r) => r.id,
            Self::Card(c) => c.id,
            Self::Alert(a) => a.id,
        }
    }

    pub fn version(&self) -> u64 {
        match self {
            Self::Event(e) => e.version,
            Self::Resource(r) => r.version,
            Self::Card(c) => c.version,
            Self::Alert(a) => a.version,
        }
    }

    pub fn set_version(&mut self, version: u64) {
        match self {
            Self::Event(e) => e.version = version,
            Self::Resource(r) => r.version = version,
            Self::Card(c) => c.version = version,
            Self::Alert(a) => a.version = version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_are_left_out_when_empty_and_read_when_given() {
        let mut e = event_for_translations();
        let plain = serde_json::to_value(&e).expect("serialises");
        assert!(plain.get("translations").is_none(), "{plain}");
        e.translations = Translations::from([(
            "es".into(),
            BTreeMap::from([("title".into(), "Vigilia".into())]),
        )]);
        let json = serde_json::to_string(&e).expect("serialises");
        assert!(
            json.contains(r#""translations":{"es":{"title":"Vigilia"}}"#),
            "{json}"
        );
        let back: Event = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, e);
        assert_eq!(
            text_in(
                &back.translations,
                "es",
                "title",
                &back.title,
                back.text_language()
            ),
            ("Vigilia", "es")
        );
        assert_eq!(
            text_in(
                &back.translations,
                "es",
                "description",
                &back.description,
                "en"
            ),
            (back.description.as_str(), "en"),
            "a field the translation lacks shows the listing's own"
        );
        assert_eq!(
            text_in(&back.translations, "so", "title", &back.title, "en"),
            (back.title.as_str(), "en")
        );
    }

    fn event_for_translations() -> Event {
        serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-4000-8000-000000000001", "version": 1,
            "title": "Vigil", "description": "Candles.", "kind": "vigil",
            "starts_at": "2026-12-10T00:00:00Z", "ends_at": null, "time_zone": "America/Chicago",
            "place": null, "organiser": "Example", "languages": ["en"], "links": [],
            "status": "scheduled"
        }))
        .expect("an event written before translations still reads")
    }
    use chrono::TimeZone;

    fn event(title: &str, start_hour: u32, end_hour: Option<u32>) -> Event {
        let at = |h| {
            Utc.with_ymd_and_hms(2026, 11, 27, h, 0, 0)
                .single()
                .expect("valid time")
        };
        Event {
            translations: Default::default(),
            id: Uuid::nil(),
            version: 1,
            title: title.into(),
            description: String::new(),
            kind: EventKind::Vigil,
            starts_at: at(start_hour),
            ends_at: end_hour.map(at),
            time_zone: "America/Chicago".into(),
            place: None,
            organiser: "Example Network".into(),
            languages: vec!["en".into()],
            links: vec![],
            status: EventStatus::Scheduled,
        }
    }

    #[test]
    fn upcoming_drops_ended_events_and_sorts_by_start() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
            .single()
            .expect("valid time");
        let events = vec![
            event("later", 18, None),
            event("over", 8, Some(10)),
            event("running", 11, Some(13)),
            event("started, no end", 9, None),
        ];
        let titles: Vec<&str> = upcoming(&events, now)
            .iter()
            .map(|e| e.title.as_str())
            .collect();
        assert_eq!(titles, ["running", "later"]);
    }

    #[test]
    fn enums_use_snake_case_on_the_wire() {
        let json = serde_json::to_string(&ResourceCategory::KnowYourRights).expect("serialises");
        assert_eq!(json, "\"know_your_rights\"");
        let kind: EventKind = serde_json::from_str("\"court_watch\"").expect("parses");
        assert_eq!(kind, EventKind::CourtWatch);
    }

    fn alert(n: u128, verified_min: i64, expires_min: i64) -> Alert {
        let base = Utc
            .with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
            .single()
            .expect("valid");
        Alert {
            id: Uuid::from_u128(n),
            version: 1,
            kind: ReportKind::Checkpoint,
            summary: format!("Example alert {n}"),
            area: Some("9zvxwqe".into()),
            cross_streets: None,
            verified_at: base + chrono::Duration::minutes(verified_min),
            expires_at: base + chrono::Duration::minutes(expires_min),
            translations: Default::default(),
            withdrawn: None,
        }
    }

    #[test]
    fn active_alerts_drop_at_expiry_newest_first() {
        let alerts = [alert(1, 0, 60), alert(2, 10, 30), alert(3, 5, 120)];
        let at = |minute: i64| {
            Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
                .single()
                .expect("valid")
                + chrono::Duration::minutes(minute)
        };
        let ids = |minute| -> Vec<u128> {
            active_alerts(&alerts, at(minute))
                .iter()
                .map(|a| a.id.as_u128())
                .collect()
        };
        assert_eq!(ids(20), [2, 3, 1]);
        assert_eq!(ids(30), [3, 1], "gone at its expiry time");
        assert_eq!(ids(60), [3]);
        assert!(ids(120).is_empty());
    }

    #[test]
    fn a_withdrawn_alert_keeps_no_text_and_shows_all_clear_for_an_hour() {
        let mut translated = alert(1, 0, 240);
        translated
            .translations
            .insert("es".into(), "Alerta de ejemplo".into());
        assert_eq!(translated.summary_in("es"), "Alerta de ejemplo");
        assert_eq!(translated.summary_in("so"), "Example alert 1");
        let at = translated.verified_at + chrono::Duration::minutes(10);
        let withdrawn = translated.withdrawn(at, WithdrawalReason::FalseAlarm);
        assert_eq!(withdrawn.summary, "");
        assert!(withdrawn.translations.is_empty());
        assert_eq!(withdrawn.expires_at, at + Alert::ALL_CLEAR);
        assert_eq!(
            (withdrawn.kind, &withdrawn.area),
            (translated.kind, &translated.area)
        );
        assert_eq!(withdrawn.validate(), Ok(()));
        let alerts = [withdrawn, alert(2, 5, 240)];
        let ids = |list: Vec<&Alert>| list.iter().map(|a| a.id.as_u128()).collect::<Vec<_>>();
        let soon = at + chrono::Duration::minutes(59);
        assert_eq!(ids(active_alerts(&alerts, soon)), [2], "no longer active");
        assert_eq!(
            ids(shown_alerts(&alerts, soon)),
            [2, 1],
            "but its all clear shows"
        );
        let later = at + chrono::Duration::minutes(60);
        assert_eq!(ids(shown_alerts(&alerts, later)), [2], "for an hour");
        // A withdrawn alert with text is not valid: its words must go.
        let with_text = Alert {
            summary: "still here".into(),
            ..alerts[0].clone()
        };
        assert!(with_text.validate().is_err());
    }
}
