package associations_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// The package's errors are the kernel's kinds, so a caller that knows only
// civickit decides what to do.
func TestErrorsAreKernelKinds(t *testing.T) {
	tests := []struct {
		err  error
		kind *civickit.Kind
	}{
		{fmt.Errorf("get: %w", associations.ErrNotFound), civickit.ErrNotFound},
		{fmt.Errorf("create: %w", associations.ErrConflict), civickit.ErrConflict},
		{fmt.Errorf("store: %w", associations.ErrUnavailable), civickit.ErrUnavailable},
		{civickit.Invalid("name", "required", ""), civickit.ErrInvalid},
		{&associations.TransitionError{Entity: "grant", From: "draft", To: "paid"}, civickit.ErrWrongState},
		{fmt.Errorf("join: %w", associations.ErrIllegalTransition), civickit.ErrWrongState},
		{associations.LineError{Line: 2, Rule: "rna"}, civickit.ErrInvalid},
		{&associations.RNAHeaderError{}, civickit.ErrInvalid},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.kind, civickit.KindOf(tt.err), "%v", tt.err)
	}
	te := &associations.TransitionError{Entity: "membership", From: "cancelled", To: "active"}
	assert.True(t, errors.Is(te, associations.ErrIllegalTransition))
	assert.NotErrorIs(t, associations.ErrIllegalTransition, te, "the sentinel does not match one refusal")
	assert.Equal(t, "associations: illegal membership transition cancelled -> active", te.Error())
}
