-- Participation: the debate — threaded comments with their edit history
-- and votes, Polis-style statements and their votes (under per
-- consultation voter pseudonyms), proposals and their supports, reports
-- and the moderation log (SQLite). Times are Unix microseconds. Every
-- contribution carries its provenance (channel, collected_by, place); an
-- optional idempotency key (idem_key, unique per author and consultation)
-- makes retries store once.
CREATE TABLE {{prefix}}debate_comments (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    parent_id       TEXT REFERENCES {{prefix}}debate_comments (id) ON DELETE CASCADE,
    depth           INTEGER NOT NULL,
    -- thread order: the parent's path, then 16 hex digits of created_at
    -- and the 32 hex digits of id.
    path            TEXT NOT NULL,
    author_id       TEXT NOT NULL REFERENCES {{prefix}}participants (id),
    body            TEXT NOT NULL,
    alignment       TEXT NOT NULL,
    channel         TEXT NOT NULL,
    collected_by    TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    up_votes        INTEGER NOT NULL DEFAULT 0,
    down_votes      INTEGER NOT NULL DEFAULT 0,
    open_reports    INTEGER NOT NULL DEFAULT 0,
    hidden_by       TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL,
    idem_key        TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (consultation_id, path)
);
CREATE UNIQUE INDEX {{prefix}}debate_comments_idem ON {{prefix}}debate_comments (consultation_id, author_id, idem_key);
CREATE INDEX {{prefix}}debate_comments_parent ON {{prefix}}debate_comments (parent_id);
CREATE INDEX {{prefix}}debate_comments_author ON {{prefix}}debate_comments (author_id);

-- Earlier texts of edited comments.
CREATE TABLE {{prefix}}debate_comment_revisions (
    comment_id  TEXT NOT NULL REFERENCES {{prefix}}debate_comments (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    alignment   TEXT NOT NULL,
    written_at  INTEGER NOT NULL,
    replaced_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, version)
);

-- One up or down vote per participant per comment.
CREATE TABLE {{prefix}}debate_comment_votes (
    comment_id     TEXT NOT NULL REFERENCES {{prefix}}debate_comments (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES {{prefix}}participants (id),
    value          INTEGER NOT NULL,
    channel        TEXT NOT NULL,
    collected_by   TEXT NOT NULL DEFAULT '',
    place          TEXT NOT NULL DEFAULT '',
    voted_at       INTEGER NOT NULL,
    PRIMARY KEY (comment_id, participant_id)
);
CREATE INDEX {{prefix}}debate_comment_votes_participant ON {{prefix}}debate_comment_votes (participant_id);

CREATE TABLE {{prefix}}debate_statements (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    author_id       TEXT REFERENCES {{prefix}}participants (id),
    seeded_by       TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    collected_by    TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    n_agree         INTEGER NOT NULL DEFAULT 0,
    n_disagree      INTEGER NOT NULL DEFAULT 0,
    n_pass          INTEGER NOT NULL DEFAULT 0,
    open_reports    INTEGER NOT NULL DEFAULT 0,
    hidden_by       TEXT NOT NULL DEFAULT '',
    idem_key        TEXT,
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX {{prefix}}debate_statements_idem ON {{prefix}}debate_statements (consultation_id, author_id, idem_key);
CREATE INDEX {{prefix}}debate_statements_consultation ON {{prefix}}debate_statements (consultation_id, created_at, id);
CREATE INDEX {{prefix}}debate_statements_author ON {{prefix}}debate_statements (author_id);

-- A random pseudonym per participant per consultation: exports of the
-- statement votes name voters by it, never by participant.
CREATE TABLE {{prefix}}debate_voters (
    consultation_id TEXT NOT NULL REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL REFERENCES {{prefix}}participants (id),
    voter           TEXT NOT NULL,
    PRIMARY KEY (consultation_id, participant_id),
    UNIQUE (consultation_id, voter)
);
CREATE INDEX {{prefix}}debate_voters_participant ON {{prefix}}debate_voters (participant_id);

-- One opinion (1 agree, -1 disagree, 0 pass) per participant per statement:
-- the matrix index covers the export (voter, statement, value).
CREATE TABLE {{prefix}}debate_statement_votes (
    statement_id    TEXT NOT NULL REFERENCES {{prefix}}debate_statements (id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL REFERENCES {{prefix}}participants (id),
    consultation_id TEXT NOT NULL,
    voter           TEXT NOT NULL,
    value           INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    collected_by    TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    voted_at        INTEGER NOT NULL,
    PRIMARY KEY (statement_id, participant_id)
);
CREATE INDEX {{prefix}}debate_statement_votes_matrix ON {{prefix}}debate_statement_votes (consultation_id, voter, statement_id, value);
CREATE INDEX {{prefix}}debate_statement_votes_participant ON {{prefix}}debate_statement_votes (participant_id);

-- Proposals (a call for proposals) and their supports: one support per
-- participant per proposal, whatever the channel.
CREATE TABLE {{prefix}}debate_proposals (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    author_id       TEXT NOT NULL REFERENCES {{prefix}}participants (id),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    collected_by    TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    supports        INTEGER NOT NULL DEFAULT 0,
    open_reports    INTEGER NOT NULL DEFAULT 0,
    hidden_by       TEXT NOT NULL DEFAULT '',
    idem_key        TEXT,
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX {{prefix}}debate_proposals_idem ON {{prefix}}debate_proposals (consultation_id, author_id, idem_key);
CREATE INDEX {{prefix}}debate_proposals_consultation ON {{prefix}}debate_proposals (consultation_id, created_at, id);
CREATE INDEX {{prefix}}debate_proposals_author ON {{prefix}}debate_proposals (author_id);

CREATE TABLE {{prefix}}debate_supports (
    proposal_id    TEXT NOT NULL REFERENCES {{prefix}}debate_proposals (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES {{prefix}}participants (id),
    channel        TEXT NOT NULL,
    collected_by   TEXT NOT NULL DEFAULT '',
    place          TEXT NOT NULL DEFAULT '',
    supported_at   INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, participant_id)
);
CREATE INDEX {{prefix}}debate_supports_participant ON {{prefix}}debate_supports (participant_id);

-- Reports: one per person per item, whatever its outcome.
CREATE TABLE {{prefix}}debate_reports (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    item_kind       TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    reporter_id     TEXT NOT NULL REFERENCES {{prefix}}participants (id),
    reason          TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    resolved_at     INTEGER,
    decision_id     TEXT,
    UNIQUE (item_kind, item_id, reporter_id)
);
CREATE INDEX {{prefix}}debate_reports_item ON {{prefix}}debate_reports (item_kind, item_id, status);
CREATE INDEX {{prefix}}debate_reports_reporter ON {{prefix}}debate_reports (reporter_id);

-- The moderation log: who decided what about which item, and when.
CREATE TABLE {{prefix}}debate_moderation (
    id               TEXT PRIMARY KEY,
    consultation_id  TEXT NOT NULL REFERENCES {{prefix}}consultations (id) ON DELETE CASCADE,
    item_kind        TEXT NOT NULL,
    item_id          TEXT NOT NULL,
    kind             TEXT NOT NULL,
    moderator        TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    reports_resolved INTEGER NOT NULL,
    at               INTEGER NOT NULL
);
CREATE INDEX {{prefix}}debate_moderation_consultation ON {{prefix}}debate_moderation (consultation_id, at, id);
CREATE INDEX {{prefix}}debate_moderation_item ON {{prefix}}debate_moderation (item_kind, item_id);
