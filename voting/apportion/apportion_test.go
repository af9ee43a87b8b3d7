package apportion

import (
	"encoding/csv"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustLookup(t *testing.T, name string) Method {
	t.Helper()
	m, err := Lookup(name)
	require.NoError(t, err)
	return m
}

// The 2020 apportionment of the US House: Huntington–Hill over the 50
// states' apportionment populations gives the published 435 seats.
func TestUSHouse2020(t *testing.T) {
	f, err := os.Open("testdata/us_house_2020.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var states []string
	var pops []int64
	var want []int
	for _, row := range rows[1:] {
		p, err := strconv.ParseInt(row[1], 10, 64)
		require.NoError(t, err)
		s, err := strconv.Atoi(row[2])
		require.NoError(t, err)
		states, pops, want = append(states, row[0]), append(pops, p), append(want, s)
	}
	require.Len(t, states, 50)
	r, err := mustLookup(t, "huntington-hill").Allocate(states, pops, 435, Options{})
	require.NoError(t, err)
	assert.Equal(t, want, r.Seats)
	assert.Empty(t, r.TieBreak)
	// Webster would have moved seats: the method matters on this data.
	w, err := mustLookup(t, "sainte-lague").Allocate(states, pops, 435, Options{})
	require.NoError(t, err)
	assert.Equal(t, 435, sum(w.Seats))
}

func TestPublishedExamples(t *testing.T) {
	parties := []string{"A", "B", "C", "D"}
	votes := []int64{100000, 80000, 30000, 20000}
	for _, tt := range []struct {
		method string
		want   []int
	}{
		{"dhondt", []int{4, 3, 1, 0}},       // Wikipedia, "D'Hondt method"
		{"sainte-lague", []int{3, 3, 1, 1}}, // Wikipedia, "Sainte-Laguë method"
		// Hand-checked: Hare quota 28,750; whole 3-2-1-0; remainders B
		// 22,500, D 20,000, A 13,750, C 1,250 take the 2 seats left.
		{"hare", []int{3, 3, 1, 1}},
		// Droop quota 25,556: whole 3-3-1-0 = 7; the largest remainder
		// is A's 23,332 (D has 20,000).
		{"droop", []int{4, 3, 1, 0}},
		// Adams: a first seat each, then 100000/1, 80000/1, 100000/2.
		{"adams", []int{3, 3, 1, 1}},
		// Danish: divisors 1, 4, 7: A 100000 25000 14286, B 80000 20000
		// 11429, C 30000, D 20000 (ties B's second quotient; 8 seats reach
		// below it).
		{"danish", []int{3, 3, 1, 1}},
		// Imperiali: divisors 2, 3, 4...: A 50000 33333 25000 20000
		// 16667, B 40000 26667 20000 16000, C 15000.
		{"imperiali", []int{5, 3, 0, 0}},
	} {
		t.Run(tt.method, func(t *testing.T) {
			r, err := mustLookup(t, tt.method).Allocate(parties, votes, 8, Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Seats)
		})
	}
}

// D'Hondt with 200 and 100 votes for 2 seats: A's second quotient (100)
// ties B's first exactly; the tie is reported and the policy decides.
func TestExactTieIsReported(t *testing.T) {
	m := mustLookup(t, "dhondt")
	r, err := m.Allocate([]string{"A", "B"}, []int64{200, 100}, 2, Options{})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, r.Tied)
	assert.Equal(t, "candidate-order", r.TieBreak)
	assert.Equal(t, []int{2, 0}, r.Seats)
	r, err = m.Allocate([]string{"A", "B"}, []int64{200, 100}, 2, Options{
		Tie: voting.TieFunc("reverse", func(tied []int, _ voting.TieContext) [][]int { return [][]int{{tied[1]}, {tied[0]}} }),
	})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 1}, r.Seats)
	assert.Equal(t, "reverse", r.TieBreak)
	// 3 seats: both tied parties get one, no tie-break needed.
	r, err = m.Allocate([]string{"A", "B"}, []int64{200, 100}, 3, Options{})
	require.NoError(t, err)
	assert.Equal(t, []int{2, 1}, r.Seats)
	assert.Empty(t, r.TieBreak)
}

// The Alabama paradox: under Hamilton's method (largest remainder, Hare
// quota) a larger house can give a state fewer seats. Divisor methods are
// house-monotone and never do.
func TestAlabamaParadox(t *testing.T) {
	states := []string{"A", "B", "C"}
	pops := []int64{6, 6, 2}
	hare := mustLookup(t, "hare")
	r10, err := hare.Allocate(states, pops, 10, Options{})
	require.NoError(t, err)
	r11, err := hare.Allocate(states, pops, 11, Options{})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 4, 2}, r10.Seats)
	assert.Equal(t, []int{5, 5, 1}, r11.Seats, "C loses a seat when the house grows")
	for _, name := range []string{"dhondt", "sainte-lague", "huntington-hill", "adams"} {
		m := mustLookup(t, name)
		a, _ := m.Allocate(states, pops, 10, Options{})
		b, _ := m.Allocate(states, pops, 11, Options{})
		for i := range states {
			assert.GreaterOrEqual(t, b.Seats[i], a.Seats[i], "%s: state %s", name, states[i])
		}
	}
}

// Properties on random elections: every seat is given, divisor methods
// are house-monotone, and a party with at least k whole Hare quotas
// gets at least k seats under D'Hondt (quota floor).
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for trial := range 200 {
		n := 2 + rng.IntN(8)
		parties := make([]string, n)
		votes := make([]int64, n)
		var total int64
		for i := range parties {
			parties[i] = strconv.Itoa(i)
			votes[i] = 1 + rng.Int64N(100000)
			total += votes[i]
		}
		seats := 1 + rng.IntN(40)
		for _, m := range Methods() {
			r, err := m.Allocate(parties, votes, seats, Options{})
			require.NoError(t, err)
			assert.Equal(t, seats, sum(r.Seats), "trial %d %s", trial, m.Name)
			if m.quota == noQuota {
				r2, err := m.Allocate(parties, votes, seats+1, Options{})
				require.NoError(t, err)
				for i := range parties {
					assert.GreaterOrEqual(t, r2.Seats[i], r.Seats[i], "trial %d %s house monotone", trial, m.Name)
				}
			}
		}
		d, _ := mustLookup(t, "dhondt").Allocate(parties, votes, seats, Options{})
		for i, v := range votes {
			assert.GreaterOrEqual(t, int64(d.Seats[i]), v*int64(seats)/total, "D'Hondt meets the lower quota")
		}
	}
}

func TestThreshold(t *testing.T) {
	parties := []string{"A", "B", "C", "Minority"}
	votes := []int64{600, 330, 40, 30}
	r, err := mustLookup(t, "sainte-lague").Allocate(parties, votes, 10, Options{Threshold: 0.05, Exempt: []bool{false, false, false, true}})
	require.NoError(t, err)
	assert.Equal(t, []bool{true, true, false, true}, r.Eligible)
	assert.Equal(t, 0, r.Seats[2], "C is below 5 %")
	assert.Equal(t, 10, sum(r.Seats))
	var b strings.Builder
	require.NoError(t, r.WriteText(&b))
	assert.Contains(t, b.String(), "C: 40 votes, 0 seats (below the threshold)")
}

func TestErrors(t *testing.T) {
	m := mustLookup(t, "dhondt")
	for _, tt := range []struct {
		parties []string
		votes   []int64
		seats   int
		o       Options
		msg     string
	}{
		{[]string{"A"}, []int64{1, 2}, 1, Options{}, "1 parties and 2 vote counts"},
		{[]string{"A"}, []int64{1}, -1, Options{}, "seats -1"},
		{[]string{"A"}, []int64{-5}, 1, Options{}, "-5 votes"},
		{[]string{"A"}, []int64{5}, 1, Options{Threshold: 1.5}, "threshold 1.5"},
		{[]string{"A"}, []int64{0}, 1, Options{}, "no party has votes"},
		{[]string{"A"}, []int64{3}, 1, Options{Exempt: []bool{true, false}}, "exempt has 2 entries"},
	} {
		_, err := m.Allocate(tt.parties, tt.votes, tt.seats, tt.o)
		assert.ErrorIs(t, err, voting.ErrInvalidOption)
		assert.ErrorContains(t, err, tt.msg)
	}
	_, err := Lookup("nope")
	assert.ErrorIs(t, err, voting.ErrUnknownMethod)
}

// The New Zealand general election of 17 October 2020: Sainte-Laguë over
// the party votes of the parties past 5 % or holding an electorate (the
// Māori Party won Waiariki), 120 seats. Party votes and seats: the
// Electoral Commission's official results of 6 November 2020
// (elections.nz; Wikipedia's "2020 New Zealand general election" lists the
// same figures). The parties below 5 % without an electorate take no
// part whatever the denominator; NZ First (2.6 %) shows the threshold at
// work.
func TestNewZealand2020(t *testing.T) {
	parties := []string{"Labour", "National", "Green", "ACT", "Māori Party", "NZ First"}
	votes := []int64{1443545, 738275, 226757, 219031, 33630, 75020}
	r, err := mustLookup(t, "sainte-lague").Allocate(parties, votes, 120, Options{
		Threshold: 0.05,
		Exempt:    []bool{false, false, false, false, true, false},
	})
	require.NoError(t, err)
	assert.Equal(t, []int{65, 33, 10, 10, 2, 0}, r.Seats)
	assert.False(t, r.Eligible[5])
	// D'Hondt would have given Labour more: the method matters here.
	d, err := mustLookup(t, "dhondt").Allocate(parties, votes, 120, Options{Threshold: 0.05, Exempt: []bool{false, false, false, false, true, false}})
	require.NoError(t, err)
	assert.Greater(t, d.Seats[0], 65)
}

// A two-tier threshold: a party strong in one district but under the
// national threshold takes no seat there.
func TestNationalThreshold(t *testing.T) {
	parties := []string{"A", "B", "Regional"}
	national := []int64{500000, 450000, 20000} // Regional: 2.06 %
	ok, err := NationallyEligible(national, 0.03, nil)
	require.NoError(t, err)
	assert.Equal(t, []bool{true, true, false}, ok)
	district := []int64{10000, 8000, 9000}
	m := mustLookup(t, "dhondt")
	alone, err := m.Allocate(parties, district, 5, Options{})
	require.NoError(t, err)
	assert.Positive(t, alone.Seats[2], "strong in the district")
	r, err := m.Allocate(parties, district, 5, Options{Eligible: ok})
	require.NoError(t, err)
	assert.Equal(t, 0, r.Seats[2])
	assert.False(t, r.Eligible[2])
	assert.Equal(t, 5, sum(r.Seats))
	// Exempt, it takes part again.
	ok, err = NationallyEligible(national, 0.03, []bool{false, false, true})
	require.NoError(t, err)
	assert.True(t, ok[2])
	_, err = NationallyEligible(national, 2, nil)
	assert.ErrorIs(t, err, voting.ErrInvalidOption)
	_, err = m.Allocate(parties, district, 5, Options{Eligible: []bool{true}})
	assert.ErrorContains(t, err, "eligible has 1 entries")
}
