package opendata

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteTurtle writes the catalogue as DCAT-AP 3.0.1 Turtle: the catalogue,
// its series, datasets, distributions and services, and a description of
// every linked node and vocabulary concept with its rdf:type. Agents of kind
// AgentPerson and contacts of kind ContactIndividual are left out.
//
// WriteTurtle does not validate: call Catalog.Validate first to refuse an
// incomplete catalogue.
func WriteTurtle(w io.Writer, c *Catalog) error {
	return writeTurtle(w, catalogGraph(c, nil))
}

// WritePagedTurtle writes one page of a paged catalogue (see Paginate):
// the catalogue with the page's datasets, plus the hydra paging node.
func WritePagedTurtle(w io.Writer, c *Catalog, p Page) error {
	return writeTurtle(w, catalogGraph(c, &p))
}

// WriteDatasetTurtle writes one dataset and its linked nodes.
func WriteDatasetTurtle(w io.Writer, d *Dataset) error {
	return writeTurtle(w, datasetGraph(d))
}

func writeTurtle(w io.Writer, g *graph) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	names := make(map[string]string, 128) // class, property and datatype IRIs as written
	for _, p := range graphPrefixes {
		bw.WriteString("@prefix ")
		bw.WriteString(p.prefix)
		bw.WriteString(": <")
		bw.WriteString(p.ns)
		bw.WriteString("> .\n")
	}
	for _, n := range g.nodes {
		if len(n.types) == 0 && len(n.props) == 0 {
			continue
		}
		bw.WriteByte('\n')
		writeTurtleTerm(bw, names, n.id)
		sep := "\n    "
		if len(n.types) > 0 {
			bw.WriteString(sep)
			bw.WriteString("a ")
			for i, t := range n.types {
				if i > 0 {
					bw.WriteString(", ")
				}
				writeTurtleName(bw, names, t)
			}
			sep = " ;\n    "
		}
		for _, p := range n.props {
			bw.WriteString(sep)
			writeTurtleName(bw, names, p.pred)
			bw.WriteByte(' ')
			for i, o := range p.objs {
				if i > 0 {
					bw.WriteString(", ")
				}
				writeTurtleTerm(bw, names, o)
			}
			sep = " ;\n    "
		}
		bw.WriteString(" .\n")
	}
	return bw.Flush()
}

// writeTurtleName writes a class, property or datatype IRI, remembering
// how it is written: these few IRIs recur on every node.
func writeTurtleName(bw *bufio.Writer, names map[string]string, v string) {
	s, ok := names[v]
	if !ok {
		if p, local, ok := compactIRI(v); ok {
			s = p + ":" + local
		} else {
			var b strings.Builder
			tb := bufio.NewWriter(&b)
			writeTurtleIRI(tb, v)
			tb.Flush()
			s = b.String()
		}
		names[v] = s
	}
	bw.WriteString(s)
}

func writeTurtleTerm(bw *bufio.Writer, names map[string]string, t term) {
	switch t.kind {
	case termIRI:
		writeTurtleIRI(bw, t.value)
	case termBlank:
		bw.WriteString("_:")
		bw.WriteString(t.value)
	default:
		bw.WriteByte('"')
		writeTurtleString(bw, t.value)
		bw.WriteByte('"')
		switch {
		case t.lang != "":
			bw.WriteByte('@')
			bw.WriteString(t.lang)
		case t.datatype != "":
			bw.WriteString("^^")
			writeTurtleName(bw, names, t.datatype)
		}
	}
}

// writeTurtleIRI writes a prefixed name when the IRI is in a declared
// namespace and its local part is a plain name, else <iri> with the
// characters Turtle forbids escaped.
func writeTurtleIRI(bw *bufio.Writer, v string) {
	if p, local, ok := compactIRI(v); ok {
		bw.WriteString(p)
		bw.WriteByte(':')
		bw.WriteString(local)
		return
	}
	bw.WriteByte('<')
	if plainIRI(v) {
		bw.WriteString(v)
		bw.WriteByte('>')
		return
	}
	for _, r := range v {
		if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) || r == utf8.RuneError {
			writeUCHAR(bw, r)
			continue
		}
		bw.WriteRune(r)
	}
	bw.WriteByte('>')
}

// plainIRI reports whether v can be written inside <...> as it is: ASCII
// with none of the characters Turtle forbids in an IRI.
func plainIRI(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c <= 0x20 || c >= utf8.RuneSelf:
			return false
		case c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' || c == '\\':
			return false
		}
	}
	return true
}

// compactIRI splits an IRI into a declared prefix and a simple local name.
func compactIRI(v string) (prefix, local string, ok bool) {
	for _, p := range graphPrefixes {
		if len(v) > len(p.ns) && strings.HasPrefix(v, p.ns) {
			local = v[len(p.ns):]
			if simpleLocalName(local) {
				return p.prefix, local, true
			}
			return "", "", false
		}
	}
	return "", "", false
}

func simpleLocalName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9') || c == '-':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return s != ""
}

const hexDigits = "0123456789ABCDEF"

func writeUCHAR(bw *bufio.Writer, r rune) {
	if r == utf8.RuneError {
		r = 0xFFFD
	}
	bw.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		bw.WriteByte(hexDigits[(r>>uint(shift))&0xF])
	}
}

// writeTurtleString escapes a literal for a "..." string.
func writeTurtleString(bw *bufio.Writer, s string) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
		}
		bw.WriteString(s[start:i])
		switch c {
		case '"':
			bw.WriteString(`\"`)
		case '\\':
			bw.WriteString(`\\`)
		case '\n':
			bw.WriteString(`\n`)
		case '\r':
			bw.WriteString(`\r`)
		case '\t':
			bw.WriteString(`\t`)
		default:
			if c < 0x20 {
				writeUCHAR(bw, rune(c))
			} else { // invalid UTF-8 byte
				bw.WriteString(`\uFFFD`)
			}
		}
		i++
		start = i
	}
	bw.WriteString(s[start:])
}
