-- Ballot box (voting/ballotbox), MariaDB / MySQL: the kernel's identity
-- model and exactly once per person across channels.
--
-- The voter salt leaves ballotbox_elections for its own table, apart from
-- the election, the census and the register. secret_check fingerprints the
-- Service secret that keys an election's voter keys; salts carried over
-- have none: the keys of those elections were computed without the
-- secret, and keep being so.
--
-- MariaDB commits each statement: every one of them can run again after
-- a stop between it and the record of its progress (IF [NOT] EXISTS, and
-- the copies skip the rows already copied).
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_salts (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    salt        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    secret_check CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    CONSTRAINT {{prefix}}ballotbox_salts_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;
INSERT INTO {{prefix}}ballotbox_salts (election_id, salt, secret_check)
    SELECT e.id, e.salt, '' FROM {{prefix}}ballotbox_elections AS e
    WHERE NOT EXISTS (SELECT 1 FROM {{prefix}}ballotbox_salts AS s WHERE s.election_id = e.id);
ALTER TABLE {{prefix}}ballotbox_elections DROP COLUMN IF EXISTS salt;

-- When the election's process closed it before its published close
-- (Unix microseconds); NULL when it runs its whole window.
ALTER TABLE {{prefix}}ballotbox_elections ADD COLUMN IF NOT EXISTS closed_at BIGINT NULL;

-- Paper reconciliation per polling place: voters marked there and sheets
-- of its batches counted. An append takes a sheet only while sheets <
-- marked. No row names anyone. Places with paper ballots on the board
-- before this migration start with as many marks as sheets (their marks
-- were not counted then).
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_places (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    place       VARBINARY(800) NOT NULL,
    marked      BIGINT NOT NULL,
    sheets      BIGINT NOT NULL,
    PRIMARY KEY (election_id, place),
    CONSTRAINT {{prefix}}ballotbox_places_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;
INSERT INTO {{prefix}}ballotbox_places (election_id, place, marked, sheets)
    SELECT n.election_id, n.place, COUNT(*), COUNT(*) FROM {{prefix}}ballotbox_entries AS n
    WHERE n.channel = 'paper' AND n.replaces = '' AND n.ballot IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM {{prefix}}ballotbox_places AS p WHERE p.election_id = n.election_id AND p.place = n.place)
    GROUP BY n.election_id, n.place;
