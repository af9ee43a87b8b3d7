-- Shared spaces and equipment, their bookings, and one row per occupied
-- slot: the primary key (space_id, slot_start) forbids double booking
-- whatever the concurrency (MariaDB / MySQL).
CREATE TABLE IF NOT EXISTS {{prefix}}association_spaces (
    id                   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    name                 VARCHAR(200) NOT NULL,
    kind                 VARCHAR(16) NOT NULL,
    owner_association_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    capacity             INTEGER NOT NULL,
    details              MEDIUMTEXT NOT NULL,
    time_zone            VARCHAR(64) NOT NULL,
    slot_minutes         INTEGER NOT NULL,
    version              INTEGER NOT NULL,
    created_at           BIGINT NOT NULL,
    FOREIGN KEY (owner_association_id) REFERENCES {{prefix}}associations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE IF NOT EXISTS {{prefix}}association_bookings (
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    space_id       CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    association_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    start_at       BIGINT NOT NULL,
    end_at         BIGINT NOT NULL,
    purpose        VARCHAR(500) NOT NULL,
    status         VARCHAR(16) NOT NULL,
    version        INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    INDEX {{prefix}}association_bookings_space (space_id, start_at, id),
    FOREIGN KEY (space_id) REFERENCES {{prefix}}association_spaces (id),
    FOREIGN KEY (association_id) REFERENCES {{prefix}}associations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE IF NOT EXISTS {{prefix}}association_booking_slots (
    space_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    slot_start BIGINT NOT NULL,
    booking_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (space_id, slot_start),
    INDEX {{prefix}}association_booking_slots_booking (booking_id),
    FOREIGN KEY (space_id) REFERENCES {{prefix}}association_spaces (id),
    FOREIGN KEY (booking_id) REFERENCES {{prefix}}association_bookings (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
