//! The JSON API, nested under /api (so its routes read /v1/...).
//!
//! Handlers never see who is asking: no client address, no user agent. Errors are answered once,
//! here, as `ErrorBody` JSON; internal details are logged, never sent.

mod exports;
mod feed;

pub use feed::FeedHead;
mod organise;
mod reports;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use vecinos_core::validate::Problem;
use vecinos_core::{ErrorBody, RESYNC, Record, ReportStatus};

use crate::config::Config;
use crate::intake::Intake;
use crate::store::{SharedStore, StoreError};
use crate::throttle::{SignInThrottle, TokenBucket};

/// Everything a handler may use.
#[derive(Clone)]
pub struct AppState {
    pub store: SharedStore,
    pub config: Arc<Config>,
    pub report_bucket: Arc<TokenBucket>,
    pub sign_in: Arc<SignInThrottle>,
    pub intake: Intake,
    pub feed_head: Arc<FeedHead>,
}

impl AppState {
    /// Needs a tokio runtime: it starts the report intake's writer task.
    pub fn new(store: SharedStore, config: Config) -> Self {
        let rate = config.report_rate;
        let feed_head = Arc::new(FeedHead::new(config.feed_head_ttl));
        Self {
            intake: Intake::start(store.clone()),
            feed_head,
            store,
            config: Arc::new(config),
            report_bucket: Arc::new(TokenBucket::new(rate, rate.saturating_mul(2))),
            sign_in: Arc::new(SignInThrottle::new(5, Duration::from_secs(15 * 60))),
        }
    }
}

pub fn routes(state: AppState) -> Router {
    Router::new()
        .merge(feed::routes())
        .merge(exports::routes())
        .merge(reports::routes())
        .merge(organise::routes())
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
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
    #[error("the request body is too large")]
    TooLarge,
    #[error("too many requests; try again in {} s", .0.as_secs().max(1))]
    Throttled(Duration),
    #[error("{0}")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(current) => Self::Conflict(current),
            StoreError::Resync => Self::Resync,
            StoreError::WrongStatus(status) => Self::WrongStatus(status),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            Self::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::WrongStatus(_) => (StatusCode::CONFLICT, "wrong_status"),
            Self::Resync => (StatusCode::GONE, RESYNC),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
            Self::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let message = match &self {
            Self::Internal(_) => "the server could not answer; try again later".to_owned(),
            other => other.to_string(),
        };
        let retry_after = match &self {
            Self::Throttled(wait) => Some(wait.as_secs().max(1)),
            _ => None,
        };
        let (field, problems, current) = match self {
            Self::BadRequest { field, .. } => (field, vec![], None),
            Self::Invalid(problems) => (problems.first().map(|p| p.field.clone()), problems, None),
            Self::Conflict(current) => (None, vec![], current),
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

/// Query parameters whose rejection is an `ErrorBody` like every other error.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(e) => Err(ApiError::BadRequest {
                message: e.body_text(),
                field: Some("query".into()),
            }),
        }
    }
}
