//! Generators shared by the server's fuzz targets: wild text and numbers, arbitrary JSON values,
//! mutations of valid documents (fields replaced, removed, added or nested) and byte edits. The
//! same shapes as vecinos-core's `tests/fuzz.rs`, whose generators a test binary of another crate
//! cannot import.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Number, Value, json};

/// Characters that tend to break text handling: line breaks, NUL and other controls, bidi
/// overrides and isolates, zero-width and combining characters, separators of the formats the
/// project writes (iCalendar, CSV-like lists, JSON), astral characters.
pub const NASTY: &[char] = &[
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

pub fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NASTY), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Text of every kind: arbitrary Unicode, nasty characters, long runs, date-, id-, geohash- and
/// URL-shaped strings.
pub fn wild_string() -> impl Strategy<Value = String> {
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

/// The field names of every wire type and of HSDS, so that generated objects sometimes hit real
/// fields.
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
    "endpoint",
    "keys",
    "p256dh",
    "auth",
    "cells",
    "audience",
    "password",
    "ttl_minutes",
    "public",
    "contents",
    "organization",
    "schedules",
    "service_at_locations",
    "location",
    "latitude",
    "longitude",
    "addresses",
    "address_1",
    "accessibility",
    "attributes",
    "taxonomy_term",
    "code",
    "taxonomy",
    "assured_date",
    "freq",
    "byday",
    "opens_at",
    "closes_at",
    "service_areas",
    "eligibility_description",
    "fees_description",
    "url",
    "languages",
    "timezone",
    "valid_from",
];

pub fn key() -> impl Strategy<Value = String> {
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
pub fn json_value() -> impl Strategy<Value = Value> {
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
pub enum Mutation {
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

pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
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
pub fn mutate(mut doc: Value, mutations: &[Mutation]) -> Value {
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
pub fn byte_edits() -> impl Strategy<Value = Vec<(Index, u8, u8)>> {
    prop::collection::vec((any::<Index>(), 0u8..3, any::<u8>()), 1..8)
}

pub fn edit_bytes(mut bytes: Vec<u8>, edits: &[(Index, u8, u8)]) -> Vec<u8> {
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
pub fn deep_nesting() -> impl Strategy<Value = Vec<u8>> {
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
