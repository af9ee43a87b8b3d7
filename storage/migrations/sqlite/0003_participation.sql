-- Participation: consultations, their phase audit log, participants and,
-- apart, their personal data, verifications and census lists (SQLite).
-- Times are Unix microseconds; lists and settings are JSON text.
CREATE TABLE consultations (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    organiser    TEXT NOT NULL,
    territory    TEXT NOT NULL,
    languages    TEXT NOT NULL DEFAULT '[]',
    phases       TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL,
    active_phase TEXT NOT NULL DEFAULT '',
    settings     TEXT NOT NULL DEFAULT '{}',
    next_due_at  INTEGER,
    follow_up_of TEXT REFERENCES consultations (id),
    version      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX consultations_created ON consultations (created_at, id);
CREATE INDEX consultations_due ON consultations (next_due_at);
CREATE INDEX consultations_territory ON consultations (territory, created_at, id);
CREATE INDEX consultations_follow_up ON consultations (follow_up_of);

-- The audit log of phase transitions: who moved which consultation from
-- which phase to which, and when.
CREATE TABLE consultation_transitions (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    from_phase      TEXT NOT NULL,
    to_phase        TEXT NOT NULL,
    trigger_kind    TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              INTEGER NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    UNIQUE (consultation_id, seq)
);

-- Pseudonymous participants: contributions reference this table only.
CREATE TABLE participants (
    id         TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- Personal data: apart from contributions, never exported, erasable.
CREATE TABLE participant_personal_data (
    participant_id TEXT PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    name           TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    territory      TEXT NOT NULL DEFAULT '',
    birth_year     INTEGER NOT NULL DEFAULT 0,
    birth_month    INTEGER NOT NULL DEFAULT 0,
    birth_day      INTEGER NOT NULL DEFAULT 0,
    census_key     TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE participant_verifications (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    verifier       TEXT NOT NULL,
    level          TEXT NOT NULL,
    verified_at    INTEGER NOT NULL,
    expires_at     INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX participant_verifications_participant ON participant_verifications (participant_id, verified_at, id);

-- Census lists (e.g. electoral rolls): personal data, never exported.
CREATE TABLE census_entries (
    list_name TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    PRIMARY KEY (list_name, entry_key)
);
