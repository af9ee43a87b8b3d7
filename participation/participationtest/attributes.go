package participationtest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
)

func canonAttributes(a participation.Attributes) participation.Attributes {
	a.ConsentedAt, a.UpdatedAt = CanonTime(a.ConsentedAt), CanonTime(a.UpdatedAt)
	return a
}

// testAttributes checks declared attributes: stored, replaced, listed
// for many participants at once, erased with the personal data.
func testAttributes(t *testing.T, newStore func(t *testing.T) participation.Store) {
	ctx := context.Background()
	st := store(t, newStore)
	rng := NewRand(31)
	var ids []uuid.UUID
	for i := range 4 {
		p, pd := NewParticipant(rng, i)
		require.NoError(t, st.CreateParticipant(ctx, p, pd))
		ids = append(ids, p.ID)
	}
	_, err := st.GetAttributes(ctx, ids[0])
	assert.ErrorIs(t, err, participation.ErrNotFound)

	a := &participation.Attributes{ParticipantID: ids[0], ConsentedAt: BaseTime, UpdatedAt: BaseTime,
		Values: map[string]string{"âge": "60 à 74 ans", "sexe": "Femmes", "diplôme": "declined"}}
	require.NoError(t, st.PutAttributes(ctx, a))
	got, err := st.GetAttributes(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, canonAttributes(*a), canonAttributes(*got))
	a.Values = map[string]string{"sexe": "Hommes"}
	a.UpdatedAt = BaseTime.Add(time.Hour)
	require.NoError(t, st.PutAttributes(ctx, a)) // replace
	got, err = st.GetAttributes(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, canonAttributes(*a), canonAttributes(*got))

	b := &participation.Attributes{ParticipantID: ids[2], ConsentedAt: BaseTime, UpdatedAt: BaseTime, Values: map[string]string{"sexe": "Femmes"}}
	require.NoError(t, st.PutAttributes(ctx, b))
	list, err := st.ListAttributes(ctx, []uuid.UUID{ids[0], ids[1], ids[2], ids[0], NewID(rng)})
	require.NoError(t, err)
	require.Len(t, list, 2, "those who declared something, once each")
	slices.SortFunc(list, func(x, y participation.Attributes) int {
		return slices.Index(ids, x.ParticipantID) - slices.Index(ids, y.ParticipantID)
	})
	assert.Equal(t, canonAttributes(*a), canonAttributes(list[0]))
	assert.Equal(t, canonAttributes(*b), canonAttributes(list[1]))
	none, err := st.ListAttributes(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, none)

	err = st.PutAttributes(ctx, &participation.Attributes{ParticipantID: NewID(rng), ConsentedAt: BaseTime, UpdatedAt: BaseTime})
	assert.ErrorIs(t, err, participation.ErrNotFound, "unknown participant")

	require.NoError(t, st.ErasePersonalData(ctx, ids[0]))
	_, err = st.GetAttributes(ctx, ids[0])
	assert.ErrorIs(t, err, participation.ErrNotFound, "erased with the personal data")
	_, err = st.GetAttributes(ctx, ids[2])
	assert.NoError(t, err, "others stay")
}
