-- Web Push. A subscription holds what sending needs and nothing else: no address, no agent, no
-- account, no creation time. Cells are the geohash cells (1 to 5 characters) it watches, stored
-- as " cell1 cell2 " so that one LIKE per area prefix finds the subscriptions an area concerns.
CREATE TABLE push_subscriptions (
    endpoint   TEXT NOT NULL,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    cells      TEXT NOT NULL,
    audience   TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (endpoint, audience)
);
CREATE INDEX push_subscriptions_expiry ON push_subscriptions (expires_at);

-- The durable fan-out queue: one row per published alert (or batch of new reports), written in
-- the same transaction; the push worker expands it and deletes it when done or expired.
CREATE TABLE push_jobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    audience   TEXT NOT NULL,
    alert      TEXT,
    kind       TEXT,
    area       TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL,
    next_at    BIGINT NOT NULL
);
CREATE INDEX push_jobs_due ON push_jobs (next_at);

-- Which subscriptions a job has reached, so that a restart never sends twice.
CREATE TABLE push_deliveries (
    job      BIGINT NOT NULL REFERENCES push_jobs (id) ON DELETE CASCADE,
    endpoint TEXT NOT NULL,
    PRIMARY KEY (job, endpoint)
);

-- The VAPID private key (base64url of the 32-byte P-256 scalar), made on first start and shared
-- by every server of a PostgreSQL deployment.
CREATE TABLE push_vapid (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    private_key TEXT NOT NULL
);
