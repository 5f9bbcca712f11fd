//! The interchange formats: the HSDS importer on any text, any JSON and mutated exports of the
//! demo resources; the iCalendar and GeoJSON writers on events and resources with any text.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value;
use uuid::Uuid;
use vecinos_core::{
    Event, EventKind, EventStatus, OpeningHours, Phone, Place, Record, Resource, ResourceCategory,
};
use vecinos_server::interchange::{geojson, hsds, ical};

use crate::generate::{
    byte_edits, deep_nesting, edit_bytes, json_value, mutate, mutations, wild_string,
};

fn demo_resources() -> Vec<Resource> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date");
    vecinos_server::demo::records(today)
        .into_iter()
        .filter_map(|r| match r {
            Record::Resource(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// A few of the demo resources (with and without a place, website, hours) as HSDS: an array,
/// or a page with a `contents` array. A few, not all: each case then costs milliseconds.
fn export() -> impl Strategy<Value = Value> {
    let resources = demo_resources();
    let count = resources.len();
    (
        prop::sample::subsequence(resources, 1..=count.min(4)),
        any::<bool>(),
    )
        .prop_map(|(resources, paged)| {
            let services = hsds::export(&resources);
            if paged {
                serde_json::json!({ "contents": services, "total_items": resources.len(), "page": 1 })
            } else {
                services
            }
        })
}

/// What an import that succeeded must hold: every record valid, and an export of them that
/// imports again to resources that export the same. (Not always to the same resources: an export
/// percent-encodes what a URI may not hold, so a website with a space or an accent comes back
/// encoded.) Only the first difference is shown: the whole import is long.
fn imported(result: Result<Vec<Resource>, hsds::ImportError>) -> Result<(), TestCaseError> {
    match result {
        Ok(resources) => {
            for r in &resources {
                prop_assert!(r.validate().is_ok(), "imported but invalid: {r:?}");
            }
            let exported = hsds::export(&resources);
            let again = hsds::import(&exported.to_string()).map(|again| hsds::export(&again));
            let Ok(again) = again else {
                return Err(TestCaseError::fail(format!(
                    "an export does not import: {again:?}"
                )));
            };
            let (Some(before), Some(after)) = (exported.as_array(), again.as_array()) else {
                return Err(TestCaseError::fail("an export is not an array"));
            };
            prop_assert_eq!(before.len(), after.len());
            for (before, after) in before.iter().zip(after) {
                prop_assert_eq!(before, after, "export then import changed a service");
            }
        }
        Err(e) => {
            // The message is what the organiser reads; writing it must not panic either.
            let _ = e.to_string();
        }
    }
    Ok(())
}

fn config() -> ProptestConfig {
    // The default reads PROPTEST_CASES (256 when unset).
    ProptestConfig::default()
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
}

fn kind() -> impl Strategy<Value = EventKind> {
    prop::sample::select(vec![
        EventKind::Rally,
        EventKind::Vigil,
        EventKind::Training,
        EventKind::CourtWatch,
        EventKind::Meeting,
        EventKind::Other,
    ])
}

fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        -90.0..=90.0f64,
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-0.0),
    ]
}

fn place() -> impl Strategy<Value = Option<Place>> {
    prop::option::of(
        (
            wild_string(),
            wild_string(),
            coordinate(),
            coordinate(),
            prop::option::of(wild_string()),
        )
            .prop_map(|(name, address, lat, lon, accessibility)| Place {
                name,
                address,
                lat,
                lon,
                accessibility,
            }),
    )
}

/// An event with any text in every text field, any times, place and version.
fn event() -> impl Strategy<Value = Event> {
    (
        (
            any::<u128>(),
            any::<u64>(),
            wild_string(),
            wild_string(),
            kind(),
        ),
        (
            -80_000_000_000i64..250_000_000_000,
            prop::option::of(-80_000_000_000i64..250_000_000_000),
        ),
        (wild_string(), place(), wild_string()),
        (
            prop::collection::vec(wild_string(), 0..3),
            prop::collection::vec(wild_string(), 0..3),
            prop::sample::select(EventStatus::ALL.to_vec()),
        ),
    )
        .prop_map(
            |(
                (id, version, title, description, kind),
                (starts, ends),
                (time_zone, place, organiser),
                (languages, links, status),
            )| Event {
                translations: Default::default(),
                id: Uuid::from_u128(id),
                version,
                title,
                description,
                kind,
                starts_at: at(starts),
                ends_at: ends.map(at),
                time_zone,
                place,
                organiser,
                languages,
                links,
                status,
            },
        )
}

fn resource() -> impl Strategy<Value = Resource> {
    (
        (any::<u128>(), any::<u64>(), wild_string(), wild_string()),
        (
            wild_string(),
            prop::collection::vec((wild_string(), prop::option::of(wild_string())), 0..3),
            prop::option::of(wild_string()),
            place(),
        ),
        (
            prop::option::of(wild_string()),
            prop::collection::vec((any::<u8>(), wild_string(), wild_string()), 0..3),
            prop::collection::vec(wild_string(), 0..3),
            prop::option::of(wild_string()),
            prop::option::of(wild_string()),
        ),
        prop::sample::select(ResourceCategory::ALL.to_vec()),
        -300_000i32..300_000,
    )
        .prop_map(
            |(
                (id, version, name, description),
                (organisation, phones, website, place),
                (service_area, hours, languages, eligibility, cost),
                category,
                day,
            )| Resource {
                translations: Default::default(),
                id: Uuid::from_u128(id),
                version,
                name,
                category,
                description,
                organisation,
                phones: phones
                    .into_iter()
                    .map(|(number, label)| Phone { number, label })
                    .collect(),
                website,
                place,
                service_area,
                opening_hours: hours
                    .into_iter()
                    .map(|(weekday, opens, closes)| OpeningHours {
                        weekday,
                        opens,
                        closes,
                    })
                    .collect(),
                languages,
                eligibility,
                cost,
                last_verified: NaiveDate::from_num_days_from_ce_opt(day + 700_000)
                    .unwrap_or_default(),
            },
        )
}

/// RFC 5545 TEXT unescaped: `\\`, `\;`, `\,`, `\n` and `\N`.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// What a TEXT value holds after escaping and unescaping: line breaks (CRLF, CR, LF) as LF,
/// other control characters but tab dropped.
fn as_text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect()
}

/// Whether a TEXT value is escaped: no unescaped `;` or `,`, and every backslash starts one of
/// the escapes.
fn escaped(value: &str) -> bool {
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !matches!(chars.next(), Some('\\' | ';' | ',' | 'n' | 'N')) => return false,
            ';' | ',' => return false,
            _ => {}
        }
    }
    true
}

proptest! {
    #![proptest_config(config())]

    /// The importer on any text, any JSON value, nearly-JSON bytes and deep nesting: Ok or Err,
    /// never a panic.
    #[test]
    fn hsds_import_any_text(text in prop_oneof![
        any::<String>(),
        json_value().prop_map(|v| v.to_string()),
        (export(), byte_edits()).prop_map(|(v, e)| String::from_utf8_lossy(&edit_bytes(v.to_string().into_bytes(), &e)).into_owned()),
        deep_nesting().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]) {
        imported(hsds::import(&text))?;
    }

    /// The importer on exports of the demo resources with fields replaced, removed, added or
    /// nested.
    #[test]
    fn hsds_import_mutated_export(doc in export(), edits in mutations()) {
        imported(hsds::import(&mutate(doc, &edits).to_string()))?;
    }

    /// The exporter on resources with any text: its output imports (or is refused) without a
    /// panic, and never carries an address or coordinates for a resource without a place.
    #[test]
    fn hsds_export_any_resources(resources in prop::collection::vec(resource(), 0..4)) {
        let services = hsds::export(&resources);
        let text = services.to_string();
        for (service, resource) in services.as_array().expect("an array").iter().zip(&resources) {
            if resource.place.is_none() {
                let locations = service.get("service_at_locations");
                prop_assert!(
                    locations.is_none_or(|l| l.as_array().is_some_and(Vec::is_empty) || l.is_null()),
                    "an area-only resource got a location: {service}"
                );
            }
        }
        let _ = hsds::import(&text);
    }

    /// The iCalendar writer on events with any text: every physical line at most 75 octets, no
    /// CR or LF but the CRLF line ends, every TEXT value escaped, and the title and location
    /// unescape to what the event holds.
    #[test]
    fn ical_any_events(events in prop::collection::vec(event(), 0..4), now in -80_000_000_000i64..250_000_000_000) {
        let calendar = ical::calendar(&events, at(now));
        prop_assert!(calendar.ends_with("\r\n"));
        let body = calendar.strip_suffix("\r\n").unwrap_or(&calendar);
        for physical in body.split("\r\n") {
            prop_assert!(physical.len() <= 75, "{} octets: {:?}", physical.len(), physical);
            prop_assert!(!physical.contains(['\r', '\n']), "a bare line break: {:?}", physical);
        }
        let unfolded = body.replace("\r\n ", "");
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        prop_assert_eq!(lines.first().copied(), Some("BEGIN:VCALENDAR"));
        prop_assert_eq!(lines.last().copied(), Some("END:VCALENDAR"));
        prop_assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), events.len());
        prop_assert_eq!(lines.iter().filter(|l| **l == "END:VEVENT").count(), events.len());
        let values = |name: &str| -> Vec<String> {
            let prefix = format!("{name}:");
            lines.iter().filter_map(|l| l.strip_prefix(prefix.as_str())).map(str::to_owned).collect()
        };
        for name in ["SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES"] {
            for value in values(name) {
                prop_assert!(escaped(&value), "{} is not escaped: {:?}", name, value);
                prop_assert!(!value.chars().any(|c| c.is_control() && c != '\t'), "{}: {:?}", name, value);
            }
        }
        let summaries = values("SUMMARY");
        prop_assert_eq!(summaries.len(), events.len());
        for (summary, event) in summaries.iter().zip(&events) {
            prop_assert_eq!(unescape(summary), as_text(&event.title));
        }
        let locations = values("LOCATION");
        let placed: Vec<&Place> = events.iter().filter_map(|e| e.place.as_ref()).collect();
        prop_assert_eq!(locations.len(), placed.len());
        for (location, place) in locations.iter().zip(placed) {
            prop_assert!(unescape(location).starts_with(&as_text(&place.name)));
        }
    }

    /// The GeoJSON writer on events and resources with any text and coordinates: valid JSON,
    /// a Point feature only for a place on Earth, never one for a resource without a place.
    #[test]
    fn geojson_any_records(
        events in prop::collection::vec(event(), 0..3),
        resources in prop::collection::vec(resource(), 0..3),
    ) {
        let collection = geojson::collection(&events, &resources);
        let text = serde_json::to_string(&collection).expect("writes");
        let back: Value = serde_json::from_str(&text).expect("reads back");
        let features = back["features"].as_array().expect("features");
        let on_earth = |p: &Place| (-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon);
        let expected = events.iter().filter_map(|e| e.place.as_ref()).filter(|p| on_earth(p)).count()
            + resources.iter().filter_map(|r| r.place.as_ref()).filter(|p| on_earth(p)).count();
        prop_assert_eq!(features.len(), expected);
        for feature in features {
            let coordinates = feature["geometry"]["coordinates"].as_array().expect("coordinates");
            let lon = coordinates[0].as_f64().expect("a longitude");
            let lat = coordinates[1].as_f64().expect("a latitude");
            prop_assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        }
    }
}
