-- The aid catalogue (grant schemes) and the scheme a CERFA 12156
-- application names (PostgreSQL).
CREATE TABLE {{prefix}}aid_schemes (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL,
    funder     TEXT NOT NULL,
    details    TEXT NOT NULL,
    min_cents  BIGINT NOT NULL,
    max_cents  BIGINT NOT NULL,
    opens_on   TEXT,
    closes_on  TEXT,
    version    INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
ALTER TABLE {{prefix}}grants ADD COLUMN scheme_id UUID REFERENCES {{prefix}}aid_schemes (id);
