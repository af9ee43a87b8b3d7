-- The directory of digital mediation places (opendata.MediationStore):
-- one JSON document per place, keyed by its local identifier (at most
-- opendata.MaxMediationIDLen bytes), which orders the listing bytewise
-- (VARBINARY).
CREATE TABLE IF NOT EXISTS {{prefix}}opendata_mediation_places (
    id  VARBINARY(200) NOT NULL PRIMARY KEY,
    doc LONGTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
