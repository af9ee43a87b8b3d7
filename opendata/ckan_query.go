package opendata

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/civickit/civickit"
)

// CKAN's package_search passes q and fq to Solr. A civickit portal accepts
// the subset of the Lucene syntax that CKAN clients and harvesters send:
//
//	word "a phrase"                 free text (every word must match)
//	field:value  field:"a value"    a facet filter (exact value)
//	field:(v1 OR v2 OR "v 3")       any of the values
//	+field:v  -field:v  NOT field:v required (the default) / excluded
//	clause AND clause               AND is the default between clauses
//	field:a OR field:b              OR between clauses of one field
//	*:*                             everything
//	\x                              a backslash escapes the next character
//	metadata_modified:[a TO b]      a date range ({a TO b} excludes the
//	metadata_created:[a TO *]       bounds; * is open): what ckanext-harvest
//	                                sends to harvest incrementally
//
// Fields: organization (the publisher key), tags (a keyword), res_format
// (a file type: "CSV" or its EU IRI), license_id ("etalab-2.0",
// "CC-BY-4.0"... or a licence IRI), groups and theme (an EU data theme:
// "gove" or its IRI); text, title and notes are free text. Anything else
// is refused with ErrInvalid naming the parameter: a wrong answer would be
// worse than an error for a harvester.

// CKAN field names understood in q and fq, and the facets they filter.
var ckanFields = map[string]Facet{
	"organization": FacetPublisher,
	"tags":         FacetKeyword,
	"res_format":   FacetFormat,
	"license_id":   FacetLicense,
	"groups":       FacetTheme,
	"theme":        FacetTheme,
}

// ckanTextFields are searched as free text.
var ckanTextFields = map[string]bool{"text": true, "title": true, "notes": true}

// ckanRangeFields are the date fields a range clause may bound.
var ckanRangeFields = map[string]bool{"metadata_modified": true, "metadata_created": true}

// ckanClause is one parsed clause: free text, a filter or a date range.
type ckanClause struct {
	field   string // "" for free text
	values  []string
	exclude bool
	rng     *TimeRange // a range clause on a ckanRangeFields field
}

// ParseCKANQuery turns CKAN's q and fq into the text, filters and date
// ranges of a SearchQuery (the other fields are left zero). Errors are
// *civickit.ValidationError naming "q" or "fq" with rule "syntax" or
// RuleVocabulary (an unknown field).
func ParseCKANQuery(q, fq string) (SearchQuery, error) {
	var out SearchQuery
	var words []string
	for _, p := range []struct{ name, src string }{{"q", q}, {"fq", fq}} {
		clauses, err := parseLucene(p.name, p.src)
		if err != nil {
			return SearchQuery{}, err
		}
		for _, c := range clauses {
			if c.rng != nil {
				dst := &out.Modified
				if c.field == "metadata_created" {
					dst = &out.Created
				}
				*dst = intersect(*dst, *c.rng)
				continue
			}
			if c.field == "" {
				if c.exclude {
					return SearchQuery{}, syntaxError(p.name, "negated free text")
				}
				words = append(words, c.values...)
				continue
			}
			f := Filter{Facet: ckanFields[c.field], Exclude: c.exclude}
			for _, v := range c.values {
				f.Values = append(f.Values, ckanValue(f.Facet, v))
			}
			out.Filters = append(out.Filters, f)
		}
	}
	out.Text = strings.Join(words, " ")
	return out, nil
}

// intersect returns the instants in both a and b: the later From and the
// earlier To (an empty intersection then matches nothing).
func intersect(a, b TimeRange) TimeRange {
	if a.From.IsZero() || (!b.From.IsZero() && b.From.After(a.From)) {
		a.From = b.From
	}
	if a.To.IsZero() || (!b.To.IsZero() && b.To.Before(a.To)) {
		a.To = b.To
	}
	return a
}

// ckanDate reads a bound of a date range: "*" (open), or a Solr/ISO 8601
// instant with or without fractional seconds and "Z" (CKAN's own
// timestamps have no zone and are UTC), or a date, or NOW.
func ckanDate(param, v string, now func() time.Time) (time.Time, bool, error) {
	if v == "*" {
		return time.Time{}, false, nil
	}
	if v == "NOW" && now != nil {
		return now().UTC(), true, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true, nil
		}
	}
	return time.Time{}, false, syntaxError(param, "date range bound: an ISO 8601 instant or *")
}

// rangeClause reads "[a TO b]" or "{a TO b}" (the bracket is at pos).
func (l *lucene) rangeClause() (*TimeRange, error) {
	open := l.peek()
	l.pos++
	end := strings.IndexAny(l.src[l.pos:], "]}")
	if end < 0 {
		return nil, syntaxError(l.param, "unclosed range")
	}
	body, closeCh := l.src[l.pos:l.pos+end], l.src[l.pos+end]
	l.pos += end + 1
	f := strings.Fields(body)
	if len(f) != 3 || f[1] != "TO" {
		return nil, syntaxError(l.param, "range: want [from TO to]")
	}
	from, hasFrom, err := ckanDate(l.param, f[0], time.Now)
	if err != nil {
		return nil, err
	}
	to, hasTo, err := ckanDate(l.param, f[2], time.Now)
	if err != nil {
		return nil, err
	}
	// Stores keep microseconds: an excluded bound moves by one.
	if hasFrom && open == '{' {
		from = from.Truncate(time.Microsecond).Add(time.Microsecond)
	}
	if hasTo && closeCh == '}' {
		to = to.Add(-time.Nanosecond).Truncate(time.Microsecond)
	}
	if hasFrom && hasTo && to.Before(from) {
		return nil, syntaxError(l.param, "range: from after to")
	}
	return &TimeRange{From: from, To: to}, nil
}

func syntaxError(param, msg string) error {
	return civickit.Invalid(param, "syntax", msg)
}

// ckanValue maps a CKAN value to the facet value stores index.
func ckanValue(f Facet, v string) string {
	switch f {
	case FacetFormat:
		if !ValidIRI(v) {
			return SchemeFileType + "/" + strings.ToUpper(v)
		}
	case FacetTheme:
		if !ValidIRI(v) {
			return SchemeDataTheme + "/" + strings.ToUpper(v)
		}
	case FacetLicense:
		if l, ok := KnownLicense(v); ok {
			return l.IRI
		}
	}
	return v
}

// ckanFacetValue maps a stored facet value to its CKAN form.
func ckanFacetValue(f Facet, v string) string {
	switch f {
	case FacetFormat:
		return strings.TrimPrefix(v, SchemeFileType+"/")
	case FacetTheme:
		if code, ok := strings.CutPrefix(v, SchemeDataTheme+"/"); ok {
			return strings.ToLower(code)
		}
	case FacetLicense:
		return ckanLicenseID(v)
	}
	return v
}

func ckanLicenseID(iri string) string {
	if l, ok := KnownLicense(iri); ok {
		return l.SPDX
	}
	return iri
}

// lexer over a Lucene query.
type lucene struct {
	param string
	src   string
	pos   int
}

func (l *lucene) skipSpace() {
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		l.pos += n
	}
}

func (l *lucene) peek() byte {
	if l.pos < len(l.src) {
		return l.src[l.pos]
	}
	return 0
}

// special reports characters that end a bare term.
func special(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '(', ')', ':', '"':
		return true
	}
	return false
}

// bare reads an unquoted term with backslash escapes; "" if none. A
// value (after its field's colon) may hold colons, so that IRIs need no
// escaping.
func (l *lucene) bare(value bool) (string, error) {
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '\\' {
			if l.pos+1 >= len(l.src) {
				return "", syntaxError(l.param, "trailing backslash")
			}
			_, n := utf8.DecodeRuneInString(l.src[l.pos+1:])
			b.WriteString(l.src[l.pos+1 : l.pos+1+n])
			l.pos += 1 + n
			continue
		}
		if special(c) && (c != ':' || !value) {
			break
		}
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if unicode.IsSpace(r) {
			break
		}
		b.WriteString(l.src[l.pos : l.pos+n])
		l.pos += n
	}
	return b.String(), nil
}

// quoted reads a "..." string (the opening quote is at pos).
func (l *lucene) quoted() (string, error) {
	l.pos++ // opening quote
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch c {
		case '\\':
			if l.pos+1 >= len(l.src) {
				return "", syntaxError(l.param, "trailing backslash")
			}
			_, n := utf8.DecodeRuneInString(l.src[l.pos+1:])
			b.WriteString(l.src[l.pos+1 : l.pos+1+n])
			l.pos += 1 + n
		case '"':
			l.pos++
			return b.String(), nil
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return "", syntaxError(l.param, "unterminated quote")
}

// value reads one value: quoted or bare, not empty.
func (l *lucene) value() (string, error) {
	if l.peek() == '"' {
		return l.quoted()
	}
	v, err := l.bare(true)
	if err != nil {
		return "", err
	}
	if v == "" {
		return "", syntaxError(l.param, "missing value")
	}
	return v, nil
}

// group reads (v1 OR v2 ...) after the opening parenthesis.
func (l *lucene) group() ([]string, error) {
	l.pos++ // (
	var vs []string
	for {
		l.skipSpace()
		switch l.peek() {
		case 0:
			return nil, syntaxError(l.param, "unclosed parenthesis")
		case ')':
			l.pos++
			if len(vs) == 0 {
				return nil, syntaxError(l.param, "empty group")
			}
			return vs, nil
		}
		v, err := l.value()
		if err != nil {
			return nil, err
		}
		if v == "OR" {
			if len(vs) == 0 {
				return nil, syntaxError(l.param, "OR without a left value")
			}
			continue
		}
		if v == "AND" || v == "NOT" {
			return nil, syntaxError(l.param, v+" inside a group")
		}
		vs = append(vs, v)
	}
}

// parseLucene splits a query into clauses.
func parseLucene(param, src string) ([]ckanClause, error) {
	if len(src) > 4000 {
		return nil, syntaxError(param, "longer than 4000 bytes")
	}
	if !utf8.ValidString(src) {
		return nil, syntaxError(param, "not UTF-8")
	}
	l := &lucene{param: param, src: src}
	var out []ckanClause
	orNext, negNext := false, false
	for {
		l.skipSpace()
		c := l.peek()
		if c == 0 {
			break
		}
		exclude := negNext
		negNext = false
		switch c {
		case '+':
			l.pos++
		case '-', '!':
			l.pos++
			exclude = !exclude
		case '(':
			return nil, syntaxError(param, "parenthesis without a field")
		case ')':
			return nil, syntaxError(param, "unbalanced parenthesis")
		}
		var term string
		var err error
		if l.peek() == '"' {
			term, err = l.quoted()
			if err != nil {
				return nil, err
			}
			if err := appendClause(&out, &orNext, param, ckanClause{values: civickit.Words(term, MaxTermLen), exclude: exclude}); err != nil {
				return nil, err
			}
			continue
		}
		if term, err = l.bare(false); err != nil {
			return nil, err
		}
		if l.peek() != ':' {
			switch {
			case term == "" && (l.peek() == 0 || unicode.IsSpace(rune(l.peek()))):
				continue // a lone sign
			case term == "":
				return nil, syntaxError(param, "unexpected "+string(l.peek()))
			case term == "AND" && !exclude:
				continue
			case term == "OR" && !exclude:
				if len(out) == 0 || orNext {
					return nil, syntaxError(param, "OR without a left clause")
				}
				orNext = true
				continue
			case term == "NOT" && !exclude:
				negNext = true
				continue
			}
			if term == "" {
				return nil, syntaxError(param, "missing term")
			}
			if err := appendClause(&out, &orNext, param, ckanClause{values: civickit.Words(term, MaxTermLen), exclude: exclude}); err != nil {
				return nil, err
			}
			continue
		}
		l.pos++ // ':'
		if term == "*" {
			if v, err := l.value(); err != nil || v != "*" {
				return nil, syntaxError(param, "only *:* may use a wildcard field")
			}
			if exclude {
				return nil, syntaxError(param, "negated *:*")
			}
			continue
		}
		if ckanTextFields[term] {
			v, err := l.value()
			if err != nil {
				return nil, err
			}
			if err := appendClause(&out, &orNext, param, ckanClause{values: civickit.Words(v, MaxTermLen), exclude: exclude}); err != nil {
				return nil, err
			}
			continue
		}
		if ckanRangeFields[term] {
			if c := l.peek(); c != '[' && c != '{' {
				return nil, syntaxError(param, term+" takes a range: [from TO to]")
			}
			if exclude {
				return nil, syntaxError(param, "negated range")
			}
			rng, err := l.rangeClause()
			if err != nil {
				return nil, err
			}
			if err := appendClause(&out, &orNext, param, ckanClause{field: term, rng: rng}); err != nil {
				return nil, err
			}
			continue
		}
		if _, ok := ckanFields[term]; !ok {
			return nil, civickit.Invalid(param, RuleVocabulary, civickit.Truncate(term, 64))
		}
		var values []string
		if l.peek() == '(' {
			values, err = l.group()
		} else {
			var v string
			v, err = l.value()
			values = []string{v}
		}
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			if strings.ContainsAny(v, "*?") && !strings.HasPrefix(v, "http") {
				return nil, syntaxError(param, "wildcards are not supported")
			}
		}
		if err := appendClause(&out, &orNext, param, ckanClause{field: term, values: values, exclude: exclude}); err != nil {
			return nil, err
		}
	}
	if orNext || negNext {
		return nil, syntaxError(param, "dangling operator")
	}
	return out, nil
}

// appendClause adds c, merging it into the previous clause when an OR joins
// them: only clauses of one field, neither excluded, can be ORed.
func appendClause(out *[]ckanClause, orNext *bool, param string, c ckanClause) error {
	if !*orNext {
		if c.field == "" && len(c.values) == 0 {
			return nil // only punctuation: nothing to require
		}
		*out = append(*out, c)
		return nil
	}
	*orNext = false
	prev := &(*out)[len(*out)-1]
	if prev.field == "" || prev.field != c.field || prev.exclude || c.exclude || prev.rng != nil || c.rng != nil {
		return syntaxError(param, "OR joins only clauses of one field")
	}
	prev.values = append(prev.values, c.values...)
	return nil
}
