//! The embedded default: one SQLite file, WAL mode, synchronous=FULL (an acknowledged commit
//! survives a power cut). Deleted means gone: `secure_delete` overwrites what a deletion frees,
//! and `scrub` (after each retention sweep) checkpoints the write-ahead log and truncates it, so
//! neither file keeps a deleted report.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::StoreError;

#[derive(Clone)]
pub struct SqliteStore {
    pool: sqlx::SqlitePool,
    /// Read from `pow_scheme` when the store opens.
    pow_v2_since: chrono::DateTime<chrono::Utc>,
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) `vecinos.db` in `data_dir`.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(data_dir.join("vecinos.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .pragma("secure_delete", "ON")
            // Between checkpoints the log is cut back to this size.
            .pragma("journal_size_limit", "16777216")
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let pow_v2_since = Self::read_pow_v2_since(&pool).await?;
        Ok(Self { pool, pow_v2_since })
    }

    /// Folds the write-ahead log into the database and empties it.
    const SCRUB: &str = "PRAGMA wal_checkpoint(TRUNCATE)";
}

super::sql::impl_store!(SqliteStore, sqlx::Sqlite);
super::accounts::impl_accounts!(SqliteStore, sqlx::Sqlite);
