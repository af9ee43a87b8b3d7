package panel

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/civickit/civickit"
)

// Quota bounds how many panel members have one value of one feature.
type Quota struct {
	Feature string `json:"feature"`
	Value   string `json:"value"`
	Min     int    `json:"min"`
	Max     int    `json:"max"`
}

// Person is one volunteer of a pool: the pool's pseudonym, a value for
// every feature with quotas, and optionally a household key (an address
// hash) — at most one person per household sits on a panel.
type Person struct {
	ID        string            `json:"id"`
	Features  map[string]string `json:"features"`
	Household string            `json:"household,omitempty"`
}

// Instance is a sortition problem: draw K people from People so that
// every quota holds.
type Instance struct {
	K      int      `json:"k"`
	Quotas []Quota  `json:"quotas"`
	People []Person `json:"people"`
}

// MaxPool bounds a pool.
const MaxPool = 200_000

// problem is an Instance compiled for the algorithms: people with the
// same values and no shared household are interchangeable, so they are
// grouped into types, and panels are counts per type.
type problem struct {
	k      int
	feats  []string
	vals   [][]string
	qmin   [][]int
	qmax   [][]int
	types  []ptype
	typeOf []int   // person → type
	homes  [][]int // households of several people: their types
	ids    []string
	// inexact is set when a pricing search hit its node limit: the
	// lottery is valid but may not be optimal for its algorithm.
	inexact bool
}

type ptype struct {
	vals    []int // value index per feature
	members []int // person indices, in pool order
	home    string
}

func (p *problem) n(t int) int { return len(p.types[t].members) }

// compile validates an instance and groups its people into types.
func compile(in Instance) (*problem, error) {
	ve := &civickit.ValidationError{}
	if in.K < 1 {
		ve.Add("k", "min", "1")
	}
	if len(in.People) > MaxPool {
		return nil, fmt.Errorf("panel: pool of %d people over %d: %w", len(in.People), MaxPool, civickit.ErrTooLarge)
	}
	p := &problem{k: in.K}
	featIdx := map[string]int{}
	valIdx := []map[string]int{}
	for i, q := range in.Quotas {
		if q.Feature == "" {
			ve.Addf("required", "", "quotas[%d].feature", i)
			continue
		}
		if q.Value == "" {
			ve.Addf("required", "", "quotas[%d].value", i)
			continue
		}
		if q.Min < 0 {
			ve.Addf("min", "0", "quotas[%d].min", i)
		}
		if q.Max < q.Min {
			ve.Addf("gtefield", "min", "quotas[%d].max", i)
		}
		f, ok := featIdx[q.Feature]
		if !ok {
			f = len(p.feats)
			featIdx[q.Feature] = f
			p.feats = append(p.feats, q.Feature)
			p.vals = append(p.vals, nil)
			p.qmin = append(p.qmin, nil)
			p.qmax = append(p.qmax, nil)
			valIdx = append(valIdx, map[string]int{})
		}
		if _, dup := valIdx[f][q.Value]; dup {
			ve.Addf("unique", "", "quotas[%d].value", i)
			continue
		}
		valIdx[f][q.Value] = len(p.vals[f])
		p.vals[f] = append(p.vals[f], q.Value)
		p.qmin[f] = append(p.qmin[f], q.Min)
		p.qmax[f] = append(p.qmax[f], q.Max)
	}
	if len(in.Quotas) == 0 {
		ve.Add("quotas", "required", "")
	}
	seen := map[string]bool{}
	homeSize := map[string]int{}
	for _, per := range in.People {
		if per.Household != "" {
			homeSize[per.Household]++
		}
	}
	typeIdx := map[string]int{}
	for i, per := range in.People {
		if per.ID == "" {
			ve.Addf("required", "", "people[%d].id", i)
			continue
		}
		if seen[per.ID] {
			ve.Addf("unique", "", "people[%d].id", i)
			continue
		}
		seen[per.ID] = true
		vals := make([]int, len(p.feats))
		var key strings.Builder
		ok := true
		for f, name := range p.feats {
			v, has := valIdx[f][per.Features[name]]
			if !has {
				ve.Addf("oneof", strings.Join(p.vals[f], " "), "people[%d].features.%s", i, name)
				ok = false
				continue
			}
			vals[f] = v
			key.WriteString(strconv.Itoa(v))
			key.WriteByte(',')
		}
		if !ok {
			continue
		}
		home := ""
		if homeSize[per.Household] > 1 {
			// Someone sharing a household is a type of their own.
			home = per.Household
			key.WriteString("#" + strconv.Itoa(i))
		}
		t, has := typeIdx[key.String()]
		if !has {
			t = len(p.types)
			typeIdx[key.String()] = t
			p.types = append(p.types, ptype{vals: vals, home: home})
		}
		p.types[t].members = append(p.types[t].members, len(p.ids))
		p.typeOf = append(p.typeOf, t)
		p.ids = append(p.ids, per.ID)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	homes := map[string][]int{}
	var order []string
	for t, ty := range p.types {
		if ty.home != "" {
			if _, ok := homes[ty.home]; !ok {
				order = append(order, ty.home)
			}
			homes[ty.home] = append(homes[ty.home], t)
		}
	}
	for _, h := range order {
		p.homes = append(p.homes, homes[h])
	}
	return p, nil
}

// rowsFor builds the panel constraints over type counts: the size, each
// quota, each shared household. slackCols adds, per quota bound, a
// column relaxing it (for explaining infeasibility).
func (p *problem) rows(relax bool) (senses []sense, rhs []float64, cols [][]float64, ub []float64, bounds []quotaBound) {
	nt := len(p.types)
	var rowsT [][]float64 // per row, coefficient per type
	add := func(se sense, b float64, coef []float64) {
		senses = append(senses, se)
		rhs = append(rhs, b)
		rowsT = append(rowsT, coef)
	}
	all := make([]float64, nt)
	for t := range all {
		all[t] = 1
	}
	add(eq, float64(p.k), all)
	for f := range p.feats {
		for v := range p.vals[f] {
			coef := make([]float64, nt)
			for t, ty := range p.types {
				if ty.vals[f] == v {
					coef[t] = 1
				}
			}
			if p.qmin[f][v] > 0 {
				add(ge, float64(p.qmin[f][v]), coef)
				bounds = append(bounds, quotaBound{f: f, v: v, row: len(rhs) - 1, lower: true})
			}
			if p.qmax[f][v] < p.k {
				add(le, float64(p.qmax[f][v]), coef)
				bounds = append(bounds, quotaBound{f: f, v: v, row: len(rhs) - 1})
			}
		}
	}
	for _, h := range p.homes {
		coef := make([]float64, nt)
		for _, t := range h {
			coef[t] = 1
		}
		add(le, 1, coef)
	}
	cols = make([][]float64, nt)
	for t := range nt {
		col := make([]float64, len(rhs))
		for r := range rhs {
			col[r] = rowsT[r][t]
		}
		cols[t] = col
		ub = append(ub, float64(min(p.n(t), p.k)))
	}
	if relax {
		for _, b := range bounds {
			col := make([]float64, len(rhs))
			col[b.row] = 1
			if !b.lower {
				col[b.row] = -1
			}
			cols = append(cols, col)
			if b.lower {
				ub = append(ub, float64(p.qmin[b.f][b.v])) // down to 0
			} else {
				ub = append(ub, float64(p.k-p.qmax[b.f][b.v])) // up to k
			}
		}
	}
	return
}

type quotaBound struct {
	f, v, row int
	lower     bool
}

// pricingNodes bounds one pricing search.
const pricingNodes = 20000

// improve looks for a feasible panel (counts per type) with w·counts
// above threshold. It returns the panel, or nil with exact true when
// none exists, or nil with exact false when the search hit its limit
// without deciding.
func (p *problem) improve(w []float64, threshold float64) (panel []int, value float64, exact bool, err error) {
	senses, rhs, cols, ub, _ := p.rows(false)
	prob := &ilp{senses: senses, rhs: rhs, cols: cols, ub: ub, w: w,
		above: true, threshold: threshold, nodeLimit: pricingNodes}
	c, v, err := prob.solve()
	switch {
	case err == nil:
		return c, v, true, nil
	case errors.Is(err, errInfeasible):
		return nil, 0, true, nil
	case errors.Is(err, errNodeLimit):
		return c, v, false, nil
	}
	return nil, 0, false, err
}
