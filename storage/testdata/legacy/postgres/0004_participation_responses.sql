-- Participation: questionnaires, responses with their channel and
-- recruitment, who responded (apart from anonymous responses) and paper
-- batches keyed twice (PostgreSQL). Times are Unix microseconds; questions
-- and answers are JSON text.
CREATE TABLE questionnaires (
    id              UUID PRIMARY KEY,
    consultation_id UUID NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    questions       TEXT NOT NULL,
    anonymous       BOOLEAN NOT NULL,
    results         TEXT NOT NULL,
    min_group_size  INTEGER NOT NULL DEFAULT 0,
    closed_at       BIGINT,
    version         INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX questionnaires_consultation ON questionnaires (consultation_id, created_at, id);

-- Who responded to which questionnaire, through any channel: one row per
-- person, which holds one response per person. No link to the response.
CREATE TABLE questionnaire_respondents (
    questionnaire_id UUID NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    participant_id   UUID NOT NULL REFERENCES participants (id),
    PRIMARY KEY (questionnaire_id, participant_id)
);

CREATE TABLE paper_batches (
    id               UUID PRIMARY KEY,
    questionnaire_id UUID NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    label            TEXT NOT NULL,
    collected_by     TEXT NOT NULL,
    place            TEXT NOT NULL,
    forms            INTEGER NOT NULL,
    double_keying    BOOLEAN NOT NULL,
    status           TEXT NOT NULL,
    committed        INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX paper_batches_questionnaire ON paper_batches (questionnaire_id);

-- One keying of one form: pass 1, pass 2 (another agent) or 3 (the
-- resolution of a dispute).
CREATE TABLE paper_entries (
    id             UUID PRIMARY KEY,
    batch_id       UUID NOT NULL REFERENCES paper_batches (id) ON DELETE CASCADE,
    form           INTEGER NOT NULL,
    pass           INTEGER NOT NULL,
    agent          TEXT NOT NULL,
    participant_id UUID REFERENCES participants (id),
    recruitment    TEXT NOT NULL DEFAULT '',
    spoiled        BOOLEAN NOT NULL,
    answers        TEXT NOT NULL,
    keyed_at       BIGINT NOT NULL,
    UNIQUE (batch_id, form, pass)
);

-- Responses: participant_id is NULL in anonymous questionnaires.
CREATE TABLE responses (
    id               UUID PRIMARY KEY,
    questionnaire_id UUID NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    participant_id   UUID REFERENCES participants (id),
    channel          TEXT NOT NULL,
    collected_by     TEXT NOT NULL DEFAULT '',
    place            TEXT COLLATE "C" NOT NULL DEFAULT '',
    recruitment      TEXT NOT NULL,
    batch_id         UUID REFERENCES paper_batches (id),
    idempotency_key  TEXT COLLATE "C",
    answers          TEXT NOT NULL,
    submitted_at     BIGINT NOT NULL,
    submitted_day    BIGINT NOT NULL,
    UNIQUE (questionnaire_id, idempotency_key)
);
CREATE INDEX responses_questionnaire ON responses (questionnaire_id, id);
CREATE INDEX responses_groups ON responses (questionnaire_id, channel, recruitment, place, submitted_day);
