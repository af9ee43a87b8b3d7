package committee

import (
	"fmt"

	"github.com/civickit/civickit/voting"
)

// PriceSystem certifies that a committee is priceable: a price per seat
// and what each distinct ballot's voters pay (in total) to each member.
type PriceSystem struct {
	Price float64 `json:"price"`
	// Payments[b] maps a committee member to what the voters of ballot b
	// pay for it; ballots in the order of Profile's distinct ballots.
	Payments []map[int]float64 `json:"payments"`
}

// Priceable checks priceability (Peters & Skowron 2020): each voter has a
// budget of 1 (times their weight) and pays only for members they
// approve; every member costs the same price p > 0 and is paid in full;
// no non-member's approvers have more than p left together. A member no
// voter approves makes a committee unpriceable, unless fewer candidates
// are approved than there are seats and the committee holds them all
// (abcvoting's convention). It solves
// the linear programme maximising p (a small dense simplex) and returns
// a price system, or nil when none exists. Refused with ErrTooLarge past
// 10^7 tableau cells.
func Priceable(p *Profile, committee []int) (*PriceSystem, error) {
	in := make([]bool, p.N())
	for _, x := range committee {
		if x < 0 || x >= p.N() || in[x] {
			return nil, fmt.Errorf("%w: committee member %d invalid or repeated", voting.ErrInvalidOption, x)
		}
		in[x] = true
	}
	// Members nobody approves cannot be paid for. When fewer candidates
	// are approved than there are seats, such members only fill seats:
	// as in abcvoting, the committee is then priceable when it holds every
	// approved candidate (the programme prices those).
	appr := p.approvers()
	var paid []int
	approved := 0
	for x := range p.N() {
		if len(appr[x]) > 0 {
			approved++
			if in[x] {
				paid = append(paid, x)
			}
		}
	}
	if len(paid) < len(committee) && (approved >= len(committee) || len(paid) < approved) {
		return nil, nil
	}
	// Variables: one payment per (ballot, approved member), then p.
	type pay struct{ b, c int }
	var vars []pay
	for b, set := range p.ballots {
		for _, x := range set {
			if in[x] {
				vars = append(vars, pay{b, x})
			}
		}
	}
	n := len(vars) + 1
	pi := len(vars)
	rows := len(p.ballots) + p.N()
	if float64(rows)*float64(n+2*rows) > 1e7 {
		return nil, fmt.Errorf("%w: priceability programme of %d variables and %d constraints", voting.ErrTooLarge, n, rows)
	}
	var lp []lpRow
	// Budgets.
	byBallot := make([][]int, len(p.ballots))
	for v, x := range vars {
		byBallot[x.b] = append(byBallot[x.b], v)
	}
	for b := range p.ballots {
		r := lpRow{a: make([]float64, n), kind: -1, b: p.weights[b]}
		for _, v := range byBallot[b] {
			r.a[v] = 1
		}
		lp = append(lp, r)
	}
	// Each member paid exactly p.
	for _, x := range paid {
		r := lpRow{a: make([]float64, n), kind: 0}
		for v, y := range vars {
			if y.c == x {
				r.a[v] = 1
			}
		}
		r.a[pi] = -1
		lp = append(lp, r)
	}
	// No non-member's approvers keep more than p: Σ_{b∋c} (w_b − spent_b) <= p.
	for x := range p.N() {
		if in[x] || len(appr[x]) == 0 {
			continue
		}
		r := lpRow{a: make([]float64, n), kind: 1}
		for _, b := range appr[x] {
			r.b += p.weights[b]
			for _, v := range byBallot[b] {
				r.a[v] = 1
			}
		}
		r.a[pi] = 1
		lp = append(lp, r)
	}
	// p is at most what all voters hold, so the programme is bounded.
	bound := lpRow{a: make([]float64, n), kind: -1, b: p.voters}
	bound.a[pi] = 1
	lp = append(lp, bound)
	c := make([]float64, n)
	c[pi] = 1
	price, x, ok := lpMaximize(c, lp)
	if !ok || price <= 1e-9 {
		return nil, nil
	}
	ps := &PriceSystem{Price: price, Payments: make([]map[int]float64, len(p.ballots))}
	for v, y := range vars {
		if x[v] > 1e-12 {
			if ps.Payments[y.b] == nil {
				ps.Payments[y.b] = map[int]float64{}
			}
			ps.Payments[y.b][y.c] = x[v]
		}
	}
	return ps, nil
}
