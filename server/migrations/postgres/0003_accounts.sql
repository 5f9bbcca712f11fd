-- Organiser accounts under attack (issue 14): failed sign-ins per name, trusted browsers, and
-- ending a user's sessions at once.

-- Untrusted sign-in attempts per name since its last success. Names without an account are
-- counted too, so the delays reveal nothing about which names exist. Times in milliseconds: the
-- first delays are a second or two. Retention deletes a row a day after its last attempt.
CREATE TABLE sign_in_failures (
    name           TEXT PRIMARY KEY,
    failures       BIGINT NOT NULL,
    last_failed_ms BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_age ON sign_in_failures (last_failed_ms);

-- Browsers that signed in as a user: only a hash of each device token is stored. A device's
-- own failed attempts since its last success count here; at the limit it is forgotten.
CREATE TABLE devices (
    token_hash   TEXT PRIMARY KEY,
    user_name    TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    failures     BIGINT NOT NULL
);
CREATE INDEX devices_user ON devices (user_name);

-- Ending every session of a user (a new password, sign-out, removal).
CREATE INDEX sessions_user ON sessions (user_name);
