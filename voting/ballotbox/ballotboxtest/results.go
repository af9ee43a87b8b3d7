package ballotboxtest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

func (s *suite) testVisibility(t *testing.T) {
	for _, tc := range []struct {
		vis                     ballotbox.Visibility
		public, voter, nonVoter bool // readable during the window
	}{
		{ballotbox.VisibleAfterClose, false, false, false},
		{ballotbox.VisibleAfterVote, false, true, false},
		{ballotbox.VisibleLive, true, true, true},
	} {
		t.Run(string(tc.vis), func(t *testing.T) {
			v := s.env(t)
			e := v.election(t, NewElection(ballotbox.RevoteNone, tc.vis))
			_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1)})
			require.NoError(t, err)
			voter, nonVoter := Voter(1), Voter(2)
			for _, who := range []struct {
				name    string
				viewer  *ballotbox.Voter
				allowed bool
			}{{"Public", nil, tc.public}, {"Voter", &voter, tc.voter}, {"NonVoter", &nonVoter, tc.nonVoter}} {
				_, err := v.svc.Results(v.ctx, e.ID, who.viewer, nil)
				_, errLive := v.svc.LiveTally(v.ctx, e.ID, who.viewer)
				_, errRecount := v.svc.Recount(v.ctx, e.ID, who.viewer)
				if who.allowed {
					assert.NoError(t, err, who.name)
					assert.NoError(t, errLive, who.name)
					assert.NoError(t, errRecount, who.name)
				} else {
					assert.ErrorIs(t, err, ballotbox.ErrHidden, who.name)
					assert.ErrorIs(t, errLive, ballotbox.ErrHidden, who.name)
					assert.ErrorIs(t, errRecount, ballotbox.ErrHidden, who.name)
				}
			}
			v.clock.Set(After)
			res, err := v.svc.Results(v.ctx, e.ID, nil, nil)
			require.NoError(t, err, "everyone reads results after the close")
			assert.True(t, res.Final)
			require.Len(t, res.Questions, 3)
			assert.Equal(t, "mayor", res.Questions[0].Question)
			assert.Equal(t, int64(1), res.Questions[0].Result.Ballots)
		})
	}
}

// assertLiveEqualsRecount checks that the live counts equal a recount of
// the board, part by part and question by question.
func assertLiveEqualsRecount(t *testing.T, v *env, e *ballotbox.Election) bool {
	t.Helper()
	saved := v.clock.Now()
	v.clock.Set(After) // read whatever the visibility
	defer v.clock.Set(saved)
	live, err := v.svc.LiveTally(v.ctx, e.ID, nil)
	require.NoError(t, err)
	full, err := v.svc.Recount(v.ctx, e.ID, nil)
	require.NoError(t, err)
	return assert.Equal(t, tallyDump(t, full), tallyDump(t, live), "live tally vs full recount")
}

// tallyDump renders a tally's profiles per part and question, sorted.
func tallyDump(t *testing.T, tally *ballotbox.Tally) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, p := range tally.Parts() {
		keep := func(q ballotbox.Part) bool { return q == p }
		for _, q := range []string{"mayor", "park", "budget"} {
			in, err := tally.Input(q, keep)
			require.NoError(t, err)
			var lines []string
			if in.Ranked != nil {
				for r, n := range in.Ranked.Ballots() {
					lines = append(lines, fmt.Sprint(r, "×", n))
				}
			} else {
				for sc, n := range in.Cardinal.Ballots() {
					lines = append(lines, fmt.Sprint(sc, "×", n))
				}
			}
			slices.Sort(lines)
			if len(lines) > 0 {
				out[fmt.Sprintf("%s/%s/%s", p.Channel, p.Place, q)] = lines
			}
		}
	}
	return out
}

func (s *suite) testLiveEqualsRecount(t *testing.T) {
	v := s.env(t)
	e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
	rng := rand.New(rand.NewPCG(6, 6))
	kiosks := make([]*ballotbox.Session, 2)
	for i := range kiosks {
		var err error
		kiosks[i], err = v.svc.OpenSession(v.ctx, e.ID, fmt.Sprintf("agent-%d", i), fmt.Sprintf("Kiosque %d", i), civickit.ChannelKiosk)
		require.NoError(t, err)
	}
	// 120 casts by 40 voters through web, kiosks and imports: a third are
	// revotes that move counts between parts.
	for range 120 {
		c := ballotbox.Cast{ElectionID: e.ID, Voter: Voter(rng.IntN(40)), Ballot: Full(rng.IntN(30))}
		if rng.IntN(3) == 0 {
			c.Ballot = Ranked(rng.IntN(4)) // park and budget left blank
		}
		switch rng.IntN(3) {
		case 1:
			k := kiosks[rng.IntN(2)]
			c.Channel, c.Session = civickit.ChannelKiosk, k.ID
		case 2:
			c.Channel, c.Place = civickit.ChannelImport, fmt.Sprintf("Import %d", rng.IntN(2))
		}
		_, err := v.svc.Cast(v.ctx, c)
		require.NoError(t, err)
	}
	markVoters(t, v, e, "Bureau 1", 100, 10)
	b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "Bureau 1", Sheets: 10})
	require.NoError(t, err)
	_, err = v.svc.KeyBatch(v.ctx, b.ID, "agent-p", sheets(10, 5, 2))
	require.NoError(t, err)
	_, err = v.svc.RecountBatch(v.ctx, b.ID, "agent-q", "recount", sheets(10, 6, 4))
	require.NoError(t, err)
	checkChain(t, v, e)
	assertLiveEqualsRecount(t, v, e)

	live, err := v.svc.LiveTally(v.ctx, e.ID, nil)
	require.NoError(t, err)
	parts := live.Parts()
	assert.GreaterOrEqual(t, len(parts), 5, "web, 2 kiosks, 2 imports, paper")
	in, err := live.Input("mayor", nil)
	require.NoError(t, err)
	voters, err := v.st.CountVoters(v.ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, voters-10+9, in.Ranked.Voters(), "one counted ballot per identified voter, plus 9 paper ballots of the 10 marked voters (one sheet spoiled)")

	// Per-part results merge into the whole.
	whole, err := live.Result("mayor", nil)
	require.NoError(t, err)
	var sum int64
	for _, p := range parts {
		r, err := live.Result("mayor", func(q ballotbox.Part) bool { return q == p })
		require.NoError(t, err)
		sum += r.Ballots
	}
	assert.Equal(t, whole.Ballots, sum)
	merged := ballotbox.NewTally(e, voting.NewRegistry())
	for _, p := range parts {
		one := ballotbox.NewTally(e, voting.NewRegistry())
		for _, c := range countsOf(t, v, e, p) {
			require.NoError(t, one.Add(c.b, p, c.n))
		}
		require.NoError(t, merged.Merge(one))
	}
	assert.Equal(t, tallyDump(t, live), tallyDump(t, merged))
}

type countedAnswer struct {
	b ballotbox.Ballot
	n int64
}

// countsOf returns the stored counts of one part as one-answer ballots.
func countsOf(t *testing.T, v *env, e *ballotbox.Election, p ballotbox.Part) []countedAnswer {
	t.Helper()
	counts := v.counts(t, e.ID)
	var out []countedAnswer
	keys := map[string]bool{}
	for _, c := range counts {
		if c.Part != p {
			continue
		}
		keys[c.Question+string(c.Answer)] = true
		b, err := ballotbox.ParseBallot([]byte(`{"answers":[` + string(c.Answer) + `]}`))
		require.NoError(t, err)
		require.Equal(t, c.Question, b.Answers[0].Question)
		out = append(out, countedAnswer{b: b, n: c.N})
	}
	require.Len(t, keys, len(out), "one row per part, question and answer")
	return out
}

// AssertLiveEqualsRecount checks, for an election built by NewElection,
// that svc's live tally equals a full recount of the board, part by part
// and question by question. The election must be visible to svc now.
func AssertLiveEqualsRecount(t *testing.T, svc *ballotbox.Service, electionID uuid.UUID) bool {
	t.Helper()
	live, err := svc.LiveTally(t.Context(), electionID, nil)
	require.NoError(t, err)
	full, err := svc.Recount(t.Context(), electionID, nil)
	require.NoError(t, err)
	return assert.Equal(t, tallyDump(t, full), tallyDump(t, live), "live tally vs full recount")
}
