package participation

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default.
	Now func() time.Time
	// NewID returns identifiers of public rows (consultations, resources,
	// follow-up items, audit entries); civickit.NewPublicID by default.
	NewID func() uuid.UUID
	// NewSecretID returns identifiers that must not leak order
	// (participants); civickit.NewSecretID by default.
	NewSecretID func() uuid.UUID
	// Verifiers are the identity verifiers participants can use, by
	// Name.
	Verifiers []Verifier
	// IdentitySecret keys the identity keys of census lists and claims
	// (civickit.Hasher.Secret): at least 32 random bytes, kept outside
	// the database. Without it keys are salted but not keyed, and whoever
	// holds a copy of the database can test identifiers against them.
	IdentitySecret []byte
	// Rand draws the salts of census lists; crypto/rand.Reader by
	// default.
	Rand io.Reader
}

// Service is the participation API: it validates, applies the phase and
// eligibility rules and calls the Store.
type Service struct {
	store       Store
	now         func() time.Time
	newID       func() uuid.UUID
	newSecretID func() uuid.UUID
	validate    *validator.Validate
	verifiers   map[string]Verifier
	hasher      civickit.Hasher
	rand        io.Reader
}

// NewService returns a Service over store.
func NewService(store Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("participation: NewService: nil store")
	}
	s := &Service{
		store:       store,
		now:         opts.Now,
		newID:       opts.NewID,
		newSecretID: opts.NewSecretID,
		validate:    newValidator(),
		verifiers:   make(map[string]Verifier, len(opts.Verifiers)),
		hasher:      civickit.Hasher{Secret: bytes.Clone(opts.IdentitySecret)},
		rand:        opts.Rand,
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
	}
	if s.newSecretID == nil {
		s.newSecretID = civickit.NewSecretID
	}
	for _, v := range opts.Verifiers {
		if v == nil {
			return nil, fmt.Errorf("participation: NewService: nil verifier")
		}
		if _, dup := s.verifiers[v.Name()]; dup {
			return nil, fmt.Errorf("participation: NewService: two verifiers named %q", v.Name())
		}
		s.verifiers[v.Name()] = v
	}
	return s, nil
}

// collect reads every page of a list, for the rules that need a whole
// list (the reflection step, a follow-up tree).
func collect[T any](list func(after string, limit int) (civickit.Page[T], error)) ([]T, error) {
	var all []T
	after := ""
	for {
		p, err := list(after, civickit.MaxLimit)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			return all, nil
		}
		after = p.Next
	}
}
