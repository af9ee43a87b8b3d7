package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
)

// newVoteServer is newPartServer with a ballot box whose Gate applies
// the consultations' rules, and package vote over both.
func newVoteServer(t *testing.T, engine storage.Engine) *partServer {
	t.Helper()
	db := storagetest.Open(t, engine)
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	require.NoError(t, err)
	box, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{
		Secret: []byte("a test secret of thirty-two bytes!"), Gate: vote.NewGate(storage.NewVoteStore(db), core)})
	require.NoError(t, err)
	p := &httpapi.Participation{Core: core}
	p.Votes, err = vote.NewService(storage.NewVoteStore(db), core, box, vote.Options{})
	require.NoError(t, err)
	p.Evaluation, err = evaluation.NewService(storage.NewEvaluationStore(db), core, evaluation.Options{Outcomes: p.Votes})
	require.NoError(t, err)
	s := &partServer{t: t, core: core, users: headerAuth{}}
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Participation: p, Elections: box, Auth: s.users}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// TestConsultationVoteOverHTTP: an organiser makes a consultation's
// expression step a vote; the election's window follows the phases moved
// by hand, a participant casts on the elections route, and results and
// outcomes appear once the phase is over.
func TestConsultationVoteOverHTTP(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		s := newVoteServer(t, engine)
		s.user("alice")
		s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})

		// Phases from tomorrow: the expression phase is in a week.
		day := time.Now().UTC().Truncate(time.Second).Add(24 * time.Hour)
		var phases []map[string]any
		for i, k := range participation.PhaseKinds() {
			phases = append(phases, map[string]any{"kind": k, "starts": day.AddDate(0, 0, 2*i), "ends": day.AddDate(0, 0, 2*(i+1))})
		}
		var c participation.Consultation
		s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", map[string]any{"title": "Quel projet pour le parc ?",
			"summary": "Un vote pour finir", "organiser": "Ville de Montreuil", "territory": "93048", "languages": []string{"fr"}, "phases": phases}, &c)
		base := "/api/v1/consultations/" + c.ID.String()
		s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "information"}, &c)
		expr := c.Phase(participation.PhaseExpression)
		require.NotNil(t, expr)

		def := map[string]any{"title": "Le projet", "questions": []ballotbox.Question{{ID: "projet", Title: "Quel projet ?",
			Candidates: []string{"parc", "piste", "préau"}, Method: "plurality"}}}
		s.problem(http.StatusUnauthorized, "", "POST", base+"/votes", def)
		s.problem(http.StatusForbidden, "alice", "POST", base+"/votes", def)
		withCensus := map[string]any{"title": "Le projet", "questions": def["questions"], "opens": day}
		assert.Contains(t, fieldRules(s.problem(http.StatusBadRequest, "org", "POST", base+"/votes", withCensus)), "opens:phase_dates")
		var e ballotbox.Election
		s.must(http.StatusCreated, "org", "POST", base+"/votes", def, &e)
		assert.True(t, e.Opens.Equal(expr.Starts), "the window is the expression phase")
		assert.True(t, e.Closes.Equal(expr.Ends))
		ep := "/api/v1/elections/" + e.ID.String()

		var links civickit.Page[vote.Link]
		s.must(http.StatusOK, "", "GET", base+"/votes", nil, &links)
		require.Len(t, links.Items, 1)
		assert.Equal(t, e.ID, links.Items[0].ElectionID)
		assert.Equal(t, c.ID, links.Items[0].ConsultationID)

		// Before the expression phase the ballot box refuses the cast.
		ballot := map[string]any{"ballot": map[string]any{"answers": []map[string]any{{"question": "projet", "ranking": [][]int{{2}}}}}}
		got, raw := s.do("alice", "POST", ep+"/ballots", ballot, nil, "Idempotency-Key", "alice-1")
		assert.GreaterOrEqual(t, got, 400, "%s", raw)

		// The organiser moves to the expression phase by hand: the
		// election opens now, and alice votes.
		s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "expression"}, nil)
		var opened ballotbox.Election
		s.must(http.StatusOK, "", "GET", ep, nil, &opened)
		assert.False(t, opened.Opens.After(time.Now()), "opened by the transition")
		var rc ballotbox.Receipt
		s.must(http.StatusCreated, "alice", "POST", ep+"/ballots", ballot, &rc, "Idempotency-Key", "alice-2")
		var rs []vote.ElectionResults
		s.must(http.StatusOK, "", "GET", base+"/vote-results", nil, &rs)
		require.Len(t, rs, 1)
		assert.True(t, rs[0].Hidden, "after-close visibility: hidden while open")
		var outcomes []evaluation.Outcome
		s.must(http.StatusOK, "", "GET", base+"/outcomes", nil, &outcomes)
		assert.Empty(t, outcomes)

		// Reconcile is idempotent: nothing to move, the election stays open.
		var es []ballotbox.Election
		s.must(http.StatusOK, "org", "POST", base+"/votes/reconcile", nil, &es)
		require.Len(t, es, 1)
		assert.Nil(t, es[0].ClosedAt)
		s.problem(http.StatusForbidden, "alice", "POST", base+"/votes/reconcile", nil)

		// Leaving the expression phase closes the election: results and
		// outcomes become public.
		s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "evaluation"}, nil)
		s.must(http.StatusOK, "org", "POST", base+"/votes/reconcile", nil, &es)
		require.NotNil(t, es[0].ClosedAt, "closed with the phase")
		rs = nil // "hidden" is omitted when false: decode afresh
		s.must(http.StatusOK, "", "GET", base+"/vote-results", nil, &rs)
		require.Len(t, rs, 1)
		require.False(t, rs[0].Hidden, "%+v", rs[0])
		require.NotNil(t, rs[0].Results)
		s.must(http.StatusOK, "", "GET", base+"/outcomes", nil, &outcomes)
		require.Len(t, outcomes, 1)
		assert.Equal(t, []string{"préau"}, outcomes[0].Winners)
		assert.Equal(t, e.ID, outcomes[0].ElectionID)
	})
}
