-- A cell number (0.1° grid) for "near": its index bounds a query to the
-- cells of its box (PostgreSQL).
ALTER TABLE {{prefix}}associations ADD COLUMN cell BIGINT;
UPDATE {{prefix}}associations SET cell = CAST(FLOOR((lat + 90) * 10) AS BIGINT) * 3600 + CAST(FLOOR((lon + 180) * 10) AS BIGINT) WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE INDEX {{prefix}}associations_cell ON {{prefix}}associations (cell);
