-- Participation: a consultation's expression step as a vote — the
-- ballot-box elections that belong to a consultation (PostgreSQL). A
-- link is written before its election exists and never removed: an
-- election once linked is admitted only through its consultation's
-- rules (package participation/vote), so a consultation with a vote
-- cannot be deleted (no ON DELETE CASCADE). election_id names a
-- ballotbox election; no foreign key, the ballot box being another
-- domain.
CREATE TABLE {{prefix}}vote_elections (
    election_id     UUID PRIMARY KEY,
    consultation_id UUID NOT NULL REFERENCES {{prefix}}consultations (id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX {{prefix}}vote_elections_consultation ON {{prefix}}vote_elections (consultation_id, created_at, election_id);
