package panel

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/civickit/civickit"
)

// RakeOptions tune Rake. The zero value rakes to 1e-8 in at most 100
// sweeps without trimming.
type RakeOptions struct {
	// MaxIterations bounds the sweeps over the categories (default 100).
	MaxIterations int
	// Tolerance is the largest gap allowed between a weighted share and
	// its margin (default 1e-8).
	Tolerance float64
	// Cap and Floor bound each weight relative to the mean weight (for
	// instance 5 and 0.2); 0 leaves that side free. Weights outside are
	// trimmed to the bound and the rest raked again, a few rounds.
	Cap, Floor float64
	// Total is what the weights sum to (default: the number of
	// respondents, or the sum of the base weights).
	Total float64
}

// Spread describes a set of weights.
type Spread struct {
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	CV   float64 `json:"cv"` // standard deviation / mean
	// Kish is Kish's effective sample size (Σw)²/Σw²; DesignEffect is
	// n/Kish, the variance inflation due to weighting.
	Kish         float64 `json:"kish"`
	DesignEffect float64 `json:"design_effect"`
}

// RakeResult is the outcome of raking.
type RakeResult struct {
	Weights      []float64 `json:"weights"`
	Iterations   int       `json:"iterations"`
	Converged    bool      `json:"converged"`
	MaxDeviation float64   `json:"max_deviation"` // largest |weighted share − margin| at the end
	Trimmed      int       `json:"trimmed"`       // weights set to a bound in the last trimming round
	// Unreachable lists "category=value" margins with no respondent:
	// no weight can represent them, so the category is raked to its
	// other values, renormalised.
	Unreachable []string `json:"unreachable"`
	Spread      Spread   `json:"spread"`
}

// Coded is a set of respondents with their values as small integers,
// the form raking runs on: Codes[c][i] is respondent i's value index in
// category c of the margins, or −1 when not stated.
type Coded struct {
	Codes [][]int32
	N     int
}

// Code turns respondents into codes against the margins. A stated value
// the margins lack counts as not stated for raking.
func Code(rs []Respondent, m Margins) Coded {
	cd := Coded{Codes: make([][]int32, len(m.Categories)), N: len(rs)}
	for c, cat := range m.Categories {
		pos := map[string]int32{}
		for j, v := range cat.Values {
			pos[v.Value] = int32(j)
		}
		col := make([]int32, len(rs))
		for i, r := range rs {
			if j, ok := pos[r.Attributes[cat.Name]]; ok {
				col[i] = j
			} else {
				col[i] = -1
			}
		}
		cd.Codes[c] = col
	}
	return cd
}

// Rake weights respondents so that their weighted shares match every
// category's margin (iterative proportional fitting, "raking"). base
// are design weights (nil: all 1). Respondents who did not state a
// category keep their weight in that category's adjustment.
func Rake(rs []Respondent, m Margins, base []float64, opts RakeOptions) (RakeResult, error) {
	return RakeCoded(Code(rs, m), m, base, opts)
}

// RakeCoded is Rake on coded respondents.
func RakeCoded(cd Coded, m Margins, base []float64, opts RakeOptions) (RakeResult, error) {
	n := cd.N
	if len(cd.Codes) != len(m.Categories) {
		return RakeResult{}, invalid("codes", "len", fmt.Sprint(len(m.Categories)))
	}
	if base != nil && len(base) != n {
		return RakeResult{}, invalid("base", "len", fmt.Sprint(n))
	}
	if opts.MaxIterations <= 0 {
		opts.MaxIterations = 100
	}
	if opts.Tolerance <= 0 {
		opts.Tolerance = 1e-8
	}
	if (opts.Cap != 0 && opts.Cap <= 1) || opts.Floor < 0 || opts.Floor >= 1 || opts.Total < 0 {
		ve := &civickit.ValidationError{}
		if opts.Cap != 0 && opts.Cap <= 1 {
			ve.Add("cap", "gt", "1")
		}
		if opts.Floor < 0 || opts.Floor >= 1 {
			ve.Add("floor", "range", "[0,1)")
		}
		if opts.Total < 0 {
			ve.Add("total", "min", "0")
		}
		return RakeResult{}, ve
	}
	for i := range base {
		if !(base[i] > 0) || math.IsInf(base[i], 0) {
			return RakeResult{}, invalid(fmt.Sprintf("base[%d]", i), "gt", "0")
		}
	}
	// Shares that do not sum to 1 (margins never validated) would rake
	// to NaN weights: refuse them.
	for c, cat := range m.Categories {
		var sum float64
		for _, v := range cat.Values {
			sum += v.Share
		}
		if math.Abs(sum-1) > 1e-9 {
			return RakeResult{}, invalid(fmt.Sprintf("margins.categories[%d].values", c), "normalised", "call Margins.Validate")
		}
	}
	res := RakeResult{Unreachable: []string{}}
	// Targets: shares over the values some respondent has.
	targets := make([][]float64, len(m.Categories))
	for c, cat := range m.Categories {
		if len(cd.Codes[c]) != n {
			return RakeResult{}, invalid(fmt.Sprintf("codes[%d]", c), "len", fmt.Sprint(n))
		}
		present := make([]bool, len(cat.Values))
		for _, j := range cd.Codes[c] {
			if j >= 0 {
				if int(j) >= len(cat.Values) {
					return RakeResult{}, invalid(fmt.Sprintf("codes[%d]", c), "max", fmt.Sprint(len(cat.Values)-1))
				}
				present[j] = true
			}
		}
		t := make([]float64, len(cat.Values))
		var sum float64
		for j, v := range cat.Values {
			if present[j] {
				t[j] = v.Share
				sum += v.Share
			} else if v.Share > 0 {
				res.Unreachable = append(res.Unreachable, cat.Name+"="+v.Value)
			}
		}
		if sum > 0 {
			for j := range t {
				t[j] /= sum
			}
		}
		targets[c] = t
	}
	// Respondents with the same values and base weight end with the same
	// weight: rake their cells, not them (10^6 respondents fall in a few
	// thousand cells).
	cl := cellsOf(cd, base)
	w := cl.weight // one member's weight, per cell
	mult := cl.count
	sums := make([][]float64, len(m.Categories))
	for c := range sums {
		sums[c] = make([]float64, len(targets[c]))
	}
	rake := func() {
		res.Converged = false
		for it := 0; it < opts.MaxIterations; it++ {
			res.Iterations++
			dev := 0.0
			for c, col := range cl.codes {
				s := sums[c]
				clear(s)
				for k, j := range col {
					if j >= 0 {
						s[j] += mult[k] * w[k]
					}
				}
				var stated float64
				for _, x := range s {
					stated += x
				}
				if stated == 0 {
					continue
				}
				f := make([]float64, len(s))
				for j, x := range s {
					dev = math.Max(dev, math.Abs(x/stated-targets[c][j]))
					if x > 0 {
						f[j] = targets[c][j] * stated / x
					}
				}
				for k, j := range col {
					if j >= 0 {
						w[k] *= f[j]
					}
				}
			}
			if dev < opts.Tolerance {
				res.Converged = true
				break
			}
		}
	}
	rake()
	if opts.Cap > 0 || opts.Floor > 0 {
		for round := 0; round < 20; round++ {
			var total float64
			for k, x := range w {
				total += mult[k] * x
			}
			mean := total / float64(n)
			hi := math.Inf(1)
			if opts.Cap > 0 {
				hi = opts.Cap * mean
			}
			res.Trimmed = trim(w, mult, opts.Floor*mean, hi, total)
			// The cap wins over the margins when both cannot hold: the
			// last round keeps the trimmed weights and reports the gap.
			if res.Trimmed == 0 || round == 19 {
				break
			}
			rake()
		}
	}
	res.MaxDeviation = deviation(cl, w, targets)
	var total float64
	for k, x := range w {
		total += mult[k] * x
	}
	want := opts.Total
	if want == 0 {
		want = float64(n)
		if base != nil {
			want = 0
			for _, x := range base {
				want += x
			}
		}
	}
	out := make([]float64, n)
	for i, k := range cl.of {
		out[i] = w[k] * want / total
	}
	res.Weights = out
	res.Spread = SpreadOf(out)
	return res, nil
}

// cells groups respondents with the same codes and base weight.
type cells struct {
	codes  [][]int32 // per category, per cell
	count  []float64 // respondents in the cell
	weight []float64 // the weight of each of them
	of     []int     // respondent → cell
}

func cellsOf(cd Coded, base []float64) cells {
	cl := cells{codes: make([][]int32, len(cd.Codes)), of: make([]int, cd.N)}
	index := map[string]int{}
	key := make([]byte, 0, 4*len(cd.Codes)+8)
	for i := range cd.N {
		key = key[:0]
		for _, col := range cd.Codes {
			key = binary.LittleEndian.AppendUint32(key, uint32(col[i]))
		}
		b := 1.0
		if base != nil {
			b = base[i]
		}
		key = binary.LittleEndian.AppendUint64(key, math.Float64bits(b))
		k, ok := index[string(key)]
		if !ok {
			k = len(cl.count)
			index[string(key)] = k
			for c, col := range cd.Codes {
				cl.codes[c] = append(cl.codes[c], col[i])
			}
			cl.count = append(cl.count, 0)
			cl.weight = append(cl.weight, b)
		}
		cl.count[k]++
		cl.of[i] = k
	}
	return cl
}

func deviation(cl cells, w []float64, targets [][]float64) float64 {
	dev := 0.0
	for c, col := range cl.codes {
		s := make([]float64, len(targets[c]))
		var stated float64
		for k, j := range col {
			if j >= 0 {
				s[j] += cl.count[k] * w[k]
				stated += cl.count[k] * w[k]
			}
		}
		if stated == 0 {
			continue
		}
		for j, x := range s {
			dev = math.Max(dev, math.Abs(x/stated-targets[c][j]))
		}
	}
	return dev
}

// SpreadOf describes weights: range, mean, coefficient of variation and
// Kish's effective sample size.
func SpreadOf(w []float64) Spread {
	if len(w) == 0 {
		return Spread{}
	}
	sp := Spread{Min: math.Inf(1), Max: math.Inf(-1)}
	var s, s2 float64
	for _, x := range w {
		sp.Min = math.Min(sp.Min, x)
		sp.Max = math.Max(sp.Max, x)
		s += x
		s2 += x * x
	}
	n := float64(len(w))
	sp.Mean = s / n
	if sp.Mean > 0 {
		sp.CV = math.Sqrt(math.Max(0, s2/n-sp.Mean*sp.Mean)) / sp.Mean
	}
	if s2 > 0 {
		sp.Kish = s * s / s2
		sp.DesignEffect = n / sp.Kish
	}
	return sp
}

// Share is one option's raw and weighted count among answers.
type Share struct {
	Option        string  `json:"option"`
	Count         int     `json:"count"`
	Share         float64 `json:"share"`
	Weighted      float64 `json:"weighted"`
	WeightedShare float64 `json:"weighted_share"`
}

// Shares counts answers raw and weighted, side by side (weights[i]
// belongs to answers[i]; an empty answer is left out), in option order.
func Shares(answers []string, weights []float64) ([]Share, error) {
	if len(weights) != len(answers) {
		return nil, invalid("weights", "len", fmt.Sprint(len(answers)))
	}
	by := map[string]*Share{}
	var n, wt float64
	for i, a := range answers {
		if a == "" {
			continue
		}
		s := by[a]
		if s == nil {
			s = &Share{Option: a}
			by[a] = s
		}
		s.Count++
		s.Weighted += weights[i]
		n++
		wt += weights[i]
	}
	out := make([]Share, 0, len(by))
	for _, k := range sortedKeys(by) {
		s := *by[k]
		s.Share = float64(s.Count) / n
		if wt > 0 {
			s.WeightedShare = s.Weighted / wt
		}
		out = append(out, s)
	}
	return out, nil
}

// trim clamps weights to [lo, hi] and spreads what it took (or gave) over
// the weights left inside, proportionally, so the total stays the same;
// it repeats while the spreading pushes weights out. mult[k] respondents
// carry weight w[k]. It returns how many respondents sit at a bound.
func trim(w, mult []float64, lo, hi, total float64) int {
	at := make([]bool, len(w))
	count := 0
	for range 50 {
		var fixed, free float64
		changed := false
		for k, x := range w {
			switch {
			case at[k]:
			case x > hi*(1+1e-12):
				w[k], at[k], changed = hi, true, true
				count += int(mult[k])
			case x < lo*(1-1e-12):
				w[k], at[k], changed = lo, true, true
				count += int(mult[k])
			}
			if at[k] {
				fixed += mult[k] * w[k]
			} else {
				free += mult[k] * w[k]
			}
		}
		if !changed || free == 0 {
			break
		}
		f := (total - fixed) / free
		for k := range w {
			if !at[k] {
				w[k] *= f
			}
		}
	}
	return count
}
