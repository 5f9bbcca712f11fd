//! The change feed's wire format, defined once for the server and the client.
//!
//! The server numbers every change with a monotonically increasing sequence. A client keeps the
//! cursor of the last change it applied and asks for what came after it, page by page. The feed
//! holds the latest state of each record (older changes of the same record are superseded), and a
//! deletion travels as a tombstone.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::{Record, RecordKind};

/// Position in the change feed: the sequence number of the last change a client has applied.
/// `Cursor::START` means "nothing yet".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(pub u64);

impl Cursor {
    pub const START: Cursor = Cursor(0);
}

/// One numbered change.
// Nearly every change is an upsert, so boxing the record would only add an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Change {
    Upsert {
        seq: u64,
        record: Record,
    },
    Delete {
        seq: u64,
        kind: RecordKind,
        id: Uuid,
    },
}

impl Change {
    pub fn seq(&self) -> u64 {
        match self {
            Self::Upsert { seq, .. } | Self::Delete { seq, .. } => *seq,
        }
    }
}

/// A page of the change feed. `cursor` is where the next request starts; `more` says whether the
/// server holds changes past it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangePage {
    pub changes: Vec<Change>,
    pub cursor: Cursor,
    pub more: bool,
}

impl ChangePage {
    /// Builds the page that follows `since` from changes in sequence order. The server fetches one
    /// row more than `limit` so that it knows whether more remain.
    pub fn from_changes(since: Cursor, mut changes: Vec<Change>, limit: usize) -> Self {
        let more = changes.len() > limit;
        changes.truncate(limit);
        let cursor = changes.last().map_or(since, |c| Cursor(c.seq()));
        Self {
            changes,
            cursor,
            more,
        }
    }
}

/// The server's answer to a delivered report. A repeated delivery of the same report id gets the
/// same receipt, and the server stores nothing new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: Uuid,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

/// Error code of the 410 answer to a cursor older than the tombstone horizon: the client must
/// drop its cache and pull from the start.
pub const RESYNC: &str = "resync";

/// The body of every error answer of the API: a stable machine-readable code, a message for
/// people, and the request field concerned, if any. A validation error lists every problem; a
/// version conflict (409) carries the current record so the organiser can choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::validate::Problem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<Record>>,
}

/// What a phone needs to know about this deployment: `GET /api/v1/config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    pub region: Region,
    pub tiles: Tiles,
    /// How long a verified alert stays up unless the organiser chose otherwise.
    pub alert_ttl_minutes: u32,
    pub pow: PowParams,
    /// ISO 639 codes of the interface languages offered.
    pub languages: Vec<String>,
    /// Web Push, when the server sends pushes (absent for older servers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<crate::push::PushConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub name: String,
    pub centre: crate::geo::LatLon,
    pub bounds: crate::geo::BBox,
    /// The named parts of the region, for putting areas into words on the phone
    /// ([`crate::places`]). Absent from configs kept by older phones.
    #[serde(default)]
    pub neighbourhoods: Vec<crate::places::Neighbourhood>,
    /// The network's rapid-response hotline, for the app's "Call the hotline" (kept on the phone
    /// with the rest of the config, so the button works offline). Absent when none is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotline: Option<Hotline>,
}

/// A phone number people call: its label as the network names it, and the number as dialled
/// (`tel:`), digits with an optional leading `+` and separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hotline {
    pub label: String,
    pub number: String,
}

/// The map tile server: a deployment may point at its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tiles {
    /// With `{z}`, `{x}`, `{y}` placeholders.
    pub url_template: String,
    pub attribution: String,
}

/// Proof-of-work parameters a phone stamps its reports with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowParams {
    pub salt: String,
    pub difficulty: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delete(seq: u64) -> Change {
        Change::Delete {
            seq,
            kind: RecordKind::Event,
            id: Uuid::nil(),
        }
    }

    #[test]
    fn page_cursor_is_last_change_and_more_reflects_the_extra_row() {
        let page = ChangePage::from_changes(Cursor(4), vec![delete(5), delete(7), delete(9)], 2);
        assert_eq!(page.changes.len(), 2);
        assert_eq!(page.cursor, Cursor(7));
        assert!(page.more);
    }

    #[test]
    fn empty_page_keeps_the_cursor() {
        let page = ChangePage::from_changes(Cursor(42), vec![], 100);
        assert_eq!(page.cursor, Cursor(42));
        assert!(!page.more);
    }

    #[test]
    fn a_region_may_name_its_hotline_and_older_configs_have_none() {
        let mut json = serde_json::json!({
            "name": "Example City",
            "centre": {"lat": 44.97, "lon": -93.26},
            "bounds": {"min_lat": 44.8, "min_lon": -93.5, "max_lat": 45.1, "max_lon": -93.0},
        });
        let region: Region = serde_json::from_value(json.clone()).expect("an older region");
        assert_eq!(region.hotline, None);
        assert!(
            !serde_json::to_value(&region)
                .expect("serialises")
                .as_object()
                .expect("an object")
                .contains_key("hotline")
        );
        json["hotline"] = serde_json::json!({"label": "Example hotline", "number": "555-0100"});
        let region: Region = serde_json::from_value(json).expect("a region");
        assert_eq!(
            region.hotline,
            Some(Hotline {
                label: "Example hotline".into(),
                number: "555-0100".into(),
            })
        );
        assert_eq!(
            serde_json::to_value(&region).expect("serialises")["hotline"]["number"],
            "555-0100"
        );
    }

    #[test]
    fn change_wire_format_is_tagged() {
        let json = serde_json::to_value(delete(3)).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"op": "delete", "seq": 3, "kind": "event", "id": Uuid::nil()})
        );
        assert_eq!(RecordKind::parse("resource"), Some(RecordKind::Resource));
        assert_eq!(RecordKind::parse("alert"), Some(RecordKind::Alert));
        assert_eq!(
            RecordKind::parse("report"),
            None,
            "reports never travel in the public feed"
        );
    }
}
