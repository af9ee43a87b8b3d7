package participation_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

func TestCensusClaims(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, participation.Options{IdentitySecret: []byte("0123456789abcdef0123456789abcdef")})
	person := func() uuid.UUID {
		p, err := e.svc.RegisterParticipant(ctx, nil)
		require.NoError(t, err)
		return p.ID
	}
	ann, ben := person(), person()
	require.NoError(t, e.svc.AddCensusEntries(ctx, "roll", []string{"AB-1234", "CD-5678"}))

	claim, err := e.svc.ClaimCensus(ctx, ann, " roll ", "ab 1234")
	require.NoError(t, err)
	assert.Equal(t, "roll", claim.List)
	assert.Equal(t, ann, claim.ParticipantID)
	assert.Len(t, claim.Key, 64, "a hex SHA-256")
	_, err = e.svc.ClaimCensus(ctx, ann, "roll", "AB1234")
	assert.NoError(t, err, "claiming again what one holds")

	tests := []struct {
		name       string
		who        uuid.UUID
		identifier string
		rule       string
	}{
		{"another participant, the same person", ben, "ＡＢ１２３４", participation.RuleOneParticipantPerIdentity},
		{"a second identity", ann, "CD-5678", participation.RuleOneIdentityPerParticipant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.ClaimCensus(ctx, tt.who, "roll", tt.identifier)
			require.ErrorIs(t, err, participation.ErrCensusClaimed)
			require.ErrorIs(t, err, civickit.ErrConflict)
			var ce *participation.CensusClaimError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, participation.CensusClaimError{List: "roll", Rule: tt.rule}, *ce)
		})
	}
	_, err = e.svc.ClaimCensus(ctx, ben, "roll", "CD-5678")
	require.NoError(t, err)

	got, err := e.svc.ParticipantByCensus(ctx, "roll", "cd5678")
	require.NoError(t, err)
	assert.Equal(t, ben, got.ID)
	_, err = e.svc.ParticipantByCensus(ctx, "roll", "EF-9012")
	assert.ErrorIs(t, err, participation.ErrNotFound, "nobody claimed it")
	_, err = e.svc.ParticipantByCensus(ctx, "unknown-list", "AB-1234")
	assert.ErrorIs(t, err, participation.ErrNotFound, "a list never used")
	_, err = e.svc.ClaimCensus(ctx, uuid.New(), "roll", "EF-9012")
	assert.ErrorIs(t, err, participation.ErrNotFound, "an unknown participant")

	_, err = e.svc.ClaimCensus(ctx, uuid.Nil, "", " -- ")
	assert.ElementsMatch(t, []string{"list:required", "participant_id:required", "identifier:identifier"}, fieldRules(err))
	_, err = e.svc.ParticipantByCensus(ctx, "roll", "")
	assert.Equal(t, []string{"identifier:identifier"}, fieldRules(err))
}

// The identity secret keys the keys: a service with another secret (or
// none) finds no one, though it reads the same database.
func TestCensusSecret(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t, storage.SQLite)
	st := storage.NewParticipationStore(db)
	svc := func(secret string) *participation.Service {
		s, err := participation.NewService(st, participation.Options{IdentitySecret: []byte(secret)})
		require.NoError(t, err)
		return s
	}
	a, b, none := svc("first secret, at least thirty-two bytes"), svc("second secret, at least thirty-two bytes"), svc("")
	p, err := a.RegisterParticipant(ctx, nil)
	require.NoError(t, err)
	_, err = a.ClaimCensus(ctx, p.ID, "roll", "AB-1234")
	require.NoError(t, err)
	got, err := a.ParticipantByCensus(ctx, "roll", "AB-1234")
	require.NoError(t, err)
	assert.Equal(t, p.ID, got.ID)
	for _, other := range []*participation.Service{b, none} {
		_, err := other.ParticipantByCensus(ctx, "roll", "AB-1234")
		assert.True(t, errors.Is(err, participation.ErrNotFound))
	}
}

// Eligibility by census: the participant's claimed identity must be on
// the list.
func TestCensusEligibility(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, participation.Options{})
	c := draft(0)
	c.Settings.Eligibility = participation.Eligibility{CensusList: "roll"}
	cons := e.create(t, c)
	require.NoError(t, e.svc.AddCensusEntries(ctx, "roll", []string{"R-1"}))
	p, err := e.svc.RegisterParticipant(ctx, nil)
	require.NoError(t, err)
	var ee *participation.EligibilityError
	require.ErrorAs(t, e.svc.CheckEligibility(ctx, cons.ID, p.ID), &ee, "no identity claimed")
	assert.Equal(t, "census", ee.Rule)
	_, err = e.svc.ClaimCensus(ctx, p.ID, "roll", "R-2")
	require.NoError(t, err)
	require.ErrorAs(t, e.svc.CheckEligibility(ctx, cons.ID, p.ID), &ee, "an identity not on the list")
	require.NoError(t, e.svc.AddCensusEntries(ctx, "roll", []string{"r 2"}))
	assert.NoError(t, e.svc.CheckEligibility(ctx, cons.ID, p.ID), "the list now holds it")
}
