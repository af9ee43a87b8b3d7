package participationtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
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
		CheckPaging(t, func(after string, limit int) (civickit.Page[participation.Verification], error) {
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
		keys := make([]civickit.IdentityKey, 0, 1200)
		for i := range 1200 {
			keys = append(keys, IdentityKey(fmt.Sprint("roll-", i)))
		}
		require.NoError(t, st.AddCensusKeys(ctx, "roll-2025", keys))
		require.NoError(t, st.AddCensusKeys(ctx, "roll-2025", keys[:10]), "adding again is ignored")
		require.NoError(t, st.AddCensusKeys(ctx, "other", []civickit.IdentityKey{keys[5], keys[5]}))
		tests := []struct {
			list string
			key  civickit.IdentityKey
			want bool
		}{
			{"roll-2025", keys[0], true},
			{"roll-2025", keys[1199], true},
			{"roll-2025", IdentityKey("roll-1200"), false},
			{"other", keys[5], true},
			{"other", keys[6], false},
			{"missing", keys[0], false},
		}
		for _, tt := range tests {
			got, err := st.InCensus(ctx, tt.list, tt.key)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "%s/%s", tt.list, tt.key)
		}
	})

	t.Run("CensusSalts", func(t *testing.T) {
		st := store(t, newStore)
		_, err := st.CensusSalt(ctx, "roll-2025", nil)
		assert.ErrorIs(t, err, participation.ErrNotFound, "no salt, none drawn")
		first := civickit.Salt(bytes.Repeat([]byte{1}, civickit.SaltSize))
		got, err := st.CensusSalt(ctx, "roll-2025", first)
		require.NoError(t, err)
		assert.Equal(t, first, got)
		got, err = st.CensusSalt(ctx, "roll-2025", civickit.Salt(bytes.Repeat([]byte{2}, civickit.SaltSize)))
		require.NoError(t, err)
		assert.Equal(t, first, got, "a list keeps its first salt")
		got, err = st.CensusSalt(ctx, "roll-2025", nil)
		require.NoError(t, err)
		assert.Equal(t, first, got)

		// Writers racing for a new list's salt all read the one stored.
		const writers = 8
		salts := make([]civickit.Salt, writers)
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				salts[i], errs[i] = st.CensusSalt(ctx, "district-3", civickit.Salt(bytes.Repeat([]byte{byte(10 + i)}, civickit.SaltSize)))
			}()
		}
		wg.Wait()
		for i := range writers {
			require.NoError(t, errs[i], "writer %d", i)
			assert.Equal(t, salts[0], salts[i], "writer %d", i)
		}
		assert.Len(t, salts[0], civickit.SaltSize)
	})

	t.Run("CensusClaims", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(14)
		var people []uuid.UUID
		for i := range 3 {
			p, pd := NewParticipant(rng, i)
			require.NoError(t, st.CreateParticipant(ctx, p, pd))
			people = append(people, p.ID)
		}
		alice, bob := IdentityKey("alice"), IdentityKey("bob")
		claim := func(list string, key civickit.IdentityKey, who uuid.UUID) error {
			return st.ClaimCensus(ctx, &participation.CensusClaim{List: list, Key: key, ParticipantID: who, ClaimedAt: BaseTime})
		}
		_, err := st.CensusHolder(ctx, "roll", alice)
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, err = st.CensusKeyOf(ctx, "roll", people[0])
		assert.ErrorIs(t, err, participation.ErrNotFound)

		require.NoError(t, claim("roll", alice, people[0]))
		require.NoError(t, claim("roll", alice, people[0]), "claiming again what one holds")
		assert.ErrorIs(t, claim("roll", alice, people[1]), participation.ErrConflict, "one participant per identity")
		assert.ErrorIs(t, claim("roll", bob, people[0]), participation.ErrConflict, "one identity per participant and list")
		require.NoError(t, claim("roll", bob, people[1]))
		require.NoError(t, claim("district", alice, people[1]), "lists are apart")
		assert.ErrorIs(t, claim("roll", IdentityKey("carol"), NewID(rng)), participation.ErrNotFound, "an unknown participant")

		holder, err := st.CensusHolder(ctx, "roll", alice)
		require.NoError(t, err)
		assert.Equal(t, people[0], holder)
		key, err := st.CensusKeyOf(ctx, "roll", people[1])
		require.NoError(t, err)
		assert.Equal(t, bob, key)
		key, err = st.CensusKeyOf(ctx, "district", people[1])
		require.NoError(t, err)
		assert.Equal(t, alice, key)
		_, err = st.CensusKeyOf(ctx, "roll", people[2])
		assert.ErrorIs(t, err, participation.ErrNotFound)
	})

	t.Run("ConcurrentCensusClaims", func(t *testing.T) {
		st := store(t, newStore)
		rng := NewRand(15)
		const claimants = 8
		people := make([]uuid.UUID, claimants)
		for i := range people {
			p, pd := NewParticipant(rng, i)
			require.NoError(t, st.CreateParticipant(ctx, p, pd))
			people[i] = p.ID
		}
		key := IdentityKey("the same person")
		errs := make([]error, claimants)
		var wg sync.WaitGroup
		for i := range claimants {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = st.ClaimCensus(ctx, &participation.CensusClaim{List: "roll", Key: key, ParticipantID: people[i], ClaimedAt: BaseTime})
			}()
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			if err == nil {
				assert.Equal(t, -1, won, "claimants %d and %d both won", won, i)
				won = i
				continue
			}
			assert.ErrorIs(t, err, participation.ErrConflict, "claimant %d", i)
		}
		require.NotEqual(t, -1, won, "one claimant wins")
		holder, err := st.CensusHolder(ctx, "roll", key)
		require.NoError(t, err)
		assert.Equal(t, people[won], holder)
	})
}

// IdentityKey returns a fixture identity key derived from s (the
// SHA-256 of s in hex, the shape of civickit.IdentityKey).
func IdentityKey(s string) civickit.IdentityKey {
	sum := sha256.Sum256([]byte(s))
	return civickit.IdentityKey(hex.EncodeToString(sum[:]))
}
