package ballotbox

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// Casting with an anonymity set (Options.Anonymity = k > 1).
//
// Whoever holds the database files, the WAL or a backup sees which rows
// one transaction wrote (PostgreSQL's xmin, InnoDB's hidden transaction
// id, the order of WAL records and of SQLite page cells). A cast that
// wrote its register mark and its ballot in one transaction would name its
// voter. So a cast writes, in one transaction, the voter's register mark,
// its request and its ballot sealed (AES-256-GCM under a key derived from
// Options.Secret, never stored) in a queue, and is acknowledged then; a
// sequencer appends queued ballots to the ballots and the board in
// batches of at least k, shuffled, in one transaction. What the engine
// records links a voter to a sealed row, and that row to its batch: to k
// ballots or more, in an order that is a fresh random permutation.
//
// Every batch holds at least k ballots, the last one too: while the
// election is open a batch is cut only when 2k are queued, and takes all
// but the k newest; once it is closed, the rest goes (k or more, unless
// fewer than k voted at all). The board and the live counts lag by up to
// 2k ballots; results and exports after the close sequence the rest first.

// maxBatch bounds one sequencing transaction.
const maxBatch = 2000

// queuedBallot is what a queue row seals.
type queuedBallot struct {
	Tracker string           `json:"tracker"`
	Slot    string           `json:"slot,omitempty"`
	Digest  string           `json:"digest"`
	Ballot  json.RawMessage  `json:"ballot"`
	Channel civickit.Channel `json:"channel"`
	Place   string           `json:"place,omitempty"`
	Day     time.Time        `json:"day"`
}

// sealedRequest is what a request row seals: enough to answer a replay.
type sealedRequest struct {
	Tracker string `json:"tracker"`
	Digest  string `json:"digest"`
}

// aead returns the cipher that seals an election's queue: AES-256-GCM
// under HMAC-SHA256(secret, "queue" || election ID).
func (s *Service) aead(electionID uuid.UUID) (cipher.AEAD, error) {
	if len(s.secret) == 0 {
		return nil, fmt.Errorf("%w: election %s queues sealed ballots", ErrSecretRequired, electionID)
	}
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte("queue"))
	h.Write(electionID[:])
	block, err := aes.NewCipher(h.Sum(nil))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts v's JSON; the election ID is authenticated with it.
func (s *Service) seal(electionID uuid.UUID, v any) ([]byte, error) {
	a, err := s.aead(electionID)
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	plain = pad(plain)
	nonce, err := s.random(a.NonceSize())
	if err != nil {
		return nil, err
	}
	return a.Seal(nonce, nonce, plain, electionID[:]), nil
}

// minSealed is the smallest sealed plaintext.
const minSealed = 1024

// pad fills JSON with trailing spaces (which decoding ignores) to
// minSealed bytes or the next power of two: a sealed row's length must not
// tell its ballot among the batch's (a ranking of two candidates is shorter
// than one of five).
func pad(plain []byte) []byte {
	n := minSealed
	for n < len(plain) {
		n *= 2
	}
	for len(plain) < n {
		plain = append(plain, ' ')
	}
	return plain
}

// open decrypts what seal sealed into v.
func (s *Service) open(electionID uuid.UUID, sealed []byte, v any) error {
	a, err := s.aead(electionID)
	if err != nil {
		return err
	}
	if len(sealed) < a.NonceSize() {
		return fmt.Errorf("ballotbox: election %s: sealed row too short", electionID)
	}
	plain, err := a.Open(nil, sealed[:a.NonceSize()], sealed[a.NonceSize():], electionID[:])
	if err != nil {
		return fmt.Errorf("%w: election %s: a sealed row does not open with this secret", ErrSecretMismatch, electionID)
	}
	return json.Unmarshal(plain, v)
}

// enqueue queues an accepted cast and acknowledges it.
func (s *Service) enqueue(ctx context.Context, e *Election, key VoterKey, reqKey, digest, tracker string,
	canonical []byte, ch civickit.Channel, place string, at time.Time) (Receipt, error) {
	slot := s.slotFor(e, key)
	req, err := s.seal(e.ID, sealedRequest{Tracker: tracker, Digest: digest})
	if err != nil {
		return Receipt{}, err
	}
	qb, err := s.seal(e.ID, queuedBallot{Tracker: tracker, Slot: slot, Digest: digest, Ballot: canonical,
		Channel: ch, Place: place, Day: day(at)})
	if err != nil {
		return Receipt{}, err
	}
	stored, err := s.group(e.ID).enqueue(ctx, s.store, &Enqueue{ElectionID: e.ID, Voter: VoterMark{Key: key, Slot: slot},
		Revote: e.Revote, RequestKey: reqKey, Request: req, Ballot: qb})
	if err != nil {
		return Receipt{}, err
	}
	if stored != nil { // a concurrent retry of the same request won
		return s.replaySealed(ctx, e.ID, stored, digest)
	}
	// The cast is acknowledged whatever happens to this batch: a failed
	// sequencing is retried by the next cast, Sequence or read after the close.
	// The queue is looked at once k casts were queued here since the last
	// look, not at every cast: a batch needs 2k queued anyway.
	g := s.group(e.ID)
	if g.sinceLook.Add(1) < int64(s.k) {
		return Receipt{ElectionID: e.ID, Tracker: tracker, Index: -1, Queued: true}, nil
	}
	g.sinceLook.Store(0)
	if n, _ := s.sequenceQueue(ctx, e, false); n == 0 {
		return Receipt{ElectionID: e.ID, Tracker: tracker, Index: -1, Queued: true}, nil
	}
	return s.receiptFor(ctx, e.ID, tracker)
}

// committer groups the concurrent casts of one election into a few
// transactions (application-level group commit): a cast that finds fewer
// than maxWriters groups being written writes the casts that wait, then
// those that came meanwhile, until none waits; the others wait for their
// result.
type committer struct {
	mu        sync.Mutex
	pending   []*enqueueCall
	writers   int
	sinceLook atomic.Int64 // casts queued by this process since the sequencer last looked
}

type enqueueCall struct {
	q    *Enqueue
	res  Enqueued
	done chan struct{}
}

func (s *Service) group(electionID uuid.UUID) *committer {
	c, _ := s.groups.LoadOrStore(electionID, new(committer))
	return c.(*committer)
}

// maxGroup bounds the casts of one enqueue transaction; maxWriters the
// groups of one election written at once (their commits overlap).
const (
	maxGroup   = 500
	maxWriters = 8
)

func (c *committer) enqueue(ctx context.Context, st QueueStore, q *Enqueue) ([]byte, error) {
	call := &enqueueCall{q: q, done: make(chan struct{})}
	c.mu.Lock()
	c.pending = append(c.pending, call)
	if c.writers >= maxWriters {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.res.Stored, call.res.Err
		case <-ctx.Done():
			// The cast may still be written by the group: a retry with
			// its idempotency key tells.
			return nil, ctx.Err()
		}
	}
	c.writers++
	// The group outlives a caller that gives up: others wait on it.
	wctx := context.WithoutCancel(ctx)
	for {
		n := min(len(c.pending), maxGroup)
		batch := c.pending[:n:n]
		c.pending = c.pending[n:]
		c.mu.Unlock()
		qs := make([]*Enqueue, len(batch))
		for i, b := range batch {
			qs[i] = b.q
		}
		res, err := st.EnqueueAll(wctx, qs)
		for i, b := range batch {
			if err != nil {
				b.res = Enqueued{Err: err}
			} else {
				b.res = res[i]
			}
			close(b.done)
		}
		c.mu.Lock()
		if len(c.pending) == 0 {
			c.writers--
			c.mu.Unlock()
			break
		}
	}
	<-call.done
	return call.res.Stored, call.res.Err
}

// receiptFor returns the receipt of a tracker as the board holds it now:
// Queued while its batch has not been appended.
func (s *Service) receiptFor(ctx context.Context, electionID uuid.UUID, tracker string) (Receipt, error) {
	en, _, err := s.store.EntryByTracker(ctx, electionID, tracker)
	switch {
	case errors.Is(err, ErrNotFound):
		return Receipt{ElectionID: electionID, Tracker: tracker, Index: -1, Queued: true}, nil
	case err != nil:
		return Receipt{}, err
	}
	return Receipt{ElectionID: electionID, Tracker: tracker, Index: en.Index, Hash: en.Hash, Replaces: en.Replaces}, nil
}

// replaySealed answers a request stored by Enqueue.
func (s *Service) replaySealed(ctx context.Context, electionID uuid.UUID, sealed []byte, digest string) (Receipt, error) {
	var sr sealedRequest
	if err := s.open(electionID, sealed, &sr); err != nil {
		return Receipt{}, err
	}
	if sr.Digest != digest {
		return Receipt{}, fmt.Errorf("%w: idempotency key reused with another ballot", ErrConflict)
	}
	r, err := s.receiptFor(ctx, electionID, sr.Tracker)
	r.Replayed = true
	return r, err
}

// seqLock returns the lock that keeps one sequencer per election in this
// process (others, in other processes, lose with ErrConflict).
func (s *Service) seqLock(electionID uuid.UUID) *sync.Mutex {
	m, _ := s.seqs.LoadOrStore(electionID, new(sync.Mutex))
	return m.(*sync.Mutex)
}

// Sequence appends the queued ballots of an election to its board in
// shuffled batches, as the anonymity set allows: while the election is
// open, only once 2k ballots are queued, and then all but the k newest;
// once it is closed, all of them. It returns how many it appended. Cast
// runs it after each acknowledgement, CloseNow and the reads of results
// and exports after the close run it too; a deployment may also run it on
// a timer. It waits for another call of this Service sequencing the
// election, and appends nothing when a sequencer of another process took
// the same ballots first.
func (s *Service) Sequence(ctx context.Context, electionID uuid.UUID) (int, error) {
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return 0, err
	}
	return s.sequenceQueue(ctx, e, true)
}

// sequenceQueue is Sequence; without wait it returns at once when another
// goroutine sequences the election (which then takes this cast's ballot
// in a later round).
func (s *Service) sequenceQueue(ctx context.Context, e *Election, wait bool) (int, error) {
	mu := s.seqLock(e.ID)
	if wait {
		mu.Lock()
	} else if !mu.TryLock() {
		return 0, nil
	}
	defer mu.Unlock()
	total := 0
	for {
		closed := e.Closed(s.now())
		n, items, err := s.store.Queued(ctx, e.ID, maxBatch)
		if err != nil {
			return total, err
		}
		take := 0
		switch {
		case closed && n <= maxBatch:
			take = int(n)
		case n >= 2*int64(s.k):
			take = int(min(n-int64(s.k), int64(len(items))))
		}
		if take == 0 || take > len(items) {
			return total, nil
		}
		err = s.sequence(ctx, e, items[:take])
		if errors.Is(err, ErrConflict) && !errors.Is(err, ErrSecretMismatch) {
			return total, nil // another process sequenced these
		}
		if err != nil {
			return total, err
		}
		total += take
	}
}

// sequence opens, shuffles and appends one batch.
func (s *Service) sequence(ctx context.Context, e *Election, items []Queued) error {
	type item struct {
		seq int64
		qb  queuedBallot
	}
	batch := make([]item, len(items))
	seqs := make([]int64, len(items))
	for i, q := range items {
		batch[i].seq, seqs[i] = q.Seq, q.Seq
		if err := s.open(e.ID, q.Sealed, &batch[i].qb); err != nil {
			return err
		}
	}
	seed, err := s.random(32)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewChaCha8([32]byte(seed)))
	r.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
	// A voter's revotes keep their order: the positions their ballots
	// drew are given back to them oldest first.
	bySlot := map[string][]int{}
	for i, it := range batch {
		if it.qb.Slot != "" {
			bySlot[it.qb.Slot] = append(bySlot[it.qb.Slot], i)
		}
	}
	for _, pos := range bySlot {
		if len(pos) < 2 {
			continue
		}
		group := make([]item, len(pos))
		for i, p := range pos {
			group[i] = batch[p]
		}
		slices.SortFunc(group, func(a, b item) int { return int(a.seq - b.seq) })
		for i, p := range pos {
			batch[p] = group[i]
		}
	}
	appends := make([]*Append, len(batch))
	for i, it := range batch {
		rk, err := s.random(32)
		if err != nil {
			return err
		}
		a := &Append{ElectionID: e.ID, Revote: e.Revote, RequestKey: hex.EncodeToString(rk), Digest: it.qb.Digest,
			Tracker: it.qb.Tracker, Ballot: it.qb.Ballot, Channel: it.qb.Channel, Place: it.qb.Place, Day: it.qb.Day}
		if it.qb.Slot != "" {
			a.Voter = &VoterMark{Slot: it.qb.Slot}
		}
		appends[i] = a
	}
	return s.store.Sequence(ctx, e.ID, seqs, appends)
}

// settle sequences what is left in a closed election's queue, before a
// read that must see every ballot.
func (s *Service) settle(ctx context.Context, e *Election) error {
	if !e.Closed(s.now()) {
		return nil
	}
	_, err := s.sequenceQueue(ctx, e, true)
	return err
}
