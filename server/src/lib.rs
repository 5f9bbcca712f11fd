//! vecinos-server: the API that phones sync with, and the host of the built PWA.
//!
//! It never stores or logs who is asking: no client addresses, no user agents, no access log.

pub mod admission;
pub mod api;
pub mod auth;
pub mod config;
pub mod demo;
pub mod headers;
pub mod intake;
pub mod interchange;
pub mod listen;
pub mod live;
pub mod push;
pub mod retention;
pub mod static_files;
pub mod store;
pub mod throttle;

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::compression::CompressionLevel;
use tower_http::timeout::RequestBodyTimeoutLayer;
use vecinos_core::ErrorBody;

pub use api::AppState;
use headers::SecurityHeaders;
use store::Store;

/// The whole HTTP application: the API and, when `dist` is given, the built app. Every answer
/// starts within the configured request timeout and carries the security headers; the connection
/// limits are `listen`'s.
pub fn app(state: AppState, dist: Option<&Path>) -> Router {
    let index = dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok());
    let config = state.config.clone();
    let security = SecurityHeaders::new(
        index.as_deref(),
        &config.tiles.url_template,
        config.secure_cookies,
    );
    // Brotli's default quality (11) costs milliseconds per response; 4 compresses JSON nearly as
    // well at a small fraction of the CPU. Static files are precompressed at build time instead.
    let compression = CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Precise(4));
    let api = api::routes(state)
        .method_not_allowed_fallback(|| async {
            error_answer(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this address does not take that method",
            )
        })
        .layer(compression);
    let router = Router::new().nest_service("/api", api);
    let router = match dist {
        Some(dist) => router.merge(static_files::routes(dist)),
        None => router,
    };
    let limit = config.request_timeout;
    router
        .layer(middleware::from_fn(move |req, next| {
            answer_within(limit, req, next)
        }))
        .layer(RequestBodyTimeoutLayer::new(config.body_timeout))
        .layer(middleware::from_fn(move |req, next| {
            security.clone().apply(req, next)
        }))
}

/// Answers 503 `timeout` when the answer has not started within `limit`. Only the start counts: a
/// live stream (`live`) starts at once and then stays open as long as the app listens. A handler
/// that reads its body is covered too, so a body sent a byte at a time cannot hold it for longer.
async fn answer_within(limit: Duration, req: Request, next: Next) -> Response {
    tokio::time::timeout(limit, next.run(req))
        .await
        .unwrap_or_else(|_| {
            error_answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the server took too long to answer; try again later",
            )
        })
}

/// An answer made outside the API's handlers (405, a timeout), in the API's one error shape.
fn error_answer(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody {
        code: code.into(),
        message: message.into(),
        field: None,
        problems: Vec::new(),
        current: None,
    };
    (status, axum::Json(body)).into_response()
}

/// Fills a brand-new database with the fictional demo records. Does nothing on a database that has
/// ever been written to, so demo data never comes back after organisers replace it.
pub async fn seed_demo(
    store: &dyn Store,
    today: chrono::NaiveDate,
) -> Result<bool, store::StoreError> {
    if !store.is_empty().await? {
        return Ok(false);
    }
    store.import(demo::records(today), "demo").await?;
    Ok(true)
}
