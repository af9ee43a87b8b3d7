package evaluationtest

import (
	"cmp"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
)

// stores joins the evaluation store under test and the consultation store
// beside it.
type stores struct {
	evaluationStore
	coreStore
}

// Aliases name the embedded fields of stores.
type (
	evaluationStore = evaluation.Store
	coreStore       = participation.Store
)

// TestStore runs the conformance suite against the evaluation.Store that
// newStores returns, beside a participation.Store on the same database
// (decisions and follow-up items refer to its consultations). newStores must return fresh, empty stores on every call;
// it is called once by each leaf scenario (never from two at the same
// time) and may register cleanups on the t it is given.
func TestStore(t *testing.T, newStores func(t *testing.T) (evaluation.Store, participation.Store)) {
	t.Helper()
	newStore := func(t *testing.T) stores {
		s, c := newStores(t)
		require.NotNil(t, s, "newStores returned no evaluation store")
		require.NotNil(t, c, "newStores returned no participation store")
		return stores{s, c}
	}
	testEvaluation(t, newStore)
}

// sortBy sorts xs by an integer then an ID, as stores list follow-up
// items.
func sortBy[T any](xs []T, key func(T) (int, uuid.UUID)) {
	slices.SortFunc(xs, func(a, b T) int {
		pa, ia := key(a)
		pb, ib := key(b)
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(ia.String(), ib.String()))
	})
}
