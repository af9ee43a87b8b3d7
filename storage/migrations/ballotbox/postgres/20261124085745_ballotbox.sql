-- Ballot box (voting/ballotbox), PostgreSQL.
-- Who voted (ballotbox_census, ballotbox_register: salted voter keys only)
-- and what was voted (ballotbox_ballots, ballotbox_entries,
-- ballotbox_counts) share no column value, key or foreign key but the
-- election's ID. Tables of either side are, clustered by a
-- random or hashed key, so that no hidden rowid keeps the insertion order.
-- Ballots keep only the day they were cast (Unix microseconds of UTC
-- midnight); the register keeps no time at all.
CREATE TABLE {{prefix}}ballotbox_elections (
    id          UUID PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    questions   TEXT NOT NULL,
    opens       BIGINT NOT NULL,
    closes      BIGINT NOT NULL,
    eligibility TEXT NOT NULL,
    revote      TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    salt        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- The board's published head; its row is locked by every append, which
-- serializes appends per election.
CREATE TABLE {{prefix}}ballotbox_heads (
    election_id UUID PRIMARY KEY REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    entries     BIGINT NOT NULL,
    head        TEXT NOT NULL
);

CREATE TABLE {{prefix}}ballotbox_census (
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    voter_key   TEXT NOT NULL,
    PRIMARY KEY (election_id, voter_key)
);

CREATE TABLE {{prefix}}ballotbox_register (
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    voter_key   TEXT NOT NULL,
    PRIMARY KEY (election_id, voter_key)
);

-- One row per ballot (and per paper voter's marker). slot is set on the
-- counted ballot of an identified voter only: UNIQUE makes it one per
-- voter. request_key makes appends idempotent.
CREATE TABLE {{prefix}}ballotbox_ballots (
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    tracker     TEXT NOT NULL,
    slot        TEXT,
    request_key TEXT NOT NULL,
    digest      TEXT NOT NULL,
    state       TEXT NOT NULL,
    cast_day    BIGINT NOT NULL,
    PRIMARY KEY (election_id, tracker),
    UNIQUE (election_id, slot),
    UNIQUE (election_id, request_key)
);

-- The public board, in chain order.
CREATE TABLE {{prefix}}ballotbox_entries (
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    idx         BIGINT NOT NULL,
    tracker     TEXT NOT NULL,
    ballot      TEXT,
    replaces    TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (election_id, idx),
    UNIQUE (election_id, tracker)
);
CREATE INDEX {{prefix}}ballotbox_entries_replaces ON {{prefix}}ballotbox_entries (election_id, replaces);

-- Live counts: counted ballots per part, question and distinct answer.
CREATE TABLE {{prefix}}ballotbox_counts (
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    place       TEXT NOT NULL,
    question    TEXT NOT NULL,
    answer_hash TEXT NOT NULL,
    answer      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (election_id, channel, place, question, answer_hash)
);

CREATE TABLE {{prefix}}ballotbox_batches (
    id           UUID PRIMARY KEY,
    election_id  UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    place        TEXT NOT NULL,
    sheets       INTEGER NOT NULL,
    double_keyed BOOLEAN NOT NULL,
    keyings      TEXT NOT NULL,
    items        TEXT NOT NULL,
    state        TEXT NOT NULL,
    recounts     INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX {{prefix}}ballotbox_batches_election ON {{prefix}}ballotbox_batches (election_id, id);

CREATE TABLE {{prefix}}ballotbox_changes (
    id          UUID PRIMARY KEY,
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    batch_id    UUID NOT NULL REFERENCES {{prefix}}ballotbox_batches (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    round       INTEGER NOT NULL,
    old_tracker TEXT NOT NULL,
    new_tracker TEXT NOT NULL,
    agent       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX {{prefix}}ballotbox_changes_election ON {{prefix}}ballotbox_changes (election_id, at, id);

CREATE TABLE {{prefix}}ballotbox_sessions (
    id          UUID PRIMARY KEY,
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    operator    TEXT NOT NULL,
    place       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    closed_at   BIGINT
);
CREATE INDEX {{prefix}}ballotbox_sessions_election ON {{prefix}}ballotbox_sessions (election_id);
