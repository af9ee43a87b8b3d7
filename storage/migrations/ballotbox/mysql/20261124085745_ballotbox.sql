-- Ballot box (voting/ballotbox), MariaDB / MySQL.
-- Who voted (ballotbox_census, ballotbox_register: salted voter keys only)
-- and what was voted (ballotbox_ballots, ballotbox_entries,
-- ballotbox_counts) share no column value, key or foreign key but the
-- election's ID. InnoDB clusters each table by its primary key, here a
-- random tracker or a hashed key, so that rows keep no insertion order.
-- Ballots keep only the day they were cast (Unix microseconds of UTC
-- midnight); the register keeps no time at all. Keys, places and question
-- IDs are ascii_bin or VARBINARY so that equality is bytewise (no
-- trailing-space padding), as on SQLite and PostgreSQL.
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_elections (
    id          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    title       VARCHAR(500) NOT NULL,
    description TEXT NOT NULL,
    questions   MEDIUMTEXT NOT NULL,
    opens       BIGINT NOT NULL,
    closes      BIGINT NOT NULL,
    eligibility TEXT NOT NULL,
    revote      VARCHAR(16) NOT NULL,
    visibility  VARCHAR(16) NOT NULL,
    salt        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    version     INT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The board's published head; its row is locked by every append, which
-- serializes appends per election.
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_heads (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    entries     BIGINT NOT NULL,
    head        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    CONSTRAINT {{prefix}}ballotbox_heads_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_census (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    voter_key   CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (election_id, voter_key),
    CONSTRAINT {{prefix}}ballotbox_census_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_register (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    voter_key   CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (election_id, voter_key),
    CONSTRAINT {{prefix}}ballotbox_register_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- One row per ballot (and per paper voter's marker). slot is set on the
-- counted ballot of an identified voter only: UNIQUE makes it one per
-- voter. request_key makes appends idempotent.
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_ballots (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    tracker     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    slot        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
    request_key CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    digest      CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    state       VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    cast_day    BIGINT NOT NULL,
    PRIMARY KEY (election_id, tracker),
    UNIQUE KEY {{prefix}}ballotbox_ballots_slot (election_id, slot),
    UNIQUE KEY {{prefix}}ballotbox_ballots_request (election_id, request_key),
    CONSTRAINT {{prefix}}ballotbox_ballots_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- The public board, in chain order.
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_entries (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    idx         BIGINT NOT NULL,
    tracker     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    ballot      MEDIUMTEXT,
    replaces    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    channel     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    place       VARBINARY(800) NOT NULL DEFAULT '',
    prev        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    hash        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (election_id, idx),
    UNIQUE KEY {{prefix}}ballotbox_entries_tracker (election_id, tracker),
    INDEX {{prefix}}ballotbox_entries_replaces (election_id, replaces),
    CONSTRAINT {{prefix}}ballotbox_entries_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Live counts: counted ballots per part, question and distinct answer.
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_counts (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    place       VARBINARY(800) NOT NULL,
    question    VARBINARY(256) NOT NULL,
    answer_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    answer      MEDIUMTEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (election_id, channel, place, question, answer_hash),
    CONSTRAINT {{prefix}}ballotbox_counts_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_batches (
    id           CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    election_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    place        VARBINARY(800) NOT NULL,
    sheets       INT NOT NULL,
    double_keyed BOOLEAN NOT NULL,
    keyings      LONGTEXT NOT NULL,
    items        LONGTEXT NOT NULL,
    state        VARCHAR(16) NOT NULL,
    recounts     INT NOT NULL,
    version      INT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    INDEX {{prefix}}ballotbox_batches_election (election_id, id),
    CONSTRAINT {{prefix}}ballotbox_batches_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_changes (
    id          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    batch_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    pos         INT NOT NULL,
    round       INT NOT NULL,
    old_tracker VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    new_tracker VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    agent       VARCHAR(200) NOT NULL,
    reason      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    INDEX {{prefix}}ballotbox_changes_election (election_id, at, id),
    CONSTRAINT {{prefix}}ballotbox_changes_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}ballotbox_changes_batch_fk FOREIGN KEY (batch_id) REFERENCES {{prefix}}ballotbox_batches (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_sessions (
    id          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    operator    VARCHAR(200) NOT NULL,
    place       VARBINARY(800) NOT NULL,
    channel     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    opened_at   BIGINT NOT NULL,
    closed_at   BIGINT,
    INDEX {{prefix}}ballotbox_sessions_election (election_id),
    CONSTRAINT {{prefix}}ballotbox_sessions_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
