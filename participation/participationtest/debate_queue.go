package participationtest

import (
	"context"
	"github.com/civickit/civickit"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/participation"
)

// testDebateQueue checks the moderation queue: items with open reports,
// most reported first.
func testDebateQueue(t *testing.T, st participation.Store) {
	ctx := context.Background()
	rng := NewRand(341)
	w := newDebateWorld(t, st, rng, 0, 4)
	other := newDebateWorld(t, st, rng, 1, 1)
	report := func(item participation.ItemRef, who ...int) {
		t.Helper()
		for _, i := range who {
			_, err := st.CreateReport(ctx, &participation.Report{ID: NewID(rng), Item: item, ReporterID: w.people[i],
				Reason: participation.ReasonOffTopic, CreatedAt: BaseTime}, 3, &participation.ModerationDecision{
				ID: NewID(rng), Kind: participation.DecisionAutoHide, Moderator: participation.AutoHideActor, At: BaseTime})
			require.NoError(t, err)
		}
	}
	c := NewComment(rng, w.c.ID, w.people[0], nil, 0)
	quiet := NewComment(rng, w.c.ID, w.people[0], nil, 1)
	elsewhere := NewComment(rng, other.c.ID, other.people[0], nil, 2)
	for _, x := range []*participation.Comment{c, quiet, elsewhere} {
		require.NoError(t, debateCreateComment(st, x))
	}
	s := NewStatement(rng, w.c.ID, nil, 0)
	require.NoError(t, debateCreateStatement(st, s))
	p := NewProposal(rng, w.c.ID, w.people[0], 0)
	require.NoError(t, debateCreateProposal(st, p))

	ci := participation.ItemRef{Kind: participation.ItemComment, ID: c.ID}
	si := participation.ItemRef{Kind: participation.ItemStatement, ID: s.ID}
	pi := participation.ItemRef{Kind: participation.ItemProposal, ID: p.ID}
	report(ci, 1, 2)
	report(si, 1)
	report(pi, 1, 2, 3)
	report(participation.ItemRef{Kind: participation.ItemComment, ID: elsewhere.ID}, 1)

	q := ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})
	assert.Equal(t, []participation.QueuedItem{
		{Item: pi, Moderation: participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 3}},
		{Item: ci, Moderation: participation.Moderation{OpenReports: 2}},
		{Item: si, Moderation: participation.Moderation{OpenReports: 1}},
	}, q)

	_, err := st.Moderate(ctx, &participation.ModerationDecision{ID: NewID(rng), Item: pi,
		Kind: participation.DecisionRestore, Moderator: "moderatrice-1", At: BaseTime})
	require.NoError(t, err)
	q = ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})
	assert.Equal(t, []participation.QueuedItem{
		{Item: ci, Moderation: participation.Moderation{OpenReports: 2}},
		{Item: si, Moderation: participation.Moderation{OpenReports: 1}},
	}, q, "decided items leave the queue")
	q = ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, NewID(rng), after, limit)
	})
	assert.Empty(t, q)
}
