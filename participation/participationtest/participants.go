package participationtest

import (
	"context"
	"github.com/civickit/civickit"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
)

func canonPersonalData(pd participation.PersonalData) participation.PersonalData {
	pd.CreatedAt, pd.UpdatedAt = CanonTime(pd.CreatedAt), CanonTime(pd.UpdatedAt)
	return pd
}

func canonVerifications(vs []participation.Verification) []participation.Verification {
	out := make([]participation.Verification, len(vs))
	for i, v := range vs {
		v.VerifiedAt, v.ExpiresAt = CanonTime(v.VerifiedAt), CanonTime(v.ExpiresAt)
		out[i] = v
	}
	return NilIfEmpty(out)
}

func testParticipants(t *testing.T, newStore func(t *testing.T) participation.Store) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(11)
		for i := range 6 {
			p, pd := NewParticipant(rng, i)
			if i == 0 { // a paper respondent who gave nothing personal
				pd = nil
			}
			require.NoError(t, st.CreateParticipant(ctx, p, pd))
			got, err := st.GetParticipant(ctx, p.ID)
			require.NoError(t, err)
			assert.Equal(t, p.ID, got.ID)
			assert.True(t, p.CreatedAt.Equal(got.CreatedAt))
			gotPD, err := st.GetPersonalData(ctx, p.ID)
			if pd == nil {
				assert.ErrorIs(t, err, participation.ErrNotFound)
				continue
			}
			require.NoError(t, err)
			assert.Equal(t, canonPersonalData(*pd), canonPersonalData(*gotPD))
		}
	})

	t.Run("Errors", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(12)
		_, err := st.GetParticipant(ctx, NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, err = st.GetPersonalData(ctx, NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)

		p, pd := NewParticipant(rng, 0)
		require.NoError(t, st.CreateParticipant(ctx, p, pd))
		q, qd := NewParticipant(rng, 1)
		q.ID, qd.ParticipantID = p.ID, p.ID
		assert.ErrorIs(t, st.CreateParticipant(ctx, q, qd), participation.ErrConflict)

		r, rd := NewParticipant(rng, 2)
		rd.ParticipantID = p.ID
		assert.ErrorIs(t, st.CreateParticipant(ctx, r, rd), participation.ErrInvalid, "personal data of someone else")
		_, err = st.GetParticipant(ctx, r.ID)
		assert.ErrorIs(t, err, participation.ErrNotFound, "nothing written")

		_, orphan := NewParticipant(rng, 3)
		assert.ErrorIs(t, st.PutPersonalData(ctx, orphan), participation.ErrNotFound)
		v := &participation.Verification{ID: NewID(rng), ParticipantID: orphan.ParticipantID, Verifier: "x",
			Level: civickit.AssuranceLow, VerifiedAt: BaseTime}
		assert.ErrorIs(t, st.SaveVerification(ctx, v), participation.ErrNotFound)
	})

	t.Run("PutAndErase", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(13)
		p, _ := NewParticipant(rng, 0)
		require.NoError(t, st.CreateParticipant(ctx, p, nil))
		_, pd := NewParticipant(rng, 1)
		pd.ParticipantID = p.ID
		require.NoError(t, st.PutPersonalData(ctx, pd)) // insert
		pd.Email, pd.BirthDate = "nouvelle@example.org", civickit.PartialDate{Year: 2001, Month: 2}
		pd.UpdatedAt = pd.UpdatedAt.Add(time.Minute)
		require.NoError(t, st.PutPersonalData(ctx, pd)) // replace
		require.NoError(t, st.PutPersonalData(ctx, pd)) // the same again
		got, err := st.GetPersonalData(ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, canonPersonalData(*pd), canonPersonalData(*got))

		v := &participation.Verification{ID: NewID(rng), ParticipantID: p.ID, Verifier: "agent",
			Level: civickit.AssuranceHigh, VerifiedAt: BaseTime}
		require.NoError(t, st.SaveVerification(ctx, v))

		require.NoError(t, st.ErasePersonalData(ctx, p.ID))
		_, err = st.GetPersonalData(ctx, p.ID)
		assert.ErrorIs(t, err, participation.ErrNotFound)
		vs := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Verification], error) {
			return st.ListVerifications(ctx, p.ID, after, limit)
		})
		assert.Empty(t, vs)
		_, err = st.GetParticipant(ctx, p.ID)
		assert.NoError(t, err, "the pseudonymous participant stays")
		assert.NoError(t, st.ErasePersonalData(ctx, p.ID), "erasing twice")
	})

	t.Run("Verifications", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(14)
		p, pd := NewParticipant(rng, 0)
		require.NoError(t, st.CreateParticipant(ctx, p, pd))
		var want []participation.Verification
		for i, lvl := range []civickit.AssuranceLevel{civickit.AssuranceLow, civickit.AssuranceHigh, civickit.AssuranceSubstantial} {
			v := participation.Verification{ID: NewID(rng), ParticipantID: p.ID, Verifier: "franceconnect",
				Level: lvl, VerifiedAt: BaseTime.Add(time.Duration(i) * time.Hour)}
			if i != 1 {
				v.ExpiresAt = v.VerifiedAt.Add(365 * 24 * time.Hour)
			}
			require.NoError(t, st.SaveVerification(ctx, &v))
			want = append(want, v)
		}
		dup := want[0]
		assert.ErrorIs(t, st.SaveVerification(ctx, &dup), participation.ErrConflict)
		slices.Reverse(want)
		got := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Verification], error) {
			return st.ListVerifications(ctx, p.ID, after, limit)
		})
		assert.Equal(t, canonVerifications(want), canonVerifications(got))
	})

	t.Run("Census", func(t *testing.T) {
		st := store(t, newStore)
		keys := make([]string, 0, 1200)
		for i := range 1200 {
			keys = append(keys, "ROLL-"+string(rune('A'+i%26))+string(rune('a'+i/26%26))+string(rune('0'+i/676)))
		}
		require.NoError(t, st.AddCensusEntries(ctx, "roll-2025", keys))
		require.NoError(t, st.AddCensusEntries(ctx, "roll-2025", keys[:10]), "adding again is ignored")
		require.NoError(t, st.AddCensusEntries(ctx, "other", []string{"ROLL-Aa0 ", "roll-aa0"}))
		tests := []struct {
			list, key string
			want      bool
		}{
			{"roll-2025", keys[0], true},
			{"roll-2025", keys[1199], true},
			{"roll-2025", "roll-aa0", false}, // case counts
			{"roll-2025", "ROLL-Aa0 ", false},
			{"other", "ROLL-Aa0", false}, // trailing space counts
			{"other", "ROLL-Aa0 ", true},
			{"missing", keys[0], false},
		}
		for _, tt := range tests {
			got, err := st.InCensus(ctx, tt.list, tt.key)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "%s/%q", tt.list, tt.key)
		}
	})
}
