//! The JSON API, nested under /api (so its routes read /v1/...).
//!
//! Handlers never see who is asking: no client address, no user agent. Errors are answered once,
//! here, as `ErrorBody` JSON; internal details are logged, never sent.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use vecinos_core::{ChangePage, Cursor, ErrorBody};

use crate::store::{Store, StoreError};

/// Largest page a client may ask for; also the default.
pub const MAX_PAGE: usize = 500;

pub fn routes(store: Store) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/changes", get(changes))
        .fallback(not_found)
        .with_state(store)
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest {
        message: String,
        field: Option<&'static str>,
    },
    #[error("no such API endpoint")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = match &self {
            Self::BadRequest { field, .. } => (StatusCode::BAD_REQUEST, "bad_request", *field),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found", None),
            Self::Store(err) => {
                tracing::error!("{err}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
            }
        };
        let message = match status {
            StatusCode::INTERNAL_SERVER_ERROR => {
                "the server could not answer; try again later".to_owned()
            }
            _ => self.to_string(),
        };
        let body = ErrorBody {
            code: code.into(),
            message,
            field: field.map(Into::into),
        };
        (status, Json(body)).into_response()
    }
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
    State(store): State<Store>,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Json<ChangePage>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::BadRequest {
        message: format!(
            "since and limit must be non-negative whole numbers ({})",
            e.body_text()
        ),
        field: Some(if e.body_text().contains("limit") {
            "limit"
        } else {
            "since"
        }),
    })?;
    let limit = query.limit.unwrap_or(MAX_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest {
            message: format!("limit must be between 1 and {MAX_PAGE}"),
            field: Some("limit"),
        });
    }
    let since = Cursor(query.since.unwrap_or(0));
    Ok(Json(store.changes(since, limit).await?))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}
