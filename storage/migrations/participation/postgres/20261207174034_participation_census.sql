-- Participation: census lists hold identity keys only (keyed, salted
-- hashes of identifiers, see civickit.Hasher), each list's salt apart,
-- and a participant claims one identity of a list, held by no one else
-- (PostgreSQL). The identifiers kept in clear until now (census_entries,
-- participant_personal_data.census_key) are dropped: they cannot be
-- hashed here without the deployment's identity secret, so census lists
-- must be imported again (participation.Service.AddCensusEntries) and
-- participants claim their identity again (ClaimCensus).
DROP TABLE {{prefix}}census_entries;
ALTER TABLE {{prefix}}participant_personal_data DROP COLUMN census_key;

-- One random salt per list, apart from the keys; never exported.
CREATE TABLE {{prefix}}census_salts (
    list_name  TEXT COLLATE "C" PRIMARY KEY,
    salt       BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- Who is on each list, by identity key (64 hex digits).
CREATE TABLE {{prefix}}census_keys (
    list_name    TEXT COLLATE "C" NOT NULL,
    identity_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (list_name, identity_key)
);

-- Which participant holds which identity of a list: one participant per
-- identity, one identity per participant and list.
CREATE TABLE {{prefix}}census_claims (
    list_name      TEXT COLLATE "C" NOT NULL,
    identity_key   TEXT COLLATE "C" NOT NULL,
    participant_id UUID NOT NULL REFERENCES {{prefix}}participants (id),
    claimed_at     BIGINT NOT NULL,
    PRIMARY KEY (list_name, identity_key),
    UNIQUE (list_name, participant_id)
);
CREATE INDEX {{prefix}}census_claims_participant ON {{prefix}}census_claims (participant_id);
