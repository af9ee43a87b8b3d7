-- Associations in decisions: the people mandated to speak for an
-- association, and how precise a geocoded position is (MariaDB / MySQL).
-- MariaDB commits DDL implicitly; IF NOT EXISTS lets a half-applied
-- migration run again.
CREATE TABLE IF NOT EXISTS {{prefix}}association_representatives (
    association_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    authorised_by  VARCHAR(100) NOT NULL,
    evidence       VARCHAR(300) NOT NULL,
    authorised_at  BIGINT NOT NULL,
    PRIMARY KEY (association_id, participant_id),
    FOREIGN KEY (association_id) REFERENCES {{prefix}}associations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE {{prefix}}associations ADD COLUMN IF NOT EXISTS location_precision VARCHAR(16) NOT NULL DEFAULT '';
