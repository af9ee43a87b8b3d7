package associationstest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

// testAid checks the aid catalogue and the scheme a grant names.
func (s *suite) testAid(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	rng := NewRand(50)
	full := associations.AidScheme{
		ID: NewID(rng), Name: "Fonds d'initiatives « culture »", Funder: "Ville de Lyon",
		Description: "Soutien aux projets", Eligibility: "associations lyonnaises", EligibleThemes: []string{"006000", "007000"},
		MinCents: 100000, MaxCents: 600000, OpensOn: datePtr(Date(2026, time.January, 15)), ClosesOn: datePtr(Date(2026, time.March, 31)),
		Documents: []string{"CERFA 12156", "RIB"}, URL: "https://example.org/fic", Version: 1, CreatedAt: BaseTime,
	}
	minimal := associations.AidScheme{ID: NewID(rng), Name: "Minimal", Funder: "Métropole", Version: 1, CreatedAt: BaseTime}
	for _, a := range []associations.AidScheme{full, minimal} {
		require.NoError(t, st.CreateAidScheme(ctx, &a))
		got, err := st.GetAidScheme(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a, *got)
	}
	_, err := st.GetAidScheme(ctx, NewID(rng))
	assert.ErrorIs(t, err, associations.ErrNotFound)
	dup := minimal
	assert.ErrorIs(t, st.CreateAidScheme(ctx, &dup), associations.ErrConflict)

	page, err := st.ListAidSchemes(ctx, "", 1)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	rest, err := st.ListAidSchemes(ctx, page.Next, 10)
	require.NoError(t, err)
	require.Len(t, rest.Items, 1)
	assert.Empty(t, rest.Next)
	assert.NotEqual(t, page.Items[0].ID, rest.Items[0].ID)

	// A grant names its scheme; the link round-trips.
	a := NewAssociation(rng, 1)
	mustCreate(t, st, a)
	g := NewGrant(rng, a)
	g.SchemeID = &full.ID
	require.NoError(t, st.CreateGrant(ctx, &g, associations.GrantTransition{ID: NewID(rng), GrantID: g.ID, To: associations.GrantDraft, Actor: "x", At: g.CreatedAt}))
	got, err := st.GetGrant(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, &full.ID, got.SchemeID)
}
