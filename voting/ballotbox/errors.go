package ballotbox

import (
	"fmt"

	"github.com/civickit/civickit"
)

// The ballot box's errors. Each matches one of the kernel's kinds with
// errors.Is (civickit.ErrConflict, civickit.ErrForbidden...), so that a
// caller may test the precise refusal or only its kind. Invalid input is
// reported with a *civickit.ValidationError (matching ErrInvalid).
var (
	// ErrNotFound: no election, receipt, batch or session with that identifier.
	ErrNotFound = civickit.ErrNotFound
	// ErrConflict: a concurrent change won (stale version), or an
	// idempotency key was reused with another ballot.
	ErrConflict = civickit.ErrConflict
	// ErrInvalid: an election or request breaks a rule (see civickit.ValidationError).
	ErrInvalid = civickit.ErrInvalid
	// ErrUnavailable: the store is busy or unreachable; the request may be retried.
	ErrUnavailable = civickit.ErrUnavailable

	// ErrInvalidBallot: a ballot breaks its question's rules (see BallotError).
	ErrInvalidBallot = civickit.Sentinel(civickit.ErrInvalid, "ballotbox: invalid ballot")
	// ErrNotEligible: the voter may not vote in this election (see EligibilityError).
	ErrNotEligible = civickit.Sentinel(civickit.ErrForbidden, "ballotbox: voter not eligible")
	// ErrClosed: the request came outside the voting window (or outside
	// the operator session it names).
	ErrClosed = civickit.Sentinel(civickit.ErrWrongState, "ballotbox: outside the voting window")
	// ErrAlreadyVoted: a second ballot where revoting is off, or any
	// ballot of a voter marked at a polling place.
	ErrAlreadyVoted = civickit.Sentinel(civickit.ErrConflict, "ballotbox: already voted")
	// ErrHidden: results are not visible yet under the election's policy.
	ErrHidden = civickit.Sentinel(civickit.ErrForbidden, "ballotbox: results not visible yet")
	// ErrTampered: a board does not verify (see TamperError).
	ErrTampered = civickit.Sentinel(civickit.ErrInvalid, "ballotbox: board does not verify")
	// ErrSecretMismatch: the Service's secret (Options.Secret) is not the
	// one that keys the election's voter keys; nothing is read or written
	// for that election until the right secret is configured.
	ErrSecretMismatch = civickit.Sentinel(civickit.ErrConflict, "ballotbox: the service's secret is not the one that keys this election")
	// ErrSecretRequired: the election needs Options.Secret (revoting, an
	// anonymity set, or voter keys created under a secret) and the Service
	// has none: it is refused before anything is written.
	ErrSecretRequired = civickit.Sentinel(civickit.ErrWrongState, "ballotbox: the election needs the service secret (Options.Secret)")
	// ErrExcess: a paper sheet would make the sheets counted at a polling
	// place outnumber the voters marked there (see MarkPaperVoter and
	// KeyBatch); the batch holds it for reconciliation.
	ErrExcess = civickit.Sentinel(civickit.ErrConflict, "ballotbox: more paper sheets than voters marked at the place")
)

// BallotError says which question of a ballot broke which rule. It matches
// ErrInvalidBallot (and so civickit.ErrInvalid).
type BallotError struct {
	Question string `json:"question,omitempty"` // the question's ID ("" for the ballot as a whole)
	Rule     string `json:"rule"`               // "duplicate", "unknown_candidate", "range", "budget", "ranks", "missing", "extra", ...
	Detail   string `json:"detail,omitempty"`
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

// Unwrap makes errors.Is(err, ErrInvalidBallot) true.
func (e *BallotError) Unwrap() error { return ErrInvalidBallot }

// EligibilityError names the eligibility rule a voter failed. It matches
// ErrNotEligible (and so civickit.ErrForbidden).
type EligibilityError struct {
	Rule   string `json:"rule"` // "identifier", "census", "territory", "minimum_age", "assurance"
	Detail string `json:"detail,omitempty"`
}

func (e *EligibilityError) Error() string {
	if e.Detail == "" {
		return "ballotbox: voter not eligible: " + e.Rule
	}
	return fmt.Sprintf("ballotbox: voter not eligible: %s: %s", e.Rule, e.Detail)
}

// Unwrap makes errors.Is(err, ErrNotEligible) true.
func (e *EligibilityError) Unwrap() error { return ErrNotEligible }
