//! Fictional demo data for a first start: "Example" organisations, 555-01xx phone numbers and
//! made-up places, so that no one mistakes a demo listing for a real hotline.
//!
//! [`records`] is the demo metro area ("Example City"): events over the coming four weeks, about
//! forty resources across every category and the know-your-rights cards. The listings are tables
//! of rows fed through small helpers; a row's position fixes its id, so new rows go at the end.
//!
//! [`synthetic_resources`] makes many more, deterministically, for benchmarks.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use uuid::Uuid;
use vecinos_core::{
    Card, Event, EventKind, EventStatus, OpeningHours, Phone, Place, Record, Resource,
    ResourceCategory,
};

const ZONE: &str = "America/Chicago";

/// The marker every demo resource description ends with.
const RESOURCE_MARKER: &str = "(Demo listing: fictional.)";

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

/// `hour` hours (UTC) after midnight of the day `days` after `today`; 24 and more fall on the
/// next day, which is how Chicago evenings are written in UTC.
fn at(today: NaiveDate, days: u64, hour: u32) -> DateTime<Utc> {
    let day = today.checked_add_days(Days::new(days)).unwrap_or(today);
    let midnight = day.and_time(NaiveTime::MIN).and_utc();
    midnight
        .checked_add_signed(TimeDelta::hours(i64::from(hour)))
        .unwrap_or(midnight)
}

/// A public place: name, address, latitude, longitude, accessibility.
type Spot = (&'static str, &'static str, f64, f64, Option<&'static str>);

fn place((name, address, lat, lon, accessibility): Spot) -> Place {
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

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/// One row of the event table.
struct Gathering {
    title: &'static str,
    kind: EventKind,
    /// Days after today, start hour (UTC, may pass 23) and length in hours.
    when: (u64, u32, u32),
    place: Spot,
    languages: &'static [&'static str],
    organiser: &'static str,
    link: Option<&'static str>,
    status: EventStatus,
    description: &'static str,
}

const NEIGHBOURS: &str = "Example Neighbours Network";
const LIBRARY: Spot = (
    "Example Community Library, Room B",
    "100 Example Ave",
    44.9485,
    -93.2600,
    Some("Step-free entrance on the east side."),
);
const FEDERAL_BUILDING: Spot = (
    "Example Federal Building",
    "200 Sample Plaza",
    44.9778,
    -93.2650,
    Some("Security screening at the door; elevators available."),
);
const UNION_HALL: Spot = ("Example Union Hall", "300 Demo St", 44.9530, -93.2400, None);
const SQUARE: Spot = (
    "Example Square",
    "1 Placeholder Sq",
    44.9770,
    -93.2710,
    Some("Route is step-free; rest stops every 500 m."),
);
const TENANTS_HALL: Spot = (
    "Example Tenants Hall",
    "812 Demo St",
    44.9350,
    -93.2480,
    Some("Ramp at the side door; childcare in the next room during meetings."),
);

// Times are UTC; 18:00 UTC is noon in Chicago for most of the year and 0:00 UTC the evening
// before (6 or 7 pm).
#[rustfmt::skip]
const GATHERINGS: &[Gathering] = &[
    Gathering {
        title: "Know-your-rights training", kind: EventKind::Training, when: (1, 23, 2), place: LIBRARY,
        languages: &["en", "es", "so"], organiser: NEIGHBOURS, link: None, status: EventStatus::Scheduled,
        description: "Learn what to say and not to say at the door, and how to use a rights card.",
    },
    Gathering {
        title: "Vigil for detained neighbours", kind: EventKind::Vigil, when: (2, 0, 2),
        place: ("Example Park bandstand", "Lake St & 14th Ave (example)", 44.9483, -93.2520, None),
        languages: &["en", "es"], organiser: NEIGHBOURS, link: None, status: EventStatus::Scheduled,
        description: "Bring a candle. Families speak at 7 pm.",
    },
    Gathering {
        title: "Court watch: immigration hearings", kind: EventKind::CourtWatch, when: (3, 14, 4),
        place: FEDERAL_BUILDING, languages: &["en", "es", "hmn"], organiser: NEIGHBOURS, link: None,
        status: EventStatus::Scheduled,
        description: "Sit in the public gallery so no neighbour faces the hearing alone. Arrive 20 minutes early.",
    },
    Gathering {
        title: "Rapid-response volunteer meeting", kind: EventKind::Meeting, when: (5, 0, 2), place: UNION_HALL,
        languages: &["en", "es"], organiser: NEIGHBOURS, link: None, status: EventStatus::Scheduled,
        description: "Monthly meeting of the rapid-response team: dispatch rota, hotline shifts, rides.",
    },
    Gathering {
        title: "Rally: Neighbours, not targets", kind: EventKind::Rally, when: (6, 17, 3), place: SQUARE,
        languages: &["en", "es", "so", "hmn"], organiser: NEIGHBOURS, link: None, status: EventStatus::Postponed,
        description: "March from the park to city hall. Bring signs; no photos of faces, please.",
    },
    // New rows go below, never above: a row's position is its id.
    Gathering {
        title: "Dispatcher training for the rapid-response line", kind: EventKind::Training, when: (4, 23, 3),
        place: UNION_HALL, languages: &["en", "es"], organiser: "Example Rapid Response",
        link: Some("https://example.org/dispatch-training"), status: EventStatus::Scheduled,
        description: "For volunteers who will answer the hotline: how to take a report, check it before it \
                      spreads, and send a verified alert. No laptop needed.",
    },
    Gathering {
        title: "Court watch: bond hearings", kind: EventKind::CourtWatch, when: (8, 15, 3),
        place: FEDERAL_BUILDING, languages: &["en", "es", "so"], organiser: "Example Court Watch Collective",
        link: None, status: EventStatus::Scheduled,
        description: "Watch bond hearings from the public gallery and take notes for families who cannot \
                      come. Phones stay off; a coordinator waits for you in the lobby.",
    },
    Gathering {
        title: "Tenant union general meeting", kind: EventKind::Meeting, when: (9, 0, 2), place: TENANTS_HALL,
        languages: &["en", "es", "so", "om"], organiser: "Example Tenants Union", link: None,
        status: EventStatus::Scheduled,
        description: "Repairs, rent increases and what to do when a landlord threatens to call immigration. \
                      Interpretation into Spanish, Somali and Afaan Oromo.",
    },
    Gathering {
        title: "Taller: conozca sus derechos", kind: EventKind::Training, when: (11, 0, 2),
        place: ("Example Parish Hall", "45 Sample Rd", 44.9290, -93.2560, Some("Entrada sin escalones por el estacionamiento.")),
        languages: &["es"], organiser: "Example Faith Coalition", link: None, status: EventStatus::Scheduled,
        description: "Taller en español sobre qué hacer si llegan agentes a su casa o a su trabajo. Habrá \
                      tarjetas de derechos para llevar y cuidado de niños.",
    },
    Gathering {
        title: "Door-to-door rights card walk", kind: EventKind::Other, when: (12, 17, 3),
        place: ("Placeholder Square fountain", "2 Placeholder Sq", 44.9765, -93.2700, None),
        languages: &["en", "es", "hmn"], organiser: NEIGHBOURS, link: None, status: EventStatus::Cancelled,
        description: "Called off because of the cold; a new date will follow. We were going to hand out \
                      rights cards on the blocks around Placeholder Square.",
    },
    Gathering {
        title: "Legal observer training", kind: EventKind::Training, when: (14, 15, 3), place: LIBRARY,
        languages: &["en", "es", "hmn"], organiser: "Example Legal Aid Society",
        link: Some("https://example.org/legal-observers"), status: EventStatus::Scheduled,
        description: "How to watch and write down what happens during an enforcement action, safely and \
                      within the law, and what never to film.",
    },
    Gathering {
        title: "Pantry volunteer orientation", kind: EventKind::Meeting, when: (16, 23, 2),
        place: ("Example Mutual Aid Pantry", "1220 Example Ave", 45.0010, -93.2870, Some("Loading dock entrance is step-free.")),
        languages: &["en", "so", "am"], organiser: "Example Mutual Aid Pantry", link: None,
        status: EventStatus::Scheduled,
        description: "New drivers and packers meet the team, learn the delivery routes and how we keep \
                      families' addresses private.",
    },
    Gathering {
        title: "Rights at the door: workshop in Somali", kind: EventKind::Training, when: (18, 0, 2),
        place: ("Example Somali Community Center", "77 Placeholder Sq", 44.9690, -93.2470, None),
        languages: &["so", "en"], organiser: "Example Somali Community Council", link: None,
        status: EventStatus::Scheduled,
        description: "The rights-card workshop taught in Somali by community members, with time for \
                      questions in small groups.",
    },
    Gathering {
        title: "Rally: Keep families together", kind: EventKind::Rally, when: (21, 18, 2), place: SQUARE,
        languages: &["en", "es", "so", "hmn", "vi"], organiser: NEIGHBOURS,
        link: Some("https://example.org/keep-families-together"), status: EventStatus::Scheduled,
        description: "Speakers from families, faith groups and the tenant union. Marshals wear orange \
                      vests: ask them for help or water.",
    },
    Gathering {
        title: "Candlelight vigil outside the detention center", kind: EventKind::Vigil, when: (27, 1, 2),
        place: ("Example County Detention Center, east lawn", "900 Sample Rd", 44.9060, -93.2210, None),
        languages: &["en", "es", "am"], organiser: "Example Faith Coalition", link: None,
        status: EventStatus::Scheduled,
        description: "A quiet vigil so that the people inside can see the lights. Stay on the public lawn; \
                      there are candles for everyone.",
    },
];

fn event(n: u128, today: NaiveDate, row: &Gathering) -> Event {
    let (days, hour, length) = row.when;
    Event {
        translations: Default::default(),
        id: id(n),
        version: 1,
        title: row.title.into(),
        description: format!(
            "{} (Demo listing: this event is fictional.)",
            row.description
        ),
        kind: row.kind,
        starts_at: at(today, days, hour),
        ends_at: Some(at(today, days, hour + length)),
        time_zone: ZONE.into(),
        place: Some(place(row.place)),
        organiser: row.organiser.into(),
        languages: langs(row.languages),
        links: row.link.into_iter().map(Into::into).collect(),
        status: row.status,
    }
}

fn events(today: NaiveDate) -> Vec<Event> {
    (1..)
        .zip(GATHERINGS)
        .map(|(n, row)| {
            let mut event = event(n, today, row);
            translate(&mut event.translations, n, EVENT_TRANSLATIONS);
            event
        })
        .collect()
}

/// Some demo listings in other languages, as an organiser would write them: the row's number,
/// the language, the field and its text. The Somali and Hmong lines are the team's drafts.
type Translated = &'static [(u128, &'static str, &'static str, &'static str)];

#[rustfmt::skip]
const EVENT_TRANSLATIONS: Translated = &[
    (1, "es", "title", "Taller: conozca sus derechos"),
    (1, "es", "description", "Aprenda qué decir y qué no decir en la puerta, y cómo usar una tarjeta de derechos. (Anuncio de demostración: este evento es ficticio.)"),
    (1, "so", "title", "Tababar: ogow xuquuqdaada"),
    (2, "es", "title", "Vigilia por los vecinos detenidos"),
    (2, "es", "description", "Traiga una vela. Las familias hablan a las 7 pm. (Anuncio de demostración: este evento es ficticio.)"),
    (3, "es", "title", "Observación de la corte: audiencias de inmigración"),
    (3, "hmn", "title", "Saib xyuas tsev hais plaub: kev txiav txim txog kev nkag teb chaws"),
];

#[rustfmt::skip]
const RESOURCE_TRANSLATIONS: Translated = &[
    (1, "es", "name", "Línea de respuesta rápida (demostración)"),
    (1, "so", "name", "Khadka jawaab degdegga ah (tusaale)"),
    (2, "es", "name", "Clínica legal de inmigración gratuita"),
    (3, "es", "name", "Entrega de comida para familias que se quedan en casa"),
    (3, "so", "name", "Raashin loo geeyo qoysaska guriga joogga ah"),
];

fn translate(translations: &mut vecinos_core::Translations, n: u128, table: Translated) {
    for (_, lang, field, text) in table.iter().filter(|row| row.0 == n) {
        translations
            .entry((*lang).to_owned())
            .or_default()
            .insert((*field).to_owned(), (*text).to_owned());
    }
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/// Weekly opening: first and last weekday (1 = Monday), opening and closing time.
type Block = (u8, u8, &'static str, &'static str);

const ALWAYS: &[Block] = &[(1, 7, "00:00", "24:00")];
const OFFICE: &[Block] = &[(1, 5, "09:00", "17:00")];
/// No published hours: by phone or appointment only.
const BY_APPOINTMENT: &[Block] = &[];

fn hours(blocks: &[Block]) -> Vec<OpeningHours> {
    blocks
        .iter()
        .flat_map(|&(first, last, opens, closes)| {
            (first..=last).map(move |weekday| OpeningHours {
                weekday,
                opens: opens.into(),
                closes: closes.into(),
            })
        })
        .collect()
}

/// Where a resource is: a public place, or only the area it serves (safe housing and other
/// listings that must never reveal a point).
enum At {
    Place(Spot),
    Area(&'static str),
}

/// One row of the resource table.
struct Listing {
    name: &'static str,
    category: ResourceCategory,
    organisation: &'static str,
    phone: &'static str,
    /// A second, labelled number: (label, number).
    other_phone: Option<(&'static str, &'static str)>,
    at: At,
    hours: &'static [Block],
    languages: &'static [&'static str],
    website: Option<&'static str>,
    eligibility: Option<&'static str>,
    cost: &'static str,
    description: &'static str,
}

const NORTH_BY_PHONE: At = At::Area("North side (exact place shared by phone)");
const CITY_BY_PHONE: At = At::Area("Whole metro area (phone only)");
const LEGAL_AID_OFFICE: Spot = (
    "Example Legal Aid office",
    "400 Sample Rd, Suite 2",
    44.9620,
    -93.2770,
    Some("Ground floor, step-free."),
);
const HEALTH_CLINIC: &str = "Example Community Health Clinic";
const NO_PAPERS: Option<&str> = Some("Everyone; no ID, address or papers asked.");

#[rustfmt::skip]
const LISTINGS: &[Listing] = {
    use ResourceCategory as C;
    &[
    Listing {
        name: "Rapid-response hotline (demo)", category: C::Hotline, organisation: "Example Rapid Response",
        phone: "612-555-0100", other_phone: None, at: NORTH_BY_PHONE, hours: ALWAYS,
        languages: &["en", "es", "so", "hmn"], website: None, eligibility: None, cost: "Free",
        description: "Report enforcement activity or get help. Answered around the clock by trained volunteers.",
    },
    Listing {
        name: "Free immigration legal clinic", category: C::LegalAid, organisation: "Example Legal Aid Society",
        phone: "612-555-0101", other_phone: None, at: At::Place(LEGAL_AID_OFFICE), hours: &[(2, 4, "10:00", "16:00")],
        languages: &["en", "es"], website: None, eligibility: None, cost: "Free",
        description: "Walk-in consultations with volunteer attorneys. Bring any papers you received.",
    },
    Listing {
        name: "Grocery delivery for families staying home", category: C::Food, organisation: "Example Mutual Aid Pantry",
        phone: "612-555-0102", other_phone: None, at: NORTH_BY_PHONE, hours: &[(1, 6, "09:00", "18:00")],
        languages: &["en", "es", "so"], website: None, eligibility: None, cost: "Free",
        description: "Volunteers deliver groceries to families who are afraid to go out. Call to sign up.",
    },
    Listing {
        name: "Rides to court and appointments", category: C::Rides, organisation: NEIGHBOURS,
        phone: "612-555-0103", other_phone: None, at: NORTH_BY_PHONE, hours: &[(1, 5, "07:00", "19:00")],
        languages: &["en", "es", "hmn"], website: None, eligibility: None, cost: "Free",
        description: "Free rides with a companion to court dates, check-ins and medical appointments.",
    },
    Listing {
        name: "Community bail fund", category: C::BailFund, organisation: "Example Bond Fund",
        phone: "612-555-0104", other_phone: None,
        at: At::Place(("Example Bond Fund office", "500 Demo Blvd", 44.9400, -93.2900, None)), hours: OFFICE,
        languages: &["en", "es"], website: None, eligibility: None, cost: "Free",
        description: "Helps pay immigration bonds so neighbours can return to their families.",
    },
    // New rows go below, never above: a row's position is its id.

    // Legal aid
    Listing {
        name: "Removal defence consultations", category: C::LegalAid, organisation: "Example Immigrant Law Center",
        phone: "612-555-0105", other_phone: None,
        at: At::Place(("Example Immigrant Law Center", "220 Example Ave, 3rd floor", 44.9805, -93.2690,
                       Some("Elevator to the 3rd floor; interpreters on request."))),
        hours: OFFICE, languages: &["en", "es", "so", "om"], website: Some("https://example.org/law-center"),
        eligibility: Some("Anyone facing removal proceedings, or their family."), cost: "Free",
        description: "Attorneys review notices to appear, bond options and asylum deadlines. Please call \
                      first; walk-ins on Wednesday mornings only.",
    },
    Listing {
        name: "DACA and work permit renewals", category: C::LegalAid, organisation: "Example Legal Aid Society",
        phone: "612-555-0106", other_phone: None, at: At::Place(LEGAL_AID_OFFICE), hours: &[(6, 6, "10:00", "14:00")],
        languages: &["en", "es", "vi"], website: Some("https://example.org/renewals"),
        eligibility: Some("Current DACA recipients and anyone renewing a work permit."),
        cost: "Free help; filing fees are yours, and we explain fee waivers",
        description: "Volunteers fill in the renewal forms with you and check them twice before you mail \
                      them. Bring your last approval notice.",
    },
    Listing {
        name: "Workplace rights clinic", category: C::LegalAid, organisation: "Example Workers Center",
        phone: "612-555-0107", other_phone: None,
        at: At::Place(("Example Workers Center", "515 Demo St", 44.9455, -93.2255, None)),
        hours: &[(2, 2, "18:00", "21:00"), (4, 4, "18:00", "21:00")], languages: &["en", "es", "kar"],
        website: None, eligibility: Some("Workers of any status, including day labourers and people paid in cash."),
        cost: "Free",
        description: "Unpaid wages, injuries at work and threats from a boss. Your immigration status does \
                      not take away your right to be paid.",
    },
    Listing {
        name: "Asylum paperwork evenings", category: C::LegalAid, organisation: "Example Asylum Support Circle",
        phone: "612-555-0108", other_phone: None,
        at: At::Place(("Example Public Library, Meeting Room 2", "1500 Example Ave", 45.0120, -93.2950,
                       Some("Step-free; a quiet room is available."))),
        hours: &[(1, 1, "17:30", "20:30")], languages: &["en", "fr", "ar", "am", "ti"],
        website: Some("https://example.org/asylum-evenings"),
        eligibility: Some("People preparing an asylum application, with or without a lawyer."), cost: "Free",
        description: "Trained volunteers help you put your story, evidence and translations in order. This \
                      is not legal advice: we connect you with a lawyer when you need one.",
    },
    // Hotlines
    Listing {
        name: "Detention locator and family support line", category: C::Hotline,
        organisation: "Example Rapid Response", phone: "612-555-0109",
        other_phone: Some(("Text or WhatsApp", "612-555-0150")), at: CITY_BY_PHONE, hours: &[(1, 7, "08:00", "22:00")],
        languages: &["en", "es", "so", "hmn"], website: None, eligibility: None, cost: "Free",
        description: "If someone you love has been detained, we help find out where they are held, explain \
                      the next steps and keep in touch with the family.",
    },
    Listing {
        name: "Línea de apoyo en español", category: C::Hotline, organisation: "Example Línea Solidaria",
        phone: "612-555-0110", other_phone: None, at: CITY_BY_PHONE,
        hours: &[(1, 5, "08:00", "20:00"), (6, 6, "09:00", "13:00")], languages: &["es"],
        website: Some("https://example.org/linea"),
        eligibility: Some("Cualquier persona; no pedimos documentos."), cost: "Gratis",
        description: "Atención en español para preguntas sobre derechos, trámites y recursos de la ciudad. Si \
                      no contestamos, deje un mensaje y le llamamos el mismo día.",
    },
    Listing {
        name: "Crisis and emotional support line", category: C::Hotline,
        organisation: "Example Wellbeing Collective", phone: "612-555-0111", other_phone: None,
        at: CITY_BY_PHONE, hours: ALWAYS, languages: &["en", "es", "so", "hmn", "om", "am", "vi"],
        website: None, eligibility: None, cost: "Free",
        description: "Talk with a trained listener after a raid, an arrest in the family or a frightening \
                      day. Interpreters join the call in many languages.",
    },
    // Food
    Listing {
        name: "Saturday fresh food market", category: C::Food, organisation: "Example Food Shelf",
        phone: "612-555-0112", other_phone: None,
        at: At::Place(("Example Food Shelf", "630 Sample Rd", 44.9390, -93.2650,
                       Some("Step-free; seating while you wait."))),
        hours: &[(6, 6, "09:00", "13:00")], languages: &["en", "es", "so"],
        website: Some("https://example.org/food-shelf"), eligibility: NO_PAPERS, cost: "Free",
        description: "Choose your own vegetables, rice, beans and halal meat. Bring bags if you can.",
    },
    Listing {
        name: "Halal food boxes", category: C::Food, organisation: "Example Community Kitchen",
        phone: "612-555-0113", other_phone: None,
        at: At::Place(("Example Community Kitchen", "48 Demo St", 44.9585, -93.2335, None)),
        hours: &[(5, 5, "14:00", "18:00")], languages: &["so", "ar", "om", "en"], website: None,
        eligibility: Some("Families in Example City; one box per household each week."), cost: "Free",
        description: "Weekly boxes with flour, oil, dates, lentils and meat. Collect in person or send a \
                      neighbour to collect for you.",
    },
    Listing {
        name: "Wednesday community dinner", category: C::Food, organisation: "Example Shared Table",
        phone: "612-555-0114", other_phone: None,
        at: At::Place(("Example Shared Table hall", "305 Placeholder Sq", 44.9735, -93.2795,
                       Some("Step-free; high chairs available."))),
        hours: &[(3, 3, "17:30", "19:30")], languages: &["en", "es", "hmn", "vi"], website: None,
        eligibility: None, cost: "Free; donations welcome",
        description: "A hot dinner every Wednesday, cooked by volunteers from many kitchens. Come alone or \
                      bring the whole family.",
    },
    Listing {
        name: "Baby formula and diaper bank", category: C::Food, organisation: "Example Family Pantry",
        phone: "612-555-0115", other_phone: Some(("Text line", "612-555-0151")),
        at: At::Area("South side (pickup spot shared by text)"),
        hours: &[(2, 2, "10:00", "14:00"), (4, 4, "15:00", "19:00")], languages: &["en", "es", "so", "am"],
        website: None, eligibility: Some("Families with children under 3."), cost: "Free",
        description: "Formula, diapers and wipes in every size. Text us your child's age and size and we \
                      tell you where to pick up.",
    },
    Listing {
        name: "Farm share for families", category: C::Food, organisation: "Example Growers Cooperative",
        phone: "612-555-0116", other_phone: None,
        at: At::Place(("Example Growers market stand", "1100 Example Ave", 44.9960, -93.3150, None)),
        hours: &[(4, 4, "15:00", "19:00")], languages: &["hmn", "en", "kar"],
        website: Some("https://example.org/farm-share"),
        eligibility: Some("Households that sign up by phone; waiting list in winter."),
        cost: "Sliding scale from $0",
        description: "Vegetables grown by neighbourhood farmers, packed every Thursday from June to \
                      October.",
    },
    // Rides
    Listing {
        name: "Company to ICE check-ins", category: C::Rides, organisation: "Example Accompaniment Team",
        phone: "612-555-0117", other_phone: None, at: At::Area("Whole metro area (pickup arranged by phone)"),
        hours: &[(1, 5, "06:00", "18:00")], languages: &["en", "es", "so", "om"], website: None,
        eligibility: Some("Anyone with a check-in or hearing; book 3 days ahead if you can."), cost: "Free",
        description: "A volunteer drives you, waits with you, takes notes and calls your family and lawyer \
                      if something goes wrong.",
    },
    Listing {
        name: "Medical ride line", category: C::Rides, organisation: "Example Health Riders",
        phone: "612-555-0118", other_phone: None, at: At::Area("North and east sides (pickup arranged by phone)"),
        hours: &[(1, 6, "08:00", "17:00")], languages: &["en", "hmn", "vi", "kar"], website: None,
        eligibility: Some("Patients without a car; car seats available for children."), cost: "Free",
        description: "Rides to clinics, dialysis and the pharmacy. Call the day before; same-day rides when \
                      a driver is free.",
    },
    // Housing
    Listing {
        name: "Emergency safe housing", category: C::Housing, organisation: "Example Sanctuary Network",
        phone: "612-555-0119", other_phone: None,
        at: At::Area("Confidential places across the city (shared only by phone)"), hours: ALWAYS,
        languages: &["en", "es", "so"], website: None,
        eligibility: Some("Families who cannot stay at home because of an enforcement threat; we talk by phone first."),
        cost: "Free",
        description: "Short stays with host families and congregations. Places are never published; a \
                      coordinator arranges a safe meeting point.",
    },
    Listing {
        name: "Shelter for women and children", category: C::Housing, organisation: "Example Women's Refuge",
        phone: "612-555-0120", other_phone: None, at: At::Area("South side (address given after a phone call)"),
        hours: ALWAYS, languages: &["en", "es", "am", "ti"], website: None,
        eligibility: Some("Women and their children leaving violence, whatever their immigration status."),
        cost: "Free",
        description: "A safe room, meals and an advocate who helps with protection orders and U visa \
                      questions.",
    },
    Listing {
        name: "Housing search help", category: C::Housing, organisation: "Example Housing Partners",
        phone: "612-555-0121", other_phone: None,
        at: At::Place(("Example Housing Partners office", "760 Demo St", 44.9240, -93.2380,
                       Some("Step-free entrance from the parking lot."))),
        hours: &[(1, 4, "10:00", "18:00")], languages: &["en", "es", "so", "vi"],
        website: Some("https://example.org/housing-search"),
        eligibility: Some("Renters at risk of losing their home, with or without a social security number."),
        cost: "Free",
        description: "Caseworkers help with applications and deposits, and know the landlords who accept \
                      an ITIN instead of a social security number.",
    },
    Listing {
        name: "Rent emergency fund", category: C::Housing, organisation: "Example Mutual Aid Pantry",
        phone: "612-555-0122", other_phone: None, at: At::Area("Example City (apply by phone)"), hours: OFFICE,
        languages: &["en", "es", "so", "hmn"], website: None,
        eligibility: Some("Households behind on rent after a family member was detained."),
        cost: "Free; grants are never paid back",
        description: "One-time help with a month's rent when a family loses an income to detention or \
                      deportation.",
    },
    // Medical
    Listing {
        name: "Walk-in community health clinic", category: C::Medical, organisation: HEALTH_CLINIC,
        phone: "612-555-0123", other_phone: None,
        at: At::Place((HEALTH_CLINIC, "1345 Sample Rd", 45.0310, -93.2560,
                       Some("Step-free; a wheelchair is available at the desk."))),
        hours: &[(1, 5, "08:00", "20:00"), (6, 6, "09:00", "13:00")],
        languages: &["en", "es", "so", "hmn", "om", "am"], website: Some("https://example.org/clinic"),
        eligibility: Some("Everyone; no insurance or papers needed."), cost: "Sliding scale from $0",
        description: "Check-ups, vaccines, prenatal care and prescriptions. We never ask about immigration \
                      status and never share patient records with enforcement.",
    },
    Listing {
        name: "Mobile clinic van", category: C::Medical, organisation: HEALTH_CLINIC,
        phone: "612-555-0124", other_phone: None,
        at: At::Area("Different neighbourhood each day (this week's stops by phone)"),
        hours: &[(2, 2, "12:00", "17:00"), (5, 5, "12:00", "17:00")], languages: &["en", "es", "kar", "vi"],
        website: None, eligibility: None, cost: "Free",
        description: "Blood pressure and diabetes checks and referrals, from a van that parks in a \
                      different spot each day.",
    },
    Listing {
        name: "Counselling in your language", category: C::Medical, organisation: "Example Healing Circle",
        phone: "612-555-0125", other_phone: None,
        at: At::Place(("Example Healing Circle", "28 Placeholder Sq", 44.9755, -93.2680,
                       Some("Second floor; elevator."))),
        hours: &[(1, 4, "12:00", "20:00")], languages: &["en", "es", "so", "ar"],
        website: Some("https://example.org/healing"),
        eligibility: Some("Adults and teenagers; a parent's consent under 16."),
        cost: "Free for the first 8 sessions",
        description: "Counselling for fear, grief and stress, with therapists who speak your language or \
                      with an interpreter you trust.",
    },
    Listing {
        name: "Volunteer dental days", category: C::Medical, organisation: "Example Dental Volunteers",
        phone: "612-555-0126", other_phone: None,
        at: At::Place(("Example Dental Volunteers clinic", "905 Example Ave", 44.9010, -93.2180, None)),
        hours: &[(6, 6, "08:00", "15:00")], languages: &["en", "es", "vi", "hmn"], website: None,
        eligibility: Some("Adults and children without dental insurance."),
        cost: "$10 a visit, or free if you cannot pay",
        description: "Cleanings, fillings and extractions by volunteer dentists. Book by phone; the days \
                      fill up fast.",
    },
    // Childcare
    Listing {
        name: "Emergency childcare on court days", category: C::Childcare, organisation: "Example Family Care Co-op",
        phone: "612-555-0127", other_phone: None, at: NORTH_BY_PHONE, hours: &[(1, 5, "07:00", "18:00")],
        languages: &["en", "es", "so"], website: None,
        eligibility: Some("Children of parents with a hearing, check-in or appointment."), cost: "Free",
        description: "Trusted caregivers look after your children while you are at court or a check-in, \
                      with a snack and a plan in case you are delayed.",
    },
    Listing {
        name: "Toddler play group", category: C::Childcare, organisation: "Example Family Center",
        phone: "612-555-0128", other_phone: None,
        at: At::Place(("Example Family Center", "140 Sample Rd", 44.9560, -93.3050,
                       Some("Step-free; stroller parking inside."))),
        hours: &[(2, 2, "09:30", "11:30"), (4, 4, "09:30", "11:30")], languages: &["en", "so", "om", "am"],
        website: None, eligibility: Some("Children up to 5 with a parent or caregiver."), cost: "Free",
        description: "Songs, books and play in several languages while parents meet each other and ask \
                      their questions.",
    },
    Listing {
        name: "Evening childcare during meetings", category: C::Childcare, organisation: "Example Tenants Union",
        phone: "612-555-0129", other_phone: None, at: At::Place(TENANTS_HALL), hours: &[(1, 5, "17:30", "21:00")],
        languages: &["en", "es", "so", "om"], website: None,
        eligibility: Some("Children of anyone at a meeting or class in the hall."), cost: "Free",
        description: "Volunteers with checked references look after children in the room next door during \
                      evening meetings.",
    },
    // Schools
    Listing {
        name: "School enrolment help", category: C::Schools, organisation: "Example District Family Center",
        phone: "612-555-0130", other_phone: None,
        at: At::Place(("Example District Family Center", "350 Example Ave", 44.9680, -93.2760,
                       Some("Step-free; interpreters on request."))),
        hours: OFFICE, languages: &["en", "es", "so", "hmn", "vi", "kar"], website: Some("https://example.org/enrol"),
        eligibility: Some("Any child living in Example City, whatever their status."), cost: "Free",
        description: "Every child has the right to go to public school. Staff help you enrol without papers \
                      and explain what a school may and may not ask.",
    },
    Listing {
        name: "Bilingual homework club", category: C::Schools, organisation: "Example Youth Collective",
        phone: "612-555-0131", other_phone: None,
        at: At::Place(("Example Youth Collective", "66 Demo St", 44.9505, -93.2120, None)),
        hours: &[(1, 4, "15:30", "18:00")], languages: &["en", "es", "so", "om"], website: None,
        eligibility: Some("Students in grades 3 to 12."), cost: "Free; snacks included",
        description: "Tutors help with homework in English, Spanish, Somali and Afaan Oromo; older students \
                      get help with college and scholarship applications.",
    },
    Listing {
        name: "Parent liaison for school meetings", category: C::Schools, organisation: "Example Parents Union",
        phone: "612-555-0132", other_phone: None,
        at: At::Area("Example City public schools (meeting place by phone)"), hours: &[(1, 5, "08:00", "16:00")],
        languages: &["es", "so", "hmn", "am", "en"], website: None,
        eligibility: Some("Parents and guardians of public school students."), cost: "Free",
        description: "A liaison goes with you to meetings with teachers, explains special education plans \
                      and helps you ask for an interpreter.",
    },
    // Tenant unions
    Listing {
        name: "Example Tenants Union", category: C::TenantUnion, organisation: "Example Tenants Union",
        phone: "612-555-0133", other_phone: None, at: At::Place(TENANTS_HALL),
        hours: &[(2, 2, "18:00", "20:30"), (6, 6, "10:00", "13:00")], languages: &["en", "es", "so", "om"],
        website: Some("https://example.org/tenants"), eligibility: Some("Renters in Example City; no papers asked."),
        cost: "Free; dues optional",
        description: "Organise with your neighbours for repairs and fair rent. We go to the landlord \
                      together so that nobody faces a threat alone.",
    },
    Listing {
        name: "Eviction defence line", category: C::TenantUnion, organisation: "Example Renters Defence",
        phone: "612-555-0134", other_phone: Some(("After hours", "612-555-0152")), at: CITY_BY_PHONE,
        hours: &[(1, 5, "09:00", "19:00")], languages: &["en", "es", "vi", "kar"], website: None,
        eligibility: Some("Tenants with an eviction notice or a landlord's threat."), cost: "Free",
        description: "Call as soon as you receive papers: many evictions can be stopped if you answer in \
                      time. A landlord may not threaten to report you to immigration.",
    },
    Listing {
        name: "Building meetings for Somali-speaking renters", category: C::TenantUnion,
        organisation: "Example Tenants Union", phone: "612-555-0135", other_phone: None,
        at: At::Place(("Example Riverside Towers community room", "1810 Sample Rd", 44.9705, -93.2430, None)),
        hours: &[(7, 7, "14:00", "17:00")], languages: &["so", "en", "ar"], website: None,
        eligibility: Some("Residents of large apartment buildings."), cost: "Free",
        description: "Sunday meetings with organisers who live in the building: heat, mould, pests and rent \
                      increases, in Somali first.",
    },
    // Bail funds
    Listing {
        name: "Immigration bond payments", category: C::BailFund, organisation: "Example Freedom Fund",
        phone: "612-555-0136", other_phone: Some(("Línea en español", "612-555-0153")), at: CITY_BY_PHONE,
        hours: &[(1, 7, "08:00", "22:00")], languages: &["en", "es", "so", "hmn", "vi"],
        website: Some("https://example.org/freedom-fund"),
        eligibility: Some("People in immigration detention whose bond has been set by a judge."),
        cost: "Free; the bond comes back to the fund when the case ends",
        description: "We pay bonds up to the fund's limit and stand by the family through the case, so the \
                      money can free the next person. Call with the person's A-number if you have it.",
    },
    // Know your rights
    Listing {
        name: "Rights cards to take home", category: C::KnowYourRights, organisation: NEIGHBOURS,
        phone: "612-555-0137", other_phone: None,
        at: At::Place(("Example Corner Store", "10 Placeholder Sq", 44.9775, -93.2725, None)),
        hours: &[(1, 7, "07:00", "22:00")], languages: &["en", "es", "so", "hmn", "vi", "am", "om", "kar"],
        website: None, eligibility: None, cost: "Free",
        description: "Pick up rights cards in many languages to keep by the door, in your wallet and in the \
                      car. Ask at the counter.",
    },
    Listing {
        name: "Family preparedness workshop", category: C::KnowYourRights, organisation: "Example Legal Aid Society",
        phone: "612-555-0138", other_phone: None, at: At::Place(LIBRARY), hours: &[(4, 4, "18:00", "20:00")],
        languages: &["en", "es", "hmn"], website: Some("https://example.org/preparedness"), eligibility: None,
        cost: "Free",
        description: "Make a plan for your children, papers and money in case of detention: who picks up \
                      the kids, who can sign for you, where the documents are kept.",
    },
    Listing {
        name: "Rights talks for your group", category: C::KnowYourRights, organisation: "Example Workers Center",
        phone: "612-555-0139", other_phone: None, at: At::Area("Anywhere in Example City (we come to you)"),
        hours: BY_APPOINTMENT, languages: &["en", "es", "so", "om", "kar"], website: None,
        eligibility: Some("Groups of 5 or more: workplaces, congregations, apartment buildings."), cost: "Free",
        description: "We come to your group with a short talk on rights at work and at the door, and leave \
                      cards behind. Book two weeks ahead.",
    },
    ]
};

fn resource(n: u128, today: NaiveDate, row: &Listing) -> Resource {
    let mut phones = vec![Phone {
        number: row.phone.into(),
        label: None,
    }];
    phones.extend(row.other_phone.map(|(label, number)| Phone {
        number: number.into(),
        label: Some(label.into()),
    }));
    let (place, service_area) = match row.at {
        At::Place(spot) => (Some(place(spot)), None),
        At::Area(area) => (None, Some(area.to_owned())),
    };
    Resource {
        translations: Default::default(),
        id: id(100 + n),
        version: 1,
        name: row.name.into(),
        category: row.category,
        description: format!("{} {RESOURCE_MARKER}", row.description),
        organisation: row.organisation.into(),
        phones,
        website: row.website.map(Into::into),
        place,
        service_area,
        opening_hours: hours(row.hours),
        languages: langs(row.languages),
        eligibility: row.eligibility.map(Into::into),
        cost: Some(row.cost.into()),
        last_verified: today,
    }
}

fn resources(today: NaiveDate) -> Vec<Resource> {
    (1..)
        .zip(LISTINGS)
        .map(|(n, row)| {
            let mut resource = resource(n, today, row);
            translate(&mut resource.translations, n, RESOURCE_TRANSLATIONS);
            resource
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Cards
// ---------------------------------------------------------------------------------------------

fn cards(today: NaiveDate) -> Vec<Card> {
    let card = |n: u128, language: &str, title: &str, body: &str| Card {
        translations: Default::default(),
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
        card(
            3,
            "so",
            "Haddii sarkaal uu yimaado albaabkaaga",
            "Albaabka xiran ku hay. Qasab ma aha inaad furto haddii aanay ku tusin waaran uu saxiixay garsoore.\n\
             Ka codso inay waaranka soo mariyaan albaabka hoostiisa ama ay daaqad kaaga tusaan.\n\
             Waxaad xaq u leedahay inaad aamusnaato. Dheh: \"Waxaan isticmaalayaa xaqayga ah inaan aamusnaado.\"\n\
             Waxba ha saxiixin adigoon la hadlin qareen.\n\
             Wac khadka gurmadka degdegga ah: 612-555-0100 (lambar tusaale ah).\n\
             DRAFT translation: needs review by a native speaker before use. / Turjumaad qabyo ah: waxay u baahan tahay in qof af-Soomaaligu af-hooyo u yahay dib u eego ka hor isticmaalka.",
        ),
        card(
            4,
            "hmn",
            "Yog tias tub ceev xwm tuaj txog ntawm koj qhov rooj",
            "Kaw qhov rooj cia. Koj tsis tas yuav qhib, tsuas yog thaum lawv qhia ib daim ntawv tso cai uas ib tug kws txiav txim tau kos npe.\n\
             Hais kom lawv muab daim ntawv tso cai ntxig hauv qab qhov rooj los yog tuav qhia ntawm qhov rais.\n\
             Koj muaj cai nyob twj ywm. Hais tias: \"Kuv siv kuv txoj cai nyob twj ywm.\"\n\
             Tsis txhob kos npe rau dab tsi yog koj tsis tau tham nrog ib tug kws lij choj.\n\
             Hu rau tus xov tooj pab sai: 612-555-0100 (tus lej piv txwv).\n\
             DRAFT translation: needs review by a native speaker before use. / Tsab txhais no tseem yog qauv xwb: yuav tsum muaj ib tug neeg uas hais lus Hmoob zoo kuaj xyuas ua ntej siv.",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Synthetic resources for benchmarks
// ---------------------------------------------------------------------------------------------

/// Namespace of synthetic ids: `5e7d` first, then 32 bits of the seed, then the index.
const SYNTHETIC_NAMESPACE: u128 = 0x5e7d_0000_0000_4000_8000_0000_0000_0000;

/// The marker every synthetic description ends with.
const SYNTHETIC_MARKER: &str = "(Synthetic listing for benchmarks: fictional.)";

/// Made-up first words of names, some with accents so that accent-insensitive search has work.
const NAME_WORDS: &[&str] = &[
    "Alderwick",
    "Bellamora",
    "Corvane",
    "Dunmere",
    "Elsgrove",
    "Fenwold",
    "Galvera",
    "Hollisk",
    "Istrana",
    "Kelderow",
    "Lumbrio",
    "Marrowby",
    "Norvella",
    "Oakhollow",
    "Pellinor",
    "Quillby",
    "Raíces",
    "Esperanza",
    "Mañana",
    "Corazón",
    "Jardín",
    "Puente",
    "Nabadda",
    "Midnimo",
    "Hiddigta",
    "Tsheej",
    "Nyiaj",
    "Bình Minh",
    "Sáng Tạo",
];

const GROUP_WORDS: &[&str] = &[
    "Commons",
    "Circle",
    "Collective",
    "Neighbours",
    "Bridge",
    "Roots",
    "Lantern",
    "Harbour",
    "Cooperative",
    "Alliance",
    "Solidaridad",
    "Comunidad",
];

fn category_nouns(category: ResourceCategory) -> &'static [&'static str] {
    match category {
        ResourceCategory::LegalAid => &["Legal Clinic", "Law Project", "Asesoría Legal"],
        ResourceCategory::Hotline => &["Helpline", "Rapid Line", "Línea de Ayuda"],
        ResourceCategory::Food => &["Pantry", "Food Shelf", "Comedor", "Community Kitchen"],
        ResourceCategory::Rides => &["Ride Share", "Drivers", "Accompaniment"],
        ResourceCategory::Housing => &["Safe Homes", "Housing Desk", "Albergue"],
        ResourceCategory::Medical => &["Health Clinic", "Clínica", "Wellness Van"],
        ResourceCategory::Childcare => &["Childcare Co-op", "Guardería", "Play Circle"],
        ResourceCategory::Schools => &["School Liaison", "Homework Club", "Educación"],
        ResourceCategory::TenantUnion => &["Tenants Union", "Renters Council", "Inquilinos"],
        ResourceCategory::BailFund => &["Bond Fund", "Freedom Fund", "Fianzas"],
        ResourceCategory::KnowYourRights => &["Rights Workshop", "Derechos", "Rights Desk"],
    }
}

const LANGUAGES: &[&str] = &[
    "en", "es", "so", "hmn", "om", "am", "vi", "ar", "kar", "fr", "ti", "lo",
];

const STREETS: &[&str] = &["Example Ave", "Sample Rd", "Demo St", "Placeholder Sq"];

const PLACE_KINDS: &[&str] = &["office", "hall", "center", "storefront", "community room"];

const AREAS: &[&str] = &[
    "North side",
    "South side",
    "East bank",
    "West end",
    "Riverside",
    "Whole city",
];

const ACCESSIBILITY: &[&str] = &[
    "Step-free entrance.",
    "Ramp at the side door.",
    "Elevator to every floor.",
    "Entrada sin escalones.",
    "Two steps at the door; staff can help.",
];

/// Sentences for descriptions, each under 100 characters, with the language they are in.
#[rustfmt::skip]
const SENTENCES: &[(&str, &str)] = &[
    ("en", "Free and confidential help for the whole family."),
    ("en", "We never ask about immigration status."),
    ("en", "Call ahead if you need an interpreter; we will have one ready."),
    ("en", "Volunteers answer questions about forms, deadlines and appointments."),
    ("en", "Children are welcome, and there is a quiet corner for them."),
    ("en", "Bring any letters or papers you received; we make copies for you."),
    ("en", "Our volunteers live in the neighbourhood and know the bus routes."),
    ("en", "Nobody is turned away for lack of money."),
    ("en", "Messages left after hours are answered the next morning."),
    ("es", "Atención gratuita y confidencial para toda la familia."),
    ("es", "No pedimos documentos ni número de seguro social."),
    ("es", "Asesoría sobre trámites, citas y audiencias en español."),
    ("es", "Los niños y las niñas son bienvenidos; hay café y pan dulce."),
    ("es", "Información sobre vivienda, alimentación y salud mental."),
    ("so", "Adeeg bilaash ah oo qoysaska loogu talagalay."),
    ("so", "Waxaan ku hadalnaa af Soomaali iyo af Ingiriis."),
    ("vi", "Hỗ trợ miễn phí cho gia đình và trẻ em."),
    ("vi", "Chúng tôi nói tiếng Việt."),
    ("hmn", "Peb hais lus Hmoob thiab lus Askiv."),
    ("om", "Tajaajila bilisaa maatiif."),
    ("am", "ነጻ አገልግሎት ለቤተሰብ።"),
    ("ar", "خدمة مجانية للعائلات."),
    ("fr", "Accueil gratuit, sans rendez-vous, pour toute la famille."),
];

const ELIGIBILITY: &[&str] = &[
    "Everyone; no papers asked.",
    "Families with children.",
    "Renters in Example City.",
    "Adults 18 and over.",
    "Personas de cualquier estatus migratorio.",
    "Residents of the north and east sides.",
];

const COSTS: &[&str] = &[
    "Free",
    "Free; donations welcome",
    "Sliding scale from $0",
    "Gratis",
];

/// xorshift64*: a tiny deterministic generator, plenty for varying benchmark data.
struct Xorshift(u64);

impl Xorshift {
    fn new(seed: u64) -> Self {
        // Spread the seed's bits and keep the state nonzero, which xorshift needs.
        let state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5e7d_5e7d_5e7d_5e7d;
        Self(if state == 0 { 1 } else { state })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        if n == 0 {
            0
        } else {
            // The high bits are the best mixed; the slight modulo bias does not matter here.
            ((self.next() >> 16) % n) as usize
        }
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// `count` valid, varied, fictional resources for benchmarks, the same for the same `seed`.
///
/// Ids are `5e7d....` UUIDs made from the seed and the index, so they are unique within one call
/// and stable across runs; the first `n` resources do not depend on `count`.
pub fn synthetic_resources(count: usize, seed: u64) -> Vec<Resource> {
    let mut rng = Xorshift::new(seed);
    let verified = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default();
    let seed_bits = u128::from((seed ^ (seed >> 32)) & 0xffff_ffff) << 80;
    (0..count)
        .map(|index| {
            let id = Uuid::from_u128(
                SYNTHETIC_NAMESPACE | seed_bits | (index as u128 & 0xffff_ffff_ffff),
            );
            synthetic_resource(&mut rng, id, verified)
        })
        .collect()
}

fn synthetic_resource(rng: &mut Xorshift, id: Uuid, verified: NaiveDate) -> Resource {
    let category = rng.pick(&ResourceCategory::ALL);
    let word = rng.pick(NAME_WORDS);
    let name = format!(
        "{word} {} {}",
        rng.pick(GROUP_WORDS),
        rng.pick(category_nouns(category))
    );
    let organisation = format!("Example {word} {}", rng.pick(GROUP_WORDS));

    let phone = |rng: &mut Xorshift| format!("612-555-01{:02}", rng.below(100));
    let mut phones = vec![Phone {
        number: phone(rng),
        label: None,
    }];
    if rng.chance(30) {
        phones.push(Phone {
            number: phone(rng),
            label: Some(
                rng.pick(&["Text line", "After hours", "Línea en español"])
                    .into(),
            ),
        });
    }

    let (place, service_area) = if rng.chance(10) {
        let area = format!("{} (exact place shared by phone)", rng.pick(AREAS));
        (None, Some(area))
    } else {
        // Whole micro-degrees, so that the region's edges are never crossed by rounding.
        let lat = (44_890_000 + rng.below(160_000)) as f64 / 1e6;
        let lon = (rng.below(140_000) as f64 - 93_330_000.0) / 1e6;
        let place = Place {
            name: format!("{organisation} {}", rng.pick(PLACE_KINDS)),
            address: format!("{} {}", 1 + rng.below(2_999), rng.pick(STREETS)),
            lat,
            lon,
            accessibility: rng.chance(50).then(|| rng.pick(ACCESSIBILITY).into()),
        };
        (Some(place), None)
    };

    let opening_hours = match rng.below(6) {
        0 => hours(ALWAYS),
        1 => hours(OFFICE),
        2 => hours(&[(1, 5, "17:00", "21:00")]),
        3 => hours(&[(6, 7, "10:00", "16:00")]),
        4 => hours(&[(1, 5, "09:00", "12:00"), (1, 5, "13:00", "17:00")]),
        _ => hours(BY_APPOINTMENT),
    };

    let mut languages: Vec<String> = vec![rng.pick(&["en", "es"]).into()];
    for _ in 0..rng.below(4) {
        let code = rng.pick(LANGUAGES);
        if !languages.iter().any(|l| l == code) {
            languages.push(code.into());
        }
    }

    // Sentences in English and the listing's other languages, none twice: 70 to 250 characters,
    // then the marker, so 100 to 400 characters in all.
    let mut sentences: Vec<&str> = SENTENCES
        .iter()
        .filter(|(code, _)| *code == "en" || languages.iter().any(|l| l == code))
        .map(|&(_, sentence)| sentence)
        .collect();
    let target = 70 + rng.below(180);
    let mut parts = Vec::new();
    let mut chars = 0;
    while chars < target && !sentences.is_empty() {
        let sentence = sentences.swap_remove(rng.below(sentences.len()));
        chars += sentence.chars().count() + 1;
        parts.push(sentence);
    }
    parts.push(SYNTHETIC_MARKER);
    let description = parts.join(" ");

    let website = rng.chance(40).then(|| {
        let slug: String = word
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        format!("https://example.org/{slug}/{}", id.simple())
    });

    Resource {
        translations: Default::default(),
        id,
        version: 1,
        name,
        category,
        description,
        organisation,
        phones,
        website,
        place,
        service_area,
        opening_hours,
        languages,
        eligibility: rng.chance(40).then(|| rng.pick(ELIGIBILITY).into()),
        cost: rng.chance(85).then(|| rng.pick(COSTS).into()),
        last_verified: verified
            .checked_sub_days(Days::new(rng.below(300) as u64))
            .unwrap_or(verified),
    }
}

#[cfg(test)]
mod tests;
