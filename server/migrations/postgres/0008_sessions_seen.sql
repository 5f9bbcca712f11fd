-- An organiser sees their own sessions by when each was last used (issue 17): never by address
-- or browser, which the server does not keep. Updated at most every few minutes; NULL until then.
ALTER TABLE sessions ADD COLUMN last_seen BIGINT;
