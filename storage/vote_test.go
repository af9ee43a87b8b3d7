package storage_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/participation/vote/votetest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// TestVoteStore runs the vote conformance suite on every engine.
func TestVoteStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		votetest.TestStore(t, func(t *testing.T) (vote.Store, participation.Store) {
			db := storagetest.Open(t, e)
			return storage.NewVoteStore(db), storage.NewParticipationStore(db)
		})
	})
}

// The scenarios below run a consultation whose expression step is a
// vote over the real stores of one database: the consultation core, the
// ballot box gated by vote.Gate, the vote Service and the evaluation.

// voteClock is the settable clock every service of a scenario shares.
type voteClock struct{ ns atomic.Int64 }

func (c *voteClock) Now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *voteClock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// The weeks of participationtest.NewConsultation's phases.
var (
	voteDebateWeek     = participationtest.BaseTime.Add(7 * 24 * time.Hour)
	voteExpressionWeek = participationtest.BaseTime.Add(21 * 24 * time.Hour)
	voteEvaluationWeek = participationtest.BaseTime.Add(28 * 24 * time.Hour)
)

type voteSystem struct {
	db    *storage.DB
	clock *voteClock
	core  *participation.Service
	box   *ballotbox.Service
	votes *vote.Service
	evals *evaluation.Service
}

func newVoteSystem(t *testing.T, engine storage.Engine) *voteSystem {
	t.Helper()
	s := &voteSystem{db: storagetest.Open(t, engine), clock: &voteClock{}}
	s.clock.Set(voteDebateWeek.Add(time.Hour))
	var err error
	s.core, err = participation.NewService(storage.NewParticipationStore(s.db), participation.Options{
		Now: s.clock.Now, IdentitySecret: []byte("a deployment's identity secret, 32+ bytes long")})
	require.NoError(t, err)
	links := storage.NewVoteStore(s.db)
	gate := vote.NewGate(links, s.core)
	s.box, err = ballotbox.NewService(storage.NewBallotBoxStore(s.db), ballotbox.Options{Anonymity: 1, // board entries checked at once: no anonymity set
		Now: s.clock.Now, Gate: gate, Secret: []byte("the ballot box's own secret, 32+ bytes")})
	require.NoError(t, err)
	s.votes, err = vote.NewService(links, s.core, s.box, vote.Options{Now: s.clock.Now})
	require.NoError(t, err)
	s.evals, err = evaluation.NewService(storage.NewEvaluationStore(s.db), s.core, evaluation.Options{
		Now: s.clock.Now, Outcomes: s.votes})
	require.NoError(t, err)
	return s
}

// consultation creates the fixture consultation changed by edit and, when
// at is set, moves it there by hand.
func (s *voteSystem) consultation(t *testing.T, at participation.PhaseKind, edit func(c *participation.Consultation)) *participation.Consultation {
	t.Helper()
	ctx := context.Background()
	in := *participationtest.NewConsultation(participationtest.NewRand(7), 0)
	if edit != nil {
		edit(&in)
	}
	c, err := s.core.CreateConsultation(ctx, in)
	require.NoError(t, err)
	if at != "" {
		c, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{To: at, Actor: "organiser"})
		require.NoError(t, err)
	}
	return c
}

func (s *voteSystem) participant(t *testing.T, territory string, born civickit.PartialDate) uuid.UUID {
	t.Helper()
	p, err := s.core.RegisterParticipant(context.Background(), &participation.PersonalData{Territory: territory, BirthDate: born})
	require.NoError(t, err)
	return p.ID
}

func (s *voteSystem) adults(t *testing.T, n int) []uuid.UUID {
	t.Helper()
	out := make([]uuid.UUID, n)
	for i := range out {
		out[i] = s.participant(t, "75056", civickit.PartialDate{Year: 1950 + i%50})
	}
	return out
}

// boxRows counts the rows of the ballot box's tables that a ballot or a
// mark writes, and of its census.
func (s *voteSystem) boxRows(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"ballotbox_register", "ballotbox_ballots", "ballotbox_entries", "ballotbox_counts",
		"ballotbox_places", "ballotbox_census"} {
		var n int
		require.NoError(t, s.db.Bun().NewRaw("SELECT COUNT(*) FROM ?", bun.Ident(s.db.TableName(table))).
			Scan(context.Background(), &n))
		out[table] = n
	}
	return out
}

func voteElection(vis ballotbox.Visibility) ballotbox.Election {
	return ballotbox.Election{
		Title: "Aménagement de la place du Marché",
		Questions: []ballotbox.Question{{ID: "place", Title: "Quel aménagement ?", Method: "plurality",
			Candidates: []string{"Jardin", "Marché couvert", "Parking"}}},
		Revote: ballotbox.RevoteNone, Visibility: vis,
	}
}

func voteBallot(choice int) ballotbox.Ballot {
	return ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "place", Ranking: voting.Ranking{{choice}}}}}
}

// voteOutcome is the evaluation's outcome of the fixture question.
func voteOutcome(e *ballotbox.Election, winner string, ballots int64) evaluation.Outcome {
	return evaluation.Outcome{Source: evaluation.SourceVote, ElectionID: e.ID, ElectionTitle: e.Title,
		QuestionID: "place", QuestionTitle: "Quel aménagement ?", Method: "plurality",
		Winners: []string{winner}, Elected: []string{winner}, Ballots: ballots, Final: true}
}

// TestVotePhases: a cast outside the expression phase is refused with a
// phase error and writes nothing; the organiser opens the phase early and
// casts (with replays) are accepted, once per person; the organiser moves
// on early and casts are refused again, the election closed, its results
// (after the close) readable and shown in the evaluation, not before.
func TestVotePhases(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := context.Background()
		s := newVoteSystem(t, engine)
		c := s.consultation(t, participation.PhaseDebate, nil)
		e, err := s.votes.CreateVote(ctx, c.ID, voteElection(ballotbox.VisibleAfterClose))
		require.NoError(t, err)
		people := s.adults(t, 12)
		empty := s.boxRows(t)
		require.Equal(t, map[string]int{"ballotbox_register": 0, "ballotbox_ballots": 0, "ballotbox_entries": 0,
			"ballotbox_counts": 0, "ballotbox_places": 0, "ballotbox_census": 0}, empty)

		refusedAll := func(phase participation.PhaseKind) {
			t.Helper()
			var wg sync.WaitGroup
			errs := make([]error, len(people))
			for i, p := range people {
				wg.Go(func() {
					_, errs[i] = s.votes.Cast(ctx, c.ID, p, ballotbox.Cast{ElectionID: e.ID, Ballot: voteBallot(0), IdempotencyKey: "k"})
				})
			}
			wg.Wait()
			for _, err := range errs {
				var pe *participation.PhaseError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, participation.PhaseError{Action: participation.ActionVote, Phase: phase}, *pe)
				assert.ErrorIs(t, err, civickit.ErrWrongState)
			}
		}

		// In the debate: refused, nothing written.
		refusedAll(participation.PhaseDebate)
		_, err = s.box.OpenSession(ctx, e.ID, "agent-1", "mairie", civickit.ChannelPaper)
		assert.ErrorIs(t, err, participation.ErrWrongPhase)
		assert.Equal(t, empty, s.boxRows(t), "board, register and counts unchanged")
		res, err := s.votes.Results(ctx, c.ID, uuid.Nil)
		require.NoError(t, err)
		require.Len(t, res, 1)
		assert.True(t, res[0].Hidden)

		// The organiser opens the expression step a fortnight early.
		_, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseExpression, Actor: "organiser"})
		require.NoError(t, err)
		opened, err := s.box.Election(ctx, e.ID)
		require.NoError(t, err)
		assert.True(t, opened.Open(s.clock.Now()), "the election opened with the phase")

		// Every person casts three times at once with one idempotency
		// key, and once more with another: one ballot each.
		type outcome struct {
			trackers map[string]int
			already  int
		}
		outs := make([]outcome, len(people))
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i, p := range people {
			outs[i].trackers = map[string]int{}
			for try := range 4 {
				wg.Go(func() {
					key := "form-1"
					if try == 3 {
						key = "form-2"
					}
					r, err := s.votes.Cast(ctx, c.ID, p, ballotbox.Cast{ElectionID: e.ID, Ballot: voteBallot([]int{0, 0, 2}[i%3]), IdempotencyKey: key})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						outs[i].trackers[r.Tracker]++
					case assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted):
						outs[i].already++
					}
				})
			}
		}
		wg.Wait()
		for i, o := range outs {
			require.Len(t, o.trackers, 1, "person %d: one ballot", i)
			for _, n := range o.trackers {
				assert.Equal(t, 4, n+o.already, "person %d: every request answered", i)
				assert.GreaterOrEqual(t, n, 1)
			}
		}
		cast := s.boxRows(t)
		assert.Equal(t, len(people), cast["ballotbox_register"], "one register entry a person")
		assert.Equal(t, len(people), cast["ballotbox_entries"], "one board entry a person")
		assert.Zero(t, cast["ballotbox_census"], "no census in the ballot box")
		res, err = s.votes.Results(ctx, c.ID, uuid.Nil)
		require.NoError(t, err)
		assert.True(t, res[0].Hidden, "after_close: hidden while the vote is open")
		ev, err := s.evals.Evaluation(ctx, c.ID)
		require.NoError(t, err)
		assert.Empty(t, ev.Outcomes, "and absent from the evaluation")

		// The organiser moves on early to the evaluation.
		s.clock.Set(s.clock.Now().Add(time.Hour))
		_, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "organiser"})
		require.NoError(t, err)
		people = append(people, s.adults(t, 3)...) // latecomers, refused as the others are
		refusedAll(participation.PhaseEvaluation)
		assert.Equal(t, cast, s.boxRows(t), "nothing written after the phase")
		closed, err := s.box.Election(ctx, e.ID)
		require.NoError(t, err)
		require.NotNil(t, closed.ClosedAt)
		assert.True(t, closed.ClosedAt.Equal(s.clock.Now()), "closed when the phase ended")

		res, err = s.votes.Results(ctx, c.ID, uuid.Nil)
		require.NoError(t, err)
		require.False(t, res[0].Hidden, "readable after the close")
		assert.True(t, res[0].Results.Final)
		r := res[0].Results.Questions[0].Result
		assert.EqualValues(t, 12, r.Ballots)
		assert.Equal(t, []int{0}, r.Elected)
		ev, err = s.evals.Evaluation(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, []evaluation.Outcome{voteOutcome(e, "Jardin", 12)}, ev.Outcomes)
	})
}

// TestVoteScheduled: a consultation that follows its dates opens and
// closes its vote with no transition by hand and no reconciling write.
func TestVoteScheduled(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := context.Background()
		s := newVoteSystem(t, engine)
		c := s.consultation(t, "", func(c *participation.Consultation) { c.Settings.Schedule = true })
		e, err := s.votes.CreateVote(ctx, c.ID, voteElection(ballotbox.VisibleAfterClose))
		require.NoError(t, err)
		people := s.adults(t, 5)
		vote := func(p uuid.UUID) error {
			_, err := s.box.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: p.String()}, Ballot: voteBallot(1)})
			return err
		}
		assert.ErrorIs(t, vote(people[0]), participation.ErrWrongPhase, "the debate week")

		s.clock.Set(voteExpressionWeek.Add(time.Minute))
		var wg sync.WaitGroup
		for _, p := range people[:4] {
			wg.Go(func() { assert.NoError(t, vote(p)) })
		}
		wg.Wait()
		ev, err := s.evals.Evaluation(ctx, c.ID)
		require.NoError(t, err)
		assert.Empty(t, ev.Outcomes)

		s.clock.Set(voteEvaluationWeek.Add(time.Minute))
		assert.ErrorIs(t, vote(people[4]), participation.ErrWrongPhase, "the evaluation week")
		ev, err = s.evals.Evaluation(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, []evaluation.Outcome{voteOutcome(e, "Marché couvert", 4)}, ev.Outcomes)
		got, err := s.box.Election(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, got.Version, "the window was the phase's: nothing to reconcile")
		assert.Nil(t, got.ClosedAt)
	})
}

// TestVoteEligibility: who may vote is the consultation's eligibility,
// through its one identity model — census claims, territory, age — with
// no census in the ballot box and no identifier in clear anywhere; one
// census identity makes at most one voter.
func TestVoteEligibility(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := context.Background()
		s := newVoteSystem(t, engine)
		const roll = "liste-electorale-2025"
		onRoll := []string{"RO-7731-QX", "RO-7732-QX", "RO-7733-QX"}
		require.NoError(t, s.core.AddCensusEntries(ctx, roll, onRoll))
		c := s.consultation(t, participation.PhaseExpression, func(c *participation.Consultation) {
			c.Settings.Eligibility = participation.Eligibility{CensusList: roll, Territories: []string{"75056"}, MinAge: 18}
		})
		e, err := s.votes.CreateVote(ctx, c.ID, voteElection(ballotbox.VisibleLive))
		require.NoError(t, err)
		adult := civickit.PartialDate{Year: 1980}
		claimed := func(territory string, born civickit.PartialDate, identifier string) uuid.UUID {
			p := s.participant(t, territory, born)
			if identifier != "" {
				_, err := s.core.ClaimCensus(ctx, p, roll, identifier)
				require.NoError(t, err)
			}
			return p
		}
		voter := claimed("75056", adult, onRoll[0])

		// The same person registered twice races to claim their identity:
		// one participant holds it.
		twins := []uuid.UUID{s.participant(t, "75056", adult), s.participant(t, "75056", adult)}
		claims := make([]error, 2)
		var wg sync.WaitGroup
		for i, p := range twins {
			wg.Go(func() { _, claims[i] = s.core.ClaimCensus(ctx, p, roll, []string{onRoll[1], "ro 7732 qx"}[i]) })
		}
		wg.Wait()
		require.True(t, (claims[0] == nil) != (claims[1] == nil), "one claim wins: %v", claims)
		winner, loser := twins[0], twins[1]
		if claims[0] != nil {
			winner, loser = loser, winner
		}

		refusals := []struct {
			name string
			who  uuid.UUID
			rule string
		}{
			{"no census claim", claimed("75056", adult, ""), "census"},
			{"claimed an identity off the roll", claimed("75056", adult, "RO-9999-ZZ"), "census"},
			{"lost the race for the identity", loser, "census"},
			{"another territory", claimed("13055", adult, onRoll[2]), "territory"},
			{"too young", claimed("75056", civickit.PartialDate{Year: 2015}, ""), "min_age"},
		}
		before := s.boxRows(t)
		for _, tt := range refusals {
			_, err := s.votes.Cast(ctx, c.ID, tt.who, ballotbox.Cast{ElectionID: e.ID, Ballot: voteBallot(0)})
			var ee *participation.EligibilityError
			require.ErrorAs(t, err, &ee, tt.name)
			assert.Equal(t, tt.rule, ee.Rule, tt.name)
			assert.ErrorIs(t, err, civickit.ErrForbidden, tt.name)
		}
		assert.Equal(t, before, s.boxRows(t), "refusals write nothing")
		for _, p := range []uuid.UUID{voter, winner} {
			_, err := s.votes.Cast(ctx, c.ID, p, ballotbox.Cast{ElectionID: e.ID, Ballot: voteBallot(2)})
			require.NoError(t, err)
		}
		res, err := s.votes.Results(ctx, c.ID, uuid.Nil)
		require.NoError(t, err)
		assert.EqualValues(t, 2, res[0].Results.Questions[0].Result.Ballots, "live results")

		rows := s.boxRows(t)
		assert.Zero(t, rows["ballotbox_census"], "no census was loaded into the ballot box")
		assert.Equal(t, 2, rows["ballotbox_register"])
		for _, id := range append(onRoll, "RO-9999-ZZ") {
			assertNowhere(t, s.db, civickit.NormalizeIdentifier(id))
		}
	})
}

// TestVoteExactlyOnce: one person votes once across the web, kiosks and
// paper, whatever the order of arrival, under concurrent requests; paper
// sheets at a place beyond the voters marked there are held as excess;
// a channel the consultation does not offer is refused.
func TestVoteExactlyOnce(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := context.Background()
		s := newVoteSystem(t, engine)
		c := s.consultation(t, participation.PhaseExpression, func(c *participation.Consultation) {
			c.Settings.Channels = []civickit.Channel{civickit.ChannelWeb, civickit.ChannelKiosk, civickit.ChannelPaper}
		})
		e, err := s.votes.CreateVote(ctx, c.ID, voteElection(ballotbox.VisibleAfterClose))
		require.NoError(t, err)
		kiosk, err := s.box.OpenSession(ctx, e.ID, "agent-k", "bm-part-dieu", civickit.ChannelKiosk)
		require.NoError(t, err)
		paper, err := s.box.OpenSession(ctx, e.ID, "agent-p", "mairie", civickit.ChannelPaper)
		require.NoError(t, err)
		web := func(p uuid.UUID, key string) error {
			_, err := s.votes.Cast(ctx, c.ID, p, ballotbox.Cast{ElectionID: e.ID, Ballot: voteBallot(0), IdempotencyKey: key})
			return err
		}
		atKiosk := func(p uuid.UUID, key string) error {
			_, err := s.votes.Cast(ctx, c.ID, p, ballotbox.Cast{ElectionID: e.ID, Ballot: voteBallot(1), IdempotencyKey: key,
				Channel: civickit.ChannelKiosk, Session: kiosk.ID})
			return err
		}
		mark := func(p uuid.UUID, key string) error {
			_, err := s.box.MarkPaperVoter(ctx, paper.ID, ballotbox.Voter{ID: p.String()}, key)
			return err
		}

		// The web first, then a kiosk and the polling place.
		people := s.adults(t, 2)
		require.NoError(t, web(people[0], ""))
		assert.ErrorIs(t, atKiosk(people[0], ""), ballotbox.ErrAlreadyVoted)
		assert.ErrorIs(t, mark(people[0], ""), ballotbox.ErrAlreadyVoted)
		// The polling place first, then the web and a kiosk.
		require.NoError(t, mark(people[1], ""))
		assert.ErrorIs(t, web(people[1], ""), ballotbox.ErrAlreadyVoted)
		assert.ErrorIs(t, atKiosk(people[1], ""), ballotbox.ErrAlreadyVoted)

		// Channels the consultation does not offer.
		_, err = s.box.OpenSession(ctx, e.ID, "agent-m", "marché", civickit.ChannelMediator)
		assert.Equal(t, []civickit.FieldError{{Path: "provenance.channel", Rule: "offered", Param: "mediator"}}, civickit.FieldErrors(err))
		_, err = s.votes.Cast(ctx, c.ID, s.adults(t, 1)[0], ballotbox.Cast{ElectionID: e.ID, Ballot: voteBallot(0),
			Channel: civickit.ChannelImport, Place: "import-2025"})
		assert.Equal(t, []civickit.FieldError{{Path: "provenance.channel", Rule: "offered", Param: "import"}}, civickit.FieldErrors(err))

		// Many people, each arriving at once through every channel, the
		// web twice with one key: one of their requests wins.
		crowd := s.adults(t, 16)
		channels := []string{"web", "web", "kiosk", "paper"}
		type result struct {
			channel string
			err     error
		}
		results := make([][]result, len(crowd))
		var wg sync.WaitGroup
		for i, p := range crowd {
			results[i] = make([]result, len(channels))
			for j, ch := range channels {
				wg.Go(func() {
					key := fmt.Sprintf("%s-%d", ch, i)
					var err error
					switch ch {
					case "web":
						err = web(p, key)
					case "kiosk":
						err = atKiosk(p, key)
					default:
						err = mark(p, key)
					}
					results[i][j] = result{ch, err}
				})
			}
		}
		wg.Wait()
		paperWinners := 0
		for i, rs := range results {
			won := map[string]bool{}
			for _, r := range rs {
				if r.err == nil {
					won[r.channel] = true
					continue
				}
				assert.ErrorIs(t, r.err, ballotbox.ErrAlreadyVoted, "person %d, %s", i, r.channel)
			}
			require.Len(t, won, 1, "person %d: one channel wins: %v", i, rs)
			if won["paper"] {
				paperWinners++
			}
		}
		rows := s.boxRows(t)
		assert.Equal(t, 2+len(crowd), rows["ballotbox_register"], "one register entry a person")

		// The polling place's sheets: one per voter marked there
		// (people[1] and the crowd's paper winners), and one sheet more,
		// which is held as excess, never counted.
		marked := 1 + paperWinners
		sheets := make([]ballotbox.Sheet, marked+1)
		for i := range sheets {
			b := voteBallot(2)
			sheets[i] = ballotbox.Sheet{Ballot: &b}
		}
		b, err := s.box.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: "mairie", Sheets: len(sheets)})
		require.NoError(t, err)
		b, err = s.box.KeyBatch(ctx, b.ID, "agent-p2", sheets)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchExcess, b.State)
		assert.Equal(t, []int{marked}, b.Excesses())
		places, err := s.box.ListPlaces(ctx, e.ID, "", 0)
		require.NoError(t, err)
		require.Len(t, places.Items, 1)
		assert.Equal(t, marked, int(places.Items[0].Marked))
		assert.Equal(t, marked, int(places.Items[0].Sheets))

		// After the phase, every person counts once.
		s.clock.Set(s.clock.Now().Add(time.Hour))
		_, err = s.votes.Transition(ctx, c.ID, participation.TransitionRequest{To: participation.PhaseEvaluation, Actor: "organiser"})
		require.NoError(t, err)
		res, err := s.votes.Results(ctx, c.ID, uuid.Nil)
		require.NoError(t, err)
		require.False(t, res[0].Hidden)
		assert.EqualValues(t, 2+len(crowd), res[0].Results.Questions[0].Result.Ballots, "one ballot a person, the excess sheet left out")
	})
}
