//! Resources as Open Referral HSDS 3.0 JSON, both ways, so that listings move between Vecinos and
//! the service directories (211 lines, other networks) that already speak HSDS.
//!
//! [`export`] writes an array of HSDS `service` objects, each with its organization, phones,
//! schedules, languages, category (an attribute with a taxonomy term) and, where the resource has a
//! place, one `service_at_location` with its `location`. A resource published as an area only is
//! written with a `service_area` description and never with a location, coordinates or an address:
//! an export must never reveal where a safe house is.
//!
//! [`import`] reads such an array back (and reasonably tolerant of other HSDS: optional fields may
//! be missing), validates every record and returns all of them or none, with an error that names
//! each bad record and field.
//!
//! # Mapping
//!
//! | Vecinos `Resource`       | HSDS 3.0 `service`                                                 |
//! |--------------------------|--------------------------------------------------------------------|
//! | `id`                     | `id` (must be a UUID on import)                                    |
//! | `name`, `description`    | `name`, `description`                                              |
//! | `organisation`           | `organization.name`; HSDS's required `description` repeats it; the id is derived from the name |
//! | `category`               | `attributes[]` → `taxonomy_term` {`code`: `legal_aid`..., `taxonomy`: [`TAXONOMY`]} |
//! | `phones[]`               | `phones[]`: `number`, label → `description`                        |
//! | `website`                | `url` (characters not allowed in a URI are percent-encoded)        |
//! | `place`                  | `service_at_locations[0].location`: `name`, `latitude`, `longitude`, `addresses[0].address_1`, `accessibility[0].description` |
//! | `service_area`           | `service_areas[0]`: `name` and `description`                       |
//! | `opening_hours[]`        | `schedules[]`: `freq` WEEKLY, `byday` MO..SU, `opens_at`/`closes_at` HH:MM (local time) |
//! | `languages[]`            | `languages[].code`                                                 |
//! | `eligibility`            | `eligibility_description`                                          |
//! | `cost`                   | `fees_description`                                                 |
//! | `last_verified`          | `assured_date` (YYYY-MM-DD)                                        |
//! | (always)                 | `status`: `active`                                                 |
//!
//! What HSDS does not carry: `version` (an import starts every record at version 1). An address is
//! one free-text line in Vecinos, so it is exported as `address_1` with HSDS's other required
//! address fields (city, state_province, postal_code, country) present but empty. Opening times
//! carry no UTC offset: they are the resource's local wall-clock time, as in Vecinos.
//!
//! On import, an empty optional string counts as absent, HSDS fields Vecinos has no place for
//! (email, alternate_name, contacts, funding, ...) are ignored, and what Vecinos cannot represent
//! faithfully is an error rather than a silent loss: a service that is not `active`, several
//! physical locations, a location without coordinates, monthly or fortnightly schedules, opening
//! times given in UTC, a missing `assured_date` or a missing Vecinos category.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use uuid::Uuid;
use vecinos_core::validate::Problem;
use vecinos_core::{OpeningHours, Phone, Place, Resource, ResourceCategory};

/// The taxonomy name written on the category terms of an export.
pub const TAXONOMY: &str = "Vecinos resource categories";

/// Namespace of the name-based (v5) ids derived for organizations and taxonomy terms. Never
/// change it: every exported id derived from it would change too.
const NAMESPACE: Uuid = Uuid::from_u128(0x0993_e9b9_7d37_4627_9499_2f04_28d7_6d65);

/// RFC 5545 weekday codes, Monday (weekday 1) first.
const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The category's wire name, used as the taxonomy term code. The match is exhaustive so that a new
/// category cannot be forgotten here; [`ResourceCategory::ALL`] must list it too (a test checks both).
fn category_code(category: ResourceCategory) -> &'static str {
    match category {
        ResourceCategory::LegalAid => "legal_aid",
        ResourceCategory::Hotline => "hotline",
        ResourceCategory::Food => "food",
        ResourceCategory::Rides => "rides",
        ResourceCategory::Housing => "housing",
        ResourceCategory::Medical => "medical",
        ResourceCategory::Childcare => "childcare",
        ResourceCategory::Schools => "schools",
        ResourceCategory::TenantUnion => "tenant_union",
        ResourceCategory::BailFund => "bail_fund",
        ResourceCategory::KnowYourRights => "know_your_rights",
    }
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

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

/// The web address as an RFC 3986 URI (HSDS `format: uri`): bytes outside the URI character set,
/// such as the UTF-8 of "página" or a space, are percent-encoded; a valid URI is left unchanged.
fn as_uri(url: &str) -> String {
    const ALLOWED: &[u8] = b"-._~:/?#@!$&'()*+,;=";
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_start = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || ALLOWED.contains(&b) || escape_start {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/// Why an HSDS file cannot be imported. Nothing is imported when any record is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The text is not JSON.
    #[error("the file is not valid JSON: {message} (line {line}, column {column})")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but not a list of services.
    #[error(
        "expected a JSON array of HSDS services (or an HSDS page with a \"contents\" array), found {found}"
    )]
    NotAList { found: &'static str },
    /// Some records cannot be imported.
    #[error("{0}")]
    Invalid(InvalidRecords),
}

impl ImportError {
    fn json(err: &serde_json::Error) -> Self {
        let (line, column) = (err.line(), err.column());
        let full = err.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        Self::Json {
            line,
            column,
            message,
        }
    }
}

/// Every record that cannot be imported, out of `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRecords {
    pub total: usize,
    pub records: Vec<RecordError>,
}

/// One record that cannot be imported. `index` counts from 0, like the positions in the JSON
/// array; `field` paths in `problems` are HSDS paths within that record (`phones[0].number`).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    pub index: usize,
    pub name: Option<String>,
    pub id: Option<String>,
    pub problems: Vec<Problem>,
}

/// At most this many problem lines are written out; the rest are counted.
const MAX_LINES: usize = 100;

impl fmt::Display for InvalidRecords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bad = self.records.len();
        let noun = if self.total == 1 { "record" } else { "records" };
        write!(
            f,
            "{bad} of {} {noun} cannot be imported, so nothing was imported",
            self.total
        )?;
        let mut lines = 0;
        let all: usize = self.records.iter().map(|r| r.problems.len().max(1)).sum();
        for record in &self.records {
            for line in record.lines() {
                if lines == MAX_LINES {
                    return write!(f, "\n... and {} more problems", all - lines);
                }
                write!(f, "\n{line}")?;
                lines += 1;
            }
        }
        Ok(())
    }
}

impl RecordError {
    fn lines(&self) -> Vec<String> {
        let mut who = format!("record {}", self.index);
        match (&self.name, &self.id) {
            (Some(name), Some(id)) => who.push_str(&format!(" ({name:?}, id {id})")),
            (Some(name), None) => who.push_str(&format!(" ({name:?})")),
            (None, Some(id)) => who.push_str(&format!(" (id {id})")),
            (None, None) => {}
        }
        if self.problems.is_empty() {
            return vec![format!("{who}: cannot be imported")];
        }
        self.problems
            .iter()
            .map(|p| {
                if p.field.is_empty() {
                    format!("{who}: {}", p.message)
                } else {
                    format!("{who}: {}: {}", p.field, p.message)
                }
            })
            .collect()
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// Reads a JSON array of HSDS 3.0 services (or an HSDS page whose `contents` is one) into
/// resources at version 1, each validated with [`Resource::validate`]. Either every record is
/// returned or none: the error names each bad record (index, name, id) and its problems.
pub fn import(json: &str) -> Result<Vec<Resource>, ImportError> {
    let doc: Value = serde_json::from_str(json).map_err(|e| ImportError::json(&e))?;
    let items = match &doc {
        Value::Array(items) => items,
        Value::Object(page) => match page.get("contents") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(ImportError::NotAList {
                    found: "an object without a \"contents\" array",
                });
            }
        },
        Value::Null => return Err(ImportError::NotAList { found: "null" }),
        Value::Bool(_) => return Err(ImportError::NotAList { found: "a boolean" }),
        Value::Number(_) => return Err(ImportError::NotAList { found: "a number" }),
        Value::String(_) => return Err(ImportError::NotAList { found: "a string" }),
    };

    let mut resources = Vec::with_capacity(items.len());
    let mut failures = Vec::new();
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let raw_id = item.get("id").and_then(Value::as_str);
        let mut result = convert(item);
        if let Some(id) = raw_id.and_then(|t| Uuid::parse_str(t.trim()).ok()) {
            if let Some(first) = seen.get(&id) {
                let duplicate = problem("id", format!("is the same as the id of record {first}"));
                match &mut result {
                    Ok(_) => result = Err(vec![duplicate]),
                    Err(problems) => problems.push(duplicate),
                }
            } else {
                seen.insert(id, index);
            }
        }
        match result {
            Ok(resource) => resources.push(resource),
            Err(problems) => failures.push(RecordError {
                index,
                name: item.get("name").and_then(Value::as_str).map(str::to_owned),
                id: raw_id.map(str::to_owned),
                problems,
            }),
        }
    }
    if failures.is_empty() {
        Ok(resources)
    } else {
        Err(ImportError::Invalid(InvalidRecords {
            total: items.len(),
            records: failures,
        }))
    }
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        field: field.into(),
        message: message.into(),
    }
}

/// A JSON object being read, with its HSDS path for error messages.
#[derive(Clone)]
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value, with `null` counted as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A string field; an empty or blank string counts as absent.
    fn text(&self, key: &str, p: &mut Vec<Problem>) -> Option<&'a str> {
        match self.get(key)? {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s),
            _ => {
                p.push(problem(self.field(key), "must be a string"));
                None
            }
        }
    }

    /// A number field; a string holding a number (as from a spreadsheet) is accepted too.
    fn number(&self, key: &str, p: &mut Vec<Problem>) -> Option<f64> {
        let number = match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let number = number.filter(|n| n.is_finite());
        if number.is_none() {
            p.push(problem(self.field(key), "must be a number"));
        }
        number
    }

    fn object(&self, key: &str, p: &mut Vec<Problem>) -> Option<Obj<'a>> {
        match self.get(key)? {
            Value::Object(map) => Some(Obj {
                map,
                path: self.field(key),
            }),
            _ => {
                p.push(problem(self.field(key), "must be an object"));
                None
            }
        }
    }

    /// An array of objects; items that are not objects are reported and skipped.
    fn list(&self, key: &str, p: &mut Vec<Problem>) -> Vec<Obj<'a>> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let path = format!("{}[{i}]", self.field(key));
                    match item {
                        Value::Object(map) => Some(Obj { map, path }),
                        _ => {
                            p.push(problem(path, "must be an object"));
                            None
                        }
                    }
                })
                .collect(),
            Some(_) => {
                p.push(problem(self.field(key), "must be an array"));
                Vec::new()
            }
        }
    }
}

/// Where in the HSDS record each part of the resource came from, to name HSDS fields in the
/// problems that [`Resource::validate`] reports in Vecinos terms.
#[derive(Default)]
struct Origins {
    location: Option<String>,
    service_area: Option<String>,
    /// The schedule path of each opening period.
    hours: Vec<String>,
    /// The path of each language code.
    languages: Vec<String>,
    cost: Option<&'static str>,
}

impl Origins {
    /// The HSDS path of a field that [`Resource::validate`] names (`place.lat`, `phones[0].label`).
    fn hsds_field(&self, field: &str) -> String {
        let (head, rest) = match field.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (field, None),
        };
        let (name, index) = match head.split_once('[') {
            Some((name, index)) => (name, index.trim_end_matches(']').parse::<usize>().ok()),
            None => (head, None),
        };
        let mapped = match (name, index, rest) {
            ("organisation", _, _) => Some("organization.name".to_owned()),
            ("website", _, _) => Some("url".to_owned()),
            ("eligibility", _, _) => Some("eligibility_description".to_owned()),
            ("cost", _, _) => Some(self.cost.unwrap_or("fees_description").to_owned()),
            ("phones", Some(i), Some("label")) => Some(format!("phones[{i}].description")),
            ("place", None, Some(sub)) => self.location.as_ref().map(|location| {
                let sub = match sub {
                    "lat" => "latitude",
                    "lon" => "longitude",
                    "address" => "addresses",
                    other => other,
                };
                format!("{location}.{sub}")
            }),
            ("service_area", _, _) => self.service_area.clone(),
            ("opening_hours", None, _) => Some("schedules".to_owned()),
            ("opening_hours", Some(i), sub) => self.hours.get(i).map(|schedule| {
                let sub = match sub {
                    Some("weekday") => "byday",
                    Some("opens") => "opens_at",
                    Some("closes") => "closes_at",
                    Some(other) => other,
                    None => return schedule.clone(),
                };
                format!("{schedule}.{sub}")
            }),
            ("languages", Some(i), _) => self.languages.get(i).cloned(),
            _ => None,
        };
        mapped.unwrap_or_else(|| field.to_owned())
    }
}

/// One HSDS service as a resource, or every problem with it.
fn convert(record: &Value) -> Result<Resource, Vec<Problem>> {
    let Some(map) = record.as_object() else {
        return Err(vec![problem("", "must be a JSON object (an HSDS service)")]);
    };
    let s = Obj {
        map,
        path: String::new(),
    };
    let mut p = Vec::new();
    let mut origins = Origins::default();

    let id = match s.get("id") {
        None => {
            p.push(problem("id", "is required: the service's UUID"));
            None
        }
        Some(Value::String(text)) => match Uuid::parse_str(text.trim()) {
            Ok(id) => Some(id),
            Err(_) => {
                p.push(problem(
                    "id",
                    format!(
                        "{text:?} is not a UUID; Vecinos keeps the service id, so it must be one \
                         (like 3f6d2a0e-8c1b-4c55-9f2e-1b7f2d9e4a10)"
                    ),
                ));
                None
            }
        },
        Some(_) => {
            p.push(problem("id", "must be a string holding a UUID"));
            None
        }
    };

    if let Some(status) = s.text("status", &mut p)
        && status != "active"
    {
        p.push(problem(
            "status",
            format!("is {status:?}; only active services can be imported"),
        ));
    }

    let name = s.text("name", &mut p).unwrap_or_default().to_owned();
    let description = s.text("description", &mut p).unwrap_or_default().to_owned();
    let website = s.text("url", &mut p).map(str::to_owned);
    let eligibility = s.text("eligibility_description", &mut p).map(str::to_owned);
    let cost = match s.text("fees_description", &mut p) {
        Some(cost) => Some(cost.to_owned()),
        None => {
            // `fees` is deprecated in 3.0 but still found in older exports.
            let fees = s.text("fees", &mut p).map(str::to_owned);
            if fees.is_some() {
                origins.cost = Some("fees");
            }
            fees
        }
    };
    let organisation = s
        .object("organization", &mut p)
        .and_then(|o| o.text("name", &mut p).map(str::to_owned))
        .unwrap_or_default();

    let last_verified = match s.text("assured_date", &mut p) {
        None => {
            p.push(problem(
                "assured_date",
                "is required: the date the listing was last checked (YYYY-MM-DD); Vecinos shows \
                 it so people can judge how current a listing is",
            ));
            None
        }
        Some(text) => match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                p.push(problem(
                    "assured_date",
                    format!("{text:?} is not a date as YYYY-MM-DD"),
                ));
                None
            }
        },
    };

    let category = import_category(&s, &mut p);
    let phones = import_phones(&s, &mut p);
    let located = import_place(&s, &mut p);
    if let Some(located) = &located {
        origins.location = Some(located.path.clone());
    }
    let service_area = import_service_area(&s, &mut origins, &mut p);
    let opening_hours = import_hours(&s, located.as_ref(), &mut origins, &mut p);
    let languages = import_languages(&s, &mut origins, &mut p);

    let (Some(id), Some(category), Some(last_verified)) = (id, category, last_verified) else {
        return Err(p);
    };
    let resource = Resource {
        id,
        version: 1,
        name,
        category,
        description,
        organisation,
        phones,
        website,
        place: located.and_then(|l| l.place),
        service_area,
        opening_hours,
        languages,
        eligibility,
        cost,
        last_verified,
    };
    if let Err(problems) = resource.validate() {
        for found in problems {
            let field = origins.hsds_field(&found.field);
            // A field already reported while reading (say, not a string) is not reported again.
            if !p.iter().any(|known| known.field == field) {
                p.push(problem(field, found.message));
            }
        }
    }
    if p.is_empty() { Ok(resource) } else { Err(p) }
}

fn import_category(s: &Obj<'_>, p: &mut Vec<Problem>) -> Option<ResourceCategory> {
    for attribute in s.list("attributes", p) {
        let Some(term) = attribute.object("taxonomy_term", p) else {
            continue;
        };
        let code = term.text("code", p).map(str::trim);
        let name = term.text("name", p).map(str::trim);
        let found = ResourceCategory::ALL.iter().copied().find(|c| {
            code == Some(category_code(*c))
                || name.is_some_and(|n| n.eq_ignore_ascii_case(c.label()))
        });
        if found.is_some() {
            return found;
        }
    }
    let codes: Vec<&str> = ResourceCategory::ALL
        .iter()
        .map(|c| category_code(*c))
        .collect();
    p.push(problem(
        "attributes",
        format!(
            "no Vecinos category: add an attribute whose taxonomy_term has the code {} \
             (taxonomy {TAXONOMY:?})",
            codes.join(", ")
        ),
    ));
    None
}

fn import_phones(s: &Obj<'_>, p: &mut Vec<Problem>) -> Vec<Phone> {
    s.list("phones", p)
        .into_iter()
        .map(|phone| {
            let before = p.len();
            let number = phone.text("number", p);
            if number.is_none() && p.len() == before {
                p.push(problem(phone.field("number"), "is required"));
            }
            let description = phone.text("description", p);
            let extension = phone.number("extension", p);
            let label = match (description, extension) {
                (Some(d), Some(x)) => Some(format!("{d} (ext. {x})")),
                (None, Some(x)) => Some(format!("ext. {x}")),
                (d, None) => d.map(str::to_owned),
            };
            Phone {
                number: number.unwrap_or_default().to_owned(),
                label,
            }
        })
        .collect()
}

/// The one physical location of a service, with its path.
struct Located<'a> {
    path: String,
    service_at_location: Obj<'a>,
    location: Obj<'a>,
    /// None when the location cannot become a place (a problem was reported).
    place: Option<Place>,
}

fn import_place<'a>(s: &Obj<'a>, p: &mut Vec<Problem>) -> Option<Located<'a>> {
    let mut physical = Vec::new();
    for sal in s.list("service_at_locations", p) {
        let Some(location) = sal.object("location", p) else {
            if sal.get("location").is_none() {
                p.push(problem(
                    sal.field("location"),
                    "is missing: include the location object itself, not only its location_id",
                ));
            }
            continue;
        };
        // Virtual and postal locations are not places to go to.
        if matches!(
            location.text("location_type", p),
            Some("virtual" | "postal")
        ) {
            continue;
        }
        physical.push((sal, location));
    }
    if physical.len() > 1 {
        p.push(problem(
            "service_at_locations",
            format!(
                "lists {} physical locations; a Vecinos resource has one place, so import each \
                 location as its own service",
                physical.len()
            ),
        ));
        return None;
    }
    let (sal, location) = physical.pop()?;

    let mut coordinate = |key: &str| {
        let before = p.len();
        let value = location.number(key, p);
        if value.is_none() && p.len() == before {
            p.push(problem(
                location.field(key),
                "is required: Vecinos shows a place on a map (a resource that must not be found \
                 on a map has a service area and no location)",
            ));
        }
        value
    };
    let lat = coordinate("latitude");
    let lon = coordinate("longitude");

    let addresses = location.list("addresses", p);
    let address = addresses
        .iter()
        .find(|a| a.map.get("address_type").and_then(Value::as_str) == Some("physical"))
        .or(addresses.first())
        .map(|a| {
            let parts: Vec<&str> = [
                "address_1",
                "address_2",
                "city",
                "state_province",
                "postal_code",
            ]
            .iter()
            .filter_map(|key| a.text(key, p))
            .collect();
            parts.join(", ")
        })
        .unwrap_or_default();

    let accessibility: Vec<&str> = location
        .list("accessibility", p)
        .iter()
        .flat_map(|a| [a.text("description", p), a.text("details", p)])
        .flatten()
        .collect();

    let place = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(Place {
            name: location.text("name", p).unwrap_or_default().to_owned(),
            address,
            lat,
            lon,
            accessibility: (!accessibility.is_empty()).then(|| accessibility.join("\n")),
        }),
        _ => None,
    };
    Some(Located {
        path: location.path.clone(),
        service_at_location: sal,
        location,
        place,
    })
}

fn import_service_area(s: &Obj<'_>, origins: &mut Origins, p: &mut Vec<Problem>) -> Option<String> {
    let areas: Vec<(String, &str)> = s
        .list("service_areas", p)
        .iter()
        .filter_map(|area| {
            let (key, text) = match area.text("description", p) {
                Some(text) => ("description", Some(text)),
                None => ("name", area.text("name", p)),
            };
            text.map(|t| (area.field(key), t))
        })
        .collect();
    match areas.as_slice() {
        [] => None,
        [(path, text)] => {
            origins.service_area = Some(path.clone());
            Some((*text).to_owned())
        }
        several => {
            origins.service_area = Some("service_areas".to_owned());
            Some(
                several
                    .iter()
                    .map(|(_, t)| *t)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
    }
}

fn import_hours(
    s: &Obj<'_>,
    located: Option<&Located<'_>>,
    origins: &mut Origins,
    p: &mut Vec<Problem>,
) -> Vec<OpeningHours> {
    // The service's own schedules; failing those, its location's.
    let mut schedules = s.list("schedules", p);
    if let Some(located) = located {
        if schedules.is_empty() {
            schedules = located.service_at_location.list("schedules", p);
        }
        if schedules.is_empty() {
            schedules = located.location.list("schedules", p);
        }
    }
    let mut hours = Vec::new();
    for schedule in schedules {
        let byday = schedule.text("byday", p);
        let opens = schedule.text("opens_at", p);
        let closes = schedule.text("closes_at", p);
        if byday.is_none() && opens.is_none() && closes.is_none() {
            // Free text only ("by appointment"): nothing structured to carry.
            continue;
        }
        if let Some(freq) = schedule.text("freq", p)
            && freq != "WEEKLY"
        {
            p.push(problem(
                schedule.field("freq"),
                format!("is {freq:?}; only weekly opening hours (WEEKLY) can be imported"),
            ));
            continue;
        }
        if let Some(interval) = schedule.number("interval", p)
            && interval != 1.0
        {
            p.push(problem(
                schedule.field("interval"),
                format!("is {interval}; only hours that repeat every week (1) can be imported"),
            ));
            continue;
        }
        let mut required = |value: Option<&str>, key: &str, what: &str| {
            if value.is_none() {
                p.push(problem(schedule.field(key), format!("is required: {what}")));
            }
        };
        required(byday, "byday", "the days of the week, like MO,TU");
        required(opens, "opens_at", "the opening time as HH:MM");
        required(closes, "closes_at", "the closing time as HH:MM");
        let (Some(byday), Some(opens), Some(closes)) = (byday, opens, closes) else {
            continue;
        };
        let mut clock = |key: &str, value: &str| {
            local_clock(value).unwrap_or_else(|message| {
                p.push(problem(schedule.field(key), message));
                value.to_owned()
            })
        };
        let (opens, closes) = (clock("opens_at", opens), clock("closes_at", closes));
        for day in byday.split(',').map(str::trim) {
            match DAYS.iter().position(|d| d.eq_ignore_ascii_case(day)) {
                Some(i) => {
                    hours.push(OpeningHours {
                        weekday: u8::try_from(i + 1).unwrap_or(1),
                        opens: opens.clone(),
                        closes: closes.clone(),
                    });
                    origins.hours.push(schedule.path.clone());
                }
                None => p.push(problem(
                    schedule.field("byday"),
                    format!(
                        "{day:?} is not a day of the week (MO, TU, WE, TH, FR, SA, SU); monthly \
                         rules like 2MO cannot be imported"
                    ),
                )),
            }
        }
    }
    hours
}

/// An HSDS opening time (`09:00`, `09:00:00`, `09:00-05:00`) as the local "HH:MM" Vecinos keeps.
/// A UTC offset is dropped: the time before it is the local time. A time in UTC (`Z`) cannot be
/// turned into local time without the place's time zone, so it is refused. Anything else that is
/// not a time is passed on for [`Resource::validate`] to report.
fn local_clock(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.ends_with(['Z', 'z']) {
        return Err(format!(
            "{value:?} is in UTC; give the local time instead, like 09:00 or 09:00-05:00"
        ));
    }
    let time = value.find(['+', '-']).map_or(value, |at| &value[..at]);
    let mut parts = time.split(':');
    let (Some(hour), Some(minute)) = (parts.next(), parts.next()) else {
        return Ok(value.to_owned());
    };
    if hour.len() == 1 && hour.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(format!("0{hour}:{minute}"));
    }
    Ok(format!("{hour}:{minute}"))
}

fn import_languages(s: &Obj<'_>, origins: &mut Origins, p: &mut Vec<Problem>) -> Vec<String> {
    let mut codes = Vec::new();
    for language in s.list("languages", p) {
        let before = p.len();
        match language.text("code", p) {
            Some(code) => {
                codes.push(code.trim().to_ascii_lowercase());
                origins.languages.push(language.field("code"));
            }
            // Missing or blank; a code of the wrong type was reported by `text`.
            None if p.len() == before => {
                let message = match language.text("name", p) {
                    Some(name) => {
                        format!("is required: the ISO 639 code of {name:?} (like en, es, so)")
                    }
                    None => "is required: an ISO 639 code (like en, es, so)".to_owned(),
                };
                p.push(problem(language.field("code"), message));
            }
            None => {}
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(0x5e7a_0000_0000_4000_8000_0000_0000_0000 | n)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn hours(weekday: u8, opens: &str, closes: &str) -> OpeningHours {
        OpeningHours {
            weekday,
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    fn food_shelf() -> Resource {
        Resource {
            id: id(1),
            version: 1,
            name: "Example Food Shelf".into(),
            category: ResourceCategory::Food,
            description: "Groceries, no questions asked.\nBring a bag; we have boxes too.".into(),
            organisation: "Example Neighbours Network".into(),
            phones: vec![
                Phone {
                    number: "+1 555-0100".into(),
                    label: Some("Front desk (español, Soomaali)".into()),
                },
                Phone {
                    number: "(555) 0101".into(),
                    label: None,
                },
            ],
            website: Some("https://example.org/food?lang=es".into()),
            place: Some(Place {
                name: "Example Church Hall".into(),
                address: "1234 Example Ave S, Minneapolis, MN 55407".into(),
                lat: 44.9484,
                lon: -93.2471,
                accessibility: Some("Step-free entrance on 13th St.".into()),
            }),
            service_area: None,
            opening_hours: vec![
                hours(1, "09:00", "12:00"),
                hours(1, "13:00", "17:00"),
                hours(3, "09:00", "17:00"),
                hours(5, "09:00", "17:00"),
                hours(6, "10:00", "14:00"),
            ],
            languages: vec!["en".into(), "es".into(), "so".into(), "hmn".into()],
            eligibility: Some("Anyone who needs food.".into()),
            cost: Some("Free".into()),
            last_verified: date(2026, 11, 20),
        }
    }

    fn safe_house() -> Resource {
        Resource {
            id: id(2),
            version: 1,
            name: "Example Sanctuary Housing".into(),
            category: ResourceCategory::Housing,
            description: "Emergency housing for families. Call first.".into(),
            organisation: "Example Sanctuary Network".into(),
            phones: vec![],
            website: None,
            place: None,
            service_area: Some("South Minneapolis, by referral".into()),
            opening_hours: vec![],
            languages: vec!["es".into()],
            eligibility: None,
            cost: None,
            last_verified: date(2026, 10, 1),
        }
    }

    fn hotline() -> Resource {
        Resource {
            id: id(3),
            version: 1,
            name: "Example Rapid Response Hotline".into(),
            category: ResourceCategory::Hotline,
            description: String::new(),
            organisation: "Example Neighbours Network".into(),
            phones: vec![Phone {
                number: "555-0199".into(),
                label: Some("24 hours".into()),
            }],
            website: None,
            place: None,
            service_area: None,
            opening_hours: (1..=7).map(|d| hours(d, "00:00", "24:00")).collect(),
            languages: vec![],
            eligibility: None,
            cost: None,
            last_verified: date(2026, 11, 1),
        }
    }

    fn legal_clinic() -> Resource {
        Resource {
            id: id(4),
            version: 1,
            name: "Example Know-Your-Rights Clinic".into(),
            category: ResourceCategory::KnowYourRights,
            description: "Walk-in advice; a lawyer on Tuesdays.".into(),
            organisation: "Example Legal Collective".into(),
            phones: vec![],
            website: Some("http://localhost:8080/clinic".into()),
            place: Some(Place {
                name: "Example Library, room 2".into(),
                address: String::new(),
                lat: -33.8688,
                lon: 151.2093,
                accessibility: None,
            }),
            service_area: Some("Whole city".into()),
            opening_hours: vec![hours(2, "18:00", "20:30")],
            languages: vec!["en".into()],
            eligibility: None,
            cost: Some("Free; donations welcome".into()),
            last_verified: date(2026, 9, 30),
        }
    }

    fn samples() -> Vec<Resource> {
        vec![food_shelf(), safe_house(), hotline(), legal_clinic()]
    }

    // --- JSON Schema validation against the official files ------------------------------------

    /// Open Referral's schemas, vendored unmodified (see tests/hsds-3.0/README.md).
    fn hsds_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hsds-3.0")
    }

    fn load(relative: &str) -> Value {
        let path = hsds_dir().join(relative);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text).expect("schema file is JSON")
    }

    /// A made-up base URI for the schema files; nothing is ever fetched from it.
    const BASE: &str = "https://hsds.invalid/schema/";

    /// The official `service.json`, its sibling files registered under the same base URI so that
    /// its relative `$ref`s ("phone.json") resolve to them. The files declare no `$schema`; HSDS
    /// 3.0's OpenAPI description uses the 2020-12 dialect, so that draft is used, with `format`
    /// (uuid, uri, email, date-time) asserted rather than only annotated.
    fn service_validator() -> jsonschema::Validator {
        let mut resources = Vec::new();
        for entry in std::fs::read_dir(hsds_dir()).expect("tests/hsds-3.0 exists") {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if name.ends_with(".json") && name != "openapi.json" {
                resources.push((format!("{BASE}{name}"), load(&name)));
            }
        }
        assert!(resources.len() > 15, "the sibling schemas are all there");
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft202012)
            .extend(resources)
            .expect("schema URIs are valid")
            .prepare()
            .expect("registry prepares");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .offline()
            .with_base_uri(format!("{BASE}service.json"))
            .with_registry(&registry)
            .build(&load("service.json"))
            .expect("service.json compiles")
    }

    /// The self-contained `compiled/service_with_definitions.json` (internal `#/definitions/...`
    /// references), as a cross-check of the same files.
    fn compiled_validator() -> jsonschema::Validator {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .offline()
            .build(&load("compiled/service_with_definitions.json"))
            .expect("compiled schema compiles")
    }

    fn schema_errors(validator: &jsonschema::Validator, service: &Value) -> Vec<String> {
        validator
            .iter_errors(service)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn the_validator_checks_nested_objects_through_refs() {
        let validator = service_validator();
        // The specification's own example is valid...
        let example = load("examples/service_full.json");
        assert_eq!(schema_errors(&validator, &example), Vec::<String>::new());
        // ...and breaking it deep inside a referenced schema is caught, so $refs do resolve.
        let mut broken = example.clone();
        broken["service_at_locations"][0]["location"]["addresses"][0]
            .as_object_mut()
            .expect("an address")
            .remove("city");
        assert!(!validator.is_valid(&broken));
        let mut bad_phone_id = example.clone();
        bad_phone_id["phones"][0]["id"] = json!("not-a-uuid");
        assert!(
            !validator.is_valid(&bad_phone_id),
            "format uuid is asserted"
        );
        let mut no_status = example;
        no_status
            .as_object_mut()
            .expect("a service")
            .remove("status");
        assert!(!validator.is_valid(&no_status));
    }

    #[test]
    fn export_is_valid_hsds() {
        let resources = samples();
        let exported = export(&resources);
        let services = exported.as_array().expect("an array");
        assert_eq!(services.len(), resources.len());
        let (validator, compiled) = (service_validator(), compiled_validator());
        for service in services {
            assert_eq!(
                schema_errors(&validator, service),
                Vec::<String>::new(),
                "{service:#}"
            );
            assert_eq!(
                schema_errors(&compiled, service),
                Vec::<String>::new(),
                "{service:#}"
            );
        }
    }

    #[test]
    fn export_maps_the_fields() {
        let exported = export(&[food_shelf()]);
        let s = &exported[0];
        assert_eq!(s["id"], json!(id(1).to_string()));
        assert_eq!(s["status"], json!("active"));
        assert_eq!(s["url"], json!("https://example.org/food?lang=es"));
        assert_eq!(s["assured_date"], json!("2026-11-20"));
        assert_eq!(s["fees_description"], json!("Free"));
        assert_eq!(
            s["organization"]["name"],
            json!("Example Neighbours Network")
        );
        assert_eq!(s["organization_id"], s["organization"]["id"]);
        assert_eq!(
            s["phones"][0]["description"],
            json!("Front desk (español, Soomaali)")
        );
        assert_eq!(s["schedules"][1]["byday"], json!("MO"));
        assert_eq!(s["schedules"][1]["opens_at"], json!("13:00"));
        assert_eq!(s["schedules"][4]["byday"], json!("SA"));
        assert_eq!(s["schedules"][4]["freq"], json!("WEEKLY"));
        assert_eq!(s["languages"][2]["code"], json!("so"));
        assert_eq!(s["attributes"][0]["taxonomy_term"]["code"], json!("food"));
        let location = &s["service_at_locations"][0]["location"];
        assert_eq!(location["latitude"], json!(44.9484));
        assert_eq!(location["longitude"], json!(-93.2471));
        assert_eq!(
            location["addresses"][0]["address_1"],
            json!("1234 Example Ave S, Minneapolis, MN 55407")
        );
        // Deterministic: the same resource gives the same document.
        assert_eq!(export(&[food_shelf()]), exported);
        // One organisation, one id, across its services.
        assert_eq!(
            export(&[hotline()])[0]["organization"]["id"],
            s["organization"]["id"]
        );
    }

    fn keys_in(value: &Value, keys: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    keys.push(key.clone());
                    keys_in(inner, keys);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| keys_in(i, keys)),
            _ => {}
        }
    }

    #[test]
    fn an_area_only_resource_exposes_no_point_or_address() {
        let exported = export(&[safe_house()]);
        let mut keys = Vec::new();
        keys_in(&exported, &mut keys);
        for forbidden in [
            "latitude",
            "longitude",
            "service_at_locations",
            "location",
            "addresses",
            "address_1",
            "extent",
        ] {
            assert!(
                !keys.iter().any(|k| k == forbidden),
                "{forbidden} in {exported:#}"
            );
        }
        assert_eq!(
            exported[0]["service_areas"][0]["description"],
            json!("South Minneapolis, by referral")
        );
    }

    #[test]
    fn web_addresses_become_valid_uris() {
        assert_eq!(
            as_uri("https://example.org/a?b=c#d"),
            "https://example.org/a?b=c#d"
        );
        assert_eq!(
            as_uri("https://example.org/p%C3%A1gina"),
            "https://example.org/p%C3%A1gina"
        );
        assert_eq!(
            as_uri("https://example.org/página"),
            "https://example.org/p%C3%A1gina"
        );
        assert_eq!(
            as_uri("https://example.org/a|b%zz"),
            "https://example.org/a%7Cb%25zz"
        );
        let mut resource = hotline();
        resource.website = Some("https://example.org/ayuda/niños|familias".into());
        let exported = export(&[resource]);
        assert!(service_validator().is_valid(&exported[0]));
    }

    #[test]
    fn category_codes_are_the_wire_names() {
        for category in ResourceCategory::ALL {
            assert_eq!(json!(category), json!(category_code(category)));
        }
        let mut codes: Vec<&str> = ResourceCategory::ALL
            .iter()
            .map(|c| category_code(*c))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes.len(),
            ResourceCategory::ALL.len(),
            "each category listed once"
        );
    }

    // --- Import ---------------------------------------------------------------------------------

    #[test]
    fn export_then_import_gives_the_same_resources() {
        let resources = samples();
        let text = serde_json::to_string_pretty(&export(&resources)).expect("serialises");
        let imported = import(&text).expect("imports");
        assert_eq!(imported, resources);
    }

    #[test]
    fn import_sets_version_one() {
        let mut resource = food_shelf();
        resource.version = 7;
        let text = export(&[resource]).to_string();
        assert_eq!(import(&text).expect("imports")[0].version, 1);
    }

    #[test]
    fn one_bad_record_rejects_the_whole_file_and_is_named() {
        let mut bad = hotline();
        bad.phones[0].number = "call us!".into();
        bad.opening_hours[2].closes = "25:00".into();
        let text = export(&[food_shelf(), bad, safe_house()]).to_string();
        let err = import(&text).expect_err("rejected");
        let ImportError::Invalid(invalid) = &err else {
            panic!("expected invalid records, got {err:?}");
        };
        assert_eq!(invalid.total, 3);
        assert_eq!(invalid.records.len(), 1);
        let record = &invalid.records[0];
        assert_eq!(record.index, 1);
        assert_eq!(
            record.name.as_deref(),
            Some("Example Rapid Response Hotline")
        );
        let fields: Vec<&str> = record.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["phones[0].number", "schedules[2].closes_at"]);
        let message = err.to_string();
        assert!(
            message.starts_with("1 of 3 records cannot be imported"),
            "{message}"
        );
        assert!(
            message.contains(&format!(
                "record 1 (\"Example Rapid Response Hotline\", id {}): phones[0].number: must be a phone number",
                id(3)
            )),
            "{message}"
        );
        assert!(
            message.contains("schedules[2].closes_at: must be a time as HH:MM"),
            "{message}"
        );
    }

    #[test]
    fn validation_problems_name_hsds_fields() {
        let mut bad = food_shelf();
        bad.organisation = String::new();
        bad.place = bad.place.map(|place| Place {
            lat: 123.0,
            ..place
        });
        bad.languages[1] = "Spanish".into();
        bad.phones[1].label = Some("x".repeat(300));
        let err = import(&export(&[bad]).to_string()).expect_err("rejected");
        let message = err.to_string();
        for expected in [
            "organization.name: is required",
            "service_at_locations[0].location.latitude: must be between -90 and 90",
            "languages[1].code: \"spanish\" is not an ISO 639 language code",
            "phones[1].description: is 300 characters long",
        ] {
            assert!(
                message.contains(expected),
                "{expected} missing from: {message}"
            );
        }
    }

    #[test]
    fn malformed_json_says_where() {
        let err = import("[\n  {\"id\": \"x\",\n   \"name\": }\n]").expect_err("rejected");
        match &err {
            ImportError::Json { line, column, .. } => assert_eq!((*line, *column), (3, 12)),
            other => panic!("expected a JSON error, got {other:?}"),
        }
        assert!(err.to_string().contains("line 3, column 12"), "{err}");
        assert!(matches!(
            import("{\"name\": 1}"),
            Err(ImportError::NotAList { .. })
        ));
        assert_eq!(
            import("[]").expect("an empty list is fine"),
            Vec::<Resource>::new()
        );
    }

    #[test]
    fn ids_must_be_uuids_and_unique() {
        let mut services = export(&[food_shelf(), hotline()]);
        services[0]["id"] = json!("food-shelf-1");
        let mut doc = services.as_array().expect("an array").clone();
        doc.push(export(&[hotline()])[0].clone());
        let err = import(&Value::Array(doc).to_string()).expect_err("rejected");
        let message = err.to_string();
        assert!(
            message.contains(
                "record 0 (\"Example Food Shelf\", id food-shelf-1): id: \"food-shelf-1\" is not a UUID"
            ),
            "{message}"
        );
        assert!(
            message.contains("record 2"),
            "duplicate of record 1: {message}"
        );
        assert!(
            message.contains("id: is the same as the id of record 1"),
            "{message}"
        );
    }

    #[test]
    fn a_page_of_the_hsds_api_is_accepted() {
        let page = json!({ "total_items": 1, "contents": export(&[safe_house()]) });
        assert_eq!(
            import(&page.to_string()).expect("imports"),
            vec![safe_house()]
        );
    }

    /// A service as another directory might publish it: HH:MM:SS times with offsets, several
    /// days in one schedule, a structured address, the category found by its name, no phones.
    #[test]
    fn other_hsds_is_imported_tolerantly() {
        let service = json!([{
            "id": "ac148810-d857-441c-9679-408f346de14b",
            "name": "Community Pantry",
            "status": "active",
            "email": "pantry@example.org",
            "alternate_name": "The Pantry",
            "fees": "None",
            "assured_date": "2026-01-15",
            "organization": { "id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Example Org", "description": "" },
            "schedules": [
                { "id": "48102e86-bb50-41c4-8f1e-e269368c41d1", "freq": "WEEKLY", "interval": 1,
                  "byday": "TH,FR", "opens_at": "10:00:00", "closes_at": "18:00-05:00" },
                { "id": "48102e86-bb50-41c4-8f1e-e269368c41d2", "description": "Closed on holidays" }
            ],
            "languages": [{ "id": "2989d3ed-c547-48f8-8f9d-432d81c7892e", "name": "Urdu", "code": "UR" }],
            "attributes": [
                { "id": "ae58cc39-8b70-4ab1-8aea-786882e5ac8e", "taxonomy_term":
                    { "id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "name": "Emergency", "description": "" } },
                { "id": "ae58cc39-8b70-4ab1-8aea-786882e5ac8f", "taxonomy_term":
                    { "id": "3f7b145d-84af-42d7-8fae-eaca714b02b3", "name": "food", "description": "" } }
            ],
            "service_at_locations": [
                { "id": "e94c9f38-1e8f-4564-91d4-d53501ab1765", "location":
                    { "id": "3a19ff88-4620-4d17-9830-ac1d859eb5d6", "location_type": "virtual", "url": "https://example.org" } },
                { "id": "e94c9f38-1e8f-4564-91d4-d53501ab1766", "location": {
                    "id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "location_type": "physical",
                    "name": "Civic Center", "latitude": "51.5", "longitude": -0.12,
                    "addresses": [{ "id": "74706e55-df26-4b84-80fe-ecc30b5befb4", "address_1": "1-30 Main Street",
                        "address_2": "", "city": "MyCity", "state_province": "MyState", "postal_code": "ABC 1234",
                        "country": "GB", "address_type": "physical" }]
                } }
            ]
        }]);
        let imported = import(&service.to_string()).expect("imports");
        let r = &imported[0];
        assert_eq!(r.category, ResourceCategory::Food);
        assert_eq!(r.organisation, "Example Org");
        assert_eq!(r.description, "");
        assert_eq!(r.cost.as_deref(), Some("None"));
        assert_eq!(r.languages, ["ur"]);
        assert_eq!(
            r.opening_hours,
            [hours(4, "10:00", "18:00"), hours(5, "10:00", "18:00")]
        );
        let place = r.place.as_ref().expect("a place");
        assert_eq!((place.lat, place.lon), (51.5, -0.12));
        assert_eq!(place.name, "Civic Center");
        assert_eq!(place.address, "1-30 Main Street, MyCity, MyState, ABC 1234");
        assert_eq!(r.last_verified, date(2026, 1, 15));
    }

    #[test]
    fn what_vecinos_cannot_represent_is_refused_with_reasons() {
        let mut services = export(&[food_shelf(), legal_clinic(), hotline()]);
        services[0]["schedules"][0]["freq"] = json!("MONTHLY");
        services[0]["schedules"][1]["opens_at"] = json!("14:00Z");
        services[0]["status"] = json!("temporarily closed");
        services[1]["service_at_locations"][0]["location"]
            .as_object_mut()
            .expect("a location")
            .remove("latitude");
        services[1]["assured_date"] = Value::Null;
        services[2]["attributes"] = json!([]);
        services[2]["schedules"][0]["byday"] = json!("1MO");
        let message = import(&services.to_string())
            .expect_err("rejected")
            .to_string();
        for expected in [
            "record 0 (\"Example Food Shelf\"",
            "status: is \"temporarily closed\"; only active services can be imported",
            "schedules[0].freq: is \"MONTHLY\"; only weekly",
            "schedules[1].opens_at: \"14:00Z\" is in UTC",
            "record 1 (\"Example Know-Your-Rights Clinic\"",
            "service_at_locations[0].location.latitude: is required",
            "assured_date: is required",
            "record 2 (\"Example Rapid Response Hotline\"",
            "attributes: no Vecinos category",
            "schedules[0].byday: \"1MO\" is not a day of the week",
        ] {
            assert!(
                message.contains(expected),
                "{expected:?} missing from:\n{message}"
            );
        }
        assert!(
            message.starts_with("3 of 3 records cannot be imported"),
            "{message}"
        );
    }

    #[test]
    fn several_physical_locations_are_refused() {
        let mut services = export(&[food_shelf()]);
        let sal = services[0]["service_at_locations"][0].clone();
        services[0]["service_at_locations"] = json!([sal.clone(), sal]);
        let message = import(&services.to_string())
            .expect_err("rejected")
            .to_string();
        assert!(
            message.contains("service_at_locations: lists 2 physical locations"),
            "{message}"
        );
    }

    #[test]
    fn long_error_reports_are_capped() {
        let mut services = Vec::new();
        for n in 0..150 {
            let mut r = hotline();
            r.id = id(1000 + n);
            r.name = String::new();
            services.push(export(&[r])[0].clone());
        }
        let message = import(&Value::Array(services).to_string())
            .expect_err("rejected")
            .to_string();
        assert_eq!(message.lines().count(), 1 + MAX_LINES + 1);
        assert!(message.ends_with("... and 50 more problems"), "{message}");
    }

    #[test]
    fn hsds_times_become_local_clock_times() {
        assert_eq!(local_clock("09:00"), Ok("09:00".into()));
        assert_eq!(local_clock("9:30:00"), Ok("09:30".into()));
        assert_eq!(local_clock("17:45:00+02:00"), Ok("17:45".into()));
        assert_eq!(local_clock("24:00"), Ok("24:00".into()));
        assert_eq!(local_clock("noon"), Ok("noon".into()));
        assert!(local_clock("09:00Z").is_err());
    }
}
