//! Storage for Web Push (see `crate::push`): subscriptions, the durable fan-out queue and what
//! each job has delivered, and the VAPID key. Implemented once in `sql.rs` for both backends.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use vecinos_core::ReportKind;
use vecinos_core::push::{Audience, Subscription};

use super::StoreError;

/// What `subscribe` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscribed {
    New,
    Renewed,
    /// The table holds the most subscriptions allowed; nothing was written.
    Full,
}

/// A queued fan-out: an alert to its audience's subscriptions around `area`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushJob {
    pub id: i64,
    pub audience: Audience,
    /// The alert's id; None for new reports.
    pub alert: Option<Uuid>,
    pub kind: Option<ReportKind>,
    /// The alert's or report's geohash; a report without one concerns every organiser.
    pub area: Option<String>,
    /// Pushes stop being sent (and retried) then.
    pub expires_at: DateTime<Utc>,
    /// Rounds already tried.
    pub attempts: u32,
}

/// A subscription a job still owes a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

#[async_trait]
pub trait PushStore: Send + Sync {
    /// Adds the subscription, or renews it (keys, cells and expiry) when its endpoint and audience
    /// are known; refuses a new one once `max` are stored.
    async fn subscribe(
        &self,
        subscription: &Subscription,
        expires_at: DateTime<Utc>,
        max: u64,
    ) -> Result<Subscribed, StoreError>;
    /// Removes the endpoint's subscription for `audience`, or all of the endpoint's when None.
    async fn unsubscribe(
        &self,
        endpoint: &str,
        audience: Option<Audience>,
    ) -> Result<(), StoreError>;
    /// Takes the jobs whose next round is due at `now`, oldest first: each is leased until
    /// `lease_until`, so that no other server takes it meanwhile.
    async fn claim_push_jobs(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<PushJob>, StoreError>;
    /// Keeps a taken job until `until`.
    async fn lease_push_job(&self, job: i64, until: DateTime<Utc>) -> Result<(), StoreError>;
    /// The unexpired subscriptions of the job's audience whose cells cover its area and that it
    /// has not reached yet, in endpoint order after `after`, at most `limit`.
    async fn push_targets(
        &self,
        job: &PushJob,
        after: &str,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Target>, StoreError>;
    /// Records that the job reached these endpoints (one transaction).
    async fn push_delivered(&self, job: i64, endpoints: &[String]) -> Result<(), StoreError>;
    /// Deletes the job and its delivery records.
    async fn finish_push_job(&self, job: i64) -> Result<(), StoreError>;
    /// Counts a round and sets when the next one is due.
    async fn retry_push_job(&self, job: i64, next_at: DateTime<Utc>) -> Result<(), StoreError>;
    /// The stored VAPID private key; `generated` is stored first when there is none (so servers
    /// starting together agree on one).
    async fn vapid_key(&self, generated: &str) -> Result<String, StoreError>;
    /// Replaces the VAPID private key (`vecinos-server vapid rotate`).
    async fn replace_vapid_key(&self, key: &str) -> Result<(), StoreError>;
}

/// The LIKE patterns over a subscription's `cells` (" a b ") that find the cells covering `area`:
/// each of the area's prefixes of 1 to 5 characters as a whole cell, and, for an area of at most
/// 5 characters, the cells inside it. No area: every subscription.
pub(super) fn cell_patterns(area: Option<&str>) -> Vec<String> {
    let Some(area) = area else {
        return vec!["%".into()];
    };
    let longest = area.len().min(vecinos_core::push::MAX_CELL_LEN);
    let mut patterns: Vec<String> = (1..=longest)
        .filter_map(|n| area.get(..n))
        .map(|prefix| format!("% {prefix} %"))
        .collect();
    if area.len() <= vecinos_core::push::MAX_CELL_LEN {
        patterns.push(format!("% {area}%"));
    }
    patterns
}

/// The stored form of a subscription's cells.
pub(super) fn stored_cells(cells: &[String]) -> String {
    format!(" {} ", cells.join(" "))
}
