package httpapi

import (
	"net/http"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/google/uuid"
)

// evaluationRoutes lists the routes of the decision taken after a
// consultation and its follow-up: organisers write, anyone reads.
func (a *api) evaluationRoutes() []Route {
	c := "/api/v1/consultations/{consultation}"
	return []Route{
		{Method: http.MethodGet, Pattern: c + "/evaluation", Summary: "the decision, the follow-up tree with its progress, and the outcomes",
			Answer: evaluation.Evaluation{}, handler: a.getEvaluation},
		{Method: http.MethodPut, Pattern: c + "/decision", Summary: "record (or replace) the decision taken after the consultation", Access: RoleOrganiser, Scope: "consultation",
			Body: decisionRequest{}, Answer: evaluation.Decision{}, handler: a.setDecision},
		{Method: http.MethodPost, Pattern: c + "/follow-up-items", Summary: "add a follow-up item (under a parent item when parent_id is set)", Access: RoleOrganiser, Scope: "consultation",
			Body: followUpRequest{}, Answer: evaluation.FollowUpItem{}, handler: a.addFollowUpItem},
		{Method: http.MethodPut, Pattern: c + "/follow-up-items/{item}", Summary: "replace a follow-up item (status, progress, dates, parent)", Access: RoleOrganiser, Scope: "consultation",
			Body: followUpUpdate{}, Answer: evaluation.FollowUpItem{}, handler: a.updateFollowUpItem},
		{Method: http.MethodPost, Pattern: c + "/follow-up-items/{item}/milestones", Summary: "add a milestone to a follow-up item", Access: RoleOrganiser, Scope: "consultation",
			Body: milestoneRequest{}, Answer: evaluation.Milestone{}, handler: a.addMilestone},
		{Method: http.MethodPut, Pattern: c + "/milestones/{milestone}/reached", Summary: "record the day a milestone was reached (null: not reached)", Access: RoleOrganiser, Scope: "consultation",
			Body: reachedRequest{}, Answer: evaluation.Milestone{}, handler: a.reachMilestone},
		{Method: http.MethodPost, Pattern: c + "/follow-up-consultation", Summary: "start the consultation that evaluates the decided policy", Access: RoleOrganiser, Scope: "consultation",
			Body: consultationRequest{}, Answer: participation.Consultation{}, handler: a.startFollowUpConsultation},
	}
}

type decisionRequest struct {
	Summary     string    `json:"summary"`
	DecidedBy   string    `json:"decided_by"`
	DecidedOn   time.Time `json:"decided_on"`
	DocumentURL string    `json:"document_url,omitempty"`
	// Version is the stored decision's (0 for the first).
	Version int `json:"version"`
}

type followUpRequest struct {
	ParentID    *uuid.UUID                `json:"parent_id,omitempty"`
	Title       string                    `json:"title"`
	Description string                    `json:"description,omitempty"`
	Status      evaluation.FollowUpStatus `json:"status"`
	Progress    float64                   `json:"progress"`
	Weight      float64                   `json:"weight"`
	Position    int                       `json:"position"`
	StartsOn    *time.Time                `json:"starts_on,omitempty"`
	EndsOn      *time.Time                `json:"ends_on,omitempty"`
}

func (f followUpRequest) item() evaluation.FollowUpItem {
	return evaluation.FollowUpItem{ParentID: f.ParentID, Title: f.Title, Description: f.Description, Status: f.Status,
		Progress: f.Progress, Weight: f.Weight, Position: f.Position, StartsOn: f.StartsOn, EndsOn: f.EndsOn}
}

type followUpUpdate struct {
	followUpRequest
	Version int `json:"version"`
}

type milestoneRequest struct {
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	DueOn       time.Time  `json:"due_on"`
	ReachedOn   *time.Time `json:"reached_on,omitempty"`
}

type reachedRequest struct {
	On      *time.Time `json:"on"`
	Version int        `json:"version"`
}

func (a *api) getEvaluation(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		ev, err := a.part.Evaluation.Evaluation(r.Context(), c.ID)
		return http.StatusOK, ev, err
	})
}

func (a *api) setDecision(w http.ResponseWriter, r *http.Request) {
	var in decisionRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		d, err := a.part.Evaluation.SetDecision(r.Context(), c.ID, evaluation.Decision{Summary: in.Summary, DecidedBy: in.DecidedBy,
			DecidedOn: in.DecidedOn, DocumentURL: in.DocumentURL, Version: in.Version})
		return http.StatusOK, d, err
	})
}

func (a *api) addFollowUpItem(w http.ResponseWriter, r *http.Request) {
	var in followUpRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		it, err := a.part.Evaluation.AddFollowUpItem(r.Context(), c.ID, in.item())
		return http.StatusCreated, it, err
	})
}

// followUpIn checks that the path's follow-up item is one of c's.
func (a *api) followUpIn(r *http.Request, c *participation.Consultation) (uuid.UUID, error) {
	id, err := pathID(r, "item")
	if err != nil {
		return uuid.Nil, err
	}
	ev, err := a.part.Evaluation.Evaluation(r.Context(), c.ID)
	if err != nil {
		return uuid.Nil, err
	}
	stack := ev.Items
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Item.ID == id {
			return id, nil
		}
		stack = append(stack, n.Children...)
	}
	return uuid.Nil, civickit.Sentinel(civickit.ErrNotFound, "httpapi: no such follow-up item in this consultation")
}

func (a *api) updateFollowUpItem(w http.ResponseWriter, r *http.Request) {
	var in followUpUpdate
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		id, err := a.followUpIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		it := in.item()
		it.ID, it.Version = id, in.Version
		out, err := a.part.Evaluation.UpdateFollowUpItem(r.Context(), it)
		return http.StatusOK, out, err
	})
}

func (a *api) addMilestone(w http.ResponseWriter, r *http.Request) {
	var in milestoneRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		id, err := a.followUpIn(r, c)
		if err != nil {
			return 0, nil, err
		}
		m, err := a.part.Evaluation.AddMilestone(r.Context(), id, evaluation.Milestone{Title: in.Title, Description: in.Description,
			DueOn: in.DueOn, ReachedOn: in.ReachedOn})
		return http.StatusCreated, m, err
	})
}

func (a *api) reachMilestone(w http.ResponseWriter, r *http.Request) {
	var in reachedRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		id, err := pathID(r, "milestone")
		if err != nil {
			return 0, nil, err
		}
		m, err := a.part.Evaluation.ReachMilestone(r.Context(), c.ID, id, in.Version, in.On)
		return http.StatusOK, m, err
	})
}

func (a *api) startFollowUpConsultation(w http.ResponseWriter, r *http.Request) {
	var in consultationRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		next, err := a.part.Evaluation.StartFollowUpConsultation(r.Context(), c.ID, in.consultation())
		return http.StatusCreated, next, err
	})
}
