package panel

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
)

func TestManifestVerify(t *testing.T) {
	in, err := ReadFoundationCSV(mustOpen(t, "testdata/alternate_200_20/categories.csv"),
		mustOpen(t, "testdata/alternate_200_20/respondents.csv"), FoundationOptions{K: 20})
	require.NoError(t, err)
	seed := "EuroMillions 2026-12-04: 07 19 28 33 45 / 02 11"
	for _, alg := range []Algorithm{Leximin, Legacy} {
		m, _, err := DrawManifest(in, SelectOptions{Algorithm: alg, LegacyRuns: 200}, seed, 5)
		require.NoError(t, err)
		require.Len(t, m.Selected, 20)
		require.Len(t, m.AlternateIDs, 5)
		assert.Equal(t, Commit(seed), m.SeedCommitment)
		// Through JSON, as published.
		data, err := json.Marshal(m)
		require.NoError(t, err)
		var back Manifest
		require.NoError(t, json.Unmarshal(data, &back))
		require.NoError(t, Verify(back, in.People), alg)

		// Any change is caught.
		tampered := back
		tampered.Selected = slices.Clone(back.Selected)
		tampered.Selected[0] = "p0001"
		if tampered.Selected[0] == back.Selected[0] {
			tampered.Selected[0] = "p0002"
		}
		var me *MismatchError
		err = Verify(tampered, in.People)
		require.True(t, errors.As(err, &me), "%v", err)
		assert.Equal(t, "selected", me.Field)
		assert.ErrorIs(t, err, civickit.ErrConflict)

		tampered = back
		tampered.Seed = seed + " "
		err = Verify(tampered, in.People)
		require.True(t, errors.As(err, &me))
		assert.Equal(t, "seed_commitment", me.Field)

		other := slices.Clone(in.People)
		other[0], other[1] = other[1], other[0]
		err = Verify(back, other)
		require.True(t, errors.As(err, &me))
		assert.Equal(t, "pool_sha256", me.Field, "the pool's order is part of the draw")
	}
	// A different seed draws a different panel (with overwhelming odds).
	a, _, err := DrawManifest(in, SelectOptions{}, "seed A", 0)
	require.NoError(t, err)
	b, _, err := DrawManifest(in, SelectOptions{}, "seed B", 0)
	require.NoError(t, err)
	assert.NotEqual(t, a.Selected, b.Selected)
	_, _, err = DrawManifest(in, SelectOptions{}, "", 0)
	assert.ErrorIs(t, err, civickit.ErrInvalid)
}

// The draw is pinned: this seed on this pool gives this panel with
// Version civickit-panel/1. A change here breaks every published
// manifest, so Version must change with it.
func TestDrawPinned(t *testing.T) {
	examples, _ := loadSmall(t)
	in := examples[4].instance() // ex5
	m, _, err := DrawManifest(in, SelectOptions{}, "pinned", 1)
	require.NoError(t, err)
	assert.Equal(t, "civickit-panel/1", m.Version)
	// Recorded from the first run (a golden value, not a correctness
	// claim: TestSelectSmallExamples checks the lottery itself).
	assert.Equal(t, []string{"f_con", "m1", "m2", "m3", "m4"}, m.Selected)
	assert.Equal(t, []string{"m_con"}, m.AlternateIDs)
}
