package committee_test

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/committee"
)

type abcInstance struct {
	File          string             `json:"file"`
	NumCand       int                `json:"num_cand"`
	CommitteeSize int                `json:"committeesize"`
	Profile       [][]int            `json:"profile"`
	Expected      map[string][][]int `json:"expected"`
}

func loadABC(t testing.TB) []abcInstance {
	var all []abcInstance
	for _, name := range []string{"testdata/abcvoting_instances.json", "testdata/abcvoting_instances_L.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var data struct{ Instances []abcInstance }
		if err := json.Unmarshal(b, &data); err != nil {
			t.Fatal(err)
		}
		all = append(all, data.Instances...)
	}
	return all
}

func (x abcInstance) profile(t testing.TB) *committee.Profile {
	names := make([]string, x.NumCand)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	p, err := committee.NewProfile(names)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range x.Profile {
		if err := p.Add(a, 1); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

type rule func(*committee.Profile, int, committee.Options) (*voting.Result, error)

func mes(c committee.MESCompletion) rule {
	return func(p *committee.Profile, k int, o committee.Options) (*voting.Result, error) {
		return committee.MES(p, k, o, c)
	}
}

// abcRules maps abcvoting's rule ids to this package's rules.
var abcRules = map[string]rule{
	"av": committee.AV, "sav": committee.SAV, "pav": committee.PAV, "slav": committee.SLAV, "cc": committee.CC,
	"seqpav": committee.SeqPAV, "seqslav": committee.SeqSLAV, "seqcc": committee.SeqCC, "revseqpav": committee.RevSeqPAV,
	"seqphragmen": committee.SeqPhragmen, "phragmen-enestroem": committee.PhragmenEnestrom, "consensus-rule": committee.Consensus,
	"equal-shares": mes(committee.CompletePhragmen), "equal-shares-with-av-completion": mes(committee.CompleteAV),
	"equal-shares-with-increment-completion": mes(committee.CompleteIncrement),
	"maximin-support":                        committee.MaximinSupport, "minimaxphragmen": committee.MinimaxPhragmen,
	"leximaxphragmen": committee.LeximaxPhragmen,
	"greedy-monroe":   committee.GreedyMonroe, "monroe": committee.Monroe, "minimaxav": committee.MinimaxAV,
}

// TestABCVotingInstances counts each of abcvoting's test instances with
// every rule both implement: the committee must be one abcvoting's test
// suite lists as winning.
func TestABCVotingInstances(t *testing.T) {
	failures := map[string]int{}
	checked := map[string]int{}
	for _, x := range loadABC(t) {
		p := x.profile(t)
		for id, want := range x.Expected {
			r, ok := abcRules[id]
			if !ok || len(want) == 0 {
				continue // an empty list: abcvoting did not compute this rule here
			}
			res, err := r(p, x.CommitteeSize, committee.Options{})
			if err != nil {
				t.Errorf("%s %s: %v", x.File, id, err)
				continue
			}
			checked[id]++
			// Committees are sets; some files list them unsorted.
			if !slices.ContainsFunc(want, func(w []int) bool { return slices.Equal(slices.Sorted(slices.Values(w)), res.Elected) }) {
				failures[id]++
				if failures[id] <= 2 {
					t.Errorf("%s %s (k=%d): elected %v, abcvoting expects one of %v", x.File, id, x.CommitteeSize, res.Elected, want)
				}
			}
		}
	}
	for id := range abcRules {
		if checked[id] < 100 {
			t.Errorf("%s checked on %d instances only", id, checked[id])
		}
	}
	t.Logf("checked %v; failures %v", checked, failures)
}

// TestABCVotingAxioms: on every abcvoting instance, the committees of
// the rules that guarantee an axiom satisfy it (the pairs of abcvoting's
// test_properties_with_rules for JR, PJR and EJR).
func TestABCVotingAxioms(t *testing.T) {
	pairs := []struct {
		rule  string
		check func(*committee.Profile, []int) (*committee.Violation, error)
		name  string
	}{
		{"pav", committee.EJR, "EJR"}, {"cc", committee.JR, "JR"}, {"seqphragmen", committee.PJR, "PJR"},
		{"leximaxphragmen", committee.PJR, "PJR"}, {"maximin-support", committee.PJR, "PJR"},
		{"monroe", committee.JR, "JR"}, {"greedy-monroe", committee.JR, "JR"}, {"equal-shares", committee.EJR, "EJR"},
		{"phragmen-enestroem", committee.PJR, "PJR"},
		{"seqphragmen", priceability, "priceability"}, {"maximin-support", priceability, "priceability"},
		{"equal-shares", priceability, "priceability"},
	}
	n := 0
	for _, x := range loadABC(t) {
		p := x.profile(t)
		for _, pr := range pairs {
			res, err := abcRules[pr.rule](p, x.CommitteeSize, committee.Options{})
			if err != nil {
				t.Fatalf("%s %s: %v", x.File, pr.rule, err)
			}
			v, err := pr.check(p, res.Elected)
			if err != nil {
				t.Fatalf("%s %s: %v", x.File, pr.name, err)
			}
			if v != nil {
				t.Errorf("%s: %s committee %v fails %s: %v", x.File, pr.rule, res.Elected, pr.name, v)
			}
			n++
		}
	}
	t.Logf("%d committees checked", n)
}
