package ballotbox

import (
	"io"
	"iter"
	"slices"
)

// BoardBuilder builds a board in memory, without any store: for tests,
// demonstrations and tools that publish a board from ballots they hold.
// Each Append seals the entry after the current head. A BoardBuilder is
// not safe for concurrent use.
type BoardBuilder struct {
	pub     Public
	e       *Election
	genesis string
	entries []Entry
}

// NewBoardBuilder returns an empty board of the election pub.
func NewBoardBuilder(pub Public) *BoardBuilder {
	return &BoardBuilder{pub: pub, e: publicElection(pub), genesis: GenesisHash(pub)}
}

// Append seals e at the end of the board (its Index, Prev and Hash are
// set) and returns the sealed entry.
func (bb *BoardBuilder) Append(e Entry) Entry {
	e = Seal(bb.Head(), int64(len(bb.entries)), e)
	bb.entries = append(bb.entries, e)
	return e
}

// AppendBallot appends ballot b, in its canonical encoding, with the
// voter's tracker, cast in part p; replaces names the tracker of an
// earlier entry it supersedes ("" for none). The ballot is not checked:
// a builder may also make invalid boards, for tests.
func (bb *BoardBuilder) AppendBallot(tracker, replaces string, b Ballot, p Part) Entry {
	return bb.Append(Entry{Tracker: tracker, Ballot: bb.e.Canonical(b), Replaces: replaces, Channel: p.Channel, Place: p.Place})
}

// Genesis is the hash the chain starts from.
func (bb *BoardBuilder) Genesis() string { return bb.genesis }

// Head is the hash of the last entry (the genesis hash when empty).
func (bb *BoardBuilder) Head() string {
	if len(bb.entries) == 0 {
		return bb.genesis
	}
	return bb.entries[len(bb.entries)-1].Hash
}

// Len is the number of entries.
func (bb *BoardBuilder) Len() int64 { return int64(len(bb.entries)) }

// Header is the header of the board as built so far.
func (bb *BoardBuilder) Header() BoardHeader {
	return BoardHeader{Format: BoardFormat, Election: bb.pub, Genesis: bb.genesis, Head: bb.Head(), Entries: bb.Len()}
}

// Entries returns a copy of the entries, in chain order.
func (bb *BoardBuilder) Entries() []Entry { return slices.Clone(bb.entries) }

// All yields the entries in chain order, for WriteBoard.
func (bb *BoardBuilder) All() iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for _, e := range bb.entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// WriteTo writes the board in the exported file format (WriteBoard).
func (bb *BoardBuilder) WriteTo(w io.Writer) (int64, error) {
	cw := &boardCounter{w: w}
	err := WriteBoard(cw, bb.Header(), bb.All())
	return cw.n, err
}

type boardCounter struct {
	w io.Writer
	n int64
}

func (c *boardCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// publicElection rebuilds, from its public part, the Election that checks and
// counts ballots.
func publicElection(p Public) *Election {
	return &Election{ID: p.ID, Title: p.Title, Questions: p.Questions, Opens: p.Opens, Closes: p.Closes,
		Revote: RevotePolicy(p.Revote), Visibility: Visibility(p.Visibility)}
}
