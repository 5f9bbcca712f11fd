//! Fictional demo data for a first start: "Example" organisations, 555-01xx phone numbers and
//! made-up places, so that no one mistakes a demo listing for a real hotline.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;
use vecinos_core::{
    Card, Event, EventKind, EventStatus, OpeningHours, Phone, Place, Record, Resource,
    ResourceCategory,
};

const ZONE: &str = "America/Chicago";

/// The demo records, with events dated in the days after `today`.
pub fn records(today: NaiveDate) -> Vec<Record> {
    let mut records: Vec<Record> = events(today).into_iter().map(Record::Event).collect();
    records.extend(resources(today).into_iter().map(Record::Resource));
    records.extend(cards(today).into_iter().map(Record::Card));
    records
}

fn id(n: u128) -> Uuid {
    // A fixed namespace keeps demo ids stable across restarts and easy to spot.
    Uuid::from_u128(0xdec0_0000_0000_4000_8000_0000_0000_0000 | n)
}

fn at(today: NaiveDate, days: u64, hour: u32) -> DateTime<Utc> {
    let day = today.checked_add_days(Days::new(days)).unwrap_or(today);
    let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
    day.and_time(time).and_utc()
}

fn place(name: &str, address: &str, lat: f64, lon: f64, accessibility: Option<&str>) -> Place {
    Place {
        name: name.into(),
        address: address.into(),
        lat,
        lon,
        accessibility: accessibility.map(Into::into),
    }
}

fn langs(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| (*c).to_owned()).collect()
}

#[allow(clippy::too_many_arguments)]
fn event(
    n: u128,
    title: &str,
    description: &str,
    kind: EventKind,
    (starts_at, ends_at): (DateTime<Utc>, DateTime<Utc>),
    place: Place,
    languages: &[&str],
    status: EventStatus,
) -> Event {
    Event {
        id: id(n),
        version: 1,
        title: title.into(),
        description: format!("{description} (Demo listing: this event is fictional.)"),
        kind,
        starts_at,
        ends_at: Some(ends_at),
        time_zone: ZONE.into(),
        place: Some(place),
        organiser: "Example Neighbours Network".into(),
        languages: langs(languages),
        links: vec![],
        status,
    }
}

fn events(today: NaiveDate) -> Vec<Event> {
    // Times are UTC; 18:00 UTC is noon in Chicago for most of the year.
    vec![
        event(
            1,
            "Know-your-rights training",
            "Learn what to say and not to say at the door, and how to use a rights card.",
            EventKind::Training,
            (at(today, 1, 23), at(today, 2, 1)),
            place(
                "Example Community Library, Room B",
                "100 Example Ave",
                44.9485,
                -93.2600,
                Some("Step-free entrance on the east side."),
            ),
            &["en", "es", "so"],
            EventStatus::Scheduled,
        ),
        event(
            2,
            "Vigil for detained neighbours",
            "Bring a candle. Families speak at 7 pm.",
            EventKind::Vigil,
            (at(today, 2, 0), at(today, 2, 2)),
            place(
                "Example Park bandstand",
                "Lake St & 14th Ave (example)",
                44.9483,
                -93.2520,
                None,
            ),
            &["en", "es"],
            EventStatus::Scheduled,
        ),
        event(
            3,
            "Court watch: immigration hearings",
            "Sit in the public gallery so no neighbour faces the hearing alone. Arrive 20 minutes early.",
            EventKind::CourtWatch,
            (at(today, 3, 14), at(today, 3, 18)),
            place(
                "Example Federal Building",
                "200 Sample Plaza",
                44.9778,
                -93.2650,
                Some("Security screening at the door; elevators available."),
            ),
            &["en", "es", "hmn"],
            EventStatus::Scheduled,
        ),
        event(
            4,
            "Rapid-response volunteer meeting",
            "Monthly meeting of the rapid-response team: dispatch rota, hotline shifts, rides.",
            EventKind::Meeting,
            (at(today, 5, 0), at(today, 5, 2)),
            place("Example Union Hall", "300 Demo St", 44.9530, -93.2400, None),
            &["en", "es"],
            EventStatus::Scheduled,
        ),
        event(
            5,
            "Rally: Neighbours, not targets",
            "March from the park to city hall. Bring signs; no photos of faces, please.",
            EventKind::Rally,
            (at(today, 6, 17), at(today, 6, 20)),
            place(
                "Example Square",
                "1 Placeholder Sq",
                44.9770,
                -93.2710,
                Some("Route is step-free; rest stops every 500 m."),
            ),
            &["en", "es", "so", "hmn"],
            EventStatus::Postponed,
        ),
    ]
}

fn hours(days: std::ops::RangeInclusive<u8>, opens: &str, closes: &str) -> Vec<OpeningHours> {
    days.map(|weekday| OpeningHours {
        weekday,
        opens: opens.into(),
        closes: closes.into(),
    })
    .collect()
}

struct Listing<'a> {
    name: &'a str,
    category: ResourceCategory,
    description: &'a str,
    organisation: &'a str,
    phone: &'a str,
}

fn resource(
    n: u128,
    today: NaiveDate,
    listing: Listing<'_>,
    place: Option<Place>,
    opening_hours: Vec<OpeningHours>,
    languages: &[&str],
) -> Resource {
    Resource {
        id: id(100 + n),
        version: 1,
        name: listing.name.into(),
        category: listing.category,
        description: format!("{} (Demo listing: fictional.)", listing.description),
        organisation: listing.organisation.into(),
        phones: vec![Phone {
            number: listing.phone.into(),
            label: None,
        }],
        website: None,
        service_area: place
            .is_none()
            .then(|| "North side (exact place shared by phone)".to_owned()),
        place,
        opening_hours,
        languages: langs(languages),
        eligibility: None,
        cost: Some("Free".into()),
        last_verified: today,
    }
}

fn resources(today: NaiveDate) -> Vec<Resource> {
    vec![
        resource(
            1,
            today,
            Listing {
                name: "Rapid-response hotline (demo)",
                category: ResourceCategory::Hotline,
                description: "Report enforcement activity or get help. Answered around the clock by trained volunteers.",
                organisation: "Example Rapid Response",
                phone: "612-555-0100",
            },
            None,
            hours(1..=7, "00:00", "24:00"),
            &["en", "es", "so", "hmn"],
        ),
        resource(
            2,
            today,
            Listing {
                name: "Free immigration legal clinic",
                category: ResourceCategory::LegalAid,
                description: "Walk-in consultations with volunteer attorneys. Bring any papers you received.",
                organisation: "Example Legal Aid Society",
                phone: "612-555-0101",
            },
            Some(place(
                "Example Legal Aid office",
                "400 Sample Rd, Suite 2",
                44.9620,
                -93.2770,
                Some("Ground floor, step-free."),
            )),
            hours(2..=4, "10:00", "16:00"),
            &["en", "es"],
        ),
        resource(
            3,
            today,
            Listing {
                name: "Grocery delivery for families staying home",
                category: ResourceCategory::Food,
                description: "Volunteers deliver groceries to families who are afraid to go out. Call to sign up.",
                organisation: "Example Mutual Aid Pantry",
                phone: "612-555-0102",
            },
            None,
            hours(1..=6, "09:00", "18:00"),
            &["en", "es", "so"],
        ),
        resource(
            4,
            today,
            Listing {
                name: "Rides to court and appointments",
                category: ResourceCategory::Rides,
                description: "Free rides with a companion to court dates, check-ins and medical appointments.",
                organisation: "Example Neighbours Network",
                phone: "612-555-0103",
            },
            None,
            hours(1..=5, "07:00", "19:00"),
            &["en", "es", "hmn"],
        ),
        resource(
            5,
            today,
            Listing {
                name: "Community bail fund",
                category: ResourceCategory::BailFund,
                description: "Helps pay immigration bonds so neighbours can return to their families.",
                organisation: "Example Bond Fund",
                phone: "612-555-0104",
            },
            Some(place(
                "Example Bond Fund office",
                "500 Demo Blvd",
                44.9400,
                -93.2900,
                None,
            )),
            hours(1..=5, "09:00", "17:00"),
            &["en", "es"],
        ),
    ]
}

fn cards(today: NaiveDate) -> Vec<Card> {
    let card = |n: u128, language: &str, title: &str, body: &str| Card {
        id: id(200 + n),
        version: 1,
        language: language.into(),
        title: title.into(),
        body: body.into(),
        source_organisation: "Example Legal Aid Society (demo: have a lawyer review before use)"
            .into(),
        reviewed: today,
    };
    vec![
        card(
            1,
            "en",
            "If an agent comes to your door",
            "Keep the door closed. You do not have to open it unless they show a warrant signed by a judge.\n\
             Ask them to pass the warrant under the door or hold it to a window.\n\
             You have the right to remain silent. Say: \"I am using my right to remain silent.\"\n\
             Do not sign anything without talking to a lawyer.\n\
             Call the rapid-response hotline: 612-555-0100 (demo number).",
        ),
        card(
            2,
            "es",
            "Si un agente llega a su puerta",
            "Mantenga la puerta cerrada. No tiene que abrirla a menos que le muestren una orden firmada por un juez.\n\
             Pida que pasen la orden por debajo de la puerta o que la muestren por una ventana.\n\
             Tiene derecho a guardar silencio. Diga: \"Uso mi derecho a guardar silencio.\"\n\
             No firme nada sin hablar con un abogado.\n\
             Llame a la línea de respuesta rápida: 612-555-0100 (número de demostración).",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_marked_fictional_and_uses_reserved_numbers() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date");
        let records = records(today);
        assert!(records.len() >= 10);
        for record in &records {
            assert_eq!(record.validate(), Ok(()), "{:?}", record.id());
            match record {
                Record::Event(e) => {
                    assert!(e.description.contains("fictional"), "{}", e.title);
                    assert!(e.organiser.contains("Example"));
                    assert!(e.starts_at > today.and_time(NaiveTime::MIN).and_utc());
                }
                Record::Card(c) => assert!(c.source_organisation.contains("Example")),
                Record::Alert(_) => panic!("demo data publishes no alerts"),
                Record::Resource(r) => {
                    assert!(r.description.contains("fictional"), "{}", r.name);
                    assert!(r.organisation.contains("Example"));
                    for phone in &r.phones {
                        let last = phone.number.rsplit('-').next().unwrap_or_default();
                        assert!(
                            phone.number.contains("-555-01") && last.len() == 4,
                            "{}",
                            phone.number
                        );
                    }
                }
            }
        }
    }
}
