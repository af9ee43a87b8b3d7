package associations

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; stores return them
// (wrapped) so that services and HTTP layers never look at driver errors.
var (
	// ErrNotFound: no row with that key.
	ErrNotFound = errors.New("associations: not found")
	// ErrConflict: a unique key is taken (RNA, SIRET, ID) or the row changed
	// since it was read (stale Version).
	ErrConflict = errors.New("associations: conflict")
	// ErrInvalid: input broke a validation rule; see *ValidationError.
	ErrInvalid = errors.New("associations: invalid input")
	// ErrIllegalTransition: a workflow step that the current state forbids.
	ErrIllegalTransition = errors.New("associations: illegal transition")
	// ErrUnavailable: the store gave up after bounded retries (busy,
	// serialization failures); the caller may try again later.
	ErrUnavailable = errors.New("associations: store unavailable")
)

// FieldError names one broken rule on one field.
type FieldError struct {
	Field string `json:"field"` // dotted path, e.g. "address.location.lat"
	Rule  string `json:"rule"`  // validator tag or domain rule, e.g. "required", "luhn"
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
	return "associations: invalid input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// add appends a field error; used while collecting domain rules.
func (e *ValidationError) add(field, rule, param string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Rule: rule, Param: param})
}

// orNil returns e as an error when it holds at least one field error.
func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// TransitionError says which workflow step was refused. It matches
// ErrIllegalTransition.
type TransitionError struct {
	Entity string // "grant", "association", "membership"
	From   string
	To     string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("associations: illegal %s transition %s -> %s", e.Entity, e.From, e.To)
}

// Is makes errors.Is(err, ErrIllegalTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrIllegalTransition }
