//! The server's database: the records and their change feed, in SQLite.
//!
//! One row per record, renumbered on every write, so reading the feed "since N" returns the latest
//! state of everything that changed after N. The file runs in WAL mode with synchronous=FULL: a
//! commit that has been acknowledged survives a power cut.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use uuid::Uuid;
use vecinos_core::{Change, ChangePage, Cursor, Record, RecordKind};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored record {kind}/{id} is unreadable: {reason}")]
    Corrupt {
        kind: String,
        id: String,
        reason: String,
    },
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating and migrating if needed) the database file `vecinos.db` in `data_dir`.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(data_dir.join("vecinos.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Writes the current state of a record, giving it the next sequence number.
    pub async fn upsert(&self, record: &Record) -> Result<u64, StoreError> {
        let body = serde_json::to_string(record).map_err(|e| StoreError::Corrupt {
            kind: record.kind().as_str().into(),
            id: record.id().to_string(),
            reason: e.to_string(),
        })?;
        self.replace(record.kind(), record.id(), Some(body)).await
    }

    /// Deletes a record, leaving a tombstone in the feed.
    pub async fn delete(&self, kind: RecordKind, id: Uuid) -> Result<u64, StoreError> {
        self.replace(kind, id, None).await
    }

    async fn replace(
        &self,
        kind: RecordKind,
        id: Uuid,
        body: Option<String>,
    ) -> Result<u64, StoreError> {
        let row =
            sqlx::query("REPLACE INTO records (kind, id, body) VALUES (?, ?, ?) RETURNING seq")
                .bind(kind.as_str())
                .bind(id.to_string())
                .bind(body)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.get::<i64, _>(0).unsigned_abs())
    }

    /// True when nothing was ever written (not even a deletion): a brand-new database.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT EXISTS (SELECT 1 FROM records)")
            .fetch_one(&self.pool)
            .await?;
        Ok(!row.get::<bool, _>(0))
    }

    /// The changes after `since`, at most `limit` of them, in sequence order.
    pub async fn changes(&self, since: Cursor, limit: usize) -> Result<ChangePage, StoreError> {
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let since_seq = i64::try_from(since.0).unwrap_or(i64::MAX);
        let rows = sqlx::query(
            "SELECT seq, kind, id, body FROM records WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(since_seq)
        .bind(fetch)
        .fetch_all(&self.pool)
        .await?;
        let changes = rows
            .iter()
            .map(|row| {
                let seq = row.get::<i64, _>("seq").unsigned_abs();
                let kind: String = row.get("kind");
                let id: String = row.get("id");
                let body: Option<String> = row.get("body");
                let corrupt = |reason: String| StoreError::Corrupt {
                    kind: kind.clone(),
                    id: id.clone(),
                    reason,
                };
                match body {
                    Some(body) => {
                        let record: Record =
                            serde_json::from_str(&body).map_err(|e| corrupt(e.to_string()))?;
                        Ok(Change::Upsert { seq, record })
                    }
                    None => Ok(Change::Delete {
                        seq,
                        kind: RecordKind::parse(&kind)
                            .ok_or_else(|| corrupt("unknown kind".into()))?,
                        id: id
                            .parse()
                            .map_err(|e: uuid::Error| corrupt(e.to_string()))?,
                    }),
                }
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(ChangePage::from_changes(since, changes, limit))
    }
}
