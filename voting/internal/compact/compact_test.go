package compact

import (
	"slices"
	"testing"
)

func TestSet(t *testing.T) {
	var s Set
	runs := [][]int16{
		{0, 1, 2},
		{2, ^1, 0}, // {2, 1} tied, then 0: written unsorted
		{1, ^2, 0}, // the same ballot, canonical
		{},         // a blank ballot
		{0, 1, 2},
	}
	var got []int32
	for _, r := range runs {
		r = slices.Clone(r)
		Canonical(r)
		i, ok := s.Add(r, 2, 100)
		if !ok {
			t.Fatalf("Add(%v) refused", r)
		}
		got = append(got, i)
	}
	if want := []int32{0, 1, 1, 2, 0}; !slices.Equal(got, want) {
		t.Fatalf("ballot numbers %v, want %v", got, want)
	}
	if s.Len() != 3 || s.Total != 10 || !slices.Equal(s.Counts, []int64{4, 4, 2}) {
		t.Fatalf("len %d total %d counts %v", s.Len(), s.Total, s.Counts)
	}
	if !slices.Equal(s.Ballot(1), []int16{1, ^2, 0}) {
		t.Fatalf("ballot 1 is %v", s.Ballot(1))
	}
	if _, ok := s.Add([]int16{0}, 91, 100); ok {
		t.Fatal("a total past max was accepted")
	}
	if s.AddAt(0, 91, 100) || s.Total != 10 {
		t.Fatal("AddAt past max changed the set")
	}
	s.DropIndex()
	if i, ok := s.Add([]int16{1, ^2, 0}, 1, 100); !ok || i != 1 {
		t.Fatalf("Add after DropIndex: %d %v", i, ok)
	}

	// Many ballots: the table grows and every ballot is found again.
	var big Set
	big.Grow(5000, 0)
	for i := range 20000 {
		r := []int16{int16(i % 7), int16(7 + i/7%50), int16(1000 + i)}
		if n, ok := big.Add(r, 1, 1<<53); !ok || n != int32(i) {
			t.Fatalf("ballot %d numbered %d", i, n)
		}
	}
	for i := range 20000 {
		if n, ok := big.Find(big.Ballot(i)); !ok || n != int32(i) {
			t.Fatalf("ballot %d found as %d %v", i, n, ok)
		}
	}
}

func TestCand(t *testing.T) {
	for _, c := range []int{0, 1, 255, MaxCandidates - 1} {
		if Cand(int16(c)) != c || Cand(^int16(c)) != c {
			t.Errorf("Cand(%d)", c)
		}
	}
}
