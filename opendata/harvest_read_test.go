package opendata_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// exampleContextURL is the remote context the DCAT-AP JSON-LD example names.
const exampleContextURL = "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "harvest", name))
	require.NoError(t, err)
	return b
}

func fixtureContexts(t testing.TB) map[string][]byte {
	return map[string][]byte{exampleContextURL: readFixture(t, "context.jsonld")}
}

// problemSet renders problems as "field rule param" for set comparisons.
func problemSet(ps []opendata.Finding) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Path + " " + p.Rule + " " + p.Param
	}
	return out
}

// The DCAT-AP 3.0.1 example dataset, in Turtle and in JSON-LD with its
// context, reads to the same dataset.
func TestReadDCATAPExamples(t *testing.T) {
	want := &opendata.Dataset{
		IRI:         "https://data.gov.gr/id/dataset/BeePopulation",
		Title:       opendata.Text{"en": "Bee population"},
		Description: opendata.Text{"en": "A dataset about bee population in Greece"},
		Publisher:   &opendata.Agent{IRI: "https://agencies.gov.gr/id/GreekEnvironmentAgency"},
	}
	ttl, err := opendata.ReadTurtle(bytes.NewReader(readFixture(t, "example-bee-population.ttl")), opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, ttl.Problems)
	require.Len(t, ttl.Catalog.Datasets, 1)
	assert.Equal(t, want, ttl.Catalog.Datasets[0])

	ld, err := opendata.ReadJSONLD(context.Background(), bytes.NewReader(readFixture(t, "example-bee-population.jsonld")),
		opendata.ReadOptions{Contexts: fixtureContexts(t)})
	require.NoError(t, err)
	assert.Empty(t, ld.Problems)
	require.Len(t, ld.Catalog.Datasets, 1)
	assert.Equal(t, want, ld.Catalog.Datasets[0])

	// Without its context the JSON-LD cannot be read, and says why.
	_, err = opendata.ReadJSONLD(context.Background(), bytes.NewReader(readFixture(t, "example-bee-population.jsonld")), opendata.ReadOptions{})
	require.ErrorIs(t, err, opendata.ErrInvalid)
	assert.Contains(t, err.Error(), exampleContextURL)
}

func TestReadDCATAPSeriesExample(t *testing.T) {
	res, err := opendata.ReadTurtle(bytes.NewReader(readFixture(t, "example-bee-population-dataset-series.ttl")), opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	require.Len(t, res.Catalog.Series, 1)
	assert.Equal(t, "https://data.gov.gr/id/datasetseries/BeePopulation", res.Catalog.Series[0].IRI)
	assert.Equal(t, opendata.Text{"en": "Bee population"}, res.Catalog.Series[0].Title)
	require.Len(t, res.Catalog.Datasets, 2)
	for i, iri := range []string{"https://data.gov.gr/id/dataset/BeePopulation2022", "https://data.gov.gr/id/dataset/BeePopulation2023"} {
		assert.Equal(t, iri, res.Catalog.Datasets[i].IRI)
		assert.Equal(t, []string{res.Catalog.Series[0].IRI}, res.Catalog.Datasets[i].InSeries)
	}
}

// The series-with-API example is not valid Turtle: a prefixed name cannot
// hold '/' ("example-dist:BeePopulation2023/biojson"). The reader refuses it
// and names the place.
func TestReadDCATAPSeriesAPIExampleIsMalformed(t *testing.T) {
	_, err := opendata.ReadTurtle(bytes.NewReader(readFixture(t, "example-bee-population-dataset-series-api.ttl")), opendata.ReadOptions{})
	var se *opendata.SyntaxError
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, opendata.ErrInvalid)
	assert.Equal(t, 20, se.Line)
	assert.Equal(t, 31, se.Column) // the '/' after "BeePopulation2023"
}

func TestReadPODExamples(t *testing.T) {
	res, err := opendata.ReadDataJSON(bytes.NewReader(readFixture(t, "catalog-sample-extended.json")), opendata.ReadOptions{})
	require.NoError(t, err)
	c := res.Catalog
	assert.Equal(t, "http://www.agency.gov/data.json", c.IRI)
	require.Len(t, c.Datasets, 3)
	d := c.Datasets[0]
	assert.Equal(t, "http://dx.doi.org/10.7927/H4PZ56R2", d.Identifier)
	assert.Equal(t, d.Identifier, d.IRI)
	// "language": ["en-US"] gives the texts their language.
	assert.Equal(t, opendata.Text{"en": "U.S. Widget Manufacturing Statistics"}, d.Title)
	assert.Equal(t, []opendata.Language{opendata.LanguageEnglish}, d.Languages)
	assert.Equal(t, opendata.Keywords{"en": {"widget", "manufacturing", "factory"}}, d.Keywords)
	assert.Equal(t, opendata.Text{"en": "Widget Services"}, d.Publisher.Name)
	assert.Equal(t, opendata.AccessPublic, d.AccessRights)
	assert.Equal(t, opendata.FrequencyAnnual, d.AccrualPeriodicity)
	assert.Equal(t, time.Date(2011, 11, 19, 12, 0, 0, 0, time.UTC), d.Modified)
	assert.Equal(t, time.Date(2011, 11, 22, 0, 0, 0, 0, time.UTC), d.Issued)
	assert.Equal(t, []opendata.PeriodOfTime{{Start: time.Date(2009, 9, 1, 12, 0, 0, 0, time.UTC), End: time.Date(2010, 5, 31, 12, 0, 0, 0, time.UTC)}}, d.Temporal)
	assert.Equal(t, []opendata.Location{{Label: opendata.Text{"en": "United States"}}}, d.Spatial)
	assert.Equal(t, []opendata.Standard{{IRI: "http://www.agency.gov/widget-taxonomy/"}}, d.ConformsTo)
	assert.Equal(t, "http://agency.gov/widgets/data", d.LandingPage)
	assert.Equal(t, []string{"http://www.agency.gov/datasets/widgets-dictionary.html", "http://agency.gov/docs/widgets-1.html", "http://agency.gov/docs/widgets-2.html"}, d.Documentation)
	require.Len(t, d.Distributions, 4)
	csv := d.Distributions[0]
	assert.Equal(t, opendata.FileTypeCSV, csv.Format)
	assert.Equal(t, opendata.MediaTypeCSV, csv.MediaType)
	assert.Equal(t, csv.DownloadURL, csv.AccessURL, "accessURL is mandatory in DCAT-AP: the download URL stands in")
	// The CC0 deed is recognised as the EU CC0 licence; rights go with it.
	assert.Equal(t, opendata.LicenseCC0, csv.License.IRI)
	assert.Equal(t, opendata.Text{"en": "This dataset has been given an international public domain dedication for worldwide reuse"}, csv.Rights.Label)
	assert.Equal(t, "https://data.agency.gov/api/widgets-statistics/", d.Distributions[3].AccessURL)

	// Everything data.json says that DCAT-AP cannot hold is reported, with
	// its place.
	got := problemSet(res.Problems)
	for _, want := range []string{
		"datasets[0] unknown bureauCode",
		"datasets[0] unknown programCode",
		"datasets[0] unknown dataQuality",
		"datasets[0] unknown primaryITInvestmentUII",
		"datasets[0] unknown systemOfRecords",
		"datasets[0].publisher unknown subOrganizationOf",
		"datasets[0].distributions[1].format vocabulary not an EU file type: Zipped CSV",
		"datasets[0].distributions[2] unknown describedByType",
		"datasets[0].distributions[3].format vocabulary not an EU file type: API",
		"datasets[0].theme[0] vocabulary not an EU data theme, kept as a keyword: manufacturing",
		"datasets[2].isPartOf unknown no dataset with identifier widget-modulators",
	} {
		assert.Contains(t, got, want)
	}

	res, err = opendata.ReadDataJSON(bytes.NewReader(readFixture(t, "catalog-sample.json")), opendata.ReadOptions{Language: "en"})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 3)
	assert.Equal(t, opendata.Text{"en": "U.S. Widget Manufacturing Statistics"}, res.Catalog.Datasets[0].Title)
}

// A catalogue written as data.json reads back with what data.json can
// carry.
func TestReadDataJSONRoundTrip(t *testing.T) {
	c := harvestCatalog()
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteDataJSON(&buf, c, opendata.DataJSONOptions{Language: "fr"}))
	res, err := opendata.ReadDataJSON(&buf, opendata.ReadOptions{Language: "fr", Base: "https://data.example.org/data.json"})
	require.NoError(t, err)
	// The series is written as a dataset with the catalogue's licence and
	// no distribution: DCAT-AP has no place for that licence.
	assert.Equal(t, []string{"datasets[0].license unknown license: no distribution to carry it"}, problemSet(res.Problems))
	require.Len(t, res.Catalog.Datasets, len(c.Datasets))
	require.Len(t, res.Catalog.Series, 1)
	s := res.Catalog.Series[0]
	assert.Equal(t, c.Series[0].Identifier, s.Identifier)
	assert.Equal(t, c.Series[0].IRI, s.IRI)
	assert.Equal(t, opendata.Text{"fr": c.Series[0].Title["fr"]}, s.Title)
	for i, want := range c.Datasets {
		got := res.Catalog.Datasets[i]
		assert.Equal(t, want.Identifier, got.Identifier)
		assert.Equal(t, "https://data.example.org/data.json#"+want.Identifier, got.IRI)
		assert.Equal(t, opendata.Text{"fr": want.Title["fr"]}, got.Title)
		assert.Equal(t, opendata.Text{"fr": want.Description["fr"]}, got.Description)
		assert.Equal(t, want.Issued, got.Issued)
		assert.Equal(t, want.InSeries, got.InSeries)
		assert.Equal(t, want.Languages, got.Languages)
		assert.Equal(t, want.Themes, got.Themes)
		assert.Equal(t, want.LandingPage, got.LandingPage)
		assert.Equal(t, want.AccrualPeriodicity, got.AccrualPeriodicity)
		assert.Equal(t, want.Temporal, got.Temporal)
		require.Len(t, got.Distributions, len(want.Distributions))
		for j, wd := range want.Distributions {
			gd := got.Distributions[j]
			assert.Equal(t, wd.Format, gd.Format)
			assert.Equal(t, wd.DownloadURL, gd.DownloadURL)
			if wd.DownloadURL == "" {
				assert.Equal(t, wd.AccessURL, gd.AccessURL)
			}
			if wd.MediaType != "" {
				assert.Equal(t, wd.MediaType, gd.MediaType)
			}
		}
	}
	d := res.Catalog.Datasets[0]
	assert.Equal(t, opendata.Keywords{"fr": {"budget", "finances"}}, d.Keywords)
	assert.Equal(t, c.Datasets[0].Modified, d.Modified)
	assert.Equal(t, opendata.Text{"fr": "Ville d'Exemple"}, d.Publisher.Name)
	assert.Equal(t, []opendata.Contact{{Name: "Service des données", Email: "donnees@example.org"}}, d.ContactPoints)
	assert.Equal(t, opendata.LicenseEtalab20, d.Distributions[0].License.IRI)
}

// Unknown and malformed statements are reported where they are, never
// dropped; what can be mapped still is.
func TestReadTurtleReportsUnknownAndMalformed(t *testing.T) {
	const doc = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.org/catalog> a dcat:Catalog ;
    dct:title "Catalogue"@fr ;
    ex:colour "blue" ;
    dcat:dataset <https://example.org/d/1> .

<https://example.org/d/1> a dcat:Dataset, ex:Thing ;
    dct:identifier "d1" ;
    dct:title "Un"@fr, "Autre"@fr ;
    dct:issued "last tuesday" ;
    dct:license "CC-BY" ;
    dct:accrualPeriodicity "yearly" ;
    dcat:landingPage "https://example.org/page" ;
    ex:weight 12 ;
    dcat:distribution [ a dcat:Distribution ;
        dcat:accessURL <https://example.org/d/1.csv> ;
        dcat:byteSize "many" ;
        ex:secret "x" ] .

<https://example.org/orphan> ex:p "o" .
`
	res, err := opendata.ReadTurtle(strings.NewReader(doc), opendata.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	d := res.Catalog.Datasets[0]
	assert.Equal(t, "d1", d.Identifier)
	assert.Equal(t, opendata.Text{"fr": "Un"}, d.Title)
	assert.Equal(t, "https://example.org/page", d.LandingPage)
	require.Len(t, d.Distributions, 1)
	assert.Equal(t, "https://example.org/d/1.csv", d.Distributions[0].AccessURL)
	assert.ElementsMatch(t, []string{
		"catalog unknown https://example.org/ns#colour",
		"datasets[0] unknown rdf:type https://example.org/ns#Thing",
		"datasets[0] unknown https://example.org/ns#weight",
		"datasets[0].title maxCount dct:title@fr",
		"datasets[0].issued format dct:issued: not an xsd:date or xsd:dateTime: last tuesday",
		"datasets[0].license format dct:license: IRI expected", // a dataset-level licence is read, and must be an IRI
		"datasets[0].accrual_periodicity format dct:accrualPeriodicity: IRI expected",
		"datasets[0].landing_page format dcat:landingPage: literal where an IRI is expected",
		"datasets[0].distributions[0].byte_size format dcat:byteSize: not a non-negative integer: many",
		"datasets[0].distributions[0] unknown https://example.org/ns#secret",
		"<https://example.org/orphan> (line 24) unknown https://example.org/ns#p",
	}, problemSet(res.Problems))
}

func TestReadJSONLDReportsUndefinedTerms(t *testing.T) {
	const doc = `{
  "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
               "title": {"@id": "dct:title", "@container": "@language"}},
  "@graph": [{
    "@id": "https://example.org/d/1", "@type": "dcat:Dataset",
    "dct:identifier": "d1",
    "title": {"en": "One"},
    "colour": "blue",
    "dct:issued": {"@value": "2024-13-45", "@type": "http://www.w3.org/2001/XMLSchema#date"}
  }, {
    "@id": "https://example.org/orphan", "dct:title": "Not linked"
  }]
}`
	res, err := opendata.ReadJSONLD(context.Background(), strings.NewReader(doc), opendata.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	assert.Equal(t, opendata.Text{"en": "One"}, res.Catalog.Datasets[0].Title)
	assert.ElementsMatch(t, []string{
		"datasets[0] unknown undefined term colour",
		"datasets[0].issued format dct:issued: not an xsd:date or xsd:dateTime: 2024-13-45",
		"<https://example.org/orphan> (/@graph/1) unknown dct:title",
	}, problemSet(res.Problems))
}

func TestReadersRefuseMalformedDocuments(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, format, doc string
		line, col         int
	}{
		{"turtle unterminated string", "turtle", "<a:s> <a:p> \"abc", 1, 17},
		{"turtle undeclared prefix", "turtle", "<a:s> <a:p> <a:o> .\nex:s <a:p> <a:o> .", 2, 1},
		{"turtle missing dot", "turtle", "<a:s> <a:p> <a:o>", 1, 18},
		{"turtle bad escape", "turtle", `<a:s> <a:p> "\q" .`, 1, 14},
		{"turtle space in IRI", "turtle", "<a:s> <a:p> <a b> .", 1, 15},
		{"turtle escaped space in IRI", "turtle", `<a:s> <a:p> <a\u0020b> .`, 0, 0},
		{"turtle deep nesting", "turtle", "<a:s> <a:p> " + strings.Repeat("[ <a:p> ", 300), 1, 1},
		{"json-ld not json", "json-ld", "{\n  \"@id\": ", 0, 0},
		{"json-ld scalar", "json-ld", "42", 0, 0},
		{"json-ld bad context", "json-ld", `{"@context": 5, "@id": "x"}`, 0, 0},
		{"data.json array", "data.json", "[]", 0, 0},
		{"data.json truncated", "data.json", "{\"dataset\": [", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			switch tc.format {
			case "turtle":
				_, err = opendata.ReadTurtle(strings.NewReader(tc.doc), opendata.ReadOptions{})
			case "json-ld":
				_, err = opendata.ReadJSONLD(ctx, strings.NewReader(tc.doc), opendata.ReadOptions{})
			default:
				_, err = opendata.ReadDataJSON(strings.NewReader(tc.doc), opendata.ReadOptions{})
			}
			require.ErrorIs(t, err, opendata.ErrInvalid)
			var se *opendata.SyntaxError
			require.True(t, errors.As(err, &se), "%T %v", err, err)
			assert.Equal(t, tc.format, se.Format)
			if tc.line > 0 && tc.name != "turtle deep nesting" {
				assert.Equal(t, tc.line, se.Line, err.Error())
				assert.Equal(t, tc.col, se.Column, err.Error())
			}
		})
	}
}

func TestReadOptionsMaxBytes(t *testing.T) {
	_, err := opendata.ReadTurtle(strings.NewReader("<a:s> <a:p> <a:o> ."), opendata.ReadOptions{MaxBytes: 5})
	require.ErrorIs(t, err, opendata.ErrInvalid)
}

func TestReadTurtleResolvesAgainstBase(t *testing.T) {
	const doc = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
<d/1> a dcat:Dataset ; dcat:landingPage <../page#top> .`
	res, err := opendata.ReadTurtle(strings.NewReader(doc), opendata.ReadOptions{Base: "https://example.org/cat/catalog.ttl"})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	assert.Equal(t, "https://example.org/cat/d/1", res.Catalog.Datasets[0].IRI)
	assert.Equal(t, "https://example.org/page#top", res.Catalog.Datasets[0].LandingPage)
}

// Relative IRIs in a document read without a base are kept as they are
// (JSON-LD processing would drop their statements) and reported.
func TestReadRelativeIRIsWithoutBase(t *testing.T) {
	const ttl = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<d/1> a dcat:Dataset ; dct:identifier "x" ; dcat:landingPage <page> .`
	const jsonld = `{"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
  "@id": "d/1", "@type": "dcat:Dataset", "dct:identifier": "x", "dcat:landingPage": {"@id": "page"}}`
	ttlRes, err := opendata.ReadTurtle(strings.NewReader(ttl), opendata.ReadOptions{})
	require.NoError(t, err)
	ldRes, err := opendata.ReadJSONLD(context.Background(), strings.NewReader(jsonld), opendata.ReadOptions{})
	require.NoError(t, err)
	for _, res := range []*opendata.ReadResult{ttlRes, ldRes} {
		require.Len(t, res.Catalog.Datasets, 1)
		assert.Equal(t, "d/1", res.Catalog.Datasets[0].IRI)
		assert.Equal(t, "page", res.Catalog.Datasets[0].LandingPage)
		assert.Equal(t, []string{
			"<d/1> format relative IRI without a base",
			"<page> format relative IRI without a base",
		}, problemSet(res.Problems))
	}
}

// A page linked from the catalogue with hydra:view (the DCAT-AP 3 form)
// is read like one that stands alone.
func TestReadHydraView(t *testing.T) {
	const doc = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<https://example.org/catalog> a dcat:Catalog ; hydra:view <https://example.org/catalog?page=2> .
<https://example.org/catalog?page=2> a hydra:PartialCollectionView ;
    hydra:first <https://example.org/catalog?page=1> ;
    hydra:previous <https://example.org/catalog?page=1> ;
    hydra:next <https://example.org/catalog?page=3> ;
    hydra:last <https://example.org/catalog?page=9> ;
    hydra:totalItems 90 ; hydra:itemsPerPage 10 .`
	res, err := opendata.ReadTurtle(strings.NewReader(doc), opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	assert.Equal(t, &opendata.Page{
		IRI:      "https://example.org/catalog?page=2",
		First:    "https://example.org/catalog?page=1",
		Previous: "https://example.org/catalog?page=1",
		Next:     "https://example.org/catalog?page=3",
		Last:     "https://example.org/catalog?page=9", TotalItems: 90, ItemsPerPage: 10,
	}, res.Page)
	assert.Equal(t, "https://example.org/catalog?page=3", res.NextPage())
}

func TestReadJSONLDContextLoading(t *testing.T) {
	ctx := context.Background()
	doc := `{"@context": "https://example.org/ctx.jsonld", "@id": "https://example.org/d", "@type": "Dataset", "title": "T"}`
	loads := 0
	opts := opendata.ReadOptions{LoadContext: func(_ context.Context, u string) ([]byte, error) {
		loads++
		if u != "https://example.org/ctx.jsonld" {
			return nil, errors.New("unexpected " + u)
		}
		return []byte(`{"@context": {"Dataset": "http://www.w3.org/ns/dcat#Dataset", "title": "http://purl.org/dc/terms/title"}}`), nil
	}}
	res, err := opendata.ReadJSONLD(ctx, strings.NewReader(doc), opts)
	require.NoError(t, err)
	assert.Equal(t, 1, loads)
	require.Len(t, res.Catalog.Datasets, 1)
	assert.Equal(t, opendata.Text{"": "T"}, res.Catalog.Datasets[0].Title)

	// A relative context URL without a base is not fetched.
	_, err = opendata.ReadJSONLD(ctx, strings.NewReader(`{"@context": "ctx.jsonld", "@id": "https://example.org/d"}`), opts)
	require.ErrorIs(t, err, opendata.ErrInvalid)
	assert.Equal(t, 1, loads)

	// A failing loader is an error naming the context.
	opts.LoadContext = func(context.Context, string) ([]byte, error) { return nil, errors.New("unreachable") }
	_, err = opendata.ReadJSONLD(ctx, strings.NewReader(doc), opts)
	require.ErrorIs(t, err, opendata.ErrInvalid)
	assert.Contains(t, err.Error(), "unreachable")
}

func TestReadDataJSONSpatial(t *testing.T) {
	for _, tc := range []struct {
		spatial string
		want    opendata.Location
	}{
		{"-119.5,33,-117,35.25", opendata.Location{BBox: "POLYGON((-119.5 33,-117 33,-117 35.25,-119.5 35.25,-119.5 33))"}},
		{"https://sws.geonames.org/2988507/", opendata.Location{IRI: "https://sws.geonames.org/2988507/"}},
		{"POINT(2.35 48.85)", opendata.Location{Geometry: "POINT(2.35 48.85)"}},
		{"Paris, Île-de-France", opendata.Location{Label: opendata.Text{"fr": "Paris, Île-de-France"}}},
		{"1,2,3", opendata.Location{Label: opendata.Text{"fr": "1,2,3"}}},
		{"10,50,5,60", opendata.Location{Label: opendata.Text{"fr": "10,50,5,60"}}}, // west > east: not a box
	} {
		doc := `{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [{"identifier": "x", "spatial": ` + strconv.Quote(tc.spatial) + `}]}`
		res, err := opendata.ReadDataJSON(strings.NewReader(doc), opendata.ReadOptions{Language: "fr"})
		require.NoError(t, err)
		assert.Equal(t, []opendata.Location{tc.want}, res.Catalog.Datasets[0].Spatial, tc.spatial)
	}
}

func TestReadDataJSONFormats(t *testing.T) {
	for _, tc := range []struct {
		format string
		want   opendata.FileType
		warn   bool
	}{
		{"CSV", opendata.FileTypeCSV, false},
		{"csv", opendata.FileTypeCSV, false},
		{"GeoJSON", opendata.FileTypeGeoJSON, false},
		{"http://publications.europa.eu/resource/authority/file-type/PARQUET", "http://publications.europa.eu/resource/authority/file-type/PARQUET", false},
		{"Zipped CSV", "", true},
	} {
		doc := `{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [{"identifier": "x", "distribution": [{"accessURL": "https://e.org/", "format": ` + strconv.Quote(tc.format) + `}]}]}`
		res, err := opendata.ReadDataJSON(strings.NewReader(doc), opendata.ReadOptions{})
		require.NoError(t, err)
		assert.Equal(t, tc.want, res.Catalog.Datasets[0].Distributions[0].Format, tc.format)
		assert.Equal(t, tc.warn, len(res.Problems) > 0, "%s: %v", tc.format, res.Problems)
	}
}
