package ballotboxtest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
)

// Exactly once per person across channels. A person may try every
// channel: an identified ballot (web, kiosk), and at a polling place a
// mark by the clerk and a paper sheet in the box, which they may slip in
// even when the clerk refused to mark them. Paper sheets are anonymous, so
// the box holds the line per place: the sheets counted there never
// outnumber the voters marked there, whatever the order in which casts,
// marks and batches arrive; the rest wait as excess.

// ExactlyOncePersons is how many persons each scenario has.
const ExactlyOncePersons = 24

// The polling place of the scenarios.
const place = "Bureau 5"

// person returns the voter of person i (voters from 500 on: apart from
// the other scenarios' voters).
func person(i int) ballotbox.Voter { return Voter(500 + i) }

// identified casts person i's identified ballot: on the web, or through
// the access point's session (a kiosk, a mediator) when point is set.
func identified(v *env, e *ballotbox.Election, i int, point *ballotbox.Session) error {
	c := ballotbox.Cast{ElectionID: e.ID, Voter: person(i), Ballot: Full(i), IdempotencyKey: fmt.Sprint("id-", i)}
	if point != nil {
		c.Channel, c.Session = point.Channel, point.ID
	}
	_, err := v.svc.Cast(v.ctx, c)
	return err
}

// mark marks person i at the polling place.
func mark(v *env, station *ballotbox.Session, i int) error {
	_, err := v.svc.MarkPaperVoter(v.ctx, station.ID, person(i), fmt.Sprint("mark-", i))
	return err
}

// batch creates a batch of the given persons' sheets at the polling place.
func batch(t *testing.T, v *env, e *ballotbox.Election, persons []int) *ballotbox.Batch {
	t.Helper()
	b, err := v.svc.CreateBatch(v.ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: place, Sheets: len(persons)})
	require.NoError(t, err)
	return b
}

// key keys a batch with the given persons' sheets (person i's sheet
// carries ballot Full(1000+i)).
func key(v *env, b *ballotbox.Batch, persons []int) (*ballotbox.Batch, error) {
	sheets := make([]ballotbox.Sheet, len(persons))
	for j, i := range persons {
		bl := Full(1000 + i)
		sheets[j] = ballotbox.Sheet{Ballot: &bl}
	}
	return v.svc.KeyBatch(v.ctx, b.ID, "agent-"+b.ID.String()[:4], sheets)
}

// concurrently runs fn(i) for i in [0, n) at the same moment and returns
// the errors.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// accepted counts the nil errors; every other one must match one of ok.
func accepted(t *testing.T, errs []error, what string, ok ...error) int {
	t.Helper()
	n := 0
	for i, err := range errs {
		if err == nil {
			n++
			continue
		}
		matched := false
		for _, want := range ok {
			matched = matched || assert.ErrorIs(t, err, want)
		}
		if !matched {
			assert.NoError(t, err, "%s %d", what, i)
		}
	}
	return n
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// once checks the outcome of a scenario in which persons persons each
// voted in at least one channel: exactly one counted ballot per person,
// no paper ballot counted beyond the voters marked at the place, every
// held sheet flagged, and live counts equal to a recount of the board.
// It returns the place's counters.
func once(t *testing.T, v *env, e *ballotbox.Election, persons int, batches ...uuid.UUID) ballotbox.PlaceCount {
	t.Helper()
	es := checkChain(t, v, e)
	counted := countedTrackers(es)
	var onPaper, identified int
	for _, en := range es {
		if !counted[en.Tracker] {
			continue
		}
		if en.Channel == civickit.ChannelPaper {
			assert.Equal(t, place, en.Place)
			onPaper++
		} else {
			identified++
		}
	}
	pc := v.places(t, e.ID)[place]
	assert.LessOrEqual(t, pc.Sheets, pc.Marked, "sheets counted never outnumber the voters marked")
	assert.Equal(t, int64(onPaper), pc.Sheets, "every sheet counted is on the board once")
	assert.Equal(t, persons, identified+onPaper, "exactly one counted ballot per person: %d identified, %d on paper", identified, onPaper)
	voters, err := v.st.CountVoters(v.ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(persons), voters, "every person is in the register once")
	assert.Equal(t, int64(identified)+pc.Marked, voters, "a person is registered by their identified ballot or by their mark")

	var sheets, excess, committed int
	for _, id := range batches {
		b, err := v.svc.Batch(v.ctx, id)
		require.NoError(t, err)
		sheets += b.Sheets
		excess += len(b.Excesses())
		for _, it := range b.Items {
			if it.Committed {
				committed++
				assert.False(t, it.Excess)
			}
		}
		if len(b.Excesses()) > 0 {
			assert.Equal(t, ballotbox.BatchExcess, b.State)
		} else {
			assert.Equal(t, ballotbox.BatchCommitted, b.State)
		}
	}
	assert.Equal(t, int(pc.Sheets), committed, "committed sheets are the sheets counted")
	assert.Equal(t, sheets-committed, excess, "every sheet not counted is flagged as excess")
	assertLiveEqualsRecount(t, v, e)
	return pc
}

func (s *suite) testExactlyOnce(t *testing.T) {
	const n = ExactlyOncePersons
	// setup returns an election with a paper polling place and two
	// access points for identified ballots: a kiosk and a mediator.
	setup := func(t *testing.T, revote ballotbox.RevotePolicy) (*env, *ballotbox.Election, *ballotbox.Session, [2]*ballotbox.Session) {
		v := s.env(t)
		e := v.election(t, NewElection(revote, ballotbox.VisibleLive))
		station, err := v.svc.OpenSession(v.ctx, e.ID, "clerk", place, civickit.ChannelPaper)
		require.NoError(t, err)
		kiosk, err := v.svc.OpenSession(v.ctx, e.ID, "operator", "Kiosque", civickit.ChannelKiosk)
		require.NoError(t, err)
		mediator, err := v.svc.OpenSession(v.ctx, e.ID, "mediator", "Porte-à-porte", civickit.ChannelMediator)
		require.NoError(t, err)
		return v, e, station, [2]*ballotbox.Session{kiosk, mediator}
	}
	// channel sends a third of the persons to the web, a third to the
	// kiosk, a third to the mediator.
	channel := func(points [2]*ballotbox.Session, i int) *ballotbox.Session {
		if i%3 == 0 {
			return nil
		}
		return points[i%3-1]
	}

	// (a) An identified ballot (web, kiosk or mediator), then the person comes to
	// the polling place: the mark is refused, and the sheet they slip into
	// the box is held as excess.
	t.Run("IdentifiedThenPaper", func(t *testing.T) {
		v, e, station, points := setup(t, ballotbox.RevoteNone)
		errs := concurrently(n, func(i int) error {
			if err := identified(v, e, i, channel(points, i)); err != nil {
				return err
			}
			err := mark(v, station, i)
			if !assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted, "person %d", i) {
				return err
			}
			return nil
		})
		assert.Equal(t, n, accepted(t, errs, "person"))
		b := batch(t, v, e, seq(n))
		got, err := key(v, b, seq(n))
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchExcess, got.State)
		assert.Equal(t, seq(n), got.Excesses())
		pc := once(t, v, e, n, b.ID)
		assert.Equal(t, ballotbox.PlaceCount{}, pc, "no voter marked there, no sheet counted")

		// The president voids the excess sheets: nothing changes on the board.
		before := snapshot(t, v, e.ID)
		for _, pos := range got.Excesses() {
			got, err = v.svc.VoidSheet(v.ctx, b.ID, pos, "president", "voters already counted elsewhere")
			require.NoError(t, err)
		}
		assert.Equal(t, ballotbox.BatchCommitted, got.State)
		assert.True(t, got.Items[0].Voided)
		assert.Equal(t, "president", got.Items[0].VoidedBy)
		assert.Equal(t, before, snapshot(t, v, e.ID))
		_, err = v.svc.VoidSheet(v.ctx, b.ID, 0, "president", "again")
		assertField(t, err, "pos", "excess")
	})

	// (b) A mark at the polling place, then an identified ballot: refused.
	t.Run("PaperThenIdentified", func(t *testing.T) {
		for _, revote := range []ballotbox.RevotePolicy{ballotbox.RevoteNone, ballotbox.RevoteLast} {
			t.Run(string(revote), func(t *testing.T) {
				v, e, station, points := setup(t, revote)
				errs := concurrently(n, func(i int) error {
					if err := mark(v, station, i); err != nil {
						return err
					}
					err := identified(v, e, i, channel(points, i))
					if !assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted, "person %d", i) {
						return err
					}
					return nil
				})
				assert.Equal(t, n, accepted(t, errs, "person"))
				b := batch(t, v, e, seq(n))
				got, err := key(v, b, seq(n))
				require.NoError(t, err)
				assert.Equal(t, ballotbox.BatchCommitted, got.State)
				assert.Equal(t, ballotbox.PlaceCount{Place: place, Marked: n, Sheets: n}, once(t, v, e, n, b.ID))
			})
		}
	})

	// (c) The batch arrives before the marks (keyed from a box opened
	// early, or marks synced late): nothing counts until the marks are
	// there; running the commit again then counts every sheet once.
	t.Run("BatchBeforeMarks", func(t *testing.T) {
		v, e, station, _ := setup(t, ballotbox.RevoteNone)
		b := batch(t, v, e, seq(n))
		got, err := key(v, b, seq(n))
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchExcess, got.State)
		assert.Len(t, got.Excesses(), n)
		assert.Zero(t, snapshot(t, v, e.ID).Head.Entries, "no sheet on the board without a mark")

		half := n / 2
		assert.Equal(t, half, accepted(t, concurrently(half, func(i int) error { return mark(v, station, i) }), "mark"))
		got, err = v.svc.CommitBatch(v.ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, ballotbox.BatchExcess, got.State)
		assert.Len(t, got.Excesses(), n-half)
		// The persons not marked yet vote on the web meanwhile: they count
		// there, and their sheets stay held.
		assert.Equal(t, n-half, accepted(t, concurrently(n-half, func(i int) error { return identified(v, e, half+i, nil) }), "web"))
		pc := once(t, v, e, n, b.ID)
		assert.Equal(t, ballotbox.PlaceCount{Place: place, Marked: int64(half), Sheets: int64(half)}, pc)
	})

	// (c) Marks before the batch, with one sheet more than marks: the last
	// one is held.
	t.Run("MarksBeforeBatch", func(t *testing.T) {
		v, e, station, _ := setup(t, ballotbox.RevoteNone)
		assert.Equal(t, n, accepted(t, concurrently(n, func(i int) error { return mark(v, station, i) }), "mark"))
		b := batch(t, v, e, seq(n+1))
		got, err := key(v, b, seq(n+1))
		require.NoError(t, err)
		assert.Equal(t, []int{n}, got.Excesses())
		// persons counts the one who slipped a sheet in: they are counted
		// once (nowhere), the n marked once each.
		pc := once(t, v, e, n, b.ID)
		assert.Equal(t, ballotbox.PlaceCount{Place: place, Marked: n, Sheets: n}, pc)
	})

	// (c) Two batches at one place committed at the same moment hold more
	// sheets than voters marked: together they count exactly the marks.
	t.Run("TwoBatchesRacing", func(t *testing.T) {
		v, e, station, _ := setup(t, ballotbox.RevoteNone)
		marked := n - 4
		assert.Equal(t, marked, accepted(t, concurrently(marked, func(i int) error { return mark(v, station, i) }), "mark"))
		halves := [][]int{seq(n / 2), seq(n / 2)}
		for i := range halves[1] {
			halves[1][i] += n / 2
		}
		bs := []*ballotbox.Batch{batch(t, v, e, halves[0]), batch(t, v, e, halves[1])}
		errs := concurrently(2, func(i int) error {
			_, err := key(v, bs[i], halves[i])
			return err
		})
		assert.Equal(t, 2, accepted(t, errs, "batch"))
		pc := once(t, v, e, marked, bs[0].ID, bs[1].ID)
		assert.Equal(t, ballotbox.PlaceCount{Place: place, Marked: int64(marked), Sheets: int64(marked)}, pc)

		// More voters are marked later (synced from an offline desk): the
		// held sheets count once the commits run again.
		for i := marked; i < n; i++ {
			require.NoError(t, mark(v, station, i))
		}
		errs = concurrently(2, func(i int) error {
			_, err := v.svc.CommitBatch(v.ctx, bs[i].ID)
			return err
		})
		assert.Equal(t, 2, accepted(t, errs, "commit"))
		pc = once(t, v, e, n, bs[0].ID, bs[1].ID)
		assert.Equal(t, ballotbox.PlaceCount{Place: place, Marked: n, Sheets: n}, pc)
	})

	// A mark and an identified ballot of the same person at the same
	// moment: one wins; under RevoteLast a mark that comes second voids
	// the identified ballot instead. Every person slips a sheet into the
	// box: the sheets of persons whose mark lost are held.
	t.Run("MarkAndIdentifiedRacing", func(t *testing.T) {
		for _, revote := range []ballotbox.RevotePolicy{ballotbox.RevoteNone, ballotbox.RevoteLast} {
			t.Run(string(revote), func(t *testing.T) {
				v, e, station, points := setup(t, revote)
				marks := make([]error, n)
				casts := concurrently(2*n, func(k int) error {
					i := k / 2
					if k%2 == 0 {
						marks[i] = mark(v, station, i)
						return marks[i]
					}
					return identified(v, e, i, channel(points, i))
				})
				for i := range n {
					m, c := marks[i], casts[2*i+1]
					switch revote {
					case ballotbox.RevoteNone:
						assert.True(t, (m == nil) != (c == nil), "person %d: exactly one of mark and ballot: %v / %v", i, m, c)
					default:
						assert.NoError(t, m, "person %d: a mark always wins under RevoteLast", i)
					}
					for _, err := range []error{m, c} {
						if err != nil {
							assert.ErrorIs(t, err, ballotbox.ErrAlreadyVoted, "person %d", i)
						}
					}
				}
				markedOK := 0
				for _, m := range marks {
					if m == nil {
						markedOK++
					}
				}
				b := batch(t, v, e, seq(n))
				got, err := key(v, b, seq(n))
				require.NoError(t, err)
				assert.Len(t, got.Excesses(), n-markedOK)
				pc := once(t, v, e, n, b.ID)
				assert.Equal(t, ballotbox.PlaceCount{Place: place, Marked: int64(markedOK), Sheets: int64(markedOK)}, pc)
			})
		}
	})

	// Everything at once: identified ballots, marks and two batches, in
	// no order. Whatever interleaving the engine chose, the outcome holds.
	t.Run("AllAtOnce", func(t *testing.T) {
		v, e, station, points := setup(t, ballotbox.RevoteNone)
		halves := [][]int{seq(n / 2), seq(n / 2)}
		for i := range halves[1] {
			halves[1][i] += n / 2
		}
		bs := []*ballotbox.Batch{batch(t, v, e, halves[0]), batch(t, v, e, halves[1])}
		errs := concurrently(2*n+2, func(k int) error {
			switch {
			case k >= 2*n:
				_, err := key(v, bs[k-2*n], halves[k-2*n])
				return err
			case k%2 == 0:
				return mark(v, station, k/2)
			default:
				return identified(v, e, k/2, channel(points, k/2))
			}
		})
		accepted(t, errs, "request", ballotbox.ErrAlreadyVoted)
		for i := range n {
			assert.True(t, (errs[2*i] == nil) != (errs[2*i+1] == nil), "person %d: exactly one of mark and ballot", i)
		}
		// Commit again: sheets held while marks were still coming count now.
		for _, b := range bs {
			_, err := v.svc.CommitBatch(v.ctx, b.ID)
			require.NoError(t, err)
		}
		pc := once(t, v, e, n, bs[0].ID, bs[1].ID)
		assert.Equal(t, pc.Marked, pc.Sheets, "every marked voter's sheet counts once the commits ran again")
	})
}
