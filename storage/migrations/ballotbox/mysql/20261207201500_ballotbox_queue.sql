-- Ballot box (voting/ballotbox), MariaDB / MySQL: casts acknowledged once
-- durably queued, appended to the board in shuffled batches.
--
-- A voter's cast writes, in one transaction, its register mark, its
-- request (the idempotency key, for replays) and its queued ballot. The
-- request and the queued ballot are sealed (AES-GCM under a key derived
-- from the Service secret, which is never stored): whoever reads these
-- rows, their hidden transaction ids, the undo or redo log links the voter
-- to a sealed blob only. A sequencer later deletes a batch of at least k
-- queued ballots and appends them, shuffled, to the ballots and the board
-- in one transaction: a voter is linked to a batch, not to a ballot. seq
-- orders the queue (first in, first out) and is never copied to the ballot
-- side. Each statement can run again (IF NOT EXISTS).
CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_requests (
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    request_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    sealed      TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (election_id, request_hash),
    CONSTRAINT {{prefix}}ballotbox_requests_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS {{prefix}}ballotbox_queue (
    seq         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    election_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    sealed      MEDIUMTEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    KEY {{prefix}}ballotbox_queue_election (election_id, seq),
    CONSTRAINT {{prefix}}ballotbox_queue_election_fk FOREIGN KEY (election_id) REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE
) ENGINE=InnoDB;
