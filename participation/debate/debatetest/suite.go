package debatetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
)

// stores joins the debate store under test and the consultation store
// beside it, which holds the consultations and participants that
// comments and statements refer to.
type stores struct {
	debateStore
	coreStore
}

// Aliases name the embedded fields of stores.
type (
	debateStore = debate.Store
	coreStore   = participation.Store
)

// TestStore runs the conformance suite against the debate.Store that
// newStores returns, beside a participation.Store on the same database
// (comments and statements refer to its consultations and
// participants). newStores must return fresh, empty stores on every
// call; it is called once by the suite (every scenario works in
// consultations of its own) and may register cleanups on the t it is
// given.
func TestStore(t *testing.T, newStores func(t *testing.T) (debate.Store, participation.Store)) {
	t.Helper()
	testDebate(t, func(t *testing.T) stores {
		d, c := newStores(t)
		require.NotNil(t, d, "newStores returned no debate store")
		require.NotNil(t, c, "newStores returned no participation store")
		return stores{d, c}
	})
}
