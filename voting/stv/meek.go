package stv

import (
	"fmt"
	"slices"
	"strings"

	"github.com/civickit/civickit/voting"
)

// maxIterations bounds the Meek/Warren iterations of one stage: keep
// values converge geometrically, so this is reached only by a stall that
// the rounding up of keep values would have stopped earlier.
const maxIterations = 10000

// meekCount is a count by Meek's or Warren's method in fixed point: every
// iteration recomputes each ballot from its first preference.
type meekCount struct {
	f      fixed
	b      *ballotSet
	rules  Rules
	seats  int
	tie    voting.TiePolicy
	rep    *Report
	trie   *trie
	out    []int64 // distribute's value per depth
	keep   []int64
	status []status
	votes  []int64
	excess int64
	quota  int64
	iters  int
}

// trie holds the ballots as a tree of their prefixes, in preorder: node
// i is candidate cand[i] at depth depth[i], reached by through[i] ballots
// of which ends[i] stop there; its subtree is nodes i to i+size[i]-1.
// Ballots with a common prefix share its work, a hopeful candidate (who
// keeps everything) skips its whole subtree, and a count walks the arrays
// in order.
type trie struct {
	cand    []int16
	depth   []int16
	through []int64
	ends    []int64
	size    []int32
}

func newTrie(b *ballotSet) *trie {
	// In lexicographic order the ballots list the trie in preorder: a
	// ballot adds the nodes past its common prefix with the previous one.
	order := make([]int32, len(b.counts))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return slices.Compare(b.ranking(x), b.ranking(y)) })
	t := &trie{}
	var path []int32 // node indices of the previous ballot's prefix
	var prev []int16
	for _, i := range order {
		r, n := b.ranking(i), b.counts[i]
		common := 0
		for common < len(r) && common < len(prev) && r[common] == prev[common] {
			common++
		}
		path = path[:common]
		for d := common; d < len(r); d++ {
			path = append(path, int32(len(t.cand)))
			t.cand, t.depth = append(t.cand, r[d]), append(t.depth, int16(d))
			t.through, t.ends = append(t.through, 0), append(t.ends, 0)
		}
		for _, node := range path {
			t.through[node] += n
		}
		t.ends[path[len(path)-1]] += n
		prev = r
	}
	// size[i]: up to the next node no deeper than i.
	t.size = make([]int32, len(t.cand))
	var open []int32
	for i, d := range t.depth {
		for len(open) > 0 && t.depth[open[len(open)-1]] >= d {
			top := open[len(open)-1]
			t.size[top] = int32(i) - top
			open = open[:len(open)-1]
		}
		open = append(open, int32(i))
	}
	for _, top := range open {
		t.size[top] = int32(len(t.cand)) - top
	}
	return t
}

// distribute gives each ballot's value to its preferences: a hopeful
// keeps it all, an elected candidate its keep value's share (Meek) or its
// keep value of the original (Warren), rounded up; the rest passes on.
func (m *meekCount) distribute() {
	clear(m.votes)
	m.excess = 0
	t := m.trie
	one := m.f.scale
	warren := m.rules.Transfer == Warren
	// out[d] is the value each ballot carries past the node at depth d
	// on the current path.
	out := m.out
	for i := 0; i < len(t.cand); {
		d := t.depth[i]
		w := one
		if d > 0 {
			w = out[d-1]
		}
		c := t.cand[i]
		k := m.keep[c]
		var take int64
		switch {
		case k == one:
			take = w
		case k == 0:
		case warren:
			take = min(k, w)
		default:
			// w*k/one rounded up; both at most one (10^12 at most),
			// so the product fits in 63 bits.
			take = min((w*k+one-1)/one, w)
		}
		m.votes[c] += take * t.through[i]
		w -= take
		if w == 0 {
			i += int(t.size[i]) // nothing passes on: skip the subtree
			continue
		}
		m.excess += w * t.ends[i]
		out[d] = w
		i++
	}
	total := m.b.valid * one
	m.quota = (total-m.excess)/int64(m.seats+1) + 1
}

func (m *meekCount) hopefuls() []int {
	var out []int
	for i, s := range m.status {
		if s == hopeful {
			out = append(out, i)
		}
	}
	return out
}

func (m *meekCount) nElected() int {
	n := 0
	for _, s := range m.status {
		if s == elected {
			n++
		}
	}
	return n
}

// byVotes orders cs by votes, most first, ties by the tie policy.
func (m *meekCount) byVotes(cs []int) []int {
	s := slices.Clone(cs)
	slices.SortStableFunc(s, func(x, y int) int { return int(m.votes[y] - m.votes[x]) })
	var out []int
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && m.votes[s[j]] == m.votes[s[i]] {
			j++
		}
		tied := s[i:j]
		if len(tied) > 1 {
			res := m.rep.Result
			var name string
			tied, name = voting.Resolve(m.tie, tied, voting.TieContext{Rounds: res.Rounds, Candidates: res.Candidates})
			res.TieBreak = name
		}
		out = append(out, tied...)
		i = j
	}
	return out
}

// converge iterates until a hopeful reaches the quota or the total
// surplus is below Omega; it returns the hopefuls that reached the quota.
func (m *meekCount) converge() []int {
	for it := 0; ; it++ {
		m.distribute()
		m.iters++
		var reached []int
		for _, c := range m.hopefuls() {
			if m.votes[c] >= m.quota {
				reached = append(reached, c)
			}
		}
		if len(reached) > 0 || it == maxIterations {
			return reached
		}
		var surplus int64
		for c, s := range m.status {
			if s == elected && m.votes[c] > m.quota {
				surplus += m.votes[c] - m.quota
			}
		}
		if surplus < m.rules.Omega {
			return nil
		}
		changed := false
		for c, s := range m.status {
			if s != elected || m.votes[c] == 0 {
				continue
			}
			// k × quota / votes, rounded up.
			k := m.f.mulDivUp(m.keep[c], m.quota, m.votes[c])
			k = min(k, m.f.scale)
			if k != m.keep[c] {
				changed = true
			}
			m.keep[c] = k
		}
		if !changed {
			return nil // stalled at the precision: as converged as it gets
		}
	}
}

func (m *meekCount) run() {
	n := len(m.rep.Result.Candidates)
	m.trie = newTrie(m.b)
	m.out = make([]int64, n+1)
	m.keep = make([]int64, n)
	m.status = make([]status, n)
	m.votes = make([]int64, n)
	for c := range m.keep {
		m.keep[c] = m.f.scale
	}
	res := m.rep.Result
	for {
		if h := m.hopefuls(); len(m.rep.Stages) > 0 && len(h) <= m.seats-m.nElected() {
			// The continuing candidates fill the seats: no iteration
			// can change that.
			rd, st := m.round()
			st.Action = "fill"
			rd.Note = "the continuing candidates fill the remaining seats"
			for _, c := range m.byVotes(h) {
				m.status[c] = elected
				rd.Elected = append(rd.Elected, c)
				res.Elected = append(res.Elected, c)
				st.Elected = append(st.Elected, res.Candidates[c])
			}
			m.rep.Stages = append(m.rep.Stages, *st)
			return
		}
		before := m.iters
		reached := m.converge()
		rd, st := m.round()
		for _, c := range m.byVotes(reached) {
			if m.nElected() < m.seats {
				m.status[c] = elected
				rd.Elected = append(rd.Elected, c)
				res.Elected = append(res.Elected, c)
				st.Elected = append(st.Elected, res.Candidates[c])
			}
		}
		var note []string
		note = append(note, fmt.Sprintf("quota %s after %d iterations", m.f.str(m.quota), m.iters-before))
		h := m.hopefuls()
		switch {
		case m.nElected() == m.seats:
		case len(h) <= m.seats-m.nElected():
			note = append(note, "the continuing candidates fill the remaining seats")
			if len(reached) == 0 {
				st.Action = "fill"
			}
			for _, c := range m.byVotes(h) {
				m.status[c] = elected
				rd.Elected = append(rd.Elected, c)
				res.Elected = append(res.Elected, c)
				st.Elected = append(st.Elected, res.Candidates[c])
			}
		case len(reached) == 0:
			order := m.byVotes(h)
			x := order[len(order)-1]
			m.status[x], m.keep[x] = excluded, 0
			rd.Eliminated = []int{x}
			st.Excluded = []string{res.Candidates[x]}
			note = append(note, res.Candidates[x]+" excluded")
		}
		var keeps []string
		for c, s := range m.status {
			if s == elected {
				keeps = append(keeps, fmt.Sprintf("%s %s", res.Candidates[c], m.f.str(m.keep[c])))
			}
		}
		if len(keeps) > 0 {
			note = append(note, "keep values: "+strings.Join(keeps, ", "))
		}
		rd.Note = strings.Join(note, "; ")
		m.rep.Stages = append(m.rep.Stages, *st)
		if m.nElected() == m.seats {
			return
		}
	}
}

// round records the current counts as a round and a stage.
func (m *meekCount) round() (*voting.Round, *Stage) {
	res := m.rep.Result
	counts := make([]float64, len(m.votes))
	active := make([]bool, len(m.votes))
	st := &Stage{Action: "iteration", Quota: m.f.str(m.quota), Exhausted: m.f.str(m.excess), Loss: "0"}
	if len(m.rep.Stages) == 0 {
		st.Action = "first"
	}
	for c, v := range m.votes {
		counts[c] = m.f.float(v)
		active[c] = m.status[c] != excluded
		st.Votes = append(st.Votes, m.f.str(v))
	}
	res.Rounds = append(res.Rounds, voting.Round{Counts: counts, Active: active, Exhausted: m.f.float(m.excess)})
	return &res.Rounds[len(res.Rounds)-1], st
}
