package civickit

import "errors"

// Kind is an error kind: a sentinel that every civickit error matches
// with errors.Is, whatever package it comes from, so that a caller (the
// HTTP layer, an integrator's handler) decides what to do from one short
// list. Domain packages refine a kind with Sentinel or with a typed error
// whose Unwrap returns a sentinel; storage maps driver errors to kinds.
type Kind struct {
	name string
	text string
}

func (k *Kind) Error() string { return k.text }

// Name is the kind's stable, machine-readable name ("not_found"), used
// for instance as the last segment of a problem type URI.
func (k *Kind) Name() string { return k.name }

// The kinds. A new kind is a change to every error table that maps them;
// refine an existing one with Sentinel instead.
var (
	// ErrInvalid: the input breaks a rule; a *ValidationError says which.
	ErrInvalid = &Kind{"invalid", "invalid input"}
	// ErrNotFound: no such row, or a row the request refers to is missing.
	ErrNotFound = &Kind{"not_found", "not found"}
	// ErrConflict: a unique key is taken, the row changed since it was read
	// (stale version), or the request repeats something done once only
	// (a second vote, an idempotency key reused with other content).
	ErrConflict = &Kind{"conflict", "conflict"}
	// ErrUnauthenticated: the request needs an identity it does not carry.
	ErrUnauthenticated = &Kind{"unauthenticated", "authentication required"}
	// ErrForbidden: the caller is known but may not do this (not eligible,
	// results not visible yet, a role that lacks the right).
	ErrForbidden = &Kind{"forbidden", "forbidden"}
	// ErrWrongState: the action is not allowed in the current phase or
	// state (a consultation phase, a workflow state, a closed window).
	ErrWrongState = &Kind{"wrong_state", "not allowed in the current phase or state"}
	// ErrTooLarge: the input exceeds a size limit (a body, a file, a batch).
	ErrTooLarge = &Kind{"too_large", "too large"}
	// ErrUnavailable: a store or service is busy or unreachable and gave up
	// after bounded retries; the same request may succeed later.
	ErrUnavailable = &Kind{"unavailable", "temporarily unavailable"}
)

// Kinds returns every kind, most specific first: the order in which
// KindOf tries them.
func Kinds() []*Kind {
	return []*Kind{ErrInvalid, ErrNotFound, ErrConflict, ErrUnauthenticated, ErrForbidden,
		ErrWrongState, ErrTooLarge, ErrUnavailable}
}

// KindOf returns the kind err matches, or nil for an error of no kind
// (an internal failure: a bug, a driver error nobody classified).
func KindOf(err error) *Kind {
	if err == nil {
		return nil
	}
	for _, k := range Kinds() {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// sentinel is a domain's named error refining a kind.
type sentinel struct {
	text string
	kind *Kind
}

func (s *sentinel) Error() string { return s.text }
func (s *sentinel) Unwrap() error { return s.kind }

// Sentinel returns a new error with the given text that matches kind with
// errors.Is. Domain packages declare their own errors with it, so that
// callers may test the precise error or only its kind:
//
//	var ErrAlreadyVoted = civickit.Sentinel(civickit.ErrConflict, "ballotbox: already voted")
//
//	errors.Is(err, ballotbox.ErrAlreadyVoted) // the precise refusal
//	errors.Is(err, civickit.ErrConflict)      // any conflict
func Sentinel(kind *Kind, text string) error {
	if kind == nil {
		panic("civickit: Sentinel with a nil kind")
	}
	return &sentinel{text: text, kind: kind}
}
