package voting

import (
	"errors"
	"fmt"

	"github.com/civickit/civickit"
)

var (
	// ErrInvalidBallot: a ballot breaks a rule of its kind (duplicate rank,
	// unknown candidate, score out of range, over budget).
	ErrInvalidBallot = errors.New("voting: invalid ballot")
	// ErrInvalidProfile: candidates or profiles that cannot be used
	// together (duplicate names, merging different candidate lists).
	ErrInvalidProfile = errors.New("voting: invalid profile")
	// ErrUnknownMethod: no method of that name in the registry.
	ErrUnknownMethod = errors.New("voting: unknown method")
	// ErrInvalidOption: a variant or parameter the method does not take.
	ErrInvalidOption = errors.New("voting: invalid option")
	// ErrWrongBallots: the method needs another kind of ballot.
	ErrWrongBallots = errors.New("voting: wrong ballot kind for method")
	// ErrTooLarge: the election is beyond the method's documented limit
	// (candidates, search nodes or work) for an exact count, or a profile
	// would pass MaxVoters. It is of the kernel kind civickit.ErrTooLarge.
	ErrTooLarge = civickit.Sentinel(civickit.ErrTooLarge, "voting: too large to count exactly with this method")
)

// BallotError says which rule a ballot broke. It matches ErrInvalidBallot.
type BallotError struct {
	Rule   string // "duplicate", "unknown_candidate", "empty_group", "range", "budget", "count"
	Detail string
}

func (e *BallotError) Error() string {
	if e.Detail == "" {
		return "voting: invalid ballot: " + e.Rule
	}
	return fmt.Sprintf("voting: invalid ballot: %s: %s", e.Rule, e.Detail)
}

// Is makes errors.Is(err, ErrInvalidBallot) true.
func (e *BallotError) Is(target error) bool { return target == ErrInvalidBallot }
