// Package ballotboxtest is the conformance suite of ballotbox.Store.
//
// Every implementation of the Store interface (package storage runs it on
// SQLite, PostgreSQL and MariaDB) must pass TestStore. The suite drives the
// store through a ballotbox.Service, as an application would, and checks:
// election round trips and versioning, the census, exactly-once casting
// with idempotency keys and revote policies, refusals that write nothing,
// receipts and the hash chain of the board, paper batches with double
// keying, disputes and recounts, operator sessions, offline sync, results
// visibility, live counts equal to a full recount, and 200 concurrent
// voters casting 5 times each with 20% of the requests replayed (and, with
// revoting off, 60 voters sending their 5 casts at the same moment); then
// exactly one counted ballot per person across channels whatever the
// order in which identified ballots, paper marks and paper batches arrive
// (run concurrently), the Gate of an election that belongs to a wider
// process, opening and closing early, and paging through every list.
//
// To check your own Store:
//
//	func TestMyStore(t *testing.T) {
//		ballotboxtest.TestStore(t, func(t *testing.T) ballotbox.Store {
//			return mystore.New(openEmptyDatabase(t))
//		})
//	}
//
// The constructor is called once per scenario, one scenario at a time; it
// must return a fresh, empty store, safe for concurrent use.
package ballotboxtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// TestStore runs the conformance suite against the Store built by newStore.
func TestStore(t *testing.T, newStore func(t *testing.T) ballotbox.Store) {
	t.Helper()
	s := &suite{newStore: newStore}
	t.Run("Elections", s.testElections)
	t.Run("Census", s.testCensus)
	t.Run("Cast", s.testCast)
	t.Run("Idempotency", s.testIdempotency)
	t.Run("Revote", s.testRevote)
	t.Run("Refusals", s.testRefusals)
	t.Run("Board", s.testBoard)
	t.Run("Sessions", s.testSessions)
	t.Run("Offline", s.testOffline)
	t.Run("Paper", s.testPaper)
	t.Run("Recount", s.testRecount)
	t.Run("Visibility", s.testVisibility)
	t.Run("LiveEqualsRecount", s.testLiveEqualsRecount)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("ExactlyOnce", s.testExactlyOnce)
	t.Run("Gate", s.testGate)
	t.Run("Window", s.testWindow)
	t.Run("Paging", s.testPaging)
	t.Run("Secret", s.testSecret)
	t.Run("Anonymity", s.testAnonymity)
}

type suite struct {
	newStore func(t *testing.T) ballotbox.Store
}

// Clock is a settable clock for Options.Now, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// The fixture election's window.
var (
	Opens  = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	Closes = time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC)
	During = time.Date(2026, 3, 4, 12, 30, 0, 0, time.UTC)
	After  = time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
)

// NewElection returns a valid election with three questions: a ranked
// one (Schulze, mandatory), a graded one (majority judgment, optional) and
// a cumulative one (10 points, optional).
func NewElection(revote ballotbox.RevotePolicy, vis ballotbox.Visibility) *ballotbox.Election {
	return &ballotbox.Election{
		Title:       "Budget participatif 2026",
		Description: "Choix du maire et des projets",
		Questions: []ballotbox.Question{
			{ID: "mayor", Title: "Mayor", Candidates: []string{"Ada", "Bea", "Cyd", "Dan"}, Method: "schulze"},
			{ID: "park", Title: "Park", Candidates: []string{"North", "South", "East"}, Method: "majority-judgment",
				Spec: voting.CardinalSpec{Kind: voting.Graded, Scale: voting.DefaultGrades()}, Optional: true},
			{ID: "budget", Title: "Budget", Candidates: []string{"Trees", "Bikes", "Books"}, Method: "cumulative",
				Spec: voting.CardinalSpec{Kind: voting.Cumulative, Budget: 10}, Optional: true},
		},
		Opens: Opens, Closes: Closes,
		Revote: revote, Visibility: vis,
	}
}

// Ranked returns a ballot ranking the mayor candidates in order.
func Ranked(order ...int) ballotbox.Ballot {
	r := make(voting.Ranking, len(order))
	for i, c := range order {
		r[i] = []int{c}
	}
	return ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "mayor", Ranking: r}}}
}

// Full returns a ballot answering every question, derived from k.
func Full(k int) ballotbox.Ballot {
	b := Ranked(k%4, (k+1)%4, (k+2)%4)
	b.Answers = append(b.Answers,
		ballotbox.Answer{Question: "park", Scores: []int{k % 6, (k / 6) % 6, voting.NoScore}},
		ballotbox.Answer{Question: "budget", Scores: []int{k % 5, 5 - k%5, 0}})
	return b
}

// Voter returns an adult voter of territory 75056 with substantial assurance.
func Voter(i int) ballotbox.Voter {
	return ballotbox.Voter{ID: fmt.Sprintf("ID-%06d", i), Territory: "75056",
		BirthDate: civickit.PartialDate{Year: 1980 + i%20}, Assurance: civickit.AssuranceSubstantial}
}

// env is a store, a clock and a service over them.
type env struct {
	st    ballotbox.Store
	clock *Clock
	svc   *ballotbox.Service
	ctx   context.Context
}

// Secret is the Options.Secret of the suite's services: 32 bytes, as a
// deployment would keep outside its database.
var Secret = []byte("ballotboxtest secret, 32 bytes!!")

func (s *suite) env(t *testing.T) *env {
	t.Helper()
	st := s.newStore(t)
	require.NotNil(t, st, "newStore returned nil")
	clock := NewClock(During)
	// Anonymity 1: every scenario but testAnonymity checks the per-cast
	// contract, where a receipt locates its entry at once.
	svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: Secret, Anonymity: 1})
	require.NoError(t, err)
	return &env{st: st, clock: clock, svc: svc, ctx: t.Context()}
}

// key returns the voter key of id in election e.
func (v *env) key(t *testing.T, e *ballotbox.Election, id string) ballotbox.VoterKey {
	t.Helper()
	k, err := v.svc.VoterKey(v.ctx, e.ID, id)
	require.NoError(t, err)
	return k
}

// all collects every page of a list, with pages of limit items.
func all[T any](t *testing.T, limit int, list func(after string, limit int) (civickit.Page[T], error)) []T {
	t.Helper()
	var out []T
	after := ""
	for range 100000 {
		p, err := list(after, limit)
		require.NoError(t, err)
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		after = p.Next
	}
	require.Fail(t, "a list that never ends")
	return nil
}

// counts reads every live count of an election.
func (v *env) counts(t *testing.T, electionID uuid.UUID) []ballotbox.Count {
	t.Helper()
	return all(t, 0, func(after string, limit int) (civickit.Page[ballotbox.Count], error) {
		return v.st.ListCounts(v.ctx, electionID, after, limit)
	})
}

// changes reads an election's whole change log.
func (v *env) changes(t *testing.T, electionID uuid.UUID) []ballotbox.Change {
	t.Helper()
	return all(t, 0, func(after string, limit int) (civickit.Page[ballotbox.Change], error) {
		return v.svc.ListChanges(v.ctx, electionID, after, limit)
	})
}

// places reads the paper counters of every polling place of an election.
func (v *env) places(t *testing.T, electionID uuid.UUID) map[string]ballotbox.PlaceCount {
	t.Helper()
	out := map[string]ballotbox.PlaceCount{}
	for _, p := range all(t, 0, func(after string, limit int) (civickit.Page[ballotbox.PlaceCount], error) {
		return v.svc.ListPlaces(v.ctx, electionID, after, limit)
	}) {
		out[p.Place] = p
	}
	return out
}

// election creates an election; the clock is set before it opens so that
// the definition may change, then back to During.
func (v *env) election(t *testing.T, e *ballotbox.Election) *ballotbox.Election {
	t.Helper()
	require.NoError(t, v.svc.CreateElection(v.ctx, e))
	return e
}

// Snapshot is everything a refused request must leave unchanged.
type Snapshot struct {
	Head    ballotbox.Head
	Voters  int64
	Counts  []ballotbox.Count
	Changes int
	Places  map[string]ballotbox.PlaceCount
}

func snapshot(t *testing.T, v *env, electionID uuid.UUID) Snapshot {
	t.Helper()
	h, err := v.st.Head(v.ctx, electionID)
	require.NoError(t, err)
	n, err := v.st.CountVoters(v.ctx, electionID)
	require.NoError(t, err)
	c := v.counts(t, electionID)
	if len(c) == 0 {
		c = nil
	}
	ps := v.places(t, electionID)
	if len(ps) == 0 {
		ps = nil
	}
	return Snapshot{Head: h, Voters: n, Counts: c, Changes: len(v.changes(t, electionID)), Places: ps}
}

// entries reads the whole board.
func entries(t *testing.T, v *env, electionID uuid.UUID) []ballotbox.Entry {
	t.Helper()
	var out []ballotbox.Entry
	for e, err := range v.st.Entries(v.ctx, electionID, 0) {
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

// checkChain recomputes the board's hash chain from the genesis of e.
func checkChain(t *testing.T, v *env, e *ballotbox.Election) []ballotbox.Entry {
	t.Helper()
	es := entries(t, v, e.ID)
	prev := ballotbox.GenesisHash(e.Public())
	for i, en := range es {
		require.Equal(t, int64(i), en.Index, "entry %d index", i)
		require.Equal(t, prev, en.Prev, "entry %d prev", i)
		require.Equal(t, en.ComputeHash(), en.Hash, "entry %d hash", i)
		prev = en.Hash
	}
	h, err := v.st.Head(v.ctx, e.ID)
	require.NoError(t, err)
	require.Equal(t, int64(len(es)), h.Entries)
	require.Equal(t, prev, h.Hash, "published head")
	return es
}
