package participation

import (
	"fmt"

	"github.com/civickit/civickit"
)

// Errors. Every error of the package matches one of the kernel's kinds
// (civickit.ErrNotFound, ErrConflict, ErrInvalid, ErrForbidden,
// ErrWrongState, ErrUnavailable) with errors.Is; the refinements below
// name the precise refusal, and the typed errors (*PhaseError,
// *EligibilityError, *TransitionError, *CensusError) say which rule, read
// with errors.As.
var (
	// ErrNotFound: no row with that key, or a referenced row is missing.
	ErrNotFound = civickit.ErrNotFound
	// ErrConflict: a unique key is taken or the row changed since it was
	// read (stale Version).
	ErrConflict = civickit.ErrConflict
	// ErrInvalid: input broke a validation rule; see
	// *civickit.ValidationError.
	ErrInvalid = civickit.ErrInvalid
	// ErrUnavailable: the store gave up after bounded retries (busy,
	// serialization failures); the caller may try again later.
	ErrUnavailable = civickit.ErrUnavailable

	// ErrWrongPhase: the action is not allowed in the consultation's
	// current phase; see *PhaseError.
	ErrWrongPhase = civickit.Sentinel(civickit.ErrWrongState, "participation: action not allowed in this phase")
	// ErrIllegalTransition: a workflow step that the current state
	// forbids; see *TransitionError.
	ErrIllegalTransition = civickit.Sentinel(civickit.ErrWrongState, "participation: illegal transition")
	// ErrNotEligible: the participant may not take part; see
	// *EligibilityError for the rule.
	ErrNotEligible = civickit.Sentinel(civickit.ErrForbidden, "participation: not eligible")
	// ErrHidden: the results are not visible yet.
	ErrHidden = civickit.Sentinel(civickit.ErrForbidden, "participation: results hidden")
	// ErrKeyReused: an idempotency key already stored for another
	// contribution of the same author (a retry must repeat the same
	// content to get the first result back).
	ErrKeyReused = civickit.Sentinel(civickit.ErrConflict, "participation: idempotency key already used for another contribution")
)

// PhaseError says which action the consultation's current phase refused.
// Phase is "" when no phase is active (not opened yet, or closed). It
// matches ErrWrongPhase and civickit.ErrWrongState.
type PhaseError struct {
	Action Action    `json:"action"`
	Phase  PhaseKind `json:"phase"`
}

func (e *PhaseError) Error() string {
	if e.Phase == "" {
		return fmt.Sprintf("participation: action %s not allowed: no phase is active", e.Action)
	}
	return fmt.Sprintf("participation: action %s not allowed in phase %s", e.Action, e.Phase)
}

// Unwrap makes errors.Is(err, ErrWrongPhase) true.
func (e *PhaseError) Unwrap() error { return ErrWrongPhase }

// EligibilityError names the eligibility rule a participant fails, e.g.
// "territory", "min_age", "census", "assurance", "verification_expired".
// It matches ErrNotEligible and civickit.ErrForbidden.
type EligibilityError struct {
	Rule  string `json:"rule"`
	Param string `json:"param,omitempty"` // e.g. the required territory, age or assurance level
}

func (e *EligibilityError) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("participation: not eligible: %s=%s", e.Rule, e.Param)
	}
	return "participation: not eligible: " + e.Rule
}

// Unwrap makes errors.Is(err, ErrNotEligible) true.
func (e *EligibilityError) Unwrap() error { return ErrNotEligible }

// TransitionError says which workflow step was refused. It matches
// ErrIllegalTransition and civickit.ErrWrongState.
type TransitionError struct {
	Entity string `json:"entity"` // "consultation", "follow_up", ...
	From   string `json:"from"`
	To     string `json:"to"`
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("participation: illegal %s transition %s -> %s", e.Entity, e.From, e.To)
}

// Unwrap makes errors.Is(err, ErrIllegalTransition) true.
func (e *TransitionError) Unwrap() error { return ErrIllegalTransition }
