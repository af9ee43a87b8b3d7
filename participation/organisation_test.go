package participation_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
)

func TestOrganisationVoices(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	e.clock.Set(participationtest.BaseTime)

	for _, bad := range []string{"", "associations", "  "} {
		_, err := participation.NewOrganisationVoices(e.svc, bad)
		assert.ErrorIs(t, err, civickit.ErrInvalid, "list %q", bad)
	}
	voices, err := participation.NewOrganisationVoices(e.svc, "org:associations")
	require.NoError(t, err)

	club, garden := uuid.New(), uuid.New()
	v1, err := voices.Voice(ctx, club)
	require.NoError(t, err)
	again, err := voices.Voice(ctx, club)
	require.NoError(t, err)
	assert.Equal(t, v1, again, "an organisation has one voice")
	v2, err := voices.Voice(ctx, garden)
	require.NoError(t, err)
	assert.NotEqual(t, v1, v2)
	_, err = voices.Voice(ctx, uuid.Nil)
	assert.Equal(t, []civickit.FieldError{{Path: "organisation_id", Rule: "required"}}, civickit.FieldErrors(err))

	// Nobody claims an organisation's identity through the census: its ID
	// is public.
	person, err := e.svc.RegisterParticipant(ctx, nil)
	require.NoError(t, err)
	_, err = e.svc.ClaimCensus(ctx, person.ID, "org:associations", uuid.New().String())
	assert.Equal(t, []civickit.FieldError{{Path: "list", Rule: "reserved", Param: "org:"}}, civickit.FieldErrors(err))

	// A consultation for organisations hears their voices and no one else.
	c := draft(0)
	c.Settings.Eligibility = participation.Eligibility{CensusList: voices.List()}
	cons := e.create(t, c)
	require.NoError(t, e.svc.CheckEligibility(ctx, cons.ID, v1))
	require.NoError(t, e.svc.CheckEligibility(ctx, cons.ID, v2))
	var ee *participation.EligibilityError
	require.True(t, errors.As(e.svc.CheckEligibility(ctx, cons.ID, person.ID), &ee))
	assert.Equal(t, "census", ee.Rule)
}

// Concurrent first calls for one organisation (two representatives
// signing in at once) agree on one voice.
func TestOrganisationVoiceConcurrentFirstUse(t *testing.T) {
	e := newEnv(t, participation.Options{})
	ctx := context.Background()
	voices, err := participation.NewOrganisationVoices(e.svc, "org:associations")
	require.NoError(t, err)
	org := uuid.New()
	const n = 16
	got := make([]uuid.UUID, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = voices.Voice(ctx, org)
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, got[0], got[i], "call %d", i)
	}
	p, err := e.svc.ParticipantByCensus(ctx, voices.List(), org.String())
	require.NoError(t, err)
	assert.Equal(t, got[0], p.ID)
}
