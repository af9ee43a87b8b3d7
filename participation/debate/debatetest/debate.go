package debatetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/participationtest"
)

// debateWorld is a consultation with participants, stored.
type debateWorld struct {
	c      *participation.Consultation
	people []uuid.UUID
}

func newDebateWorld(t *testing.T, st stores, rng *rand.Rand, i, people int) debateWorld {
	t.Helper()
	ctx := context.Background()
	c := participationtest.NewConsultation(rng, i)
	require.NoError(t, st.CreateConsultation(ctx, c))
	w := debateWorld{c: c}
	for j := range people {
		p, pd := participationtest.NewParticipant(rng, 1000*i+j)
		require.NoError(t, st.CreateParticipant(ctx, p, pd))
		w.people = append(w.people, p.ID)
	}
	return w
}

func debateCanonComments(cs []debate.Comment) []debate.Comment {
	out := make([]debate.Comment, len(cs))
	for i, c := range cs {
		out[i] = CanonComment(c)
	}
	return participationtest.NilIfEmpty(out)
}

// debateListAll pages through ListComments with pages of size limit.
func debateListAll(t *testing.T, st stores, consultationID uuid.UUID, limit int) []debate.Comment {
	t.Helper()
	return participationtest.ReadAll(t, limit, func(after string, limit int) (civickit.Page[debate.Comment], error) {
		return st.ListComments(context.Background(), consultationID, after, limit)
	})
}

// testDebate checks the contract of debate.Store.
//
// Every scenario works in consultations of its own, so that one store
// serves them all: creating a database is the slowest part of the suite
// on server engines.
func testDebate(t *testing.T, newStore func(t *testing.T) stores) {
	ctx := context.Background()
	st := newStore(t)

	t.Run("CommentRoundTrip", func(t *testing.T) {
		rng := participationtest.NewRand(301)
		w := newDebateWorld(t, st, rng, 0, 3)
		var created []debate.Comment
		var parent *debate.Comment
		for i := range 5 { // a chain, one per channel
			c := NewComment(rng, w.c.ID, w.people[i%3], parent, i)
			require.NoError(t, debateCreateComment(st, c))
			got, err := st.GetComment(ctx, c.ID)
			require.NoError(t, err)
			assert.Equal(t, CanonComment(*c), CanonComment(*got))
			assert.False(t, got.Edited())
			created = append(created, *c)
			parent = c
		}
		assert.Equal(t, debateCanonComments(ThreadOrder(created)), debateCanonComments(debateListAll(t, st, w.c.ID, 100)))
	})

	t.Run("CommentErrors", func(t *testing.T) {
		rng := participationtest.NewRand(302)
		w := newDebateWorld(t, st, rng, 0, 1)
		other := newDebateWorld(t, st, rng, 1, 1)
		_, err := st.GetComment(ctx, participationtest.NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)

		c := NewComment(rng, w.c.ID, w.people[0], nil, 0)
		require.NoError(t, debateCreateComment(st, c))
		dup := NewComment(rng, w.c.ID, w.people[0], nil, 1)
		dup.ID = c.ID
		assert.ErrorIs(t, debateCreateComment(st, dup), participation.ErrConflict)

		tests := []struct {
			name   string
			modify func(x *debate.Comment)
		}{
			{"unknown consultation", func(x *debate.Comment) { x.ConsultationID = participationtest.NewID(rng) }},
			{"unknown author", func(x *debate.Comment) { x.AuthorID = participationtest.NewID(rng) }},
			{"unknown parent", func(x *debate.Comment) { id := participationtest.NewID(rng); x.ParentID, x.Depth = &id, 2 }},
			{"parent in another consultation", func(x *debate.Comment) {
				x.ConsultationID, x.AuthorID = other.c.ID, other.people[0]
				x.ParentID, x.Depth = &c.ID, 2
			}},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				x := NewComment(rng, w.c.ID, w.people[0], nil, 10+i)
				tt.modify(x)
				assert.ErrorIs(t, debateCreateComment(st, x), participation.ErrNotFound)
				_, err := st.GetComment(ctx, x.ID)
				assert.ErrorIs(t, err, participation.ErrNotFound, "nothing written")
			})
		}
		_, err = st.ListComments(ctx, w.c.ID, "", -1)
		assert.ErrorIs(t, err, participation.ErrInvalid, "a negative page size")
	})

	t.Run("ThreadOrderAndPages", func(t *testing.T) {
		rng := participationtest.NewRand(303)
		w := newDebateWorld(t, st, rng, 0, 4)
		other := newDebateWorld(t, st, rng, 1, 1)
		var all []debate.Comment
		byDepth := map[int][]*debate.Comment{}
		for i := range 60 {
			var parent *debate.Comment
			if d := rng.IntN(4); d > 0 && len(byDepth[d]) > 0 {
				parent = byDepth[d][rng.IntN(len(byDepth[d]))]
			}
			c := NewComment(rng, w.c.ID, w.people[rng.IntN(4)], parent, rng.IntN(30))
			if i%7 == 0 && len(all) > 0 { // siblings posted in the same microsecond
				c.CreatedAt, c.UpdatedAt = all[len(all)-1].CreatedAt, all[len(all)-1].CreatedAt
			}
			require.NoError(t, debateCreateComment(st, c))
			all = append(all, *c)
			byDepth[c.Depth] = append(byDepth[c.Depth], c)
		}
		require.NoError(t, debateCreateComment(st, NewComment(rng, other.c.ID, other.people[0], nil, 0)))
		want := debateCanonComments(ThreadOrder(all))
		for _, limit := range []int{1, 7, 60, 61, 500} {
			t.Run(fmt.Sprint("limit=", limit), func(t *testing.T) {
				assert.Equal(t, want, debateCanonComments(debateListAll(t, st, w.c.ID, limit)))
			})
		}
		participationtest.CheckList(t, ThreadOrder(all), CanonComment, func(after string, limit int) (civickit.Page[debate.Comment], error) {
			return st.ListComments(ctx, w.c.ID, after, limit)
		})
		page, err := st.ListComments(ctx, participationtest.NewID(rng), "", 10)
		require.NoError(t, err)
		assert.Empty(t, page.Items, "an unknown consultation has no comments")
		assert.Empty(t, page.Next)
	})

	t.Run("EditHistory", func(t *testing.T) {
		rng := participationtest.NewRand(304)
		w := newDebateWorld(t, st, rng, 0, 1)
		c := NewComment(rng, w.c.ID, w.people[0], nil, 0)
		require.NoError(t, debateCreateComment(st, c))
		stale := *c
		var want []debate.CommentRevision
		for i, body := range []string{"Deuxième version.", "Troisième version, plus nuancée."} {
			prev := debate.CommentRevision{
				CommentID: c.ID, Version: c.Version, Body: c.Body, Alignment: c.Alignment,
				WrittenAt: c.UpdatedAt, ReplacedAt: c.UpdatedAt.Add(time.Duration(i+1) * time.Hour),
			}
			c.Body, c.Alignment, c.UpdatedAt = body, debate.AlignAgainst, prev.ReplacedAt
			require.NoError(t, st.EditComment(ctx, c, prev))
			assert.Equal(t, i+2, c.Version)
			want = append(want, prev)
		}
		got, err := st.GetComment(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, CanonComment(*c), CanonComment(*got))
		assert.True(t, got.Edited())
		revs := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[debate.CommentRevision], error) {
			return st.ListCommentRevisions(ctx, c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[debate.CommentRevision], error) {
			return st.ListCommentRevisions(ctx, c.ID, after, limit)
		})
		require.Len(t, revs, len(want))
		for i := range want {
			assert.Equal(t, want[i].Body, revs[i].Body)
			assert.Equal(t, want[i].Version, revs[i].Version)
			assert.Equal(t, want[i].Alignment, revs[i].Alignment)
			assert.Equal(t, participationtest.CanonTime(want[i].WrittenAt), participationtest.CanonTime(revs[i].WrittenAt))
			assert.Equal(t, participationtest.CanonTime(want[i].ReplacedAt), participationtest.CanonTime(revs[i].ReplacedAt))
		}

		stale.Body = "Écrasement"
		err = st.EditComment(ctx, &stale, debate.CommentRevision{CommentID: c.ID, Version: 1, Body: "x", Alignment: debate.AlignFor})
		assert.ErrorIs(t, err, participation.ErrConflict)
		assert.Equal(t, 1, stale.Version, "a refused edit leaves the version alone")
		revs = participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[debate.CommentRevision], error) {
			return st.ListCommentRevisions(ctx, c.ID, after, limit)
		})
		assert.Len(t, revs, 2, "a stale edit writes nothing")
		got, err = st.GetComment(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.Body, got.Body)

		ghost := NewComment(rng, w.c.ID, w.people[0], nil, 1)
		err = st.EditComment(ctx, ghost, debate.CommentRevision{CommentID: ghost.ID, Version: 1})
		assert.ErrorIs(t, err, participation.ErrNotFound)
	})

	t.Run("CommentVotes", func(t *testing.T) {
		rng := participationtest.NewRand(305)
		w := newDebateWorld(t, st, rng, 0, 4)
		c := NewComment(rng, w.c.ID, w.people[0], nil, 0)
		require.NoError(t, debateCreateComment(st, c))
		vote := func(p int, v debate.CommentVoteValue, ch civickit.Channel) (int, int) {
			t.Helper()
			cv := &debate.CommentVote{CommentID: c.ID, ParticipantID: w.people[p], Value: v,
				Provenance: participationtest.Provenance(ch, p), VotedAt: participationtest.BaseTime.Add(time.Duration(p) * time.Second)}
			up, down, err := st.VoteComment(ctx, cv)
			require.NoError(t, err)
			return up, down
		}
		steps := []struct {
			who      int
			v        debate.CommentVoteValue
			up, down int
		}{
			{1, debate.VoteUp, 1, 0},
			{2, debate.VoteUp, 2, 0},
			{3, debate.VoteDown, 2, 1},
			{1, debate.VoteUp, 2, 1},   // the same vote again
			{2, debate.VoteDown, 1, 2}, // changed
			{3, debate.VoteNone, 1, 1}, // withdrawn
			{3, debate.VoteNone, 1, 1}, // withdrawing nothing
			{0, debate.VoteUp, 2, 1},   // the author may vote
		}
		for i, s := range steps {
			up, down := vote(s.who, s.v, civickit.Channels()[i%5])
			assert.Equal(t, [2]int{s.up, s.down}, [2]int{up, down}, "step %d", i)
		}
		got, err := st.GetComment(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Up)
		assert.Equal(t, 1, got.Down)

		cv, err := st.GetCommentVote(ctx, c.ID, w.people[2])
		require.NoError(t, err)
		assert.Equal(t, debate.VoteDown, cv.Value)
		assert.Equal(t, participationtest.Provenance(civickit.Channels()[4], 2), cv.Provenance, "the vote's provenance is the last one's")
		_, err = st.GetCommentVote(ctx, c.ID, w.people[3])
		assert.ErrorIs(t, err, participation.ErrNotFound, "a withdrawn vote is gone")

		_, _, err = st.VoteComment(ctx, &debate.CommentVote{CommentID: participationtest.NewID(rng), ParticipantID: w.people[1],
			Value: debate.VoteUp, Provenance: participationtest.Provenance(civickit.ChannelWeb, 0), VotedAt: participationtest.BaseTime})
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, _, err = st.VoteComment(ctx, &debate.CommentVote{CommentID: c.ID, ParticipantID: participationtest.NewID(rng),
			Value: debate.VoteUp, Provenance: participationtest.Provenance(civickit.ChannelWeb, 0), VotedAt: participationtest.BaseTime})
		assert.ErrorIs(t, err, participation.ErrNotFound)
		got, err = st.GetComment(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, [2]int{2, 1}, [2]int{got.Up, got.Down}, "refused votes change nothing")
	})

	t.Run("ConcurrentCommentVotes", func(t *testing.T) {
		rng := participationtest.NewRand(306)
		const voters = 12
		w := newDebateWorld(t, st, rng, 0, voters)
		c := NewComment(rng, w.c.ID, w.people[0], nil, 0)
		require.NoError(t, debateCreateComment(st, c))
		var wg sync.WaitGroup
		errs := make([]error, voters)
		for i := range voters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// everyone votes up, then the odd ones change to down
				for _, v := range []debate.CommentVoteValue{debate.VoteUp, debate.VoteDown} {
					if v == debate.VoteDown && i%2 == 0 {
						break
					}
					cv := &debate.CommentVote{CommentID: c.ID, ParticipantID: w.people[i], Value: v,
						Provenance: participationtest.Provenance(civickit.ChannelWeb, i), VotedAt: participationtest.BaseTime}
					if _, _, err := st.VoteComment(ctx, cv); err != nil {
						errs[i] = err
						return
					}
				}
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "voter %d", i)
		}
		got, err := st.GetComment(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, [2]int{voters / 2, voters / 2}, [2]int{got.Up, got.Down})
	})

	t.Run("ReportsAndModeration", func(t *testing.T) {
		rng := participationtest.NewRand(307)
		w := newDebateWorld(t, st, rng, 0, 8)
		c := NewComment(rng, w.c.ID, w.people[0], nil, 0)
		require.NoError(t, debateCreateComment(st, c))
		item := participation.ItemRef{Kind: participation.ItemComment, ID: c.ID}
		at := participationtest.BaseTime
		tick := func() time.Time { at = at.Add(time.Minute); return at }
		report := func(who int, reason participation.ReportReason) (*participation.Report, participation.Moderation, *participation.ModerationDecision, error) {
			r := &participation.Report{ID: participationtest.NewID(rng), ConsultationID: w.c.ID, Item: item, ReporterID: w.people[who],
				Reason: reason, Status: participation.ReportOpen, CreatedAt: tick()}
			if reason == participation.ReasonOther {
				r.Details = "Propos hors charte."
			}
			hide := &participation.ModerationDecision{ID: participationtest.NewID(rng), ConsultationID: w.c.ID, Item: item,
				Kind: participation.DecisionAutoHide, Moderator: participation.AutoHideActor, At: at}
			m, err := st.CreateReport(ctx, r, 3, hide)
			return r, m, hide, err
		}
		moderation := func() participation.Moderation {
			got, err := st.GetComment(ctx, c.ID)
			require.NoError(t, err)
			return got.Moderation
		}

		var reports []*participation.Report
		var log []participation.ModerationDecision
		for i, reason := range []participation.ReportReason{participation.ReasonSpam, participation.ReasonOther, participation.ReasonOffensive} {
			r, m, hide, err := report(1+i, reason)
			require.NoError(t, err)
			reports = append(reports, r)
			assert.Equal(t, i+1, m.OpenReports)
			if i < 2 {
				assert.False(t, m.Hidden(), "%d reports of 3", i+1)
				continue
			}
			assert.Equal(t, participation.HiddenByReports, m.HiddenBy, "hidden at the third distinct report")
			log = append(log, *hide)
		}
		assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 3}, moderation())

		_, _, _, err := report(1, participation.ReasonSpam)
		assert.ErrorIs(t, err, participation.ErrConflict, "one report per person per item")
		assert.Equal(t, 3, moderation().OpenReports, "a refused report counts for nothing")
		r4, m, _, err := report(4, participation.ReasonPersonalData)
		require.NoError(t, err)
		reports = append(reports, r4)
		assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: 4}, m)

		// A moderator rejects the reports: visible again, the reports closed.
		reject := &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: item, Kind: participation.DecisionRejectReports,
			Moderator: "moderatrice-1", Note: "Critique vive mais recevable.", At: tick()}
		m, err = st.Moderate(ctx, reject)
		require.NoError(t, err)
		assert.Equal(t, participation.Moderation{}, m)
		assert.Equal(t, 4, reject.ReportsResolved)
		assert.Equal(t, w.c.ID, reject.ConsultationID)
		log = append(log, *reject)
		got := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Report], error) {
			return st.ListReports(ctx, item, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[participation.Report], error) {
			return st.ListReports(ctx, item, after, limit)
		})
		require.Len(t, got, 4)
		for i, r := range got {
			assert.Equal(t, reports[i].ID, r.ID, "reports by creation")
			assert.Equal(t, reports[i].Reason, r.Reason)
			assert.Equal(t, reports[i].Details, r.Details)
			assert.Equal(t, reports[i].ReporterID, r.ReporterID)
			assert.Equal(t, participation.ReportRejected, r.Status)
			assert.Equal(t, participationtest.CanonTime(reject.At), participationtest.CanonTime(r.ResolvedAt))
			if assert.NotNil(t, r.DecisionID) {
				assert.Equal(t, reject.ID, *r.DecisionID)
			}
		}

		// Rejected reports no longer count; earlier reporters cannot report again.
		_, _, _, err = report(2, participation.ReasonSpam)
		assert.ErrorIs(t, err, participation.ErrConflict)
		for i := 5; i <= 6; i++ {
			_, m, _, err = report(i, participation.ReasonOffTopic)
			require.NoError(t, err)
		}
		assert.Equal(t, participation.Moderation{OpenReports: 2}, m, "two new reports of three")

		// Refused decisions change nothing.
		for _, k := range []participation.DecisionKind{participation.DecisionRestore} {
			d := &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: item, Kind: k, Moderator: "moderatrice-1", At: tick()}
			_, err := st.Moderate(ctx, d)
			var te *participation.TransitionError
			assert.ErrorAs(t, err, &te, "%s a visible comment", k)
		}
		assert.Equal(t, participation.Moderation{OpenReports: 2}, moderation())

		hide := &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: item, Kind: participation.DecisionHide,
			Moderator: "moderateur-2", At: tick()}
		m, err = st.Moderate(ctx, hide)
		require.NoError(t, err)
		assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByModerator}, m)
		assert.Equal(t, 2, hide.ReportsResolved)
		log = append(log, *hide)
		_, err = st.Moderate(ctx, &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: item,
			Kind: participation.DecisionHide, Moderator: "moderateur-2", At: tick()})
		assert.ErrorIs(t, err, participation.ErrIllegalTransition, "hiding twice")
		_, err = st.Moderate(ctx, &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: item,
			Kind: participation.DecisionRejectReports, Moderator: "moderateur-2", At: tick()})
		assert.ErrorIs(t, err, participation.ErrIllegalTransition, "no open report to reject")
		_, m, _, err = report(7, participation.ReasonSpam)
		require.NoError(t, err)
		assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByModerator, OpenReports: 1}, m)

		restore := &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: item, Kind: participation.DecisionRestore,
			Moderator: "moderatrice-1", Note: "Rétabli après relecture.", At: tick()}
		m, err = st.Moderate(ctx, restore)
		require.NoError(t, err)
		assert.Equal(t, participation.Moderation{}, m)
		assert.Equal(t, 1, restore.ReportsResolved)
		log = append(log, *restore)
		got = participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.Report], error) {
			return st.ListReports(ctx, item, after, limit)
		})
		statuses := map[participation.ReportStatus]int{}
		for _, r := range got {
			statuses[r.Status]++
		}
		assert.Equal(t, map[participation.ReportStatus]int{participation.ReportRejected: 5, participation.ReportUpheld: 2}, statuses)

		gotLog := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
			return st.ListModerationDecisions(ctx, w.c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
			return st.ListModerationDecisions(ctx, w.c.ID, after, limit)
		})
		require.Len(t, gotLog, len(log))
		for i := range log {
			want := log[i]
			want.At = participationtest.CanonTime(want.At)
			gotLog[i].At = participationtest.CanonTime(gotLog[i].At)
			assert.Equal(t, want, gotLog[i], "decision %d", i)
		}

		// Unknown items and reporters.
		ghost := participation.ItemRef{Kind: participation.ItemComment, ID: participationtest.NewID(rng)}
		_, err = st.CreateReport(ctx, &participation.Report{ID: participationtest.NewID(rng), ConsultationID: w.c.ID, Item: ghost,
			ReporterID: w.people[1], Reason: participation.ReasonSpam, CreatedAt: tick()}, 3, nil)
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, err = st.CreateReport(ctx, &participation.Report{ID: participationtest.NewID(rng), ConsultationID: w.c.ID, Item: item,
			ReporterID: participationtest.NewID(rng), Reason: participation.ReasonSpam, CreatedAt: tick()}, 3, nil)
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, err = st.Moderate(ctx, &participation.ModerationDecision{ID: participationtest.NewID(rng), Item: ghost,
			Kind: participation.DecisionHide, Moderator: "m", At: tick()})
		assert.ErrorIs(t, err, participation.ErrNotFound)
		assert.Equal(t, participation.Moderation{}, moderation())
	})

	t.Run("ConcurrentReports", func(t *testing.T) {
		rng := participationtest.NewRand(308)
		const reporters = 10
		w := newDebateWorld(t, st, rng, 0, reporters)
		s := NewStatement(rng, w.c.ID, &w.people[0], 0)
		require.NoError(t, debateCreateStatement(st, s))
		item := participation.ItemRef{Kind: participation.ItemStatement, ID: s.ID}
		reports := make([]*participation.Report, reporters)
		hides := make([]*participation.ModerationDecision, reporters)
		for i := range reporters {
			reports[i] = &participation.Report{ID: participationtest.NewID(rng), ConsultationID: w.c.ID, Item: item,
				ReporterID: w.people[i], Reason: participation.ReasonOffTopic, CreatedAt: participationtest.BaseTime}
			hides[i] = &participation.ModerationDecision{ID: participationtest.NewID(rng), ConsultationID: w.c.ID, Item: item,
				Kind: participation.DecisionAutoHide, Moderator: participation.AutoHideActor, At: participationtest.BaseTime}
		}
		var wg sync.WaitGroup
		errs := make([]error, reporters)
		for i := range reporters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = st.CreateReport(ctx, reports[i], 4, hides[i])
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "reporter %d", i)
		}
		got, err := st.GetStatement(ctx, s.ID)
		require.NoError(t, err)
		assert.Equal(t, participation.Moderation{HiddenBy: participation.HiddenByReports, OpenReports: reporters}, got.Moderation)
		log := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[participation.ModerationDecision], error) {
			return st.ListModerationDecisions(ctx, w.c.ID, after, limit)
		})
		require.Len(t, log, 1, "hidden once")
		assert.Equal(t, participation.DecisionAutoHide, log[0].Kind)
		assert.Equal(t, item, log[0].Item)
	})

	t.Run("Statements", func(t *testing.T) {
		rng := participationtest.NewRand(309)
		w := newDebateWorld(t, st, rng, 0, 3)
		other := newDebateWorld(t, st, rng, 1, 1)
		var want []debate.Statement
		for i := range 6 {
			var author *uuid.UUID
			if i%3 != 0 {
				author = &w.people[i%3]
			}
			s := NewStatement(rng, w.c.ID, author, 10-i) // created in reverse order
			require.NoError(t, debateCreateStatement(st, s))
			got, err := st.GetStatement(ctx, s.ID)
			require.NoError(t, err)
			assert.Equal(t, CanonStatement(*s), CanonStatement(*got))
			want = append([]debate.Statement{CanonStatement(*s)}, want...)
		}
		require.NoError(t, debateCreateStatement(st, NewStatement(rng, other.c.ID, nil, 0)))
		list := participationtest.ReadAll(t, 2, func(after string, limit int) (civickit.Page[debate.Statement], error) {
			return st.ListStatements(ctx, w.c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[debate.Statement], error) {
			return st.ListStatements(ctx, w.c.ID, after, limit)
		})
		for i := range list {
			list[i] = CanonStatement(list[i])
		}
		assert.Equal(t, want, list)

		_, err := st.GetStatement(ctx, participationtest.NewID(rng))
		assert.ErrorIs(t, err, participation.ErrNotFound)
		dup := NewStatement(rng, w.c.ID, nil, 0)
		dup.ID = want[0].ID
		assert.ErrorIs(t, debateCreateStatement(st, dup), participation.ErrConflict)
		ghostAuthor := participationtest.NewID(rng)
		assert.ErrorIs(t, debateCreateStatement(st, NewStatement(rng, w.c.ID, &ghostAuthor, 0)), participation.ErrNotFound)
		assert.ErrorIs(t, debateCreateStatement(st, NewStatement(rng, participationtest.NewID(rng), nil, 0)), participation.ErrNotFound)
	})

	t.Run("StatementVotesAndOpinions", func(t *testing.T) {
		rng := participationtest.NewRand(310)
		const people, statements = 9, 5
		w := newDebateWorld(t, st, rng, 0, people)
		other := newDebateWorld(t, st, rng, 1, 0)
		var ss []*debate.Statement
		for i := range statements {
			s := NewStatement(rng, w.c.ID, nil, i)
			require.NoError(t, debateCreateStatement(st, s))
			ss = append(ss, s)
		}
		elsewhere := NewStatement(rng, other.c.ID, nil, 0)
		require.NoError(t, debateCreateStatement(st, elsewhere))

		opinions := []debate.Opinion{debate.OpinionAgree, debate.OpinionDisagree, debate.OpinionPass}
		final := map[[2]int]debate.Opinion{} // (person, statement) -> opinion
		counts := make([]debate.OpinionCounts, statements)
		for round := range 2 { // the second round changes some votes
			for p := range people {
				for s := range statements {
					if rng.IntN(3) == 0 || (round == 1 && rng.IntN(2) == 0) {
						continue
					}
					o := opinions[rng.IntN(3)]
					v := &debate.StatementVote{StatementID: ss[s].ID, ParticipantID: w.people[p], Opinion: o,
						Provenance: participationtest.Provenance(civickit.Channels()[p%5], p), VotedAt: participationtest.BaseTime}
					got, err := st.VoteStatement(ctx, v, fmt.Sprintf("voter-%d-%d-%d", p, s, round))
					require.NoError(t, err)
					assert.Equal(t, w.c.ID, v.ConsultationID)
					if prev, ok := final[[2]int{p, s}]; ok {
						debateAddOpinion(&counts[s], prev, -1)
					}
					final[[2]int{p, s}] = o
					debateAddOpinion(&counts[s], o, +1)
					assert.Equal(t, counts[s], got)
				}
			}
		}
		for s := range statements {
			got, err := st.GetStatement(ctx, ss[s].ID)
			require.NoError(t, err)
			assert.Equal(t, counts[s], got.Counts, "statement %d", s)
		}
		// The same person in another consultation is another voter.
		p0 := w.people[0]
		require.NoError(t, st.CreateParticipant(ctx, &participation.Participant{ID: participationtest.NewID(rng), CreatedAt: participationtest.BaseTime}, nil))
		_, err := st.VoteStatement(ctx, &debate.StatementVote{StatementID: elsewhere.ID, ParticipantID: p0,
			Opinion: debate.OpinionAgree, Provenance: participationtest.Provenance(civickit.ChannelWeb, 0), VotedAt: participationtest.BaseTime}, "voter-elsewhere")
		require.NoError(t, err)

		_, err = st.ListOpinions(ctx, w.c.ID, "%%", 1)
		assert.ErrorIs(t, err, participation.ErrInvalid, "a malformed cursor")
		for _, limit := range []int{1, 4, 500} {
			t.Run(fmt.Sprint("limit=", limit), func(t *testing.T) {
				all := participationtest.ReadAll(t, limit, func(after string, limit int) (civickit.Page[debate.VoterOpinion], error) {
					return st.ListOpinions(ctx, w.c.ID, after, limit)
				})
				require.Len(t, all, len(final))
				for i := 1; i < len(all); i++ {
					a, b := all[i-1], all[i]
					ordered := a.Voter < b.Voter || (a.Voter == b.Voter && bytes.Compare(a.StatementID[:], b.StatementID[:]) < 0)
					assert.True(t, ordered, "opinions %d and %d out of order", i-1, i)
				}
				// Each person has one pseudonym, the first one offered,
				// and each (voter, statement) holds the person's last opinion.
				byVoter := map[string]map[uuid.UUID]debate.Opinion{}
				for _, o := range all {
					if byVoter[o.Voter] == nil {
						byVoter[o.Voter] = map[uuid.UUID]debate.Opinion{}
					}
					byVoter[o.Voter][o.StatementID] = o.Opinion
				}
				for p := range people {
					mine := map[uuid.UUID]debate.Opinion{}
					for s := range statements {
						if o, ok := final[[2]int{p, s}]; ok {
							mine[ss[s].ID] = o
						}
					}
					if len(mine) == 0 {
						continue
					}
					var found string
					for voter, ops := range byVoter {
						if fmt.Sprint(ops) == fmt.Sprint(mine) {
							found = voter
						}
					}
					assert.NotEmpty(t, found, "person %d's opinions under one pseudonym", p)
					assert.Regexp(t, fmt.Sprintf("^voter-%d-", p), found, "the pseudonym first offered for person %d", p)
				}
				for _, o := range all {
					assert.NotEqual(t, "voter-elsewhere", o.Voter)
				}
			})
		}

		_, err = st.VoteStatement(ctx, &debate.StatementVote{StatementID: participationtest.NewID(rng), ParticipantID: p0,
			Opinion: debate.OpinionAgree, Provenance: participationtest.Provenance(civickit.ChannelWeb, 0), VotedAt: participationtest.BaseTime}, "v")
		assert.ErrorIs(t, err, participation.ErrNotFound)
		_, err = st.VoteStatement(ctx, &debate.StatementVote{StatementID: ss[0].ID, ParticipantID: participationtest.NewID(rng),
			Opinion: debate.OpinionAgree, Provenance: participationtest.Provenance(civickit.ChannelWeb, 0), VotedAt: participationtest.BaseTime}, "v2")
		assert.ErrorIs(t, err, participation.ErrNotFound)
		got, err := st.GetStatement(ctx, ss[0].ID)
		require.NoError(t, err)
		assert.Equal(t, counts[0], got.Counts, "refused votes change nothing")
	})

	t.Run("Idempotency", func(t *testing.T) { testDebateIdempotency(t, st) })
	t.Run("ModerationQueue", func(t *testing.T) { testDebateQueue(t, st) })

	t.Run("ConcurrentStatementVotes", func(t *testing.T) {
		rng := participationtest.NewRand(311)
		const voters = 12
		w := newDebateWorld(t, st, rng, 0, voters)
		s := NewStatement(rng, w.c.ID, nil, 0)
		require.NoError(t, debateCreateStatement(st, s))
		s2 := NewStatement(rng, w.c.ID, nil, 1)
		require.NoError(t, debateCreateStatement(st, s2))
		var wg sync.WaitGroup
		errs := make([]error, 2*voters)
		for i := range 2 * voters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// each person votes on both statements at once
				target := []uuid.UUID{s.ID, s2.ID}[i%2]
				v := &debate.StatementVote{StatementID: target, ParticipantID: w.people[i/2],
					Opinion: debate.OpinionAgree, Provenance: participationtest.Provenance(civickit.ChannelWeb, i), VotedAt: participationtest.BaseTime}
				_, errs[i] = st.VoteStatement(ctx, v, fmt.Sprintf("v%02d-%d", i/2, i%2))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if errors.Is(err, participation.ErrUnavailable) {
				t.Logf("writer %d: %v", i, err)
			}
			require.NoError(t, err, "writer %d", i)
		}
		for _, id := range []uuid.UUID{s.ID, s2.ID} {
			got, err := st.GetStatement(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, debate.OpinionCounts{Agree: voters}, got.Counts)
		}
		ops := participationtest.ReadAll(t, 7, func(after string, limit int) (civickit.Page[debate.VoterOpinion], error) {
			return st.ListOpinions(ctx, w.c.ID, after, limit)
		})
		participationtest.CheckPaging(t, func(after string, limit int) (civickit.Page[debate.VoterOpinion], error) {
			return st.ListOpinions(ctx, w.c.ID, after, limit)
		})
		seen := map[string]int{}
		for _, o := range ops {
			seen[o.Voter]++
		}
		assert.Len(t, seen, voters, "one pseudonym per person")
		for v, n := range seen {
			assert.Equal(t, 2, n, "voter %s", v)
		}
	})
}

func debateAddOpinion(c *debate.OpinionCounts, o debate.Opinion, sign int) {
	switch o {
	case debate.OpinionAgree:
		c.Agree += sign
	case debate.OpinionDisagree:
		c.Disagree += sign
	default:
		c.Pass += sign
	}
}
