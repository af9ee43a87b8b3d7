package axioms_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/axioms"
	"github.com/civickit/civickit/voting/generate"
)

func profile(t *testing.T, names []string, ballots map[string]int64) *voting.Profile {
	t.Helper()
	p, err := voting.NewProfile(names, voting.UnrankedLast)
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, n := range names {
		idx[n] = i
	}
	keys := make([]string, 0, len(ballots))
	for k := range ballots {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var r voting.Ranking
		for _, c := range strings.Split(k, ">") {
			r = append(r, []int{idx[strings.TrimSpace(c)]})
		}
		if err := p.Add(r, ballots[k]); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func method(t *testing.T, name string) voting.Method {
	t.Helper()
	m, err := voting.NewRegistry().Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Published counterexamples: each method violates the axiom on the
// profile, and the search must find it.
func TestKnownViolations(t *testing.T) {
	abc := []string{"A", "B", "C"}
	for _, tc := range []struct {
		name, method string
		axiom        axioms.Axiom
		names        []string
		ballots      map[string]int64
	}{
		// Plurality elects A although B beats A and C head to head
		// (the classic 8/7/6 example, e.g. Wikipedia "Condorcet winner
		// criterion").
		{"plurality", "plurality", axioms.CondorcetWinner, abc, map[string]int64{"A>B>C": 8, "B>C>A": 7, "C>B>A": 6}},
		// Plurality elects the Condorcet loser A in the same profile.
		{"plurality loser", "plurality", axioms.CondorcetLoser, abc, map[string]int64{"A>B>C": 8, "B>C>A": 7, "C>B>A": 6}},
		// Borda elects B, not the Condorcet winner A (3:2 against each).
		{"borda", "borda", axioms.CondorcetWinner, abc, map[string]int64{"A>B>C": 3, "B>C>A": 2}},
		// IRV's monotonicity failure (worked by hand): A wins 14–7 after
		// C's elimination; raising A to the top on 3 of the 7 B>C>A ballots
		// eliminates B instead, whose voters elect C 11–10.
		{"irv monotonicity", "irv", axioms.Monotonicity, abc, map[string]int64{"A>B>C": 8, "B>C>A": 7, "C>A>B": 6}},
		// Plurality is not independent of clones: cloning the leader
		// splits its vote.
		{"plurality clones", "plurality", axioms.Clones, abc, map[string]int64{"A>B>C": 5, "B>C>A": 4}},
		// Borda is not either: a clone of B placed below B lifts B.
		{"borda clones", "borda", axioms.Clones, abc, map[string]int64{"A>B>C": 3, "B>A>C": 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := profile(t, tc.names, tc.ballots)
			v, err := axioms.NewChecker(method(t, tc.method), axioms.Options{}).Check(tc.axiom, p)
			if err != nil {
				t.Fatal(err)
			}
			if v == nil {
				t.Fatalf("no %s violation found", tc.axiom)
			}
			if !strings.Contains(v.String(), "violates "+string(tc.axiom)) {
				t.Errorf("witness text: %s", v)
			}
		})
	}
}

// Methods known to satisfy an axiom show no violation on generated
// profiles: Schulze is Condorcet-consistent, monotonic and independent of
// clones; Borda satisfies reinforcement and participation; plurality and
// Borda are monotonic; Copeland never elects a Condorcet loser.
func TestSatisfiedAxioms(t *testing.T) {
	gen := generate.Options{Candidates: 4, Voters: 9, Seed: 1, Culture: generate.Mallows{Phi: 0.8}}
	for _, tc := range []struct {
		method string
		axioms []axioms.Axiom
	}{
		{"schulze", []axioms.Axiom{axioms.CondorcetWinner, axioms.CondorcetLoser, axioms.Monotonicity, axioms.Clones}},
		{"borda", []axioms.Axiom{axioms.CondorcetLoser, axioms.Monotonicity, axioms.Participation, axioms.Reinforcement}},
		{"plurality", []axioms.Axiom{axioms.Monotonicity, axioms.Participation, axioms.Reinforcement}},
		{"copeland", []axioms.Axiom{axioms.CondorcetWinner, axioms.CondorcetLoser}},
	} {
		rates, err := axioms.Batch(context.Background(), []voting.Method{method(t, tc.method)}, tc.axioms, gen, 60, axioms.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rates {
			if r.Violations > 0 {
				t.Errorf("%s: %d violations of %s, e.g.\n%s", r.Method, r.Violations, r.Axiom, r.Example)
			}
			if r.Axiom != axioms.CondorcetWinner && r.Axiom != axioms.CondorcetLoser && r.Checked+r.TieDependent != 60 {
				t.Errorf("%s %s: %d checked", r.Method, r.Axiom, r.Checked)
			}
		}
	}
}

// IRV and plurality fail the Condorcet criterion and IRV monotonicity on
// some generated profiles; plurality never fails monotonicity. Each
// witness is checked again by counting its profiles.
func TestBatchFindsViolations(t *testing.T) {
	gen := generate.Options{Candidates: 4, Voters: 101, Seed: 1, Culture: generate.IC{}}
	rates, err := axioms.Batch(context.Background(), []voting.Method{method(t, "irv"), method(t, "plurality")}, []axioms.Axiom{axioms.CondorcetWinner, axioms.Monotonicity}, gen, 300, axioms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rates {
		if r.Axiom == axioms.CondorcetWinner && r.Violations == 0 {
			t.Errorf("%s never failed the Condorcet criterion in 300 IC profiles", r.Method)
		}
		if r.Method == "irv" && r.Axiom == axioms.Monotonicity && r.Violations == 0 {
			t.Error("IRV never failed monotonicity in 300 IC profiles")
		}
		if r.Method == "plurality" && r.Axiom == axioms.Monotonicity && r.Violations != 0 {
			t.Errorf("plurality failed monotonicity:\n%s", r.Example)
		}
		if v := r.Example; v != nil {
			m := method(t, v.Method)
			got, err := m.Run(voting.Input{Ranked: v.Profile}, voting.Options{})
			if err != nil || !slices.Equal(got.Winners, v.Winners) {
				t.Errorf("witness winners %v, recount %v (%v)", v.Winners, got.Winners, err)
			}
			if v.Modified != nil {
				got, err := m.Run(voting.Input{Ranked: v.Modified}, voting.Options{})
				if err != nil || !slices.Equal(got.Winners, v.ModWinners) {
					t.Errorf("modified witness winners %v, recount %v (%v)", v.ModWinners, got.Winners, err)
				}
			}
		}
	}
	if _, err := axioms.Batch(context.Background(), nil, nil, gen, 0, axioms.Options{}); err == nil {
		t.Error("0 profiles accepted")
	}
}
