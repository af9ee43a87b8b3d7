package vote

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// Box is what package vote needs of the ballot box (*ballotbox.Service
// implements it), which must be built with a Gate over the same Store
// (ballotbox.Options.Gate = NewGate(store, core)).
type Box interface {
	Registry() *voting.Registry
	CreateElection(ctx context.Context, e *ballotbox.Election) error
	Election(ctx context.Context, id uuid.UUID) (*ballotbox.Election, error)
	UpdateElection(ctx context.Context, e *ballotbox.Election) error
	OpenNow(ctx context.Context, electionID uuid.UUID) (*ballotbox.Election, error)
	CloseNow(ctx context.Context, electionID uuid.UUID) (*ballotbox.Election, error)
	Cast(ctx context.Context, c ballotbox.Cast) (ballotbox.Receipt, error)
	Results(ctx context.Context, electionID uuid.UUID, viewer *ballotbox.Voter, keep func(ballotbox.Part) bool) (*ballotbox.Results, error)
}

// ErrExpressionOver: the consultation has left its expression phase (or
// was closed), so no vote can be created for it. It matches
// civickit.ErrWrongState.
var ErrExpressionOver = civickit.Sentinel(civickit.ErrWrongState, "vote: the consultation's expression phase is over")

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default. Give the
	// ballot box the same clock: Reconcile compares the elections'
	// windows with it.
	Now func() time.Time
	// NewID returns the identifiers of new elections (whose creation
	// order is public, as in the ballot box); civickit.NewPublicID by
	// default.
	NewID func() uuid.UUID
}

// Service runs the votes of consultations: it creates a consultation's
// elections in the ballot box, keeps their windows in step with the
// expression phase, and gives their results and outcomes.
type Service struct {
	store Store
	core  Core
	box   Box
	now   func() time.Time
	newID func() uuid.UUID
}

var _ evaluation.OutcomeSource = (*Service)(nil)

// NewService returns a Service over store, core and box. box must admit
// its requests through a Gate over the same store and core (NewGate).
func NewService(store Store, core Core, box Box, opts Options) (*Service, error) {
	if store == nil || core == nil || box == nil {
		return nil, fmt.Errorf("vote: NewService: nil store, core or box")
	}
	s := &Service{store: store, core: core, box: box, now: opts.Now, newID: opts.NewID}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
	}
	return s, nil
}

// sameInstant compares two times at the precision the stores keep.
func sameInstant(a, b time.Time) bool {
	return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
}

// CreateVote creates e in the ballot box as an election of the
// consultation's expression step and links it to the consultation. The
// consultation must have an expression phase whose action table allows
// the vote, and must not have left it (ErrExpressionOver).
//
// The election's window is the phase's dates: Opens and Closes left zero
// are set to the phase's Starts and Ends; set to anything else they are
// refused (rule "phase_dates"), since the phase decides when one may
// vote. Eligibility must be left zero (rule "delegated"): who may vote
// is the consultation's eligibility, checked by the Gate, and no census
// is ever loaded into the ballot box. A nil e.ID is given one; an empty
// Revote is ballotbox.RevoteNone and an empty Visibility
// ballotbox.VisibleAfterClose, the most guarded.
//
// The link is written before the election, so that the Gate never sees
// the election unlinked; if creating the election then fails, the link
// stays, pointing at no election, and is skipped. When the consultation
// is in its expression phase already, the election opens at once.
func (s *Service) CreateVote(ctx context.Context, consultationID uuid.UUID, e ballotbox.Election) (*ballotbox.Election, error) {
	c, err := s.core.GetConsultation(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("vote: create: %w", err)
	}
	ve := &civickit.ValidationError{}
	p := c.Phase(participation.PhaseExpression)
	switch {
	case p == nil || p.Starts.IsZero() || p.Ends.IsZero():
		ve.Add("consultation.phases", "expression_phase", "")
	case !c.ActionTable().Allows(participation.PhaseExpression, participation.ActionVote):
		ve.Add("consultation.settings.actions.expression", "allows", string(participation.ActionVote))
	default:
		if e.Opens.IsZero() {
			e.Opens = p.Starts
		} else if !sameInstant(e.Opens, p.Starts) {
			ve.Add("opens", "phase_dates", p.Starts.UTC().Format(time.RFC3339Nano))
		}
		if e.Closes.IsZero() {
			e.Closes = p.Ends
		} else if !sameInstant(e.Closes, p.Ends) {
			ve.Add("closes", "phase_dates", p.Ends.UTC().Format(time.RFC3339Nano))
		}
	}
	if e.Revote == "" {
		e.Revote = ballotbox.RevoteNone
	}
	if e.Visibility == "" {
		e.Visibility = ballotbox.VisibleAfterClose
	}
	if !zeroEligibility(e.Eligibility) {
		ve.Add("eligibility", "delegated", "")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if expressionOver(c) {
		return nil, fmt.Errorf("vote: create for consultation %s: %w", c.ID, ErrExpressionOver)
	}
	// Refuse an invalid election before writing the link.
	if err := e.Validate(s.box.Registry()); err != nil {
		return nil, err
	}
	if e.ID == uuid.Nil {
		e.ID = s.newID()
	}
	if err := s.store.CreateLink(ctx, &Link{ElectionID: e.ID, ConsultationID: c.ID, CreatedAt: s.now().UTC()}); err != nil {
		return nil, fmt.Errorf("vote: link election %s: %w", e.ID, err)
	}
	if err := s.box.CreateElection(ctx, &e); err != nil {
		return nil, fmt.Errorf("vote: create election %s: %w", e.ID, err)
	}
	if expressionActive(c) {
		if err := s.reconcileElection(ctx, c, e.ID); err != nil {
			return nil, err
		}
		return s.box.Election(ctx, e.ID)
	}
	return &e, nil
}

func zeroEligibility(el ballotbox.Eligibility) bool {
	return !el.Census && len(el.Territories) == 0 && el.MinimumAge == 0 && el.Assurance == civickit.AssuranceNone
}

// linked returns the election's link when it belongs to the
// consultation, and ErrNotFound otherwise.
func (s *Service) linked(ctx context.Context, consultationID, electionID uuid.UUID) error {
	l, err := s.store.GetLink(ctx, electionID)
	if err != nil {
		return fmt.Errorf("vote: election %s: %w", electionID, err)
	}
	if l.ConsultationID != consultationID {
		return fmt.Errorf("vote: election %s is not a vote of consultation %s: %w", electionID, consultationID, civickit.ErrNotFound)
	}
	return nil
}

// Cast casts a participant's ballot in an election of the consultation
// (ErrNotFound for an election that is not one of its votes): the
// voter's ID is the participant's ID, and the ballot box's Gate applies
// the consultation's rules. Cast's other fields (ballot, channel,
// session, place, idempotency key) are the ballot box's.
//
// When the box refuses the cast because the window has not opened while
// the expression phase is active — the phase was started by hand
// without Transition — Cast reconciles the consultation's elections and
// tries once more.
func (s *Service) Cast(ctx context.Context, consultationID, participantID uuid.UUID, cast ballotbox.Cast) (ballotbox.Receipt, error) {
	if err := s.linked(ctx, consultationID, cast.ElectionID); err != nil {
		return ballotbox.Receipt{}, err
	}
	cast.Voter.ID = participantID.String()
	r, err := s.box.Cast(ctx, cast)
	if !errors.Is(err, ballotbox.ErrClosed) {
		return r, err
	}
	// Nothing was written; open the window if the phase says so.
	moved, rerr := s.reconcile(ctx, consultationID)
	if rerr != nil || !moved {
		return r, err
	}
	return s.box.Cast(ctx, cast)
}

// Transition moves the consultation by hand (participation.Service's
// Transition) and then reconciles its elections with its new phase. When
// the move succeeded but reconciling failed, the consultation is
// returned with the error: call Reconcile again.
func (s *Service) Transition(ctx context.Context, consultationID uuid.UUID, r participation.TransitionRequest) (*participation.Consultation, error) {
	c, err := s.core.Transition(ctx, consultationID, r)
	if err != nil {
		return nil, err
	}
	if _, err := s.reconcile(ctx, consultationID); err != nil {
		return c, err
	}
	return c, nil
}

// Reconcile brings the windows of the consultation's elections in step
// with its phase (after any move its schedule makes due):
//
//   - before an election opens, its Opens and Closes follow the
//     expression phase's dates, should the organiser have changed them;
//   - when the expression phase is active and an election has not
//     opened yet, it opens now (ballotbox OpenNow);
//   - when the consultation has left the expression phase (a later
//     phase, or closed) and an election is still open — or not opened
//     yet —, it closes now (ballotbox CloseNow): its results become
//     readable under an after-close visibility.
//
// An election whose window has opened keeps its published dates (the
// ballot box freezes them): a phase lengthened after the opening does
// not lengthen the vote. Reconcile changes nothing when the windows
// already agree (a consultation that follows its schedule), so it may be
// called at any time, concurrently too.
func (s *Service) Reconcile(ctx context.Context, consultationID uuid.UUID) error {
	_, err := s.reconcile(ctx, consultationID)
	return err
}

// reconcile is Reconcile, reporting whether an election was opened or
// closed.
func (s *Service) reconcile(ctx context.Context, consultationID uuid.UUID) (bool, error) {
	c, err := s.core.GetConsultation(ctx, consultationID)
	if err != nil {
		return false, fmt.Errorf("vote: reconcile: %w", err)
	}
	moved := false
	for l, err := range s.links(ctx, consultationID) {
		if err != nil {
			return moved, fmt.Errorf("vote: reconcile: %w", err)
		}
		e, err := s.reconcileOne(ctx, c, l.ElectionID)
		if err != nil {
			return moved, err
		}
		moved = moved || e
	}
	return moved, nil
}

// reconcileElection reconciles one election of c.
func (s *Service) reconcileElection(ctx context.Context, c *participation.Consultation, electionID uuid.UUID) error {
	_, err := s.reconcileOne(ctx, c, electionID)
	return err
}

// maxTries bounds the retries of a window change that lost a race with
// another writer of the election.
const maxTries = 5

func (s *Service) reconcileOne(ctx context.Context, c *participation.Consultation, electionID uuid.UUID) (bool, error) {
	for try := 1; ; try++ {
		moved, err := s.reconcileTry(ctx, c, electionID)
		if err == nil || !errors.Is(err, civickit.ErrConflict) || try == maxTries {
			if err != nil {
				err = fmt.Errorf("vote: reconcile election %s: %w", electionID, err)
			}
			return moved, err
		}
	}
}

func (s *Service) reconcileTry(ctx context.Context, c *participation.Consultation, electionID uuid.UUID) (bool, error) {
	e, err := s.box.Election(ctx, electionID)
	if errors.Is(err, civickit.ErrNotFound) {
		return false, nil // a link whose election was never created
	}
	if err != nil {
		return false, err
	}
	now := s.now()
	over := expressionOver(c)
	if now.Before(e.Opens) && !e.Closed(now) && !over {
		if p := c.Phase(participation.PhaseExpression); p != nil &&
			(!sameInstant(e.Opens, p.Starts) || !sameInstant(e.Closes, p.Ends)) && p.Ends.After(p.Starts) {
			e.Opens, e.Closes = p.Starts, p.Ends
			if err := s.box.UpdateElection(ctx, e); err != nil {
				return false, err
			}
		}
	}
	switch {
	case expressionActive(c) && now.Before(e.Opens) && !e.Closed(now):
		_, err := s.box.OpenNow(ctx, e.ID)
		return err == nil, err
	case over && !e.Closed(now):
		_, err := s.box.CloseNow(ctx, e.ID)
		return err == nil, err
	}
	return false, nil
}

// links yields every link of the consultation, page by page.
func (s *Service) links(ctx context.Context, consultationID uuid.UUID) func(yield func(Link, error) bool) {
	return func(yield func(Link, error) bool) {
		after := ""
		for {
			p, err := s.store.ListLinks(ctx, consultationID, after, civickit.MaxLimit)
			if err != nil {
				yield(Link{}, err)
				return
			}
			for _, l := range p.Items {
				if !yield(l, nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			after = p.Next
		}
	}
}

// ListVotes returns a page of the consultation's links to its
// elections, in the order they were created.
func (s *Service) ListVotes(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Link], error) {
	if _, err := civickit.CheckLimit(limit); err != nil {
		return civickit.Page[Link]{}, err
	}
	p, err := s.store.ListLinks(ctx, consultationID, after, limit)
	if err != nil {
		return civickit.Page[Link]{}, fmt.Errorf("vote: list: %w", err)
	}
	if p.Items == nil {
		p.Items = []Link{}
	}
	return p, nil
}

// ElectionResults are the results of one election of a consultation, or
// Hidden when its visibility does not let the viewer read them yet.
type ElectionResults struct {
	ElectionID uuid.UUID          `json:"election_id"`
	Title      string             `json:"title"`
	Hidden     bool               `json:"hidden,omitempty"`
	Results    *ballotbox.Results `json:"results,omitempty"`
}

// Results returns the results of every election of the consultation, in
// the order they were created, after Reconcile: each under its
// visibility (ballotbox Results) for viewer, a participant's ID
// (uuid.Nil: the public). An election whose results may not be read yet
// is listed as Hidden, without results.
func (s *Service) Results(ctx context.Context, consultationID, viewer uuid.UUID) ([]ElectionResults, error) {
	if err := s.Reconcile(ctx, consultationID); err != nil {
		return nil, err
	}
	var who *ballotbox.Voter
	if viewer != uuid.Nil {
		who = &ballotbox.Voter{ID: viewer.String()}
	}
	out := []ElectionResults{}
	for l, err := range s.links(ctx, consultationID) {
		if err != nil {
			return nil, fmt.Errorf("vote: results: %w", err)
		}
		e, err := s.box.Election(ctx, l.ElectionID)
		if errors.Is(err, civickit.ErrNotFound) {
			continue // a link whose election was never created
		}
		if err != nil {
			return nil, fmt.Errorf("vote: results: %w", err)
		}
		r := ElectionResults{ElectionID: e.ID, Title: e.Title}
		r.Results, err = s.box.Results(ctx, e.ID, who, nil)
		switch {
		case errors.Is(err, ballotbox.ErrHidden):
			r.Hidden, r.Results = true, nil
		case err != nil:
			return nil, fmt.Errorf("vote: results of election %s: %w", e.ID, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Outcomes implements evaluation.OutcomeSource: the outcome of every
// question of the consultation's elections whose results the public may
// read (Results with no viewer); hidden results are left out.
func (s *Service) Outcomes(ctx context.Context, consultationID uuid.UUID) ([]evaluation.Outcome, error) {
	rs, err := s.Results(ctx, consultationID, uuid.Nil)
	if err != nil {
		return nil, err
	}
	var out []evaluation.Outcome
	for _, r := range rs {
		if r.Hidden {
			continue
		}
		e, err := s.box.Election(ctx, r.ElectionID)
		if err != nil {
			return nil, fmt.Errorf("vote: outcomes: %w", err)
		}
		for _, qr := range r.Results.Questions {
			q, ok := e.Question(qr.Question)
			if !ok || qr.Result == nil {
				continue
			}
			out = append(out, evaluation.Outcome{
				Source: evaluation.SourceVote, ElectionID: e.ID, ElectionTitle: e.Title,
				QuestionID: q.ID, QuestionTitle: q.Title, Method: q.Method,
				Winners: names(q.Candidates, qr.Result.Winners), Elected: names(q.Candidates, qr.Result.Elected),
				Ballots: qr.Result.Ballots, Final: r.Results.Final,
			})
		}
	}
	return out, nil
}

// names maps candidate indexes to their names.
func names(candidates []string, idx []int) []string {
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		if i >= 0 && i < len(candidates) {
			out = append(out, candidates[i])
		}
	}
	return out
}
