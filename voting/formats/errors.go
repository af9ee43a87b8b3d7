package formats

import (
	"errors"
	"strconv"
	"strings"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
)

var (
	// ErrParse: the input breaks a rule of its format. Every such error is a
	// *ParseError naming the line and the rule.
	ErrParse = errors.New("formats: parse error")
	// ErrUnknownFormat: Detect or ParseFormat could not tell the format.
	ErrUnknownFormat = errors.New("formats: unknown format")
	// ErrUnsupported: the election cannot be written in the requested
	// format without losing or changing information (ties in a strict
	// format, a ballot kind the format does not carry, a name the syntax
	// cannot quote).
	ErrUnsupported = errors.New("formats: not representable in this format")
)

// ParseError says where an input broke which rule. It matches ErrParse.
type ParseError struct {
	// Line is 1-based; 0 when the fault is the input as a whole (no
	// ballots, end of file before a required section).
	Line int
	// Rule is the broken rule in a few words, stable enough to test
	// against: "unknown candidate", "duplicate candidate in ballot",
	// "count not a positive integer", "voters mismatch", ...
	Rule string
	// Detail gives the offending value or the numbers that disagree.
	Detail string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("formats: ")
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	b.WriteString(e.Rule)
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrParse) true, and errors.Is(err,
// civickit.ErrInvalid): a file that breaks its format is invalid input.
func (e *ParseError) Is(target error) bool {
	return target == ErrParse || target == civickit.ErrInvalid
}

// errTotal details a refused total: voting.MaxVoters.
const errTotal = "more than 2^53 voters in all"

func parseErr(line int, rule, detail string) error {
	return &ParseError{Line: line, Rule: rule, Detail: detail}
}

// tooManyCandidates refuses a ranked election past voting.MaxCandidates.
func tooManyCandidates(line, n int) error {
	return parseErr(line, "too many candidates", strconv.Itoa(n)+" declared, a ranked profile holds at most "+strconv.Itoa(voting.MaxCandidates))
}
