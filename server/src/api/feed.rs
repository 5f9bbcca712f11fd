//! The public read side: health, the change feed and the deployment's config.

use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;
use vecinos_core::{Alert, ChangePage, ClientConfig, Cursor, Record, RecordKind};

use super::{ApiError, ApiPath, ApiQuery, AppState, QueryRejection};

/// Largest page a client may ask for; also the default.
pub const MAX_PAGE: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/changes", get(changes))
        .route("/v1/changes/stream", get(stream))
        .route("/v1/alerts/{id}", get(alert))
        .route("/v1/config", get(config))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// Live updates (`crate::live`): the feed's head whenever it moves. When every slot is taken,
/// the app is asked to come back later and keeps to its timer meanwhile.
async fn stream(State(state): State<AppState>) -> Result<Response, ApiError> {
    match state.live.stream() {
        Some(stream) => Ok(stream.into_response()),
        None => Err(ApiError::Throttled(Duration::from_secs(60))),
    }
}

/// One active alert, as the feed has it: what the service worker shows for a push, whose payload
/// carries only the id. An expired or withdrawn alert is not found.
async fn alert(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Alert>, ApiError> {
    match state.store.record(RecordKind::Alert, id).await? {
        Some(Record::Alert(alert)) if alert.expires_at > Utc::now() => Ok(Json(alert)),
        _ => Err(ApiError::NotFound),
    }
}

#[derive(Deserialize)]
struct ChangesQuery {
    since: Option<u64>,
    limit: Option<usize>,
}

async fn changes(
    State(state): State<AppState>,
    query: Result<ApiQuery<ChangesQuery>, QueryRejection>,
) -> Result<Json<ChangePage>, ApiError> {
    let ApiQuery(query) = query.map_err(|e| ApiError::BadRequest {
        message: format!(
            "since and limit must be non-negative whole numbers ({})",
            e.message
        ),
        field: e.field,
    })?;
    let limit = query.limit.unwrap_or(MAX_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest {
            message: format!("limit must be between 1 and {MAX_PAGE}"),
            field: Some("limit".into()),
        });
    }
    let since = Cursor(query.since.unwrap_or(0));
    let head = match state.feed_head.recent() {
        Some(head) if since.0 <= head => head,
        // Unknown, stale, or the phone is ahead of what this server saw: ask the database.
        _ => state.feed_head.saw(state.store.head().await?),
    };
    if since.0 > head {
        // A cursor from the future comes from another database (a reset or a restore).
        return Err(ApiError::Resync);
    }
    if since.0 == head {
        return Ok(Json(ChangePage {
            changes: Vec::new(),
            cursor: since,
            more: false,
        }));
    }
    Ok(Json(state.store.changes(since, limit).await?))
}

/// The deployment's config, with the proof-of-work difficulty asked for now (raised under load:
/// `crate::admission`).
async fn config(State(state): State<AppState>) -> Json<ClientConfig> {
    let mut config = state.config.client(chrono::Utc::now());
    config.pow.difficulty = state.admission.difficulty();
    Json(config)
}
