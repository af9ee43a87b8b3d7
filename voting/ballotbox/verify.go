package ballotbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"time"

	"github.com/civickit/civickit/voting"
)

// TamperKind names what is wrong with a board.
type TamperKind string

const (
	// TamperChanged: an entry's content or hash was changed. When the
	// changed entry's hash was recomputed, the entry after it no longer
	// links to it, and the change is reported at the changed entry.
	TamperChanged TamperKind = "changed"
	// TamperDeleted: entries are missing from the middle of the board.
	TamperDeleted TamperKind = "deleted"
	// TamperInserted: an entry that does not belong to the chain (a copy
	// of another entry, a forgery, or an entry after the published head).
	TamperInserted TamperKind = "inserted"
	// TamperReordered: the entry expected at this index appears further
	// on, and the one in its place belongs to the chain elsewhere: entries
	// were swapped or moved.
	TamperReordered TamperKind = "reordered"
	// TamperTruncated: the board ends before the header's entry count (the
	// last entries were deleted).
	TamperTruncated TamperKind = "truncated"
	// TamperHead: the header's head or entry count does not match the
	// chain, or the chain does not pass through the head published
	// elsewhere (VerifyOptions.Head).
	TamperHead TamperKind = "head"
	// TamperElection: the election definition does not match the genesis
	// hash the chain starts from, or cannot count ballots.
	TamperElection TamperKind = "election"
	// TamperMalformed: a line cannot be read as an entry.
	TamperMalformed TamperKind = "malformed"
	// TamperInvalid: an entry chains correctly but breaks a rule: a
	// ballot invalid for its election or not in canonical form, an unknown
	// channel, a reused tracker, a replacement of an unknown tracker.
	TamperInvalid TamperKind = "invalid"
)

// HeaderIndex is the Index of a TamperError about the header or the
// election rather than one entry.
const HeaderIndex = -1

// TamperError is the first problem Verify found. It matches ErrTampered.
type TamperError struct {
	Kind TamperKind `json:"kind"`
	// Index is the index of the first changed, deleted, inserted or
	// reordered entry: the position in chain order where the board first
	// differs from the one whose head was published. HeaderIndex when the
	// problem is the header or the election definition.
	Index int64 `json:"index"`
	// Line is the file line of the offending entry (0 when not known, or
	// for a problem found at the end of the file).
	Line   int    `json:"line,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Err is the underlying cause, if any: a *BallotError, a
	// *civickit.ValidationError, an ErrBoardFormat error.
	Err error `json:"-"`
}

func (e *TamperError) Error() string {
	s := "ballotbox: board does not verify: "
	if e.Index == HeaderIndex {
		s += "header"
	} else {
		s += fmt.Sprintf("entry %d", e.Index)
	}
	if e.Line > 0 {
		s += fmt.Sprintf(" (line %d)", e.Line)
	}
	s += ": " + string(e.Kind)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns ErrTampered, so that errors.Is(err, ErrTampered) (and
// civickit.ErrInvalid) is true, and the cause, if any, for errors.As.
func (e *TamperError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrTampered}
	}
	return []error{ErrTampered, e.Err}
}

// VerifyOptions tune Verify. The zero value verifies with the built-in
// methods against the head the board's header publishes.
type VerifyOptions struct {
	// Registry holds the methods the questions name; nil for
	// voting.NewRegistry().
	Registry *voting.Registry `json:"-"`
	// Head is a head published elsewhere (noted by a voter, printed by an
	// observer): the chain must pass through it. "" checks only the
	// header's head.
	Head string `json:"head,omitempty"`
	// Trackers are receipts to look up on the board ("verify my vote"):
	// the report says where each one is and whether it counts.
	Trackers []string `json:"trackers,omitempty"`
}

// TrackerStatus is what the board says of one tracker.
type TrackerStatus struct {
	// Found is true when an entry that chains holds the tracker, at Index.
	Found bool  `json:"found"`
	Index int64 `json:"index"`
	// Ballot is the entry's canonical ballot (nil for an entry that only
	// voids another).
	Ballot json.RawMessage `json:"ballot,omitempty"`
	// ReplacedBy is the tracker of a later entry that supersedes this one
	// (a revote, a recount correction), "" if none.
	ReplacedBy string `json:"replaced_by,omitempty"`
	// Counted is true when the ballot counts: found, a ballot, not replaced.
	Counted bool `json:"counted"`
}

// VerifiedResult is the recount of one question from a verified board.
type VerifiedResult struct {
	Question string         `json:"question"`
	Result   *voting.Result `json:"result,omitempty"`
	// Err is set when the method could not count (the board still
	// verifies).
	Err error `json:"-"`
}

// VerifyReport is what Verify recomputed from a board.
type VerifyReport struct {
	// Election is the election of the header; Genesis its recomputed
	// genesis hash; ClosedAt the header's early close, if any.
	Election Public     `json:"election"`
	Genesis  string     `json:"genesis"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	// Head is the recomputed hash of the last entry that chains (Genesis
	// when none does); Published the head the header announces.
	Head      string `json:"head"`
	Published string `json:"published"`
	// Entries counts the entries that chain; Ballots those that carry a
	// ballot; Replaced the entries superseded by a later one; Counted the
	// ballots that count (carried and not replaced).
	Entries  int64 `json:"entries"`
	Ballots  int64 `json:"ballots"`
	Replaced int64 `json:"replaced"`
	Counted  int64 `json:"counted"`
	// Tally holds the counted ballots (up to the first problem, if any).
	Tally *Tally `json:"-"`
	// Results recounts each question, in election order; nil when the
	// board does not verify.
	Results []VerifiedResult `json:"results,omitempty"`
	// Trackers answers VerifyOptions.Trackers, up to the first problem.
	Trackers map[string]TrackerStatus `json:"trackers,omitempty"`
	// Problem is the first problem found; nil when the board verifies.
	Problem *TamperError `json:"problem,omitempty"`
}

// Verify reads an exported board (WriteBoard's format) and recomputes it:
// the chain from the genesis hash of the header's election, the header's
// head and entry count, every ballot (CheckBallot, canonical form), which
// entries are replaced, the tally and each question's result. When the
// board does not verify, the report's Problem, also returned as the error,
// names the first changed, deleted, inserted or reordered entry by index.
// An unreadable header is an ErrBoardFormat error and no report.
//
// Each entry carries its index, its predecessor's hash and its own hash,
// which tell the kinds apart: an entry that does not match its own hash
// was changed; one that matches it but links to another predecessor
// follows a changed entry whose hash was recomputed; a gap in the indexes
// means entries were deleted, unless the missing entry appears further on
// (reordered); an entry with an earlier index, a repeated one, or one
// whose predecessor is nowhere, was inserted. A board rebuilt from some
// entry on, header included, is consistent in itself: only a head
// published before (VerifyOptions.Head) shows it.
//
// Verify reads the board once and keeps no entry: its memory grows with
// the count (each distinct ballot per part once, as in a Tally) and with
// an index of 64-bit tracker fingerprints, about 40 bytes an entry, that
// finds the ballot a later entry replaces and refuses a reused tracker.
// Two trackers are taken for the same one only if their fingerprints
// collide (odds about 1 in 10^7 for a board of 10^6 entries).
func Verify(r io.Reader, reg *voting.Registry) (*VerifyReport, error) {
	return VerifyWith(r, VerifyOptions{Registry: reg})
}

// VerifyWith is Verify with options.
func VerifyWith(r io.Reader, opts VerifyOptions) (*VerifyReport, error) {
	br, err := NewBoardReader(r)
	if err != nil {
		return nil, err
	}
	return VerifyBoard(br, opts)
}

// VerifyBoard verifies the entries br has not read yet against its header.
func VerifyBoard(br *BoardReader, opts VerifyOptions) (*VerifyReport, error) {
	v := NewVerifier(br.Header, opts)
	for !v.Done() {
		e, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			v.Malformed(br.Line(), err)
			if br.failed() {
				break
			}
			continue
		}
		v.Entry(e, br.Line())
	}
	return v.Finish()
}

// Verifier checks a board entry by entry, for callers that read entries
// from elsewhere than a file (a store, a network stream). Feed it every
// entry in order with Entry (and Malformed for one that could not be
// read), then call Finish. It keeps no entry (see Verify for its memory).
type Verifier struct {
	h    BoardHeader
	opts VerifyOptions
	e    *Election
	rep  VerifyReport

	head, headPrev string // hash and Prev of the last entry that chains
	lastLine       int
	read           int64  // entries read, including unchained ones
	hashAtCount    string // head after h.Entries entries
	seenHead       bool   // opts.Head met on the chain

	// The count: each distinct (part, ballot) once, with its number of
	// counted entries; the tally is built from it at the end.
	seed      maphash.Seed
	index     map[uint64]uint32 // tracker fingerprint -> cast (see trackerVoid, trackerReplaced)
	casts     []tallied
	castIDs   map[talliedKey]uint32
	ballots   []Ballot          // distinct checked ballots
	ballotIDs map[string]uint32 // canonical encoding -> ballots index
	checked   map[string]uint32 // raw encoding -> ballots index (bounded cache)

	pend  *tamperPending
	done  bool
	final *VerifyReport // once finished
}

type tallied struct {
	ballot uint32
	p      Part
	n      int64
}

type talliedKey struct {
	p      Part
	ballot uint32
}

// maxChecked bounds the cache of checked ballots: most boards repeat few
// distinct ballots; a board of all-different ones is checked entry by
// entry.
const maxChecked = 1 << 16

const (
	trackerReplaced = 1 << 31             // bit set once the tracker's entry is replaced
	trackerVoid     = trackerReplaced - 1 // an entry without a ballot
)

// tamperPending is an anomaly whose kind the next entries decide.
type tamperPending struct {
	why  tamperPendingKind
	x    Entry // the entry where the chain broke
	own  string
	pos  int64 // v.rep.Entries when x was read
	line int
	// For pendMissing: how much further entry pos was found (-1 until it
	// is), and whether x's predecessor was seen and links to x (1) or
	// not (-1).
	moved int64
	pred  int
}

type tamperPendingKind int

const (
	pendHash    tamperPendingKind = iota // x's hash does not match its content
	pendPrev                             // x has the right index but links elsewhere
	pendMissing                          // x has a later index: deleted or moved
	pendFork                             // x claims the index of the last chained entry
)

// NewVerifier starts verifying a board with header h.
func NewVerifier(h BoardHeader, opts VerifyOptions) *Verifier {
	if opts.Registry == nil {
		opts.Registry = voting.NewRegistry()
	}
	e := publicElection(h.Election)
	v := &Verifier{h: h, opts: opts, e: e, seed: maphash.MakeSeed(),
		index: map[uint64]uint32{}, castIDs: map[talliedKey]uint32{}, ballotIDs: map[string]uint32{}, checked: map[string]uint32{}}
	v.rep = VerifyReport{Election: h.Election, Genesis: GenesisHash(h.Election), ClosedAt: h.ClosedAt, Published: h.Head,
		Tally: NewTally(e, opts.Registry)}
	if len(opts.Trackers) > 0 {
		v.rep.Trackers = make(map[string]TrackerStatus, len(opts.Trackers))
		for _, tr := range opts.Trackers {
			v.rep.Trackers[tr] = TrackerStatus{Index: -1}
		}
	}
	v.head = v.rep.Genesis
	v.rep.Head = v.head
	v.seenHead = opts.Head == v.head
	if h.Entries == 0 {
		v.hashAtCount = v.head
	}
	switch {
	case h.Format != BoardFormat:
		v.fail(TamperMalformed, HeaderIndex, 1, fmt.Sprintf("format %q, want %q", h.Format, BoardFormat), ErrBoardFormat)
	case v.rep.Genesis != h.Genesis:
		v.fail(TamperElection, HeaderIndex, 1, "the election definition does not hash to the header's genesis: it was changed", nil)
	case h.Entries < 0:
		v.fail(TamperHead, HeaderIndex, 1, fmt.Sprintf("negative entry count %d", h.Entries), nil)
	case h.ClosedAt != nil && !h.ClosedAt.Before(h.Election.Closes):
		v.fail(TamperElection, HeaderIndex, 1, "the early close is not before the published close", nil)
	default:
		if err := e.Validate(opts.Registry); err != nil {
			v.fail(TamperElection, HeaderIndex, 1, "the election cannot be counted", err)
		}
	}
	return v
}

// Done reports whether the verdict is known: further entries change
// nothing.
func (v *Verifier) Done() bool { return v.done }

func (v *Verifier) fail(kind TamperKind, index int64, line int, detail string, err error) {
	if v.done {
		return
	}
	v.done, v.pend = true, nil
	v.rep.Problem = &TamperError{Kind: kind, Index: index, Line: line, Detail: detail, Err: err}
}

// Malformed records that the next entry, at line, could not be read.
func (v *Verifier) Malformed(line int, err error) {
	if v.done {
		return
	}
	v.read++
	if v.pend != nil {
		if v.pend.why != pendMissing {
			v.resolve(nil, false)
		}
		return
	}
	v.fail(TamperMalformed, v.rep.Entries, line, "unreadable entry", err)
}

// Entry checks the next entry, read from line (0 if unknown).
func (v *Verifier) Entry(x Entry, line int) {
	if v.done {
		return
	}
	v.read++
	if v.pend != nil {
		v.resolve(&x, false)
		return
	}
	p := v.rep.Entries
	own := x.ComputeHash()
	switch {
	case own != x.Hash:
		v.pend = &tamperPending{why: pendHash, x: x, own: own, pos: p, line: line}
	case x.Index == p && x.Prev == v.head:
		v.accept(x, line)
	case x.Index == p:
		v.pend = &tamperPending{why: pendPrev, x: x, own: own, pos: p, line: line}
	case x.Index > p:
		v.pend = &tamperPending{why: pendMissing, x: x, own: own, pos: p, line: line, moved: -1}
	case p > 0 && x.Index == p-1 && x.Prev == v.headPrev:
		v.pend = &tamperPending{why: pendFork, x: x, own: own, pos: p, line: line}
	default:
		v.fail(TamperInserted, p, line, fmt.Sprintf("an entry with index %d (a copy or a forgery) where entry %d belongs", x.Index, p), nil)
	}
}

// expected reports whether y is the entry the chain expects next.
func (v *Verifier) expected(y *Entry) bool {
	return y != nil && y.Index == v.rep.Entries && y.Prev == v.head && y.ComputeHash() == y.Hash
}

// resolve decides a pending anomaly with the entry read after it (nil
// when unknown; eof when the board ended).
func (v *Verifier) resolve(y *Entry, eof bool) {
	pd := v.pend
	p := pd.pos
	switch pd.why {
	case pendHash:
		switch {
		case v.expected(y):
			v.fail(TamperInserted, p, pd.line, "an entry that does not hash correctly before the expected one", nil)
		case pd.x.Index == p && pd.x.Prev == v.head:
			detail := "its content no longer matches its hash"
			if y != nil && y.Prev == pd.own || eof && p == v.h.Entries-1 && v.h.Head == pd.own {
				detail = "its hash was changed (the content is the one the chain links to)"
			}
			v.fail(TamperChanged, p, pd.line, detail, nil)
		default:
			v.fail(TamperChanged, p, pd.line, fmt.Sprintf("its content no longer matches its hash (index %d, want %d)", pd.x.Index, p), nil)
		}
	case pendPrev:
		switch {
		case v.expected(y):
			v.fail(TamperInserted, p, pd.line, "an entry that links to the right predecessor but is not the one the chain continues with", nil)
		case p == 0:
			v.fail(TamperElection, HeaderIndex, pd.line, "the first entry does not start from the election's genesis hash: the election definition or the header's genesis was changed", nil)
		default:
			v.fail(TamperChanged, p-1, v.lastLine, fmt.Sprintf("entry %d links to another hash: entry %d was changed and its hash recomputed", p, p-1), nil)
		}
	case pendFork:
		if pd.own != v.head && (y != nil && y.Prev == pd.own || eof && v.h.Head == pd.own) {
			v.fail(TamperInserted, p-1, v.lastLine, fmt.Sprintf("the chain continues from the next entry with index %d, not this one", p-1), nil)
		} else {
			v.fail(TamperInserted, p, pd.line, fmt.Sprintf("a second entry with index %d", p-1), nil)
		}
	case pendMissing:
		// Entry p is missing here: moved further on (reordered) or deleted.
		// x, found in its place, was moved here if its predecessor
		// (wherever it is) hashes to x.Prev and x does not occur again;
		// otherwise x was inserted. The verdict waits for the end.
		if y != nil && y.ComputeHash() == y.Hash {
			switch {
			case y.Hash == pd.x.Hash:
				v.fail(TamperInserted, p, pd.line, fmt.Sprintf("a copy of entry %d", pd.x.Index), nil)
				return
			case y.Index == pd.x.Index-1 && pd.pred <= 0:
				pd.pred = -1
				if y.Hash == pd.x.Prev {
					pd.pred = 1
				}
			}
			if pd.moved < 0 && v.expected(y) {
				pd.moved = v.read - 1 - p
			}
		}
		if !eof {
			return
		}
		switch {
		case pd.moved >= 0 && pd.pred == 1:
			v.fail(TamperReordered, p, pd.line, fmt.Sprintf("entry %d comes after entry %d (moved by %d)", p, pd.x.Index, pd.moved), nil)
		case pd.moved >= 0:
			v.fail(TamperInserted, p, pd.line, fmt.Sprintf("an entry with index %d that is not on the chain, before entry %d", pd.x.Index, p), nil)
		default:
			detail := fmt.Sprintf("entry %d is missing", p)
			if pd.x.Index > p+1 {
				detail = fmt.Sprintf("entries %d to %d are missing", p, pd.x.Index-1)
			}
			v.fail(TamperDeleted, p, pd.line, detail, nil)
		}
	}
}

// accept takes x, which chains, and checks and counts its ballot.
func (v *Verifier) accept(x Entry, line int) {
	i := v.rep.Entries
	v.rep.Entries++
	v.headPrev, v.head, v.lastLine = v.head, x.Hash, line
	v.rep.Head = v.head
	if v.opts.Head != "" && x.Hash == v.opts.Head {
		v.seenHead = true
	}
	if v.rep.Entries == v.h.Entries {
		v.hashAtCount = x.Hash
	}
	invalid := func(detail string, err error) { v.fail(TamperInvalid, i, line, detail, err) }
	if x.Tracker == "" {
		invalid("no tracker", nil)
		return
	}
	if !x.Channel.Valid() {
		invalid(fmt.Sprintf("unknown channel %q", x.Channel), nil)
		return
	}
	fp := maphash.String(v.seed, x.Tracker)
	if _, dup := v.index[fp]; dup {
		invalid(fmt.Sprintf("tracker %q is used by an earlier entry", x.Tracker), nil)
		return
	}
	id := uint32(trackerVoid)
	if x.Void() {
		if x.Replaces == "" {
			invalid("neither a ballot nor a replaced tracker", nil)
			return
		}
	} else {
		bid, ok := v.checked[string(x.Ballot)]
		if !ok {
			b, err := ParseBallot(x.Ballot)
			if err != nil {
				invalid("unreadable ballot", err)
				return
			}
			if err := v.e.CheckBallot(v.opts.Registry, b); err != nil {
				invalid("ballot invalid for its election", err)
				return
			}
			canon := v.e.Canonical(b)
			if !bytes.Equal(canon, x.Ballot) && !compactEqual(canon, x.Ballot) {
				invalid("ballot not in canonical form", nil)
				return
			}
			if bid, ok = v.ballotIDs[string(canon)]; !ok {
				bid = uint32(len(v.ballots))
				v.ballots = append(v.ballots, b)
				v.ballotIDs[string(canon)] = bid
			}
			if len(v.checked) < maxChecked {
				v.checked[string(x.Ballot)] = bid
			}
		}
		key := talliedKey{Part{Channel: x.Channel, Place: x.Place}, bid}
		if id, ok = v.castIDs[key]; !ok {
			if len(v.casts) >= trackerVoid {
				invalid("too many distinct ballots", nil)
				return
			}
			id = uint32(len(v.casts))
			v.casts = append(v.casts, tallied{ballot: bid, p: key.p})
			v.castIDs[key] = id
		}
	}
	if x.Replaces != "" {
		rfp := maphash.String(v.seed, x.Replaces)
		old, ok := v.index[rfp]
		switch {
		case !ok:
			invalid(fmt.Sprintf("replaces tracker %q, which no earlier entry holds", x.Replaces), nil)
			return
		case old&trackerReplaced != 0:
			invalid(fmt.Sprintf("replaces tracker %q, which was already replaced", x.Replaces), nil)
			return
		case old != trackerVoid:
			v.casts[old].n--
			v.rep.Counted--
		}
		v.index[rfp] = old | trackerReplaced
		v.rep.Replaced++
	}
	if id != trackerVoid {
		v.casts[id].n++
		v.rep.Ballots++
		v.rep.Counted++
	}
	v.index[fp] = id
	if v.rep.Trackers != nil {
		if st, ok := v.rep.Trackers[x.Replaces]; ok && x.Replaces != "" {
			st.ReplacedBy, st.Counted = x.Tracker, false
			v.rep.Trackers[x.Replaces] = st
		}
		if _, ok := v.rep.Trackers[x.Tracker]; ok {
			st := TrackerStatus{Found: true, Index: i, Counted: id != trackerVoid}
			if !x.Void() {
				st.Ballot = x.Ballot
			}
			v.rep.Trackers[x.Tracker] = st
		}
	}
}

func compactEqual(canon, raw []byte) bool {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return false
	}
	return bytes.Equal(canon, buf.Bytes())
}

// Finish ends the board, checks the head and entry count and recounts
// every question. When the board does not verify, the error is the
// report's Problem (a *TamperError matching ErrTampered).
func (v *Verifier) Finish() (*VerifyReport, error) {
	if v.final != nil {
		if v.final.Problem != nil {
			return v.final, v.final.Problem
		}
		return v.final, nil
	}
	if v.pend != nil {
		v.resolve(nil, true)
	}
	if !v.done {
		n, m := v.rep.Entries, v.h.Entries
		switch {
		case n == m && v.head != v.h.Head:
			v.fail(TamperHead, HeaderIndex, 1, fmt.Sprintf("the last entry hashes to %s, the header publishes %s: the last entry or the published head was changed", shortHash(v.head), shortHash(v.h.Head)), nil)
		case n != m && v.head == v.h.Head:
			v.fail(TamperHead, HeaderIndex, 1, fmt.Sprintf("the header announces %d entries, the chain has %d up to its published head", m, n), nil)
		case n < m:
			v.fail(TamperTruncated, n, 0, fmt.Sprintf("the board ends after %d entries, the header announces %d", n, m), nil)
		case n > m && v.hashAtCount == v.h.Head:
			v.fail(TamperInserted, m, 0, fmt.Sprintf("%d entries follow the published head", n-m), nil)
		case n > m:
			v.fail(TamperHead, HeaderIndex, 1, fmt.Sprintf("the header announces %d entries, the board has %d, and its head is on neither", m, n), nil)
		case v.opts.Head != "" && !v.seenHead:
			v.fail(TamperHead, HeaderIndex, 0, fmt.Sprintf("the published head %s is not on this board", shortHash(v.opts.Head)), nil)
		}
	}
	for _, c := range v.casts {
		if err := v.rep.Tally.Add(v.ballots[c.ballot], c.p, c.n); err != nil { // cannot happen: n >= 0
			v.fail(TamperInvalid, HeaderIndex, 0, "cannot count the ballots", err)
		}
	}
	v.done = true // later entries change nothing
	rep := v.rep  // a copy: the report does not keep the verifier's index alive
	v.final = &rep
	if rep.Problem != nil {
		return &rep, rep.Problem
	}
	rep.Results = make([]VerifiedResult, len(v.e.Questions))
	for i, q := range v.e.Questions {
		r, err := rep.Tally.Result(q.ID, nil)
		rep.Results[i] = VerifiedResult{Question: q.ID, Result: r, Err: err}
	}
	return &rep, nil
}

// short abbreviates a hash for messages.
func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
