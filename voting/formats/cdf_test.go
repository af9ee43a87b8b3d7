package formats_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadCDFRCTab(t *testing.T) {
	f, err := os.Open("testdata/rctab_multi_winner_whole_cvr.json")
	require.NoError(t, err)
	defer f.Close()
	e, err := formats.ReadCDF(f, formats.CDFOptions{Overvote: formats.OvervoteSkip, MaxSkipped: 1})
	require.NoError(t, err)
	assert.Equal(t, "test set multi winner whole", e.Title)
	assert.Equal(t, []string{"Candidate A Name", "Candidate B Name", "Candidate C Name", "Candidate D Name", "Candidate E Name", "Candidate F Name"}, e.Candidates)
	assert.Equal(t, int64(30), e.Ranked.Voters())
	// Ballot 1 ranks D first, skips rank 2, then C, E, F, A: the skip
	// closes up.
	found := false
	for r := range e.Ranked.Ballots() {
		if len(r) == 5 && r[0][0] == 3 && r[1][0] == 2 && r[4][0] == 0 {
			found = true
		}
	}
	assert.True(t, found, "ballot 1 read as D > C > E > F > A")
}

// cdf builds a one-contest report whose ballots are lists of "rank:id"
// marks.
func cdf(ballots ...string) string {
	var b strings.Builder
	b.WriteString(`{"@type":"CVR.CastVoteRecordReport","Election":[{"Candidate":[{"@id":"a","Name":"Ann"},{"@id":"b","Name":"Bob"},{"@id":"c","Name":"Cat"}],` +
		`"Contest":[{"@id":"k","Name":"Council","ContestSelection":[{"@id":"sa","CandidateIds":["a"]},{"@id":"sb","CandidateIds":["b"]},{"@id":"sc","CandidateIds":["c"]}]}]}],"CVR":[`)
	for i, ballot := range ballots {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"CurrentSnapshotId":"s","CVRSnapshot":[{"@id":"s","CVRContest":[{"ContestId":"k","CVRContestSelection":[`)
		for j, m := range strings.Fields(ballot) {
			rank, id, _ := strings.Cut(m, ":")
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"ContestSelectionId":"s` + id + `","SelectionPosition":[{"HasIndication":"yes","NumberVotes":1,"Rank":` + rank + `}]}`)
		}
		b.WriteString(`]}]}]}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

func TestReadCDFRules(t *testing.T) {
	for _, tt := range []struct {
		name   string
		ballot string
		o      formats.CDFOptions
		want   voting.Ranking
	}{
		{"in order", "1:a 2:b 3:c", formats.CDFOptions{MaxSkipped: -1}, voting.Ranking{{0}, {1}, {2}}},
		{"marks out of order", "2:b 1:c", formats.CDFOptions{MaxSkipped: -1}, voting.Ranking{{2}, {1}}},
		{"skipped rank closes up", "1:a 3:b", formats.CDFOptions{MaxSkipped: -1}, voting.Ranking{{0}, {1}}},
		{"too many skipped ranks", "1:a 4:b", formats.CDFOptions{MaxSkipped: 1}, voting.Ranking{{0}}},
		{"duplicate candidate keeps the first", "1:a 2:a 3:b", formats.CDFOptions{MaxSkipped: -1}, voting.Ranking{{0}, {1}}},
		{"overvote as a tie", "1:a 1:b 2:c", formats.CDFOptions{MaxSkipped: -1}, voting.Ranking{{0, 1}, {2}}},
		{"overvote skipped", "1:a 1:b 2:c", formats.CDFOptions{Overvote: formats.OvervoteSkip, MaxSkipped: -1}, voting.Ranking{{2}}},
		{"overvote exhausts", "1:c 2:a 2:b 3:c", formats.CDFOptions{Overvote: formats.OvervoteExhaust, MaxSkipped: -1}, voting.Ranking{{2}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := formats.ReadCDF(strings.NewReader(cdf(tt.ballot)), tt.o)
			require.NoError(t, err)
			for r := range e.Ranked.Ballots() {
				assert.Equal(t, tt.want, r)
			}
		})
	}
}

func TestReadCDFErrors(t *testing.T) {
	for _, tt := range []struct {
		name, input, rule string
		o                 formats.CDFOptions
	}{
		{"not JSON", "hello", "not a CDF JSON report", formats.CDFOptions{}},
		{"other document", `{"@type":"ElectionReport"}`, "not a cast vote record report", formats.CDFOptions{}},
		{"no contest", `{"@type":"CVR.CastVoteRecordReport"}`, "no contest in the report", formats.CDFOptions{}},
		{"unknown contest", cdf("1:a"), "no such contest", formats.CDFOptions{Contest: "Mayor"}},
		{"unknown selection", cdf("1:z"), "unknown contest selection", formats.CDFOptions{}},
		{"rank zero", cdf("0:a"), "rank not a positive integer", formats.CDFOptions{}},
		{"no ballots", cdf(), "no ballot for the contest", formats.CDFOptions{}},
		{"unknown candidate", strings.Replace(cdf("1:a"), `"CandidateIds":["a"]`, `"CandidateIds":["q"]`, 1), "unknown candidate", formats.CDFOptions{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := formats.ReadCDF(strings.NewReader(tt.input), tt.o)
			var pe *formats.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.rule, pe.Rule)
		})
	}
}

// FuzzReadCDF: the CDF reader never panics and fails only with parse
// errors; what it accepts is a valid profile.
func FuzzReadCDF(f *testing.F) {
	f.Add([]byte(cdf("1:a 2:b", "1:b 1:c 3:a", "2:c")))
	f.Add([]byte(cdf()))
	b, err := os.ReadFile("testdata/rctab_multi_winner_whole_cvr.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, o := range []formats.CDFOptions{{MaxSkipped: -1}, {Overvote: formats.OvervoteSkip, MaxSkipped: 1}, {Overvote: formats.OvervoteExhaust}} {
			e, err := formats.ReadCDF(bytes.NewReader(data), o)
			if err != nil {
				if !errors.Is(err, formats.ErrParse) {
					t.Fatalf("error is not a ParseError: %v", err)
				}
				continue
			}
			n := e.Ranked.N()
			for r := range e.Ranked.Ballots() {
				if err := r.Validate(n); err != nil {
					t.Fatalf("accepted an invalid ballot %v: %v", r, err)
				}
			}
		}
	})
}
