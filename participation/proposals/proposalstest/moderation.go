package proposalstest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
)

// testModeration checks participation.ModerationStore on proposals: the
// reports, the automatic hiding, the queue and the log.
func testModeration(t *testing.T, st stores) {
	ctx := context.Background()
	rng := participationtest.NewRand(351)
	w := newWorld(t, st, rng, 0, 4)
	other := newWorld(t, st, rng, 1, 1)
	p1 := NewProposal(rng, w.c.ID, w.people[0], 0)
	p2 := NewProposal(rng, w.c.ID, w.people[0], 1)
	elsewhere := NewProposal(rng, other.c.ID, other.people[0], 2)
	require.NoError(t, createProposal(st, p1))
	require.NoError(t, createProposal(st, p2))
	require.NoError(t, createProposal(st, elsewhere))
	i1 := participation.ItemRef{Kind: participation.ItemProposal, ID: p1.ID}
	i2 := participation.ItemRef{Kind: participation.ItemProposal, ID: p2.ID}
	at := participationtest.BaseTime
	var want []participation.Report
	report := func(item participation.ItemRef, who ...int) participation.Moderation {
		t.Helper()
		var m participation.Moderation
		for _, i := range who {
			at = at.Add(time.Second)
			r := &participation.Report{ID: participationtest.NewID(rng), Item: item, ReporterID: w.people[i],
				Reason: participation.ReasonSpam, CreatedAt: at}
			var err error
			m, err = st.CreateReport(ctx, r, 3, &participation.ModerationDecision{ID: participationtest.NewID(rng),
				Kind: participation.DecisionAutoHide, Moderator: participation.AutoHideActor, At: at})
			require.NoError(t, err)
			assert.Equal(t, w.c.ID, r.ConsultationID, "the report takes the proposal's consultation")
			if item == i1 {
				want = append(want, *r)
			}
		}
		return m
	}
	m := report(i1, 0, 1, 2)
	assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 3}, m)
	report(i2, 3)
	got, err := st.GetProposal(ctx, p1.ID)
	require.NoError(t, err)
	assert.True(t, got.Moderation.Hidden(), "three reports hide a proposal")

	_, err = st.CreateReport(ctx, &participation.Report{ID: participationtest.NewID(rng), Item: i1, ReporterID: w.people[0],
		Reason: participation.ReasonSpam, CreatedAt: at}, 3, nil)
	assert.ErrorIs(t, err, participation.ErrConflict, "one report per person")
	comment := participation.ItemRef{Kind: participation.ItemComment, ID: participationtest.NewID(rng)}
	_, err = st.CreateReport(ctx, &participation.Report{ID: participationtest.NewID(rng), Item: comment, ReporterID: w.people[0],
		Reason: participation.ReasonSpam, CreatedAt: at}, 3, nil)
	assert.ErrorIs(t, err, participation.ErrNotFound, "a proposals store holds no comment")

	participationtest.CheckList(t, want, canonReport, func(after string, limit int) (civickit.Page[participation.Report], error) {
		return st.ListReports(ctx, i1, after, limit)
	})
	participationtest.CheckList(t, []participation.QueuedItem{
		{Item: i1, Moderation: participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 3}},
		{Item: i2, Moderation: participation.Moderation{OpenReports: 1}},
	}, nil, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})

	d := &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: i1, Kind: participation.DecisionRestore,
		Moderator: "moderatrice-1", Note: "Recevable", At: at.Add(time.Second)}
	m, err = st.Moderate(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, participation.Moderation{}, m)
	assert.Equal(t, 3, d.ReportsResolved)
	assert.Equal(t, w.c.ID, d.ConsultationID)
	queue := participationtest.ReadAll(t, 1, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})
	participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[participation.QueuedItem], error) {
		return st.ListModerationQueue(ctx, w.c.ID, after, limit)
	})
	assert.Equal(t, []participation.QueuedItem{{Item: i2, Moderation: participation.Moderation{OpenReports: 1}}}, queue)
	log := participationtest.ReadAll(t, 1, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
		return st.ListModerationDecisions(ctx, w.c.ID, after, limit)
	})
	participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
		return st.ListModerationDecisions(ctx, w.c.ID, after, limit)
	})
	require.Len(t, log, 2)
	assert.Equal(t, participation.DecisionAutoHide, log[0].Kind)
	assert.Equal(t, i1, log[0].Item)
	assert.Equal(t, participation.DecisionRestore, log[1].Kind)
	assert.Equal(t, "Recevable", log[1].Note)
	_, err = st.ListModerationDecisions(ctx, w.c.ID, "%%", 1)
	assert.ErrorIs(t, err, participation.ErrInvalid)
	for _, r := range participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Report], error) {
		return st.ListReports(ctx, i1, after, limit)
	}) {
		assert.Equal(t, participation.ReportRejected, r.Status)
		require.NotNil(t, r.DecisionID)
		assert.Equal(t, d.ID, *r.DecisionID)
	}
}

func canonReport(r participation.Report) participation.Report {
	r.CreatedAt = participationtest.CanonTime(r.CreatedAt)
	r.ResolvedAt = participationtest.CanonTime(r.ResolvedAt)
	r.Status = participation.ReportOpen
	return r
}
