package formats

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit/voting"
)

// bltParser reads the ballot lines of a BLT or HIL file.
type bltParser struct {
	format Format
	rb     *rankBuilder
	set    *ballotSet
}

// ballots parses one line of ballots. It returns done when the line holds
// the lone 0 that ends the ballots, with the offset of what follows it.
func (p *bltParser) ballots(b []byte, line int) (done bool, rest int, err error) {
	i := skipSpace(b, 0)
	var text []byte // what follows the first weight, if the line is one ballot
	for n := 0; i < len(b) && !p.comment(b[i]); n++ {
		weight, j, ok := parseUint(b, i, math.MaxInt64)
		if !ok || (j < len(b) && !isSpace(b[j]) && !p.comment(b[j])) {
			return false, 0, parseErr(line, "weight not a positive integer", token(b, i))
		}
		if weight == 0 {
			return true, j, nil
		}
		i = j
		if n == 0 {
			text = b[i:]
			if at, ok := p.set.seen(text); ok {
				if !p.set.addAt(at, weight) {
					return false, 0, parseErr(line, "total count overflows", errTotal)
				}
				return false, 0, nil
			}
		}
		p.rb.reset()
		open := false // a candidate is waiting for '=' or the next rank
		joined := false
		for {
			i = skipSpace(b, i)
			if i >= len(b) || p.comment(b[i]) {
				return false, 0, parseErr(line, "ballot not terminated by 0", "")
			}
			switch c := b[i]; {
			case c == '=':
				if !open || p.format == HIL {
					if p.format == HIL {
						return false, 0, parseErr(line, "tie in a HIL file", "HIL has no '='")
					}
					return false, 0, parseErr(line, "'=' without a candidate before it", "")
				}
				joined = true
				i++
				continue
			case c == '-' && (i+1 == len(b) || isSpace(b[i+1])) && p.format == BLT:
				// OpenSTV's skipped rank: the ranking closes up.
				if joined {
					return false, 0, parseErr(line, "'=' without a candidate after it", "")
				}
				i++
				continue
			}
			num, j, ok := parseUint(b, i, math.MaxInt64)
			if !ok || (j < len(b) && !isSpace(b[j]) && b[j] != '=' && !p.comment(b[j])) {
				return false, 0, parseErr(line, "expected a candidate number", token(b, i))
			}
			i = j
			if num == 0 {
				if joined {
					return false, 0, parseErr(line, "'=' without a candidate after it", "")
				}
				if open {
					p.rb.close()
				}
				break
			}
			if open && !joined {
				p.rb.close()
			}
			if rule := p.rb.add(num); rule != "" {
				return false, 0, parseErr(line, rule, strconv.FormatInt(num, 10))
			}
			open, joined = true, false
		}
		if !p.set.addBallot(p.rb, weight) {
			return false, 0, parseErr(line, "total count overflows", errTotal)
		}
		if i = skipSpace(b, i); n == 0 && (i == len(b) || p.comment(b[i])) {
			p.set.remember(text)
		}
	}
	return false, 0, nil
}

// comment reports the start of a comment, which Hill's format has not.
func (p *bltParser) comment(c byte) bool { return c == '#' && p.format == BLT }

// stripComment cuts a '#' comment (OpenSTV, Droop) outside quotes.
func stripComment(b []byte) []byte {
	inQuote := false
	for i, c := range b {
		switch {
		case c == '"':
			inQuote = !inQuote
		case c == '#' && !inQuote:
			return b[:i]
		}
	}
	return b
}

type bltString struct {
	s    string
	line int
}

// names splits the strings after the ballots: "quoted", (parenthesised,
// HIL only) or bare words.
func (p *bltParser) names(b []byte, line int, out []bltString) ([]bltString, error) {
	for i := skipSpace(b, 0); i < len(b); i = skipSpace(b, i) {
		switch c := b[i]; {
		case c == '"' || (c == '(' && p.format == HIL):
			end := byte('"')
			if c == '(' {
				end = ')'
			}
			j := i + 1
			for j < len(b) && b[j] != end {
				j++
			}
			if j == len(b) {
				return nil, parseErr(line, "unterminated name", token(b, i))
			}
			out = append(out, bltString{string(b[i+1 : j]), line})
			i = j + 1
		default:
			j := i
			for j < len(b) && !isSpace(b[j]) {
				if b[j] == '"' {
					return nil, parseErr(line, "stray quote in a name", token(b, i))
				}
				j++
			}
			out = append(out, bltString{string(b[i:j]), line})
			i = j
		}
	}
	return out, nil
}

func readBLT(r io.Reader, format Format, opts ReadOptions) (*Election, error) {
	lr := newLineReader(r)
	var b []byte
	ok := false
	// next skips blank lines and, in BLT, comment lines; the ballot
	// parser stops at a '#' itself, sparing a search of every line.
	next := func() bool {
		for b, ok = lr.next(); ok; b, ok = lr.next() {
			b = trimSpace(b)
			if len(b) > 0 && !(format == BLT && b[0] == '#') {
				return true
			}
		}
		return false
	}
	uncommented := func(b []byte) []byte {
		if format == BLT {
			return stripComment(b)
		}
		return b
	}
	if !next() {
		return nil, eofErr(lr, "empty input")
	}
	// Header: candidates and seats, then (BLT) withdrawn candidates as
	// negative numbers, on that line or the next.
	fields := strings.Fields(string(uncommented(b)))
	if len(fields) < 2 {
		return nil, parseErr(lr.line, "expected 'candidates seats'", string(b))
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n < 1 || n > maxCandidates {
		return nil, parseErr(lr.line, "candidates not a positive integer", fields[0])
	}
	if n > voting.MaxCandidates {
		return nil, tooManyCandidates(lr.line, n)
	}
	seats, err := strconv.Atoi(fields[1])
	if err != nil || seats < 1 {
		return nil, parseErr(lr.line, "seats not a positive integer", fields[1])
	}
	e := &Election{Seats: seats}
	out := map[int]bool{}
	withdrawn := func(fields []string) error {
		for _, f := range fields {
			w, err := strconv.Atoi(f)
			switch {
			case err != nil || w >= 0:
				return parseErr(lr.line, "withdrawn candidate not a negative number", f)
			case format == HIL:
				return parseErr(lr.line, "withdrawn candidates in a HIL file", f)
			case -w > n:
				return parseErr(lr.line, "unknown candidate", f)
			case out[-w-1]:
				return parseErr(lr.line, "candidate withdrawn twice", f)
			}
			out[-w-1] = true
			e.Withdrawn = append(e.Withdrawn, -w-1)
		}
		return nil
	}
	if err := withdrawn(fields[2:]); err != nil {
		return nil, err
	}
	if !next() {
		return nil, eofErr(lr, "end of file before the ballots")
	}
	if b[0] == '-' && len(b) > 1 && b[1] >= '0' && b[1] <= '9' {
		if err := withdrawn(strings.Fields(string(uncommented(b)))); err != nil {
			return nil, err
		}
		if !next() {
			return nil, eofErr(lr, "end of file before the ballots")
		}
	}
	slices.Sort(e.Withdrawn)
	p := &bltParser{format: format, rb: newRunBuilder(n), set: newRankedSet()}
	var strs []bltString
	for {
		done, rest, err := p.ballots(b, lr.line)
		if err != nil {
			return nil, err
		}
		if done {
			if strs, err = p.names(uncommented(b[rest:]), lr.line, strs); err != nil {
				return nil, err
			}
			break
		}
		if !next() {
			return nil, eofErr(lr, "end of file before the 0 that ends the ballots")
		}
	}
	for next() {
		if strs, err = p.names(uncommented(b), lr.line, strs); err != nil {
			return nil, err
		}
	}
	if err := lr.failure(); err != nil {
		return nil, err
	}
	if len(strs) < n {
		return nil, parseErr(0, "missing candidate names", fmt.Sprintf("expected %d, found %d", n, len(strs)))
	}
	seen := map[string]int{}
	for _, s := range strs[:n] {
		if err := checkName(seen, s.s, s.line); err != nil {
			return nil, err
		}
		e.Candidates = append(e.Candidates, s.s)
	}
	extra := strs[n:]
	if len(extra) > 0 {
		e.Title = extra[0].s
	}
	// Wichmann's files add a source and a comment after the title.
	for i, key := range []string{"source", "comment"} {
		if format == BLT && len(extra) > i+1 && extra[i+1].s != "" {
			if e.Meta == nil {
				e.Meta = map[string]string{}
			}
			e.Meta[key] = extra[i+1].s
		}
	}
	if limit := map[Format]int{BLT: 3, HIL: 1}[format]; len(extra) > limit {
		return nil, parseErr(extra[limit].line, "unexpected text after the title", excerpt(extra[limit].s))
	}
	if e.Ranked, err = p.set.rankedProfile(e.Candidates, opts.Policy); err != nil {
		return nil, err
	}
	return e, nil
}

func writeBLT(w *bufio.Writer, e *Election, format Format) error {
	if e.Ranked == nil {
		return fmt.Errorf("%w: %s files hold ranked ballots", ErrUnsupported, format)
	}
	if format == HIL && len(e.Withdrawn) > 0 {
		return fmt.Errorf("%w: HIL has no withdrawn candidates", ErrUnsupported)
	}
	// BLT quotes names; HIL puts them in parentheses, as the Tideman data
	// description says, or in quotes when the name holds a ')'.
	quote := func(s string) string {
		if format == HIL && !strings.Contains(s, ")") {
			return "(" + s + ")"
		}
		return `"` + s + `"`
	}
	quoted := func(what, s string) error {
		if strings.Contains(s, "\n") || strings.Contains(s, `"`) && (format == BLT || strings.Contains(s, ")")) {
			return fmt.Errorf("%w: %s %q contains a character %s cannot quote", ErrUnsupported, what, s, format)
		}
		return nil
	}
	names := e.Ranked.Candidates()
	for _, n := range names {
		if err := quoted("candidate name", n); err != nil {
			return err
		}
	}
	trailer := []string{e.Title}
	if format == BLT && (e.Meta["source"] != "" || e.Meta["comment"] != "") {
		trailer = append(trailer, e.Meta["source"])
		if e.Meta["comment"] != "" {
			trailer = append(trailer, e.Meta["comment"])
		}
	}
	if format == HIL {
		trailer = trailer[:1]
	}
	for _, s := range trailer {
		if err := quoted("title", s); err != nil {
			return err
		}
	}
	seats := max(e.Seats, 1)
	fmt.Fprintf(w, "%d %d\n", len(names), seats)
	if len(e.Withdrawn) > 0 {
		ws := slices.Clone(e.Withdrawn)
		slices.Sort(ws)
		for i, c := range slices.Compact(ws) {
			if i > 0 {
				w.WriteByte(' ')
			}
			fmt.Fprintf(w, "-%d", c+1)
		}
		w.WriteByte('\n')
	}
	var buf []byte
	for r, c := range e.Ranked.Ballots() {
		if format == HIL && !r.Strict() {
			return fmt.Errorf("%w: a ballot has ties, which HIL cannot hold (use blt)", ErrUnsupported)
		}
		buf = strconv.AppendInt(buf[:0], c, 10)
		for _, g := range r {
			buf = append(buf, ' ')
			for j, cand := range g {
				if j > 0 {
					buf = append(buf, '=')
				}
				buf = strconv.AppendInt(buf, int64(cand)+1, 10)
			}
		}
		buf = append(buf, " 0\n"...)
		w.Write(buf)
	}
	w.WriteString("0\n")
	for _, s := range append(names, trailer...) {
		w.WriteString(quote(s))
		w.WriteByte('\n')
	}
	return nil
}
