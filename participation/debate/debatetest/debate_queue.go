package debatetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/participationtest"
)

// testDebateQueue checks the moderation queue: items with open reports,
// most reported first.
func testDebateQueue(t *testing.T, st stores) {
	ctx := context.Background()
	rng := participationtest.NewRand(341)
	w := newDebateWorld(t, st, rng, 0, 4)
	other := newDebateWorld(t, st, rng, 1, 1)
	report := func(item participation.ItemRef, who ...int) {
		t.Helper()
		for _, i := range who {
			_, err := st.CreateReport(ctx, &participation.Report{ID: participationtest.NewID(rng), Item: item, ReporterID: w.people[i],
				Reason: participation.ReasonOffTopic, CreatedAt: participationtest.BaseTime}, 3, &participation.ModerationDecision{
				ID: participationtest.NewID(rng), Kind: participation.DecisionAutoHide, Moderator: participation.AutoHideActor, At: participationtest.BaseTime})
			require.NoError(t, err)
		}
	}
	c := NewComment(rng, w.c.ID, w.people[0], nil, 0)
	quiet := NewComment(rng, w.c.ID, w.people[0], nil, 1)
	elsewhere := NewComment(rng, other.c.ID, other.people[0], nil, 2)
	for _, x := range []*debate.Comment{c, quiet, elsewhere} {
		require.NoError(t, debateCreateComment(st, x))
	}
	s := NewStatement(rng, w.c.ID, nil, 0)
	require.NoError(t, debateCreateStatement(st, s))

	ci := participation.ItemRef{Kind: participation.ItemComment, ID: c.ID}
	si := participation.ItemRef{Kind: participation.ItemStatement, ID: s.ID}
	report(ci, 1, 2)
	report(si, 1, 2, 3)
	report(participation.ItemRef{Kind: participation.ItemComment, ID: elsewhere.ID}, 1)

	q := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})
	participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})
	assert.Equal(t, []participation.QueuedItem{
		{Item: si, Moderation: participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 3}},
		{Item: ci, Moderation: participation.Moderation{OpenReports: 2}},
	}, q)

	_, err := st.Moderate(ctx, &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: si,
		Kind: participation.DecisionRestore, Moderator: "moderatrice-1", At: participationtest.BaseTime})
	require.NoError(t, err)
	q = participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})
	assert.Equal(t, []participation.QueuedItem{
		{Item: ci, Moderation: participation.Moderation{OpenReports: 2}},
	}, q, "decided items leave the queue")
	q = participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, participationtest.NewID(rng), after, limit)
	})
	assert.Empty(t, q)
}
