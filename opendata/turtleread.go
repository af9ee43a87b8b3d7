package opendata

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads Turtle 1.1 (https://www.w3.org/TR/turtle/) into triples.
//
// No maintained Turtle parser for Go is available from the module proxy the
// project builds with, so this one is written here, close to the grammar of
// the W3C recommendation: directives (@prefix, @base, PREFIX, BASE),
// predicate-object and object lists, 'a', blank node labels, anonymous and
// nested blank nodes, collections, the four string forms with their escapes,
// language tags, datatypes, and numeric and boolean literals. Every error
// names its line and column. The parser is fuzzed (FuzzReadTurtle).

// SyntaxError is a document that could not be parsed at all. It matches
// ErrInvalid.
type SyntaxError struct {
	Format string // "turtle", "json-ld", "data.json"
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based, in runes; 0 when unknown
	Msg    string
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("opendata: %s: line %d, column %d: %s", e.Format, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("opendata: %s: %s", e.Format, e.Msg)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *SyntaxError) Is(target error) bool { return target == ErrInvalid }

// maxTurtleDepth bounds the nesting of blank node property lists and
// collections, so that hostile input cannot exhaust the stack.
const maxTurtleDepth = 256

// maxReadBytes bounds what a reader takes in when ReadOptions.MaxBytes is 0.
const maxReadBytes = 256 << 20

type turtleParser struct {
	src      []byte
	pos      int
	base     string
	prefixes map[string]string
	labels   map[string]string // document blank node label -> graph label
	anon     int
	depth    int
	emit     func(triple)
	// relative collects IRIs left relative for want of a base, when set.
	relative     *[]string
	relativeSeen map[string]bool
}

// parseTurtle parses src and calls emit for each triple in document order.
func parseTurtle(src []byte, base string, emit func(triple)) error {
	return newTurtleParser(src, base, emit).parse()
}

func newTurtleParser(src []byte, base string, emit func(triple)) *turtleParser {
	return &turtleParser{src: src, base: base, prefixes: make(map[string]string), labels: make(map[string]string), emit: emit}
}

func (p *turtleParser) parse() error {
	if bytes.HasPrefix(p.src, []byte("\xef\xbb\xbf")) { // byte order mark
		p.pos = 3
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil
		}
		if err := p.statement(); err != nil {
			return err
		}
	}
}

func (p *turtleParser) errorf(format string, args ...any) error {
	line, col := 1, 1
	end := min(p.pos, len(p.src))
	for i := 0; i < end; {
		r, size := utf8.DecodeRune(p.src[i:])
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i += size
	}
	return &SyntaxError{Format: "turtle", Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *turtleParser) skipSpace() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; c {
		case ' ', '\t', '\r', '\n':
			p.pos++
		case '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *turtleParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *turtleParser) expect(c byte) error {
	p.skipSpace()
	if p.peek() != c {
		if p.pos >= len(p.src) {
			return p.errorf("expected %q, found end of input", c)
		}
		return p.errorf("expected %q", c)
	}
	p.pos++
	return nil
}

// keyword reports whether the input continues with kw (ASCII, compared
// case-insensitively when fold) followed by a character that cannot
// continue a name.
func (p *turtleParser) keyword(kw string, fold bool) bool {
	if len(p.src)-p.pos < len(kw) {
		return false
	}
	w := string(p.src[p.pos : p.pos+len(kw)])
	if w != kw && (!fold || !strings.EqualFold(w, kw)) {
		return false
	}
	if p.pos+len(kw) == len(p.src) {
		return true
	}
	rest := p.src[p.pos+len(kw):]
	for len(rest) > 0 && rest[0] == '.' {
		rest = rest[1:] // "true." ends a statement; "a.b:c" is a prefixed name
	}
	if len(rest) == 0 {
		return true
	}
	r, _ := decodeRune(rest)
	return !isPNChars(r) && r != ':'
}

func (p *turtleParser) statement() error {
	switch {
	case p.peek() == '@':
		switch {
		case p.keyword("@prefix", false):
			p.pos += len("@prefix")
			if err := p.prefixDecl(); err != nil {
				return err
			}
			return p.expect('.')
		case p.keyword("@base", false):
			p.pos += len("@base")
			if err := p.baseDecl(); err != nil {
				return err
			}
			return p.expect('.')
		}
		return p.errorf("unknown directive")
	case p.keyword("PREFIX", true):
		p.pos += len("PREFIX")
		return p.prefixDecl()
	case p.keyword("BASE", true):
		p.pos += len("BASE")
		return p.baseDecl()
	}
	if err := p.triples(); err != nil {
		return err
	}
	return p.expect('.')
}

func (p *turtleParser) prefixDecl() error {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != ':' {
		r, size := decodeRune(p.src[p.pos:])
		if !isPNChars(r) && r != '.' {
			return p.errorf("malformed prefix name")
		}
		p.pos += size
	}
	if p.pos >= len(p.src) {
		return p.errorf("expected ':' after prefix name")
	}
	name := string(p.src[start:p.pos])
	if name != "" && (strings.HasSuffix(name, ".") || !isPNCharsBase(firstRune(name))) {
		return p.errorf("malformed prefix name %q", name)
	}
	p.pos++ // ':'
	p.skipSpace()
	iri, err := p.iriRef()
	if err != nil {
		return err
	}
	p.prefixes[name] = iri
	return nil
}

func (p *turtleParser) baseDecl() error {
	p.skipSpace()
	iri, err := p.iriRef()
	if err != nil {
		return err
	}
	p.base = iri
	return nil
}

func (p *turtleParser) triples() error {
	p.skipSpace()
	var subj term
	var err error
	switch p.peek() {
	case '[':
		subj, err = p.blankNodePropertyList()
		if err != nil {
			return err
		}
		p.skipSpace()
		if p.peek() == '.' {
			return nil // "[ :p :o ] ." is a whole statement
		}
	case '(':
		subj, err = p.collection()
	default:
		subj, err = p.subject()
	}
	if err != nil {
		return err
	}
	return p.predicateObjectList(subj)
}

func (p *turtleParser) subject() (term, error) {
	p.skipSpace()
	if p.peek() == '_' {
		return p.blankNodeLabel()
	}
	return p.iri()
}

func (p *turtleParser) predicateObjectList(subj term) error {
	for {
		p.skipSpace()
		var pred term
		if p.keyword("a", false) {
			p.pos++
			pred = iri(nsRDF + "type")
		} else {
			var err error
			if pred, err = p.iri(); err != nil {
				return err
			}
		}
		if err := p.objectList(subj, pred); err != nil {
			return err
		}
		p.skipSpace()
		if p.peek() != ';' {
			return nil
		}
		for p.peek() == ';' { // repeated ';' are allowed
			p.pos++
			p.skipSpace()
		}
		if c := p.peek(); c == '.' || c == ']' || c == 0 {
			return nil
		}
	}
}

func (p *turtleParser) objectList(subj, pred term) error {
	for {
		obj, err := p.object()
		if err != nil {
			return err
		}
		p.emit(triple{s: subj, p: pred, o: obj})
		p.skipSpace()
		if p.peek() != ',' {
			return nil
		}
		p.pos++
	}
}

func (p *turtleParser) object() (term, error) {
	p.skipSpace()
	switch c := p.peek(); {
	case c == 0:
		return term{}, p.errorf("expected an object, found end of input")
	case c == '[':
		return p.blankNodePropertyList()
	case c == '(':
		return p.collection()
	case c == '_':
		return p.blankNodeLabel()
	case c == '"' || c == '\'':
		return p.rdfLiteral()
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return p.numericLiteral()
	case p.keyword("true", false):
		p.pos += 4
		return typed("true", nsXSD+"boolean"), nil
	case p.keyword("false", false):
		p.pos += 5
		return typed("false", nsXSD+"boolean"), nil
	}
	return p.iri()
}

func (p *turtleParser) enter() error {
	p.depth++
	if p.depth > maxTurtleDepth {
		return p.errorf("nesting deeper than %d", maxTurtleDepth)
	}
	return nil
}

func (p *turtleParser) freshBlank() term {
	p.anon++
	// '#' cannot occur in a document label, so fresh labels never collide.
	return term{kind: termBlank, value: "#" + strconv.Itoa(p.anon)}
}

func (p *turtleParser) blankNodePropertyList() (term, error) {
	if err := p.enter(); err != nil {
		return term{}, err
	}
	defer func() { p.depth-- }()
	p.pos++ // '['
	b := p.freshBlank()
	p.skipSpace()
	if p.peek() == ']' { // ANON
		p.pos++
		return b, nil
	}
	if err := p.predicateObjectList(b); err != nil {
		return term{}, err
	}
	return b, p.expect(']')
}

func (p *turtleParser) collection() (term, error) {
	if err := p.enter(); err != nil {
		return term{}, err
	}
	defer func() { p.depth-- }()
	p.pos++ // '('
	head := iri(nsRDF + "nil")
	var last term
	for {
		p.skipSpace()
		if p.peek() == ')' {
			p.pos++
			if last.kind == termBlank {
				p.emit(triple{s: last, p: iri(nsRDF + "rest"), o: iri(nsRDF + "nil")})
			}
			return head, nil
		}
		obj, err := p.object()
		if err != nil {
			return term{}, err
		}
		cell := p.freshBlank()
		if last.kind == termBlank {
			p.emit(triple{s: last, p: iri(nsRDF + "rest"), o: cell})
		} else {
			head = cell
		}
		p.emit(triple{s: cell, p: iri(nsRDF + "first"), o: obj})
		last = cell
	}
}

func (p *turtleParser) blankNodeLabel() (term, error) {
	if !bytes.HasPrefix(p.src[p.pos:], []byte("_:")) {
		return term{}, p.errorf("expected a blank node label")
	}
	p.pos += 2
	start := p.pos
	for p.pos < len(p.src) {
		r, size := decodeRune(p.src[p.pos:])
		ok := isPNChars(r) || r == '.'
		if p.pos == start {
			ok = isPNCharsU(r) || (r >= '0' && r <= '9')
		}
		if !ok {
			break
		}
		p.pos += size
	}
	for p.pos > start && p.src[p.pos-1] == '.' { // a label cannot end with '.'
		p.pos--
	}
	if p.pos == start {
		return term{}, p.errorf("empty blank node label")
	}
	label := string(p.src[start:p.pos])
	v, ok := p.labels[label]
	if !ok {
		v = label
		p.labels[label] = v
	}
	return term{kind: termBlank, value: v}, nil
}

// iri reads an IRIREF or a prefixed name.
func (p *turtleParser) iri() (term, error) {
	p.skipSpace()
	if p.peek() == '<' {
		v, err := p.iriRef()
		return iri(v), err
	}
	return p.prefixedName()
}

func (p *turtleParser) iriRef() (string, error) {
	if p.peek() != '<' {
		return "", p.errorf("expected an IRI")
	}
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			return "", p.errorf("unterminated IRI")
		}
		c := p.src[p.pos]
		switch {
		case c == '>':
			p.pos++
			return p.resolve(b.String()), nil
		case c == '\\':
			r, err := p.uchar()
			if err != nil {
				return "", err
			}
			if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
				return "", p.errorf("character %U not allowed in an IRI", r)
			}
			b.WriteRune(r)
		case c <= 0x20 || strings.IndexByte("<\"{}|^`", c) >= 0:
			return "", p.errorf("character %q not allowed in an IRI", c)
		default:
			r, size := utf8.DecodeRune(p.src[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf("invalid UTF-8")
			}
			b.WriteRune(r)
			p.pos += size
		}
	}
}

// uchar reads \uXXXX or \UXXXXXXXX at p.pos.
func (p *turtleParser) uchar() (rune, error) {
	if p.pos+1 >= len(p.src) {
		return 0, p.errorf("unterminated escape")
	}
	n := 0
	switch p.src[p.pos+1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, p.errorf("malformed escape")
	}
	if p.pos+2+n > len(p.src) {
		return 0, p.errorf("unterminated escape")
	}
	v, err := strconv.ParseUint(string(p.src[p.pos+2:p.pos+2+n]), 16, 32)
	if err != nil || v > unicode.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, p.errorf("malformed escape")
	}
	p.pos += 2 + n
	return rune(v), nil
}

func (p *turtleParser) resolve(ref string) string {
	if p.base == "" && !hasScheme(ref) && p.relative != nil && !p.relativeSeen[ref] {
		p.relativeSeen[ref] = true
		*p.relative = append(*p.relative, ref)
	}
	return resolveIRI(p.base, ref)
}

// resolveIRI resolves a reference against a base IRI (RFC 3986). An
// absolute reference, or any reference when the base is empty or
// unparsable, is returned as it is.
func resolveIRI(base, ref string) string {
	if base == "" || hasScheme(ref) {
		return ref
	}
	if r, ok := strings.CutSuffix(ref, "#"); ok && !strings.Contains(r, "#") {
		// net/url drops an empty fragment; "<#>" must keep its '#'.
		out := resolveIRI(base, r)
		if r == "" {
			out, _, _ = strings.Cut(base, "#")
		}
		return out + "#"
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return false
			}
		case c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}

func (p *turtleParser) prefixedName() (term, error) {
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != ':' {
		r, size := decodeRune(p.src[p.pos:])
		if !isPNChars(r) && r != '.' {
			break
		}
		p.pos += size
	}
	if p.pos >= len(p.src) || p.src[p.pos] != ':' {
		p.pos = start
		if start >= len(p.src) {
			return term{}, p.errorf("expected an IRI, found end of input")
		}
		return term{}, p.errorf("expected an IRI")
	}
	prefix := string(p.src[start:p.pos])
	ns, ok := p.prefixes[prefix]
	if !ok {
		p.pos = start
		return term{}, p.errorf("undeclared prefix %q", prefix)
	}
	p.pos++ // ':'
	var local strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '\\' { // PN_LOCAL_ESC
			if p.pos+1 < len(p.src) && strings.IndexByte("_~.-!$&'()*+,;=/?#@%", p.src[p.pos+1]) >= 0 {
				local.WriteByte(p.src[p.pos+1])
				p.pos += 2
				continue
			}
			return term{}, p.errorf("malformed escape in a local name")
		}
		if c == '%' {
			if p.pos+2 < len(p.src) && isHex(p.src[p.pos+1]) && isHex(p.src[p.pos+2]) {
				local.Write(p.src[p.pos : p.pos+3])
				p.pos += 3
				continue
			}
			return term{}, p.errorf("malformed percent escape in a local name")
		}
		r, size := decodeRune(p.src[p.pos:])
		first := local.Len() == 0
		if first && !(isPNCharsU(r) || r == ':' || (r >= '0' && r <= '9')) {
			break // a local name cannot start with '-', '.', U+00B7...
		}
		if !(isPNChars(r) || r == ':' || r == '.') {
			break
		}
		if r == '.' {
			// A dot is part of the name only when a name character follows.
			q := p.pos
			for q < len(p.src) && p.src[q] == '.' {
				q++
			}
			if q >= len(p.src) {
				break
			}
			nr, _ := decodeRune(p.src[q:])
			if !(isPNChars(nr) || nr == ':' || nr == '%' || nr == '\\') {
				break
			}
		}
		local.WriteRune(r)
		p.pos += size
	}
	return iri(ns + local.String()), nil
}

func (p *turtleParser) rdfLiteral() (term, error) {
	s, err := p.stringLiteral()
	if err != nil {
		return term{}, err
	}
	switch {
	case p.peek() == '@':
		p.pos++
		start := p.pos
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (p.pos > start && ((c >= '0' && c <= '9') || c == '-')) {
				p.pos++
				continue
			}
			break
		}
		tag := string(p.src[start:p.pos])
		if tag == "" || strings.HasSuffix(tag, "-") || strings.Contains(tag, "--") {
			return term{}, p.errorf("malformed language tag")
		}
		return langLiteral(s, strings.ToLower(tag)), nil
	case bytes.HasPrefix(p.src[p.pos:], []byte("^^")):
		p.pos += 2
		dt, err := p.iri()
		if err != nil {
			return term{}, err
		}
		if dt.value == nsXSD+"string" {
			return literal(s), nil
		}
		return typed(s, dt.value), nil
	}
	return literal(s), nil
}

func (p *turtleParser) stringLiteral() (string, error) {
	q := p.src[p.pos]
	long := len(p.src)-p.pos >= 3 && p.src[p.pos+1] == q && p.src[p.pos+2] == q
	if long {
		p.pos += 3
	} else {
		p.pos++
	}
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			return "", p.errorf("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == q && !long:
			p.pos++
			return b.String(), nil
		case c == q && long && len(p.src)-p.pos >= 3 && p.src[p.pos+1] == q && p.src[p.pos+2] == q:
			p.pos += 3
			return b.String(), nil
		case (c == '\n' || c == '\r') && !long:
			return "", p.errorf("line break in a short string")
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				return "", p.errorf("unterminated escape")
			}
			switch e := p.src[p.pos+1]; e {
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 'f':
				b.WriteByte('\f')
			case '"', '\'', '\\':
				b.WriteByte(e)
			case 'u', 'U':
				r, err := p.uchar()
				if err != nil {
					return "", err
				}
				b.WriteRune(r)
				continue
			default:
				return "", p.errorf("malformed escape")
			}
			p.pos += 2
		default:
			r, size := utf8.DecodeRune(p.src[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf("invalid UTF-8")
			}
			b.WriteRune(r)
			p.pos += size
		}
	}
}

func (p *turtleParser) numericLiteral() (term, error) {
	start := p.pos
	if c := p.peek(); c == '+' || c == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intDigits := digits()
	dt := nsXSD + "integer"
	if p.peek() == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9' {
		p.pos++
		digits()
		dt = nsXSD + "decimal"
	} else if p.peek() == '.' && intDigits > 0 && p.pos+1 < len(p.src) && (p.src[p.pos+1] == 'e' || p.src[p.pos+1] == 'E') {
		p.pos++ // "1.e5"
	} else if intDigits == 0 && !(p.peek() == 'e' || p.peek() == 'E') {
		p.pos = start
		return term{}, p.errorf("malformed number")
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if digits() == 0 {
			return term{}, p.errorf("malformed exponent")
		}
		dt = nsXSD + "double"
	}
	lex := string(p.src[start:p.pos])
	if lex == "+" || lex == "-" || lex == "." {
		return term{}, p.errorf("malformed number")
	}
	return typed(lex, dt), nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// decodeRune decodes the rune at the start of b; invalid UTF-8 gives -1,
// which no character class accepts (U+FFFD itself is a name character).
func decodeRune(b []byte) (rune, int) {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return -1, 1
	}
	return r, size
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// isPNCharsBase follows PN_CHARS_BASE of the Turtle grammar.
func isPNCharsBase(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		return true
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isPNCharsU(r rune) bool { return isPNCharsBase(r) || r == '_' }

// isPNChars follows PN_CHARS.
func isPNChars(r rune) bool {
	switch {
	case isPNCharsU(r), r == '-', r >= '0' && r <= '9', r == 0xB7,
		r >= 0x300 && r <= 0x36F, r >= 0x203F && r <= 0x2040:
		return true
	}
	return false
}

// readAllLimited reads r up to limit bytes; more is an error.
func readAllLimited(r io.Reader, limit int64, format string) ([]byte, error) {
	if limit <= 0 {
		limit = maxReadBytes
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("opendata: read %s: %w", format, err)
	}
	if int64(len(b)) > limit {
		return nil, &SyntaxError{Format: format, Msg: fmt.Sprintf("document larger than %d bytes", limit)}
	}
	return b, nil
}

// ReadTurtle reads a DCAT-AP catalogue (or a page of one, or a lone
// dataset) written in Turtle. Statements that cannot be mapped onto the
// model are listed in ReadResult.Problems; a document that is not Turtle
// fails with a *SyntaxError (which matches ErrInvalid).
func ReadTurtle(r io.Reader, opts ReadOptions) (*ReadResult, error) {
	src, err := readAllLimited(r, opts.MaxBytes, "turtle")
	if err != nil {
		return nil, err
	}
	var ts []triple
	var rel []string
	// Where each subject is first described, for the report.
	offsets := make(map[term]int)
	var p *turtleParser
	p = newTurtleParser(src, opts.Base, func(t triple) {
		ts = append(ts, t)
		if _, ok := offsets[t.s]; !ok {
			offsets[t.s] = p.pos
		}
	})
	p.relative, p.relativeSeen = &rel, make(map[string]bool)
	if err := p.parse(); err != nil {
		return nil, err
	}
	var lineStarts []int // built on first use
	locate := func(s term) string {
		off, ok := offsets[s]
		if !ok {
			return ""
		}
		if lineStarts == nil {
			lineStarts = append(lineStarts, 0)
			for i, c := range src {
				if c == '\n' {
					lineStarts = append(lineStarts, i+1)
				}
			}
		}
		line := sort.Search(len(lineStarts), func(i int) bool { return lineStarts[i] > off })
		return "line " + strconv.Itoa(line)
	}
	res := readGraph(ts, locate)
	for _, v := range rel {
		res.Problems = append(res.Problems, Finding{Path: "<" + v + ">", Rule: RuleFormat, Param: "relative IRI without a base", Severity: SeverityWarning})
	}
	return res, nil
}
