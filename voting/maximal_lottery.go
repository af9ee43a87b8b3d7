package voting

import (
	"fmt"
	"math/big"
	"slices"
)

// maxLotteryCandidates bounds the Smith set that maximalLotteries
// enumerates the supports of (2^k subsets, a rational linear system each).
const maxLotteryCandidates = 14

func maximalLotteryMethods() []Method {
	const pv = " Checked against Holliday & Pacuit, pref_voting (v1.18) on profiles with an odd number of voters."
	return []Method{
		{
			Name: "maximal-lotteries", Title: "Maximal lotteries",
			Description: "A lottery p that no other lottery beats in expectation: Σ p_x·margin(x, y) ≥ 0 for every y (an optimal strategy of the symmetric zero-sum game of the margins; variant 'c1' uses only the sign of each margin). Computed exactly, in rationals, by enumerating the supports within the Smith set; with an odd number of voters casting strict rankings it is unique. When several exist (pairwise ties) Scores is the mean of the basic ones found, as a note says. Elected is drawn from the lottery with the seed parameter.",
			Source:      "G. Kreweras (1965); P. C. Fishburn, 'Probabilistic social choice based on simple voting comparisons', Rev. Econ. Stud. 51 (1984) 683–692; F. Brandl, F. Brandt & H. G. Seedig, 'Consistent probabilistic social choice', Econometrica 84 (2016) 1839–1880." + pv,
			Ballots:     RankedBallots, Variants: []string{"margins", "c1"}, Params: lotteryParams,
			Count: func(in Input, o Options) (*Result, error) {
				return countLottery(func(p *Profile, m *Matrix) ([]float64, error) {
					l, err := maximalLotteries(m, o.Variant == "c1")
					if err != nil {
						return nil, err
					}
					return l.probs, nil
				})(in, o)
			},
		},
		{
			Name: "essential-set", Title: "Essential set",
			Description: "The candidates with positive probability in some maximal lottery of the margins (the support of the maximal lotteries); variant 'c1' uses the signs of the margins only, giving the bipartisan set. Exact, in rationals; at most 14 candidates in the Smith set.",
			Source:      "B. Dutta & J.-F. Laslier, 'Comparison functions and choice correspondences', Soc. Choice Welf. 16 (1999) 513–532; G. Laffond, J.-F. Laslier & M. Le Breton, 'The bipartisan set of a tournament game', Games Econ. Behav. 5 (1993) 182–201." + pv,
			Ballots:     RankedBallots, Variants: []string{"margins", "c1"},
			Count: func(in Input, o Options) (*Result, error) {
				p := in.Ranked
				m := p.Pairwise()
				l, err := maximalLotteries(m, o.Variant == "c1")
				if err != nil {
					return nil, err
				}
				var w []int
				for c, q := range l.probs {
					if q > 0 {
						w = append(w, c)
					}
				}
				return setResult(p, m, w, l.probs, o, l.notes...), nil
			},
		},
	}
}

type lotteries struct {
	probs []float64
	notes []string
}

// maximalLotteries enumerates the supports S within the Smith set (a
// maximal lottery puts no weight outside it): p on S solves
// Σ_{x∈S} p_x·a(x, y) = 0 for y ∈ S and Σ p = 1, where a is the margin
// (or its sign); it is kept when that system has one solution, p > 0 on
// S, and Σ p_x·a(x, y) ≥ 0 for every y of the Smith set outside S. Every
// kept p is a maximal lottery, and when the maximal lottery is unique it
// is found. The result is the mean of those found.
func maximalLotteries(m *Matrix, sign bool) (*lotteries, error) {
	smith := SmithSet(m)
	k := len(smith)
	if k > maxLotteryCandidates {
		return nil, fmt.Errorf("%w: the Smith set has %d candidates; maximal lotteries are enumerated for at most %d", ErrTooLarge, k, maxLotteryCandidates)
	}
	a := make([][]int64, k)
	for i, x := range smith {
		a[i] = make([]int64, k)
		for j, y := range smith {
			v := m.Margin(x, y)
			if sign && v != 0 {
				v /= max(v, -v)
			}
			a[i][j] = v
		}
	}
	sum := make([]*big.Rat, k)
	for i := range sum {
		sum[i] = new(big.Rat)
	}
	found := 0
	for set := uint64(1); set < 1<<k; set++ {
		var s []int
		for i := range k {
			if set&(1<<i) != 0 {
				s = append(s, i)
			}
		}
		p := solveSupport(a, s)
		if p == nil {
			continue
		}
		ok := true
		for y := 0; y < k && ok; y++ {
			if set&(1<<y) != 0 {
				continue
			}
			t := new(big.Rat)
			for idx, x := range s {
				t.Add(t, new(big.Rat).Mul(p[idx], big.NewRat(a[x][y], 1)))
			}
			ok = t.Sign() >= 0
		}
		if !ok {
			continue
		}
		found++
		for idx, x := range s {
			sum[x].Add(sum[x], p[idx])
		}
	}
	if found == 0 {
		// Cannot happen: a symmetric zero-sum game has an optimal
		// strategy, and one at a vertex has a full-rank support system.
		return nil, fmt.Errorf("voting: no maximal lottery found among %d candidates", k)
	}
	probs := make([]float64, m.N)
	var parts []string
	for i, x := range smith {
		q := new(big.Rat).Quo(sum[i], big.NewRat(int64(found), 1))
		probs[x], _ = q.Float64()
		if q.Sign() > 0 {
			parts = append(parts, fmt.Sprintf("%d: %s", x, q.RatString()))
		}
	}
	l := &lotteries{probs: probs, notes: []string{fmt.Sprintf("exact lottery (candidate: probability): %v", parts)}}
	if found > 1 {
		l.notes = append(l.notes, fmt.Sprintf("%d basic maximal lotteries found (pairwise ties): their mean is given", found))
	}
	return l, nil
}

// solveSupport solves Σ_{x∈s} p_x·a[x][y] = 0 (y ∈ s), Σ p_x = 1 by
// Gaussian elimination in rationals; it returns nil unless the solution
// is unique and positive.
func solveSupport(a [][]int64, s []int) []*big.Rat {
	n := len(s)
	// Rows: n equations for y ∈ s plus the sum; columns: n unknowns + rhs.
	rows := make([][]*big.Rat, n+1)
	for r := range rows {
		rows[r] = make([]*big.Rat, n+1)
		for c := range rows[r] {
			rows[r][c] = new(big.Rat)
		}
	}
	for r, y := range s {
		for c, x := range s {
			rows[r][c].SetInt64(a[x][y])
		}
	}
	for c := range n {
		rows[n][c].SetInt64(1)
	}
	rows[n][n].SetInt64(1)
	rank := 0
	for c := 0; c < n; c++ {
		piv := -1
		for r := rank; r <= n; r++ {
			if rows[r][c].Sign() != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			return nil // a free variable: not unique
		}
		rows[rank], rows[piv] = rows[piv], rows[rank]
		inv := new(big.Rat).Inv(rows[rank][c])
		for cc := c; cc <= n; cc++ {
			rows[rank][cc].Mul(rows[rank][cc], inv)
		}
		for r := 0; r <= n; r++ {
			if r == rank || rows[r][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(rows[r][c])
			for cc := c; cc <= n; cc++ {
				rows[r][cc].Sub(rows[r][cc], new(big.Rat).Mul(f, rows[rank][cc]))
			}
		}
		rank++
	}
	// The leftover row must read 0 = 0 (consistent).
	if rows[n][n].Sign() != 0 {
		return nil
	}
	p := make([]*big.Rat, n)
	for i := range n {
		p[i] = rows[i][n]
		if p[i].Sign() <= 0 {
			return nil
		}
	}
	return slices.Clip(p)
}
