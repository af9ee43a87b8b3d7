-- Participation: census lists hold identity keys only (keyed, salted
-- hashes of identifiers, see civickit.Hasher), each list's salt apart,
-- and a participant claims one identity of a list, held by no one else
-- (MariaDB/MySQL). The identifiers kept in clear until now
-- (census_entries, participant_personal_data.census_key) are dropped:
-- they cannot be hashed here without the deployment's identity secret,
-- so census lists must be imported again
-- (participation.Service.AddCensusEntries) and participants claim their
-- identity again (ClaimCensus).
DROP TABLE {{prefix}}census_entries;
ALTER TABLE {{prefix}}participant_personal_data DROP COLUMN census_key;

-- One random salt per list, apart from the keys; never exported.
CREATE TABLE {{prefix}}census_salts (
    list_name  VARBINARY(100) PRIMARY KEY,
    salt       VARBINARY(64) NOT NULL,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB;

-- Who is on each list, by identity key (64 hex digits).
CREATE TABLE {{prefix}}census_keys (
    list_name    VARBINARY(100) NOT NULL,
    identity_key CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (list_name, identity_key)
) ENGINE=InnoDB;

-- Which participant holds which identity of a list: one participant per
-- identity, one identity per participant and list.
CREATE TABLE {{prefix}}census_claims (
    list_name      VARBINARY(100) NOT NULL,
    identity_key   CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    participant_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    claimed_at     BIGINT NOT NULL,
    PRIMARY KEY (list_name, identity_key),
    UNIQUE KEY {{prefix}}census_claims_participant_list (list_name, participant_id),
    KEY {{prefix}}census_claims_participant (participant_id),
    CONSTRAINT {{prefix}}census_claims_participant_fk FOREIGN KEY (participant_id) REFERENCES {{prefix}}participants (id)
) ENGINE=InnoDB;
