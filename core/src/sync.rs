//! The change feed's wire format, defined once for the server and the client.
//!
//! The server numbers every change with a monotonically increasing sequence. A client keeps the
//! cursor of the last change it applied and asks for what came after it, page by page. The feed
//! holds the latest state of each record (older changes of the same record are superseded), and a
//! deletion travels as a tombstone.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::{Event, Resource};

/// Position in the change feed: the sequence number of the last change a client has applied.
/// `Cursor::START` means "nothing yet".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(pub u64);

impl Cursor {
    pub const START: Cursor = Cursor(0);
}

/// What kind of record a change concerns; also the client's IndexedDB store for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Event,
    Resource,
}

impl RecordKind {
    pub const ALL: [RecordKind; 2] = [RecordKind::Event, RecordKind::Resource];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Resource => "resource",
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
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Event(_) => RecordKind::Event,
            Self::Resource(_) => RecordKind::Resource,
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            Self::Event(e) => e.id,
            Self::Resource(r) => r.id,
        }
    }
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

/// The body of every error answer of the API: a stable machine-readable code, a message for
/// people, and the request field concerned, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
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
    fn change_wire_format_is_tagged() {
        let json = serde_json::to_value(delete(3)).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"op": "delete", "seq": 3, "kind": "event", "id": Uuid::nil()})
        );
        assert_eq!(RecordKind::parse("resource"), Some(RecordKind::Resource));
        assert_eq!(RecordKind::parse("alert"), None);
    }
}
