package panel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synthetic draws a pool with skewed features and quotas around the
// population shares.
func synthetic(n, k int, sizes []int, seed uint64) Instance {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := Instance{K: k}
	for f, nv := range sizes {
		for v := range nv {
			share := 1 / float64(nv)
			lo := int(math.Floor(share * float64(k) * 0.8))
			hi := int(math.Ceil(share * float64(k) * 1.2))
			in.Quotas = append(in.Quotas, Quota{Feature: fmt.Sprint("f", f), Value: fmt.Sprint("v", v), Min: lo, Max: hi})
		}
	}
	for i := range n {
		p := Person{ID: fmt.Sprintf("r%05d", i), Features: map[string]string{}}
		for f, nv := range sizes {
			// skewed: the pool over-represents low values
			v := min(rng.IntN(nv), rng.IntN(nv)+rng.IntN(2))
			p.Features[fmt.Sprint("f", f)] = fmt.Sprint("v", min(v, nv-1))
		}
		in.People = append(in.People, p)
	}
	return in
}

func TestSelectSynthetic(t *testing.T) {
	in := synthetic(300, 30, []int{2, 3, 3}, 1)
	d, err := Select(in, SelectOptions{Algorithm: Leximin})
	require.NoError(t, err)
	assert.True(t, d.Exact)
	checkSupport(t, in, d)
	mx, err := Select(in, SelectOptions{Algorithm: Maximin})
	require.NoError(t, err)
	assert.InDelta(t, mx.Minimum, d.Minimum, 1e-6)
	assert.Less(t, d.Minimum, float64(in.K)/float64(len(in.People)), "skewed pool: someone below k/n")
}

// BenchmarkLeximinSynthetic1000 is a harder shape than Alternate: 1000
// volunteers over 5 skewed features (135 types), a panel of 60.
func BenchmarkLeximinSynthetic1000(b *testing.B) {
	in := synthetic(1000, 60, []int{2, 3, 4, 3, 2}, 1)
	for b.Loop() {
		d, err := Select(in, SelectOptions{Algorithm: Leximin})
		if err != nil || !d.Exact {
			b.Fatal(err, d.Exact)
		}
	}
}

// sfeLike is shaped like the Nature 2021 paper's largest real pool,
// sf_e (1,727 volunteers, 7 features, k = 110): seeded, 843 types.
func sfeLike() Instance {
	return synthetic(1727, 110, []int{2, 2, 3, 4, 3, 3, 4}, 1)
}

// BenchmarkLeximinSFELike is LEXIMIN on an sf_e-like pool: hundreds of
// types and LEXIMIN stages.
func BenchmarkLeximinSFELike(b *testing.B) {
	in := sfeLike()
	for b.Loop() {
		if _, err := Select(in, SelectOptions{Algorithm: Leximin}); err != nil {
			b.Fatal(err)
		}
	}
}
