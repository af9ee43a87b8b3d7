-- Ballot box (voting/ballotbox), MariaDB / MySQL: the kernel's identity
-- model and exactly once per person across channels.
--
-- The voter salt leaves ballotbox_elections for its own table, apart from
-- the election, the census and the register. secret_check fingerprints the
-- Service secret that keys an election's voter keys; salts carried over
-- have none: the keys of those elections were computed without the
-- secret, and keep being so.
CREATE TABLE ballotbox_salts (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    salt        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    secret_check CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    CONSTRAINT ballotbox_salts_election_fk FOREIGN KEY (election_id) REFERENCES ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;
INSERT INTO ballotbox_salts (election_id, salt, secret_check)
    SELECT id, salt, '' FROM ballotbox_elections;
ALTER TABLE ballotbox_elections DROP COLUMN salt;

-- When the election's process closed it before its published close
-- (Unix microseconds); NULL when it runs its whole window.
ALTER TABLE ballotbox_elections ADD COLUMN closed_at BIGINT NULL;

-- Paper reconciliation per polling place: voters marked there and sheets
-- of its batches counted. An append takes a sheet only while sheets <
-- marked. No row names anyone. Places with paper ballots on the board
-- before this migration start with as many marks as sheets (their marks
-- were not counted then).
CREATE TABLE ballotbox_places (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    place       VARBINARY(800) NOT NULL,
    marked      BIGINT NOT NULL,
    sheets      BIGINT NOT NULL,
    PRIMARY KEY (election_id, place),
    CONSTRAINT ballotbox_places_election_fk FOREIGN KEY (election_id) REFERENCES ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;
INSERT INTO ballotbox_places (election_id, place, marked, sheets)
    SELECT election_id, place, COUNT(*), COUNT(*) FROM ballotbox_entries
    WHERE channel = 'paper' AND replaces = '' AND ballot IS NOT NULL
    GROUP BY election_id, place;
