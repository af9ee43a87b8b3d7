package formats_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func preflibHeader(dataType string, n int, voters, unique int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# DATA TYPE: %s\n# NUMBER ALTERNATIVES: %d\n# NUMBER VOTERS: %d\n# NUMBER UNIQUE ORDERS: %d\n", dataType, n, voters, unique)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "# ALTERNATIVE NAME %d: c%d\n", i, i)
	}
	return b.String()
}

// Candidate numbers of several bytes in the keys, ties among them.
func TestManyCandidates(t *testing.T) {
	src := preflibHeader("toi", 3000, 4, 3) + "1: 3000,1,200,128,127\n2: {2999,130,5},127\n1: {130,2999,5},127\n"
	e := read(t, formats.PrefLibTOI, src)
	assert.Equal(t, map[string]int64{
		"[[2999] [0] [199] [127] [126]]": 1,
		"[[4 129 2998] [126]]":           3,
	}, structure(e))
	back, _, err := roundTrip(e, formats.PrefLibTOI)
	require.NoError(t, err)
	assert.NoError(t, sameElection(e, back, formats.PrefLibTOI))
}

// Lines longer than the read buffer, and a line over the limit; the
// most candidates a ranked profile holds, and one more.
func TestLongLines(t *testing.T) {
	const n = voting.MaxCandidates
	var order strings.Builder
	for i := n; i >= 1; i-- {
		fmt.Fprintf(&order, "%8d,", i)
	}
	line := strings.TrimSuffix(order.String(), ",")
	require.Greater(t, len(line), 256<<10)
	e := read(t, formats.PrefLibSOC, preflibHeader("soc", n, 3, 2)+"2: "+line+"\n1: "+line)
	assert.Equal(t, int64(3), e.Ranked.Voters())
	assert.Equal(t, 1, e.Ranked.Distinct())
	for r := range e.Ranked.Ballots() {
		assert.Equal(t, []int{n - 1}, r[0])
		assert.Equal(t, []int{0}, r[n-1])
	}

	_, err := formats.Read(strings.NewReader(preflibHeader("soc", n+1, 3, 2)+"2: "+line+"\n1: "+line), formats.PrefLibSOC, formats.ReadOptions{})
	var pe *formats.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "too many candidates", pe.Rule)

	_, err = formats.Read(strings.NewReader("1 1\n1 "+strings.Repeat("1 ", 9<<20)+"0\n"), formats.BLT, formats.ReadOptions{})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "line too long", pe.Rule)
	assert.Equal(t, 2, pe.Line)
}

// Many ballots repeated verbatim, in any order, are counted right
// whether or not their text is remembered (few or many distinct texts).
func TestRepeatedBallots(t *testing.T) {
	for _, distinct := range []int{300, 40000} {
		rng := rand.New(rand.NewPCG(1, uint64(distinct)))
		var lines []string
		want := map[string]int64{}
		for i := range distinct {
			var parts []string
			var r voting.Ranking
			for _, c := range rng.Perm(8)[:1+i%8] {
				parts = append(parts, fmt.Sprint(c+1))
				r = append(r, []int{c})
			}
			for range 3 {
				lines = append(lines, "1: "+strings.Join(parts, ","))
			}
			want[fmt.Sprint(r)] += 3
		}
		rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		src := preflibHeader("soi", 8, len(lines), len(lines)) + strings.Join(lines, "\n")
		e := read(t, formats.PrefLibSOI, src)
		assert.Equal(t, want, structure(e), "distinct=%d", distinct)
		assert.Equal(t, int64(len(lines)), e.Ranked.Voters())
	}
}
