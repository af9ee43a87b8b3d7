-- Participation: questionnaires, responses with their channel and
-- recruitment, who responded (apart from anonymous responses) and paper
-- batches keyed twice (MariaDB / MySQL). Times are Unix microseconds;
-- questions and answers are JSON text. Places and idempotency keys are
-- VARBINARY so that they compare bytewise, as on SQLite and PostgreSQL.
CREATE TABLE IF NOT EXISTS {{prefix}}questionnaires (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    title           VARCHAR(250) NOT NULL,
    description     TEXT NOT NULL,
    questions       MEDIUMTEXT NOT NULL,
    anonymous       BOOLEAN NOT NULL,
    results         VARCHAR(16) NOT NULL,
    min_group_size  INT NOT NULL DEFAULT 0,
    closed_at       BIGINT,
    version         INT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    INDEX {{prefix}}questionnaires_consultation (consultation_id, created_at, id),
    CONSTRAINT {{prefix}}questionnaires_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who responded to which questionnaire, through any channel: one row per
-- person, which holds one response per person. No link to the response.
CREATE TABLE IF NOT EXISTS {{prefix}}questionnaire_respondents (
    questionnaire_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (questionnaire_id, participant_id),
    INDEX {{prefix}}questionnaire_respondents_participant (participant_id),
    CONSTRAINT {{prefix}}questionnaire_respondents_q_fk FOREIGN KEY (questionnaire_id) REFERENCES {{prefix}}questionnaires (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}questionnaire_respondents_p_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

CREATE TABLE IF NOT EXISTS {{prefix}}paper_batches (
    id               CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    questionnaire_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    label            VARCHAR(250) NOT NULL,
    collected_by     VARCHAR(100) NOT NULL,
    place            VARBINARY(400) NOT NULL,
    forms            INT NOT NULL,
    double_keying    BOOLEAN NOT NULL,
    status           VARCHAR(16) NOT NULL,
    committed        INT NOT NULL DEFAULT 0,
    version          INT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    INDEX {{prefix}}paper_batches_questionnaire (questionnaire_id),
    CONSTRAINT {{prefix}}paper_batches_questionnaire_fk FOREIGN KEY (questionnaire_id) REFERENCES {{prefix}}questionnaires (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One keying of one form: pass 1, pass 2 (another agent) or 3 (the
-- resolution of a dispute).
CREATE TABLE IF NOT EXISTS {{prefix}}paper_entries (
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    batch_id       CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    form           INT NOT NULL,
    pass           INT NOT NULL,
    agent          VARCHAR(100) NOT NULL,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    recruitment    VARCHAR(32) NOT NULL DEFAULT '',
    spoiled        BOOLEAN NOT NULL,
    answers        MEDIUMTEXT NOT NULL,
    keyed_at       BIGINT NOT NULL,
    UNIQUE KEY {{prefix}}paper_entries_form (batch_id, form, pass),
    CONSTRAINT {{prefix}}paper_entries_batch_fk FOREIGN KEY (batch_id) REFERENCES {{prefix}}paper_batches (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}paper_entries_participant_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Responses: participant_id is NULL in anonymous questionnaires.
CREATE TABLE IF NOT EXISTS {{prefix}}responses (
    id               CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    questionnaire_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    channel          VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    collected_by     VARCHAR(100) NOT NULL DEFAULT '',
    place            VARBINARY(400) NOT NULL DEFAULT '',
    recruitment      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    batch_id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    idempotency_key  VARBINARY(400),
    answers          MEDIUMTEXT NOT NULL,
    submitted_at     BIGINT NOT NULL,
    submitted_day    BIGINT NOT NULL,
    UNIQUE KEY {{prefix}}responses_idempotency (questionnaire_id, idempotency_key),
    INDEX {{prefix}}responses_questionnaire (questionnaire_id, id),
    INDEX {{prefix}}responses_groups (questionnaire_id, channel, recruitment, place, submitted_day),
    CONSTRAINT {{prefix}}responses_questionnaire_fk FOREIGN KEY (questionnaire_id) REFERENCES {{prefix}}questionnaires (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}responses_participant_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id),
    CONSTRAINT {{prefix}}responses_batch_fk FOREIGN KEY (batch_id) REFERENCES {{prefix}}paper_batches (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
