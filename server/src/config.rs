//! The deployment's settings, and what of them a phone gets from `GET /api/v1/config`.

use chrono::{DateTime, Days, Duration, Utc};
use vecinos_core::geo::{BBox, LatLon};
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

/// The proof-of-work salt of a UTC day. It is public and predictable on purpose: its job is to
/// bound how long a stamp stays valid, not to be secret. Precomputing stamps for a future day
/// costs the same work per report, and several servers agree on it without sharing state.
pub fn pow_salt(at: DateTime<Utc>) -> String {
    format!("vecinos-{}", at.format("%Y-%m-%d"))
}
