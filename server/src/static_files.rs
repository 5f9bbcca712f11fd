//! Serves the built PWA (Trunk's dist folder).
//!
//! Hashed assets are immutable and cached for a year; the entry points that name them (index.html,
//! the service worker, the manifest) are revalidated on every load so an update is seen at once.
//! Paths without a file extension are app routes and get index.html; a missing file with an
//! extension is a real 404, so a service worker never caches HTML under a script's name.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

pub fn routes(dist: &Path) -> Router {
    let index = dist.join("index.html");
    let app_route = ServeFile::new(&index)
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(axum::routing::any(move |req: Request| {
            app_route_or_404(req, app_route.clone())
        }));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

async fn app_route_or_404(req: Request, index: ServeFile) -> Response {
    let last = req.uri().path().rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tower::ServiceExt::oneshot(index, req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    }
}

async fn cache_control(req: Request, next: Next) -> Response {
    let policy = cache_policy(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// Trunk names built assets `name-<hash>.ext`, the hash a 64-bit number in hex without leading
/// zeros (so usually 16 digits, rarely fewer); those files never change under the same name.
fn cache_policy(path: &str) -> &'static str {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (10..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    });
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

#[cfg(test)]
mod tests {
    use super::cache_policy;

    #[test]
    fn hashed_assets_are_immutable_and_entry_points_revalidate() {
        let immutable = "public, max-age=31536000, immutable";
        assert_eq!(cache_policy("/vecinos-0123456789abcdef_bg.wasm"), immutable);
        assert_eq!(cache_policy("/vecinos-0123456789abcdef.js"), immutable);
        assert_eq!(cache_policy("/main-fedcba9876543210.css"), immutable);
        assert_eq!(
            cache_policy("/main-70fa2a217226ee0.css"),
            immutable,
            "15 digits: a leading zero"
        );
        for path in [
            "/",
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/events",
            "/icons/icon-192.png",
        ] {
            assert_eq!(cache_policy(path), "no-cache", "{path}");
        }
    }
}
