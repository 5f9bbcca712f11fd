-- The change feed and the current state in one table: each record has exactly one row, and every
-- write replaces that row under a new, higher sequence number (AUTOINCREMENT never reuses one).
-- A deletion leaves a tombstone row whose body is NULL.
CREATE TABLE records (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id   TEXT NOT NULL,
    body TEXT,
    UNIQUE (kind, id)
);
