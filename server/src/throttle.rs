//! Throttles that need no identity: an in-memory global token bucket for report intake, and the
//! rule for how long an untrusted sign-in waits after its name's failures (whose counts live in
//! the database, `store::AccountStore`, so that a command can clear them and several servers
//! agree). Nothing here is keyed by address.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct TokenBucket {
    rate: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
}

impl TokenBucket {
    /// `rate` tokens a second, up to `burst` saved up.
    pub fn new(rate: u32, burst: u32) -> Self {
        let burst = f64::from(burst.max(1));
        Self {
            rate: f64::from(rate.max(1)),
            burst,
            state: Mutex::new((burst, Instant::now())),
        }
    }

    /// Takes one token, or says how long until one is available.
    pub fn take(&self) -> Result<(), Duration> {
        self.take_part(1.0)
    }

    /// Takes `cost` tokens (a fraction for cheaper requests), or says how long until there are
    /// that many.
    pub fn take_part(&self, cost: f64) -> Result<(), Duration> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (tokens, last) = &mut *state;
        let now = Instant::now();
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.rate).min(self.burst);
        *last = now;
        if *tokens >= cost {
            *tokens -= cost;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((cost - *tokens) / self.rate))
        }
    }
}

/// Untrusted failures a name may have before its attempts wait.
pub const FREE_FAILURES: u32 = 3;
/// The longest an untrusted attempt waits after its name's last failure.
pub const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Failed attempts in a row after which a trusted browser is no longer trusted.
pub const DEVICE_FAILURES: u32 = 5;

/// How long after its name's last failure an untrusted sign-in must wait, with `failures` since
/// the name's last success: nothing for the first `FREE_FAILURES`, then 1 s, 2 s, 4 s... doubling
/// up to `LONGEST_WAIT`. Never a lockout: the owner, or an organiser who unlocks the name, gets a
/// turn within a quarter of an hour, and a trusted browser never waits (`api/session.rs`).
pub fn sign_in_delay(failures: u32) -> Duration {
    match failures.checked_sub(FREE_FAILURES) {
        None => Duration::ZERO,
        Some(doublings) => {
            Duration::from_secs(1u64.checked_shl(doublings).unwrap_or(u64::MAX)).min(LONGEST_WAIT)
        }
    }
}

/// How long from `now` an untrusted sign-in must still wait, after `failures` of which the last
/// was at `last`; None when it may go ahead.
pub fn sign_in_wait(
    failures: u32,
    last: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let since = (now - last).to_std().unwrap_or(Duration::ZERO);
    let wait = sign_in_delay(failures).saturating_sub(since);
    (!wait.is_zero()).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_allows_its_burst_then_asks_to_wait() {
        let bucket = TokenBucket::new(1, 3);
        assert!((0..3).all(|_| bucket.take().is_ok()));
        let wait = bucket.take().expect_err("the burst is spent");
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1));
    }

    #[test]
    fn untrusted_sign_ins_wait_longer_after_each_failure_up_to_a_quarter_hour() {
        let delays: Vec<u64> = (0..10).map(|f| sign_in_delay(f).as_secs()).collect();
        assert_eq!(delays, [0, 0, 0, 1, 2, 4, 8, 16, 32, 64]);
        assert_eq!(sign_in_delay(13), LONGEST_WAIT);
        assert_eq!(sign_in_delay(u32::MAX), LONGEST_WAIT);
    }

    #[test]
    fn the_wait_counts_from_the_last_failure() {
        let last = chrono::Utc::now();
        let later = |ms| last + chrono::Duration::milliseconds(ms);
        assert_eq!(sign_in_wait(2, last, last), None);
        assert_eq!(
            sign_in_wait(4, last, later(500)),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(sign_in_wait(4, last, later(2000)), None);
        // A clock that went back waits the whole delay, never longer.
        assert_eq!(
            sign_in_wait(3, last, later(-5000)),
            Some(Duration::from_secs(1))
        );
    }
}
