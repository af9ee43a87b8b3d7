-- Association registry, grants and memberships (MariaDB / MySQL).
-- Times are Unix microseconds (BIGINT) on every engine so that values
-- round-trip exactly; calendar dates are 'YYYY-MM-DD' strings.
-- Sort keys, search terms and territory codes are VARBINARY so that
-- comparisons, ordering and LIKE prefixes are bytewise without trailing-space
-- padding (binary collations of VARCHAR are PAD SPACE), as on SQLite and
-- PostgreSQL ("C"); keys use ascii_bin.
-- MariaDB commits DDL implicitly: a migration that fails halfway must be
-- repaired by hand; its version is only recorded once it completed.
CREATE TABLE IF NOT EXISTS {{prefix}}associations (
    id            CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    name          VARCHAR(250) NOT NULL,
    name_key      VARBINARY(1000) NOT NULL,
    acronym       VARCHAR(60) NOT NULL DEFAULT '',
    rna           VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin UNIQUE,
    siren         VARCHAR(9),
    siret         VARCHAR(14) CHARACTER SET ascii COLLATE ascii_bin UNIQUE,
    neq           VARCHAR(10) CHARACTER SET ascii COLLATE ascii_bin UNIQUE,
    legal_status  VARCHAR(32) NOT NULL DEFAULT '',
    grouping_kind VARCHAR(32) NOT NULL DEFAULT '',
    object        TEXT NOT NULL,
    status        VARCHAR(16) NOT NULL,
    created_on    CHAR(10),
    dissolved_on  CHAR(10),
    address_line1 VARCHAR(200) NOT NULL DEFAULT '',
    address_line2 VARCHAR(200) NOT NULL DEFAULT '',
    postal_code   VARBINARY(64) NOT NULL DEFAULT '',
    city          VARCHAR(120) NOT NULL DEFAULT '',
    commune_code  VARBINARY(20) NOT NULL DEFAULT '',
    country       VARCHAR(2) NOT NULL DEFAULT '',
    lat           DOUBLE,
    lon           DOUBLE,
    website       VARCHAR(500) NOT NULL DEFAULT '',
    contacts      TEXT NOT NULL,
    languages     TEXT NOT NULL,
    accessibility TEXT NOT NULL,
    version       INT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    INDEX {{prefix}}associations_name_key (name_key, id),
    INDEX {{prefix}}associations_location (lat, lon),
    INDEX {{prefix}}associations_commune (commune_code),
    INDEX {{prefix}}associations_postal (postal_code),
    INDEX {{prefix}}associations_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}association_categories (
    association_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    pos            INT NOT NULL,
    code           CHAR(6) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    theme          CHAR(6) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (association_id, pos),
    INDEX {{prefix}}association_categories_code (code, association_id),
    INDEX {{prefix}}association_categories_theme (theme, association_id),
    CONSTRAINT {{prefix}}association_categories_fk FOREIGN KEY (association_id) REFERENCES {{prefix}}associations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS {{prefix}}association_terms (
    association_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    term           VARBINARY(192) NOT NULL,
    PRIMARY KEY (association_id, term),
    INDEX {{prefix}}association_terms_term (term, association_id),
    CONSTRAINT {{prefix}}association_terms_fk FOREIGN KEY (association_id) REFERENCES {{prefix}}associations (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS {{prefix}}grants (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    association_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    funder          VARCHAR(200) NOT NULL,
    funded_year     INT NOT NULL,
    status          VARCHAR(16) NOT NULL,
    applicant       TEXT NOT NULL,
    project         MEDIUMTEXT NOT NULL,
    budget          MEDIUMTEXT NOT NULL,
    co_funders      TEXT NOT NULL,
    requested_cents BIGINT NOT NULL,
    granted_cents   BIGINT NOT NULL,
    paid_cents      BIGINT NOT NULL,
    report_due_on   CHAR(10),
    reported_on     CHAR(10),
    version         INT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    INDEX {{prefix}}grants_association (association_id, created_at, id),
    CONSTRAINT {{prefix}}grants_association_fk FOREIGN KEY (association_id) REFERENCES {{prefix}}associations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}grant_transitions (
    id          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    grant_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seq         INT NOT NULL,
    from_status VARCHAR(16) NOT NULL,
    to_status   VARCHAR(16) NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    at          BIGINT NOT NULL,
    note        TEXT NOT NULL,
    UNIQUE KEY {{prefix}}grant_transitions_seq (grant_id, seq),
    CONSTRAINT {{prefix}}grant_transitions_fk FOREIGN KEY (grant_id) REFERENCES {{prefix}}grants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Personal data: apart from the registry, never exported.
CREATE TABLE IF NOT EXISTS {{prefix}}people (
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    given_name     VARCHAR(120) NOT NULL,
    family_name    VARCHAR(120) NOT NULL,
    email          VARCHAR(250) NOT NULL,
    phone          VARCHAR(40) NOT NULL DEFAULT '',
    postal_address VARCHAR(500) NOT NULL DEFAULT '',
    birth_date     CHAR(10),
    created_at     BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {{prefix}}memberships (
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    association_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    person_id      CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    start_on       BIGINT NOT NULL,
    end_on         BIGINT NOT NULL,
    fee_cents      BIGINT NOT NULL,
    currency       CHAR(3) NOT NULL,
    status         VARCHAR(16) NOT NULL,
    renewal_of     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    version        INT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    INDEX {{prefix}}memberships_association (association_id, start_on, id),
    INDEX {{prefix}}memberships_person (person_id),
    CONSTRAINT {{prefix}}memberships_association_fk FOREIGN KEY (association_id) REFERENCES {{prefix}}associations (id),
    CONSTRAINT {{prefix}}memberships_person_fk FOREIGN KEY (person_id) REFERENCES {{prefix}}people (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
