package associations_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

func fieldRules(t *testing.T, err error) []string {
	t.Helper()
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Path+":"+f.Rule)
	}
	return out
}

func TestAidCatalogue(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})
	day := func(y int, m time.Month, d int) *time.Time { t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); return &t }

	_, err := svc.CreateAidScheme(ctx, associations.AidScheme{Name: "x", Funder: "Ville", MinCents: 10, MaxCents: 5,
		OpensOn: day(2026, 3, 1), ClosesOn: day(2026, 2, 1), EligibleThemes: []string{"999999"}})
	assert.ElementsMatch(t, []string{"max_cents:gtefield", "closes_on:gtefield", "eligible_themes[0]:category"}, fieldRules(t, err))

	culture, err := svc.CreateAidScheme(ctx, associations.AidScheme{
		Name: "Fonds d'initiatives culturelles", Funder: "Ville de Lyon", Eligibility: "associations culturelles lyonnaises",
		EligibleThemes: []string{"006000"}, MinCents: 100000, MaxCents: 600000,
		OpensOn: day(2026, 1, 15), ClosesOn: day(2026, 3, 31),
		Documents: []string{"CERFA 12156", "derniers comptes approuvés", "RIB"},
	})
	require.NoError(t, err)
	closed, err := svc.CreateAidScheme(ctx, associations.AidScheme{Name: "Appel à projets jeunesse", Funder: "Ville de Lyon", ClosesOn: day(2026, 2, 28)})
	require.NoError(t, err)

	choir, err := svc.Create(ctx, associations.Association{Name: "Chorale", Categories: []string{"006030"}})
	require.NoError(t, err)
	sport, err := svc.Create(ctx, associations.Association{Name: "Club de foot", Categories: []string{"011000"}})
	require.NoError(t, err)

	open, err := svc.OpenAidSchemes(ctx, choir.ID, grantStart)
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, culture.ID, open[0].ID)
	assert.Equal(t, []string{"CERFA 12156", "derniers comptes approuvés", "RIB"}, open[0].Documents)
	open, err = svc.OpenAidSchemes(ctx, sport.ID, grantStart)
	require.NoError(t, err)
	assert.Empty(t, open, "not of its theme, and the other is closed")

	small, err := svc.CreateAidScheme(ctx, associations.AidScheme{Name: "Micro-projets", Funder: "Ville de Lyon", MaxCents: 100000})
	require.NoError(t, err)
	submit := func(a *associations.Association, scheme *associations.AidScheme) error {
		g := completeGrant(a.ID) // asks for 5,000 €
		g.SchemeID = &scheme.ID
		created, err := svc.CreateGrant(ctx, g, "tresoriere")
		require.NoError(t, err)
		stored, err := svc.GetGrant(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, &scheme.ID, stored.SchemeID)
		_, err = svc.SubmitGrant(ctx, created.ID, created.Version, "tresoriere")
		return err
	}
	require.NoError(t, submit(choir, culture))
	assert.Equal(t, []string{"requested_cents:scheme_max"}, fieldRules(t, submit(choir, small)))
	assert.Equal(t, []string{"scheme_id:eligible_theme"}, fieldRules(t, submit(sport, culture)))
	assert.Equal(t, []string{"scheme_id:open"}, fieldRules(t, submit(choir, closed)))

	page, err := svc.AidSchemes(ctx, "", 1)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	rest, err := svc.AidSchemes(ctx, page.Next, 10)
	require.NoError(t, err)
	assert.Len(t, rest.Items, 2)
	assert.Empty(t, rest.Next)
}
