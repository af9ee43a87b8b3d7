package proposalstest

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/participation/proposals"
)

// testProposals checks proposals and supports.
func testProposals(t *testing.T, st stores) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		rng := participationtest.NewRand(321)
		w := newWorld(t, st, rng, 0, 3)
		other := newWorld(t, st, rng, 1, 1)
		var want []proposals.Proposal
		for i := range 5 {
			p := NewProposal(rng, w.c.ID, w.people[i%3], 20-i)
			require.NoError(t, createProposal(st, p))
			got, err := st.GetProposal(ctx, p.ID)
			require.NoError(t, err)
			assert.Equal(t, CanonProposal(*p), CanonProposal(*got))
			want = append([]proposals.Proposal{CanonProposal(*p)}, want...)
		}
		require.NoError(t, createProposal(st, NewProposal(rng, other.c.ID, other.people[0], 0)))
		list := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[proposals.Proposal], error) {
			return st.ListProposals(ctx, w.c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[proposals.Proposal], error) {
			return st.ListProposals(ctx, w.c.ID, after, limit)
		})
		for i := range list {
			list[i] = CanonProposal(list[i])
		}
		assert.Equal(t, want, list, "by creation")

		_, err := st.GetProposal(ctx, participationtest.NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)
		dup := NewProposal(rng, w.c.ID, w.people[0], 0)
		dup.ID = want[0].ID
		assert.ErrorIs(t, createProposal(st, dup), participation.ErrConflict)
		assert.ErrorIs(t, createProposal(st, NewProposal(rng, w.c.ID, participationtest.NewID(rng), 0)), participation.ErrNotFound)
		assert.ErrorIs(t, createProposal(st, NewProposal(rng, participationtest.NewID(rng), w.people[0], 0)), participation.ErrNotFound)
	})

	t.Run("Supports", func(t *testing.T) {
		rng := participationtest.NewRand(322)
		w := newWorld(t, st, rng, 0, 4)
		p := NewProposal(rng, w.c.ID, w.people[0], 0)
		require.NoError(t, createProposal(st, p))
		support := func(who int, ch civickit.Channel) (int, error) {
			return st.SupportProposal(ctx, &proposals.Support{ProposalID: p.ID, ParticipantID: w.people[who],
				Provenance: participationtest.Provenance(ch, who), SupportedAt: participationtest.BaseTime})
		}
		for i, ch := range []civickit.Channel{civickit.ChannelWeb, civickit.ChannelPaper, civickit.ChannelKiosk} {
			n, err := support(i, ch)
			require.NoError(t, err)
			assert.Equal(t, i+1, n)
		}
		for _, ch := range civickit.Channels() {
			_, err := support(1, ch)
			assert.ErrorIs(t, err, participation.ErrConflict, "one support per person, on %s too", ch)
		}
		n, err := st.WithdrawSupport(ctx, p.ID, w.people[1])
		require.NoError(t, err)
		assert.Equal(t, 2, n)
		_, err = st.WithdrawSupport(ctx, p.ID, w.people[1])
		assert.ErrorIs(t, err, participation.ErrNotFound, "nothing left to withdraw")
		n, err = support(1, civickit.ChannelMediator)
		require.NoError(t, err)
		assert.Equal(t, 3, n, "a withdrawn support may be given again")

		_, err = st.SupportProposal(ctx, &proposals.Support{ProposalID: p.ID, ParticipantID: participationtest.NewID(rng),
			Provenance: participationtest.Provenance(civickit.ChannelWeb, 0), SupportedAt: participationtest.BaseTime})
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, err = st.SupportProposal(ctx, &proposals.Support{ProposalID: participationtest.NewID(rng), ParticipantID: w.people[3],
			Provenance: participationtest.Provenance(civickit.ChannelWeb, 0), SupportedAt: participationtest.BaseTime})
		assert.ErrorIs(t, err, participation.ErrNotFound)
		got, err := st.GetProposal(ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, 3, got.Supports, "refused supports count for nothing")

		// Proposals are moderated like the other items.
		item := participation.ItemRef{Kind: participation.ItemProposal, ID: p.ID}
		for i := range 2 {
			m, err := st.CreateReport(ctx, &participation.Report{ID: participationtest.NewID(rng), ConsultationID: w.c.ID, Item: item,
				ReporterID: w.people[i+1], Reason: participation.ReasonSpam, CreatedAt: participationtest.BaseTime}, 2, &participation.ModerationDecision{
				ID: participationtest.NewID(rng), Kind: participation.DecisionAutoHide, Moderator: participation.AutoHideActor, At: participationtest.BaseTime})
			require.NoError(t, err)
			assert.Equal(t, i == 1, m.Hidden())
		}
		got, err = st.GetProposal(ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 2}, got.Moderation)
	})

	t.Run("ConcurrentSupports", func(t *testing.T) {
		rng := participationtest.NewRand(323)
		const people = 10
		w := newWorld(t, st, rng, 0, people)
		p := NewProposal(rng, w.c.ID, w.people[0], 0)
		require.NoError(t, createProposal(st, p))
		var wg sync.WaitGroup
		errs := make([]error, 2*people)
		for i := range 2 * people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// everyone tries twice, on two channels at once
				ch := []civickit.Channel{civickit.ChannelWeb, civickit.ChannelPaper}[i%2]
				_, errs[i] = st.SupportProposal(ctx, &proposals.Support{ProposalID: p.ID, ParticipantID: w.people[i/2],
					Provenance: participationtest.Provenance(ch, i), SupportedAt: participationtest.BaseTime})
			}()
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			default:
				assert.ErrorIs(t, err, participation.ErrConflict, "writer %d", i)
			}
		}
		assert.Equal(t, people, ok, "one support per person")
		got, err := st.GetProposal(ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, people, got.Supports)
	})
}
