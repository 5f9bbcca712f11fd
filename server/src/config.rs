//! The deployment's settings, and what of them a phone gets from `GET /api/v1/config`.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use vecinos_core::geo::{BBox, LatLon};
use vecinos_core::places::Neighbourhood;
use vecinos_core::push::PushConfig;
use vecinos_core::sync::Hotline;
use vecinos_core::{ClientConfig, PowParams, Region, Tiles};

use crate::push::Vapid;
use crate::store::Retention;

#[derive(Debug, Clone)]
pub struct Config {
    pub region: Region,
    pub tiles: Tiles,
    pub alert_ttl: Duration,
    pub retention: Retention,
    /// Leading zero bits a report's proof-of-work stamp must have.
    pub pow_difficulty: u8,
    pub languages: Vec<String>,
    /// The server is reached over HTTPS (through a TLS-terminating proxy; `--https`): the session
    /// cookie is marked Secure and every answer carries Strict-Transport-Security. (Named for its
    /// first use.)
    pub secure_cookies: bool,
    /// Report submissions accepted per second across all clients (in-memory token bucket).
    pub report_rate: u32,
    pub session_ttl: Duration,
    /// Most reports waiting for organisers; past it intake answers 429 and phones keep theirs.
    pub max_unreviewed: u64,
    /// How long a server trusts the newest sequence number it saw when answering caught-up polls
    /// (see `store::FeedHead`); zero asks the database every time.
    pub feed_head_ttl: std::time::Duration,
    /// Web Push's VAPID identity; None sends no pushes (and the config offers none).
    pub vapid: Option<Vapid>,
    /// Accept `http://` push endpoints on loopback hosts: for tests with a local push service.
    pub allow_loopback_push: bool,
    /// Push subscription writes accepted per second across all clients (in-memory token bucket).
    pub push_rate: u32,
    /// Most push subscriptions stored; past it, new ones get 503.
    pub max_push_subscriptions: u64,
    /// How long a push job taken by one server's worker is left alone by the others; a job whose
    /// server died is taken over after it.
    pub push_lease: std::time::Duration,
    /// Live-update streams open at once (`live`); more apps fall back to their timers.
    pub live_streams: usize,
    /// Longest wait for an answer to start: past it, 503 `timeout`. A live stream's answer starts
    /// at once, so the stream itself is not cut.
    pub request_timeout: std::time::Duration,
    /// Longest pause while a request body arrives: past it, the body is abandoned.
    pub body_timeout: std::time::Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            region: Region {
                name: "Example City (demo)".into(),
                centre: LatLon {
                    lat: 44.9630,
                    lon: -93.2650,
                },
                bounds: BBox {
                    min_lat: 44.89,
                    min_lon: -93.33,
                    max_lat: 45.05,
                    max_lon: -93.19,
                },
                neighbourhoods: demo_neighbourhoods(),
                // Fictional, like all demo data: a deployment sets its own in the region file.
                hotline: Some(Hotline {
                    label: "Example rapid-response hotline".into(),
                    number: "555-0100".into(),
                }),
            },
            tiles: Tiles {
                url_template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
                attribution: "© OpenStreetMap contributors".into(),
            },
            alert_ttl: Duration::hours(4),
            retention: Retention {
                reports: Duration::days(7),
                tombstones: Duration::days(30),
            },
            pow_difficulty: 16,
            languages: ["en", "es", "so", "hmn"].map(String::from).to_vec(),
            secure_cookies: false,
            report_rate: 500,
            session_ttl: Duration::hours(12),
            max_unreviewed: 10_000,
            feed_head_ttl: std::time::Duration::from_secs(1),
            vapid: None,
            allow_loopback_push: false,
            push_rate: 20,
            max_push_subscriptions: 100_000,
            push_lease: std::time::Duration::from_secs(30),
            live_streams: 10_000,
            request_timeout: std::time::Duration::from_secs(30),
            body_timeout: std::time::Duration::from_secs(10),
        }
    }
}

impl Config {
    pub fn client(&self, now: DateTime<Utc>) -> ClientConfig {
        ClientConfig {
            region: self.region.clone(),
            tiles: self.tiles.clone(),
            alert_ttl_minutes: u32::try_from(self.alert_ttl.num_minutes()).unwrap_or(u32::MAX),
            pow: PowParams {
                salt: pow_salt(now),
                difficulty: self.pow_difficulty,
            },
            languages: self.languages.clone(),
            push: self.vapid.as_ref().map(|vapid| PushConfig {
                public_key: vapid.public_key(),
            }),
        }
    }

    /// Salts a stamp may carry at `now`: today's, yesterday's (a report written offline late
    /// yesterday stays valid for 24 to 48 hours) and tomorrow's (phone clocks run ahead).
    pub fn accepted_salts(&self, now: DateTime<Utc>) -> [String; 3] {
        let day = Days::new(1);
        [
            now.checked_sub_days(day).unwrap_or(now),
            now,
            now.checked_add_days(day).unwrap_or(now),
        ]
        .map(pow_salt)
    }
}

/// The demo region's neighbourhoods: made-up names (each says "(example)") over parts of
/// Example City, so the app has something to put areas into words with. Some of the region is
/// left out on purpose: an area there is told by its direction from the centre. A deployment
/// names its own with `--region-file`.
pub fn demo_neighbourhoods() -> Vec<Neighbourhood> {
    [
        ("Northgate (example)", &["cbj8h", "cbj8j"][..]),
        ("Old Market (example)", &["9zvxv"]),
        // Inside Old Market: named instead of it there.
        (
            "Civic Center (example)",
            &["9zvxv3", "9zvxv9", "9zvxvc", "9zvxvd"],
        ),
        ("Riverside (example)", &["9zvxy"]),
        ("Lakeview (example)", &["9zvxt"]),
        ("Eastbank (example)", &["9zvxw"]),
        ("Westfield (example)", &["9zvxs"]),
        ("Southport (example)", &["9zvxm"]),
    ]
    .into_iter()
    .map(|(name, cells)| Neighbourhood {
        name: name.into(),
        cells: cells.iter().map(|c| (*c).to_owned()).collect(),
    })
    .collect()
}

/// Reads a deployment's region from a JSON file (`--region-file`): a name, a centre, bounds and
/// its neighbourhoods, in `GET /api/v1/config`'s shape. Every cell must be a geohash; the centre
/// must lie in the bounds.
pub fn read_region(path: &std::path::Path) -> anyhow::Result<Region> {
    use anyhow::Context as _;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the region file {}", path.display()))?;
    let region: Region = serde_json::from_str(&text)
        .with_context(|| format!("the region file {} is not a region", path.display()))?;
    check_region(&region).with_context(|| format!("in the region file {}", path.display()))?;
    Ok(region)
}

fn check_region(region: &Region) -> anyhow::Result<()> {
    use vecinos_core::geo;
    let b = region.bounds;
    region.centre.check().map_err(anyhow::Error::msg)?;
    if !(b.min_lat < b.max_lat && b.min_lon < b.max_lon) {
        anyhow::bail!("the bounds are empty: min_lat must be below max_lat, min_lon below max_lon");
    }
    if !b.contains(region.centre) {
        anyhow::bail!("the centre is outside the bounds");
    }
    for n in &region.neighbourhoods {
        if n.name.trim().is_empty() {
            anyhow::bail!("a neighbourhood has no name");
        }
        if n.cells.is_empty() {
            anyhow::bail!("the neighbourhood {:?} has no cells", n.name);
        }
        for cell in &n.cells {
            if !geo::is_coarse_area(cell) {
                anyhow::bail!(
                    "the neighbourhood {:?} has the cell {cell:?}, which is not a geohash of 1 to 7 characters",
                    n.name
                );
            }
        }
    }
    Ok(())
}

/// The proof-of-work salt of a UTC day. It is public and predictable on purpose: its job is to
/// bound how long a stamp stays valid, not to be secret. Precomputing stamps for a future day
/// costs the same work per report, and several servers agree on it without sharing state.
pub fn pow_salt(at: DateTime<Utc>) -> String {
    format!("vecinos-{}", salt_date(at.date_naive()))
}

fn salt_date(day: NaiveDate) -> impl std::fmt::Display {
    day.format("%Y-%m-%d")
}

/// The UTC day a salt made by [`pow_salt`] stands for; `None` for any other text.
pub fn salt_day(salt: &str) -> Option<NaiveDate> {
    let date = salt.strip_prefix("vecinos-")?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        // Exactly as `pow_salt` writes it (no unpadded or signed numbers).
        .filter(|day| salt_date(*day).to_string() == date)
}

#[cfg(test)]
mod tests {
    use vecinos_core::places::{Whereabouts, whereabouts};

    use super::*;

    fn region_file(json: &str) -> anyhow::Result<Region> {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("region.json");
        std::fs::write(&path, json).expect("written");
        read_region(&path)
    }

    #[test]
    fn a_salt_says_its_day() {
        let at: DateTime<Utc> = "2026-03-09T23:59:59Z".parse().expect("a time");
        assert_eq!(pow_salt(at), "vecinos-2026-03-09");
        assert_eq!(salt_day(&pow_salt(at)), Some(at.date_naive()));
        for salt in [
            "vecinos-2026-3-09",
            "vecinos-2026-02-30",
            "vecinos-2026-03-09x",
            "2026-03-09",
            "other-2026-03-09",
            "vecinos-+2026-03-09",
            "",
        ] {
            assert_eq!(salt_day(salt), None, "{salt}");
        }
    }

    #[test]
    fn a_region_file_is_read_and_bad_ones_are_refused_with_the_reason() {
        let good = r#"{"name": "Sample Town", "centre": {"lat": 10.5, "lon": 20.5},
            "bounds": {"min_lat": 10, "min_lon": 20, "max_lat": 11, "max_lon": 21},
            "neighbourhoods": [{"name": "Hillside", "cells": ["s3y0", "s3y1"]}]}"#;
        let region = region_file(good).expect("a good file");
        assert_eq!(region.name, "Sample Town");
        assert_eq!(region.neighbourhoods[0].cells, ["s3y0", "s3y1"]);
        // Neighbourhoods may be left out.
        let bare = r#"{"name": "Sample Town", "centre": {"lat": 10.5, "lon": 20.5},
            "bounds": {"min_lat": 10, "min_lon": 20, "max_lat": 11, "max_lon": 21}}"#;
        assert!(region_file(bare).expect("a file").neighbourhoods.is_empty());

        let error = |json: &str| format!("{:#}", region_file(json).expect_err("refused"));
        assert!(error("{").contains("is not a region"), "{}", error("{"));
        assert!(error(&good.replace("s3y1", "s3yA")).contains("\"s3yA\""));
        assert!(error(&good.replace("s3y1", "s3y1zzzz")).contains("1 to 7 characters"));
        assert!(error(&good.replace(r#""lat": 10.5"#, r#""lat": 12"#)).contains("outside"));
        assert!(error(&good.replace("Hillside", " ")).contains("no name"));
        assert!(error(&good.replace(r#"["s3y0", "s3y1"]"#, "[]")).contains("no cells"));
        let missing = format!(
            "{:#}",
            read_region(std::path::Path::new("/no/such/region.json")).expect_err("refused")
        );
        assert!(missing.contains("cannot read"), "{missing}");
    }

    #[test]
    fn the_demo_neighbourhoods_hold_the_demo_centre_and_leave_some_of_the_region_out() {
        let region = Config::default().region;
        check_region(&region).expect("the demo region is valid");
        let at = |lat, lon| {
            let area = vecinos_core::geo::coarsen(LatLon { lat, lon }).expect("a position");
            whereabouts(&area, &region.neighbourhoods, region.centre).expect("an area")
        };
        assert_eq!(
            at(region.centre.lat, region.centre.lon),
            Whereabouts::Near("Civic Center (example)", None)
        );
        // Where the e2e scenarios report from.
        assert_eq!(
            at(44.915, -93.31),
            Whereabouts::Near("Westfield (example)", None)
        );
        assert_eq!(
            at(44.9481, -93.276),
            Whereabouts::Near("Lakeview (example)", None)
        );
        assert_eq!(
            at(44.948312, -93.236211),
            Whereabouts::Near("Eastbank (example)", None)
        );
        // The north-east corner is nobody's.
        assert!(matches!(at(45.04, -93.20), Whereabouts::FromCentre { .. }));
    }
}
