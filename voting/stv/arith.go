package stv

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// arith is the arithmetic a count is done in: fixed-point decimals with
// the statutes' truncation, or exact rationals. Every quantity (votes,
// values of ballot papers, quotas) is a T.
type arith[T any] interface {
	fromInt(n int64) T
	add(a, b T) T
	sub(a, b T) T
	mulInt(a T, n int64) T
	// mulDiv returns x*num/den, truncated to the arithmetic's precision
	// (exact for rationals). den > 0.
	mulDiv(x, num, den T) T
	// divInt returns x/n truncated to the precision.
	divInt(x T, n int64) T
	// floor drops the fraction (Droop's quota is a whole number).
	floor(x T) T
	cmp(a, b T) int
	sign(a T) int
	float(a T) float64
	str(a T) string
	// ulp is the smallest positive value (0 for rationals).
	ulp() T
}

// fixed is fixed-point arithmetic with dec decimals in an int64: 5 for
// the Scottish order, 0 for whole votes. Products and quotients are
// computed in 128 bits and truncated ("any remainder being ignored").
type fixed struct {
	dec   int
	scale int64
}

func newFixed(dec int) fixed {
	s := int64(1)
	for range dec {
		s *= 10
	}
	return fixed{dec: dec, scale: s}
}

func (f fixed) fromInt(n int64) int64       { return n * f.scale }
func (fixed) add(a, b int64) int64          { return a + b }
func (fixed) sub(a, b int64) int64          { return a - b }
func (fixed) mulInt(a int64, n int64) int64 { return a * n }
func (fixed) divInt(x int64, n int64) int64 { return x / n }
func (f fixed) floor(x int64) int64         { return x / f.scale * f.scale }
func (fixed) cmp(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
func (fixed) sign(a int64) int { return fixed{}.cmp(a, 0) }
func (fixed) ulp() int64       { return 1 }
func (f fixed) float(a int64) float64 {
	return float64(a) / float64(f.scale)
}

// mulDiv truncates x*num/den toward zero; values are non-negative in a
// count, so this is the statutes' "remainder ignored".
func (fixed) mulDiv(x, num, den int64) int64 {
	neg := (x < 0) != (num < 0)
	ux, un := uint64(abs64(x)), uint64(abs64(num))
	hi, lo := bits.Mul64(ux, un)
	ud := uint64(den)
	if hi >= ud { // the quotient overflows: not reachable below 2^63 / scale votes
		q := new(big.Int).Mul(big.NewInt(x), big.NewInt(num))
		q.Quo(q, big.NewInt(den))
		if !q.IsInt64() {
			return math.MaxInt64
		}
		return q.Int64()
	}
	q, _ := bits.Div64(hi, lo, ud)
	if neg {
		return -int64(q)
	}
	return int64(q)
}

// mulDivUp returns x*num/den rounded up, for non-negative operands whose
// quotient fits (keep values: at most one).
func (fixed) mulDivUp(x, num, den int64) int64 {
	hi, lo := bits.Mul64(uint64(x), uint64(num))
	q, r := bits.Div64(hi, lo, uint64(den))
	if r != 0 {
		q++
	}
	return int64(q)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func (f fixed) str(a int64) string {
	if f.dec == 0 {
		return strconv.FormatInt(a, 10)
	}
	s := strconv.FormatInt(abs64(a), 10)
	for len(s) <= f.dec {
		s = "0" + s
	}
	s = s[:len(s)-f.dec] + "." + s[len(s)-f.dec:]
	if a < 0 {
		s = "-" + s
	}
	return s
}

// exact is rational arithmetic (math/big.Rat): no rounding at all. Values
// are never modified in place.
type exact struct{}

func (exact) fromInt(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }
func (exact) add(a, b *big.Rat) *big.Rat {
	return new(big.Rat).Add(a, b)
}
func (exact) sub(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }
func (exact) mulInt(a *big.Rat, n int64) *big.Rat {
	return new(big.Rat).Mul(a, new(big.Rat).SetInt64(n))
}
func (exact) mulDiv(x, num, den *big.Rat) *big.Rat {
	r := new(big.Rat).Mul(x, num)
	return r.Quo(r, den)
}
func (exact) divInt(x *big.Rat, n int64) *big.Rat {
	return new(big.Rat).Quo(x, new(big.Rat).SetInt64(n))
}
func (exact) floor(x *big.Rat) *big.Rat {
	q := new(big.Int).Quo(x.Num(), x.Denom())
	return new(big.Rat).SetInt(q)
}
func (exact) cmp(a, b *big.Rat) int { return a.Cmp(b) }
func (exact) sign(a *big.Rat) int   { return a.Sign() }
func (exact) ulp() *big.Rat         { return new(big.Rat) }
func (exact) float(a *big.Rat) float64 {
	f, _ := a.Float64()
	return f
}
func (exact) str(a *big.Rat) string {
	if a.IsInt() {
		return a.Num().String()
	}
	return a.RatString()
}
