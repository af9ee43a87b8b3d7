-- Ballot box (voting/ballotbox), SQLite.
-- Who voted (ballotbox_census, ballotbox_register: salted voter keys only)
-- and what was voted (ballotbox_ballots, ballotbox_entries,
-- ballotbox_counts) share no column value, key or foreign key but the
-- election's ID. Tables of either side are WITHOUT ROWID, clustered by a
-- random or hashed key, so that no hidden rowid keeps the insertion order.
-- Ballots keep only the day they were cast (Unix microseconds of UTC
-- midnight); the register keeps no time at all.
CREATE TABLE ballotbox_elections (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    questions   TEXT NOT NULL,
    opens       INTEGER NOT NULL,
    closes      INTEGER NOT NULL,
    eligibility TEXT NOT NULL,
    revote      TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    salt        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The board's published head; its row is locked by every append, which
-- serializes appends per election.
CREATE TABLE ballotbox_heads (
    election_id TEXT PRIMARY KEY REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    entries     INTEGER NOT NULL,
    head        TEXT NOT NULL
);

CREATE TABLE ballotbox_census (
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    voter_key   TEXT NOT NULL,
    PRIMARY KEY (election_id, voter_key)
) WITHOUT ROWID;

CREATE TABLE ballotbox_register (
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    voter_key   TEXT NOT NULL,
    PRIMARY KEY (election_id, voter_key)
) WITHOUT ROWID;

-- One row per ballot (and per paper voter's marker). slot is set on the
-- counted ballot of an identified voter only: UNIQUE makes it one per
-- voter. request_key makes appends idempotent.
CREATE TABLE ballotbox_ballots (
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    tracker     TEXT NOT NULL,
    slot        TEXT,
    request_key TEXT NOT NULL,
    digest      TEXT NOT NULL,
    state       TEXT NOT NULL,
    cast_day    INTEGER NOT NULL,
    PRIMARY KEY (election_id, tracker),
    UNIQUE (election_id, slot),
    UNIQUE (election_id, request_key)
) WITHOUT ROWID;

-- The public board, in chain order.
CREATE TABLE ballotbox_entries (
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
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
CREATE INDEX ballotbox_entries_replaces ON ballotbox_entries (election_id, replaces);

-- Live counts: counted ballots per part, question and distinct answer.
CREATE TABLE ballotbox_counts (
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    place       TEXT NOT NULL,
    question    TEXT NOT NULL,
    answer_hash TEXT NOT NULL,
    answer      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (election_id, channel, place, question, answer_hash)
) WITHOUT ROWID;

CREATE TABLE ballotbox_batches (
    id           TEXT PRIMARY KEY,
    election_id  TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    place        TEXT NOT NULL,
    sheets       INTEGER NOT NULL,
    double_keyed INTEGER NOT NULL,
    keyings      TEXT NOT NULL,
    items        TEXT NOT NULL,
    state        TEXT NOT NULL,
    recounts     INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX ballotbox_batches_election ON ballotbox_batches (election_id, id);

CREATE TABLE ballotbox_changes (
    id          TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    batch_id    TEXT NOT NULL REFERENCES ballotbox_batches (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    round       INTEGER NOT NULL,
    old_tracker TEXT NOT NULL,
    new_tracker TEXT NOT NULL,
    agent       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX ballotbox_changes_election ON ballotbox_changes (election_id, at, id);

CREATE TABLE ballotbox_sessions (
    id          TEXT PRIMARY KEY,
    election_id TEXT NOT NULL REFERENCES ballotbox_elections (id) ON DELETE CASCADE,
    operator    TEXT NOT NULL,
    place       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE INDEX ballotbox_sessions_election ON ballotbox_sessions (election_id);
