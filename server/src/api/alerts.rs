//! What organisers do with a published alert: update it (its text in several languages, its
//! place, its lifetime) as a new version, or withdraw it ("false alarm" or "over"), which takes
//! its text out of the public feed at once and leaves an "All clear" for an hour. Both are pushed
//! like new alerts and audited. (Publishing is verifying a report: `organise::verify`.)

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{post, put};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use serde::Deserialize;
use uuid::Uuid;
use vecinos_core::{Alert, Record, RecordKind, WithdrawalReason};

use super::organise::{Organiser, if_match, no_store};
use super::{ApiError, ApiJson, ApiPath, AppState};

/// The longest an organiser may keep an alert up.
pub const MAX_ALERT_MINUTES: u32 = 72 * 60;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/alerts/{id}", put(update))
        .route("/v1/alerts/{id}/withdraw", post(withdraw))
        .layer(axum::middleware::map_response(no_store))
}

/// An alert's lifetime from `ttl_minutes`, or `default` when not given.
pub fn lifetime(ttl_minutes: Option<u32>, default: Duration) -> Result<Duration, ApiError> {
    match ttl_minutes {
        None => Ok(default),
        Some(minutes) if (1..=MAX_ALERT_MINUTES).contains(&minutes) => {
            Ok(Duration::minutes(i64::from(minutes)))
        }
        Some(_) => Err(ApiError::BadRequest {
            message: format!("an alert lasts 1 to {MAX_ALERT_MINUTES} minutes"),
            field: Some("ttl_minutes".into()),
        }),
    }
}

/// Checks that `area` (the alert's public area, if any) is `within` or coarser: an area can be
/// made coarser by organisers, never finer than what the reporter gave.
pub fn coarser_or_same(area: Option<&str>, within: Option<&str>) -> Result<(), ApiError> {
    match area {
        Some(area) if !within.is_some_and(|w| w.starts_with(area)) => Err(ApiError::BadRequest {
            message: "an alert's area is the report's area or coarser".into(),
            field: Some("area".into()),
        }),
        _ => Ok(()),
    }
}

/// An alert's new version, as the organiser wrote it.
#[derive(Deserialize)]
struct Revision {
    summary: String,
    #[serde(default)]
    translations: BTreeMap<String, String>,
    area: Option<String>,
    cross_streets: Option<String>,
    /// Minutes from now it stays up; unchanged when not given.
    ttl_minutes: Option<u32>,
}

/// The alert as it stands, if it is still up: 404 once expired or gone, 409 with it once
/// withdrawn.
async fn current(state: &AppState, id: Uuid) -> Result<Alert, ApiError> {
    match state.store.record(RecordKind::Alert, id).await? {
        Some(Record::Alert(alert)) if alert.expires_at > Utc::now() => {
            if alert.withdrawn.is_some() {
                Err(ApiError::Conflict(Some(Box::new(Record::Alert(alert)))))
            } else {
                Ok(alert)
            }
        }
        _ => Err(ApiError::NotFound),
    }
}

async fn update(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    ApiJson(revision): ApiJson<Revision>,
) -> Result<Json<Alert>, ApiError> {
    let version = if_match(&headers)?;
    let alert = current(&state, id).await?;
    let source = state.store.source_area(id).await?;
    coarser_or_same(
        revision.area.as_deref(),
        source.as_deref().or(alert.area.as_deref()),
    )?;
    let expires_at = match revision.ttl_minutes {
        Some(_) => Utc::now() + lifetime(revision.ttl_minutes, Duration::zero())?,
        None => alert.expires_at,
    };
    let updated = Alert {
        summary: revision.summary,
        translations: revision.translations,
        area: revision.area,
        cross_streets: revision.cross_streets,
        expires_at,
        ..alert
    };
    updated.validate().map_err(ApiError::Invalid)?;
    let stored = state
        .store
        .revise_alert(updated, version, &organiser.name, "updated")
        .await?;
    state.push_wake.notify_one();
    Ok(Json(stored))
}

#[derive(Deserialize)]
struct Withdrawing {
    reason: WithdrawalReason,
}

async fn withdraw(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(withdrawing): ApiJson<Withdrawing>,
) -> Result<Json<Alert>, ApiError> {
    let alert = current(&state, id).await?;
    let version = alert.version;
    let withdrawn = alert.withdrawn(Utc::now(), withdrawing.reason);
    let action = match withdrawing.reason {
        WithdrawalReason::FalseAlarm => "withdrawn: false alarm",
        WithdrawalReason::Over => "withdrawn: over",
    };
    let stored = state
        .store
        .revise_alert(withdrawn, version, &organiser.name, action)
        .await?;
    state.push_wake.notify_one();
    Ok(Json(stored))
}
