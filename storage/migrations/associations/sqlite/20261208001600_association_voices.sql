-- Associations in decisions: the people mandated to speak for an
-- association, and how precise a geocoded position is (SQLite).
CREATE TABLE {{prefix}}association_representatives (
    association_id TEXT NOT NULL REFERENCES {{prefix}}associations (id),
    participant_id TEXT NOT NULL,
    authorised_by  TEXT NOT NULL,
    evidence       TEXT NOT NULL,
    authorised_at  BIGINT NOT NULL,
    PRIMARY KEY (association_id, participant_id)
);
ALTER TABLE {{prefix}}associations ADD COLUMN location_precision TEXT NOT NULL DEFAULT '';
