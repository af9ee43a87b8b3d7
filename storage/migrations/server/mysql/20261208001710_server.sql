-- The reference server's own tables (package reference-server/httpapi),
-- MariaDB / MySQL: stored answers of POSTs by idempotency key, the link
-- from each login identity to its participant, role grants and API
-- tokens. No table holds personal data: identities and keys are SHA-256
-- digests, tokens are kept as the digest of their secret. Keys are
-- ascii_bin so that equality is bytewise, as on SQLite and PostgreSQL.
CREATE TABLE IF NOT EXISTS {{prefix}}server_idempotency (
    id           CHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    body_hash    CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    done         SMALLINT NOT NULL,
    status       INT NOT NULL,
    header       TEXT NOT NULL,
    body         MEDIUMBLOB,
    created_at   BIGINT NOT NULL,
    INDEX {{prefix}}server_idempotency_created (created_at)
);
CREATE TABLE IF NOT EXISTS {{prefix}}server_identities (
    id             CHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS {{prefix}}server_grants (
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    role           VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    scope          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (participant_id, role, scope)
);
CREATE TABLE IF NOT EXISTS {{prefix}}server_tokens (
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    name           VARCHAR(200) NOT NULL,
    secret_hash    CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL UNIQUE,
    grants         TEXT NOT NULL,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    revoked_at     BIGINT NOT NULL
);
-- Sessions are signed cookies; a logout ends every session of its
-- participant issued before ended_at (Unix microseconds).
CREATE TABLE IF NOT EXISTS {{prefix}}server_session_ends (
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
    ended_at       BIGINT NOT NULL
);
