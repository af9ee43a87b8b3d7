package voting_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/generate"
)

// Every method's result, on ranked and on score ballots, is JSON (no NaN
// or infinite score), with at least one winner and one elected.
func TestResultsAreJSON(t *testing.T) {
	ranked, err := generate.Ranked(generate.Options{Candidates: 5, Voters: 24, Seed: 3, Culture: generate.Urn{Alpha: 0.2}, MaxRanked: 5, MinRanked: 3, Ties: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	scores, err := generate.Scores(generate.Options{Candidates: 5, Voters: 24, Seed: 3}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range voting.NewRegistry().Methods() {
		variants := m.Variants
		if len(variants) == 0 {
			variants = []string{""}
		}
		for _, v := range variants {
			o := voting.Options{Variant: v}
			if m.Name == "positional" {
				o.Weights = []float64{3, 2, 1}
			}
			r, err := m.Run(voting.Input{Ranked: ranked, Cardinal: scores}, o)
			if errors.Is(err, voting.ErrWrongBallots) || errors.Is(err, voting.ErrInvalidOption) {
				continue // a cardinal kind the score profile is not, or a required parameter
			}
			if err != nil {
				t.Errorf("%s/%s: %v", m.Name, v, err)
				continue
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("%s/%s: %v", m.Name, v, err)
			}
			if len(r.Winners) == 0 || len(r.Elected) == 0 {
				t.Errorf("%s/%s: winners %v elected %v", m.Name, v, r.Winners, r.Elected)
			}
		}
	}
}
