package opendata

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ntriple renders a triple as an N-Triples line, for comparisons.
func ntriple(t triple) string {
	term := func(x term) string {
		switch x.kind {
		case termIRI:
			return "<" + x.value + ">"
		case termBlank:
			return "_:" + x.value
		}
		s := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(x.value) + `"`
		switch {
		case x.lang != "":
			s += "@" + x.lang
		case x.datatype != "":
			s += "^^<" + x.datatype + ">"
		}
		return s
	}
	return term(t.s) + " " + term(t.p) + " " + term(t.o) + " ."
}

func parseToNTriples(t *testing.T, src, base string) []string {
	t.Helper()
	var out []string
	require.NoError(t, parseTurtle([]byte(src), base, func(tr triple) { out = append(out, ntriple(tr)) }))
	return out
}

// Cases follow the examples of the Turtle 1.1 recommendation.
func TestParseTurtleGrammar(t *testing.T) {
	const xsd = "http://www.w3.org/2001/XMLSchema#"
	for _, tc := range []struct {
		name, src, base string
		want            []string
	}{
		{"iris and prefixes", `@prefix ex: <http://ex.org/> .
PREFIX e2: <http://e2.org/>
ex:s e2:p <http://o.org/> .`, "", []string{"<http://ex.org/s> <http://e2.org/p> <http://o.org/> ."}},
		{"base and relative", `@base <http://ex.org/a/b> . <c> <#p> <../d> . BASE <http://other.org/> <x> <y> <z> .`, "",
			[]string{"<http://ex.org/a/c> <http://ex.org/a/b#p> <http://ex.org/d> .", "<http://other.org/x> <http://other.org/y> <http://other.org/z> ."}},
		{"document base", `<c> <p> <o> .`, "http://doc.org/dir/file.ttl",
			[]string{"<http://doc.org/dir/c> <http://doc.org/dir/p> <http://doc.org/dir/o> ."}},
		{"predicate and object lists", `@prefix : <http://e/> . :s :p :a , :b ; :q :c ; .`, "",
			[]string{"<http://e/s> <http://e/p> <http://e/a> .", "<http://e/s> <http://e/p> <http://e/b> .", "<http://e/s> <http://e/q> <http://e/c> ."}},
		{"a and empty prefix", `@prefix : <http://e/> . :s a :C .`, "",
			[]string{"<http://e/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/C> ."}},
		{"literals", `@prefix : <http://e/> . :s :p "x", 'y', """multi
line "quoted" """, '''z''', "fr"@fr-FR, "t"^^:dt, "s"^^<` + xsd + `string> .`, "", []string{
			`<http://e/s> <http://e/p> "x" .`,
			`<http://e/s> <http://e/p> "y" .`,
			`<http://e/s> <http://e/p> "multi\nline \"quoted\" " .`,
			`<http://e/s> <http://e/p> "z" .`,
			`<http://e/s> <http://e/p> "fr"@fr-fr .`,
			`<http://e/s> <http://e/p> "t"^^<http://e/dt> .`,
			`<http://e/s> <http://e/p> "s" .`,
		}},
		{"escapes", `<http://e/s> <http://e/p> "a\tb\u00E9\U0001F600\"\\" .`, "",
			[]string{"<http://e/s> <http://e/p> \"a\tbé😀\\\"\\\\\" ."}},
		{"iri escapes", `<http://e/\u00E9> <http://e/p> <http://e/o> .`, "",
			[]string{"<http://e/é> <http://e/p> <http://e/o> ."}},
		{"numbers and booleans", `@prefix : <http://e/> . :s :p 1, -2.5, .5, 1e3, 4.2E-1, true, false .`, "", []string{
			`<http://e/s> <http://e/p> "1"^^<` + xsd + `integer> .`,
			`<http://e/s> <http://e/p> "-2.5"^^<` + xsd + `decimal> .`,
			`<http://e/s> <http://e/p> ".5"^^<` + xsd + `decimal> .`,
			`<http://e/s> <http://e/p> "1e3"^^<` + xsd + `double> .`,
			`<http://e/s> <http://e/p> "4.2E-1"^^<` + xsd + `double> .`,
			`<http://e/s> <http://e/p> "true"^^<` + xsd + `boolean> .`,
			`<http://e/s> <http://e/p> "false"^^<` + xsd + `boolean> .`,
		}},
		{"integer before final dot", `<http://e/s> <http://e/p> 42.`, "",
			[]string{`<http://e/s> <http://e/p> "42"^^<` + xsd + `integer> .`}},
		{"blank nodes", `@prefix : <http://e/> . _:x :p [ :q "v" ] . [] :r _:x . [ :t :u ] .`, "", []string{
			`_:#1 <http://e/q> "v" .`,
			`_:x <http://e/p> _:#1 .`,
			`_:#2 <http://e/r> _:x .`,
			`_:#3 <http://e/t> <http://e/u> .`,
		}},
		{"collections", `@prefix : <http://e/> . :s :p ( :a "b" ) ; :q () .`, "", []string{
			`_:#1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://e/a> .`,
			`_:#1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:#2 .`,
			`_:#2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "b" .`,
			`_:#2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .`,
			`<http://e/s> <http://e/p> _:#1 .`,
			`<http://e/s> <http://e/q> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .`,
		}},
		{"local names", `@prefix ex: <http://e/> . ex:a.b ex:c\~d ex:e%20f . ex:g ex:h ex:i.`, "", []string{
			"<http://e/a.b> <http://e/c~d> <http://e/e%20f> .",
			"<http://e/g> <http://e/h> <http://e/i> .",
		}},
		{"comments and BOM", "\ufeff# a comment\n<http://e/s> <http://e/p> <http://e/o> . # another\n", "",
			[]string{"<http://e/s> <http://e/p> <http://e/o> ."}},
		{"keywords before the final dot", `@prefix : <http://e/> . :s :p true. :s a :C. :s :p false .`, "", []string{
			`<http://e/s> <http://e/p> "true"^^<` + xsd + `boolean> .`,
			"<http://e/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/C> .",
			`<http://e/s> <http://e/p> "false"^^<` + xsd + `boolean> .`,
		}},
		{"dotted prefix", `@prefix a.b: <http://ab/> . a.b:s a.b:p a.b:o .`, "",
			[]string{"<http://ab/s> <http://ab/p> <http://ab/o> ."}},
		{"keyword-like prefixes", `@prefix a: <http://a/> . @prefix true: <http://t/> . a:s a:p true:o .`, "",
			[]string{"<http://a/s> <http://a/p> <http://t/o> ."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, parseToNTriples(t, tc.src, tc.base))
		})
	}
}

// The Turtle the writers produce parses to the very triples of the graph
// they printed.
func TestParseTurtleReadsWriterGraph(t *testing.T) {
	c := &Catalog{
		IRI:         "https://data.example.org/catalog",
		Title:       Text{"fr": "Titre avec \"guillemets\"\net saut", "en": `back\slash`},
		Description: Text{"": "tab\there"},
		Publisher:   &Agent{Name: Text{"fr": "Ville"}},
		Datasets: []*Dataset{{
			Identifier: "d1", IRI: "https://data.example.org/d/1?x=y&z=%C3%A9#frag",
			Title: Text{"fr": "é 😀"}, Description: Text{"fr": "d"},
			Keywords: Keywords{"fr": {"a", "b"}},
		}},
	}
	g := catalogGraph(c, nil)
	var want []string
	for _, n := range g.nodes {
		for _, ty := range n.types {
			want = append(want, ntriple(triple{s: n.id, p: iri(nsRDF + "type"), o: iri(ty)}))
		}
		for _, p := range n.props {
			for _, o := range p.objs {
				if o.datatype == nsXSD+"string" {
					o.datatype = ""
				}
				want = append(want, ntriple(triple{s: n.id, p: iri(p.pred), o: o}))
			}
		}
	}
	var b strings.Builder
	require.NoError(t, writeTurtle(&b, g))
	assert.ElementsMatch(t, want, parseToNTriples(t, b.String(), ""))
}
