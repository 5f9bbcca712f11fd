-- Organisers run their team from the app (issue 17): an admin role, and one-time invites.

-- Admins can remove organisers. The first account made is one (for an existing deployment, the
-- oldest account); accounts made later, by the command or an invite, are not.
ALTER TABLE users ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET admin = TRUE
WHERE name = (SELECT name FROM users ORDER BY created_at, name LIMIT 1);

-- An invite link works once, within a day: only a hash of its token is stored.
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    created_by TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
