-- Vecinos on PostgreSQL: the same tables as on SQLite, with BIGSERIAL for the audit trail.

-- One row: the last sequence number handed out and the tombstone horizon (the highest sequence
-- number of a tombstone already collected). Writers to the feed take the next number by updating
-- this row inside their transaction, so numbers become visible in order.
CREATE TABLE feed_counter (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL,
    horizon  BIGINT NOT NULL
);
INSERT INTO feed_counter (id, last_seq, horizon) VALUES (1, 0, 0);

-- The current state of every record and the change feed at once: each write renumbers the row.
-- A deletion leaves a tombstone (body NULL) until retention collects it.
CREATE TABLE records (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    seq        BIGINT NOT NULL UNIQUE,
    version    BIGINT NOT NULL,
    body       TEXT,
    changed_at BIGINT NOT NULL,
    expires_at BIGINT,
    PRIMARY KEY (kind, id)
);
CREATE INDEX records_expiry ON records (expires_at);

-- Raw reports: never public, deleted for real after the retention period. No address, no user
-- agent, no position finer than a 7-character geohash.
CREATE TABLE reports (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    description   TEXT NOT NULL,
    observed_at   BIGINT NOT NULL,
    area          TEXT,
    cross_streets TEXT,
    language      TEXT NOT NULL,
    status        TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX reports_by_status ON reports (status, received_at);

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Only a hash of each session token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

-- Who did what: moderation and edits, for organisers only.
CREATE TABLE audit (
    id     BIGSERIAL PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
