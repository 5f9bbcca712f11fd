use chrono::TimeZone;
use uuid::Uuid;
use vecinos_core::{EventKind, Place};

use super::*;

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .single()
        .expect("valid time")
}

fn vigil() -> Event {
    Event {
        translations: Default::default(),
        id: Uuid::from_u128(0x5e7a_0000_0000_4000_8000_0000_0000_0007),
        version: 3,
        title: "Vigil for our neighbours".into(),
        description: "Bring candles; we walk together.\nAll welcome, kids too.".into(),
        kind: EventKind::Vigil,
        starts_at: at(28, 0, 30),
        ends_at: Some(at(28, 2, 0)),
        time_zone: "America/Chicago".into(),
        place: Some(Place {
            name: "Example Park".into(),
            address: "Lake St & 14th Ave, Minneapolis".into(),
            lat: 44.9483,
            lon: -93.2565,
            accessibility: Some("Paved paths; benches.".into()),
        }),
        organiser: "Example Neighbours Network".into(),
        languages: vec!["en".into(), "es".into()],
        links: vec![
            "https://example.org/vigil?a=1,2;3".into(),
            "https://example.org/other".into(),
        ],
        status: EventStatus::Scheduled,
    }
}

fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

/// The unfolded content lines.
fn lines(text: &str) -> Vec<String> {
    let unfolded = unfold(text);
    let mut lines: Vec<String> = unfolded.split("\r\n").map(str::to_owned).collect();
    assert_eq!(lines.pop().as_deref(), Some(""), "ends with CRLF");
    lines
}

fn well_formed(text: &str) {
    for physical in text.split("\r\n") {
        assert!(
            physical.len() <= MAX_OCTETS,
            "{} octets: {physical:?}",
            physical.len()
        );
        assert!(
            !physical.contains('\n') && !physical.contains('\r'),
            "{physical:?}"
        );
    }
    assert!(text.ends_with("\r\n"));
}

#[test]
fn a_calendar_with_one_event() {
    let text = calendar(&[vigil()], at(27, 12, 0));
    well_formed(&text);
    let expected = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vecinos//Vecinos//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "UID:5e7a0000-0000-4000-8000-000000000007@vecinos",
        "DTSTAMP:20261127T120000Z",
        "DTSTART:20261128T003000Z",
        "DTEND:20261128T020000Z",
        "SUMMARY:Vigil for our neighbours",
        "DESCRIPTION:Bring candles\\; we walk together.\\nAll welcome\\, kids too.\\n\\nOrganiser: Example Neighbours Network\\n\\nAccessibility: Paved paths\\; benches.",
        "LOCATION:Example Park\\, Lake St & 14th Ave\\, Minneapolis",
        "GEO:44.9483;-93.2565",
        "STATUS:CONFIRMED",
        "SEQUENCE:3",
        "URL:https://example.org/vigil?a=1,2;3",
        "CATEGORIES:Vigil",
        "END:VEVENT",
        "END:VCALENDAR",
    ];
    assert_eq!(lines(&text), expected);
}

#[test]
fn text_is_escaped() {
    assert_eq!(escape(r"a\b;c,d"), r"a\\b\;c\,d");
    assert_eq!(escape("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
    assert_eq!(escape("tab\there\u{7}bell"), "tab\therebell");
    assert_eq!(
        escape("Soomaali: Ka qayb qaado, fadlan"),
        r"Soomaali: Ka qayb qaado\, fadlan"
    );
    let mut event = vigil();
    event.title = r"C:\path; a, b".into();
    let text = calendar(&[event], at(27, 12, 0));
    assert!(lines(&text).contains(&r"SUMMARY:C:\\path\; a\, b".to_owned()));
}

#[test]
fn long_lines_fold_at_75_octets_between_characters() {
    let mut event = vigil();
    event.title = "Vigilia por nuestros vecinos — ¡todos bienvenidos! Kulan wadaag 🕯️🕯️ \
                   Ka qayb qaado: carruurta iyo waalidiinta. Niños y niñas, acérquense 🤝🏽"
        .repeat(3);
    event.description = "ñ".repeat(200) + &"🕯".repeat(50);
    let text = calendar(&[event.clone()], at(27, 12, 0));
    well_formed(&text);
    // The text is valid UTF-8 by construction (a String); a fold never splits a character,
    // so each physical line is valid UTF-8 on its own too, and as bytes.
    for physical in text.split("\r\n") {
        assert!(std::str::from_utf8(physical.as_bytes()).is_ok());
    }
    let folded_lines = text.split("\r\n").filter(|l| l.starts_with(' ')).count();
    assert!(folded_lines > 5, "long lines were folded");
    let unfolded = lines(&text);
    assert!(unfolded.contains(&format!("SUMMARY:{}", escape(&event.title))));
    assert!(unfolded.contains(&format!(
        "DESCRIPTION:{}\\n\\nOrganiser: Example Neighbours Network\\n\\nAccessibility: Paved paths\\; benches.",
        event.description
    )));
}

#[test]
fn folding_fills_lines_up_to_the_limit() {
    let mut out = String::new();
    push_folded(&mut out, &"a".repeat(75));
    assert_eq!(out, "a".repeat(75) + "\r\n");
    let mut out = String::new();
    push_folded(&mut out, &"a".repeat(76));
    assert_eq!(out, "a".repeat(75) + "\r\n a\r\n");
    // 74 ASCII octets then a 4-octet emoji: it does not fit, so it starts the next line.
    let mut out = String::new();
    let line = "a".repeat(74) + "🤝";
    push_folded(&mut out, &line);
    assert_eq!(out, "a".repeat(74) + "\r\n 🤝\r\n");
    assert_eq!(unfold(&out), line + "\r\n");
}

#[test]
fn a_cancelled_event() {
    let mut event = vigil();
    event.status = EventStatus::Cancelled;
    event.version = 4;
    let lines = lines(&calendar(&[event], at(27, 12, 0)));
    assert!(lines.contains(&"STATUS:CANCELLED".to_owned()));
    assert!(lines.contains(&"SEQUENCE:4".to_owned()));
    let mut postponed = vigil();
    postponed.status = EventStatus::Postponed;
    assert!(calendar(&[postponed], at(27, 12, 0)).contains("\r\nSTATUS:TENTATIVE\r\n"));
}

#[test]
fn an_event_without_a_place_has_no_geo_or_location() {
    let mut event = vigil();
    event.place = None;
    event.ends_at = None;
    event.links = vec![];
    event.description = String::new();
    event.organiser = String::new();
    event.kind = EventKind::CourtWatch;
    event.version = u64::MAX;
    let lines = lines(&calendar(&[event], at(27, 12, 0)));
    for absent in ["GEO", "LOCATION", "DTEND", "URL", "DESCRIPTION"] {
        assert!(
            !lines.iter().any(|l| l.starts_with(&format!("{absent}:"))),
            "{absent} in {lines:?}"
        );
    }
    assert!(lines.contains(&"CATEGORIES:Court watch".to_owned()));
    assert!(lines.contains(&"SEQUENCE:2147483647".to_owned()));
}

/// RFC 5545's grammar wants at least one component, but calendar apps read an empty feed
/// as "no events", which is what a subscriber should see when nothing is planned.
#[test]
fn an_empty_calendar_is_still_a_calendar() {
    let text = calendar(&[], at(27, 12, 0));
    assert_eq!(
        text,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Vecinos//Vecinos//EN\r\n\
         CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
    );
}

/// Found by the fuzz target `ical_any_events`: a link is written unescaped (a URI value), so a
/// line break in one ended the content line early. Validation refuses such links; the writer
/// leaves them out as well.
#[test]
fn a_link_with_a_control_character_is_left_out() {
    for link in [
        "\r",
        "https://example.org/a\r\nATTENDEE:mailto:x@example.org",
        "https://e.org/\u{0}",
    ] {
        let mut event = vigil();
        event.links = vec![link.to_owned()];
        let text = calendar(&[event], at(27, 12, 0));
        well_formed(&text);
        assert!(
            !lines(&text)
                .iter()
                .any(|l| l.starts_with("URL:") || l.starts_with("ATTENDEE"))
        );
    }
}
