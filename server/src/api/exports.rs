//! Public exports in open formats: resources as HSDS 3.0 JSON, events as iCalendar (one feed for
//! all and one file per event), everything with a place as GeoJSON.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use uuid::Uuid;
use vecinos_core::{Event, Record, RecordKind, Resource};

use super::{ApiError, AppState};
use crate::interchange::{geojson, hsds, ical};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/export/hsds", get(export_hsds))
        .route("/v1/events.ics", get(all_events_ics))
        .route("/v1/events/{id}", get(event_ics))
        .route("/v1/map.geojson", get(map))
}

/// `GET /v1/events/{id}.ics`; its path pattern is also the organisers' PUT and DELETE of an event
/// (`organise::routes`), which axum merges into one route.
async fn event_ics(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id: Uuid = file
        .strip_suffix(".ics")
        .and_then(|id| id.parse().ok())
        .ok_or(ApiError::NotFound)?;
    let Some(Record::Event(event)) = state.store.record(RecordKind::Event, id).await? else {
        return Err(ApiError::NotFound);
    };
    Ok(calendar_response(&[event], &format!("{id}.ics")))
}

async fn all_events_ics(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    Ok(calendar_response(
        &events(&state).await?,
        "vecinos-events.ics",
    ))
}

fn calendar_response(events: &[Event], file_name: &str) -> impl IntoResponse + use<> {
    let disposition = format!("inline; filename=\"{file_name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        ical::calendar(events, chrono::Utc::now()),
    )
}

async fn export_hsds(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(hsds::export(&resources(&state).await?)))
}

async fn map(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let collection = geojson::collection(&events(&state).await?, &resources(&state).await?);
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        Json(collection),
    ))
}

async fn events(state: &AppState) -> Result<Vec<Event>, ApiError> {
    let records = state.store.records(RecordKind::Event).await?;
    Ok(records
        .into_iter()
        .filter_map(|r| {
            if let Record::Event(e) = r {
                Some(e)
            } else {
                None
            }
        })
        .collect())
}

async fn resources(state: &AppState) -> Result<Vec<Resource>, ApiError> {
    let records = state.store.records(RecordKind::Resource).await?;
    Ok(records
        .into_iter()
        .filter_map(|r| {
            if let Record::Resource(r) = r {
                Some(r)
            } else {
                None
            }
        })
        .collect())
}
