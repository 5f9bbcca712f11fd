//! The fan-out worker: takes due jobs from the durable queue (`push_jobs`), sends one push to
//! each subscription the job concerns with at most `IN_FLIGHT` requests under way, and records
//! each delivery (`push_deliveries`) so that a restart goes on where it stopped.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Notify;
use tokio::task::JoinSet;

use super::send::{Message, Outcome, Sender};
use crate::store::{PushJob, SharedStore, StoreError};

/// Push requests under way at once.
const IN_FLIGHT: usize = 32;
/// Subscriptions read per query.
const PAGE: u32 = 64;
/// How often the queue is looked at without being woken (jobs of other servers, retries).
const POLL: Duration = Duration::from_secs(2);
/// The first wait before a round of retries; it doubles each round, up to `MAX_BACKOFF`.
const BACKOFF: chrono::Duration = chrono::Duration::seconds(2);
const MAX_BACKOFF: chrono::Duration = chrono::Duration::minutes(5);

pub struct Worker {
    pub(super) store: SharedStore,
    pub(super) sender: Arc<Sender>,
    pub(super) wake: Arc<Notify>,
    /// How long a taken job belongs to this worker before another server may take it over;
    /// renewed for every page of subscriptions.
    pub(super) lease: chrono::Duration,
}

impl Worker {
    pub(super) async fn run(self) {
        loop {
            let now = Utc::now();
            match self
                .store
                .push()
                .claim_push_jobs(now, now + self.lease, 8)
                .await
            {
                Ok(jobs) if !jobs.is_empty() => {
                    for job in jobs {
                        if let Err(e) = self.fan_out(job).await {
                            tracing::error!("push fan-out failed: {e}");
                        }
                    }
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::error!("reading the push queue failed: {e}"),
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// One round of a job: every subscription it still owes a push. Deletes the job when none is
    /// left to retry (or it has expired), otherwise schedules the next round.
    async fn fan_out(&self, job: PushJob) -> Result<(), StoreError> {
        let store = self.store.push();
        let Some(message) = Message::of(&job, Utc::now()) else {
            return store.finish_push_job(job.id).await;
        };
        let message = Arc::new(message);
        let mut sends = JoinSet::new();
        let mut retry = false;
        let mut after = String::new();
        loop {
            let now = Utc::now();
            store.lease_push_job(job.id, now + self.lease).await?;
            let page = store.push_targets(&job, &after, now, PAGE).await?;
            let Some(last) = page.last() else { break };
            after.clone_from(&last.endpoint);
            for target in page {
                if sends.len() >= IN_FLIGHT {
                    retry |= self.settle(&job, &mut sends).await?;
                }
                let (sender, message) = (self.sender.clone(), message.clone());
                sends.spawn(async move {
                    let outcome = sender.send(&target, &message).await;
                    (target.endpoint, outcome)
                });
            }
        }
        while !sends.is_empty() {
            retry |= self.settle(&job, &mut sends).await?;
        }
        if retry {
            let wait = (BACKOFF * 2i32.pow(job.attempts.min(8))).min(MAX_BACKOFF);
            store.retry_push_job(job.id, Utc::now() + wait).await
        } else {
            store.finish_push_job(job.id).await
        }
    }

    /// Waits for one send, takes every other one already finished, and records them together.
    /// True when some must be retried.
    async fn settle(
        &self,
        job: &PushJob,
        sends: &mut JoinSet<(String, Outcome)>,
    ) -> Result<bool, StoreError> {
        let Some(first) = sends.join_next().await else {
            return Ok(false);
        };
        let mut finished = vec![first];
        while let Some(next) = sends.try_join_next() {
            finished.push(next);
        }
        let mut done = Vec::with_capacity(finished.len());
        let mut retry = false;
        for result in finished {
            let Ok((endpoint, outcome)) = result else {
                retry = true;
                continue;
            };
            match outcome {
                Outcome::Delivered | Outcome::Refused => done.push(endpoint),
                Outcome::Gone => self.store.push().unsubscribe(&endpoint, None).await?,
                Outcome::Retry => retry = true,
            }
        }
        if !done.is_empty() {
            self.store.push().push_delivered(job.id, &done).await?;
        }
        Ok(retry)
    }
}
