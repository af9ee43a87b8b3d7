package participation

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

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
	// CensusList: the participant must have claimed an identity of this
	// census list (ClaimCensus) that is on the list ("": no list).
	CensusList string `json:"census_list,omitempty" validate:"max=100"`
	// MinAssurance: the participant needs an unexpired verification of at
	// least this level (AssuranceNone: none needed).
	MinAssurance civickit.AssuranceLevel `json:"min_assurance,omitempty"`
}

// Verification is the outcome of a verifier's check of a participant:
// the level reached and until when it holds.
type Verification struct {
	ID            uuid.UUID               `json:"id"`
	ParticipantID uuid.UUID               `json:"participant_id"`
	Verifier      string                  `json:"verifier"` // the Verifier's Name
	Level         civickit.AssuranceLevel `json:"level"`
	VerifiedAt    time.Time               `json:"verified_at"`
	ExpiresAt     time.Time               `json:"expires_at"` // zero: never expires
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
	Verify(ctx context.Context, participantID uuid.UUID, ev Evidence) (level civickit.AssuranceLevel, expires time.Time, err error)
}

// checkEligibility applies c's eligibility rules to the participant, in
// the order territory, minimum age, census list, assurance level, and
// returns the first that fails as an *EligibilityError.
func (s *Service) checkEligibility(ctx context.Context, c *Consultation, participantID uuid.UUID) error {
	if _, err := s.store.GetParticipant(ctx, participantID); err != nil {
		return fmt.Errorf("check eligibility: %w", err)
	}
	el := c.Settings.Eligibility
	now := s.now()
	if len(el.Territories) > 0 || el.MinAge > 0 {
		pd, err := s.store.GetPersonalData(ctx, participantID)
		switch {
		case errors.Is(err, ErrNotFound):
			pd = &PersonalData{} // nothing known: every rule below fails
		case err != nil:
			return fmt.Errorf("check eligibility: %w", err)
		}
		if len(el.Territories) > 0 && !slices.Contains(el.Territories, pd.Territory) {
			return &EligibilityError{Rule: "territory", Param: strings.Join(el.Territories, " ")}
		}
		if el.MinAge > 0 && !pd.BirthDate.CertainlyAtLeast(el.MinAge, now) {
			return &EligibilityError{Rule: "min_age", Param: fmt.Sprint(el.MinAge)}
		}
	}
	if el.CensusList != "" {
		in, err := s.inCensus(ctx, el.CensusList, participantID)
		if err != nil {
			return fmt.Errorf("check eligibility: %w", err)
		}
		if !in {
			return &EligibilityError{Rule: "census", Param: el.CensusList}
		}
	}
	if el.MinAssurance != civickit.AssuranceNone {
		best, expired, err := s.assurance(ctx, participantID, now, el.MinAssurance)
		if err != nil {
			return fmt.Errorf("check eligibility: %w", err)
		}
		if !best.AtLeast(el.MinAssurance) {
			if expired {
				return &EligibilityError{Rule: "verification_expired", Param: string(el.MinAssurance)}
			}
			return &EligibilityError{Rule: "assurance", Param: string(el.MinAssurance)}
		}
	}
	return nil
}

// assurance returns the highest level among the participant's unexpired
// verifications at now, and whether an expired one would have reached
// want.
func (s *Service) assurance(ctx context.Context, participantID uuid.UUID, now time.Time, want civickit.AssuranceLevel) (civickit.AssuranceLevel, bool, error) {
	vs, err := collect(func(after string, limit int) (civickit.Page[Verification], error) {
		return s.store.ListVerifications(ctx, participantID, after, limit)
	})
	if err != nil {
		return civickit.AssuranceNone, false, err
	}
	best, expired := civickit.AssuranceNone, false
	for _, v := range vs {
		if v.Expired(now) {
			expired = expired || v.Level.AtLeast(want)
			continue
		}
		if v.Level.Rank() > best.Rank() {
			best = v.Level
		}
	}
	return best, expired, nil
}

// Assurance returns the highest assurance level the participant holds now
// (AssuranceNone when no verification holds).
func (s *Service) Assurance(ctx context.Context, participantID uuid.UUID) (civickit.AssuranceLevel, error) {
	best, _, err := s.assurance(ctx, participantID, s.now(), civickit.AssuranceHigh)
	if err != nil {
		return civickit.AssuranceNone, fmt.Errorf("assurance: %w", err)
	}
	return best, nil
}

// Verify asks the verifier named verifier to check ev for the
// participant and records the outcome. A verifier that refuses the
// evidence returns an error (wrapping ErrNotEligible for a refusal);
// nothing is recorded then. An unknown verifier name is a
// *ValidationError on "verifier".
func (s *Service) Verify(ctx context.Context, participantID uuid.UUID, verifier string, ev Evidence) (*Verification, error) {
	v, ok := s.verifiers[verifier]
	if !ok {
		return nil, civickit.Invalid("verifier", "oneof", strings.Join(slices.Sorted(maps.Keys(s.verifiers)), " "))
	}
	if _, err := s.store.GetParticipant(ctx, participantID); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	level, expires, err := v.Verify(ctx, participantID, ev)
	if err != nil {
		return nil, fmt.Errorf("verify with %s: %w", verifier, err)
	}
	if level.Rank() < 1 {
		return nil, fmt.Errorf("verify with %s: verifier returned level %q: %w", verifier, level, ErrInvalid)
	}
	now := s.now().UTC()
	out := &Verification{
		ID: s.newID(), ParticipantID: participantID, Verifier: verifier, Level: level,
		VerifiedAt: now,
	}
	if !expires.IsZero() {
		out.ExpiresAt = expires.UTC()
	}
	if err := s.store.SaveVerification(ctx, out); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	return out, nil
}
