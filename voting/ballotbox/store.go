package ballotbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"iter"
	"time"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// Store is what the Service needs from persistence. It is owned here;
// package storage implements it and ballotboxtest.TestStore checks any
// implementation against the contract written on each method.
//
// The store keeps who voted (the register, keyed by VoterKey) apart from
// what was voted (ballots and board entries): no column, key, foreign key
// or timestamp of one holds a value of the other. A ballot's link to its
// voter is the slot, an HMAC that only the holder of the Service's secret
// can compute; the secret never reaches the store.
type Store interface {
	ElectionStore
	CastStore
	QueueStore
	PaperStore
	SessionStore
}

// ElectionStore persists elections and their censuses.
type ElectionStore interface {
	// CreateElection inserts e (Version 1) with an empty board whose head
	// is GenesisHash(e.Public()), and its voter salt, which is stored
	// apart from the election, the census and the register and is
	// returned only by ElectionSalt. ErrConflict on a taken ID.
	CreateElection(ctx context.Context, e *Election, salt VoterSalt) error
	// GetElection returns ErrNotFound for an unknown ID.
	GetElection(ctx context.Context, id uuid.UUID) (*Election, error)
	// ListElections returns a page of every election in creation order:
	// by CreatedAt, then ID (elections created in the same microsecond
	// keep a stable order). A malformed cursor or a negative limit is
	// ErrInvalid; a limit over civickit.MaxLimit is cut.
	ListElections(ctx context.Context, after string, limit int) (civickit.Page[Election], error)
	// ElectionSalt returns the voter salt of an election. ErrNotFound for
	// an unknown election.
	ElectionSalt(ctx context.Context, id uuid.UUID) (VoterSalt, error)
	// UpdateElection replaces e (ClosedAt included) if the stored Version
	// equals e.Version, then increments e.Version. While the board is empty its head follows
	// the new public definition; once it holds an entry, a change to
	// e.Public() is refused with ErrConflict. ErrNotFound if absent,
	// ErrConflict on a stale version.
	UpdateElection(ctx context.Context, e *Election) error
	// AddCensus adds voter keys to an election's census; keys already
	// there are skipped. It returns how many were new. ErrNotFound for an
	// unknown election.
	AddCensus(ctx context.Context, electionID uuid.UUID, keys []VoterKey) (int, error)
	// InCensus reports whether key is in the election's census.
	InCensus(ctx context.Context, electionID uuid.UUID, key VoterKey) (bool, error)
}

// CastStore persists the register, the ballots, the board and the live
// counts.
type CastStore interface {
	// Append records one accepted ballot (or a void, or a paper marker)
	// in one transaction, serialized with every other Append of the same
	// election:
	//
	//   - a request key already stored returns that request's receipt with
	//     Replayed set when a.Digest matches, ErrConflict otherwise, and
	//     writes nothing;
	//   - with a.Voter set: a voter key already in the register is refused
	//     with ErrAlreadyVoted under RevoteNone, or when the slot holds a
	//     paper marker; under RevoteLast the ballot holding a.Voter.Slot is
	//     superseded (ErrConflict when no ballot holds it); a new voter is
	//     added to the register;
	//   - with a.Voter.Paper: the marker takes the slot, and one more
	//     paper voter is counted at a.Place (PlaceCount.Marked);
	//   - with a.NewSheet (a paper sheet entering the count at a.Place,
	//     without voter nor Replaces): ErrExcess when the place's sheets
	//     already reach its marked voters (Sheets >= Marked), else one
	//     more sheet is counted there (PlaceCount.Sheets). A new sheet
	//     without a ballot (spoiled) is recorded under its request key but
	//     puts nothing on the board. Check and count happen under the
	//     election's append serialisation, so concurrent commits at one
	//     place never take more sheets than it has marks;
	//   - with a.Replaces set (a correction): that counted ballot is
	//     superseded (ErrNotFound if it is not a counted ballot);
	//   - a board entry is appended, chained to the head, unless the append
	//     carries no ballot and supersedes nothing; the live counts are
	//     moved from the superseded ballot to the new one;
	//   - a.Change, when set, is added to the change log.
	//
	// On any error nothing is written.
	Append(ctx context.Context, a *Append) (Receipt, error)
	// Replay returns the receipt and digest of a stored request key, or
	// ErrNotFound.
	Replay(ctx context.Context, electionID uuid.UUID, requestKey string) (Receipt, string, error)
	// HasVoted reports whether key is in the election's register.
	HasVoted(ctx context.Context, electionID uuid.UUID, key VoterKey) (bool, error)
	// CountVoters returns the size of the election's register.
	CountVoters(ctx context.Context, electionID uuid.UUID) (int64, error)
	// Head returns the board's head and entry count. ErrNotFound for an
	// unknown election.
	Head(ctx context.Context, electionID uuid.UUID) (Head, error)
	// Entries yields the board's entries in chain order from index from.
	Entries(ctx context.Context, electionID uuid.UUID, from int64) iter.Seq2[Entry, error]
	// EntryByTracker returns the entry of a tracker and the tracker of the
	// entry that replaced it ("" if none). ErrNotFound if absent.
	EntryByTracker(ctx context.Context, electionID uuid.UUID, tracker string) (Entry, string, error)
	// ListCounts returns a page of the live counts: for each part,
	// question and distinct answer, how many counted ballots carry it
	// (rows with N > 0 only), ordered by channel, place, question and
	// answer (an order of the store's choosing within a question).
	ListCounts(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[Count], error)
	// ListChanges returns a page of the election's change log, oldest
	// first (by day, then ID).
	ListChanges(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[Change], error)
	// ListPlaces returns a page of the paper counters of the election's
	// polling places, ordered by place; a place appears once a voter was
	// marked or a sheet counted there.
	ListPlaces(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[PlaceCount], error)
}

// QueueStore holds voters' casts between their acknowledgement and their
// batch on the board (Options.Anonymity > 1). What it stores of a cast on
// the register's side — the request and the queued ballot — is sealed by
// the Service under a key the store never sees; the store links a voter to
// a queued ballot only, and a queued ballot to the batch that appended it.
type QueueStore interface {
	// Enqueue records a voter's cast in one transaction, without waiting
	// on the election's board, so that concurrent casts share the engine's
	// commits:
	//
	//   - a request key already stored returns that request's sealed
	//     receipt (q.Request of the first call) and writes nothing;
	//   - q.Voter.Key enters the register; a key already there is refused
	//     with ErrAlreadyVoted under RevoteNone, or when a paper marker
	//     holds q.Voter.Slot;
	//   - q.Request is stored under q.RequestKey and q.Ballot joins the
	//     election's queue, after every ballot queued before.
	//
	// It returns nil, nil once the cast is durably queued. On any error
	// nothing is written.
	Enqueue(ctx context.Context, q *Enqueue) ([]byte, error)
	// EnqueueAll is Enqueue for several casts in one transaction (the
	// Service groups concurrent casts: one commit for all), with one result
	// per cast in order; a cast refused (ErrAlreadyVoted) or replayed
	// writes nothing and does not stop the others. Two casts of one request
	// key: the second replays the first. The error is for the whole call
	// (nothing written).
	EnqueueAll(ctx context.Context, qs []*Enqueue) ([]Enqueued, error)
	// Request returns the sealed receipt stored under a request key by
	// Enqueue, or ErrNotFound.
	Request(ctx context.Context, electionID uuid.UUID, requestKey string) ([]byte, error)
	// Queued returns how many ballots an election's queue holds and the
	// limit oldest of them, oldest first.
	Queued(ctx context.Context, electionID uuid.UUID, limit int) (int64, []Queued, error)
	// Sequence appends a batch in one transaction, serialized with every
	// Append of the election: it removes the queued ballots seqs
	// (ErrConflict if one of them is gone: another sequencer took it), then
	// appends each of appends in order as Append would for a voter already
	// in the register (Voter.Key is not used): under RevoteLast the ballot
	// holding Voter.Slot, if any, is superseded, and a ballot whose slot a
	// paper marker holds is recorded superseded, without an entry (the
	// voter took a paper ballot since). Request keys of appends are fresh
	// random values, not the voters' requests. On any error nothing is
	// written.
	Sequence(ctx context.Context, electionID uuid.UUID, seqs []int64, appends []*Append) error
}

// Enqueue is one voter's cast entering the queue (see QueueStore.Enqueue).
type Enqueue struct {
	ElectionID uuid.UUID    `json:"election_id"`
	Voter      VoterMark    `json:"voter"`
	Revote     RevotePolicy `json:"revote,omitempty"`
	RequestKey string       `json:"request_key"`
	// Request is the sealed receipt returned to a replay of RequestKey.
	Request []byte `json:"request"`
	// Ballot is the sealed queued ballot, opened only by the Service.
	Ballot []byte `json:"ballot"`
}

// Enqueued is the result of one cast of EnqueueAll: Stored is the sealed
// receipt of a request key already stored (a replay), Err a refusal.
type Enqueued struct {
	Stored []byte `json:"stored,omitempty"`
	Err    error  `json:"-"`
}

// Queued is one sealed ballot of a queue; Seq orders the queue.
type Queued struct {
	Seq    int64  `json:"seq"`
	Sealed []byte `json:"sealed"`
}

// PaperStore persists paper ballot batches.
type PaperStore interface {
	// CreateBatch inserts b (Version 1). ErrNotFound for an unknown
	// election, ErrConflict on a taken ID.
	CreateBatch(ctx context.Context, b *Batch) error
	// GetBatch returns ErrNotFound for an unknown ID.
	GetBatch(ctx context.Context, id uuid.UUID) (*Batch, error)
	// UpdateBatch replaces b if the stored Version equals b.Version, then
	// increments b.Version. ErrConflict on a stale version.
	UpdateBatch(ctx context.Context, b *Batch) error
	// ListBatches returns a page of an election's batches ordered by ID.
	ListBatches(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[Batch], error)
}

// SessionStore persists operator sessions at access points.
type SessionStore interface {
	// CreateSession inserts s. ErrNotFound for an unknown election,
	// ErrConflict on a taken ID.
	CreateSession(ctx context.Context, s *Session) error
	// GetSession returns ErrNotFound for an unknown ID.
	GetSession(ctx context.Context, id uuid.UUID) (*Session, error)
	// CloseSession sets the session's closing time once; ErrConflict if it
	// was already closed.
	CloseSession(ctx context.Context, id uuid.UUID, at time.Time) error
}

// Append is one write to the box (see CastStore.Append).
type Append struct {
	ElectionID uuid.UUID `json:"election_id"`
	// Voter is the identified voter; nil for an anonymous paper sheet or a
	// correction.
	Voter *VoterMark `json:"voter,omitempty"`
	// Revote is the election's policy, applied to a known Voter.
	Revote RevotePolicy `json:"revote,omitempty"`
	// RequestKey makes the append idempotent within the election (hex).
	RequestKey string `json:"request_key"`
	// Digest identifies the request's content (BallotDigest).
	Digest string `json:"digest"`
	// Tracker is the new ballot's random receipt.
	Tracker string `json:"tracker"`
	// Ballot is the canonical ballot; nil for a void, a paper marker or a
	// spoiled sheet.
	Ballot json.RawMessage `json:"ballot,omitempty"`
	// Replaces is the tracker of a counted ballot this one corrects.
	Replaces string `json:"replaces,omitempty"`
	// NewSheet marks a paper sheet of a batch entering the count at
	// Place: it takes one of the place's marked voters (ErrExcess when
	// none is left).
	NewSheet bool             `json:"new_sheet,omitempty"`
	Channel  civickit.Channel `json:"channel"`
	Place    string           `json:"place,omitempty"`
	// Day is the casting day (UTC midnight): the only time stored with a ballot.
	Day time.Time `json:"day"`
	// Change is logged with a correction.
	Change *Change `json:"change,omitempty"`
}

// VoterMark says who casts, as the store may know it.
type VoterMark struct {
	Key VoterKey `json:"key"`
	// Slot is HMAC(secret, election ID || Key) (hex): kept with the voter's
	// counted ballot, it lets a revote find the ballot it supersedes.
	Slot string `json:"slot"`
	// Paper marks a voter who takes a paper ballot at a polling place
	// (Append.Place): the slot is held without a ballot (the paper ballot
	// is counted anonymously in its batch), no later ballot may supersede
	// it, and the place counts one more marked voter.
	Paper bool `json:"paper,omitempty"`
}

// Receipt is what an accepted ballot's voter keeps to check the board.
type Receipt struct {
	ElectionID uuid.UUID `json:"election"`
	Tracker    string    `json:"tracker"`
	// Index and Hash locate the board entry (Index -1 when the append
	// wrote none, e.g. a paper marker with nothing to supersede).
	Index    int64  `json:"index"`
	Hash     string `json:"hash,omitempty"`
	Replaces string `json:"replaces,omitempty"`
	// Replayed is true when the request had already been accepted: nothing
	// was written and the first receipt is returned.
	Replayed bool `json:"replayed,omitempty"`
	// Queued is true when the ballot is durably queued but not on the
	// board yet (Index -1): it will be appended with its batch, and the
	// tracker then found on the board (CheckReceipt, or a replay of the
	// request, gives Index and Hash).
	Queued bool `json:"queued,omitempty"`
}

// Head is the published state of a board.
type Head struct {
	Entries int64  `json:"entries"`
	Hash    string `json:"hash"`
}

// Count is one row of the live counts.
type Count struct {
	Part     Part   `json:"part"`
	Question string `json:"question"`
	// Answer is the canonical JSON of one Answer.
	Answer json.RawMessage `json:"answer"`
	N      int64           `json:"n"`
}

// PlaceCount is the paper reconciliation of one polling place: how many
// voters were marked there (MarkPaperVoter) and how many sheets of its
// batches were counted (ballots and spoiled sheets alike). Sheets never
// exceeds Marked; the sheets that would are held in their batches as
// excess. It names no one.
type PlaceCount struct {
	Place  string `json:"place"`
	Marked int64  `json:"marked"`
	Sheets int64  `json:"sheets"`
}

// BallotDigest is the hex SHA-256 of a canonical ballot: the content an
// idempotency key is bound to.
func BallotDigest(canonical []byte) string {
	h := sha256.Sum256(canonical)
	return hex.EncodeToString(h[:])
}

// SplitBallot returns the per-question answers of a canonical ballot, each
// with its canonical JSON: the keys of the live counts.
func SplitBallot(canonical []byte) ([]Count, error) {
	if len(canonical) == 0 || string(canonical) == "null" {
		return nil, nil
	}
	b, err := ParseBallot(canonical)
	if err != nil {
		return nil, err
	}
	out := make([]Count, 0, len(b.Answers))
	for _, a := range b.Answers {
		buf, err := json.Marshal(a)
		if err != nil {
			return nil, &BallotError{Question: a.Question, Rule: "encoding", Detail: err.Error()}
		}
		out = append(out, Count{Question: a.Question, Answer: buf, N: 1})
	}
	return out, nil
}
