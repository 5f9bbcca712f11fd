//! An organiser's edit of a listing, as data: which fields the phone's form covers, reading them
//! from the record (the feed's own JSON, so every other field goes back as the server wrote it),
//! and the merge that keeps an organiser's changes on top of someone else's newer version.
//!
//! Pure: the Organise page renders it, and it is tested natively here.

use serde_json::Value;
use vecinos_core::validate::{MAX_CARD_BODY, MAX_TEXT, MAX_TITLE};

use crate::i18n::T;
use crate::route::Listing;

/// One field of a listing's edit form: a JSON pointer into the record.
pub struct Field {
    pub label: T,
    pointer: &'static str,
    pub input: Input,
    /// The longest text the server accepts for it.
    pub max: usize,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Input {
    Line,
    /// A line that may be left empty (sent as no value).
    Optional,
    Text,
    Date,
    EventStatus,
}

const fn field(label: T, pointer: &'static str, input: Input) -> Field {
    Field {
        label,
        pointer,
        input,
        max: match input {
            Input::Text => MAX_TEXT,
            _ => MAX_TITLE,
        },
    }
}

/// What an organiser can edit from the phone, per kind of listing; the other fields keep their
/// values.
pub fn fields(listing: Listing) -> &'static [Field] {
    const EVENT: [Field; 6] = [
        field(T::FieldTitle, "/title", Input::Line),
        field(T::FieldStatus, "/status", Input::EventStatus),
        field(T::FieldDescription, "/description", Input::Text),
        field(T::FieldPlace, "/place/name", Input::Line),
        field(T::FieldAddress, "/place/address", Input::Line),
        field(T::OrganisedByField, "/organiser", Input::Line),
    ];
    const RESOURCE: [Field; 9] = [
        field(T::FieldName, "/name", Input::Line),
        field(T::FieldDescription, "/description", Input::Text),
        field(T::FieldOrganisation, "/organisation", Input::Line),
        field(T::FieldPhone, "/phones/0/number", Input::Line),
        field(T::Website, "/website", Input::Optional),
        field(T::FieldServiceArea, "/service_area", Input::Optional),
        field(T::Eligibility, "/eligibility", Input::Optional),
        field(T::Cost, "/cost", Input::Optional),
        field(T::FieldLastVerified, "/last_verified", Input::Date),
    ];
    const CARD: [Field; 4] = [
        field(T::FieldTitle, "/title", Input::Line),
        Field {
            max: MAX_CARD_BODY,
            ..field(T::FieldText, "/body", Input::Text)
        },
        field(T::FieldSource, "/source_organisation", Input::Line),
        field(T::FieldReviewed, "/reviewed", Input::Date),
    ];
    match listing {
        Listing::Event => &EVENT,
        Listing::Resource => &RESOURCE,
        Listing::Card => &CARD,
    }
}

/// A field's value in a record, as the form shows it.
pub fn read(record: &Value, field: &Field) -> String {
    match record.pointer(field.pointer) {
        Some(Value::String(text)) => text.clone(),
        _ => String::new(),
    }
}

/// Whether the record has a place for the field (a resource with no phone has no phone number).
pub fn present(record: &Value, field: &Field) -> bool {
    let parent = field
        .pointer
        .rsplit_once('/')
        .map_or("", |(parent, _)| parent);
    record.pointer(parent).is_some_and(Value::is_object)
}

/// The record's version, which an edit is sent on top of.
pub fn version(record: &Value) -> u64 {
    record.get("version").and_then(Value::as_u64).unwrap_or(0)
}

/// The form's fields (with what they hold now) that the organiser changed from `base`, the
/// version the edit began from.
pub fn changed(
    form: impl IntoIterator<Item = (&'static Field, String)>,
    base: &Value,
) -> Vec<(&'static Field, String)> {
    form.into_iter()
        .map(|(field, value)| (field, value.trim().to_owned()))
        .filter(|(field, text)| *text != read(base, field).trim())
        .collect()
}

/// `record` with the organiser's changes written in; its other fields stay as they are.
pub fn with_changes(mut record: Value, changes: &[(&'static Field, String)]) -> Value {
    for (field, text) in changes {
        let new = if text.is_empty() && field.input == Input::Optional {
            Value::Null
        } else {
            Value::String(text.clone())
        };
        if let Some(slot) = record.pointer_mut(field.pointer) {
            *slot = new;
        } else if let Some((parent, name)) = field.pointer.rsplit_once('/')
            && let Some(Value::Object(fields)) = record.pointer_mut(parent)
        {
            fields.insert(name.to_owned(), new);
        }
    }
    record
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use vecinos_core::EventStatus;

    use super::*;

    fn field_of(listing: Listing, label: T) -> &'static Field {
        fields(listing)
            .iter()
            .find(|f| f.label == label)
            .expect("a field of the form")
    }

    fn event() -> Value {
        json!({
            "id": "00000000-0000-0000-0000-000000000001",
            "version": 4,
            "title": "Vigil",
            "status": "scheduled",
            "description": "Bring candles",
            "place": { "name": "Example Park", "address": "1 Example St", "lat": 1.5, "lon": 2.5 },
            "organiser": "Example Network",
            "languages": ["en", "es"]
        })
    }

    #[test]
    fn only_the_fields_the_organiser_changed_are_changes() {
        let base = event();
        let form = fields(Listing::Event)
            .iter()
            .map(|f| (f, read(&base, f)))
            .map(|(f, v)| match f.label {
                T::FieldTitle => (f, "  Candlelight vigil ".to_owned()),
                // Whitespace around an unchanged value is no change.
                T::FieldPlace => (f, format!(" {v} ")),
                _ => (f, v),
            });
        let changes = changed(form, &base);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].0.label, T::FieldTitle);
        assert_eq!(changes[0].1, "Candlelight vigil");
        assert_eq!(version(&base), 4);
    }

    #[test]
    fn keeping_my_edit_keeps_their_other_changes() {
        let base = event();
        let title = field_of(Listing::Event, T::FieldTitle);
        let mine = changed([(title, "Candlelight vigil".to_owned())], &base);
        // Meanwhile someone else moved it and postponed it.
        let mut theirs = event();
        theirs["version"] = json!(5);
        theirs["status"] = json!(EventStatus::Postponed.as_str());
        theirs["place"]["address"] = json!("2 Example Ave");
        let merged = with_changes(theirs.clone(), &mine);
        assert_eq!(merged["title"], "Candlelight vigil");
        assert_eq!(merged["status"], "postponed");
        assert_eq!(merged["place"]["address"], "2 Example Ave");
        assert_eq!(merged["place"]["lat"], 1.5, "fields the form lacks stay");
        assert_eq!(merged["languages"], json!(["en", "es"]));
        assert_eq!(version(&merged), 5, "sent on top of their version");
    }

    #[test]
    fn an_emptied_optional_field_is_sent_as_no_value_and_a_missing_one_is_added() {
        let resource = json!({ "version": 1, "name": "Example Food Shelf", "website": "https://example.org", "cost": null });
        let website = field_of(Listing::Resource, T::Website);
        let cost = field_of(Listing::Resource, T::Cost);
        let name = field_of(Listing::Resource, T::FieldName);
        let changes = changed(
            [
                (website, String::new()),
                (cost, "Free".to_owned()),
                (name, "Example Food Shelf".to_owned()),
            ],
            &resource,
        );
        let edited = with_changes(resource, &changes);
        assert_eq!(edited["website"], Value::Null);
        assert_eq!(edited["cost"], "Free");
        assert_eq!(edited["name"], "Example Food Shelf");
    }

    #[test]
    fn a_field_without_a_place_in_the_record_is_not_shown() {
        let no_phone = json!({ "name": "Example Hotline", "phones": [] });
        let phone = field_of(Listing::Resource, T::FieldPhone);
        let name = field_of(Listing::Resource, T::FieldName);
        assert!(!present(&no_phone, phone));
        assert!(present(&no_phone, name));
        assert_eq!(read(&no_phone, phone), "");
    }

    #[test]
    fn every_listing_has_a_form_within_the_servers_limits() {
        for listing in Listing::ALL {
            let form = fields(listing);
            assert!(!form.is_empty());
            assert!(form.iter().all(|f| f.max >= MAX_TITLE));
        }
    }
}
