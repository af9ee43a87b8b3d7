-- Shared spaces and equipment, their bookings, and one row per occupied
-- slot: the primary key (space_id, slot_start) forbids double booking
-- whatever the concurrency (SQLite).
CREATE TABLE {{prefix}}association_spaces (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    owner_association_id TEXT REFERENCES {{prefix}}associations (id),
    capacity             INTEGER NOT NULL,
    details              TEXT NOT NULL,
    time_zone            TEXT NOT NULL,
    slot_minutes         INTEGER NOT NULL,
    version              INTEGER NOT NULL,
    created_at           BIGINT NOT NULL
);
CREATE TABLE {{prefix}}association_bookings (
    id             TEXT PRIMARY KEY,
    space_id       TEXT NOT NULL REFERENCES {{prefix}}association_spaces (id),
    association_id TEXT NOT NULL REFERENCES {{prefix}}associations (id),
    start_at       BIGINT NOT NULL,
    end_at         BIGINT NOT NULL,
    purpose        TEXT NOT NULL,
    status         TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX {{prefix}}association_bookings_space ON {{prefix}}association_bookings (space_id, start_at, id);
CREATE TABLE {{prefix}}association_booking_slots (
    space_id   TEXT NOT NULL REFERENCES {{prefix}}association_spaces (id),
    slot_start BIGINT NOT NULL,
    booking_id TEXT NOT NULL REFERENCES {{prefix}}association_bookings (id),
    PRIMARY KEY (space_id, slot_start)
);
CREATE INDEX {{prefix}}association_booking_slots_booking ON {{prefix}}association_booking_slots (booking_id);
