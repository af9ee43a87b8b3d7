package storage

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// The queue of casts acknowledged before their batch reaches the board
// (ballotbox.QueueStore). An enqueue takes no per-election lock: casts of
// one election commit concurrently, and the engine groups their commits.
// Only Sequence takes the head's lock, once per batch.

var sealedEncoding = base64.StdEncoding

// Enqueue implements ballotbox.Store.
func (s *BallotBoxStore) Enqueue(ctx context.Context, q *ballotbox.Enqueue) ([]byte, error) {
	if q.RequestKey == "" || q.Voter.Key == "" || len(q.Request) == 0 || len(q.Ballot) == 0 {
		return nil, fmt.Errorf("enqueue: %w: voter key, request key, request and ballot are required", ballotbox.ErrInvalid)
	}
	if done, err := s.enqueueFast(ctx, q.ElectionID, []*ballotbox.Enqueue{q}); err != nil {
		return nil, mapErr("enqueue", err)
	} else if done[0] {
		return nil, nil
	}
	var stored []byte
	for attempt := 0; ; attempt++ {
		err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			stored = nil
			// The request first: a retry finds it taken (one statement in
			// the common case, where the request is new).
			res, err := tx.NewInsert().Model(&bbRequestRow{ElectionID: q.ElectionID, RequestKey: q.RequestKey,
				Sealed: sealedEncoding.EncodeToString(q.Request)}).Ignore().Exec(ctx)
			if err != nil {
				return err
			}
			if added, err := res.RowsAffected(); err != nil {
				return err
			} else if added == 0 {
				var r bbRequestRow
				if err := tx.NewSelect().Model(&r).Where("bq.election_id = ? AND bq.request_hash = ?", q.ElectionID, q.RequestKey).Scan(ctx); err != nil {
					return err
				}
				if stored, err = sealedEncoding.DecodeString(r.Sealed); err != nil {
					return err
				}
				return errReplayed // nothing written
			}
			res, err = tx.NewInsert().Model(&bbRegisterRow{ElectionID: q.ElectionID, VoterKey: string(q.Voter.Key)}).Ignore().Exec(ctx)
			if err != nil {
				return err
			}
			if added, err := res.RowsAffected(); err != nil {
				return err
			} else if added == 0 {
				if q.Revote != ballotbox.RevoteLast {
					return ballotbox.ErrAlreadyVoted
				}
				paper, err := tx.NewSelect().Model((*bbBallotRow)(nil)).
					Where("bb.election_id = ? AND bb.slot = ? AND bb.state = ?", q.ElectionID, q.Voter.Slot, bbPaper).Exists(ctx)
				if err != nil {
					return err
				}
				if paper {
					return fmt.Errorf("%w: on paper", ballotbox.ErrAlreadyVoted)
				}
			}
			_, err = tx.NewInsert().Model(&bbQueueRow{ElectionID: q.ElectionID, Sealed: sealedEncoding.EncodeToString(q.Ballot)}).Exec(ctx)
			return err
		})
		// A concurrent request with the same key committed first: the
		// next attempt returns its receipt.
		if classify(err) == classUnique && attempt < 2 {
			continue
		}
		if err != nil && !errors.Is(err, errReplayed) {
			return nil, mapErr("enqueue", err)
		}
		return stored, nil
	}
}

// Request implements ballotbox.Store.
func (s *BallotBoxStore) Request(ctx context.Context, electionID uuid.UUID, requestKey string) ([]byte, error) {
	var r bbRequestRow
	err := s.db.bun.NewSelect().Model(&r).Where("bq.election_id = ? AND bq.request_hash = ?", electionID, requestKey).Scan(ctx)
	if err != nil {
		return nil, mapErr("request", err)
	}
	return sealedEncoding.DecodeString(r.Sealed)
}

// Queued implements ballotbox.Store.
func (s *BallotBoxStore) Queued(ctx context.Context, electionID uuid.UUID, limit int) (int64, []ballotbox.Queued, error) {
	n, err := s.db.bun.NewSelect().Model((*bbQueueRow)(nil)).Where("bw.election_id = ?", electionID).Count(ctx)
	if err != nil || n == 0 || limit <= 0 {
		return int64(n), nil, mapErr("queued", err)
	}
	var rows []bbQueueRow
	if err := s.db.bun.NewSelect().Model(&rows).Where("bw.election_id = ?", electionID).
		Order("bw.seq").Limit(int64(limit)).Scan(ctx); err != nil {
		return 0, nil, mapErr("queued", err)
	}
	out := make([]ballotbox.Queued, len(rows))
	for i, r := range rows {
		b, err := sealedEncoding.DecodeString(r.Sealed)
		if err != nil {
			return 0, nil, fmt.Errorf("storage: queued ballot %d: %w", r.Seq, err)
		}
		out[i] = ballotbox.Queued{Seq: r.Seq, Sealed: b}
	}
	return int64(n), out, nil
}

// Sequence implements ballotbox.Store.
func (s *BallotBoxStore) Sequence(ctx context.Context, electionID uuid.UUID, seqs []int64, appends []*ballotbox.Append) error {
	for _, a := range appends {
		if a.ElectionID != electionID || a.RequestKey == "" || a.Tracker == "" || len(a.Ballot) == 0 || !a.Channel.Valid() {
			return fmt.Errorf("sequence: %w: every append needs the election, a request key, a tracker, a ballot and a channel", ballotbox.ErrInvalid)
		}
	}
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		head, err := s.lockHead(ctx, tx, electionID)
		if errors.Is(err, sql.ErrNoRows) {
			return ballotbox.ErrNotFound
		} else if err != nil {
			return err
		}
		const chunk = 500
		for i := 0; i < len(seqs); i += chunk {
			part := seqs[i:min(i+chunk, len(seqs))]
			res, err := tx.NewDelete().Model((*bbQueueRow)(nil)).
				Where("election_id = ? AND seq IN (?)", electionID, bun.List(part)).Exec(ctx)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != int64(len(part)) {
				return fmt.Errorf("%w: queued ballots of election %s were sequenced by another process", ballotbox.ErrConflict, electionID)
			}
		}
		return s.sequenceLocked(ctx, tx, electionID, head, appends)
	})
	return mapErr("sequence", err)
}

// sequenceLocked writes a batch once the head is locked: a few bulk
// statements, whatever the batch's size.
func (s *BallotBoxStore) sequenceLocked(ctx context.Context, tx bun.Tx, electionID uuid.UUID, head *bbHeadRow, appends []*ballotbox.Append) error {
	// The ballots that hold the batch's slots before it.
	holders := map[string]*bbBallotRow{}
	var slots []string
	for _, a := range appends {
		if a.Voter != nil && a.Voter.Slot != "" && a.Revote == ballotbox.RevoteLast {
			slots = append(slots, a.Voter.Slot)
		}
	}
	for i := 0; i < len(slots); i += 500 {
		var rows []*bbBallotRow
		if err := tx.NewSelect().Model(&rows).Where("bb.election_id = ? AND bb.slot IN (?)", electionID,
			bun.List(slots[i:min(i+500, len(slots))])).Scan(ctx); err != nil {
			return err
		}
		for _, r := range rows {
			holders[*r.Slot] = r
		}
	}
	type pending struct {
		a   *ballotbox.Append
		row *bbBallotRow
	}
	inBatch := map[string]pending{} // tracker -> its append in this batch
	var (
		ballots  []*bbBallotRow
		entries  []*bbEntryRow
		outside  []string // trackers stored before the batch that it supersedes
		deltas   = map[countKey]*bbCountRow{}
		idx, hsh = head.Entries, head.Head
	)
	for _, a := range appends {
		row := &bbBallotRow{ElectionID: electionID, Tracker: a.Tracker, RequestKey: a.RequestKey, Digest: a.Digest,
			State: bbCounted, CastDay: micros(a.Day)}
		replaces := ""
		if a.Voter != nil && a.Voter.Slot != "" && a.Revote == ballotbox.RevoteLast {
			slot := a.Voter.Slot
			if prev := holders[slot]; prev != nil {
				if prev.State == bbPaper {
					// The voter took a paper ballot after this cast.
					row.State = bbSuperseded
					ballots = append(ballots, row)
					continue
				}
				replaces = prev.Tracker
				prev.State, prev.Slot = bbSuperseded, nil
				if p, ok := inBatch[prev.Tracker]; ok {
					if err := addDeltas(deltas, electionID, p.a.Ballot, p.a.Channel, p.a.Place, -1); err != nil {
						return err
					}
				} else {
					outside = append(outside, prev.Tracker)
				}
			}
			row.Slot = &slot
			holders[slot] = row
		}
		ballots = append(ballots, row)
		inBatch[a.Tracker] = pending{a, row}
		en := ballotbox.Seal(hsh, idx, ballotbox.Entry{Tracker: a.Tracker, Ballot: a.Ballot, Replaces: replaces,
			Channel: a.Channel, Place: a.Place})
		b := string(a.Ballot)
		entries = append(entries, &bbEntryRow{ElectionID: electionID, Idx: en.Index, Tracker: en.Tracker, Ballot: &b,
			Replaces: en.Replaces, Channel: string(en.Channel), Place: en.Place, Prev: en.Prev, Hash: en.Hash})
		if err := addDeltas(deltas, electionID, a.Ballot, a.Channel, a.Place, +1); err != nil {
			return err
		}
		idx, hsh = en.Index+1, en.Hash
	}
	// Ballots stored before the batch give up their slots first (a slot
	// is unique), and their answers leave the live counts.
	for _, tr := range outside {
		if _, err := tx.NewUpdate().Model((*bbBallotRow)(nil)).Set("slot = NULL").Set("state = ?", bbSuperseded).
			Where("election_id = ? AND tracker = ?", electionID, tr).Exec(ctx); err != nil {
			return err
		}
		var old bbEntryRow
		if err := tx.NewSelect().Model(&old).Where("bn.election_id = ? AND bn.tracker = ?", electionID, tr).Scan(ctx); err != nil {
			return fmt.Errorf("storage: the board entry of ballot %s: %w", tr, err)
		}
		if old.Ballot != nil {
			if err := addDeltas(deltas, electionID, []byte(*old.Ballot), civickit.Channel(old.Channel), old.Place, -1); err != nil {
				return err
			}
		}
	}
	const chunk = 500
	for i := 0; i < len(ballots); i += chunk {
		part := ballots[i:min(i+chunk, len(ballots))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return err
		}
	}
	for i := 0; i < len(entries); i += chunk {
		part := entries[i:min(i+chunk, len(entries))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return err
		}
	}
	if idx != head.Entries {
		if _, err := tx.NewUpdate().Model((*bbHeadRow)(nil)).Set("entries = ?", idx).Set("head = ?", hsh).
			Where("election_id = ?", electionID).Exec(ctx); err != nil {
			return err
		}
	}
	return s.applyDeltas(ctx, tx, deltas)
}

// EnqueueAll implements ballotbox.Store: a handful of statements for the
// whole group. When a concurrent writer takes one of the group's request
// keys or voters between the reads and the inserts, the group is written
// again cast by cast (Enqueue).
func (s *BallotBoxStore) EnqueueAll(ctx context.Context, qs []*ballotbox.Enqueue) ([]ballotbox.Enqueued, error) {
	out := make([]ballotbox.Enqueued, len(qs))
	if len(qs) == 1 {
		out[0].Stored, out[0].Err = s.Enqueue(ctx, qs[0])
		return out, nil
	}
	byElection := map[uuid.UUID][]int{}
	for i, q := range qs {
		if q.RequestKey == "" || q.Voter.Key == "" || len(q.Request) == 0 || len(q.Ballot) == 0 {
			out[i].Err = fmt.Errorf("enqueue: %w: voter key, request key, request and ballot are required", ballotbox.ErrInvalid)
			continue
		}
		byElection[q.ElectionID] = append(byElection[q.ElectionID], i)
	}
	for id, idx := range byElection {
		// New voters first, in one statement (PostgreSQL); the rest below.
		group := make([]*ballotbox.Enqueue, len(idx))
		for n, i := range idx {
			group[n] = qs[i]
		}
		done, err := s.enqueueFast(ctx, id, group)
		if err != nil {
			return nil, mapErr("enqueue", err)
		}
		rest := idx[:0:0]
		for n, i := range idx {
			if !done[n] {
				rest = append(rest, i)
			}
		}
		if idx = rest; len(idx) == 0 {
			continue
		}
		err = s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			for _, i := range idx {
				out[i] = ballotbox.Enqueued{}
			}
			return s.enqueueGroup(ctx, tx, id, qs, idx, out)
		})
		if classify(err) == classUnique {
			for _, i := range idx { // a concurrent writer: one by one
				out[i].Stored, out[i].Err = s.Enqueue(ctx, qs[i])
			}
			continue
		}
		if err != nil {
			return nil, mapErr("enqueue", err)
		}
	}
	return out, nil
}

func (s *BallotBoxStore) enqueueGroup(ctx context.Context, tx bun.Tx, id uuid.UUID, qs []*ballotbox.Enqueue, idx []int, out []ballotbox.Enqueued) error {
	reqKeys := make([]string, 0, len(idx))
	voterKeys := make([]string, 0, len(idx))
	for _, i := range idx {
		reqKeys = append(reqKeys, qs[i].RequestKey)
		voterKeys = append(voterKeys, string(qs[i].Voter.Key))
	}
	var reqs []bbRequestRow
	if err := tx.NewSelect().Model(&reqs).Where("bq.election_id = ? AND bq.request_hash IN (?)", id, bun.List(reqKeys)).Scan(ctx); err != nil {
		return err
	}
	stored := map[string]string{}
	for _, r := range reqs {
		stored[r.RequestKey] = r.Sealed
	}
	var regs []string
	if err := tx.NewSelect().Model((*bbRegisterRow)(nil)).Column("voter_key").
		Where("br.election_id = ? AND br.voter_key IN (?)", id, bun.List(voterKeys)).Scan(ctx, &regs); err != nil {
		return err
	}
	registered := map[string]bool{}
	for _, k := range regs {
		registered[k] = true
	}
	// Slots of known voters that a paper marker holds (RevoteLast).
	var slots []string
	for _, i := range idx {
		if q := qs[i]; registered[string(q.Voter.Key)] && q.Revote == ballotbox.RevoteLast && q.Voter.Slot != "" {
			slots = append(slots, q.Voter.Slot)
		}
	}
	paper := map[string]bool{}
	if len(slots) > 0 {
		var held []string
		if err := tx.NewSelect().Model((*bbBallotRow)(nil)).Column("slot").
			Where("bb.election_id = ? AND bb.state = ? AND bb.slot IN (?)", id, bbPaper, bun.List(slots)).Scan(ctx, &held); err != nil {
			return err
		}
		for _, sl := range held {
			paper[sl] = true
		}
	}
	var (
		newReqs   []bbRequestRow
		newVoters []bbRegisterRow
		queue     []bbQueueRow
	)
	for _, i := range idx {
		q := qs[i]
		if sealed, ok := stored[q.RequestKey]; ok {
			b, err := sealedEncoding.DecodeString(sealed)
			if err != nil {
				return err
			}
			out[i].Stored = b
			continue
		}
		key := string(q.Voter.Key)
		if registered[key] {
			if q.Revote != ballotbox.RevoteLast {
				out[i].Err = ballotbox.ErrAlreadyVoted
				continue
			}
			if paper[q.Voter.Slot] {
				out[i].Err = fmt.Errorf("%w: on paper", ballotbox.ErrAlreadyVoted)
				continue
			}
		} else {
			registered[key] = true
			newVoters = append(newVoters, bbRegisterRow{ElectionID: id, VoterKey: key})
		}
		sealed := sealedEncoding.EncodeToString(q.Request)
		stored[q.RequestKey] = sealed // a second cast of this key replays it
		newReqs = append(newReqs, bbRequestRow{ElectionID: id, RequestKey: q.RequestKey, Sealed: sealed})
		queue = append(queue, bbQueueRow{ElectionID: id, Sealed: sealedEncoding.EncodeToString(q.Ballot)})
	}
	if len(newVoters) > 0 {
		if _, err := tx.NewInsert().Model(&newVoters).Exec(ctx); err != nil {
			return err
		}
	}
	if len(newReqs) > 0 {
		if _, err := tx.NewInsert().Model(&newReqs).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&queue).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
