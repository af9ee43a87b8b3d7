package voting

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// Tournament solutions pick a set of candidates from the majority relation
// alone: x beats y when M[x][y] > M[y][x]. Pairwise ties are allowed (a weak
// tournament), which is where the classical definitions part ways; each
// function says which one it follows.

// maxBanks bounds BanksSet: the search visits up to n·2^(n-1) chains.
const maxBanks = 12

// SmithSet returns the Smith set (Smith 1973), sorted: the smallest
// non-empty set of candidates each of whom beats every candidate outside
// it. With pairwise ties this is Schwartz's GETCHA; TopCycle computes the
// same set another way.
func SmithSet(m *Matrix) []int { return smithAmong(m, allCandidates(m.N)) }

// smithAmong is the Smith set of the sub-election among active candidates
// (elimination methods restrict to it round after round).
func smithAmong(m *Matrix, active []int) []int {
	// A member of a dominant set beats every outsider, so it has strictly
	// more Copeland points than any outsider: dominant sets are prefixes of
	// the candidates ordered by Copeland score, and the Smith set is the
	// shortest such prefix that dominates.
	score := make(map[int]float64, len(active))
	for _, a := range active {
		for _, b := range active {
			switch {
			case a == b:
			case m.Beats(a, b):
				score[a]++
			case !m.Beats(b, a):
				score[a] += 0.5
			}
		}
	}
	order := slices.Clone(active)
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case score[a] > score[b]:
			return -1
		case score[a] < score[b]:
			return 1
		}
		return 0
	})
	for k := 1; k < len(order); k++ {
		if score[order[k-1]] == score[order[k]] {
			continue // a dominant prefix never splits equal scores
		}
		if dominates(m, order[:k], order[k:]) {
			s := slices.Clone(order[:k])
			slices.Sort(s)
			return s
		}
	}
	s := slices.Clone(active)
	slices.Sort(s)
	return s
}

func dominates(m *Matrix, in, out []int) bool {
	for _, x := range in {
		for _, y := range out {
			if !m.Beats(x, y) {
				return false
			}
		}
	}
	return true
}

// TopCycle returns the top cycle of the weak majority relation (x ≥ y when
// M[x][y] >= M[y][x]): the candidates from whom every other candidate can
// be reached by a chain of wins or pairwise ties. This is GETCHA (Schwartz
// 1986), equal to the Smith set. Its companion GOCHA, the top cycle of the
// strict relation, is SchwartzSet.
func TopCycle(m *Matrix) []int {
	reach := closure(m.N, func(x, y int) bool { return m.M[x][y] >= m.M[y][x] })
	return candidatesWhere(m.N, func(x, y int) bool { return reach.has(x, y) })
}

// SchwartzSet returns the Schwartz set, GOCHA (Schwartz 1986): the union of
// the minimal sets that no outsider beats, which is the set of candidates
// x such that whoever reaches x by a chain of wins is reached back from x.
// It is contained in the Smith set and equals it when there are no pairwise
// ties.
func SchwartzSet(m *Matrix) []int {
	reach := closure(m.N, m.Beats)
	return candidatesWhere(m.N, func(x, y int) bool { return !reach.has(y, x) || reach.has(x, y) })
}

// closure returns the transitive closure of rel over n candidates.
func closure(n int, rel func(x, y int) bool) bitMatrix {
	reach := newBitMatrix(n)
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			if x != y && rel(x, y) {
				reach.set(x, y)
			}
		}
	}
	reach.close()
	return reach
}

// candidatesWhere returns the candidates x for which ok(x, y) holds for
// every other candidate y.
func candidatesWhere(n int, ok func(x, y int) bool) []int {
	var out []int
	for x := 0; x < n; x++ {
		all := true
		for y := 0; y < n && all; y++ {
			all = y == x || ok(x, y)
		}
		if all {
			out = append(out, x)
		}
	}
	return out
}

// UncoveredSet returns the candidates no other candidate covers, with the
// covering relation of McKelvey (1986) on the strict majority relation: x
// covers y when x beats y, everyone who beats x also beats y, and everyone
// y beats x also beats. Without pairwise ties this is the uncovered set of
// Miller (1980). This two-sided relation keeps the Banks set inside the
// uncovered set even with pairwise ties; the set lies inside the Smith set.
func UncoveredSet(m *Matrix) []int {
	n := m.N
	beats, beatenBy := majorityBits(m)
	var out []int
	for y := 0; y < n; y++ {
		covered := false
		for x := 0; x < n && !covered; x++ {
			covered = beats.has(x, y) &&
				subset(beatenBy.row(x), beatenBy.row(y)) &&
				subset(beats.row(y), beats.row(x))
		}
		if !covered {
			out = append(out, y)
		}
	}
	return out
}

// BanksSet returns the Banks set (Banks 1985): the top candidates of the
// maximal chains, where a chain is a set of candidates that the majority
// relation orders transitively (every pair decided) and maximal means no
// other candidate beats all of it. The search is exponential; more than 12
// candidates is refused with ErrTooLarge.
func BanksSet(m *Matrix) ([]int, error) {
	n := m.N
	if n > maxBanks {
		return nil, fmt.Errorf("%w: the Banks set of %d candidates (at most %d)", ErrTooLarge, n, maxBanks)
	}
	beats := make([]uint64, n)
	beatenBy := make([]uint64, n)
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			if m.Beats(x, y) {
				beats[x] |= 1 << y
				beatenBy[y] |= 1 << x
			}
		}
	}
	// below holds the candidates every member beats (they may extend the
	// chain at the bottom); threat those who beat every member (they would
	// extend it at the top, so the chain is not yet maximal).
	var maximal func(below, threat uint64) bool
	maximal = func(below, threat uint64) bool {
		if threat == 0 {
			return true
		}
		for rest := below; rest != 0; rest &= rest - 1 {
			c := bits.TrailingZeros64(rest)
			if maximal(below&beats[c], threat&beatenBy[c]) {
				return true
			}
		}
		return false
	}
	var out []int
	for top := 0; top < n; top++ {
		if maximal(beats[top], beatenBy[top]) {
			out = append(out, top)
		}
	}
	return out, nil
}

// bitMatrix is an n×n relation stored as bit rows.
type bitMatrix struct {
	n, words int
	bits     []uint64
}

func newBitMatrix(n int) bitMatrix {
	w := (n + 63) / 64
	return bitMatrix{n: n, words: w, bits: make([]uint64, n*w)}
}

func (b bitMatrix) row(i int) []uint64 { return b.bits[i*b.words : (i+1)*b.words] }

func (b bitMatrix) has(i, j int) bool { return b.bits[i*b.words+j/64]&(1<<(j%64)) != 0 }

func (b bitMatrix) set(i, j int) { b.bits[i*b.words+j/64] |= 1 << (j % 64) }

func (b bitMatrix) clone() bitMatrix {
	b.bits = slices.Clone(b.bits)
	return b
}

// close makes the relation transitive (Warshall's algorithm on bit rows).
func (b bitMatrix) close() {
	for k := 0; k < b.n; k++ {
		rk := b.row(k)
		for i := 0; i < b.n; i++ {
			if i != k && b.has(i, k) {
				ri := b.row(i)
				for w := range ri {
					ri[w] |= rk[w]
				}
			}
		}
	}
}

func subset(a, b []uint64) bool {
	for i := range a {
		if a[i]&^b[i] != 0 {
			return false
		}
	}
	return true
}

// majorityBits returns the strict majority relation and its converse.
func majorityBits(m *Matrix) (beats, beatenBy bitMatrix) {
	beats, beatenBy = newBitMatrix(m.N), newBitMatrix(m.N)
	for x := 0; x < m.N; x++ {
		for y := 0; y < m.N; y++ {
			if m.Beats(x, y) {
				beats.set(x, y)
				beatenBy.set(y, x)
			}
		}
	}
	return beats, beatenBy
}

// tournamentMethods registers the tournament solutions as methods whose
// Winners is the set; the tie policy elects one of them.
func tournamentMethods() []Method {
	return []Method{
		{
			Name: "smith", Title: "Smith set",
			Description: "The smallest set of candidates who each beat every candidate outside it head to head; the tie policy elects one of them.",
			Source:      "J. H. Smith, 'Aggregation of preferences with variable electorate', Econometrica 41 (1973) 1027–1041.",
			Ballots:     RankedBallots,
			Count:       countSet("Smith set", func(m *Matrix, _ string) ([]int, error) { return SmithSet(m), nil }),
		},
		{
			Name: "schwartz", Title: "Schwartz set (GOCHA)",
			Description: "The union of the smallest sets of candidates that no outsider beats head to head; inside the Smith set, equal to it without pairwise ties. The tie policy elects one of them.",
			Source:      "T. Schwartz, The Logic of Collective Choice, Columbia University Press (1986).",
			Ballots:     RankedBallots,
			Count:       countSet("Schwartz set", func(m *Matrix, _ string) ([]int, error) { return SchwartzSet(m), nil }),
		},
		{
			Name: "top-cycle", Title: "Top cycle",
			Description: "The top cycle of the majority relation: 'getcha' counts pairwise ties as links (GETCHA, the Smith set), 'gocha' only wins (GOCHA, the Schwartz set). The tie policy elects one of them.",
			Source:      "T. Schwartz, The Logic of Collective Choice, Columbia University Press (1986).",
			Ballots:     RankedBallots,
			Variants:    []string{"getcha", "gocha"},
			Count: countSet("top cycle", func(m *Matrix, variant string) ([]int, error) {
				if variant == "gocha" {
					return SchwartzSet(m), nil
				}
				return TopCycle(m), nil
			}),
		},
		{
			Name: "uncovered-set", Title: "Uncovered set",
			Description: "The candidates no one covers, where x covers y when x beats y, everyone beating x beats y, and everyone y beats x beats too (McKelvey's covering). The tie policy elects one of them.",
			Source:      "N. R. Miller, 'A new solution set for tournaments and majority voting', Am. J. Pol. Sci. 24 (1980) 68–96; R. D. McKelvey, 'Covering, dominance, and institution-free properties of social choice', Am. J. Pol. Sci. 30 (1986) 283–314.",
			Ballots:     RankedBallots,
			Count:       countSet("uncovered set", func(m *Matrix, _ string) ([]int, error) { return UncoveredSet(m), nil }),
		},
		{
			Name: "banks", Title: "Banks set",
			Description: "The top candidates of the maximal chains of the majority relation (sets it orders transitively that no other candidate beats entirely); at most 12 candidates. The tie policy elects one of them.",
			Source:      "J. S. Banks, 'Sophisticated voting outcomes and agenda control', Soc. Choice Welf. 1 (1985) 295–306.",
			Ballots:     RankedBallots,
			Count:       countSet("Banks set", func(m *Matrix, _ string) ([]int, error) { return BanksSet(m) }),
		},
	}
}

// countSet makes a method of a tournament solution.
func countSet(label string, set func(*Matrix, string) ([]int, error)) func(Input, Options) (*Result, error) {
	return func(in Input, o Options) (*Result, error) {
		p := in.Ranked
		m := p.Pairwise()
		s, err := set(m, o.Variant)
		if err != nil {
			return nil, err
		}
		r := &Result{Candidates: p.Candidates(), Pairwise: m, Ballots: p.Voters(), Winners: s}
		r.Notes = []string{fmt.Sprintf("The %s is {%s}.", label, strings.Join(candidateNames(p.candidates, s), ", "))}
		r.elect(o.Tie)
		return r, nil
	}
}

func candidateNames(all []string, cs []int) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = all[c]
	}
	return out
}
