//! Public report intake: idempotent by the phone-generated id, anti-spam by proof of work and a
//! global token bucket charged only for valid work. It reads nothing about the sender but the
//! body.

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vecinos_core::{Receipt, Report, ReportStatus, pow};

use super::{ApiError, ApiJson, AppState};
use crate::config::salt_day;
use crate::store::Stored;

/// A report is a few hundred bytes; anything much bigger is not one.
pub const MAX_REPORT_BYTES: usize = 16 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/reports",
            post(submit).layer(DefaultBodyLimit::max(MAX_REPORT_BYTES)),
        )
        .route(
            "/v1/reports/status",
            post(status).layer(DefaultBodyLimit::max(MAX_STATUS_BYTES)),
        )
}

async fn submit(
    State(state): State<AppState>,
    ApiJson(report): ApiJson<Report>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    // The work is checked before anything shared is spent: posts without valid work never use
    // up the rate that real reports need, and never learn whether an id is known (a phone whose
    // stamp expired is told so, stamps again, and then gets its receipt).
    let now = Utc::now();
    report.validate(now).map_err(ApiError::Invalid)?;
    check_stamp(&state, &report, now)?;
    // A report already stored is answered from one read and charged nothing: the same stamped
    // report posted again and again (its salt stays valid for days) must not use up the rate
    // that new reports need, nor wait behind it.
    if let Some(stored) = state.store.report(report.id).await? {
        return if stored.same_report(&report) {
            let receipt = Receipt {
                id: stored.id,
                received_at: stored.received_at,
            };
            Ok((StatusCode::OK, Json(receipt)))
        } else {
            Err(ApiError::IdTaken)
        };
    }
    if state.backlog.full().await? {
        // The phone keeps the report and tries again; nothing is dropped.
        return Err(ApiError::Throttled(BACKLOG_WAIT));
    }
    state
        .admission
        .admit(report.stamp.difficulty)
        .map_err(ApiError::Throttled)?;
    match state.intake.submit(report).await? {
        Stored::New(receipt) => Ok((StatusCode::CREATED, Json(receipt))),
        Stored::Repeat(receipt) => Ok((StatusCode::OK, Json(receipt))),
        Stored::Taken => Err(ApiError::IdTaken),
    }
}

/// How long a phone is asked to wait while organisers have too many reports to review.
const BACKLOG_WAIT: Duration = Duration::from_secs(60);

/// Checks the salt and the work (eight hashes) against the deployment's base difficulty: the
/// difficulty raised under load is asked for, and makes a report cheaper to admit, but base work
/// is never refused as invalid (`crate::admission`).
///
/// A stamp of scheme v1 is accepted only for one salt window after v2 started (the day of
/// `Store::pow_v2_since` and earlier: phones stamped those before they knew v2). Refused, it
/// gets `field: "stamp"`, so the phone stamps the report again.
fn check_stamp(
    state: &AppState,
    report: &Report,
    now: chrono::DateTime<Utc>,
) -> Result<(), ApiError> {
    if !state
        .config
        .accepted_salts(now)
        .contains(&report.stamp.salt)
    {
        return Err(ApiError::BadRequest {
            message: "the proof-of-work stamp has expired; compute a new one".into(),
            field: Some("stamp.salt".into()),
        });
    }
    let v1 = v1_accepted(&report.stamp.salt, state.store.pow_v2_since());
    pow::verify(report.id, &report.stamp, state.config.pow_difficulty, v1).map_err(|e| {
        ApiError::BadRequest {
            message: e.to_string(),
            field: Some("stamp".into()),
        }
    })
}

/// Whether a v1 stamp with this salt is still accepted: when the salt's day is no later than the
/// day scheme v2 started on. Salts compare as dates, never as text.
fn v1_accepted(salt: &str, v2_since: chrono::DateTime<Utc>) -> pow::V1 {
    match salt_day(salt) {
        Some(day) if day <= v2_since.date_naive() => pow::V1::Accepted,
        _ => pow::V1::Refused,
    }
}

/// `{"id": "<uuid>"}` is a few dozen bytes.
const MAX_STATUS_BYTES: usize = 1024;

/// What a phone asks about a report it sent: the report's id, which only that phone holds (a
/// random version-4 UUID: 122 bits nobody can guess). In the body, never in a URL, where proxies
/// log it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusQuery {
    pub id: Uuid,
}

/// What became of a report, as its sender is told: nothing else (not the alert, not who decided,
/// not when).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// Waiting for an organiser.
    Received,
    /// An organiser verified it and published an alert.
    Published,
    /// An organiser rejected it.
    NotPublished,
    /// An organiser marked it resolved.
    Resolved,
}

impl From<ReportStatus> for Fate {
    fn from(status: ReportStatus) -> Self {
        match status {
            ReportStatus::Received => Self::Received,
            ReportStatus::Verified => Self::Published,
            ReportStatus::Rejected => Self::NotPublished,
            ReportStatus::Resolved => Self::Resolved,
        }
    }
}

#[derive(Serialize)]
pub struct StatusAnswer {
    pub status: Fate,
}

/// `POST /api/v1/reports/status`: what became of the report with this id, or 404 `not_found`
/// for an id the server does not hold (never sent, or deleted after retention's 7 days).
///
/// The answer says nothing about whether an id exists beyond what its holder already knows, and
/// its timing says nothing either: a known and an unknown id cost the same one lookup by primary
/// key (`Store::report`), whose time does not depend on whether a row is found; the only
/// difference is decoding one row of a few hundred bytes, microseconds against a network's
/// milliseconds of jitter. Ids are random v4 UUIDs, so probing for one is hopeless, and the
/// request costs what a caught-up feed poll costs: no throttle of its own.
async fn status(
    State(state): State<AppState>,
    ApiJson(query): ApiJson<StatusQuery>,
) -> Result<Json<StatusAnswer>, ApiError> {
    match state.store.report(query.id).await? {
        Some(report) => Ok(Json(StatusAnswer {
            status: report.status.into(),
        })),
        None => Err(ApiError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_is_accepted_up_to_the_day_v2_started() {
        let since: chrono::DateTime<Utc> = "2026-03-09T08:00:00Z".parse().expect("a time");
        for (salt, v1) in [
            ("vecinos-2026-03-08", pow::V1::Accepted),
            ("vecinos-2026-03-09", pow::V1::Accepted),
            ("vecinos-2026-03-10", pow::V1::Refused),
            ("vecinos-2027-01-01", pow::V1::Refused),
            // Not a salt of ours: never.
            ("vecinos-2026-3-08", pow::V1::Refused),
            ("2026-03-08", pow::V1::Refused),
        ] {
            assert_eq!(v1_accepted(salt, since), v1, "{salt}");
        }
    }
}
