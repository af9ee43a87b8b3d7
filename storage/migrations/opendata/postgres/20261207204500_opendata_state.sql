-- A dataset's publication state (opendata.DatasetState: published,
-- draft, withdrawn): searches and feeds keep published datasets only, so
-- the state is a column they filter on. Existing rows are published.
ALTER TABLE {{prefix}}opendata_datasets ADD COLUMN state TEXT NOT NULL DEFAULT 'published';
