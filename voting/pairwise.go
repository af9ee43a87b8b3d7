package voting

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

// Pairwise computes the matrix of p, in time proportional to the number of
// distinct ballots times n². Under UnrankedLast a ranked candidate beats
// every unranked one; under UnrankedSkip pairs with an unranked candidate
// are not counted.
func (p *Profile) Pairwise() *Matrix {
	n := len(p.candidates)
	m := NewMatrix(n)
	pos := make([]int, n)
	for bi, r := range p.ballots {
		w := p.counts[bi]
		for i := range pos {
			pos[i] = -1
		}
		for gi, g := range r {
			for _, c := range g {
				pos[c] = gi
			}
		}
		for i := 0; i < n; i++ {
			pi := pos[i]
			if pi < 0 {
				continue // an unranked candidate beats no one
			}
			row := m.M[i]
			for j := 0; j < n; j++ {
				pj := pos[j]
				switch {
				case pj < 0:
					if p.policy == UnrankedLast {
						row[j] += w
					}
				case pi < pj:
					row[j] += w
				}
			}
		}
	}
	return m
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
