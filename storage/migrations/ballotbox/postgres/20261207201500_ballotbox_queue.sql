-- Ballot box (voting/ballotbox), PostgreSQL: casts acknowledged once
-- durably queued, appended to the board in shuffled batches.
--
-- A voter's cast writes, in one transaction, its register mark, its
-- request (the idempotency key, for replays) and its queued ballot. The
-- request and the queued ballot are sealed (AES-GCM under a key derived
-- from the Service secret, which is never stored): whoever reads these
-- rows, their system columns, their dead versions or the WAL links the
-- voter to a sealed blob only. A sequencer later deletes a batch of at
-- least k queued ballots and appends them, shuffled, to the ballots and
-- the board in one transaction: a voter is linked to a batch, not to a
-- ballot. seq orders the queue (first in, first out) and is never copied
-- to the ballot side.
CREATE TABLE {{prefix}}ballotbox_requests (
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    request_hash TEXT NOT NULL,
    sealed      TEXT NOT NULL,
    PRIMARY KEY (election_id, request_hash)
);

CREATE TABLE {{prefix}}ballotbox_queue (
    seq         BIGSERIAL PRIMARY KEY,
    election_id UUID NOT NULL REFERENCES {{prefix}}ballotbox_elections (id) ON DELETE CASCADE,
    sealed      TEXT NOT NULL
);
CREATE INDEX {{prefix}}ballotbox_queue_election ON {{prefix}}ballotbox_queue (election_id, seq);
