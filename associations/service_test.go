package associations_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newRegistry(t *testing.T) *associations.Service {
	t.Helper()
	svc, err := associations.NewService(storage.NewAssociationStore(storagetest.Open(t, storage.SQLite)), associations.Options{})
	require.NoError(t, err)
	return svc
}

func fields(t *testing.T, err error) []string {
	t.Helper()
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	require.ErrorIs(t, err, associations.ErrInvalid)
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Path+":"+f.Rule)
	}
	return out
}

func TestServiceCreateValidation(t *testing.T) {
	day := func(y int, m time.Month, d int) *time.Time { t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); return &t }
	tests := []struct {
		name string
		a    associations.Association
		want []string
	}{
		{"name required", associations.Association{}, []string{"name:required"}},
		{"blank name", associations.Association{Name: "   "}, []string{"name:required"}},
		{"identifiers", associations.Association{Name: "X", RNA: "W12", SIREN: "732829321", SIRET: "73282932000075", NEQ: "12"},
			[]string{"rna:rna", "siren:siren", "siret:siret", "siret:siren_prefix", "neq:neq"}},
		{"SIRET of another SIREN", associations.Association{Name: "X", SIREN: "552100554", SIRET: "73282932000074"}, []string{"siret:siren_prefix"}},
		{"category", associations.Association{Name: "X", Categories: []string{"006030", "999000"}}, []string{"categories[1]:category"}},
		{"location", associations.Association{Name: "X", Address: associations.Address{Location: &associations.Point{Lat: 91, Lon: -181}}},
			[]string{"address.location.lat:lte", "address.location.lon:gte"}},
		{"web, language, country", associations.Association{Name: "X", Website: "not a url", Languages: []string{"fr", "xx-!!"}, Address: associations.Address{Country: "FRA"}},
			[]string{"address.country:iso3166_1_alpha2", "website:http_url", "languages[1]:bcp47_language_tag"}},
		{"contact", associations.Association{Name: "X", Contacts: []associations.Contact{{Kind: "fax", Value: ""}}},
			[]string{"contacts[0].kind:oneof", "contacts[0].value:required"}},
		{"dissolution date on an active association", associations.Association{Name: "X", DissolvedOn: day(2020, 1, 1)}, []string{"dissolved_on:only_when_dissolved"}},
		{"dissolved before created", associations.Association{Name: "X", Status: associations.StatusDissolved, CreatedOn: day(2020, 1, 1), DissolvedOn: day(2019, 1, 1)},
			[]string{"dissolved_on:gtefield"}},
	}
	ctx := context.Background()
	svc := newRegistry(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Create(ctx, tt.a)
			assert.ElementsMatch(t, tt.want, fields(t, err))
		})
	}
	page, err := svc.Search(ctx, associations.SearchQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items, "no invalid association was stored")
}

func TestServiceLifecycle(t *testing.T) {
	ctx := context.Background()
	svc := newRegistry(t)
	a, err := svc.Create(ctx, associations.Association{Name: " Amicale du port ", RNA: "w751000001", SIREN: "732 829 320"})
	require.NoError(t, err)
	assert.Equal(t, "Amicale du port", a.Name, "trimmed")
	assert.Equal(t, "W751000001", a.RNA, "upper-cased")
	assert.Equal(t, "732829320", a.SIREN, "spaces removed")
	assert.Equal(t, associations.StatusActive, a.Status)
	assert.Equal(t, 1, a.Version)

	_, err = svc.Create(ctx, associations.Association{Name: "Other", RNA: "W751000001"})
	assert.ErrorIs(t, err, associations.ErrConflict)

	stale := *a
	a.Acronym = "ADP"
	a, err = svc.Update(ctx, *a)
	require.NoError(t, err)
	assert.Equal(t, 2, a.Version)
	_, err = svc.Update(ctx, stale)
	assert.ErrorIs(t, err, associations.ErrConflict)

	d, err := svc.Dissolve(ctx, a.ID, time.Date(2024, 3, 5, 17, 30, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, associations.StatusDissolved, d.Status)
	assert.Equal(t, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), *d.DissolvedOn)

	_, err = svc.Dissolve(ctx, a.ID, time.Now())
	var te *associations.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "dissolved", te.From)

	d.Status, d.DissolvedOn = associations.StatusActive, nil
	_, err = svc.Update(ctx, *d)
	assert.True(t, errors.Is(err, associations.ErrIllegalTransition), "a dissolved association stays dissolved")
	got, err := svc.GetByRNA(ctx, " w751000001")
	require.NoError(t, err)
	assert.Equal(t, associations.StatusDissolved, got.Status)
}

func TestServiceQueryValidation(t *testing.T) {
	ctx := context.Background()
	svc := newRegistry(t)
	_, err := svc.Search(ctx, associations.SearchQuery{Limit: -1, After: "%%", Filter: associations.Filter{Department: "7"}})
	assert.ElementsMatch(t, []string{"limit:gte", "after:cursor", "department:min"}, fields(t, err))
	_, err = svc.Near(ctx, associations.NearQuery{Center: associations.Point{Lat: 0, Lon: 200}, RadiusMeters: -1, Limit: -2})
	assert.ElementsMatch(t, []string{"center.lon:lte", "radius_m:gt", "limit:gte"}, fields(t, err))

	// The radius is bounded: the attacks of the issue (Inf, 1e308, 40,000
	// km) are field errors, not full scans.
	radii := []struct {
		r    float64
		want []string
	}{
		{math.Inf(1), []string{"radius_m:finite"}},
		{math.NaN(), []string{"radius_m:finite"}},
		{1e308, []string{"radius_m:lte"}},
		{40_000_000, []string{"radius_m:lte"}},
		{associations.MaxNearRadiusMeters + 0.001, []string{"radius_m:lte"}},
		{0, []string{"radius_m:gt"}},
		{associations.MaxNearRadiusMeters, nil},
		{1, nil},
	}
	for _, tt := range radii {
		_, err := svc.Near(ctx, associations.NearQuery{Center: associations.Point{Lat: 45, Lon: 4}, RadiusMeters: tt.r})
		if tt.want == nil {
			assert.NoError(t, err, tt.r)
			continue
		}
		assert.Equal(t, tt.want, fields(t, err), tt.r)
	}

	// A limit above civickit.MaxLimit is cut, not refused.
	p, err := svc.Search(ctx, associations.SearchQuery{Limit: civickit.MaxLimit + 1})
	require.NoError(t, err)
	assert.Empty(t, p.Items)
}

func TestServiceSearchPages(t *testing.T) {
	ctx := context.Background()
	svc := newRegistry(t)
	names := []string{"Zèbre", "Amicale", "Éco-Jardin", "Club de voile", "Boulistes"}
	for _, n := range names {
		_, err := svc.Create(ctx, associations.Association{Name: n, Address: associations.Address{Location: &associations.Point{Lat: 45, Lon: 4}}})
		require.NoError(t, err)
	}
	var got []string
	after := ""
	for range 10 {
		p, err := svc.Search(ctx, associations.SearchQuery{After: after, Limit: 2})
		require.NoError(t, err)
		assert.LessOrEqual(t, len(p.Items), 2)
		for _, a := range p.Items {
			got = append(got, a.Name)
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	assert.Equal(t, []string{"Amicale", "Boulistes", "Club de voile", "Éco-Jardin", "Zèbre"}, got)

	near, err := svc.Near(ctx, associations.NearQuery{Center: associations.Point{Lat: 45, Lon: 4}, RadiusMeters: 10, Limit: 3})
	require.NoError(t, err)
	assert.Len(t, near.Items, 3)
	require.NotEmpty(t, near.Next)
	rest, err := svc.Near(ctx, associations.NearQuery{Center: associations.Point{Lat: 45, Lon: 4}, RadiusMeters: 10, After: near.Next, Limit: 3})
	require.NoError(t, err)
	assert.Len(t, rest.Items, 2)
	assert.Empty(t, rest.Next)
}
