//! Security headers on every response. The Content-Security-Policy allows no inline script but
//! Trunk's bootstrap, by its hash (read from the built index.html at start-up), plus
//! 'wasm-unsafe-eval' for the WASM; images may also come from the configured tile server, which the
//! service worker may also fetch from (to keep viewed tiles). ARCHITECTURE.md's "Security headers"
//! table says why each header is there.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Two years, subdomains included: what the HSTS preload list asks for (without `preload`, which
/// is a decision for whoever owns the domain).
const HSTS: &str = "max-age=63072000; includeSubDomains";

#[derive(Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    /// Sent only when the server is reached over HTTPS: browsers ignore it over plain HTTP, and a
    /// server run on a laptop over HTTP must not pin its name to HTTPS.
    https: bool,
}

impl SecurityHeaders {
    /// `index_html` is the built page (None when serving the API only); `tile_template` the map
    /// tile URL template, whose origin images may come from; `https` that the server is reached
    /// over HTTPS (through a TLS proxy), which adds HSTS.
    pub fn new(index_html: Option<&str>, tile_template: &str, https: bool) -> Self {
        let hashes: String = index_html
            .map(inline_script_hashes)
            .unwrap_or_default()
            .iter()
            .map(|h| format!(" '{h}'"))
            .collect();
        let tiles = origin(tile_template)
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
             img-src 'self' data:{tiles}; connect-src 'self'{tiles}; font-src 'self'; manifest-src 'self'; \
             worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        Self {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            https,
        }
    }

    pub async fn apply(self, req: Request, next: Next) -> Response {
        let mut res = next.run(req).await;
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_SECURITY_POLICY, self.csp);
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "geolocation=(self), camera=(), microphone=(), interest-cohort=()",
            ),
        );
        headers.insert(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
        headers.insert(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        );
        if self.https {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            );
        }
        res
    }
}

/// `sha256-...` of the text of every inline `<script>` (those without a `src`).
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + open_end];
        let body_start = start + open_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let body = &rest[body_start..body_start + close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[body_start + close..];
    }
    hashes
}

/// `https://tile.example.org` of `https://tile.example.org/{z}/{x}/{y}.png`.
fn origin(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + i);
    Some(&url[..host_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_skipped() {
        let html = "<script type=module>init()</script><script src=/a.js></script>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert_eq!(hashes[0], format!("sha256-{expected}"));
    }

    #[test]
    fn the_policy_has_no_unsafe_inline_and_allows_the_tile_origin() {
        let headers = SecurityHeaders::new(
            Some("<script>x</script>"),
            "https://tiles.example.org/{z}/{x}/{y}.png",
            false,
        );
        let csp = headers.csp.to_str().unwrap_or_default();
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("'sha256-"));
        assert!(csp.contains("img-src 'self' data: https://tiles.example.org;"));
        assert!(csp.contains("connect-src 'self' https://tiles.example.org;"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
