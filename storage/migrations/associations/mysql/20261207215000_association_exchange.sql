-- The inter-association exchange board: offers and needs, moderated
-- (MariaDB / MySQL).
CREATE TABLE IF NOT EXISTS {{prefix}}association_exchange_posts (
    id              CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    association_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind            VARCHAR(16) NOT NULL,
    topic           VARCHAR(32) NOT NULL,
    title           VARCHAR(200) NOT NULL,
    body            TEXT NOT NULL,
    commune_code    VARCHAR(5) NOT NULL,
    status          VARCHAR(16) NOT NULL,
    moderation_note TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    INDEX {{prefix}}association_exchange_posts_status (status, id),
    FOREIGN KEY (association_id) REFERENCES {{prefix}}associations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
