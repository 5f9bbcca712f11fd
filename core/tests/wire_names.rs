//! Each enum's `as_str` (used in SQL, URLs and file names) and `parse` agree with its serde name
//! (used in the JSON), for every variant its `ALL` lists.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use vecinos_core::{EventStatus, RecordKind, ReportKind, ReportStatus};

fn serde_name<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        other => panic!("not serialised as a string: {other:?}"),
    }
}

fn check<T>(all: &[T], as_str: fn(T) -> &'static str, parse: Option<fn(&str) -> Option<T>>)
where
    T: Copy + PartialEq + Debug + Serialize + DeserializeOwned,
{
    for &value in all {
        let name = as_str(value);
        assert_eq!(serde_name(value), name, "{value:?}");
        let read: T = serde_json::from_value(serde_json::json!(name)).expect("serde reads as_str");
        assert_eq!(read, value);
        if let Some(parse) = parse {
            assert_eq!(parse(name), Some(value), "{value:?}");
        }
    }
}

#[test]
fn event_status() {
    check(&EventStatus::ALL, EventStatus::as_str, None);
}

#[test]
fn report_kind() {
    check(
        &ReportKind::ALL,
        ReportKind::as_str,
        Some(ReportKind::parse),
    );
}

#[test]
fn report_status() {
    check(
        &ReportStatus::ALL,
        ReportStatus::as_str,
        Some(ReportStatus::parse),
    );
}

#[test]
fn record_kind() {
    check(
        &RecordKind::ALL,
        RecordKind::as_str,
        Some(RecordKind::parse),
    );
}

#[test]
fn parse_refuses_what_is_not_a_name() {
    assert_eq!(ReportKind::parse("Checkpoint"), None);
    assert_eq!(ReportStatus::parse(""), None);
    assert_eq!(RecordKind::parse("events"), None);
}
