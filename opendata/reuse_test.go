package opendata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// Every reuse is written twice in RDF: a described dct:isReferencedBy
// node and a dcat:qualifiedRelation of role ReuseRole; reading takes
// them back as one reuse, in every RDF form.
func TestReusesAsQualifiedRelations(t *testing.T) {
	c := harvestCatalog()
	d := c.Datasets[0]
	require.Len(t, d.Reuses, 2)

	var nt bytes.Buffer
	require.NoError(t, opendata.WriteNTriples(&nt, c))
	text := nt.String()
	for _, u := range d.Reuses {
		assert.Contains(t, text, "<http://purl.org/dc/terms/relation> <"+u.URL+"> .")
	}
	assert.Equal(t, 3, strings.Count(text, "<http://www.w3.org/ns/dcat#qualifiedRelation>"), "2 reuses + 1 other relation")
	assert.Equal(t, 2, strings.Count(text, "<http://www.w3.org/ns/dcat#hadRole> <"+opendata.ReuseRole+"> ."))
	assert.Contains(t, text, "<"+opendata.ReuseRole+"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Role> .")

	read := map[string]func([]byte) (*opendata.ReadResult, error){
		"turtle": func(b []byte) (*opendata.ReadResult, error) {
			return opendata.ReadTurtle(bytes.NewReader(b), opendata.ReadOptions{})
		},
		"rdf/xml": func(b []byte) (*opendata.ReadResult, error) {
			return opendata.ReadRDFXML(bytes.NewReader(b), opendata.ReadOptions{})
		},
		"json-ld": func(b []byte) (*opendata.ReadResult, error) {
			return opendata.ReadJSONLD(context.Background(), bytes.NewReader(b), opendata.ReadOptions{})
		},
	}
	write := map[string]func(*bytes.Buffer) error{
		"turtle":  func(b *bytes.Buffer) error { return opendata.WriteTurtle(b, c) },
		"rdf/xml": func(b *bytes.Buffer) error { return opendata.WriteRDFXML(b, c) },
		"json-ld": func(b *bytes.Buffer) error { return opendata.WriteJSONLD(b, c) },
	}
	for name, w := range write {
		var b bytes.Buffer
		require.NoError(t, w(&b), name)
		res, err := read[name](b.Bytes())
		require.NoError(t, err, name)
		assert.Empty(t, res.Problems, name)
		got := res.Catalog.Datasets[0]
		assert.Equal(t, d.Reuses, got.Reuses, name)
		assert.Equal(t, d.QualifiedRelations, got.QualifiedRelations, name)
	}
}

// What other portals may write: a reuse given only as a qualified
// relation, a relationship of another role, one without a role.
func TestReadQualifiedRelations(t *testing.T) {
	const ttl = `@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://p.example/d/1> a dcat:Dataset ;
  dct:identifier "1" ; dct:title "T" ; dct:description "D" ;
  dcat:qualifiedRelation [ a dcat:Relationship ; dct:relation <https://app.example/carte> ; dcat:hadRole dct:isReferencedBy ] ,
    [ a dcat:Relationship ; dct:relation <https://p.example/d/0> ; dcat:hadRole <http://www.iana.org/assignments/relation/original> ] ,
    [ a dcat:Relationship ; dct:relation <https://p.example/d/2> ] ,
    [ a dcat:Relationship ; dcat:hadRole <http://www.iana.org/assignments/relation/related> ] .
`
	res, err := opendata.ReadTurtle(strings.NewReader(ttl), opendata.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	d := res.Catalog.Datasets[0]
	assert.Equal(t, []opendata.Reuse{{URL: "https://app.example/carte"}}, d.Reuses)
	assert.Equal(t, []opendata.Relationship{{Relation: "https://p.example/d/0", Role: "http://www.iana.org/assignments/relation/original"}}, d.QualifiedRelations)
	assert.Equal(t, []string{"https://p.example/d/2"}, d.Related, "a relationship without role is kept as a plain relation")
	var rules []string
	for _, p := range res.Problems {
		if strings.Contains(p.Path, "qualified_relations") {
			rules = append(rules, p.Path+" "+p.Rule+" "+p.Param)
		}
	}
	assert.ElementsMatch(t, []string{
		"datasets[0].qualified_relations[2].role mandatory dcat:hadRole",
		"datasets[0].qualified_relations[3].relation mandatory dct:relation",
	}, rules)
}

// data.json has no reuse: their URLs go to "references"; CKAN gets
// ckanext-dcat's extras, which a CKAN harvest of this portal reads back.
func TestReusesInDataJSONAndCKAN(t *testing.T) {
	c := harvestCatalog()
	d := c.Datasets[0]

	var b bytes.Buffer
	require.NoError(t, opendata.WriteDataJSON(&b, c, opendata.DataJSONOptions{}))
	var pod struct {
		Dataset []struct {
			Identifier string   `json:"identifier"`
			References []string `json:"references"`
		} `json:"dataset"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &pod))
	var refs []string
	for _, e := range pod.Dataset {
		if e.Identifier == d.Identifier {
			refs = e.References
		}
	}
	assert.Equal(t, []string{d.Documentation[0], d.Reuses[0].URL, d.Reuses[1].URL}, refs)

	p := opendata.PackageFromDataset(d, opendata.CKANOptions{})
	extras := map[string]string{}
	for _, e := range p.Extras {
		extras[e.Key] = e.Value
	}
	assert.JSONEq(t, `["https://reuse.example.net/carte-budget","https://news.example.net/article-budget","https://doi.org/10.0000/example"]`, extras["is_referenced_by"])
	assert.JSONEq(t, `[
		{"relation":"https://reuse.example.net/carte-budget","role":"http://purl.org/dc/terms/isReferencedBy"},
		{"relation":"https://news.example.net/article-budget","role":"http://purl.org/dc/terms/isReferencedBy"},
		{"relation":"https://data.example.org/dataset/budget-2022","role":"http://www.iana.org/assignments/relation/predecessor-version"}]`, extras["qualified_relation"])

	body, err := json.Marshal(map[string]any{"success": true, "result": p})
	require.NoError(t, err)
	res, err := opendata.ReadCKAN(bytes.NewReader(body), opendata.ReadOptions{})
	require.NoError(t, err)
	require.Len(t, res.Catalog.Datasets, 1)
	got := res.Catalog.Datasets[0]
	assert.Equal(t, []opendata.Reuse{{URL: d.Reuses[0].URL}, {URL: d.Reuses[1].URL}}, got.Reuses, "titles are not in CKAN's shape")
	assert.Equal(t, d.IsReferencedBy, got.IsReferencedBy)
	assert.Equal(t, d.QualifiedRelations, got.QualifiedRelations)
}
