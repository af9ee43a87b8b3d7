package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// electionsAuth is the tests' Authenticator: the X-Test-User header names a
// registered principal; no header is an anonymous caller, an unknown name
// is refused.
type electionsAuth struct {
	mu sync.Mutex
	m  map[string]httpapi.Principal
}

func (h *electionsAuth) get(name string) httpapi.Principal {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.m[name]
}

func (h *electionsAuth) set(name string, p httpapi.Principal) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.m[name] = p
}

func (h *electionsAuth) Authenticate(r *http.Request) (httpapi.Principal, error) {
	name := r.Header.Get("X-Test-User")
	if name == "" {
		return httpapi.Principal{}, nil
	}
	h.mu.Lock()
	p, ok := h.m[name]
	h.mu.Unlock()
	if !ok {
		return httpapi.Principal{}, civickit.Sentinel(civickit.ErrUnauthenticated, "test: unknown user")
	}
	return p, nil
}

func electionsPrincipals() *electionsAuth {
	person := func(name string, grants ...httpapi.Grant) httpapi.Principal {
		return httpapi.Principal{Subject: "sub-" + name, Participant: uuid.New(), Assurance: civickit.AssuranceSubstantial, Grants: grants}
	}
	return &electionsAuth{m: map[string]httpapi.Principal{
		"organiser": person("organiser", httpapi.Grant{Role: httpapi.RoleOrganiser}),
		"operator":  person("operator", httpapi.Grant{Role: httpapi.RoleOperator}),
		"operator2": person("operator2", httpapi.Grant{Role: httpapi.RoleOperator}),
		"alice":     person("alice"),
		"bob":       person("bob"),
		"carol":     person("carol"),
		"nobody":    {Subject: "sub-nobody"}, // signed in, no participant
	}}
}

// elServer serves the ballot box of engine over real HTTP.
func elServer(t *testing.T, engine storage.Engine, k int) (*httptest.Server, *electionsAuth) {
	t.Helper()
	db := storagetest.Open(t, engine)
	box, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{
		Secret: []byte("a test secret of thirty-two bytes!"), Anonymity: k})
	require.NoError(t, err)
	users := electionsPrincipals()
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Elections: box, Auth: users}))
	t.Cleanup(srv.Close)
	return srv, users
}

type elCall struct {
	method, path, user, key string
	body                    any
	header                  map[string]string
}

type elAnswer struct {
	status int
	header http.Header
	body   []byte
}

func (a elAnswer) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(a.body, v), "%s", a.body)
}

func elDo(t *testing.T, srv *httptest.Server, c elCall) elAnswer {
	t.Helper()
	var body io.Reader
	if c.body != nil {
		b, err := json.Marshal(c.body)
		require.NoError(t, err)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(c.method, srv.URL+c.path, body)
	require.NoError(t, err)
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.user != "" {
		req.Header.Set("X-Test-User", c.user)
	}
	if c.key != "" {
		req.Header.Set("Idempotency-Key", c.key)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return elAnswer{status: resp.StatusCode, header: resp.Header, body: b}
}

func elDef(visibility ballotbox.Visibility, revote ballotbox.RevotePolicy) map[string]any {
	now := time.Now().UTC()
	return map[string]any{
		"title": "Budget participatif 2027", "opens": now.Add(-time.Hour), "closes": now.Add(24 * time.Hour),
		"revote": revote, "visibility": visibility,
		"questions": []ballotbox.Question{{ID: "projet", Title: "Quel projet ?", Candidates: []string{"parc", "piste", "préau"}, Method: "schulze"}},
	}
}

func elRanked(first int) elCastBody {
	return elCastBody{Ballot: ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "projet", Ranking: voting.Ranking{{first}}}}}}
}

type elCastBody struct {
	Ballot ballotbox.Ballot `json:"ballot"`
}

func elCreate(t *testing.T, srv *httptest.Server, def map[string]any) ballotbox.Election {
	t.Helper()
	a := elDo(t, srv, elCall{method: "POST", path: "/api/v1/elections", user: "organiser", body: def})
	require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
	var e ballotbox.Election
	a.decode(t, &e)
	assert.Equal(t, "/api/v1/elections/"+e.ID.String(), a.header.Get("Location"))
	return e
}

func TestElectionOverHTTP(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		srv, _ := elServer(t, engine, 1)
		def := elDef(ballotbox.VisibleAfterClose, ballotbox.RevoteNone)

		// Who may define an election.
		assert.Equal(t, http.StatusUnauthorized, elDo(t, srv, elCall{method: "POST", path: "/api/v1/elections", body: def}).status)
		assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: "/api/v1/elections", user: "alice", body: def}).status)
		e := elCreate(t, srv, def)
		ep := "/api/v1/elections/" + e.ID.String()

		// Anyone reads it, conditionally.
		got := elDo(t, srv, elCall{method: "GET", path: ep})
		require.Equal(t, http.StatusOK, got.status)
		etag := got.header.Get("ETag")
		require.NotEmpty(t, etag)
		assert.Equal(t, http.StatusNotModified, elDo(t, srv, elCall{method: "GET", path: ep, header: map[string]string{"If-None-Match": etag}}).status)

		// Casting needs a participant.
		assert.Equal(t, http.StatusUnauthorized, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", body: elRanked(0), key: "k1"}).status)
		assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "nobody", body: elRanked(0), key: "k1"}).status)

		// Alice casts; retries with the same key get the same receipt,
		// concurrently too, and nothing more is written.
		first := elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(0), key: "alice-1"})
		require.Equal(t, http.StatusCreated, first.status, "%s", first.body)
		var rc ballotbox.Receipt
		first.decode(t, &rc)
		require.NotEmpty(t, rc.Tracker)
		assert.False(t, rc.Replayed)
		var wg sync.WaitGroup
		trackers := make([]string, 8)
		statuses := make([]int, 8)
		for i := range trackers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(0), key: "alice-1"})
				var r ballotbox.Receipt
				_ = json.Unmarshal(a.body, &r)
				trackers[i], statuses[i] = r.Tracker, a.status
			}()
		}
		wg.Wait()
		for i := range trackers {
			assert.Equal(t, http.StatusCreated, statuses[i], "the stored first answer")
			assert.Equal(t, rc.Tracker, trackers[i])
		}
		// The same key for another ballot is refused (422, by the
		// idempotency layer); another key is a
		// second ballot, refused under revote=first.
		assert.Equal(t, http.StatusUnprocessableEntity, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(1), key: "alice-1"}).status)
		assert.Equal(t, http.StatusConflict, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(1), key: "alice-2"}).status)

		// A bad ballot names its question and rule.
		bad := elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "bob", body: elRanked(7), key: "bob-0"})
		require.Equal(t, http.StatusBadRequest, bad.status, "%s", bad.body)
		var p httpapi.Problem
		bad.decode(t, &p)
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "ballot.answers[projet]", p.Errors[0].Path)
		unknown := elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "bob", body: map[string]any{"ballot": map[string]any{}, "voter": "x"}})
		assert.Equal(t, http.StatusBadRequest, unknown.status)
		assert.Contains(t, string(unknown.body), `"voter"`)

		bobRes := elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "bob", body: elRanked(2), key: "bob-1"})
		require.Equal(t, http.StatusCreated, bobRes.status, "%s", bobRes.body)

		// The receipt is on the board, for anyone.
		chk := elDo(t, srv, elCall{method: "GET", path: ep + "/receipt?tracker=" + rc.Tracker})
		require.Equal(t, http.StatusOK, chk.status, "%s", chk.body)
		var rcheck ballotbox.ReceiptCheck
		chk.decode(t, &rcheck)
		assert.True(t, rcheck.Counted)
		assert.Equal(t, int64(2), rcheck.Head.Entries)
		assert.Equal(t, http.StatusNotFound, elDo(t, srv, elCall{method: "GET", path: ep + "/receipt?tracker=nope-nope"}).status)

		// The head is public and conditional; results and the board are
		// hidden until the close.
		head := elDo(t, srv, elCall{method: "GET", path: ep + "/board/head"})
		require.Equal(t, http.StatusOK, head.status)
		assert.Equal(t, http.StatusNotModified, elDo(t, srv, elCall{method: "GET", path: ep + "/board/head", header: map[string]string{"If-None-Match": head.header.Get("ETag")}}).status)
		for _, who := range []string{"", "alice", "organiser"} {
			assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "GET", path: ep + "/results", user: who}).status, who)
			assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "GET", path: ep + "/board", user: who}).status, who)
		}

		// Only an organiser closes.
		assert.Equal(t, http.StatusForbidden, elDo(t, srv, elCall{method: "POST", path: ep + "/close", user: "operator"}).status)
		closed := elDo(t, srv, elCall{method: "POST", path: ep + "/close", user: "organiser"})
		require.Equal(t, http.StatusOK, closed.status, "%s", closed.body)
		assert.Equal(t, http.StatusConflict, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "carol", body: elRanked(1), key: "c"}).status)

		res := elDo(t, srv, elCall{method: "GET", path: ep + "/results"})
		require.Equal(t, http.StatusOK, res.status, "%s", res.body)
		var results ballotbox.Results
		res.decode(t, &results)
		assert.True(t, results.Final)
		require.Len(t, results.Questions, 1)

		board := elDo(t, srv, elCall{method: "GET", path: ep + "/board"})
		require.Equal(t, http.StatusOK, board.status, "%s", board.body)
		rep, err := ballotbox.VerifyWith(bytes.NewReader(board.body), ballotbox.VerifyOptions{Registry: voting.NewRegistry(), Trackers: []string{rc.Tracker}})
		require.NoError(t, err)
		assert.Equal(t, int64(2), rep.Counted)
		assert.True(t, rep.Trackers[rc.Tracker].Counted)
		assert.Equal(t, board.header.Get("ETag"), elHeadETag(t, board.body))
		assert.Equal(t, http.StatusNotModified, elDo(t, srv, elCall{method: "GET", path: ep + "/board", header: map[string]string{"If-None-Match": board.header.Get("ETag")}}).status)

		ballots := elDo(t, srv, elCall{method: "GET", path: ep + "/ballots"})
		require.Equal(t, http.StatusOK, ballots.status)
		assert.Equal(t, 2, strings.Count(string(ballots.body), "\n"))
	})
}

func elHeadETag(t *testing.T, board []byte) string {
	t.Helper()
	line, _, _ := bytes.Cut(board, []byte("\n"))
	var h ballotbox.BoardHeader
	require.NoError(t, json.Unmarshal(line, &h))
	return fmt.Sprintf(`"%d-%s"`, h.Entries, h.Head)
}

// Visibility rules decide who reads results before the close.
func TestElectionResultsVisibility(t *testing.T) {
	srv, _ := elServer(t, storage.SQLite, 1)
	cases := []struct {
		visibility           ballotbox.Visibility
		anonymous, voter, no int // status for anyone, for a voter who voted, for a participant who did not
	}{
		{ballotbox.VisibleAfterClose, 403, 403, 403},
		{ballotbox.VisibleAfterVote, 403, 200, 403},
		{ballotbox.VisibleLive, 200, 200, 200},
	}
	for _, c := range cases {
		t.Run(string(c.visibility), func(t *testing.T) {
			e := elCreate(t, srv, elDef(c.visibility, ballotbox.RevoteLast))
			ep := "/api/v1/elections/" + e.ID.String()
			require.Equal(t, http.StatusCreated, elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(1), key: "a"}).status)
			assert.Equal(t, c.anonymous, elDo(t, srv, elCall{method: "GET", path: ep + "/results"}).status)
			va := elDo(t, srv, elCall{method: "GET", path: ep + "/results", user: "alice"})
			assert.Equal(t, c.voter, va.status, "%s", va.body)
			assert.Equal(t, c.no, elDo(t, srv, elCall{method: "GET", path: ep + "/results", user: "bob"}).status)
		})
	}
}

// Under revote=last the last ballot counts and the receipt of the first
// says what replaced it.
func TestElectionRevoteLast(t *testing.T) {
	srv, _ := elServer(t, storage.SQLite, 1)
	e := elCreate(t, srv, elDef(ballotbox.VisibleLive, ballotbox.RevoteLast))
	ep := "/api/v1/elections/" + e.ID.String()
	var r1, r2 ballotbox.Receipt
	elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(0), key: "1"}).decode(t, &r1)
	elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(2), key: "2"}).decode(t, &r2)
	require.NotEqual(t, r1.Tracker, r2.Tracker)
	var chk ballotbox.ReceiptCheck
	elDo(t, srv, elCall{method: "GET", path: ep + "/receipt?tracker=" + r1.Tracker}).decode(t, &chk)
	assert.False(t, chk.Counted)
	assert.Equal(t, r2.Tracker, chk.ReplacedBy)
	var res ballotbox.Results
	elDo(t, srv, elCall{method: "GET", path: ep + "/results"}).decode(t, &res)
	assert.False(t, res.Final)
}

// With an anonymity set, a receipt is queued until its batch reaches the
// board; the close appends the rest and the board verifies.
func TestElectionQueuedReceipts(t *testing.T) {
	srv, _ := elServer(t, storage.SQLite, 3)
	e := elCreate(t, srv, elDef(ballotbox.VisibleAfterClose, ballotbox.RevoteNone))
	ep := "/api/v1/elections/" + e.ID.String()
	var rc ballotbox.Receipt
	elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(0), key: "1"}).decode(t, &rc)
	assert.True(t, rc.Queued)
	assert.Equal(t, http.StatusNotFound, elDo(t, srv, elCall{method: "GET", path: ep + "/receipt?tracker=" + rc.Tracker}).status)
	require.Equal(t, http.StatusOK, elDo(t, srv, elCall{method: "POST", path: ep + "/close", user: "organiser"}).status)
	assert.Equal(t, http.StatusOK, elDo(t, srv, elCall{method: "GET", path: ep + "/receipt?tracker=" + rc.Tracker}).status)
	var again ballotbox.Receipt
	elDo(t, srv, elCall{method: "POST", path: ep + "/ballots", user: "alice", body: elRanked(0), key: "1"}).decode(t, &again)
	assert.Equal(t, rc.Tracker, again.Tracker, "the stored answer is replayed")
	board := elDo(t, srv, elCall{method: "GET", path: ep + "/board"})
	rep, err := ballotbox.Verify(bytes.NewReader(board.body), voting.NewRegistry())
	require.NoError(t, err)
	assert.Equal(t, int64(1), rep.Counted)
}

func TestElectionBadInput(t *testing.T) {
	srv, _ := elServer(t, storage.SQLite, 1)
	e := elCreate(t, srv, elDef(ballotbox.VisibleLive, ballotbox.RevoteNone))
	ep := "/api/v1/elections/" + e.ID.String()
	cases := []struct {
		name   string
		c      elCall
		status int
	}{
		{"election not a uuid", elCall{method: "GET", path: "/api/v1/elections/not-a-uuid"}, 400},
		{"unknown election", elCall{method: "GET", path: "/api/v1/elections/" + uuid.NewString()}, 404},
		{"invalid definition", elCall{method: "POST", path: "/api/v1/elections", user: "organiser", body: map[string]any{"title": ""}}, 400},
		{"unknown field", elCall{method: "POST", path: "/api/v1/elections", user: "organiser", body: map[string]any{"id": uuid.NewString()}}, 400},
		{"update without version", elCall{method: "PUT", path: ep, user: "organiser", body: elDef(ballotbox.VisibleLive, ballotbox.RevoteNone)}, 400},
		{"loosening a frozen election", elCall{method: "PUT", path: ep, user: "organiser", body: func() map[string]any {
			d := elDef(ballotbox.VisibleLive, ballotbox.RevoteLast)
			d["version"] = 1
			return d
		}()}, 400},
		{"receipt without tracker", elCall{method: "GET", path: ep + "/receipt"}, 400},
		{"empty cast (no JSON body)", elCall{method: "POST", path: ep + "/ballots", user: "alice"}, 415},
		{"limit not a number", elCall{method: "GET", path: ep + "/batches?limit=x", user: "operator"}, 400},
		{"session of no election", elCall{method: "GET", path: ep + "/sessions/" + uuid.NewString(), user: "operator"}, 404},
		{"position not a number", elCall{method: "POST", path: ep + "/batches/" + uuid.NewString() + "/sheets/x/void", user: "operator", body: map[string]any{"reason": "r"}}, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := elDo(t, srv, c.c)
			assert.Equal(t, c.status, a.status, "%s", a.body)
			assert.Equal(t, "application/problem+json", a.header.Get("Content-Type"))
		})
	}
}

func TestElectionList(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		srv, _ := elServer(t, engine, 1)
		var made []ballotbox.Election
		for range 3 {
			made = append(made, elCreate(t, srv, elDef(ballotbox.VisibleAfterClose, ballotbox.RevoteNone)))
		}
		var seen []uuid.UUID
		after := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 4, "too many pages")
			a := elDo(t, srv, elCall{method: "GET", path: "/api/v1/elections?limit=2&after=" + after})
			require.Equal(t, http.StatusOK, a.status, "%s", a.body)
			var p civickit.Page[ballotbox.Election]
			a.decode(t, &p)
			assert.LessOrEqual(t, len(p.Items), 2)
			for _, e := range p.Items {
				seen = append(seen, e.ID)
				one := elDo(t, srv, elCall{method: "GET", path: "/api/v1/elections/" + e.ID.String()})
				var want ballotbox.Election
				one.decode(t, &want)
				assert.Equal(t, want, e, "the list shows each election as its own route does")
			}
			if p.Next == "" {
				break
			}
			after = p.Next
		}
		require.Len(t, seen, 3)
		for i, e := range made {
			assert.Equal(t, e.ID, seen[i], "creation order")
		}
		assert.Equal(t, http.StatusBadRequest, elDo(t, srv, elCall{method: "GET", path: "/api/v1/elections?after=not-a-cursor"}).status)
		assert.Equal(t, http.StatusBadRequest, elDo(t, srv, elCall{method: "GET", path: "/api/v1/elections?limit=-1"}).status)
	})
}
