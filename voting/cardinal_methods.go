package voting

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// cardinalMethods lists the cardinal and graded methods.
func cardinalMethods() []Method {
	return []Method{
		{
			Name: "approval", Title: "Approval voting",
			Description: "Each voter approves any number of candidates; the most approvals wins. A blank counts as not approved.",
			Source:      "Brams & Fishburn, 'Approval voting', American Political Science Review 72 (1978); Approval Voting (Birkhäuser, 1983).",
			Ballots:     CardinalBallots,
			Kinds:       []CardinalKind{Approval},
			Count: func(in Input, o Options) (*Result, error) {
				return cardinalSumResult(in.Cardinal, 0, o.Tie), nil
			},
		},
		{
			Name: "score", Title: "Score (range) voting",
			Description: "Each voter scores every candidate in [Min, Max]. 'sum': the highest total wins, a blank counting as Min. " +
				"'average': the highest mean of the scores actually given wins; blanks are left out of the mean.",
			Source:   "W. D. Smith, 'Range voting' (2000, rangevoting.org), where a 'no opinion' rating is left out of the candidate's average and a quorum of ratings may be required.",
			Ballots:  CardinalBallots,
			Kinds:    []CardinalKind{Score},
			Variants: []string{"sum", "average"},
			Params: map[string]string{
				"min-ratings": "average only: a candidate scored (not blank) by fewer voters than this whole number (default 1) is ranked after every candidate that reaches it, so that a few enthusiastic ratings cannot outrank a widely rated candidate",
			},
			Count: countScore,
		},
		{
			Name: "star", Title: "STAR voting (Score Then Automatic Runoff)",
			Description: "Score ballots (usually 0 to 5 stars; a blank counts as Min). The two highest totals advance; the finalist scored higher on more ballots wins. " +
				"Ties follow the STAR Voting Official Tiebreaker Protocol: in the scoring round, head-to-head among the tied (eliminating those who lose the most match-ups), " +
				"then most five-star (Max) ratings; in the runoff, higher total score, then most five-star ratings; what remains is settled by the tie policy in place of a random draw.",
			Source:  "Equal Vote Coalition, STAR Voting technical specifications and Official Tiebreaker Protocol, https://www.starvoting.org/ties; first proposed by M. Frohnmayer (2014) as score runoff voting.",
			Ballots: CardinalBallots,
			Kinds:   []CardinalKind{Score},
			Count:   countSTAR,
		},
		{
			Name: "majority-judgment", Title: "Majority judgment",
			Description: "Voters grade every candidate on a common scale; a candidate's majority grade is the lower median of its grades, and the best wins. " +
				"Equal majority grades are separated by the majority gauge: the larger of the shares strictly above (proponents) and strictly below (opponents) decides, " +
				"proponents raising and opponents lowering; still equal, the median grades are moved to the next grade on that side and the comparison repeats ('gauge'). " +
				"'iterative' removes median grades one at a time and compares the sequences (the original definition); both gave the same order on every election tested. " +
				"A blank counts as the lowest grade unless ignore-blanks is 1.",
			Source:   "Balinski & Laraki, 'A theory of measuring, electing, and ranking', PNAS 104 (2007); Majority Judgment: Measuring, Ranking, and Electing (MIT Press, 2011). Gauge loop as in MieuxVoter, majority-judgment-library-go, docs/SCORE.md.",
			Ballots:  CardinalBallots,
			Kinds:    []CardinalKind{Graded},
			Variants: []string{"gauge", "iterative"},
			Params: map[string]string{
				"ignore-blanks": "1 leaves blank grades out: each candidate is judged by the voters who graded it, shares are of those voters, and a candidate nobody graded ranks last; 0 (default) counts a blank as the lowest grade. The iterative variant needs equal numbers of grades and refuses 1",
			},
			Count: countMajorityJudgment,
		},
		{
			Name: "cumulative", Title: "Cumulative voting",
			Description: "Each voter spreads up to Budget points over the candidates; the highest total wins.",
			Source:      "Classical; Glasser, 'Game theory and cumulative voting for corporate directors', Management Science 5 (1959); Bowler, Donovan & Brockington, Electoral Reform and Minority Representation (2003).",
			Ballots:     CardinalBallots,
			Kinds:       []CardinalKind{Cumulative},
			Count: func(in Input, o Options) (*Result, error) {
				return cardinalSumResult(in.Cardinal, 0, o.Tie), nil
			},
		},
		{
			Name: "quadratic", Title: "Quadratic voting",
			Description: "Each voter casts votes for (positive) or against (negative) candidates, n votes costing n² credits out of Budget; the highest net total wins.",
			Source:      "Lalley & Weyl, 'Quadratic voting: how mechanism design can radicalize democracy', AEA Papers and Proceedings 108 (2018); Posner & Weyl, Radical Markets (2018).",
			Ballots:     CardinalBallots,
			Kinds:       []CardinalKind{Quadratic},
			Count: func(in Input, o Options) (*Result, error) {
				return cardinalSumResult(in.Cardinal, 0, o.Tie), nil
			},
		},
	}
}

// cardinalSums totals each candidate's values, a blank counting as blank.
// Integer sums keep large elections exact before the conversion to float64.
func cardinalSums(p *CardinalProfile, blank int) []int64 {
	t := make([]int64, p.N())
	for b, w := range p.Ballots() {
		for c, v := range b {
			if v == NoScore {
				v = blank
			}
			t[c] += int64(v) * w
		}
	}
	return t
}

func int64sToFloats(xs []int64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func cardinalSumResult(p *CardinalProfile, blank int, tie TiePolicy) *Result {
	return scoreResult(p.candidates, int64sToFloats(cardinalSums(p, blank)), p.voters, tie)
}

// wholeNumberParam reads an integer parameter of at least lo.
func wholeNumberParam(o Options, name string, def, lo int64) (int64, error) {
	v, ok := o.Params[name]
	if !ok {
		return def, nil
	}
	if v != math.Trunc(v) || v < float64(lo) || v > math.MaxInt64/2 {
		return 0, fmt.Errorf("%w: %s must be a whole number of at least %d, got %v", ErrInvalidOption, name, lo, v)
	}
	return int64(v), nil
}

func countScore(in Input, o Options) (*Result, error) {
	p := in.Cardinal
	if o.Variant == "sum" {
		if _, ok := o.Params["min-ratings"]; ok {
			return nil, fmt.Errorf("%w: min-ratings applies to the average variant only", ErrInvalidOption)
		}
		return cardinalSumResult(p, p.spec.Min, o.Tie), nil
	}
	quorum, err := wholeNumberParam(o, "min-ratings", 1, 1)
	if err != nil {
		return nil, err
	}
	n := p.N()
	total := make([]int64, n)
	rated := make([]int64, n)
	for b, w := range p.Ballots() {
		for c, v := range b {
			if v != NoScore {
				total[c] += int64(v) * w
				rated[c] += w
			}
		}
	}
	avg := make([]float64, n)
	active := make([]bool, n)
	var eligible, under []int
	for c := range avg {
		if rated[c] > 0 {
			avg[c] = float64(total[c]) / float64(rated[c])
		}
		if active[c] = rated[c] >= quorum; active[c] {
			eligible = append(eligible, c)
		} else {
			under = append(under, c)
		}
	}
	score := func(c int) float64 { return avg[c] }
	r := &Result{
		Candidates: slices.Clone(p.candidates),
		Scores:     avg,
		Ranking:    append(orderByScore(eligible, score), orderByScore(under, score)...),
		Ballots:    p.voters,
	}
	round := Round{Counts: slices.Clone(avg)}
	if len(under) > 0 {
		// Below the quorum a candidate is out of the count proper: its mean
		// rests on too few ratings to compare.
		round.Active = active
		for _, c := range under {
			r.Notes = append(r.Notes, fmt.Sprintf("%s has %d ratings, fewer than min-ratings %d: ranked after the others.", p.candidates[c], rated[c], quorum))
		}
	}
	r.Rounds = []Round{round}
	r.Winners = slices.Clone(r.Ranking[0])
	r.elect(o.Tie)
	return r, nil
}

// starCount holds what the STAR count and its tie-breaks look at.
type starCount struct {
	p      *CardinalProfile
	totals []int64
	fives  []int64 // ratings at the maximum score
	tie    TiePolicy
	rounds []Round
	notes  []string
	policy string // the tie policy's name, once it had to decide
}

func (s *starCount) val(v int) int {
	if v == NoScore {
		return s.p.spec.Min
	}
	return v
}

// prefer returns, for each pair of cands, how many ballots score the first
// strictly above the second: pref[i][j] for cands[i] over cands[j].
func (s *starCount) prefer(cands []int) [][]int64 {
	k := len(cands)
	pref := make([][]int64, k)
	for i := range pref {
		pref[i] = make([]int64, k)
	}
	for b, w := range s.p.Ballots() {
		for i, a := range cands {
			va := s.val(b[a])
			for j, c := range cands {
				if va > s.val(b[c]) {
					pref[i][j] += w
				}
			}
		}
	}
	return pref
}

func (s *starCount) names(cs []int) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = s.p.candidates[c]
	}
	return strings.Join(out, ", ")
}

// starGroups groups cands by descending key, ties together, candidate order
// within a group.
func starGroups(cands []int, key []int64) [][]int {
	return orderByScore(cands, func(c int) float64 { return float64(key[c]) })
}

// starFill takes whole groups, best first, while they fit in need places, and
// asks brk to choose within the group that straddles the cut.
func starFill(groups [][]int, need int, brk func([]int, int) []int) []int {
	var out []int
	for _, g := range groups {
		if need == 0 {
			break
		}
		if len(g) <= need {
			out = append(out, g...)
			need -= len(g)
			continue
		}
		out = append(out, brk(g, need)...)
		break
	}
	return out
}

// scoringTie chooses need finalists among tied candidates (equal totals)
// by the Official Tiebreaker Protocol: step 1 compares them head to head and
// eliminates those who lose the most match-ups, repeatedly; step 2 favours
// the most five-star ratings, and a tie left within a group starts the
// protocol again from step 1; last, the tie policy replaces the random draw.
func (s *starCount) scoringTie(tied []int, need int) []int {
	var chosen []int
	for len(tied) > need {
		pref := s.prefer(tied)
		losses := make([]int64, len(tied))
		for i := range tied {
			for j := range tied {
				if pref[j][i] > pref[i][j] {
					losses[i]++
				}
			}
		}
		worst := slices.Max(losses)
		var keep, drop []int
		for i, c := range tied {
			if losses[i] == worst {
				drop = append(drop, c)
			} else {
				keep = append(keep, c)
			}
		}
		if len(keep) == 0 {
			break // everyone lost as many match-ups: step 1 cannot separate them
		}
		if len(keep) >= need {
			s.notes = append(s.notes, fmt.Sprintf("Scoring round tie: %s eliminated head to head (most match-ups lost among %s).", s.names(drop), s.names(tied)))
			tied = keep
			continue
		}
		// Those who lost fewer match-ups all advance; the rest compete for
		// the places left.
		s.notes = append(s.notes, fmt.Sprintf("Scoring round tie: %s advance head to head among %s.", s.names(keep), s.names(tied)))
		chosen = append(chosen, keep...)
		need -= len(keep)
		tied = drop
	}
	if len(tied) <= need {
		return append(chosen, tied...)
	}
	if groups := starGroups(tied, s.fives); len(groups) > 1 {
		s.notes = append(s.notes, fmt.Sprintf("Scoring round tie among %s: decided by five-star ratings.", s.names(tied)))
		return append(chosen, starFill(groups, need, s.scoringTie)...)
	}
	order, name := Resolve(s.tie, tied, TieContext{Rounds: s.rounds, Candidates: s.p.candidates})
	s.policy = name
	s.notes = append(s.notes, fmt.Sprintf("Scoring round tie among %s unresolved by the ballots: %s chosen by %s.", s.names(tied), s.names(order[:need]), name))
	return append(chosen, order[:need]...)
}

func countSTAR(in Input, o Options) (*Result, error) {
	p := in.Cardinal
	n := p.N()
	s := &starCount{p: p, totals: make([]int64, n), fives: make([]int64, n), tie: o.Tie}
	for b, w := range p.Ballots() {
		for c, v := range b {
			v = s.val(v)
			s.totals[c] += int64(v) * w
			if v == p.spec.Max {
				s.fives[c] += w
			}
		}
	}
	scoring := Round{Counts: int64sToFloats(s.totals)}
	s.rounds = []Round{scoring}
	finalists := starFill(starGroups(allCandidates(n), s.totals), 2, s.scoringTie)
	// Show the finalists best total first (candidate order on equal totals).
	slices.SortStableFunc(finalists, func(a, b int) int { return cmp.Compare(s.totals[b], s.totals[a]) })
	for c := range n {
		if !slices.Contains(finalists, c) {
			scoring.Eliminated = append(scoring.Eliminated, c)
		}
	}
	scoring.TieBreak = s.policy
	scoring.Note = "Scoring round: " + s.names(finalists) + " advance."
	s.rounds[0] = scoring

	r := &Result{
		Candidates: slices.Clone(p.candidates),
		Scores:     int64sToFloats(s.totals),
		Ballots:    p.voters,
		TieBreak:   s.policy,
	}
	var rest []int
	for c := range n {
		if !slices.Contains(finalists, c) {
			rest = append(rest, c)
		}
	}
	restRanking := orderByScore(rest, func(c int) float64 { return float64(s.totals[c]) })
	if len(finalists) == 1 {
		s.notes = append(s.notes, "A single candidate: no runoff.")
		r.Winners, r.Elected = finalists, finalists
		r.Ranking = append([][]int{finalists}, restRanking...)
		r.Rounds = s.rounds
		r.Notes = s.notes
		return r, nil
	}

	a, b := finalists[0], finalists[1]
	pref := s.prefer(finalists)
	ab, ba := pref[0][1], pref[1][0]
	runoff := Round{Counts: make([]float64, n), Active: make([]bool, n)}
	runoff.Counts[a], runoff.Counts[b] = float64(ab), float64(ba)
	runoff.Active[a], runoff.Active[b] = true, true
	runoff.Note = fmt.Sprintf("Automatic runoff: %s preferred on %d ballots, %s on %d, no preference on %d.",
		p.candidates[a], ab, p.candidates[b], ba, p.voters-ab-ba)
	s.rounds = append(s.rounds, runoff)

	winner, loser := a, b
	switch {
	case ab != ba:
		if ba > ab {
			winner, loser = b, a
		}
	case s.totals[a] != s.totals[b]:
		if s.totals[b] > s.totals[a] {
			winner, loser = b, a
		}
		s.notes = append(s.notes, fmt.Sprintf("Runoff tie broken by total score: %s.", p.candidates[winner]))
	case s.fives[a] != s.fives[b]:
		if s.fives[b] > s.fives[a] {
			winner, loser = b, a
		}
		s.notes = append(s.notes, fmt.Sprintf("Runoff tie broken by five-star ratings: %s.", p.candidates[winner]))
	default:
		// The ballots cannot separate the finalists: both are winners and
		// the tie policy elects one.
		order, name := Resolve(o.Tie, finalists, TieContext{Rounds: s.rounds, Candidates: p.candidates})
		winner, loser = order[0], order[1]
		s.rounds[1].TieBreak = name
		r.Winners = []int{min(a, b), max(a, b)}
		r.Elected = []int{winner}
		r.TieBreak = name
		r.Ranking = append([][]int{slices.Clone(r.Winners)}, restRanking...)
		s.notes = append(s.notes, fmt.Sprintf("Runoff tie unresolved by the ballots: %s elected by %s.", p.candidates[winner], name))
	}
	s.rounds[1].Elected = []int{winner}
	s.rounds[1].Eliminated = []int{loser}
	if r.Winners == nil {
		r.Winners, r.Elected = []int{winner}, []int{winner}
		r.Ranking = append([][]int{{winner}, {loser}}, restRanking...)
	}
	r.Rounds = s.rounds
	r.Notes = s.notes
	return r, nil
}

// mjCandidate is one candidate's grade histogram.
type mjCandidate struct {
	hist  []int64 // voters per grade, worst first
	total int64
}

// gauge returns the majority grade (lower median) and the numbers of
// grades strictly above (proponents) and strictly below (opponents).
func (m mjCandidate) gauge() (grade int, above, below int64) {
	mid := (m.total - 1) / 2 // lower median: index of the median among sorted grades
	var cum int64
	for g, h := range m.hist {
		if cum+h > mid {
			return g, m.total - cum - h, cum
		}
		cum += h
	}
	return 0, 0, 0
}

// mjSigned is the gauge's tie-break value: +proponents when they outnumber
// opponents, else -opponents (equal groups side with the opponents, as the
// lower median does).
func mjSigned(above, below int64) int64 {
	if above > below {
		return above
	}
	return -below
}

// mjCmpShares compares x/kx with y/ky exactly (kx, ky > 0), through 128-bit
// products so that huge electorates cannot overflow.
func mjCmpShares(x, kx, y, ky int64) int {
	if (x < 0) != (y < 0) {
		if x < 0 {
			return -1
		}
		return 1
	}
	neg := x < 0
	ux, uy := uint64(x), uint64(y)
	if neg {
		ux, uy = uint64(-x), uint64(-y)
	}
	h1, l1 := bits.Mul64(ux, uint64(ky))
	h2, l2 := bits.Mul64(uy, uint64(kx))
	c := cmp.Compare(h1, h2)
	if c == 0 {
		c = cmp.Compare(l1, l2)
	}
	if neg {
		return -c
	}
	return c
}

// mjStep is one entry of a candidate's gauge sequence.
type mjStep struct {
	grade int
	value int64 // mjSigned(above, below)
}

// gaugeSequence runs the gauge loop: record the majority grade and the
// signed gauge, move the median grades into the next grade on the larger
// side, and repeat. Each pass empties a grade, so the sequence has at most
// as many entries as the scale has grades. This is the "score" of
// MieuxVoter's docs/SCORE.md (the pizza fixture), compared with exact
// shares instead of zero-padded strings.
func (m mjCandidate) gaugeSequence() []mjStep {
	h := slices.Clone(m.hist)
	w := mjCandidate{hist: h, total: m.total}
	var seq []mjStep
	for {
		g, above, below := w.gauge()
		seq = append(seq, mjStep{g, mjSigned(above, below)})
		if above == 0 && below == 0 {
			return seq
		}
		to := g
		for {
			if above > below {
				to++
			} else {
				to--
			}
			if h[to] > 0 {
				break
			}
		}
		h[to] += h[g]
		h[g] = 0
	}
}

func mjCompareGauge(a, b []mjStep, ka, kb int64) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmp.Compare(a[i].grade, b[i].grade); c != 0 {
			return c
		}
		if c := mjCmpShares(a[i].value, ka, b[i].value, kb); c != 0 {
			return c
		}
	}
	return 0 // both sequences end together: all grades merged into one
}

// mjCompareIterative compares two candidates graded by the same number k of
// voters by Balinski and Laraki's majority values: remove the lower median
// grade, take the new lower median, and so on; the first difference
// decides. With grades sorted x[0..k-1] and c = (k-1)/2, the removals visit
// c, c-1, c+1, c-2, c+2, ... when k is odd and c, c+1, c-1, c+2, ... when
// k is even, so it suffices to find the differing position nearest c in
// that order, walking both histograms' runs once instead of removing k
// grades.
func mjCompareIterative(a, b mjCandidate) int {
	k := a.total
	if k == 0 {
		return 0
	}
	c := (k - 1) / 2
	up, down := int64(-1), int64(-1) // first difference at or above c, last below c
	ga, gb := 0, 0
	var endA, endB int64 = a.hist[0], b.hist[0]
	for lo := int64(0); lo < k; {
		for endA <= lo {
			ga++
			endA += a.hist[ga]
		}
		for endB <= lo {
			gb++
			endB += b.hist[gb]
		}
		hi := min(endA, endB)
		if ga != gb {
			if hi > c && up < 0 {
				up = max(lo, c)
			}
			if lo < c {
				down = min(hi, c) - 1
			}
		}
		lo = hi
	}
	rank := func(i int64) int64 { // place of position i in the removal order
		d := i - c
		switch {
		case d == 0:
			return 0
		case k%2 == 1 && d < 0, k%2 == 0 && d > 0:
			return 2*mjAbs(d) - 1
		}
		return 2 * mjAbs(d)
	}
	pos := up
	if down >= 0 && (up < 0 || rank(down) < rank(up)) {
		pos = down
	}
	if pos < 0 {
		return 0
	}
	return cmp.Compare(mjGradeAt(a.hist, pos), mjGradeAt(b.hist, pos))
}

func mjAbs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// mjGradeAt returns the grade at position i of the sorted grades.
func mjGradeAt(hist []int64, i int64) int {
	var cum int64
	for g, h := range hist {
		cum += h
		if i < cum {
			return g
		}
	}
	return len(hist) - 1
}

func countMajorityJudgment(in Input, o Options) (*Result, error) {
	p := in.Cardinal
	ignore, err := wholeNumberParam(o, "ignore-blanks", 0, 0)
	if err != nil {
		return nil, err
	}
	if ignore > 1 {
		return nil, fmt.Errorf("%w: ignore-blanks is 0 or 1", ErrInvalidOption)
	}
	if ignore == 1 && o.Variant == "iterative" {
		return nil, fmt.Errorf("%w: the iterative majority ranking compares equal numbers of grades; use the gauge variant to ignore blanks", ErrInvalidOption)
	}
	n, grades := p.N(), len(p.spec.Scale)
	cands := make([]mjCandidate, n)
	cells := make([]int64, n*grades)
	for c := range cands {
		cands[c].hist, cells = cells[:grades:grades], cells[grades:]
	}
	// One pass over the distinct ballots builds every histogram; the
	// ranking then works on histograms only.
	for b, w := range p.Ballots() {
		for c, v := range b {
			if v == NoScore {
				if ignore == 1 {
					continue
				}
				v = 0 // a blank is the lowest grade
			}
			cands[c].hist[v] += w
			cands[c].total += w
		}
	}

	seqs := make([][]mjStep, n)
	scores := make([]float64, n)
	var notes []string
	for c, m := range cands {
		if m.total == 0 {
			scores[c] = -1 // below any majority grade: nobody graded it
			notes = append(notes, fmt.Sprintf("%s: no grades, ranked last.", p.candidates[c]))
			continue
		}
		seqs[c] = m.gaugeSequence()
		g, above, below := m.gauge()
		// The majority gauge as one number: grade ± the deciding share
		// (< 1/2 in absolute value, so grades never overlap).
		scores[c] = float64(g) + float64(mjSigned(above, below))/float64(m.total)
		notes = append(notes, fmt.Sprintf("%s: majority grade %s (%.1f%% above, %.1f%% below).",
			p.candidates[c], p.spec.Scale[g], 100*float64(above)/float64(m.total), 100*float64(below)/float64(m.total)))
	}
	better := func(x, y int) int { // > 0 when x ranks above y
		switch {
		case cands[x].total == 0 || cands[y].total == 0:
			return cmp.Compare(min(cands[x].total, 1), min(cands[y].total, 1))
		case o.Variant == "iterative":
			return mjCompareIterative(cands[x], cands[y])
		}
		return mjCompareGauge(seqs[x], seqs[y], cands[x].total, cands[y].total)
	}
	order := allCandidates(n)
	slices.SortStableFunc(order, func(x, y int) int { return better(y, x) })
	var ranking [][]int
	for i, c := range order {
		if i > 0 && better(c, order[i-1]) == 0 {
			ranking[len(ranking)-1] = append(ranking[len(ranking)-1], c)
		} else {
			ranking = append(ranking, []int{c})
		}
	}
	r := &Result{
		Candidates: slices.Clone(p.candidates),
		Scores:     scores,
		Ranking:    ranking,
		Rounds:     []Round{{Counts: slices.Clone(scores)}},
		Ballots:    p.voters,
		Notes:      notes,
	}
	r.Winners = slices.Clone(ranking[0])
	r.elect(o.Tie)
	return r, nil
}
