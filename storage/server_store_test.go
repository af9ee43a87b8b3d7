package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

func openServerStore(t *testing.T, e storage.Engine) *storage.ServerStore {
	return storage.NewServerStore(storagetest.OpenWith(t, e, storage.Config{Domains: []storage.Domain{storage.DomainServer}}))
}

// TestIdempotencyClaims: of 16 concurrent claims of one key exactly one
// wins; the others read the pending record, then its answer once it is
// finished; a stale pending record is taken over; a released one is
// claimed again.
func TestIdempotencyClaims(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		st := openServerStore(t, e)
		t0 := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
		rec := httpapi.IdempotencyRecord{Key: "k1", BodyHash: "h1", Header: map[string]string{}, CreatedAt: t0}

		const n = 16
		var wg sync.WaitGroup
		wins := make(chan bool, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				found, claimed, err := st.ClaimIdempotencyKey(ctx, rec, t0.Add(-time.Minute))
				if !assert.NoError(t, err) {
					return
				}
				if !claimed {
					assert.False(t, found.Done)
					assert.Equal(t, "h1", found.BodyHash)
				}
				wins <- claimed
			}()
		}
		wg.Wait()
		close(wins)
		won := 0
		for c := range wins {
			if c {
				won++
			}
		}
		assert.Equal(t, 1, won, "exactly one claim wins")

		done := rec
		done.Status, done.Header, done.Body = 201, map[string]string{"Content-Type": "application/json"}, []byte(`{"id":1}`)
		require.NoError(t, st.FinishIdempotencyKey(ctx, done))
		found, claimed, err := st.ClaimIdempotencyKey(ctx, httpapi.IdempotencyRecord{Key: "k1", BodyHash: "other", CreatedAt: t0.Add(time.Hour)}, t0.Add(time.Hour))
		require.NoError(t, err)
		assert.False(t, claimed, "a finished key is never taken over")
		assert.True(t, found.Done)
		assert.Equal(t, 201, found.Status)
		assert.Equal(t, "h1", found.BodyHash)
		assert.Equal(t, `{"id":1}`, string(found.Body))
		assert.Equal(t, "application/json", found.Header["Content-Type"])
		assert.ErrorIs(t, st.FinishIdempotencyKey(ctx, done), civickit.ErrConflict, "finished twice")

		// A pending key whose request died is taken over once stale.
		_, claimed, err = st.ClaimIdempotencyKey(ctx, httpapi.IdempotencyRecord{Key: "k2", BodyHash: "a", CreatedAt: t0}, t0.Add(-time.Minute))
		require.NoError(t, err)
		require.True(t, claimed)
		_, claimed, err = st.ClaimIdempotencyKey(ctx, httpapi.IdempotencyRecord{Key: "k2", BodyHash: "a", CreatedAt: t0.Add(time.Second)}, t0)
		require.NoError(t, err)
		assert.False(t, claimed, "not stale yet")
		_, claimed, err = st.ClaimIdempotencyKey(ctx, httpapi.IdempotencyRecord{Key: "k2", BodyHash: "a", CreatedAt: t0.Add(2 * time.Minute)}, t0.Add(time.Minute))
		require.NoError(t, err)
		assert.True(t, claimed, "stale: taken over")

		// Released: claimed again.
		require.NoError(t, st.ReleaseIdempotencyKey(ctx, "k2"))
		_, claimed, err = st.ClaimIdempotencyKey(ctx, httpapi.IdempotencyRecord{Key: "k2", BodyHash: "b", CreatedAt: t0.Add(3 * time.Minute)}, t0)
		require.NoError(t, err)
		assert.True(t, claimed)

		n2, err := st.PurgeIdempotencyKeys(ctx, t0.Add(time.Second))
		require.NoError(t, err)
		assert.Equal(t, 1, n2, "k1 only")
	})
}

// TestIdentityLinks: concurrent first links of one identity all get one
// participant; another identity gets its own.
func TestIdentityLinks(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		st := openServerStore(t, e)
		const n = 12
		got := make([]uuid.UUID, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, err := st.LinkIdentity(ctx, "idA", uuid.New(), time.Now())
				assert.NoError(t, err)
				got[i] = id
			}()
		}
		wg.Wait()
		for _, id := range got {
			assert.Equal(t, got[0], id)
		}
		other, err := st.LinkIdentity(ctx, "idB", uuid.New(), time.Now())
		require.NoError(t, err)
		assert.NotEqual(t, got[0], other)
	})
}

func TestGrantsAndTokens(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		st := openServerStore(t, e)
		p, scope := uuid.New(), uuid.New()
		now := time.Now().UTC().Truncate(time.Microsecond)
		for _, g := range []httpapi.Grant{{Role: httpapi.RoleOrganiser, Scope: scope}, {Role: httpapi.RoleModerator}, {Role: httpapi.RoleModerator}} {
			require.NoError(t, st.AddGrant(ctx, p, g, now))
		}
		gs, err := st.Grants(ctx, p)
		require.NoError(t, err)
		assert.ElementsMatch(t, []httpapi.Grant{{Role: httpapi.RoleOrganiser, Scope: scope}, {Role: httpapi.RoleModerator}}, gs)
		require.NoError(t, st.RemoveGrant(ctx, p, httpapi.Grant{Role: httpapi.RoleModerator}))
		assert.ErrorIs(t, st.RemoveGrant(ctx, p, httpapi.Grant{Role: httpapi.RoleModerator}), civickit.ErrNotFound)
		gs, err = st.Grants(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, []httpapi.Grant{{Role: httpapi.RoleOrganiser, Scope: scope}}, gs)

		ended, err := st.SessionsEnded(ctx, p)
		require.NoError(t, err)
		assert.True(t, ended.IsZero())
		require.NoError(t, st.EndSessions(ctx, p, now))
		require.NoError(t, st.EndSessions(ctx, p, now.Add(-time.Hour)), "an earlier end changes nothing")
		ended, err = st.SessionsEnded(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, now, ended)
		require.NoError(t, st.EndSessions(ctx, p, now.Add(time.Minute)))
		ended, err = st.SessionsEnded(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, now.Add(time.Minute), ended)

		tok := &httpapi.APIToken{ID: uuid.New(), Name: "sync", SecretHash: "ab12", Participant: p, CreatedAt: now,
			Grants: []httpapi.Grant{{Role: httpapi.RoleOperator}}, ExpiresAt: now.Add(time.Hour)}
		require.NoError(t, st.CreateToken(ctx, tok))
		dup := *tok
		dup.ID = uuid.New()
		assert.ErrorIs(t, st.CreateToken(ctx, &dup), civickit.ErrConflict, "secret hashes are unique")
		got, err := st.TokenBySecretHash(ctx, "ab12")
		require.NoError(t, err)
		assert.Equal(t, tok, got)
		_, err = st.TokenBySecretHash(ctx, "nope")
		assert.ErrorIs(t, err, civickit.ErrNotFound)
		require.NoError(t, st.RevokeToken(ctx, tok.ID, now.Add(time.Minute)))
		require.NoError(t, st.RevokeToken(ctx, tok.ID, now.Add(2*time.Minute)))
		assert.ErrorIs(t, st.RevokeToken(ctx, uuid.New(), now), civickit.ErrNotFound)
		list, err := st.ListTokens(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, now.Add(time.Minute), list[0].RevokedAt, "the first revocation stays")
		assert.Empty(t, list[0].SecretHash, "no secret in lists")
	})
}

// BenchmarkIdempotentPOST is what an Idempotency-Key costs a POST in the
// database: a claim (insert) and a finish (update with the answer).
func BenchmarkIdempotentPOST(b *testing.B) {
	forEachEngineB(b, func(b *testing.B, e storage.Engine) {
		st := storage.NewServerStore(storagetest.OpenWith(b, e, storage.Config{Domains: []storage.Domain{storage.DomainServer}}))
		ctx := context.Background()
		body := []byte(`{"receipt":"0123456789abcdef0123456789abcdef","election_id":"6f1f6a52-2f0a-4b8e-9a57-2a3f4ad7c001"}`)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			rec := httpapi.IdempotencyRecord{Key: uuid.NewString(), BodyHash: "h", Header: map[string]string{}, CreatedAt: time.Now()}
			if _, claimed, err := st.ClaimIdempotencyKey(ctx, rec, time.Now().Add(-time.Minute)); err != nil || !claimed {
				b.Fatal(err, claimed)
			}
			rec.Status, rec.Body, rec.Header = 201, body, map[string]string{"Content-Type": "application/json"}
			if err := st.FinishIdempotencyKey(ctx, rec); err != nil {
				b.Fatal(err)
			}
		}
	})
}
