package opendata

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriteRDFXML writes the catalogue as DCAT-AP 3.0.1 RDF/XML, the same
// graph WriteTurtle writes (one rdf:Description per node, objects by
// rdf:resource or rdf:nodeID): what udata and most national DCAT-AP
// harvesters read by default.
func WriteRDFXML(w io.Writer, c *Catalog) error {
	return writeRDFXML(w, catalogGraph(c, nil))
}

// WritePagedRDFXML writes one page of a paged catalogue (see Paginate).
func WritePagedRDFXML(w io.Writer, c *Catalog, p Page) error {
	return writeRDFXML(w, catalogGraph(c, &p))
}

// WriteDatasetRDFXML writes one dataset and its linked nodes.
func WriteDatasetRDFXML(w io.Writer, d *Dataset) error {
	return writeRDFXML(w, datasetGraph(d))
}

// WriteNTriples writes the catalogue's graph as N-Triples, one statement
// per line: the simplest form to diff or load in a triple store.
func WriteNTriples(w io.Writer, c *Catalog) error {
	return writeNTriples(w, catalogGraph(c, nil))
}

// WritePagedNTriples writes one page of a paged catalogue as N-Triples,
// with its hydra paging statements.
func WritePagedNTriples(w io.Writer, c *Catalog, p Page) error {
	return writeNTriples(w, catalogGraph(c, &p))
}

// WriteDatasetNTriples writes one dataset's graph as N-Triples.
func WriteDatasetNTriples(w io.Writer, d *Dataset) error {
	return writeNTriples(w, datasetGraph(d))
}

// xmlNames gives the prefixes of the namespaces of a graph's properties
// and classes: the writers' usual ones, then ns1, ns2...
type xmlNames struct {
	prefixOf map[string]string
	order    []string
}

// splitQName splits an IRI into a namespace and an XML local name (the
// longest NCName suffix after '#' or '/').
func splitQName(v string) (ns, local string, ok bool) {
	i := strings.LastIndexAny(v, "#/")
	if i < 0 || i == len(v)-1 {
		return "", "", false
	}
	ns, local = v[:i+1], v[i+1:]
	for j, r := range local {
		if !(unicode.IsLetter(r) || r == '_' || j > 0 && (unicode.IsDigit(r) || r == '-' || r == '.')) {
			return "", "", false
		}
	}
	return ns, local, true
}

func (x *xmlNames) qname(v string) (string, error) {
	ns, local, ok := splitQName(v)
	if !ok {
		return "", fmt.Errorf("opendata: rdf/xml: %q cannot be written as an XML name", truncateRunes(v, 100))
	}
	p, ok := x.prefixOf[ns]
	if !ok {
		p = "ns" + strconv.Itoa(len(x.order)+1)
		x.prefixOf[ns] = p
		x.order = append(x.order, ns)
	}
	return p + ":" + local, nil
}

func newXMLNames(g *graph) (*xmlNames, error) {
	x := &xmlNames{prefixOf: map[string]string{}}
	for _, p := range graphPrefixes {
		x.prefixOf[p.ns] = p.prefix
	}
	// Collect the namespaces of unknown vocabularies up front, so that
	// the root declares them all.
	for _, n := range g.nodes {
		for _, p := range n.props {
			if _, err := x.qname(p.pred); err != nil {
				return nil, err
			}
		}
	}
	return x, nil
}

// nodeID makes a blank node label an XML name.
func nodeID(v string) string {
	var b strings.Builder
	b.WriteByte('b')
	for _, r := range v {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_%x", r)
		}
	}
	return b.String()
}

func xmlAttr(bw *bufio.Writer, name, v string) {
	bw.WriteByte(' ')
	bw.WriteString(name)
	bw.WriteString(`="`)
	_ = xml.EscapeText(bw, []byte(v))
	bw.WriteByte('"')
}

func writeRDFXML(w io.Writer, g *graph) error {
	names, err := newXMLNames(g)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n<rdf:RDF")
	for _, p := range graphPrefixes {
		xmlAttr(bw, "xmlns:"+p.prefix, p.ns)
	}
	for _, ns := range names.order {
		if p := names.prefixOf[ns]; strings.HasPrefix(p, "ns") {
			xmlAttr(bw, "xmlns:"+p, ns)
		}
	}
	bw.WriteString(">\n")
	for _, n := range g.nodes {
		if len(n.types) == 0 && len(n.props) == 0 {
			continue
		}
		bw.WriteString("  <rdf:Description")
		if n.id.kind == termBlank {
			xmlAttr(bw, "rdf:nodeID", nodeID(n.id.value))
		} else {
			xmlAttr(bw, "rdf:about", n.id.value)
		}
		bw.WriteString(">\n")
		for _, t := range n.types {
			bw.WriteString("    <rdf:type")
			xmlAttr(bw, "rdf:resource", t)
			bw.WriteString("/>\n")
		}
		for _, p := range n.props {
			q, err := names.qname(p.pred)
			if err != nil {
				return err
			}
			for _, o := range p.objs {
				bw.WriteString("    <")
				bw.WriteString(q)
				switch o.kind {
				case termIRI:
					xmlAttr(bw, "rdf:resource", o.value)
					bw.WriteString("/>\n")
					continue
				case termBlank:
					xmlAttr(bw, "rdf:nodeID", nodeID(o.value))
					bw.WriteString("/>\n")
					continue
				}
				switch {
				case o.lang != "":
					xmlAttr(bw, "xml:lang", o.lang)
				case o.datatype != "":
					xmlAttr(bw, "rdf:datatype", o.datatype)
				}
				bw.WriteByte('>')
				_ = xml.EscapeText(bw, []byte(o.value))
				bw.WriteString("</")
				bw.WriteString(q)
				bw.WriteString(">\n")
			}
		}
		bw.WriteString("  </rdf:Description>\n")
	}
	bw.WriteString("</rdf:RDF>\n")
	return bw.Flush()
}

func writeNTriples(w io.Writer, g *graph) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	subject := func(n *node) {
		writeNTerm(bw, n.id)
		bw.WriteByte(' ')
	}
	for _, n := range g.nodes {
		for _, t := range n.types {
			subject(n)
			writeNTerm(bw, iri(nsRDF+"type"))
			bw.WriteByte(' ')
			writeNTerm(bw, iri(t))
			bw.WriteString(" .\n")
		}
		for _, p := range n.props {
			for _, o := range p.objs {
				subject(n)
				writeNTerm(bw, iri(p.pred))
				bw.WriteByte(' ')
				writeNTerm(bw, o)
				bw.WriteString(" .\n")
			}
		}
	}
	return bw.Flush()
}

func writeNTerm(bw *bufio.Writer, t term) {
	switch t.kind {
	case termIRI:
		bw.WriteByte('<')
		for _, r := range t.value {
			if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) || r == utf8.RuneError {
				writeUCHAR(bw, r)
				continue
			}
			bw.WriteRune(r)
		}
		bw.WriteByte('>')
	case termBlank:
		bw.WriteString("_:")
		bw.WriteString(nodeID(t.value))
	default:
		bw.WriteByte('"')
		for _, r := range t.value {
			switch r {
			case '"':
				bw.WriteString(`\"`)
			case '\\':
				bw.WriteString(`\\`)
			case '\n':
				bw.WriteString(`\n`)
			case '\r':
				bw.WriteString(`\r`)
			default:
				if r < 0x20 || r == 0x7f {
					writeUCHAR(bw, r)
				} else {
					bw.WriteRune(r)
				}
			}
		}
		bw.WriteByte('"')
		switch {
		case t.lang != "":
			bw.WriteByte('@')
			bw.WriteString(t.lang)
		case t.datatype != "":
			bw.WriteString("^^")
			writeNTerm(bw, iri(t.datatype))
		}
	}
}
