//! vecinos-server: the API that phones sync with, and the host of the built PWA.
//!
//! It never stores or logs who is asking: no client addresses, no user agents, no access log.

pub mod api;
pub mod auth;
pub mod config;
pub mod demo;
pub mod headers;
pub mod intake;
pub mod interchange;
pub mod live;
pub mod push;
pub mod retention;
pub mod static_files;
pub mod store;
pub mod throttle;

use std::path::Path;

use axum::Router;
use axum::middleware;
use tower_http::compression::CompressionLayer;
use tower_http::compression::CompressionLevel;

pub use api::AppState;
use headers::SecurityHeaders;
use store::Store;

/// The whole HTTP application: the API and, when `dist` is given, the built app.
pub fn app(state: AppState, dist: Option<&Path>) -> Router {
    let index = dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok());
    let security = SecurityHeaders::new(index.as_deref(), &state.config.tiles.url_template);
    // Brotli's default quality (11) costs milliseconds per response; 4 compresses JSON nearly as
    // well at a small fraction of the CPU. Static files are precompressed at build time instead.
    let compression = CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Precise(4));
    let api = api::routes(state).layer(compression);
    let router = Router::new().nest_service("/api", api);
    let router = match dist {
        Some(dist) => router.merge(static_files::routes(dist)),
        None => router,
    };
    router.layer(middleware::from_fn(move |req, next| {
        security.clone().apply(req, next)
    }))
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
