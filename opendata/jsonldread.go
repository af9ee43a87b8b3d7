package opendata

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// JSON-LD is read with github.com/piprate/json-gold, a maintained JSON-LD
// 1.1 processor that passes the W3C test suite: expansion and conversion to
// RDF follow the recommendation (contexts, type-scoped contexts, @graph,
// @list, language maps), which a hand-written reader would only
// approximate. Its result is the same triples the Turtle reader gives, so
// one mapping (rdfread.go) serves both formats.
//
// Terms that no context defines are not dropped, as plain JSON-LD
// expansion would do: a default vocabulary (unmappedVocab) catches them,
// and they come out as unknown properties in ReadResult.Problems.

// unmappedVocab is the @vocab under which undefined JSON-LD terms expand.
const unmappedVocab = "urn:civickit:unmapped:"

// relativeBase stands for the missing base of a JSON-LD document.
const relativeBase = "http://relative.invalid/"

// relativeIRIs turns IRIs resolved against relativeBase back into relative
// references, in place, and returns them in order of first use.
func relativeIRIs(ts []triple) []string {
	var out []string
	seen := make(map[string]bool)
	fix := func(t *term) {
		if t.kind != termIRI && t.datatype == "" {
			return
		}
		v := &t.value
		if t.kind != termIRI {
			v = &t.datatype
		}
		if rel, ok := strings.CutPrefix(*v, relativeBase); ok {
			*v = rel
			if !seen[rel] {
				seen[rel] = true
				out = append(out, rel)
			}
		}
	}
	for i := range ts {
		fix(&ts[i].s)
		fix(&ts[i].p)
		fix(&ts[i].o)
	}
	return out
}

// maxContextLoads bounds the remote contexts one document may pull in.
const maxContextLoads = 32

// ReadJSONLD reads a DCAT-AP catalogue (or a page of one, or a lone
// dataset) written in JSON-LD. Remote @context documents come from
// opts.Contexts or opts.LoadContext; nothing is fetched otherwise.
// Statements that cannot be mapped are listed in ReadResult.Problems; a
// document that is not JSON-LD fails with a *SyntaxError.
func ReadJSONLD(ctx context.Context, r io.Reader, opts ReadOptions) (*ReadResult, error) {
	src, err := readAllLimited(r, opts.MaxBytes, "json-ld")
	if err != nil {
		return nil, err
	}
	pointers := make(map[string]string)
	ts, err := jsonldTriples(ctx, src, opts, pointers)
	if err != nil {
		return nil, err
	}
	rel := relativeIRIs(ts)
	locate := func(s term) string {
		if s.kind != termIRI {
			return ""
		}
		p, ok := pointers[s.value]
		if !ok {
			p, ok = pointers[relativeBase+s.value]
		}
		switch {
		case !ok:
			return ""
		case p == "":
			return "document root"
		}
		return p
	}
	res := readGraph(ts, locate)
	for _, v := range rel {
		res.Problems = append(res.Problems, Finding{Path: "<" + v + ">", Rule: RuleFormat, Param: "relative IRI without a base", Severity: SeverityWarning})
	}
	for i := range res.Problems {
		// An undefined term: name it as the document did.
		res.Problems[i].Param = strings.Replace(res.Problems[i].Param, unmappedVocab, "undefined term ", 1)
	}
	return res, nil
}

// jsonldTriples converts the document to triples; pointers receives the
// JSON Pointer of the first node object describing each IRI.
func jsonldTriples(ctx context.Context, src []byte, opts ReadOptions, pointers map[string]string) (ts []triple, err error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, jsonSyntaxError("json-ld", src, err)
	}
	if dec.More() {
		return nil, &SyntaxError{Format: "json-ld", Msg: "data after the JSON value"}
	}
	doc = numbersToFloat(doc)
	switch doc.(type) {
	case map[string]any, []any:
	default:
		return nil, &SyntaxError{Format: "json-ld", Msg: "not a JSON object or array"}
	}
	// json-gold reports most bad input as errors; a panic on input it did
	// not foresee becomes an error too, so that no document crashes a
	// harvest.
	defer func() {
		if p := recover(); p != nil {
			ts, err = nil, &SyntaxError{Format: "json-ld", Msg: fmt.Sprintf("JSON-LD processing failed: %v", p)}
		}
	}()
	// JSON-LD drops statements whose IRIs stay relative. Without a base,
	// relative IRIs are resolved against a placeholder, then given back in
	// their relative form and reported (see relativeIRIs).
	base := opts.Base
	if base == "" {
		base = relativeBase
	}
	o := ld.NewJsonLdOptions(base)
	o.DocumentLoader = &contextLoader{ctx: ctx, opts: opts}
	o.ExpandContext = map[string]any{"@vocab": unmappedVocab}
	o.ExpandedElementHandler = func(pointer string, expanded any) {
		if m, ok := expanded.(map[string]any); ok {
			if id, ok := m["@id"].(string); ok {
				if _, seen := pointers[id]; !seen {
					pointers[id] = pointer
				}
			}
		}
	}
	exp, err := ld.NewJsonLdProcessor().Expand(doc, o)
	if err != nil {
		return nil, jsonldError(err)
	}
	ds, err := ld.NewJsonLdApi().ToRDF(exp, o)
	if err != nil {
		return nil, jsonldError(err)
	}
	for _, q := range ds.GetQuads("@default") {
		t, ok := quadTriple(q)
		if ok {
			ts = append(ts, t)
		}
	}
	// Named graphs are outside DCAT-AP; their statements are read as if
	// they were in the default graph, so that they are mapped or reported.
	names := make([]string, 0, len(ds.Graphs))
	for name := range ds.Graphs {
		if name != "@default" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		for _, q := range ds.Graphs[name] {
			if t, ok := quadTriple(q); ok {
				ts = append(ts, t)
			}
		}
	}
	return ts, nil
}

func jsonldError(err error) error {
	return &SyntaxError{Format: "json-ld", Msg: err.Error()}
}

func quadTriple(q *ld.Quad) (triple, bool) {
	s, ok1 := ldTerm(q.Subject)
	p, ok2 := ldTerm(q.Predicate)
	o, ok3 := ldTerm(q.Object)
	return triple{s: s, p: p, o: o}, ok1 && ok2 && ok3 && s.kind != termLiteral && p.kind == termIRI
}

func ldTerm(n ld.Node) (term, bool) {
	switch v := n.(type) {
	case ld.IRI:
		return iri(v.Value), true
	case ld.BlankNode:
		return term{kind: termBlank, value: strings.TrimPrefix(v.Attribute, "_:")}, true
	case ld.Literal:
		t := term{kind: termLiteral, value: v.Value, lang: strings.ToLower(v.Language)}
		if v.Language == "" && v.Datatype != nsXSD+"string" && v.Datatype != nsRDF+"langString" {
			t.datatype = v.Datatype
		}
		return t, true
	}
	return term{}, false
}

// contextLoader gives json-gold the remote contexts ReadOptions allows.
type contextLoader struct {
	ctx      context.Context
	opts     ReadOptions
	loads    int
	resolved int
}

// maxContextResolutions bounds every context lookup, known or fetched: a
// context that imports itself (directly or once cached by a harvest)
// made json-gold recurse until the stack overflowed.
const maxContextResolutions = 1000

func (l *contextLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if l.resolved++; l.resolved > maxContextResolutions {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "remote contexts nest too deep or loop: "+u)
	}
	body, ok := l.opts.Contexts[u]
	if !ok {
		if strings.HasPrefix(u, relativeBase) {
			return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "relative context URL without a base: "+strings.TrimPrefix(u, relativeBase))
		}
		if l.opts.LoadContext == nil {
			return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "remote context not allowed: "+u)
		}
		if l.loads++; l.loads > maxContextLoads {
			return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "too many remote contexts")
		}
		var err error
		body, err = l.opts.LoadContext(l.ctx, u)
		if err != nil {
			return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, fmt.Sprintf("%s: %v", u, err))
		}
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, fmt.Sprintf("%s: %v", u, err))
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// numbersToFloat turns json.Number values into float64, the form json-gold
// expects, keeping integers beyond float precision as strings' values.
func numbersToFloat(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = numbersToFloat(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbersToFloat(e)
		}
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	}
	return v
}

// jsonSyntaxError turns an encoding/json error into a *SyntaxError with
// line and column.
func jsonSyntaxError(format string, src []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if err == io.EOF {
		return &SyntaxError{Format: format, Line: 1, Column: 1, Msg: "empty document"}
	}
	if off < 0 || off > int64(len(src)) {
		return &SyntaxError{Format: format, Msg: err.Error()}
	}
	line, col := 1, 1
	for _, c := range src[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &SyntaxError{Format: format, Line: line, Column: col, Msg: err.Error()}
}
