//! The server's storage: one interface, two backends (SQLite embedded by default, PostgreSQL for
//! deployments with several stateless servers). Both run the same SQL (see `sql.rs`) on their own
//! migrations, and one behaviour test suite (tests/store.rs) runs against both.
//!
//! Nothing here stores who asked: no addresses, no user agents, no positions finer than a
//! 7-character geohash.

mod accounts;
mod head;
mod postgres;
mod push;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;
use vecinos_core::model::{Alert, Report, ReportKind, ReportStatus};
use vecinos_core::{ChangePage, Cursor, Receipt, Record, RecordKind, StoredReport};

pub use accounts::{
    AccountStore, DEVICES_KEPT, DEVICES_PER_USER, FAILURE_NAMES, FAILURES_KEPT, Failures,
    INVITE_KEPT, Joined, Member, SessionSeen, SignedOut, UserSaved, failure_key,
};
pub use head::{FeedHead, HeadCache};
pub use postgres::PostgresStore;
pub use push::{PushJob, PushStore, Subscribed, Target};
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("not found")]
    NotFound,
    /// The write was based on a version that is no longer current; carries the current record
    /// (None when it does not exist or was deleted).
    #[error("the record changed since it was read")]
    Conflict(Option<Box<Record>>),
    /// The cursor is older than the tombstone horizon.
    #[error("the cursor is older than the server's history; resync")]
    Resync,
    /// Another report is stored under this report's id.
    #[error("another report has this id")]
    IdTaken,
    /// The report cannot move to that status (e.g. verifying a rejected report).
    #[error("report is {0:?}")]
    WrongStatus(ReportStatus),
}

/// Which reports triage asks for. Every condition is optional; they all hold together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportQuery {
    pub status: Option<ReportStatus>,
    pub kind: Option<ReportKind>,
    /// Received at or after.
    pub since: Option<DateTime<Utc>>,
    /// Received before.
    pub until: Option<DateTime<Utc>>,
    /// Geohash prefixes: reports whose area lies in one of those cells (none: anywhere).
    pub areas: Vec<String>,
    /// Only these reports.
    pub ids: Option<Vec<Uuid>>,
    /// The page after this report, in newest-first order (`Page` of `vecinos_core::triage`).
    pub after: Option<(DateTime<Utc>, Uuid)>,
    /// At most this many (None: all).
    pub limit: Option<u32>,
}

impl ReportQuery {
    /// Every report of one status.
    pub fn of(status: ReportStatus) -> Self {
        Self {
            status: Some(status),
            ..Self::default()
        }
    }
}

/// What storing one report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    New(Receipt),
    /// The same report was stored before (its phone sent it again): the first receipt.
    Repeat(Receipt),
    /// A different report is stored under this id: nothing was written.
    Taken,
}

/// What a write expects to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// The record must not exist yet (a deleted one may be re-created).
    New,
    /// The current version must be this one (`If-Match`).
    Version(u64),
    /// Whatever is there (imports, demo data).
    Any,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// How long things are kept (see `retention.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub reports: chrono::Duration,
    pub tombstones: chrono::Duration,
}

/// What one retention sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    pub expired_alerts: u64,
    pub deleted_reports: u64,
    pub collected_tombstones: u64,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// The changes after `since`, at most `limit`, in sequence order; `Resync` when `since` is
    /// older than the tombstone horizon.
    async fn changes(&self, since: Cursor, limit: usize) -> Result<ChangePage, StoreError>;
    async fn record(&self, kind: RecordKind, id: Uuid) -> Result<Option<Record>, StoreError>;
    /// Every live record of a kind (for exports).
    async fn records(&self, kind: RecordKind) -> Result<Vec<Record>, StoreError>;
    /// Writes a record under the next version and sequence number; returns it as stored.
    async fn put(
        &self,
        record: Record,
        expected: Expected,
        actor: &str,
    ) -> Result<Record, StoreError>;
    /// Deletes a record, leaving a tombstone in the feed.
    async fn delete(
        &self,
        kind: RecordKind,
        id: Uuid,
        expected: Expected,
        actor: &str,
    ) -> Result<(), StoreError>;
    /// Writes all records in one transaction: all of them or none.
    async fn import(&self, records: Vec<Record>, actor: &str) -> Result<usize, StoreError>;
    /// True when nothing was ever written to the feed: a brand-new database.
    async fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.head().await? == 0)
    }
    /// The newest sequence number in the feed (0 on a new database).
    async fn head(&self) -> Result<u64, StoreError>;

    /// Stores reports at most once per id, all in one transaction. Says of each whether it was
    /// new, a repeat (also within the batch) or a different report under a known id.
    async fn add_reports(
        &self,
        reports: &[Report],
        now: DateTime<Utc>,
    ) -> Result<Vec<Stored>, StoreError>;

    /// `add_reports` for one report: its receipt and whether it was new; `IdTaken` when another
    /// report has its id.
    async fn add_report(
        &self,
        report: &Report,
        now: DateTime<Utc>,
    ) -> Result<(Receipt, bool), StoreError> {
        let mut stored = self.add_reports(std::slice::from_ref(report), now).await?;
        match stored.pop().ok_or(StoreError::NotFound)? {
            Stored::New(receipt) => Ok((receipt, true)),
            Stored::Repeat(receipt) => Ok((receipt, false)),
            Stored::Taken => Err(StoreError::IdTaken),
        }
    }
    async fn report(&self, id: Uuid) -> Result<Option<StoredReport>, StoreError>;
    /// How many reports wait for an organiser (status received).
    async fn unreviewed(&self) -> Result<u64, StoreError>;
    /// The reports `query` picks, newest first.
    async fn reports(&self, query: &ReportQuery) -> Result<Vec<StoredReport>, StoreError>;
    /// Rejects every received report `query` picks (its page and limit aside), in one
    /// transaction with one audit entry that names no report. Returns how many.
    async fn reject_reports(
        &self,
        query: &ReportQuery,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
    /// Rejects or resolves a report. Resolving a published report also withdraws its alert
    /// ("over"), in the same transaction.
    async fn set_report_status(
        &self,
        id: Uuid,
        status: ReportStatus,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<StoredReport, StoreError>;
    /// Writes an organiser's new version of an alert (an update or a withdrawal) on top of
    /// version `expected`, queues its push (phones that were told of it are told again) and
    /// audits it as `action`, in one transaction.
    async fn revise_alert(
        &self,
        alert: Alert,
        expected: u64,
        actor: &str,
        action: &str,
    ) -> Result<Alert, StoreError>;
    /// The area of the report an alert was published from, while that report is kept.
    async fn source_area(&self, alert: Uuid) -> Result<Option<String>, StoreError>;
    /// Verifies a received report and publishes `alert` into the feed, in one transaction.
    async fn verify_report(&self, id: Uuid, alert: Alert, actor: &str)
    -> Result<Alert, StoreError>;

    /// Creates a user or gives them a new password, which ends their sessions
    /// (`AccountStore::set_password`).
    async fn add_user(
        &self,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError>;
    async fn create_session(
        &self,
        token_hash: &str,
        user: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The user of an unexpired session.
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// The audit trail, newest first.
    async fn audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
    /// Expires alerts, deletes old reports and sessions, collects old tombstones, and deletes
    /// expired push subscriptions and push jobs, failed sign-ins older than `FAILURES_KEPT` and
    /// browsers unused for `DEVICES_KEPT`.
    async fn sweep(&self, now: DateTime<Utc>, retention: Retention) -> Result<Sweep, StoreError>;
    /// Makes what was deleted unrecoverable from the database's files, as far as the backend
    /// allows: SQLite (which overwrites freed pages, `secure_delete`) empties its write-ahead log;
    /// PostgreSQL vacuums the reports table (its dead rows stay in the files until then).
    async fn scrub(&self) -> Result<(), StoreError>;
    /// Closes every connection (SQLite then folds the write-ahead log into the database).
    async fn close(&self);

    /// Web Push storage. Verifying a report with an area queues a push job in its transaction, and
    /// so does storing new reports (for organisers).
    fn push(&self) -> &dyn PushStore;

    /// Organiser accounts: new passwords, removal and sign-out, failed sign-ins, trusted browsers.
    fn accounts(&self) -> &dyn AccountStore;

    /// When proof-of-work scheme v2 started on this database (migration 0006 wrote the time it
    /// ran), read once when the store opened. Until the end of that UTC day's salt window, v1
    /// stamps are still accepted (`api::reports`).
    fn pow_v2_since(&self) -> DateTime<Utc>;
}

pub type SharedStore = Arc<dyn Store>;

/// Opens the store a URL names: `postgres://...` for PostgreSQL, otherwise a folder for SQLite.
pub async fn open(target: &str) -> Result<SharedStore, StoreError> {
    if target.starts_with("postgres://") || target.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(target).await?))
    } else {
        Ok(Arc::new(
            SqliteStore::open(std::path::Path::new(target)).await?,
        ))
    }
}
