package formats

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit/voting"
)

// abifParser reads ABIF lines. Candidates are numbered as they are
// declared or first met in a ballot.
type abifParser struct {
	tokens   map[string]int
	names    []string
	toks     []string
	declared []int // line of the declaration, 0 if none
	first    []int // line where the candidate first appears
	rb       *rankBuilder
	set      *ballotSet // keys start with 'r' (ranked), 's' (rated) or 'b' (blank)
	scores   []rated
	meta     map[string]string
	title    string
	// lines of the first ranked and first rated ballot, to report a mix
	firstRanked, firstRated int
	maxSeen, maxSeenLine    int
}

type rated struct{ c, v int }

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// token reads a bare or [bracketed] candidate token at b[i:].
func (p *abifParser) token(b []byte, i, line int) (string, int, error) {
	if i < len(b) && b[i] == '[' {
		j := bytes.IndexByte(b[i+1:], ']')
		if j < 0 {
			return "", 0, parseErr(line, "unterminated '['", token(b, i))
		}
		tok := string(b[i+1 : i+1+j])
		if tok == "" {
			return "", 0, parseErr(line, "empty candidate token", "[]")
		}
		return tok, i + j + 2, nil
	}
	j := i
	for j < len(b) && isTokenByte(b[j]) {
		j++
	}
	if j == i {
		return "", 0, parseErr(line, "expected a candidate token", token(b, i))
	}
	return string(b[i:j]), j, nil
}

// candidate returns the index of tok, adding it when new.
func (p *abifParser) candidate(tok string, line int) (int, error) {
	if c, ok := p.tokens[tok]; ok {
		return c, nil
	}
	c := len(p.names)
	p.tokens[tok] = c
	p.names = append(p.names, tok)
	p.toks = append(p.toks, tok)
	p.declared = append(p.declared, 0)
	p.first = append(p.first, line)
	p.rb.grow(len(p.names))
	return c, nil
}

// declaration reads "=tok:[Full Name]".
func (p *abifParser) declaration(b []byte, line int) error {
	i := skipSpace(b, 1)
	tok, i, err := p.token(b, i, line)
	if err != nil {
		return err
	}
	if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
		return parseErr(line, "expected ':' after the candidate token", token(b, i))
	}
	i = skipSpace(b, i+1)
	// The name is [bracketed] text or, like a token, a bare word.
	name, i, err := p.token(b, i, line)
	if err != nil {
		return err
	}
	if i = skipSpace(b, i); i < len(b) && b[i] != '#' {
		return parseErr(line, "unexpected text after the declaration", token(b, i))
	}
	c, known := p.tokens[tok]
	if known && p.declared[c] > 0 {
		return parseErr(line, "candidate declared twice", fmt.Sprintf("%s, first on line %d", excerpt(tok), p.declared[c]))
	}
	if !known {
		if c, err = p.candidate(tok, line); err != nil {
			return err
		}
	}
	p.names[c] = name
	p.declared[c] = line
	return nil
}

// metadata reads a "{"key": value}" line. Keys may be bare words, as in
// the ABIF test files; values are kept as text (JSON strings unquoted).
func (p *abifParser) metadata(b []byte, line int) error {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&m); err == nil {
		if rest := trimSpace(b[dec.InputOffset():]); len(rest) > 0 && rest[0] != '#' {
			return parseErr(line, "unexpected text after the metadata", token(rest, 0))
		}
	} else {
		end := bytes.LastIndexByte(b, '}')
		k, v, ok := bytes.Cut(b[1:max(end, 1)], []byte(":"))
		key := string(trimSpace(k))
		if end < 0 || !ok || key == "" || strings.ContainsAny(key, "\"{}") {
			return parseErr(line, "metadata not a JSON object", token(b, 0))
		}
		if rest := trimSpace(b[end+1:]); len(rest) > 0 && rest[0] != '#' {
			return parseErr(line, "unexpected text after the metadata", token(rest, 0))
		}
		v = trimSpace(v)
		if !json.Valid(v) {
			v, _ = json.Marshal(string(v))
		}
		m = map[string]json.RawMessage{key: v}
	}
	for k, raw := range m {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			s = string(raw)
		}
		if k == "title" {
			p.title = s
			continue
		}
		if _, dup := p.meta[k]; dup {
			return parseErr(line, "metadata key repeated", k)
		}
		p.meta[k] = s
	}
	return nil
}

// ballot reads "count: A>B=C" or "count: A/5>B/3,C/0".
func (p *abifParser) ballot(b []byte, line int) error {
	count, i, ok := parseUint(b, 0, math.MaxInt64)
	if !ok || count == 0 {
		return parseErr(line, "count not a positive integer", token(b, 0))
	}
	if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
		return parseErr(line, "expected ':' after the count", token(b, i))
	}
	i = skipSpace(b, i+1)
	p.rb.reset()
	p.scores = p.scores[:0]
	anyRated, anyItem := false, false
	for i < len(b) && b[i] != '#' {
		tok, j, err := p.token(b, i, line)
		if err != nil {
			return err
		}
		c, err := p.candidate(tok, line)
		if err != nil {
			return err
		}
		if rule := p.rb.add(int64(c) + 1); rule != "" {
			return parseErr(line, rule, excerpt(tok))
		}
		anyItem = true
		v := voting.NoScore
		if i = skipSpace(b, j); i < len(b) && b[i] == '/' {
			var r int64
			r, j, ok = parseUint(b, skipSpace(b, i+1), 1<<30)
			if !ok {
				return parseErr(line, "rating not a non-negative integer", token(b, skipSpace(b, i+1)))
			}
			v, anyRated = int(r), true
			if v > p.maxSeen || p.maxSeenLine == 0 {
				p.maxSeen, p.maxSeenLine = max(v, p.maxSeen), line
			}
			i = skipSpace(b, j)
		}
		p.scores = append(p.scores, rated{c, v})
		if i >= len(b) || b[i] == '#' {
			break
		}
		switch b[i] {
		case '>':
			p.rb.close()
		case '=', ',':
		case '*':
			return parseErr(line, "weighted ballots not supported", "'*'")
		default:
			return parseErr(line, "expected '>', '=' or ','", token(b, i))
		}
		if i = skipSpace(b, i+1); i >= len(b) || b[i] == '#' {
			return parseErr(line, "expected a candidate token", "end of line")
		}
	}
	key := p.rb.key[:0:0]
	switch {
	case !anyItem:
		key = append(key, 'b')
	case anyRated:
		if p.firstRated == 0 {
			p.firstRated = line
		}
		slices.SortFunc(p.scores, func(a, b rated) int { return cmp.Compare(a.c, b.c) })
		key = append(key, 's')
		for _, s := range p.scores {
			key = binary.AppendUvarint(key, uint64(s.c))
			if s.v == voting.NoScore {
				key = append(key, 0)
			} else {
				key = binary.AppendUvarint(key, uint64(s.v)+1)
			}
		}
	default:
		if p.firstRanked == 0 {
			p.firstRanked = line
		}
		p.rb.close()
		key = append(append(key, 'r'), p.rb.key...)
	}
	if !p.set.add(key, count) {
		return parseErr(line, "total count overflows", errTotal)
	}
	return nil
}

func readABIF(r io.Reader, opts ReadOptions) (*Election, error) {
	lr := newLineReader(r)
	p := &abifParser{
		tokens: map[string]int{}, meta: map[string]string{},
		rb: newRankBuilder(0), set: newBallotSet(),
	}
	for b, ok := lr.next(); ok; b, ok = lr.next() {
		b = trimSpace(b)
		var err error
		switch {
		case len(b) == 0 || b[0] == '#':
		case b[0] == '{':
			err = p.metadata(b, lr.line)
		case b[0] >= '0' && b[0] <= '9':
			err = p.ballot(b, lr.line)
		case b[0] == '=':
			err = p.declaration(b, lr.line)
		case lr.line == 1 && (string(b) == "ABIF" || bytes.HasPrefix(b, []byte("ABIF "))):
			// version line of early drafts
		default:
			err = parseErr(lr.line, "unrecognised line", token(b, 0))
		}
		if err != nil {
			return nil, err
		}
	}
	if err := lr.failure(); err != nil {
		return nil, err
	}
	if len(p.names) == 0 {
		return nil, parseErr(0, "no candidates", "")
	}
	seen := map[string]int{}
	for c, name := range p.names {
		if err := checkName(seen, name, max(p.declared[c], p.first[c])); err != nil {
			return nil, err
		}
	}
	if p.firstRanked > 0 && p.firstRated > 0 {
		return nil, parseErr(max(p.firstRanked, p.firstRated), "mixed ranked and rated ballots",
			fmt.Sprintf("first ranked ballot on line %d, first rated on line %d", p.firstRanked, p.firstRated))
	}
	e := &Election{Title: p.title, Candidates: p.names}
	if !slices.Equal(p.toks, p.names) {
		e.Tokens = p.toks
	}
	if p.firstRated == 0 {
		rs := &ballotSet{keys: make([]string, len(p.set.keys)), counts: p.set.counts}
		for i, k := range p.set.keys {
			rs.keys[i] = k[1:] // 'b' leaves "", the empty ranking
		}
		var err error
		if e.Ranked, err = rs.rankedProfile(p.names, opts.Policy); err != nil {
			return nil, err
		}
	} else {
		lo, err := metaInt(p.meta, "min_rating", 0)
		if err != nil {
			return nil, err
		}
		hi, err := metaInt(p.meta, "max_rating", max(p.maxSeen, lo+1))
		if err != nil {
			return nil, err
		}
		switch {
		case lo < 0:
			return nil, parseErr(0, "min_rating negative", strconv.Itoa(lo))
		case hi <= lo:
			return nil, parseErr(0, "max_rating not above min_rating", fmt.Sprintf("%d, %d", hi, lo))
		case p.maxSeen > hi:
			return nil, parseErr(p.maxSeenLine, "rating out of range", fmt.Sprintf("%d above max_rating %d", p.maxSeen, hi))
		}
		delete(p.meta, "min_rating")
		delete(p.meta, "max_rating")
		spec := voting.CardinalSpec{Kind: voting.Score, Min: lo, Max: hi}
		if lo == 0 && hi == 1 {
			spec = voting.CardinalSpec{Kind: voting.Approval}
		}
		if e.Cardinal, err = ratedProfile(p.set, p.names, spec); err != nil {
			return nil, err
		}
	}
	if len(p.meta) > 0 {
		e.Meta = p.meta
	}
	return e, nil
}

func metaInt(m map[string]string, key string, def int) (int, error) {
	s, ok := m[key]
	if !ok {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, parseErr(0, key+" not an integer", excerpt(s))
	}
	return v, nil
}

// ratedProfile decodes the 's' keys (candidate, rating+1 or 0 for none)
// and the blank ones.
func ratedProfile(s *ballotSet, names []string, spec voting.CardinalSpec) (*voting.CardinalProfile, error) {
	p, err := voting.NewCardinalProfile(names, spec)
	if err != nil {
		return nil, parseErr(0, "invalid candidates", err.Error())
	}
	scores := make([]int, len(names))
	for i, key := range s.keys {
		for c := range scores {
			scores[c] = voting.NoScore
		}
		for j := 1; j < len(key); {
			var c, v int
			c, j = uvarint(key, j)
			v, j = uvarint(key, j)
			if v > 0 {
				scores[c] = v - 1
			}
		}
		if err := p.Add(scores, s.counts[i]); err != nil {
			return nil, parseErr(0, "invalid ballot", err.Error())
		}
	}
	return p, nil
}

func bareToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// abifTokens picks a token per candidate: e.Tokens when usable, else the
// name when it is a bare token, else c1, c2, ... avoiding clashes.
func abifTokens(e *Election, names []string) []string {
	if len(e.Tokens) == len(names) {
		seen := map[string]bool{}
		ok := true
		for _, t := range e.Tokens {
			ok = ok && bareToken(t) && !seen[t]
			seen[t] = true
		}
		if ok {
			return e.Tokens
		}
	}
	taken := map[string]bool{}
	for _, n := range names {
		if bareToken(n) {
			taken[n] = true
		}
	}
	toks := make([]string, len(names))
	next := 1
	for i, n := range names {
		if bareToken(n) {
			toks[i] = n
			continue
		}
		for taken["c"+strconv.Itoa(next)] {
			next++
		}
		toks[i] = "c" + strconv.Itoa(next)
		taken[toks[i]] = true
	}
	return toks
}

func writeABIF(w *bufio.Writer, e *Election) error {
	names := e.names()
	for _, n := range names {
		if strings.ContainsAny(n, "]\n") {
			return fmt.Errorf("%w: candidate name %q cannot be put in ABIF brackets", ErrUnsupported, n)
		}
	}
	var spec voting.CardinalSpec
	if e.Cardinal != nil {
		spec = e.Cardinal.Spec()
		switch {
		case spec.Kind == voting.Approval:
			spec.Min, spec.Max = 0, 1
		case spec.Kind != voting.Score:
			return fmt.Errorf("%w: ABIF holds ranked, approval and score ballots, not %s", ErrUnsupported, spec.Kind)
		case spec.Min < 0:
			return fmt.Errorf("%w: ABIF ratings are not negative (range [%d, %d])", ErrUnsupported, spec.Min, spec.Max)
		}
	}
	jsonLine := func(k string, v any) {
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		fmt.Fprintf(w, "{%s: %s}\n", kb, vb)
	}
	if e.Title != "" {
		jsonLine("title", e.Title)
	}
	for _, k := range sortedMetaKeys(e.Meta) {
		if k == "title" || e.Cardinal != nil && (k == "min_rating" || k == "max_rating") {
			continue
		}
		jsonLine(k, e.Meta[k])
	}
	if e.Cardinal != nil {
		jsonLine("max_rating", spec.Max)
		jsonLine("min_rating", spec.Min)
	}
	toks := abifTokens(e, names)
	for i, n := range names {
		fmt.Fprintf(w, "=%s:[%s]\n", toks[i], n)
	}
	var buf []byte
	if e.Ranked != nil {
		for r, c := range e.Ranked.Ballots() {
			buf = append(strconv.AppendInt(buf[:0], c, 10), ':')
			for gi, g := range r {
				for j, cand := range g {
					switch {
					case j > 0:
						buf = append(buf, '=')
					case gi > 0:
						buf = append(buf, '>')
					}
					buf = append(buf, toks[cand]...)
				}
			}
			w.Write(append(buf, '\n'))
		}
		return nil
	}
	var order []int
	for s, c := range e.Cardinal.Ballots() {
		order = order[:0]
		for cand, v := range s {
			if v != voting.NoScore {
				order = append(order, cand)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s[b], s[a]) })
		buf = append(strconv.AppendInt(buf[:0], c, 10), ':')
		for j, cand := range order {
			switch {
			case j > 0 && s[cand] == s[order[j-1]]:
				buf = append(buf, '=')
			case j > 0:
				buf = append(buf, '>')
			}
			buf = append(buf, toks[cand]...)
			buf = append(buf, '/')
			buf = strconv.AppendInt(buf, int64(s[cand]), 10)
		}
		w.Write(append(buf, '\n'))
	}
	return nil
}
