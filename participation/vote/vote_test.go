package vote_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// clock is a settable clock shared by the services of a test.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// The fixture consultation's weeks (participationtest.NewConsultation):
// information, debate, reflection, expression, evaluation.
var (
	base       = participationtest.BaseTime
	debate     = base.Add(7 * 24 * time.Hour)
	expression = base.Add(21 * 24 * time.Hour)
	evaluating = base.Add(28 * 24 * time.Hour)
)

// sys is a consultation core, a ballot box gated by the vote Gate and
// the vote Service over SQLite stores.
type sys struct {
	clock *clock
	db    *storage.DB
	links *storage.VoteStore
	core  *participation.Service
	gate  *vote.Gate
	box   *ballotbox.Service
	votes *vote.Service
	evals *evaluation.Service
}

func newSys(t *testing.T) *sys {
	t.Helper()
	s := &sys{clock: &clock{}}
	s.clock.Set(debate.Add(time.Hour))
	s.db = storagetest.Open(t, storage.SQLite)
	var err error
	s.core, err = participation.NewService(storage.NewParticipationStore(s.db), participation.Options{
		Now: s.clock.Now, IdentitySecret: []byte("the deployment's identity secret, 32+ bytes")})
	require.NoError(t, err)
	s.links = storage.NewVoteStore(s.db)
	s.gate = vote.NewGate(s.links, s.core)
	s.box, err = ballotbox.NewService(storage.NewBallotBoxStore(s.db), ballotbox.Options{Anonymity: 1, // receipts checked at once: no anonymity set
		Now: s.clock.Now, Gate: s.gate, Secret: []byte("the ballot box's secret, 32 bytes or more")})
	require.NoError(t, err)
	s.votes, err = vote.NewService(s.links, s.core, s.box, vote.Options{Now: s.clock.Now})
	require.NoError(t, err)
	s.evals, err = evaluation.NewService(storage.NewEvaluationStore(s.db), s.core, evaluation.Options{
		Now: s.clock.Now, Outcomes: s.votes})
	require.NoError(t, err)
	return s
}

// consultation creates the fixture consultation (channels web and
// paper, minimum age 16) changed by edit, and opens it at phase at.
func (s *sys) consultation(t *testing.T, at participation.PhaseKind, edit func(c *participation.Consultation)) *participation.Consultation {
	t.Helper()
	in := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
	if edit != nil {
		edit(&in)
	}
	c, err := s.core.CreateConsultation(context.Background(), in)
	require.NoError(t, err)
	if at != "" {
		c, err = s.core.Transition(context.Background(), c.ID, participation.TransitionRequest{To: at, Actor: "organiser"})
		require.NoError(t, err)
	}
	return c
}

// participant registers an adult living in territory.
func (s *sys) participant(t *testing.T, territory string) uuid.UUID {
	t.Helper()
	p, err := s.core.RegisterParticipant(context.Background(), &participation.PersonalData{
		Territory: territory, BirthDate: civickit.PartialDate{Year: 1980, Month: 5, Day: 1}})
	require.NoError(t, err)
	return p.ID
}

func election(vis ballotbox.Visibility) ballotbox.Election {
	return ballotbox.Election{
		Title: "Aménagement de la place du Marché",
		Questions: []ballotbox.Question{{ID: "place", Title: "Quel aménagement ?", Method: "plurality",
			Candidates: []string{"Jardin", "Marché couvert", "Parking"}}},
		Revote: ballotbox.RevoteNone, Visibility: vis,
	}
}

func ballot(choice int) ballotbox.Ballot {
	return ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "place", Ranking: voting.Ranking{{choice}}}}}
}

func cast(e *ballotbox.Election, voter string, choice int) ballotbox.Cast {
	return ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: voter}, Ballot: ballot(choice)}
}

func (s *sys) entries(t *testing.T, e *ballotbox.Election) int64 {
	t.Helper()
	h, err := s.box.Head(context.Background(), e.ID)
	require.NoError(t, err)
	return h.Entries
}

func rules(err error) []string {
	var ve *civickit.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Path+":"+f.Rule)
	}
	return out
}

func TestCreateVote(t *testing.T) {
	ctx := context.Background()
	s := newSys(t)
	c := s.consultation(t, participation.PhaseDebate, nil)
	x := c.Phase(participation.PhaseExpression)

	e, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
	require.NoError(t, err)
	assert.True(t, e.Opens.Equal(x.Starts), "the window opens with the phase")
	assert.True(t, e.Closes.Equal(x.Ends), "and closes with it")
	l, err := s.links.GetLink(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, l.ConsultationID)
	stored, err := s.box.Election(ctx, e.ID)
	require.NoError(t, err)
	assert.True(t, stored.Opens.Equal(x.Starts))

	// The most guarded policies by default.
	in := election("")
	in.Revote = ""
	d, err := s.votes.CreateVote(ctx, c.ID, in)
	require.NoError(t, err)
	assert.Equal(t, ballotbox.RevoteNone, d.Revote)
	assert.Equal(t, ballotbox.VisibleAfterClose, d.Visibility)

	// The phase's dates given explicitly are accepted.
	in = election(ballotbox.VisibleLive)
	in.Opens, in.Closes = x.Starts.In(time.FixedZone("CET", 3600)), x.Ends
	_, err = s.votes.CreateVote(ctx, c.ID, in)
	require.NoError(t, err)

	tests := []struct {
		name  string
		edit  func(e *ballotbox.Election)
		rules []string
	}{
		{"a window of its own", func(e *ballotbox.Election) { e.Opens, e.Closes = x.Starts.Add(time.Hour), x.Ends.Add(-time.Hour) },
			[]string{"opens:phase_dates", "closes:phase_dates"}},
		{"eligibility of its own", func(e *ballotbox.Election) { e.Eligibility.Census = true }, []string{"eligibility:delegated"}},
		{"a territory", func(e *ballotbox.Election) { e.Eligibility.Territories = []string{"75056"} }, []string{"eligibility:delegated"}},
		{"an invalid election", func(e *ballotbox.Election) { e.Title = "" }, []string{"title:required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := election(ballotbox.VisibleAfterClose)
			in.ID = uuid.New()
			tt.edit(&in)
			_, err := s.votes.CreateVote(ctx, c.ID, in)
			require.ErrorIs(t, err, civickit.ErrInvalid)
			assert.ElementsMatch(t, tt.rules, rules(err))
			_, err = s.links.GetLink(ctx, in.ID)
			assert.ErrorIs(t, err, civickit.ErrNotFound, "nothing linked")
		})
	}

	t.Run("no expression phase", func(t *testing.T) {
		c := s.consultation(t, "", func(c *participation.Consultation) { c.Phases = c.Phases[:2] })
		_, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
		assert.Equal(t, []string{"consultation.phases:expression_phase"}, rules(err))
	})
	t.Run("an action table without the vote", func(t *testing.T) {
		c := s.consultation(t, "", func(c *participation.Consultation) {
			c.Settings.Actions = participation.DefaultActionTable()
			c.Settings.Actions[participation.PhaseExpression] = []participation.Action{participation.ActionRespond}
		})
		_, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
		assert.Equal(t, []string{"consultation.settings.actions.expression:allows"}, rules(err))
	})
	t.Run("the expression phase is over", func(t *testing.T) {
		c := s.consultation(t, participation.PhaseEvaluation, nil)
		_, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
		assert.ErrorIs(t, err, vote.ErrExpressionOver)
		assert.ErrorIs(t, err, civickit.ErrWrongState)
	})
	t.Run("an election linked already", func(t *testing.T) {
		in := election(ballotbox.VisibleAfterClose)
		in.ID = e.ID
		_, err := s.votes.CreateVote(ctx, c.ID, in)
		assert.ErrorIs(t, err, civickit.ErrConflict)
	})
	t.Run("unknown consultation", func(t *testing.T) {
		_, err := s.votes.CreateVote(ctx, uuid.New(), election(ballotbox.VisibleAfterClose))
		assert.ErrorIs(t, err, civickit.ErrNotFound)
	})
	t.Run("created during the expression phase, open at once", func(t *testing.T) {
		c := s.consultation(t, participation.PhaseExpression, nil) // early: the phase starts in two weeks
		e, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
		require.NoError(t, err)
		assert.True(t, e.Open(s.clock.Now()), "opened now")
		_, err = s.votes.Cast(ctx, c.ID, s.participant(t, "75056"), cast(e, "", 0))
		assert.NoError(t, err)
	})
	p, err := s.votes.ListVotes(ctx, c.ID, "", 0)
	require.NoError(t, err)
	assert.Len(t, p.Items, 3, "the consultation's three votes")
}

func TestGate(t *testing.T) {
	ctx := context.Background()
	s := newSys(t)
	c := s.consultation(t, participation.PhaseDebate, func(c *participation.Consultation) {
		c.Settings.Eligibility = participation.Eligibility{MinAge: 16, Territories: []string{"75056", "69123"}}
	})
	e, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
	require.NoError(t, err)
	alice := s.participant(t, "75056")

	// Before the expression phase: the phase refuses, nothing is written.
	_, err = s.box.Cast(ctx, cast(e, alice.String(), 0))
	var pe *participation.PhaseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, participation.PhaseError{Action: participation.ActionVote, Phase: participation.PhaseDebate}, *pe)
	assert.ErrorIs(t, err, civickit.ErrWrongState)
	assert.Zero(t, s.entries(t, e))
	_, err = s.box.OpenSession(ctx, e.ID, "agent-1", "mairie", civickit.ChannelPaper)
	assert.ErrorAs(t, err, &pe, "a session needs the phase")

	_, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
	require.NoError(t, err)

	young, err := s.core.RegisterParticipant(ctx, &participation.PersonalData{Territory: "75056",
		BirthDate: civickit.PartialDate{Year: 2015}})
	require.NoError(t, err)
	elsewhere := s.participant(t, "13055")
	tests := []struct {
		name  string
		cast  ballotbox.Cast
		check func(t *testing.T, err error)
	}{
		{"not a UUID", cast(e, "A-0042", 0), func(t *testing.T, err error) {
			assert.Equal(t, []string{"voter.id:uuid"}, rules(err))
		}},
		{"a URN, which another voter key would hide", cast(e, "urn:uuid:"+alice.String(), 0), func(t *testing.T, err error) {
			assert.Equal(t, []string{"voter.id:uuid"}, rules(err))
		}},
		{"the nil UUID", cast(e, uuid.Nil.String(), 0), func(t *testing.T, err error) {
			assert.Equal(t, []string{"voter.id:uuid"}, rules(err))
		}},
		{"no such participant", cast(e, uuid.New().String(), 0), func(t *testing.T, err error) {
			assert.ErrorIs(t, err, civickit.ErrNotFound)
		}},
		{"too young", cast(e, young.ID.String(), 0), func(t *testing.T, err error) {
			var ee *participation.EligibilityError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "min_age", ee.Rule)
		}},
		{"another territory", cast(e, elsewhere.String(), 0), func(t *testing.T, err error) {
			var ee *participation.EligibilityError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "territory", ee.Rule)
		}},
		{"a channel not offered", ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: alice.String()}, Ballot: ballot(0),
			Channel: civickit.ChannelImport, Place: "import"}, func(t *testing.T, err error) {
			assert.Equal(t, []string{"provenance.channel:offered"}, rules(err))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.box.Cast(ctx, tt.cast)
			require.Error(t, err)
			tt.check(t, err)
			assert.Zero(t, s.entries(t, e), "nothing written")
		})
	}
	_, err = s.box.OpenSession(ctx, e.ID, "agent-1", "mairie", civickit.ChannelKiosk)
	assert.Equal(t, []string{"provenance.channel:offered"}, rules(err), "a kiosk session where kiosks are not offered")

	// The participant's ID in upper case is the same voter.
	_, err = s.box.Cast(ctx, cast(e, alice.String(), 1))
	require.NoError(t, err)
	_, err = s.box.Cast(ctx, cast(e, "{"+uuidUpper(alice)+"}", 2))
	assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted)
	assert.EqualValues(t, 1, s.entries(t, e))

	// An election of the same box linked to no consultation is not
	// gated: anyone listed may vote.
	free := election(ballotbox.VisibleLive)
	free.Opens, free.Closes = s.clock.Now().Add(-time.Hour), s.clock.Now().Add(time.Hour)
	require.NoError(t, s.box.CreateElection(ctx, &free))
	_, err = s.box.Cast(ctx, cast(&free, "A-0042", 0))
	assert.NoError(t, err)

	// Paper: a session and a mark during the phase; the batch may be
	// keyed after the consultation left the phase.
	sess, err := s.box.OpenSession(ctx, e.ID, "agent-1", "mairie", civickit.ChannelPaper)
	require.NoError(t, err)
	bob := s.participant(t, "69123")
	_, err = s.box.MarkPaperVoter(ctx, sess.ID, ballotbox.Voter{ID: bob.String()}, "")
	require.NoError(t, err)
	_, err = s.box.MarkPaperVoter(ctx, sess.ID, ballotbox.Voter{ID: elsewhere.String()}, "")
	var ee *participation.EligibilityError
	assert.ErrorAs(t, err, &ee, "a paper voter is admitted as a web voter is")
	_, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "organiser"})
	require.NoError(t, err)
	_, err = s.box.MarkPaperVoter(ctx, sess.ID, ballotbox.Voter{ID: s.participant(t, "75056").String()}, "")
	assert.ErrorAs(t, err, &pe, "no mark after the phase")
	b, err := s.box.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "mairie", Sheets: 1})
	require.NoError(t, err, "paper is counted after the phase")
	b, err = s.box.KeyBatch(ctx, b.ID, "agent-2", []ballotbox.Sheet{{Ballot: &[]ballotbox.Ballot{ballot(0)}[0]}})
	require.NoError(t, err)
	assert.Equal(t, ballotbox.BatchCommitted, b.State)

	// Paper batches wait for the expression phase to begin.
	c2 := s.consultation(t, participation.PhaseDebate, nil)
	e2, err := s.votes.CreateVote(ctx, c2.ID, election(ballotbox.VisibleAfterClose))
	require.NoError(t, err)
	s.clock.Set(expression.Add(time.Hour)) // the window is open by its dates, the phase is not active
	_, err = s.box.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e2.ID, Place: "mairie", Sheets: 1})
	assert.ErrorAs(t, err, &pe)
}

// uuidUpper spells id in upper case.
func uuidUpper(id uuid.UUID) string {
	b := []byte(id.String())
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func TestServiceCast(t *testing.T) {
	ctx := context.Background()
	s := newSys(t)
	c := s.consultation(t, participation.PhaseDebate, nil)
	other := s.consultation(t, participation.PhaseDebate, nil)
	e, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
	require.NoError(t, err)
	alice := s.participant(t, "75056")

	_, err = s.votes.Cast(ctx, other.ID, alice, cast(e, "", 0))
	assert.ErrorIs(t, err, civickit.ErrNotFound, "not a vote of that consultation")
	_, err = s.votes.Cast(ctx, c.ID, alice, cast(e, "", 0))
	assert.ErrorIs(t, err, participation.ErrWrongPhase)

	// The organiser moves the consultation with the core alone: the
	// window has not opened, so Cast reconciles and tries again.
	_, err = s.core.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
	require.NoError(t, err)
	_, err = s.box.Cast(ctx, cast(e, alice.String(), 0))
	require.ErrorIs(t, err, ballotbox.ErrClosed, "the box alone does not know")
	r, err := s.votes.Cast(ctx, c.ID, alice, cast(e, "someone else", 0))
	require.NoError(t, err, "the voter is the participant, whatever the cast said")
	assert.EqualValues(t, 0, r.Index)
	_, err = s.box.Cast(ctx, cast(e, alice.String(), 1))
	assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted)
}

func TestReconcile(t *testing.T) {
	ctx := context.Background()
	s := newSys(t)
	c := s.consultation(t, participation.PhaseDebate, nil)
	e, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
	require.NoError(t, err)

	// Nothing to do: the window is the phase's.
	require.NoError(t, s.votes.Reconcile(ctx, c.ID))
	got, err := s.box.Election(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, e.Version, got.Version, "nothing written")

	// The organiser moves the expression phase by a day before it opens.
	in := *c
	for i := range in.Phases {
		if in.Phases[i].Kind == participation.PhaseExpression {
			in.Phases[i].Starts = in.Phases[i].Starts.Add(24 * time.Hour)
		}
	}
	c, err = s.core.UpdateConsultation(ctx, in)
	require.NoError(t, err)
	require.NoError(t, s.votes.Reconcile(ctx, c.ID))
	got, err = s.box.Election(ctx, e.ID)
	require.NoError(t, err)
	assert.True(t, got.Opens.Equal(c.Phase(participation.PhaseExpression).Starts), "the window follows the phase")
	require.NoError(t, s.votes.Reconcile(ctx, c.ID))
	again, err := s.box.Election(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, got.Version, again.Version, "a second Reconcile writes nothing")

	// Closed from an earlier phase: the election never opens.
	_, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{Actor: "organiser", Note: "annulée"})
	require.NoError(t, err)
	s.clock.Set(expression.Add(48 * time.Hour))
	got, err = s.box.Election(ctx, e.ID)
	require.NoError(t, err)
	assert.True(t, got.Closed(s.clock.Now()))
	assert.False(t, got.Open(s.clock.Now()))
}

// A consultation that follows its schedule needs no Transition: the
// window is the phase, and Reconcile finds nothing to do.
func TestScheduled(t *testing.T) {
	ctx := context.Background()
	s := newSys(t)
	c := s.consultation(t, "", func(c *participation.Consultation) { c.Settings.Schedule = true })
	e, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
	require.NoError(t, err)
	alice := s.participant(t, "75056")
	_, err = s.box.Cast(ctx, cast(e, alice.String(), 0))
	assert.ErrorIs(t, err, participation.ErrWrongPhase, "in the debate week")

	s.clock.Set(expression.Add(time.Minute))
	_, err = s.box.Cast(ctx, cast(e, alice.String(), 0))
	require.NoError(t, err)
	res, err := s.votes.Results(ctx, c.ID, uuid.Nil)
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.True(t, res[0].Hidden)
	got, err := s.box.Election(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, e.Version, got.Version, "Reconcile wrote nothing")

	s.clock.Set(evaluating.Add(time.Minute))
	_, err = s.box.Cast(ctx, cast(e, s.participant(t, "75056").String(), 0))
	assert.ErrorIs(t, err, participation.ErrWrongPhase, "in the evaluation week")
	res, err = s.votes.Results(ctx, c.ID, uuid.Nil)
	require.NoError(t, err)
	require.False(t, res[0].Hidden)
	assert.True(t, res[0].Results.Final)
	assert.EqualValues(t, 1, res[0].Results.Questions[0].Result.Ballots)
}

func TestResultsAndOutcomes(t *testing.T) {
	ctx := context.Background()
	s := newSys(t)
	c := s.consultation(t, participation.PhaseExpression, nil)
	hidden, err := s.votes.CreateVote(ctx, c.ID, election(ballotbox.VisibleAfterClose))
	require.NoError(t, err)
	afterVote := election(ballotbox.VisibleAfterVote)
	afterVote.Title = "Nom de la place"
	afterVote.Questions[0].ID, afterVote.Questions[0].Title = "name", "Quel nom ?"
	afterVote.Questions[0].Candidates = []string{"Olympe de Gouges", "Des Tilleuls"}
	named, err := s.votes.CreateVote(ctx, c.ID, afterVote)
	require.NoError(t, err)

	people := make([]uuid.UUID, 5)
	for i := range people {
		people[i] = s.participant(t, "75056")
		_, err = s.votes.Cast(ctx, c.ID, people[i], cast(hidden, "", i%3/2*2)) // Jardin x4, Parking x1
		require.NoError(t, err)
	}
	_, err = s.votes.Cast(ctx, c.ID, people[0], ballotbox.Cast{ElectionID: named.ID,
		Ballot: ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "name", Ranking: voting.Ranking{{0}}}}}})
	require.NoError(t, err)

	res, err := s.votes.Results(ctx, c.ID, uuid.Nil)
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.True(t, res[0].Hidden && res[1].Hidden, "the public sees nothing before the close")
	res, err = s.votes.Results(ctx, c.ID, people[0])
	require.NoError(t, err)
	assert.True(t, res[0].Hidden, "after_close: not even a voter")
	require.False(t, res[1].Hidden, "after_vote: the voter sees")
	assert.False(t, res[1].Results.Final)
	res, err = s.votes.Results(ctx, c.ID, people[1])
	require.NoError(t, err)
	assert.True(t, res[1].Hidden, "after_vote: not one who did not vote")

	ev, err := s.evals.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, ev.Outcomes, "nothing leaks into the evaluation before the close")

	_, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "organiser"})
	require.NoError(t, err)
	ev, err = s.evals.Evaluation(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, []evaluation.Outcome{
		{Source: evaluation.SourceVote, ElectionID: hidden.ID, ElectionTitle: hidden.Title, QuestionID: "place",
			QuestionTitle: "Quel aménagement ?", Method: "plurality", Winners: []string{"Jardin"}, Elected: []string{"Jardin"},
			Ballots: 5, Final: true},
		{Source: evaluation.SourceVote, ElectionID: named.ID, ElectionTitle: "Nom de la place", QuestionID: "name",
			QuestionTitle: "Quel nom ?", Method: "plurality", Winners: []string{"Olympe de Gouges"}, Elected: []string{"Olympe de Gouges"},
			Ballots: 1, Final: true},
	}, ev.Outcomes)
}
