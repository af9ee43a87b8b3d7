-- Association registry, grants and memberships (SQLite).
-- Times are Unix microseconds (BIGINT) on every engine so that values
-- round-trip exactly; calendar dates are 'YYYY-MM-DD' text.
CREATE TABLE {{prefix}}associations (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    acronym       TEXT NOT NULL DEFAULT '',
    rna           TEXT UNIQUE,
    siren         TEXT,
    siret         TEXT UNIQUE,
    neq           TEXT UNIQUE,
    legal_status  TEXT NOT NULL DEFAULT '',
    grouping_kind TEXT NOT NULL DEFAULT '',
    object        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    created_on    TEXT,
    dissolved_on  TEXT,
    address_line1 TEXT NOT NULL DEFAULT '',
    address_line2 TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    commune_code  TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '',
    lat           REAL,
    lon           REAL,
    website       TEXT NOT NULL DEFAULT '',
    contacts      TEXT NOT NULL DEFAULT '[]',
    languages     TEXT NOT NULL DEFAULT '[]',
    accessibility TEXT NOT NULL DEFAULT '{}',
    version       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX {{prefix}}associations_name_key ON {{prefix}}associations (name_key, id);
CREATE INDEX {{prefix}}associations_location ON {{prefix}}associations (lat, lon);
CREATE INDEX {{prefix}}associations_commune ON {{prefix}}associations (commune_code);
CREATE INDEX {{prefix}}associations_postal ON {{prefix}}associations (postal_code);
CREATE INDEX {{prefix}}associations_status ON {{prefix}}associations (status);

CREATE TABLE {{prefix}}association_categories (
    association_id TEXT NOT NULL REFERENCES {{prefix}}associations (id) ON DELETE CASCADE,
    pos            INTEGER NOT NULL,
    code           TEXT NOT NULL,
    theme          TEXT NOT NULL,
    PRIMARY KEY (association_id, pos)
);
CREATE INDEX {{prefix}}association_categories_code ON {{prefix}}association_categories (code, association_id);
CREATE INDEX {{prefix}}association_categories_theme ON {{prefix}}association_categories (theme, association_id);

CREATE TABLE {{prefix}}association_terms (
    association_id TEXT NOT NULL REFERENCES {{prefix}}associations (id) ON DELETE CASCADE,
    term           TEXT NOT NULL,
    PRIMARY KEY (association_id, term)
);
CREATE INDEX {{prefix}}association_terms_term ON {{prefix}}association_terms (term, association_id);

CREATE TABLE {{prefix}}grants (
    id              TEXT PRIMARY KEY,
    association_id  TEXT NOT NULL REFERENCES {{prefix}}associations (id),
    funder          TEXT NOT NULL,
    funded_year     INTEGER NOT NULL,
    status          TEXT NOT NULL,
    applicant       TEXT NOT NULL,
    project         TEXT NOT NULL,
    budget          TEXT NOT NULL,
    co_funders      TEXT NOT NULL,
    requested_cents INTEGER NOT NULL,
    granted_cents   INTEGER NOT NULL,
    paid_cents      INTEGER NOT NULL,
    report_due_on   TEXT,
    reported_on     TEXT,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX {{prefix}}grants_association ON {{prefix}}grants (association_id, created_at, id);

CREATE TABLE {{prefix}}grant_transitions (
    id          TEXT PRIMARY KEY,
    grant_id    TEXT NOT NULL REFERENCES {{prefix}}grants (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (grant_id, seq)
);

-- Personal data: apart from the registry, never exported.
CREATE TABLE {{prefix}}people (
    id             TEXT PRIMARY KEY,
    given_name     TEXT NOT NULL,
    family_name    TEXT NOT NULL,
    email          TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    postal_address TEXT NOT NULL DEFAULT '',
    birth_date     TEXT,
    created_at     INTEGER NOT NULL
);

CREATE TABLE {{prefix}}memberships (
    id             TEXT PRIMARY KEY,
    association_id TEXT NOT NULL REFERENCES {{prefix}}associations (id),
    person_id      TEXT NOT NULL REFERENCES {{prefix}}people (id) ON DELETE CASCADE,
    start_on       INTEGER NOT NULL,
    end_on         INTEGER NOT NULL,
    fee_cents      INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    status         TEXT NOT NULL,
    renewal_of     TEXT,
    version        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX {{prefix}}memberships_association ON {{prefix}}memberships (association_id, start_on, id);
CREATE INDEX {{prefix}}memberships_person ON {{prefix}}memberships (person_id);
