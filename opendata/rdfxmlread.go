package opendata

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// FormatRDFXML is RDF/XML (https://www.w3.org/TR/rdf-syntax-grammar/), the
// default serialisation of udata (data.gouv.fr) and of most national
// DCAT-AP feeds.
const FormatRDFXML Format = "rdf/xml"

// ReadRDFXML reads an RDF/XML document and maps its graph onto the
// model as ReadTurtle does. The parser streams the XML with encoding/xml
// (declared encodings other than UTF-8 are decoded with x/text) and
// supports the whole grammar used by catalogues: typed node elements,
// rdf:about, rdf:ID, rdf:nodeID, rdf:resource, rdf:datatype, xml:lang,
// xml:base, property attributes, rdf:li, and rdf:parseType Resource,
// Literal (kept as an rdf:XMLLiteral) and Collection. A CSW GetRecords
// envelope (GeoNetwork) is refused with an error saying so: its ISO 19139
// or DCAT records are out of scope. Errors are *SyntaxError with the line.
func ReadRDFXML(r io.Reader, opts ReadOptions) (*ReadResult, error) {
	src, err := readAllLimited(r, opts.MaxBytes, "rdf/xml")
	if err != nil {
		return nil, err
	}
	p := &rdfxmlParser{base: opts.Base, offsets: map[term]int{}}
	p.dec = xml.NewDecoder(bytes.NewReader(src))
	p.dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown encoding %q", label)
		}
		return enc.NewDecoder().Reader(in), nil
	}
	if err := p.document(); err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, err
		}
		line, col := p.dec.InputPos()
		return nil, &SyntaxError{Format: "rdf/xml", Line: line, Column: col, Msg: err.Error()}
	}
	lineOf := func(off int) int { return 1 + bytes.Count(src[:min(off, len(src))], []byte{'\n'}) }
	res := readGraph(p.triples, func(s term) string {
		if off, ok := p.offsets[s]; ok {
			return "line " + strconv.Itoa(lineOf(off))
		}
		return ""
	})
	res.Problems = append(res.Problems, p.warnings...)
	return res, nil
}

type rdfxmlParser struct {
	dec      *xml.Decoder
	base     string
	triples  []triple
	blanks   int
	offsets  map[term]int
	warnings []Finding
}

// scope is what an element inherits: xml:base and xml:lang.
type scope struct {
	base, lang string
}

func (p *rdfxmlParser) emit(s term, pred string, o term) {
	if _, ok := p.offsets[s]; !ok {
		p.offsets[s] = int(p.dec.InputOffset())
	}
	p.triples = append(p.triples, triple{s: s, p: iri(pred), o: o})
}

func (p *rdfxmlParser) blank() term {
	p.blanks++
	return term{kind: termBlank, value: "x" + strconv.Itoa(p.blanks)}
}

func nameIRI(n xml.Name) string { return n.Space + n.Local }

// checkNamespace refuses an element without a namespace or whose prefix
// was never declared (encoding/xml then leaves the prefix as the space).
func checkNamespace(n xml.Name) error {
	if n.Space == "" {
		return fmt.Errorf("element <%s> has no namespace", n.Local)
	}
	if !strings.Contains(n.Space, ":") {
		return fmt.Errorf("element <%s:%s>: prefix %q is not declared", n.Space, n.Local, n.Space)
	}
	return nil
}

const nsXML = "http://www.w3.org/XML/1998/namespace"

// next returns the next start or end element, skipping comments and
// processing instructions; character data between elements must be
// white space.
func (p *rdfxmlParser) next() (xml.Token, error) {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement, xml.EndElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("text %q where an element was expected", truncateRunes(strings.TrimSpace(string(t)), 40))
			}
		}
	}
}

func (p *rdfxmlParser) document() error {
	sc := scope{base: p.base}
	for {
		tok, err := p.next()
		if err == io.EOF {
			return &SyntaxError{Format: "rdf/xml", Msg: "no root element"}
		}
		if err != nil {
			return err
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Space == nsRDF && start.Name.Local == "RDF":
			sc = p.inherit(sc, start)
			for {
				tok, err := p.next()
				if err != nil {
					return err
				}
				if _, end := tok.(xml.EndElement); end {
					return p.trailing()
				}
				if _, err := p.nodeElement(sc, tok.(xml.StartElement)); err != nil {
					return err
				}
			}
		case strings.HasPrefix(start.Name.Space, "http://www.opengis.net/cat/csw/"):
			return &SyntaxError{Format: "rdf/xml", Msg: "a CSW " + start.Name.Local + " envelope (GeoNetwork): its records are out of scope; harvest the portal's DCAT endpoint"}
		default:
			if _, err := p.nodeElement(sc, start); err != nil {
				return err
			}
			return p.trailing()
		}
	}
}

// trailing checks that nothing but white space and comments follow.
func (p *rdfxmlParser) trailing() error {
	_, err := p.next()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	return errors.New("content after the root element")
}

func (p *rdfxmlParser) inherit(sc scope, e xml.StartElement) scope {
	for _, a := range e.Attr {
		if a.Name.Space == nsXML || a.Name.Space == "xml" {
			switch a.Name.Local {
			case "base":
				sc.base = resolveIRI(sc.base, a.Value)
			case "lang":
				sc.lang = a.Value
			}
		}
	}
	return sc
}

func (p *rdfxmlParser) resolve(sc scope, ref string) string {
	if sc.base == "" {
		return ref
	}
	return resolveIRI(sc.base, ref)
}

// isSyntaxAttr reports the attributes that are not property attributes.
func isSyntaxAttr(a xml.Attr) bool {
	switch {
	case a.Name.Space == nsXML || a.Name.Space == "xml" || a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "":
		return true
	case a.Name.Space == nsRDF:
		switch a.Name.Local {
		case "about", "ID", "nodeID", "resource", "datatype", "parseType", "type":
			return true
		}
	case a.Name.Space == "":
		return true // unqualified attributes are not RDF
	}
	return false
}

func attr(e xml.StartElement, space, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// nodeElement reads a node element (its start is e) to its end and
// returns its subject.
func (p *rdfxmlParser) nodeElement(sc scope, e xml.StartElement) (term, error) {
	sc = p.inherit(sc, e)
	if err := checkNamespace(e.Name); err != nil {
		return term{}, err
	}
	var s term
	if v, ok := attr(e, nsRDF, "about"); ok {
		s = iri(p.resolve(sc, v))
	} else if v, ok := attr(e, nsRDF, "ID"); ok {
		s = iri(p.resolve(sc, "#"+v))
	} else if v, ok := attr(e, nsRDF, "nodeID"); ok {
		s = term{kind: termBlank, value: "n" + v}
	} else {
		s = p.blank()
	}
	if !(e.Name.Space == nsRDF && e.Name.Local == "Description") {
		p.emit(s, nsRDF+"type", iri(nameIRI(e.Name)))
	}
	if v, ok := attr(e, nsRDF, "type"); ok {
		p.emit(s, nsRDF+"type", iri(p.resolve(sc, v)))
	}
	for _, a := range e.Attr {
		if !isSyntaxAttr(a) {
			p.emit(s, nameIRI(a.Name), literalIn(a.Value, sc.lang))
		}
	}
	li := 0
	for {
		tok, err := p.next()
		if err != nil {
			return s, err
		}
		if _, end := tok.(xml.EndElement); end {
			return s, nil
		}
		if err := p.propertyElement(sc, s, tok.(xml.StartElement), &li); err != nil {
			return s, err
		}
	}
}

func literalIn(v, lang string) term {
	if lang != "" {
		return langLiteral(v, lang)
	}
	return literal(v)
}

// propertyElement reads one property element of subject s.
func (p *rdfxmlParser) propertyElement(sc scope, s term, e xml.StartElement, li *int) error {
	sc = p.inherit(sc, e)
	pred := nameIRI(e.Name)
	if e.Name.Space == nsRDF && e.Name.Local == "li" {
		*li++
		pred = nsRDF + "_" + strconv.Itoa(*li)
	}
	if err := checkNamespace(e.Name); err != nil {
		return err
	}
	parseType, _ := attr(e, nsRDF, "parseType")
	switch parseType {
	case "Resource":
		o := p.blank()
		p.emit(s, pred, o)
		li2 := 0
		for {
			tok, err := p.next()
			if err != nil {
				return err
			}
			if _, end := tok.(xml.EndElement); end {
				return nil
			}
			if err := p.propertyElement(sc, o, tok.(xml.StartElement), &li2); err != nil {
				return err
			}
		}
	case "Literal":
		x, err := p.innerXML()
		if err != nil {
			return err
		}
		p.emit(s, pred, typed(x, nsRDF+"XMLLiteral"))
		return nil
	case "Collection":
		var items []term
		for {
			tok, err := p.next()
			if err != nil {
				return err
			}
			if _, end := tok.(xml.EndElement); end {
				break
			}
			o, err := p.nodeElement(sc, tok.(xml.StartElement))
			if err != nil {
				return err
			}
			items = append(items, o)
		}
		head := iri(nsRDF + "nil")
		for i := len(items) - 1; i >= 0; i-- {
			cell := p.blank()
			p.emit(cell, nsRDF+"first", items[i])
			p.emit(cell, nsRDF+"rest", head)
			head = cell
		}
		p.emit(s, pred, head)
		return nil
	case "":
	default:
		// Unknown parse types are read as Literal, as the grammar says.
		x, err := p.innerXML()
		if err != nil {
			return err
		}
		p.emit(s, pred, typed(x, nsRDF+"XMLLiteral"))
		return nil
	}
	if v, ok := attr(e, nsRDF, "resource"); ok {
		p.emit(s, pred, iri(p.resolve(sc, v)))
		return p.emptyWithProps(sc, e, iri(p.resolve(sc, v)))
	}
	if v, ok := attr(e, nsRDF, "nodeID"); ok {
		o := term{kind: termBlank, value: "n" + v}
		p.emit(s, pred, o)
		return p.emptyWithProps(sc, e, o)
	}
	datatype, hasDatatype := attr(e, nsRDF, "datatype")
	// Text, a node element, or nothing.
	var text strings.Builder
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.StartElement:
			if strings.TrimSpace(text.String()) != "" {
				return fmt.Errorf("property <%s> mixes text and elements", e.Name.Local)
			}
			o, err := p.nodeElement(sc, t)
			if err != nil {
				return err
			}
			p.emit(s, pred, o)
			if _, err := p.next(); err != nil { // the property's end
				return err
			}
			return nil
		case xml.EndElement:
			if hasProps(e) && text.Len() == 0 {
				o := p.blank()
				p.emit(s, pred, o)
				return p.propAttrs(sc, e, o)
			}
			switch {
			case hasDatatype:
				p.emit(s, pred, typed(text.String(), p.resolve(sc, datatype)))
			default:
				p.emit(s, pred, literalIn(text.String(), sc.lang))
			}
			return nil
		}
	}
}

func hasProps(e xml.StartElement) bool {
	for _, a := range e.Attr {
		if !isSyntaxAttr(a) {
			return true
		}
	}
	return false
}

func (p *rdfxmlParser) propAttrs(sc scope, e xml.StartElement, o term) error {
	for _, a := range e.Attr {
		if !isSyntaxAttr(a) {
			p.emit(o, nameIRI(a.Name), literalIn(a.Value, sc.lang))
		}
	}
	return nil
}

// emptyWithProps reads an empty property element whose object is o, and
// its property attributes (statements about o).
func (p *rdfxmlParser) emptyWithProps(sc scope, e xml.StartElement, o term) error {
	if err := p.propAttrs(sc, e, o); err != nil {
		return err
	}
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			return fmt.Errorf("property <%s> with rdf:resource or rdf:nodeID must be empty", e.Name.Local)
		case xml.CharData:
			// GeoNetwork writes a label there (<dcat:theme
			// rdf:resource="...">Habitats</dcat:theme>): not RDF/XML, but
			// the resource is clear; the text is reported and dropped.
			if txt := strings.TrimSpace(string(t)); txt != "" {
				line, _ := p.dec.InputPos()
				p.warnings = append(p.warnings, Finding{
					Path: "line " + strconv.Itoa(line), Rule: RuleFormat, Severity: SeverityWarning,
					Param: "text inside <" + e.Name.Local + " rdf:resource> ignored: " + truncateRunes(txt, 60),
				})
			}
		}
	}
}

// innerXML re-serialises the content of the current element.
func (p *rdfxmlParser) innerXML() (string, error) {
	var b bytes.Buffer
	enc := xml.NewEncoder(&b)
	depth := 0
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return "", err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				if err := enc.Flush(); err != nil {
					return "", err
				}
				return b.String(), nil
			}
			depth--
		}
		if err := enc.EncodeToken(xml.CopyToken(tok)); err != nil {
			return "", err
		}
	}
}
