package opendata_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

func TestReadRDFXMLUdataFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/udata/*.xml")
	require.NoError(t, err)
	more, _ := filepath.Glob("testdata/udata/*.rdf")
	files = append(files, more...)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			assert.Equal(t, opendata.FormatRDFXML, opendata.DetectFormat("", b))
			res, err := opendata.ReadRDFXML(bytes.NewReader(b), opendata.ReadOptions{Base: "http://data.test.org/"})
			require.NoError(t, err)
			t.Logf("%d datasets, %d series, %d services, %d problems", len(res.Catalog.Datasets), len(res.Catalog.Series), len(res.Catalog.Services), len(res.Problems))
		})
	}
}

// udata keeps one CKAN catalogue (data.gouv.fr's tests, 2017) in three
// serialisations: the same graph must give the same datasets.
func TestRDFXMLAgreesWithTurtleAndJSONLD(t *testing.T) {
	read := func(name string, f func([]byte) (*opendata.ReadResult, error)) *opendata.ReadResult {
		b, err := os.ReadFile("testdata/udata/" + name)
		require.NoError(t, err)
		res, err := f(b)
		require.NoError(t, err, name)
		return res
	}
	x := read("ckan.rdf", func(b []byte) (*opendata.ReadResult, error) {
		return opendata.ReadRDFXML(bytes.NewReader(b), opendata.ReadOptions{})
	})
	tt := read("ckan.ttl", func(b []byte) (*opendata.ReadResult, error) {
		return opendata.ReadTurtle(bytes.NewReader(b), opendata.ReadOptions{})
	})
	j := read("ckan.jsonld", func(b []byte) (*opendata.ReadResult, error) {
		return opendata.ReadJSONLD(t.Context(), bytes.NewReader(b), opendata.ReadOptions{})
	})
	require.NotEmpty(t, x.Catalog.Datasets)
	t.Logf("ckan.rdf: %d datasets, %d problems", len(x.Catalog.Datasets), len(x.Problems))
	// Serialisations order statements differently: compare sets.
	byIRI := func(res *opendata.ReadResult) map[string]*opendata.Dataset {
		m := map[string]*opendata.Dataset{}
		for _, d := range res.Catalog.Datasets {
			for _, ws := range d.Keywords {
				slices.Sort(ws)
			}
			slices.SortFunc(d.Distributions, func(a, b opendata.Distribution) int { return strings.Compare(a.IRI, b.IRI) })
			slices.SortFunc(d.ContactPoints, func(a, b opendata.Contact) int { return strings.Compare(a.Name+a.Email, b.Name+b.Email) })
			m[d.IRI] = d
		}
		return m
	}
	xm, tm, jm := byIRI(x), byIRI(tt), byIRI(j)
	assert.Len(t, tm, len(xm))
	assert.Len(t, jm, len(xm))
	for k, d := range xm {
		assert.Equal(t, tm[k], d, "RDF/XML and Turtle differ on %s", k)
		assert.Equal(t, jm[k], d, "RDF/XML and JSON-LD differ on %s", k)
	}
}

func TestRDFXMLAndNTriplesRoundTrip(t *testing.T) {
	c := harvestCatalog()
	var x bytes.Buffer
	require.NoError(t, opendata.WriteRDFXML(&x, c))
	assert.Equal(t, opendata.FormatRDFXML, opendata.DetectFormat("application/rdf+xml", x.Bytes()))
	res, err := opendata.ReadRDFXML(bytes.NewReader(x.Bytes()), opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	assert.Equal(t, writtenForm(c), res.Catalog)

	var nt bytes.Buffer
	require.NoError(t, opendata.WriteNTriples(&nt, c))
	ntext := nt.String()
	res, err = opendata.ReadTurtle(&nt, opendata.ReadOptions{}) // N-Triples is Turtle
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	assert.Equal(t, writtenForm(c), res.Catalog)
	for _, line := range strings.Split(strings.TrimSpace(ntext), "\n") {
		assert.True(t, strings.HasSuffix(line, " ."), "%q", line)
	}

	// Paged and single-dataset forms.
	page, p, err := opendata.Paginate(c, 1, 1, func(n int) string { return "https://data.example.org/catalog.rdf?page=" + string(rune('0'+n)) })
	require.NoError(t, err)
	x.Reset()
	require.NoError(t, opendata.WritePagedRDFXML(&x, page, p))
	res, err = opendata.ReadRDFXML(&x, opendata.ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, p.Next, res.NextPage())
	x.Reset()
	require.NoError(t, opendata.WriteDatasetRDFXML(&x, c.Datasets[0]))
	res, err = opendata.ReadRDFXML(&x, opendata.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	assert.Equal(t, c.Datasets[0].Identifier, res.Catalog.Datasets[0].Identifier)
}

// The RDF/XML grammar beyond what the writers use.
func TestReadRDFXMLGrammar(t *testing.T) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- a comment -->
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#"
  xmlns:dct="http://purl.org/dc/terms/" xmlns:foaf="http://xmlns.com/foaf/0.1/" xml:base="https://portal.example/" xml:lang="fr">
  <dcat:Catalog rdf:about="catalog" dct:title="Catalogue">
    <dct:description>Donn` + "\xe9" + `es</dct:description>
    <dcat:dataset>
      <dcat:Dataset rdf:ID="budget" dct:identifier="budget">
        <dct:title xml:lang="en">Budget</dct:title>
        <dct:description rdf:parseType="Literal"><b>Primitive</b> budget</dct:description>
        <dct:publisher rdf:parseType="Resource">
          <rdf:type rdf:resource="http://xmlns.com/foaf/0.1/Organization"/>
          <foaf:name>Ville</foaf:name>
        </dct:publisher>
        <dcat:keyword>finances</dcat:keyword>
        <dct:issued rdf:datatype="http://www.w3.org/2001/XMLSchema#date">2024-01-15</dct:issued>
        <dcat:distribution rdf:nodeID="d1"/>
      </dcat:Dataset>
    </dcat:dataset>
  </dcat:Catalog>
  <rdf:Description rdf:nodeID="d1">
    <rdf:type rdf:resource="http://www.w3.org/ns/dcat#Distribution"/>
    <dcat:accessURL rdf:resource="files/budget.csv"/>
  </rdf:Description>
</rdf:RDF>`
	res, err := opendata.ReadRDFXML(strings.NewReader(doc), opendata.ReadOptions{})
	require.NoError(t, err)
	c := res.Catalog
	assert.Equal(t, "https://portal.example/catalog", c.IRI)
	assert.Equal(t, "Données", c.Description.Get("fr"), "ISO-8859-1 decoded")
	assert.Equal(t, "Catalogue", c.Title.Get("fr"), "a property attribute takes xml:lang")
	require.Len(t, c.Datasets, 1)
	d := c.Datasets[0]
	assert.Equal(t, "https://portal.example/#budget", d.IRI)
	assert.Equal(t, "budget", d.Identifier)
	assert.Equal(t, "Budget", d.Title.Get("en"))
	assert.Equal(t, "Ville", d.Publisher.Name.Get("fr"))
	assert.Equal(t, []string{"finances"}, d.Keywords["fr"])
	require.Len(t, d.Distributions, 1)
	assert.Equal(t, "https://portal.example/files/budget.csv", d.Distributions[0].AccessURL)
	assert.Equal(t, 2024, d.Issued.Year())

	bad := []struct{ doc, want string }{
		{`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><dcat:Dataset/></rdf:RDF>`, "not declared"},
		{`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>`, "EOF"},
		{`<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"/>`, "CSW"},
	}
	for _, b := range bad {
		_, err := opendata.ReadRDFXML(strings.NewReader(b.doc), opendata.ReadOptions{})
		var se *opendata.SyntaxError
		require.ErrorAs(t, err, &se, b.doc)
		assert.Contains(t, err.Error(), b.want)
	}
}

// The harvester says which format it read a document as, and why.
func TestHarvestNamesTheGuessedFormat(t *testing.T) {
	h := opendata.NewHarvester(opendata.HarvesterOptions{})
	_, err := h.HarvestDocument(t.Context(), &opendata.Fetched{MediaType: "application/rdf+xml", Body: []byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><x`)}, newRecordingTarget())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read as rdf/xml (guessed from the media type application/rdf+xml)")
	_, err = h.HarvestDocument(t.Context(), &opendata.Fetched{Body: []byte("@prefix x <y> .")}, newRecordingTarget())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read as turtle (guessed from the content)")
	for _, c := range []struct {
		body string
		want opendata.Format
	}{
		{`<http://x.example/d> a <http://www.w3.org/ns/dcat#Dataset> .`, opendata.FormatTurtle},
		{`<#d> a <http://www.w3.org/ns/dcat#Dataset> .`, opendata.FormatTurtle},
		{`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>`, opendata.FormatRDFXML},
		{"\ufeff<?xml version=\"1.0\"?><rdf:RDF/>", opendata.FormatRDFXML},
	} {
		assert.Equal(t, c.want, opendata.DetectFormat("", []byte(c.body)), c.body)
	}
}

// National DCAT-AP RDF/XML from Sweden (DIGG) and Germany (GovData): a
// telephone in vCard's own form (a node with vcard:hasValue) and a
// dct:format given as a media type literal are read, not refused.
func TestReadNationalRDFXML(t *testing.T) {
	b, err := os.ReadFile("testdata/harvest/dcat-ap-se-rekommenderat.rdf")
	require.NoError(t, err)
	res, err := opendata.ReadRDFXML(bytes.NewReader(b), opendata.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	d := res.Catalog.Datasets[0]
	require.Len(t, d.ContactPoints, 1)
	assert.Equal(t, "+46012345678", d.ContactPoints[0].Phone)
	require.Len(t, d.Distributions, 2)
	assert.Equal(t, opendata.MediaTypeCSV, d.Distributions[0].MediaType)
	assert.Equal(t, opendata.FileTypeCSV, d.Distributions[0].Format)
	assert.Equal(t, opendata.FileTypeJSON, d.Distributions[1].Format)
	for _, p := range res.Problems {
		assert.NotEqual(t, opendata.SeverityViolation, p.Severity, "%+v", p)
	}

	b, err = os.ReadFile("testdata/harvest/govdata-dcat_ap_de-RefImp_RDF_ADVANCED.rdf")
	require.NoError(t, err)
	res, err = opendata.ReadRDFXML(bytes.NewReader(b), opendata.ReadOptions{})
	require.NoError(t, err)
	var phones []string
	for _, d := range res.Catalog.Datasets {
		for _, c := range d.ContactPoints {
			if c.Phone != "" {
				phones = append(phones, c.Phone)
			}
		}
	}
	assert.NotEmpty(t, phones, "vcard:hasTelephone [ a vcard:Voice ; vcard:hasValue <tel:…> ]")
}
