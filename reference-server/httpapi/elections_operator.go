package httpapi

import (
	"context"
	"net/http"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
)

// The operator routes serve the access points of an election: kiosk and
// mediator sessions casting for the person in front of them, polling
// places marking paper voters, offline devices syncing, and the keying
// of paper batches (twice, by two agents, when double keyed) with their
// reconciliation against the voters marked. The agent or operator stored
// is the caller's Subject, so that two keyings of one batch come from two
// accounts.

type sessionBody struct {
	Place   string           `json:"place"`
	Channel civickit.Channel `json:"channel"`
}

// accessCastBody is a ballot cast at a kiosk or by a mediator for the
// voter present (whose ID is their participant ID).
type accessCastBody struct {
	Voter  ballotbox.Voter  `json:"voter"`
	Ballot ballotbox.Ballot `json:"ballot"`
}

type paperVoterBody struct {
	Voter ballotbox.Voter `json:"voter"`
}

type syncBody struct {
	Submissions []ballotbox.Submission `json:"submissions"`
}

// syncItem is one submission's outcome: its receipt, or the problem that
// refused it (the problem document of a request of its own).
type syncItem struct {
	Key     string             `json:"key"`
	Receipt *ballotbox.Receipt `json:"receipt,omitempty"`
	Problem *Problem           `json:"problem,omitempty"`
}

type syncAnswer struct {
	Results []syncItem `json:"results"`
}

type batchBody struct {
	Place       string `json:"place"`
	Sheets      int    `json:"sheets"`
	DoubleKeyed bool   `json:"double_keyed,omitempty"`
}

type keyingBody struct {
	Sheets []ballotbox.Sheet `json:"sheets"`
}

type resolveBody struct {
	Sheet ballotbox.Sheet `json:"sheet"`
}

type voidBody struct {
	Reason string `json:"reason"`
}

type recountBody struct {
	Reason string            `json:"reason"`
	Sheets []ballotbox.Sheet `json:"sheets"`
}

type changesAnswer struct {
	Changes []ballotbox.Change `json:"changes"`
}

func (a *api) electionOperatorRoutes() []Route {
	e := electionsPrefix + "/{election}"
	s := e + "/sessions/{session}"
	b := e + "/batches/{batch}"
	op := func(method, pattern, summary string, body, answer any, h http.HandlerFunc) Route {
		return Route{Method: method, Pattern: pattern, Summary: summary, Access: RoleOperator, Scope: "election",
			Body: body, Answer: answer, handler: h}
	}
	return []Route{
		op(http.MethodPost, e+"/sessions", "open a kiosk, mediator or paper session at a place", sessionBody{}, ballotbox.Session{}, a.openSession),
		op(http.MethodGet, s, "one session", nil, ballotbox.Session{}, a.getSession),
		op(http.MethodPost, s+"/close", "close a session", nil, ballotbox.Session{}, a.closeSession),
		op(http.MethodPost, s+"/ballots", "cast for the voter present at a kiosk or mediator session (Idempotency-Key)",
			accessCastBody{}, ballotbox.Receipt{}, a.accessCast),
		op(http.MethodPost, s+"/paper-voters", "mark a voter who votes on paper at the session's place (Idempotency-Key)",
			paperVoterBody{}, ballotbox.Receipt{}, a.markPaperVoter),
		op(http.MethodPost, s+"/sync", "sync the submissions an access point recorded offline, each under its own key",
			syncBody{}, syncAnswer{}, a.syncSession),
		op(http.MethodPost, e+"/batches", "open a batch of paper ballots for keying", batchBody{}, ballotbox.Batch{}, a.createBatch),
		op(http.MethodGet, e+"/batches", "a page of the election's paper batches", nil, civickit.Page[ballotbox.Batch]{}, a.listBatches),
		op(http.MethodGet, b, "one paper batch, its keyings and disputes", nil, ballotbox.Batch{}, a.getBatch),
		op(http.MethodPost, b+"/keyings", "key a batch's sheets (a second agent keys a double-keyed batch again)",
			keyingBody{}, ballotbox.Batch{}, a.keyBatch),
		op(http.MethodPost, b+"/sheets/{pos}/resolve", "settle a sheet the two keyings read differently",
			resolveBody{}, ballotbox.Batch{}, a.resolveSheet),
		op(http.MethodPost, b+"/sheets/{pos}/void", "void a sheet in excess of the voters marked at the place",
			voidBody{}, ballotbox.Batch{}, a.voidSheet),
		op(http.MethodPost, b+"/commit", "append a keyed batch's settled sheets to the board", nil, ballotbox.Batch{}, a.commitBatch),
		{Method: http.MethodPost, Pattern: b + "/recount", Summary: "record a recount of a committed batch; each sheet read differently is corrected on the board",
			Access: RoleOrganiser, Scope: "election", Body: recountBody{}, Answer: changesAnswer{}, handler: a.recountBatch},
		op(http.MethodGet, e+"/places", "a page of the paper reconciliation by polling place (voters marked, sheets counted)",
			nil, civickit.Page[ballotbox.PlaceCount]{}, a.listPlaces),
		op(http.MethodGet, e+"/changes", "a page of the recount change log, oldest first", nil, civickit.Page[ballotbox.Change]{}, a.listChanges),
	}
}

// errElsewhere: the session or batch belongs to another election than the
// path's, whose scoped grant does not cover it.
var errElsewhere = civickit.Sentinel(civickit.ErrNotFound, "httpapi: no such session or batch in this election")

// electionSession loads the path's session and checks it belongs to the path's
// election, so that a grant scoped to one election reaches no other.
func (a *api) electionSession(r *http.Request) (*ballotbox.Session, error) {
	eid, err := electionID(r)
	if err != nil {
		return nil, err
	}
	sid, err := pathID(r, "session")
	if err != nil {
		return nil, err
	}
	s, err := a.box.Session(r.Context(), sid)
	if err != nil {
		return nil, err
	}
	if s.ElectionID != eid {
		return nil, errElsewhere
	}
	return s, nil
}

// batch is session for batches: it returns the batch's ID once it is
// known to belong to the path's election.
func (a *api) batch(r *http.Request) (uuid.UUID, error) {
	eid, err := electionID(r)
	if err != nil {
		return uuid.Nil, err
	}
	bid, err := pathID(r, "batch")
	if err != nil {
		return uuid.Nil, err
	}
	b, err := a.box.Batch(r.Context(), bid)
	if err != nil {
		return uuid.Nil, err
	}
	if b.ElectionID != eid {
		return uuid.Nil, errElsewhere
	}
	return bid, nil
}

func (a *api) openSession(w http.ResponseWriter, r *http.Request) {
	eid, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b sessionBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	s, err := a.box.OpenSession(r.Context(), eid, PrincipalFrom(r.Context()).Subject, b.Place, b.Channel)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, s)
}

func (a *api) getSession(w http.ResponseWriter, r *http.Request) {
	s, err := a.electionSession(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (a *api) closeSession(w http.ResponseWriter, r *http.Request) {
	s, err := a.electionSession(r)
	if err == nil {
		err = a.box.CloseSession(r.Context(), s.ID)
	}
	if err == nil {
		s, err = a.box.Session(r.Context(), s.ID)
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (a *api) accessCast(w http.ResponseWriter, r *http.Request) {
	s, err := a.electionSession(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b accessCastBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	rc, err := a.box.Cast(r.Context(), ballotbox.Cast{ElectionID: s.ElectionID, Voter: b.Voter, Ballot: b.Ballot,
		Channel: s.Channel, Session: s.ID, IdempotencyKey: r.Header.Get("Idempotency-Key")})
	if err != nil {
		writeError(w, r, a.log, ballotProblem(err))
		return
	}
	writeReceipt(w, rc)
}

func (a *api) markPaperVoter(w http.ResponseWriter, r *http.Request) {
	s, err := a.electionSession(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b paperVoterBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	rc, err := a.box.MarkPaperVoter(r.Context(), s.ID, b.Voter, r.Header.Get("Idempotency-Key"))
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeReceipt(w, rc)
}

// maxSync bounds one sync request; a device with more sends several.
const maxSync = 1000

func (a *api) syncSession(w http.ResponseWriter, r *http.Request) {
	s, err := a.electionSession(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b syncBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if len(b.Submissions) > maxSync {
		writeError(w, r, a.log, civickit.Invalid("submissions", "max", "1000"))
		return
	}
	res, err := a.box.Sync(r.Context(), s.ID, b.Submissions)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	out := syncAnswer{Results: make([]syncItem, len(res))}
	for i, x := range res {
		out.Results[i].Key = x.Key
		if x.Err != nil {
			p := problemOf(ballotProblem(x.Err))
			if p.Status >= 500 {
				a.log.Error("sync submission failed", "pattern", r.Pattern, "err", x.Err)
			}
			out.Results[i].Problem = &p
			continue
		}
		rc := x.Receipt
		out.Results[i].Receipt = &rc
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *api) createBatch(w http.ResponseWriter, r *http.Request) {
	eid, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b batchBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	bt, err := a.box.CreateBatch(r.Context(), ballotbox.NewBatch{ElectionID: eid, Place: b.Place, Sheets: b.Sheets, DoubleKeyed: b.DoubleKeyed})
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, bt)
}

func (a *api) listBatches(w http.ResponseWriter, r *http.Request) {
	listOf(a, w, r, a.box.ListBatches)
}

func (a *api) listPlaces(w http.ResponseWriter, r *http.Request) {
	listOf(a, w, r, a.box.ListPlaces)
}

func (a *api) listChanges(w http.ResponseWriter, r *http.Request) {
	listOf(a, w, r, a.box.ListChanges)
}

// listOf answers a page of one of the election's lists, with the
// kernel's cursor (?after=&limit=).
func listOf[T any](a *api, w http.ResponseWriter, r *http.Request, list func(ctx context.Context, id uuid.UUID, after string, limit int) (civickit.Page[T], error)) {
	eid, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	q := queryParams{r: r}
	limit, after := q.int("limit"), q.str("after")
	if err := q.err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	page, err := list(r.Context(), eid, after, limit)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (a *api) getBatch(w http.ResponseWriter, r *http.Request) {
	bid, err := a.batch(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	b, err := a.box.Batch(r.Context(), bid)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (a *api) keyBatch(w http.ResponseWriter, r *http.Request) {
	var b keyingBody
	a.batchWrite(w, r, &b, func(bid uuid.UUID, agent string) (*ballotbox.Batch, error) {
		return a.box.KeyBatch(r.Context(), bid, agent, b.Sheets)
	})
}

func (a *api) resolveSheet(w http.ResponseWriter, r *http.Request) {
	var b resolveBody
	a.batchWrite(w, r, &b, func(bid uuid.UUID, agent string) (*ballotbox.Batch, error) {
		pos, err := pathInt(r, "pos")
		if err != nil {
			return nil, err
		}
		return a.box.ResolveSheet(r.Context(), bid, pos, agent, b.Sheet)
	})
}

func (a *api) voidSheet(w http.ResponseWriter, r *http.Request) {
	var b voidBody
	a.batchWrite(w, r, &b, func(bid uuid.UUID, agent string) (*ballotbox.Batch, error) {
		pos, err := pathInt(r, "pos")
		if err != nil {
			return nil, err
		}
		return a.box.VoidSheet(r.Context(), bid, pos, agent, b.Reason)
	})
}

func (a *api) commitBatch(w http.ResponseWriter, r *http.Request) {
	a.batchWrite(w, r, nil, func(bid uuid.UUID, _ string) (*ballotbox.Batch, error) {
		return a.box.CommitBatch(r.Context(), bid)
	})
}

// batchWrite runs one write to the path's batch by the caller, after
// decoding body (when not nil).
func (a *api) batchWrite(w http.ResponseWriter, r *http.Request, body any, write func(bid uuid.UUID, agent string) (*ballotbox.Batch, error)) {
	bid, err := a.batch(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if body != nil {
		if err := decodeBody(w, r, body); err != nil {
			writeError(w, r, a.log, err)
			return
		}
	}
	b, err := write(bid, PrincipalFrom(r.Context()).Subject)
	if err != nil {
		writeError(w, r, a.log, ballotProblem(err))
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (a *api) recountBatch(w http.ResponseWriter, r *http.Request) {
	bid, err := a.batch(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b recountBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	changes, err := a.box.RecountBatch(r.Context(), bid, PrincipalFrom(r.Context()).Subject, b.Reason, b.Sheets)
	if err != nil {
		writeError(w, r, a.log, ballotProblem(err))
		return
	}
	writeJSON(w, http.StatusOK, changesAnswer{Changes: changes})
}
