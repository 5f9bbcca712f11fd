//! Fuzz targets for what vecinos-core reads from outside: the geohash decoder, the records and
//! feed pages as JSON (arbitrary bytes, arbitrary JSON values and valid records with wild field
//! values), `validate()` on whatever parses, the date and time readers, search folding and
//! filtering, text placeholders and the proof-of-work check.
//!
//! Property tests (proptest) on the stable toolchain. The number of cases per target comes from
//! `PROPTEST_CASES` (256 by default): `cargo test` runs a bounded set, `cargo xtask bench fuzz` a
//! long one. Every target asserts that nothing panics, plus what can be checked of the result.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Number, Value, json};
use uuid::Uuid;
use vecinos_core::geo::{self, ALPHABET, BBox, LatLon, MAX_PRECISION};
use vecinos_core::pow::{self, MAX_DIFFICULTY, Stamp};
use vecinos_core::search::{self, LocalTime, ResourceFilter, ResourceIndex};
use vecinos_core::{
    Alert, Card, Change, ChangePage, ClientConfig, Cursor, ErrorBody, Event, EventKind,
    EventStatus, OpeningHours, Phone, Place, Record, Report, ReportKind, Resource,
    ResourceCategory, push, text, time, validate,
};

// ---------------------------------------------------------------------------------------------
// Generators

/// Characters that tend to break text handling: line breaks, NUL and other controls, bidi
/// overrides and isolates, zero-width and combining characters, separators of the formats the
/// project writes (iCalendar, CSV-like lists, JSON), astral characters.
const NASTY: &[char] = &[
    '\r',
    '\n',
    '\0',
    '\t',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{2028}',
    '\u{2029}',
    '\u{202e}',
    '\u{202d}',
    '\u{2066}',
    '\u{2067}',
    '\u{2069}',
    '\u{200f}',
    '\u{200b}',
    '\u{200d}',
    '\u{feff}',
    '\u{ad}',
    '\u{301}',
    '\u{36f}',
    '\\',
    ';',
    ',',
    ':',
    '"',
    '\'',
    '{',
    '}',
    '[',
    ']',
    '<',
    '>',
    '&',
    '%',
    '=',
    '/',
    '?',
    '#',
    ' ',
    'a',
    'Z',
    '0',
    '9',
    'é',
    'ß',
    'İ',
    'ǅ',
    'ﬃ',
    'ي',
    '،',
    'ـ',
    '中',
    '😀',
    '\u{1f3f3}',
    '\u{fe0f}',
    '\u{10ffff}',
    '\u{fffd}',
];

fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NASTY), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Text of every kind: arbitrary Unicode, nasty characters, long runs, date-, id-, geohash- and
/// URL-shaped strings.
fn wild_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        4 => nasty_string(48),
        1 => Just(String::new()),
        1 => (prop::sample::select(NASTY), 200usize..5_000)
            .prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
        1 => (any::<char>(), 1usize..300).prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
        2 => "[0-9+-]{1,6}-[0-9]{1,3}-[0-9]{1,3}([Tt ][0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}(\\.[0-9]{0,12})?(Z|z|[+-][0-9]{2}:[0-9]{2})?)?",
        1 => "(9999-12-31T2[0-3]:[0-5][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9])|(0000-01-01T0[0-3]:[0-5][0-9]:[0-5][0-9]\\+[0-2][0-9]:[0-5][0-9])",
        1 => "[0-9a-zA-Z]{0,14}",
        1 => "[0-9a-fA-F-]{30,40}",
        1 => "(https?|ftp|javascript)://[a-z.]{0,12}(/[^ ]{0,12})?",
        1 => "[A-Z][a-z]{0,10}/[A-Z][a-z_]{0,12}",
        1 => "[0-9 +()-.]{0,40}",
        1 => "[0-9]{2}:[0-9]{2}",
    ]
}

/// Numbers JSON can carry, with the edges: zero and minus zero, the integer extremes, tiny and
/// huge floats. (JSON has no NaN or infinity; a text like `1e400` is tried by the byte targets.)
fn wild_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        prop::sample::select(vec![
            0.0,
            -0.0,
            0.5,
            -1.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            1e300,
            90.000_000_1,
            -180.5,
            255.0,
            256.0,
        ])
        .prop_filter_map("finite", Number::from_f64),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        prop::sample::select(vec![
            Number::from(u64::MAX),
            Number::from(i64::MIN),
            Number::from(u64::from(u32::MAX) + 1),
            Number::from(256),
            Number::from(-1),
            Number::from(0),
        ]),
    ]
}

/// The field names of every wire type, so that generated objects sometimes hit real fields.
const FIELDS: &[&str] = &[
    "id",
    "version",
    "title",
    "description",
    "kind",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "name",
    "address",
    "lat",
    "lon",
    "accessibility",
    "organiser",
    "languages",
    "links",
    "status",
    "category",
    "organisation",
    "phones",
    "number",
    "label",
    "website",
    "service_area",
    "opening_hours",
    "weekday",
    "opens",
    "closes",
    "eligibility",
    "cost",
    "last_verified",
    "language",
    "body",
    "source_organisation",
    "reviewed",
    "observed_at",
    "area",
    "cross_streets",
    "stamp",
    "salt",
    "difficulty",
    "nonce",
    "nonces",
    "summary",
    "verified_at",
    "expires_at",
    "data",
    "op",
    "seq",
    "record",
    "changes",
    "cursor",
    "more",
    "code",
    "message",
    "field",
    "problems",
    "current",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(FIELDS).prop_map(str::to_owned),
        1 => wild_string(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        wild_number().prop_map(Value::Number),
        wild_string().prop_map(Value::String),
        prop::sample::select(FIELDS).prop_map(|s| Value::String(s.to_owned())),
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// One change to a JSON document, at the position an `Index` picks among all its positions.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(Index, Value),
    Remove(Index),
    Insert(Index, String, Value),
    /// Wraps the value in arrays and objects, `depth` deep.
    Nest(Index, usize),
    /// Replaces one of the document's strings with another: the rest stays valid.
    Text(Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), json_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<Index>().prop_map(Mutation::Remove),
        1 => (any::<Index>(), key(), json_value()).prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
        1 => (any::<Index>(), 1usize..40).prop_map(|(i, d)| Mutation::Nest(i, d)),
        4 => (any::<Index>(), wild_string()).prop_map(|(i, s)| Mutation::Text(i, s)),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    At(usize),
}

fn paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                here.push(Step::At(i));
                paths(item, here, out);
                here.pop();
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                here.push(Step::Key(k.clone()));
                paths(item, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k.as_str()),
        Step::At(i) => v.get(*i),
    })
}

fn at_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::At(i) => v.get_mut(*i),
    })
}

/// Applies the mutations in turn to `doc`.
fn mutate(mut doc: Value, mutations: &[Mutation]) -> Value {
    for m in mutations {
        let mut all = Vec::new();
        paths(&doc, &mut Vec::new(), &mut all);
        let pick = |i: &Index| all[i.index(all.len())].clone();
        match m {
            Mutation::Replace(i, new) => {
                if let Some(v) = at_mut(&mut doc, &pick(i)) {
                    *v = new.clone();
                }
            }
            Mutation::Remove(i) => {
                let path = pick(i);
                if let Some((last, parent)) = path.split_last()
                    && let Some(parent) = at_mut(&mut doc, parent)
                {
                    match (parent, last) {
                        (Value::Object(fields), Step::Key(k)) => {
                            fields.remove(k);
                        }
                        (Value::Array(items), Step::At(i)) if *i < items.len() => {
                            items.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Insert(i, k, new) => {
                if let Some(Value::Object(fields)) = at_mut(&mut doc, &pick(i)) {
                    fields.insert(k.clone(), new.clone());
                }
            }
            Mutation::Text(i, text) => {
                let strings: Vec<&Vec<Step>> = all
                    .iter()
                    .filter(|path| matches!(at(&doc, path), Some(Value::String(_))))
                    .collect();
                if !strings.is_empty() {
                    let path = strings[i.index(strings.len())].clone();
                    if let Some(v) = at_mut(&mut doc, &path) {
                        *v = Value::String(text.clone());
                    }
                }
            }
            Mutation::Nest(i, depth) => {
                if let Some(v) = at_mut(&mut doc, &pick(i)) {
                    let mut nested = v.take();
                    for level in 0..*depth {
                        nested = if level % 2 == 0 {
                            json!([nested])
                        } else {
                            json!({ "x": nested })
                        };
                    }
                    *v = nested;
                }
            }
        }
    }
    doc
}

/// Bytes near valid JSON: some bytes of `base` flipped, inserted or cut.
fn byte_edits() -> impl Strategy<Value = Vec<(Index, u8, u8)>> {
    prop::collection::vec((any::<Index>(), 0u8..3, any::<u8>()), 1..8)
}

fn edit_bytes(mut bytes: Vec<u8>, edits: &[(Index, u8, u8)]) -> Vec<u8> {
    for (at, op, byte) in edits {
        let i = at.index(bytes.len() + 1);
        match op {
            0 if i < bytes.len() => bytes[i] = *byte,
            1 => bytes.insert(i, *byte),
            _ if i < bytes.len() => {
                bytes.remove(i);
            }
            _ => {}
        }
    }
    bytes
}

/// Deep nesting as text: past serde_json's recursion limit it must be an error, not a stack
/// overflow.
fn deep_nesting() -> impl Strategy<Value = Vec<u8>> {
    (
        1usize..20_000,
        prop::sample::select(vec!["[", "{\"a\":", "{\"place\":"]),
    )
        .prop_map(|(depth, open)| {
            let mut text = open.repeat(depth).into_bytes();
            text.extend_from_slice(b"1");
            text
        })
}

// ---------------------------------------------------------------------------------------------
// Valid templates, mutated by the record targets.

/// The server's clock in these tests (core has no clock).
const NOW: &str = "2026-11-27T21:00:00Z";

fn t(text: &str) -> DateTime<Utc> {
    time::parse_utc(text).expect("a valid time")
}

fn event() -> Event {
    Event {
        translations: Default::default(),
        id: Uuid::from_u128(1),
        version: 3,
        title: "Vigil for families".into(),
        description: "Bring candles; we meet, then walk.\nAll welcome.".into(),
        kind: EventKind::Vigil,
        starts_at: t("2026-11-27T18:30:00Z"),
        ends_at: Some(t("2026-11-27T20:00:00Z")),
        time_zone: "America/Chicago".into(),
        place: Some(Place {
            name: "Plaza".into(),
            address: "1 Main St".into(),
            lat: 44.95,
            lon: -93.26,
            accessibility: Some("Step-free".into()),
        }),
        organiser: "Vecinos".into(),
        languages: vec!["en".into(), "es".into()],
        links: vec!["https://example.org/vigil".into()],
        status: EventStatus::Scheduled,
    }
}

fn resource() -> Resource {
    Resource {
        translations: Default::default(),
        id: Uuid::from_u128(2),
        version: 1,
        name: "Legal clinic".into(),
        category: ResourceCategory::LegalAid,
        description: "Free consultations.".into(),
        organisation: "Clinic".into(),
        phones: vec![Phone {
            number: "+1 (612) 555-0100".into(),
            label: Some("Hotline".into()),
        }],
        website: Some("https://example.org".into()),
        place: None,
        service_area: Some("North side".into()),
        opening_hours: vec![OpeningHours {
            weekday: 7,
            opens: "22:00".into(),
            closes: "02:00".into(),
        }],
        languages: vec!["so".into()],
        eligibility: Some("Anyone".into()),
        cost: None,
        last_verified: NaiveDate::from_ymd_opt(2026, 1, 31).expect("a date"),
    }
}

fn card() -> Card {
    Card {
        translations: Default::default(),
        id: Uuid::from_u128(3),
        version: 1,
        language: "es".into(),
        title: "Sus derechos".into(),
        body: "No abra la puerta.".into(),
        source_organisation: "ILRC".into(),
        reviewed: NaiveDate::from_ymd_opt(2025, 6, 1).expect("a date"),
    }
}

fn alert() -> Alert {
    Alert {
        id: Uuid::from_u128(4),
        version: 1,
        kind: ReportKind::Checkpoint,
        summary: "Checkpoint on Lake St".into(),
        area: Some("9zvxvf7".into()),
        cross_streets: Some("Lake St & 14th Ave".into()),
        verified_at: t("2026-11-27T18:30:00Z"),
        expires_at: t("2026-11-27T22:30:00Z"),
        translations: Default::default(),
        withdrawn: None,
    }
}

fn report() -> Report {
    Report {
        id: Uuid::from_u128(5),
        kind: ReportKind::EnforcementSeen,
        description: "Two unmarked vans".into(),
        observed_at: t(NOW),
        area: Some("9zvxvf7".into()),
        cross_streets: None,
        language: "es".into(),
        stamp: Stamp::v2("c2FsdA", 8, vec![42; pow::PARTS]),
    }
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("serialises")
}

fn page() -> Value {
    to_json(&ChangePage {
        changes: vec![
            Change::Upsert {
                seq: 1,
                record: Record::Event(event()),
            },
            Change::Upsert {
                seq: 2,
                record: Record::Resource(resource()),
            },
            Change::Upsert {
                seq: 3,
                record: Record::Card(card()),
            },
            Change::Upsert {
                seq: 4,
                record: Record::Alert(alert()),
            },
            Change::Delete {
                seq: 5,
                kind: vecinos_core::RecordKind::Event,
                id: Uuid::from_u128(9),
            },
        ],
        cursor: Cursor(5),
        more: true,
    })
}

// ---------------------------------------------------------------------------------------------
// Checks

/// An instant the server's clock might show, the ends of chrono's range included.
fn any_now() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        4 => Just(t(NOW)),
        2 => (-100_000_000_000i64..100_000_000_000).prop_filter_map("in range", |s| {
            Utc.timestamp_opt(s, 0).single()
        }),
        1 => Just(DateTime::<Utc>::MAX_UTC),
        1 => Just(DateTime::<Utc>::MIN_UTC),
    ]
}

/// Whatever parses as `T` is validated without a panic, and writes out to JSON that reads back
/// as the same value: records the server accepts must stay readable by every phone.
fn parsed<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    parse: Result<T, serde_json::Error>,
    check: impl Fn(&T),
) -> Result<(), TestCaseError> {
    if let Ok(value) = parse {
        check(&value);
        let text = serde_json::to_string(&value).expect("serialises");
        let again: Result<T, _> = serde_json::from_str(&text);
        prop_assert!(
            again.is_ok(),
            "{value:?} wrote {text} which does not read back: {again:?}"
        );
    }
    Ok(())
}

/// Every reader of untrusted JSON, on one input.
fn read_all(
    value: Option<&Value>,
    bytes: Option<&[u8]>,
    now: DateTime<Utc>,
) -> Result<(), TestCaseError> {
    macro_rules! each {
        ($t:ty, $check:expr) => {{
            if let Some(value) = value {
                parsed(serde_json::from_value::<$t>(value.clone()), $check)?;
            }
            if let Some(bytes) = bytes {
                parsed(serde_json::from_slice::<$t>(bytes), $check)?;
            }
        }};
    }
    each!(Report, |r: &Report| {
        let _ = r.validate(now);
        let _ = pow::verify(r.id, &r.stamp, 8, pow::V1::Accepted);
    });
    each!(Event, |e: &Event| {
        let _ = e.validate();
        let _ = search::local_date(e);
    });
    each!(Resource, |r: &Resource| {
        let _ = r.validate();
    });
    each!(Card, |c: &Card| {
        let _ = c.validate();
    });
    each!(Alert, |a: &Alert| {
        let _ = a.validate();
    });
    each!(Record, |r: &Record| {
        let _ = r.validate();
        let _ = (r.id(), r.kind(), r.version());
    });
    each!(ChangePage, |p: &ChangePage| {
        for change in &p.changes {
            if let Change::Upsert { record, .. } = change {
                let _ = record.validate();
            }
        }
    });
    each!(ErrorBody, |_: &ErrorBody| {});
    each!(ClientConfig, |_: &ClientConfig| {});
    each!(Stamp, |s: &Stamp| {
        let _ = pow::verify(Uuid::nil(), s, 0, pow::V1::Accepted);
    });
    each!(push::Subscription, |_: &push::Subscription| {});
    each!(push::Unsubscription, |_: &push::Unsubscription| {});
    each!(push::Payload, |_: &push::Payload| {});
    Ok(())
}

fn templates() -> Vec<Value> {
    vec![
        to_json(&event()),
        to_json(&resource()),
        to_json(&card()),
        to_json(&alert()),
        to_json(&report()),
        to_json(&Record::Event(event())),
        to_json(&Record::Resource(resource())),
        page(),
    ]
}

fn template() -> impl Strategy<Value = Value> {
    prop::sample::select(templates())
}

fn config() -> ProptestConfig {
    // The default reads PROPTEST_CASES (256 when unset).
    ProptestConfig::default()
}

// ---------------------------------------------------------------------------------------------
// Targets

proptest! {
    #![proptest_config(config())]

    /// Any text: an error or a cell, never a panic; a cell only for 1..=12 alphabet characters,
    /// and a decoded cell encodes back to the same hash.
    #[test]
    fn geohash_decode_any_text(s in prop_oneof![
        any::<String>(),
        nasty_string(20),
        "[0-9a-zA-Z]{0,16}",
        "[0-9b-hjkmnp-z]{0,13}",
        ("[0-9b-hjkmnp-z]{1,12}", prop::sample::select(NASTY)).prop_map(|(s, c)| format!("{s}{c}")),
        (1usize..100_000).prop_map(|n| "7".repeat(n)),
        (1usize..10_000).prop_map(|n| "é".repeat(n)),
    ]) {
        let decoded = geo::decode(&s);
        let valid = (1..=MAX_PRECISION).contains(&s.len()) && s.bytes().all(|b| ALPHABET.contains(&b));
        prop_assert_eq!(decoded.is_ok(), valid, "{:?}: {:?}", s, decoded);
        if let Ok(cell) = decoded {
            prop_assert!(cell.min_lat < cell.max_lat && cell.min_lon < cell.max_lon);
            prop_assert!(cell.min_lat >= -90.0 && cell.max_lat <= 90.0);
            prop_assert!(cell.min_lon >= -180.0 && cell.max_lon <= 180.0);
            prop_assert_eq!(geo::encode(cell.center(), s.len()).expect("centre encodes"), s.clone());
        }
        let _ = geo::is_coarse_area(&s);
        let _ = push::is_cell(&s);
        let _ = push::covers(&s, "9zvxvf7");
    }

    /// Any pair of floats and precision: `encode` refuses what is off the Earth or out of range,
    /// and a hash it writes decodes to a cell holding the point.
    #[test]
    fn geohash_encode_decode_round_trip(
        lat in prop_oneof![any::<f64>(), -90.0..=90.0f64, Just(90.0), Just(-90.0)],
        lon in prop_oneof![any::<f64>(), -180.0..=180.0f64, Just(180.0), Just(-180.0)],
        precision in prop_oneof![0usize..=14, any::<usize>()],
    ) {
        let p = LatLon { lat, lon };
        match geo::encode(p, precision) {
            Ok(hash) => {
                prop_assert!(p.check().is_ok() && (1..=MAX_PRECISION).contains(&precision));
                prop_assert_eq!(hash.len(), precision);
                let cell = geo::decode(&hash).expect("an encoded hash decodes");
                prop_assert!(cell.contains(p), "{:?} not in {:?} ({})", p, cell, hash);
            }
            Err(_) => prop_assert!(p.check().is_err() || !(1..=MAX_PRECISION).contains(&precision)),
        }
        let _ = geo::coarsen(p);
        if precision <= 20 {
            let _ = geo::cells_around(p, precision);
        }
        let _ = BBox::around(p, lat * 1000.0);
        let _ = geo::distance_m(p, LatLon { lat: lon, lon: lat });
    }

    /// `covering` with any box, including inverted, NaN and infinite ones.
    #[test]
    fn geohash_covering_any_box(
        corners in prop::array::uniform4(prop_oneof![any::<f64>(), -200.0..200.0f64]),
        max in prop_oneof![0usize..200, Just(usize::MAX)],
        precision in 0usize..=16,
    ) {
        let area = BBox { min_lat: corners[0], min_lon: corners[1], max_lat: corners[2], max_lon: corners[3] };
        let cells = geo::covering(&area, max.min(100_000), precision);
        prop_assert!(cells.len() <= max.min(100_000));
        for cell in &cells {
            prop_assert!(geo::decode(cell).is_ok(), "{}", cell);
        }
    }

    /// Each reader of untrusted JSON, on arbitrary JSON values.
    #[test]
    fn records_from_arbitrary_json(value in json_value(), now in any_now()) {
        read_all(Some(&value), Some(value.to_string().as_bytes()), now)?;
    }

    /// Each reader, on arbitrary bytes, nearly-JSON bytes and deep nesting.
    #[test]
    fn records_from_arbitrary_bytes(
        bytes in prop_oneof![
            any::<Vec<u8>>(),
            (template(), byte_edits()).prop_map(|(t, e)| edit_bytes(t.to_string().into_bytes(), &e)),
            deep_nesting(),
            prop::sample::select(vec![
                b"1e400".to_vec(), b"-1e400".to_vec(), b"NaN".to_vec(), b"\"\\ud800\"".to_vec(),
                b"\xef\xbb\xbf{}".to_vec(), b"{\"id\":1e999}".to_vec(),
            ]),
        ],
        now in any_now(),
    ) {
        read_all(None, Some(&bytes), now)?;
    }

    /// Each reader, on valid records and pages with fields replaced, removed, added or nested.
    #[test]
    fn records_with_wild_fields(doc in template(), edits in mutations(), now in any_now()) {
        let doc = mutate(doc, &edits);
        read_all(Some(&doc), Some(doc.to_string().as_bytes()), now)?;
    }

    /// The date and time readers, on any text: what they accept is in range and well formed.
    #[test]
    fn date_and_time_readers(s in wild_string()) {
        if let Some(at) = time::parse_utc(&s) {
            prop_assert!(s.len() >= 20);
            let _ = at.to_rfc3339();
        }
        if let Some(date) = time::parse_date(&s) {
            prop_assert_eq!(date.to_string(), s.clone());
        }
        if let Some(minutes) = time::clock_minutes(&s) {
            prop_assert!(minutes <= 24 * 60);
        }
    }

    /// The field checks used by validation and the server, on any text.
    #[test]
    fn field_checks_on_any_text(s in wild_string()) {
        if validate::is_language_code(&s) {
            prop_assert!(s.len() <= 3);
        }
        if validate::is_web_url(&s) {
            prop_assert!(s.starts_with("http://") || s.starts_with("https://"));
            prop_assert!(!s.chars().any(char::is_control));
        }
        if validate::is_phone_number(&s) {
            prop_assert!(s.len() <= 32);
        }
        let _ = validate::is_time_zone(&s);
        let _ = vecinos_core::ReportKind::parse(&s);
        let _ = vecinos_core::ReportStatus::parse(&s);
        let _ = vecinos_core::RecordKind::parse(&s);
        let _ = push::Audience::parse(&s);
    }

    /// Search: folding any text is idempotent, and building the index and filtering resources with
    /// any text, hours and query never panics and only returns indices of resources that exist.
    #[test]
    fn search_on_any_text(
        texts in prop::collection::vec(wild_string(), 1..6),
        query in wild_string(),
        language in prop::option::of(wild_string()),
        hours in prop::collection::vec((any::<u8>(), wild_string(), wild_string()), 0..4),
        weekday in any::<u8>(),
        minute_of_day in any::<u16>(),
        open_now in any::<bool>(),
    ) {
        let folded = search::fold(&query);
        prop_assert_eq!(search::fold(&folded), folded.clone());
        let resources: Vec<Resource> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut r = resource();
                r.name = text.clone();
                r.description = format!("{text}{query}");
                r.languages = vec![text.clone()];
                r.service_area = Some(text.chars().rev().collect());
                r.opening_hours = hours
                    .iter()
                    .map(|(weekday, opens, closes)| OpeningHours {
                        weekday: *weekday,
                        opens: opens.clone(),
                        closes: closes.clone(),
                    })
                    .collect();
                if i % 2 == 0 {
                    r.place = Some(Place {
                        name: text.clone(),
                        address: query.clone(),
                        lat: f64::from(minute_of_day) - 200.0,
                        lon: f64::from(weekday),
                        accessibility: None,
                    });
                }
                r
            })
            .collect();
        let index = ResourceIndex::new(&resources);
        let filter = ResourceFilter { query: query.clone(), category: None, language, open_now };
        let now = LocalTime { weekday, minute_of_day };
        let distance = |p: LatLon| geo::distance_m(p, LatLon { lat: 0.0, lon: 0.0 });
        let all = index.filter(&resources, &filter, now, Some(&distance));
        prop_assert!(all.iter().all(|&i| i < resources.len()));
        let plain = index.filter(&resources, &filter, now, None);
        let longer = ResourceFilter { query: format!("{query}x"), ..filter.clone() };
        if longer.refines(&filter) {
            let refined = index.refine(&plain, &resources, &longer, now);
            prop_assert!(refined.iter().all(|i| plain.contains(i)));
        }
        let _ = search::is_open(&resources[0].opening_hours, now);
    }

    /// Placeholders filled with any text.
    #[test]
    fn text_fill_any(template in wild_string(), name in wild_string(), value in wild_string()) {
        let filled = text::fill(&template, &[(&name, &value)]);
        if !template.contains(&format!("{{{name}}}")) {
            prop_assert_eq!(filled, template);
        }
    }

    /// The proof-of-work check on any stamp: an error or Ok, and Ok only when the stamp's
    /// difficulty is within range and its work is done: for v2, exactly `PARTS` nonces whose
    /// digests each have `part_bits` leading zero bits; for v1 (only where accepted), one digest
    /// with `difficulty` bits.
    #[test]
    fn pow_verify_any_stamp(
        id in any::<u128>(),
        salt in wild_string(),
        difficulty in any::<u8>(),
        nonces in prop::collection::vec(prop_oneof![0u64..4, any::<u64>()], 0..12),
        minimum in any::<u8>(),
    ) {
        let id = Uuid::from_u128(id);
        let stamp = Stamp::v2(salt.clone(), difficulty, nonces.clone());
        if pow::verify(id, &stamp, minimum, pow::V1::Refused).is_ok() {
            prop_assert!(difficulty <= MAX_DIFFICULTY && difficulty >= minimum);
            prop_assert_eq!(nonces.len(), pow::PARTS);
            for (part, &nonce) in nonces.iter().enumerate() {
                let d = pow::digest(id, &salt, difficulty, part as u8, nonce);
                prop_assert!(pow::leading_zero_bits(&d) >= pow::part_bits(difficulty));
            }
        }
        let nonce = nonces.first().copied().unwrap_or_default();
        let v1 = Stamp::v1(salt.clone(), difficulty, nonce);
        prop_assert_eq!(pow::verify(id, &v1, minimum, pow::V1::Refused).is_ok(), false);
        if pow::verify(id, &v1, minimum, pow::V1::Accepted).is_ok() {
            prop_assert!(difficulty <= MAX_DIFFICULTY && difficulty >= minimum);
            let zeros = pow::leading_zero_bits(&pow::digest_v1(id, &salt, difficulty, nonce));
            prop_assert!(zeros >= u32::from(difficulty));
        }
        // A stamp solved for any salt verifies.
        if difficulty <= 8 && let Some(solved) = pow::solve(id, &salt, difficulty) {
            prop_assert!(pow::verify(id, &solved, difficulty, pow::V1::Refused).is_ok());
        }
    }

    /// A change page's cursor and `more`, from any number of changes and any limit.
    #[test]
    fn change_page_from_any_changes(
        since in any::<u64>(),
        seqs in prop::collection::vec(any::<u64>(), 0..20),
        limit in prop_oneof![0usize..30, Just(usize::MAX)],
    ) {
        let changes: Vec<Change> = seqs
            .iter()
            .map(|&seq| Change::Delete { seq, kind: vecinos_core::RecordKind::Card, id: Uuid::nil() })
            .collect();
        let page = ChangePage::from_changes(Cursor(since), changes, limit);
        prop_assert_eq!(page.more, seqs.len() > limit);
        prop_assert_eq!(page.changes.len(), seqs.len().min(limit));
    }
}

/// Date-shaped text of every kind, the ends of the four-digit years included.
fn time_text() -> impl Strategy<Value = String> {
    let day = prop_oneof![
        2 => (0u32..=9999, 1u32..=12, 1u32..=31),
        1 => prop::sample::select(vec![(9999, 12, 31), (0, 1, 1), (1970, 1, 1), (2024, 2, 29)]),
    ];
    (
        day,
        0u32..=23,
        0u32..=59,
        0u32..=59,
        prop::option::of("[0-9]{1,12}"),
        prop_oneof![
            Just("Z".to_owned()),
            (prop::sample::select(vec!['+', '-']), 0u32..=23, 0u32..=59)
                .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}")),
        ],
    )
        .prop_map(|((y, mo, d), h, mi, s, fraction, zone)| {
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{zone}")
        })
}

proptest! {
    #![proptest_config(config())]

    /// A time that reads writes out as text that reads back as the same instant, and an event
    /// holding it in `starts_at` / `ends_at` as well (times an offset carries past year 9999 or
    /// before year 0 do not read: they would write out unreadable).
    #[test]
    fn times_that_read_also_write(start in time_text(), end in prop::option::of(time_text())) {
        let Some(at) = time::parse_utc(&start) else {
            return Ok(());
        };
        let written = serde_json::to_string(&at).expect("serialises");
        let again = serde_json::from_str::<Value>(&written)
            .ok()
            .and_then(|v| v.as_str().and_then(time::parse_utc));
        prop_assert_eq!(again, Some(at), "{} wrote {}", start, written);
        let mut doc = to_json(&event());
        doc["starts_at"] = json!(start);
        doc["ends_at"] = json!(end);
        parsed(serde_json::from_value::<Event>(doc), |e: &Event| {
            let _ = e.validate();
        })?;
    }
}
