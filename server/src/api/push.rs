//! Web Push subscriptions: a phone subscribes with its push endpoint, keys and a few coarse cells
//! (renewing it while the app is in use) and unsubscribes, also from quick exit. Organisers'
//! subscriptions for new reports need a session. Nothing about the sender is read or kept.

use std::net::IpAddr;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use vecinos_core::push::{
    Audience, MAX_CELLS, MAX_ENDPOINT_LEN, Subscription, Unsubscription, is_cell,
};
use web_push_native::p256::PublicKey;

use super::organise::Organiser;
use super::{ApiError, ApiJson, AppState};
use crate::store::Subscribed;

/// A subscription is a few hundred bytes.
const MAX_BODY_BYTES: usize = 4 * 1024;
/// A subscription lasts this long unless renewed.
const LIFETIME: Duration = Duration::days(30);

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/v1/push/subscriptions",
        post(subscribe)
            .delete(unsubscribe)
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}

async fn subscribe(
    State(state): State<AppState>,
    organiser: Result<Organiser, ApiError>,
    ApiJson(mut subscription): ApiJson<Subscription>,
) -> Result<StatusCode, ApiError> {
    if state.config.vapid.is_none() {
        return Err(ApiError::NotFound);
    }
    check(&mut subscription, state.config.allow_loopback_push)?;
    if subscription.audience == Audience::Reports {
        organiser?;
    }
    state.push_bucket.take().map_err(ApiError::Throttled)?;
    let expires_at = Utc::now() + LIFETIME;
    let max = state.config.max_push_subscriptions;
    match state
        .store
        .push()
        .subscribe(&subscription, expires_at, max)
        .await?
    {
        Subscribed::New => Ok(StatusCode::CREATED),
        Subscribed::Renewed => Ok(StatusCode::OK),
        Subscribed::Full => Err(ApiError::Full),
    }
}

/// Idempotent: an unknown endpoint is already gone.
async fn unsubscribe(
    State(state): State<AppState>,
    ApiJson(gone): ApiJson<Unsubscription>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .push()
        .unsubscribe(&gone.endpoint, gone.audience)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn bad(field: &str, message: &str) -> ApiError {
    ApiError::BadRequest {
        message: message.into(),
        field: Some(field.into()),
    }
}

/// Checks every field, and keeps the keys unpadded and the cells sorted without repeats.
fn check(subscription: &mut Subscription, allow_loopback: bool) -> Result<(), ApiError> {
    check_endpoint(&subscription.endpoint, allow_loopback)?;
    let keys = &mut subscription.keys;
    let p256dh = decode(&mut keys.p256dh, 65)
        .filter(|point| PublicKey::from_sec1_bytes(point).is_ok() && point[0] == 4);
    if p256dh.is_none() {
        return Err(bad(
            "keys.p256dh",
            "p256dh must be base64url of an uncompressed P-256 public key (65 bytes)",
        ));
    }
    if decode(&mut keys.auth, 16).is_none() {
        return Err(bad("keys.auth", "auth must be base64url of 16 bytes"));
    }
    let cells = &mut subscription.cells;
    if cells.is_empty() || cells.len() > MAX_CELLS {
        return Err(bad(
            "cells",
            &format!("choose 1 to {MAX_CELLS} areas to be told about"),
        ));
    }
    if let Some(index) = cells.iter().position(|cell| !is_cell(cell)) {
        return Err(bad(
            &format!("cells[{index}]"),
            "a cell is a geohash of 1 to 5 characters",
        ));
    }
    cells.sort();
    cells.dedup();
    Ok(())
}

/// The bytes of a base64url key of `len` bytes (padding accepted and removed).
fn decode(key: &mut String, len: usize) -> Option<Vec<u8>> {
    key.truncate(key.trim_end_matches('=').len());
    URL_SAFE_NO_PAD
        .decode(key.as_bytes())
        .ok()
        .filter(|bytes| bytes.len() == len)
}

/// A push service is reached over https by name; plain http only to this machine, and only when
/// the server runs with `--allow-loopback-push` (tests with a local push service).
fn check_endpoint(endpoint: &str, allow_loopback: bool) -> Result<(), ApiError> {
    let refuse = || {
        bad(
            "endpoint",
            &format!("the endpoint must be an https URL of at most {MAX_ENDPOINT_LEN} characters"),
        )
    };
    if endpoint.len() > MAX_ENDPOINT_LEN {
        return Err(refuse());
    }
    let url = reqwest::Url::parse(endpoint).map_err(|_| refuse())?;
    let host = url.host_str().ok_or_else(refuse)?;
    let ip = host.trim_matches(['[', ']']).parse::<IpAddr>().ok();
    let loopback = host == "localhost" || ip.is_some_and(|ip| ip.is_loopback());
    let allowed = match url.scheme() {
        "https" if loopback => allow_loopback,
        "https" => ip.is_none(),
        "http" => loopback && allow_loopback,
        _ => false,
    };
    if allowed { Ok(()) } else { Err(refuse()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_https_names_and_loopback_only_when_allowed() {
        let ok = |url: &str, allow| check_endpoint(url, allow).is_ok();
        assert!(ok("https://fcm.googleapis.com/fcm/send/abc", false));
        assert!(!ok("http://fcm.googleapis.com/fcm/send/abc", false));
        assert!(!ok("https://10.0.0.5/push", false), "no address literals");
        assert!(!ok("http://127.0.0.1:9/push", false));
        assert!(ok("http://127.0.0.1:9/push", true));
        assert!(ok("http://[::1]:9/push", true));
        assert!(!ok("http://10.0.0.5/push", true), "loopback only");
        assert!(!ok("ftp://push.example/x", true));
        assert!(!ok(
            &format!("https://push.example/{}", "x".repeat(1000)),
            false
        ));
    }
}
