package committee_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/civickit/civickit/voting/committee"
)

func randomProfile(rng *rand.Rand) (*committee.Profile, int) {
	m := 4 + rng.IntN(5)
	names := make([]string, m)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	p, _ := committee.NewProfile(names)
	// Parties with disjoint platforms make cohesive groups likely.
	parties := make([][]int, 1+rng.IntN(3))
	for c := range m {
		i := rng.IntN(len(parties))
		parties[i] = append(parties[i], c)
	}
	for range 4 + rng.IntN(20) {
		var a []int
		if rng.IntN(3) > 0 {
			a = parties[rng.IntN(len(parties))]
		} else {
			for c := range m {
				if rng.IntN(2) == 0 {
					a = append(a, c)
				}
			}
		}
		_ = p.Add(a, float64(1+rng.IntN(3)))
	}
	return p, 1 + rng.IntN(min(m, 5))
}

// TestProportionalityOnRandomProfiles: PAV and MES satisfy EJR, seq-
// Phragmén and maximin support PJR, every committee of those rules JR (theorems of Aziz et
// al. 2017, Peters & Skowron 2020, Brill et al. 2017); AV is caught
// failing JR on some of the same profiles, so the checks can fail.
func TestProportionalityOnRandomProfiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 12))
	avFails := 0
	for i := range 400 {
		p, k := randomProfile(rng)
		for name, r := range map[string]rule{"pav": committee.PAV, "mes": mes(committee.CompletePhragmen), "mes-av": mes(committee.CompleteAV)} {
			res, err := r(p, k, committee.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if v, err := committee.EJR(p, res.Elected); err != nil || v != nil {
				t.Fatalf("profile %d, %s %v: %v %v", i, name, res.Elected, v, err)
			}
		}
		for name, r := range map[string]rule{"seq-phragmen": committee.SeqPhragmen, "maximin-support": committee.MaximinSupport} {
			res, err := r(p, k, committee.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if v, err := committee.PJR(p, res.Elected); err != nil || v != nil {
				t.Fatalf("profile %d, %s %v: %v %v", i, name, res.Elected, v, err)
			}
		}
		av, _ := committee.AV(p, k, committee.Options{})
		v, err := committee.JR(p, av.Elected)
		if err != nil {
			t.Fatal(err)
		}
		if v != nil {
			avFails++
			if v.Weight < v.Quota-1e-9 || len(v.Common) != 1 {
				t.Fatalf("bad witness %+v", v)
			}
		}
	}
	if avFails == 0 {
		t.Fatal("AV never failed JR: the check found nothing")
	}
	t.Logf("AV failed JR on %d of 400 profiles", avFails)
}

// TestEJRStrongerThanPJR: on profiles where seq-Phragmén's committee
// fails EJR, PJR still holds (EJR implies PJR implies JR, so a JR or PJR
// violation must come with an EJR one).
func TestAxiomHierarchy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		p, k := randomProfile(rng)
		for _, r := range []rule{committee.AV, committee.SeqCC, committee.SAV, committee.SeqPhragmen} {
			res, err := r(p, k, committee.Options{})
			if err != nil {
				t.Fatal(err)
			}
			jr, _ := committee.JR(p, res.Elected)
			pjr, _ := committee.PJR(p, res.Elected)
			ejr, _ := committee.EJR(p, res.Elected)
			if (jr != nil && pjr == nil) || (pjr != nil && ejr == nil) {
				t.Fatalf("%s %v: JR %v, PJR %v, EJR %v", res.Method, res.Elected, jr, pjr, ejr)
			}
			// Priceability implies PJR (Peters & Skowron 2020).
			ps, err := committee.Priceable(p, res.Elected)
			if err != nil {
				t.Fatal(err)
			}
			if ps != nil && pjr != nil {
				t.Fatalf("%s %v: priceable at %v yet %v", res.Method, res.Elected, ps.Price, pjr)
			}
		}
	}
}

// TestAxiomExamples checks the published examples of abcvoting's
// property tests: each committee satisfies the axiom or not as the paper
// says.
func TestAxiomExamples(t *testing.T) {
	b, err := os.ReadFile("testdata/axiom_examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Instances []struct {
			Source    string  `json:"source"`
			NumCand   int     `json:"num_cand"`
			Profile   [][]int `json:"profile"`
			Committee []int   `json:"committee"`
			Axiom     string  `json:"axiom"`
			Expected  bool    `json:"expected"`
		}
	}
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	check := map[string]func(*committee.Profile, []int) (*committee.Violation, error){"jr": committee.JR, "pjr": committee.PJR, "ejr": committee.EJR,
		"priceability": priceability}
	for _, x := range data.Instances {
		names := make([]string, x.NumCand)
		for i := range names {
			names[i] = strconv.Itoa(i)
		}
		p, _ := committee.NewProfile(names)
		for _, a := range x.Profile {
			if err := p.Add(a, 1); err != nil {
				t.Fatal(err)
			}
		}
		v, err := check[x.Axiom](p, x.Committee)
		if err != nil {
			t.Fatalf("%s: %v", x.Source, err)
		}
		if (v == nil) != x.Expected {
			t.Errorf("%s: %s of %v: violation %v, the paper says satisfied=%v", x.Source, x.Axiom, x.Committee, v, x.Expected)
		}
		if v != nil && v.Weight < v.Quota-1e-9 {
			t.Errorf("%s: witness below quota: %+v", x.Source, v)
		}
	}
	if len(data.Instances) < 15 {
		t.Fatalf("%d instances", len(data.Instances))
	}
}

// priceability adapts Priceable to the shape of the axiom checks: a
// violation when no price system exists.
func priceability(p *committee.Profile, w []int) (*committee.Violation, error) {
	ps, err := committee.Priceable(p, w)
	if err != nil || ps != nil {
		return nil, err
	}
	return &committee.Violation{Axiom: "priceability"}, nil
}
