//! Signing in and out: `POST /v1/session` (name and password for a session cookie),
//! `GET /v1/session` (who is signed in) and `DELETE /v1/session`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::Utc;
use serde::Deserialize;

use super::organise::{Organiser, no_store};
use super::{ApiError, ApiJson, AppState};
use crate::auth;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/session", post(sign_in).get(whoami).delete(sign_out))
        .layer(axum::middleware::map_response(no_store))
}

#[derive(Deserialize)]
struct Credentials {
    name: String,
    password: String,
}

async fn sign_in(
    State(state): State<AppState>,
    ApiJson(creds): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    if let Some(wait) = state.sign_in.blocked(&creds.name) {
        return Err(ApiError::Throttled(wait));
    }
    let stored = state.store.password_hash(&creds.name).await?;
    // Without an account, check against a throwaway hash anyway: both answers take as long.
    let password = creds.password;
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => auth::verify_password(&password, &hash),
        None => {
            let _ = auth::hash_password(&password);
            false
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    if !ok {
        state.sign_in.failed(&creds.name);
        return Err(ApiError::BadCredentials);
    }
    state.sign_in.succeeded(&creds.name);
    let (token, token_hash) = auth::new_session_token()?;
    let ttl = state.config.session_ttl;
    state
        .store
        .create_session(&token_hash, &creds.name, Utc::now() + ttl)
        .await?;
    let cookie = auth::session_cookie(&token, ttl.num_seconds(), state.config.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(serde_json::json!({ "name": creds.name })),
    )
        .into_response())
}

async fn whoami(organiser: Organiser) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "name": organiser.name }))
}

async fn sign_out(
    State(state): State<AppState>,
    organiser: Organiser,
) -> Result<Response, ApiError> {
    state.store.delete_session(&organiser.token_hash).await?;
    let cookie = auth::session_cookie("", 0, state.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
