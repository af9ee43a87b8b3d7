-- The reference server's own tables (package reference-server/httpapi),
-- SQLite: stored answers of POSTs by idempotency key, the link from each
-- login identity to its participant, role grants and API tokens. No table
-- holds personal data: identities and keys are SHA-256 digests, tokens
-- are kept as the digest of their secret.
CREATE TABLE {{prefix}}server_idempotency (
    id           TEXT PRIMARY KEY,
    body_hash    TEXT NOT NULL,
    done         INTEGER NOT NULL,
    status       INTEGER NOT NULL,
    header       TEXT NOT NULL,
    body         BLOB,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX {{prefix}}server_idempotency_created ON {{prefix}}server_idempotency (created_at);
CREATE TABLE {{prefix}}server_identities (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL,
    created_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE {{prefix}}server_grants (
    participant_id TEXT NOT NULL,
    role           TEXT NOT NULL,
    scope          TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (participant_id, role, scope)
) WITHOUT ROWID;
CREATE TABLE {{prefix}}server_tokens (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    secret_hash    TEXT NOT NULL UNIQUE,
    grants         TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    revoked_at     INTEGER NOT NULL
) WITHOUT ROWID;
-- Sessions are signed cookies; a logout ends every session of its
-- participant issued before ended_at (Unix microseconds).
CREATE TABLE {{prefix}}server_session_ends (
    participant_id TEXT PRIMARY KEY,
    ended_at       INTEGER NOT NULL
) WITHOUT ROWID;
