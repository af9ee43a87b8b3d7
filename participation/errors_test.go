package participation_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Every error of the package matches one kernel kind, so that a caller
// (an HTTP layer) decides from the kind alone; the refinements stay
// distinct from each other.
func TestErrorKinds(t *testing.T) {
	tests := []struct {
		err    error
		sentry error
		kind   *civickit.Kind
	}{
		{&participation.PhaseError{Action: participation.ActionComment}, participation.ErrWrongPhase, civickit.ErrWrongState},
		{&participation.TransitionError{Entity: "consultation", From: "closed", To: "open"}, participation.ErrIllegalTransition, civickit.ErrWrongState},
		{&participation.EligibilityError{Rule: "census"}, participation.ErrNotEligible, civickit.ErrForbidden},
		{participation.ErrHidden, participation.ErrHidden, civickit.ErrForbidden},
		{&participation.CensusClaimError{List: "roll", Rule: participation.RuleOneParticipantPerIdentity}, participation.ErrCensusClaimed, civickit.ErrConflict},
		{civickit.Invalid("title", "required", ""), participation.ErrInvalid, civickit.ErrInvalid},
		{participation.ErrNotFound, civickit.ErrNotFound, civickit.ErrNotFound},
	}
	for _, tt := range tests {
		assert.ErrorIs(t, tt.err, tt.sentry, "%v", tt.err)
		assert.Equal(t, tt.kind, civickit.KindOf(tt.err), "%v", tt.err)
	}
	assert.False(t, errors.Is(&participation.PhaseError{}, participation.ErrIllegalTransition), "two refinements of one kind")
	assert.False(t, errors.Is(participation.ErrHidden, participation.ErrNotEligible))
}
