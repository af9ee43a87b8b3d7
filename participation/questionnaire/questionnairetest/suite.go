package questionnairetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
)

// stores joins the questionnaire store under test and the consultation store
// beside it.
type stores struct {
	questionnaireStore
	coreStore
}

// Aliases name the embedded fields of stores.
type (
	questionnaireStore = questionnaire.Store
	coreStore          = participation.Store
)

// TestStore runs the conformance suite against the questionnaire.Store that
// newStores returns, beside a participation.Store on the same database
// (questionnaires, responses and paper batches refer to its consultations and participants). newStores must return fresh, empty stores on every call;
// it is called once by each leaf scenario (never from two at the same
// time) and may register cleanups on the t it is given.
func TestStore(t *testing.T, newStores func(t *testing.T) (questionnaire.Store, participation.Store)) {
	t.Helper()
	newStore := func(t *testing.T) stores {
		s, c := newStores(t)
		require.NotNil(t, s, "newStores returned no questionnaire store")
		require.NotNil(t, c, "newStores returned no participation store")
		return stores{s, c}
	}
	testResponses(t, newStore)
}
