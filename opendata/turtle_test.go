package opendata_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

func TestTurtle(t *testing.T) {
	c := fullCatalog(3)
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteTurtle(&buf, c))
	out := buf.String()
	for _, want := range []string{
		"@prefix dcat: <http://www.w3.org/ns/dcat#> .",
		"<" + c.IRI + ">\n    a dcat:Catalog ;",
		`dct:title "Dataset ds-00001"@en, "Jeu ds-00001"@fr`,
		`dct:issued "2023-03-01"^^xsd:date`,
		`dct:modified "2024-03-02T10:30:00Z"^^xsd:dateTime`,
		`dcat:byteSize "1234"^^xsd:nonNegativeInteger`,
		`dcat:spatialResolutionInMeters "100.0"^^xsd:decimal`,
		`dcat:temporalResolution "P1D"^^xsd:duration`,
		`spdx:checksumValue "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"^^xsd:hexBinary`,
		`dcat:centroid "POINT(2.2 46.6)"^^gsp:wktLiteral`,
		`vcard:hasEmail <mailto:data@testville.example>`,
		`vcard:hasTelephone <tel:+33100000000>`,
		`skos:notation "other-ds-00000"^^<https://ids.example.org/>`,
		`csvw:primaryKey "project"`,
		`a csvw:Dialect ;
    csvw:delimiter ";"`,
		`adms:schemaAgency "Example registry" ;
    dct:issued "2024-01-05"^^xsd:date`,
		"<" + string(opendata.ThemeGovernment) + ">\n    a skos:Concept ;",
		`skos:inScheme <` + opendata.SchemeDataTheme + `>`,
	} {
		assert.Contains(t, out, want)
	}
}

func TestTurtleEscaping(t *testing.T) {
	d := fullDataset(1)
	d.Title = opendata.Text{"en": "a \"quoted\" \\ title\nwith\ttabs\r and \x01 control, é and \xff invalid"}
	d.LandingPage = "https://example.org/a b<c>"
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteDatasetTurtle(&buf, d))
	out := buf.String()
	assert.Contains(t, out, `"a \"quoted\" \\ title\nwith\ttabs\r and \u0001 control, é and \uFFFD invalid"@en`)
	assert.Contains(t, out, `<https://example.org/a\u0020b\u003Cc\u003E>`)
	for _, line := range strings.Split(out, "\n") {
		unescaped := strings.Count(line, `"`) - strings.Count(line, `\"`)
		assert.Zero(t, unescaped%2, "unbalanced quotes: %s", line)
	}
}

func TestPrefixedNames(t *testing.T) {
	d := fullDataset(1)
	d.Themes = []opendata.Theme{opendata.ThemeProvisional} // OP_DATPRO: a plain local name
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteDatasetTurtle(&buf, d))
	// Vocabulary IRIs are not in a declared namespace: full IRIs.
	assert.Contains(t, buf.String(), "dcat:theme <"+string(opendata.ThemeProvisional)+">")
	// Namespaced IRIs with a plain local part are prefixed names.
	assert.Contains(t, buf.String(), "vcard:street-address \"1 rue de la Mairie\"")
	assert.Contains(t, buf.String(), "oa:motivatedBy dqv:qualityAssessment")
}
