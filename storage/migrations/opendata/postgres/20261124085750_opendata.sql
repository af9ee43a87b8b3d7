-- Open data: datasets (DCAT-AP) with their search terms and facet values
-- (PostgreSQL). opendata_datasets is narrow (keys, sort keys, encoded facet
-- values) so that searches and facet counts scan short rows; the dataset
-- itself is a JSON document in opendata_dataset_docs. Times are Unix
-- microseconds. Keys and sort keys use the "C" collation so that order and
-- comparisons are bytewise, as on SQLite and MariaDB (VARBINARY).
CREATE TABLE {{prefix}}opendata_datasets (
    id            UUID PRIMARY KEY,
    identifier    TEXT COLLATE "C" NOT NULL UNIQUE,
    iri           TEXT COLLATE "C" UNIQUE,
    title_key     TEXT COLLATE "C" NOT NULL,
    publisher_key TEXT COLLATE "C" NOT NULL DEFAULT '',
    facets        TEXT NOT NULL DEFAULT '',
    revision      INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX {{prefix}}opendata_datasets_updated ON {{prefix}}opendata_datasets (updated_at, id);
CREATE INDEX {{prefix}}opendata_datasets_created ON {{prefix}}opendata_datasets (created_at, id);
CREATE INDEX {{prefix}}opendata_datasets_title ON {{prefix}}opendata_datasets (title_key, id);
CREATE INDEX {{prefix}}opendata_datasets_publisher ON {{prefix}}opendata_datasets (publisher_key, updated_at);

CREATE TABLE {{prefix}}opendata_dataset_docs (
    dataset_id UUID PRIMARY KEY REFERENCES {{prefix}}opendata_datasets (id) ON DELETE CASCADE,
    publisher  TEXT NOT NULL DEFAULT '',
    doc        TEXT NOT NULL
);

CREATE TABLE {{prefix}}opendata_dataset_terms (
    dataset_id UUID NOT NULL REFERENCES {{prefix}}opendata_datasets (id) ON DELETE CASCADE,
    term       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (dataset_id, term)
);
CREATE INDEX {{prefix}}opendata_dataset_terms_term ON {{prefix}}opendata_dataset_terms (term, dataset_id);

CREATE TABLE {{prefix}}opendata_dataset_facets (
    dataset_id UUID NOT NULL REFERENCES {{prefix}}opendata_datasets (id) ON DELETE CASCADE,
    facet      TEXT COLLATE "C" NOT NULL,
    value      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (dataset_id, facet, value)
);
CREATE INDEX {{prefix}}opendata_dataset_facets_value ON {{prefix}}opendata_dataset_facets (facet, value, dataset_id);
