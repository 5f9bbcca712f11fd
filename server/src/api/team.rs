//! An organisers' team without a server shell (issue 17): one-time invite links, the team list,
//! and removal by an admin.
//!
//! - `POST /v1/invites` (an organiser): a new invite, `{ token, expires_at }`. The app puts the
//!   token in the link's fragment (`/join#<token>`), which browsers never send to a server; the
//!   server keeps only its hash. It works once, for `INVITE_KEPT`.
//! - `POST /v1/invites/join` (no session, the token is the credential): `{ token, name, password }`
//!   makes the organiser, who then signs in as anyone does. The invite is checked before the
//!   password is hashed, and the hash takes a turn of the sign-in hasher, so a flood of joins
//!   cannot take the server's CPU. A name already taken leaves the invite usable.
//! - `GET /v1/organisers` (an organiser): names and roles.
//! - `DELETE /v1/organisers/{name}` (an admin): removes the organiser, whose sessions end at once
//!   (every request looks its session up). An admin cannot remove themself, so a team always
//!   keeps one.

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::organise::{Organiser, no_store};
use super::session::checked_name;
use super::{ApiError, ApiJson, ApiPath, AppState};
use crate::auth::{self, MAX_PASSWORD};
use crate::store::{INVITE_KEPT, Joined, Member, StoreError};

/// The shortest password a new organiser may choose (as `vecinos-server user add` asks).
const MIN_PASSWORD: usize = 12;
/// The largest join body: a token, a name and a password with room to spare.
const BODY_LIMIT: usize = 4096;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/invites", post(invite))
        .route(
            "/v1/invites/join",
            post(join).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/v1/organisers", get(members))
        .route("/v1/organisers/{name}", delete(remove))
        .layer(axum::middleware::map_response(no_store))
}

#[derive(Serialize)]
struct Invite {
    token: String,
    expires_at: DateTime<Utc>,
}

async fn invite(
    State(state): State<AppState>,
    organiser: Organiser,
) -> Result<(StatusCode, Json<Invite>), ApiError> {
    let (token, hash) = auth::new_session_token()?;
    let now = Utc::now();
    let expires_at = now + INVITE_KEPT;
    state
        .store
        .accounts()
        .add_invite(&hash, &organiser.name, now, expires_at)
        .await?;
    Ok((StatusCode::CREATED, Json(Invite { token, expires_at })))
}

#[derive(Deserialize)]
struct Joining {
    token: String,
    name: String,
    password: String,
}

fn used_up() -> ApiError {
    ApiError::BadRequest {
        message: "this invite link has been used or is more than a day old: ask for a new one"
            .into(),
        field: Some("token".into()),
    }
}

async fn join(
    State(state): State<AppState>,
    ApiJson(joining): ApiJson<Joining>,
) -> Result<StatusCode, ApiError> {
    let name = checked_name(&joining.name)?;
    let length = joining.password.chars().count();
    if length < MIN_PASSWORD || joining.password.len() > MAX_PASSWORD {
        return Err(ApiError::BadRequest {
            message: format!(
                "a password is at least {MIN_PASSWORD} characters and at most {MAX_PASSWORD} bytes"
            ),
            field: Some("password".into()),
        });
    }
    let hash = auth::token_hash(&joining.token);
    let accounts = state.store.accounts();
    if !accounts.invite_open(&hash, Utc::now()).await? {
        return Err(used_up());
    }
    let turn = state
        .hasher
        .turn()
        .await
        .map_err(|auth::Busy| ApiError::Busy(std::time::Duration::from_secs(5)))?;
    let password = joining.password;
    let password_hash = tokio::task::spawn_blocking(move || {
        let hashed = auth::hash_password(&password);
        drop(turn);
        hashed
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    match accounts.join(&hash, name, &password_hash, Utc::now()).await {
        Ok(Joined::Created { .. }) => Ok(StatusCode::CREATED),
        Ok(Joined::NameTaken) => Err(ApiError::BadRequest {
            message: "another organiser has this name: choose another".into(),
            field: Some("name".into()),
        }),
        Err(StoreError::NotFound) => Err(used_up()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Team {
    /// Whether the organiser asking is an admin (and may remove others).
    admin: bool,
    members: Vec<Member>,
}

async fn members(
    State(state): State<AppState>,
    organiser: Organiser,
) -> Result<Json<Team>, ApiError> {
    let members = state.store.accounts().members().await?;
    let admin = members.iter().any(|m| m.name == organiser.name && m.admin);
    Ok(Json(Team { admin, members }))
}

async fn remove(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(name): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let accounts = state.store.accounts();
    if !accounts.is_admin(&organiser.name).await? {
        return Err(ApiError::Forbidden);
    }
    if name == organiser.name {
        return Err(ApiError::BadRequest {
            message: "an admin cannot remove themself".into(),
            field: Some("name".into()),
        });
    }
    accounts
        .remove_member(&name, &organiser.name, Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
