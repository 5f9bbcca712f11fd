//! Signing in and out: `POST /v1/session` (name and password for a session cookie),
//! `GET /v1/session` (who is signed in) and `DELETE /v1/session`; an organiser's own sessions:
//! `GET /v1/sessions` and `DELETE /v1/sessions/{id}`.
//!
//! A sign-in is checked in this order, each step before anything costlier (issue 14, findings 2
//! and 3):
//!
//! 1. The body is at most `BODY_LIMIT` bytes (413), the name 1 to `MAX_NAME` characters once
//!    trimmed and the password 1 to `MAX_PASSWORD` bytes (400 naming the field): no lookup, no hash.
//! 2. A browser whose device cookie (`auth::DEVICE_COOKIE`) is trusted for that name is *trusted*:
//!    the name's failed attempts do not concern it. Any other attempt whose name has failed too
//!    often waits (`throttle::sign_in_delay`): 429 with Retry-After.
//! 3. It waits for a turn of the hasher (`auth::Hasher`), at most 10 s: 503 `busy` with
//!    Retry-After, because the server is out of capacity, not this client over a limit.
//! 4. Holding the turn, its attempt is counted before the hash, on the device's row (trusted) or
//!    the name's (untrusted, checked again and counted atomically, so concurrent attempts never
//!    share one turn of the delay); a failure's wait runs from its answer. A success forgets
//!    them, and sends the device cookie (a new token for an untrusted browser, the same one
//!    renewed for a trusted one). A trusted browser's success leaves the name's failures alone:
//!    they were someone else's.
//!
//! The answer to a wrong password is the same for names with and without an account, and takes as
//! long; failures of names without an account are counted too.
//!
//! The same-site check for organisers' state-changing routes (`same_site_only` in api/mod.rs)
//! wraps these routes with `organise`'s: POST and DELETE here are refused from other sites before
//! anything of the above.

use std::time::Duration;

use super::ApiPath;
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use chrono::Utc;
use serde::Deserialize;

use super::organise::{Organiser, no_store};
use super::{ApiError, ApiJson, ApiQuery, AppState};
use crate::auth::{self, MAX_NAME, MAX_PASSWORD};
use crate::store::{AccountStore, DEVICES_KEPT, DEVICES_PER_USER, FAILURE_NAMES};
use crate::throttle::{self, DEVICE_FAILURES};

/// The largest sign-in body: a name and a password with room to spare.
const BODY_LIMIT: usize = 4096;
/// The Retry-After of a 503 `busy`.
const BUSY_RETRY: Duration = Duration::from_secs(5);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/session",
            post(sign_in)
                .layer(DefaultBodyLimit::max(BODY_LIMIT))
                .get(whoami)
                .delete(sign_out),
        )
        .route("/v1/sessions", get(sessions))
        .route("/v1/sessions/{id}", delete(end_session))
        .layer(axum::middleware::map_response(no_store))
}

#[derive(Deserialize)]
struct Credentials {
    name: String,
    password: String,
}

/// The name as accounts are keyed: trimmed (a phone's keyboard adds a space after a suggested
/// word), 1 to `MAX_NAME` characters.
pub(super) fn checked_name(name: &str) -> Result<&str, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::BadRequest {
            message: format!("a name is 1 to {MAX_NAME} characters"),
            field: Some("name".into()),
        });
    }
    Ok(name)
}

fn checked_password(password: &str) -> Result<(), ApiError> {
    if password.is_empty() || password.len() > MAX_PASSWORD {
        return Err(ApiError::BadRequest {
            message: format!("a password is 1 to {MAX_PASSWORD} bytes"),
            field: Some("password".into()),
        });
    }
    Ok(())
}

async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(creds): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    let name = checked_name(&creds.name)?;
    checked_password(&creds.password)?;
    let accounts = state.store.accounts();
    let device = auth::device_token(&headers).map(|token| {
        let hash = auth::token_hash(&token);
        (token, hash)
    });
    let trusted = match &device {
        Some((_, hash)) => {
            accounts
                .trusted_device(hash, name, Utc::now(), DEVICE_FAILURES)
                .await?
        }
        None => false,
    };
    if !trusted {
        // Refused at once, before waiting for a turn; checked again, atomically, with one.
        let now = Utc::now();
        if let Some(failures) = accounts.sign_in_failures(name, now).await?
            && let Some(wait) = throttle::sign_in_wait(failures.count, failures.last, now)
        {
            return Err(ApiError::Throttled(wait));
        }
    }

    let turn = state
        .hasher
        .turn()
        .await
        .map_err(|auth::Busy| ApiError::Busy(BUSY_RETRY))?;
    // A trusted browser that failed `DEVICE_FAILURES` times since (say, concurrently) is counted as
    // untrusted.
    let device_attempt = match (&device, trusted) {
        (Some((_, hash)), true) => accounts
            .count_device_attempt(hash, name, Utc::now(), DEVICE_FAILURES)
            .await?
            .map(|attempts| (hash.as_str(), attempts)),
        _ => None,
    };
    if device_attempt.is_none() {
        count_untrusted_attempt(accounts, name).await?;
    }
    let stored = state.store.password_hash(name).await?;
    let ok = state.hasher.verify(turn, creds.password, stored).await?;
    let secure = state.config.secure_cookies;

    if !ok {
        if let Some((hash, attempts)) = device_attempt
            && attempts >= DEVICE_FAILURES
        {
            // Trusted no longer: from now on it waits like anyone else.
            accounts.delete_device(hash).await?;
            let mut refusal = ApiError::BadCredentials.into_response();
            refusal
                .headers_mut()
                .append(header::SET_COOKIE, auth::device_cookie("", 0, secure));
            return Ok(refusal);
        }
        if device_attempt.is_none() {
            accounts.sign_in_failed(name, Utc::now()).await?;
        }
        return Err(ApiError::BadCredentials);
    }

    let now = Utc::now();
    let device_token = match (device_attempt, &device) {
        (Some((hash, _)), Some((token, _))) => {
            accounts.device_signed_in(hash, now).await?;
            token.clone()
        }
        _ => {
            accounts.clear_sign_in_failures(name).await?;
            let (token, hash) = auth::new_session_token()?;
            accounts
                .add_device(&hash, name, now, DEVICES_PER_USER)
                .await?;
            token
        }
    };
    let (token, token_hash) = auth::new_session_token()?;
    let ttl = state.config.session_ttl;
    state
        .store
        .create_session(&token_hash, name, now + ttl)
        .await?;
    let mut response = Json(serde_json::json!({ "name": name })).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        auth::session_cookie(&token, ttl.num_seconds(), secure),
    );
    headers.append(
        header::SET_COOKIE,
        auth::device_cookie(&device_token, DEVICES_KEPT.num_seconds(), secure),
    );
    Ok(response)
}

/// Counts an untrusted attempt for `name`, unless the name's failures ask it to wait (429). The
/// failures are read and counted with a compare-and-set, so of concurrent attempts exactly one
/// takes each turn.
async fn count_untrusted_attempt(accounts: &dyn AccountStore, name: &str) -> Result<(), ApiError> {
    for _ in 0..8 {
        let now = Utc::now();
        let seen = accounts.sign_in_failures(name, now).await?;
        if let Some(failures) = seen
            && let Some(wait) = throttle::sign_in_wait(failures.count, failures.last, now)
        {
            return Err(ApiError::Throttled(wait));
        }
        if accounts
            .count_sign_in_attempt(name, seen, now, FAILURE_NAMES)
            .await?
        {
            return Ok(());
        }
    }
    // So many attempts for one name at once that each lost the race eight times.
    Err(ApiError::Throttled(Duration::from_secs(1)))
}

async fn whoami(organiser: Organiser) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "name": organiser.name }))
}

/// The signed-in organiser's own sessions: this one, and the others by when each was last used
/// (to about five minutes). Nothing tells them apart but that: the server keeps no address or
/// browser of a session. Each has an id made from its token's hash, never the hash itself.
async fn sessions(
    State(state): State<AppState>,
    organiser: Organiser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state
        .store
        .accounts()
        .sessions_of(&organiser.name, Utc::now())
        .await?;
    let sessions: Vec<_> = list
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": auth::session_id(&s.token_hash),
                "this": s.token_hash == organiser.token_hash,
                "last_seen": s.last_seen,
                "expires_at": s.expires_at,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "sessions": sessions })))
}

/// Ends one of the organiser's own sessions (a phone left somewhere); 404 for an id that is not
/// one of theirs.
async fn end_session(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let accounts = state.store.accounts();
    let list = accounts.sessions_of(&organiser.name, Utc::now()).await?;
    let session = list
        .iter()
        .find(|s| auth::session_id(&s.token_hash) == id)
        .ok_or(ApiError::NotFound)?;
    if !accounts
        .end_session_of(&organiser.name, &session.token_hash)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct SignOut {
    /// `device=forget`: this browser is trusted no longer either (quick exit), and the answer
    /// removes its device cookie. Works without a session too.
    device: Option<String>,
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    organiser: Result<Organiser, ApiError>,
    ApiQuery(query): ApiQuery<SignOut>,
) -> Result<Response, ApiError> {
    let secure = state.config.secure_cookies;
    let forget = query.device.as_deref() == Some("forget");
    let organiser = match organiser {
        Ok(organiser) => Some(organiser),
        Err(ApiError::Unauthenticated) if forget => None,
        Err(e) => return Err(e),
    };
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(organiser) = organiser {
        state.store.delete_session(&organiser.token_hash).await?;
        response
            .headers_mut()
            .append(header::SET_COOKIE, auth::session_cookie("", 0, secure));
    }
    if forget {
        if let Some(token) = auth::device_token(&headers) {
            state
                .store
                .accounts()
                .delete_device(&auth::token_hash(&token))
                .await?;
        }
        response
            .headers_mut()
            .append(header::SET_COOKIE, auth::device_cookie("", 0, secure));
    }
    Ok(response)
}
