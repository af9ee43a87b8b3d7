package participation

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; stores return them
// (wrapped) so that services and HTTP layers never look at driver errors.
var (
	// ErrNotFound: no row with that key, or a referenced row is missing.
	ErrNotFound = errors.New("participation: not found")
	// ErrConflict: a unique key is taken or the row changed since it was
	// read (stale Version).
	ErrConflict = errors.New("participation: conflict")
	// ErrInvalid: input broke a validation rule; see *ValidationError.
	ErrInvalid = errors.New("participation: invalid input")
	// ErrWrongPhase: the action is not allowed in the consultation's
	// current phase; see *PhaseError.
	ErrWrongPhase = errors.New("participation: action not allowed in this phase")
	// ErrNotEligible: the participant may not take part; see
	// *EligibilityError for the rule.
	ErrNotEligible = errors.New("participation: not eligible")
	// ErrIllegalTransition: a workflow step that the current state forbids.
	ErrIllegalTransition = errors.New("participation: illegal transition")
	// ErrHidden: the results are not visible yet.
	ErrHidden = errors.New("participation: results hidden")
	// ErrUnavailable: the store gave up after bounded retries (busy,
	// serialization failures); the caller may try again later.
	ErrUnavailable = errors.New("participation: store unavailable")
)

// FieldError names one broken rule on one field.
type FieldError struct {
	Field string `json:"field"` // dotted path, e.g. "phases[1].ends"
	Rule  string `json:"rule"`  // validator tag or domain rule, e.g. "required", "one_active"
	Param string `json:"param,omitempty"`
}

func (e FieldError) String() string {
	if e.Param != "" {
		return fmt.Sprintf("%s: %s=%s", e.Field, e.Rule, e.Param)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Rule)
}

// ValidationError lists every broken rule of one input. It matches ErrInvalid.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return "participation: invalid input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// add appends a field error; used while collecting domain rules.
func (e *ValidationError) add(field, rule, param string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Rule: rule, Param: param})
}

// orNil returns e as an error when it holds at least one field error.
func (e *ValidationError) orNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// invalid returns a *ValidationError with a single broken rule.
func invalid(field, rule, param string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Rule: rule, Param: param}}}
}

// PhaseError says which action the consultation's current phase refused.
// Phase is "" when no phase is active (not opened yet, or closed). It
// matches ErrWrongPhase.
type PhaseError struct {
	Action Action
	Phase  PhaseKind
}

func (e *PhaseError) Error() string {
	if e.Phase == "" {
		return fmt.Sprintf("participation: action %s not allowed: no phase is active", e.Action)
	}
	return fmt.Sprintf("participation: action %s not allowed in phase %s", e.Action, e.Phase)
}

// Is makes errors.Is(err, ErrWrongPhase) true.
func (e *PhaseError) Is(target error) bool { return target == ErrWrongPhase }

// EligibilityError names the eligibility rule a participant fails, e.g.
// "territory", "min_age", "census", "assurance", "verification_expired".
// It matches ErrNotEligible.
type EligibilityError struct {
	Rule  string
	Param string // e.g. the required territory, age or assurance level
}

func (e *EligibilityError) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("participation: not eligible: %s=%s", e.Rule, e.Param)
	}
	return "participation: not eligible: " + e.Rule
}

// Is makes errors.Is(err, ErrNotEligible) true.
func (e *EligibilityError) Is(target error) bool { return target == ErrNotEligible }

// TransitionError says which workflow step was refused. It matches
// ErrIllegalTransition.
type TransitionError struct {
	Entity string // "consultation", "follow_up", ...
	From   string
	To     string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("participation: illegal %s transition %s -> %s", e.Entity, e.From, e.To)
}

// Is makes errors.Is(err, ErrIllegalTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrIllegalTransition }
