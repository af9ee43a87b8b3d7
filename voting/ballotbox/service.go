package ballotbox

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/google/uuid"
)

// Options configures a Service. Its zero value runs elections without
// revoting and without an anonymity set (Anonymity 1 is then required, see
// NeedsSecret); set Secret for the rest.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns identifiers of elections, batches, sessions and
	// changes, whose creation order is public; civickit.NewPublicID by
	// default.
	NewID func() uuid.UUID
	// Rand supplies trackers, salts and ballot secrets; crypto/rand by
	// default. Tests inject a seeded reader.
	Rand io.Reader
	// Secret keys the voter keys of the census and the register (on top
	// of each election's salt, so that the register alone names no one),
	// the slots that link a voter's ballots for revoting, and the key that
	// seals queued ballots (see Anonymity). It is never stored: keep it
	// outside the database (a file, a secret manager), at least
	// MinSecretLen random bytes, and give every process of a deployment
	// the same secret for ever: a Service with another secret is refused
	// the elections created with this one (ErrSecretMismatch), whose voter
	// keys it could not compute. Empty: elections that need it are refused
	// with ErrSecretRequired (see NeedsSecret).
	Secret []byte
	// Anonymity is k, the smallest set of voters among whom a ballot
	// hides from whoever holds the database files, its WAL and backups
	// (but not Secret): casts are acknowledged once durably queued, sealed
	// under a key derived from Secret, and appended to the board in
	// shuffled batches of at least k (see Sequence). 0 means
	// DefaultAnonymity; 1 appends every cast in its own transaction, as a
	// database holder can then link voters to ballots.
	Anonymity int
	// Registry holds the counting methods; voting.NewRegistry() by default.
	Registry *voting.Registry
	// SyncGrace is how long after the close offline submissions recorded
	// during the window may still be synced (0: none).
	SyncGrace time.Duration
	// Gate, when set, is consulted before anything is written for an
	// election (see Gate): an election that belongs to a wider process
	// (a consultation's phase) is voted in only when the process admits it.
	Gate Gate
}

// MinSecretLen is the shortest Options.Secret NewService accepts.
const MinSecretLen = 32

// DefaultAnonymity is the anonymity set (Options.Anonymity) of a Service
// that sets none.
const DefaultAnonymity = 20

// Service is the ballot box's API: it checks elections, eligibility and
// ballots, and calls the Store.
type Service struct {
	store     Store
	now       func() time.Time
	newID     func() uuid.UUID
	rand      io.Reader
	secret    []byte
	reg       *voting.Registry
	syncGrace time.Duration
	gate      Gate
	k         int
	salts     sync.Map // election ID -> VoterSalt (a salt never changes)
	seqs      sync.Map // election ID -> *sync.Mutex: one sequencer per election and process
	groups    sync.Map // election ID -> *committer: concurrent casts share a transaction
}

// NewService returns a Service over store. It refuses a Secret shorter
// than MinSecretLen bytes (but not an empty one) with a
// *civickit.ValidationError on "secret", and a negative Anonymity on
// "anonymity".
func NewService(store Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("ballotbox: NewService: nil store")
	}
	if len(opts.Secret) > 0 && len(opts.Secret) < MinSecretLen {
		return nil, fmt.Errorf("ballotbox: NewService: Options.Secret must hold at least %d bytes kept outside the database, the same in every process: %w",
			MinSecretLen, civickit.Invalid("secret", "min", strconv.Itoa(MinSecretLen)))
	}
	if opts.Anonymity < 0 {
		return nil, fmt.Errorf("ballotbox: NewService: %w", civickit.Invalid("anonymity", "min", "0"))
	}
	s := &Service{store: store, now: opts.Now, newID: opts.NewID, rand: opts.Rand,
		secret: slices.Clone(opts.Secret), reg: opts.Registry, syncGrace: opts.SyncGrace, gate: opts.Gate, k: opts.Anonymity}
	if s.k == 0 {
		s.k = DefaultAnonymity
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.reg == nil {
		s.reg = voting.NewRegistry()
	}
	return s, nil
}

// Registry returns the methods the service counts with.
func (s *Service) Registry() *voting.Registry { return s.reg }

func (s *Service) random(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		return nil, fmt.Errorf("ballotbox: random source: %w", err)
	}
	return b, nil
}

var trackerEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTracker returns a random receipt tracker: 128 bits in lower-case
// base32, grouped by 4 for reading aloud.
func (s *Service) newTracker() (string, error) {
	b, err := s.random(16)
	if err != nil {
		return "", err
	}
	raw := strings.ToLower(trackerEncoding.EncodeToString(b))
	var sb strings.Builder
	for i := 0; i < len(raw); i += 4 {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(raw[i:min(i+4, len(raw))])
	}
	return sb.String(), nil
}

// mac returns the hex HMAC-SHA256 of parts under the service secret.
func (s *Service) mac(parts ...[]byte) string {
	h := hmac.New(sha256.New, s.secret)
	for _, p := range parts {
		var n [4]byte
		n[0], n[1], n[2], n[3] = byte(len(p)>>24), byte(len(p)>>16), byte(len(p)>>8), byte(len(p))
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// slot links a voter's ballots for revoting: only the secret's holder can
// compute it from a register entry.
func (s *Service) slot(electionID uuid.UUID, key VoterKey) string {
	return s.mac([]byte("slot"), electionID[:], []byte(key))
}

// requestKey binds an idempotency key to its voter (or batch), so that two
// voters' keys never collide. It does not depend on the secret, so that a
// retry after a restart finds its request whatever the configuration; the
// scope of a voter is their voter key, itself keyed by the secret when
// there is one, and the store keeps request keys on the register's side.
func (s *Service) requestKey(electionID uuid.UUID, scope, key string) string {
	h := sha256.New()
	for _, p := range [][]byte{[]byte("request"), electionID[:], []byte(scope), []byte(key)} {
		var n [4]byte
		n[0], n[1], n[2], n[3] = byte(len(p)>>24), byte(len(p)>>16), byte(len(p)>>8), byte(len(p))
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// slotFor returns the slot stored with a voter's ballot: only under
// RevoteLast, where a revote must find the ballot it supersedes. Under
// RevoteNone the register alone keeps a voter to one ballot, and a slot
// would let whoever holds the secret link every ballot to its voter.
func (s *Service) slotFor(e *Election, key VoterKey) string {
	if e.Revote != RevoteLast {
		return ""
	}
	return s.slot(e.ID, key)
}

// NeedsSecret reports why election e cannot run on a Service without
// Options.Secret ("" when it can): revoting needs the secret's slots, an
// anonymity set needs the key that seals queued ballots.
func (s *Service) NeedsSecret(e *Election) string {
	switch {
	case len(s.secret) > 0:
		return ""
	case e.Revote == RevoteLast:
		return "revote=last links a voter's ballots through slots keyed by the secret"
	case s.k > 1:
		return fmt.Sprintf("an anonymity set of %d seals queued ballots under a key derived from the secret (Options.Anonymity 1 runs without)", s.k)
	}
	return ""
}

// checkSecret refuses an election that needs the secret the Service lacks.
func (s *Service) checkSecret(e *Election) error {
	if why := s.NeedsSecret(e); why != "" {
		return fmt.Errorf("%w: election %s: %s", ErrSecretRequired, e.ID, why)
	}
	return nil
}

// day is the coarse time stored with a ballot.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CreateElection validates e, gives it an ID (if nil), a voter salt
// (stored apart) and Version 1, and stores it.
func (s *Service) CreateElection(ctx context.Context, e *Election) error {
	if err := e.Validate(s.reg); err != nil {
		return err
	}
	if e.ID == uuid.Nil {
		e.ID = s.newID()
	}
	if err := s.checkSecret(e); err != nil {
		return err
	}
	salt, err := civickit.NewSalt(s.rand)
	if err != nil {
		return err
	}
	now := s.now()
	e.ClosedAt = nil
	e.Version, e.CreatedAt, e.UpdatedAt = 1, now, now
	vs := VoterSalt{Salt: salt}
	if len(s.secret) > 0 {
		vs.SecretCheck = s.secretCheck(e.ID)
	}
	return s.store.CreateElection(ctx, e, vs)
}

// Election returns the stored election.
func (s *Service) Election(ctx context.Context, id uuid.UUID) (*Election, error) {
	return s.store.GetElection(ctx, id)
}

// ListElections returns a page of every election, in creation order.
func (s *Service) ListElections(ctx context.Context, after string, limit int) (civickit.Page[Election], error) {
	p, err := s.store.ListElections(ctx, after, limit)
	if err != nil {
		return civickit.Page[Election]{}, err
	}
	if p.Items == nil {
		p.Items = []Election{}
	}
	return p, nil
}

// UpdateElection stores a new definition of an existing election at
// e.Version. Before the voting window opens anything may change. Once it
// has opened, the published definition is frozen (rule "frozen") — in
// particular results visibility cannot be loosened (rule "loosen") — and
// so is eligibility; only the description may change. ClosedAt is not
// changed here (see CloseNow).
func (s *Service) UpdateElection(ctx context.Context, e *Election) error {
	if err := e.Validate(s.reg); err != nil {
		return err
	}
	if err := s.checkSecret(e); err != nil {
		return err
	}
	old, err := s.store.GetElection(ctx, e.ID)
	if err != nil {
		return err
	}
	e.CreatedAt = old.CreatedAt
	e.ClosedAt = old.ClosedAt
	if now := s.now(); !now.Before(old.Opens) {
		if err := frozenChanges(old, e); err != nil {
			return err
		}
	}
	e.UpdatedAt = s.now()
	return s.store.UpdateElection(ctx, e)
}

// visibilityRank orders visibilities from the most to the least guarded.
func visibilityRank(v Visibility) int {
	return map[Visibility]int{VisibleAfterClose: 0, VisibleAfterVote: 1, VisibleLive: 2}[v]
}

func frozenChanges(old, e *Election) error {
	ve := &civickit.ValidationError{}
	if visibilityRank(e.Visibility) > visibilityRank(old.Visibility) {
		ve.Add("visibility", "loosen", string(old.Visibility))
	} else if e.Visibility != old.Visibility {
		ve.Add("visibility", "frozen", "")
	}
	po, pe := old.Public(), e.Public()
	if po.Title != pe.Title {
		ve.Add("title", "frozen", "")
	}
	if !po.Opens.Equal(pe.Opens) {
		ve.Add("opens", "frozen", "")
	}
	if !po.Closes.Equal(pe.Closes) {
		ve.Add("closes", "frozen", "")
	}
	if po.Revote != pe.Revote {
		ve.Add("revote", "frozen", "")
	}
	if GenesisHash(Public{Questions: po.Questions}) != GenesisHash(Public{Questions: pe.Questions}) {
		ve.Add("questions", "frozen", "")
	}
	if !sameEligibility(old.Eligibility, e.Eligibility) {
		ve.Add("eligibility", "frozen", "")
	}
	return ve.Err()
}

func sameEligibility(a, b Eligibility) bool {
	return a.Census == b.Census && slices.Equal(a.Territories, b.Territories) &&
		a.MinimumAge == b.MinimumAge && a.Assurance == b.Assurance
}
