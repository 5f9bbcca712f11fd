//! Serves the built PWA (Trunk's dist folder).
//!
//! Hashed assets are immutable and cached for a year; the entry points that name them (index.html,
//! the service worker, the manifest) are revalidated on every load so an update is seen at once.
//! Paths without a file extension are app routes and get index.html; a missing file with an
//! extension is a real 404, so a service worker never caches HTML under a script's name.
//!
//! Nothing whose path has a segment starting with a dot is served (`.git/`, `.env`, `.well-known/`
//! too: anything meant for it is the proxy's to answer), nor any path starting with `//`: ServeDir
//! redirects a folder asked for without its slash to the same path plus `/`, which for `//icons`
//! would be `Location: //icons/`, a protocol-relative address on another host.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
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
        .layer(middleware::from_fn(refuse_hidden))
}

/// 404 for dot-files, dot-folders and paths starting with `//`; and, should a redirect to `//...`
/// come out anyway, 404 instead of it.
async fn refuse_hidden(req: Request, next: Next) -> Response {
    if !servable(req.uri().path()) {
        return not_found();
    }
    let res = next.run(req).await;
    let protocol_relative = res
        .headers()
        .get(header::LOCATION)
        .is_some_and(|l| l.as_bytes().starts_with(b"//") || l.as_bytes().starts_with(b"/\\"));
    if protocol_relative {
        return not_found();
    }
    res
}

/// Whether a request path may name a file of dist/: not after percent-decoding (ServeDir decodes)
/// does it start with `//` or have a segment starting with `.`.
fn servable(path: &str) -> bool {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    !path.starts_with("//")
        && !decoded.starts_with("//")
        && !decoded
            .split(['/', '\\'])
            .any(|segment| segment.starts_with('.'))
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

async fn app_route_or_404(req: Request, index: ServeFile) -> Response {
    let last = req.uri().path().rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return not_found();
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
    use super::{cache_policy, servable};

    #[test]
    fn dot_segments_and_leading_double_slashes_are_not_servable() {
        for path in [
            "/.git/config",
            "/.env",
            "/icons/.DS_Store",
            "/%2egit/config",
            "/a/%2E%2E/b",
            "//icons",
            "/%2F%2Fevil.example",
            "/..",
            "/icons\\.hidden",
        ] {
            assert!(!servable(path), "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/icons/icon-192.png",
            "/events/x",
            "/a.b/c",
        ] {
            assert!(servable(path), "{path}");
        }
    }

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
