-- Participation: what participants declared about themselves for the
-- representativeness of a consultation's public and for citizens'
-- panels (package participation/panel), with their consent — personal
-- data, apart from contributions, erased with them (SQLite).
CREATE TABLE {{prefix}}participant_attributes (
    participant_id TEXT PRIMARY KEY REFERENCES {{prefix}}participants (id) ON DELETE CASCADE,
    attributes     TEXT NOT NULL,
    consented_at   INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
