package opendatatest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
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

// search normalises q as the Service does before it calls a store (the
// store trusts its query), then searches.
func search(t *testing.T, st opendata.Store, q opendata.SearchQuery) (*opendata.SearchResult, error) {
	t.Helper()
	q.Filters = slices.Clone(q.Filters)
	for i := range q.Filters {
		q.Filters[i].Values = slices.Clone(q.Filters[i].Values)
	}
	require.NoError(t, q.Normalize(), "a query of the suite is valid: %+v", q)
	return st.SearchDatasets(t.Context(), q)
}

// walkCursor reads every page of q with After cursors and checks each page:
// at most Limit long, full unless last, a Next naming its last dataset
// exactly when more follow, the same Total on every page.
func walkCursor(t *testing.T, st opendata.Store, q opendata.SearchQuery, want []opendata.Dataset) bool {
	t.Helper()
	var got []opendata.Dataset
	for page := 0; page <= len(want)+1; page++ {
		res, err := search(t, st, q)
		if !assert.NoError(t, err, "SearchDatasets(%+v)", q) {
			return false
		}
		if !assert.Equal(t, len(want), res.Total, "query %+v page %d: Total", q, page) {
			return false
		}
		rest := len(want) - len(got)
		got = append(got, res.Items...)
		if !assert.Len(t, res.Items, min(q.Limit, rest), "query %+v page %d", q, page) {
			return false
		}
		if rest <= q.Limit {
			return assert.Empty(t, res.Next, "query %+v: the last page must have no Next", q) &&
				assert.Equal(t, identifiersOf(want), identifiersOf(got), "query %+v: datasets walked", q)
		}
		if !assert.NotEmpty(t, res.Next, "query %+v page %d: %d datasets follow but no Next", q, page, rest-q.Limit) {
			return false
		}
		var next opendata.Cursor
		_, err = civickit.DecodeCursor(res.Next, &next)
		require.NoError(t, err, "Next encodes an opendata.Cursor")
		last := res.Items[len(res.Items)-1]
		if !assert.Equal(t, opendata.CursorOf(&last, q.Sort), next, "query %+v: Next names the last dataset", q) {
			return false
		}
		q.After = res.Next
	}
	return assert.Fail(t, "cursor walk never ended", "query %+v", q)
}

// walkOffset reads every page of q with Offset.
func walkOffset(t *testing.T, st opendata.Store, q opendata.SearchQuery, want []opendata.Dataset) bool {
	t.Helper()
	var got []opendata.Dataset
	for q.Offset = 0; q.Offset <= len(want); q.Offset += q.Limit {
		res, err := search(t, st, q)
		if !assert.NoError(t, err, "SearchDatasets(%+v)", q) {
			return false
		}
		got = append(got, res.Items...)
		if !assert.Equal(t, len(want), res.Total, "query %+v: Total", q) {
			return false
		}
		if more := q.Offset+q.Limit < len(want); more != (res.Next != "") {
			return assert.Fail(t, "offset page cursor", "query %+v: more follow = %v, cursor %v", q, more, res.Next)
		}
	}
	return assert.Equal(t, identifiersOf(want), identifiersOf(got), "query %+v: datasets by offset", q)
}

func (s *suite) testSearch(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		st := s.store(t)
		res, err := search(t, st, opendata.SearchQuery{Text: "budget", Facets: opendata.AllFacets()})
		require.NoError(t, err)
		assert.Empty(t, res.Items)
		assert.Zero(t, res.Total)
		assert.Empty(t, res.Next)
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
				res, err := search(t, st, q)
				require.NoError(t, err)
				var want []string
				for _, i := range c.want {
					want = append(want, Identifier(i))
				}
				ref := expected(ds, q)
				assert.Equal(t, identifiersOf(ref), identifiersOf(res.Items), "reference Match disagrees with the store")
				if len(want) == 0 {
					assert.Empty(t, res.Items)
				} else {
					assert.Equal(t, want, identifiersOf(res.Items))
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
			// Time ranges (CKAN's fq=metadata_modified:[since TO *]): the
			// bounds are datasets' own times, so inclusiveness shows.
			{Modified: opendata.TimeRange{From: all[n/3].UpdatedAt}},
			{Modified: opendata.TimeRange{To: all[n/2].UpdatedAt}},
			{Modified: opendata.TimeRange{From: all[n/4].UpdatedAt, To: all[n/4].UpdatedAt}},
			{Created: opendata.TimeRange{From: all[n/5].CreatedAt, To: all[2*n/3].CreatedAt},
				Filters: []opendata.Filter{{Facet: opendata.FacetPublisher, Values: []string{lyon}}}},
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
					res, err := search(t, st, q)
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
				res, err := search(t, st, q)
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
			res, err := search(t, st, q)
			require.NoError(t, err)
			assert.Equal(t, 1, res.Total, "%+v", q)
			assert.Equal(t, 1, len(expected([]opendata.Dataset{d}, q)), "reference %+v", q)
		}
		res, err := search(t, st, opendata.SearchQuery{Facets: []opendata.Facet{opendata.FacetKeyword}})
		require.NoError(t, err)
		if assert.Len(t, res.Facets[opendata.FacetKeyword], 1) {
			assert.Equal(t, opendata.FacetValue(longKW), res.Facets[opendata.FacetKeyword][0].Value)
		}
	})

	t.Run("BadCursor", func(t *testing.T) {
		st := s.store(t)
		mustCreate(t, st, NewDataset(NewRand(34), 1))
		for _, after := range []string{"!!", "bm90IGpzb24", civickit.EncodeCursor("not a position")} {
			q := opendata.SearchQuery{Sort: opendata.SortModified, Limit: 10, FacetLimit: opendata.DefaultFacetSize, After: after}
			_, err := st.SearchDatasets(t.Context(), q)
			assert.ErrorIs(t, err, opendata.ErrInvalid, "after %q", after)
		}
	})
}

func nonNil(fc []opendata.FacetCount) []opendata.FacetCount {
	if fc == nil {
		return []opendata.FacetCount{}
	}
	return fc
}

// allPublishers walks ListPublishers with the given page sizes.
func allPublishers(t *testing.T, st opendata.Store, limits ...int) []opendata.PublisherCount {
	t.Helper()
	var got []opendata.PublisherCount
	after := ""
	for page := 0; page < 1000; page++ {
		limit := limits[page%len(limits)]
		p, err := st.ListPublishers(t.Context(), after, limit)
		require.NoError(t, err, "ListPublishers page %d", page)
		require.LessOrEqual(t, len(p.Items), limit, "ListPublishers page %d holds more than its limit", page)
		got = append(got, p.Items...)
		if p.Next == "" {
			return got
		}
		require.NotEqual(t, after, p.Next, "ListPublishers page %d gives its own cursor", page)
		after = p.Next
	}
	require.FailNow(t, "ListPublishers: the walk never ends")
	return nil
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
	for _, limits := range [][]int{{civickit.MaxLimit}, {1}, {2}, {4, 1}} {
		got := allPublishers(t, st, limits...)
		require.Len(t, got, len(counts), "limits %v", limits)
		for i, pc := range got {
			if i > 0 {
				assert.Less(t, got[i-1].Key, pc.Key, "ordered by key, each once")
			}
			assert.Equal(t, counts[pc.Key], pc.Datasets, pc.Key)
			assert.Equal(t, *latest[pc.Key].Publisher, pc.Agent, pc.Key)
			assert.NotContains(t, pc.Key, "jeanne")
		}
	}
	_, err := st.ListPublishers(t.Context(), "", -1)
	assert.ErrorIs(t, err, opendata.ErrInvalid, "limit -1")
	for _, after := range []string{"!!", civickit.EncodeCursor(42)} {
		_, err := st.ListPublishers(t.Context(), after, 10)
		assert.ErrorIs(t, err, opendata.ErrInvalid, "after %q", after)
	}
}
