//! Events and resources as a GeoJSON (RFC 7946) FeatureCollection for maps.
//!
//! Only records with a public `place` become features, as points at `[longitude, latitude]` (the
//! RFC's order, not the other way round). A resource published as an area only has no place and
//! must never appear here: no point, no address, no hint of where a safe house is.

use serde_json::{Map, Value, json};
use vecinos_core::{Event, Place, Resource};

/// A FeatureCollection with a Point feature for each event and resource that has a place. Each
/// feature's properties hold what a map popup shows; `type` is `"event"` or `"resource"`.
pub fn collection(events: &[Event], resources: &[Resource]) -> Value {
    let events = events
        .iter()
        .filter_map(|e| feature(e.place.as_ref()?, e.id.to_string(), event_properties(e)));
    let resources = resources
        .iter()
        .filter_map(|r| feature(r.place.as_ref()?, r.id.to_string(), resource_properties(r)));
    json!({
        "type": "FeatureCollection",
        "features": events.chain(resources).collect::<Vec<_>>(),
    })
}

/// A Point feature at the place, or none when its coordinates are not a position on Earth.
fn feature(place: &Place, id: String, mut properties: Map<String, Value>) -> Option<Value> {
    let on_earth = (-90.0..=90.0).contains(&place.lat) && (-180.0..=180.0).contains(&place.lon);
    if !on_earth {
        return None;
    }
    properties.insert("place_name".into(), json!(place.name));
    properties.insert("address".into(), json!(place.address));
    properties.insert("accessibility".into(), json!(place.accessibility));
    Some(json!({
        "type": "Feature",
        "id": id,
        "geometry": { "type": "Point", "coordinates": [place.lon, place.lat] },
        "properties": properties,
    }))
}

fn event_properties(e: &Event) -> Map<String, Value> {
    let properties = json!({
        "id": e.id.to_string(),
        "type": "event",
        "title": e.title,
        "kind": e.kind,
        "kind_label": e.kind.label(),
        "description": e.description,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "time_zone": e.time_zone,
        "status": e.status,
        "organiser": e.organiser,
        "languages": e.languages,
        "links": e.links,
        "version": e.version,
    });
    match properties {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn resource_properties(r: &Resource) -> Map<String, Value> {
    let properties = json!({
        "id": r.id.to_string(),
        "type": "resource",
        "name": r.name,
        "category": r.category,
        "category_label": r.category.label(),
        "description": r.description,
        "organisation": r.organisation,
        "phones": r.phones,
        "website": r.website,
        "opening_hours": r.opening_hours,
        "languages": r.languages,
        "eligibility": r.eligibility,
        "cost": r.cost,
        "last_verified": r.last_verified,
        "version": r.version,
    });
    match properties {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests;
