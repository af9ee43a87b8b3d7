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

-- Information: resources and preliminary questions, and what each
-- participant read and answered (the reflection step).
CREATE TABLE consultation_resources (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    required        INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX consultation_resources_order ON consultation_resources (consultation_id, position, id);

CREATE TABLE preliminary_questions (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    prompt          TEXT NOT NULL,
    choices         TEXT NOT NULL DEFAULT '[]',
    mandatory       INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX preliminary_questions_order ON preliminary_questions (consultation_id, position, id);

CREATE TABLE resource_reads (
    resource_id     TEXT NOT NULL REFERENCES consultation_resources (id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    consultation_id TEXT NOT NULL,
    channel         TEXT NOT NULL,
    at              INTEGER NOT NULL,
    PRIMARY KEY (resource_id, participant_id)
);
CREATE INDEX resource_reads_participant ON resource_reads (consultation_id, participant_id);

CREATE TABLE preliminary_answers (
    question_id     TEXT NOT NULL REFERENCES preliminary_questions (id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    consultation_id TEXT NOT NULL,
    answer          TEXT NOT NULL,
    channel         TEXT NOT NULL,
    at              INTEGER NOT NULL,
    PRIMARY KEY (question_id, participant_id)
);
CREATE INDEX preliminary_answers_participant ON preliminary_answers (consultation_id, participant_id);

-- Evaluation: the decision taken, the follow-up items (a tree) and their
-- milestones. Dates are 'YYYY-MM-DD' text.
CREATE TABLE consultation_decisions (
    consultation_id           TEXT PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,
    summary                   TEXT NOT NULL,
    decided_by                TEXT NOT NULL,
    decided_on                TEXT NOT NULL,
    document_url              TEXT NOT NULL DEFAULT '',
    follow_up_consultation_id TEXT REFERENCES consultations (id),
    version                   INTEGER NOT NULL,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL
);

CREATE TABLE follow_up_items (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    parent_id       TEXT REFERENCES follow_up_items (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    progress        REAL NOT NULL,
    weight          REAL NOT NULL,
    position        INTEGER NOT NULL,
    starts_on       TEXT,
    ends_on         TEXT,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX follow_up_items_order ON follow_up_items (consultation_id, position, id);
CREATE INDEX follow_up_items_parent ON follow_up_items (parent_id);

CREATE TABLE follow_up_milestones (
    id              TEXT PRIMARY KEY,
    item_id         TEXT NOT NULL REFERENCES follow_up_items (id) ON DELETE CASCADE,
    consultation_id TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    due_on          TEXT NOT NULL,
    reached_on      TEXT,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX follow_up_milestones_item ON follow_up_milestones (item_id, due_on, id);
CREATE INDEX follow_up_milestones_consultation ON follow_up_milestones (consultation_id, due_on, id);
