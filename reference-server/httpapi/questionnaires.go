package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/panel"
	"github.com/civickit/civickit/participation/questionnaire"
	"github.com/google/uuid"
)

// questionnaireRoutes lists the routes of questionnaires and their
// responses through every channel: the web (the participant), kiosks
// with an operator (one by one or replayed after working offline), paper
// batches keyed twice and reconciled (operators), and the public results
// and exports, k-suppressed and without personal data.
func (a *api) questionnaireRoutes() []Route {
	c := "/api/v1/consultations/{consultation}"
	cq := c + "/questionnaires/{questionnaire}"
	pb := c + "/paper-batches/{batch}"
	return []Route{
		{Method: http.MethodGet, Pattern: c + "/questionnaires", Summary: "a page of the consultation's questionnaires",
			Answer: civickit.Page[questionnaire.Questionnaire]{}, handler: a.listQuestionnaires},
		{Method: http.MethodPost, Pattern: c + "/questionnaires", Summary: "create a questionnaire", Access: RoleOrganiser, Scope: "consultation",
			Body: questionnaireRequest{}, Answer: questionnaire.Questionnaire{}, handler: a.createQuestionnaire},
		{Method: http.MethodPut, Pattern: cq, Summary: "replace a questionnaire (questions frozen once answered)", Access: RoleOrganiser, Scope: "consultation",
			Body: questionnaireUpdate{}, Answer: questionnaire.Questionnaire{}, handler: a.updateQuestionnaire},
		{Method: http.MethodPost, Pattern: cq + "/weighted-results", Summary: "the results with, next to every raw count, counts weighted by raking respondents' declared attributes to the population's margins, and their representativeness before weighting", Access: RoleOrganiser, Scope: "consultation",
			Body: weightedResultsRequest{}, Answer: questionnaire.Results{}, handler: a.weightedResults},
		{Method: http.MethodPost, Pattern: cq + "/close", Summary: "close a questionnaire by hand", Access: RoleOrganiser, Scope: "consultation",
			Answer: questionnaire.Questionnaire{}, handler: a.closeQuestionnaire},
		{Method: http.MethodGet, Pattern: "/api/v1/questionnaires/{questionnaire}", Summary: "one questionnaire with its questions",
			Answer: questionnaire.Questionnaire{}, handler: a.getQuestionnaire},
		{Method: http.MethodPost, Pattern: "/api/v1/questionnaires/{questionnaire}/responses", Summary: "respond as the caller on the web (201; 200 when the Idempotency-Key replays a stored response)", Access: RoleParticipant,
			Body: webResponse{}, Answer: questionnaire.Response{}, handler: a.respond},
		{Method: http.MethodGet, Pattern: "/api/v1/questionnaires/{questionnaire}/results", Summary: "counts per question, split by channel and recruitment, k-suppressed (403 while hidden)",
			Answer: questionnaire.Results{}, handler: a.questionnaireResults},
		{Method: http.MethodGet, Pattern: "/api/v1/questionnaires/{questionnaire}/export", Summary: "responses as CSV or NDJSON (?format=&columns=&k=), allow-listed columns, k-suppressed, no personal data",
			handler: a.exportQuestionnaire},
		{Method: http.MethodPost, Pattern: cq + "/kiosk-responses", Summary: "store a response collected at a kiosk (an access point) for a participant", Access: RoleOperator, Scope: "consultation",
			Body: assistedResponse{}, Answer: questionnaire.Response{}, handler: a.kioskRespond},
		{Method: http.MethodPost, Pattern: cq + "/kiosk-sync", Summary: "replay the responses a kiosk collected offline: each stored once by its idempotency key, each answered with its own outcome", Access: RoleOperator, Scope: "consultation",
			Body: kioskSync{}, Answer: kioskSyncReport{}, handler: a.kioskSync},
		{Method: http.MethodPost, Pattern: cq + "/paper-batches", Summary: "open a batch of paper forms", Access: RoleOperator, Scope: "consultation",
			Body: paperBatchRequest{}, Answer: questionnaire.PaperBatch{}, handler: a.createPaperBatch},
		{Method: http.MethodGet, Pattern: pb, Summary: "one paper batch", Access: RoleOperator, Scope: "consultation",
			Answer: questionnaire.PaperBatch{}, handler: a.getPaperBatch},
		{Method: http.MethodPost, Pattern: pb + "/entries", Summary: "key one pass of one form, as the calling agent (pass 2 by another agent)", Access: RoleOperator, Scope: "consultation",
			Body: paperEntryRequest{}, Answer: questionnaire.PaperEntry{}, handler: a.keyPaperForm},
		{Method: http.MethodPost, Pattern: pb + "/resolutions", Summary: "settle a disputed form with what the paper says", Access: RoleOperator, Scope: "consultation",
			Body: paperEntryRequest{}, Answer: questionnaire.PaperEntry{}, handler: a.resolvePaperForm},
		{Method: http.MethodGet, Pattern: pb + "/reconciliation", Summary: "the state of every form of the batch", Access: RoleOperator, Scope: "consultation",
			Answer: questionnaire.Reconciliation{}, handler: a.reconcilePaperBatch},
		{Method: http.MethodPost, Pattern: pb + "/commit", Summary: "turn a reconciled batch into responses (409 while forms are pending or disputed: see the reconciliation)", Access: RoleOperator, Scope: "consultation",
			Answer: questionnaire.CommitReport{}, handler: a.commitPaperBatch},
	}
}

type questionnaireRequest struct {
	Title        string                          `json:"title"`
	Description  string                          `json:"description,omitempty"`
	Questions    []questionnaire.Question        `json:"questions"`
	Anonymous    bool                            `json:"anonymous"`
	Results      questionnaire.ResultsVisibility `json:"results"`
	MinGroupSize int                             `json:"min_group_size,omitempty"`
}

func (q questionnaireRequest) questionnaire() questionnaire.Questionnaire {
	return questionnaire.Questionnaire{Title: q.Title, Description: q.Description, Questions: q.Questions,
		Anonymous: q.Anonymous, Results: q.Results, MinGroupSize: q.MinGroupSize}
}

type questionnaireUpdate struct {
	questionnaireRequest
	Version int `json:"version"`
}

// webResponse is a participant's own response; who responds is the
// caller.
type webResponse struct {
	// Recruitment is how the caller came to respond (open_call when
	// empty).
	Recruitment participation.Recruitment `json:"recruitment,omitempty"`
	Answers     []questionnaire.Answer    `json:"answers"`
}

// assistedResponse is a response an operator collects for a participant
// at an access point.
type assistedResponse struct {
	ParticipantID uuid.UUID                 `json:"participant_id"`
	Recruitment   participation.Recruitment `json:"recruitment,omitempty"`
	// Place is the access point's ID (one of the consultation's
	// settings.access_points).
	Place string `json:"place"`
	// IdempotencyKey identifies the response on the kiosk (a UUID drawn
	// when the form was filled); the Idempotency-Key header stands in
	// for it on a single response.
	IdempotencyKey string                 `json:"idempotency_key,omitempty"`
	Answers        []questionnaire.Answer `json:"answers"`
}

// kioskSync is what a kiosk that worked offline replays.
type kioskSync struct {
	Responses []assistedResponse `json:"responses"`
}

// kioskSyncItem is the outcome of one replayed response: stored (or
// already stored: replayed), or refused with its problem.
type kioskSyncItem struct {
	Index      int        `json:"index"`
	ResponseID *uuid.UUID `json:"response_id,omitempty"`
	Replayed   bool       `json:"replayed,omitempty"`
	Problem    *Problem   `json:"problem,omitempty"`
}

type kioskSyncReport struct {
	Stored   int             `json:"stored"`
	Replayed int             `json:"replayed"`
	Refused  int             `json:"refused"`
	Items    []kioskSyncItem `json:"items"`
}

// maxKioskSync bounds one sync: a day at a busy kiosk.
const maxKioskSync = 1000

type paperBatchRequest struct {
	Label        string `json:"label"`
	CollectedBy  string `json:"collected_by"`
	Place        string `json:"place"`
	Forms        int    `json:"forms"`
	DoubleKeying bool   `json:"double_keying"`
}

type paperEntryRequest struct {
	Form       int                      `json:"form"`
	Pass       questionnaire.Pass       `json:"pass,omitempty"`
	Respondent participation.Respondent `json:"respondent"`
	Spoiled    bool                     `json:"spoiled,omitempty"`
	Answers    []questionnaire.Answer   `json:"answers,omitempty"`
}

func orOpenCall(r participation.Recruitment) participation.Recruitment {
	if r == "" {
		return participation.RecruitOpenCall
	}
	return r
}

// questionnaireIn returns the path's questionnaire after checking it
// belongs to consultation c.
func (a *api) questionnaireIn(r *http.Request, c *participation.Consultation) (*questionnaire.Questionnaire, error) {
	id, err := pathID(r, "questionnaire")
	if err != nil {
		return nil, err
	}
	q, err := a.part.Questionnaires.GetQuestionnaire(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return q, inConsultation(c, q.ConsultationID, "questionnaire")
}

// batchIn returns the path's paper batch after checking its
// questionnaire belongs to consultation c.
func (a *api) batchIn(r *http.Request, c *participation.Consultation) (*questionnaire.PaperBatch, error) {
	id, err := pathID(r, "batch")
	if err != nil {
		return nil, err
	}
	b, err := a.part.Questionnaires.GetPaperBatch(r.Context(), id)
	if err != nil {
		return nil, err
	}
	q, err := a.part.Questionnaires.GetQuestionnaire(r.Context(), b.QuestionnaireID)
	if err != nil {
		return nil, err
	}
	return b, inConsultation(c, q.ConsultationID, "paper batch")
}

// visibleQuestionnaire returns the path's questionnaire when its
// consultation is visible to the caller.
func (a *api) visibleQuestionnaire(r *http.Request) (*questionnaire.Questionnaire, error) {
	id, err := pathID(r, "questionnaire")
	if err != nil {
		return nil, err
	}
	q, err := a.part.Questionnaires.GetQuestionnaire(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if _, err := a.visibleConsultation(r, q.ConsultationID); err != nil {
		return nil, err
	}
	return q, nil
}

func (a *api) listQuestionnaires(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := a.part.Questionnaires.ListQuestionnaires(r.Context(), c.ID, after, limit)
		return http.StatusOK, p, err
	})
}

func (a *api) createQuestionnaire(w http.ResponseWriter, r *http.Request) {
	var in questionnaireRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		q := in.questionnaire()
		q.ConsultationID = c.ID
		out, err := a.part.Questionnaires.CreateQuestionnaire(r.Context(), q)
		return http.StatusCreated, out, err
	})
}

func (a *api) updateQuestionnaire(w http.ResponseWriter, r *http.Request) {
	var in questionnaireUpdate
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		cur, err := a.questionnaireIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		q := in.questionnaire()
		q.ID, q.ConsultationID, q.Version = cur.ID, c.ID, in.Version
		out, err := a.part.Questionnaires.UpdateQuestionnaire(r.Context(), q)
		return http.StatusOK, out, err
	})
}

func (a *api) closeQuestionnaire(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		q, err := a.questionnaireIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		out, err := a.part.Questionnaires.CloseQuestionnaire(r.Context(), q.ID)
		return http.StatusOK, out, err
	})
}

type weightedResultsRequest struct {
	Margins panel.Margins `json:"margins"`
	// Cap and Floor bound each weight relative to the mean (0: free).
	Cap   float64 `json:"cap,omitempty"`
	Floor float64 `json:"floor,omitempty"`
}

func (a *api) weightedResults(w http.ResponseWriter, r *http.Request) {
	var in weightedResultsRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		q, err := a.questionnaireIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		if err := checkMargins(&in.Margins); err != nil {
			return 0, nil, err
		}
		res, err := a.part.Questionnaires.WeightedResults(r.Context(), q.ID, in.Margins, panel.RakeOptions{Cap: in.Cap, Floor: in.Floor})
		return http.StatusOK, res, err
	})
}

func (a *api) getQuestionnaire(w http.ResponseWriter, r *http.Request) {
	q, err := a.visibleQuestionnaire(r)
	a.answer(w, r, http.StatusOK, q, err)
}

func (a *api) respond(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "questionnaire")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in webResponse
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	resp, replayed, err := a.part.Questionnaires.Submit(r.Context(), questionnaire.SubmitRequest{QuestionnaireID: id,
		Respondent: participation.Respondent{ParticipantID: participant(r), Recruitment: orOpenCall(in.Recruitment)},
		Provenance: web, IdempotencyKey: idempotencyKey(r), Answers: in.Answers})
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	a.answer(w, r, status, resp, err)
}

func (a *api) questionnaireResults(w http.ResponseWriter, r *http.Request) {
	q, err := a.visibleQuestionnaire(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	res, err := a.part.Questionnaires.Results(r.Context(), q.ID)
	a.answer(w, r, http.StatusOK, res, err)
}

// lazyWriter sets the export's headers on its first write, so that an
// error found before any row is still answered as a problem.
type lazyWriter struct {
	w       http.ResponseWriter
	ctype   string
	started bool
}

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.w.Header().Set("Content-Type", l.ctype)
		l.w.Header().Set("X-Content-Type-Options", "nosniff")
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

func (a *api) exportQuestionnaire(w http.ResponseWriter, r *http.Request) {
	q, err := a.visibleQuestionnaire(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	qp := queryParams{r: r}
	opts := questionnaire.ExportOptions{Format: questionnaire.ExportFormat(qp.str("format")), Columns: splitList(qp.str("columns")), K: qp.int("k")}
	if opts.Format == "" {
		opts.Format = questionnaire.ExportCSV
	}
	if err := qp.err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	lw := &lazyWriter{w: w, ctype: "text/csv; charset=utf-8"}
	if opts.Format == questionnaire.ExportNDJSON {
		lw.ctype = "application/x-ndjson"
	}
	_, err = a.part.Questionnaires.Export(r.Context(), lw, q.ID, opts)
	switch {
	case err != nil && !lw.started:
		writeError(w, r, a.log, err)
	case err != nil:
		// Rows were sent: the status is gone; cut the answer short.
		a.log.Error("export failed midway", "pattern", r.Pattern, "err", err)
		panic(http.ErrAbortHandler)
	case !lw.started:
		// Nothing written (every row suppressed, CSV without header):
		// still a well-formed empty file.
		_, _ = lw.Write(nil)
	}
}

func (a *api) kioskRespond(w http.ResponseWriter, r *http.Request) {
	var in assistedResponse
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		q, err := a.questionnaireIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		if in.IdempotencyKey == "" {
			in.IdempotencyKey = idempotencyKey(r)
		}
		resp, replayed, err := a.part.Questionnaires.Submit(r.Context(), kioskRequest(q.ID, in, actor(r)))
		if replayed {
			return http.StatusOK, resp, err
		}
		return http.StatusCreated, resp, err
	})
}

func kioskRequest(q uuid.UUID, in assistedResponse, operator string) questionnaire.SubmitRequest {
	return questionnaire.SubmitRequest{QuestionnaireID: q,
		Respondent:     participation.Respondent{ParticipantID: in.ParticipantID, Recruitment: orOpenCall(in.Recruitment)},
		Provenance:     civickit.Provenance{Channel: civickit.ChannelKiosk, CollectedBy: operator, Place: in.Place},
		IdempotencyKey: in.IdempotencyKey, Answers: in.Answers}
}

// kioskSync stores each replayed response on its own, so that one refused
// response (a person who meanwhile responded on the web) does not hold
// back the others; each must carry its idempotency key, so that a sync
// cut short is simply sent again.
func (a *api) kioskSync(w http.ResponseWriter, r *http.Request) {
	var in kioskSync
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		q, err := a.questionnaireIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		ve := &civickit.ValidationError{}
		if len(in.Responses) > maxKioskSync {
			ve.Add("responses", "max", strconv.Itoa(maxKioskSync))
		}
		for i, x := range in.Responses {
			if x.IdempotencyKey == "" {
				ve.Add("responses["+strconv.Itoa(i)+"].idempotency_key", "required", "")
			}
		}
		if err := ve.Err(); err != nil {
			return 0, nil, err
		}
		rep := kioskSyncReport{Items: make([]kioskSyncItem, len(in.Responses))}
		for i, x := range in.Responses {
			item := kioskSyncItem{Index: i}
			resp, replayed, err := a.part.Questionnaires.Submit(r.Context(), kioskRequest(q.ID, x, actor(r)))
			switch {
			case err != nil && r.Context().Err() != nil:
				return 0, nil, err
			case err != nil:
				p := problemOf(err)
				if p.Status >= 500 {
					return 0, nil, err
				}
				item.Problem = &p
				rep.Refused++
			case replayed:
				item.ResponseID, item.Replayed = &resp.ID, true
				rep.Replayed++
			default:
				item.ResponseID = &resp.ID
				rep.Stored++
			}
			rep.Items[i] = item
		}
		return http.StatusOK, rep, nil
	})
}

func (a *api) createPaperBatch(w http.ResponseWriter, r *http.Request) {
	var in paperBatchRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		q, err := a.questionnaireIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		b, err := a.part.Questionnaires.CreatePaperBatch(r.Context(), questionnaire.PaperBatch{QuestionnaireID: q.ID, Label: in.Label,
			CollectedBy: in.CollectedBy, Place: in.Place, Forms: in.Forms, DoubleKeying: in.DoubleKeying})
		return http.StatusCreated, b, err
	})
}

func (a *api) getPaperBatch(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		b, err := a.batchIn(r, c)
		return http.StatusOK, b, err
	})
}

func (a *api) keyPaperForm(w http.ResponseWriter, r *http.Request) {
	a.paperEntry(w, r, a.part.Questionnaires.KeyPaperForm)
}

func (a *api) resolvePaperForm(w http.ResponseWriter, r *http.Request) {
	a.paperEntry(w, r, a.part.Questionnaires.ResolvePaperForm)
}

// paperEntry keys an entry as the calling agent: two passes by the same
// operator are refused, which is what double keying is for.
func (a *api) paperEntry(w http.ResponseWriter, r *http.Request, key func(ctx context.Context, e questionnaire.PaperEntry) (*questionnaire.PaperEntry, error)) {
	var in paperEntryRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		b, err := a.batchIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		e, err := key(r.Context(), questionnaire.PaperEntry{BatchID: b.ID, Form: in.Form, Pass: in.Pass, Agent: actor(r),
			Respondent: in.Respondent, Spoiled: in.Spoiled, Answers: in.Answers})
		return http.StatusCreated, e, err
	})
}

func (a *api) reconcilePaperBatch(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		b, err := a.batchIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		rec, err := a.part.Questionnaires.ReconcilePaperBatch(r.Context(), b.ID)
		return http.StatusOK, rec, err
	})
}

func (a *api) commitPaperBatch(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		b, err := a.batchIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		rep, err := a.part.Questionnaires.CommitPaperBatch(r.Context(), b.ID)
		return http.StatusOK, rep, err
	})
}
