package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/reference-server/httpapi"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// headerAuth is the tests' Authenticator: the X-Test-User header names a
// principal of the map; no header is anonymous, an unknown name is
// refused as a bad credential would be.
type headerAuth map[string]httpapi.Principal

func (h headerAuth) Authenticate(r *http.Request) (httpapi.Principal, error) {
	name := r.Header.Get("X-Test-User")
	if name == "" {
		return httpapi.Principal{}, nil
	}
	p, ok := h[name]
	if !ok {
		return httpapi.Principal{}, civickit.Sentinel(civickit.ErrUnauthenticated, "test: unknown user")
	}
	return p, nil
}

// partServer is a reference server over the participation services on
// one database, with signed-in test users.
type partServer struct {
	t     testing.TB
	url   string
	core  *participation.Service
	users headerAuth
}

func newPartServer(t testing.TB, engine storage.Engine) *partServer {
	t.Helper()
	db := storagetest.Open(t, engine)
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	require.NoError(t, err)
	p := &httpapi.Participation{Core: core}
	p.Debate, err = debate.NewService(storage.NewDebateStore(db), core, debate.Options{})
	require.NoError(t, err)
	p.Proposals, err = proposals.NewService(storage.NewProposalStore(db), core, proposals.Options{})
	require.NoError(t, err)
	p.Questionnaires, err = questionnaire.NewService(storage.NewQuestionnaireStore(db), core, questionnaire.Options{Attributes: core})
	require.NoError(t, err)
	p.Evaluation, err = evaluation.NewService(storage.NewEvaluationStore(db), core, evaluation.Options{})
	require.NoError(t, err)
	s := &partServer{t: t, core: core, users: headerAuth{}}
	srv := httptest.NewServer(httpapi.New(httpapi.Deps{Participation: p, Auth: s.users}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// user registers a participant and signs it in under name with grants.
func (s *partServer) user(name string, grants ...httpapi.Grant) uuid.UUID {
	s.t.Helper()
	p, err := s.core.RegisterParticipant(context.Background(), nil)
	require.NoError(s.t, err)
	s.users[name] = httpapi.Principal{Subject: "sub-" + name, Participant: p.ID, Grants: grants}
	return p.ID
}

// do sends a JSON request as user ("" anonymous) and decodes the answer
// into out when it is JSON and out is not nil. It returns the status
// and the raw body.
func (s *partServer) do(user, method, path string, body any, out any, header ...string) (int, []byte) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(s.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	require.NoError(s.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	if out != nil && resp.StatusCode < 300 && len(raw) > 0 {
		require.NoError(s.t, json.Unmarshal(raw, out), string(raw))
	}
	return resp.StatusCode, raw
}

// must is do expecting status want.
func (s *partServer) must(want int, user, method, path string, body any, out any, header ...string) []byte {
	s.t.Helper()
	got, raw := s.do(user, method, path, body, out, header...)
	require.Equal(s.t, want, got, "%s %s as %q: %s", method, path, user, raw)
	return raw
}

// problem is do expecting a problem document with status want.
func (s *partServer) problem(want int, user, method, path string, body any) httpapi.Problem {
	s.t.Helper()
	got, raw := s.do(user, method, path, body, nil)
	require.Equal(s.t, want, got, "%s %s as %q: %s", method, path, user, raw)
	var p httpapi.Problem
	require.NoError(s.t, json.Unmarshal(raw, &p), string(raw))
	return p
}

func fieldRules(p httpapi.Problem) []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Path+":"+f.Rule)
	}
	return out
}

// square is the consultation of JOURNEYS.md journey 1: a town redesigns
// a square, with the five phases in order.
func square(title string) map[string]any {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var phases []map[string]any
	for i, k := range participation.PhaseKinds() {
		phases = append(phases, map[string]any{"kind": k,
			"starts": day.AddDate(0, 0, 14*i), "ends": day.AddDate(0, 0, 14*(i+1))})
	}
	return map[string]any{
		"title": title, "summary": "Quel avenir pour la place du marché ?", "organiser": "Ville de Montreuil",
		"territory": "93048", "languages": []string{"fr"}, "phases": phases,
		"settings": map[string]any{
			"reflection_required": true,
			"access_points":       []map[string]any{{"id": "mediatheque", "name": "Médiathèque Robert-Desnos"}},
		},
	}
}

func TestConsultationJourneyOverHTTP(t *testing.T) {
	for _, engine := range []storage.Engine{storage.SQLite, storage.Postgres, storage.MySQL} {
		t.Run(string(engine), func(t *testing.T) {
			if engine != storage.SQLite && testing.Short() {
				t.Skip("server engines in long mode only")
			}
			journey(t, newPartServer(t, engine))
		})
	}
}

// journey walks JOURNEYS.md journey 1 over HTTP: the organiser creates
// and moves the consultation, residents read, debate, reflect and
// respond on the web, at a kiosk and on paper keyed twice, and the
// decision and its follow-up are published.
func journey(t *testing.T, s *partServer) {
	alice := s.user("alice")
	bob := s.user("bob")
	s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})
	s.user("mod", httpapi.Grant{Role: httpapi.RoleModerator})
	s.user("op1", httpapi.Grant{Role: httpapi.RoleOperator})
	s.user("op2", httpapi.Grant{Role: httpapi.RoleOperator})

	// 1. The organiser creates the consultation: a draft only they see.
	var c participation.Consultation
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", square("Réaménagement de la place du marché"), &c)
	assert.Equal(t, participation.StatusDraft, c.Status)
	base := "/api/v1/consultations/" + c.ID.String()
	s.problem(http.StatusNotFound, "", "GET", base, nil)
	s.must(http.StatusOK, "org", "GET", base, nil, nil)
	s.problem(http.StatusNotFound, "alice", "POST", base+"/comments", map[string]any{"body": "trop tôt"}) // a draft is no one's business yet
	s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "information"}, &c)
	assert.Equal(t, participation.PhaseInformation, c.ActivePhase().Kind)

	// 2. Information: a required document and a mandatory preliminary
	// question; residents read.
	var doc participation.Resource
	s.must(http.StatusCreated, "org", "POST", base+"/resources", map[string]any{"kind": "document", "title": "Étude de circulation",
		"url": "https://example.org/etude.pdf", "required": true}, &doc)
	var pq participation.PreliminaryQuestion
	s.must(http.StatusCreated, "org", "POST", base+"/preliminary-questions", map[string]any{"prompt": "Fréquentez-vous la place ?",
		"choices": []string{"chaque jour", "parfois", "jamais"}, "mandatory": true}, &pq)
	var resources civickit.Page[participation.Resource]
	s.must(http.StatusOK, "", "GET", base+"/resources", nil, &resources)
	require.Len(t, resources.Items, 1)
	s.must(http.StatusNoContent, "alice", "POST", base+"/resources/"+doc.ID.String()+"/reads", nil, nil)
	var counts []participation.ReadCount
	s.must(http.StatusOK, "", "GET", base+"/read-counts", nil, &counts)
	require.Len(t, counts, 1)
	assert.Equal(t, 1, counts[0].Count)
	s.problem(http.StatusConflict, "alice", "POST", base+"/comments", map[string]any{"body": "pas encore"})

	// 3. Debate: comments and replies, votes, statements, proposals,
	// a report and a moderator's decision.
	s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "debate", "note": "ouverture du débat"}, nil)
	var cm debate.Comment
	s.must(http.StatusCreated, "alice", "POST", base+"/comments", map[string]any{"body": "Plus d'arbres, moins de voitures.", "alignment": "for"}, &cm)
	assert.Equal(t, alice, cm.AuthorID, "the author is the caller, not the body")
	var reply debate.Comment
	s.must(http.StatusCreated, "bob", "POST", base+"/comments", map[string]any{"parent_id": cm.ID, "body": "Et le marché du dimanche ?"}, &reply)
	assert.Equal(t, cm.Depth+1, reply.Depth)
	s.must(http.StatusOK, "bob", "PUT", "/api/v1/comments/"+cm.ID.String()+"/vote", map[string]any{"value": 1}, nil)
	s.must(http.StatusOK, "alice", "PUT", "/api/v1/comments/"+cm.ID.String(), map[string]any{"body": "Plus d'arbres, moins de voitures.", "version": cm.Version}, &cm)
	var revisions civickit.Page[debate.CommentRevision]
	s.must(http.StatusOK, "", "GET", "/api/v1/comments/"+cm.ID.String()+"/revisions", nil, &revisions)
	require.Len(t, revisions.Items, 1)
	s.problem(http.StatusForbidden, "bob", "PUT", "/api/v1/comments/"+cm.ID.String(), map[string]any{"body": "réécrit", "version": cm.Version})
	raw := s.must(http.StatusOK, "", "GET", base+"/comments", nil, nil)
	assert.NotContains(t, string(raw), alice.String(), "public comments carry no author")
	assert.NotContains(t, string(raw), bob.String())
	var comments civickit.Page[debate.Comment]
	require.NoError(t, json.Unmarshal(raw, &comments))
	require.Len(t, comments.Items, 2)
	assert.Equal(t, 1, comments.Items[0].Up)

	var seeded, st debate.Statement
	s.must(http.StatusCreated, "mod", "POST", base+"/seed-statements", map[string]any{"text": "La place doit rester piétonne le dimanche."}, &seeded)
	s.must(http.StatusCreated, "alice", "POST", base+"/statements", map[string]any{"text": "Il faut une aire de jeux."}, &st)
	var voted debate.Statement
	s.must(http.StatusOK, "bob", "PUT", "/api/v1/statements/"+seeded.ID.String()+"/opinion", map[string]any{"opinion": "agree"}, &voted)
	assert.Equal(t, 1, voted.Counts.Agree)
	raw = s.must(http.StatusOK, "", "GET", base+"/statements", nil, nil)
	assert.NotContains(t, string(raw), "sub-mod", "public statements do not name the seeding moderator")

	var prop proposals.Proposal
	s.must(http.StatusCreated, "alice", "POST", base+"/proposals", map[string]any{"title": "Un kiosque à musique", "body": "Pour les concerts d'été."}, &prop,
		"Idempotency-Key", "alice-proposal-1")
	var again proposals.Proposal
	s.must(http.StatusCreated, "alice", "POST", base+"/proposals", map[string]any{"title": "Un kiosque à musique", "body": "Pour les concerts d'été."}, &again,
		"Idempotency-Key", "alice-proposal-1")
	assert.Equal(t, prop.ID, again.ID, "a retried proposal is stored once")
	s.problem(http.StatusConflict, "bob", "PUT", "/api/v1/proposals/"+prop.ID.String()+"/support", nil) // supports come with expression

	s.must(http.StatusCreated, "bob", "POST", "/api/v1/reports", map[string]any{"item": map[string]any{"kind": "comment", "id": cm.ID}, "reason": "off_topic"}, nil)
	s.problem(http.StatusForbidden, "alice", "GET", base+"/moderation/queue", nil)
	var queue civickit.Page[participation.QueuedItem]
	s.must(http.StatusOK, "mod", "GET", base+"/moderation/queue?domain=debate", nil, &queue)
	require.Len(t, queue.Items, 1)
	assert.Equal(t, cm.ID, queue.Items[0].Item.ID)
	s.must(http.StatusOK, "mod", "POST", base+"/moderation/decisions", map[string]any{"item": map[string]any{"kind": "comment", "id": cm.ID},
		"kind": "hide", "note": "hors sujet"}, nil)
	s.must(http.StatusOK, "", "GET", base+"/comments", nil, &comments)
	assert.Empty(t, comments.Items[0].Body, "a hidden comment is blanked in public")
	s.must(http.StatusOK, "mod", "GET", base+"/comments", nil, &comments)
	assert.Equal(t, "Plus d'arbres, moins de voitures.", comments.Items[0].Body, "moderators see it")
	s.problem(http.StatusNotFound, "", "GET", "/api/v1/comments/"+cm.ID.String()+"/revisions", nil)
	s.must(http.StatusOK, "mod", "GET", "/api/v1/comments/"+cm.ID.String()+"/revisions", nil, nil)
	csv := string(s.must(http.StatusOK, "", "GET", base+"/statements.csv", nil, nil))
	assert.Contains(t, csv, "La place doit rester piétonne le dimanche.")
	assert.NotContains(t, csv, alice.String())
	assert.NotContains(t, csv, "sub-mod")
	matrix := string(s.must(http.StatusOK, "", "GET", base+"/opinion-matrix.csv", nil, nil))
	lines := strings.Split(strings.TrimSpace(matrix), "\n")
	require.Len(t, lines, 2, "a header and bob, the one voter: %s", matrix)
	assert.Contains(t, lines[0], seeded.ID.String())
	assert.Contains(t, lines[1], ",1,1,0,0,", "bob: one vote, agree")
	assert.NotContains(t, matrix, bob.String())
	matrix2 := string(s.must(http.StatusOK, "", "GET", base+"/opinion-matrix.csv", nil, nil))
	lines2 := strings.Split(strings.TrimSpace(matrix2), "\n")
	require.Len(t, lines2, 2)
	assert.NotEqual(t, strings.SplitN(lines[1], ",", 2)[0], strings.SplitN(lines2[1], ",", 2)[0], "rows are keyed afresh at each export")

	// 4. Reflection: alice answers the preliminary question.
	s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "reflection"}, nil)
	s.must(http.StatusNoContent, "alice", "PUT", base+"/preliminary-questions/"+pq.ID.String()+"/answer", map[string]any{"answer": "parfois"}, nil)
	var refl participation.Reflection
	s.must(http.StatusOK, "alice", "GET", base+"/reflection", nil, &refl)
	assert.Empty(t, refl.MissingResources)
	assert.Empty(t, refl.MissingQuestions)

	// 5. Expression: a questionnaire answered on the web, at a kiosk,
	// offline then synced, and on paper keyed twice.
	var q questionnaire.Questionnaire
	s.must(http.StatusCreated, "org", "POST", base+"/questionnaires", map[string]any{"title": "Vos priorités", "results": "live", "min_group_size": 1,
		"questions": []map[string]any{{"id": "prio", "type": "single_choice", "title": "Votre priorité", "mandatory": true,
			"options": []map[string]any{{"id": "arbres", "label": "Des arbres"}, {"id": "bancs", "label": "Des bancs"}, {"id": "jeux", "label": "Des jeux"}}}}}, &q)
	s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "expression"}, nil)
	qpath := "/api/v1/questionnaires/" + q.ID.String()
	var supported proposals.Proposal
	s.must(http.StatusOK, "bob", "PUT", "/api/v1/proposals/"+prop.ID.String()+"/support", nil, &supported)
	assert.Equal(t, 1, supported.Supports)
	s.problem(http.StatusConflict, "bob", "PUT", "/api/v1/proposals/"+prop.ID.String()+"/support", nil)
	answers := func(opt string) map[string]any {
		return map[string]any{"answers": []map[string]any{{"question": "prio", "choices": []string{opt}}}}
	}
	var resp, replay questionnaire.Response
	s.must(http.StatusCreated, "alice", "POST", qpath+"/responses", answers("arbres"), &resp, "Idempotency-Key", "alice-form")
	// The retry is answered with the stored first answer (Idempotent-Replayed).
	s.must(http.StatusCreated, "alice", "POST", qpath+"/responses", answers("arbres"), &replay, "Idempotency-Key", "alice-form")
	assert.Equal(t, resp.ID, replay.ID, "a retry with its key answers the stored response")
	s.problem(http.StatusConflict, "alice", "POST", qpath+"/responses", answers("bancs")) // one response per person
	p := s.problem(http.StatusBadRequest, "bob", "POST", qpath+"/responses", answers("bancs"))
	assert.Contains(t, strings.Join(fieldRules(p), " "), "reflection.", "bob skipped the reflection step")

	var carol, dan participation.Participant
	s.must(http.StatusCreated, "op1", "POST", "/api/v1/participants", nil, &carol)
	s.must(http.StatusCreated, "op1", "POST", "/api/v1/participants", nil, &dan)
	cq := base + "/questionnaires/" + q.ID.String()
	kiosk := func(pid uuid.UUID, key, opt string) map[string]any {
		m := answers(opt)
		m["participant_id"], m["place"], m["idempotency_key"] = pid, "mediatheque", key
		return m
	}
	var kr questionnaire.Response
	s.must(http.StatusCreated, "op1", "POST", cq+"/kiosk-responses", kiosk(carol.ID, "kiosk-1", "bancs"), &kr)
	assert.Equal(t, civickit.ChannelKiosk, kr.Provenance.Channel)
	s.problem(http.StatusForbidden, "alice", "POST", cq+"/kiosk-responses", kiosk(carol.ID, "kiosk-x", "bancs"))

	// The kiosk was offline: it replays what it kept, including carol's
	// response already sent and alice's, who had responded on the web.
	sync := map[string]any{"responses": []any{kiosk(carol.ID, "kiosk-1", "bancs"), kiosk(dan.ID, "kiosk-2", "jeux"), kiosk(alice, "kiosk-3", "jeux")}}
	var rep struct {
		Stored, Replayed, Refused int
		Items                     []struct {
			Index   int
			Problem *httpapi.Problem
		}
	}
	s.must(http.StatusOK, "op1", "POST", cq+"/kiosk-sync", sync, &rep)
	assert.Equal(t, [3]int{1, 1, 1}, [3]int{rep.Stored, rep.Replayed, rep.Refused})
	require.NotNil(t, rep.Items[2].Problem)
	assert.Equal(t, http.StatusConflict, rep.Items[2].Problem.Status)
	s.must(http.StatusOK, "op1", "POST", cq+"/kiosk-sync", sync, &rep)
	assert.Equal(t, [3]int{0, 2, 1}, [3]int{rep.Stored, rep.Replayed, rep.Refused}, "a sync sent again stores nothing twice")

	// Paper: two forms keyed twice by two agents; they disagree on form
	// 2 until op1 resolves it from the paper.
	var erin, fred participation.Participant
	s.must(http.StatusCreated, "op1", "POST", "/api/v1/participants", nil, &erin)
	s.must(http.StatusCreated, "op1", "POST", "/api/v1/participants", nil, &fred)
	var batch questionnaire.PaperBatch
	s.must(http.StatusCreated, "op1", "POST", cq+"/paper-batches", map[string]any{"label": "Urne de la mairie", "collected_by": "agent-12",
		"place": "mairie", "forms": 2, "double_keying": true}, &batch)
	pb := base + "/paper-batches/" + batch.ID.String()
	form := func(n, pass int, pid uuid.UUID, opt string) map[string]any {
		m := answers(opt)
		m["form"], m["pass"], m["respondent"] = n, pass, map[string]any{"participant_id": pid, "recruitment": "open_call"}
		return m
	}
	s.must(http.StatusCreated, "op1", "POST", pb+"/entries", form(1, 1, erin.ID, "arbres"), nil)
	s.problem(http.StatusBadRequest, "op1", "POST", pb+"/entries", form(1, 2, erin.ID, "arbres")) // the second pass needs another agent
	s.must(http.StatusCreated, "op2", "POST", pb+"/entries", form(1, 2, erin.ID, "arbres"), nil)
	s.must(http.StatusCreated, "op1", "POST", pb+"/entries", form(2, 1, fred.ID, "bancs"), nil)
	s.must(http.StatusCreated, "op2", "POST", pb+"/entries", form(2, 2, fred.ID, "jeux"), nil)
	var rec questionnaire.Reconciliation
	s.must(http.StatusOK, "op1", "GET", pb+"/reconciliation", nil, &rec)
	assert.Equal(t, [2]int{1, 1}, [2]int{rec.Agreed, rec.Disputed})
	s.problem(http.StatusConflict, "op1", "POST", pb+"/commit", nil)
	s.must(http.StatusCreated, "op1", "POST", pb+"/resolutions", form(2, 0, fred.ID, "bancs"), nil)
	var commit questionnaire.CommitReport
	s.must(http.StatusOK, "op1", "POST", pb+"/commit", nil, &commit)
	assert.Equal(t, 2, commit.Batch.Committed)

	// Results and export are public, counted once per person, and name
	// no one.
	var res questionnaire.Results
	raw = s.must(http.StatusOK, "", "GET", qpath+"/results", nil, &res)
	assert.Equal(t, map[civickit.Channel]int{"web": 1, "kiosk": 2, "paper": 2}, res.Responses.ByChannel, "alice (web), carol and dan (kiosk), erin and fred (paper): %s", raw)
	csv = string(s.must(http.StatusOK, "", "GET", qpath+"/export?format=csv&columns=channel,prio", nil, nil))
	assert.Equal(t, 6, strings.Count(csv, "\n"), csv)
	for _, id := range []uuid.UUID{alice, bob, carol.ID, dan.ID, erin.ID, fred.ID, resp.ID} {
		assert.NotContains(t, csv, id.String())
	}
	s.problem(http.StatusBadRequest, "", "GET", qpath+"/export?format=xlsx", nil)

	// 9. Decision and evaluation: written by the organiser in the
	// evaluation phase, read by anyone.
	s.problem(http.StatusConflict, "org", "PUT", base+"/decision", map[string]any{"summary": "Trop tôt", "decided_by": "Conseil municipal",
		"decided_on": time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "evaluation"}, nil)
	s.must(http.StatusOK, "org", "PUT", base+"/decision", map[string]any{"summary": "La place sera plantée et piétonne le dimanche.",
		"decided_by": "Conseil municipal", "decided_on": time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}, nil)
	var item evaluation.FollowUpItem
	s.must(http.StatusCreated, "org", "POST", base+"/follow-up-items", map[string]any{"title": "Plantation de 40 arbres", "status": "in_progress", "progress": 25}, &item)
	s.must(http.StatusCreated, "org", "POST", base+"/follow-up-items/"+item.ID.String()+"/milestones", map[string]any{"title": "Appel d'offres",
		"due_on": time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}, nil)
	var ev evaluation.Evaluation
	s.must(http.StatusOK, "", "GET", base+"/evaluation", nil, &ev)
	require.NotNil(t, ev.Decision)
	require.Len(t, ev.Items, 1)
	assert.InDelta(t, 25, ev.Progress, 1e-9)
	assert.Len(t, ev.Items[0].Milestones, 1)
	s.problem(http.StatusForbidden, "alice", "POST", base+"/follow-up-items", map[string]any{"title": "x", "status": "planned"})

	var history civickit.Page[participation.PhaseTransition]
	s.must(http.StatusOK, "org", "GET", base+"/transitions", nil, &history)
	require.Len(t, history.Items, 5)
	assert.Equal(t, "sub-org", history.Items[0].Actor)
	assert.Equal(t, "ouverture du débat", history.Items[1].Note)
}

// TestParticipationRefusals checks the refusals the routes promise:
// anonymous writes 401, a role too low or scoped elsewhere 403, an
// action out of phase 409, bad bodies and parameters 400 naming the
// field.
func TestParticipationRefusals(t *testing.T) {
	s := newPartServer(t, storage.SQLite)
	s.user("alice")
	s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})
	var c participation.Consultation
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", square("Budget participatif"), &c)
	base := "/api/v1/consultations/" + c.ID.String()
	s.user("other", httpapi.Grant{Role: httpapi.RoleOrganiser, Scope: uuid.New()})
	s.user("scoped", httpapi.Grant{Role: httpapi.RoleOrganiser, Scope: c.ID})
	var open participation.Consultation
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", square("Budget participatif 2027"), &open)
	s.must(http.StatusOK, "org", "POST", "/api/v1/consultations/"+open.ID.String()+"/transitions", map[string]any{"to": "information"}, nil)

	tests := []struct {
		name, user, method, path string
		body                     any
		status                   int
		fields                   []string
	}{
		{"anonymous create", "", "POST", "/api/v1/consultations", square("x"), 401, nil},
		{"anonymous comment", "", "POST", base + "/comments", map[string]any{"body": "x"}, 401, nil},
		{"unknown credentials", "mallory", "GET", "/api/v1/consultations", nil, 401, nil},
		{"participant creates", "alice", "POST", "/api/v1/consultations", square("x"), 403, nil},
		{"participant moves phase", "alice", "POST", base + "/transitions", map[string]any{"to": "information"}, 403, nil},
		{"organiser of another consultation", "other", "POST", base + "/transitions", map[string]any{"to": "information"}, 403, nil},
		{"global-only create for a scoped organiser", "scoped", "POST", "/api/v1/consultations", square("x"), 403, nil},
		{"wrong phase", "alice", "POST", "/api/v1/consultations/" + open.ID.String() + "/comments", map[string]any{"body": "x"}, 409, nil},
		{"missing title", "org", "POST", "/api/v1/consultations", map[string]any{"organiser": "Ville", "territory": "75056",
			"languages": []string{"fr"}, "phases": square("x")["phases"]}, 400, []string{"title:required"}},
		{"unknown field", "org", "POST", "/api/v1/consultations", map[string]any{"title": "x", "colour": "red"}, 400, []string{"colour:unknown_field"}},
		{"field of the wrong type", "org", "POST", "/api/v1/consultations", map[string]any{"title": 12}, 400, []string{"title:type"}},
		{"unknown phase", "scoped", "POST", base + "/transitions", map[string]any{"to": "voting"}, 400, []string{"to:phase_kind"}},
		{"bad consultation id", "", "GET", "/api/v1/consultations/not-a-uuid", nil, 400, []string{"consultation:uuid"}},
		{"bad limit", "", "GET", "/api/v1/consultations?limit=-1", nil, 400, []string{"limit:non_negative_integer"}},
		{"bad status", "", "GET", "/api/v1/consultations?status=maybe", nil, 400, []string{"status:oneof"}},
		{"report of an unknown kind", "alice", "POST", "/api/v1/reports", map[string]any{"item": map[string]any{"kind": "ballot", "id": uuid.New()}, "reason": "spam"}, 400, []string{"item.kind:oneof"}},
		{"draft hidden", "", "GET", base, nil, 404, nil},
		{"draft resources hidden", "", "GET", base + "/resources", nil, 404, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := s.problem(tc.status, tc.user, tc.method, tc.path, tc.body)
			if tc.fields != nil {
				assert.Equal(t, tc.fields, fieldRules(p))
			}
		})
	}
	// The scoped organiser may move their own consultation.
	s.must(http.StatusOK, "scoped", "POST", base+"/transitions", map[string]any{"to": "information"}, nil)
}

// TestConsultationPaging follows the kernel's cursor through the public
// list: every open consultation once, drafts left out for the public.
func TestConsultationPaging(t *testing.T) {
	s := newPartServer(t, storage.SQLite)
	s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})
	want := map[uuid.UUID]bool{}
	for i := range 7 {
		var c participation.Consultation
		s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", square(fmt.Sprintf("Consultation %d", i)), &c)
		if i%3 != 0 { // 0, 3 and 6 stay drafts
			s.must(http.StatusOK, "org", "POST", "/api/v1/consultations/"+c.ID.String()+"/transitions", map[string]any{"to": "information"}, nil)
			want[c.ID] = true
		}
	}
	for _, tc := range []struct {
		user string
		n    int
	}{{"", 4}, {"org", 7}} {
		seen := map[uuid.UUID]bool{}
		after, pages := "", 0
		for {
			var page civickit.Page[participation.Consultation]
			s.must(http.StatusOK, tc.user, "GET", "/api/v1/consultations?limit=2&after="+after, nil, &page)
			pages++
			for _, c := range page.Items {
				assert.False(t, seen[c.ID], "seen twice")
				seen[c.ID] = true
				if tc.user == "" {
					assert.True(t, want[c.ID], "a draft in the public list")
				}
			}
			if after = page.Next; after == "" {
				break
			}
			require.Less(t, pages, 10)
		}
		assert.Len(t, seen, tc.n, "as %q", tc.user)
		assert.Equal(t, 4, pages, "7 consultations by 2")
	}
}

// TestScopedGrantsStayInTheirConsultation: a grant scoped to consultation
// A is checked against the path, so the handlers refuse, through A's
// path, the items, questionnaires and batches of consultation B.
func TestScopedGrantsStayInTheirConsultation(t *testing.T) {
	s := newPartServer(t, storage.SQLite)
	s.user("alice")
	s.user("org", httpapi.Grant{Role: httpapi.RoleOrganiser})
	open := func(title string) string {
		var c participation.Consultation
		s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations", square(title), &c)
		base := "/api/v1/consultations/" + c.ID.String()
		s.must(http.StatusOK, "org", "POST", base+"/transitions", map[string]any{"to": "debate"}, &c)
		return c.ID.String()
	}
	a, b := open("A"), open("B")
	aID, _ := uuid.Parse(a)
	s.user("modA", httpapi.Grant{Role: httpapi.RoleOrganiser, Scope: aID})
	var cm debate.Comment
	s.must(http.StatusCreated, "alice", "POST", "/api/v1/consultations/"+b+"/comments", map[string]any{"body": "dans B"}, &cm)
	var st debate.Statement
	s.must(http.StatusCreated, "alice", "POST", "/api/v1/consultations/"+b+"/statements", map[string]any{"text": "dans B"}, &st)
	var q questionnaire.Questionnaire
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations/"+b+"/questionnaires", map[string]any{"title": "B", "results": "live",
		"questions": []map[string]any{{"id": "q", "type": "short_text", "title": "?"}}}, &q)
	var batch questionnaire.PaperBatch
	s.must(http.StatusCreated, "org", "POST", "/api/v1/consultations/"+b+"/questionnaires/"+q.ID.String()+"/paper-batches",
		map[string]any{"label": "B", "collected_by": "agent", "place": "mairie", "forms": 1}, &batch)

	viaA := "/api/v1/consultations/" + a
	for _, tc := range []struct {
		name, method, path string
		body               any
	}{
		{"hide B's comment", "POST", viaA + "/moderation/decisions", map[string]any{"item": map[string]any{"kind": "comment", "id": cm.ID}, "kind": "hide"}},
		{"hide B's statement", "POST", viaA + "/moderation/decisions", map[string]any{"item": map[string]any{"kind": "statement", "id": st.ID}, "kind": "hide"}},
		{"read reports on B's comment", "GET", viaA + "/moderation/reports?kind=comment&id=" + cm.ID.String(), nil},
		{"close B's questionnaire", "POST", viaA + "/questionnaires/" + q.ID.String() + "/close", nil},
		{"open a batch on B's questionnaire", "POST", viaA + "/questionnaires/" + q.ID.String() + "/paper-batches",
			map[string]any{"label": "x", "collected_by": "agent", "place": "mairie", "forms": 1}},
		{"read B's batch", "GET", viaA + "/paper-batches/" + batch.ID.String(), nil},
		{"commit B's batch", "POST", viaA + "/paper-batches/" + batch.ID.String() + "/commit", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.problem(http.StatusNotFound, "modA", tc.method, tc.path, tc.body)
			s.problem(http.StatusForbidden, "modA", tc.method, strings.Replace(tc.path, a, b, 1), tc.body)
		})
	}
}

// TestParticipationRouteTable checks what every participation and staff
// route declares: writes need a signed-in caller (but the public
// manifest verification, which stores nothing), a scope names a path
// wildcard, and JSON routes document their body and answer.
func TestParticipationRouteTable(t *testing.T) {
	core, err := participation.NewService(storage.NewParticipationStore(storagetest.Open(t, storage.SQLite)), participation.Options{})
	require.NoError(t, err)
	rs := httpapi.Routes(httpapi.Deps{Associations: &associations.Service{}, Participation: &httpapi.Participation{Core: core, Debate: &debate.Service{}, Proposals: &proposals.Service{},
		Questionnaires: &questionnaire.Service{}, Evaluation: &evaluation.Service{}}})
	publicWrites := map[string]bool{"POST /api/v1/panels/manifest-verification": true}
	noAnswer := map[string]bool{}
	// The public association routes predate Body/Answer; routes.go (17a's)
	// documents them.
	legacy := map[string]bool{"GET /api/v1/associations": true, "GET /api/v1/associations/near": true, "GET /api/v1/associations/rna/{rna}": true,
		"GET /api/v1/associations/{id}": true, "GET /api/v1/spaces": true, "GET /api/v1/spaces/{id}/calendar.ics": true}
	n := 0
	for _, rt := range rs {
		if !strings.HasPrefix(rt.Pattern, "/api/v1/") {
			continue
		}
		n++
		key := rt.Method + " " + rt.Pattern
		if rt.Method != http.MethodGet && !publicWrites[key] {
			assert.Greater(t, rt.Access, httpapi.RoleAnonymous, "%s: a write needs a signed-in caller", key)
		}
		if rt.Scope != "" {
			assert.Contains(t, rt.Pattern, "{"+rt.Scope+"}", key)
		}
		if strings.HasSuffix(rt.Pattern, ".csv") || strings.HasSuffix(rt.Pattern, "/export") {
			continue
		}
		if rt.Answer == nil && !legacy[key] {
			noAnswer[key] = true
		}
	}
	assert.Equal(t, map[string]bool{
		"POST /api/v1/consultations/{consultation}/resources/{resource}/reads":             true,
		"PUT /api/v1/consultations/{consultation}/preliminary-questions/{question}/answer": true,
		"DELETE /api/v1/persons/{person}":                                                  true,
		"POST /api/v1/census-lists/{list}/entries":                                         true,
	}, noAnswer, "only the 204 routes answer nothing")
	assert.Greater(t, n, 60)
}

// TestEligibilityOverHTTP: a consultation restricted to a census list
// (the electoral roll) admits a participant once they claimed an identity
// on it, and one identity holds one participant only.
func TestEligibilityOverHTTP(t *testing.T) {
	s := newPartServer(t, storage.SQLite)
	alice := s.user("alice")
	s.user("bob")
	s.user("admin", httpapi.Grant{Role: httpapi.RoleAdministrator})
	body := square("Budget participatif des habitants")
	body["settings"].(map[string]any)["eligibility"] = map[string]any{"census_list": "liste-electorale-2026"}
	var c participation.Consultation
	s.must(http.StatusCreated, "admin", "POST", "/api/v1/consultations", body, &c)
	s.must(http.StatusOK, "admin", "POST", "/api/v1/consultations/"+c.ID.String()+"/transitions", map[string]any{"to": "information"}, nil)
	elig := "/api/v1/consultations/" + c.ID.String() + "/eligibility"
	var e struct {
		Eligible bool
		Rule     string
	}
	s.must(http.StatusOK, "alice", "GET", elig, nil, &e)
	assert.Equal(t, "census", e.Rule)
	assert.False(t, e.Eligible)

	s.problem(http.StatusForbidden, "alice", "POST", "/api/v1/census-lists/liste-electorale-2026/entries", map[string]any{"identifiers": []string{"x"}})
	s.must(http.StatusNoContent, "admin", "POST", "/api/v1/census-lists/liste-electorale-2026/entries", map[string]any{"identifiers": []string{"AB 1234", "CD 5678"}}, nil)
	var claim participation.CensusClaim
	s.must(http.StatusCreated, "alice", "POST", "/api/v1/me/census-claims", map[string]any{"list": "liste-electorale-2026", "identifier": "ab1234"}, &claim)
	assert.Equal(t, alice, claim.ParticipantID)
	s.must(http.StatusOK, "alice", "GET", elig, nil, &e)
	assert.True(t, e.Eligible)
	s.problem(http.StatusConflict, "bob", "POST", "/api/v1/me/census-claims", map[string]any{"list": "liste-electorale-2026", "identifier": "AB-1234"})

	p := s.problem(http.StatusBadRequest, "alice", "PUT", "/api/v1/me/attributes", map[string]any{"values": map[string]string{"age": "30-44"}})
	assert.Equal(t, []string{"consent:required"}, fieldRules(p))
	s.must(http.StatusOK, "alice", "PUT", "/api/v1/me/attributes", map[string]any{"values": map[string]string{"age": "30-44"}, "consent": true}, nil)
	var at participation.Attributes
	s.must(http.StatusOK, "alice", "GET", "/api/v1/me/attributes", nil, &at)
	assert.Equal(t, map[string]string{"age": "30-44"}, at.Values)
	s.problem(http.StatusNotFound, "bob", "GET", "/api/v1/me/attributes", nil)
}
