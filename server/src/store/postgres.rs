//! PostgreSQL, for deployments that outgrow one machine: several stateless servers, one database.

use sqlx::postgres::PgPoolOptions;

use super::StoreError;

#[derive(Clone)]
pub struct PostgresStore {
    pool: sqlx::PgPool,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

super::sql::impl_store!(PostgresStore, sqlx::Postgres);
