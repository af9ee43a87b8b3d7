-- Participation: a consultation's expression step as a vote — the
-- ballot-box elections that belong to a consultation (MariaDB / MySQL).
-- A link is written before its election exists and never removed: an
-- election once linked is admitted only through its consultation's
-- rules (package participation/vote), so a consultation with a vote
-- cannot be deleted (no ON DELETE CASCADE). election_id names a
-- ballotbox election; no foreign key, the ballot box being another
-- domain. Re-runnable (IF NOT EXISTS): MariaDB commits DDL statement
-- by statement.
CREATE TABLE IF NOT EXISTS {{prefix}}vote_elections (
    election_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    consultation_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at      BIGINT NOT NULL,
    INDEX {{prefix}}vote_elections_consultation (consultation_id, created_at, election_id),
    CONSTRAINT {{prefix}}vote_elections_consultation_fk FOREIGN KEY (consultation_id) REFERENCES {{prefix}}consultations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
