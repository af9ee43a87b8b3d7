package participation

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// AssuranceLevel is how sure a verifier is of a participant's identity,
// on the eIDAS scale (low, substantial, high). The empty level means not
// verified.
type AssuranceLevel string

const (
	AssuranceNone        AssuranceLevel = ""
	AssuranceLow         AssuranceLevel = "low"
	AssuranceSubstantial AssuranceLevel = "substantial"
	AssuranceHigh        AssuranceLevel = "high"
)

// Rank orders levels: 0 none, 1 low, 2 substantial, 3 high; -1 unknown.
func (l AssuranceLevel) Rank() int {
	switch l {
	case AssuranceNone:
		return 0
	case AssuranceLow:
		return 1
	case AssuranceSubstantial:
		return 2
	case AssuranceHigh:
		return 3
	}
	return -1
}

// Valid reports whether l is a known level (the empty level included).
func (l AssuranceLevel) Valid() bool { return l.Rank() >= 0 }

// AtLeast reports whether l reaches min.
func (l AssuranceLevel) AtLeast(min AssuranceLevel) bool {
	return l.Valid() && min.Valid() && l.Rank() >= min.Rank()
}

// Eligibility says who may take part in a consultation. Every rule set
// must hold; the zero value lets anyone take part.
type Eligibility struct {
	// Territories: the participant's territory must be one of these codes
	// (nil: any territory).
	Territories []string `json:"territories,omitempty" validate:"max=1000,dive,required,max=20"`
	// MinAge: the participant must be at least this old on the day of the
	// check (0: no minimum). A partial birth date counts only when every
	// date it may stand for is old enough.
	MinAge int `json:"min_age,omitempty" validate:"gte=0,lte=150"`
	// CensusList: the participant's census key must be on this list ("":
	// no list).
	CensusList string `json:"census_list,omitempty" validate:"max=100"`
	// MinAssurance: the participant needs an unexpired verification of at
	// least this level (AssuranceNone: none needed).
	MinAssurance AssuranceLevel `json:"min_assurance,omitempty"`
}

// Verification is the outcome of a verifier's check of a participant:
// the level reached and until when it holds.
type Verification struct {
	ID            uuid.UUID      `json:"id"`
	ParticipantID uuid.UUID      `json:"participant_id"`
	Verifier      string         `json:"verifier"` // the Verifier's Name
	Level         AssuranceLevel `json:"level"`
	VerifiedAt    time.Time      `json:"verified_at"`
	ExpiresAt     time.Time      `json:"expires_at"` // zero: never expires
}

// Expired reports whether v no longer holds at t.
func (v *Verification) Expired(t time.Time) bool {
	return !v.ExpiresAt.IsZero() && !t.Before(v.ExpiresAt)
}

// Evidence is what a participant (or an agent) presents to a verifier:
// an identity provider's token, a code sent by post, an agent's check of
// a document. Its meaning belongs to the verifier; it is never stored.
type Evidence struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	// Agent is the agent who saw the evidence, for in-person checks.
	Agent string `json:"agent,omitempty"`
}

// Verifier checks a participant's identity. Integrators plug their own
// (an identity federation, a letter with a code, an agent at a desk) into
// Options.Verifiers; the Service records each outcome.
type Verifier interface {
	// Name identifies the verifier in stored verifications.
	Name() string
	// Verify checks ev for the participant and returns the level reached
	// and, when the check does not hold forever, its expiry. It returns
	// an error wrapping ErrNotEligible when the evidence is refused.
	Verify(ctx context.Context, participantID uuid.UUID, ev Evidence) (level AssuranceLevel, expires time.Time, err error)
}

func (s *Service) checkEligibility(ctx context.Context, c *Consultation, participantID uuid.UUID) error {
	return nil
}
