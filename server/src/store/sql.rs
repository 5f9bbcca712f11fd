//! The one implementation of `Store`, written once in SQL that SQLite and PostgreSQL both accept
//! (`$n` parameters, `ON CONFLICT`, `RETURNING`, times as BIGINT seconds), and expanded for each
//! backend's pool type by `impl_store!`. A macro rather than generics over `sqlx::Database`: the
//! trait bounds that would need are longer than the code.
//!
//! Every write transaction starts by writing the feed counter row. That takes SQLite's write lock
//! up front (no deferred lock upgrade that could fail under load) and, on PostgreSQL, serialises
//! feed writers so that sequence numbers become visible in order and no reader skips one.

use chrono::{DateTime, Utc};
use vecinos_core::model::{ReportKind, ReportStatus};
use vecinos_core::{Change, Record, RecordKind, StoredReport};

use super::{ReportQuery, StoreError};

pub(super) fn seconds(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(super) fn time(seconds: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("time {seconds} out of range")))
}

pub(super) fn encode(record: &Record) -> Result<String, StoreError> {
    serde_json::to_string(record).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn decode(body: &str) -> Result<Record, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("record: {e}")))
}

pub(super) fn change(
    seq: i64,
    kind: &str,
    id: &str,
    body: Option<&str>,
) -> Result<Change, StoreError> {
    let seq = u64::try_from(seq).map_err(|_| StoreError::Corrupt("negative sequence".into()))?;
    Ok(match body {
        Some(body) => Change::Upsert {
            seq,
            record: decode(body)?,
        },
        None => Change::Delete {
            seq,
            kind: RecordKind::parse(kind)
                .ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))?,
            id: id
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("id {id}: {e}")))?,
        },
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn stored_report(
    id: &str,
    kind: &str,
    description: String,
    observed_at: i64,
    area: Option<String>,
    cross_streets: Option<String>,
    language: String,
    status: &str,
    received_at: i64,
) -> Result<StoredReport, StoreError> {
    Ok(StoredReport {
        id: id
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("report id {id}: {e}")))?,
        kind: ReportKind::parse(kind)
            .ok_or_else(|| StoreError::Corrupt(format!("report kind {kind}")))?,
        description,
        observed_at: time(observed_at)?,
        area,
        cross_streets,
        language,
        status: ReportStatus::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        received_at: time(received_at)?,
    })
}

/// A value bound to a numbered placeholder.
pub(super) enum Bind {
    Text(String),
    Int(i64),
}

/// The `WHERE` conditions of a report query, with placeholders numbered from `first`, and their
/// values in order. Never empty (`1 = 1` when nothing is asked).
pub(super) fn report_conditions(query: &ReportQuery, first: usize) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut param = |value: Bind| {
        binds.push(value);
        format!("${}", first + binds.len() - 1)
    };
    let mut conditions = vec!["1 = 1".to_owned()];
    if let Some(status) = query.status {
        conditions.push(format!(
            "status = {}",
            param(Bind::Text(status.as_str().into()))
        ));
    }
    if let Some(kind) = query.kind {
        conditions.push(format!(
            "kind = {}",
            param(Bind::Text(kind.as_str().into()))
        ));
    }
    if let Some(since) = query.since {
        conditions.push(format!(
            "received_at >= {}",
            param(Bind::Int(seconds(since)))
        ));
    }
    if let Some(until) = query.until {
        conditions.push(format!(
            "received_at < {}",
            param(Bind::Int(seconds(until)))
        ));
    }
    if !query.areas.is_empty() {
        let cells: Vec<String> = query
            .areas
            .iter()
            .map(|cell| format!("area LIKE {}", param(Bind::Text(format!("{cell}%")))))
            .collect();
        conditions.push(format!("({})", cells.join(" OR ")));
    }
    if let Some(ids) = &query.ids {
        let placeholders: Vec<String> = ids
            .iter()
            .map(|id| param(Bind::Text(id.to_string())))
            .collect();
        conditions.push(if ids.is_empty() {
            "1 = 0".to_owned()
        } else {
            format!("id IN ({})", placeholders.join(", "))
        });
    }
    if let Some((at, id)) = query.after {
        let at = param(Bind::Int(seconds(at)));
        let id = param(Bind::Text(id.to_string()));
        conditions.push(format!(
            "(received_at < {at} OR (received_at = {at} AND id < {id}))"
        ));
    }
    (conditions.join(" AND "), binds)
}

/// Which statuses a report may move to a given status from.
pub(super) fn allowed_from(to: ReportStatus) -> &'static [&'static str] {
    match to {
        ReportStatus::Verified | ReportStatus::Rejected => &["received"],
        ReportStatus::Resolved => &["received", "verified"],
        ReportStatus::Received => &[],
    }
}

macro_rules! impl_store {
    ($store:ident, $db:ty) => {
        use async_trait::async_trait;
        use chrono::{DateTime, Utc};
        use sqlx::Row;
        use uuid::Uuid;
        use vecinos_core::model::{Alert, Report, ReportStatus, WithdrawalReason};
        use vecinos_core::{ChangePage, Cursor, Receipt, Record, RecordKind, StoredReport};

        use super::sql::{allowed_from, change, decode, encode, report_conditions, seconds, stored_report, time, Bind};
        use super::push::{cell_patterns, stored_cells};
        use super::{AuditEntry, Expected, PushJob, PushStore, ReportQuery, Retention, Store, Stored, Subscribed, Sweep, Target};
        use vecinos_core::push::{Audience, Subscription};

        const REPORT_COLUMNS: &str =
            "id, kind, description, observed_at, area, cross_streets, language, status, received_at";

        type Conn = <$db as sqlx::Database>::Connection;

        /// How long organisers' devices are pushed about a new report (and for how long the push
        /// service keeps it for a phone that is off).
        const REPORTS_PUSH_TTL: chrono::Duration = chrono::Duration::hours(1);

        fn report_row(row: &<$db as sqlx::Database>::Row) -> Result<StoredReport, StoreError> {
            stored_report(
                row.try_get::<&str, _>("id")?,
                row.try_get::<&str, _>("kind")?,
                row.try_get("description")?,
                row.try_get("observed_at")?,
                row.try_get("area")?,
                row.try_get("cross_streets")?,
                row.try_get("language")?,
                row.try_get::<&str, _>("status")?,
                row.try_get("received_at")?,
            )
        }

        /// A queued push job's audience, alert, kind and area.
        type NewJob<'a> = (Audience, Option<Uuid>, Option<vecinos_core::ReportKind>, Option<&'a str>);

        impl $store {
            /// When proof-of-work scheme v2 started (migration 0006's one row).
            async fn read_pow_v2_since(pool: &sqlx::Pool<$db>) -> Result<DateTime<Utc>, StoreError> {
                let row = sqlx::query("SELECT v2_since FROM pow_scheme WHERE id = 1").fetch_one(pool).await?;
                time(row.try_get("v2_since")?)
            }

            /// Queues a push job inside the caller's transaction.
            async fn queue_push(conn: &mut Conn, job: NewJob<'_>, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> Result<(), StoreError> {
                let (audience, alert, kind, area) = job;
                sqlx::query(
                    "INSERT INTO push_jobs (audience, alert, kind, area, created_at, expires_at, attempts, next_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 0, $5)",
                )
                .bind(audience.as_str())
                .bind(alert.map(|id| id.to_string()))
                .bind(kind.map(|k| k.as_str()))
                .bind(area)
                .bind(seconds(now))
                .bind(seconds(expires_at))
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Takes the feed writer lock and the next sequence number.
            async fn next_seq(conn: &mut Conn) -> Result<i64, StoreError> {
                let row = sqlx::query("UPDATE feed_counter SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq")
                    .fetch_one(&mut *conn)
                    .await?;
                Ok(row.try_get(0)?)
            }

            /// Takes the feed writer lock without using a sequence number, for transactions that
            /// read before they write.
            async fn lock(conn: &mut Conn) -> Result<(), StoreError> {
                sqlx::query("UPDATE feed_counter SET last_seq = last_seq WHERE id = 1").execute(&mut *conn).await?;
                Ok(())
            }

            /// Current version and body of a record row (a tombstone has no body).
            async fn current(
                conn: &mut Conn,
                kind: RecordKind,
                id: Uuid,
            ) -> Result<Option<(u64, Option<Record>)>, StoreError> {
                let row = sqlx::query("SELECT version, body FROM records WHERE kind = $1 AND id = $2")
                    .bind(kind.as_str())
                    .bind(id.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let version = u64::try_from(row.try_get::<i64, _>("version")?).unwrap_or_default();
                let body = row.try_get::<Option<&str>, _>("body")?.map(decode).transpose()?;
                Ok(Some((version, body)))
            }

            /// Checks `expected`, then writes `record` (or a tombstone) under a new version and
            /// sequence number.
            async fn write(
                conn: &mut Conn,
                kind: RecordKind,
                id: Uuid,
                record: Option<Record>,
                expected: Expected,
                now: DateTime<Utc>,
            ) -> Result<Option<Record>, StoreError> {
                let seq = Self::next_seq(conn).await?;
                let current = Self::current(conn, kind, id).await?;
                let (version, live) = match current {
                    Some((version, live)) => (version, live),
                    None => (0, None),
                };
                match expected {
                    Expected::New if live.is_some() => return Err(StoreError::Conflict(live.map(Box::new))),
                    Expected::Version(v) if live.is_none() || v != version => {
                        return Err(StoreError::Conflict(live.map(Box::new)));
                    }
                    _ if record.is_none() && live.is_none() => return Err(StoreError::NotFound),
                    _ => {}
                }
                let version = version + 1;
                let record = record.map(|mut r| {
                    r.set_version(version);
                    r
                });
                let expires_at = match &record {
                    Some(Record::Alert(alert)) => Some(seconds(alert.expires_at)),
                    _ => None,
                };
                let body = record.as_ref().map(encode).transpose()?;
                sqlx::query(
                    "INSERT INTO records (kind, id, seq, version, body, changed_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, version = excluded.version,
                         body = excluded.body, changed_at = excluded.changed_at, expires_at = excluded.expires_at",
                )
                .bind(kind.as_str())
                .bind(id.to_string())
                .bind(seq)
                .bind(i64::try_from(version).unwrap_or(i64::MAX))
                .bind(body)
                .bind(seconds(now))
                .bind(expires_at)
                .execute(&mut *conn)
                .await?;
                Ok(record)
            }

            async fn log(
                conn: &mut Conn,
                now: DateTime<Utc>,
                actor: &str,
                action: &str,
                target: &str,
                detail: &str,
            ) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
                    .bind(seconds(now))
                    .bind(actor)
                    .bind(action)
                    .bind(target)
                    .bind(detail)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            async fn report_by_id(conn: &mut Conn, id: Uuid) -> Result<Option<StoredReport>, StoreError> {
                let row = sqlx::query(&format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1"))
                    .bind(id.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
                row.as_ref().map(report_row).transpose()
            }

            /// Writes an alert into the feed and queues its push (an alert without an area
            /// concerns no cell: it is pushed to no one).
            async fn write_alert(conn: &mut Conn, alert: Alert, expected: Expected, now: DateTime<Utc>) -> Result<Alert, StoreError> {
                let stored = Self::write(conn, RecordKind::Alert, alert.id, Some(Record::Alert(alert)), expected, now).await?;
                let Some(Record::Alert(alert)) = stored else { return Err(StoreError::NotFound) };
                if let Some(area) = &alert.area {
                    let job = (Audience::Alerts, Some(alert.id), Some(alert.kind), Some(area.as_str()));
                    Self::queue_push(conn, job, now, alert.expires_at).await?;
                }
                Ok(alert)
            }

            /// Withdraws ("over") the alert a resolved report was published as, if it is still up.
            async fn withdraw_published(conn: &mut Conn, report: Uuid, actor: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
                let row = sqlx::query("SELECT alert_id FROM reports WHERE id = $1")
                    .bind(report.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
                let Some(alert_id) = row.map(|r| r.try_get::<Option<String>, _>("alert_id")).transpose()?.flatten() else {
                    return Ok(());
                };
                let alert_id: Uuid = alert_id.parse().map_err(|e| StoreError::Corrupt(format!("alert id: {e}")))?;
                let Some((version, Some(Record::Alert(alert)))) = Self::current(conn, RecordKind::Alert, alert_id).await? else {
                    return Ok(());
                };
                if alert.withdrawn.is_some() || alert.expires_at <= now {
                    return Ok(());
                }
                let withdrawn = alert.withdrawn(now, WithdrawalReason::Over);
                Self::write_alert(conn, withdrawn, Expected::Version(version), now).await?;
                Self::log(conn, now, actor, "withdrawn", &format!("alert/{alert_id}"), "over: its report was resolved").await?;
                Ok(())
            }

            /// Moves a report to `to` if its status allows; `NotFound` or `WrongStatus` otherwise.
            async fn transition(conn: &mut Conn, id: Uuid, to: ReportStatus, now: DateTime<Utc>) -> Result<(), StoreError> {
                let from = allowed_from(to);
                let placeholders: Vec<String> = (0..from.len()).map(|i| format!("${}", i + 4)).collect();
                let sql = format!(
                    "UPDATE reports SET status = $1, updated_at = $2 WHERE id = $3 AND status IN ({})",
                    placeholders.join(", ")
                );
                let mut query = sqlx::query(&sql).bind(to.as_str()).bind(seconds(now)).bind(id.to_string());
                for status in from {
                    query = query.bind(*status);
                }
                if query.execute(&mut *conn).await?.rows_affected() == 1 {
                    return Ok(());
                }
                match Self::report_by_id(conn, id).await? {
                    Some(report) => Err(StoreError::WrongStatus(report.status)),
                    None => Err(StoreError::NotFound),
                }
            }
        }

        #[async_trait]
        impl Store for $store {
            async fn changes(&self, since: Cursor, limit: usize) -> Result<ChangePage, StoreError> {
                let since_seq = i64::try_from(since.0).unwrap_or(i64::MAX);
                let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
                // One statement, so the horizon and the page come from the same snapshot.
                let rows = sqlx::query(
                    "SELECT f.horizon, r.seq, r.kind, r.id, r.body FROM feed_counter f
                     LEFT JOIN (SELECT seq, kind, id, body FROM records WHERE seq > $1 ORDER BY seq LIMIT $2) r ON 1 = 1
                     WHERE f.id = 1 ORDER BY r.seq",
                )
                .bind(since_seq)
                .bind(fetch)
                .fetch_all(&self.pool)
                .await?;
                let horizon: i64 = match rows.first() {
                    Some(row) => row.try_get("horizon")?,
                    None => 0,
                };
                if since_seq > 0 && since_seq < horizon {
                    return Err(StoreError::Resync);
                }
                let mut changes = Vec::with_capacity(rows.len());
                for row in &rows {
                    let Some(seq) = row.try_get::<Option<i64>, _>("seq")? else { continue };
                    changes.push(change(
                        seq,
                        row.try_get::<&str, _>("kind")?,
                        row.try_get::<&str, _>("id")?,
                        row.try_get::<Option<&str>, _>("body")?,
                    )?);
                }
                Ok(ChangePage::from_changes(since, changes, limit))
            }

            async fn record(&self, kind: RecordKind, id: Uuid) -> Result<Option<Record>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                Ok(Self::current(&mut conn, kind, id).await?.and_then(|(_, record)| record))
            }

            async fn records(&self, kind: RecordKind) -> Result<Vec<Record>, StoreError> {
                let rows = sqlx::query("SELECT body FROM records WHERE kind = $1 AND body IS NOT NULL ORDER BY seq")
                    .bind(kind.as_str())
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(|row| decode(row.try_get::<&str, _>("body")?)).collect()
            }

            async fn put(&self, record: Record, expected: Expected, actor: &str) -> Result<Record, StoreError> {
                let now = Utc::now();
                let (kind, id) = (record.kind(), record.id());
                let mut tx = self.pool.begin().await?;
                let stored = Self::write(&mut tx, kind, id, Some(record), expected, now).await?;
                let stored = stored.ok_or(StoreError::NotFound)?;
                let action = if stored.version() == 1 { "create" } else { "update" };
                let detail = format!("version {}", stored.version());
                Self::log(&mut tx, now, actor, action, &format!("{}/{id}", kind.as_str()), &detail).await?;
                tx.commit().await?;
                Ok(stored)
            }

            async fn delete(&self, kind: RecordKind, id: Uuid, expected: Expected, actor: &str) -> Result<(), StoreError> {
                let now = Utc::now();
                let mut tx = self.pool.begin().await?;
                Self::write(&mut tx, kind, id, None, expected, now).await?;
                Self::log(&mut tx, now, actor, "delete", &format!("{}/{id}", kind.as_str()), "").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn import(&self, records: Vec<Record>, actor: &str) -> Result<usize, StoreError> {
                let now = Utc::now();
                let count = records.len();
                let mut tx = self.pool.begin().await?;
                for record in records {
                    let (kind, id) = (record.kind(), record.id());
                    Self::write(&mut tx, kind, id, Some(record), Expected::Any, now).await?;
                }
                Self::log(&mut tx, now, actor, "import", "records", &format!("{count} records")).await?;
                tx.commit().await?;
                Ok(count)
            }

            async fn head(&self) -> Result<u64, StoreError> {
                let row = sqlx::query("SELECT last_seq FROM feed_counter WHERE id = 1").fetch_one(&self.pool).await?;
                Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or_default())
            }

            async fn add_reports(
                &self,
                reports: &[Report],
                now: DateTime<Utc>,
            ) -> Result<Vec<Stored>, StoreError> {
                // One transaction, so one durable commit serves the whole batch.
                let mut tx = self.pool.begin().await?;
                let mut receipts = Vec::with_capacity(reports.len());
                for report in reports {
                    let id = report.id.to_string();
                    let inserted = sqlx::query(
                        "INSERT INTO reports (id, kind, description, observed_at, area, cross_streets, language,
                             status, received_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'received', $8, $8)
                         ON CONFLICT (id) DO NOTHING RETURNING received_at",
                    )
                    .bind(&id)
                    .bind(report.kind.as_str())
                    .bind(&report.description)
                    .bind(seconds(report.observed_at))
                    .bind(&report.area)
                    .bind(&report.cross_streets)
                    .bind(&report.language)
                    .bind(seconds(now))
                    .fetch_optional(&mut *tx)
                    .await?;
                    let receipt = |at| Ok::<_, StoreError>(Receipt { id: report.id, received_at: time(at)? });
                    let stored = match inserted {
                        Some(row) => Stored::New(receipt(row.try_get("received_at")?)?),
                        None => {
                            let row = sqlx::query(&format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1"))
                                .bind(&id)
                                .fetch_one(&mut *tx)
                                .await?;
                            let first = report_row(&row)?;
                            if first.same_report(report) { Stored::Repeat(receipt(row.try_get("received_at")?)?) } else { Stored::Taken }
                        }
                    };
                    receipts.push(stored);
                }
                // Organisers are told of new reports: one push job per area among them.
                let mut areas: Vec<Option<&str>> = reports
                    .iter()
                    .zip(&receipts)
                    .filter(|(_, stored)| matches!(stored, Stored::New(_)))
                    .map(|(report, _)| report.area.as_deref())
                    .collect();
                areas.sort();
                areas.dedup();
                for area in areas {
                    let job = (Audience::Reports, None, None, area);
                    Self::queue_push(&mut tx, job, now, now + REPORTS_PUSH_TTL).await?;
                }
                tx.commit().await?;
                Ok(receipts)
            }

            async fn report(&self, id: Uuid) -> Result<Option<StoredReport>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                Self::report_by_id(&mut conn, id).await
            }

            async fn unreviewed(&self) -> Result<u64, StoreError> {
                let row = sqlx::query("SELECT COUNT(*) FROM reports WHERE status = 'received'").fetch_one(&self.pool).await?;
                Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or_default())
            }

            async fn reports(&self, query: &ReportQuery) -> Result<Vec<StoredReport>, StoreError> {
                let (conditions, binds) = report_conditions(query, 1);
                let limit = query.limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
                let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE {conditions} ORDER BY received_at DESC, id DESC{limit}");
                let mut select = sqlx::query(&sql);
                for value in binds {
                    select = match value {
                        Bind::Text(text) => select.bind(text),
                        Bind::Int(int) => select.bind(int),
                    };
                }
                select.fetch_all(&self.pool).await?.iter().map(report_row).collect()
            }

            async fn reject_reports(&self, query: &ReportQuery, actor: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
                let query = ReportQuery { status: Some(ReportStatus::Received), after: None, limit: None, ..query.clone() };
                let (conditions, binds) = report_conditions(&query, 2);
                let sql = format!("UPDATE reports SET status = 'rejected', updated_at = $1 WHERE {conditions}");
                let mut update = sqlx::query(&sql).bind(seconds(now));
                for value in binds {
                    update = match value {
                        Bind::Text(text) => update.bind(text),
                        Bind::Int(int) => update.bind(int),
                    };
                }
                let mut tx = self.pool.begin().await?;
                let rejected = update.execute(&mut *tx).await?.rows_affected();
                Self::log(&mut tx, now, actor, "rejected", "reports", &format!("{rejected} at once")).await?;
                tx.commit().await?;
                Ok(rejected)
            }

            async fn set_report_status(
                &self,
                id: Uuid,
                status: ReportStatus,
                actor: &str,
                now: DateTime<Utc>,
            ) -> Result<StoredReport, StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::lock(&mut tx).await?;
                Self::transition(&mut tx, id, status, now).await?;
                Self::log(&mut tx, now, actor, status.as_str(), &format!("report/{id}"), "").await?;
                if status == ReportStatus::Resolved {
                    Self::withdraw_published(&mut tx, id, actor, now).await?;
                }
                let report = Self::report_by_id(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok(report)
            }

            async fn revise_alert(&self, alert: Alert, expected: u64, actor: &str, action: &str) -> Result<Alert, StoreError> {
                let now = Utc::now();
                let mut tx = self.pool.begin().await?;
                let alert = Self::write_alert(&mut tx, alert, Expected::Version(expected), now).await?;
                Self::log(&mut tx, now, actor, action, &format!("alert/{}", alert.id), "").await?;
                tx.commit().await?;
                Ok(alert)
            }

            async fn source_area(&self, alert: Uuid) -> Result<Option<String>, StoreError> {
                let row = sqlx::query("SELECT area FROM reports WHERE alert_id = $1")
                    .bind(alert.to_string())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| r.try_get::<Option<String>, _>("area")).transpose()?.flatten())
            }

            async fn verify_report(&self, id: Uuid, alert: Alert, actor: &str) -> Result<Alert, StoreError> {
                let now = alert.verified_at;
                let alert_id = alert.id;
                let mut tx = self.pool.begin().await?;
                Self::transition(&mut tx, id, ReportStatus::Verified, now).await?;
                let alert = Self::write_alert(&mut tx, alert, Expected::New, now).await?;
                sqlx::query("UPDATE reports SET alert_id = $1 WHERE id = $2")
                    .bind(alert_id.to_string())
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await?;
                let detail = format!("alert/{alert_id} until {}", alert.expires_at.to_rfc3339());
                Self::log(&mut tx, now, actor, "verified", &format!("report/{id}"), &detail).await?;
                tx.commit().await?;
                Ok(alert)
            }

            async fn add_user(&self, name: &str, password_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
                // A new password ends the user's sessions: one way to set one.
                super::AccountStore::set_password(self, name, password_hash, now).await.map(drop)
            }

            async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
                let row = sqlx::query("SELECT password_hash FROM users WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| r.try_get("password_hash")).transpose()?)
            }

            async fn create_session(&self, token_hash: &str, user: &str, expires_at: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO sessions (token_hash, user_name, expires_at) VALUES ($1, $2, $3)")
                    .bind(token_hash)
                    .bind(user)
                    .bind(seconds(expires_at))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<String>, StoreError> {
                let row = sqlx::query("SELECT user_name, last_seen FROM sessions WHERE token_hash = $1 AND expires_at > $2")
                    .bind(token_hash)
                    .bind(seconds(now))
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                // Seen now, written at most once every SEEN_EVERY.
                let seen: Option<i64> = row.try_get("last_seen")?;
                if seen.is_none_or(|seen| seen <= seconds(now - super::accounts::SEEN_EVERY)) {
                    sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                        .bind(seconds(now))
                        .bind(token_hash)
                        .execute(&self.pool)
                        .await?;
                }
                Ok(Some(row.try_get("user_name")?))
            }

            async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
                let rows = sqlx::query("SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT $1")
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok(AuditEntry {
                            at: time(row.try_get("at")?)?,
                            actor: row.try_get("actor")?,
                            action: row.try_get("action")?,
                            target: row.try_get("target")?,
                            detail: row.try_get("detail")?,
                        })
                    })
                    .collect()
            }

            async fn scrub(&self) -> Result<(), StoreError> {
                sqlx::query(Self::SCRUB).execute(&self.pool).await?;
                Ok(())
            }

            async fn close(&self) {
                self.pool.close().await;
            }

            async fn sweep(&self, now: DateTime<Utc>, retention: Retention) -> Result<Sweep, StoreError> {
                let mut sweep = Sweep::default();
                let mut tx = self.pool.begin().await?;
                Self::lock(&mut tx).await?;
                let expired = sqlx::query(
                    "SELECT id FROM records WHERE kind = 'alert' AND body IS NOT NULL AND expires_at <= $1",
                )
                .bind(seconds(now))
                .fetch_all(&mut *tx)
                .await?;
                for row in &expired {
                    let id: Uuid = row
                        .try_get::<&str, _>("id")?
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("alert id: {e}")))?;
                    Self::write(&mut tx, RecordKind::Alert, id, None, Expected::Any, now).await?;
                    sweep.expired_alerts += 1;
                }
                // The audit trail keeps what organisers did, but not which report led to which
                // alert once the report is gone: a seized server cannot link a phone's report id
                // to what was published.
                sqlx::query("UPDATE audit SET target = 'report' WHERE target IN (SELECT 'report/' || id FROM reports WHERE received_at < $1)")
                    .bind(seconds(now - retention.reports))
                    .execute(&mut *tx)
                    .await?;
                sweep.deleted_reports = sqlx::query("DELETE FROM reports WHERE received_at < $1")
                    .bind(seconds(now - retention.reports))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(seconds(now)).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM sign_in_failures WHERE last_failed_ms < $1")
                    .bind((now - super::FAILURES_KEPT).timestamp_millis())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM devices WHERE last_used_at <= $1")
                    .bind(seconds(now - super::DEVICES_KEPT))
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM push_subscriptions WHERE expires_at <= $1").bind(seconds(now)).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM push_jobs WHERE expires_at <= $1").bind(seconds(now)).execute(&mut *tx).await?;
                let cutoff = seconds(now - retention.tombstones);
                let row = sqlx::query("SELECT MAX(seq) FROM records WHERE body IS NULL AND changed_at < $1")
                    .bind(cutoff)
                    .fetch_one(&mut *tx)
                    .await?;
                if let Some(horizon) = row.try_get::<Option<i64>, _>(0)? {
                    sweep.collected_tombstones = sqlx::query("DELETE FROM records WHERE body IS NULL AND seq <= $1")
                        .bind(horizon)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    sqlx::query("UPDATE feed_counter SET horizon = $1 WHERE id = 1 AND horizon < $1")
                        .bind(horizon)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(sweep)
            }

            fn push(&self) -> &dyn PushStore {
                self
            }

            fn accounts(&self) -> &dyn super::AccountStore {
                self
            }

            fn pow_v2_since(&self) -> DateTime<Utc> {
                self.pow_v2_since
            }
        }

        #[async_trait]
        impl PushStore for $store {
            async fn subscribe(&self, sub: &Subscription, expires_at: DateTime<Utc>, max: u64) -> Result<Subscribed, StoreError> {
                let cells = stored_cells(&sub.cells);
                let mut tx = self.pool.begin().await?;
                let renewed = sqlx::query(
                    "UPDATE push_subscriptions SET p256dh = $3, auth = $4, cells = $5, expires_at = $6
                     WHERE endpoint = $1 AND audience = $2",
                )
                .bind(&sub.endpoint)
                .bind(sub.audience.as_str())
                .bind(&sub.keys.p256dh)
                .bind(&sub.keys.auth)
                .bind(&cells)
                .bind(seconds(expires_at))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if renewed > 0 {
                    tx.commit().await?;
                    return Ok(Subscribed::Renewed);
                }
                let count: i64 = sqlx::query("SELECT COUNT(*) FROM push_subscriptions").fetch_one(&mut *tx).await?.try_get(0)?;
                if u64::try_from(count).unwrap_or(u64::MAX) >= max {
                    return Ok(Subscribed::Full);
                }
                // A concurrent insert of the same subscription makes this one a renewal.
                sqlx::query(
                    "INSERT INTO push_subscriptions (endpoint, audience, p256dh, auth, cells, expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (endpoint, audience) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth,
                         cells = excluded.cells, expires_at = excluded.expires_at",
                )
                .bind(&sub.endpoint)
                .bind(sub.audience.as_str())
                .bind(&sub.keys.p256dh)
                .bind(&sub.keys.auth)
                .bind(&cells)
                .bind(seconds(expires_at))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Subscribed::New)
            }

            async fn unsubscribe(&self, endpoint: &str, audience: Option<Audience>) -> Result<(), StoreError> {
                match audience {
                    Some(audience) => {
                        sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND audience = $2")
                            .bind(endpoint)
                            .bind(audience.as_str())
                            .execute(&self.pool)
                            .await?
                    }
                    None => sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1").bind(endpoint).execute(&self.pool).await?,
                };
                Ok(())
            }

            async fn claim_push_jobs(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: u32) -> Result<Vec<PushJob>, StoreError> {
                // The outer `next_at <= $1` is checked again on PostgreSQL once a concurrent
                // claim of the same row commits, so two servers never take one job.
                let rows = sqlx::query(
                    "UPDATE push_jobs SET next_at = $2
                     WHERE id IN (SELECT id FROM push_jobs WHERE next_at <= $1 ORDER BY id LIMIT $3) AND next_at <= $1
                     RETURNING id, audience, alert, kind, area, expires_at, attempts",
                )
                .bind(seconds(now))
                .bind(seconds(lease_until))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                let mut jobs = rows.iter()
                    .map(|row| {
                        let audience: &str = row.try_get("audience")?;
                        let kind: Option<&str> = row.try_get("kind")?;
                        let alert: Option<&str> = row.try_get("alert")?;
                        Ok(PushJob {
                            id: row.try_get("id")?,
                            audience: Audience::parse(audience).ok_or_else(|| StoreError::Corrupt(format!("audience {audience}")))?,
                            alert: alert
                                .map(|id| id.parse().map_err(|e| StoreError::Corrupt(format!("push alert {id}: {e}"))))
                                .transpose()?,
                            kind: kind
                                .map(|k| vecinos_core::ReportKind::parse(k).ok_or_else(|| StoreError::Corrupt(format!("push kind {k}"))))
                                .transpose()?,
                            area: row.try_get("area")?,
                            expires_at: time(row.try_get("expires_at")?)?,
                            attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                jobs.sort_by_key(|job| job.id);
                Ok(jobs)
            }

            async fn lease_push_job(&self, job: i64, until: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query("UPDATE push_jobs SET next_at = $2 WHERE id = $1").bind(job).bind(seconds(until)).execute(&self.pool).await?;
                Ok(())
            }

            async fn push_targets(&self, job: &PushJob, after: &str, now: DateTime<Utc>, limit: u32) -> Result<Vec<Target>, StoreError> {
                let patterns = cell_patterns(job.area.as_deref());
                let covering = (0..patterns.len()).map(|i| format!("s.cells LIKE ${}", i + 6)).collect::<Vec<_>>().join(" OR ");
                let sql = format!(
                    "SELECT s.endpoint, s.p256dh, s.auth FROM push_subscriptions s
                     WHERE s.audience = $1 AND s.endpoint > $2 AND s.expires_at > $3 AND ({covering})
                       AND NOT EXISTS (SELECT 1 FROM push_deliveries d WHERE d.job = $4 AND d.endpoint = s.endpoint)
                     ORDER BY s.endpoint LIMIT $5"
                );
                let mut query = sqlx::query(&sql)
                    .bind(job.audience.as_str())
                    .bind(after)
                    .bind(seconds(now))
                    .bind(job.id)
                    .bind(i64::from(limit));
                for pattern in &patterns {
                    query = query.bind(pattern);
                }
                let rows = query.fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|row| {
                        Ok(Target {
                            endpoint: row.try_get("endpoint")?,
                            p256dh: row.try_get("p256dh")?,
                            auth: row.try_get("auth")?,
                        })
                    })
                    .collect()
            }

            async fn push_delivered(&self, job: i64, endpoints: &[String]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                for endpoint in endpoints {
                    sqlx::query("INSERT INTO push_deliveries (job, endpoint) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(job)
                        .bind(endpoint)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn finish_push_job(&self, job: i64) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM push_deliveries WHERE job = $1").bind(job).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM push_jobs WHERE id = $1").bind(job).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn retry_push_job(&self, job: i64, next_at: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query("UPDATE push_jobs SET attempts = attempts + 1, next_at = $2 WHERE id = $1")
                    .bind(job)
                    .bind(seconds(next_at))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn vapid_key(&self, generated: &str) -> Result<String, StoreError> {
                sqlx::query("INSERT INTO push_vapid (id, private_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
                    .bind(generated)
                    .execute(&self.pool)
                    .await?;
                let row = sqlx::query("SELECT private_key FROM push_vapid WHERE id = 1").fetch_one(&self.pool).await?;
                Ok(row.try_get("private_key")?)
            }

            async fn replace_vapid_key(&self, key: &str) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO push_vapid (id, private_key) VALUES (1, $1)
                     ON CONFLICT (id) DO UPDATE SET private_key = excluded.private_key",
                )
                .bind(key)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}

pub(super) use impl_store;
