package ballotbox_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// board is an exported board file split in lines: the header, then one
// entry a line. Tampering edits it like an attacker with a text editor.
type editedBoard struct {
	header ballotbox.BoardHeader
	lines  []string // entries
}

func splitEditedBoard(t *testing.T, data []byte) *editedBoard {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	b := &editedBoard{lines: lines[1:]}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &b.header))
	return b
}

func (b *editedBoard) bytes(t *testing.T) []byte {
	t.Helper()
	h, err := json.Marshal(b.header)
	require.NoError(t, err)
	return []byte(string(h) + "\n" + strings.Join(b.lines, "\n") + "\n")
}

func (b *editedBoard) entry(t *testing.T, i int) ballotbox.Entry {
	t.Helper()
	var e ballotbox.Entry
	require.NoError(t, json.Unmarshal([]byte(b.lines[i]), &e))
	return e
}

func (b *editedBoard) set(t *testing.T, i int, e ballotbox.Entry) {
	t.Helper()
	buf, err := json.Marshal(e)
	require.NoError(t, err)
	b.lines[i] = string(buf)
}

// edit changes entry i with fn; with rehash, the attacker also recomputes
// its hash.
func (b *editedBoard) edit(t *testing.T, i int, rehash bool, fn func(*ballotbox.Entry)) {
	t.Helper()
	e := b.entry(t, i)
	fn(&e)
	if rehash {
		e.Hash = e.ComputeHash()
	}
	b.set(t, i, e)
}

// verifyOtherBallot returns another valid ballot in canonical form: the chair
// question gets another ranking.
func verifyOtherBallot(t *testing.T, raw json.RawMessage) json.RawMessage {
	t.Helper()
	b, err := ballotbox.ParseBallot(raw)
	require.NoError(t, err)
	pub := verifyElection()
	e := &ballotbox.Election{ID: pub.ID, Questions: pub.Questions}
	for i, a := range b.Answers {
		if a.Question == "chair" {
			if slices.EqualFunc(a.Ranking, voting.Ranking{{3}, {2}}, slices.Equal) {
				b.Answers[i].Ranking = voting.Ranking{{2}, {3}}
			} else {
				b.Answers[i].Ranking = voting.Ranking{{3}, {2}}
			}
		}
	}
	out := e.Canonical(b)
	require.NotEqual(t, string(raw), string(out))
	return out
}

func TestVerifyValidBoard(t *testing.T) {
	reg := voting.NewRegistry()
	for _, n := range []int{0, 1, 2, 40} {
		bb := verifyBoardOf(t, n, uint64(n))
		rep, err := ballotbox.Verify(bytes.NewReader(verifyBoardBytes(t, bb)), reg)
		require.NoError(t, err)
		require.NotNil(t, rep)
		assert.Nil(t, rep.Problem)
		assert.Equal(t, bb.Head(), rep.Head)
		assert.Equal(t, bb.Head(), rep.Published)
		assert.Equal(t, bb.Genesis(), rep.Genesis)
		assert.Equal(t, int64(n), rep.Entries)

		// Recount by hand: every ballot whose tracker no later entry replaces.
		replaced := map[string]bool{}
		for _, e := range bb.Entries() {
			if e.Replaces != "" {
				replaced[e.Replaces] = true
			}
		}
		pub := verifyElection()
		want := ballotbox.NewTally(&ballotbox.Election{ID: pub.ID, Questions: pub.Questions}, reg)
		var ballots, counted int64
		for _, e := range bb.Entries() {
			if e.Void() {
				continue
			}
			ballots++
			if replaced[e.Tracker] {
				continue
			}
			counted++
			b, err := ballotbox.ParseBallot(e.Ballot)
			require.NoError(t, err)
			require.NoError(t, want.Add(b, ballotbox.Part{Channel: e.Channel, Place: e.Place}, 1))
		}
		assert.Equal(t, ballots, rep.Ballots)
		assert.Equal(t, counted, rep.Counted)
		assert.Equal(t, int64(len(replaced)), rep.Replaced)
		require.Len(t, rep.Results, 2)
		for i, q := range pub.Questions {
			assert.Equal(t, q.ID, rep.Results[i].Question)
			require.NoError(t, rep.Results[i].Err)
			r, err := want.Result(q.ID, nil)
			require.NoError(t, err)
			assert.Equal(t, r, rep.Results[i].Result, "question %s", q.ID)
		}
		if n == 40 {
			assert.Equal(t, int64(6), rep.Replaced, "5 revotes and a voided ballot")
			assert.Equal(t, int64(39), rep.Ballots)
			assert.Equal(t, int64(34), rep.Counted)
		}
	}
}

func TestVerifyTampered(t *testing.T) {
	const n = 30
	bb := verifyBoardOf(t, n, 7)
	valid := verifyBoardBytes(t, bb)
	tests := []struct {
		name   string
		tamper func(t *testing.T, b *editedBoard)
		kind   ballotbox.TamperKind
		index  int64
		detail string
	}{
		{"ballot changed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 12, false, func(e *ballotbox.Entry) { e.Ballot = verifyOtherBallot(t, e.Ballot) })
		}, ballotbox.TamperChanged, 12, "content"},
		{"ballot changed and rehashed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 12, true, func(e *ballotbox.Entry) { e.Ballot = verifyOtherBallot(t, e.Ballot) })
		}, ballotbox.TamperChanged, 12, "hash recomputed"},
		{"last ballot changed and rehashed", func(t *testing.T, b *editedBoard) {
			b.edit(t, n-1, true, func(e *ballotbox.Entry) { e.Ballot = verifyOtherBallot(t, e.Ballot) })
		}, ballotbox.TamperHead, ballotbox.HeaderIndex, "last entry"},
		{"tracker changed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 3, false, func(e *ballotbox.Entry) { e.Tracker = "T999999" })
		}, ballotbox.TamperChanged, 3, "content"},
		{"channel changed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 4, false, func(e *ballotbox.Entry) { e.Channel = civickit.ChannelMediator })
		}, ballotbox.TamperChanged, 4, "content"},
		{"replaces removed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 21, false, func(e *ballotbox.Entry) { e.Replaces = "" })
		}, ballotbox.TamperChanged, 21, "content"},
		{"hash changed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 9, false, func(e *ballotbox.Entry) { e.Hash = strings.Repeat("0", 64) })
		}, ballotbox.TamperChanged, 9, "hash was changed"},
		{"last hash changed", func(t *testing.T, b *editedBoard) {
			b.edit(t, n-1, false, func(e *ballotbox.Entry) { e.Hash = strings.Repeat("f", 64) })
		}, ballotbox.TamperChanged, n - 1, "hash was changed"},
		{"prev changed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 9, false, func(e *ballotbox.Entry) { e.Prev = strings.Repeat("0", 64) })
		}, ballotbox.TamperChanged, 9, "content"},
		{"index changed", func(t *testing.T, b *editedBoard) {
			b.edit(t, 9, false, func(e *ballotbox.Entry) { e.Index = 10 })
		}, ballotbox.TamperChanged, 9, "index 10"},
		{"first deleted", func(t *testing.T, b *editedBoard) { b.lines = b.lines[1:] }, ballotbox.TamperDeleted, 0, "entry 0 is missing"},
		{"middle deleted", func(t *testing.T, b *editedBoard) { b.lines = slices.Delete(b.lines, 15, 16) }, ballotbox.TamperDeleted, 15, "entry 15 is missing"},
		{"two deleted", func(t *testing.T, b *editedBoard) { b.lines = slices.Delete(b.lines, 15, 17) }, ballotbox.TamperDeleted, 15, "entries 15 to 16"},
		{"last deleted", func(t *testing.T, b *editedBoard) { b.lines = b.lines[:n-1] }, ballotbox.TamperTruncated, n - 1, "ends after 29"},
		{"truncated", func(t *testing.T, b *editedBoard) { b.lines = b.lines[:20] }, ballotbox.TamperTruncated, 20, "ends after 20 entries, the header announces 30"},
		{"truncated in a line", func(t *testing.T, b *editedBoard) {
			b.lines = b.lines[:20]
			b.lines[19] = b.lines[19][:len(b.lines[19])/2]
		}, ballotbox.TamperMalformed, 19, "unreadable"},
		{"truncated with its header", func(t *testing.T, b *editedBoard) {
			b.lines = b.lines[:20]
			b.header.Entries = 20
		}, ballotbox.TamperHead, ballotbox.HeaderIndex, "hashes to"},
		{"copy of an earlier entry inserted", func(t *testing.T, b *editedBoard) {
			b.lines = slices.Insert(b.lines, 10, b.lines[4])
		}, ballotbox.TamperInserted, 10, "index 4"},
		{"entry repeated", func(t *testing.T, b *editedBoard) {
			b.lines = slices.Insert(b.lines, 10, b.lines[9])
		}, ballotbox.TamperInserted, 10, "second entry with index 9"},
		{"forged entry inserted and sealed", func(t *testing.T, b *editedBoard) {
			prev := b.entry(t, 9)
			forged := ballotbox.Seal(prev.Hash, 10, ballotbox.Entry{Tracker: "FORGED", Ballot: b.entry(t, 3).Ballot, Channel: civickit.ChannelWeb})
			b.lines = slices.Insert(b.lines, 10, "")
			b.set(t, 10, forged)
		}, ballotbox.TamperInserted, 10, "continues from the next entry"},
		{"forged entry inserted unsealed", func(t *testing.T, b *editedBoard) {
			b.lines = slices.Insert(b.lines, 10, `{"index":10,"tracker":"FORGED","channel":"web","prev":"x","hash":"y"}`)
		}, ballotbox.TamperInserted, 10, "does not hash"},
		{"forged entry with a later index inserted", func(t *testing.T, b *editedBoard) {
			forged := ballotbox.Seal(strings.Repeat("1", 64), 25, ballotbox.Entry{Tracker: "FORGED", Ballot: b.entry(t, 3).Ballot, Channel: civickit.ChannelWeb})
			b.lines = slices.Insert(b.lines, 10, "")
			b.set(t, 10, forged)
		}, ballotbox.TamperInserted, 10, "index 25 that is not on the chain"},
		{"forged entry claiming the next index inserted", func(t *testing.T, b *editedBoard) {
			forged := ballotbox.Seal(strings.Repeat("1", 64), 11, ballotbox.Entry{Tracker: "FORGED", Ballot: b.entry(t, 3).Ballot, Channel: civickit.ChannelWeb})
			b.lines = slices.Insert(b.lines, 10, "")
			b.set(t, 10, forged)
		}, ballotbox.TamperInserted, 10, "index 11 that is not on the chain"},
		{"entry appended after the head", func(t *testing.T, b *editedBoard) {
			last := b.entry(t, n-1)
			b.lines = append(b.lines, "")
			b.set(t, n, ballotbox.Seal(last.Hash, n, ballotbox.Entry{Tracker: "LATE", Ballot: last.Ballot, Channel: civickit.ChannelWeb}))
		}, ballotbox.TamperInserted, n, "1 entries follow the published head"},
		{"two swapped", func(t *testing.T, b *editedBoard) {
			b.lines[17], b.lines[18] = b.lines[18], b.lines[17]
		}, ballotbox.TamperReordered, 17, "entry 17 comes after entry 18"},
		{"first and last swapped", func(t *testing.T, b *editedBoard) {
			b.lines[0], b.lines[n-1] = b.lines[n-1], b.lines[0]
		}, ballotbox.TamperReordered, 0, "entry 0 comes after entry 29"},
		{"moved later", func(t *testing.T, b *editedBoard) {
			l := b.lines[5]
			b.lines = slices.Insert(slices.Delete(b.lines, 5, 6), 12, l)
		}, ballotbox.TamperReordered, 5, "entry 5 comes after entry 6"},
		{"moved earlier", func(t *testing.T, b *editedBoard) {
			l := b.lines[20]
			b.lines = slices.Insert(slices.Delete(b.lines, 20, 21), 8, l)
		}, ballotbox.TamperReordered, 8, "entry 8 comes after entry 20"},
		{"header head changed", func(t *testing.T, b *editedBoard) { b.header.Head = strings.Repeat("a", 64) }, ballotbox.TamperHead, ballotbox.HeaderIndex, "published head was changed"},
		{"header count changed", func(t *testing.T, b *editedBoard) { b.header.Entries = n + 2 }, ballotbox.TamperHead, ballotbox.HeaderIndex, "announces 32 entries"},
		{"election changed", func(t *testing.T, b *editedBoard) { b.header.Election.Questions[0].Method = "irv" }, ballotbox.TamperElection, ballotbox.HeaderIndex, "does not hash to the header's genesis"},
		{"candidate renamed", func(t *testing.T, b *editedBoard) { b.header.Election.Questions[0].Candidates[1] = "Bruno" }, ballotbox.TamperElection, ballotbox.HeaderIndex, "genesis"},
		{"election and genesis changed", func(t *testing.T, b *editedBoard) {
			b.header.Election.Questions[0].Method = "irv"
			b.header.Genesis = ballotbox.GenesisHash(b.header.Election)
		}, ballotbox.TamperElection, ballotbox.HeaderIndex, "first entry does not start from the election's genesis"},
		{"unreadable line", func(t *testing.T, b *editedBoard) { b.lines[6] = "{not json" }, ballotbox.TamperMalformed, 6, "unreadable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := splitEditedBoard(t, valid)
			tt.tamper(t, b)
			rep, err := ballotbox.Verify(bytes.NewReader(b.bytes(t)), voting.NewRegistry())
			require.Error(t, err)
			assert.ErrorIs(t, err, ballotbox.ErrTampered)
			var te *ballotbox.TamperError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.kind, te.Kind, "%v", err)
			assert.Equal(t, tt.index, te.Index, "%v", err)
			assert.Contains(t, te.Detail, tt.detail)
			require.NotNil(t, rep)
			assert.Same(t, te, rep.Problem)
			assert.Nil(t, rep.Results, "no results from a board that does not verify")
		})
	}
}

// Entries that chain but break the rules of the election: an attacker
// who rebuilds the whole chain still cannot slip in a bad ballot.
func TestVerifyInvalidEntries(t *testing.T) {
	pub := verifyElection()
	good := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: voting.Ranking{{2}, {0}}}}}
	web := ballotbox.Part{Channel: civickit.ChannelWeb}
	tests := []struct {
		name   string
		build  func(bb *ballotbox.BoardBuilder)
		index  int64
		detail string
		ballot string // the BallotError rule, if any
	}{
		{"duplicate rank", func(bb *ballotbox.BoardBuilder) {
			bb.AppendBallot("a", "", ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: voting.Ranking{{1}, {1}}}}}, web)
		}, 1, "invalid for its election", "duplicate"},
		{"approval out of range", func(bb *ballotbox.BoardBuilder) {
			bb.AppendBallot("a", "", ballotbox.Ballot{Answers: []ballotbox.Answer{good.Answers[0], {Question: "parks", Scores: []int{1, 2, 0}}}}, web)
		}, 1, "invalid for its election", "range"},
		{"mandatory question missing", func(bb *ballotbox.BoardBuilder) {
			bb.AppendBallot("a", "", ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "parks", Scores: []int{1, 0, 0}}}}, web)
		}, 1, "invalid for its election", "missing"},
		{"not canonical", func(bb *ballotbox.BoardBuilder) {
			bb.Append(ballotbox.Entry{Tracker: "a", Ballot: json.RawMessage(`{"answers":[{"question":"chair","ranking":[[2,0]]}]}`), Channel: civickit.ChannelWeb})
		}, 1, "canonical", ""},
		{"unreadable ballot", func(bb *ballotbox.BoardBuilder) {
			bb.Append(ballotbox.Entry{Tracker: "a", Ballot: json.RawMessage(`{"answers":7}`), Channel: civickit.ChannelWeb})
		}, 1, "unreadable ballot", "encoding"},
		{"unknown channel", func(bb *ballotbox.BoardBuilder) {
			bb.AppendBallot("a", "", good, ballotbox.Part{Channel: "pigeon"})
		}, 1, "unknown channel", ""},
		{"tracker reused", func(bb *ballotbox.BoardBuilder) { bb.AppendBallot("t0", "", good, web) }, 1, "used by an earlier entry", ""},
		{"no tracker", func(bb *ballotbox.BoardBuilder) { bb.AppendBallot("", "", good, web) }, 1, "no tracker", ""},
		{"replaces an unknown tracker", func(bb *ballotbox.BoardBuilder) { bb.AppendBallot("a", "zz", good, web) }, 1, "no earlier entry holds", ""},
		{"replaces twice", func(bb *ballotbox.BoardBuilder) {
			bb.AppendBallot("a", "t0", good, web)
			bb.AppendBallot("b", "t0", good, web)
		}, 2, "already replaced", ""},
		{"empty entry", func(bb *ballotbox.BoardBuilder) {
			bb.Append(ballotbox.Entry{Tracker: "a", Channel: civickit.ChannelWeb})
		}, 1, "neither a ballot nor a replaced tracker", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bb := ballotbox.NewBoardBuilder(pub)
			bb.AppendBallot("t0", "", good, web)
			tt.build(bb)
			bb.AppendBallot("last", "", good, web)
			_, err := ballotbox.Verify(bytes.NewReader(verifyBoardBytes(t, bb)), nil)
			var te *ballotbox.TamperError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, ballotbox.TamperInvalid, te.Kind)
			assert.Equal(t, tt.index, te.Index)
			assert.Contains(t, te.Detail, tt.detail)
			if tt.ballot != "" {
				var be *ballotbox.BallotError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, tt.ballot, be.Rule)
				assert.ErrorIs(t, err, ballotbox.ErrInvalidBallot)
			}
		})
	}
}

func TestVerifyPublishedHead(t *testing.T) {
	bb := ballotbox.NewBoardBuilder(verifyElection())
	good := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: voting.Ranking{{0}}}}}
	var heads []string
	heads = append(heads, bb.Head())
	for i := range 5 {
		bb.AppendBallot(string(rune('a'+i)), "", good, ballotbox.Part{Channel: civickit.ChannelWeb})
		heads = append(heads, bb.Head())
	}
	data := verifyBoardBytes(t, bb)
	for _, h := range heads {
		rep, err := ballotbox.VerifyWith(bytes.NewReader(data), ballotbox.VerifyOptions{Head: h})
		require.NoError(t, err, "a head noted earlier is on the board")
		assert.Equal(t, int64(5), rep.Counted)
	}
	_, err := ballotbox.VerifyWith(bytes.NewReader(data), ballotbox.VerifyOptions{Head: strings.Repeat("c", 64)})
	var te *ballotbox.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, ballotbox.TamperHead, te.Kind)
	assert.Contains(t, te.Detail, "is not on this board")

	// An attacker who deletes entry 2 and rebuilds the chain after it, header
	// included, makes a board that is consistent in itself: only a head
	// published before (and kept elsewhere) shows it.
	forged := ballotbox.NewBoardBuilder(verifyElection())
	for i, e := range bb.Entries() {
		if i != 2 {
			forged.Append(ballotbox.Entry{Tracker: e.Tracker, Ballot: e.Ballot, Channel: e.Channel})
		}
	}
	fdata := verifyBoardBytes(t, forged)
	_, err = ballotbox.Verify(bytes.NewReader(fdata), nil)
	require.NoError(t, err, "a rebuilt chain verifies on its own")
	_, err = ballotbox.VerifyWith(bytes.NewReader(fdata), ballotbox.VerifyOptions{Head: heads[2]})
	assert.NoError(t, err, "a head noted before the deleted entry is still on the board")
	for _, h := range heads[3:] {
		_, err = ballotbox.VerifyWith(bytes.NewReader(fdata), ballotbox.VerifyOptions{Head: h})
		require.ErrorAs(t, err, &te)
		assert.Equal(t, ballotbox.TamperHead, te.Kind)
	}
}

func TestVerifyUnreadableHeader(t *testing.T) {
	for _, data := range []string{"", "\n", "{", `{"format":"other"}`, "[]\n"} {
		rep, err := ballotbox.Verify(strings.NewReader(data), nil)
		assert.Nil(t, rep)
		assert.ErrorIs(t, err, ballotbox.ErrBoardFormat, "%q", data)
		assert.False(t, errors.Is(err, ballotbox.ErrTampered))
	}
}

// The streaming Verifier gives the same verdict on entries from
// elsewhere than a file.
func TestVerifier(t *testing.T) {
	bb := verifyBoardOf(t, 25, 3)
	v := ballotbox.NewVerifier(bb.Header(), ballotbox.VerifyOptions{})
	for _, e := range bb.Entries() {
		v.Entry(e, 0)
	}
	rep, err := v.Finish()
	require.NoError(t, err)
	assert.Equal(t, bb.Head(), rep.Head)
	in, err := rep.Tally.Input("chair", nil)
	require.NoError(t, err)
	assert.Equal(t, rep.Counted, in.Ranked.Voters())
	v.Entry(bb.Entries()[0], 0) // after Finish: ignored
	again, err := v.Finish()
	require.NoError(t, err)
	assert.Same(t, rep, again)

	v = ballotbox.NewVerifier(bb.Header(), ballotbox.VerifyOptions{})
	es := bb.Entries()
	es[3], es[4] = es[4], es[3]
	for _, e := range es {
		v.Entry(e, 0)
		if v.Done() {
			break
		}
	}
	_, err = v.Finish()
	var te *ballotbox.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, ballotbox.TamperReordered, te.Kind)
	assert.Equal(t, int64(3), te.Index)
	assert.Equal(t, "ballotbox: board does not verify: entry 3: reordered: entry 3 comes after entry 4 (moved by 1)", te.Error())
}

// Random single tamperings of a board: the verifier names the kind and
// the first entry where the board differs from the published one.
func TestVerifyRandomTampering(t *testing.T) {
	const n = 40
	r := rand.New(rand.NewPCG(40, 41))
	reg := voting.NewRegistry()
	for seed := range uint64(4) {
		valid := verifyBoardBytes(t, verifyBoardOf(t, n, seed))
		for range 80 {
			b := splitEditedBoard(t, valid)
			var kind ballotbox.TamperKind
			var index int
			var what string
			switch op := r.IntN(7); op {
			case 0: // delete a run
				l := 1 + r.IntN(3)
				k := r.IntN(n - l + 1)
				b.lines = slices.Delete(b.lines, k, k+l)
				kind, index, what = ballotbox.TamperDeleted, k, fmt.Sprintf("delete %d from %d", l, k)
				if k+l == n {
					kind = ballotbox.TamperTruncated
				}
			case 1: // swap two
				i := r.IntN(n - 1)
				j := i + 1 + r.IntN(n-1-i)
				b.lines[i], b.lines[j] = b.lines[j], b.lines[i]
				kind, index, what = ballotbox.TamperReordered, i, fmt.Sprintf("swap %d %d", i, j)
			case 2: // move one later or earlier
				from, to := r.IntN(n), r.IntN(n)
				if from == to {
					continue
				}
				l := b.lines[from]
				b.lines = slices.Insert(slices.Delete(b.lines, from, from+1), to, l)
				kind, index, what = ballotbox.TamperReordered, min(from, to), fmt.Sprintf("move %d to %d", from, to)
			case 3: // insert a copy
				c, k := r.IntN(n), r.IntN(n+1)
				b.lines = slices.Insert(b.lines, k, b.lines[c])
				kind, index, what = ballotbox.TamperInserted, k, fmt.Sprintf("copy %d at %d", c, k)
				if c == k { // the copy is read first: the original is the second one
					index = k + 1
				}
			case 4: // change a ballot
				k := r.IntN(n)
				if b.entry(t, k).Void() {
					continue
				}
				b.edit(t, k, false, func(e *ballotbox.Entry) { e.Ballot = verifyOtherBallot(t, e.Ballot) })
				kind, index, what = ballotbox.TamperChanged, k, fmt.Sprintf("change %d", k)
			case 5: // change a ballot and recompute its hash
				k := r.IntN(n - 1)
				if b.entry(t, k).Void() {
					continue
				}
				b.edit(t, k, true, func(e *ballotbox.Entry) { e.Ballot = verifyOtherBallot(t, e.Ballot) })
				kind, index, what = ballotbox.TamperChanged, k, fmt.Sprintf("change and rehash %d", k)
			case 6: // cut the end
				k := r.IntN(n)
				b.lines = b.lines[:k]
				kind, index, what = ballotbox.TamperTruncated, k, fmt.Sprintf("truncate at %d", k)
			}
			_, err := ballotbox.Verify(bytes.NewReader(b.bytes(t)), reg)
			var te *ballotbox.TamperError
			require.ErrorAs(t, err, &te, what)
			assert.Equal(t, kind, te.Kind, "%s: %v", what, err)
			assert.Equal(t, int64(index), te.Index, "%s: %v", what, err)
		}
	}
}

func TestVerifyTrackers(t *testing.T) {
	bb := ballotbox.NewBoardBuilder(verifyElection())
	web := ballotbox.Part{Channel: civickit.ChannelWeb}
	b := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: voting.Ranking{{1}}}}}
	first := bb.AppendBallot("first", "", b, web)
	bb.AppendBallot("kept", "", b, web)
	bb.AppendBallot("again", "first", b, web)
	bb.Append(ballotbox.Entry{Tracker: "void", Replaces: "again", Channel: civickit.ChannelWeb})
	rep, err := ballotbox.VerifyWith(bytes.NewReader(verifyBoardBytes(t, bb)), ballotbox.VerifyOptions{Trackers: []string{"first", "kept", "again", "void", "nobody"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]ballotbox.TrackerStatus{
		"first":  {Found: true, Index: 0, Ballot: first.Ballot, ReplacedBy: "again"},
		"kept":   {Found: true, Index: 1, Ballot: first.Ballot, Counted: true},
		"again":  {Found: true, Index: 2, Ballot: first.Ballot, ReplacedBy: "void"},
		"void":   {Found: true, Index: 3},
		"nobody": {Index: -1},
	}, rep.Trackers)
	assert.Equal(t, int64(1), rep.Counted)
}

// Text that is not valid UTF-8 comes back from a file as U+FFFD: the
// hashes are computed so that such a board still verifies.
func TestVerifyInvalidUTF8(t *testing.T) {
	pub := verifyElection()
	pub.Title = "bad \xff\xfe title"
	pub.Questions[0].Candidates[0] = "Ad\xe9a"
	pub.Questions[0].Params = map[string]float64{}
	bb := ballotbox.NewBoardBuilder(pub)
	b := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "chair", Ranking: voting.Ranking{{1}}}}}
	bb.AppendBallot("tr\xff", "", b, ballotbox.Part{Channel: civickit.ChannelPaper, Place: "H\xf4tel"})
	bb.AppendBallot("tr2", "tr\xff", b, ballotbox.Part{Channel: civickit.ChannelPaper, Place: "H\xf4tel"})
	rep, err := ballotbox.Verify(bytes.NewReader(verifyBoardBytes(t, bb)), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), rep.Counted)
	assert.Equal(t, "bad \ufffd\ufffd title", rep.Election.Title)
}
