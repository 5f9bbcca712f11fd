//! The push-service stand-in's server (see main.rs for its HTTP interface). Also compiled into
//! the server's HTTP tests (`tests/http/push.rs`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use web_push_native::jwt_simple::prelude::{
    ECDSAP256PublicKeyLike, ES256PublicKey, NoCustomClaims, VerificationOptions,
};
use web_push_native::p256::SecretKey;
use web_push_native::{Auth, decrypt};

/// One push accepted (answered 201).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Received {
    /// The last path segment of the endpoint.
    pub name: String,
    /// The decrypted payload, when the subscription's keys were given.
    pub payload: Option<String>,
    pub ttl: u64,
    pub urgency: Option<String>,
    pub topic: Option<String>,
    /// The VAPID public key (`k=`) the request was signed with, and the token's subject.
    pub vapid_key: String,
    pub subject: String,
}

/// A subscription's private half: base64url of the P-256 scalar and of the auth secret.
#[derive(Deserialize)]
pub struct Keys {
    pub private_key: String,
    pub auth: String,
}

#[derive(Default)]
struct Inner {
    keys: HashMap<String, (SecretKey, Auth)>,
    /// Statuses to answer instead of accepting, per name: (status, times left; 0 for always).
    answers: HashMap<String, (u16, u32)>,
    /// Accept this many pushes in all, then leave every further request unanswered.
    hold_after: Option<usize>,
    received: Vec<Received>,
}

#[derive(Clone)]
struct Shared {
    /// This server's origin: the audience a VAPID token must name.
    origin: String,
    inner: Arc<Mutex<Inner>>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Serves the stand-in on `listener` until the process ends; returns its base URL.
pub async fn start(listener: tokio::net::TcpListener) -> std::io::Result<String> {
    let origin = format!("http://{}", listener.local_addr()?);
    let shared = Shared {
        origin: origin.clone(),
        inner: Arc::default(),
    };
    let app = Router::new()
        .route("/push/{name}", post(push))
        .route("/keys/{name}", put(keys))
        .route("/answer/{name}", put(answer))
        .route("/hold/{count}", put(hold))
        .route("/received", get(received))
        .route("/count", get(count))
        .with_state(shared);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(origin)
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// Checks the request as a push service would: aes128gcm, a TTL, and a VAPID token signed by the
/// key it names, for this origin, with a subject. Decrypts when it knows the keys.
async fn push(
    State(shared): State<Shared>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let refuse = |why: &str| (StatusCode::BAD_REQUEST, why.to_owned());
    if header(&headers, "content-encoding").as_deref() != Some("aes128gcm") {
        return refuse("not aes128gcm");
    }
    let Some(ttl) = header(&headers, "ttl").and_then(|t| t.parse().ok()) else {
        return refuse("no TTL");
    };
    let Some((token, key)) = header(&headers, "authorization").and_then(|auth| {
        let rest = auth.strip_prefix("vapid t=")?;
        let (token, key) = rest.split_once(", k=")?;
        Some((token.to_owned(), key.to_owned()))
    }) else {
        return (StatusCode::UNAUTHORIZED, "no VAPID authorization".into());
    };
    // web-push-native names the origin without its port, which only a push service on a
    // non-default port (this one) can tell apart; both forms are accepted.
    let host_only = shared.origin.rsplit_once(':').map_or("", |(host, _)| host);
    let options = VerificationOptions {
        allowed_audiences: Some(HashSet::from([shared.origin.clone(), host_only.to_owned()])),
        ..Default::default()
    };
    let claims = URL_SAFE_NO_PAD
        .decode(&key)
        .ok()
        .and_then(|k| ES256PublicKey::from_bytes(&k).ok())
        .and_then(|k| k.verify_token::<NoCustomClaims>(&token, Some(options)).ok());
    let Some(subject) = claims.and_then(|c| c.subject) else {
        return (StatusCode::UNAUTHORIZED, "bad VAPID token".into());
    };
    let hold = {
        let mut inner = shared.lock();
        if let Some((status, left)) = inner.answers.get_mut(&name) {
            let status = *status;
            match *left {
                0 => {}
                1 => {
                    inner.answers.remove(&name);
                }
                _ => *left -= 1,
            }
            return (
                StatusCode::from_u16(status).unwrap_or(StatusCode::GONE),
                String::new(),
            );
        }
        inner.hold_after.is_some_and(|n| inner.received.len() >= n)
    };
    if hold {
        std::future::pending::<()>().await;
    }
    let mut inner = shared.lock();
    let payload = match inner.keys.get(&name) {
        Some((secret, auth)) => match decrypt(body.to_vec(), secret, auth) {
            Ok(plain) => Some(String::from_utf8_lossy(&plain).into_owned()),
            Err(_) => return refuse("does not decrypt"),
        },
        None => None,
    };
    inner.received.push(Received {
        name,
        payload,
        ttl,
        urgency: header(&headers, "urgency"),
        topic: header(&headers, "topic"),
        vapid_key: key,
        subject,
    });
    (StatusCode::CREATED, String::new())
}

async fn keys(
    State(shared): State<Shared>,
    Path(name): Path<String>,
    Json(keys): Json<Keys>,
) -> StatusCode {
    let secret = URL_SAFE_NO_PAD
        .decode(&keys.private_key)
        .ok()
        .and_then(|k| SecretKey::from_slice(&k).ok());
    let auth = URL_SAFE_NO_PAD
        .decode(&keys.auth)
        .ok()
        .filter(|a| a.len() == 16);
    match secret.zip(auth) {
        Some((secret, auth)) => {
            let auth = Auth::clone_from_slice(&auth);
            shared.lock().keys.insert(name, (secret, auth));
            StatusCode::NO_CONTENT
        }
        None => StatusCode::BAD_REQUEST,
    }
}

#[derive(Deserialize)]
struct Answer {
    status: u16,
    /// How many requests get it; absent or 0: all of them.
    #[serde(default)]
    times: u32,
}

async fn answer(
    State(shared): State<Shared>,
    Path(name): Path<String>,
    Json(answer): Json<Answer>,
) -> StatusCode {
    shared
        .lock()
        .answers
        .insert(name, (answer.status, answer.times));
    StatusCode::NO_CONTENT
}

async fn hold(State(shared): State<Shared>, Path(count): Path<usize>) -> StatusCode {
    shared.lock().hold_after = Some(count);
    StatusCode::NO_CONTENT
}

async fn received(State(shared): State<Shared>) -> Json<Vec<Received>> {
    Json(shared.lock().received.clone())
}

async fn count(State(shared): State<Shared>) -> String {
    shared.lock().received.len().to_string()
}
