package formats

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/internal/compact"
)

// rankBuilder checks one ranked ballot as its candidates are read and
// builds its canonical key without allocating: each candidate c as the
// uvarint of c+1 (never a zero byte), each group closed by a zero byte,
// groups sorted so that a tie written in any order gives the same key.
//
// A builder made by newRunBuilder builds instead the ballot's canonical
// run of compact entries (voting/internal/compact), which the ranked
// readers add to the profile they build.
type rankBuilder struct {
	n      int
	seen   []uint32 // seen[c] == gen: c is already on this ballot
	gen    uint32
	runs   bool    // build run, not key
	run    []int16 // the ballot's entries, in runs mode
	key    []byte
	group  []int
	ranked int // candidates on the ballot
	groups int
	tied   bool
}

func newRankBuilder(n int) *rankBuilder {
	// seen grows with the candidates met, so that a header declaring
	// millions of candidates costs nothing until ballots name them.
	return &rankBuilder{n: n, seen: make([]uint32, min(n, 1024))}
}

// newRunBuilder returns a builder of runs for ranked ballots.
func newRunBuilder(n int) *rankBuilder {
	b := newRankBuilder(n)
	b.runs = true
	return b
}

func (b *rankBuilder) reset() {
	b.gen++
	if b.gen == 0 { // wrapped after 2^32 ballots
		clear(b.seen)
		b.gen = 1
	}
	b.key = b.key[:0]
	b.run = b.run[:0]
	b.group = b.group[:0]
	b.ranked, b.groups, b.tied = 0, 0, false
}

// add puts candidate number num (1-based, as files write it) in the open
// group; it returns the broken rule, or "".
func (b *rankBuilder) add(num int64) string {
	if num < 1 || num > int64(b.n) {
		return "unknown candidate"
	}
	c := int(num - 1)
	if c >= len(b.seen) {
		b.seen = append(b.seen, make([]uint32, c+1-len(b.seen))...)
	}
	if b.seen[c] == b.gen {
		return "duplicate candidate in ballot"
	}
	b.seen[c] = b.gen
	b.group = append(b.group, c)
	b.ranked++
	return ""
}

// grow admits candidates up to n, for formats that introduce candidates
// as they go.
func (b *rankBuilder) grow(n int) { b.n = n }

// single adds candidate number num as a group of its own: the common case
// of strict orders, without the group buffer.
func (b *rankBuilder) single(num int64) string {
	if num < 1 || num > int64(b.n) {
		return "unknown candidate"
	}
	c := int(num - 1)
	if c >= len(b.seen) {
		b.seen = append(b.seen, make([]uint32, c+1-len(b.seen))...)
	}
	if b.seen[c] == b.gen {
		return "duplicate candidate in ballot"
	}
	b.seen[c] = b.gen
	if b.runs {
		b.run = append(b.run, int16(c))
	} else if c < 0x7f {
		b.key = append(b.key, byte(c+1), 0)
	} else {
		b.key = append(binary.AppendUvarint(b.key, uint64(c)+1), 0)
	}
	b.ranked++
	b.groups++
	return ""
}

// close ends the open group, which may be empty only for categories.
func (b *rankBuilder) close() {
	g := b.group
	if len(g) > 1 {
		b.tied = true
		if len(g) < 12 {
			for i := 1; i < len(g); i++ {
				for j := i; j > 0 && g[j] < g[j-1]; j-- {
					g[j], g[j-1] = g[j-1], g[j]
				}
			}
		} else {
			slices.Sort(g)
		}
	}
	if b.runs {
		for k, c := range g {
			if k > 0 {
				c = ^c
			}
			b.run = append(b.run, int16(c))
		}
	} else {
		for _, c := range g {
			b.key = binary.AppendUvarint(b.key, uint64(c)+1)
		}
		b.key = append(b.key, 0)
	}
	b.group = b.group[:0]
	b.groups++
}

// ballotSet counts distinct ballots by key, in first-seen order, so that
// the profile is built once per distinct ballot. Files that repeat a
// ballot verbatim (raw exports) skip parsing it again: the text after the
// count is remembered too, up to maxRaw texts.
//
// A set made by newRankedSet keeps ranked ballots, by their runs, in the
// compact set that becomes the profile: no second pass.
type ballotSet struct {
	index  map[string]int32
	keys   []string
	counts []int64
	ranked bool
	set    compact.Set
	total  int64
	lines  int // ballot lines read, for headers that declare them
	raw    textIndex
	hits   int   // lines found in raw
	last   int32 // the ballot counted last
}

func newBallotSet() *ballotSet {
	return &ballotSet{index: map[string]int32{}, raw: newTextIndex()}
}

func newRankedSet() *ballotSet {
	return &ballotSet{ranked: true, raw: newTextIndex()}
}

// addRun counts a ranked ballot by its canonical run; false when the
// total would pass voting.MaxVoters.
func (s *ballotSet) addRun(run []int16, count int64) bool {
	i, ok := s.set.Add(run, count, voting.MaxVoters)
	if !ok {
		return false
	}
	s.total = s.set.Total
	s.lines++
	s.last = i
	return true
}

// addBallot counts the ballot b built, by run or by key.
func (s *ballotSet) addBallot(b *rankBuilder, count int64) bool {
	if s.ranked {
		return s.addRun(b.run, count)
	}
	return s.add(b.key, count)
}

// distinct returns the number of distinct ballots so far.
func (s *ballotSet) distinct() int {
	if s.ranked {
		return s.set.Len()
	}
	return len(s.keys)
}

// seen returns the ballot whose text was remembered, if any.
func (s *ballotSet) seen(text []byte) (int32, bool) {
	if s.rawOff() {
		return 0, false
	}
	i, ok := s.raw.get(text)
	if ok {
		s.hits++
	}
	return i, ok
}

// remember ties a ballot's text to the ballot added last, unless texts
// rarely repeat (an aggregated file), where remembering only costs.
func (s *ballotSet) remember(text []byte) {
	if s.rawOff() {
		return
	}
	s.raw.put(text, s.last)
}

// rawOff reports that texts rarely repeat: past 2^14 remembered with
// fewer than a quarter found again, the reader stops looking them up.
func (s *ballotSet) rawOff() bool { return s.raw.n >= 1<<14 && s.hits < s.raw.n/4 }

// addAt counts another count of ballot i; false when the total would
// pass voting.MaxVoters.
func (s *ballotSet) addAt(i int32, count int64) bool {
	if s.ranked {
		if !s.set.AddAt(i, count, voting.MaxVoters) {
			return false
		}
		s.total = s.set.Total
		s.lines++
		s.last = i
		return true
	}
	if count > voting.MaxVoters-s.total {
		return false
	}
	s.total += count
	s.lines++
	s.counts[i] += count
	s.last = i
	return true
}

// add counts a ballot by key; false when the total would pass
// voting.MaxVoters.
func (s *ballotSet) add(key []byte, count int64) bool {
	i, ok := s.index[string(key)]
	if !ok {
		if count > voting.MaxVoters-s.total {
			return false
		}
		k := string(key)
		i = int32(len(s.keys))
		s.index[k] = i
		s.keys = append(s.keys, k)
		s.counts = append(s.counts, 0)
	}
	return s.addAt(i, count)
}

// maxRaw bounds the remembered ballot texts (a few tens of megabytes).
const maxRaw = 1 << 18

// textIndex maps ballot texts to ballots. It is an open-addressing table
// rather than a map[string]int32 because the lookup runs once per line
// and a map costs about twice as much there.
type textIndex struct {
	seed  maphash.Seed
	slots []textSlot // a power of two, at most half full
	n     int
}

type textSlot struct {
	hash   uint64
	text   string
	ballot int32 // +1; 0 marks an empty slot
}

func newTextIndex() textIndex {
	return textIndex{seed: maphash.MakeSeed(), slots: make([]textSlot, 1024)}
}

func (t *textIndex) get(text []byte) (int32, bool) {
	h := maphash.Bytes(t.seed, text)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.ballot == 0 {
			return 0, false
		}
		if s.hash == h && s.text == string(text) {
			return s.ballot - 1, true
		}
	}
}

func (t *textIndex) put(text []byte, ballot int32) {
	if t.n >= maxRaw {
		return
	}
	if 2*(t.n+1) > len(t.slots) {
		old := t.slots
		t.slots = make([]textSlot, 2*len(old))
		for _, s := range old {
			if s.ballot != 0 {
				t.insert(s)
			}
		}
	}
	t.insert(textSlot{maphash.Bytes(t.seed, text), string(text), ballot + 1})
	t.n++
}

func (t *textIndex) insert(s textSlot) {
	mask := uint64(len(t.slots) - 1)
	i := s.hash & mask
	for t.slots[i].ballot != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// decodeGroups decodes a key into its groups, empty groups included.
func decodeGroups(key string) [][]int {
	n, ng := 0, 0
	for i := 0; i < len(key); i++ {
		switch {
		case key[i] == 0:
			ng++
		case key[i] < 0x80:
			n++
		}
	}
	flat := make([]int, 0, n)
	out := make([][]int, 0, ng)
	start := 0
	for i := 0; i < len(key); {
		if key[i] == 0 {
			out = append(out, flat[start:len(flat):len(flat)])
			start = len(flat)
			i++
			continue
		}
		var v int
		v, i = uvarint(key, i)
		flat = append(flat, v-1)
	}
	return out
}

// rankedProfile builds the profile of the distinct ballots of s.
func (s *ballotSet) rankedProfile(names []string, policy voting.UnrankedPolicy) (*voting.Profile, error) {
	if s.ranked {
		p, err := voting.NewCompactProfile(names, policy, &s.set)
		if err != nil {
			return nil, parseErr(0, "invalid candidates", err.Error())
		}
		return p, nil
	}
	p, err := voting.NewProfile(names, policy)
	if err != nil {
		return nil, parseErr(0, "invalid candidates", err.Error())
	}
	for i, k := range s.keys {
		if err := p.Add(voting.Ranking(decodeGroups(k)), s.counts[i]); err != nil {
			return nil, parseErr(0, "invalid ballot", err.Error())
		}
	}
	return p, nil
}

// uvarint decodes the uvarint at s[i:], written by this package.
func uvarint(s string, i int) (int, int) {
	v, shift := 0, 0
	for ; i < len(s); i++ {
		b := s[i]
		v |= int(b&0x7f) << shift
		shift += 7
		if b < 0x80 {
			return v, i + 1
		}
	}
	return v, i
}
