-- RNA titre_court kept as a short title (not the acronym), and the
-- association's choice to publish its street lines (PostgreSQL).
ALTER TABLE {{prefix}}associations ADD COLUMN short_title TEXT NOT NULL DEFAULT '';
ALTER TABLE {{prefix}}associations ADD COLUMN address_public BOOLEAN NOT NULL DEFAULT FALSE;
