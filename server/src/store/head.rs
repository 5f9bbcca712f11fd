//! The feed head cache. Most pulls are a caught-up phone asking "anything since N?"; the API
//! answers those from the newest sequence number this server saw recently instead of asking the
//! database. `HeadCache` wraps the store and forgets that number after every write to the feed
//! made through it, so the cache is invalidated in this one place.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use uuid::Uuid;
use vecinos_core::model::{Alert, Report, ReportStatus};
use vecinos_core::{ChangePage, Cursor, Record, RecordKind, StoredReport};

use super::{
    AuditEntry, Expected, ReportQuery, Retention, SharedStore, Store, StoreError, Stored, Sweep,
};

/// The newest sequence number this server saw, at most `ttl` old: a change committed through
/// another server, or by retention, reaches a phone at its next poll after that.
pub struct FeedHead {
    ttl: Duration,
    seen: Mutex<Option<(u64, Instant)>>,
    /// Woken after every write to the feed through this server (`live` then tells open apps).
    pub moved: Notify,
}

impl FeedHead {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            seen: Mutex::new(None),
            moved: Notify::new(),
        }
    }

    /// The head seen less than `ttl` ago, if any.
    pub fn recent(&self) -> Option<u64> {
        let seen = *self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(head, _)| head)
    }

    /// Remembers `head`, read from the database just now, and returns it.
    pub fn saw(&self, head: u64) -> u64 {
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = Some((head, Instant::now()));
        head
    }

    fn forget(&self) {
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.moved.notify_one();
    }
}

/// A store that forgets `head` after every successful write to the feed.
pub struct HeadCache {
    store: SharedStore,
    head: Arc<FeedHead>,
}

impl HeadCache {
    pub fn new(store: SharedStore, head: Arc<FeedHead>) -> Self {
        Self { store, head }
    }

    fn wrote<T>(&self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        if result.is_ok() {
            self.head.forget();
        }
        result
    }
}

#[async_trait]
impl Store for HeadCache {
    async fn changes(&self, since: Cursor, limit: usize) -> Result<ChangePage, StoreError> {
        self.store.changes(since, limit).await
    }
    async fn record(&self, kind: RecordKind, id: Uuid) -> Result<Option<Record>, StoreError> {
        self.store.record(kind, id).await
    }
    async fn records(&self, kind: RecordKind) -> Result<Vec<Record>, StoreError> {
        self.store.records(kind).await
    }
    async fn put(
        &self,
        record: Record,
        expected: Expected,
        actor: &str,
    ) -> Result<Record, StoreError> {
        self.wrote(self.store.put(record, expected, actor).await)
    }
    async fn delete(
        &self,
        kind: RecordKind,
        id: Uuid,
        expected: Expected,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.wrote(self.store.delete(kind, id, expected, actor).await)
    }
    async fn import(&self, records: Vec<Record>, actor: &str) -> Result<usize, StoreError> {
        self.wrote(self.store.import(records, actor).await)
    }
    async fn head(&self) -> Result<u64, StoreError> {
        self.store.head().await
    }
    async fn add_reports(
        &self,
        reports: &[Report],
        now: DateTime<Utc>,
    ) -> Result<Vec<Stored>, StoreError> {
        self.store.add_reports(reports, now).await
    }
    async fn report(&self, id: Uuid) -> Result<Option<StoredReport>, StoreError> {
        self.store.report(id).await
    }
    async fn unreviewed(&self) -> Result<u64, StoreError> {
        self.store.unreviewed().await
    }
    async fn reports(&self, query: &ReportQuery) -> Result<Vec<StoredReport>, StoreError> {
        self.store.reports(query).await
    }
    async fn reject_reports(
        &self,
        query: &ReportQuery,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.store.reject_reports(query, actor, now).await
    }
    async fn set_report_status(
        &self,
        id: Uuid,
        status: ReportStatus,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<StoredReport, StoreError> {
        self.wrote(self.store.set_report_status(id, status, actor, now).await)
    }
    async fn revise_alert(
        &self,
        alert: Alert,
        expected: u64,
        actor: &str,
        action: &str,
    ) -> Result<Alert, StoreError> {
        self.wrote(
            self.store
                .revise_alert(alert, expected, actor, action)
                .await,
        )
    }
    async fn source_area(&self, alert: Uuid) -> Result<Option<String>, StoreError> {
        self.store.source_area(alert).await
    }
    async fn verify_report(
        &self,
        id: Uuid,
        alert: Alert,
        actor: &str,
    ) -> Result<Alert, StoreError> {
        self.wrote(self.store.verify_report(id, alert, actor).await)
    }
    async fn add_user(
        &self,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.store.add_user(name, password_hash, now).await
    }
    async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.store.password_hash(name).await
    }
    async fn create_session(
        &self,
        token_hash: &str,
        user: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.store
            .create_session(token_hash, user, expires_at)
            .await
    }
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        self.store.session_user(token_hash, now).await
    }
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.store.delete_session(token_hash).await
    }
    async fn audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        self.store.audit(limit).await
    }
    async fn sweep(&self, now: DateTime<Utc>, retention: Retention) -> Result<Sweep, StoreError> {
        self.wrote(self.store.sweep(now, retention).await)
    }
    async fn scrub(&self) -> Result<(), StoreError> {
        self.store.scrub().await
    }
    async fn close(&self) {
        self.store.close().await
    }
    fn push(&self) -> &dyn super::PushStore {
        self.store.push()
    }
    fn pow_v2_since(&self) -> DateTime<Utc> {
        self.store.pow_v2_since()
    }
    fn accounts(&self) -> &dyn super::AccountStore {
        self.store.accounts()
    }
}
