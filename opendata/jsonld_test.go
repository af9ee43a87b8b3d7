package opendata_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

type jsonldDoc struct {
	Context map[string]string `json:"@context"`
	Graph   []map[string]any  `json:"@graph"`
}

func writeJSONLD(t testing.TB, c *opendata.Catalog) jsonldDoc {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, opendata.WriteJSONLD(&buf, c))
	var doc jsonldDoc
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc), buf.String())
	return doc
}

func nodeByID(doc jsonldDoc) map[string]map[string]any {
	m := make(map[string]map[string]any, len(doc.Graph))
	for _, n := range doc.Graph {
		m[n["@id"].(string)] = n
	}
	return m
}

func types(n map[string]any) []string {
	var out []string
	ts, _ := n["@type"].([]any)
	for _, t := range ts {
		out = append(out, t.(string))
	}
	return out
}

// Links whose objects are not resources with a DCAT-AP class.
var untypedLinks = map[string]bool{
	"foaf:mbox": true, "vcard:hasEmail": true, "vcard:hasTelephone": true, "vcard:hasURL": true,
	"oa:motivatedBy": true, "dqv:inDimension": true,
}

// TestJSONLDTypesEveryLinkedNode checks the property the SHACL range shapes
// need: every node a triple points to is described with an rdf:type.
func TestJSONLDTypesEveryLinkedNode(t *testing.T) {
	doc := writeJSONLD(t, fullCatalog(3))
	nodes := nodeByID(doc)
	links := 0
	for _, n := range doc.Graph {
		require.NotEmpty(t, types(n), "node %v has no @type", n["@id"])
		for k, v := range n {
			if strings.HasPrefix(k, "@") || untypedLinks[k] || strings.HasPrefix(k, "hydra:") {
				continue
			}
			for _, o := range v.([]any) {
				obj, ok := o.(map[string]any)
				if !ok {
					continue
				}
				id, ok := obj["@id"].(string)
				if !ok {
					continue
				}
				links++
				target, ok := nodes[id]
				if assert.True(t, ok, "%s %s -> %s is not described", n["@id"], k, id) {
					assert.NotEmpty(t, types(target), "%s has no type", id)
				}
			}
		}
	}
	assert.Greater(t, links, 100)
}

func TestJSONLDVocabularyConcepts(t *testing.T) {
	doc := writeJSONLD(t, fullCatalog(1))
	nodes := nodeByID(doc)
	for iri, scheme := range map[string]string{
		string(opendata.ThemeGovernment):        opendata.SchemeDataTheme,
		string(opendata.FrequencyAnnual):        opendata.SchemeFrequency,
		string(opendata.LanguageFrench):         opendata.SchemeLanguage,
		string(opendata.FileTypeCSV):            opendata.SchemeFileType,
		string(opendata.AccessPublic):           opendata.SchemeAccessRight,
		string(opendata.AvailabilityStable):     opendata.SchemeAvailability,
		string(opendata.StatusCompleted):        opendata.SchemeDistributionStatus,
		string(opendata.AgentLocalAuthority):    opendata.SchemePublisherType,
		string(opendata.LicenseTypeAttribution): opendata.SchemeLicenceType,
	} {
		n, ok := nodes[iri]
		require.True(t, ok, iri)
		assert.Contains(t, types(n), "skos:Concept", iri)
		assert.Equal(t, []any{map[string]any{"@id": scheme}}, n["skos:inScheme"], iri)
		assert.NotEmpty(t, n["skos:prefLabel"], iri)
		s, ok := nodes[scheme]
		require.True(t, ok, scheme)
		assert.Contains(t, types(s), "skos:ConceptScheme")
		assert.NotEmpty(t, s["dct:title"])
	}
	assert.Contains(t, types(nodes[string(opendata.LanguageFrench)]), "dct:LinguisticSystem")
	assert.Contains(t, types(nodes[string(opendata.FrequencyAnnual)]), "dct:Frequency")
	assert.Contains(t, types(nodes[string(opendata.FileTypeCSV)]), "dct:MediaTypeOrExtent")
}

func TestJSONLDDataset(t *testing.T) {
	c := fullCatalog(2)
	doc := writeJSONLD(t, c)
	nodes := nodeByID(doc)
	assert.Equal(t, map[string]string{"dcat": "http://www.w3.org/ns/dcat#"}["dcat"], doc.Context["dcat"])

	cat := nodes[c.IRI]
	assert.Equal(t, []string{"dcat:Catalog"}, types(cat))
	assert.Len(t, cat["dcat:dataset"], 3, "two datasets and the series")
	assert.Len(t, cat["dcat:service"], 1)

	d := nodes[c.Datasets[1].IRI]
	assert.Equal(t, []any{"ds-00001"}, d["dct:identifier"])
	assert.ElementsMatch(t, []any{
		map[string]any{"@value": "Jeu ds-00001", "@language": "fr"},
		map[string]any{"@value": "Dataset ds-00001", "@language": "en"},
	}, d["dct:title"])
	assert.Len(t, d["dcat:keyword"], 3)
	assert.Equal(t, []any{map[string]any{"@value": "2024-03-01", "@type": "xsd:date"}}, d["dct:issued"], "a UTC midnight is a date")
	assert.Equal(t, []any{map[string]any{"@id": c.Series[0].IRI}}, d["dcat:inSeries"])
	assert.Equal(t, []any{map[string]any{"@id": c.Datasets[0].IRI}}, d["dcat:prev"], "series members are chained by issue date")
	assert.Len(t, d["dcat:distribution"], 2)

	full := nodes[fullDataset(0).IRI+"#distribution-1"]
	require.NotNil(t, full, "distributions without IRI get one")
	assert.Equal(t, []any{map[string]any{"@value": "1234", "@type": "xsd:nonNegativeInteger"}}, full["dcat:byteSize"])

	series := nodes[c.Series[0].IRI]
	assert.ElementsMatch(t, []string{"dcat:DatasetSeries", "dcat:Dataset"}, types(series))
	assert.Equal(t, []any{map[string]any{"@id": c.Datasets[0].IRI}}, series["dcat:first"])
	assert.Equal(t, []any{map[string]any{"@id": c.Datasets[1].IRI}}, series["dcat:last"])
}

func TestDatasetWritersAlone(t *testing.T) {
	d := fullDataset(7)
	var ld, ttl bytes.Buffer
	require.NoError(t, opendata.WriteDatasetJSONLD(&ld, d))
	require.NoError(t, opendata.WriteDatasetTurtle(&ttl, d))
	assert.True(t, json.Valid(ld.Bytes()))
	assert.Contains(t, ld.String(), `"@id": "`+d.IRI+`", "@type": ["dcat:Dataset"]`)
	assert.Contains(t, ttl.String(), "<"+d.IRI+">\n    a dcat:Dataset ;")
}
