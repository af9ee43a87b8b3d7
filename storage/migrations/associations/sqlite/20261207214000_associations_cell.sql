-- A cell number (0.1° grid) for "near": its index bounds a query to the
-- cells of its box (SQLite). Existing rows get theirs from lat/lon
-- (lat + 90 and lon + 180 are never negative: CAST truncates as FLOOR).
ALTER TABLE {{prefix}}associations ADD COLUMN cell BIGINT;
UPDATE {{prefix}}associations SET cell = CAST((lat + 90) * 10 AS INTEGER) * 3600 + CAST((lon + 180) * 10 AS INTEGER) WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE INDEX {{prefix}}associations_cell ON {{prefix}}associations (cell);
