package committee_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/committee"
)

func TestMethodsInRegistry(t *testing.T) {
	reg := voting.NewRegistry()
	for _, m := range committee.Methods() {
		if err := reg.Register(m); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
	}
	cp, err := voting.NewCardinalProfile([]string{"a", "b", "c", "d"}, voting.CardinalSpec{Kind: voting.Approval})
	if err != nil {
		t.Fatal(err)
	}
	_ = cp.Add([]int{1, 1, 1, 0}, 6)
	_ = cp.Add([]int{0, 0, 0, 1}, 3)
	in := voting.Input{Cardinal: cp}
	pav, _ := reg.Lookup("pav")
	r, err := pav.Run(in, voting.Options{Params: map[string]float64{"seats": 3}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Elected, []int{0, 1, 3}) || r.Method != "pav" {
		t.Fatalf("pav elected %v (%s)", r.Elected, r.Method)
	}
	if _, err := pav.Run(in, voting.Options{}); !errors.Is(err, voting.ErrInvalidOption) {
		t.Fatalf("no seats: %v", err)
	}
	mes, _ := reg.Lookup("mes-committee")
	r, err = mes.Run(in, voting.Options{Variant: "none", Params: map[string]float64{"seats": 3}})
	if err != nil || r.Variant != "none" {
		t.Fatalf("mes: %v %v", r, err)
	}
}

func TestExactLimits(t *testing.T) {
	names := make([]string, 30)
	for i := range names {
		names[i] = string(rune('A' + i))
	}
	p, _ := committee.NewProfile(names)
	for i := range 30 {
		_ = p.Add([]int{i, (i + 1) % 30, (i + 7) % 30}, 1)
	}
	if _, err := committee.PAV(p, 8, committee.Options{MaxNodes: 100}); !errors.Is(err, voting.ErrTooLarge) {
		t.Errorf("PAV past 100 nodes: %v", err)
	}
	if _, err := committee.Monroe(p, 8, committee.Options{}); !errors.Is(err, voting.ErrTooLarge) {
		t.Errorf("Monroe over C(30,8) committees: %v", err)
	}
	if _, err := committee.MinimaxAV(p, 8, committee.Options{MaxWork: 1000}); !errors.Is(err, voting.ErrTooLarge) {
		t.Errorf("minimax AV: %v", err)
	}
}

func TestAxiomNotes(t *testing.T) {
	reg := voting.NewRegistry()
	for _, m := range committee.Methods() {
		_ = reg.Register(m)
	}
	cp, _ := voting.NewCardinalProfile([]string{"a", "b", "c", "d"}, voting.CardinalSpec{Kind: voting.Approval})
	_ = cp.Add([]int{1, 1, 1, 0}, 6)
	_ = cp.Add([]int{0, 0, 0, 1}, 3)
	m, _ := reg.Lookup("av-committee")
	r, err := m.Run(voting.Input{Cardinal: cp}, voting.Options{Params: map[string]float64{"seats": 3, "axioms": 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"JR violated: 3 voters (quota 3 for ℓ=1) all approve d but each approves fewer than 1 members.",
		"Priceability: no price system exists.",
	}
	for _, w := range want {
		if !slices.Contains(r.Notes, w) {
			t.Errorf("notes %q lack %q", r.Notes, w)
		}
	}
	m, _ = reg.Lookup("pav")
	r, _ = m.Run(voting.Input{Cardinal: cp}, voting.Options{Params: map[string]float64{"seats": 3, "axioms": 1}})
	if !slices.Contains(r.Notes, "EJR: satisfied.") {
		t.Errorf("PAV notes %q", r.Notes)
	}
}
