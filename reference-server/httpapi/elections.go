package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
)

// The elections routes put the ballot box (package voting/ballotbox) over
// HTTP: organisers define and open elections, participants cast, anyone
// checks a receipt, reads the board and, when the election's visibility
// allows, the results. The voter is always the caller's participant
// (Principal.Participant): a body never names who votes, except where an
// operator acts for someone at an access point.

const electionsPrefix = "/api/v1/elections"

// electionBody is an election's definition as an organiser writes it; the
// ballot box gives the ID, salt, version and times.
type electionBody struct {
	Title       string                 `json:"title"`
	Description string                 `json:"description,omitempty"`
	Questions   []ballotbox.Question   `json:"questions"`
	Opens       time.Time              `json:"opens"`
	Closes      time.Time              `json:"closes"`
	Eligibility ballotbox.Eligibility  `json:"eligibility"`
	Revote      ballotbox.RevotePolicy `json:"revote"`
	Visibility  ballotbox.Visibility   `json:"visibility"`
	// Version is the version being replaced, on update (optimistic
	// concurrency: a stale version is a 409).
	Version int `json:"version,omitempty"`
}

func (b electionBody) election(id uuid.UUID) *ballotbox.Election {
	return &ballotbox.Election{ID: id, Title: b.Title, Description: b.Description, Questions: b.Questions,
		Opens: b.Opens, Closes: b.Closes, Eligibility: b.Eligibility, Revote: b.Revote, Visibility: b.Visibility,
		Version: b.Version}
}

// castBody is a participant's ballot. Who casts it is the caller.
type castBody struct {
	Ballot ballotbox.Ballot `json:"ballot"`
}

// censusBody lists identifiers to admit when the election's eligibility
// uses a census; they are stored only as keyed hashes.
type censusBody struct {
	IDs []string `json:"ids"`
}

type censusAnswer struct {
	Added int `json:"added"`
}

func (a *api) electionRoutes() []Route {
	p := electionsPrefix
	e := p + "/{election}"
	return []Route{
		{Method: http.MethodGet, Pattern: p, Summary: "a page of elections in creation order, each as GET /api/v1/elections/{election} shows it",
			Answer: civickit.Page[ballotbox.Election]{}, handler: a.listElections},
		{Method: http.MethodPost, Pattern: p, Summary: "create an election", Access: RoleOrganiser,
			Body: electionBody{}, Answer: ballotbox.Election{}, handler: a.createElection},
		{Method: http.MethodGet, Pattern: e, Summary: "an election's definition and window", Access: RoleAnonymous, Scope: "election",
			Answer: ballotbox.Election{}, handler: a.getElection},
		{Method: http.MethodPut, Pattern: e, Summary: "replace an election's definition at its version (frozen once open but for the description)",
			Access: RoleOrganiser, Scope: "election", Body: electionBody{}, Answer: ballotbox.Election{}, handler: a.updateElection},
		{Method: http.MethodPost, Pattern: e + "/open", Summary: "open the voting window now", Access: RoleOrganiser, Scope: "election",
			Answer: ballotbox.Election{}, handler: a.openElection},
		{Method: http.MethodPost, Pattern: e + "/close", Summary: "close the voting window now and append the queued ballots",
			Access: RoleOrganiser, Scope: "election", Answer: ballotbox.Election{}, handler: a.closeElection},
		{Method: http.MethodPost, Pattern: e + "/census", Summary: "add identifiers to the election's census (stored as keyed hashes)",
			Access: RoleOrganiser, Scope: "election", Body: censusBody{}, Answer: censusAnswer{}, handler: a.loadCensus},
		{Method: http.MethodPost, Pattern: e + "/ballots", Summary: "cast the caller's ballot (Idempotency-Key: a retry returns the same receipt)",
			Access: RoleParticipant, Scope: "election", Body: castBody{}, Answer: ballotbox.Receipt{}, handler: a.castBallot},
		{Method: http.MethodGet, Pattern: e + "/ballots", Summary: "the counted ballots as JSON lines sorted by tracker, when results are visible",
			Access: RoleAnonymous, Scope: "election", Answer: ballotbox.CountedBallot{}, handler: a.exportBallots},
		{Method: http.MethodGet, Pattern: e + "/receipt", Summary: "where a receipt's tracker (?tracker=) is on the board and whether it counts",
			Access: RoleAnonymous, Scope: "election", Answer: ballotbox.ReceiptCheck{}, handler: a.checkReceipt},
		{Method: http.MethodGet, Pattern: e + "/board/head", Summary: "the board's head (entries and hash), publishable at any time",
			Access: RoleAnonymous, Scope: "election", Answer: ballotbox.Head{}, handler: a.boardHead},
		{Method: http.MethodGet, Pattern: e + "/board", Summary: "the board as `tally verify` reads it (JSON lines), when results are visible",
			Access: RoleAnonymous, Scope: "election", Answer: ballotbox.BoardHeader{}, handler: a.exportBoard},
		{Method: http.MethodGet, Pattern: e + "/results", Summary: "live or final results, per the election's visibility",
			Access: RoleAnonymous, Scope: "election", Answer: ballotbox.Results{}, handler: a.electionResults},
	}
}

// electionID reads the {election} wildcard.
func electionID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue("election"))
	if err != nil {
		return uuid.Nil, civickit.Invalid("election", "uuid", "")
	}
	return id, nil
}

// pathInt reads a non-negative integer wildcard.
func pathInt(r *http.Request, name string) (int, error) {
	n, err := strconv.Atoi(r.PathValue(name))
	if err != nil || n < 0 {
		return 0, civickit.Invalid(name, "non_negative_integer", "")
	}
	return n, nil
}

// errNoParticipant: a signed-in caller the authenticator links to no
// participant cannot vote.
var errNoParticipant = civickit.Sentinel(civickit.ErrForbidden, "httpapi: the caller takes part as no participant")

// voterOf is the caller as a voter: their participant, at the assurance
// level their identity provider vouches for.
func voterOf(p Principal) (ballotbox.Voter, error) {
	if p.Participant == uuid.Nil {
		return ballotbox.Voter{}, errNoParticipant
	}
	return ballotbox.Voter{ID: p.Participant.String(), Assurance: p.Assurance}, nil
}

// viewerOf is who reads results: the caller's participant, or nobody.
func viewerOf(p Principal) *ballotbox.Voter {
	if p.Participant == uuid.Nil {
		return nil
	}
	return &ballotbox.Voter{ID: p.Participant.String()}
}

// ballotProblem gives a ballot's broken rule a field path, so that the
// problem document says which question is wrong and why.
func ballotProblem(err error) error {
	var be *ballotbox.BallotError
	if !errors.As(err, &be) {
		return err
	}
	path := "ballot"
	if be.Question != "" {
		path = "ballot.answers[" + be.Question + "]"
	}
	return errors.Join(err, civickit.Invalid(path, be.Rule, be.Detail))
}

func (a *api) createElection(w http.ResponseWriter, r *http.Request) {
	var b electionBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	e := b.election(uuid.Nil)
	if err := a.box.CreateElection(r.Context(), e); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	w.Header().Set("Location", electionsPrefix+"/"+e.ID.String())
	writeJSON(w, http.StatusCreated, e)
}

func (a *api) listElections(w http.ResponseWriter, r *http.Request) {
	q := queryParams{r: r}
	limit, after := q.int("limit"), q.str("after")
	if err := q.err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	page, err := a.box.ListElections(r.Context(), after, limit)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (a *api) getElection(w http.ResponseWriter, r *http.Request) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	e, err := a.box.Election(r.Context(), id)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	etag := `"` + e.ID.String() + "-" + strconv.Itoa(e.Version) + `"`
	if notModified(w, r, etag) {
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (a *api) updateElection(w http.ResponseWriter, r *http.Request) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b electionBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if b.Version <= 0 {
		writeError(w, r, a.log, civickit.Invalid("version", "required", ""))
		return
	}
	e := b.election(id)
	if err := a.box.UpdateElection(r.Context(), e); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (a *api) openElection(w http.ResponseWriter, r *http.Request) {
	a.moveWindow(w, r, a.box.OpenNow)
}

func (a *api) closeElection(w http.ResponseWriter, r *http.Request) {
	a.moveWindow(w, r, a.box.CloseNow)
}

func (a *api) moveWindow(w http.ResponseWriter, r *http.Request, move func(ctx context.Context, id uuid.UUID) (*ballotbox.Election, error)) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	e, err := move(r.Context(), id)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (a *api) loadCensus(w http.ResponseWriter, r *http.Request) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b censusBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	n, err := a.box.LoadCensus(r.Context(), id, b.IDs)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, censusAnswer{Added: n})
}

// castBallot casts the caller's ballot. The Idempotency-Key header goes
// to the ballot box, which keeps it with the voter's register entry in
// the same transaction as the ballot: a retry after a crash (of this
// process or its database connection) gets the first receipt, with
// replayed set, and a key reused for another ballot is a 409.
func (a *api) castBallot(w http.ResponseWriter, r *http.Request) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	voter, err := voterOf(PrincipalFrom(r.Context()))
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var b castBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	rc, err := a.box.Cast(r.Context(), ballotbox.Cast{ElectionID: id, Voter: voter, Ballot: b.Ballot,
		Channel: civickit.ChannelWeb, IdempotencyKey: r.Header.Get("Idempotency-Key")})
	if err != nil {
		writeError(w, r, a.log, ballotProblem(err))
		return
	}
	writeReceipt(w, rc)
}

// writeReceipt answers 201 for a new receipt and 200 for a replayed one.
func writeReceipt(w http.ResponseWriter, rc ballotbox.Receipt) {
	status := http.StatusCreated
	if rc.Replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, rc)
}

func (a *api) checkReceipt(w http.ResponseWriter, r *http.Request) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	// The tracker travels in the query, which is never logged: with it,
	// anyone reads the ballot it names.
	tracker := r.URL.Query().Get("tracker")
	if tracker == "" {
		writeError(w, r, a.log, civickit.Invalid("tracker", "required", ""))
		return
	}
	rc, err := a.box.CheckReceipt(r.Context(), id, tracker)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, rc)
}

// headETag names a board state: the board only grows, so its entry count
// and head hash identify everything exported from it.
func headETag(entries int64, hash string) string {
	return `"` + strconv.FormatInt(entries, 10) + "-" + hash + `"`
}

func (a *api) boardHead(w http.ResponseWriter, r *http.Request) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	h, err := a.box.Head(r.Context(), id)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if notModified(w, r, headETag(h.Entries, h.Hash)) {
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (a *api) exportBoard(w http.ResponseWriter, r *http.Request) {
	a.stream(w, r, "board", a.box.ExportBoard)
}

func (a *api) exportBallots(w http.ResponseWriter, r *http.Request) {
	a.stream(w, r, "ballots", a.box.ExportBallots)
}

func (a *api) electionResults(w http.ResponseWriter, r *http.Request) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	res, err := a.box.Results(r.Context(), id, viewerOf(PrincipalFrom(r.Context())), nil)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if !res.Final {
		w.Header().Set("Cache-Control", "no-store")
	}
	writeJSON(w, http.StatusOK, res)
}
