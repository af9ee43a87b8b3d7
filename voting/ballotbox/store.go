package ballotbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"iter"
	"time"

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
	PaperStore
	SessionStore
}

// ElectionStore persists elections and their censuses.
type ElectionStore interface {
	// CreateElection inserts e (Version 1) with an empty board whose head
	// is GenesisHash(e.Public()). ErrConflict on a taken ID.
	CreateElection(ctx context.Context, e *Election) error
	// GetElection returns ErrNotFound for an unknown ID.
	GetElection(ctx context.Context, id uuid.UUID) (*Election, error)
	// UpdateElection replaces e if the stored Version equals e.Version,
	// then increments e.Version. While the board is empty its head follows
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
	// Counts returns the live counts: for each part, question and distinct
	// answer, how many counted ballots carry it (rows with N > 0 only).
	Counts(ctx context.Context, electionID uuid.UUID) ([]Count, error)
	// Changes returns the election's change log, oldest first.
	Changes(ctx context.Context, electionID uuid.UUID) ([]Change, error)
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
	// ListBatches returns an election's batches ordered by ID.
	ListBatches(ctx context.Context, electionID uuid.UUID) ([]Batch, error)
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

// VoterKey identifies a voter within one election: the hex HMAC-SHA256 of
// the normalised identifier under the election's salt. Censuses and the
// register hold only these.
type VoterKey string

// Append is one write to the box (see CastStore.Append).
type Append struct {
	ElectionID uuid.UUID
	// Voter is the identified voter; nil for an anonymous paper ballot or a
	// correction.
	Voter *VoterMark
	// Revote is the election's policy, applied to a known Voter.
	Revote RevotePolicy
	// RequestKey makes the append idempotent within the election (hex).
	RequestKey string
	// Digest identifies the request's content (BallotDigest).
	Digest string
	// Tracker is the new ballot's random receipt.
	Tracker string
	// Ballot is the canonical ballot; nil for a void or a paper marker.
	Ballot json.RawMessage
	// Replaces is the tracker of a counted ballot this one corrects.
	Replaces string
	Channel  Channel
	Place    string
	// Day is the casting day (UTC midnight): the only time stored with a ballot.
	Day time.Time
	// Change is logged with a correction.
	Change *Change
}

// VoterMark says who casts, as the store may know it.
type VoterMark struct {
	Key VoterKey
	// Slot is HMAC(secret, election ID || Key) (hex): kept with the voter's
	// counted ballot, it lets a revote find the ballot it supersedes.
	Slot string
	// Paper marks a voter who takes a paper ballot at a polling place: the
	// slot is held without a ballot (the paper ballot is counted
	// anonymously in its batch) and no later ballot may supersede it.
	Paper bool
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
}

// Head is the published state of a board.
type Head struct {
	Entries int64
	Hash    string
}

// Count is one row of the live counts.
type Count struct {
	Part     Part
	Question string
	// Answer is the canonical JSON of one Answer.
	Answer json.RawMessage
	N      int64
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
