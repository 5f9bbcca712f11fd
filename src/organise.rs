//! Organisers, signed in on this phone: the session, report triage and edits of listings.
//!
//! What an organiser handles stays off the phone's storage: received reports carry neighbours'
//! own words, so they are fetched when the Organise page is open and kept in memory only; they
//! need a connection. The session itself is the server's HttpOnly cookie (scoped to /api), which
//! the page cannot read; the app only remembers the organiser's name in local storage, to show
//! the Organise tab. Signing out ends the session on the server (whose answer removes the
//! cookie) and forgets the name. Quick exit removes the name with everything else.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::Deserialize;
use uuid::Uuid;
use vecinos_core::{RecordKind, ReportKind, ReportStatus, time};

use crate::sync::{SyncError, call};

/// Where the organiser's name is remembered while signed in.
const KEY: &str = "vecinos-organiser";

/// The organiser signed in on this phone.
#[derive(Clone, Copy)]
pub struct Session {
    /// Their name, while signed in.
    pub name: RwSignal<Option<String>>,
    /// True once the server said the session is over (expired, or ended elsewhere), so the
    /// sign-in page can say why it is back.
    pub ended: RwSignal<bool>,
}

impl Session {
    pub fn start() -> Self {
        Self {
            name: RwSignal::new(storage().and_then(|s| s.get_item(KEY).ok()?)),
            ended: RwSignal::new(false),
        }
    }

    fn remember(self, name: Option<String>) {
        if let Some(storage) = storage() {
            let _ = match &name {
                Some(name) => storage.set_item(KEY, name),
                None => storage.remove_item(KEY),
            };
        }
        self.name.set(name);
    }
}

/// Whether an organiser signed in on this phone, read from storage now: another tab may have
/// signed in since this one started.
pub fn signed_in_here() -> bool {
    storage().is_some_and(|s| s.get_item(KEY).ok().flatten().is_some())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Why an organiser's request did not go through.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// No connection (organising needs one).
    Network,
    /// The server has no session for this phone (expired, or signed out elsewhere).
    SignedOut,
    /// The name and password do not match.
    BadCredentials,
    /// Too many tries: the server asks to wait.
    Throttled,
    /// The server refused, saying why.
    Refused(String),
    /// Someone changed the record since the edit began: the server's version now (its `data`),
    /// unless the record was deleted.
    Conflict(Option<serde_json::Value>),
}

/// A report as the triage queue shows it.
#[derive(Clone, Debug, Deserialize)]
pub struct Received {
    pub id: Uuid,
    pub kind: ReportKind,
    pub description: String,
    #[serde(deserialize_with = "time::utc")]
    pub observed_at: DateTime<Utc>,
    pub area: Option<String>,
    pub cross_streets: Option<String>,
    pub status: ReportStatus,
    #[serde(deserialize_with = "time::utc")]
    pub received_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Refusal {
    code: String,
    message: String,
    current: Option<Tagged>,
}

/// A record as the server sends it back: `{"kind": "event", "data": {...}}`.
#[derive(Deserialize)]
struct Tagged {
    data: serde_json::Value,
}

/// Makes the request and sorts out the answer: a 2xx gives its body; a 401 also forgets the
/// session here, so the page asks to sign in again.
async fn send(
    session: Session,
    method: &str,
    url: &str,
    json: Option<&str>,
    if_match: Option<u64>,
) -> Result<String, Problem> {
    let (status, body) = call(method, url, json, if_match)
        .await
        .map_err(|e| match e {
            SyncError::Network => Problem::Network,
            other => Problem::Refused(other.to_string()),
        })?;
    match status {
        200..=299 => Ok(body),
        401 if url == SESSION && method == "POST" => Err(Problem::BadCredentials),
        401 => {
            session.ended.set(true);
            session.remember(None);
            Err(Problem::SignedOut)
        }
        429 => Err(Problem::Throttled),
        _ => match serde_json::from_str::<Refusal>(&body) {
            Ok(r) if r.code == "conflict" => Err(Problem::Conflict(r.current.map(|c| c.data))),
            Ok(r) => Err(Problem::Refused(r.message)),
            Err(_) => Err(Problem::Refused(format!("HTTP {status}"))),
        },
    }
}

pub const SESSION: &str = "/api/v1/session";

pub async fn sign_in(session: Session, name: &str, password: &str) -> Result<(), Problem> {
    let json = serde_json::json!({ "name": name, "password": password }).to_string();
    send(session, "POST", SESSION, Some(&json), None).await?;
    session.ended.set(false);
    session.remember(Some(name.to_owned()));
    Ok(())
}

/// Ends the session on the server, then forgets it here. Without a connection the session
/// cannot be ended, so nothing is forgotten and the page says so.
pub async fn sign_out(session: Session) -> Result<(), Problem> {
    match send(session, "DELETE", SESSION, None, None).await {
        Ok(_) | Err(Problem::SignedOut) => {
            session.remember(None);
            Ok(())
        }
        Err(problem) => Err(problem),
    }
}

/// The reports with `status`, newest first.
pub async fn reports(session: Session, status: ReportStatus) -> Result<Vec<Received>, Problem> {
    let url = format!("/api/v1/reports?status={}", status.as_str());
    let body = send(session, "GET", &url, None, None).await?;
    let mut reports: Vec<Received> = serde_json::from_str(&body)
        .map_err(|_| Problem::Refused("unreadable list of reports".into()))?;
    // Receipt times are kept to the second: ties go by when the neighbour saw it.
    vecinos_core::order::sort_by(&mut reports, |a, b| {
        (b.received_at, b.observed_at).cmp(&(a.received_at, a.observed_at))
    });
    Ok(reports)
}

/// Publishes the report as an alert with the organiser's text, for `minutes`. Returns when it
/// expires.
pub async fn verify(
    session: Session,
    id: Uuid,
    summary: &str,
    minutes: u32,
) -> Result<DateTime<Utc>, Problem> {
    #[derive(Deserialize)]
    struct Published {
        #[serde(deserialize_with = "time::utc")]
        expires_at: DateTime<Utc>,
    }
    let json = serde_json::json!({ "summary": summary, "ttl_minutes": minutes }).to_string();
    let url = format!("/api/v1/reports/{id}/verify");
    let body = send(session, "POST", &url, Some(&json), None).await?;
    serde_json::from_str::<Published>(&body)
        .map(|p| p.expires_at)
        .map_err(|_| Problem::Refused("unreadable alert".into()))
}

/// Rejects (`"reject"`) or resolves (`"resolve"`) a report.
pub async fn moderate(session: Session, id: Uuid, action: &str) -> Result<(), Problem> {
    let url = format!("/api/v1/reports/{id}/{action}");
    send(session, "POST", &url, None, None).await.map(drop)
}

/// The API's collection for a kind of record.
pub fn collection(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Event => "events",
        RecordKind::Resource => "resources",
        RecordKind::Card => "cards",
        RecordKind::Alert => "alerts",
    }
}

/// Sends an edit of a record, made on top of `version`; returns the server's new version (its
/// `data`). A conflict comes back as [`Problem::Conflict`].
pub async fn save(
    session: Session,
    kind: RecordKind,
    id: Uuid,
    record: &serde_json::Value,
    version: u64,
) -> Result<serde_json::Value, Problem> {
    let url = format!("/api/v1/{}/{id}", collection(kind));
    let body = send(
        session,
        "PUT",
        &url,
        Some(&record.to_string()),
        Some(version),
    )
    .await?;
    serde_json::from_str::<Tagged>(&body)
        .map(|t| t.data)
        .map_err(|_| Problem::Refused("unreadable record".into()))
}
