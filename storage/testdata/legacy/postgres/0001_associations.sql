-- Association registry, grants and memberships (PostgreSQL).
-- Times are Unix microseconds (BIGINT) on every engine so that values
-- round-trip exactly; calendar dates are 'YYYY-MM-DD' text.
CREATE TABLE associations (
    id            UUID PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT COLLATE "C" NOT NULL,
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
    lat           DOUBLE PRECISION,
    lon           DOUBLE PRECISION,
    website       TEXT NOT NULL DEFAULT '',
    contacts      TEXT NOT NULL DEFAULT '[]',
    languages     TEXT NOT NULL DEFAULT '[]',
    accessibility TEXT NOT NULL DEFAULT '{}',
    version       INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX associations_name_key ON associations (name_key, id);
CREATE INDEX associations_location ON associations (lat, lon);
CREATE INDEX associations_commune ON associations (commune_code);
CREATE INDEX associations_postal ON associations (postal_code);
CREATE INDEX associations_status ON associations (status);

CREATE TABLE association_categories (
    association_id UUID NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    pos            INTEGER NOT NULL,
    code           TEXT NOT NULL,
    theme          TEXT NOT NULL,
    PRIMARY KEY (association_id, pos)
);
CREATE INDEX association_categories_code ON association_categories (code, association_id);
CREATE INDEX association_categories_theme ON association_categories (theme, association_id);

CREATE TABLE association_terms (
    association_id UUID NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    term           TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (association_id, term)
);
CREATE INDEX association_terms_term ON association_terms (term, association_id);

CREATE TABLE grants (
    id              UUID PRIMARY KEY,
    association_id  UUID NOT NULL REFERENCES associations (id),
    funder          TEXT NOT NULL,
    funded_year     INTEGER NOT NULL,
    status          TEXT NOT NULL,
    applicant       TEXT NOT NULL,
    project         TEXT NOT NULL,
    budget          TEXT NOT NULL,
    co_funders      TEXT NOT NULL,
    requested_cents BIGINT NOT NULL,
    granted_cents   BIGINT NOT NULL,
    paid_cents      BIGINT NOT NULL,
    report_due_on   TEXT,
    reported_on     TEXT,
    version         INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX grants_association ON grants (association_id, created_at, id);

CREATE TABLE grant_transitions (
    id          UUID PRIMARY KEY,
    grant_id    UUID NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          BIGINT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (grant_id, seq)
);

-- Personal data: apart from the registry, never exported.
CREATE TABLE people (
    id             UUID PRIMARY KEY,
    given_name     TEXT NOT NULL,
    family_name    TEXT NOT NULL,
    email          TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    postal_address TEXT NOT NULL DEFAULT '',
    birth_date     TEXT,
    created_at     BIGINT NOT NULL
);

CREATE TABLE memberships (
    id             UUID PRIMARY KEY,
    association_id UUID NOT NULL REFERENCES associations (id),
    person_id      UUID NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    start_on       BIGINT NOT NULL,
    end_on         BIGINT NOT NULL,
    fee_cents      BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    status         TEXT NOT NULL,
    renewal_of     UUID,
    version        INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX memberships_association ON memberships (association_id, start_on, id);
CREATE INDEX memberships_person ON memberships (person_id);
