package voting

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// condorcetMethods lists the Condorcet methods and tournament solutions.
// All of them count from the pairwise matrix, whose cost grows with the
// number of distinct ballots; the methods themselves are O(n³) in the
// number of candidates except where a method says otherwise.
func condorcetMethods() []Method {
	ms := []Method{
		{
			Name: "copeland", Title: "Copeland",
			Description: "Each candidate scores 1 for every head-to-head win and, in the 'copeland' variant, ½ for every pairwise tie; the 'llull' variant counts a tie as a win (Llull's rule). The highest score wins.",
			Source:      "A. H. Copeland, 'A reasonable social welfare function', Seminar on Applications of Mathematics to Social Sciences, University of Michigan (1951); Ramon Llull, Artifitium electionis personarum (c. 1274), see G. Hägele & F. Pukelsheim, 'Llull's writings on electoral systems', Studia Lulliana 41 (2001) 3–38.",
			Ballots:     RankedBallots,
			Variants:    []string{"copeland", "llull"},
			Count:       countCopeland,
		},
		{
			Name: "minimax", Title: "Minimax (Simpson–Kramer)",
			Description: "Elects the candidate whose worst head-to-head result is least bad, measured by the winning votes of the defeat, its margin, or (pairwise-opposition) the votes against the candidate whether or not they won. Scores are minus that worst result.",
			Source:      "P. B. Simpson, 'On defining areas of voter choice', Q. J. Econ. 83 (1969) 478–490; G. H. Kramer, 'A dynamical model of political equilibrium', J. Econ. Theory 16 (1977) 310–334.",
			Ballots:     RankedBallots,
			Variants:    []string{"winning-votes", "margins", "pairwise-opposition"},
			Count:       countMinimax,
		},
		{
			Name: "schulze", Title: "Schulze (beatpath)",
			Description: "A path's strength is its weakest defeat; x ranks above y when the strongest path from x to y beats the strongest path back. Defeats are measured by winning votes, margins or the ratio of votes for and against. Strengths holds the strongest paths.",
			Source:      "M. Schulze, 'A new monotonic, clone-independent, reversal symmetric, and Condorcet-consistent single-winner election method', Soc. Choice Welf. 36 (2011) 267–303; 'The Schulze method of voting', arXiv:1804.02973.",
			Ballots:     RankedBallots,
			Variants:    []string{"winning-votes", "margins", "ratio"},
			Count:       countSchulze,
		},
		{
			Name: "ranked-pairs", Title: "Ranked Pairs (Tideman)",
			Description: "Head-to-head wins are locked in from the strongest down (by margin, or by winning votes then fewer losing votes), skipping any that would close a cycle; the candidate with no locked defeat wins and the locked order ranks everyone. When wins of equal strength could be locked in several orders, Winners holds everyone who wins in some order; if there are too many orders to try, the tie policy ranks the candidates and equal wins are taken by that ranking (Zavist & Tideman), as a note says.",
			Source:      "T. N. Tideman, 'Independence of clones as a criterion for voting rules', Soc. Choice Welf. 4 (1987) 185–206; T. M. Zavist & T. N. Tideman, 'Complete independence of clones in the ranked pairs rule', Soc. Choice Welf. 6 (1989) 167–173.",
			Ballots:     RankedBallots,
			Variants:    []string{"margins", "winning-votes"},
			Count:       countLocking(false),
		},
		{
			Name: "river", Title: "River",
			Description: "Like Ranked Pairs, but a win is also skipped when its loser already has a locked defeat, so the locked wins form a tree whose root wins. Equal wins are handled as in Ranked Pairs. No ranking: River locks a tree, not an order.",
			Source:      "J. Heitzig, 'River method – updated summary', election-methods mailing list, 6 October 2004.",
			Ballots:     RankedBallots,
			Variants:    []string{"margins", "winning-votes"},
			Count:       countLocking(true),
		},
		{
			Name: "split-cycle", Title: "Split Cycle",
			Description: "In every majority cycle the wins of smallest margin are discarded; the remaining wins are defeats, and every undefeated candidate wins (there may be several). Strengths holds the strongest margin paths.",
			Source:      "W. H. Holliday & E. Pacuit, 'Split Cycle: a new Condorcet-consistent voting method independent of clones and immune to spoilers', Public Choice 197 (2023) 1–62.",
			Ballots:     RankedBallots,
			Count:       countSplitCycle,
		},
		{
			Name: "stable-voting", Title: "Stable Voting",
			Description: "Pairs (a, b) are taken by decreasing margin of a over b; the first a that is undefeated under Split Cycle and wins the election without b (recursively) wins. Exponential in the worst case; refused with ErrTooLarge past a fixed amount of work.",
			Source:      "W. H. Holliday & E. Pacuit, 'Stable Voting', Constitutional Political Economy 34 (2023) 243–277.",
			Ballots:     RankedBallots,
			Count:       countStableVoting,
		},
		{
			Name: "black", Title: "Black",
			Description: "The Condorcet winner if there is one, otherwise the Borda winner. Scores are Borda scores computed from the pairwise matrix (a pairwise tie or an uncompared pair counts half).",
			Source:      "D. Black, The Theory of Committees and Elections, Cambridge University Press (1958).",
			Ballots:     RankedBallots,
			Count:       countBlack,
		},
	}
	return append(ms, tournamentMethods()...)
}

// copelandScores gives 1 per win and tie per pairwise tie.
func copelandScores(m *Matrix, tie float64) []float64 {
	s := make([]float64, m.N)
	for i := 0; i < m.N; i++ {
		for j := 0; j < m.N; j++ {
			switch {
			case i == j:
			case m.Beats(i, j):
				s[i]++
			case !m.Beats(j, i):
				s[i] += tie
			}
		}
	}
	return s
}

func countCopeland(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	tie := 0.5
	if o.Variant == "llull" {
		tie = 1
	}
	r := scoreResult(p.candidates, copelandScores(m, tie), p.voters, o.Tie)
	r.Pairwise = m
	return r, nil
}

func countMinimax(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := m.N
	scores := make([]float64, n)
	for i := 0; i < n; i++ {
		worst := int64(math.MinInt64)
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			var d int64
			switch o.Variant {
			case "margins":
				d = m.Margin(j, i)
			case "pairwise-opposition":
				d = m.M[j][i]
			default: // winning votes: only defeats count
				if m.Beats(j, i) {
					d = m.M[j][i]
				}
			}
			worst = max(worst, d)
		}
		if n == 1 {
			worst = 0
		}
		// Negated so that higher is better, as scoreResult and the tie
		// policies expect.
		scores[i] = -float64(worst)
	}
	r := scoreResult(p.candidates, scores, p.voters, o.Tie)
	r.Pairwise = m
	r.Notes = []string{"Scores are minus each candidate's worst pairwise result (" + o.Variant + ")."}
	return r, nil
}

// defeatRanks turns the defeats of m into comparable integer strengths for
// a Schulze variant: rank[x][y] is 0 when x does not beat y, else the rank
// of the defeat's strength among all defeats (1 = weakest). Ranks make the
// widest-path search exact for ratios; value maps a rank back to the
// strength it stands for.
func defeatRanks(m *Matrix, variant string) (rank [][]int, value []float64) {
	type defeat struct {
		x, y     int
		pro, con int64
	}
	var ds []defeat
	for x := 0; x < m.N; x++ {
		for y := 0; y < m.N; y++ {
			if m.Beats(x, y) {
				ds = append(ds, defeat{x, y, m.M[x][y], m.M[y][x]})
			}
		}
	}
	cmp := func(a, b defeat) int {
		switch variant {
		case "margins":
			return cmpInt(a.pro-a.con, b.pro-b.con)
		case "ratio":
			// a.pro/a.con against b.pro/b.con, exactly: a zero con is an
			// infinite ratio, and all infinite ratios are equal.
			return cmpProducts(a.pro, b.con, b.pro, a.con)
		}
		return cmpInt(a.pro, b.pro)
	}
	slices.SortFunc(ds, cmp)
	rank = make([][]int, m.N)
	for i := range rank {
		rank[i] = make([]int, m.N)
	}
	value = []float64{0}
	for i, d := range ds {
		if i == 0 || cmp(ds[i-1], d) != 0 {
			var v float64
			switch {
			case variant == "margins":
				v = float64(d.pro - d.con)
			case variant == "ratio" && d.con == 0:
				v = math.MaxFloat64 // stands for +Inf, which JSON cannot carry
			case variant == "ratio":
				v = float64(d.pro) / float64(d.con)
			default:
				v = float64(d.pro)
			}
			value = append(value, v)
		}
		rank[d.x][d.y] = len(value) - 1
	}
	return rank, value
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpProducts compares a·b with c·d for non-negative operands, without
// overflow.
func cmpProducts(a, b, c, d int64) int {
	h1, l1 := bits.Mul64(uint64(a), uint64(b))
	h2, l2 := bits.Mul64(uint64(c), uint64(d))
	switch {
	case h1 < h2 || h1 == h2 && l1 < l2:
		return -1
	case h1 > h2 || h1 == h2 && l1 > l2:
		return 1
	}
	return 0
}

// widestPaths turns direct strengths d (0 = no link) into the strengths of
// the strongest paths, in place (Floyd–Warshall with min/max).
func widestPaths[T int | int64](d [][]T) {
	n := len(d)
	for k := 0; k < n; k++ {
		dk := d[k]
		for i := 0; i < n; i++ {
			dik := d[i][k]
			if i == k || dik == 0 {
				continue
			}
			di := d[i]
			for j := 0; j < n; j++ {
				if j != i && j != k {
					if s := min(dik, dk[j]); s > di[j] {
						di[j] = s
					}
				}
			}
		}
	}
}

// layers orders cands into groups by an acyclic strict relation: each
// group holds the remaining candidates no remaining candidate is better
// than. The result extends the relation to a weak order.
func layers(cands []int, better func(a, b int) bool) [][]int {
	rest := slices.Clone(cands)
	var out [][]int
	for len(rest) > 0 {
		var top, below []int
		for _, c := range rest {
			beaten := false
			for _, d := range rest {
				if d != c && better(d, c) {
					beaten = true
					break
				}
			}
			if beaten {
				below = append(below, c)
			} else {
				top = append(top, c)
			}
		}
		if len(top) == 0 { // a cycle: cannot happen for the relations used here
			top, below = below, nil
		}
		out = append(out, top)
		rest = below
	}
	return out
}

func countSchulze(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := m.N
	path, value := defeatRanks(m, o.Variant)
	widestPaths(path)
	r := &Result{Candidates: p.Candidates(), Pairwise: m, Ballots: p.Voters()}
	r.Strengths = make([][]float64, n)
	for i := range r.Strengths {
		r.Strengths[i] = make([]float64, n)
		for j := range r.Strengths[i] {
			r.Strengths[i][j] = value[path[i][j]]
		}
	}
	r.Ranking = layers(allCandidates(n), func(a, b int) bool { return path[a][b] > path[b][a] })
	r.Winners = slices.Clone(r.Ranking[0])
	r.Notes = []string{"Defeats are measured by " + strings.ReplaceAll(o.Variant, "-", " ") + "; x ranks above y when the strongest path from x to y is stronger than the strongest path back."}
	if o.Variant == "ratio" {
		r.Notes = append(r.Notes, fmt.Sprintf("A defeat with no vote against it is infinitely strong and reported as %g.", math.MaxFloat64))
	}
	r.elect(o.Tie)
	return r, nil
}

// splitCycleDefeats returns the Split Cycle defeat relation among the
// candidates in set (nil: all), and the strongest margin paths within it:
// x defeats y when margin(x,y) > 0 exceeds the strongest path from y back
// to x, so that x→y is never the weakest link of a cycle.
func splitCycleDefeats(m *Matrix, set []int) (defeats [][]bool, paths [][]int64) {
	if set == nil {
		set = allCandidates(m.N)
	}
	k := len(set)
	paths = make([][]int64, k)
	for a, x := range set {
		paths[a] = make([]int64, k)
		for b, y := range set {
			if mg := m.Margin(x, y); mg > 0 {
				paths[a][b] = mg
			}
		}
	}
	widestPaths(paths)
	defeats = make([][]bool, k)
	for a, x := range set {
		defeats[a] = make([]bool, k)
		for b, y := range set {
			mg := m.Margin(x, y)
			defeats[a][b] = mg > 0 && mg > paths[b][a]
		}
	}
	return defeats, paths
}

func countSplitCycle(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := m.N
	defeats, paths := splitCycleDefeats(m, nil)
	r := &Result{Candidates: p.Candidates(), Pairwise: m, Ballots: p.Voters()}
	r.Strengths = make([][]float64, n)
	for i := range paths {
		r.Strengths[i] = make([]float64, n)
		for j, s := range paths[i] {
			r.Strengths[i][j] = float64(s)
		}
	}
	for y := 0; y < n; y++ {
		// Explain each defeated candidate by its strongest defeat.
		by := -1
		for x := 0; x < n; x++ {
			if defeats[x][y] && (by < 0 || m.Margin(x, y) > m.Margin(by, y)) {
				by = x
			}
		}
		if by < 0 {
			r.Winners = append(r.Winners, y)
			continue
		}
		r.Notes = append(r.Notes, fmt.Sprintf("%s is defeated by %s: margin %d, strongest path back %d.",
			p.candidates[y], p.candidates[by], m.Margin(by, y), paths[y][by]))
	}
	r.elect(o.Tie)
	return r, nil
}

func countBlack(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := m.N
	borda := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				borda[i] += float64(m.M[i][j]) + float64(p.voters-m.M[i][j]-m.M[j][i])/2
			}
		}
	}
	r := &Result{
		Candidates: p.Candidates(), Pairwise: m, Ballots: p.Voters(),
		Scores: borda, Rounds: []Round{{Counts: slices.Clone(borda)}},
	}
	if cw := m.CondorcetWinner(); cw >= 0 {
		r.Winners = []int{cw}
		r.Notes = []string{p.candidates[cw] + " is the Condorcet winner."}
	} else {
		r.Winners = orderByScore(allCandidates(n), func(c int) float64 { return borda[c] })[0]
		r.Notes = []string{"There is no Condorcet winner; the Borda count decides."}
	}
	r.elect(o.Tie)
	return r, nil
}

// majorityEdge is a head-to-head win: w beats l, pro voters to con.
type majorityEdge struct {
	w, l     int
	pro, con int64
}

func majorityEdges(m *Matrix) []majorityEdge {
	var es []majorityEdge
	for w := 0; w < m.N; w++ {
		for l := 0; l < m.N; l++ {
			if m.Beats(w, l) {
				es = append(es, majorityEdge{w, l, m.M[w][l], m.M[l][w]})
			}
		}
	}
	return es
}

// lockPasses bounds the search over every order of wins of equal strength
// (finding all winners of Ranked Pairs under every tie-break is NP-hard:
// Brill & Fischer, AAAI 2012) to the work of about this many plain counts,
// and at least minLockWork edge placements. Past it the tie policy orders
// the wins.
const (
	lockPasses  = 16
	minLockWork = 1 << 15
)

var errLockBudget = fmt.Errorf("%w: too many orders of equal wins", ErrTooLarge)

// lockState is a set of locked wins, kept as its transitive closure.
type lockState struct {
	reach  bitMatrix // reach.has(x, y): locked wins lead from x to y
	parent []uint64  // candidates with a locked defeat (River)
	path   *lockStep // the edges locked, most recent first
}

type lockStep struct {
	edge int
	prev *lockStep
}

func newLockState(n int) *lockState {
	r := newBitMatrix(n)
	return &lockState{reach: r, parent: make([]uint64, r.words)}
}

func (s *lockState) clone() *lockState {
	return &lockState{reach: s.reach.clone(), parent: slices.Clone(s.parent), path: s.path}
}

// key identifies what matters for the rest of a count: the closure, the
// candidates already defeated, and the edges still to place.
func (s *lockState) key(block int, rem []int) string {
	b := make([]byte, 0, 8*(len(s.reach.bits)+len(s.parent))+4*len(rem)+4)
	b = append(b, byte(block), byte(block>>8), byte(block>>16), byte(block>>24))
	for _, w := range s.reach.bits {
		b = appendUint64(b, w)
	}
	for _, w := range s.parent {
		b = appendUint64(b, w)
	}
	for _, e := range rem {
		b = append(b, byte(e), byte(e>>8), byte(e>>16), byte(e>>24))
	}
	return string(b)
}

func appendUint64(b []byte, w uint64) []byte {
	for i := 0; i < 64; i += 8 {
		b = append(b, byte(w>>i))
	}
	return b
}

// source reports whether x has no locked defeat.
func (s *lockState) source(x int) bool {
	for y := 0; y < s.reach.n; y++ {
		if s.reach.has(y, x) {
			return false
		}
	}
	return true
}

// addLink adds x→y to the transitive relation r: whoever reached x now
// reaches y and all y reaches. A link already implied changes nothing, the
// common case late in a count.
func addLink(r bitMatrix, x, y int) {
	if r.has(x, y) {
		return
	}
	ry := r.row(y)
	for z := 0; z < r.n; z++ {
		if z == x || r.has(z, x) {
			rz := r.row(z)
			for w := range rz {
				rz[w] |= ry[w]
			}
			r.set(z, y)
		}
	}
}

// locker runs Ranked Pairs (or River) over edges sorted strongest first.
type locker struct {
	river bool
	edges []majorityEdge
	into  []int // settle's scratch: remaining edges into each candidate
	work  int   // edges placed or examined, against the search budget
}

func (lk *locker) lockable(s *lockState, ei int) bool {
	e := lk.edges[ei]
	if lk.river && s.parent[e.l/64]&(1<<(e.l%64)) != 0 {
		return false
	}
	return !s.reach.has(e.l, e.w)
}

func (lk *locker) lock(s *lockState, ei int) {
	e := lk.edges[ei]
	addLink(s.reach, e.w, e.l)
	s.parent[e.l/64] |= 1 << (e.l % 64)
	s.path = &lockStep{ei, s.path}
}

// settle drops the edges of rem that can no longer be locked and locks
// those whose fate does not depend on the order; it returns the rest, each
// of which is lockable now but could be blocked by another.
//
// An edge w→l can only be blocked by the other edges still to place: by a
// path from l back to w through them, or (River) by another edge into l.
// An edge with neither is locked in every order, and locking it never
// blocks another, so it can be locked at once.
func (lk *locker) settle(s *lockState, rem []int) []int {
	into := lk.into
	for {
		lk.work += len(rem)
		rem = slices.DeleteFunc(rem, func(ei int) bool { return !lk.lockable(s, ei) })
		if len(rem) <= 1 {
			for _, ei := range rem {
				lk.lock(s, ei)
			}
			return nil
		}
		all := s.reach.clone()
		clear(into)
		for _, ei := range rem {
			e := lk.edges[ei]
			addLink(all, e.w, e.l)
			into[e.l]++
		}
		var next []int
		for _, ei := range rem {
			e := lk.edges[ei]
			if !all.has(e.l, e.w) && (!lk.river || into[e.l] == 1) {
				lk.lock(s, ei)
			} else {
				next = append(next, ei)
			}
		}
		if len(next) == len(rem) {
			return rem
		}
		rem = next
	}
}

// winnerSearch finds everyone who wins in some order of the equal-strength
// edges, depth first, keeping one final state per winner as a witness.
// It prunes a state when no candidate it could still elect is new.
type winnerSearch struct {
	lk     *locker
	blocks [][]int
	doomed []bool // defeated in every order, from the start
	found  map[int]*lockState
	seen   map[string]bool
	limit  int
}

// visit continues the count from s, where rem are the edges of block bi
// still to place (bi = -1 starts the count).
func (ws *winnerSearch) visit(s *lockState, bi int, rem []int) error {
	for {
		if rem = ws.lk.settle(s, rem); len(rem) > 0 {
			break
		}
		if bi++; bi == len(ws.blocks) {
			for x := 0; x < s.reach.n; x++ {
				if _, ok := ws.found[x]; !ok && s.source(x) {
					ws.found[x] = s
				}
			}
			return nil
		}
		rem = slices.Clone(ws.blocks[bi])
	}
	if ws.lk.work > ws.limit {
		return errLockBudget
	}
	if !ws.hopeful(s, bi, rem) {
		return nil
	}
	k := s.key(bi, rem)
	if ws.seen[k] {
		return nil
	}
	ws.seen[k] = true
	for i, ei := range rem {
		c := s.clone()
		ws.lk.lock(c, ei)
		rest := append(slices.Clone(rem[:i]), rem[i+1:]...)
		if err := ws.visit(c, bi, rest); err != nil {
			return err
		}
	}
	return nil
}

// hopeful reports whether, from s, some candidate not yet found may still
// win. A candidate x undefeated in s is sure to be defeated when a
// remaining edge a→x has no path from x back to a through s and the
// remaining edges at least as strong: that edge is locked in every order
// (River: unless x is defeated first).
func (ws *winnerSearch) hopeful(s *lockState, bi int, rem []int) bool {
	alive := map[int]bool{}
	for x := 0; x < s.reach.n; x++ {
		if _, ok := ws.found[x]; !ok && !ws.doomed[x] && s.source(x) {
			alive[x] = true
		}
	}
	all := s.reach.clone()
	for block := rem; len(alive) > 0; {
		ws.lk.work += len(block)
		for _, ei := range block {
			e := ws.lk.edges[ei]
			addLink(all, e.w, e.l)
		}
		for _, ei := range block {
			e := ws.lk.edges[ei]
			if alive[e.l] && !all.has(e.l, e.w) {
				delete(alive, e.l)
			}
		}
		if bi++; bi == len(ws.blocks) {
			break
		}
		block = ws.blocks[bi]
	}
	return len(alive) > 0
}

// doomed marks the candidates defeated in every order: x is when some edge
// a→x has no path back from x to a through edges at least as strong, for
// such an edge is locked whatever the order (River: unless x already has a
// defeat). With margins this is Split Cycle's defeat.
func doomed(n int, edges []majorityEdge, blockOf []int, blocks int) []bool {
	rank := make([][]int, n)
	for i := range rank {
		rank[i] = make([]int, n)
	}
	for ei, e := range edges {
		rank[e.w][e.l] = blocks - blockOf[ei]
	}
	paths := make([][]int, n)
	for i := range paths {
		paths[i] = slices.Clone(rank[i])
	}
	widestPaths(paths)
	out := make([]bool, n)
	for _, e := range edges {
		if rank[e.w][e.l] > paths[e.l][e.w] {
			out[e.l] = true
		}
	}
	return out
}

func countLocking(river bool) func(Input, Options) (*Result, error) {
	return func(in Input, o Options) (*Result, error) {
		p := in.Ranked
		m := p.Pairwise()
		n := m.N
		edges := majorityEdges(m)
		stronger := func(a, b majorityEdge) int {
			if o.Variant == "winning-votes" {
				// More votes for the win, then fewer against it.
				if c := cmpInt(b.pro, a.pro); c != 0 {
					return c
				}
				return cmpInt(a.con, b.con)
			}
			return cmpInt(b.pro-b.con, a.pro-a.con)
		}
		// Within a strength class edges follow a ranking of the candidates
		// drawn from the tie policy (after Zavist & Tideman): the winner
		// placed higher first, then the loser placed lower. This order is
		// the one used when the search over all orders is cut short, and
		// the first one tried otherwise.
		tbrc, tbName := Resolve(o.Tie, allCandidates(n), TieContext{Candidates: p.candidates})
		place := make([]int, n)
		for i, c := range tbrc {
			place[c] = i
		}
		slices.SortStableFunc(edges, func(a, b majorityEdge) int {
			if c := stronger(a, b); c != 0 {
				return c
			}
			if a.w != b.w {
				return place[a.w] - place[b.w]
			}
			return place[b.l] - place[a.l]
		})
		var blocks [][]int
		blockOf := make([]int, len(edges))
		for i := range edges {
			if i == 0 || stronger(edges[i-1], edges[i]) != 0 {
				blocks = append(blocks, nil)
			}
			blocks[len(blocks)-1] = append(blocks[len(blocks)-1], i)
			blockOf[i] = len(blocks) - 1
		}

		r := &Result{Candidates: p.Candidates(), Pairwise: m, Ballots: p.Voters()}
		lk := &locker{river: river, edges: edges, into: make([]int, n)}
		ws := &winnerSearch{
			lk: lk, blocks: blocks, doomed: doomed(n, edges, blockOf, len(blocks)),
			found: map[int]*lockState{}, seen: map[string]bool{},
			limit: max(minLockWork, lockPasses*len(edges)),
		}
		err := ws.visit(newLockState(n), -1, nil)
		witness := ws.found
		distinct := map[*lockState]bool{}
		for _, s := range witness {
			distinct[s] = true
		}
		several := len(distinct) > 1
		cut := err != nil
		if cut {
			s := newLockState(n)
			for ei := range edges {
				if lk.lockable(s, ei) {
					lk.lock(s, ei)
				}
			}
			witness, several = map[int]*lockState{}, false
			for x := 0; x < n; x++ {
				if s.source(x) {
					witness[x] = s
				}
			}
			r.Notes = append(r.Notes, "Too many orders of equal-strength wins to try them all: they were taken in the order of the tie policy ("+tbName+").")
		}
		for x := range witness {
			r.Winners = append(r.Winners, x)
		}
		slices.Sort(r.Winners)
		r.elect(o.Tie)
		if cut && r.TieBreak == "" {
			r.TieBreak = tbName
		}
		if several {
			r.Notes = append(r.Notes, fmt.Sprintf("Wins of equal strength can be locked in several orders; Winners holds every candidate who wins in one of them; the locking shown elects %s.", p.candidates[r.Elected[0]]))
		}

		notes, s := lk.replay(witness[r.Elected[0]], blocks, blockOf, p.candidates, o.Variant)
		r.Notes = append(r.Notes, notes...)
		if !river {
			r.Ranking = layers(allCandidates(n), func(a, b int) bool { return s.reach.has(a, b) })
		}
		return r, nil
	}
}

// replay locks the edges again in the order that produced the witness, to
// explain it: per strength class, the edges in the order the witness locked
// them, then the others, each with what became of it.
func (lk *locker) replay(witness *lockState, blocks [][]int, blockOf []int, names []string, variant string) ([]string, *lockState) {
	var locked []int
	for st := witness.path; st != nil; st = st.prev {
		locked = append(locked, st.edge)
	}
	slices.Reverse(locked)
	isLocked := make([]bool, len(lk.edges))
	perBlock := make([][]int, len(blocks))
	for _, ei := range locked {
		isLocked[ei] = true
		perBlock[blockOf[ei]] = append(perBlock[blockOf[ei]], ei)
	}
	s := newLockState(witness.reach.n)
	var notes []string
	for bi, b := range blocks {
		order := perBlock[bi]
		for _, ei := range b {
			if !isLocked[ei] {
				order = append(order, ei)
			}
		}
		for _, ei := range order {
			e := lk.edges[ei]
			what := "locked"
			switch {
			case lk.lockable(s, ei):
				lk.lock(s, ei)
			case lk.river && s.parent[e.l/64]&(1<<(e.l%64)) != 0:
				what = "skipped: " + names[e.l] + " already has a locked defeat"
			default:
				what = "skipped: it would close a cycle"
			}
			strength := fmt.Sprintf("margin %d", e.pro-e.con)
			if variant == "winning-votes" {
				strength = fmt.Sprintf("%d votes to %d", e.pro, e.con)
			}
			notes = append(notes, fmt.Sprintf("%s over %s (%s): %s.", names[e.w], names[e.l], strength, what))
		}
	}
	return notes, s
}

// stableBudget bounds the sub-elections Stable Voting decides (those
// without a Condorcet winner): each costs O(k³), and their number can grow
// exponentially with the candidates.
const stableBudget = 1 << 14

type stableVoting struct {
	m       *Matrix
	memo    map[uint64][]int
	decided int
}

// winners returns the Stable Voting winners among the candidates of set.
func (sv *stableVoting) winners(set uint64) ([]int, error) {
	if w, ok := sv.memo[set]; ok {
		return w, nil
	}
	var cands []int
	for rest := set; rest != 0; rest &= rest - 1 {
		cands = append(cands, bits.TrailingZeros64(rest))
	}
	w := cands
	if len(cands) > 1 {
		if cw := condorcetWinnerAmong(sv.m, cands); cw >= 0 {
			w = []int{cw}
		} else {
			var err error
			if w, _, err = sv.decide(set, cands); err != nil {
				return nil, err
			}
		}
	}
	sv.memo[set] = w
	return w, nil
}

func condorcetWinnerAmong(m *Matrix, cands []int) int {
	for _, x := range cands {
		ok := true
		for _, y := range cands {
			if y != x && !m.Beats(x, y) {
				ok = false
				break
			}
		}
		if ok {
			return x
		}
	}
	return -1
}

// decide applies the rule to cands: pairs (a, b) with a undefeated under
// Split Cycle, by decreasing margin of a over b; at the first margin where
// some a wins without b, those a win. why[i] is the b that made w[i] win.
func (sv *stableVoting) decide(set uint64, cands []int) (w, why []int, err error) {
	if sv.decided++; sv.decided > stableBudget {
		return nil, nil, fmt.Errorf("%w: Stable Voting needs more than %d sub-elections here", ErrTooLarge, stableBudget)
	}
	defeats, _ := splitCycleDefeats(sv.m, cands)
	type pair struct {
		a, b   int
		margin int64
	}
	var ps []pair
	for ia, a := range cands {
		undefeated := true
		for ib := range cands {
			undefeated = undefeated && !defeats[ib][ia]
		}
		if !undefeated {
			continue
		}
		for _, b := range cands {
			if b != a {
				ps = append(ps, pair{a, b, sv.m.Margin(a, b)})
			}
		}
	}
	slices.SortStableFunc(ps, func(x, y pair) int { return cmpInt(y.margin, x.margin) })
	for i := 0; i < len(ps) && len(w) == 0; {
		j := i
		for j < len(ps) && ps[j].margin == ps[i].margin {
			j++
		}
		for _, q := range ps[i:j] {
			if slices.Contains(w, q.a) {
				continue
			}
			sub, err := sv.winners(set &^ (1 << q.b))
			if err != nil {
				return nil, nil, err
			}
			if slices.Contains(sub, q.a) {
				w, why = append(w, q.a), append(why, q.b)
			}
		}
		i = j
	}
	return w, why, nil
}

func countStableVoting(in Input, o Options) (*Result, error) {
	p := in.Ranked
	m := p.Pairwise()
	n := m.N
	if n > 64 {
		return nil, fmt.Errorf("%w: Stable Voting counts at most 64 candidates, not %d", ErrTooLarge, n)
	}
	r := &Result{Candidates: p.Candidates(), Pairwise: m, Ballots: p.Voters()}
	cands := allCandidates(n)
	if cw := condorcetWinnerAmong(m, cands); cw >= 0 || n == 1 {
		r.Winners = []int{max(cw, 0)}
		r.Notes = []string{p.candidates[r.Winners[0]] + " is the Condorcet winner."}
	} else {
		sv := &stableVoting{m: m, memo: map[uint64][]int{}}
		w, why, err := sv.decide(1<<n-1, cands)
		if err != nil {
			return nil, err
		}
		for i, a := range w {
			b := why[i]
			r.Notes = append(r.Notes, fmt.Sprintf("%s wins: undefeated under Split Cycle, %s over %s by margin %d, and %s wins the election without %s.",
				p.candidates[a], p.candidates[a], p.candidates[b], m.Margin(a, b), p.candidates[a], p.candidates[b]))
		}
		r.Winners = w
		slices.Sort(r.Winners)
	}
	r.elect(o.Tie)
	return r, nil
}
