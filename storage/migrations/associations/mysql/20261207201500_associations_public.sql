-- RNA titre_court kept as a short title (not the acronym), and the
-- association's choice to publish its street lines (MariaDB / MySQL).
-- Import-register RNA numbers have 12 or 14 characters (061S0061013683).
-- MariaDB commits DDL implicitly; IF NOT EXISTS lets a half-applied
-- migration run again.
ALTER TABLE {{prefix}}associations MODIFY rna VARCHAR(14) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE {{prefix}}associations ADD COLUMN IF NOT EXISTS short_title VARCHAR(250) NOT NULL DEFAULT '';
ALTER TABLE {{prefix}}associations ADD COLUMN IF NOT EXISTS address_public BOOLEAN NOT NULL DEFAULT FALSE;
