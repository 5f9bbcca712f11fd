//! PostgreSQL, for deployments that outgrow one machine: several stateless servers, one database.

use sqlx::postgres::PgPoolOptions;

use super::StoreError;

#[derive(Clone)]
pub struct PostgresStore {
    pool: sqlx::PgPool,
    /// Read from `pow_scheme` when the store connects.
    pow_v2_since: chrono::DateTime<chrono::Utc>,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        let pow_v2_since = Self::read_pow_v2_since(&pool).await?;
        Ok(Self { pool, pow_v2_since })
    }

    /// Dead rows of deleted reports stay in PostgreSQL's files until a vacuum reuses their
    /// space; this asks for one. Even then the bytes are only overwritten as space is reused,
    /// and backups and replicas keep their own copies: a deployment that must guarantee
    /// deletion on PostgreSQL needs encrypted storage and short-lived backups.
    const SCRUB: &str = "VACUUM reports";
}

super::sql::impl_store!(PostgresStore, sqlx::Postgres);
super::accounts::impl_accounts!(PostgresStore, sqlx::Postgres);
