//! Which anonymous reports get in when more arrive than the server takes.
//!
//! Posts are checked in the order of what they cost: size and JSON, then the proof of work (one
//! hash), and only then the global rate, so posts without valid work never use it up (see
//! `api::reports`). Valid work is charged by how much of it there is: a stamp at the deployment's
//! difficulty costs one token of the report rate, and each extra bit halves that (down to
//! 1/2^MAX_EXTRA_BITS). When the rate runs out, the difficulty the config announces goes up by
//! `RAISE` bits for `HOLD`: a phone told 429 fetches the config and stamps again at the higher
//! difficulty (`src/outbox.rs`), and its report then costs an eighth, so it gets in between the
//! flood's posts. A flood that wants to keep up must do eight times the work for each post. Nobody
//! is refused for doing only the base work when there is room; the difficulty falls back once the
//! load is gone.
//!
//! All in memory, per server, keyed by nothing about the sender.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::throttle::TokenBucket;

/// Bits added to the announced difficulty under load: eight times the work.
pub const RAISE: u8 = 3;
/// How long the raised difficulty is announced after the rate last ran out.
pub const HOLD: Duration = Duration::from_secs(60);
/// Extra bits beyond which a stamp costs no less.
const MAX_EXTRA_BITS: u8 = 4;

pub struct Admission {
    base: u8,
    bucket: TokenBucket,
    /// When the rate last ran out.
    ran_out: Mutex<Option<Instant>>,
}

impl Admission {
    /// `rate` reports a second at the `base` difficulty, with twice that saved up for bursts.
    pub fn new(base: u8, rate: u32) -> Self {
        Self {
            base,
            bucket: TokenBucket::new(rate, rate.saturating_mul(2)),
            ran_out: Mutex::new(None),
        }
    }

    /// The difficulty phones are asked for now.
    pub fn difficulty(&self) -> u8 {
        let ran_out = *self
            .ran_out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match ran_out {
            Some(at) if at.elapsed() < HOLD => self.base.saturating_add(RAISE),
            _ => self.base,
        }
    }

    /// Charges a report whose stamp has `difficulty` bits of checked work (at least the base), or
    /// says how long until there is room for it.
    pub fn admit(&self, difficulty: u8) -> Result<(), Duration> {
        let extra = difficulty.saturating_sub(self.base).min(MAX_EXTRA_BITS);
        let cost = 0.5f64.powi(i32::from(extra));
        self.bucket.take_part(cost).inspect_err(|_| {
            *self
                .ran_out
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // These use the real clock at a rate of one a second, so a pause of the test of up to about
    // half a second changes nothing they assert.
    #[test]
    fn running_out_raises_the_difficulty_and_harder_work_still_gets_in() {
        let admission = Admission::new(16, 1);
        assert_eq!(admission.difficulty(), 16);
        // The burst (2) goes to base work; the next base post is refused.
        assert!((0..2).all(|_| admission.admit(16).is_ok()));
        assert!(admission.admit(16).is_err());
        assert_eq!(admission.difficulty(), 16 + RAISE);
        // A report at the raised difficulty costs an eighth: it gets in once that much has
        // refilled (125 ms), while base work, which needs a whole token, is still refused.
        std::thread::sleep(Duration::from_millis(200));
        assert!(admission.admit(16 + RAISE).is_ok());
        assert!(admission.admit(16).is_err());
    }

    #[test]
    fn work_beyond_the_cap_costs_no_less() {
        let admission = Admission::new(8, 1);
        // A burst of 2 tokens: 32 posts at 1/16 each (a few more if the test is slow), not 2^20.
        let admitted = (0..100).filter(|_| admission.admit(28).is_ok()).count();
        assert!((32..40).contains(&admitted), "{admitted}");
    }
}
