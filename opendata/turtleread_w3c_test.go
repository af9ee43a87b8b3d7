package opendata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
	"github.com/stretchr/testify/require"
)

// The W3C RDF 1.1 Turtle test suite (testdata/harvest/turtle-tests, see
// the README there). Its manifest is itself Turtle and is read with the
// parser under test. Expected N-Triples are read with json-gold's N-Quads
// parser, an independent implementation, and both graphs are compared
// after URDNA2015 canonicalisation (graph isomorphism with blank nodes).
const w3cTurtleBase = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/"

func TestTurtleW3CSuite(t *testing.T) {
	dir := filepath.Join("testdata", "harvest", "turtle-tests")
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.ttl"))
	require.NoError(t, err)
	var ts []triple
	require.NoError(t, parseTurtle(manifest, w3cTurtleBase+"manifest.ttl", func(tr triple) { ts = append(ts, tr) }))
	props := make(map[term]map[string][]term)
	for _, tr := range ts {
		if props[tr.s] == nil {
			props[tr.s] = make(map[string][]term)
		}
		props[tr.s][tr.p.value] = append(props[tr.s][tr.p.value], tr.o)
	}
	one := func(s term, p string) term {
		if vs := props[s][p]; len(vs) > 0 {
			return vs[0]
		}
		return term{}
	}
	const mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
	const rdft = "http://www.w3.org/ns/rdftest#"
	var entries []term
	for _, tr := range ts {
		if tr.p.value == mf+"entries" {
			for l := tr.o; l.kind == termBlank; l = one(l, nsRDF+"rest") {
				entries = append(entries, one(l, nsRDF+"first"))
			}
		}
	}
	require.Greater(t, len(entries), 300, "the manifest lists the whole suite")
	counts := make(map[string]int)
	for _, e := range entries {
		kind := strings.TrimPrefix(one(e, nsRDF+"type").value, rdft)
		name := one(e, mf+"name").value
		action := one(e, mf+"action").value
		counts[kind]++
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(action, w3cTurtleBase)))
			require.NoError(t, err)
			var got []triple
			err = parseTurtle(src, action, func(tr triple) { got = append(got, tr) })
			switch kind {
			case "TestTurtlePositiveSyntax":
				require.NoError(t, err)
			case "TestTurtleNegativeSyntax", "TestTurtleNegativeEval":
				require.Error(t, err, "%s", src)
			case "TestTurtleEval":
				require.NoError(t, err)
				result := one(e, mf+"result").value
				want, err := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(result, w3cTurtleBase)))
				require.NoError(t, err)
				expected, err := (&ld.NQuadRDFSerializer{}).Parse(string(want))
				require.NoError(t, err)
				require.Equal(t, canonicalNQuads(t, expected), canonicalNQuads(t, datasetOf(got)), "%s", src)
			default:
				t.Fatalf("unknown test type %q", kind)
			}
		})
	}
	t.Logf("W3C Turtle suite: %v", counts)
}

// datasetOf turns parsed triples into a json-gold dataset.
func datasetOf(ts []triple) *ld.RDFDataset {
	ds := ld.NewRDFDataset()
	node := func(x term) ld.Node {
		switch x.kind {
		case termIRI:
			return ld.NewIRI(x.value)
		case termBlank:
			return ld.NewBlankNode("_:" + strings.ReplaceAll(x.value, "#", "anon"))
		}
		switch {
		case x.lang != "":
			return ld.NewLiteral(x.value, nsRDF+"langString", x.lang)
		case x.datatype != "":
			return ld.NewLiteral(x.value, x.datatype, "")
		}
		return ld.NewLiteral(x.value, nsXSD+"string", "")
	}
	for _, tr := range ts {
		ds.Graphs["@default"] = append(ds.Graphs["@default"], ld.NewQuad(node(tr.s), node(tr.p), node(tr.o), "@default"))
	}
	return ds
}

// canonicalNQuads returns the URDNA2015 canonical N-Quads of a dataset,
// with language tags in lower case (RDF compares them case-insensitively).
func canonicalNQuads(t *testing.T, ds *ld.RDFDataset) string {
	t.Helper()
	for g, qs := range ds.Graphs {
		for i, q := range qs {
			if l, ok := q.Object.(ld.Literal); ok && l.Language != "" {
				l.Language = strings.ToLower(l.Language)
				qs[i].Object = l
			}
		}
		ds.Graphs[g] = qs
	}
	opts := ld.NewJsonLdOptions("")
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	out, err := ld.NewJsonLdApi().Normalize(ds, opts)
	require.NoError(t, err)
	s, ok := out.(string)
	require.True(t, ok)
	return s
}
