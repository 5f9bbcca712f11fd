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
//! | `translations`           | not exported: HSDS 3.0 has no translation fields               |
//!
//! **Languages of the text.** HSDS 3.0 gives a service one `name` and one `description`, with no
//! field for the same words in other languages. The export carries each resource's own text, in
//! its first language (`languages[0]`, the language Vecinos says the text is written in), and
//! leaves its translations out; an import reads that one language and makes no translations.
//! A directory that needs the others can read them from the change feed.
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

//!
//! `export.rs` writes services, `import.rs` reads them (with its errors), `mapping.rs` names the
//! HSDS field behind each field that validation reports.

mod export;
mod import;
mod mapping;
#[cfg(test)]
mod tests;

use uuid::Uuid;
use vecinos_core::ResourceCategory;

pub use export::export;
pub use import::{ImportError, InvalidRecords, RecordError, import};

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
