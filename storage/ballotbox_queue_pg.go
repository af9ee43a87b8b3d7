package storage

import (
	"context"
	"sort"
	"strings"

	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// enqueueFast writes, on PostgreSQL, the casts of new voters in one
// autocommitted statement: the register marks decide (a voter already
// marked inserts nothing), and only the casts whose mark was inserted
// write their request and their sealed ballot. It returns, for each of
// qs, whether it was written; the others (replays, voters already marked,
// revotes) go through the transactional path, which reads and decides.
// A request key taken by another voter's cast aborts the whole statement
// (unique violation) and writes nothing.
func (s *BallotBoxStore) enqueueFast(ctx context.Context, id uuid.UUID, qs []*ballotbox.Enqueue) ([]bool, error) {
	done := make([]bool, len(qs))
	if s.db.engine != Postgres || len(qs) == 0 {
		return done, nil
	}
	// One cast per voter here (a voter's second cast of the group is
	// decided after the first), in key order so that concurrent
	// statements take the register's index entries in the same order.
	first := map[string]int{}
	var order []int
	for i, q := range qs {
		if _, ok := first[string(q.Voter.Key)]; !ok {
			first[string(q.Voter.Key)] = i
			order = append(order, i)
		}
	}
	sort.Slice(order, func(a, b int) bool { return qs[order[a]].Voter.Key < qs[order[b]].Voter.Key })
	var b strings.Builder
	args := make([]any, 0, 4*len(order)+6)
	b.WriteString("WITH v (voter_key, request_hash, req_sealed, q_sealed) AS (VALUES ")
	for n, i := range order {
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
		q := qs[i]
		args = append(args, string(q.Voter.Key), q.RequestKey, sealedEncoding.EncodeToString(q.Request), sealedEncoding.EncodeToString(q.Ballot))
	}
	b.WriteString(`), reg AS (INSERT INTO ? (election_id, voter_key) SELECT ?::uuid, voter_key FROM v ORDER BY voter_key
ON CONFLICT DO NOTHING RETURNING voter_key),
req AS (INSERT INTO ? (election_id, request_hash, sealed) SELECT ?::uuid, v.request_hash, v.req_sealed FROM v JOIN reg USING (voter_key) RETURNING 1),
q AS (INSERT INTO ? (election_id, sealed) SELECT ?::uuid, v.q_sealed FROM v JOIN reg USING (voter_key) ORDER BY v.voter_key RETURNING 1)
SELECT voter_key FROM reg`)
	args = append(args, bun.Ident(s.db.TableName("ballotbox_register")), id.String(),
		bun.Ident(s.db.TableName("ballotbox_requests")), id.String(),
		bun.Ident(s.db.TableName("ballotbox_queue")), id.String())
	var marked []string
	if err := s.db.bun.NewRaw(b.String(), args...).Scan(ctx, &marked); err != nil {
		if classify(err) == classUnique {
			return done, nil // the transactional path decides
		}
		return nil, err
	}
	for _, k := range marked {
		done[first[k]] = true
	}
	return done, nil
}
