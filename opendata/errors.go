package opendata

import (
	"strconv"

	"github.com/civickit/civickit"
)

// Errors. They are the kernel's kinds (see package civickit), so that
// errors.Is(err, civickit.ErrNotFound) and errors.Is(err,
// opendata.ErrNotFound) agree; stores return them (wrapped) so that
// services and HTTP layers never look at driver errors. Input refused is
// a *civickit.ValidationError, which matches ErrInvalid.
var (
	// ErrNotFound: no dataset (or catalogue, series, service) with that key.
	ErrNotFound = civickit.ErrNotFound
	// ErrConflict: a unique key is taken (identifier, IRI) or the row changed
	// since it was read.
	ErrConflict = civickit.ErrConflict
	// ErrInvalid: input broke a validation rule; see *civickit.ValidationError.
	ErrInvalid = civickit.ErrInvalid
	// ErrUnavailable: the store gave up after bounded retries (busy,
	// serialization failures); the caller may try again later.
	ErrUnavailable = civickit.ErrUnavailable
	// ErrWrongState: the dataset's state forbids it (a harvest does not
	// republish a withdrawn dataset).
	ErrWrongState = civickit.ErrWrongState
)

// path joins a prefix and a field name ("publisher" + "name").
func path(prefix, field string) string { return civickit.JoinPath(prefix, field) }

// index formats "distributions[3]".
func index(prefix string, i int) string { return prefix + "[" + strconv.Itoa(i) + "]" }
