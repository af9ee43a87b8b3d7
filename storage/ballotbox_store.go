package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// BallotBoxStore implements ballotbox.Store with bun.
//
// The voter salt of each election is kept in its own table
// (ballotbox_salts), apart from the election, the census and the register.
// Paper reconciliation per polling place (ballotbox_places) counts marked
// voters and counted sheets, and names no one.
//
// Ballot secrecy in the database: the register (ballotbox_register) and
// the ballots (ballotbox_ballots, ballotbox_entries, ballotbox_counts)
// share no column value, key or foreign key but the election's ID, and
// ballots keep only their day. On SQLite and MariaDB those tables are
// clustered by random or hashed keys, so their physical order says
// nothing. PostgreSQL's heap, however, keeps rows in insertion order and
// stamps each with the writing transaction (the xmin and ctid system
// columns): ScrubRegister rewrites an election's register so that its rows
// share one transaction and a hash order. Run it at the close (and, while
// voting goes on, as often as the deployment's threat model asks), or do
// not grant reading ballotbox_register and ballotbox_ballots to one role.
//
// On SQLite, which has a single writer, the store's write transactions
// queue on a mutex instead of polling the database lock: hundreds of
// concurrent voters would otherwise exhaust the busy timeout. Readers are
// not held up (WAL).
type BallotBoxStore struct {
	db *DB
	mu sync.Mutex // SQLite writers
}

var _ ballotbox.Store = (*BallotBoxStore)(nil)

// NewBallotBoxStore returns the ballot box store on db.
func NewBallotBoxStore(db *DB) *BallotBoxStore {
	db.mustHaveDomain(DomainBallotBox, "NewBallotBoxStore")
	return &BallotBoxStore{db: db}
}

func truncateElection(e *ballotbox.Election) {
	e.Opens, e.Closes = truncate(e.Opens), truncate(e.Closes)
	e.CreatedAt, e.UpdatedAt = truncate(e.CreatedAt), truncate(e.UpdatedAt)
	if e.ClosedAt != nil {
		t := truncate(*e.ClosedAt)
		e.ClosedAt = &t
	}
}

// runInTx runs fn in a retried transaction (DB.RunInTx), one at a time on
// SQLite.
func (s *BallotBoxStore) runInTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	if s.db.engine == SQLite {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return s.db.RunInTx(ctx, fn)
}

// CreateElection implements ballotbox.Store.
func (s *BallotBoxStore) CreateElection(ctx context.Context, e *ballotbox.Election, salt ballotbox.VoterSalt) error {
	if len(salt.Salt) == 0 {
		return fmt.Errorf("create election: %w", civickit.Invalid("salt", "required", ""))
	}
	truncateElection(e)
	e.Version = 1
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(toElectionRow(e)).Exec(ctx); err != nil {
			return err
		}
		head := &bbHeadRow{ElectionID: e.ID, Head: ballotbox.GenesisHash(e.Public())}
		if _, err := tx.NewInsert().Model(head).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&bbSaltRow{ElectionID: e.ID, Salt: hex.EncodeToString(salt.Salt), SecretCheck: salt.SecretCheck}).Exec(ctx)
		return err
	})
	return mapErr("create election", err)
}

// ElectionSalt implements ballotbox.Store.
func (s *BallotBoxStore) ElectionSalt(ctx context.Context, id uuid.UUID) (ballotbox.VoterSalt, error) {
	var row bbSaltRow
	if err := s.db.bun.NewSelect().Model(&row).Where("bk.election_id = ?", id).Scan(ctx); err != nil {
		return ballotbox.VoterSalt{}, mapErr("election salt", err)
	}
	salt, err := hex.DecodeString(row.Salt)
	if err != nil {
		return ballotbox.VoterSalt{}, fmt.Errorf("storage: election %s salt: %w", id, err)
	}
	return ballotbox.VoterSalt{Salt: salt, SecretCheck: row.SecretCheck}, nil
}

func getElection(ctx context.Context, db bun.IDB, id uuid.UUID) (*ballotbox.Election, error) {
	var row bbElectionRow
	if err := db.NewSelect().Model(&row).Where("be.id = ?", id).Scan(ctx); err != nil {
		return nil, err
	}
	return row.toDomain()
}

// GetElection implements ballotbox.Store.
func (s *BallotBoxStore) GetElection(ctx context.Context, id uuid.UUID) (*ballotbox.Election, error) {
	e, err := getElection(ctx, s.db.bun, id)
	return e, mapErr("get election", err)
}

// lockHead reads an election's head row, locked until the transaction
// ends: every append takes this lock first, which serializes the board.
// SQLite needs no row lock: its write transactions are serialized.
func (s *BallotBoxStore) lockHead(ctx context.Context, tx bun.IDB, electionID uuid.UUID) (*bbHeadRow, error) {
	var h bbHeadRow
	q := tx.NewSelect().Model(&h).Where("bh.election_id = ?", electionID)
	if s.db.engine != SQLite {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	return &h, nil
}

// UpdateElection implements ballotbox.Store.
func (s *BallotBoxStore) UpdateElection(ctx context.Context, e *ballotbox.Election) error {
	truncateElection(e)
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		h, err := s.lockHead(ctx, tx, e.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return ballotbox.ErrNotFound
		} else if err != nil {
			return err
		}
		old, err := getElection(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if old.Version != e.Version {
			return fmt.Errorf("%w: election %s is not at version %d", ballotbox.ErrConflict, e.ID, e.Version)
		}
		genesis := ballotbox.GenesisHash(e.Public())
		if h.Entries > 0 && genesis != ballotbox.GenesisHash(old.Public()) {
			return fmt.Errorf("%w: the board of election %s holds entries: its public definition is frozen", ballotbox.ErrConflict, e.ID)
		}
		row := toElectionRow(e)
		row.Version = e.Version + 1
		if _, err := tx.NewUpdate().Model(row).ExcludeColumn("id", "created_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if h.Entries == 0 {
			_, err = tx.NewUpdate().Model((*bbHeadRow)(nil)).Set("head = ?", genesis).
				Where("election_id = ?", e.ID).Exec(ctx)
		}
		return err
	})
	if err != nil {
		return mapErr("update election", err)
	}
	e.Version++
	return nil
}

// AddCensus implements ballotbox.Store.
func (s *BallotBoxStore) AddCensus(ctx context.Context, electionID uuid.UUID, keys []ballotbox.VoterKey) (int, error) {
	var added int
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		added = 0
		// INSERT IGNORE on MariaDB would also swallow a missing election.
		ok, err := tx.NewSelect().Model((*bbElectionRow)(nil)).Where("be.id = ?", electionID).Exists(ctx)
		if err != nil {
			return err
		}
		if !ok {
			return ballotbox.ErrNotFound
		}
		if len(keys) == 0 {
			return nil
		}
		rows := make([]bbCensusRow, len(keys))
		for i, k := range keys {
			rows[i] = bbCensusRow{ElectionID: electionID, VoterKey: string(k)}
		}
		res, err := tx.NewInsert().Model(&rows).Ignore().Exec(ctx)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		added = int(n)
		return err
	})
	return added, mapErr("add census", err)
}

// InCensus implements ballotbox.Store.
func (s *BallotBoxStore) InCensus(ctx context.Context, electionID uuid.UUID, key ballotbox.VoterKey) (bool, error) {
	ok, err := s.db.bun.NewSelect().Model((*bbCensusRow)(nil)).
		Where("bc.election_id = ? AND bc.voter_key = ?", electionID, string(key)).Exists(ctx)
	return ok, mapErr("in census", err)
}

// HasVoted implements ballotbox.Store.
func (s *BallotBoxStore) HasVoted(ctx context.Context, electionID uuid.UUID, key ballotbox.VoterKey) (bool, error) {
	ok, err := s.db.bun.NewSelect().Model((*bbRegisterRow)(nil)).
		Where("br.election_id = ? AND br.voter_key = ?", electionID, string(key)).Exists(ctx)
	return ok, mapErr("has voted", err)
}

// ScrubRegister rewrites the register of an election in one transaction,
// serialized with the casts: every row is deleted and inserted again in
// voter key order. Afterwards the rows share one writing transaction and
// their physical order follows the hashed keys, so that PostgreSQL's
// system columns (xmin, ctid) no longer pair a register row with the
// ballot written in the same transaction. It changes no content.
func (s *BallotBoxStore) ScrubRegister(ctx context.Context, electionID uuid.UUID) error {
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.lockHead(ctx, tx, electionID); err != nil {
			return err
		}
		var rows []bbRegisterRow
		if err := tx.NewSelect().Model(&rows).Where("br.election_id = ?", electionID).Order("br.voter_key").Scan(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*bbRegisterRow)(nil)).Where("election_id = ?", electionID).Exec(ctx); err != nil {
			return err
		}
		const chunk = 1000
		for i := 0; i < len(rows); i += chunk {
			part := rows[i:min(i+chunk, len(rows))]
			if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	return mapErr("scrub register", err)
}

// CountVoters implements ballotbox.Store.
func (s *BallotBoxStore) CountVoters(ctx context.Context, electionID uuid.UUID) (int64, error) {
	n, err := s.db.bun.NewSelect().Model((*bbRegisterRow)(nil)).Where("br.election_id = ?", electionID).Count(ctx)
	return int64(n), mapErr("count voters", err)
}

// receiptOf reads the receipt of a stored request key and its digest.
func receiptOf(ctx context.Context, db bun.IDB, electionID uuid.UUID, requestKey string) (ballotbox.Receipt, string, error) {
	var b bbBallotRow
	err := db.NewSelect().Model(&b).Where("bb.election_id = ? AND bb.request_key = ?", electionID, requestKey).Scan(ctx)
	if err != nil {
		return ballotbox.Receipt{}, "", err
	}
	r := ballotbox.Receipt{ElectionID: electionID, Tracker: b.Tracker, Index: -1}
	var en bbEntryRow
	err = db.NewSelect().Model(&en).Where("bn.election_id = ? AND bn.tracker = ?", electionID, b.Tracker).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows): // a paper marker with nothing to supersede
	case err != nil:
		return ballotbox.Receipt{}, "", err
	default:
		r.Index, r.Hash, r.Replaces = en.Idx, en.Hash, en.Replaces
	}
	return r, b.Digest, nil
}

// Replay implements ballotbox.Store.
func (s *BallotBoxStore) Replay(ctx context.Context, electionID uuid.UUID, requestKey string) (ballotbox.Receipt, string, error) {
	r, d, err := receiptOf(ctx, s.db.bun, electionID, requestKey)
	return r, d, mapErr("replay", err)
}

// errReplayed stops an append whose request key is already stored.
var errReplayed = errors.New("storage: request replayed")

// replayIn answers a stored request key inside an append: errReplayed
// with its receipt, ErrConflict for another digest, nil when new.
func replayIn(ctx context.Context, tx bun.IDB, a *ballotbox.Append, rec *ballotbox.Receipt) error {
	r, digest, err := receiptOf(ctx, tx, a.ElectionID, a.RequestKey)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case digest != a.Digest:
		return fmt.Errorf("%w: idempotency key reused with another ballot", ballotbox.ErrConflict)
	}
	r.Replayed = true
	*rec = r
	return errReplayed
}

// Append implements ballotbox.Store.
func (s *BallotBoxStore) Append(ctx context.Context, a *ballotbox.Append) (ballotbox.Receipt, error) {
	if a.Voter != nil && a.Replaces != "" {
		return ballotbox.Receipt{}, fmt.Errorf("append: %w: a voter's ballot cannot name what it replaces", ballotbox.ErrInvalid)
	}
	if a.RequestKey == "" || a.Tracker == "" || !a.Channel.Valid() {
		return ballotbox.Receipt{}, fmt.Errorf("append: %w: request key, tracker and channel are required", ballotbox.ErrInvalid)
	}
	if a.NewSheet && (a.Voter != nil || a.Replaces != "" || a.Channel != civickit.ChannelPaper) {
		return ballotbox.Receipt{}, fmt.Errorf("append: %w: a new sheet is an anonymous paper ballot", ballotbox.ErrInvalid)
	}
	var rec ballotbox.Receipt
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		rec = ballotbox.Receipt{}
		head, err := s.lockHead(ctx, tx, a.ElectionID)
		if errors.Is(err, sql.ErrNoRows) {
			return ballotbox.ErrNotFound
		} else if err != nil {
			return err
		}
		// Checked under the lock: a concurrent append with the same key
		// may have committed while we waited for it. (Callers check
		// first without the lock, with Replay.)
		if err := replayIn(ctx, tx, a, &rec); err != nil {
			return err
		}
		return s.appendLocked(ctx, tx, a, head, &rec)
	})
	if errors.Is(err, errReplayed) {
		return rec, nil
	}
	if err != nil {
		return ballotbox.Receipt{}, mapErr("append", err)
	}
	return rec, nil
}

// appendLocked does the writes of an append once the head is locked.
func (s *BallotBoxStore) appendLocked(ctx context.Context, tx bun.Tx, a *ballotbox.Append, head *bbHeadRow, rec *ballotbox.Receipt) error {
	var prev *bbBallotRow
	var slot *string
	if v := a.Voter; v != nil {
		// One statement registers a new voter or finds a known one.
		res, err := tx.NewInsert().Model(&bbRegisterRow{ElectionID: a.ElectionID, VoterKey: string(v.Key)}).Ignore().Exec(ctx)
		if err != nil {
			return err
		}
		added, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if added == 0 {
			if a.Revote != ballotbox.RevoteLast {
				return ballotbox.ErrAlreadyVoted
			}
			prev = new(bbBallotRow)
			err := tx.NewSelect().Model(prev).Where("bb.election_id = ? AND bb.slot = ?", a.ElectionID, v.Slot).Scan(ctx)
			switch {
			case errors.Is(err, sql.ErrNoRows) && v.Paper:
				// The voter's online ballot is still queued (Options.Anonymity):
				// the marker takes the slot, and the queued ballot, sequenced
				// later, is recorded superseded (QueueStore.Sequence).
				prev = nil
			case errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("%w: the voter is registered but no ballot holds their slot (was the secret changed?)", ballotbox.ErrConflict)
			case err != nil:
				return err
			}
			if prev != nil && prev.State == bbPaper {
				return fmt.Errorf("%w: on paper", ballotbox.ErrAlreadyVoted)
			}
		}
		if v.Slot != "" { // slots are stored only under RevoteLast
			slot = &v.Slot
		}
	}
	if a.Replaces != "" {
		prev = new(bbBallotRow)
		err := tx.NewSelect().Model(prev).Where("bb.election_id = ? AND bb.tracker = ?", a.ElectionID, a.Replaces).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (prev.State != bbCounted || prev.Slot != nil) {
			return fmt.Errorf("%w: no anonymous counted ballot %s to correct", ballotbox.ErrNotFound, a.Replaces)
		} else if err != nil {
			return err
		}
	}
	deltas := map[countKey]*bbCountRow{}
	replaces := ""
	if prev != nil {
		replaces = prev.Tracker
		_, err := tx.NewUpdate().Model((*bbBallotRow)(nil)).Set("slot = NULL").Set("state = ?", bbSuperseded).
			Where("election_id = ? AND tracker = ?", a.ElectionID, prev.Tracker).Exec(ctx)
		if err != nil {
			return err
		}
		var old bbEntryRow
		if err := tx.NewSelect().Model(&old).Where("bn.election_id = ? AND bn.tracker = ?", a.ElectionID, prev.Tracker).Scan(ctx); err != nil {
			return fmt.Errorf("storage: the board entry of ballot %s: %w", prev.Tracker, err)
		}
		if old.Ballot != nil {
			if err := addDeltas(deltas, a.ElectionID, []byte(*old.Ballot), civickit.Channel(old.Channel), old.Place, -1); err != nil {
				return err
			}
		}
	}
	if a.NewSheet {
		// Under the head lock: concurrent commits at one place take its
		// marks one at a time.
		res, err := tx.NewUpdate().Model((*bbPlaceRow)(nil)).Set("sheets = sheets + 1").
			Where("election_id = ? AND place = ? AND sheets < marked", a.ElectionID, a.Place).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ballotbox.ErrExcess
		}
	}
	state := bbCounted
	switch {
	case a.Voter != nil && a.Voter.Paper:
		state = bbPaper
		if err := s.markPlace(ctx, tx, a.ElectionID, a.Place); err != nil {
			return err
		}
	case a.NewSheet && len(a.Ballot) == 0:
		state = bbSpoiled
	case len(a.Ballot) == 0:
		state, slot = bbVoid, nil
	}
	row := &bbBallotRow{ElectionID: a.ElectionID, Tracker: a.Tracker, Slot: slot, RequestKey: a.RequestKey,
		Digest: a.Digest, State: state, CastDay: micros(a.Day)}
	if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
		return err
	}
	*rec = ballotbox.Receipt{ElectionID: a.ElectionID, Tracker: a.Tracker, Index: -1, Replaces: replaces}
	if len(a.Ballot) == 0 && replaces == "" {
		return nil // a paper marker with nothing to void, a spoiled sheet: no entry
	}
	en := ballotbox.Seal(head.Head, head.Entries, ballotbox.Entry{Tracker: a.Tracker, Ballot: a.Ballot,
		Replaces: replaces, Channel: a.Channel, Place: a.Place})
	er := &bbEntryRow{ElectionID: a.ElectionID, Idx: en.Index, Tracker: en.Tracker, Replaces: en.Replaces,
		Channel: string(en.Channel), Place: en.Place, Prev: en.Prev, Hash: en.Hash}
	if len(a.Ballot) > 0 {
		b := string(a.Ballot)
		er.Ballot = &b
		if err := addDeltas(deltas, a.ElectionID, a.Ballot, a.Channel, a.Place, +1); err != nil {
			return err
		}
	}
	if _, err := tx.NewInsert().Model(er).Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewUpdate().Model((*bbHeadRow)(nil)).Set("entries = ?", en.Index+1).Set("head = ?", en.Hash).
		Where("election_id = ?", a.ElectionID).Exec(ctx)
	if err != nil {
		return err
	}
	if err := s.applyDeltas(ctx, tx, deltas); err != nil {
		return err
	}
	if c := a.Change; c != nil {
		_, err := tx.NewInsert().Model(&bbChangeRow{ID: c.ID, ElectionID: a.ElectionID, BatchID: c.BatchID, Pos: c.Pos,
			Round: c.Round, OldTracker: c.OldTracker, NewTracker: c.NewTracker, Agent: c.Agent, Reason: c.Reason,
			At: micros(c.At)}).Exec(ctx)
		if err != nil {
			return err
		}
	}
	rec.Index, rec.Hash = en.Index, en.Hash
	return nil
}

// markPlace counts one more paper voter marked at place.
func (s *BallotBoxStore) markPlace(ctx context.Context, tx bun.IDB, electionID uuid.UUID, place string) error {
	q := tx.NewInsert().Model(&bbPlaceRow{ElectionID: electionID, Place: place, Marked: 1})
	if s.db.engine == MySQL {
		q = q.On("DUPLICATE KEY UPDATE").Set("marked = marked + 1")
	} else {
		q = q.On("CONFLICT (election_id, place) DO UPDATE").Set("marked = bp.marked + 1")
	}
	_, err := q.Exec(ctx)
	return err
}

type countKey struct {
	channel, place, question, hash string
}

// addDeltas adds delta to the count of each answer of a canonical ballot.
func addDeltas(m map[countKey]*bbCountRow, electionID uuid.UUID, ballot []byte, ch civickit.Channel, place string, delta int64) error {
	parts, err := ballotbox.SplitBallot(ballot)
	if err != nil {
		return err
	}
	for _, p := range parts {
		sum := sha256.Sum256(p.Answer)
		k := countKey{string(ch), place, p.Question, hex.EncodeToString(sum[:])}
		if c := m[k]; c != nil {
			c.N += delta
			continue
		}
		m[k] = &bbCountRow{ElectionID: electionID, Channel: k.channel, Place: place, Question: p.Question,
			AnswerHash: k.hash, Answer: string(p.Answer), N: delta}
	}
	return nil
}

// applyDeltas moves the live counts in one upsert.
func (s *BallotBoxStore) applyDeltas(ctx context.Context, tx bun.IDB, m map[countKey]*bbCountRow) error {
	rows := make([]*bbCountRow, 0, len(m))
	for _, c := range m {
		if c.N != 0 {
			rows = append(rows, c)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	q := tx.NewInsert().Model(&rows)
	if s.db.engine == MySQL {
		q = q.On("DUPLICATE KEY UPDATE").Set("n = n + VALUES(n)")
	} else {
		q = q.On("CONFLICT (election_id, channel, place, question, answer_hash) DO UPDATE").Set("n = bt.n + EXCLUDED.n")
	}
	_, err := q.Exec(ctx)
	return err
}

// Head implements ballotbox.Store.
func (s *BallotBoxStore) Head(ctx context.Context, electionID uuid.UUID) (ballotbox.Head, error) {
	var h bbHeadRow
	if err := s.db.bun.NewSelect().Model(&h).Where("bh.election_id = ?", electionID).Scan(ctx); err != nil {
		return ballotbox.Head{}, mapErr("board head", err)
	}
	return ballotbox.Head{Entries: h.Entries, Hash: h.Head}, nil
}

// entryPage is how many entries Entries reads per query.
const entryPage = 2000

// Entries implements ballotbox.Store.
func (s *BallotBoxStore) Entries(ctx context.Context, electionID uuid.UUID, from int64) iter.Seq2[ballotbox.Entry, error] {
	return func(yield func(ballotbox.Entry, error) bool) {
		for {
			var rows []bbEntryRow
			err := s.db.bun.NewSelect().Model(&rows).Where("bn.election_id = ? AND bn.idx >= ?", electionID, from).
				Order("bn.idx").Limit(entryPage).Scan(ctx)
			if err != nil {
				yield(ballotbox.Entry{}, mapErr("board entries", err))
				return
			}
			for i := range rows {
				if !yield(rows[i].toDomain(), nil) {
					return
				}
			}
			if len(rows) < entryPage {
				return
			}
			from = rows[len(rows)-1].Idx + 1
		}
	}
}

// EntryByTracker implements ballotbox.Store.
func (s *BallotBoxStore) EntryByTracker(ctx context.Context, electionID uuid.UUID, tracker string) (ballotbox.Entry, string, error) {
	var row bbEntryRow
	err := s.db.bun.NewSelect().Model(&row).Where("bn.election_id = ? AND bn.tracker = ?", electionID, tracker).Scan(ctx)
	if err != nil {
		return ballotbox.Entry{}, "", mapErr("entry by tracker", err)
	}
	var by []string
	err = s.db.bun.NewSelect().Model((*bbEntryRow)(nil)).Column("tracker").
		Where("bn.election_id = ? AND bn.replaces = ?", electionID, tracker).Limit(1).Scan(ctx, &by)
	if err != nil {
		return ballotbox.Entry{}, "", mapErr("entry by tracker", err)
	}
	replacedBy := ""
	if len(by) > 0 {
		replacedBy = by[0]
	}
	return row.toDomain(), replacedBy, nil
}

// countCursor is the position of a page of ListCounts.
type countCursor struct {
	Channel  string `json:"c"`
	Place    string `json:"p"`
	Question string `json:"q"`
	Hash     string `json:"h"`
}

// ListCounts implements ballotbox.Store.
func (s *BallotBoxStore) ListCounts(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[ballotbox.Count], error) {
	var page civickit.Page[ballotbox.Count]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, err
	}
	var cur countCursor
	ok, err := civickit.DecodeCursor(after, &cur)
	if err != nil {
		return page, err
	}
	var rows []bbCountRow
	q := s.db.bun.NewSelect().Model(&rows).Where("bt.election_id = ? AND bt.n > 0", electionID)
	if ok {
		q = q.Where("(bt.channel, bt.place, bt.question, bt.answer_hash) > (?, ?, ?, ?)", cur.Channel, cur.Place, cur.Question, cur.Hash)
	}
	if err := q.Order("bt.channel", "bt.place", "bt.question", "bt.answer_hash").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list counts", err)
	}
	rows, more := cutPage(rows, limit)
	page.Items = make([]ballotbox.Count, len(rows))
	for i, r := range rows {
		page.Items[i] = ballotbox.Count{Part: ballotbox.Part{Channel: civickit.Channel(r.Channel), Place: r.Place},
			Question: r.Question, Answer: []byte(r.Answer), N: r.N}
	}
	if more {
		r := rows[len(rows)-1]
		page.Next = civickit.EncodeCursor(countCursor{r.Channel, r.Place, r.Question, r.AnswerHash})
	}
	return page, nil
}

// cutPage keeps the first limit rows of a query that asked for limit+1,
// and reports whether there were more.
func cutPage[T any](rows []T, limit int) ([]T, bool) {
	if len(rows) > limit {
		return rows[:limit], true
	}
	return rows, false
}

// changeCursor is the position of a page of ListChanges.
type changeCursor struct {
	At int64     `json:"at"`
	ID uuid.UUID `json:"id"`
}

// ListChanges implements ballotbox.Store.
func (s *BallotBoxStore) ListChanges(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[ballotbox.Change], error) {
	var page civickit.Page[ballotbox.Change]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, err
	}
	var cur changeCursor
	ok, err := civickit.DecodeCursor(after, &cur)
	if err != nil {
		return page, err
	}
	var rows []bbChangeRow
	q := s.db.bun.NewSelect().Model(&rows).Where("bg.election_id = ?", electionID)
	if ok {
		q = q.Where("(bg.at, bg.id) > (?, ?)", cur.At, cur.ID)
	}
	if err := q.Order("bg.at", "bg.id").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list changes", err)
	}
	rows, more := cutPage(rows, limit)
	page.Items = make([]ballotbox.Change, len(rows))
	for i := range rows {
		page.Items[i] = rows[i].toDomain()
	}
	if more {
		r := rows[len(rows)-1]
		page.Next = civickit.EncodeCursor(changeCursor{r.At, r.ID})
	}
	return page, nil
}

// placeCursor is the position of a page of ListPlaces.
type placeCursor struct {
	Place string `json:"p"`
}

// ListPlaces implements ballotbox.Store.
func (s *BallotBoxStore) ListPlaces(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[ballotbox.PlaceCount], error) {
	var page civickit.Page[ballotbox.PlaceCount]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, err
	}
	var cur placeCursor
	ok, err := civickit.DecodeCursor(after, &cur)
	if err != nil {
		return page, err
	}
	var rows []bbPlaceRow
	q := s.db.bun.NewSelect().Model(&rows).Where("bp.election_id = ?", electionID)
	if ok {
		q = q.Where("bp.place > ?", cur.Place)
	}
	if err := q.Order("bp.place").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list places", err)
	}
	rows, more := cutPage(rows, limit)
	page.Items = make([]ballotbox.PlaceCount, len(rows))
	for i, r := range rows {
		page.Items[i] = ballotbox.PlaceCount{Place: r.Place, Marked: r.Marked, Sheets: r.Sheets}
	}
	if more {
		page.Next = civickit.EncodeCursor(placeCursor{rows[len(rows)-1].Place})
	}
	return page, nil
}

// CreateBatch implements ballotbox.Store.
func (s *BallotBoxStore) CreateBatch(ctx context.Context, b *ballotbox.Batch) error {
	b.Version = 1
	b.CreatedAt, b.UpdatedAt = truncate(b.CreatedAt), truncate(b.UpdatedAt)
	_, err := s.db.bun.NewInsert().Model(toBatchRow(b)).Exec(ctx)
	return mapErr("create batch", err)
}

// GetBatch implements ballotbox.Store.
func (s *BallotBoxStore) GetBatch(ctx context.Context, id uuid.UUID) (*ballotbox.Batch, error) {
	var row bbBatchRow
	if err := s.db.bun.NewSelect().Model(&row).Where("ba.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get batch", err)
	}
	return row.toDomain()
}

// UpdateBatch implements ballotbox.Store.
func (s *BallotBoxStore) UpdateBatch(ctx context.Context, b *ballotbox.Batch) error {
	b.UpdatedAt = truncate(b.UpdatedAt)
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row := toBatchRow(b)
		row.Version = b.Version + 1
		res, err := tx.NewUpdate().Model(row).ExcludeColumn("id", "election_id", "created_at").
			Where("ba.id = ? AND ba.version = ?", b.ID, b.Version).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		ok, err := tx.NewSelect().Model((*bbBatchRow)(nil)).Where("ba.id = ?", b.ID).Exists(ctx)
		if err != nil {
			return err
		}
		if !ok {
			return ballotbox.ErrNotFound
		}
		return fmt.Errorf("%w: batch %s is not at version %d", ballotbox.ErrConflict, b.ID, b.Version)
	})
	if err != nil {
		return mapErr("update batch", err)
	}
	b.Version++
	return nil
}

// batchCursor is the position of a page of ListBatches.
type batchCursor struct {
	ID uuid.UUID `json:"id"`
}

// ListBatches implements ballotbox.Store.
func (s *BallotBoxStore) ListBatches(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[ballotbox.Batch], error) {
	var page civickit.Page[ballotbox.Batch]
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return page, err
	}
	var cur batchCursor
	ok, err := civickit.DecodeCursor(after, &cur)
	if err != nil {
		return page, err
	}
	var rows []bbBatchRow
	q := s.db.bun.NewSelect().Model(&rows).Where("ba.election_id = ?", electionID)
	if ok {
		q = q.Where("ba.id > ?", cur.ID)
	}
	if err := q.Order("ba.id").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return page, mapErr("list batches", err)
	}
	rows, more := cutPage(rows, limit)
	page.Items = make([]ballotbox.Batch, 0, len(rows))
	for i := range rows {
		b, err := rows[i].toDomain()
		if err != nil {
			return civickit.Page[ballotbox.Batch]{}, err
		}
		page.Items = append(page.Items, *b)
	}
	if more {
		page.Next = civickit.EncodeCursor(batchCursor{rows[len(rows)-1].ID})
	}
	return page, nil
}

// CreateSession implements ballotbox.Store.
func (s *BallotBoxStore) CreateSession(ctx context.Context, ss *ballotbox.Session) error {
	ss.OpenedAt = truncate(ss.OpenedAt)
	row := &bbSessionRow{ID: ss.ID, ElectionID: ss.ElectionID, Operator: ss.Operator, Place: ss.Place,
		Channel: string(ss.Channel), OpenedAt: micros(ss.OpenedAt)}
	if ss.ClosedAt != nil {
		t := truncate(*ss.ClosedAt)
		ss.ClosedAt = &t
		v := micros(t)
		row.ClosedAt = &v
	}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create session", err)
}

// GetSession implements ballotbox.Store.
func (s *BallotBoxStore) GetSession(ctx context.Context, id uuid.UUID) (*ballotbox.Session, error) {
	var row bbSessionRow
	if err := s.db.bun.NewSelect().Model(&row).Where("bs.id = ?", id).Scan(ctx); err != nil {
		return nil, mapErr("get session", err)
	}
	return row.toDomain(), nil
}

// CloseSession implements ballotbox.Store.
func (s *BallotBoxStore) CloseSession(ctx context.Context, id uuid.UUID, at time.Time) error {
	res, err := s.db.bun.NewUpdate().Model((*bbSessionRow)(nil)).Set("closed_at = ?", micros(at)).
		Where("id = ? AND closed_at IS NULL", id).Exec(ctx)
	if err != nil {
		return mapErr("close session", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapErr("close session", err)
	} else if n > 0 {
		return nil
	}
	ok, err := s.db.bun.NewSelect().Model((*bbSessionRow)(nil)).Where("bs.id = ?", id).Exists(ctx)
	if err != nil {
		return mapErr("close session", err)
	}
	if !ok {
		return fmt.Errorf("close session: %w", ballotbox.ErrNotFound)
	}
	return fmt.Errorf("close session: %w: already closed", ballotbox.ErrConflict)
}

// ListElections implements ballotbox.Store.
func (s *BallotBoxStore) ListElections(ctx context.Context, after string, limit int) (civickit.Page[ballotbox.Election], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[ballotbox.Election]{}, err
	}
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[ballotbox.Election]{}, err
		}
		vals = []any{cur.N, id}
	}
	var rows []bbElectionRow
	q := s.db.bun.NewSelect().Model(&rows)
	if err := keyset(q, []sortKey{{expr: "be.created_at"}, {expr: "be.id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[ballotbox.Election]{}, mapErr("list elections", err)
	}
	return pageOf(rows, n, func(r *bbElectionRow) (ballotbox.Election, error) {
		e, err := r.toDomain()
		if err != nil {
			return ballotbox.Election{}, err
		}
		return *e, nil
	}, func(r *bbElectionRow) any { return idCursor{N: r.CreatedAt, ID: r.ID.String()} })
}
