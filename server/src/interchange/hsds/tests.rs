use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Value, json};
use uuid::Uuid;
use vecinos_core::{OpeningHours, Phone, Place, Resource};

use super::export::as_uri;
use super::import::{MAX_LINES, local_clock};
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
        translations: Default::default(),
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
        translations: Default::default(),
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
        translations: Default::default(),
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
        translations: Default::default(),
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
fn export_carries_the_own_language_only_and_import_makes_no_translations() {
    let mut shelf = food_shelf();
    shelf.translations = vecinos_core::Translations::from([(
        "so".into(),
        std::collections::BTreeMap::from([("name".into(), "Bakhaarka cuntada (tusaale)".into())]),
    )]);
    let exported = export(std::slice::from_ref(&shelf));
    let text = exported.to_string();
    assert!(!text.contains("Bakhaarka"), "{text}");
    assert_eq!(exported[0]["name"], json!(shelf.name));
    let back = import(&exported.to_string()).expect("imports");
    assert!(back[0].translations.is_empty());
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
