//! HSDS 3.0 services as resources: all of them, or an error naming every bad record and field.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde_json::{Map, Value};
use uuid::Uuid;
use vecinos_core::validate::Problem;
use vecinos_core::{OpeningHours, Phone, Place, Resource, ResourceCategory};

use super::mapping::Origins;
use super::{DAYS, TAXONOMY, category_code};

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
pub(super) const MAX_LINES: usize = 100;

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
                origins.set("cost", "fees");
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
    for i in 0..phones.len() {
        origins.set(
            format!("phones[{i}].label"),
            format!("phones[{i}].description"),
        );
    }
    let located = import_place(&s, &mut p);
    if let Some(located) = &located {
        origins.place(&located.path);
    }
    let service_area = import_service_area(&s, &mut origins, &mut p);
    let opening_hours = import_hours(&s, located.as_ref(), &mut origins, &mut p);
    let languages = import_languages(&s, &mut origins, &mut p);

    let (Some(id), Some(category), Some(last_verified)) = (id, category, last_verified) else {
        return Err(p);
    };
    let resource = Resource {
        translations: Default::default(),
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
            origins.set("service_area", path.as_str());
            Some((*text).to_owned())
        }
        several => {
            origins.set("service_area", "service_areas");
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
                    origins.hours(hours.len(), &schedule.path);
                    hours.push(OpeningHours {
                        weekday: u8::try_from(i + 1).unwrap_or(1),
                        opens: opens.clone(),
                        closes: closes.clone(),
                    });
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
pub(super) fn local_clock(value: &str) -> Result<String, String> {
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
                origins.set(
                    format!("languages[{}]", codes.len()),
                    language.field("code"),
                );
                codes.push(code.trim().to_ascii_lowercase());
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
