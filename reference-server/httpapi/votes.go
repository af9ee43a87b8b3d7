package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/participation/vote"
	"github.com/civickit/civickit/voting/ballotbox"
)

// The votes routes put package participation/vote over HTTP: a
// consultation's expression step may be a vote, an election of the
// ballot box linked to the consultation, whose window follows the
// expression phase and whose voters the consultation's rules admit.
// Casting and the board stay on the elections routes (the ballot box's
// Gate applies the consultation's rules there).

// voteBody is an election an organiser creates for a consultation. Who
// may vote is the consultation's eligibility, and its window the
// expression phase's dates: opens and closes may be left out (or must
// equal the phase's).
type voteBody struct {
	Title       string                 `json:"title"`
	Description string                 `json:"description,omitempty"`
	Questions   []ballotbox.Question   `json:"questions"`
	Opens       time.Time              `json:"opens,omitzero"`
	Closes      time.Time              `json:"closes,omitzero"`
	Revote      ballotbox.RevotePolicy `json:"revote,omitempty"`
	Visibility  ballotbox.Visibility   `json:"visibility,omitempty"`
}

func (a *api) voteRoutes() []Route {
	c := "/api/v1/consultations/{consultation}"
	return []Route{
		{Method: http.MethodPost, Pattern: c + "/votes", Summary: "create an election as the consultation's expression step (window = the expression phase, voters = the consultation's)",
			Access: RoleOrganiser, Scope: "consultation", Body: voteBody{}, Answer: ballotbox.Election{}, handler: a.createVote},
		{Method: http.MethodGet, Pattern: c + "/votes", Summary: "a page of the consultation's elections (links), in creation order",
			Answer: civickit.Page[vote.Link]{}, handler: a.listVotes},
		{Method: http.MethodPost, Pattern: c + "/votes/reconcile", Summary: "bring the windows of the consultation's elections in step with its phase (after a manual move)",
			Access: RoleOrganiser, Scope: "consultation", Answer: []ballotbox.Election{}, handler: a.reconcileVotes},
		{Method: http.MethodGet, Pattern: c + "/vote-results", Summary: "the results of each of the consultation's elections, or hidden, per its visibility",
			Answer: []vote.ElectionResults{}, handler: a.voteResults},
		{Method: http.MethodGet, Pattern: c + "/outcomes", Summary: "the outcome of each question of the consultation's elections whose results are public",
			Answer: []evaluation.Outcome{}, handler: a.voteOutcomes},
	}
}

func (a *api) createVote(w http.ResponseWriter, r *http.Request) {
	var in voteBody
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		e, err := a.part.Votes.CreateVote(r.Context(), c.ID, ballotbox.Election{Title: in.Title, Description: in.Description,
			Questions: in.Questions, Opens: in.Opens, Closes: in.Closes, Revote: in.Revote, Visibility: in.Visibility})
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", electionsPrefix+"/"+e.ID.String())
		return http.StatusCreated, e, nil
	})
}

func (a *api) listVotes(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := a.part.Votes.ListVotes(r.Context(), c.ID, after, limit)
		return http.StatusOK, p, err
	})
}

// reconcileVotes answers the consultation's elections as they stand
// after reconciling (an unlinked or never created election is left out).
func (a *api) reconcileVotes(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		if err := a.part.Votes.Reconcile(r.Context(), c.ID); err != nil {
			return 0, nil, err
		}
		out := []ballotbox.Election{}
		after := ""
		for {
			p, err := a.part.Votes.ListVotes(r.Context(), c.ID, after, civickit.MaxLimit)
			if err != nil {
				return 0, nil, err
			}
			for _, l := range p.Items {
				e, err := a.box.Election(r.Context(), l.ElectionID)
				if err == nil {
					out = append(out, *e)
				} else if !errors.Is(err, civickit.ErrNotFound) {
					return 0, nil, err
				}
			}
			if p.Next == "" {
				return http.StatusOK, out, nil
			}
			after = p.Next
		}
	})
}

// voteResults reconciles first (package vote's Results does), so a read
// may close an election whose phase is over: results then follow.
func (a *api) voteResults(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		// Nil for an anonymous caller: the public's view.
		rs, err := a.part.Votes.Results(r.Context(), c.ID, PrincipalFrom(r.Context()).Participant)
		w.Header().Set("Cache-Control", "no-store") // live and per viewer
		return http.StatusOK, rs, err
	})
}

func (a *api) voteOutcomes(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		os, err := a.part.Votes.Outcomes(r.Context(), c.ID)
		if os == nil {
			os = []evaluation.Outcome{}
		}
		return http.StatusOK, os, err
	})
}
