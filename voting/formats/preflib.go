package formats

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit/voting"
)

// preflibHeader is what the '#' lines of a PrefLib file declare; each
// number keeps its line for error messages (0: not declared).
type preflibHeader struct {
	n, nLine             int
	voters, unique       int64
	votersLine           int
	uniqueLine           int
	k, kLine             int
	names, categories    map[int]string
	nameLine, categLine  map[int]int
	dataType             string
	dataLine             int
	title                string
	meta                 map[string]string
	seen                 map[string]int
	legacySum, legacyCnt int64 // legacy layout: sum of counts, unique orders
	legacyLine           int
}

// headerNumber parses a header count.
func headerNumber(v string, line int, field string) (int64, error) {
	x, err := strconv.ParseInt(v, 10, 64)
	if err != nil || x < 0 {
		return 0, parseErr(line, "header value not a number", fmt.Sprintf("%s: %s", field, excerpt(v)))
	}
	return x, nil
}

// field records one "# KEY: value" line.
func (h *preflibHeader) field(b []byte, line int, cat bool) error {
	k, v, ok := bytes.Cut(b[1:], []byte(":"))
	if !ok {
		return nil // a '#' line without a colon is a comment
	}
	key := strings.ToUpper(string(trimSpace(k)))
	val := string(trimSpace(v))
	if key == "" {
		return nil
	}
	if l, dup := h.seen[key]; dup {
		return parseErr(line, "header field repeated", fmt.Sprintf("%s, first on line %d", key, l))
	}
	h.seen[key] = line
	var err error
	var x int64
	switch {
	case strings.HasPrefix(key, "ALTERNATIVE NAME "), cat && strings.HasPrefix(key, "CATEGORY NAME "):
		num, _ := strings.CutPrefix(strings.TrimPrefix(key, "ALTERNATIVE NAME "), "CATEGORY NAME ")
		i, err := strconv.Atoi(num)
		if err != nil || i < 1 || !isDigits([]byte(num)) {
			return parseErr(line, "bad name number", num)
		}
		names, lines := h.names, h.nameLine
		if strings.HasPrefix(key, "CATEGORY") {
			names, lines = h.categories, h.categLine
		}
		if l, dup := lines[i]; dup {
			return parseErr(line, "name numbered twice", fmt.Sprintf("%d, first on line %d", i, l))
		}
		names[i], lines[i] = val, line
	case key == "NUMBER ALTERNATIVES":
		x, err = headerNumber(val, line, key)
		if err == nil && (x < 1 || x > maxCandidates) {
			err = parseErr(line, "alternatives out of range", val)
		}
		h.n, h.nLine = int(x), line
	case key == "NUMBER VOTERS":
		h.voters, err = headerNumber(val, line, key)
		h.votersLine = line
	case !cat && key == "NUMBER UNIQUE ORDERS", cat && key == "NUMBER UNIQUE PREFERENCES":
		h.unique, err = headerNumber(val, line, key)
		h.uniqueLine = line
	case cat && key == "NUMBER CATEGORIES":
		x, err = headerNumber(val, line, key)
		if err == nil && (x < 2 || x > 1<<16) {
			err = parseErr(line, "categories out of range", val+" (at least 2)")
		}
		h.k, h.kLine = int(x), line
	case key == "DATA TYPE":
		h.dataType, h.dataLine = strings.ToLower(val), line
	case key == "TITLE":
		h.title = val
	case preflibComputed(key):
		// a field of another PrefLib type: the writer recomputes it
	default:
		h.meta[metaKey(key)] = val
	}
	return err
}

// numbered turns the numbered name lines into a slice of n names.
func numbered(m map[int]string, lines map[int]int, n int, what string, firstData int) ([]string, error) {
	bad := 0 // the first line numbering past n
	for i, l := range lines {
		if i > n && (bad == 0 || l < bad) {
			bad = l
		}
	}
	if bad > 0 {
		for i, l := range lines {
			if l == bad {
				return nil, parseErr(l, what+" number out of range", fmt.Sprintf("%d of %d", i, n))
			}
		}
	}
	if len(m) < n {
		// The first gap is within the first len(m)+1 numbers.
		for i := 1; ; i++ {
			if _, ok := m[i]; !ok {
				return nil, parseErr(firstData, "missing "+what+" name", strconv.Itoa(i))
			}
		}
	}
	out := make([]string, n)
	seen := map[string]int{}
	for i := 1; i <= n; i++ {
		name, ok := m[i]
		if !ok {
			return nil, parseErr(firstData, "missing "+what+" name", strconv.Itoa(i))
		}
		if err := checkName(seen, name, lines[i]); err != nil {
			return nil, err
		}
		out[i-1] = name
	}
	return out, nil
}

// preflibParser reads the order lines.
type preflibParser struct {
	format Format
	sep    byte // ':' in the current layout, ',' in the legacy one
	n, k   int
	rb     *rankBuilder
	set    *ballotSet
	want   int // distinct orders to make room for, once growAfter are seen
}

func (p *preflibParser) ballot(b []byte, line int) error {
	count, i, ok := parseUint(b, 0, math.MaxInt64)
	if !ok || count == 0 {
		return parseErr(line, "count not a positive integer", token(b, 0))
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != p.sep {
		return parseErr(line, "expected '"+string(p.sep)+"' after the count", token(b, i))
	}
	i++
	text := b[i:]
	if at, ok := p.set.seen(text); ok {
		if !p.set.addAt(at, count) {
			return parseErr(line, "total count overflows", errTotal)
		}
		return nil
	}
	p.rb.reset()
	cat := p.format == PrefLibCAT
	if i = skipSpace(b, i); i < len(b) {
		for {
			i = skipSpace(b, i)
			if i < len(b) && b[i] == '{' {
				i = skipSpace(b, i+1)
				if i < len(b) && b[i] == '}' {
					if !cat {
						return parseErr(line, "empty tie group", "")
					}
					i++
				} else {
					for {
						var num int64
						num, i, ok = parseUint(b, i, math.MaxInt64)
						if !ok {
							return parseErr(line, "expected a candidate number", token(b, i))
						}
						if rule := p.rb.add(num); rule != "" {
							return parseErr(line, rule, strconv.FormatInt(num, 10))
						}
						i = skipSpace(b, i)
						if i < len(b) && b[i] == '}' {
							i++
							break
						}
						if i >= len(b) || b[i] != ',' {
							return parseErr(line, "expected ',' or '}'", token(b, i))
						}
						i = skipSpace(b, i+1)
					}
				}
				p.rb.close()
			} else {
				var num int64
				num, i, ok = parseUint(b, i, math.MaxInt64)
				if !ok {
					return parseErr(line, "expected a candidate number", token(b, i))
				}
				if rule := p.rb.single(num); rule != "" {
					return parseErr(line, rule, strconv.FormatInt(num, 10))
				}
			}
			i = skipSpace(b, i)
			if i == len(b) {
				break
			}
			if b[i] != ',' {
				return parseErr(line, "expected ','", token(b, i))
			}
			i++
		}
	}
	switch {
	case cat:
		if p.rb.groups != p.k {
			return parseErr(line, "categories mismatch", fmt.Sprintf("%d categories, header declares %d", p.rb.groups, p.k))
		}
	case p.rb.tied && (p.format == PrefLibSOC || p.format == PrefLibSOI):
		return parseErr(line, "tie in a strict order file", p.format.String())
	case p.rb.ranked < p.n && (p.format == PrefLibSOC || p.format == PrefLibTOC):
		return parseErr(line, "incomplete order in a complete file", fmt.Sprintf("%s order ranks %d of %d alternatives", p.format, p.rb.ranked, p.n))
	}
	if !p.set.addBallot(p.rb, count) {
		return parseErr(line, "total count overflows", errTotal)
	}
	p.set.remember(text)
	if p.want > 0 && p.set.distinct() >= growAfter {
		// The file has many distinct orders: take the header at its word.
		p.set.set.Grow(p.want, p.want*min(p.n, 16))
		p.want = 0
	}
	return nil
}

// growAfter is how many distinct orders a PrefLib file must show before
// the reader reserves room for all it declares (NUMBER UNIQUE ORDERS, at
// most maxGrow): a small file that declares millions costs nothing.
const (
	growAfter = 4096
	maxGrow   = 1 << 22
)

func readPrefLib(r io.Reader, format Format, opts ReadOptions) (*Election, error) {
	lr := newLineReader(r)
	cat := format == PrefLibCAT
	h := &preflibHeader{
		names: map[int]string{}, categories: map[int]string{},
		nameLine: map[int]int{}, categLine: map[int]int{},
		meta: map[string]string{}, seen: map[string]int{},
	}
	var b []byte
	ok := false
	for b, ok = lr.next(); ok && len(trimSpace(b)) == 0; b, ok = lr.next() {
	}
	if !ok {
		if err := lr.failure(); err != nil {
			return nil, err
		}
		return nil, parseErr(0, "empty input", "")
	}
	legacy := b[0] != '#'
	if legacy {
		if cat {
			return nil, parseErr(lr.line, "CAT files need the '#' header", "")
		}
		var err error
		if b, ok, err = readLegacyHeader(lr, b, h); err != nil {
			return nil, err
		}
	} else {
		for ; ok; b, ok = lr.next() {
			t := trimSpace(b)
			if len(t) == 0 {
				continue
			}
			if t[0] != '#' {
				break
			}
			if err := h.field(t, lr.line, cat); err != nil {
				return nil, err
			}
		}
		if err := lr.failure(); err != nil {
			return nil, err
		}
	}
	firstData := lr.line
	if !ok {
		firstData = 0
	}
	if h.dataType != "" && h.dataType != format.String() {
		return nil, parseErr(h.dataLine, "data type mismatch", fmt.Sprintf("file declares %s, read as %s", h.dataType, format))
	}
	if h.nLine == 0 {
		return nil, parseErr(firstData, "missing header field", "NUMBER ALTERNATIVES")
	}
	names, err := numbered(h.names, h.nameLine, h.n, "alternative", firstData)
	if err != nil {
		return nil, err
	}
	var categories []string
	if cat {
		if h.kLine == 0 {
			return nil, parseErr(firstData, "missing header field", "NUMBER CATEGORIES")
		}
		if categories, err = numbered(h.categories, h.categLine, h.k, "category", firstData); err != nil {
			return nil, err
		}
	}
	sep := byte(':')
	if legacy {
		sep = ','
	}
	p := &preflibParser{format: format, sep: sep, n: h.n, k: h.k}
	if cat {
		p.rb, p.set = newRankBuilder(h.n), newBallotSet()
	} else {
		if h.n > voting.MaxCandidates {
			return nil, tooManyCandidates(h.nLine, h.n)
		}
		p.rb, p.set = newRunBuilder(h.n), newRankedSet()
		if h.uniqueLine > 0 && h.unique > growAfter {
			p.want = int(min(h.unique, maxGrow))
		}
	}
	for ; ok; b, ok = lr.next() {
		t := trimSpace(b)
		if len(t) == 0 {
			continue
		}
		if t[0] == '#' {
			return nil, parseErr(lr.line, "header line after the preferences", "")
		}
		if err := p.ballot(t, lr.line); err != nil {
			return nil, err
		}
	}
	if err := lr.failure(); err != nil {
		return nil, err
	}
	// Declared totals catch a truncated file; repeated orders are merged.
	s := p.set
	if legacy {
		if h.legacySum != s.total || h.voters != s.total {
			return nil, parseErr(h.legacyLine, "voters mismatch", fmt.Sprintf("declared %d voters (sum %d), found %d", h.voters, h.legacySum, s.total))
		}
		if h.legacyCnt != int64(s.lines) {
			return nil, parseErr(h.legacyLine, "unique orders mismatch", fmt.Sprintf("declared %d, found %d lines", h.legacyCnt, s.lines))
		}
	}
	if h.votersLine > 0 && h.voters != s.total {
		return nil, parseErr(h.votersLine, "voters mismatch", fmt.Sprintf("declared %d voters, found %d", h.voters, s.total))
	}
	if h.uniqueLine > 0 && h.unique != int64(s.lines) {
		return nil, parseErr(h.uniqueLine, "unique orders mismatch", fmt.Sprintf("declared %d, found %d lines", h.unique, s.lines))
	}
	e := &Election{Title: h.title, Candidates: names, Meta: h.meta}
	if cat {
		e.Categories = categories
		e.Cardinal, err = catProfile(s, names, categories)
	} else {
		e.Ranked, err = s.rankedProfile(names, opts.Policy)
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// readLegacyHeader reads the pre-2022 layout: the number of alternatives,
// "i,name" lines, then "voters,sum,unique". It returns the first line
// after that.
func readLegacyHeader(lr *lineReader, b []byte, h *preflibHeader) ([]byte, bool, error) {
	t := trimSpace(b)
	n, i, ok := parseUint(t, 0, maxCandidates)
	if !ok || i != len(t) || n < 1 {
		return nil, false, parseErr(lr.line, "expected the number of alternatives", token(t, 0))
	}
	h.n, h.nLine = int(n), lr.line
	for range n {
		if b, ok = lr.next(); !ok {
			return nil, false, eofErr(lr, "end of file in the alternatives")
		}
		t = trimSpace(b)
		num, i, ok := parseUint(t, 0, maxCandidates)
		if ok {
			i = skipSpace(t, i)
		}
		if !ok || i >= len(t) || t[i] != ',' {
			return nil, false, parseErr(lr.line, "expected 'number,name'", token(t, 0))
		}
		if _, dup := h.names[int(num)]; dup {
			return nil, false, parseErr(lr.line, "name numbered twice", strconv.FormatInt(num, 10))
		}
		h.names[int(num)], h.nameLine[int(num)] = string(trimSpace(t[i+1:])), lr.line
	}
	if b, ok = lr.next(); !ok {
		return nil, false, eofErr(lr, "end of file before the voter counts")
	}
	t = trimSpace(b)
	var nums [3]int64
	i = 0
	for j := range nums {
		if j > 0 {
			if i = skipSpace(t, i); i >= len(t) || t[i] != ',' {
				return nil, false, parseErr(lr.line, "expected 'voters,sum,unique'", token(t, i))
			}
			i++
		}
		nums[j], i, ok = parseUint(t, skipSpace(t, i), math.MaxInt64)
		if !ok {
			return nil, false, parseErr(lr.line, "expected 'voters,sum,unique'", token(t, i))
		}
	}
	if skipSpace(t, i) != len(t) {
		return nil, false, parseErr(lr.line, "expected 'voters,sum,unique'", token(t, i))
	}
	h.voters, h.legacySum, h.legacyCnt, h.legacyLine = nums[0], nums[1], nums[2], lr.line
	b, ok = lr.next()
	return b, ok, lr.failure()
}

func eofErr(lr *lineReader, rule string) error {
	if err := lr.failure(); err != nil {
		return err
	}
	return parseErr(0, rule, "")
}

// catProfile maps categories to grades: with two categories the first
// approves and the second disapproves; with k > 2 the first is the top
// grade k-1 and the last grade 0. An alternative in no category is blank.
func catProfile(s *ballotSet, names, categories []string) (*voting.CardinalProfile, error) {
	k := len(categories)
	spec := voting.CardinalSpec{Kind: voting.Approval}
	if k > 2 {
		spec = voting.CardinalSpec{Kind: voting.Graded, Scale: slices.Clone(categories)}
		slices.Reverse(spec.Scale)
	}
	p, err := voting.NewCardinalProfile(names, spec)
	if err != nil {
		return nil, parseErr(0, "invalid candidates", err.Error())
	}
	scores := make([]int, len(names))
	for i, key := range s.keys {
		for c := range scores {
			scores[c] = voting.NoScore
		}
		for gi, g := range decodeGroups(key) {
			for _, c := range g {
				scores[c] = k - 1 - gi
			}
		}
		if err := p.Add(scores, s.counts[i]); err != nil {
			return nil, parseErr(0, "invalid ballot", err.Error())
		}
	}
	return p, nil
}

// preflibStandard lists the header fields of the specification in order;
// the writer fills the computed ones and takes the others from Meta.
var preflibStandard = []string{
	"FILE NAME", "TITLE", "DESCRIPTION", "DATA TYPE", "MODIFICATION TYPE",
	"RELATES TO", "RELATED FILES", "PUBLICATION DATE", "MODIFICATION DATE",
}

// headerValue makes s fit on a header line: newlines become spaces and
// the ends are trimmed, as the reader trims them. Other bytes pass
// through: the package leaves encodings to the caller.
func headerValue(s string) string {
	return string(trimSpace([]byte(strings.ReplaceAll(s, "\n", " "))))
}

// cleanName refuses a name that a header line would change.
func cleanName(name string) error {
	if headerValue(name) != name || name == "" {
		return fmt.Errorf("%w: candidate name %q has newlines or surrounding blanks", ErrUnsupported, name)
	}
	return nil
}

func writePrefLibHeader(w *bufio.Writer, e *Election, format Format, names []string, counts map[string]int64, cat []string) {
	standard := map[string]bool{}
	for _, k := range preflibStandard {
		standard[metaKey(k)] = true
		var v string
		switch k {
		case "TITLE":
			v = e.Title
		case "DATA TYPE":
			v = format.String()
		default:
			v = e.Meta[metaKey(k)]
		}
		fmt.Fprintf(w, "# %s: %s\n", k, headerValue(v))
	}
	for _, k := range sortedMetaKeys(e.Meta) {
		hk := strings.ToUpper(strings.ReplaceAll(k, "_", " "))
		if standard[k] || strings.ContainsAny(k, ":\n") || strings.TrimSpace(hk) == "" || preflibComputed(hk) {
			continue
		}
		fmt.Fprintf(w, "# %s: %s\n", hk, headerValue(e.Meta[k]))
	}
	fmt.Fprintf(w, "# NUMBER ALTERNATIVES: %d\n", len(names))
	fmt.Fprintf(w, "# NUMBER VOTERS: %d\n", counts["voters"])
	if cat != nil {
		fmt.Fprintf(w, "# NUMBER UNIQUE PREFERENCES: %d\n", counts["unique"])
		fmt.Fprintf(w, "# NUMBER CATEGORIES: %d\n", len(cat))
		for i, c := range cat {
			fmt.Fprintf(w, "# CATEGORY NAME %d: %s\n", i+1, c)
		}
	} else {
		fmt.Fprintf(w, "# NUMBER UNIQUE ORDERS: %d\n", counts["unique"])
	}
	for i, name := range names {
		fmt.Fprintf(w, "# ALTERNATIVE NAME %d: %s\n", i+1, name)
	}
}

// preflibComputed reports the header fields the writer computes, which a
// stale Meta entry must not repeat.
func preflibComputed(k string) bool {
	return k == "NUMBER ALTERNATIVES" || k == "NUMBER VOTERS" || k == "NUMBER UNIQUE ORDERS" ||
		k == "NUMBER UNIQUE PREFERENCES" || k == "NUMBER CATEGORIES" ||
		strings.HasPrefix(k, "ALTERNATIVE NAME") || strings.HasPrefix(k, "CATEGORY NAME")
}

type countedRow struct {
	groups [][]int
	count  int64
}

// byCount sorts rows by decreasing count, as PrefLib files are, keeping
// first-seen order among equals.
func byCount(rows []countedRow) {
	slices.SortStableFunc(rows, func(a, b countedRow) int { return cmp.Compare(b.count, a.count) })
}

func writePrefLib(w *bufio.Writer, e *Election, format Format) error {
	if e.Ranked == nil {
		return fmt.Errorf("%w: PrefLib %s files hold ranked ballots", ErrUnsupported, format)
	}
	names := e.Ranked.Candidates()
	for _, n := range names {
		if err := cleanName(n); err != nil {
			return err
		}
	}
	// Only an index and a count are kept per distinct ballot, each ranking
	// remade when written: 10^7 voters hold millions of distinct ballots.
	p := e.Ranked
	order := make([]int32, p.Distinct())
	counts := make([]int64, len(order))
	var total int64
	strict := format == PrefLibSOC || format == PrefLibSOI
	complete := format == PrefLibSOC || format == PrefLibTOC
	for i := range order {
		r, c := p.Ballot(i)
		if strict && !r.Strict() {
			return fmt.Errorf("%w: a ballot has ties, which %s cannot hold (use toc or toi)", ErrUnsupported, format)
		}
		if complete && r.Ranked() != len(names) {
			return fmt.Errorf("%w: a ballot ranks %d of %d candidates, which %s cannot hold (use soi or toi)", ErrUnsupported, r.Ranked(), len(names), format)
		}
		order[i], counts[i] = int32(i), c
		total += c
	}
	// Decreasing count, as PrefLib files are, first-seen order among equals.
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(counts[b], counts[a]) })
	writePrefLibHeader(w, e, format, names, map[string]int64{"voters": total, "unique": int64(len(order))}, nil)
	var buf []byte
	for _, i := range order {
		r, c := p.Ballot(int(i))
		buf = appendGroups(buf[:0], c, r)
		w.Write(buf)
	}
	return nil
}

// appendGroups writes "count: a,{b,c},d": braces around every group of
// other than one member, so an empty category is "{}".
func appendGroups(buf []byte, count int64, groups [][]int) []byte {
	buf = strconv.AppendInt(buf, count, 10)
	buf = append(buf, ':')
	for gi, g := range groups {
		if gi == 0 {
			buf = append(buf, ' ')
		} else {
			buf = append(buf, ',')
		}
		brace := len(g) != 1
		if brace {
			buf = append(buf, '{')
		}
		for j, c := range g {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, int64(c)+1, 10)
		}
		if brace {
			buf = append(buf, '}')
		}
	}
	return append(buf, '\n')
}

func writeCAT(w *bufio.Writer, e *Election) error {
	if e.Cardinal == nil {
		return fmt.Errorf("%w: PrefLib cat files hold categorical (approval or graded) ballots", ErrUnsupported)
	}
	spec := e.Cardinal.Spec()
	var cats []string
	switch spec.Kind {
	case voting.Approval:
		cats = []string{"Yes", "No"}
		if len(e.Categories) == 2 {
			cats = e.Categories
		}
	case voting.Graded:
		cats = slices.Clone(spec.Scale)
		slices.Reverse(cats)
	default:
		return fmt.Errorf("%w: %s ballots have no categories (write approval or graded ballots)", ErrUnsupported, spec.Kind)
	}
	for _, c := range cats {
		if headerValue(c) != c {
			return fmt.Errorf("%w: category name %q has line breaks or surrounding blanks", ErrUnsupported, c)
		}
	}
	names := e.Cardinal.Candidates()
	for _, n := range names {
		if err := cleanName(n); err != nil {
			return err
		}
	}
	k := len(cats)
	var rows []countedRow
	var total int64
	for s, c := range e.Cardinal.Ballots() {
		groups := make([][]int, k)
		for cand, v := range s {
			if v != voting.NoScore {
				groups[k-1-v] = append(groups[k-1-v], cand)
			}
		}
		rows = append(rows, countedRow{groups, c})
		total += c
	}
	byCount(rows)
	writePrefLibHeader(w, e, PrefLibCAT, names, map[string]int64{"voters": total, "unique": int64(len(rows))}, cats)
	var buf []byte
	for _, row := range rows {
		buf = appendGroups(buf[:0], row.count, row.groups)
		w.Write(buf)
	}
	return nil
}
