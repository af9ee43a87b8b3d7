package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func elSheet(first int) ballotbox.Sheet {
	b := elRanked(first).Ballot
	return ballotbox.Sheet{Ballot: &b}
}

// A polling place marks its paper voters, two agents key the batch, the
// disputed sheet is settled, the reconciliation shows voters and sheets,
// and an organiser's recount corrects the board.
func TestElectionPaperOverHTTP(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		srv, users := elServer(t, engine, 1)
		e := elCreate(t, srv, elDef(ballotbox.VisibleLive, ballotbox.RevoteNone))
		ep := "/api/v1/elections/" + e.ID.String()

		// Participants cannot run a polling place.
		assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: ep + "/sessions", user: "alice", body: map[string]any{"place": "mairie", "channel": "paper"}}).status)
		var sess ballotbox.Session
		a := elDo(t, srv, elCall{method: "POST", path: ep + "/sessions", user: "operator", body: map[string]any{"place": "mairie", "channel": "paper"}})
		require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
		a.decode(t, &sess)
		sp := ep + "/sessions/" + sess.ID.String()
		for _, who := range []string{"alice", "bob"} {
			voter := map[string]any{"voter": map[string]any{"id": users.get(who).Participant.String()}}
			require.Equal(t, http.StatusCreated, elDo(t, srv, elCall{method: "POST", path: sp + "/paper-voters", user: "operator", key: who, body: voter}).status)
			assert.Equal(t, http.StatusCreated, elDo(t, srv, elCall{method: "POST", path: sp + "/paper-voters", user: "operator", key: who, body: voter}).status, "a replayed mark: the stored answer")
		}
		// Alice voted on paper: she cannot vote on the web as well.
		assert.Equal(t, http.StatusConflict, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", key: "w", body: elRanked(0)}).status)

		var batch ballotbox.Batch
		a = elDo(t, srv, elCall{method: "POST", path: ep + "/batches", user: "operator", body: map[string]any{"place": "mairie", "sheets": 2, "double_keyed": true}})
		require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
		a.decode(t, &batch)
		bp := ep + "/batches/" + batch.ID.String()
		a = elDo(t, srv, elCall{method: "POST", path: bp + "/keyings", user: "operator", body: map[string]any{"sheets": []ballotbox.Sheet{elSheet(0), elSheet(1)}}})
		require.Equal(t, http.StatusOK, a.status, "%s", a.body)
		// The same agent cannot key twice.
		assert.Equal(t, http.StatusBadRequest, elDo(t, srv, elCall{method: "POST", path: bp + "/keyings", user: "operator", body: map[string]any{"sheets": []ballotbox.Sheet{elSheet(0), elSheet(1)}}}).status)
		a = elDo(t, srv, elCall{method: "POST", path: bp + "/keyings", user: "operator2", body: map[string]any{"sheets": []ballotbox.Sheet{elSheet(0), elSheet(2)}}})
		require.Equal(t, http.StatusOK, a.status, "%s", a.body)
		a.decode(t, &batch)
		assert.Equal(t, ballotbox.BatchDisputed, batch.State)
		assert.Equal(t, []int{1}, batch.Disputes())
		a = elDo(t, srv, elCall{method: "POST", path: bp + "/sheets/1/resolve", user: "operator", body: map[string]any{"sheet": elSheet(1)}})
		require.Equal(t, http.StatusOK, a.status, "%s", a.body)
		a.decode(t, &batch)
		assert.Equal(t, ballotbox.BatchCommitted, batch.State)

		var places civickit.Page[ballotbox.PlaceCount]
		elDo(t, srv, elCall{method: "GET", path: ep + "/places?limit=10", user: "operator"}).decode(t, &places)
		require.Len(t, places.Items, 1)
		assert.Equal(t, ballotbox.PlaceCount{Place: "mairie", Marked: 2, Sheets: 2}, places.Items[0])

		var batches civickit.Page[ballotbox.Batch]
		elDo(t, srv, elCall{method: "GET", path: ep + "/batches?limit=1", user: "operator"}).decode(t, &batches)
		require.Len(t, batches.Items, 1)
		assert.Empty(t, batches.Next)

		// A recount is the organiser's; it corrects the sheet read differently.
		rc := map[string]any{"reason": "recomptage demandé", "sheets": []ballotbox.Sheet{elSheet(0), elSheet(2)}}
		assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: bp + "/recount", user: "operator", body: rc}).status)
		var changes struct {
			Changes []ballotbox.Change `json:"changes"`
		}
		a = elDo(t, srv, elCall{method: "POST", path: bp + "/recount", user: "organiser", body: rc})
		require.Equal(t, http.StatusOK, a.status, "%s", a.body)
		a.decode(t, &changes)
		require.Len(t, changes.Changes, 1)
		assert.Equal(t, 1, changes.Changes[0].Pos)
		var log civickit.Page[ballotbox.Change]
		elDo(t, srv, elCall{method: "GET", path: ep + "/changes", user: "operator"}).decode(t, &log)
		assert.Len(t, log.Items, 1)

		var res ballotbox.Results
		elDo(t, srv, elCall{method: "GET", path: ep + "/results"}).decode(t, &res)
		require.Len(t, res.Questions, 1)
	})
}

// A kiosk casts for the person present, exactly once per key; a closed
// session casts no more. A mediator's device syncs what it recorded
// offline, each submission answered on its own.
func TestElectionAccessPointsOverHTTP(t *testing.T) {
	srv, users := elServer(t, storage.SQLite, 1)
	e := elCreate(t, srv, elDef(ballotbox.VisibleAfterClose, ballotbox.RevoteNone))
	ep := "/api/v1/elections/" + e.ID.String()
	var kiosk ballotbox.Session
	elDo(t, srv, elCall{method: "POST", path: ep + "/sessions", user: "operator", body: map[string]any{"place": "médiathèque", "channel": "kiosk"}}).decode(t, &kiosk)
	kp := ep + "/sessions/" + kiosk.ID.String()
	carol := map[string]any{"voter": map[string]any{"id": users.get("carol").Participant.String()}, "ballot": elRanked(1).Ballot}
	var first, again ballotbox.Receipt
	a := elDo(t, srv, elCall{method: "POST", path: kp + "/ballots", user: "operator", key: "carol-1", body: carol})
	require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
	a.decode(t, &first)
	elDo(t, srv, elCall{method: "POST", path: kp + "/ballots", user: "operator", key: "carol-1", body: carol}).decode(t, &again)
	assert.Equal(t, first.Tracker, again.Tracker, "the stored answer is replayed")

	require.Equal(t, http.StatusOK, elDo(t, srv, elCall{method: "POST", path: kp + "/close", user: "operator"}).status)
	bob := map[string]any{"voter": map[string]any{"id": users.get("bob").Participant.String()}, "ballot": elRanked(1).Ballot}
	assert.Equal(t, http.StatusConflict, elDo(t, srv, elCall{method: "POST", path: kp + "/ballots", user: "operator", key: "bob-1", body: bob}).status)

	// A session of this election is not reachable through another's path.
	other := elCreate(t, srv, elDef(ballotbox.VisibleAfterClose, ballotbox.RevoteNone))
	assert.Equal(t, http.StatusNotFound, elDo(t, srv, elCall{method: "GET", path: "/api/v1/elections/" + other.ID.String() + "/sessions/" + kiosk.ID.String(), user: "operator"}).status)

	var med ballotbox.Session
	elDo(t, srv, elCall{method: "POST", path: ep + "/sessions", user: "operator", body: map[string]any{"place": "bus itinérant", "channel": "mediator"}}).decode(t, &med)
	subs := map[string]any{"submissions": []map[string]any{
		{"key": "s1", "at": med.OpenedAt, "voter": map[string]any{"id": users.get("bob").Participant.String()}, "ballot": elRanked(2).Ballot},
		{"key": "s2", "at": med.OpenedAt, "voter": map[string]any{"id": users.get("alice").Participant.String()}, "ballot": elRanked(9).Ballot},
	}}
	var synced struct {
		Results []struct {
			Key     string             `json:"key"`
			Receipt *ballotbox.Receipt `json:"receipt"`
			Problem *httpapi.Problem   `json:"problem"`
		} `json:"results"`
	}
	a = elDo(t, srv, elCall{method: "POST", path: ep + "/sessions/" + med.ID.String() + "/sync", user: "operator", body: subs})
	require.Equal(t, http.StatusOK, a.status, "%s", a.body)
	a.decode(t, &synced)
	require.Len(t, synced.Results, 2)
	require.NotNil(t, synced.Results[0].Receipt)
	assert.NotEmpty(t, synced.Results[0].Receipt.Tracker)
	require.NotNil(t, synced.Results[1].Problem)
	assert.Equal(t, http.StatusBadRequest, synced.Results[1].Problem.Status)
}

// A census admits only the identifiers loaded; an operator scoped to
// another election is refused here.
func TestElectionCensusAndScopes(t *testing.T) {
	srv, users := elServer(t, storage.SQLite, 1)
	def := elDef(ballotbox.VisibleAfterClose, ballotbox.RevoteNone)
	def["eligibility"] = ballotbox.Eligibility{Census: true}
	e := elCreate(t, srv, def)
	ep := "/api/v1/elections/" + e.ID.String()
	ids := map[string]any{"ids": []string{users.get("alice").Participant.String()}}
	assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: ep + "/census", user: "operator", body: ids}).status)
	var added struct{ Added int }
	elDo(t, srv, elCall{method: "POST", path: ep + "/census", user: "organiser", body: ids}).decode(t, &added)
	assert.Equal(t, 1, added.Added)
	assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "bob", key: "b", body: elRanked(0)}).status)
	assert.Equal(t, http.StatusCreated, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", key: "a", body: elRanked(0)}).status)

	users.set("scoped", httpapi.Principal{Subject: "sub-scoped", Participant: uuid.New(),
		Grants: []httpapi.Grant{{Role: httpapi.RoleOperator, Scope: uuid.New()}}})
	assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: ep + "/sessions", user: "scoped", body: map[string]any{"place": "p", "channel": "kiosk"}}).status)
	users.set("scoped-here", httpapi.Principal{Subject: "sub-scoped-here", Participant: uuid.New(),
		Grants: []httpapi.Grant{{Role: httpapi.RoleOperator, Scope: e.ID}}})
	assert.Equal(t, http.StatusCreated, elDo(t, srv, elCall{method: "POST", path: ep + "/sessions", user: "scoped-here", body: map[string]any{"place": "p", "channel": "kiosk"}}).status)
}
