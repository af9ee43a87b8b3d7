package proposalstest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/proposals"
)

// stores joins the proposals store under test and the consultation store
// beside it, which holds the consultations and participants that
// proposals refer to.
type stores struct {
	proposalStore
	coreStore
}

// Aliases name the embedded fields of stores.
type (
	proposalStore = proposals.Store
	coreStore     = participation.Store
)

// TestStore runs the conformance suite against the proposals.Store that
// newStores returns, beside a participation.Store on the same database
// (proposals refer to its consultations and participants). newStores
// must return fresh, empty stores on every call; it is called once by
// the suite (every scenario works in consultations of its own) and may
// register cleanups on the t it is given.
func TestStore(t *testing.T, newStores func(t *testing.T) (proposals.Store, participation.Store)) {
	t.Helper()
	p, c := newStores(t)
	require.NotNil(t, p, "newStores returned no proposals store")
	require.NotNil(t, c, "newStores returned no participation store")
	st := stores{p, c}
	testProposals(t, st)
	t.Run("Idempotency", func(t *testing.T) { testIdempotency(t, st) })
	t.Run("Moderation", func(t *testing.T) { testModeration(t, st) })
}

// world is a consultation with participants, stored.
type world struct {
	c      *participation.Consultation
	people []uuid.UUID
}

func newWorld(t *testing.T, st stores, rng *rand.Rand, i, people int) world {
	t.Helper()
	ctx := context.Background()
	c := participationtest.NewConsultation(rng, i)
	require.NoError(t, st.CreateConsultation(ctx, c))
	w := world{c: c}
	for j := range people {
		p, pd := participationtest.NewParticipant(rng, 1000*i+j)
		require.NoError(t, st.CreateParticipant(ctx, p, pd))
		w.people = append(w.people, p.ID)
	}
	return w
}

var topics = []string{
	"La place doit rester piétonne le samedi.",
	"Il faut plus de bancs à l'ombre.",
	"Les pistes cyclables doivent être séparées de la chaussée.",
	"Le budget participatif devrait doubler.",
	"La cantine devrait proposer un menu végétarien chaque jour.",
}

// NewProposal returns a valid proposal unique to i in the consultation,
// by author, created at participationtest.BaseTime plus i minutes,
// through a channel that varies with i.
func NewProposal(rng *rand.Rand, consultationID, author uuid.UUID, i int) *proposals.Proposal {
	topic := topics[rng.IntN(len(topics))]
	return &proposals.Proposal{
		ID: participationtest.NewID(rng), ConsultationID: consultationID, AuthorID: author,
		Title:      fmt.Sprintf("Proposition n°%d", i),
		Body:       topic + " Coût estimé : " + fmt.Sprint(1000*(1+rng.IntN(90))) + " €.",
		Provenance: participationtest.Provenance(civickit.Channels()[i%len(civickit.Channels())], i),
		CreatedAt:  participationtest.BaseTime.Add(time.Duration(i) * time.Minute),
	}
}

// CanonProposal returns p in canonical form for comparisons.
func CanonProposal(p proposals.Proposal) proposals.Proposal {
	p.CreatedAt = participationtest.CanonTime(p.CreatedAt)
	return p
}

// createProposal stores a new proposal and fails on a replay.
func createProposal(st stores, p *proposals.Proposal) error {
	return notReplayed(st.CreateProposal(context.Background(), p))
}

func notReplayed(replayed bool, err error) error {
	if err == nil && replayed {
		return errors.New("a new proposal was reported as replayed")
	}
	return err
}

// testIdempotency checks CreateProposal's idempotency rule.
func testIdempotency(t *testing.T, st stores) {
	ctx := context.Background()
	rng := participationtest.NewRand(331)
	w := newWorld(t, st, rng, 0, 2)
	p := NewProposal(rng, w.c.ID, w.people[0], 0)
	p.IdempotencyKey = "proposal-key"
	require.NoError(t, createProposal(st, p))
	p2 := NewProposal(rng, w.c.ID, w.people[0], 1)
	p2.IdempotencyKey = p.IdempotencyKey
	replayed, err := st.CreateProposal(ctx, p2)
	require.NoError(t, err)
	assert.True(t, replayed)
	assert.Equal(t, CanonProposal(*p), CanonProposal(*p2))
	list := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[proposals.Proposal], error) {
		return st.ListProposals(ctx, w.c.ID, after, limit)
	})
	participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[proposals.Proposal], error) {
		return st.ListProposals(ctx, w.c.ID, after, limit)
	})
	assert.Len(t, list, 1)
}
