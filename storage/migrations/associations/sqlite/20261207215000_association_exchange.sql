-- The inter-association exchange board: offers and needs, moderated (SQLite).
CREATE TABLE {{prefix}}association_exchange_posts (
    id              TEXT PRIMARY KEY,
    association_id  TEXT NOT NULL REFERENCES {{prefix}}associations (id),
    kind            TEXT NOT NULL,
    topic           TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    commune_code    TEXT NOT NULL,
    status          TEXT NOT NULL,
    moderation_note TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX {{prefix}}association_exchange_posts_status ON {{prefix}}association_exchange_posts (status, id);
