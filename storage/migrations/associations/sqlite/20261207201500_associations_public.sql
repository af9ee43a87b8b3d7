-- RNA titre_court kept as a short title (not the acronym), and the
-- association's choice to publish its street lines (SQLite).
ALTER TABLE {{prefix}}associations ADD COLUMN short_title TEXT NOT NULL DEFAULT '';
ALTER TABLE {{prefix}}associations ADD COLUMN address_public INTEGER NOT NULL DEFAULT 0;
