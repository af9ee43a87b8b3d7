package opendata

import (
	"bufio"
	"io"
	"unicode/utf8"
)

// WriteJSONLD writes the catalogue as DCAT-AP 3.0.1 JSON-LD: a flattened
// @graph with an inline @context (no remote context to fetch), carrying the
// same triples as WriteTurtle.
func WriteJSONLD(w io.Writer, c *Catalog) error {
	return writeJSONLD(w, catalogGraph(c, nil))
}

// WritePagedJSONLD writes one page of a paged catalogue with its hydra
// paging node (see Paginate).
func WritePagedJSONLD(w io.Writer, c *Catalog, p Page) error {
	return writeJSONLD(w, catalogGraph(c, &p))
}

// WriteDatasetJSONLD writes one dataset and its linked nodes.
func WriteDatasetJSONLD(w io.Writer, d *Dataset) error {
	return writeJSONLD(w, datasetGraph(d))
}

func writeJSONLD(w io.Writer, g *graph) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	names := make(map[string]string, 128) // compacted class, property and datatype IRIs
	compact := func(v string) string {
		s, ok := names[v]
		if !ok {
			s = jsonldCompact(v)
			names[v] = s
		}
		return s
	}
	bw.WriteString("{\n  \"@context\": {")
	for i, p := range graphPrefixes {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		writeJSONString(bw, p.prefix)
		bw.WriteString(": ")
		writeJSONString(bw, p.ns)
	}
	bw.WriteString("\n  },\n  \"@graph\": [")
	first := true
	for _, n := range g.nodes {
		if len(n.types) == 0 && len(n.props) == 0 {
			continue
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteString("\n    {\"@id\": ")
		writeJSONString(bw, jsonldID(n.id))
		if len(n.types) > 0 {
			bw.WriteString(", \"@type\": [")
			for i, t := range n.types {
				if i > 0 {
					bw.WriteString(", ")
				}
				writeJSONString(bw, compact(t))
			}
			bw.WriteByte(']')
		}
		for _, p := range n.props {
			bw.WriteString(",\n      ")
			writeJSONString(bw, compact(p.pred))
			bw.WriteString(": [")
			for i, o := range p.objs {
				if i > 0 {
					bw.WriteString(", ")
				}
				writeJSONLDObject(bw, compact, o)
			}
			bw.WriteByte(']')
		}
		bw.WriteByte('}')
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

func jsonldID(t term) string {
	if t.kind == termBlank {
		return "_:" + t.value
	}
	return t.value
}

// jsonldCompact writes prefix:local for a property or class in a declared
// namespace (any IRI is accepted by JSON-LD, so no local-name check is
// needed beyond a non-empty local part).
func jsonldCompact(v string) string {
	if p, local, ok := compactIRI(v); ok {
		return p + ":" + local
	}
	return v
}

func writeJSONLDObject(bw *bufio.Writer, compact func(string) string, t term) {
	switch t.kind {
	case termIRI, termBlank:
		bw.WriteString(`{"@id": `)
		writeJSONString(bw, jsonldID(t))
		bw.WriteByte('}')
	default:
		switch {
		case t.lang != "":
			bw.WriteString(`{"@value": `)
			writeJSONString(bw, t.value)
			bw.WriteString(`, "@language": `)
			writeJSONString(bw, t.lang)
			bw.WriteByte('}')
		case t.datatype != "":
			bw.WriteString(`{"@value": `)
			writeJSONString(bw, t.value)
			bw.WriteString(`, "@type": `)
			writeJSONString(bw, compact(t.datatype))
			bw.WriteByte('}')
		default:
			writeJSONString(bw, t.value)
		}
	}
}

// writeJSONString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func writeJSONString(bw *bufio.Writer, s string) {
	bw.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r != utf8.RuneError || size != 1) && r != '\u2028' && r != '\u2029' {
				i += size
				continue
			}
			bw.WriteString(s[start:i])
			if r == utf8.RuneError {
				bw.WriteString(`\ufffd`)
			} else {
				writeUCHAR(bw, r)
			}
			i += size
			start = i
			continue
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
			writeUCHAR(bw, rune(c))
		}
		i++
		start = i
	}
	bw.WriteString(s[start:])
	bw.WriteByte('"')
}
