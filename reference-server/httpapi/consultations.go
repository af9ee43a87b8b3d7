package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/civickit/civickit/participation/vote"
	"github.com/google/uuid"
)

// Participation holds the participation services the consultation
// routes call. Core is required for any of them; a nil Debate,
// Proposals, Questionnaires or Evaluation leaves its routes out.
type Participation struct {
	Core           *participation.Service
	Debate         *debate.Service
	Proposals      *proposals.Service
	Questionnaires *questionnaire.Service
	Evaluation     *evaluation.Service
	// Votes runs the votes of consultations (elections of Deps.Elections
	// linked to them, whose Gate must be vote.NewGate); it adds the
	// votes routes and makes a manual transition reconcile their
	// windows. It needs Deps.Elections.
	Votes *vote.Service
}

// consultationRoutes lists the routes of the consultations, their phases
// and their information and reflection step.
func (a *api) consultationRoutes() []Route {
	c := "/api/v1/consultations/{consultation}"
	return []Route{
		{Method: http.MethodGet, Pattern: "/api/v1/consultations", Summary: "a page of consultations (drafts only for global organisers)",
			Answer: civickit.Page[participation.Consultation]{}, handler: a.listConsultations},
		{Method: http.MethodPost, Pattern: "/api/v1/consultations", Summary: "create a consultation (as a draft)", Access: RoleOrganiser,
			Body: consultationRequest{}, Answer: participation.Consultation{}, handler: a.createConsultation},
		{Method: http.MethodGet, Pattern: c, Summary: "one consultation (a draft only for its organisers)",
			Answer: participation.Consultation{}, handler: a.getConsultation},
		{Method: http.MethodPut, Pattern: c, Summary: "replace a consultation's description, phases and settings", Access: RoleOrganiser, Scope: "consultation",
			Body: consultationUpdate{}, Answer: participation.Consultation{}, handler: a.updateConsultation},
		{Method: http.MethodPost, Pattern: c + "/transitions", Summary: "move the consultation to a later phase, or close it (to empty)", Access: RoleOrganiser, Scope: "consultation",
			Body: transitionRequest{}, Answer: participation.Consultation{}, handler: a.transitionConsultation},
		{Method: http.MethodGet, Pattern: c + "/transitions", Summary: "a page of the consultation's phase transitions, oldest first", Access: RoleOrganiser, Scope: "consultation",
			Answer: civickit.Page[participation.PhaseTransition]{}, handler: a.listTransitions},
		{Method: http.MethodPost, Pattern: c + "/resources", Summary: "add an information resource", Access: RoleOrganiser, Scope: "consultation",
			Body: resourceRequest{}, Answer: participation.Resource{}, handler: a.addResource},
		{Method: http.MethodGet, Pattern: c + "/resources", Summary: "a page of the consultation's information resources",
			Answer: civickit.Page[participation.Resource]{}, handler: a.listResources},
		{Method: http.MethodGet, Pattern: c + "/read-counts", Summary: "how many participants read each resource, by channel",
			Answer: []participation.ReadCount{}, handler: a.readCounts},
		{Method: http.MethodPost, Pattern: c + "/resources/{resource}/reads", Summary: "record that the caller read a resource (on the web)", Access: RoleParticipant,
			handler: a.recordRead},
		{Method: http.MethodPost, Pattern: c + "/preliminary-questions", Summary: "add a preliminary question", Access: RoleOrganiser, Scope: "consultation",
			Body: preliminaryRequest{}, Answer: participation.PreliminaryQuestion{}, handler: a.addPreliminary},
		{Method: http.MethodGet, Pattern: c + "/preliminary-questions", Summary: "a page of the consultation's preliminary questions",
			Answer: civickit.Page[participation.PreliminaryQuestion]{}, handler: a.listPreliminaries},
		{Method: http.MethodPut, Pattern: c + "/preliminary-questions/{question}/answer", Summary: "answer a preliminary question as the caller (on the web)", Access: RoleParticipant,
			Body: preliminaryAnswer{}, handler: a.answerPreliminary},
		{Method: http.MethodGet, Pattern: c + "/reflection", Summary: "where the caller stands in the reflection step", Access: RoleParticipant,
			Answer: participation.Reflection{}, handler: a.getReflection},
		{Method: http.MethodPost, Pattern: "/api/v1/participants", Summary: "register a participant without personal data (a paper or kiosk respondent)", Access: RoleOperator,
			Answer: participation.Participant{}, handler: a.registerParticipant},
	}
}

// participationRoutes lists every participation route for the services
// in a.part.
func (a *api) participationRoutes() []Route {
	rs := append(a.consultationRoutes(), a.eligibilityRoutes()...)
	if a.part.Debate != nil || a.part.Proposals != nil {
		rs = append(rs, a.debateRoutes()...)
	}
	if a.part.Questionnaires != nil {
		rs = append(rs, a.questionnaireRoutes()...)
	}
	if a.part.Evaluation != nil {
		rs = append(rs, a.evaluationRoutes()...)
	}
	if a.part.Votes != nil && a.box != nil {
		rs = append(rs, a.voteRoutes()...)
	}
	return append(rs, a.panelRoutes()...)
}

// consultationRequest is what an organiser writes of a consultation; the
// ID, status, version and dates are the service's.
type consultationRequest struct {
	Title     string                 `json:"title"`
	Summary   string                 `json:"summary"`
	Body      string                 `json:"body"`
	Organiser string                 `json:"organiser"`
	Territory string                 `json:"territory"`
	Languages []string               `json:"languages"`
	Phases    []participation.Phase  `json:"phases"`
	Settings  participation.Settings `json:"settings"`
}

func (c consultationRequest) consultation() participation.Consultation {
	return participation.Consultation{Title: c.Title, Summary: c.Summary, Body: c.Body, Organiser: c.Organiser,
		Territory: c.Territory, Languages: c.Languages, Phases: c.Phases, Settings: c.Settings}
}

// consultationUpdate is a consultationRequest with the version read, so
// that two organisers' edits do not overwrite each other (409).
type consultationUpdate struct {
	consultationRequest
	Version int `json:"version"`
}

type transitionRequest struct {
	// To is the phase entered; "" closes the consultation.
	To   participation.PhaseKind `json:"to"`
	Note string                  `json:"note,omitempty"`
}

type resourceRequest struct {
	Kind     participation.ResourceKind `json:"kind"`
	Title    string                     `json:"title"`
	Body     string                     `json:"body,omitempty"`
	URL      string                     `json:"url,omitempty"`
	Language string                     `json:"language,omitempty"`
	Required bool                       `json:"required,omitempty"`
	Position int                        `json:"position"`
}

type preliminaryRequest struct {
	Prompt    string   `json:"prompt"`
	Choices   []string `json:"choices,omitempty"`
	Mandatory bool     `json:"mandatory,omitempty"`
	Position  int      `json:"position"`
}

type preliminaryAnswer struct {
	Answer string `json:"answer"`
}

var web = civickit.Provenance{Channel: civickit.ChannelWeb}

// pathID parses the path wildcard name as a UUID.
func pathID(r *http.Request, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue(name))
	if err != nil {
		return uuid.Nil, civickit.Invalid(name, "uuid", "")
	}
	return id, nil
}

// pageParams reads ?after=&limit=.
func pageParams(r *http.Request) (after string, limit int, err error) {
	q := queryParams{r: r}
	limit, after = q.int("limit"), q.str("after")
	return after, limit, q.err()
}

// idempotencyKey is the request's Idempotency-Key, handed to the services
// that take one so that a retry is exactly-once at the domain level.
func idempotencyKey(r *http.Request) string { return r.Header.Get("Idempotency-Key") }

// actor names the caller in audit logs (phase transitions, moderation):
// its authenticator's opaque subject, never a name or an address.
func actor(r *http.Request) string { return PrincipalFrom(r.Context()).Subject }

// participant is the participant the caller takes part as.
func participant(r *http.Request) uuid.UUID { return PrincipalFrom(r.Context()).Participant }

// visibleConsultation returns the consultation with ID id as the caller
// may see it: a draft is not found but for its organisers.
func (a *api) visibleConsultation(r *http.Request, id uuid.UUID) (*participation.Consultation, error) {
	c, err := a.part.Core.GetConsultation(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if c.Status == participation.StatusDraft && !PrincipalFrom(r.Context()).Has(RoleOrganiser, id) {
		return nil, civickit.Sentinel(civickit.ErrNotFound, "httpapi: no such consultation")
	}
	return c, nil
}

// answer answers v with status (204 when v is nil), or err's problem.
func (a *api) answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	if v == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, status, v)
}

// withConsultation parses {consultation}, checks the caller may see it,
// and runs f with it.
func (a *api) withConsultation(w http.ResponseWriter, r *http.Request, f func(c *participation.Consultation) (int, any, error)) {
	id, err := pathID(r, "consultation")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	c, err := a.visibleConsultation(r, id)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	status, v, err := f(c)
	a.answer(w, r, status, v, err)
}

func (a *api) listConsultations(w http.ResponseWriter, r *http.Request) {
	q := queryParams{r: r}
	f := participation.ConsultationFilter{Territory: q.str("territory"), Status: participation.Status(q.str("status"))}
	limit, after := q.int("limit"), q.str("after")
	if err := q.err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	page, err := a.part.Core.ListConsultations(r.Context(), f, after, limit)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	// Drafts are the organisers' work in progress. Leaving them out after
	// the store's page keeps the cursor valid; such a page may be short.
	if !PrincipalFrom(r.Context()).Has(RoleOrganiser, uuid.Nil) {
		kept := page.Items[:0]
		for _, c := range page.Items {
			if c.Status != participation.StatusDraft {
				kept = append(kept, c)
			}
		}
		page.Items = kept
	}
	writeJSON(w, http.StatusOK, page)
}

func (a *api) createConsultation(w http.ResponseWriter, r *http.Request) {
	var in consultationRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	c, err := a.part.Core.CreateConsultation(r.Context(), in.consultation())
	a.answer(w, r, http.StatusCreated, c, err)
}

func (a *api) getConsultation(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) { return http.StatusOK, c, nil })
}

func (a *api) updateConsultation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "consultation")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in consultationUpdate
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	c := in.consultation()
	c.ID, c.Version = id, in.Version
	out, err := a.part.Core.UpdateConsultation(r.Context(), c)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *api) transitionConsultation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "consultation")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in transitionRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	move := a.part.Core.Transition
	if a.part.Votes != nil && a.box != nil {
		move = a.part.Votes.Transition // the elections' windows follow the phase
	}
	c, err := move(r.Context(), id, participation.TransitionRequest{To: in.To, Note: in.Note, Actor: actor(r)})
	a.answer(w, r, http.StatusOK, c, err)
}

func (a *api) listTransitions(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := a.part.Core.ListTransitions(r.Context(), c.ID, after, limit)
		return http.StatusOK, p, err
	})
}

func (a *api) addResource(w http.ResponseWriter, r *http.Request) {
	var in resourceRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		res, err := a.part.Core.AddResource(r.Context(), c.ID, participation.Resource{Kind: in.Kind, Title: in.Title, Body: in.Body,
			URL: in.URL, Language: in.Language, Required: in.Required, Position: in.Position})
		return http.StatusCreated, res, err
	})
}

func (a *api) listResources(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := a.part.Core.ListResources(r.Context(), c.ID, after, limit)
		return http.StatusOK, p, err
	})
}

func (a *api) readCounts(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		counts, err := a.part.Core.ReadCounts(r.Context(), c.ID)
		if counts == nil {
			counts = []participation.ReadCount{}
		}
		return http.StatusOK, counts, err
	})
}

func (a *api) recordRead(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		res, err := pathID(r, "resource")
		if err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, a.part.Core.RecordRead(r.Context(), c.ID, res, participant(r), civickit.ChannelWeb)
	})
}

func (a *api) addPreliminary(w http.ResponseWriter, r *http.Request) {
	var in preliminaryRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		q, err := a.part.Core.AddPreliminaryQuestion(r.Context(), c.ID, participation.PreliminaryQuestion{Prompt: in.Prompt,
			Choices: in.Choices, Mandatory: in.Mandatory, Position: in.Position})
		return http.StatusCreated, q, err
	})
}

func (a *api) listPreliminaries(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := a.part.Core.ListPreliminaryQuestions(r.Context(), c.ID, after, limit)
		return http.StatusOK, p, err
	})
}

func (a *api) answerPreliminary(w http.ResponseWriter, r *http.Request) {
	var in preliminaryAnswer
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		q, err := pathID(r, "question")
		if err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, a.part.Core.AnswerPreliminary(r.Context(), c.ID, q, participant(r), in.Answer, civickit.ChannelWeb)
	})
}

func (a *api) getReflection(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		ref, err := a.part.Core.Reflection(r.Context(), c.ID, participant(r))
		return http.StatusOK, ref, err
	})
}

func (a *api) registerParticipant(w http.ResponseWriter, r *http.Request) {
	p, err := a.part.Core.RegisterParticipant(r.Context(), nil)
	a.answer(w, r, http.StatusCreated, p, err)
}

// withBody decodes the body into v, then runs f as withConsultation does.
func (a *api) withBody(w http.ResponseWriter, r *http.Request, v any, f func(c *participation.Consultation) (int, any, error)) {
	if err := decodeBody(w, r, v); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	a.withConsultation(w, r, f)
}

// inConsultation refuses a sub-resource (a questionnaire, a batch, an
// item) of another consultation than the path's: scoped grants are
// checked against the path, so the path must be the truth.
func inConsultation(c *participation.Consultation, owner uuid.UUID, what string) error {
	if owner != c.ID {
		return civickit.Sentinel(civickit.ErrNotFound, "httpapi: no such "+what+" in this consultation")
	}
	return nil
}

// splitList splits a comma-separated query value ("" gives nil).
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// collectAll reads every page of a list (for checks over a consultation's
// few hundred items).
func collectAll[T any](ctx context.Context, list func(ctx context.Context, after string, limit int) (civickit.Page[T], error)) ([]T, error) {
	var all []T
	after := ""
	for {
		p, err := list(ctx, after, civickit.MaxLimit)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			return all, nil
		}
		after = p.Next
	}
}
