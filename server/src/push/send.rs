//! One push request (RFC 8030): the payload encrypted to the subscription's keys (RFC 8291
//! aes128gcm) and signed with the server's VAPID key (RFC 8292), both by `web-push-native`.

use std::time::Duration;

use axum::http::{HeaderValue, Uri};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use vecinos_core::push::{Audience, Payload};
use web_push_native::p256::PublicKey;
use web_push_native::{Auth, WebPushBuilder};

use super::Vapid;
use crate::store::{PushJob, Target};

/// What a push service's answer means for the subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (2xx).
    Delivered,
    /// The subscription is gone (404, 410) or belongs to another VAPID key (403): delete it.
    Gone,
    /// Refused for good (another 4xx): counted as done, never retried.
    Refused,
    /// Try again later: 408, 429, 5xx or no answer.
    Retry,
}

/// The same message for every subscription of a job.
pub struct Message {
    payload: Vec<u8>,
    ttl: u64,
    topic: String,
    urgency: &'static str,
}

impl Message {
    /// The job's message at `now`; None once it has expired.
    pub fn of(job: &PushJob, now: DateTime<Utc>) -> Option<Self> {
        let ttl = u64::try_from((job.expires_at - now).num_seconds())
            .ok()
            .filter(|&ttl| ttl > 0)?;
        let (payload, topic, urgency) = match (job.audience, job.alert, job.kind) {
            (Audience::Alerts, Some(alert), Some(kind)) => (
                Payload::Alert { alert, kind },
                alert.simple().to_string(),
                "high",
            ),
            _ => (Payload::Reports { reports: 1 }, "reports".into(), "normal"),
        };
        Some(Self {
            payload: serde_json::to_vec(&payload).ok()?,
            ttl,
            topic,
            urgency,
        })
    }
}

pub struct Sender {
    client: reqwest::Client,
    vapid: Vapid,
}

impl Sender {
    pub fn new(vapid: Vapid) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self { client, vapid }
    }

    pub async fn send(&self, target: &Target, message: &Message) -> Outcome {
        // Keys were checked when the subscription was made; a stored one that is unusable is gone.
        let Some(request) = self.request(target, message) else {
            return Outcome::Gone;
        };
        match self.client.execute(request).await {
            Ok(response) => match response.status().as_u16() {
                200..=299 => Outcome::Delivered,
                403 | 404 | 410 => Outcome::Gone,
                408 | 429 | 500..=599 => Outcome::Retry,
                _ => Outcome::Refused,
            },
            Err(_) => Outcome::Retry,
        }
    }

    fn request(&self, target: &Target, message: &Message) -> Option<reqwest::Request> {
        let endpoint: Uri = target.endpoint.parse().ok()?;
        let p256dh =
            PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(&target.p256dh).ok()?).ok()?;
        let auth = URL_SAFE_NO_PAD.decode(&target.auth).ok()?;
        let auth = (auth.len() == 16).then(|| Auth::clone_from_slice(&auth))?;
        // The VAPID token lasts 12 hours (RFC 8292 allows at most 24); the message's own TTL
        // header is set below.
        let mut request = WebPushBuilder::new(endpoint, p256dh, auth)
            .with_vapid(self.vapid.key_pair(), self.vapid.contact())
            .build(message.payload.clone())
            .ok()?;
        let headers = request.headers_mut();
        headers.insert("TTL", HeaderValue::from(message.ttl));
        headers.insert("Urgency", HeaderValue::from_static(message.urgency));
        headers.insert("Topic", HeaderValue::from_str(&message.topic).ok()?);
        reqwest::Request::try_from(request).ok()
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use web_push_native::p256::SecretKey;
    use web_push_native::{Auth, decrypt};

    fn b64(text: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(text).expect("base64url")
    }

    /// RFC 8291, section 5 and appendix A: the example message decrypts, through the crate, with
    /// the receiver's private key and authentication secret. (The crate takes no fixed salt or
    /// sender key for encrypting, so the example is checked this way round.)
    #[test]
    fn the_rfc_8291_example_decrypts_to_its_plaintext() {
        let body = b64(
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6\
             TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qul\
             cy4a-fN",
        );
        let receiver = SecretKey::from_slice(&b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"))
            .expect("key");
        let auth = Auth::clone_from_slice(&b64("BTBZMqHH6r4Tts7J_aSIgg"));
        // The header carries the RFC's salt and sender public key.
        assert_eq!(body[..16], b64("DGv6ra1nlYgDCS1FRnbzlw"));
        assert_eq!(
            body[21..86],
            b64(
                "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
            )
        );
        let plain = decrypt(body, &receiver, &auth).expect("decrypts");
        assert_eq!(plain, b"When I grow up, I want to be a watermelon");
    }
}
