-- Open data: datasets (DCAT-AP) with their search terms and facet values
-- (MariaDB / MySQL). opendata_datasets is narrow (keys, sort keys, encoded
-- facet values) so that searches and facet counts scan short rows; the
-- dataset itself is a JSON document in opendata_dataset_docs. Times are
-- Unix microseconds. Keys, sort keys, terms and facet values are VARBINARY
-- so that comparisons, ordering and LIKE prefixes are bytewise without
-- trailing-space padding, as on SQLite and PostgreSQL ("C"). Lengths stay
-- within InnoDB's 3072-byte index keys; the store refuses longer
-- identifiers and IRIs and cuts longer terms and facet values.
CREATE TABLE opendata_datasets (
    id            CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    identifier    VARBINARY(500) NOT NULL,
    iri           VARBINARY(1000),
    title_key     VARBINARY(250) NOT NULL,
    publisher_key VARBINARY(100) NOT NULL DEFAULT '',
    facets        TEXT NOT NULL,
    revision      INT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE KEY opendata_datasets_identifier (identifier),
    UNIQUE KEY opendata_datasets_iri (iri),
    INDEX opendata_datasets_updated (updated_at, id),
    INDEX opendata_datasets_created (created_at, id),
    INDEX opendata_datasets_title (title_key, id),
    INDEX opendata_datasets_publisher (publisher_key, updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE opendata_dataset_docs (
    dataset_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    publisher  TEXT NOT NULL,
    doc        LONGTEXT NOT NULL,
    CONSTRAINT opendata_dataset_docs_fk FOREIGN KEY (dataset_id) REFERENCES opendata_datasets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE opendata_dataset_terms (
    dataset_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    term       VARBINARY(192) NOT NULL,
    PRIMARY KEY (dataset_id, term),
    INDEX opendata_dataset_terms_term (term, dataset_id),
    CONSTRAINT opendata_dataset_terms_fk FOREIGN KEY (dataset_id) REFERENCES opendata_datasets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE opendata_dataset_facets (
    dataset_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    facet      VARBINARY(16) NOT NULL,
    value      VARBINARY(500) NOT NULL,
    PRIMARY KEY (dataset_id, facet, value),
    INDEX opendata_dataset_facets_value (facet, value, dataset_id),
    CONSTRAINT opendata_dataset_facets_fk FOREIGN KEY (dataset_id) REFERENCES opendata_datasets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
