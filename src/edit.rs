//! An organiser's listing, as data: which fields the phone's form covers, reading them from the
//! record (the feed's own JSON, so every other field goes back as the server wrote it), the merge
//! that keeps an organiser's changes on top of someone else's newer version, the blank record a
//! new listing starts from, and which field each of the server's problems is about.
//!
//! Every field is a string in the form: a list of languages is "en,es", a point's coordinate its
//! decimal, the weekly hours their JSON, a moment its UTC time (the page shows and takes it in the
//! event's own time zone). Pure: the listing page renders it, and it is tested natively here.

use serde_json::{Map, Value, json};
use vecinos_core::validate::{MAX_CARD_BODY, MAX_TEXT, MAX_TITLE};

use crate::i18n::{Lang, T};
use crate::route::Listing;

/// One field of a listing's form: a JSON pointer into the record.
pub struct Field {
    pub label: T,
    pointer: &'static str,
    pub input: Input,
    /// The longest text the server accepts for it.
    pub max: usize,
    /// Whether the form refuses to send it empty.
    pub required: bool,
    /// For the listing's words in another language: that language.
    pub lang: Option<Lang>,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Input {
    Line,
    /// A line that may be left empty (sent as no value).
    Optional,
    Text,
    Date,
    EventStatus,
    EventKind,
    Category,
    /// An instant, shown and typed in the event's time zone (its `/time_zone`).
    Moment,
    /// An instant that may be left empty (sent as no value).
    OptionalMoment,
    /// The time zone the event's times are in (IANA, as "America/Chicago").
    TimeZone,
    /// The languages spoken (ISO 639 codes).
    Languages,
    /// Web addresses, one per line.
    Links,
    /// The one language a card is written in.
    Language,
    /// A latitude or longitude in degrees; with both empty the listing has no point.
    Coordinate,
    /// The weekly opening hours.
    Hours,
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
        required: matches!(
            input,
            Input::Line | Input::Text | Input::Date | Input::Moment | Input::TimeZone
        ),
        lang: None,
    }
}

/// The listing's `label` field in `lang`, at `pointer` (`/translations/<lang>/<field>`): left
/// empty, the listing's own shows.
const fn translation(label: T, pointer: &'static str, input: Input, lang: Lang) -> Field {
    Field {
        required: false,
        lang: Some(lang),
        ..field(label, pointer, input)
    }
}

/// A line that may be left empty but is kept as text (a place's name and address, the phone).
const fn loose(label: T, pointer: &'static str) -> Field {
    Field {
        required: false,
        ..field(label, pointer, Input::Line)
    }
}

/// A listing's own fields, then its text fields in each interface language, language by language:
/// each `(make, label, name, input)` is `make(label, "/translations/<lang>/<name>", input, lang)`.
macro_rules! in_languages {
    ([$($own:expr),* $(,)?], $(($make:ident, $label:expr, $name:literal, $input:expr)),* $(,)?) => {
        [
            $($own,)*
            $($make($label, concat!("/translations/en/", $name), $input, Lang::En),)*
            $($make($label, concat!("/translations/es/", $name), $input, Lang::Es),)*
            $($make($label, concat!("/translations/so/", $name), $input, Lang::So),)*
            $($make($label, concat!("/translations/hmn/", $name), $input, Lang::Hmn),)*
        ]
    };
}

/// What an organiser can set from the phone, per kind of listing; the other fields keep their
/// values.
pub fn fields(listing: Listing) -> &'static [Field] {
    const fn card_body(label: T, pointer: &'static str, input: Input, lang: Lang) -> Field {
        Field {
            max: MAX_CARD_BODY,
            ..translation(label, pointer, input, lang)
        }
    }
    const EVENT: [Field; 23] = in_languages!(
        [
            field(T::FieldTitle, "/title", Input::Line),
            field(T::FieldKind, "/kind", Input::EventKind),
            field(T::FieldStatus, "/status", Input::EventStatus),
            field(T::FieldStarts, "/starts_at", Input::Moment),
            field(T::FieldEnds, "/ends_at", Input::OptionalMoment),
            field(T::FieldTimeZone, "/time_zone", Input::TimeZone),
            field(T::FieldDescription, "/description", Input::Text),
            loose(T::FieldPlace, "/place/name"),
            loose(T::FieldAddress, "/place/address"),
            field(T::FieldLatitude, "/place/lat", Input::Coordinate),
            field(T::FieldLongitude, "/place/lon", Input::Coordinate),
            field(
                T::FieldAccessibility,
                "/place/accessibility",
                Input::Optional,
            ),
            field(T::OrganisedByField, "/organiser", Input::Line),
            field(T::FieldLanguages, "/languages", Input::Languages),
            field(T::FieldLinks, "/links", Input::Links),
        ],
        (translation, T::FieldTitle, "title", Input::Optional),
        (translation, T::FieldDescription, "description", Input::Text),
    );
    const RESOURCE: [Field; 29] = in_languages!(
        [
            field(T::FieldName, "/name", Input::Line),
            field(T::FieldCategory, "/category", Input::Category),
            field(T::FieldDescription, "/description", Input::Text),
            field(T::FieldOrganisation, "/organisation", Input::Line),
            loose(T::FieldPhone, "/phones/0/number"),
            field(T::Website, "/website", Input::Optional),
            loose(T::FieldPlace, "/place/name"),
            loose(T::FieldAddress, "/place/address"),
            field(T::FieldLatitude, "/place/lat", Input::Coordinate),
            field(T::FieldLongitude, "/place/lon", Input::Coordinate),
            field(T::FieldServiceArea, "/service_area", Input::Optional),
            field(T::FieldHours, "/opening_hours", Input::Hours),
            field(T::FieldLanguages, "/languages", Input::Languages),
            field(T::Eligibility, "/eligibility", Input::Optional),
            field(T::Cost, "/cost", Input::Optional),
            field(
                T::FieldAccessibility,
                "/place/accessibility",
                Input::Optional,
            ),
            field(T::FieldLastVerified, "/last_verified", Input::Date),
        ],
        (translation, T::FieldName, "name", Input::Optional),
        (translation, T::FieldDescription, "description", Input::Text),
        (translation, T::Eligibility, "eligibility", Input::Optional),
    );
    const CARD: [Field; 13] = in_languages!(
        [
            field(T::FieldLanguage, "/language", Input::Language),
            field(T::FieldTitle, "/title", Input::Line),
            Field {
                max: MAX_CARD_BODY,
                ..field(T::FieldText, "/body", Input::Text)
            },
            field(T::FieldSource, "/source_organisation", Input::Line),
            field(T::FieldReviewed, "/reviewed", Input::Date),
        ],
        (translation, T::FieldTitle, "title", Input::Optional),
        (card_body, T::FieldText, "body", Input::Text),
    );
    match listing {
        Listing::Event => &EVENT,
        Listing::Resource => &RESOURCE,
        Listing::Card => &CARD,
    }
}

/// What a new listing starts from: every field the server needs, empty or at its most usual
/// value. `zone` is the phone's time zone, `lang` its language, `today` its date.
pub fn blank(listing: Listing, zone: &str, lang: &str, today: &str) -> Value {
    match listing {
        Listing::Event => json!({
            "title": "", "description": "", "kind": "meeting", "starts_at": "", "ends_at": null,
            "time_zone": zone, "place": null, "organiser": "", "languages": [lang], "links": [],
            "status": "scheduled",
        }),
        Listing::Resource => json!({
            "name": "", "category": "legal_aid", "description": "", "organisation": "",
            "phones": [], "website": null, "place": null, "service_area": null,
            "opening_hours": [], "languages": [lang], "eligibility": null, "cost": null,
            "last_verified": today,
        }),
        Listing::Card => json!({
            "language": lang, "title": "", "body": "", "source_organisation": "", "reviewed": today,
        }),
    }
}

/// A listing to start a new one from: the same fields, without the original's id and version.
pub fn copy(mut record: Value) -> Value {
    if let Some(fields) = record.as_object_mut() {
        fields.remove("id");
        fields.remove("version");
    }
    record
}

/// The field of `listing` at `pointer` (as kept with a change saved on the phone).
pub fn field_at(listing: Listing, pointer: &str) -> Option<&'static Field> {
    fields(listing).iter().find(|f| f.pointer == pointer)
}

impl Field {
    pub fn pointer(&self) -> &'static str {
        self.pointer
    }
}

/// A field's value in a record, as the form holds it.
pub fn read(record: &Value, field: &Field) -> String {
    match (record.pointer(field.pointer), field.input) {
        (Some(Value::String(text)), _) => text.clone(),
        (Some(Value::Number(n)), _) => n.to_string(),
        (Some(Value::Array(codes)), Input::Languages) => codes
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        (Some(Value::Array(links)), Input::Links) => links
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        (Some(hours @ Value::Array(_)), Input::Hours) => hours.to_string(),
        (_, Input::Hours) => "[]".to_owned(),
        _ => String::new(),
    }
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

/// A form value as the record holds it.
fn value(field: &Field, text: &str) -> Value {
    match field.input {
        Input::Optional | Input::OptionalMoment | Input::Coordinate if text.is_empty() => {
            Value::Null
        }
        // Not a number: sent as typed, for the server to say so next to the field.
        Input::Coordinate => text
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .unwrap_or_else(|| text.into()),
        Input::Languages => text
            .split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(Value::from)
            .collect(),
        Input::Links => text
            .lines()
            .map(str::trim)
            .filter(|link| !link.is_empty())
            .map(Value::from)
            .collect(),
        Input::Hours => serde_json::from_str(text).unwrap_or_else(|_| json!([])),
        _ => text.into(),
    }
}

/// `record` with the organiser's changes written in; its other fields stay as they are. A
/// listing's point (and a resource's first phone) is made when a field of it is filled in, and
/// goes when all of them are emptied.
pub fn with_changes(mut record: Value, changes: &[(&'static Field, String)]) -> Value {
    for (field, text) in changes {
        let new = value(field, text);
        if let Some(slot) = record.pointer_mut(field.pointer) {
            *slot = new;
            continue;
        }
        // /links missing; /place/name on a listing without a place; /phones/0/number without
        // a phone; /translations/es/title on a listing without translations.
        let Some((parent, name)) = field.pointer.rsplit_once('/') else {
            continue;
        };
        if let Some(fields) = object_at(&mut record, parent) {
            fields.insert(name.to_owned(), new);
        }
    }
    tidy(record)
}

/// The object at `pointer` in `record`, made where it is missing or empty (`null`), as are its
/// parents; a `0` in the path is the first item of a list, made in an empty list.
fn object_at<'a>(record: &'a mut Value, pointer: &str) -> Option<&'a mut Map<String, Value>> {
    let mut at = record;
    for part in pointer.split('/').skip(1) {
        at = match at {
            Value::Array(items) if part == "0" => {
                if items.is_empty() {
                    items.push(json!({}));
                }
                items.first_mut()?
            }
            Value::Object(fields) => {
                let slot = fields.entry(part).or_insert(Value::Null);
                if slot.is_null() {
                    *slot = json!({});
                }
                slot
            }
            _ => return None,
        };
    }
    at.as_object_mut()
}

/// A point with nothing in it is no point, and a phone without a number no phone.
fn tidy(mut record: Value) -> Value {
    let blank = |v: Option<&Value>| v.is_none_or(|v| v.is_null() || v.as_str() == Some(""));
    if let Some(place) = record.get_mut("place")
        && place.is_object()
        && ["name", "address", "lat", "lon", "accessibility"]
            .iter()
            .all(|key| blank(place.get(key)))
    {
        *place = Value::Null;
    }
    if let Some(Value::Array(phones)) = record.get_mut("phones") {
        phones.retain(|phone| !blank(phone.get("number")));
    }
    // A translation left blank is no translation, and a language without any is none.
    if let Some(Value::Object(languages)) = record.get_mut("translations") {
        for texts in languages.values_mut() {
            if let Value::Object(texts) = texts {
                texts.retain(|_, text| !blank(Some(text)));
            }
        }
        languages.retain(|_, texts| texts.as_object().is_some_and(|t| !t.is_empty()));
    }
    record
}

/// Whether a problem the server reported (at a path like `place.lat` or
/// `opening_hours[2].closes`) is about this field.
pub fn answers(field: &Field, problem: &str) -> bool {
    let mut path = String::new();
    for part in field.pointer.split('/').skip(1) {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{part}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(part);
        }
    }
    problem
        .strip_prefix(&path)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// One weekly opening period as the form edits it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
}

/// The hours a form value holds; none when it is not readable.
pub fn periods(text: &str) -> Vec<Period> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The form value of `periods`.
pub fn hours_text(periods: &[Period]) -> String {
    serde_json::to_string(periods).unwrap_or_else(|_| "[]".to_owned())
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
                T::FieldTitle if f.lang.is_none() => (f, "  Candlelight vigil ".to_owned()),
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
    fn a_translation_is_made_where_there_was_none_and_a_blank_one_is_dropped() {
        let base = event();
        let translated = |pointer: &str| {
            fields(Listing::Event)
                .iter()
                .find(|f| f.pointer == pointer)
                .expect("a field")
        };
        let spanish_title = translated("/translations/es/title");
        assert_eq!(spanish_title.lang, Some(Lang::Es));
        assert!(!spanish_title.required);
        let spanish_description = translated("/translations/es/description");
        let mine = changed(
            [
                (spanish_title, "Vigilia".to_owned()),
                (spanish_description, String::new()),
            ],
            &base,
        );
        let made = with_changes(base.clone(), &mine);
        assert_eq!(
            made["translations"],
            json!({ "es": { "title": "Vigilia" } })
        );
        assert_eq!(read(&made, spanish_title), "Vigilia");

        let cleared = with_changes(made, &[(spanish_title, String::new())]);
        assert_eq!(
            cleared["translations"],
            json!({}),
            "no language without words"
        );
        assert_eq!(cleared["title"], "Vigil");
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
    fn a_point_is_made_when_filled_in_and_goes_when_emptied() {
        let mut hotline = json!({ "name": "Example Hotline", "place": null, "phones": [] });
        let lat = field_of(Listing::Resource, T::FieldLatitude);
        let lon = field_of(Listing::Resource, T::FieldLongitude);
        let phone = field_of(Listing::Resource, T::FieldPhone);
        assert_eq!(read(&hotline, lat), "");
        hotline = with_changes(
            hotline,
            &[
                (lat, "44.95".to_owned()),
                (lon, "-93.1".to_owned()),
                (phone, "612-555-0123".to_owned()),
            ],
        );
        assert_eq!(hotline["place"]["lat"], 44.95);
        assert_eq!(hotline["place"]["lon"], -93.1);
        assert_eq!(hotline["phones"], json!([{ "number": "612-555-0123" }]));
        assert_eq!(read(&hotline, lat), "44.95");
        let gone = with_changes(
            hotline,
            &[
                (lat, String::new()),
                (lon, String::new()),
                (phone, String::new()),
            ],
        );
        assert_eq!(gone["place"], Value::Null);
        assert_eq!(gone["phones"], json!([]));
    }

    #[test]
    fn a_coordinate_that_is_not_a_number_goes_as_typed_for_the_server_to_refuse() {
        let lat = field_of(Listing::Event, T::FieldLatitude);
        let edited = with_changes(event(), &[(lat, "north".to_owned())]);
        assert_eq!(edited["place"]["lat"], "north");
    }

    #[test]
    fn languages_links_and_hours_are_text_in_the_form() {
        let languages = field_of(Listing::Event, T::FieldLanguages);
        assert_eq!(read(&event(), languages), "en,es");
        let edited = with_changes(event(), &[(languages, "es, so,,hmn".to_owned())]);
        assert_eq!(edited["languages"], json!(["es", "so", "hmn"]));
        let links = field_of(Listing::Event, T::FieldLinks);
        let edited = with_changes(
            event(),
            &[(
                links,
                " https://example.org/a \n\nhttps://example.org/b".to_owned(),
            )],
        );
        assert_eq!(
            edited["links"],
            json!(["https://example.org/a", "https://example.org/b"])
        );
        assert_eq!(
            read(&edited, links),
            "https://example.org/a\nhttps://example.org/b"
        );

        let hours = field_of(Listing::Resource, T::FieldHours);
        let none = json!({ "opening_hours": [] });
        assert_eq!(periods(&read(&none, hours)), []);
        let overnight = [Period {
            weekday: 7,
            opens: "20:00".into(),
            closes: "04:00".into(),
        }];
        let edited = with_changes(none, &[(hours, hours_text(&overnight))]);
        assert_eq!(
            edited["opening_hours"],
            json!([{ "weekday": 7, "opens": "20:00", "closes": "04:00" }])
        );
        assert_eq!(periods(&read(&edited, hours)), overnight);
        assert_eq!(periods("not json"), []);
    }

    #[test]
    fn each_problem_of_the_server_finds_its_field() {
        let lat = field_of(Listing::Resource, T::FieldLatitude);
        let hours = field_of(Listing::Resource, T::FieldHours);
        let phone = field_of(Listing::Resource, T::FieldPhone);
        let place = field_of(Listing::Resource, T::FieldPlace);
        assert!(answers(lat, "place.lat"));
        assert!(!answers(lat, "place.latitude"));
        assert!(!answers(place, "place.lat"));
        assert!(answers(hours, "opening_hours[3].closes"));
        assert!(answers(phone, "phones[0].number"));
        assert!(!answers(phone, "phones[1].number"));
    }

    #[test]
    fn a_new_listing_filled_in_is_one_the_server_takes() {
        let fill = |listing: Listing, values: &[(T, &str)]| {
            let base = blank(listing, "America/Chicago", "es", "2026-12-04");
            let form = values
                .iter()
                .map(|(label, text)| (field_of(listing, *label), (*text).to_owned()));
            let changes = changed(form, &base);
            let mut record = with_changes(base, &changes);
            record["id"] = json!(uuid::Uuid::nil());
            record["version"] = json!(0);
            record
        };
        let made: vecinos_core::Event = serde_json::from_value(fill(
            Listing::Event,
            &[
                (T::FieldTitle, "Example vigil"),
                (T::FieldStarts, "2026-12-10T00:00:00Z"),
                (T::FieldDescription, "Bring candles."),
                (T::FieldPlace, "Example Park"),
                (T::FieldAddress, "1 Example St"),
                (T::FieldLatitude, "44.95"),
                (T::FieldLongitude, "-93.1"),
                (T::OrganisedByField, "Example Network"),
            ],
        ))
        .expect("an event");
        assert_eq!(made.validate(), Ok(()));
        assert_eq!(made.languages, ["es"]);
        assert_eq!(made.place.map(|p| p.lat), Some(44.95));

        let resource: vecinos_core::Resource = serde_json::from_value(fill(
            Listing::Resource,
            &[
                (T::FieldName, "Example Food Shelf"),
                (T::FieldCategory, "food"),
                (T::FieldDescription, "Groceries, no questions asked."),
                (T::FieldOrganisation, "Example Network"),
            ],
        ))
        .expect("a resource");
        assert_eq!(resource.validate(), Ok(()));
        assert!(resource.place.is_none() && resource.phones.is_empty());

        let card: vecinos_core::Card = serde_json::from_value(fill(
            Listing::Card,
            &[
                (T::FieldTitle, "Sus derechos"),
                (T::FieldText, "No abra la puerta."),
                (T::FieldSource, "Example Network"),
            ],
        ))
        .expect("a card");
        assert_eq!(card.validate(), Ok(()));

        let copied = copy(event());
        assert!(copied.get("id").is_none() && copied.get("version").is_none());
        assert_eq!(copied["title"], "Vigil");
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
