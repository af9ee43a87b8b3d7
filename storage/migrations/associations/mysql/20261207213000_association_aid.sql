-- The aid catalogue (grant schemes) and the scheme a CERFA 12156
-- application names (MariaDB / MySQL).
CREATE TABLE IF NOT EXISTS {{prefix}}aid_schemes (
    id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    funder     VARCHAR(200) NOT NULL,
    details    MEDIUMTEXT NOT NULL,
    min_cents  BIGINT NOT NULL,
    max_cents  BIGINT NOT NULL,
    opens_on   CHAR(10),
    closes_on  CHAR(10),
    version    INTEGER NOT NULL,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE {{prefix}}grants ADD COLUMN IF NOT EXISTS scheme_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE {{prefix}}grants ADD CONSTRAINT {{prefix}}grants_scheme FOREIGN KEY IF NOT EXISTS (scheme_id) REFERENCES {{prefix}}aid_schemes (id);
