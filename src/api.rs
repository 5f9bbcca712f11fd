//! The app's one way to the server: every HTTP request, the one shape of the server's error
//! answers (`Refusal`), and the server's config as the phone keeps it.
//!
//! The wire types live in `vecinos-core`. Where the app reads an answer through a smaller type of
//! its own (decoding the whole of `ErrorBody` or `ClientConfig` would bring decoders the first
//! load cannot afford), that type has a native test against core's.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;
use vecinos_core::places::Neighbourhood;
use vecinos_core::push::{Subscription, Unsubscription};
use vecinos_core::triage::ReportPage;
use vecinos_core::{
    PowParams, RecordKind, Report, ReportKind, ReportStatus, WithdrawalReason, time,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::cache::{CacheError, Fate};
use crate::prefs::{self, Key};

#[derive(Clone, Debug, thiserror::Error)]
pub enum SyncError {
    #[error("no connection to the server")]
    Network,
    #[error("the server answered {status}: {message}")]
    Server { status: u16, message: String },
    #[error(transparent)]
    Cache(#[from] CacheError),
}

/// The server's error body (`vecinos_core::ErrorBody`) as the app reads it: the conflicting
/// record stays untyped.
#[derive(Debug, Deserialize)]
pub struct Refusal {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// Each field's problem, when the record was not valid.
    #[serde(default)]
    pub problems: Vec<vecinos_core::validate::Problem>,
    /// On a version conflict, the record as the server has it now.
    pub current: Option<Tagged>,
}

impl Refusal {
    pub fn read(body: &str) -> Option<Refusal> {
        serde_json::from_str(body).ok()
    }
}

/// A record as the server sends it back: `{"kind": "event", "data": {...}}`.
#[derive(Debug, Deserialize)]
pub struct Tagged {
    pub data: Value,
}

/// Starts a GET through the browser's fetch; the request runs while other work is done.
fn start(url: &str) -> Result<js_sys::Promise, SyncError> {
    let window = web_sys::window().ok_or(SyncError::Network)?;
    Ok(window.fetch_with_str(url))
}

/// Starts fetching the page of the change feed after `since`, from `base` (an origin such as ""
/// for this site, or "http://127.0.0.1:8080").
pub fn changes(base: &str, since: u64) -> Result<js_sys::Promise, SyncError> {
    start(&format!("{base}{CHANGES}?since={since}"))
}

/// The change feed. A first visit's shell (index.html) preloads its first page.
pub const CHANGES: &str = "/api/v1/changes";
/// The server's config, also preloaded by a first visit's shell.
pub const CONFIG: &str = "/api/v1/config";

/// The feed's head whenever it moves (Server-Sent Events).
pub const HEADS: &str = "/api/v1/changes/stream";
/// For a signed-in organiser: a count that grows whenever new reports arrive.
pub const RECEIVED: &str = "/api/v1/reports/stream";

/// Opens one of the server's event streams (`HEADS`, `RECEIVED`).
pub fn events(url: &str) -> Result<web_sys::EventSource, wasm_bindgen::JsValue> {
    web_sys::EventSource::new(url)
}

/// Makes a request to this site's API (`method`, with a JSON body and the `If-Match` version when
/// given) and returns its status and body.
pub async fn call(
    method: &str,
    url: &str,
    json: Option<&str>,
    if_match: Option<u64>,
) -> Result<(u16, String), SyncError> {
    let window = web_sys::window().ok_or(SyncError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| SyncError::Network)?;
    if let Some(json) = json {
        init.set_body(&json.into());
        headers
            .set("content-type", "application/json")
            .map_err(|_| SyncError::Network)?;
    }
    if let Some(version) = if_match {
        headers
            .set("if-match", &format!("\"{version}\""))
            .map_err(|_| SyncError::Network)?;
    }
    init.set_headers(&headers);
    response(window.fetch_with_str_and_init(url, &init)).await
}

/// The status and the body, as text, of a started request.
pub async fn response(request: js_sys::Promise) -> Result<(u16, String), SyncError> {
    let response = JsFuture::from(request)
        .await
        .map_err(|_| SyncError::Network)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| SyncError::Network)?;
    let text = response.text().map_err(|_| SyncError::Network)?;
    let body = JsFuture::from(text).await.map_err(|_| SyncError::Network)?;
    Ok((response.status(), body.as_string().unwrap_or_default()))
}

/// Posts one stamped report.
pub async fn post_report(report: &Report) -> Result<(u16, String), SyncError> {
    let json = serde_json::to_string(report).map_err(|_| CacheError::Unreadable)?;
    call("POST", "/api/v1/reports", Some(&json), None).await
}

/// What became of a report this phone sent (`POST /api/v1/reports/status`, the id in the body,
/// never in a URL); `None` when the server no longer holds it (deleted after 7 days).
pub async fn report_fate(id: Uuid) -> Result<Option<Fate>, SyncError> {
    let json = format!("{{\"id\":\"{id}\"}}");
    let (status, body) = call("POST", "/api/v1/reports/status", Some(&json), None).await?;
    let told = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| Fate::parse(v.get("status")?.as_str()?));
    match (status, told) {
        (200, Some(fate)) => Ok(Some(fate)),
        (404, _) => Ok(None),
        _ => Err(SyncError::Server {
            status,
            message: Refusal::read(&body).map_or(body, |r| r.message),
        }),
    }
}

/// One neighbourhood of the config, read by hand like the rest of it; a malformed one is left out.
fn neighbourhood(v: &Value) -> Option<Neighbourhood> {
    Some(Neighbourhood {
        name: v.get("name")?.as_str()?.to_owned(),
        cells: v
            .get("cells")?
            .as_array()?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect(),
    })
}

/// What the app reads of `GET /api/v1/config` (`vecinos_core::ClientConfig`). Read as a
/// `Value`, whose decoder the app has anyway: typed decoders for these few fields would add
/// kilobytes to the first load.
#[derive(Debug, PartialEq)]
pub struct Config {
    pub pow: Option<PowParams>,
    /// The tile template; empty for none.
    pub tiles: String,
    pub attribution: String,
    /// Latitude, longitude and zoom of the region's centre.
    pub centre: [f64; 3],
    /// The region's bounds (south, west, north, east), for watching the whole area.
    pub bounds: Option<[f64; 4]>,
    /// The server's VAPID public key, when it sends pushes.
    pub push_key: Option<String>,
    /// The network's hotline: its label and the number to call.
    pub hotline: Option<(String, String)>,
    /// The region's named neighbourhoods, for putting areas into words (`format::place`).
    pub neighbourhoods: Vec<Neighbourhood>,
}

impl Config {
    /// Without a config (offline the first time): no tiles, the whole world.
    pub const NONE: Config = Config {
        pow: None,
        tiles: String::new(),
        attribution: String::new(),
        centre: [0.0, 0.0, 2.0],
        bounds: None,
        push_key: None,
        hotline: None,
        neighbourhoods: Vec::new(),
    };

    pub fn read(json: &str) -> Option<Config> {
        let v: Value = serde_json::from_str(json).ok()?;
        let text = |pointer: &str| v.pointer(pointer)?.as_str().map(str::to_owned);
        let number = |pointer: &str| v.pointer(pointer)?.as_f64();
        let pow = text("/pow/salt").zip(number("/pow/difficulty"));
        Some(Config {
            pow: pow.and_then(|(salt, difficulty)| {
                let difficulty = u8::try_from(difficulty as u64).ok()?;
                Some(PowParams { salt, difficulty })
            }),
            tiles: text("/tiles/url_template")?,
            attribution: text("/tiles/attribution").unwrap_or_default(),
            centre: [
                number("/region/centre/lat")?,
                number("/region/centre/lon")?,
                12.0,
            ],
            bounds: ["min_lat", "min_lon", "max_lat", "max_lon"]
                .map(|side| number(&format!("/region/bounds/{side}")))
                .into_iter()
                .collect::<Option<Vec<f64>>>()
                .and_then(|b| b.try_into().ok()),
            push_key: text("/push/public_key"),
            hotline: text("/region/hotline/label").zip(text("/region/hotline/number")),
            neighbourhoods: v
                .pointer("/region/neighbourhoods")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(neighbourhood).collect())
                .unwrap_or_default(),
        })
    }

    /// The config last fetched, kept for offline use.
    pub fn kept() -> Option<Config> {
        Config::read(&prefs::get(Key::Config)?)
    }

    /// Fetches the server's config and keeps it.
    pub async fn refresh() -> Result<Config, SyncError> {
        let (status, body) = call("GET", CONFIG, None, None).await?;
        let config = Config::read(&body)
            .filter(|_| status == 200)
            .ok_or(SyncError::Server {
                status,
                message: "unreadable config".into(),
            })?;
        prefs::set(Key::Config, &body);
        Ok(config)
    }
}

const PUSH: &str = "/api/v1/push/subscriptions";

/// Subscribes this phone's push endpoint to `subscription.cells`, or renews it for 30 days.
pub async fn push_subscribe(subscription: &Subscription) -> Result<(), SyncError> {
    let json = serde_json::to_string(subscription).map_err(|_| CacheError::Unreadable)?;
    let (status, body) = call("POST", PUSH, Some(&json), None).await?;
    match status {
        200 | 201 => Ok(()),
        _ => Err(SyncError::Server {
            status,
            message: Refusal::read(&body).map_or(body, |r| r.message),
        }),
    }
}

/// Ends a subscription (of one audience, or all of the endpoint's); the server answers 204 also
/// for one it does not know.
pub async fn push_unsubscribe(gone: &Unsubscription) -> Result<(), SyncError> {
    let json = serde_json::to_string(gone).map_err(|_| CacheError::Unreadable)?;
    let (status, message) = call("DELETE", PUSH, Some(&json), None).await?;
    match status {
        200..=299 => Ok(()),
        _ => Err(SyncError::Server { status, message }),
    }
}

/// Ends every subscription of `endpoint` with a request that outlives the page (quick exit).
pub fn push_forget_now(endpoint: &str) {
    let gone = Unsubscription {
        endpoint: endpoint.to_owned(),
        audience: None,
    };
    if let Ok(json) = serde_json::to_string(&gone) {
        delete_now(PUSH, Some(&json));
    }
}

/// A `DELETE` (with a JSON body when given) that outlives the page: quick exit sends it and
/// leaves at once.
fn delete_now(url: &str, json: Option<&str>) {
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    // web-sys has no setter for it: the field is set on the init object directly.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    if let Some(json) = json {
        init.set_body(&json.into());
        if let Ok(headers) = web_sys::Headers::new()
            && headers.set("content-type", "application/json").is_ok()
        {
            init.set_headers(&headers);
        }
    }
    if let Some(window) = web_sys::window() {
        let _ = window.fetch_with_str_and_init(url, &init);
    }
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
    Conflict(Option<Value>),
    /// What was sent is not valid: each field's problem.
    Invalid(Vec<vecinos_core::validate::Problem>),
}

pub const SESSION: &str = "/api/v1/session";

/// Makes an organiser's request and sorts out the answer: a 2xx gives its body.
async fn organiser_call(
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
        401 => Err(Problem::SignedOut),
        429 => Err(Problem::Throttled),
        _ => match Refusal::read(&body) {
            Some(r) if r.code == "conflict" => Err(Problem::Conflict(r.current.map(|c| c.data))),
            Some(r) if !r.problems.is_empty() => Err(Problem::Invalid(r.problems)),
            Some(Refusal {
                field: Some(field),
                message,
                ..
            }) => Err(Problem::Invalid(vec![vecinos_core::validate::Problem {
                field,
                message,
            }])),
            Some(r) => Err(Problem::Refused(r.message)),
            None => Err(Problem::Refused(format!("HTTP {status}"))),
        },
    }
}

pub async fn sign_in(name: &str, password: &str) -> Result<(), Problem> {
    let json = serde_json::json!({ "name": name, "password": password }).to_string();
    organiser_call("POST", SESSION, Some(&json), None)
        .await
        .map(drop)
}

pub async fn sign_out() -> Result<(), Problem> {
    organiser_call("DELETE", SESSION, None, None)
        .await
        .map(drop)
}

/// Ends the session, if any, with a request that outlives the page (quick exit), and has the
/// server forget that this browser ever signed in: its answer removes both cookies (the session's
/// and the trusted browser's, which scripts cannot reach).
pub fn end_session_now() {
    delete_now(&format!("{SESSION}?device=forget"), None);
}

/// A new one-time invite link's token (`POST /api/v1/invites`).
pub async fn invite() -> Result<String, Problem> {
    let body = organiser_call("POST", "/api/v1/invites", Some("{}"), None).await?;
    serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v.get("token").and_then(Value::as_str).map(str::to_owned))
        .ok_or_else(|| Problem::Refused("unreadable invite".into()))
}

/// Why joining with an invite did not work: the field the server named.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JoinProblem {
    Network,
    /// The invite is used up or more than a day old.
    Used,
    Name,
    Password,
    Other,
}

/// Makes this person an organiser with the invite `token`; they then sign in.
pub async fn join(token: &str, name: &str, password: &str) -> Result<(), JoinProblem> {
    let json =
        serde_json::json!({ "token": token, "name": name, "password": password }).to_string();
    let (status, body) = call("POST", "/api/v1/invites/join", Some(&json), None)
        .await
        .map_err(|_| JoinProblem::Network)?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    Err(
        match Refusal::read(&body).and_then(|r| r.field).as_deref() {
            Some("token") => JoinProblem::Used,
            Some("name") => JoinProblem::Name,
            Some("password") => JoinProblem::Password,
            _ => JoinProblem::Other,
        },
    )
}

/// The organisers, and whether the one asking is an admin.
#[derive(Clone, Deserialize)]
pub struct Team {
    pub admin: bool,
    pub members: Vec<Member>,
}

#[derive(Clone, Deserialize)]
pub struct Member {
    pub name: String,
    pub admin: bool,
}

pub async fn team() -> Result<Team, Problem> {
    let body = organiser_call("GET", "/api/v1/organisers", None, None).await?;
    serde_json::from_str(&body).map_err(|_| Problem::Refused("unreadable team".into()))
}

/// Removes an organiser (an admin's): their sessions end at once.
pub async fn remove_organiser(name: &str) -> Result<(), Problem> {
    let name = String::from(js_sys::encode_uri_component(name));
    organiser_call("DELETE", &format!("/api/v1/organisers/{name}"), None, None)
        .await
        .map(drop)
}

/// One of the signed-in organiser's sessions: only whether it is this phone's, and when it was
/// last used.
#[derive(Clone, Deserialize)]
pub struct SessionSeen {
    pub id: String,
    pub this: bool,
    #[serde(default, deserialize_with = "time::utc_option")]
    pub last_seen: Option<DateTime<Utc>>,
}

pub async fn sessions() -> Result<Vec<SessionSeen>, Problem> {
    #[derive(Deserialize)]
    struct List {
        sessions: Vec<SessionSeen>,
    }
    let body = organiser_call("GET", "/api/v1/sessions", None, None).await?;
    serde_json::from_str::<List>(&body)
        .map(|l| l.sessions)
        .map_err(|_| Problem::Refused("unreadable list of sessions".into()))
}

/// Ends one of the organiser's own sessions (another phone's).
pub async fn end_session(id: &str) -> Result<(), Problem> {
    let id = String::from(js_sys::encode_uri_component(id));
    organiser_call("DELETE", &format!("/api/v1/sessions/{id}"), None, None)
        .await
        .map(drop)
}

/// One line of the audit trail: who did what to which record, and when.
#[derive(Clone, Deserialize)]
pub struct AuditEntry {
    #[serde(deserialize_with = "time::utc")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
}

/// The newest `limit` lines of the audit trail, newest first.
pub async fn audit(limit: u32) -> Result<Vec<AuditEntry>, Problem> {
    let body = organiser_call("GET", &format!("/api/v1/audit?limit={limit}"), None, None).await?;
    serde_json::from_str(&body).map_err(|_| Problem::Refused("unreadable audit trail".into()))
}

/// Which reports triage lists (`GET /api/v1/reports`): of a status, and maybe of a kind,
/// received since a time, and in a neighbourhood's cells.
#[derive(Clone, PartialEq)]
pub struct Triage {
    pub status: ReportStatus,
    pub kind: Option<ReportKind>,
    pub since: Option<DateTime<Utc>>,
    pub cells: Vec<String>,
}

/// A page of the reports `triage` selects, newest first, after the page whose `next` is `after`.
pub async fn reports(triage: &Triage, after: Option<&str>) -> Result<ReportPage, Problem> {
    let mut url = format!("/api/v1/reports?status={}", triage.status.as_str());
    let mut param = |name: &str, value: &str| {
        url.push_str(&format!("&{name}="));
        url.push_str(&String::from(js_sys::encode_uri_component(value)));
    };
    if let Some(kind) = triage.kind {
        param("kind", kind.as_str());
    }
    if let Some(since) = triage.since {
        param("since", &iso(since.timestamp_millis() as f64));
    }
    if !triage.cells.is_empty() {
        param("area", &triage.cells.join(","));
    }
    if let Some(after) = after {
        param("after", after);
    }
    let body = organiser_call("GET", &url, None, None).await?;
    serde_json::from_str(&body).map_err(|_| Problem::Refused("unreadable list of reports".into()))
}

/// Rejects these received reports at once; returns how many were rejected (a report rejected
/// or published meanwhile is left as it is).
pub async fn reject_reports(ids: &[Uuid]) -> Result<u64, Problem> {
    reject(serde_json::json!({ "ids": ids })).await
}

/// Rejects every received report `triage` selects (it has a time window) received before
/// `until` (milliseconds since the epoch), however many pages they fill: a flood.
pub async fn reject_window(triage: &Triage, until: f64) -> Result<u64, Problem> {
    let mut rejection = serde_json::json!({ "until": iso(until) });
    if let Some(since) = triage.since {
        rejection["since"] = iso(since.timestamp_millis() as f64).into();
    }
    if let Some(kind) = triage.kind {
        rejection["kind"] = kind.as_str().into();
    }
    if !triage.cells.is_empty() {
        rejection["area"] = triage.cells.join(",").into();
    }
    reject(rejection).await
}

async fn reject(rejection: Value) -> Result<u64, Problem> {
    let json = rejection.to_string();
    let body = organiser_call("POST", "/api/v1/reports/reject", Some(&json), None).await?;
    serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v.get("rejected").and_then(Value::as_u64))
        .ok_or_else(|| Problem::Refused("unreadable answer".into()))
}

/// An instant as ISO 8601 text, by the browser (chrono's formatting would add kilobytes to the
/// WASM).
fn iso(ms: f64) -> String {
    String::from(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).to_iso_string())
}

/// What an organiser publishes of a report: every word of it written or kept by the organiser.
pub struct Publication<'a> {
    pub summary: &'a str,
    /// The report's area or a coarser one; None publishes none.
    pub area: Option<&'a str>,
    pub cross_streets: Option<&'a str>,
    /// The summary in other languages, by ISO 639 code.
    pub translations: serde_json::Map<String, Value>,
    pub minutes: u32,
}

/// Publishes the report as an alert. Returns when it expires.
pub async fn verify(id: Uuid, alert: &Publication<'_>) -> Result<DateTime<Utc>, Problem> {
    #[derive(Deserialize)]
    struct Published {
        #[serde(deserialize_with = "time::utc")]
        expires_at: DateTime<Utc>,
    }
    let json = serde_json::json!({
        "summary": alert.summary,
        "area": alert.area,
        "cross_streets": alert.cross_streets,
        "translations": alert.translations,
        "ttl_minutes": alert.minutes,
    })
    .to_string();
    let url = format!("/api/v1/reports/{id}/verify");
    let body = organiser_call("POST", &url, Some(&json), None).await?;
    serde_json::from_str::<Published>(&body)
        .map(|p| p.expires_at)
        .map_err(|_| Problem::Refused("unreadable alert".into()))
}

/// Sends an organiser's new version of an alert (`summary`, `translations`, `area`,
/// `cross_streets`, `ttl_minutes`), made on top of `version`. A conflict (someone changed or
/// withdrew it meanwhile) comes back as [`Problem::Conflict`].
pub async fn update_alert(id: Uuid, version: u64, revision: &Value) -> Result<(), Problem> {
    let url = format!("/api/v1/alerts/{id}");
    organiser_call("PUT", &url, Some(&revision.to_string()), Some(version))
        .await
        .map(drop)
}

/// Takes an alert back: phones show "All clear" in its place for an hour.
pub async fn withdraw_alert(id: Uuid, reason: WithdrawalReason) -> Result<(), Problem> {
    let url = format!("/api/v1/alerts/{id}/withdraw");
    let json = serde_json::json!({ "reason": reason }).to_string();
    organiser_call("POST", &url, Some(&json), None)
        .await
        .map(drop)
}

/// What an organiser can do with a report besides publishing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moderation {
    Reject,
    Resolve,
}

impl Moderation {
    fn path(self) -> &'static str {
        match self {
            Self::Reject => "reject",
            Self::Resolve => "resolve",
        }
    }
}

pub async fn moderate(id: Uuid, action: Moderation) -> Result<(), Problem> {
    let url = format!("/api/v1/reports/{id}/{}", action.path());
    // An empty JSON body: the server takes organisers' changes only as JSON (no cross-site form
    // can send that).
    organiser_call("POST", &url, Some("{}"), None)
        .await
        .map(drop)
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
    kind: RecordKind,
    id: Uuid,
    record: &Value,
    version: u64,
) -> Result<Value, Problem> {
    let url = format!("/api/v1/{}/{id}", collection(kind));
    let body = organiser_call("PUT", &url, Some(&record.to_string()), Some(version)).await?;
    serde_json::from_str::<Tagged>(&body)
        .map(|t| t.data)
        .map_err(|_| Problem::Refused("unreadable record".into()))
}

/// Creates a listing (`POST`); returns it as the server stored it, with its id.
pub async fn create(kind: RecordKind, record: &Value) -> Result<Value, Problem> {
    let url = format!("/api/v1/{}", collection(kind));
    let body = organiser_call("POST", &url, Some(&record.to_string()), None).await?;
    serde_json::from_str::<Tagged>(&body)
        .map(|t| t.data)
        .map_err(|_| Problem::Refused("unreadable record".into()))
}

/// Deletes a listing, as of `version`: someone's change since is a [`Problem::Conflict`].
pub async fn delete(kind: RecordKind, id: Uuid, version: u64) -> Result<(), Problem> {
    let url = format!("/api/v1/{}/{id}", collection(kind));
    organiser_call("DELETE", &url, None, Some(version))
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use vecinos_core::geo::{BBox, LatLon};
    use vecinos_core::push::PushConfig;
    use vecinos_core::sync::Hotline;
    use vecinos_core::validate::Problem as FieldProblem;
    use vecinos_core::{Card, ClientConfig, ErrorBody, Record, Region, Tiles};

    use super::*;

    #[test]
    fn a_refusal_reads_the_servers_error_body() {
        let card = Card {
            translations: Default::default(),
            id: Uuid::from_u128(3),
            version: 9,
            language: "es".into(),
            title: "Sus derechos".into(),
            body: "No abra la puerta.".into(),
            source_organisation: "Example Legal Aid".into(),
            reviewed: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).expect("a date"),
        };
        let body = ErrorBody {
            code: "conflict".into(),
            message: "changed meanwhile".into(),
            field: Some("version".into()),
            problems: vec![FieldProblem {
                field: "title".into(),
                message: "too long".into(),
            }],
            current: Some(Box::new(Record::Card(card.clone()))),
        };
        let json = serde_json::to_string(&body).expect("serialises");
        let refusal = Refusal::read(&json).expect("readable");
        assert_eq!(refusal.code, body.code);
        assert_eq!(refusal.message, body.message);
        assert_eq!(refusal.field, body.field);
        let data = refusal.current.expect("the current record").data;
        assert_eq!(serde_json::from_value::<Card>(data).expect("a card"), card);

        let plain = ErrorBody {
            code: "resync".into(),
            message: "start again".into(),
            field: None,
            problems: Vec::new(),
            current: None,
        };
        let refusal =
            Refusal::read(&serde_json::to_string(&plain).expect("serialises")).expect("readable");
        assert_eq!((refusal.code.as_str(), refusal.field), ("resync", None));
        assert!(refusal.current.is_none());
        assert!(Refusal::read("<html>").is_none());
    }

    #[test]
    fn the_config_is_read_from_the_servers() {
        let config = ClientConfig {
            region: Region {
                name: "Example City".into(),
                centre: LatLon {
                    lat: 44.97,
                    lon: -93.26,
                },
                bounds: BBox {
                    min_lat: 44.8,
                    min_lon: -93.5,
                    max_lat: 45.1,
                    max_lon: -93.0,
                },
                hotline: Some(Hotline {
                    label: "Example hotline".into(),
                    number: "555-0100".into(),
                }),
                neighbourhoods: vec![Neighbourhood {
                    name: "Northgate (example)".into(),
                    cells: vec!["cbj8h".into(), "cbj8j".into()],
                }],
            },
            tiles: Tiles {
                url_template: "https://tiles.example.org/{z}/{x}/{y}.png".into(),
                attribution: "© Example".into(),
            },
            alert_ttl_minutes: 240,
            pow: PowParams {
                salt: "2026-12-03".into(),
                difficulty: 16,
            },
            languages: vec!["en".into(), "es".into()],
            push: Some(PushConfig {
                public_key: "BPublicKey".into(),
            }),
        };
        let read = Config::read(&serde_json::to_string(&config).expect("serialises"));
        assert_eq!(
            read,
            Some(Config {
                pow: Some(config.pow.clone()),
                tiles: config.tiles.url_template.clone(),
                attribution: config.tiles.attribution.clone(),
                centre: [44.97, -93.26, 12.0],
                bounds: Some([44.8, -93.5, 45.1, -93.0]),
                push_key: Some("BPublicKey".into()),
                hotline: Some(("Example hotline".into(), "555-0100".into())),
                neighbourhoods: config.region.neighbourhoods.clone(),
            })
        );
        // A config kept by an older version, without neighbourhoods, still reads.
        let mut old: Value = serde_json::to_value(&config).expect("serialises");
        if let Some(region) = old.get_mut("region").and_then(Value::as_object_mut) {
            region.remove("neighbourhoods");
        }
        let read = Config::read(&old.to_string()).expect("read");
        assert!(read.neighbourhoods.is_empty());
        assert_eq!(Config::read("{}"), None);
        assert_eq!(Config::read("not json"), None);
    }

    #[test]
    fn every_record_kind_has_its_collection() {
        let collections = RecordKind::ALL.map(collection);
        assert_eq!(collections, ["events", "resources", "cards", "alerts"]);
    }
}
