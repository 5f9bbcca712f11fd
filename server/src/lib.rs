//! vecinos-server: the API that phones sync with, and the host of the built PWA.
//!
//! It never stores or logs who is asking: no client addresses, no user agents, no access log.

pub mod api;
pub mod demo;
pub mod static_files;
pub mod store;

use std::path::Path;

use axum::Router;
use tower_http::compression::CompressionLayer;

use store::Store;

/// The whole HTTP application: the API and, when `dist` is given, the built app.
pub fn app(store: Store, dist: Option<&Path>) -> Router {
    let api = api::routes(store).layer(CompressionLayer::new().br(true).gzip(true));
    let router = Router::new().nest_service("/api", api);
    match dist {
        Some(dist) => router.merge(static_files::routes(dist)),
        None => router,
    }
}

/// Fills a brand-new database with the fictional demo records. Does nothing on a database that has
/// ever been written to, so demo data never comes back after organisers replace it.
pub async fn seed_demo(store: &Store, today: chrono::NaiveDate) -> Result<bool, store::StoreError> {
    if !store.is_empty().await? {
        return Ok(false);
    }
    for record in demo::records(today) {
        store.upsert(&record).await?;
    }
    Ok(true)
}
