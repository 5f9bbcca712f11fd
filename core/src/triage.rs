//! What organisers see of the reports neighbours sent: the server's answer to
//! `GET /api/v1/reports`, read by the Organise page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::{Report, ReportKind, ReportStatus};
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

/// One page of triage (`GET /api/v1/reports`): reports newest first, and the `after` to ask for
/// to get the next page (None on the last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    pub reports: Vec<StoredReport>,
    pub next: Option<String>,
}

impl StoredReport {
    /// True when `report` says what this one says: the same phone sending it again (with a new
    /// stamp, say), not a different report under its id. Times are compared to the second, as
    /// they are stored.
    pub fn same_report(&self, report: &Report) -> bool {
        self.id == report.id
            && self.kind == report.kind
            && self.description == report.description
            && self.observed_at.timestamp() == report.observed_at.timestamp()
            && self.area == report.area
            && self.cross_streets == report.cross_streets
            && self.language == report.language
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_the_same_only_when_everything_it_says_is() {
        let report = Report {
            id: Uuid::from_u128(7),
            kind: ReportKind::Checkpoint,
            description: "Two vans on Lake St".into(),
            observed_at: "2025-03-01T10:00:00.250Z".parse().expect("a time"),
            area: Some("9zvxvh8".into()),
            cross_streets: None,
            language: "en".into(),
            stamp: crate::pow::Stamp::v2("s", 8, vec![1; crate::pow::PARTS]),
        };
        let stored = StoredReport {
            id: report.id,
            kind: report.kind,
            description: report.description.clone(),
            observed_at: "2025-03-01T10:00:00Z".parse().expect("a time"),
            area: report.area.clone(),
            cross_streets: None,
            language: "en".into(),
            status: ReportStatus::Verified,
            received_at: "2025-03-01T10:02:03Z".parse().expect("a time"),
        };
        assert!(stored.same_report(&report));
        let restamped = Report {
            stamp: crate::pow::Stamp::v2("s", 8, vec![99; crate::pow::PARTS]),
            ..report.clone()
        };
        assert!(stored.same_report(&restamped));
        let other = Report {
            description: "Nothing here".into(),
            ..report.clone()
        };
        assert!(!stored.same_report(&other));
        let elsewhere = Report {
            area: Some("9zvxvh9".into()),
            ..report
        };
        assert!(!stored.same_report(&elsewhere));
    }

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
