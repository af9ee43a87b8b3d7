-- Open data: datasets (DCAT-AP) with their search terms and facet values
-- (SQLite). opendata_datasets is narrow (keys, sort keys, encoded facet
-- values) so that searches and facet counts scan short rows; the dataset
-- itself is a JSON document in opendata_dataset_docs. Times are Unix
-- microseconds; text compares bytewise (BINARY). The narrow tables are
-- WITHOUT ROWID: a lookup by key is one B-tree search.
CREATE TABLE {{prefix}}opendata_datasets (
    id            TEXT PRIMARY KEY,
    identifier    TEXT NOT NULL UNIQUE,
    iri           TEXT UNIQUE,
    title_key     TEXT NOT NULL,
    publisher_key TEXT NOT NULL DEFAULT '',
    facets        TEXT NOT NULL DEFAULT '',
    revision      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX {{prefix}}opendata_datasets_updated ON {{prefix}}opendata_datasets (updated_at, id);
CREATE INDEX {{prefix}}opendata_datasets_created ON {{prefix}}opendata_datasets (created_at, id);
CREATE INDEX {{prefix}}opendata_datasets_title ON {{prefix}}opendata_datasets (title_key, id);
CREATE INDEX {{prefix}}opendata_datasets_publisher ON {{prefix}}opendata_datasets (publisher_key, updated_at);

CREATE TABLE {{prefix}}opendata_dataset_docs (
    dataset_id TEXT PRIMARY KEY REFERENCES {{prefix}}opendata_datasets (id) ON DELETE CASCADE,
    publisher  TEXT NOT NULL DEFAULT '',
    doc        TEXT NOT NULL
);

CREATE TABLE {{prefix}}opendata_dataset_terms (
    dataset_id TEXT NOT NULL REFERENCES {{prefix}}opendata_datasets (id) ON DELETE CASCADE,
    term       TEXT NOT NULL,
    PRIMARY KEY (dataset_id, term)
) WITHOUT ROWID;
CREATE INDEX {{prefix}}opendata_dataset_terms_term ON {{prefix}}opendata_dataset_terms (term, dataset_id);

CREATE TABLE {{prefix}}opendata_dataset_facets (
    dataset_id TEXT NOT NULL REFERENCES {{prefix}}opendata_datasets (id) ON DELETE CASCADE,
    facet      TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (dataset_id, facet, value)
) WITHOUT ROWID;
CREATE INDEX {{prefix}}opendata_dataset_facets_value ON {{prefix}}opendata_dataset_facets (facet, value, dataset_id);
