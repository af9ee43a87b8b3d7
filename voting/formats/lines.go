package formats

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"
)

// maxCandidates bounds the candidates a header may declare, and so the
// memory a hostile header can claim; real files have at most thousands.
const maxCandidates = 1 << 20

// maxLine bounds one line so that a file without newlines cannot take
// all memory; a PrefLib order over 100 000 alternatives still fits.
const maxLine = 16 << 20

// lineReader yields the lines of r without their end-of-line bytes, in a
// buffer reused by the next call, and counts them for error messages.
type lineReader struct {
	r    *bufio.Reader
	long []byte // holds lines longer than the bufio buffer
	line int
	err  error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 256<<10)}
}

// next returns the next line and true, or nil and false at the end of the
// input or on error (see errAt).
func (l *lineReader) next() ([]byte, bool) {
	if l.err != nil {
		return nil, false
	}
	b, err := l.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		l.long = append(l.long[:0], b...)
		for err == bufio.ErrBufferFull {
			if len(l.long) > maxLine {
				l.line++
				l.err = parseErr(l.line, "line too long", "over "+strconv.Itoa(maxLine)+" bytes")
				return nil, false
			}
			b, err = l.r.ReadSlice('\n')
			l.long = append(l.long, b...)
		}
		b = l.long
	}
	if err != nil && err != io.EOF {
		l.err = err
		return nil, false
	}
	if len(b) == 0 && err == io.EOF {
		l.err = io.EOF
		return nil, false
	}
	l.line++
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	if l.line == 1 {
		// Spreadsheets and Windows editors prepend a byte-order mark.
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	}
	if err == io.EOF {
		l.err = io.EOF
	}
	return b, true
}

// failure returns the reading error that stopped next, nil at a clean end.
func (l *lineReader) failure() error {
	if l.err == io.EOF {
		return nil
	}
	return l.err
}

// isSpace reports the blanks allowed between tokens.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// parseUint reads the decimal digits at b[i:]; ok is false when there are
// none or the value exceeds max.
func parseUint(b []byte, i int, max int64) (v int64, next int, ok bool) {
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		d := int64(b[i] - '0')
		if v > (max-d)/10 {
			return 0, i, false
		}
		v = v*10 + d
		i++
	}
	return v, i, i > start
}

// token returns the run of non-blank bytes at b[i:], for error details.
func token(b []byte, i int) string {
	j := i
	for j < len(b) && !isSpace(b[j]) && j-i < maxExcerpt+1 {
		j++
	}
	if j == i {
		return "end of line"
	}
	return excerpt(string(b[i:j]))
}

// maxExcerpt bounds the bytes of input an error quotes: a garbage file
// gets a short message, not a screen of escaped bytes.
const maxExcerpt = 40

// excerpt quotes s for an error, cut after maxExcerpt bytes (at a rune
// boundary) with an ellipsis.
func excerpt(s string) string {
	if len(s) <= maxExcerpt {
		return strconv.Quote(s)
	}
	cut := maxExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
