package ballotbox

import (
	"bytes"
	"encoding/json"

	"github.com/civickit/civickit"
)

// Fast paths for the board's hot loop. Each handles the plain layout
// WriteBoard and Seal produce (keys in order, strings of printable ASCII
// without escapes) and gives up on anything else, leaving it to
// encoding/json: whenever a fast path succeeds, its result is the one
// encoding/json gives (FuzzEntryCodec checks it).

// decodeEntry decodes one board line as json.Unmarshal would.
func decodeEntry(line []byte) (Entry, error) {
	if e, ok := decodeEntryFast(line); ok {
		return e, nil
	}
	var e Entry
	err := json.Unmarshal(line, &e)
	return e, err
}

type entryScanner struct {
	b []byte
	i int
}

func (s *entryScanner) lit(l string) bool {
	if len(s.b)-s.i < len(l) || string(s.b[s.i:s.i+len(l)]) != l {
		return false
	}
	s.i += len(l)
	return true
}

// str reads a string of printable ASCII with neither quote nor backslash.
func (s *entryScanner) str() (string, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return "", false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return string(s.b[start:j]), true
		case c < 0x20 || c > 0x7e || c == '\\':
			return "", false
		}
	}
	return "", false
}

// int reads an integer of at most 18 digits (no overflow).
func (s *entryScanner) int() (int64, bool) {
	neg := s.i < len(s.b) && s.b[s.i] == '-'
	if neg {
		s.i++
	}
	start := s.i
	var n int64
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		n = n*10 + int64(s.b[s.i]-'0')
		s.i++
	}
	digits := s.i - start
	if digits == 0 || digits > 18 || digits > 1 && s.b[start] == '0' {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// object reads a JSON object and returns its bytes as they are.
func (s *entryScanner) object() ([]byte, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return nil, false
	}
	start, depth, inStr := s.i, 0, false
	for j := start; j < len(s.b); j++ {
		c := s.b[j]
		if inStr {
			switch c {
			case '\\':
				j++
			case '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				raw := s.b[start : j+1]
				if !json.Valid(raw) {
					return nil, false
				}
				s.i = j + 1
				return raw, true
			}
		}
	}
	return nil, false
}

func decodeEntryFast(line []byte) (Entry, bool) {
	var e Entry
	s := entryScanner{b: line}
	var ok bool
	if !s.lit(`{"index":`) {
		return e, false
	}
	if e.Index, ok = s.int(); !ok || !s.lit(`,"tracker":`) {
		return e, false
	}
	if e.Tracker, ok = s.str(); !ok {
		return e, false
	}
	if s.lit(`,"ballot":`) {
		raw, ok := s.object()
		if !ok {
			return e, false
		}
		e.Ballot = bytes.Clone(raw)
	}
	if s.lit(`,"replaces":`) {
		if e.Replaces, ok = s.str(); !ok {
			return e, false
		}
	}
	if !s.lit(`,"channel":`) {
		return e, false
	}
	channel, ok := s.str()
	if !ok {
		return e, false
	}
	e.Channel = civickit.Channel(channel)
	if s.lit(`,"place":`) {
		if e.Place, ok = s.str(); !ok {
			return e, false
		}
	}
	if !s.lit(`,"prev":`) {
		return e, false
	}
	if e.Prev, ok = s.str(); !ok || !s.lit(`,"hash":`) {
		return e, false
	}
	if e.Hash, ok = s.str(); !ok || !s.lit(`}`) {
		return e, false
	}
	for _, c := range line[s.i:] {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return e, false
		}
	}
	return e, true
}

// plain reports whether s is written by encoding/json as it is, between
// quotes: printable ASCII with nothing to escape (HTML characters are).
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

func appendPlain(buf []byte, key, s string) []byte {
	buf = append(buf, key...)
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// appendHashBody appends what ComputeHash hashes after Prev, as
// json.Marshal writes it, or reports false to leave it to json.Marshal.
func appendHashBody(buf []byte, e Entry) ([]byte, bool) {
	if !plainJSON(e.Tracker) || !plainJSON(e.Replaces) || !plainJSON(string(e.Channel)) || !plainJSON(e.Place) {
		return buf, false
	}
	void := e.Void()
	if !void {
		// json.Marshal compacts a raw message and escapes <, >, & and
		// U+2028/U+2029 (bytes E2 80 A8/A9); raw bytes free of all of them
		// and of white space are written as they are, if valid.
		for _, c := range e.Ballot {
			switch c {
			case ' ', '\t', '\r', '\n', '<', '>', '&', 0xe2:
				return buf, false
			}
		}
		if !json.Valid(e.Ballot) {
			return buf, false
		}
	}
	buf = append(buf, `{"index":`...)
	buf = appendIndex(buf, e.Index)
	buf = appendPlain(buf, `,"tracker":`, e.Tracker)
	if !void {
		buf = append(buf, `,"ballot":`...)
		buf = append(buf, e.Ballot...)
	}
	if e.Replaces != "" {
		buf = appendPlain(buf, `,"replaces":`, e.Replaces)
	}
	buf = appendPlain(buf, `,"channel":`, string(e.Channel))
	if e.Place != "" {
		buf = appendPlain(buf, `,"place":`, e.Place)
	}
	return append(buf, '}'), true
}

func appendIndex(buf []byte, n int64) []byte {
	var tmp [20]byte
	i := len(tmp)
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	for {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if n < 0 {
		buf = append(buf, '-')
	}
	return append(buf, tmp[i:]...)
}
