package associationstest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// testExchange checks the exchange board and its moderation through the
// Service.
func (s *suite) testExchange(t *testing.T) {
	st := s.store(t)
	ctx := t.Context()
	svc, err := associations.NewService(st, associations.Options{Now: func() time.Time { return BaseTime }})
	require.NoError(t, err)
	rng := NewRand(60)
	a := NewAssociation(rng, 1)
	mustCreate(t, st, a)

	_, err = svc.CreatePost(ctx, associations.ExchangePost{AssociationID: a.ID, Kind: "swap", Topic: "gold"})
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	_, err = svc.CreatePost(ctx, associations.ExchangePost{AssociationID: NewID(rng), Kind: associations.PostNeed, Topic: "volunteers", Title: "t", Body: "b"})
	assert.ErrorIs(t, err, associations.ErrNotFound, "unknown association")

	var posts []*associations.ExchangePost
	for i, p := range []associations.ExchangePost{
		{Kind: associations.PostOffer, Topic: "equipment", Title: "Prêt d'une sono", Body: "Sono 2×300 W, le week-end"},
		{Kind: associations.PostNeed, Topic: "volunteers", Title: "Bénévoles pour la fête", Body: "Samedi 14 juin, montage"},
		{Kind: associations.PostNeed, Topic: "skills", Title: "Aide comptable", Body: "Clôture des comptes"},
	} {
		p.AssociationID, p.CommuneCode = a.ID, "69381"
		created, err := svc.CreatePost(ctx, p)
		require.NoError(t, err, i)
		assert.Equal(t, associations.PostPending, created.Status)
		posts = append(posts, created)
	}
	pub, err := svc.PublicPosts(ctx, associations.ExchangeFilter{}, "", 10)
	require.NoError(t, err)
	assert.Empty(t, pub.Items, "nothing public before moderation")

	_, err = svc.ModeratePost(ctx, posts[0].ID, posts[0].Version, associations.PostPublished, "")
	require.NoError(t, err)
	_, err = svc.ModeratePost(ctx, posts[1].ID, posts[1].Version, associations.PostPublished, "")
	require.NoError(t, err)
	rejected, err := svc.ModeratePost(ctx, posts[2].ID, posts[2].Version, associations.PostRejected, "hors sujet")
	require.NoError(t, err)
	_, err = svc.ModeratePost(ctx, posts[2].ID, rejected.Version, associations.PostPublished, "")
	var te *associations.TransitionError
	assert.ErrorAs(t, err, &te)
	_, err = svc.ModeratePost(ctx, posts[0].ID, posts[0].Version, associations.PostClosed, "")
	assert.ErrorIs(t, err, associations.ErrConflict, "stale version")

	pub, err = svc.PublicPosts(ctx, associations.ExchangeFilter{}, "", 1)
	require.NoError(t, err)
	require.Len(t, pub.Items, 1)
	rest, err := svc.PublicPosts(ctx, associations.ExchangeFilter{}, pub.Next, 10)
	require.NoError(t, err)
	require.Len(t, rest.Items, 1)
	assert.Empty(t, rest.Next)
	assert.Greater(t, pub.Items[0].ID.String(), rest.Items[0].ID.String(), "newest (highest ID) first")
	needs, err := svc.PublicPosts(ctx, associations.ExchangeFilter{Kind: associations.PostNeed}, "", 10)
	require.NoError(t, err)
	require.Len(t, needs.Items, 1)
	assert.Equal(t, "Bénévoles pour la fête", needs.Items[0].Title)
	all, err := svc.Posts(ctx, associations.ExchangeFilter{Status: associations.PostRejected}, "", 10)
	require.NoError(t, err)
	require.Len(t, all.Items, 1)
	assert.Equal(t, "hors sujet", all.Items[0].ModerationNote)
}
