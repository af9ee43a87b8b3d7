-- The directory of digital mediation places (opendata.MediationStore):
-- one JSON document per place, keyed by its local identifier, which
-- orders the listing bytewise ("C").
CREATE TABLE {{prefix}}opendata_mediation_places (
    id  TEXT COLLATE "C" PRIMARY KEY,
    doc TEXT NOT NULL
);
