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
