package civickit_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/civickit/civickit"
	"github.com/stretchr/testify/assert"
)

func TestKindOf(t *testing.T) {
	alreadyVoted := civickit.Sentinel(civickit.ErrConflict, "ballotbox: already voted")
	tests := []struct {
		name string
		err  error
		want *civickit.Kind
	}{
		{"nil", nil, nil},
		{"plain error", errors.New("driver said no"), nil},
		{"kind itself", civickit.ErrNotFound, civickit.ErrNotFound},
		{"wrapped kind", fmt.Errorf("get consultation: %w", civickit.ErrNotFound), civickit.ErrNotFound},
		{"sentinel", alreadyVoted, civickit.ErrConflict},
		{"wrapped sentinel", fmt.Errorf("cast: %w", alreadyVoted), civickit.ErrConflict},
		{"validation error", civickit.Invalid("title", "required", ""), civickit.ErrInvalid},
		{"wrapped validation error", fmt.Errorf("create: %w", civickit.Invalid("a", "b", "")), civickit.ErrInvalid},
		{"joined: first kind in Kinds order wins", errors.Join(civickit.ErrUnavailable, civickit.ErrNotFound), civickit.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, civickit.KindOf(tt.err))
		})
	}
}

func TestSentinelIsDistinctFromItsKind(t *testing.T) {
	closed := civickit.Sentinel(civickit.ErrWrongState, "ballotbox: outside the voting window")
	wrongPhase := civickit.Sentinel(civickit.ErrWrongState, "participation: not in this phase")
	err := fmt.Errorf("cast: %w", closed)
	assert.ErrorIs(t, err, closed)
	assert.ErrorIs(t, err, civickit.ErrWrongState)
	assert.NotErrorIs(t, err, wrongPhase, "two sentinels of one kind stay distinct")
	assert.NotErrorIs(t, civickit.ErrWrongState, closed, "a kind does not match its refinements")
	assert.Equal(t, "ballotbox: outside the voting window", closed.Error())
}

func TestKindsHaveDistinctNames(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range civickit.Kinds() {
		assert.NotEmpty(t, k.Name())
		assert.False(t, seen[k.Name()], "duplicate kind name %q", k.Name())
		seen[k.Name()] = true
		assert.Equal(t, k, civickit.KindOf(k))
	}
	assert.Len(t, seen, 8)
}

func TestSentinelNeedsAKind(t *testing.T) {
	assert.Panics(t, func() { _ = civickit.Sentinel(nil, "x") })
}
