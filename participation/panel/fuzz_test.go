package panel

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/civickit/civickit"
)

// FuzzReadMargins: any census table is read or refused with a kernel
// error, never a panic, and what is read has shares summing to 1.
func FuzzReadMargins(f *testing.F) {
	f.Add([]byte("category;value;count\nsexe;Hommes;32 280 580\nsexe;Femmes;34 451 958\n"))
	f.Add([]byte("category,value,share\nsex,F,0.52\nsex,M,0.48\nsex,declined,0.1\n"))
	f.Add([]byte("category,value,count\nsex,F,1,5\n\"x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadMargins(bytes.NewReader(data))
		if err != nil {
			if civickit.KindOf(err) == nil {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		for _, c := range m.Categories {
			var sum float64
			for _, v := range c.Values {
				sum += v.Share
			}
			if sum < 0.999999 || sum > 1.000001 {
				t.Fatalf("%s shares sum to %v", c.Name, sum)
			}
		}
		rs := []Respondent{{Attributes: map[string]string{}}}
		Representativeness(rs, m)
	})
}

// FuzzSelect: a pool and quotas read from the Foundation's layout are
// refused with a kernel error or give a lottery whose probabilities sum
// to k.
func FuzzSelect(f *testing.F) {
	f.Add("feature,value,min,max\ng,a,1,2\ng,b,0,2\n", "id,g\n1,a\n2,b\n3,a\n", uint8(2))
	f.Add("category,name,min,max\ng,a,2,2\n", "id,g\n1,a\n", uint8(2))
	f.Fuzz(func(t *testing.T, cats, resp string, k uint8) {
		if len(resp) > 600 || len(cats) > 300 {
			return
		}
		in, err := ReadFoundationCSV(strings.NewReader(cats), strings.NewReader(resp), FoundationOptions{K: int(k % 8)})
		if err != nil {
			if civickit.KindOf(err) == nil {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		d, err := Select(in, SelectOptions{Algorithm: Maximin})
		if err != nil {
			var ie *InfeasibleError
			if civickit.KindOf(err) == nil && !errors.As(err, &ie) {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		var sum float64
		for _, p := range d.Probabilities {
			sum += p.Probability
		}
		if d.Exact && (sum < float64(in.K)-1e-6 || sum > float64(in.K)+1e-6) {
			t.Fatalf("probabilities sum to %v, k=%d", sum, in.K)
		}
	})
}
