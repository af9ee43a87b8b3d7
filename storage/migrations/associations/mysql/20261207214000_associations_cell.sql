-- A cell number (0.1° grid) for "near": its index bounds a query to the
-- cells of its box (MariaDB / MySQL).
ALTER TABLE {{prefix}}associations ADD COLUMN IF NOT EXISTS cell BIGINT NULL;
UPDATE {{prefix}}associations SET cell = FLOOR((lat + 90) * 10) * 3600 + FLOOR((lon + 180) * 10) WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE INDEX IF NOT EXISTS {{prefix}}associations_cell ON {{prefix}}associations (cell);
