use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use vecinos_core::{EventKind, EventStatus, OpeningHours, Phone, ResourceCategory};

use super::*;

fn place(lat: f64, lon: f64) -> Place {
    Place {
        name: "Example Hall".into(),
        address: "1 Example St".into(),
        lat,
        lon,
        accessibility: None,
    }
}

fn event(n: u128, place: Option<Place>) -> Event {
    Event {
        translations: Default::default(),
        id: Uuid::from_u128(n),
        version: 1,
        title: format!("Training {n}"),
        description: "Know your rights.".into(),
        kind: EventKind::Training,
        starts_at: Utc
            .with_ymd_and_hms(2026, 11, 28, 18, 0, 0)
            .single()
            .expect("valid time"),
        ends_at: None,
        time_zone: "America/Chicago".into(),
        place,
        organiser: "Example Network".into(),
        languages: vec!["so".into()],
        links: vec![],
        status: EventStatus::Scheduled,
    }
}

fn resource(n: u128, place: Option<Place>, area: Option<&str>) -> Resource {
    Resource {
        translations: Default::default(),
        id: Uuid::from_u128(n),
        version: 2,
        name: format!("Resource {n}"),
        category: ResourceCategory::LegalAid,
        description: String::new(),
        organisation: "Example Legal".into(),
        phones: vec![Phone {
            number: "555-0100".into(),
            label: None,
        }],
        website: None,
        place,
        service_area: area.map(Into::into),
        opening_hours: vec![OpeningHours {
            weekday: 2,
            opens: "09:00".into(),
            closes: "17:00".into(),
        }],
        languages: vec!["es".into()],
        eligibility: None,
        cost: None,
        last_verified: NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date"),
    }
}

fn features(collection: &Value) -> &Vec<Value> {
    collection["features"].as_array().expect("features")
}

#[test]
fn coordinates_are_longitude_then_latitude() {
    let c = collection(
        &[event(1, Some(place(44.95, -93.26)))],
        &[resource(2, Some(place(-33.87, 151.21)), None)],
    );
    assert_eq!(c["type"], json!("FeatureCollection"));
    let features = features(&c);
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["type"], json!("Feature"));
    assert_eq!(features[0]["geometry"]["type"], json!("Point"));
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        json!([-93.26, 44.95])
    );
    assert_eq!(
        features[1]["geometry"]["coordinates"],
        json!([151.21, -33.87])
    );
}

#[test]
fn properties_carry_what_a_popup_needs() {
    let c = collection(
        &[event(1, Some(place(44.95, -93.26)))],
        &[resource(2, Some(place(44.9, -93.2)), Some("South side"))],
    );
    let event = &features(&c)[0]["properties"];
    assert_eq!(event["type"], json!("event"));
    assert_eq!(event["id"], json!(Uuid::from_u128(1).to_string()));
    assert_eq!(event["title"], json!("Training 1"));
    assert_eq!(event["kind"], json!("training"));
    assert_eq!(event["starts_at"], json!("2026-11-28T18:00:00Z"));
    assert_eq!(event["place_name"], json!("Example Hall"));
    let resource = &features(&c)[1]["properties"];
    assert_eq!(resource["type"], json!("resource"));
    assert_eq!(resource["name"], json!("Resource 2"));
    assert_eq!(resource["category"], json!("legal_aid"));
    assert_eq!(resource["category_label"], json!("Legal aid"));
    assert_eq!(resource["phones"][0]["number"], json!("555-0100"));
    assert_eq!(resource["opening_hours"][0]["opens"], json!("09:00"));
    assert_eq!(resource["address"], json!("1 Example St"));
    assert_eq!(features(&c)[1]["id"], resource["id"]);
}

#[test]
fn area_only_resources_and_placeless_events_are_absent() {
    let area_only = resource(3, None, Some("North side, by appointment"));
    let c = collection(
        &[event(1, None), event(4, Some(place(10.0, 20.0)))],
        &[area_only, resource(5, Some(place(1.0, 2.0)), None)],
    );
    let ids: Vec<&Value> = features(&c)
        .iter()
        .map(|f| &f["properties"]["id"])
        .collect();
    assert_eq!(
        ids,
        [
            &json!(Uuid::from_u128(4).to_string()),
            &json!(Uuid::from_u128(5).to_string())
        ]
    );
    let text = c.to_string();
    assert!(
        !text.contains("North side"),
        "nothing of the area-only resource: {text}"
    );
    assert!(!text.contains(&Uuid::from_u128(3).to_string()));
}

#[test]
fn impossible_coordinates_are_left_out() {
    let c = collection(
        &[
            event(1, Some(place(f64::NAN, 0.0))),
            event(2, Some(place(91.0, 0.0))),
        ],
        &[resource(3, Some(place(0.0, 181.0)), None)],
    );
    assert!(features(&c).is_empty());
    assert_eq!(collection(&[], &[])["features"], json!([]));
}
