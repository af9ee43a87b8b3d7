package formats

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/civickit/civickit/voting"
)

// Format names a file format.
type Format int

const (
	PrefLibSOC Format = iota + 1 // PrefLib strict complete orders (.soc)
	PrefLibSOI                   // PrefLib strict incomplete orders (.soi)
	PrefLibTOC                   // PrefLib complete orders with ties (.toc)
	PrefLibTOI                   // PrefLib incomplete orders with ties (.toi)
	PrefLibCAT                   // PrefLib categorical preferences (.cat)
	BLT                          // ballot file of Hill, Wichmann & Woodall, OpenSTV, Droop (.blt)
	HIL                          // David Hill's format of the Tideman data (.hil)
	ABIF                         // Aggregated Ballot Information Format (.abif)
	CSV                          // one column per candidate, ranks in cells (.csv)
)

var formatNames = [...]string{
	PrefLibSOC: "soc", PrefLibSOI: "soi", PrefLibTOC: "toc", PrefLibTOI: "toi",
	PrefLibCAT: "cat", BLT: "blt", HIL: "hil", ABIF: "abif", CSV: "csv",
}

// String returns the format's usual file extension without the dot.
func (f Format) String() string {
	if f < PrefLibSOC || f > CSV {
		return fmt.Sprintf("Format(%d)", int(f))
	}
	return formatNames[f]
}

// Formats lists every format, in the order of the constants.
func Formats() []Format {
	return []Format{PrefLibSOC, PrefLibSOI, PrefLibTOC, PrefLibTOI, PrefLibCAT, BLT, HIL, ABIF, CSV}
}

// ParseFormat returns the format named s, its extension with or without
// the dot, in any case ("soi", ".BLT").
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimPrefix(s, "."))
	for _, f := range Formats() {
		if s == formatNames[f] {
			return f, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownFormat, s)
}

func (f Format) preflibOrdinal() bool { return f >= PrefLibSOC && f <= PrefLibTOI }

// Election is the content of an election file. Exactly one of Ranked and
// Cardinal is set.
type Election struct {
	Title string
	// Candidates are the display names; index i is candidate i of the
	// profile (files number candidates from 1).
	Candidates []string
	// Seats is the number to elect (BLT, HIL); 0 when the file says none.
	Seats int
	// Withdrawn lists candidates withdrawn before the count (BLT), as
	// indices. Their ballots are kept as cast: a count excludes them, for
	// example with Profile.Restrict.
	Withdrawn []int
	Ranked    *voting.Profile
	Cardinal  *voting.CardinalProfile
	// Categories are the names of the PrefLib CAT categories, best first.
	Categories []string
	// Tokens are the short candidate identifiers of an ABIF file, when
	// they differ from the names; the ABIF writer reuses them.
	Tokens []string
	// Meta holds the other header fields, keys in lower case with '_' for
	// spaces ("description", "publication_date", "source").
	Meta map[string]string
}

// ReadOptions tune Read.
type ReadOptions struct {
	// Policy is the unranked policy of the ranked profile (default
	// voting.UnrankedLast).
	Policy voting.UnrankedPolicy
}

// Read parses one election in the given format. It streams: memory grows
// with the distinct ballots, not with the lines. Syntax and consistency
// faults are *ParseError values matching ErrParse; failures of r are
// returned as they are.
func Read(r io.Reader, format Format, opts ReadOptions) (*Election, error) {
	switch {
	case format.preflibOrdinal(), format == PrefLibCAT:
		return readPrefLib(r, format, opts)
	case format == BLT, format == HIL:
		return readBLT(r, format, opts)
	case format == ABIF:
		return readABIF(r, opts)
	case format == CSV:
		return readCSV(r, opts)
	}
	return nil, fmt.Errorf("%w: %v", ErrUnknownFormat, format)
}

// Write writes e in the given format. It refuses, with an error matching
// ErrUnsupported, what the format cannot carry rather than change it:
// ties or truncated ballots in a strict or complete PrefLib type, ties in
// HIL, cardinal ballots in a ranked-only format, names its syntax cannot
// quote.
func Write(w io.Writer, e *Election, format Format) error {
	if e == nil || (e.Ranked == nil) == (e.Cardinal == nil) {
		return fmt.Errorf("%w: an election needs exactly one of Ranked and Cardinal", ErrUnsupported)
	}
	names := e.names()
	if e.Candidates != nil && !slices.Equal(e.Candidates, names) {
		return fmt.Errorf("%w: Candidates differ from the profile's", ErrUnsupported)
	}
	for _, c := range e.Withdrawn {
		if c < 0 || c >= len(names) {
			return fmt.Errorf("%w: withdrawn candidate %d out of range", ErrUnsupported, c)
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch {
	case format.preflibOrdinal():
		err = writePrefLib(bw, e, format)
	case format == PrefLibCAT:
		err = writeCAT(bw, e)
	case format == BLT, format == HIL:
		err = writeBLT(bw, e, format)
	case format == ABIF:
		err = writeABIF(bw, e)
	case format == CSV:
		err = writeCSV(bw, e)
	default:
		err = fmt.Errorf("%w: %v", ErrUnknownFormat, format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func (e *Election) names() []string {
	if e.Ranked != nil {
		return e.Ranked.Candidates()
	}
	return e.Cardinal.Candidates()
}

// Detect tells the format of a file from its name's extension or, when
// that is not conclusive, from its first bytes (head; a few kilobytes is
// plenty). A PrefLib file whose type the content does not tell (the
// legacy layout, a header without DATA TYPE) is reported as PrefLibTOI,
// the type that accepts every ordinal file. HIL files are told from BLT
// only by their extension.
func Detect(name string, head []byte) (Format, error) {
	if f, err := ParseFormat(filepath.Ext(name)); err == nil && filepath.Ext(name) != "" {
		return f, nil
	}
	lines := bytes.Split(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), []byte("\n"))
	first := -1
	for i, l := range lines {
		if len(trimSpace(l)) > 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return 0, fmt.Errorf("%w: empty input", ErrUnknownFormat)
	}
	l := trimSpace(lines[first])
	if l[0] == '#' {
		// A PrefLib header says its type, or at least its counts; ABIF
		// comments say neither.
		preflib := false
		for _, h := range lines[first:] {
			h = trimSpace(h)
			if len(h) == 0 || h[0] != '#' {
				break
			}
			k, v, _ := bytes.Cut(h[1:], []byte(":"))
			switch string(bytes.ToUpper(trimSpace(k))) {
			case "DATA TYPE":
				if f, err := ParseFormat(string(trimSpace(v))); err == nil && (f.preflibOrdinal() || f == PrefLibCAT) {
					return f, nil
				}
			case "NUMBER CATEGORIES":
				return PrefLibCAT, nil
			case "NUMBER ALTERNATIVES":
				preflib = true
			}
		}
		if preflib {
			return PrefLibTOI, nil
		}
	}
	fields := bytes.Fields(l)
	blt := len(fields) >= 2 // "candidates seats", perhaps withdrawn ones
	for i, f := range fields {
		blt = blt && (isDigits(f) || i >= 2 && f[0] == '-' && isDigits(f[1:]))
	}
	switch {
	case len(fields) == 1 && isDigits(fields[0]):
		return PrefLibTOI, nil // legacy PrefLib: the number of alternatives alone
	case blt:
		return BLT, nil
	}
	for _, h := range lines[first:] {
		h = trimSpace(h)
		if len(h) == 0 || h[0] == '#' {
			continue
		}
		if h[0] == '{' || h[0] == '=' {
			return ABIF, nil
		}
		if i := bytes.IndexByte(h, ':'); i > 0 && isDigits(trimSpace(h[:i])) {
			return ABIF, nil
		}
		if bytes.IndexByte(h, ',') >= 0 {
			return CSV, nil
		}
		break
	}
	return 0, fmt.Errorf("%w: cannot tell the format of %q", ErrUnknownFormat, name)
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// metaKey normalises a header name into a Meta key.
func metaKey(k string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(k)), " ", "_")
}

// checkNames reports an empty, repeated or non-UTF-8 candidate name at
// its line (a binary file read as text ends here, not as a candidate).
func checkName(seen map[string]int, name string, line int) error {
	if name == "" {
		return parseErr(line, "empty candidate name", "")
	}
	if !utf8.ValidString(name) {
		return parseErr(line, "candidate name not UTF-8", excerpt(name))
	}
	if l, ok := seen[name]; ok {
		return parseErr(line, "duplicate candidate name", fmt.Sprintf("%s, first on line %d", excerpt(name), l))
	}
	seen[name] = line
	return nil
}

// sortedMetaKeys returns Meta's keys in order, for deterministic output.
func sortedMetaKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
