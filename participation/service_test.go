package participation_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// clock is a settable time source for the Service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is a Service over a fresh SQLite store with a settable clock.
type env struct {
	svc   *participation.Service
	store *storage.ParticipationStore
	clock *clock
}

func newEnv(t testing.TB, opts participation.Options) *env {
	t.Helper()
	st := storage.NewParticipationStore(storagetest.Open(t, storage.SQLite))
	clk := &clock{t: participationtest.BaseTime.Add(-24 * time.Hour)}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	svc, err := participation.NewService(st, opts)
	require.NoError(t, err)
	return &env{svc: svc, store: st, clock: clk}
}

// draft returns a valid consultation input whose five phases are a week
// each from participationtest.BaseTime.
func draft(i int) participation.Consultation {
	return *participationtest.NewConsultation(participationtest.NewRand(uint64(100+i)), 0)
}

func (e *env) create(t *testing.T, c participation.Consultation) *participation.Consultation {
	t.Helper()
	got, err := e.svc.CreateConsultation(context.Background(), c)
	require.NoError(t, err)
	return got
}

func (e *env) open(t *testing.T, c participation.Consultation, k participation.PhaseKind) *participation.Consultation {
	t.Helper()
	got := e.create(t, c)
	got, err := e.svc.Transition(context.Background(), got.ID, participation.TransitionRequest{To: k, Actor: "organiser"})
	require.NoError(t, err)
	return got
}

func TestNewService(t *testing.T) {
	_, err := participation.NewService(nil, participation.Options{})
	require.Error(t, err)
	st := storage.NewParticipationStore(storagetest.Open(t, storage.SQLite))
	_, err = participation.NewService(st, participation.Options{Verifiers: []participation.Verifier{nil}})
	require.Error(t, err)
	_, err = participation.NewService(st, participation.Options{NewID: uuid.New})
	require.NoError(t, err)
}
