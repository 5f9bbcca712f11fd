//! Public report intake: idempotent by the phone-generated id, anti-spam by proof of work and a
//! global token bucket charged only for valid work. It reads nothing about the sender but the
//! body.

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use vecinos_core::{Receipt, Report, pow};

use super::{ApiError, ApiJson, AppState};
use crate::store::Stored;

/// A report is a few hundred bytes; anything much bigger is not one.
pub const MAX_REPORT_BYTES: usize = 16 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/v1/reports",
        post(submit).layer(DefaultBodyLimit::max(MAX_REPORT_BYTES)),
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

/// Checks the salt and the work (one hash) against the deployment's base difficulty: the
/// difficulty raised under load is asked for, and makes a report cheaper to admit, but base work
/// is never refused as invalid (`crate::admission`).
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
    pow::verify(report.id, &report.stamp, state.config.pow_difficulty).map_err(|e| {
        ApiError::BadRequest {
            message: e.to_string(),
            field: Some("stamp".into()),
        }
    })
}
