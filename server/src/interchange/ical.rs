//! Events as an iCalendar (RFC 5545) feed that calendar apps subscribe to or import.
//!
//! Times are written in UTC (`...Z`), which the RFC allows and which spares shipping VTIMEZONE
//! definitions; calendar apps show them in the reader's own zone. Text is escaped and every line
//! folded at 75 octets without splitting a UTF-8 character, with CRLF line ends. The feed carries
//! only what the event listing already publishes: it must never add anything about who is
//! attending or who asked for it.

use chrono::{DateTime, Utc};
use vecinos_core::{Event, EventStatus};

/// The PRODID of every calendar Vecinos writes.
pub const PRODID: &str = "-//Vecinos//Vecinos//EN";

/// The events as one VCALENDAR with a VEVENT each. `now` becomes each event's DTSTAMP.
pub fn calendar(events: &[Event], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |content: &str| push_folded(&mut out, content);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    for event in events {
        for content in vevent(event, now) {
            line(&content);
        }
    }
    line("END:VCALENDAR");
    out
}

/// The unfolded content lines of one VEVENT.
fn vevent(event: &Event, now: DateTime<Utc>) -> Vec<String> {
    let mut lines = vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@vecinos", event.id),
        format!("DTSTAMP:{}", utc(now)),
        format!("DTSTART:{}", utc(event.starts_at)),
    ];
    // Without DTEND an event with a start time ends when it starts (RFC 5545, 3.6.1).
    if let Some(ends_at) = event.ends_at {
        lines.push(format!("DTEND:{}", utc(ends_at)));
    }
    lines.push(format!("SUMMARY:{}", escape(&event.title)));

    let mut description = event.description.trim_end().to_owned();
    let mut add_paragraph = |text: String| {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&text);
    };
    if !event.organiser.trim().is_empty() {
        add_paragraph(format!("Organiser: {}", event.organiser.trim()));
    }
    if let Some(accessibility) = event
        .place
        .as_ref()
        .and_then(|p| p.accessibility.as_deref())
        && !accessibility.trim().is_empty()
    {
        add_paragraph(format!("Accessibility: {}", accessibility.trim()));
    }
    if !description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape(&description)));
    }

    if let Some(place) = &event.place {
        let location = if place.address.trim().is_empty() {
            place.name.clone()
        } else {
            format!("{}, {}", place.name, place.address)
        };
        lines.push(format!("LOCATION:{}", escape(&location)));
        if place.lat.is_finite() && place.lon.is_finite() {
            lines.push(format!("GEO:{};{}", place.lat, place.lon));
        }
    }
    let status = match event.status {
        EventStatus::Scheduled => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Postponed => "TENTATIVE",
    };
    lines.push(format!("STATUS:{status}"));
    // SEQUENCE is an RFC 5545 INTEGER, at most 2^31 - 1.
    let sequence = event.version.min(i32::MAX as u64);
    lines.push(format!("SEQUENCE:{sequence}"));
    // A URI value, not TEXT: it is not escaped (links are validated web addresses). One with a
    // control character (a line break would end the content line) is left out.
    if let Some(link) = event
        .links
        .first()
        .filter(|link| !link.chars().any(char::is_control))
    {
        lines.push(format!("URL:{link}"));
    }
    lines.push(format!("CATEGORIES:{}", escape(event.kind.label())));
    lines.push("END:VEVENT".to_owned());
    lines
}

/// A UTC DATE-TIME in the basic format, `20261127T120000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value escaped as RFC 5545 3.3.11 requires: backslash, semicolon and comma get a
/// backslash, every line break becomes `\n`. Other control characters, which TEXT may not hold
/// (tab aside), are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // CRLF is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Longest a physical line may be, in octets, without its CRLF (RFC 5545 3.1).
const MAX_OCTETS: usize = 75;

/// Appends one content line, folded: a line longer than 75 octets continues on the next line
/// after CRLF and a space (which counts towards that line's 75). Folds fall between characters,
/// never inside a multi-octet UTF-8 sequence.
fn push_folded(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests;
