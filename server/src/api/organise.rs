//! What organisers do, signed in: report triage and moderation, edits of events, resources and
//! cards with version checks, and the audit trail. Every route here answers 401 without a
//! session (signing in and out is `session.rs`).

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;
use vecinos_core::{
    Alert, Card, Event, Record, RecordKind, ReportKind, ReportPage, ReportStatus, Resource,
    StoredReport,
};

use super::{ApiError, ApiJson, ApiPath, ApiQuery, AppState, alerts};
use crate::auth;
use crate::store::{AuditEntry, Expected, ReportQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/reports", get(triage))
        .route("/v1/reports/stream", get(received_stream))
        .route("/v1/reports/reject", post(reject_many))
        .route("/v1/reports/{id}/verify", post(verify))
        .route("/v1/reports/{id}/reject", post(reject))
        .route("/v1/reports/{id}/resolve", post(resolve))
        .route("/v1/audit", get(audit))
        .route("/v1/events", post(create::<Event>))
        .route(
            "/v1/events/{id}",
            put(update::<Event>).delete(remove::<Event>),
        )
        .route("/v1/resources", post(create::<Resource>))
        .route(
            "/v1/resources/{id}",
            put(update::<Resource>).delete(remove::<Resource>),
        )
        .route("/v1/cards", post(create::<Card>))
        .route("/v1/cards/{id}", put(update::<Card>).delete(remove::<Card>))
        .layer(axum::middleware::map_response(no_store))
}

/// Nothing an organiser is sent may stay in the browser's HTTP cache: received reports hold
/// neighbours' own words, and quick exit cannot empty that cache.
pub(super) async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A signed-in organiser; extracting it answers 401 for everyone else. The session is looked up
/// in the database on every request (no cache), so deleting its row ends it at once.
pub(super) struct Organiser {
    pub(super) name: String,
    pub(super) token_hash: String,
}

impl FromRequestParts<AppState> for Organiser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = auth::session_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let token_hash = auth::token_hash(&token);
        let name = state.store.session_user(&token_hash, Utc::now()).await?;
        let name = name.ok_or(ApiError::Unauthenticated)?;
        Ok(Self { name, token_hash })
    }
}

/// Reports on one page of triage unless asked for fewer.
const PAGE: u32 = 50;
/// Most reports on one page, and most ids rejected at once by id.
const MAX_PAGE: u32 = 200;
/// Most cells in one area filter (a neighbourhood's).
const MAX_AREAS: usize = 16;

/// Which reports triage lists: received ones unless another status is asked for, of a kind, a
/// time window (`since` inclusive, `until` exclusive) and an area: geohash prefixes separated by
/// commas (a neighbourhood's cells), a report in any of them matching.
#[derive(Deserialize)]
struct Selection {
    status: Option<ReportStatus>,
    kind: Option<ReportKind>,
    #[serde(default, deserialize_with = "vecinos_core::time::utc_option")]
    since: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "vecinos_core::time::utc_option")]
    until: Option<DateTime<Utc>>,
    area: Option<String>,
}

impl Selection {
    fn query(self) -> Result<ReportQuery, ApiError> {
        let areas: Vec<String> = match &self.area {
            Some(list) => list.split(',').map(str::to_owned).collect(),
            None => Vec::new(),
        };
        if areas.len() > MAX_AREAS || !areas.iter().all(|a| vecinos_core::geo::is_coarse_area(a)) {
            return Err(ApiError::BadRequest {
                message: format!(
                    "area is 1 to {MAX_AREAS} geohashes of 1 to 7 characters, separated by commas"
                ),
                field: Some("area".into()),
            });
        }
        Ok(ReportQuery {
            status: Some(self.status.unwrap_or(ReportStatus::Received)),
            kind: self.kind,
            since: self.since,
            until: self.until,
            areas,
            ..ReportQuery::default()
        })
    }
}

/// A `Selection` and a page (not flattened: query strings carry numbers as text, which serde's
/// `flatten` cannot read back as numbers).
#[derive(Deserialize)]
struct TriageQuery {
    status: Option<ReportStatus>,
    kind: Option<ReportKind>,
    #[serde(default, deserialize_with = "vecinos_core::time::utc_option")]
    since: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "vecinos_core::time::utc_option")]
    until: Option<DateTime<Utc>>,
    area: Option<String>,
    /// The `next` of the page before.
    after: Option<String>,
    limit: Option<u32>,
}

/// A page's `next`: the last report's receipt time (seconds) and id.
fn page_cursor(report: &StoredReport) -> String {
    format!("{}_{}", report.received_at.timestamp(), report.id)
}

fn read_page_cursor(cursor: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (seconds, id) = cursor.split_once('_')?;
    Some((
        DateTime::from_timestamp(seconds.parse().ok()?, 0)?,
        id.parse().ok()?,
    ))
}

/// While an organiser's triage screen is open: a number that grows whenever new reports were
/// stored, so the screen fetches them (`crate::live`).
async fn received_stream(
    State(state): State<AppState>,
    _: Organiser,
) -> Result<Response, ApiError> {
    match state.live.received_stream() {
        Some(stream) => Ok(stream.into_response()),
        None => Err(ApiError::Throttled(std::time::Duration::from_secs(60))),
    }
}

/// One page of reports, newest first.
async fn triage(
    State(state): State<AppState>,
    _: Organiser,
    ApiQuery(query): ApiQuery<TriageQuery>,
) -> Result<Json<ReportPage>, ApiError> {
    let limit = query.limit.unwrap_or(PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest {
            message: format!("limit must be between 1 and {MAX_PAGE}"),
            field: Some("limit".into()),
        });
    }
    let after = match query.after.as_deref() {
        Some(cursor) => Some(
            read_page_cursor(cursor).ok_or_else(|| ApiError::BadRequest {
                message: "after must be the next of an earlier page".into(),
                field: Some("after".into()),
            })?,
        ),
        None => None,
    };
    let mut reports = state
        .store
        .reports(&ReportQuery {
            after,
            limit: Some(limit + 1),
            ..Selection {
                status: query.status,
                kind: query.kind,
                since: query.since,
                until: query.until,
                area: query.area,
            }
            .query()?
        })
        .await?;
    let more = reports.len() > limit as usize;
    reports.truncate(limit as usize);
    let next = more.then(|| reports.last().map(page_cursor)).flatten();
    Ok(Json(ReportPage { reports, next }))
}

/// Reports to reject at once: these ids, or every received report of a time window (both ends
/// required, so nothing is rejected by leaving a filter out), maybe of a kind and an area.
#[derive(Deserialize)]
struct Rejection {
    ids: Option<Vec<Uuid>>,
    #[serde(flatten)]
    selection: Selection,
}

async fn reject_many(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiJson(rejection): ApiJson<Rejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let ids_ok = rejection
        .ids
        .as_ref()
        .is_some_and(|ids| (1..=MAX_PAGE as usize).contains(&ids.len()));
    let window_only = rejection.ids.is_none()
        && rejection.selection.since.is_some()
        && rejection.selection.until.is_some();
    if !(ids_ok || window_only) {
        return Err(ApiError::BadRequest {
            message: format!(
                "say which reports: 1 to {MAX_PAGE} ids, or a time window with since and until"
            ),
            field: Some("ids".into()),
        });
    }
    let query = ReportQuery {
        ids: rejection.ids,
        ..rejection.selection.query()?
    };
    let rejected = state
        .store
        .reject_reports(&query, &organiser.name, Utc::now())
        .await?;
    Ok(Json(serde_json::json!({ "rejected": rejected })))
}

/// What an organiser publishes of a report. Everything public is sent by the organiser: nothing
/// of the reporter's own words reaches the alert unless the organiser sent it.
#[derive(Deserialize)]
struct Verification {
    /// The alert's public text, written by the organiser.
    summary: String,
    /// The public area: the report's, or coarser (a prefix of it). None publishes no area.
    area: Option<String>,
    /// The public place in words, as the organiser wrote it (the form starts from the report's).
    cross_streets: Option<String>,
    /// The public text in other languages, by ISO 639 code.
    #[serde(default)]
    translations: std::collections::BTreeMap<String, String>,
    /// Defaults to the deployment's alert lifetime.
    ttl_minutes: Option<u32>,
}

async fn verify(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(verification): ApiJson<Verification>,
) -> Result<(StatusCode, Json<Alert>), ApiError> {
    let report = state.store.report(id).await?.ok_or(ApiError::NotFound)?;
    let ttl = alerts::lifetime(verification.ttl_minutes, state.config.alert_ttl)?;
    alerts::coarser_or_same(verification.area.as_deref(), report.area.as_deref())?;
    let now = Utc::now();
    let alert = Alert {
        id: Uuid::new_v4(),
        version: 0,
        kind: report.kind,
        summary: verification.summary,
        area: verification.area,
        cross_streets: verification.cross_streets,
        verified_at: now,
        expires_at: now + ttl,
        translations: verification.translations,
        withdrawn: None,
    };
    alert.validate().map_err(ApiError::Invalid)?;
    let alert = state
        .store
        .verify_report(id, alert, &organiser.name)
        .await?;
    // Its push job was queued in the same transaction; the worker sends, never this request.
    state.push_wake.notify_one();
    Ok((StatusCode::CREATED, Json(alert)))
}

async fn reject(
    state: State<AppState>,
    organiser: Organiser,
    id: ApiPath<Uuid>,
) -> Result<Json<StoredReport>, ApiError> {
    moderate(state, organiser, id, ReportStatus::Rejected).await
}

async fn resolve(
    state: State<AppState>,
    organiser: Organiser,
    id: ApiPath<Uuid>,
) -> Result<Json<StoredReport>, ApiError> {
    moderate(state, organiser, id, ReportStatus::Resolved).await
}

async fn moderate(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(id): ApiPath<Uuid>,
    status: ReportStatus,
) -> Result<Json<StoredReport>, ApiError> {
    Ok(Json(
        state
            .store
            .set_report_status(id, status, &organiser.name, Utc::now())
            .await?,
    ))
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<u32>,
}

async fn audit(
    State(state): State<AppState>,
    _: Organiser,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    Ok(Json(
        state
            .store
            .audit(query.limit.unwrap_or(200).min(1000))
            .await?,
    ))
}

/// The record types organisers edit through the API.
trait Editable: serde::de::DeserializeOwned + Send + 'static {
    const KIND: RecordKind;
    fn into_record(self, id: Uuid) -> Record;
}

impl Editable for Event {
    const KIND: RecordKind = RecordKind::Event;
    fn into_record(mut self, id: Uuid) -> Record {
        self.id = id;
        Record::Event(self)
    }
}

impl Editable for Resource {
    const KIND: RecordKind = RecordKind::Resource;
    fn into_record(mut self, id: Uuid) -> Record {
        self.id = id;
        Record::Resource(self)
    }
}

impl Editable for Card {
    const KIND: RecordKind = RecordKind::Card;
    fn into_record(mut self, id: Uuid) -> Record {
        self.id = id;
        Record::Card(self)
    }
}

/// The version an edit was based on, from `If-Match: "3"` (or `3`).
pub(super) fn if_match(headers: &HeaderMap) -> Result<u64, ApiError> {
    let missing = || ApiError::BadRequest {
        message: "say which version the edit is based on with If-Match: \"<version>\"".into(),
        field: Some("If-Match".into()),
    };
    let value = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(missing)?;
    value
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| missing())
}

async fn create<T: Editable>(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<Record>), ApiError> {
    let id = body
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(Uuid::new_v4);
    let record = parse::<T>(body, id)?;
    let stored = state
        .store
        .put(record, Expected::New, &organiser.name)
        .await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

async fn update<T: Editable>(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<Record>, ApiError> {
    let version = if_match(&headers)?;
    let record = parse::<T>(body, id)?;
    let stored = state
        .store
        .put(record, Expected::Version(version), &organiser.name)
        .await?;
    Ok(Json(stored))
}

async fn remove<T: Editable>(
    State(state): State<AppState>,
    organiser: Organiser,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let version = if_match(&headers)?;
    state
        .store
        .delete(T::KIND, id, Expected::Version(version), &organiser.name)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reads a record of type `T` from a JSON body (whose `id` and `version` are the server's to set)
/// and validates it.
fn parse<T: Editable>(mut body: serde_json::Value, id: Uuid) -> Result<Record, ApiError> {
    if let Some(fields) = body.as_object_mut() {
        fields.insert("id".into(), serde_json::json!(id));
        fields.entry("version").or_insert(serde_json::json!(0));
    }
    let value: T = serde_path_to_error::deserialize(body).map_err(|e| ApiError::BadRequest {
        message: e.inner().to_string(),
        field: Some(e.path().to_string()),
    })?;
    let record = value.into_record(id);
    record.validate().map_err(ApiError::Invalid)?;
    Ok(record)
}
