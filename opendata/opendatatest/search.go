package opendatatest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// identifiersOf renders a page for failure messages.
func identifiersOf(ds []opendata.Dataset) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Identifier
	}
	return out
}

// walkCursor reads every page of q with After cursors and checks each page:
// at most Limit long, full unless last, a cursor naming its last dataset
// exactly when more follow, the same Total on every page.
func walkCursor(t *testing.T, st opendata.Store, q opendata.SearchQuery, want []opendata.Dataset) bool {
	t.Helper()
	var got []opendata.Dataset
	for page := 0; page <= len(want)+1; page++ {
		res, err := st.SearchDatasets(t.Context(), q)
		if !assert.NoError(t, err, "SearchDatasets(%+v)", q) {
			return false
		}
		if !assert.Equal(t, len(want), res.Total, "query %+v page %d: Total", q, page) {
			return false
		}
		rest := len(want) - len(got)
		got = append(got, res.Datasets...)
		if !assert.Len(t, res.Datasets, min(q.Limit, rest), "query %+v page %d", q, page) {
			return false
		}
		if rest <= q.Limit {
			return assert.Nil(t, res.Next, "query %+v: the last page must have no cursor", q) &&
				assert.Equal(t, identifiersOf(want), identifiersOf(got), "query %+v: datasets walked", q)
		}
		if !assert.NotNil(t, res.Next, "query %+v page %d: %d datasets follow but no cursor", q, page, rest-q.Limit) {
			return false
		}
		last := res.Datasets[len(res.Datasets)-1]
		if !assert.Equal(t, opendata.CursorOf(&last, q.Sort), *res.Next, "query %+v: the cursor names the last dataset", q) {
			return false
		}
		// Through its opaque form, as an HTTP client would send it.
		after, err := opendata.DecodeCursor(opendata.EncodeCursor(*res.Next))
		require.NoError(t, err)
		q.After = after
	}
	return assert.Fail(t, "cursor walk never ended", "query %+v", q)
}

// walkOffset reads every page of q with Offset.
func walkOffset(t *testing.T, st opendata.Store, q opendata.SearchQuery, want []opendata.Dataset) bool {
	t.Helper()
	var got []opendata.Dataset
	for q.Offset = 0; q.Offset <= len(want); q.Offset += q.Limit {
		res, err := st.SearchDatasets(t.Context(), q)
		if !assert.NoError(t, err, "SearchDatasets(%+v)", q) {
			return false
		}
		got = append(got, res.Datasets...)
		if !assert.Equal(t, len(want), res.Total, "query %+v: Total", q) {
			return false
		}
		if more := q.Offset+q.Limit < len(want); more != (res.Next != nil) {
			return assert.Fail(t, "offset page cursor", "query %+v: more follow = %v, cursor %v", q, more, res.Next)
		}
	}
	return assert.Equal(t, identifiersOf(want), identifiersOf(got), "query %+v: datasets by offset", q)
}

func (s *suite) testSearch(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		st := s.store(t)
		res, err := st.SearchDatasets(t.Context(), opendata.SearchQuery{Text: "budget", Facets: opendata.AllFacets()})
		require.NoError(t, err)
		assert.Empty(t, res.Datasets)
		assert.Zero(t, res.Total)
		assert.Nil(t, res.Next)
		for _, f := range opendata.AllFacets() {
			counts, ok := res.Facets[f]
			assert.True(t, ok, "facet %s asked for is present", f)
			assert.Empty(t, counts)
		}
	})

	t.Run("Text", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(30)
		mk := func(i int, title opendata.Text, desc string, kw opendata.Keywords) opendata.Dataset {
			d := NewDataset(rng, i)
			d.Title, d.Description, d.Keywords = title, opendata.Text{"fr": desc}, kw
			return d
		}
		ds := []opendata.Dataset{
			mk(1, opendata.Text{"fr": "Délibérations du Conseil municipal"}, "Actes 2024", opendata.Keywords{"fr": {"conseil"}}),
			mk(2, opendata.Text{"fr": "Qualité de l'air", "en": "Air quality"}, "Mesures horaires de NO₂", opendata.Keywords{"en": {"pollution"}}),
			mk(3, opendata.Text{"fr": "Œuvres d'art dans l'espace public"}, "Inventaire", opendata.Keywords{"fr": {"culture", "patrimoine"}}),
			mk(4, opendata.Text{"de": "Straße und Verkehr"}, "Comptages vélo", nil),
			mk(5, opendata.Text{"fr": "Budget primitif"}, "Budget 2025 de la ville", opendata.Keywords{"fr": {"finances publiques"}}),
		}
		mustCreate(t, st, ds...)
		cases := []struct {
			q    string
			want []int
		}{
			{"deliberations", []int{1}},
			{"DÉLIB", []int{1}},
			{"conseil munic", []int{1}},
			{"air", []int{2}},
			{"quality", []int{2}},   // English title
			{"pollution", []int{2}}, // English keyword
			{"no", []int{2}},        // "NO₂": ₂ is a digit of its own
			{"oeuvres", []int{3}},
			{"œuvre", []int{3}},
			{"patrimoine culture", []int{3}},
			{"strasse", []int{4}},
			{"velo", []int{4}},
			{"budget", []int{5}},
			{"finances", []int{5}},
			{"2025", []int{5}},
			{"202", []int{1, 5}},
			{"ville budget", []int{5}},
			{"budget zzz", nil},
			{"udget", nil}, // a prefix, not an infix
			{"%", []int{1, 2, 3, 4, 5}},
			{"_udget", nil},
			{"l'air", []int{2}}, // both words: "l" and "air"
		}
		for _, c := range cases {
			t.Run(c.q, func(t *testing.T) {
				q := opendata.SearchQuery{Text: c.q, Sort: opendata.SortIdentifier, Limit: 100}
				res, err := st.SearchDatasets(t.Context(), q)
				require.NoError(t, err)
				var want []string
				for _, i := range c.want {
					want = append(want, Identifier(i))
				}
				ref := expected(ds, q)
				assert.Equal(t, identifiersOf(ref), identifiersOf(res.Datasets), "reference Match disagrees with the store")
				if len(want) == 0 {
					assert.Empty(t, res.Datasets)
				} else {
					assert.Equal(t, want, identifiersOf(res.Datasets))
				}
			})
		}
	})

	t.Run("Reference", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(31)
		n := 150
		if testing.Short() {
			n = 60
		}
		all := make([]opendata.Dataset, n)
		for i := range all {
			all[i] = NewDataset(rng, i)
			all[i].Revision = 1
		}
		mustCreate(t, st, all...)
		lyon := opendata.PublisherKey(&Publishers[0])
		paris := opendata.PublisherKey(&Publishers[1])
		queries := []opendata.SearchQuery{
			{},
			{Text: "budget"},
			{Text: "velo lyon"},
			{Text: "air"},
			{Filters: []opendata.Filter{{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeTransport)}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeTransport), string(opendata.ThemeHealth)}}}},
			{Filters: []opendata.Filter{
				{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeTransport)}},
				{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeGovernment)}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetPublisher, Values: []string{lyon}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetPublisher, Values: []string{lyon, paris}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetPublisher, Values: []string{lyon}, Exclude: true}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetLicense, Values: []string{opendata.LicenseEtalab20}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetLicense, Values: []string{opendata.LicenseODbL}, Exclude: true}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetFormat, Values: []string{string(opendata.FileTypeCSV)}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetFormat, Values: []string{string(opendata.FileTypeCSV), string(opendata.FileTypeGeoJSON)}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"vélo"}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"Lyon", "cycling"}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"  Lyon  "}}}}, // trimmed
			{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"lyon"}}}},     // exact: none
			{Text: "budget", Filters: []opendata.Filter{
				{Facet: opendata.FacetPublisher, Values: []string{paris}},
				{Facet: opendata.FacetFormat, Values: []string{string(opendata.FileTypeCSV)}}}},
			{Text: "lyon", Filters: []opendata.Filter{
				{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeGovernment)}, Exclude: true},
				{Facet: opendata.FacetLicense, Values: []string{opendata.LicenseEtalab20, opendata.LicenseCC0}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetTheme, Values: []string{"https://example.org/unknown"}}}},
		}
		for qi, base := range queries {
			// Every order on a few queries, two orders on the others.
			sorts := opendata.SortOrders()
			if qi >= 4 {
				sorts = []opendata.SortOrder{opendata.SortModified, opendata.SortTitle}
			}
			for _, sort := range sorts {
				q := base
				q.Sort = sort
				t.Run(fmt.Sprintf("q%d/%s", qi, sort), func(t *testing.T) {
					want := expected(all, q)
					cq := q
					cq.Limit = 10
					walkCursor(t, st, cq, want)
					if sort == opendata.SortModified || sort == opendata.SortTitle {
						oq := q
						oq.Limit = 17
						walkOffset(t, st, oq, want)
					}
				})
			}
			t.Run(fmt.Sprintf("q%d/facets", qi), func(t *testing.T) {
				want := expected(all, base)
				for _, limit := range []int{0, 3} {
					q := base
					q.Facets = opendata.AllFacets()
					q.FacetLimit = limit
					q.Limit = 1
					res, err := st.SearchDatasets(t.Context(), q)
					require.NoError(t, err)
					wantLimit := limit
					if wantLimit == 0 {
						wantLimit = opendata.DefaultFacetSize
					}
					ref := opendata.CountFacets(ptrs(want), q.Facets, wantLimit)
					for _, f := range q.Facets {
						assert.Equal(t, nonNil(ref[f]), nonNil(res.Facets[f]), "facet %s, limit %d", f, limit)
					}
					assert.Equal(t, len(want), res.Total)
				}
				// Only the facets asked for.
				q := base
				q.Facets = []opendata.Facet{opendata.FacetFormat}
				res, err := st.SearchDatasets(t.Context(), q)
				require.NoError(t, err)
				assert.Len(t, res.Facets, 1)
			})
		}
	})

	t.Run("Ties", func(t *testing.T) {
		// Datasets with one UpdatedAt and one title: pages stay stable by ID.
		st := s.store(t)
		rng := NewRand(32)
		var all []opendata.Dataset
		for i := range 25 {
			d := NewDataset(rng, i)
			d.Title = opendata.Text{"fr": "Même titre"}
			d.CreatedAt, d.UpdatedAt = BaseTime, BaseTime
			all = append(all, d)
		}
		mustCreate(t, st, all...)
		for _, sort := range opendata.SortOrders() {
			q := opendata.SearchQuery{Sort: sort, Limit: 4}
			want := expected(all, q)
			walkCursor(t, st, q, want)
			walkOffset(t, st, q, want)
		}
	})

	t.Run("LongValues", func(t *testing.T) {
		// Values beyond the indexed lengths are cut the same way on both
		// sides and still match.
		st := s.store(t)
		rng := NewRand(33)
		d := NewDataset(rng, 1)
		longWord := strings.Repeat("é", 40) + "fin"
		longKW := strings.Repeat("mot-clé ", 100)
		d.Title = opendata.Text{"fr": longWord + " " + strings.Repeat("titre ", 80)}
		d.Keywords = opendata.Keywords{"fr": {longKW}}
		mustCreate(t, st, d)
		for _, q := range []opendata.SearchQuery{
			{Text: longWord},
			{Text: strings.Repeat("e", 30)},
			{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{longKW}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{longKW + "suite"}}}},
		} {
			res, err := st.SearchDatasets(t.Context(), q)
			require.NoError(t, err)
			assert.Equal(t, 1, res.Total, "%+v", q)
			assert.Equal(t, 1, len(expected([]opendata.Dataset{d}, q)), "reference %+v", q)
		}
		res, err := st.SearchDatasets(t.Context(), opendata.SearchQuery{Facets: []opendata.Facet{opendata.FacetKeyword}})
		require.NoError(t, err)
		if assert.Len(t, res.Facets[opendata.FacetKeyword], 1) {
			assert.Equal(t, opendata.FacetValue(longKW), res.Facets[opendata.FacetKeyword][0].Value)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		st := s.store(t)
		after := opendata.Cursor{ID: uuid.New()}
		for _, q := range []opendata.SearchQuery{
			{Limit: -1},
			{Limit: opendata.MaxSearchLimit + 1},
			{Offset: -1},
			{Offset: 5, After: &after},
			{Sort: "score"},
			{Filters: []opendata.Filter{{Facet: "colour", Values: []string{"x"}}}},
			{Filters: []opendata.Filter{{Facet: opendata.FacetTheme}}},
			{Facets: []opendata.Facet{"colour"}},
			{Facets: []opendata.Facet{opendata.FacetTheme, opendata.FacetTheme}},
			{FacetLimit: -2},
		} {
			_, err := st.SearchDatasets(t.Context(), q)
			assert.ErrorIs(t, err, opendata.ErrInvalid, "%+v", q)
		}
	})

	t.Run("QueryNotChanged", func(t *testing.T) {
		st := s.store(t)
		values := []string{"  a  "}
		q := opendata.SearchQuery{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: values}}}
		_, err := st.SearchDatasets(t.Context(), q)
		require.NoError(t, err)
		assert.Equal(t, "  a  ", values[0], "SearchDatasets must not change its caller's query")
	})
}

func nonNil(fc []opendata.FacetCount) []opendata.FacetCount {
	if fc == nil {
		return []opendata.FacetCount{}
	}
	return fc
}

func (s *suite) testPublishers(t *testing.T) {
	st := s.store(t)
	rng := NewRand(40)
	var all []opendata.Dataset
	for i := range 60 {
		all = append(all, NewDataset(rng, i))
	}
	// A person as publisher is never listed.
	all[0].Publisher = &opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Jeanne Martin"}}
	mustCreate(t, st, all...)
	got, err := st.ListPublishers(t.Context())
	require.NoError(t, err)
	counts := map[string]int{}
	latest := map[string]*opendata.Dataset{}
	for i := range all {
		d := &all[i]
		k := opendata.PublisherKey(d.Publisher)
		if k == "" {
			continue
		}
		counts[k]++
		if l := latest[k]; l == nil || opendata.CompareDatasets(d, l, opendata.SortModified) < 0 {
			latest[k] = d
		}
	}
	require.Len(t, got, len(counts))
	for i, pc := range got {
		if i > 0 {
			assert.Less(t, got[i-1].Key, pc.Key, "ordered by key")
		}
		assert.Equal(t, counts[pc.Key], pc.Datasets, pc.Key)
		assert.Equal(t, *latest[pc.Key].Publisher, pc.Agent, pc.Key)
		assert.NotContains(t, pc.Key, "jeanne")
	}
}
