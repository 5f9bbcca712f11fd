//! Storage for organiser accounts under attack (issue 14, findings 2, 3 and 8): what a new
//! password, a removal or a sign-out command ends; failed sign-ins per name; and trusted browsers
//! (devices). Implemented once in SQL for both backends by `impl_accounts!`.
//!
//! All of it lives in the database, not in a server's memory, so that a command (`vecinos-server
//! user unlock`) changes it for a running server and the servers of a PostgreSQL deployment agree.
//! The policy (how long an attempt waits, how many failures a device may have) is the caller's:
//! `crate::throttle` and `api/session.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::StoreError;

/// How long the failed sign-ins of a name are remembered after the last one.
pub const FAILURES_KEPT: Duration = Duration::hours(24);
/// How long a browser stays trusted without signing in again (its cookie's Max-Age too).
pub const DEVICES_KEPT: Duration = Duration::days(180);
/// The most names whose failed sign-ins are remembered; past it the oldest are forgotten first.
pub const FAILURE_NAMES: u64 = 100_000;
/// The most trusted browsers per user; one more forgets the least recently used.
pub const DEVICES_PER_USER: u64 = 20;

/// How a name typed at sign-in is kept in `sign_in_failures`: its SHA-256, never the name.
/// People type passwords, e-mail addresses and real names into the name field, and a seized
/// database must not show them; a command that unlocks a name hashes it the same way.
pub fn failure_key(name: &str) -> String {
    crate::auth::token_hash(name)
}

/// Untrusted sign-in attempts for a name since its last success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    /// When the last was counted (to the millisecond).
    pub last: DateTime<Utc>,
}

/// What ending a user's access took away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignedOut {
    pub sessions: u64,
    pub devices: u64,
}

/// What `set_password` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSaved {
    Created,
    /// The user had a password: every session of theirs ended and their browsers are forgotten.
    Replaced(SignedOut),
}

/// How long an invite link works.
pub const INVITE_KEPT: Duration = Duration::hours(24);

/// What using an invite did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// The organiser exists now; the invite is used up.
    Created { invited_by: String },
    /// An organiser already has that name; the invite still works.
    NameTaken,
}

/// An organiser, as the team list shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub name: String,
    pub admin: bool,
}

/// One of an organiser's sessions, as their own list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSeen {
    pub token_hash: String,
    /// When it was last used (to `SEEN_EVERY`), or made.
    pub last_seen: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

/// How often a session's `last_seen` is written: at most once in this time, so that an
/// organiser's requests are not each a write.
pub const SEEN_EVERY: Duration = Duration::minutes(5);

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates the user `name`, or gives them a new password; then, in the same transaction, every
    /// session of theirs ends and every browser trusted for them is forgotten.
    async fn set_password(
        &self,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<UserSaved, StoreError>;
    /// Deletes the user with their sessions and trusted browsers; `NotFound` for an unknown name.
    async fn remove_user(&self, name: &str) -> Result<SignedOut, StoreError>;
    /// Ends every session of the user and forgets their trusted browsers; `NotFound` for an
    /// unknown name.
    async fn sign_out_user(&self, name: &str) -> Result<SignedOut, StoreError>;

    /// The untrusted attempts counted for `name` (an account or not), unless the last is older
    /// than `FAILURES_KEPT`.
    async fn sign_in_failures(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Failures>, StoreError>;
    /// Counts an untrusted attempt for `name` before its password is checked, if its failures are
    /// still `seen` (what `sign_in_failures` said). False when another attempt was counted in
    /// between: read again and decide again, so concurrent attempts never share one turn. Past
    /// `max_names` names, the oldest are forgotten.
    async fn count_sign_in_attempt(
        &self,
        name: &str,
        seen: Option<Failures>,
        now: DateTime<Utc>,
        max_names: u64,
    ) -> Result<bool, StoreError>;
    /// The attempt counted for `name` failed: its wait runs from `now`, when the answer is known,
    /// rather than from when the attempt was counted.
    async fn sign_in_failed(&self, name: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Forgets the failures of `name` (a success, or `user unlock`); whether there were any.
    async fn clear_sign_in_failures(&self, name: &str) -> Result<bool, StoreError>;

    /// Trusts the browser with this token for `user` from now on. Past `max_per_user` browsers of
    /// theirs, the least recently used are forgotten.
    async fn add_device(
        &self,
        token_hash: &str,
        user: &str,
        now: DateTime<Utc>,
        max_per_user: u64,
    ) -> Result<(), StoreError>;
    /// Whether the browser `token_hash` is trusted for `user`: it signed in as `user`, was used
    /// within `DEVICES_KEPT`, and has had fewer than `limit` attempts since its last success.
    async fn trusted_device(
        &self,
        token_hash: &str,
        user: &str,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<bool, StoreError>;
    /// Counts an attempt by the browser `token_hash` to sign in as `user` before its password is
    /// checked, if the browser is trusted for `user`, was used within `DEVICES_KEPT` and has had
    /// fewer than `limit` attempts since its last success: how many it has now. None: not trusted.
    async fn count_device_attempt(
        &self,
        token_hash: &str,
        user: &str,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Option<u32>, StoreError>;
    /// A trusted browser signed in: its attempts start from zero again.
    async fn device_signed_in(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn delete_device(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Keeps a one-time invite (the hash of its token) made by `by`, usable until `expires_at`.
    /// Invites past their time are forgotten on the way.
    async fn add_invite(
        &self,
        token_hash: &str,
        by: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Whether the invite `token_hash` can still be used.
    async fn invite_open(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Uses the invite: the organiser `name` (not an admin) is created and the invite deleted, in
    /// one transaction, with a line in the audit trail. `NotFound`: no such invite, or used, or
    /// past its time.
    async fn join(
        &self,
        token_hash: &str,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Joined, StoreError>;
    /// `remove_user` by an admin, with a line in the audit trail.
    async fn remove_member(
        &self,
        name: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<SignedOut, StoreError>;
    /// Every organiser, by name.
    async fn members(&self) -> Result<Vec<Member>, StoreError>;
    /// Whether `name` is an admin (false for an unknown name).
    async fn is_admin(&self, name: &str) -> Result<bool, StoreError>;
    /// The unexpired sessions of `name`, most recently seen first.
    async fn sessions_of(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<SessionSeen>, StoreError>;
    /// Ends one session of `name`; false when they have no such session.
    async fn end_session_of(&self, name: &str, token_hash: &str) -> Result<bool, StoreError>;
}

/// Milliseconds since the epoch, as the failures table keeps them.
pub(super) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(super) fn from_millis(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("time {ms} ms out of range")))
}

macro_rules! impl_accounts {
    ($store:ident, $db:ty) => {
        #[async_trait::async_trait]
        impl super::AccountStore for $store {
            async fn set_password(
                &self,
                name: &str,
                password_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<super::UserSaved, StoreError> {
                // Writes first, reads never: a SQLite transaction that reads and then writes
                // can fail at once (SQLITE_BUSY) when another connection wrote in between.
                let mut tx = self.pool.begin().await?;
                let existed = sqlx::query("UPDATE users SET password_hash = $2 WHERE name = $1")
                    .bind(name)
                    .bind(password_hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    > 0;
                if !existed {
                    // The first account is an admin.
                    sqlx::query(
                        "INSERT INTO users (name, password_hash, created_at, admin)
                         VALUES ($1, $2, $3, NOT EXISTS (SELECT 1 FROM users))",
                    )
                    .bind(name)
                    .bind(password_hash)
                    .bind(now.timestamp())
                    .execute(&mut *tx)
                    .await?;
                }
                let saved = if existed {
                    super::UserSaved::Replaced(Self::end_access(&mut tx, name).await?)
                } else {
                    super::UserSaved::Created
                };
                tx.commit().await?;
                Ok(saved)
            }

            async fn remove_user(&self, name: &str) -> Result<super::SignedOut, StoreError> {
                let mut tx = self.pool.begin().await?;
                let ended = Self::delete_user(&mut tx, name).await?;
                tx.commit().await?;
                Ok(ended)
            }

            async fn sign_out_user(&self, name: &str) -> Result<super::SignedOut, StoreError> {
                // A write first (it changes nothing), so the transaction holds SQLite's write
                // lock before it reads: see `set_password`.
                let mut tx = self.pool.begin().await?;
                let known = sqlx::query("UPDATE users SET name = name WHERE name = $1")
                    .bind(name)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    > 0;
                if !known {
                    return Err(StoreError::NotFound);
                }
                let ended = Self::end_access(&mut tx, name).await?;
                tx.commit().await?;
                Ok(ended)
            }

            async fn sign_in_failures(
                &self,
                name: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<Option<super::Failures>, StoreError> {
                use sqlx::Row;
                let row = sqlx::query(
                    "SELECT failures, last_failed_ms FROM sign_in_failures
                     WHERE name = $1 AND last_failed_ms >= $2",
                )
                .bind(super::accounts::failure_key(name))
                .bind(super::accounts::millis(now - super::FAILURES_KEPT))
                .fetch_optional(&self.pool)
                .await?;
                let Some(row) = row else { return Ok(None) };
                Ok(Some(super::Failures {
                    count: u32::try_from(row.try_get::<i64, _>("failures")?).unwrap_or(u32::MAX),
                    last: super::accounts::from_millis(row.try_get("last_failed_ms")?)?,
                }))
            }

            async fn count_sign_in_attempt(
                &self,
                name: &str,
                seen: Option<super::Failures>,
                now: chrono::DateTime<chrono::Utc>,
                max_names: u64,
            ) -> Result<bool, StoreError> {
                use sqlx::Row;
                let now_ms = super::accounts::millis(now);
                let Some(seen) = seen else {
                    // A new name, or one whose failures were old enough to forget.
                    let counted = sqlx::query(
                        "INSERT INTO sign_in_failures (name, failures, last_failed_ms) VALUES ($1, 1, $2)
                         ON CONFLICT (name) DO UPDATE SET failures = 1, last_failed_ms = excluded.last_failed_ms
                         WHERE sign_in_failures.last_failed_ms < $3",
                    )
                    .bind(super::accounts::failure_key(name))
                    .bind(now_ms)
                    .bind(super::accounts::millis(now - super::FAILURES_KEPT))
                    .execute(&self.pool)
                    .await?
                    .rows_affected()
                        == 1;
                    if counted {
                        let names: i64 = sqlx::query("SELECT COUNT(*) FROM sign_in_failures")
                            .fetch_one(&self.pool)
                            .await?
                            .try_get(0)?;
                        let excess = names.saturating_sub(i64::try_from(max_names).unwrap_or(i64::MAX));
                        if excess > 0 {
                            sqlx::query(
                                "DELETE FROM sign_in_failures WHERE name IN
                                 (SELECT name FROM sign_in_failures ORDER BY last_failed_ms LIMIT $1)",
                            )
                            .bind(excess)
                            .execute(&self.pool)
                            .await?;
                        }
                    }
                    return Ok(counted);
                };
                let counted = sqlx::query(
                    "UPDATE sign_in_failures SET failures = failures + 1, last_failed_ms = $2
                     WHERE name = $1 AND failures = $3 AND last_failed_ms = $4",
                )
                .bind(super::accounts::failure_key(name))
                .bind(now_ms)
                .bind(i64::from(seen.count))
                .bind(super::accounts::millis(seen.last))
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(counted == 1)
            }

            async fn sign_in_failed(
                &self,
                name: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE sign_in_failures SET last_failed_ms = $2 WHERE name = $1 AND last_failed_ms < $2",
                )
                .bind(super::accounts::failure_key(name))
                .bind(super::accounts::millis(now))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn clear_sign_in_failures(&self, name: &str) -> Result<bool, StoreError> {
                let cleared = sqlx::query("DELETE FROM sign_in_failures WHERE name = $1")
                    .bind(super::accounts::failure_key(name))
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(cleared > 0)
            }

            async fn add_device(
                &self,
                token_hash: &str,
                user: &str,
                now: chrono::DateTime<chrono::Utc>,
                max_per_user: u64,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO devices (token_hash, user_name, created_at, last_used_at, failures)
                     VALUES ($1, $2, $3, $3, 0)",
                )
                .bind(token_hash)
                .bind(user)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?;
                let others = i64::try_from(max_per_user.saturating_sub(1)).unwrap_or(i64::MAX);
                sqlx::query(
                    "DELETE FROM devices WHERE user_name = $1 AND token_hash <> $2 AND token_hash NOT IN
                     (SELECT token_hash FROM devices WHERE user_name = $1 AND token_hash <> $2
                      ORDER BY last_used_at DESC LIMIT $3)",
                )
                .bind(user)
                .bind(token_hash)
                .bind(others)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn trusted_device(
                &self,
                token_hash: &str,
                user: &str,
                now: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> Result<bool, StoreError> {
                let row = sqlx::query(
                    "SELECT 1 FROM devices
                     WHERE token_hash = $1 AND user_name = $2 AND failures < $3 AND last_used_at > $4",
                )
                .bind(token_hash)
                .bind(user)
                .bind(i64::from(limit))
                .bind((now - super::DEVICES_KEPT).timestamp())
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.is_some())
            }

            async fn count_device_attempt(
                &self,
                token_hash: &str,
                user: &str,
                now: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> Result<Option<u32>, StoreError> {
                use sqlx::Row;
                let row = sqlx::query(
                    "UPDATE devices SET failures = failures + 1
                     WHERE token_hash = $1 AND user_name = $2 AND failures < $3 AND last_used_at > $4
                     RETURNING failures",
                )
                .bind(token_hash)
                .bind(user)
                .bind(i64::from(limit))
                .bind((now - super::DEVICES_KEPT).timestamp())
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    Ok(u32::try_from(row.try_get::<i64, _>("failures")?).unwrap_or(u32::MAX))
                })
                .transpose()
            }

            async fn device_signed_in(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query("UPDATE devices SET failures = 0, last_used_at = $2 WHERE token_hash = $1")
                    .bind(token_hash)
                    .bind(now.timestamp())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_device(&self, token_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM devices WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn add_invite(
                &self,
                token_hash: &str,
                by: &str,
                now: chrono::DateTime<chrono::Utc>,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM invites WHERE expires_at <= $1")
                    .bind(now.timestamp())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO invites (token_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(by)
                    .bind(now.timestamp())
                    .bind(expires_at.timestamp())
                    .execute(&mut *tx)
                    .await?;
                Self::log(&mut tx, now, by, "invite", "", "").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn invite_open(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, StoreError> {
                let row = sqlx::query("SELECT 1 FROM invites WHERE token_hash = $1 AND expires_at > $2")
                    .bind(token_hash)
                    .bind(now.timestamp())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.is_some())
            }

            async fn join(
                &self,
                token_hash: &str,
                name: &str,
                password_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<super::Joined, StoreError> {
                use sqlx::Row as _;
                // Writes first (see `set_password`); a taken name rolls the invite back.
                let mut tx = self.pool.begin().await?;
                let invite = sqlx::query("DELETE FROM invites WHERE token_hash = $1 AND expires_at > $2 RETURNING created_by")
                    .bind(token_hash)
                    .bind(now.timestamp())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(invite) = invite else {
                    return Err(StoreError::NotFound);
                };
                let invited_by: String = invite.try_get("created_by")?;
                let created = sqlx::query(
                    "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3)
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(password_hash)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if created == 0 {
                    return Ok(super::Joined::NameTaken);
                }
                Self::log(&mut tx, now, &invited_by, "join", name, "").await?;
                tx.commit().await?;
                Ok(super::Joined::Created { invited_by })
            }

            async fn remove_member(
                &self,
                name: &str,
                by: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<super::SignedOut, StoreError> {
                let mut tx = self.pool.begin().await?;
                let ended = Self::delete_user(&mut tx, name).await?;
                Self::log(&mut tx, now, by, "remove_organiser", name, "").await?;
                tx.commit().await?;
                Ok(ended)
            }

            async fn members(&self) -> Result<Vec<super::Member>, StoreError> {
                use sqlx::Row as _;
                let rows = sqlx::query("SELECT name, admin FROM users ORDER BY name")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok(super::Member {
                            name: row.try_get("name")?,
                            admin: row.try_get("admin")?,
                        })
                    })
                    .collect()
            }

            async fn sessions_of(
                &self,
                name: &str,
                now: DateTime<Utc>,
            ) -> Result<Vec<super::SessionSeen>, StoreError> {
                use sqlx::Row as _;
                let rows = sqlx::query(
                    "SELECT token_hash, last_seen, expires_at FROM sessions \
                     WHERE user_name = $1 AND expires_at > $2 \
                     ORDER BY COALESCE(last_seen, 0) DESC, expires_at DESC",
                )
                .bind(name)
                .bind(now.timestamp())
                .fetch_all(&self.pool)
                .await?;
                let at = |seconds: i64| {
                    DateTime::from_timestamp(seconds, 0)
                        .ok_or_else(|| StoreError::Corrupt(format!("time {seconds} s out of range")))
                };
                rows.iter()
                    .map(|row| {
                        let seen: Option<i64> = row.try_get("last_seen")?;
                        Ok(super::SessionSeen {
                            token_hash: row.try_get("token_hash")?,
                            last_seen: seen.map(at).transpose()?,
                            expires_at: at(row.try_get("expires_at")?)?,
                        })
                    })
                    .collect()
            }

            async fn end_session_of(&self, name: &str, token_hash: &str) -> Result<bool, StoreError> {
                let ended = sqlx::query("DELETE FROM sessions WHERE user_name = $1 AND token_hash = $2")
                    .bind(name)
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(ended > 0)
            }

            async fn is_admin(&self, name: &str) -> Result<bool, StoreError> {
                use sqlx::Row as _;
                let row = sqlx::query("SELECT admin FROM users WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(match row {
                    Some(row) => row.try_get("admin")?,
                    None => false,
                })
            }
        }

        impl $store {
            /// Ends every session of `name` and forgets their trusted browsers, inside the
            /// caller's transaction.
            /// Deletes the user with their sessions and trusted browsers; `NotFound` for an
            /// unknown name.
            async fn delete_user(
                conn: &mut <$db as sqlx::Database>::Connection,
                name: &str,
            ) -> Result<super::SignedOut, StoreError> {
                let ended = Self::end_access(&mut *conn, name).await?;
                let removed = sqlx::query("DELETE FROM users WHERE name = $1")
                    .bind(name)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                if removed == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(ended)
            }

            async fn end_access(
                conn: &mut <$db as sqlx::Database>::Connection,
                name: &str,
            ) -> Result<super::SignedOut, StoreError> {
                let sessions = sqlx::query("DELETE FROM sessions WHERE user_name = $1")
                    .bind(name)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                let devices = sqlx::query("DELETE FROM devices WHERE user_name = $1")
                    .bind(name)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                Ok(super::SignedOut { sessions, devices })
            }
        }
    };
}

pub(super) use impl_accounts;
