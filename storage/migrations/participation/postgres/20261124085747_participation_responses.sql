-- Participation: questionnaires, responses with their channel and
-- recruitment, who responded (apart from anonymous responses) and paper
-- batches keyed twice (PostgreSQL). Times are Unix microseconds; questions
-- and answers are JSON text.
CREATE TABLE {{prefix}}questionnaires (
    id              UUID PRIMARY KEY,
    consultation_id UUID NOT NULL REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
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
CREATE INDEX {{prefix}}questionnaires_consultation ON {{prefix}}questionnaires (consultation_id, created_at, id);

-- Who responded to which questionnaire, through any channel: one row per
-- person, which holds one response per person. No link to the response.
CREATE TABLE {{prefix}}questionnaire_respondents (
    questionnaire_id UUID NOT NULL REFERENCES {{prefix}}questionnaires (id) ON DELETE CASCADE,
    participant_id   UUID NOT NULL REFERENCES {{prefix}}participants (id),
    PRIMARY KEY (questionnaire_id, participant_id)
);

CREATE TABLE {{prefix}}paper_batches (
    id               UUID PRIMARY KEY,
    questionnaire_id UUID NOT NULL REFERENCES {{prefix}}questionnaires (id) ON DELETE CASCADE,
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
CREATE INDEX {{prefix}}paper_batches_questionnaire ON {{prefix}}paper_batches (questionnaire_id);

-- One keying of one form: pass 1, pass 2 (another agent) or 3 (the
-- resolution of a dispute).
CREATE TABLE {{prefix}}paper_entries (
    id             UUID PRIMARY KEY,
    batch_id       UUID NOT NULL REFERENCES {{prefix}}paper_batches (id) ON DELETE CASCADE,
    form           INTEGER NOT NULL,
    pass           INTEGER NOT NULL,
    agent          TEXT NOT NULL,
    participant_id UUID REFERENCES {{prefix}}participants (id),
    recruitment    TEXT NOT NULL DEFAULT '',
    spoiled        BOOLEAN NOT NULL,
    answers        TEXT NOT NULL,
    keyed_at       BIGINT NOT NULL,
    UNIQUE (batch_id, form, pass)
);

-- Responses: participant_id is NULL in anonymous questionnaires.
CREATE TABLE {{prefix}}responses (
    id               UUID PRIMARY KEY,
    questionnaire_id UUID NOT NULL REFERENCES {{prefix}}questionnaires (id) ON DELETE CASCADE,
    participant_id   UUID REFERENCES {{prefix}}participants (id),
    channel          TEXT NOT NULL,
    collected_by     TEXT NOT NULL DEFAULT '',
    place            TEXT COLLATE "C" NOT NULL DEFAULT '',
    recruitment      TEXT NOT NULL,
    batch_id         UUID REFERENCES {{prefix}}paper_batches (id),
    idempotency_key  TEXT COLLATE "C",
    answers          TEXT NOT NULL,
    submitted_at     BIGINT NOT NULL,
    submitted_day    BIGINT NOT NULL,
    UNIQUE (questionnaire_id, idempotency_key)
);
CREATE INDEX {{prefix}}responses_questionnaire ON {{prefix}}responses (questionnaire_id, id);
CREATE INDEX {{prefix}}responses_groups ON {{prefix}}responses (questionnaire_id, channel, recruitment, place, submitted_day);
