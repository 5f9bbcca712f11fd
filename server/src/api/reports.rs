//! Public report intake: idempotent by the phone-generated id, anti-spam by proof of work and a
//! global token bucket charged only for valid work. It reads nothing about the sender but the
//! body.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use vecinos_core::{Receipt, Report, pow};

use super::{ApiError, ApiJson, AppState};

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
    state.report_bucket.take().map_err(ApiError::Throttled)?;
    let (receipt, new) = state.intake.submit(report).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(receipt)))
}

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
