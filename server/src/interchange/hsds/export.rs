//! Resources as HSDS 3.0 services.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};
use uuid::Uuid;
use vecinos_core::{Resource, ResourceCategory};

use super::{DAY_NAMES, DAYS, NAMESPACE, TAXONOMY, category_code};

/// The resources as a JSON array of HSDS 3.0 `service` objects. Ids of nested objects are derived
/// from the resource id, so exporting the same resource twice gives the same document.
pub fn export(resources: &[Resource]) -> Value {
    Value::Array(resources.iter().map(export_service).collect())
}

/// Id of the organization with this name: the same name always gets the same id, so the services
/// of one organisation share it.
fn organization_id(name: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("organization/{name}").as_bytes())
}

fn category_term_id(category: ResourceCategory) -> Uuid {
    Uuid::new_v5(
        &NAMESPACE,
        format!("category/{}", category_code(category)).as_bytes(),
    )
}

fn export_service(r: &Resource) -> Value {
    let service_id = r.id.to_string();
    let child = |kind: &str, index: usize| {
        Uuid::new_v5(&r.id, format!("{kind}/{index}").as_bytes()).to_string()
    };
    let organization_id = organization_id(&r.organisation).to_string();

    let mut s = Map::new();
    s.insert("id".into(), json!(service_id));
    s.insert("organization_id".into(), json!(organization_id));
    s.insert("name".into(), json!(r.name));
    s.insert("description".into(), json!(r.description));
    if let Some(website) = &r.website {
        s.insert("url".into(), json!(as_uri(website)));
    }
    s.insert("status".into(), json!("active"));
    if let Some(eligibility) = &r.eligibility {
        s.insert("eligibility_description".into(), json!(eligibility));
    }
    if let Some(cost) = &r.cost {
        s.insert("fees_description".into(), json!(cost));
    }
    s.insert(
        "assured_date".into(),
        json!(r.last_verified.format("%Y-%m-%d").to_string()),
    );
    s.insert(
        "organization".into(),
        json!({
            "id": organization_id,
            "name": r.organisation,
            // Required by HSDS; Vecinos knows nothing about an organisation but its name.
            "description": r.organisation,
        }),
    );

    let phones = r.phones.iter().enumerate().map(|(i, phone)| {
        let mut p = Map::new();
        p.insert("id".into(), json!(child("phone", i)));
        p.insert("service_id".into(), json!(service_id));
        p.insert("number".into(), json!(phone.number));
        if let Some(label) = &phone.label {
            p.insert("description".into(), json!(label));
        }
        Value::Object(p)
    });
    s.insert("phones".into(), Value::Array(phones.collect()));

    let schedules = r.opening_hours.iter().enumerate().filter_map(|(i, hours)| {
        let day = usize::from(hours.weekday)
            .checked_sub(1)
            .filter(|d| *d < 7)?;
        Some(json!({
            "id": child("schedule", i),
            "service_id": service_id,
            "freq": "WEEKLY",
            "byday": DAYS[day],
            "opens_at": hours.opens,
            "closes_at": hours.closes,
            "description": format!("{} {}–{}", DAY_NAMES[day], hours.opens, hours.closes),
        }))
    });
    s.insert("schedules".into(), Value::Array(schedules.collect()));

    let languages = r.languages.iter().enumerate().map(
        |(i, code)| json!({ "id": child("language", i), "service_id": service_id, "code": code }),
    );
    s.insert("languages".into(), Value::Array(languages.collect()));

    s.insert(
        "attributes".into(),
        json!([{
            "id": child("attribute", 0),
            "link_id": service_id,
            "link_type": "category",
            "link_entity": "service",
            "taxonomy_term_id": category_term_id(r.category).to_string(),
            "taxonomy_term": {
                "id": category_term_id(r.category).to_string(),
                "code": category_code(r.category),
                "name": r.category.label(),
                "description": r.category.label(),
                "taxonomy": TAXONOMY,
            },
        }]),
    );

    if let Some(place) = &r.place {
        let location_id = child("location", 0);
        let mut location = Map::new();
        location.insert("id".into(), json!(location_id));
        location.insert("location_type".into(), json!("physical"));
        location.insert("name".into(), json!(place.name));
        location.insert("latitude".into(), json!(place.lat));
        location.insert("longitude".into(), json!(place.lon));
        if !place.address.trim().is_empty() {
            location.insert(
                "addresses".into(),
                json!([{
                    "id": child("address", 0),
                    "location_id": location_id,
                    "address_1": place.address,
                    // Required by HSDS but not known separately: the whole address is address_1.
                    "city": "",
                    "state_province": "",
                    "postal_code": "",
                    "country": "",
                    "address_type": "physical",
                }]),
            );
        }
        if let Some(accessibility) = &place.accessibility {
            location.insert(
                "accessibility".into(),
                json!([{
                    "id": child("accessibility", 0),
                    "location_id": location_id,
                    "description": accessibility,
                }]),
            );
        }
        s.insert(
            "service_at_locations".into(),
            json!([{
                "id": child("service_at_location", 0),
                "service_id": service_id,
                "location_id": location_id,
                "location": location,
            }]),
        );
    }

    // An area-only resource ends here: a description of the area, never a point or an address.
    if let Some(area) = &r.service_area {
        s.insert(
            "service_areas".into(),
            json!([{
                "id": child("service_area", 0),
                "service_id": service_id,
                "name": area,
                "description": area,
            }]),
        );
    }

    Value::Object(s)
}

/// Bytes that are not allowed as they are in an RFC 3986 URI (`%` too: an escape already in the
/// address is kept by [`as_uri`], a lone `%` is encoded).
const NOT_IN_URI: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// The web address as an RFC 3986 URI (HSDS `format: uri`): bytes outside the URI character set,
/// such as the UTF-8 of "página" or a space, are percent-encoded; a valid URI is left unchanged.
pub(super) fn as_uri(url: &str) -> String {
    let mut parts = url.split('%');
    let mut out: String =
        utf8_percent_encode(parts.next().unwrap_or_default(), NOT_IN_URI).collect();
    for part in parts {
        match part
            .get(..2)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            Some(escape) => {
                out.push('%');
                out.push_str(escape);
                out.extend(utf8_percent_encode(&part[2..], NOT_IN_URI));
            }
            None => {
                out.push_str("%25");
                out.extend(utf8_percent_encode(part, NOT_IN_URI));
            }
        }
    }
    out
}
