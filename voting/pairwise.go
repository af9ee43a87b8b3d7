package voting

import "github.com/civickit/civickit/voting/internal/compact"

// Matrix is the pairwise comparison matrix: M[i][j] is the number of
// voters who rank candidate i strictly above candidate j.
type Matrix struct {
	N int       `json:"n"`
	M [][]int64 `json:"m"`
}

// NewMatrix returns an n×n zero matrix.
func NewMatrix(n int) *Matrix {
	m := &Matrix{N: n, M: make([][]int64, n)}
	cells := make([]int64, n*n)
	for i := range m.M {
		m.M[i], cells = cells[:n:n], cells[n:]
	}
	return m
}

// Pairwise returns the matrix of p. It walks each distinct ballot's groups
// once, so the work is the number of distinct ballots times (candidates
// ranked × n), and it is kept until the next Add or Merge: several
// methods counted on one profile share it. Under UnrankedLast a ranked
// candidate beats every unranked one; under UnrankedSkip pairs with an
// unranked candidate are not counted. The returned matrix is the caller's
// to modify.
func (p *Profile) Pairwise() *Matrix {
	if p.pairwise == nil {
		p.pairwise = p.computePairwise()
	}
	return p.pairwise.Clone()
}

func (p *Profile) computePairwise() *Matrix {
	n := len(p.candidates)
	m := NewMatrix(n)
	ranked := make([]bool, n)
	var unranked []int
	dec := make([]int32, 0, n)
	for bi, w := range p.set.Counts {
		run := p.set.Ballot(bi)
		unranked = unranked[:0]
		if p.policy == UnrankedLast && len(run) < n {
			clear(ranked)
			for _, v := range run {
				ranked[compact.Cand(v)] = true
			}
			for c, ok := range ranked {
				if !ok {
					unranked = append(unranked, c)
				}
			}
		}
		// Decode the run once: the inner loop below is the hot one.
		dec = dec[:0]
		for _, v := range run {
			dec = append(dec, int32(compact.Cand(v)))
		}
		for g := 0; g < len(run); {
			end := compact.GroupEnd(run, g)
			later := dec[end:]
			for _, c := range dec[g:end] {
				row := m.M[c]
				for _, d := range later {
					row[d] += w
				}
				for _, u := range unranked {
					row[u] += w
				}
			}
			g = end
		}
	}
	return m
}

// Clone returns a copy of m.
func (m *Matrix) Clone() *Matrix {
	c := NewMatrix(m.N)
	for i := range m.M {
		copy(c.M[i], m.M[i])
	}
	return c
}

// Margin returns M[i][j] - M[j][i].
func (m *Matrix) Margin(i, j int) int64 { return m.M[i][j] - m.M[j][i] }

// Beats reports whether i beats j head to head (a strictly positive margin).
func (m *Matrix) Beats(i, j int) bool { return m.M[i][j] > m.M[j][i] }

// CondorcetWinner returns the candidate who beats every other, or -1.
func (m *Matrix) CondorcetWinner() int {
	for i := 0; i < m.N; i++ {
		ok := true
		for j := 0; j < m.N && ok; j++ {
			ok = i == j || m.Beats(i, j)
		}
		if ok {
			return i
		}
	}
	return -1
}

// CondorcetLoser returns the candidate beaten by every other, or -1.
func (m *Matrix) CondorcetLoser() int {
	for i := 0; i < m.N; i++ {
		ok := true
		for j := 0; j < m.N && ok; j++ {
			ok = i == j || m.Beats(j, i)
		}
		if ok {
			return i
		}
	}
	return -1
}
