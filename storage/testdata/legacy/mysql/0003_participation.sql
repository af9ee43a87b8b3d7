-- Participation: consultations, their phase audit log, participants and,
-- apart, their personal data, verifications and census lists (MariaDB /
-- MySQL). Times are Unix microseconds; lists and settings are JSON text.
-- Territory codes, census keys and list names are VARBINARY so that they
-- compare bytewise, as on SQLite and PostgreSQL ("C").
CREATE TABLE consultations (
    id           CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    title        VARCHAR(250) NOT NULL,
    summary      TEXT NOT NULL,
    body         MEDIUMTEXT NOT NULL,
    organiser    VARCHAR(250) NOT NULL,
    territory    VARBINARY(20) NOT NULL,
    languages    TEXT NOT NULL,
    phases       TEXT NOT NULL,
    status       VARCHAR(16) NOT NULL,
    active_phase VARCHAR(16) NOT NULL DEFAULT '',
    settings     MEDIUMTEXT NOT NULL,
    next_due_at  BIGINT,
    follow_up_of CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    version      INT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    INDEX consultations_created (created_at, id),
    INDEX consultations_due (next_due_at),
    INDEX consultations_territory (territory, created_at, id),
    INDEX consultations_follow_up (follow_up_of),
    CONSTRAINT consultations_follow_up_fk FOREIGN KEY (follow_up_of) REFERENCES consultations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The audit log of phase transitions: who moved which consultation from
-- which phase to which, and when.
CREATE TABLE consultation_transitions (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seq             INT NOT NULL,
    from_phase      VARCHAR(16) NOT NULL,
    to_phase        VARCHAR(16) NOT NULL,
    trigger_kind    VARCHAR(16) NOT NULL,
    actor           VARCHAR(200) NOT NULL,
    at              BIGINT NOT NULL,
    note            TEXT NOT NULL,
    UNIQUE KEY consultation_transitions_seq (consultation_id, seq),
    CONSTRAINT consultation_transitions_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Pseudonymous participants: contributions reference this table only.
CREATE TABLE participants (
    id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Personal data: apart from contributions, never exported, erasable.
CREATE TABLE participant_personal_data (
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    name           VARCHAR(250) NOT NULL DEFAULT '',
    email          VARCHAR(250) NOT NULL DEFAULT '',
    phone          VARCHAR(40) NOT NULL DEFAULT '',
    address        VARCHAR(500) NOT NULL DEFAULT '',
    territory      VARBINARY(20) NOT NULL DEFAULT '',
    birth_year     INT NOT NULL DEFAULT 0,
    birth_month    INT NOT NULL DEFAULT 0,
    birth_day      INT NOT NULL DEFAULT 0,
    census_key     VARBINARY(100) NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT participant_personal_data_fk FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE participant_verifications (
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    verifier       VARCHAR(100) NOT NULL,
    level          VARCHAR(16) NOT NULL,
    verified_at    BIGINT NOT NULL,
    expires_at     BIGINT,
    created_at     BIGINT NOT NULL,
    INDEX participant_verifications_participant (participant_id, verified_at, id),
    CONSTRAINT participant_verifications_fk FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Census lists (e.g. electoral rolls): personal data, never exported.
CREATE TABLE census_entries (
    list_name VARBINARY(100) NOT NULL,
    entry_key VARBINARY(100) NOT NULL,
    PRIMARY KEY (list_name, entry_key)
) ENGINE=InnoDB;

-- Information: resources and preliminary questions, and what each
-- participant read and answered (the reflection step).
CREATE TABLE consultation_resources (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind            VARCHAR(16) NOT NULL,
    title           VARCHAR(250) NOT NULL,
    body            TEXT NOT NULL,
    url             VARCHAR(2000) NOT NULL DEFAULT '',
    language        VARCHAR(35) NOT NULL DEFAULT '',
    required        BOOLEAN NOT NULL DEFAULT FALSE,
    position        INT NOT NULL,
    created_at      BIGINT NOT NULL,
    INDEX consultation_resources_order (consultation_id, position, id),
    CONSTRAINT consultation_resources_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE preliminary_questions (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    prompt          TEXT NOT NULL,
    choices         TEXT NOT NULL,
    mandatory       BOOLEAN NOT NULL DEFAULT FALSE,
    position        INT NOT NULL,
    created_at      BIGINT NOT NULL,
    INDEX preliminary_questions_order (consultation_id, position, id),
    CONSTRAINT preliminary_questions_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE resource_reads (
    resource_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel         VARCHAR(16) NOT NULL,
    at              BIGINT NOT NULL,
    PRIMARY KEY (resource_id, participant_id),
    INDEX resource_reads_participant (consultation_id, participant_id),
    CONSTRAINT resource_reads_resource_fk FOREIGN KEY (resource_id) REFERENCES consultation_resources (id) ON DELETE CASCADE,
    CONSTRAINT resource_reads_participant_fk FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE preliminary_answers (
    question_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    answer          TEXT NOT NULL,
    channel         VARCHAR(16) NOT NULL,
    at              BIGINT NOT NULL,
    PRIMARY KEY (question_id, participant_id),
    INDEX preliminary_answers_participant (consultation_id, participant_id),
    CONSTRAINT preliminary_answers_question_fk FOREIGN KEY (question_id) REFERENCES preliminary_questions (id) ON DELETE CASCADE,
    CONSTRAINT preliminary_answers_participant_fk FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Evaluation: the decision taken, the follow-up items (a tree) and their
-- milestones. Dates are 'YYYY-MM-DD' strings.
CREATE TABLE consultation_decisions (
    consultation_id           CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    summary                   MEDIUMTEXT NOT NULL,
    decided_by                VARCHAR(250) NOT NULL,
    decided_on                CHAR(10) NOT NULL,
    document_url              VARCHAR(2000) NOT NULL DEFAULT '',
    follow_up_consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    version                   INT NOT NULL,
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL,
    CONSTRAINT consultation_decisions_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id) ON DELETE CASCADE,
    CONSTRAINT consultation_decisions_follow_up_fk FOREIGN KEY (follow_up_consultation_id) REFERENCES consultations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE follow_up_items (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    parent_id       CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    title           VARCHAR(250) NOT NULL,
    description     TEXT NOT NULL,
    status          VARCHAR(16) NOT NULL,
    progress        DOUBLE NOT NULL,
    weight          DOUBLE NOT NULL,
    position        INT NOT NULL,
    starts_on       CHAR(10),
    ends_on         CHAR(10),
    version         INT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    INDEX follow_up_items_order (consultation_id, position, id),
    INDEX follow_up_items_parent (parent_id),
    CONSTRAINT follow_up_items_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id) ON DELETE CASCADE,
    CONSTRAINT follow_up_items_parent_fk FOREIGN KEY (parent_id) REFERENCES follow_up_items (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE follow_up_milestones (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    item_id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    title           VARCHAR(250) NOT NULL,
    description     TEXT NOT NULL,
    due_on          CHAR(10) NOT NULL,
    reached_on      CHAR(10),
    version         INT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    INDEX follow_up_milestones_item (item_id, due_on, id),
    INDEX follow_up_milestones_consultation (consultation_id, due_on, id),
    CONSTRAINT follow_up_milestones_fk FOREIGN KEY (item_id) REFERENCES follow_up_items (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
