use std::collections::HashSet;

use super::*;
use vecinos_core::geo::LatLon;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date")
}

fn in_region(place: &Place) -> bool {
    crate::config::Config::default()
        .region
        .bounds
        .contains(LatLon {
            lat: place.lat,
            lon: place.lon,
        })
}

fn is_demo_phone(number: &str) -> bool {
    let last = number.rsplit('-').next().unwrap_or_default();
    number.starts_with("612-555-01") && last.len() == 4
}

#[test]
fn demo_data_is_marked_fictional_and_uses_reserved_numbers() {
    let today = today();
    let records = records(today);
    assert!(records.len() >= 10);
    for record in &records {
        assert_eq!(record.validate(), Ok(()), "{:?}", record.id());
        match record {
            Record::Event(e) => {
                assert!(e.description.contains("fictional"), "{}", e.title);
                // A translated description says so too (the demo translates descriptions into
                // Spanish only).
                for texts in e.translations.values() {
                    assert!(
                        texts
                            .get("description")
                            .is_none_or(|d| d.contains("ficticio")),
                        "{}",
                        e.title
                    );
                }
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

#[test]
fn demo_city_has_the_promised_totals_in_a_stable_order() {
    let records = records(today());
    let events: Vec<&Event> = records
        .iter()
        .filter_map(|r| match r {
            Record::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let resources: Vec<&Resource> = records
        .iter()
        .filter_map(|r| match r {
            Record::Resource(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 15);
    assert_eq!(resources.len(), 40);
    assert_eq!(records.len(), 15 + 40 + 4);

    // Events first, then resources, then cards; ids follow the table order.
    let ids: Vec<Uuid> = records.iter().map(Record::id).collect();
    let expected: Vec<Uuid> = (1..=15).chain(101..=140).chain(201..=204).map(id).collect();
    assert_eq!(ids, expected);
    let titles: Vec<&str> = events.iter().take(2).map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Know-your-rights training", "Vigil for detained neighbours"]
    );
    let names: Vec<&str> = resources.iter().take(5).map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Rapid-response hotline (demo)",
            "Free immigration legal clinic",
            "Grocery delivery for families staying home",
            "Rides to court and appointments",
            "Community bail fund",
        ]
    );
    assert_eq!(resources[1].phones[0].number, "612-555-0101");
}

#[test]
fn demo_events_span_four_weeks_with_every_kind_and_status() {
    let today = today();
    let events: Vec<Event> = events(today);
    let start = today.and_time(NaiveTime::MIN).and_utc();
    for e in &events {
        assert!(e.starts_at > start && e.starts_at < start + TimeDelta::days(28));
        assert!(e.place.as_ref().is_some_and(in_region), "{}", e.title);
    }
    for kind in [
        EventKind::Rally,
        EventKind::Vigil,
        EventKind::Training,
        EventKind::CourtWatch,
        EventKind::Meeting,
    ] {
        assert!(events.iter().any(|e| e.kind == kind), "{kind:?}");
    }
    let count = |status: EventStatus| events.iter().filter(|e| e.status == status).count();
    assert_eq!(count(EventStatus::Cancelled), 1);
    assert_eq!(count(EventStatus::Postponed), 1);
    assert!(
        events
            .iter()
            .any(|e| e.starts_at > start + TimeDelta::days(21))
    );
    // The browser test looks these titles up by substring: each must match one event only.
    for title in ["Know-your-rights training", "Vigil for detained neighbours"] {
        let lower = title.to_lowercase();
        let matches = events
            .iter()
            .filter(|e| e.title.to_lowercase().contains(&lower))
            .count();
        assert_eq!(matches, 1, "{title}");
    }
}

#[test]
fn demo_resources_cover_every_category_language_and_kind_of_listing() {
    let resources = resources(today());
    for category in ResourceCategory::ALL {
        assert!(
            resources.iter().any(|r| r.category == category),
            "{category:?}"
        );
    }
    for code in ["en", "es", "so", "hmn", "om", "am", "vi"] {
        assert!(
            resources
                .iter()
                .any(|r| r.languages.iter().any(|l| l == code)),
            "{code}"
        );
    }
    let area_only = resources
        .iter()
        .filter(|r| r.place.is_none() && r.service_area.is_some())
        .count();
    assert!(area_only >= 5, "{area_only}");
    assert!(
        resources
            .iter()
            .all(|r| r.place.is_some() != r.service_area.is_some())
    );
    assert!(resources.iter().any(|r| {
        r.opening_hours.len() == 7
            && r.opening_hours
                .iter()
                .all(|h| h.opens == "00:00" && h.closes == "24:00")
    }));
    assert!(
        resources
            .iter()
            .any(|r| r.opening_hours.iter().any(|h| h.opens.as_str() >= "17:00"))
    );
    assert!(resources.iter().any(|r| r.website.is_some()));
    assert!(resources.iter().any(|r| r.eligibility.is_some()));
    assert!(
        resources
            .iter()
            .filter_map(|r| r.website.as_deref())
            .all(|w| w.starts_with("https://example.org/"))
    );
    let mut numbers = HashSet::new();
    for r in &resources {
        assert!(r.description.ends_with(RESOURCE_MARKER), "{}", r.name);
        if let Some(place) = &r.place {
            assert!(in_region(place), "{}", r.name);
        }
        for phone in &r.phones {
            assert!(is_demo_phone(&phone.number), "{}", phone.number);
            assert!(
                numbers.insert(phone.number.clone()),
                "{} twice",
                phone.number
            );
        }
    }
    let names: HashSet<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), resources.len(), "names are unique");
}

#[test]
fn synthetic_resources_have_the_count_and_validate() {
    assert!(synthetic_resources(0, 7).is_empty());
    let resources = synthetic_resources(2_000, 7);
    assert_eq!(resources.len(), 2_000);
    for r in &resources {
        assert_eq!(r.validate(), Ok(()), "{}", r.name);
        assert!(r.organisation.starts_with("Example "), "{}", r.organisation);
        let length = r.description.chars().count();
        assert!((100..=400).contains(&length), "{length}: {}", r.description);
        assert!(r.description.ends_with(SYNTHETIC_MARKER));
        assert!((1..=2).contains(&r.phones.len()));
        assert!(
            r.phones.iter().all(|p| is_demo_phone(&p.number)),
            "{:?}",
            r.phones
        );
        assert!(r.place.as_ref().is_none_or(in_region), "{:?}", r.place);
        assert!(r.place.is_some() != r.service_area.is_some());
    }
    for category in ResourceCategory::ALL {
        assert!(
            resources.iter().any(|r| r.category == category),
            "{category:?}"
        );
    }
    let area_only = resources.iter().filter(|r| r.place.is_none()).count();
    assert!((100..=300).contains(&area_only), "about 10%: {area_only}");
    assert!(resources.iter().any(|r| !r.description.is_ascii()));
    assert!(resources.iter().any(|r| !r.name.is_ascii()));
    assert!(resources.iter().any(|r| r.phones.len() == 2));
    assert!(resources.iter().any(|r| r.opening_hours.is_empty()));
}

#[test]
fn synthetic_resources_are_deterministic_with_unique_ids() {
    let a = synthetic_resources(1_000, 42);
    assert_eq!(a, synthetic_resources(1_000, 42), "same seed, same data");
    assert_eq!(
        a[..10],
        synthetic_resources(10, 42)[..],
        "a prefix is stable"
    );
    let b = synthetic_resources(1_000, 43);
    assert_ne!(a, b, "another seed, other data");

    let ids: HashSet<Uuid> = a.iter().chain(&b).map(|r| r.id).collect();
    assert_eq!(ids.len(), 2_000, "ids are unique, also across two seeds");
    let demo: HashSet<Uuid> = records(today()).iter().map(Record::id).collect();
    assert!(ids.is_disjoint(&demo));
    assert_eq!(a[3].id, Uuid::from_u128(a[0].id.as_u128() + 3));
}
