-- Participation: consultations, their phase audit log, participants and,
-- apart, their personal data, verifications and census lists (PostgreSQL).
-- Times are Unix microseconds; lists and settings are JSON text.
CREATE TABLE consultations (
    id           UUID PRIMARY KEY,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    organiser    TEXT NOT NULL,
    territory    TEXT COLLATE "C" NOT NULL,
    languages    TEXT NOT NULL DEFAULT '[]',
    phases       TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL,
    active_phase TEXT NOT NULL DEFAULT '',
    settings     TEXT NOT NULL DEFAULT '{}',
    next_due_at  BIGINT,
    follow_up_of UUID REFERENCES consultations (id),
    version      INTEGER NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX consultations_created ON consultations (created_at, id);
CREATE INDEX consultations_due ON consultations (next_due_at);
CREATE INDEX consultations_territory ON consultations (territory, created_at, id);
CREATE INDEX consultations_follow_up ON consultations (follow_up_of);

-- The audit log of phase transitions: who moved which consultation from
-- which phase to which, and when.
CREATE TABLE consultation_transitions (
    id              UUID PRIMARY KEY,
    consultation_id UUID NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    from_phase      TEXT NOT NULL,
    to_phase        TEXT NOT NULL,
    trigger_kind    TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              BIGINT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    UNIQUE (consultation_id, seq)
);

-- Pseudonymous participants: contributions reference this table only.
CREATE TABLE participants (
    id         UUID PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- Personal data: apart from contributions, never exported, erasable.
CREATE TABLE participant_personal_data (
    participant_id UUID PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    name           TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    territory      TEXT COLLATE "C" NOT NULL DEFAULT '',
    birth_year     INTEGER NOT NULL DEFAULT 0,
    birth_month    INTEGER NOT NULL DEFAULT 0,
    birth_day      INTEGER NOT NULL DEFAULT 0,
    census_key     TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE participant_verifications (
    id             UUID PRIMARY KEY,
    participant_id UUID NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    verifier       TEXT NOT NULL,
    level          TEXT NOT NULL,
    verified_at    BIGINT NOT NULL,
    expires_at     BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX participant_verifications_participant ON participant_verifications (participant_id, verified_at, id);

-- Census lists (e.g. electoral rolls): personal data, never exported.
CREATE TABLE census_entries (
    list_name TEXT COLLATE "C" NOT NULL,
    entry_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (list_name, entry_key)
);
