package ballotboxtest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

func (s *suite) testCast(t *testing.T) {
	v := s.env(t)
	e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
	r1, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Full(1), IdempotencyKey: "k1"})
	require.NoError(t, err)
	assert.Equal(t, int64(0), r1.Index)
	assert.Equal(t, e.ID, r1.ElectionID)
	assert.False(t, r1.Replayed)
	assert.Len(t, r1.Tracker, 32)
	r2, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(2), Ballot: Ranked(3, 2), Place: "import-1", Channel: civickit.ChannelImport})
	require.NoError(t, err)
	assert.Equal(t, int64(1), r2.Index)
	assert.NotEqual(t, r1.Tracker, r2.Tracker)

	es := checkChain(t, v, e)
	require.Len(t, es, 2)
	assert.Equal(t, r1.Hash, es[0].Hash)
	assert.JSONEq(t, string(e.Canonical(Full(1))), string(es[0].Ballot))
	assert.Equal(t, civickit.ChannelWeb, es[0].Channel)
	assert.Equal(t, ballotbox.Entry{Index: 1, Tracker: r2.Tracker, Ballot: e.Canonical(Ranked(3, 2)), Channel: civickit.ChannelImport,
		Place: "import-1", Prev: r1.Hash, Hash: r2.Hash}, es[1])

	chk, err := v.svc.CheckReceipt(v.ctx, e.ID, r1.Tracker)
	require.NoError(t, err)
	assert.True(t, chk.Counted)
	assert.Empty(t, chk.ReplacedBy)
	assert.Equal(t, es[0], chk.Entry)
	assert.Equal(t, ballotbox.Head{Entries: 2, Hash: r2.Hash}, chk.Head)
	_, err = v.svc.CheckReceipt(v.ctx, e.ID, "no-such-tracker")
	assert.ErrorIs(t, err, ballotbox.ErrNotFound)

	n, err := v.st.CountVoters(v.ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	for i, want := range map[int]bool{1: true, 2: true, 3: false} {
		ok, err := v.st.HasVoted(v.ctx, e.ID, v.key(t, e, Voter(i).ID))
		require.NoError(t, err)
		assert.Equal(t, want, ok, "voter %d", i)
	}
	_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: uuid.New(), Voter: Voter(3), Ballot: Ranked(0)})
	assert.ErrorIs(t, err, ballotbox.ErrNotFound)
}

func (s *suite) testIdempotency(t *testing.T) {
	for _, revote := range []ballotbox.RevotePolicy{ballotbox.RevoteNone, ballotbox.RevoteLast} {
		t.Run(string(revote), func(t *testing.T) {
			v := s.env(t)
			e := v.election(t, NewElection(revote, ballotbox.VisibleLive))
			c := ballotbox.Cast{ElectionID: e.ID, Voter: Voter(7), Ballot: Full(3), IdempotencyKey: "req-1"}
			first, err := v.svc.Cast(v.ctx, c)
			require.NoError(t, err)
			snap := snapshot(t, v, e.ID)

			// The same ballot, written differently (tie order), is the same request.
			same := c
			same.Ballot = Full(3)
			again, err := v.svc.Cast(v.ctx, same)
			require.NoError(t, err)
			assert.True(t, again.Replayed)
			again.Replayed = false
			assert.Equal(t, first, again)

			other := c
			other.Ballot = Full(4)
			_, err = v.svc.Cast(v.ctx, other)
			assert.ErrorIs(t, err, ballotbox.ErrConflict)

			// The same key by another voter is another request.
			stranger := c
			stranger.Voter = Voter(8)
			r, err := v.svc.Cast(v.ctx, stranger)
			require.NoError(t, err)
			assert.False(t, r.Replayed)
			assert.NotEqual(t, first.Tracker, r.Tracker)

			// A replay after the close still answers.
			v.clock.Set(After)
			late, err := v.svc.Cast(v.ctx, same)
			require.NoError(t, err)
			assert.Equal(t, first.Tracker, late.Tracker)
			_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(7), Ballot: Full(3), IdempotencyKey: "req-2"})
			assert.ErrorIs(t, err, ballotbox.ErrClosed)

			after := snapshot(t, v, e.ID)
			assert.Equal(t, snap.Voters+1, after.Voters)
			assert.Equal(t, snap.Head.Entries+1, after.Head.Entries)
		})
	}
}

func (s *suite) testRevote(t *testing.T) {
	t.Run("First", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive))
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0, 1)})
		require.NoError(t, err)
		snap := snapshot(t, v, e.ID)
		// Another identifier spelling is the same voter; another channel too.
		again := Voter(1)
		again.ID = "id 000001"
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: again, Ballot: Ranked(1, 0), Channel: civickit.ChannelImport})
		assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted)
		assert.Equal(t, snap, snapshot(t, v, e.ID))
	})
	t.Run("Last", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
		r1, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0, 1)})
		require.NoError(t, err)
		_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(2), Ballot: Ranked(2)})
		require.NoError(t, err)
		r3, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(3, 1)})
		require.NoError(t, err)
		assert.Equal(t, r1.Tracker, r3.Replaces)
		es := checkChain(t, v, e)
		require.Len(t, es, 3)
		assert.Equal(t, r1.Tracker, es[2].Replaces)
		chk, err := v.svc.CheckReceipt(v.ctx, e.ID, r1.Tracker)
		require.NoError(t, err)
		assert.False(t, chk.Counted)
		assert.Equal(t, r3.Tracker, chk.ReplacedBy)
		n, err := v.st.CountVoters(v.ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		assertLiveEqualsRecount(t, v, e)
		tally, err := v.svc.LiveTally(v.ctx, e.ID, nil)
		require.NoError(t, err)
		in, err := tally.Input("mayor", nil)
		require.NoError(t, err)
		assert.Equal(t, int64(2), in.Ranked.Voters())
	})
	t.Run("LastWithAnotherSecret", func(t *testing.T) {
		v := s.env(t)
		e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleLive))
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(0, 1)})
		require.NoError(t, err)
		snap := snapshot(t, v, e.ID)
		other, err := ballotbox.NewService(v.st, ballotbox.Options{Now: v.clock.Now, Secret: []byte("another secret, also 32 bytes!!!")})
		require.NoError(t, err)
		for _, voter := range []int{1, 2} {
			_, err = other.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(voter), Ballot: Ranked(1, 0)})
			assert.ErrorIs(t, err, ballotbox.ErrSecretMismatch, "voter %d: keys of another secret would name no one: voter 1 would vote twice", voter)
			assert.ErrorIs(t, err, civickit.ErrConflict)
		}
		assert.Equal(t, snap, snapshot(t, v, e.ID))
	})
}

// ballotsThatBreak lists ballots invalid for the fixture election.
func ballotsThatBreak() map[string]ballotbox.Ballot {
	dup := Ranked(0, 1)
	dup.Answers[0].Ranking = voting.Ranking{{0}, {0}}
	over := Ranked(0)
	over.Answers = append(over.Answers, ballotbox.Answer{Question: "budget", Scores: []int{5, 5, 1}})
	grade := Ranked(0)
	grade.Answers = append(grade.Answers, ballotbox.Answer{Question: "park", Scores: []int{6, 0, 0}})
	unknown := Ranked(4)
	missing := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "park", Scores: []int{1, 2, 3}}}}
	kind := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "mayor", Scores: []int{1, 2, 3, 4}}}}
	extra := Ranked(0)
	extra.Answers = append(extra.Answers, ballotbox.Answer{Question: "zoo", Ranking: voting.Ranking{{0}}})
	return map[string]ballotbox.Ballot{"DuplicateRank": dup, "OverBudget": over, "GradeOutOfScale": grade,
		"UnknownCandidate": unknown, "MissingQuestion": missing, "ScoresForRanked": kind, "UnknownQuestion": extra}
}

func (s *suite) testRefusals(t *testing.T) {
	v := s.env(t)
	e := NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
	e.Eligibility = ballotbox.Eligibility{Census: true, Territories: []string{"75056"}, MinimumAge: 16,
		Assurance: civickit.AssuranceSubstantial}
	v.election(t, e)
	var ids []string
	for i := range 5 {
		ids = append(ids, Voter(i).ID)
	}
	_, err := v.svc.LoadCensus(v.ctx, e.ID, ids)
	require.NoError(t, err)
	_, err = v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(0), Ballot: Ranked(0)})
	require.NoError(t, err)
	snap := snapshot(t, v, e.ID)

	young := Voter(1)
	young.BirthDate = civickit.PartialDate{Year: 2010} // 16 only if born by 8 March 2010
	youngMonth := Voter(1)
	youngMonth.BirthDate = civickit.PartialDate{Year: 2010, Month: 3} // may be born after the 8th
	oldEnough := Voter(1)
	oldEnough.BirthDate = civickit.PartialDate{Year: 2010, Month: 3, Day: 8}
	noBirth := Voter(1)
	noBirth.BirthDate = civickit.PartialDate{}
	elsewhere := Voter(1)
	elsewhere.Territory = "69123"
	weak := Voter(1)
	weak.Assurance = civickit.AssuranceLow
	outsider := Voter(99)
	anonymous := Voter(1)
	anonymous.ID = " -- "

	for _, tc := range []struct {
		name  string
		voter ballotbox.Voter
		rule  string
	}{
		{"NotInCensus", outsider, "census"},
		{"Territory", elsewhere, "territory"},
		{"TooYoungByYear", young, "minimum_age"},
		{"TooYoungByMonth", youngMonth, "minimum_age"},
		{"NoBirthDate", noBirth, "minimum_age"},
		{"Assurance", weak, "assurance"},
		{"NoIdentifier", anonymous, "identifier"},
	} {
		t.Run("Ineligible/"+tc.name, func(t *testing.T) {
			_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: tc.voter, Ballot: Ranked(1)})
			var ee *ballotbox.EligibilityError
			require.ErrorAs(t, err, &ee)
			assert.ErrorIs(t, err, ballotbox.ErrNotEligible)
			assert.Equal(t, tc.rule, ee.Rule)
			assert.Equal(t, snap, snapshot(t, v, e.ID), "nothing written")
		})
	}
	for name, b := range ballotsThatBreak() {
		t.Run("InvalidBallot/"+name, func(t *testing.T) {
			_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: b})
			var be *ballotbox.BallotError
			require.ErrorAs(t, err, &be)
			assert.ErrorIs(t, err, ballotbox.ErrInvalidBallot)
			assert.Equal(t, snap, snapshot(t, v, e.ID), "nothing written")
		})
	}
	for _, tc := range []struct {
		name string
		at   time.Time
	}{{"BeforeOpening", Opens.Add(-time.Second)}, {"AtClosing", Closes}, {"AfterClosing", After}} {
		t.Run("Window/"+tc.name, func(t *testing.T) {
			v.clock.Set(tc.at)
			defer v.clock.Set(During)
			_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(1)})
			assert.ErrorIs(t, err, ballotbox.ErrClosed)
			assert.Equal(t, snap, snapshot(t, v, e.ID), "nothing written")
		})
	}
	t.Run("SecondVote", func(t *testing.T) {
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(0), Ballot: Ranked(2)})
		assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted)
		assert.Equal(t, snap, snapshot(t, v, e.ID), "nothing written")
	})
	t.Run("PaperChannelNeedsABatch", func(t *testing.T) {
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(1), Ballot: Ranked(2), Channel: civickit.ChannelPaper})
		assertField(t, err, "channel", "oneof")
		assert.Equal(t, snap, snapshot(t, v, e.ID), "nothing written")
	})
	t.Run("Eligible", func(t *testing.T) {
		_, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: oldEnough, Ballot: Ranked(1)})
		require.NoError(t, err, "born on 8 March 2010: 16 on the closing day")
	})
}

func (s *suite) testBoard(t *testing.T) {
	v := s.env(t)
	e := v.election(t, NewElection(ballotbox.RevoteLast, ballotbox.VisibleAfterClose))
	var last ballotbox.Receipt
	for i := range 12 {
		r, err := v.svc.Cast(v.ctx, ballotbox.Cast{ElectionID: e.ID, Voter: Voter(i % 8), Ballot: Full(i)})
		require.NoError(t, err)
		last = r
	}
	var buf bytes.Buffer
	assert.ErrorIs(t, v.svc.ExportBoard(v.ctx, e.ID, &buf), ballotbox.ErrHidden, "the board shows ballots: not before the close")
	assert.ErrorIs(t, v.svc.ExportBallots(v.ctx, e.ID, &buf), ballotbox.ErrHidden)
	h, err := v.svc.Head(v.ctx, e.ID)
	require.NoError(t, err, "the head is public at any time")
	assert.Equal(t, ballotbox.Head{Entries: 12, Hash: last.Hash}, h)

	v.clock.Set(After)
	buf.Reset()
	require.NoError(t, v.svc.ExportBoard(v.ctx, e.ID, &buf))
	br, err := ballotbox.NewBoardReader(&buf)
	require.NoError(t, err)
	assert.Equal(t, e.Public(), br.Header.Election)
	assert.Equal(t, ballotbox.GenesisHash(e.Public()), br.Header.Genesis)
	assert.Equal(t, h.Hash, br.Header.Head)
	assert.Equal(t, int64(12), br.Header.Entries)
	want := checkChain(t, v, e)
	for i := range want {
		got, err := br.Next()
		require.NoError(t, err)
		assert.Equal(t, want[i], got)
	}

	buf.Reset()
	require.NoError(t, v.svc.ExportBallots(v.ctx, e.ID, &buf))
	var prev string
	n := 0
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var c ballotbox.CountedBallot
		require.NoError(t, dec.Decode(&c))
		assert.Less(t, prev, c.Tracker, "sorted by tracker")
		prev = c.Tracker
		n++
	}
	assert.Equal(t, 8, n, "8 voters, the last ballot of each")

	// Anyone can recount the exported board: the chain verifies and its
	// tally gives the service's results.
	buf.Reset()
	require.NoError(t, v.svc.ExportBoard(v.ctx, e.ID, &buf))
	rep, err := ballotbox.Verify(&buf, voting.NewRegistry())
	require.NoError(t, err)
	assert.Equal(t, int64(12), rep.Entries)
	assert.Equal(t, int64(8), rep.Counted)
	res, err := v.svc.Results(v.ctx, e.ID, nil, nil)
	require.NoError(t, err)
	require.Len(t, rep.Results, len(res.Questions))
	for i, q := range res.Questions {
		require.NoError(t, rep.Results[i].Err)
		assert.Equal(t, q.Question, rep.Results[i].Question)
		assert.Equal(t, q.Result, rep.Results[i].Result, "question %s", q.Question)
	}
}
