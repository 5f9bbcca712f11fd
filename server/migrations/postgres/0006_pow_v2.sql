-- When proof-of-work scheme v2 (eight parts, issue 16) started here: the time this migration ran,
-- in seconds. Stamps of scheme v1 are still accepted while their salt's day is no later than this
-- one's (`api::reports::check_stamp`), so reports stamped before the switch, waiting on phones,
-- get in; after that window phones are told to stamp again. Read once when each server's store
-- opens; every server of a deployment reads the same row.
CREATE TABLE pow_scheme (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    v2_since BIGINT NOT NULL
);
-- Whole seconds, rounded down (a cast alone would round, up to half a second into the future).
INSERT INTO pow_scheme (id, v2_since) VALUES (1, floor(EXTRACT(EPOCH FROM now()))::BIGINT);
