package ballotbox

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: no election, receipt or batch with that identifier.
	ErrNotFound = errors.New("ballotbox: not found")
	// ErrConflict: a concurrent change won (stale version), or an
	// idempotency key was reused with another ballot.
	ErrConflict = errors.New("ballotbox: conflict")
	// ErrInvalid: an election or request breaks a rule (see ValidationError).
	ErrInvalid = errors.New("ballotbox: invalid")
	// ErrInvalidBallot: a ballot breaks its question's rules (see BallotError).
	ErrInvalidBallot = errors.New("ballotbox: invalid ballot")
	// ErrNotEligible: the voter may not vote in this election (see EligibilityError).
	ErrNotEligible = errors.New("ballotbox: voter not eligible")
	// ErrClosed: the ballot came outside the voting window.
	ErrClosed = errors.New("ballotbox: outside the voting window")
	// ErrAlreadyVoted: a second ballot where revoting is off.
	ErrAlreadyVoted = errors.New("ballotbox: already voted")
	// ErrHidden: results are not visible yet under the election's policy.
	ErrHidden = errors.New("ballotbox: results not visible yet")
	// ErrTampered: a board does not verify (see VerifyReport).
	ErrTampered = errors.New("ballotbox: board does not verify")
	// ErrUnavailable: the store is busy or unreachable; the request may be retried.
	ErrUnavailable = errors.New("ballotbox: store unavailable")
)

// FieldError names one broken rule of an election definition or request.
type FieldError struct {
	Field string // path, e.g. "questions[1].method"
	Rule  string // e.g. "required", "unknown_method", "gtfield"
	Param string // the rule's parameter, if any
}

// ValidationError lists every broken rule. It matches ErrInvalid.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Rule
		if f.Param != "" {
			parts[i] += "=" + f.Param
		}
	}
	return "ballotbox: invalid: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// BallotError says which question of a ballot broke which rule. It matches
// ErrInvalidBallot.
type BallotError struct {
	Question string // the question's ID ("" for the ballot as a whole)
	Rule     string // "duplicate", "unknown_candidate", "range", "budget", "ranks", "missing", "extra", ...
	Detail   string
}

func (e *BallotError) Error() string {
	s := "ballotbox: invalid ballot"
	if e.Question != "" {
		s += ": question " + e.Question
	}
	s += ": " + e.Rule
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is makes errors.Is(err, ErrInvalidBallot) true.
func (e *BallotError) Is(target error) bool { return target == ErrInvalidBallot }

// EligibilityError names the eligibility rule a voter failed. It matches
// ErrNotEligible.
type EligibilityError struct {
	Rule   string // "census", "territory", "minimum_age", "assurance", "expired"
	Detail string
}

func (e *EligibilityError) Error() string {
	if e.Detail == "" {
		return "ballotbox: voter not eligible: " + e.Rule
	}
	return fmt.Sprintf("ballotbox: voter not eligible: %s: %s", e.Rule, e.Detail)
}

// Is makes errors.Is(err, ErrNotEligible) true.
func (e *EligibilityError) Is(target error) bool { return target == ErrNotEligible }
