package stv

import (
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readBLT(t testing.TB, path string) *formats.Election {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	e, err := formats.Read(f, formats.BLT, formats.ReadOptions{})
	require.NoError(t, err)
	return e
}

func names(e *formats.Election, cs []int) []string {
	var out []string
	for _, c := range cs {
		out = append(out, e.Candidates[c])
	}
	return out
}

// The councillors each Edinburgh ward declared on 5 May 2017 (see
// testdata/README.md), in the order of the files.
var edinburgh2017 = [][]string{
	{"Kevin  LANG", "Louise YOUNG", "Graham HUTCHISON", "Norrie WORK"},
	{"Graeme BRUCE", "Neil GARDINER", "Ricky HENDERSON", "Susan WEBBER"},
	{"Robert Christopher ALDRIDGE", "Claire BRIDGMAN", "Mark BROWN"},
	{"Eleanor BIRD", "Jim CAMPBELL", "Cammy DAY", "George GORDON"},
	{"Gavin BARRIE", "Max MITCHELL", "Hal OSLER", "Iain  WHYTE"},
	{"Scott DOUGLAS", "Gillian GLOYER", "Frank ROSS"},
	{"Denis DIXON", "Catherine FULLERTON", "Ashley GRACZYK", "Donald WILSON"},
	{"Scott ARTHUR", "Phil DOGGART", "Jason RUST"},
	{"Gavin CORBETT", "Andrew JOHNSTON", "David KEY"},
	{"Nick COOK", "Melanie MAIN", "Neil ROSS", "Mandy WATT"},
	{"Karen DORAN", "Claire MILLER", "Jo MOWAT", "Alasdair RANKIN"},
	{"Marion DONALDSON", "Amy MCNEESE-MECHAN", "Susan RAE", "Lewis RITCHIE"},
	{"Chas BOOTH", "Adam MCVEY", "Gordon John MUNRO"},
	{"Ian CAMPBELL", "Joan GRIFFITHS", "John MCLELLAN", "Alex STANIFORTH"},
	{"Steve BURGESS", "Alison DICKIE", "Ian PERRY", "Cameron ROSE"},
	{"Lezley Marion CAMERON", "Derek HOWIE", "Lesley MACINNES", "Stephanie SMITH"},
	{"KATE CAMPBELL", "MARY CAMPBELL", "Maureen CHILD", "Callum LAIDLAW"},
}

func TestScottishEdinburgh2017Winners(t *testing.T) {
	files, err := filepath.Glob("testdata/edinburgh2017/*.blt")
	require.NoError(t, err)
	require.Len(t, files, 17)
	rules, err := Preset("scottish")
	require.NoError(t, err)
	for i, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			e := readBLT(t, f)
			require.Equal(t, len(edinburgh2017[i]), e.Seats, "the file's seats")
			rep, err := Count(e.Ranked, e.Seats, rules, nil)
			require.NoError(t, err)
			got := names(e, rep.Result.Elected)
			slices.Sort(got)
			assert.Equal(t, slices.Sorted(slices.Values(edinburgh2017[i])), got)
			checkConserved(t, rep)
		})
	}
}

// Almond: the stages at which each councillor was elected and the whole
// votes published for them.
func TestScottishAlmondStages(t *testing.T) {
	e := readBLT(t, "testdata/edinburgh2017/ward01_almond.blt")
	rules, _ := Preset("scottish")
	rep, err := Count(e.Ranked, e.Seats, rules, nil)
	require.NoError(t, err)
	electedAt := map[string]int{}
	for k, st := range rep.Stages {
		for _, n := range st.Elected {
			electedAt[n] = k + 1
		}
	}
	assert.Equal(t, map[string]int{"Kevin  LANG": 1, "Louise YOUNG": 2, "Graham HUTCHISON": 3, "Norrie WORK": 10}, electedAt)
	assert.Len(t, rep.Stages, 10)
	idx := func(name string) int { return slices.Index(e.Candidates, name) }
	whole := func(stage int, name string) string {
		v, _, _ := strings.Cut(rep.Stages[stage-1].Votes[idx(name)], ".")
		return v
	}
	assert.Equal(t, "6079", whole(1, "Kevin  LANG"))
	assert.Equal(t, "3652", whole(2, "Louise YOUNG"))
	assert.Equal(t, "2995", whole(3, "Graham HUTCHISON"))
	assert.Equal(t, "3744", whole(10, "Norrie WORK"))
	// Quota: floor(14207 valid / 5) + 1.
	assert.Equal(t, int64(14207), rep.Valid)
	assert.Equal(t, "2842.00000", rep.Stages[0].Quota)
}

func TestScottishSouthsideFirstPreferences(t *testing.T) {
	e := readBLT(t, "testdata/edinburgh2017/ward15_southsidenewington.blt")
	rules, _ := Preset("scottish")
	rep, err := Count(e.Ranked, e.Seats, rules, nil)
	require.NoError(t, err)
	want := map[string]string{"Cameron ROSE": "3151.00000", "Alison DICKIE": "2403.00000", "Steve BURGESS": "2381.00000", "Ian PERRY": "2354.00000", "Dan FARTHING": "1410.00000"}
	for name, v := range want {
		assert.Equal(t, v, rep.Stages[0].Votes[slices.Index(e.Candidates, name)], name)
	}
}

// checkConserved asserts the property every STV count keeps: at each
// stage the candidates' votes, the exhausted votes and the loss to
// truncation add up to the valid votes exactly.
func checkConserved(t *testing.T, rep *Report) {
	t.Helper()
	valid := new(big.Rat).SetInt64(rep.Valid)
	for k, st := range rep.Stages {
		sum := new(big.Rat)
		for _, v := range append(slices.Clone(st.Votes), st.Exhausted, st.Loss) {
			r, ok := new(big.Rat).SetString(v)
			require.True(t, ok, v)
			sum.Add(sum, r)
		}
		if !assert.Equal(t, valid.RatString(), sum.RatString(), "stage %d (%s %s)", k+1, st.Action, st.Candidate) {
			return
		}
		loss, _ := new(big.Rat).SetString(st.Loss)
		assert.GreaterOrEqual(t, loss.Sign(), 0, "stage %d: negative loss", k+1)
	}
}

func randomProfile(rng *rand.Rand, n, voters int) *voting.Profile {
	cands := make([]string, n)
	for i := range cands {
		cands[i] = string(rune('A' + i))
	}
	p, _ := voting.NewProfile(cands, voting.UnrankedLast)
	for range voters {
		perm := rng.Perm(n)
		k := 1 + rng.IntN(n)
		r := make(voting.Ranking, k)
		for i := range k {
			r[i] = []int{perm[i]}
		}
		_ = p.Add(r, 1+int64(rng.IntN(3)))
	}
	return p
}

func TestConservedOnRandomProfiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for trial := range 60 {
		n := 3 + rng.IntN(6)
		p := randomProfile(rng, n, 5+rng.IntN(60))
		seats := 1 + rng.IntN(n-1)
		for _, rules := range Presets() {
			rep, err := Count(p, seats, rules, nil)
			require.NoError(t, err, "trial %d %s", trial, rules.Name)
			assert.Len(t, rep.Result.Elected, seats, "trial %d %s", trial, rules.Name)
			assert.Len(t, slices.Compact(slices.Sorted(slices.Values(rep.Result.Elected))), seats, "elected twice")
			checkConserved(t, rep)
		}
	}
}

// With one seat, every preset is IRV with a majority quota: the winner is
// the IRV winner whenever IRV has no tie.
func TestOneSeatIsIRV(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	irv, err := voting.NewRegistry().Lookup("irv")
	require.NoError(t, err)
	for trial := range 40 {
		p := randomProfile(rng, 4, 30)
		want, err := irv.Run(voting.Input{Ranked: p}, voting.Options{})
		require.NoError(t, err)
		if want.TieBreak != "" {
			continue
		}
		for _, name := range []string{"scottish", "wigm", "gregory"} {
			rules, _ := Preset(name)
			rep, err := Count(p, 1, rules, nil)
			require.NoError(t, err)
			if rep.Result.TieBreak == "" {
				assert.Equal(t, want.Elected, rep.Result.Elected, "trial %d %s", trial, name)
			}
		}
	}
}

func TestExactAgreesWithScottishOnEdinburgh(t *testing.T) {
	e := readBLT(t, "testdata/edinburgh2017/ward01_almond.blt")
	scot, _ := Preset("scottish")
	exact := scot
	exact.Decimals = -1
	a, err := Count(e.Ranked, e.Seats, scot, nil)
	require.NoError(t, err)
	b, err := Count(e.Ranked, e.Seats, exact, nil)
	require.NoError(t, err)
	assert.Equal(t, a.Result.Elected, b.Result.Elected)
	assert.Equal(t, "0", b.Stages[len(b.Stages)-1].Loss, "exact arithmetic loses nothing")
	assert.NotEqual(t, "0.00000", a.Stages[len(a.Stages)-1].Loss, "truncation to 5 decimals loses a little")
}

func TestIrishDrawIsReproducible(t *testing.T) {
	e := readBLT(t, "testdata/edinburgh2017/ward12_leith_walk.blt")
	rules, _ := Preset("irish")
	rules.Seed = 2026
	a, err := Count(e.Ranked, e.Seats, rules, nil)
	require.NoError(t, err)
	b, err := Count(e.Ranked, e.Seats, rules, nil)
	require.NoError(t, err)
	assert.Equal(t, a.Stages, b.Stages)
	for _, st := range a.Stages {
		for _, v := range st.Votes {
			assert.NotContains(t, v, ".", "whole votes")
		}
	}
}

func TestMeekKeepValues(t *testing.T) {
	// 2 seats, A has 60 of 100 first preferences, all with B second:
	// Meek's keep value for A converges to quota/60 and B gets the rest.
	p, _ := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}}, 60))
	require.NoError(t, p.Add(voting.Ranking{{2}}, 25))
	require.NoError(t, p.Add(voting.Ranking{{3}}, 15))
	rules, _ := Preset("meek")
	rep, err := Count(p, 2, rules, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B"}, names(&formats.Election{Candidates: p.Candidates()}, rep.Result.Elected))
	checkConserved(t, rep)
	// Quota 100/3 = 33.333333333 + 10^-9; B then has 60 - quota.
	assert.Equal(t, "33.333333334", rep.Stages[0].Quota)
}

func TestErrors(t *testing.T) {
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0, 1}, {2}}, 3))
	scot, _ := Preset("scottish")
	for _, name := range []string{"meek", "warren", "irish"} {
		rules, _ := Preset(name)
		_, err := Count(p, 2, rules, nil)
		require.NoError(t, err, "%s truncates equal rankings by default", name)
		rules.EqualRanks = Split
		_, err = Count(p, 2, rules, nil)
		assert.ErrorIs(t, err, voting.ErrInvalidBallot, name)
		assert.ErrorContains(t, err, "split only by the Gregory methods", name)
	}

	q, _ := voting.NewProfile([]string{"A", "B"}, voting.UnrankedLast)
	require.NoError(t, q.Add(voting.Ranking{{0}}, 1))
	for _, seats := range []int{0, 3} {
		_, err := Count(q, seats, scot, nil)
		assert.ErrorIs(t, err, voting.ErrInvalidOption)
	}
	bad := scot
	bad.Decimals = 13
	_, err := Count(q, 1, bad, nil)
	assert.ErrorContains(t, err, "decimals 13")
	meek, _ := Preset("meek")
	meek.Decimals = -1
	_, err = Count(q, 1, meek, nil)
	assert.ErrorContains(t, err, "converge")
	_, err = Preset("nope")
	assert.ErrorContains(t, err, "scottish")
}

func TestRegistryMethod(t *testing.T) {
	reg := voting.NewRegistry()
	for _, m := range Methods() {
		require.NoError(t, reg.Register(m))
	}
	m, err := reg.Lookup("stv")
	require.NoError(t, err)
	e := readBLT(t, "testdata/edinburgh2017/ward08_colintonfairmilehead.blt")
	_, err = m.Run(voting.Input{Ranked: e.Ranked}, voting.Options{})
	assert.ErrorContains(t, err, "seats")
	for _, tt := range []struct {
		variant string
		params  map[string]float64
	}{
		{"", map[string]float64{"seats": 3}},
		{"scottish", map[string]float64{"seats": 3, "exact": 1}},
		{"meek", map[string]float64{"seats": 3, "decimals": 6}},
		{"gregory", map[string]float64{"seats": 3, "quota": 3}},
	} {
		r, err := m.Run(voting.Input{Ranked: e.Ranked}, voting.Options{Variant: tt.variant, Params: tt.params})
		require.NoError(t, err, tt.variant)
		got := names(e, r.Elected)
		slices.Sort(got)
		assert.Equal(t, []string{"Jason RUST", "Phil DOGGART", "Scott ARTHUR"}, got, tt.variant)
		assert.Equal(t, r.Elected, r.Winners)
	}
	_, err = m.Run(voting.Input{Ranked: e.Ranked}, voting.Options{Params: map[string]float64{"seats": 2.5}})
	assert.ErrorIs(t, err, voting.ErrInvalidOption)
}

func TestEdgeCases(t *testing.T) {
	p, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}, {1}}, 4))
	require.NoError(t, p.Add(voting.Ranking{{2}}, 1))
	empty, _ := voting.NewProfile([]string{"A", "B"}, voting.UnrankedLast)
	require.NoError(t, empty.Add(voting.Ranking{}, 3))
	for _, rules := range Presets() {
		t.Run(rules.Name, func(t *testing.T) {
			// As many seats as candidates: everyone is elected.
			rep, err := Count(p, 3, rules, nil)
			require.NoError(t, err)
			assert.ElementsMatch(t, []int{0, 1, 2}, rep.Result.Elected)
			checkConserved(t, rep)
			// Only empty ballots: the seats are still filled, by the tie
			// policy, and nothing is counted.
			rep, err = Count(empty, 1, rules, nil)
			require.NoError(t, err)
			assert.Len(t, rep.Result.Elected, 1)
			assert.Equal(t, int64(0), rep.Valid)
			assert.Equal(t, int64(3), rep.Result.Ballots)
			// Text, JSON and SVG renderings of the result work.
			var b strings.Builder
			require.NoError(t, rep.Result.WriteText(&b))
			require.NoError(t, rep.Result.WriteSVG(&b))
			assert.Contains(t, b.String(), "<svg")
		})
	}
}

// Batch elimination excludes together the lowest candidates whose votes
// added up stay below the next one's.
func TestBatchElimination(t *testing.T) {
	p, _ := voting.NewProfile([]string{"A", "B", "C", "D", "E"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0}}, 6))
	require.NoError(t, p.Add(voting.Ranking{{1}}, 5))
	require.NoError(t, p.Add(voting.Ranking{{2}, {1}}, 2))
	require.NoError(t, p.Add(voting.Ranking{{3}, {0}}, 1))
	require.NoError(t, p.Add(voting.Ranking{{4}}, 1))
	rules, _ := Preset("scottish")
	rules.BatchElimination = true
	rep, err := Count(p, 1, rules, nil)
	require.NoError(t, err)
	// E 1 + D 1 + C 2 = 4 < B's 5: all three go at stage 1; then A 7,
	// B 7 (quota 8): the tie is broken by the first stage (A 6 > B 5).
	assert.ElementsMatch(t, []string{"C", "D", "E"}, rep.Stages[1].Excluded)
	assert.Equal(t, []string{"7.00000", "7.00000", "0.00000", "0.00000", "0.00000"}, rep.Stages[1].Votes)
	assert.Equal(t, []int{0}, rep.Result.Elected)
	checkConserved(t, rep)
	// Without batch elimination, one at a time: same winner, more stages.
	rules.BatchElimination = false
	one, err := Count(p, 1, rules, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{0}, one.Result.Elected)
	assert.Greater(t, len(one.Stages), len(rep.Stages))

	meek, _ := Preset("meek")
	meek.BatchElimination = true
	_, err = Count(p, 1, meek, nil)
	assert.ErrorContains(t, err, "batch elimination")
}

// Equal preferences (BLT "=") under the Gregory methods: the paper is
// split equally between the group's hopefuls, and each part continues
// after the group.
func TestEqualPreferences(t *testing.T) {
	p, _ := voting.NewProfile([]string{"A", "B", "C", "D"}, voting.UnrankedLast)
	require.NoError(t, p.Add(voting.Ranking{{0, 1}, {2}}, 3))
	require.NoError(t, p.Add(voting.Ranking{{2}}, 2))
	require.NoError(t, p.Add(voting.Ranking{{3}, {0}}, 1))
	rules, _ := Preset("wigm")
	rep, err := Count(p, 2, rules, nil)
	require.NoError(t, err)
	// Quota floor(6/3)+1 = 3. A and B 3/2 each, C 2, D 1; D out: A 5/2;
	// B out: its three halves skip A (same group) and reach C: 7/2.
	assert.Equal(t, []string{"3/2", "3/2", "2", "1"}, rep.Stages[0].Votes)
	assert.Equal(t, []string{"5/2", "3/2", "2", "0"}, rep.Stages[1].Votes)
	assert.Equal(t, []string{"5/2", "0", "7/2", "0"}, rep.Stages[2].Votes)
	assert.Equal(t, []string{"C", "A"}, names(&formats.Election{Candidates: p.Candidates()}, rep.Result.Elected))
	checkConserved(t, rep)

	// In fixed point a third is truncated and the remainder is lost, in
	// the record.
	q, _ := voting.NewProfile([]string{"A", "B", "C"}, voting.UnrankedLast)
	require.NoError(t, q.Add(voting.Ranking{{0, 1, 2}}, 1))
	require.NoError(t, q.Add(voting.Ranking{{0}}, 1))
	scot, _ := Preset("scottish")
	scot.EqualRanks = Split
	rep, err = Count(q, 1, scot, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"1.33333", "0.33333", "0.33333"}, rep.Stages[0].Votes)
	assert.Equal(t, "0.00001", rep.Stages[0].Loss)
	checkConserved(t, rep)

	// The statutes count a ballot up to the repeated preference (the
	// scottish default); RCTab's default skips the repeated rank.
	scot.EqualRanks = Truncate
	rep, err = Count(p, 2, scot, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(3), rep.Valid, "the three A=B ballots count for no one")
	assert.Equal(t, []string{"0.00000", "0.00000", "2.00000", "1.00000"}, rep.Stages[0].Votes)
	scot.EqualRanks = Skip
	rep, err = Count(p, 2, scot, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"0.00000", "0.00000", "5.00000", "1.00000"}, rep.Stages[0].Votes)
	checkConserved(t, rep)
}

func TestConservedWithEqualPreferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := range 40 {
		n := 3 + rng.IntN(5)
		cands := make([]string, n)
		for i := range cands {
			cands[i] = string(rune('A' + i))
		}
		p, _ := voting.NewProfile(cands, voting.UnrankedLast)
		for range 5 + rng.IntN(40) {
			perm := rng.Perm(n)
			var r voting.Ranking
			for i := 0; i < 1+rng.IntN(n); {
				k := min(1+rng.IntN(3), n-i)
				r = append(r, perm[i:i+k])
				i += k
			}
			require.NoError(t, p.Add(r, 1+int64(rng.IntN(3))))
		}
		seats := 1 + rng.IntN(n-1)
		for _, name := range []string{"scottish", "wigm", "gregory", "ers97", "rctab"} {
			rules, _ := Preset(name)
			rules.EqualRanks = Split
			rep, err := Count(p, seats, rules, nil)
			require.NoError(t, err, "trial %d %s", trial, name)
			assert.Len(t, rep.Result.Elected, seats)
			checkConserved(t, rep)
		}
	}
}

func TestReportJSON(t *testing.T) {
	e := readBLT(t, "testdata/edinburgh2017/ward13_leith.blt")
	rules, _ := Preset("scottish")
	rep, err := Count(e.Ranked, e.Seats, rules, nil)
	require.NoError(t, err)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	r := got["rules"].(map[string]any)
	assert.Equal(t, "scottish", r["name"])
	assert.Equal(t, "inclusive", r["transfer"])
	assert.Equal(t, "droop", r["quota"])
	assert.Equal(t, float64(5), r["decimals"])
	assert.Len(t, got["stages"], len(rep.Stages))
}
