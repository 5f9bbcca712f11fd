//! The JSON API, nested under /api (so its routes read /v1/...).
//!
//! Handlers never see who is asking: no client address, no user agent. Errors are answered once,
//! here, as `ErrorBody` JSON; internal details are logged once, by the `log_internal` layer, and
//! never sent.

mod alerts;
mod exports;
mod feed;
mod organise;
mod push;
mod reports;
mod session;
mod team;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use tokio::sync::Notify;
use vecinos_core::validate::Problem;
use vecinos_core::{ErrorBody, RESYNC, Record, ReportStatus};

use crate::admission::Admission;
use crate::auth::{AuthError, Hasher};
use crate::config::Config;
use crate::intake::{Backlog, Intake, IntakeError};
use crate::live::Live;
use crate::store::{FeedHead, HeadCache, SharedStore, StoreError};
use crate::throttle::TokenBucket;

/// Everything a handler may use.
#[derive(Clone)]
pub struct AppState {
    pub store: SharedStore,
    pub config: Arc<Config>,
    /// Which reports get in under load, and the difficulty phones are asked for.
    pub admission: Arc<Admission>,
    /// How many reports wait for organisers; intake pauses past the cap.
    pub backlog: Arc<Backlog>,
    /// Every password check waits its turn here (`auth::Hasher`).
    pub hasher: Arc<Hasher>,
    pub intake: Intake,
    pub feed_head: Arc<FeedHead>,
    pub push_bucket: Arc<TokenBucket>,
    /// Wakes the push worker after a job was queued.
    pub push_wake: Arc<Notify>,
    pub live: Arc<Live>,
}

impl AppState {
    /// Needs a tokio runtime: it starts the report intake's writer task. Writes through the
    /// state's store forget its feed head.
    pub fn new(store: SharedStore, config: Config) -> Self {
        let rate = config.report_rate;
        let feed_head = Arc::new(FeedHead::new(config.feed_head_ttl));
        let store: SharedStore = Arc::new(HeadCache::new(store, feed_head.clone()));
        let push_wake = Arc::new(Notify::new());
        let live = Live::start(store.clone(), feed_head.clone(), config.live_streams);
        Self {
            intake: Intake::start(store.clone(), push_wake.clone(), live.clone()),
            push_bucket: Arc::new(TokenBucket::new(
                config.push_rate,
                config.push_rate.saturating_mul(10),
            )),
            push_wake,
            live,
            feed_head,
            admission: Arc::new(Admission::new(config.pow_difficulty, rate)),
            backlog: Arc::new(Backlog::new(store.clone(), config.max_unreviewed)),
            store,
            config: Arc::new(config),
            hasher: Arc::new(Hasher::default()),
        }
    }
}

pub fn routes(state: AppState) -> Router {
    Router::new()
        .merge(feed::routes())
        .merge(exports::routes())
        .merge(reports::routes())
        .merge(
            session::routes()
                .merge(organise::routes())
                .merge(alerts::routes())
                .merge(team::routes())
                .layer(axum::middleware::from_fn(same_site_only)),
        )
        .merge(push::routes())
        .fallback(|| async { ApiError::NotFound })
        .layer(axum::middleware::map_response(log_internal))
        .with_state(state)
}

/// Organisers' cookies are SameSite=Strict, and on top of that nothing an organiser can change
/// may be changed from another site: a request that changes something must say it comes from
/// this site's own pages (`Sec-Fetch-Site: same-origin`, or an `Origin` naming this host for
/// browsers without Fetch Metadata) and, when it has a body, send JSON (which no cross-site form
/// can without a CORS preflight that this server never grants). Requests with neither header
/// come from outside a browser, where no one's cookies ride along.
async fn same_site_only(req: Request, next: Next) -> Response {
    let headers = req.headers();
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if changes && cross_site(headers) {
        return ApiError::CrossSite.into_response();
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if matches!(*req.method(), Method::POST | Method::PUT) && !json {
        return ApiError::BadRequest {
            message: "send the body as application/json".into(),
            field: None,
        }
        .into_response();
    }
    next.run(req).await
}

fn cross_site(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text(HeaderName::from_static("sec-fetch-site")) {
        return site != "same-origin";
    }
    match text(header::ORIGIN) {
        Some(origin) => {
            let host = origin.split_once("://").map(|(_, host)| host);
            host.is_none() || host != text(header::HOST)
        }
        None => false,
    }
}

/// The cause of a 500, kept on the response for `log_internal`.
#[derive(Clone)]
struct InternalCause(Arc<anyhow::Error>);

/// Logs the cause of every internal error, once (never anything about the request).
async fn log_internal(mut response: Response) -> Response {
    if let Some(InternalCause(cause)) = response.extensions_mut().remove() {
        tracing::error!("internal error: {cause}");
    }
    response
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest {
        message: String,
        field: Option<String>,
    },
    #[error("the record has problems")]
    Invalid(Vec<Problem>),
    #[error("sign in as an organiser first")]
    Unauthenticated,
    #[error("only an admin can do that")]
    Forbidden,
    #[error("wrong name or password")]
    BadCredentials,
    #[error("not found")]
    NotFound,
    #[error("the record changed since you read it")]
    Conflict(Option<Box<Record>>),
    #[error("this report is {} and cannot change that way", .0.as_str())]
    WrongStatus(ReportStatus),
    #[error("your saved data is older than the server's history; start over from the beginning")]
    Resync,
    #[error("another report was sent with this id")]
    IdTaken,
    #[error("organisers' changes are only taken from this site's own pages")]
    CrossSite,
    #[error("the request body is too large")]
    TooLarge,
    #[error("too many requests; try again in {} s", whole_seconds(*.0))]
    Throttled(Duration),
    #[error("the server cannot take more of these now; try again later")]
    Full,
    /// Too many sign-ins are being checked at once (`auth::Hasher`); the wait is a suggestion.
    #[error("the server is busy checking other sign-ins; try again in {} s", whole_seconds(*.0))]
    Busy(Duration),
    #[error("the server could not answer; try again later")]
    Internal(#[source] anyhow::Error),
}

/// A wait in whole seconds for Retry-After, rounded up (1.2 s is 2: a client that waits 1 s would
/// be refused again), and at least 1.
fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(current) => Self::Conflict(current),
            StoreError::Resync => Self::Resync,
            StoreError::WrongStatus(status) => Self::WrongStatus(status),
            other => Self::Internal(other.into()),
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        Self::Internal(e.into())
    }
}

impl From<IntakeError> for ApiError {
    fn from(e: IntakeError) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            Self::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            Self::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::WrongStatus(_) => (StatusCode::CONFLICT, "wrong_status"),
            Self::Resync => (StatusCode::GONE, RESYNC),
            Self::IdTaken => (StatusCode::CONFLICT, "id_taken"),
            Self::CrossSite => (StatusCode::FORBIDDEN, "cross_site"),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
            Self::Full => (StatusCode::SERVICE_UNAVAILABLE, "full"),
            Self::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        let message = self.to_string();
        let retry_after = match &self {
            Self::Throttled(wait) | Self::Busy(wait) => Some(whole_seconds(*wait)),
            _ => None,
        };
        let mut cause = None;
        let (field, problems, current) = match self {
            Self::BadRequest { field, .. } => (field, vec![], None),
            Self::Invalid(problems) => (problems.first().map(|p| p.field.clone()), problems, None),
            Self::Conflict(current) => (None, vec![], current),
            Self::Internal(e) => {
                cause = Some(InternalCause(Arc::new(e)));
                (None, vec![], None)
            }
            _ => (None, vec![], None),
        };
        let body = ErrorBody {
            code: code.into(),
            message,
            field,
            problems,
            current,
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(seconds) = retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if let Some(cause) = cause {
            response.extensions_mut().insert(cause);
        }
        response
    }
}

/// A JSON body whose errors name the field at fault (`observed_at`, `place.lat`...), answered as
/// our own `ErrorBody` rather than axum's plain-text rejection.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::BadRequest {
                message: "send the body as application/json".into(),
                field: None,
            });
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
            BytesRejection::FailedToBufferBody(ref inner)
                if inner.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                ApiError::TooLarge
            }
            other => ApiError::BadRequest {
                message: other.body_text(),
                field: None,
            },
        })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut deserializer)
            .map(ApiJson)
            .map_err(|e| {
                let path = e.path().to_string();
                ApiError::BadRequest {
                    message: e.inner().to_string(),
                    field: (path != ".").then_some(path),
                }
            })
    }
}

/// A path parameter whose rejection (say, an id that is not a UUID) is an `ErrorBody` like every
/// other error.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(e) => Err(ApiError::BadRequest {
                message: e.body_text(),
                field: Some("path".into()),
            }),
        }
    }
}

/// Query parameters whose rejection names the parameter at fault.
pub struct ApiQuery<T>(pub T);

/// A query string that does not deserialise: the parameter at fault (None when it is the query as a
/// whole) and why. Answered as a `bad_request` about the `query`.
pub struct QueryRejection {
    pub field: Option<String>,
    pub message: String,
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        Self::BadRequest {
            message: e.message,
            field: Some("query".into()),
        }
    }
}

impl IntoResponse for QueryRejection {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = QueryRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, QueryRejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                QueryRejection {
                    // The words of axum's `Query` rejection.
                    message: format!("Failed to deserialize query string: {e}"),
                    field: (path != ".").then_some(path),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn an_internal_error_keeps_its_cause_for_the_log_layer_and_tells_the_client_nothing() {
        let failing = || async { ApiError::Internal(anyhow::anyhow!("disk on fire")) };
        let response = failing().await.into_response();
        assert!(response.extensions().get::<InternalCause>().is_some());

        let app: Router = Router::new()
            .route("/", get(failing))
            .layer(axum::middleware::map_response(log_internal));
        let response = app
            .oneshot(Request::new(Body::empty()))
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.extensions().get::<InternalCause>().is_none());
        let body = to_bytes(response.into_body(), 4096).await.expect("a body");
        let body: ErrorBody = serde_json::from_slice(&body).expect("an ErrorBody");
        assert_eq!(body.code, "internal");
        assert_eq!(body.message, "the server could not answer; try again later");
        assert_eq!(body.field, None);
    }
}
