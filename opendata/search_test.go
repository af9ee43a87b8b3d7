package opendata_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
)

func TestSlugAndKeys(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Ville de Lyon", "ville-de-lyon"},
		{"Région Auvergne-Rhône-Alpes", "region-auvergne-rhone-alpes"},
		{"  Œuvres & Cité  ", "oeuvres-cite"},
		{"Straße", "strasse"},
		{"Łódź", "odz"}, // letters without an ASCII form are dropped
		{"---", ""},
		{"", ""},
		{strings.Repeat("ab ", 60), strings.Repeat("ab-", 33) + "a"}, // cut at 100 bytes
	}
	for _, c := range cases {
		got := opendata.Slug(c.in)
		assert.Equal(t, c.want, got, c.in)
		assert.LessOrEqual(t, len(got), 100)
	}
	assert.Equal(t, "", opendata.PublisherKey(nil))
	assert.Equal(t, "", opendata.PublisherKey(&opendata.Agent{Kind: opendata.AgentPerson, Name: opendata.Text{"": "Jeanne"}}))
	assert.Equal(t, "217500016", opendata.PublisherKey(&opendata.Agent{Identifier: "217500016"}))
	assert.Equal(t, "city-of-paris", opendata.PublisherKey(&opendata.Agent{Name: opendata.Text{"fr": "Ville de Paris", "en": "City of Paris"}, Identifier: "x"}),
		"the name as Text.Get(\"\") picks it: no language, else English, else the first tag")
}

func TestTitleKeyAndTerms(t *testing.T) {
	assert.Equal(t, "qualite de l air 2025", opendata.TitleKey(opendata.Text{"": "Qualité de l'air — 2025"}))
	long := strings.Repeat("é", 100)
	words := opendata.SearchTerms(&opendata.Dataset{Title: opendata.Text{"fr": long}})
	require.Len(t, words, 1)
	assert.LessOrEqual(t, len(words[0]), opendata.MaxTermLen)
	assert.True(t, strings.HasPrefix(civickit.Fold(long), words[0]))
	assert.Equal(t, []string{"a", "b"}, opendata.SearchTerms(&opendata.Dataset{Title: opendata.Text{"": "a\xffb"}}), "bytes that are not UTF-8 separate words")
	key := opendata.TitleKey(opendata.Text{"": strings.Repeat("κ", 300)})
	assert.LessOrEqual(t, len(key), opendata.MaxSortKeyLen)
	assert.True(t, utf8.ValidString(key))
	assert.Equal(t, "a b", opendata.FacetValue(" a\x00b\n"))
	assert.Len(t, opendata.FacetValue(strings.Repeat("x", 600)), opendata.MaxFacetValueLen)
}

func TestNormalize(t *testing.T) {
	q := opendata.SearchQuery{Filters: []opendata.Filter{{Facet: opendata.FacetKeyword, Values: []string{"  vélo "}}}}
	require.NoError(t, q.Normalize())
	assert.Equal(t, opendata.SortModified, q.Sort)
	assert.Equal(t, civickit.DefaultLimit, q.Limit)
	assert.Equal(t, opendata.DefaultFacetSize, q.FacetLimit)
	assert.Equal(t, []string{"vélo"}, q.Filters[0].Values)

	big := opendata.SearchQuery{Limit: opendata.MaxSearchLimit + 1}
	require.NoError(t, big.Normalize())
	assert.Equal(t, opendata.MaxSearchLimit, big.Limit, "a larger limit is cut")

	bad := opendata.SearchQuery{Limit: -1, Offset: -1, Sort: "x", FacetLimit: -1, Text: strings.Repeat("a", 1001),
		Filters: []opendata.Filter{{Facet: "x"}}, Facets: []opendata.Facet{"y"}}
	err := bad.Normalize()
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Path)
	}
	assert.Equal(t, []string{"sort", "limit", "offset", "facet_limit", "q", "filters[0].facet", "filters[0].values", "facets[0]"}, fields)

	for _, q := range []opendata.SearchQuery{
		{After: "!!"},
		{After: civickit.EncodeCursor(opendata.Cursor{Key: "k"}), Offset: 3},
		{Facets: []opendata.Facet{opendata.FacetTheme, opendata.FacetTheme}},
	} {
		err := q.Normalize()
		assert.ErrorIs(t, err, opendata.ErrInvalid, "%+v", q)
	}
}

func TestCompareDatasets(t *testing.T) {
	a := &opendata.Dataset{Identifier: "a", Title: opendata.Text{"": "Zèbre"}}
	b := &opendata.Dataset{Identifier: "b", Title: opendata.Text{"": "abeille"}}
	assert.Positive(t, opendata.CompareDatasets(a, b, opendata.SortTitle), "folded titles: abeille < zebre")
	assert.Negative(t, opendata.CompareDatasets(a, b, opendata.SortTitleDesc))
	assert.Negative(t, opendata.CompareDatasets(a, b, opendata.SortIdentifier))
	c := opendata.CursorOf(b, opendata.SortTitle)
	assert.True(t, c.Before(a, opendata.SortTitle))
	assert.False(t, c.Before(b, opendata.SortTitle), "strictly after")
}
