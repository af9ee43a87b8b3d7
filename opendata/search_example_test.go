package opendata_test

import (
	"fmt"

	"github.com/civickit/civickit/opendata"
)

// A query's meaning is defined without a database: Match is what every
// store implements. Words are folded (case, accents) and each must prefix
// a word of the title, description or keywords; filters are exact.
func ExampleSearchQuery_Match() {
	d := &opendata.Dataset{
		Identifier: "qualite-air-2025",
		Title:      opendata.Text{"fr": "Qualité de l'air — Lyon 2025"},
		Keywords:   opendata.Keywords{"fr": {"pollution"}},
		Themes:     []opendata.Theme{opendata.ThemeEnvironment},
		Publisher:  &opendata.Agent{Name: opendata.Text{"fr": "Ville de Lyon"}},
	}
	for _, q := range []opendata.SearchQuery{
		{Text: "QUALITE air"},
		{Text: "pollu"},
		{Text: "ualite"},
		{Filters: []opendata.Filter{{Facet: opendata.FacetPublisher, Values: []string{"ville-de-lyon"}}}},
		{Filters: []opendata.Filter{{Facet: opendata.FacetTheme, Values: []string{string(opendata.ThemeEnvironment)}, Exclude: true}}},
	} {
		fmt.Println(q.Match(d))
	}
	// Output:
	// true
	// true
	// false
	// true
	// false
}

// Facet values are what stores index, filter on and count.
func ExampleFacetValues() {
	d := &opendata.Dataset{
		Themes:    []opendata.Theme{opendata.ThemeTransport},
		Publisher: &opendata.Agent{Name: opendata.Text{"fr": "Nantes Métropole"}},
		Distributions: []opendata.Distribution{
			{Format: opendata.FileTypeCSV, License: opendata.DefaultLicense()},
			{Format: opendata.FileTypeGeoJSON, License: opendata.DefaultLicense()},
		},
		Keywords: opendata.Keywords{"fr": {"vélo"}, "en": {"cycling"}},
	}
	v := opendata.FacetValues(d)
	for _, f := range opendata.AllFacets() {
		fmt.Println(f, v[f])
	}
	// Output:
	// theme [http://publications.europa.eu/resource/authority/data-theme/TRAN]
	// publisher [nantes-metropole]
	// license [https://www.etalab.gouv.fr/licence-ouverte-open-licence/]
	// format [http://publications.europa.eu/resource/authority/file-type/CSV http://publications.europa.eu/resource/authority/file-type/GEOJSON]
	// keyword [cycling vélo]
}

// Cursors are opaque strings for clients; a malformed one is refused
// before any store is asked.
func ExampleSearchQuery_Normalize() {
	q := opendata.SearchQuery{After: "not a cursor!"}
	fmt.Println(q.Normalize())
	q = opendata.SearchQuery{Text: "vélo"}
	fmt.Println(q.Normalize(), q.Sort, q.Limit)
	// Output:
	// invalid input: after: cursor
	// <nil> -modified 50
}
