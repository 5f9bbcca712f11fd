//! What organisers see of the reports neighbours sent: the server's answer to
//! `GET /api/v1/reports`, read by the Organise page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::{ReportKind, ReportStatus};
use crate::time;

/// A report as organisers triage it: the report without its stamp, with its status and when the
/// server received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    pub id: Uuid,
    pub kind: ReportKind,
    pub description: String,
    #[serde(deserialize_with = "time::utc")]
    pub observed_at: DateTime<Utc>,
    pub area: Option<String>,
    pub cross_streets: Option<String>,
    pub language: String,
    pub status: ReportStatus,
    #[serde(deserialize_with = "time::utc")]
    pub received_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let report = StoredReport {
            id: Uuid::from_u128(7),
            kind: ReportKind::Checkpoint,
            description: "Two vans on Lake St".into(),
            observed_at: "2025-03-01T10:00:00Z".parse().expect("a time"),
            area: Some("9zvxvh8".into()),
            cross_streets: None,
            language: "en".into(),
            status: ReportStatus::Received,
            received_at: "2025-03-01T10:02:03Z".parse().expect("a time"),
        };
        let json = serde_json::to_string(&report).expect("serialises");
        assert_eq!(
            json,
            r#"{"id":"00000000-0000-0000-0000-000000000007","kind":"checkpoint","description":"Two vans on Lake St","observed_at":"2025-03-01T10:00:00Z","area":"9zvxvh8","cross_streets":null,"language":"en","status":"received","received_at":"2025-03-01T10:02:03Z"}"#
        );
        assert_eq!(
            serde_json::from_str::<StoredReport>(&json).expect("deserialises"),
            report
        );
    }
}
