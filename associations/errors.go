package associations

import (
	"fmt"

	"github.com/civickit/civickit"
)

// Errors. They are the kernel's kinds (see package civickit), so that
// errors.Is(err, civickit.ErrNotFound) and errors.Is(err,
// associations.ErrNotFound) agree; stores return them (wrapped) so that
// services and HTTP layers never look at driver errors. Invalid input is a
// *civickit.ValidationError, which matches ErrInvalid.
var (
	// ErrNotFound: no row with that key.
	ErrNotFound = civickit.ErrNotFound
	// ErrConflict: a unique key is taken (RNA, SIRET, ID) or the row changed
	// since it was read (stale Version).
	ErrConflict = civickit.ErrConflict
	// ErrInvalid: input broke a validation rule; see *civickit.ValidationError.
	ErrInvalid = civickit.ErrInvalid
	// ErrIllegalTransition: a workflow step that the current state forbids.
	// It refines civickit.ErrWrongState.
	ErrIllegalTransition = civickit.Sentinel(civickit.ErrWrongState, "associations: illegal transition")
	// ErrUnavailable: the store gave up after bounded retries (busy,
	// serialization failures); the caller may try again later.
	ErrUnavailable = civickit.ErrUnavailable
)

// TransitionError says which workflow step was refused. It matches
// ErrIllegalTransition, hence civickit.ErrWrongState.
type TransitionError struct {
	Entity string `json:"entity"` // "grant", "association", "membership"
	From   string `json:"from"`
	To     string `json:"to"`
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("associations: illegal %s transition %s -> %s", e.Entity, e.From, e.To)
}

// Unwrap makes errors.Is(err, ErrIllegalTransition) true.
func (e *TransitionError) Unwrap() error { return ErrIllegalTransition }
