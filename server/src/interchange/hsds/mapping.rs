//! The HSDS field behind each field of a resource, so that the problems [`Resource::validate`]
//! finds are reported in the terms of the file being imported.
//!
//! [`Resource::validate`]: vecinos_core::Resource::validate

use std::collections::HashMap;

/// The fields of a place, and their names in an HSDS `location`.
const PLACE: [(&str, &str); 5] = [
    ("name", "name"),
    ("address", "addresses"),
    ("lat", "latitude"),
    ("lon", "longitude"),
    ("accessibility", "accessibility"),
];

/// The fields of an opening period, and their names in an HSDS `schedule`.
const HOURS: [(&str, &str); 3] = [
    ("weekday", "byday"),
    ("opens", "opens_at"),
    ("closes", "closes_at"),
];

/// Where in the HSDS record each field of the resource came from, recorded while it is read: the
/// resource's field path as validation names it (`place.lat`, `phones[0].label`) to the HSDS path
/// (`service_at_locations[0].location.latitude`, `phones[0].description`). A field not recorded
/// has the same name in both (`name`, `phones[0].number`).
pub(super) struct Origins(HashMap<String, String>);

impl Default for Origins {
    /// The fields whose HSDS names are the same in every record.
    fn default() -> Self {
        let fixed = [
            ("organisation", "organization.name"),
            ("website", "url"),
            ("eligibility", "eligibility_description"),
            ("cost", "fees_description"),
            ("opening_hours", "schedules"),
        ];
        Self(
            fixed
                .into_iter()
                .map(|(field, hsds)| (field.to_owned(), hsds.to_owned()))
                .collect(),
        )
    }
}

impl Origins {
    pub(super) fn set(&mut self, field: impl Into<String>, hsds: impl Into<String>) {
        self.0.insert(field.into(), hsds.into());
    }

    /// The resource's place came from the `location` at this path.
    pub(super) fn place(&mut self, location: &str) {
        for (field, hsds) in PLACE {
            self.set(format!("place.{field}"), format!("{location}.{hsds}"));
        }
    }

    /// Opening period `index` came from the `schedule` at this path.
    pub(super) fn hours(&mut self, index: usize, schedule: &str) {
        let period = format!("opening_hours[{index}]");
        for (field, hsds) in HOURS {
            self.set(format!("{period}.{field}"), format!("{schedule}.{hsds}"));
        }
        self.set(period, schedule);
    }

    /// The HSDS path of a field that [`Resource::validate`] names.
    ///
    /// [`Resource::validate`]: vecinos_core::Resource::validate
    pub(super) fn hsds_field(&self, field: &str) -> String {
        self.0.get(field).map_or(field, String::as_str).to_owned()
    }
}
