//! Reading the model's dates and times from their text form (RFC 3339, as chrono writes them).
//!
//! chrono's own `Deserialize` goes through its general format parser, which costs the WASM
//! client about 4 KB of brotli for the two fixed shapes the model uses. These functions read
//! exactly those shapes, `2026-11-27T18:30:00Z` (optional fraction, `Z` or a `±HH:MM` offset,
//! `T`, `t` or a space between date and time) and `2026-11-27`, and every model field that
//! holds one uses them (`#[serde(deserialize_with)]`). Writing still uses chrono's `Serialize`.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::de::{self, Deserializer, Unexpected, Visitor};

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[..4])?;
    NaiveDate::from_ymd_opt(year as i32, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// Minutes since midnight of "HH:MM" (two digits each); "24:00" is the end of the day.
pub fn clock_minutes(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(24 * 60),
        (0..24, 0..60) => Some(h * 60 + m),
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, as an instant in UTC.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = parse_date(text.get(..10)?)?;
    let (hour, minute, second) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let mut rest = &b[19..];
    let mut nanos = 0;
    if let [b'.', fraction @ ..] = rest {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        // Digits past nanoseconds are dropped, as chrono does.
        let kept = n.min(9);
        nanos = digits(&fraction[..kept])? * 10u32.pow(9 - kept as u32);
        rest = &fraction[n..];
    }
    let offset_minutes = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = i64::from(hours * 60 + minutes);
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    let utc = local.checked_sub_signed(TimeDelta::minutes(offset_minutes))?;
    // An offset can carry a time past 9999-12-31 or before 0000-01-01 in UTC, which chrono then
    // writes with a sign and five digits, in a shape this reader (and every phone) refuses: a
    // record holding it would make the feed unreadable. Such times are refused here.
    (0..=9999).contains(&utc.year()).then(|| utc.and_utc())
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// A visitor reading one of the shapes above from a string.
struct Text<T> {
    parse: fn(&str) -> Option<T>,
    expected: &'static str,
}

impl<T> Visitor<'_> for Text<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expected)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.parse)(text).ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

pub fn utc<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(Text {
        parse: parse_utc,
        expected: "an RFC 3339 date and time",
    })
}

pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(Text {
        parse: parse_date,
        expected: "a date (YYYY-MM-DD)",
    })
}

/// For `Option<DateTime<Utc>>` fields; they also need `#[serde(default)]`.
pub fn utc_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    struct Utc3339(DateTime<Utc>);
    impl<'de> serde::Deserialize<'de> for Utc3339 {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            utc(d).map(Utc3339)
        }
    }
    Ok(<Option<Utc3339> as serde::Deserialize>::deserialize(d)?.map(|u| u.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, SecondsFormat, TimeZone};
    use proptest::prelude::*;

    #[test]
    fn times_an_offset_carries_out_of_years_0_to_9999_are_refused() {
        // They would be written as "+10000-01-01T23:58:59Z", which nothing reads back: one such
        // event made the feed answer 500 for everyone.
        assert_eq!(parse_utc("9999-12-31T23:59:59-23:59"), None);
        assert_eq!(parse_utc("0000-01-01T00:00:00+00:01"), None);
        assert!(parse_utc("9999-12-31T23:59:59Z").is_some());
        assert!(parse_utc("0000-01-01T00:00:00Z").is_some());
    }

    #[test]
    fn reads_the_shapes_chrono_writes() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 27, 18, 30, 5)
            .single()
            .expect("valid");
        assert_eq!(parse_utc("2026-11-27T18:30:05Z"), Some(at));
        assert_eq!(parse_utc("2026-11-27t18:30:05z"), Some(at));
        assert_eq!(parse_utc("2026-11-27 18:30:05+00:00"), Some(at));
        assert_eq!(parse_utc("2026-11-27T12:30:05-06:00"), Some(at));
        assert_eq!(parse_utc("2026-11-28T00:00:05+05:30"), Some(at));
        assert_eq!(
            parse_utc("2026-11-27T18:30:05.25Z"),
            Some(at + TimeDelta::milliseconds(250))
        );
        assert_eq!(
            parse_utc("2026-11-27T18:30:05.1234567891Z"),
            Some(at + TimeDelta::nanoseconds(123_456_789))
        );
        assert_eq!(
            parse_date("2026-02-28"),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
    }

    #[test]
    fn refuses_anything_else() {
        for text in [
            "",
            "2026-11-27",
            "2026-11-27T18:30:05",
            "2026-11-27T18:30Z",
            "2026-11-27T18:30:05.Z",
            "2026-11-27T18:30:05+0100",
            "2026-11-27T18:30:05+24:00",
            "2026-11-27T24:00:00Z",
            "2026-11-27T18:60:00Z",
            "2026-02-30T18:30:05Z",
            "2026-11-27X18:30:05Z",
            "2026-11-27T18:30:05Z ",
            "+2026-11-27T18:30:05Z",
            "2026-1a-27T18:30:05Z",
            "２026-11-27T18:30:05Z",
        ] {
            assert_eq!(parse_utc(text), None, "{text:?}");
        }
        for text in [
            "",
            "2026-11-7",
            "2026/11/27",
            "2026-13-01",
            "2025-02-29",
            "20261127xx",
        ] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_bad_value_in_json_says_what_was_expected() {
        #[derive(Debug, serde::Deserialize)]
        struct At {
            #[serde(deserialize_with = "utc")]
            _at: DateTime<Utc>,
        }
        let error = serde_json::from_str::<At>(r#"{"_at":"yesterday"}"#)
            .expect_err("not a time")
            .to_string();
        assert!(error.contains("an RFC 3339 date and time"), "{error}");
    }

    proptest! {
        #[test]
        fn reads_back_what_chrono_writes(
            seconds in 0i64..4_102_444_800,
            nanos in 0u32..1_000_000_000,
            offset_minutes in -(23 * 60 + 59)..=(23 * 60 + 59),
            format in 0usize..4,
        ) {
            let at = DateTime::from_timestamp(seconds, nanos).expect("in range");
            let format = [SecondsFormat::Secs, SecondsFormat::Millis, SecondsFormat::Nanos, SecondsFormat::AutoSi][format];
            let zoned = at.with_timezone(&FixedOffset::east_opt(offset_minutes * 60).expect("valid offset"));
            let text = zoned.to_rfc3339_opts(format, true);
            let truncated = DateTime::<Utc>::from(chrono::DateTime::parse_from_rfc3339(&text).expect("chrono reads it"));
            prop_assert_eq!(parse_utc(&text), Some(truncated));
            prop_assert_eq!(parse_utc(serde_json::to_string(&at).expect("writes").trim_matches('"')), Some(at));
            prop_assert_eq!(parse_date(&at.date_naive().to_string()), Some(at.date_naive()));
        }
    }
}
