-- Participation: the debate — threaded comments with their edit history
-- and votes, Polis-style statements and their votes (under per
-- consultation voter pseudonyms), proposals and their supports, reports
-- and the moderation log (MariaDB / MySQL). Times are Unix microseconds.
-- Every contribution carries its provenance (channel, collected_by,
-- place); an optional idempotency key (idem_key, unique per author and
-- consultation) makes retries store once. Thread paths, keys and
-- voter pseudonyms are VARBINARY so that they sort bytewise, as on SQLite
-- and PostgreSQL ("C").
CREATE TABLE IF NOT EXISTS {{prefix}}debate_comments (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    parent_id       CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    depth           INT NOT NULL,
    -- thread order: the parent's path, then 16 hex digits of created_at
    -- and the 32 hex digits of id (48 bytes a level, 20 levels at most).
    path            VARBINARY(1024) NOT NULL,
    author_id       CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    body            TEXT NOT NULL,
    alignment       VARCHAR(16) NOT NULL,
    channel         VARCHAR(16) NOT NULL,
    collected_by    VARCHAR(100) NOT NULL DEFAULT '',
    place           VARCHAR(100) NOT NULL DEFAULT '',
    up_votes        INT NOT NULL DEFAULT 0,
    down_votes      INT NOT NULL DEFAULT 0,
    open_reports    INT NOT NULL DEFAULT 0,
    hidden_by       VARCHAR(16) NOT NULL DEFAULT '',
    version         INT NOT NULL,
    idem_key        VARBINARY(100),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE KEY {{prefix}}debate_comments_path (consultation_id, path),
    UNIQUE KEY {{prefix}}debate_comments_idem (consultation_id, author_id, idem_key),
    INDEX {{prefix}}debate_comments_parent (parent_id),
    INDEX {{prefix}}debate_comments_author (author_id),
    CONSTRAINT {{prefix}}debate_comments_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_comments_parent_fk FOREIGN KEY (parent_id) REFERENCES {{prefix}}debate_comments (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_comments_author_fk FOREIGN KEY (author_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Earlier texts of edited comments.
CREATE TABLE IF NOT EXISTS {{prefix}}debate_comment_revisions (
    comment_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    version     INT NOT NULL,
    body        TEXT NOT NULL,
    alignment   VARCHAR(16) NOT NULL,
    written_at  BIGINT NOT NULL,
    replaced_at BIGINT NOT NULL,
    PRIMARY KEY (comment_id, version),
    CONSTRAINT {{prefix}}debate_comment_revisions_fk FOREIGN KEY (comment_id) REFERENCES {{prefix}}debate_comments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One up or down vote per participant per comment.
CREATE TABLE IF NOT EXISTS {{prefix}}debate_comment_votes (
    comment_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    value          SMALLINT NOT NULL,
    channel        VARCHAR(16) NOT NULL,
    collected_by   VARCHAR(100) NOT NULL DEFAULT '',
    place          VARCHAR(100) NOT NULL DEFAULT '',
    voted_at       BIGINT NOT NULL,
    PRIMARY KEY (comment_id, participant_id),
    INDEX {{prefix}}debate_comment_votes_participant (participant_id),
    CONSTRAINT {{prefix}}debate_comment_votes_comment_fk FOREIGN KEY (comment_id) REFERENCES {{prefix}}debate_comments (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_comment_votes_participant_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}debate_statements (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    author_id       CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    seeded_by       VARCHAR(200) NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    channel         VARCHAR(16) NOT NULL,
    collected_by    VARCHAR(100) NOT NULL DEFAULT '',
    place           VARCHAR(100) NOT NULL DEFAULT '',
    n_agree         INT NOT NULL DEFAULT 0,
    n_disagree      INT NOT NULL DEFAULT 0,
    n_pass          INT NOT NULL DEFAULT 0,
    open_reports    INT NOT NULL DEFAULT 0,
    hidden_by       VARCHAR(16) NOT NULL DEFAULT '',
    idem_key        VARBINARY(100),
    created_at      BIGINT NOT NULL,
    UNIQUE KEY {{prefix}}debate_statements_idem (consultation_id, author_id, idem_key),
    INDEX {{prefix}}debate_statements_consultation (consultation_id, created_at, id),
    INDEX {{prefix}}debate_statements_author (author_id),
    CONSTRAINT {{prefix}}debate_statements_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_statements_author_fk FOREIGN KEY (author_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A random pseudonym per participant per consultation: exports of the
-- statement votes name voters by it, never by participant.
CREATE TABLE IF NOT EXISTS {{prefix}}debate_voters (
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    voter           VARBINARY(64) NOT NULL,
    PRIMARY KEY (consultation_id, participant_id),
    UNIQUE KEY {{prefix}}debate_voters_voter (consultation_id, voter),
    INDEX {{prefix}}debate_voters_participant (participant_id),
    CONSTRAINT {{prefix}}debate_voters_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_voters_participant_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB;

-- One opinion (1 agree, -1 disagree, 0 pass) per participant per statement:
-- the matrix index covers the export (voter, statement, value).
CREATE TABLE IF NOT EXISTS {{prefix}}debate_statement_votes (
    statement_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    voter           VARBINARY(64) NOT NULL,
    value           SMALLINT NOT NULL,
    channel         VARCHAR(16) NOT NULL,
    collected_by    VARCHAR(100) NOT NULL DEFAULT '',
    place           VARCHAR(100) NOT NULL DEFAULT '',
    voted_at        BIGINT NOT NULL,
    PRIMARY KEY (statement_id, participant_id),
    INDEX {{prefix}}debate_statement_votes_matrix (consultation_id, voter, statement_id, value),
    INDEX {{prefix}}debate_statement_votes_participant (participant_id),
    CONSTRAINT {{prefix}}debate_statement_votes_statement_fk FOREIGN KEY (statement_id) REFERENCES {{prefix}}debate_statements (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_statement_votes_participant_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Proposals (a call for proposals) and their supports: one support per
-- participant per proposal, whatever the channel.
CREATE TABLE IF NOT EXISTS {{prefix}}debate_proposals (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    author_id       CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    title           VARCHAR(800) NOT NULL,
    body            TEXT NOT NULL,
    channel         VARCHAR(16) NOT NULL,
    collected_by    VARCHAR(100) NOT NULL DEFAULT '',
    place           VARCHAR(100) NOT NULL DEFAULT '',
    supports        INT NOT NULL DEFAULT 0,
    open_reports    INT NOT NULL DEFAULT 0,
    hidden_by       VARCHAR(16) NOT NULL DEFAULT '',
    idem_key        VARBINARY(100),
    created_at      BIGINT NOT NULL,
    UNIQUE KEY {{prefix}}debate_proposals_idem (consultation_id, author_id, idem_key),
    INDEX {{prefix}}debate_proposals_consultation (consultation_id, created_at, id),
    INDEX {{prefix}}debate_proposals_author (author_id),
    CONSTRAINT {{prefix}}debate_proposals_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_proposals_author_fk FOREIGN KEY (author_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}debate_supports (
    proposal_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel        VARCHAR(16) NOT NULL,
    collected_by   VARCHAR(100) NOT NULL DEFAULT '',
    place          VARCHAR(100) NOT NULL DEFAULT '',
    supported_at   BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, participant_id),
    INDEX {{prefix}}debate_supports_participant (participant_id),
    CONSTRAINT {{prefix}}debate_supports_proposal_fk FOREIGN KEY (proposal_id) REFERENCES {{prefix}}debate_proposals (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_supports_participant_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Reports: one per person per item, whatever its outcome.
CREATE TABLE IF NOT EXISTS {{prefix}}debate_reports (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    item_kind       VARCHAR(16) NOT NULL,
    item_id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    reporter_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    reason          VARCHAR(32) NOT NULL,
    details         TEXT NOT NULL,
    status          VARCHAR(16) NOT NULL,
    created_at      BIGINT NOT NULL,
    resolved_at     BIGINT,
    decision_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    UNIQUE KEY {{prefix}}debate_reports_once (item_kind, item_id, reporter_id),
    INDEX {{prefix}}debate_reports_item (item_kind, item_id, status),
    INDEX {{prefix}}debate_reports_reporter (reporter_id),
    CONSTRAINT {{prefix}}debate_reports_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    CONSTRAINT {{prefix}}debate_reports_reporter_fk FOREIGN KEY (reporter_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The moderation log: who decided what about which item, and when.
CREATE TABLE IF NOT EXISTS {{prefix}}debate_moderation (
    id               CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    item_kind        VARCHAR(16) NOT NULL,
    item_id          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind             VARCHAR(16) NOT NULL,
    moderator        VARCHAR(200) NOT NULL,
    note             TEXT NOT NULL,
    reports_resolved INT NOT NULL,
    at               BIGINT NOT NULL,
    INDEX {{prefix}}debate_moderation_consultation (consultation_id, at, id),
    INDEX {{prefix}}debate_moderation_item (item_kind, item_id),
    CONSTRAINT {{prefix}}debate_moderation_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
