//! In-memory throttles that need no identity: a global token bucket for report intake, and a
//! per-account counter of failed sign-ins. Nothing here is keyed by address, and all of it is
//! forgotten on restart and when it expires.

use std::collections::HashMap;
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
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (tokens, last) = &mut *state;
        let now = Instant::now();
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.rate).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.rate))
        }
    }
}

/// Failed sign-ins per account name in a sliding window.
pub struct SignInThrottle {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl SignInThrottle {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// How long `name` must wait before trying again, if it has failed too often.
    pub fn blocked(&self, name: &str) -> Option<Duration> {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        failures.retain(|_, (_, since)| now.duration_since(*since) < self.window);
        let (count, since) = failures.get(name)?;
        (*count >= self.limit).then(|| self.window.saturating_sub(now.duration_since(*since)))
    }

    pub fn failed(&self, name: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures
            .entry(name.to_owned())
            .or_insert((0, Instant::now()))
            .0 += 1;
    }

    pub fn succeeded(&self, name: &str) {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(name);
    }
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
    fn sign_in_is_blocked_after_repeated_failures_for_that_name_only() {
        let throttle = SignInThrottle::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(throttle.blocked("ana").is_none());
            throttle.failed("ana");
        }
        assert!(throttle.blocked("ana").is_some());
        assert!(throttle.blocked("bo").is_none());
        throttle.succeeded("ana");
        assert!(throttle.blocked("ana").is_none());
    }
}
