-- Participation: what participants declared about themselves for the
-- representativeness of a consultation's public and for citizens'
-- panels (package participation/panel), with their consent — personal
-- data, apart from contributions, erased with them (MariaDB/MySQL).
CREATE TABLE IF NOT EXISTS {{prefix}}participant_attributes (
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    attributes     TEXT NOT NULL,
    consented_at   BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT {{prefix}}participant_attributes_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
