// Package compact stores the distinct ranked ballots of a profile in flat,
// pointer-free arrays, each ballot once with its count, interned through
// an open-addressing table of ballot numbers. voting.Profile keeps its
// ballots in a Set, and the readers of voting/formats build one while
// they read, so a file's profile is made in one pass.
package compact

import "slices"

// A ballot is a run of Cands: candidate c (0-based) starting a group is
// stored as c, and as ^c (negative) when it continues the group before it
// (a tie). Entries are 16-bit: a profile has at most MaxCandidates
// candidates, and a million ballots of ten take 20 MB. Within a group candidates are in increasing order, which makes
// the run canonical: equal ballots are equal runs.

// Set holds distinct ballots and their counts in first-seen order.
type Set struct {
	// Cands holds every ballot, best group first.
	Cands []int16
	// Starts[i] is where ballot i starts in Cands; Starts[Len()] is
	// len(Cands).
	Starts []int32
	// Counts[i] is how many voters cast ballot i.
	Counts []int64
	// Total is the voters: the sum of Counts plus the voters added by
	// AddVoters (a ballot emptied by a restriction).
	Total int64

	// slots holds ballot+1 in the low half and the top 32 bits of the
	// ballot's hash in the high half, so that a probe rarely reads a
	// ballot it does not want; 0 is empty. A power of two, at most half
	// full.
	slots []uint64
}

// MaxCandidates is the most candidates a run can name.
const MaxCandidates = 1 << 15

// MaxEntries bounds len(Cands): positions are int32.
const MaxEntries = 1<<31 - 1

// Grow makes room for distinct more ballots of about entries candidates
// in all, so that a reader that knows the file's size (PrefLib's NUMBER
// UNIQUE ORDERS) appends without copying.
func (s *Set) Grow(distinct, entries int) {
	if distinct <= 0 {
		return
	}
	if s.Starts == nil {
		s.Starts = append(make([]int32, 0, distinct+1), 0)
	} else if cap(s.Starts)-len(s.Starts) < distinct {
		s.Starts = append(make([]int32, 0, len(s.Starts)+distinct), s.Starts...)
	}
	if cap(s.Counts)-len(s.Counts) < distinct {
		s.Counts = append(make([]int64, 0, len(s.Counts)+distinct), s.Counts...)
	}
	if entries > 0 && cap(s.Cands)-len(s.Cands) < entries {
		s.Cands = append(make([]int16, 0, len(s.Cands)+entries), s.Cands...)
	}
	s.rehash(s.Len() + distinct)
}

// Len returns the number of distinct ballots.
func (s *Set) Len() int { return len(s.Counts) }

// Ballot returns the run of ballot i; it must not be modified.
func (s *Set) Ballot(i int) []int16 { return s.Cands[s.Starts[i]:s.Starts[i+1]:s.Starts[i+1]] }

// Find returns the number of the ballot equal to run, if any.
func (s *Set) Find(run []int16) (int32, bool) {
	if len(s.slots) == 0 {
		if s.Len() == 0 {
			return 0, false
		}
		s.rehash(s.Len()) // dropped by DropIndex
	}
	mask := uint64(len(s.slots) - 1)
	full := hash(run)
	tag := full >> 32
	for h := full & mask; ; h = (h + 1) & mask {
		b := s.slots[h]
		if b == 0 {
			return 0, false
		}
		if b>>32 == tag && equal(s.Ballot(int(uint32(b)-1)), run) {
			return int32(uint32(b) - 1), true
		}
	}
}

// Add counts count more voters casting run, which must be canonical, and
// returns its ballot number. It reports false, changing nothing, when
// the total would pass max or the set is full.
func (s *Set) Add(run []int16, count, max int64) (int32, bool) {
	if count > max-s.Total {
		return 0, false
	}
	if i, ok := s.Find(run); ok { // rebuilds a dropped index
		s.Counts[i] += count
		s.Total += count
		return i, true
	}
	if len(s.Cands)+len(run) > MaxEntries || s.Len() >= 1<<31-2 {
		return 0, false
	}
	if s.Starts == nil {
		s.Starts = []int32{0}
	}
	i := int32(s.Len())
	s.Cands = append(s.Cands, run...)
	s.Starts = append(s.Starts, int32(len(s.Cands)))
	s.Counts = append(s.Counts, count)
	s.Total += count
	if 2*s.Len() > len(s.slots) {
		s.rehash(s.Len())
	} else {
		s.put(i)
	}
	return i, true
}

// AddAt counts count more voters casting ballot i; false, changing
// nothing, when the total would pass max.
func (s *Set) AddAt(i int32, count, max int64) bool {
	if count > max-s.Total {
		return false
	}
	s.Counts[i] += count
	s.Total += count
	return true
}

// AddVoters counts voters who cast no ballot of the set.
func (s *Set) AddVoters(count int64) { s.Total += count }

// DropIndex frees the table of ballots; the next Add or Find rebuilds it.
// A finished profile is read, not added to, most of the time.
func (s *Set) DropIndex() { s.slots = nil }

// Clone returns a copy of s without its index.
func (s *Set) Clone() Set {
	return Set{
		Cands:  append([]int16(nil), s.Cands...),
		Starts: append([]int32(nil), s.Starts...),
		Counts: append([]int64(nil), s.Counts...),
		Total:  s.Total,
	}
}

func (s *Set) rehash(distinct int) {
	size := 1024
	for size < 2*distinct {
		size *= 2
	}
	if size <= len(s.slots) {
		return
	}
	s.slots = make([]uint64, size)
	for i := range s.Len() {
		s.put(int32(i))
	}
}

func (s *Set) put(i int32) {
	mask := uint64(len(s.slots) - 1)
	full := hash(s.Ballot(int(i)))
	h := full & mask
	for s.slots[h] != 0 {
		h = (h + 1) & mask
	}
	s.slots[h] = full>>32<<32 | uint64(uint32(i)+1)
}

func equal(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// hash mixes a run of candidates; runs are short, so a multiply-rotate
// per candidate and a final avalanche (from splitmix64) beat a byte hash.
func hash(run []int16) uint64 {
	h := uint64(len(run)) * 0x9e3779b97f4a7c15
	for _, v := range run {
		h = (h ^ uint64(uint16(v))) * 0xbf58476d1ce4e5b9
		h ^= h >> 29
	}
	h ^= h >> 31
	h *= 0x94d049bb133111eb
	h ^= h >> 32
	return h
}

// Canonical sorts each group of run in place (a tie may be written in any
// order), keeping the group markers: the first of a group is stored as c,
// the others as ^c.
func Canonical(run []int16) {
	for i := 0; i < len(run); {
		j := i + 1
		for j < len(run) && run[j] < 0 {
			j++
		}
		if j-i > 1 {
			g := run[i:j]
			for k := range g {
				if g[k] < 0 {
					g[k] = ^g[k]
				}
			}
			if len(g) < 12 {
				for a := 1; a < len(g); a++ {
					for b := a; b > 0 && g[b] < g[b-1]; b-- {
						g[b], g[b-1] = g[b-1], g[b]
					}
				}
			} else {
				slices.Sort(g)
			}
			for k := 1; k < len(g); k++ {
				g[k] = ^g[k]
			}
		}
		i = j
	}
}

// Cand returns the candidate of an entry.
func Cand(v int16) int { return int(v ^ v>>15) }

// GroupEnd returns the end of the group starting at i in run.
func GroupEnd(run []int16, i int) int {
	for i++; i < len(run) && run[i] < 0; i++ {
	}
	return i
}
