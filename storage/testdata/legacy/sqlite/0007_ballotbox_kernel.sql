-- Ballot box (voting/ballotbox), SQLite: the kernel's identity model
-- and exactly once per person across channels.
--
-- The voter salt leaves ballotbox_elections for its own table, apart from
-- the election, the census and the register. secret_check fingerprints the
-- Service secret that keys an election's voter keys; salts carried over
-- have none: the keys of those elections were computed without the
-- secret, and keep being so.
CREATE TABLE ballotbox_salts (
    election_id TEXT PRIMARY KEY REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    salt        TEXT NOT NULL,
    secret_check TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
INSERT INTO ballotbox_salts (election_id, salt, secret_check)
    SELECT id, salt, '' FROM ballotbox_elections;
ALTER TABLE ballotbox_elections DROP COLUMN salt;

-- When the election's process closed it before its published close
-- (Unix microseconds); NULL when it runs its whole window.
ALTER TABLE ballotbox_elections ADD COLUMN closed_at INTEGER;

-- Paper reconciliation per polling place: voters marked there and sheets
-- of its batches counted. An append takes a sheet only while sheets <
-- marked. No row names anyone. Places with paper ballots on the board
-- before this migration start with as many marks as sheets (their marks
-- were not counted then).
CREATE TABLE ballotbox_places (
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    place       TEXT NOT NULL,
    marked      INTEGER NOT NULL,
    sheets      INTEGER NOT NULL,
    PRIMARY KEY (election_id, place)
) WITHOUT ROWID;
INSERT INTO ballotbox_places (election_id, place, marked, sheets)
    SELECT election_id, place, COUNT(*), COUNT(*) FROM ballotbox_entries
    WHERE channel = 'paper' AND replaces = '' AND ballot IS NOT NULL
    GROUP BY election_id, place;
