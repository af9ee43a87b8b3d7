package associationstest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

// validationOnly lets a Service validate without a store.
type validationOnly struct{ associations.Store }

func TestFixturesAreValid(t *testing.T) {
	svc, err := associations.NewService(validationOnly{}, associations.Options{})
	require.NoError(t, err)
	rng := NewRand(1)
	rnas, sirets := map[string]bool{}, map[string]bool{}
	for i := range 3000 {
		a := NewAssociation(rng, i)
		require.NoError(t, svc.Validate(&a), "NewAssociation(%d) = %+v", i, a)
		assert.False(t, rnas[a.RNA], "RNA %s repeated", a.RNA)
		rnas[a.RNA] = true
		if a.SIRET != "" {
			assert.False(t, sirets[a.SIRET], "SIRET %s repeated", a.SIRET)
			sirets[a.SIRET] = true
		}
		assertMicroseconds(t, a.CreatedAt, a.UpdatedAt)
	}
	full := fullAssociation()
	full.ID = NewID(rng)
	require.NoError(t, svc.Validate(&full))
	for _, a := range nearDataset(1, 400) {
		require.NoError(t, svc.Validate(&a), "%+v", a.Address.Location)
	}
	for i := range 100 {
		assert.True(t, associations.ValidSIREN(SIREN(i)))
		assert.True(t, associations.ValidSIRET(SIRET(i)))
		assert.True(t, associations.ValidSIRET(SIRETFor(i, 999)))
		assert.True(t, associations.ValidRNA(RNA(i)))
	}
}

func assertMicroseconds(t *testing.T, ts ...interface{ Nanosecond() int }) {
	t.Helper()
	for _, x := range ts {
		assert.Zero(t, x.Nanosecond()%1000, "fixture timestamps have microsecond precision")
	}
}

func TestFixturesAreDeterministic(t *testing.T) {
	a, b := NewAssociation(NewRand(7), 3), NewAssociation(NewRand(7), 3)
	assert.Equal(t, a, b)
	g1, g2 := NewGrant(NewRand(7), a), NewGrant(NewRand(7), a)
	assert.Equal(t, g1, g2)
}
