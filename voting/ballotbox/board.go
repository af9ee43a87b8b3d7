package ballotbox

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
)

// BoardFormat names the board's hashing and file format.
const BoardFormat = "civickit-board-v1"

// Entry is one line of the public board. Entries form a hash chain: each
// carries the hash of the one before (Prev; the genesis hash for the
// first) and its own Hash over every other field, so that changing,
// deleting, inserting or reordering an entry breaks the chain from there on.
type Entry struct {
	// Index is the entry's position, from 0.
	Index int64 `json:"index"`
	// Tracker is the receipt its voter holds: random, unique.
	Tracker string `json:"tracker"`
	// Ballot is the canonical ballot (Election.Canonical); absent on an
	// entry that only voids the one it Replaces.
	Ballot json.RawMessage `json:"ballot,omitempty"`
	// Replaces is the tracker of an earlier entry this one supersedes (a
	// revote, a recount correction); that entry no longer counts.
	Replaces string           `json:"replaces,omitempty"`
	Channel  civickit.Channel `json:"channel"`
	// Place is the polling place or access point, if any.
	Place string `json:"place,omitempty"`
	Prev  string `json:"prev"`
	Hash  string `json:"hash"`
}

// Void reports whether e carries no ballot.
func (e Entry) Void() bool { return len(e.Ballot) == 0 || string(e.Ballot) == "null" }

// ComputeHash returns the hash e should carry: SHA-256 over Prev and the
// JSON encoding of every other field, hex-encoded.
//
// Text that is not valid UTF-8 is hashed as JSON reads it back (each
// invalid byte as U+FFFD), so that a hash is the same before and after an
// export.
func (e Entry) ComputeHash() string {
	var arr [512]byte
	buf := append(arr[:0], jsonText(e.Prev)...)
	buf = append(buf, '\n')
	buf, ok := appendHashBody(buf, e)
	if !ok {
		buf = append(buf[:len(jsonText(e.Prev))+1], e.hashBody()...)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// hashBody is the JSON encoding of every field but Prev and Hash.
func (e Entry) hashBody() []byte {
	body := struct {
		Index    int64           `json:"index"`
		Tracker  string          `json:"tracker"`
		Ballot   json.RawMessage `json:"ballot,omitempty"`
		Replaces string          `json:"replaces,omitempty"`
		Channel  string          `json:"channel"`
		Place    string          `json:"place,omitempty"`
	}{e.Index, jsonText(e.Tracker), e.Ballot, jsonText(e.Replaces), jsonText(string(e.Channel)), jsonText(e.Place)}
	if e.Void() {
		body.Ballot = nil
	}
	buf, err := json.Marshal(body)
	if err != nil { // a malformed raw ballot: hash its bytes as they are
		buf = append([]byte(fmt.Sprintf("%d\x00%s\x00%s\x00%s\x00%s\x00", e.Index, e.Tracker, e.Replaces, e.Channel, e.Place)), e.Ballot...)
	}
	return buf
}

// Seal sets e's Index and Prev to follow prev (the previous entry's hash,
// or the genesis hash) at position index, and computes its Hash.
func Seal(prev string, index int64, e Entry) Entry {
	e.Index, e.Prev = index, prev
	e.Hash = e.ComputeHash()
	return e
}

// GenesisHash is the chain's starting point: the hash of the board format
// and the election's public definition, so that a board cannot be moved to
// another election.
//
// Text that is not valid UTF-8 is hashed as JSON reads it back (see
// Entry.ComputeHash).
func GenesisHash(p Public) string {
	buf, err := json.Marshal(jsonPublic(p))
	if err != nil { // a time outside years 0-9999: hash a plain rendering
		buf = fmt.Appendf(nil, "%v", p)
	}
	h := sha256.New()
	h.Write([]byte(BoardFormat))
	h.Write([]byte{'\n'})
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// BoardHeader opens an exported board file.
type BoardHeader struct {
	Format   string `json:"format"`
	Election Public `json:"election"`
	// Genesis is GenesisHash(Election); Head is the published hash of the
	// last entry (Genesis when there are none).
	Genesis string `json:"genesis"`
	Head    string `json:"head"`
	Entries int64  `json:"entries"`
	// ClosedAt is set when the election was closed early, before
	// Election.Closes (see Service.CloseNow). The genesis hash does not
	// cover it (ballots chain from a definition published before); Verify
	// checks that it falls within the published window. Boards of
	// elections that ran their whole window have none, as boards written
	// before it existed.
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}

// WriteBoard writes an exported board: the header on the first line, then
// one entry per line (JSON lines), in chain order. An empty Format, or
// Genesis, is filled in; so is the Head of a board without entries.
func WriteBoard(w io.Writer, h BoardHeader, entries iter.Seq2[Entry, error]) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	if h.Format == "" {
		h.Format = BoardFormat
	}
	if h.Genesis == "" {
		h.Genesis = GenesisHash(h.Election)
	}
	if h.Head == "" && h.Entries == 0 {
		h.Head = h.Genesis
	}
	if err := enc.Encode(h); err != nil {
		return err
	}
	for e, err := range entries {
		if err != nil {
			return err
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// BoardReader reads an exported board written by WriteBoard.
type BoardReader struct {
	Header BoardHeader
	sc     *bufio.Scanner
	line   int
	err    error // a read error: sticky
}

// ErrBoardFormat: an exported board file that cannot be read. It matches
// civickit.ErrInvalid.
var ErrBoardFormat = civickit.Sentinel(civickit.ErrInvalid, "ballotbox: malformed board file")

// NewBoardReader reads the header of an exported board.
func NewBoardReader(r io.Reader) (*BoardReader, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	br := &BoardReader{sc: sc}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%w: line 1: %w", ErrBoardFormat, err)
		}
		return nil, fmt.Errorf("%w: empty file", ErrBoardFormat)
	}
	br.line = 1
	if err := json.Unmarshal(sc.Bytes(), &br.Header); err != nil {
		return nil, fmt.Errorf("%w: line 1: header: %w", ErrBoardFormat, err)
	}
	if br.Header.Format != BoardFormat {
		return nil, fmt.Errorf("%w: line 1: format %q, want %q", ErrBoardFormat, br.Header.Format, BoardFormat)
	}
	if _, err := json.Marshal(br.Header.Election); err != nil {
		return nil, fmt.Errorf("%w: line 1: election: %w", ErrBoardFormat, err)
	}
	return br, nil
}

// Next returns the next entry, or io.EOF after the last. A line that is
// not an entry is an ErrBoardFormat error, and Next goes on with the next
// line; a read error (an I/O error, a line over 16 MiB) ends the board and
// is returned again by every later call.
func (br *BoardReader) Next() (Entry, error) {
	if br.err != nil {
		return Entry{}, br.err
	}
	for br.sc.Scan() {
		br.line++
		if len(br.sc.Bytes()) == 0 {
			continue
		}
		e, err := decodeEntry(br.sc.Bytes())
		if err != nil {
			return Entry{}, fmt.Errorf("%w: line %d: %w", ErrBoardFormat, br.line, err)
		}
		return e, nil
	}
	if err := br.sc.Err(); err != nil {
		br.err = fmt.Errorf("%w: line %d: %w", ErrBoardFormat, br.line+1, err)
		return Entry{}, br.err
	}
	return Entry{}, io.EOF
}

// failed reports whether a read error ended the board.
func (br *BoardReader) failed() bool { return br.err != nil }

// Line is the file line of the entry Next returned last.
func (br *BoardReader) Line() int { return br.line }

// jsonText returns s as encoding/json decodes its encoding: each byte
// that is not part of valid UTF-8 becomes U+FFFD.
func jsonText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// jsonPublic returns p with every text as JSON reads it back (jsonText);
// p itself when its text is all valid UTF-8.
func jsonPublic(p Public) Public {
	valid := func(ss ...string) bool {
		for _, s := range ss {
			if !utf8.ValidString(s) {
				return false
			}
		}
		return true
	}
	ok := valid(p.Title, p.Revote, p.Visibility)
	for _, q := range p.Questions {
		ok = ok && valid(q.ID, q.Title, q.Method, q.Variant, string(q.Spec.Kind)) && valid(q.Candidates...) && valid(q.Spec.Scale...)
		for k := range q.Params {
			ok = ok && valid(k)
		}
	}
	if ok {
		return p
	}
	texts := func(ss []string) []string {
		if ss == nil {
			return nil
		}
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = jsonText(s)
		}
		return out
	}
	p.Title, p.Revote, p.Visibility = jsonText(p.Title), jsonText(p.Revote), jsonText(p.Visibility)
	qs := p.Questions
	if qs != nil {
		p.Questions = make([]Question, len(qs))
	}
	for i, q := range qs {
		q.ID, q.Title, q.Method, q.Variant = jsonText(q.ID), jsonText(q.Title), jsonText(q.Method), jsonText(q.Variant)
		q.Candidates, q.Spec.Scale = texts(q.Candidates), texts(q.Spec.Scale)
		q.Spec.Kind = voting.CardinalKind(jsonText(string(q.Spec.Kind)))
		if q.Params != nil { // keys that become equal: the last in order wins, as in JSON
			params := make(map[string]float64, len(q.Params))
			for _, k := range slices.Sorted(maps.Keys(q.Params)) {
				params[jsonText(k)] = q.Params[k]
			}
			q.Params = params
		}
		p.Questions[i] = q
	}
	return p
}
