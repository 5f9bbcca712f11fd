//! The public read side: health, the change feed and the deployment's config.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use vecinos_core::{ChangePage, ClientConfig, Cursor};

use super::{ApiError, AppState};

/// Largest page a client may ask for; also the default.
pub const MAX_PAGE: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/changes", get(changes))
        .route("/v1/config", get(config))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

#[derive(Deserialize)]
struct ChangesQuery {
    since: Option<u64>,
    limit: Option<usize>,
}

async fn changes(
    State(state): State<AppState>,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Json<ChangePage>, ApiError> {
    let Query(query) = query.map_err(|e| {
        let field = if e.body_text().contains("limit") {
            "limit"
        } else {
            "since"
        };
        ApiError::BadRequest {
            message: format!(
                "since and limit must be non-negative whole numbers ({})",
                e.body_text()
            ),
            field: Some(field.into()),
        }
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

/// The newest sequence number this server saw recently, so that the commonest pull, a caught-up
/// phone asking "anything since N?", is answered without a database round trip. It is at most
/// `ttl` old (a change committed through another server, or by retention, reaches a phone at its
/// next poll after that) and forgotten on every write made through this server's API.
pub struct FeedHead {
    ttl: Duration,
    seen: Mutex<Option<(u64, Instant)>>,
}

impl FeedHead {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            seen: Mutex::new(None),
        }
    }

    fn recent(&self) -> Option<u64> {
        let seen = *self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(head, _)| head)
    }

    fn saw(&self, head: u64) -> u64 {
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = Some((head, Instant::now()));
        head
    }

    pub fn forget(&self) {
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

async fn config(State(state): State<AppState>) -> Json<ClientConfig> {
    Json(state.config.client(chrono::Utc::now()))
}
