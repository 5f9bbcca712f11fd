//! Web Push on the wire: what a phone sends to subscribe (`POST /api/v1/push/subscriptions`) and
//! to unsubscribe, the server's public VAPID key in the config, and the generic payload a push
//! carries. A subscription names coarse cells only (geohashes of at most [`MAX_CELL_LEN`]
//! characters, about 5 km), made on the phone; a payload carries ids and kinds, never text.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geo;
use crate::model::ReportKind;

/// Most cells one subscription may watch.
pub const MAX_CELLS: usize = 12;
/// Longest cell: a geohash of 5 characters, about 5 km × 5 km.
pub const MAX_CELL_LEN: usize = 5;
/// Longest endpoint URL accepted.
pub const MAX_ENDPOINT_LEN: usize = 1000;

/// Who a subscription is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Neighbours: verified alerts in their cells.
    Alerts,
    /// Signed-in organisers: new reports in their watch cells.
    Reports,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Self::Alerts, Self::Reports];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alerts => "alerts",
            Self::Reports => "reports",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The keys of a browser's `PushSubscription`, base64url as `toJSON()` gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionKeys {
    /// The phone's P-256 public key (65 bytes, uncompressed).
    pub p256dh: String,
    /// The shared authentication secret (16 bytes).
    pub auth: String,
}

/// `POST /api/v1/push/subscriptions`: subscribe, or renew for another 30 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub endpoint: String,
    pub keys: SubscriptionKeys,
    pub cells: Vec<String>,
    pub audience: Audience,
}

/// `DELETE /api/v1/push/subscriptions`: without an audience, every subscription of the endpoint
/// goes (quick exit); with one, only that one (an organiser turning report notifications off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsubscription {
    pub endpoint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
}

/// The `push` part of `GET /api/v1/config`, present when the server sends pushes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushConfig {
    /// The VAPID public key (base64url of the 65-byte uncompressed point): the
    /// `applicationServerKey` of `PushManager.subscribe`.
    pub public_key: String,
}

/// What a push carries once decrypted: ids and kinds, never text. The service worker fetches
/// the feed and words the notification in the phone's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Payload {
    /// `{"alert":"<uuid>","kind":"checkpoint"}`: a verified alert in the subscription's cells.
    Alert { alert: Uuid, kind: ReportKind },
    /// `{"reports":1}`: new reports in an organiser's watch cells.
    Reports { reports: u32 },
}

/// Whether `cell` may be watched: a valid geohash of 1 to [`MAX_CELL_LEN`] characters.
pub fn is_cell(cell: &str) -> bool {
    (1..=MAX_CELL_LEN).contains(&cell.len()) && geo::decode(cell).is_ok()
}

/// Whether a watched cell and an area overlap: one geohash is a prefix of the other (an alert's
/// 7-character area inside the cell, or a wide area around it).
pub fn covers(cell: &str, area: &str) -> bool {
    area.starts_with(cell) || cell.starts_with(area)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_coarse_geohashes() {
        assert!(is_cell("9zvxv") && is_cell("9"));
        assert!(!is_cell("9zvxvf"), "six characters are too fine");
        assert!(!is_cell("") && !is_cell("9zvav"));
    }

    #[test]
    fn a_cell_covers_the_areas_inside_it_and_around_it() {
        assert!(covers("9zvxv", "9zvxvf2"));
        assert!(covers("9zvxv", "9zv"));
        assert!(!covers("9zvxv", "9zvxwf2"));
    }

    #[test]
    fn wire_names() {
        let sub: Subscription = serde_json::from_str(
            r#"{"endpoint":"https://push.example/x","keys":{"p256dh":"B","auth":"A"},
                "cells":["9zvxv"],"audience":"reports"}"#,
        )
        .expect("a subscription");
        assert_eq!(sub.audience, Audience::Reports);
        for audience in Audience::ALL {
            let name = serde_json::to_value(audience).expect("serialises");
            assert_eq!(name, audience.as_str());
            assert_eq!(Audience::parse(audience.as_str()), Some(audience));
        }
        let gone: Unsubscription =
            serde_json::from_str(r#"{"endpoint":"https://push.example/x"}"#).expect("reads");
        assert_eq!(gone.audience, None);
        let alert = Payload::Alert {
            alert: Uuid::from_u128(1),
            kind: ReportKind::Checkpoint,
        };
        assert_eq!(
            serde_json::to_string(&alert).expect("serialises"),
            r#"{"alert":"00000000-0000-0000-0000-000000000001","kind":"checkpoint"}"#
        );
        assert_eq!(
            serde_json::to_string(&Payload::Reports { reports: 1 }).expect("serialises"),
            r#"{"reports":1}"#
        );
    }
}
