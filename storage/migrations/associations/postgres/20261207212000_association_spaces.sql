-- Shared spaces and equipment, their bookings, and one row per occupied
-- slot: the primary key (space_id, slot_start) forbids double booking
-- whatever the concurrency (PostgreSQL).
CREATE TABLE {{prefix}}association_spaces (
    id                   UUID PRIMARY KEY,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    owner_association_id UUID REFERENCES {{prefix}}associations (id),
    capacity             INTEGER NOT NULL,
    details              TEXT NOT NULL,
    time_zone            TEXT NOT NULL,
    slot_minutes         INTEGER NOT NULL,
    version              INTEGER NOT NULL,
    created_at           BIGINT NOT NULL
);
CREATE TABLE {{prefix}}association_bookings (
    id             UUID PRIMARY KEY,
    space_id       UUID NOT NULL REFERENCES {{prefix}}association_spaces (id),
    association_id UUID NOT NULL REFERENCES {{prefix}}associations (id),
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
    space_id   UUID NOT NULL REFERENCES {{prefix}}association_spaces (id),
    slot_start BIGINT NOT NULL,
    booking_id UUID NOT NULL REFERENCES {{prefix}}association_bookings (id),
    PRIMARY KEY (space_id, slot_start)
);
CREATE INDEX {{prefix}}association_booking_slots_booking ON {{prefix}}association_booking_slots (booking_id);
