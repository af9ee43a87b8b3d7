package evaluation

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Decision is what the decision makers decided after the consultation:
// the first element of the evaluation step.
type Decision struct {
	ConsultationID uuid.UUID `json:"consultation_id"`
	Summary        string    `json:"summary" validate:"required,max=20000"`
	// DecidedBy is the body that decided (municipal council, mayor, ...).
	DecidedBy   string    `json:"decided_by" validate:"required,max=250"`
	DecidedOn   time.Time `json:"decided_on" validate:"required"` // a date (UTC midnight)
	DocumentURL string    `json:"document_url,omitempty" validate:"omitempty,http_url,max=2000"`
	// FollowUpConsultationID is the consultation started to evaluate the
	// policy carried out (a new expression of choice), if any.
	FollowUpConsultationID *uuid.UUID `json:"follow_up_consultation_id,omitempty"`
	Version                int        `json:"version"`
	CreatedAt              time.Time  `json:"created_at"`
	UpdatedAt              time.Time  `json:"updated_at"`
}

// FollowUpStatus is the state of a follow-up item.
type FollowUpStatus string

const (
	FollowUpPlanned    FollowUpStatus = "planned"
	FollowUpInProgress FollowUpStatus = "in_progress"
	FollowUpCompleted  FollowUpStatus = "completed"
	FollowUpCancelled  FollowUpStatus = "cancelled"
)

// Valid reports whether s is a known status.
func (s FollowUpStatus) Valid() bool {
	switch s {
	case FollowUpPlanned, FollowUpInProgress, FollowUpCompleted, FollowUpCancelled:
		return true
	}
	return false
}

// FollowUpItem is an action carried out to implement the decision. Items
// form a tree through ParentID. A leaf's progress is its own; a parent's
// is the weighted mean of its children's (see FollowUpNode).
type FollowUpItem struct {
	ID             uuid.UUID      `json:"id"`
	ConsultationID uuid.UUID      `json:"consultation_id"`
	ParentID       *uuid.UUID     `json:"parent_id,omitempty"`
	Title          string         `json:"title" validate:"required,max=250"`
	Description    string         `json:"description,omitempty" validate:"max=20000"`
	Status         FollowUpStatus `json:"status" validate:"required,follow_up_status"`
	// Progress is the percentage done, 0 to 100 (used for leaves).
	Progress float64 `json:"progress" validate:"gte=0,lte=100"`
	// Weight is the item's share in its parent's progress (> 0; 1 when
	// left at 0).
	Weight   float64    `json:"weight" validate:"gte=0,lte=1000000"`
	Position int        `json:"position" validate:"gte=0"`
	StartsOn *time.Time `json:"starts_on,omitempty"`
	EndsOn   *time.Time `json:"ends_on,omitempty"`
	Version  int        `json:"version"`
	// CreatedAt and UpdatedAt are set by the service.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Milestone is a dated step of a follow-up item.
type Milestone struct {
	ID             uuid.UUID  `json:"id"`
	ItemID         uuid.UUID  `json:"item_id"`
	ConsultationID uuid.UUID  `json:"consultation_id"`
	Title          string     `json:"title" validate:"required,max=250"`
	Description    string     `json:"description,omitempty" validate:"max=20000"`
	DueOn          time.Time  `json:"due_on" validate:"required"`
	ReachedOn      *time.Time `json:"reached_on,omitempty"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// FollowUpNode is a follow-up item in its tree, with its computed
// progress, children and milestones.
type FollowUpNode struct {
	Item FollowUpItem `json:"item"`
	// Progress is the item's own progress for a leaf, and the weighted
	// mean of its children's Progress for a parent.
	Progress   float64         `json:"progress"`
	Children   []*FollowUpNode `json:"children"`
	Milestones []Milestone     `json:"milestones"`
}

// BuildFollowUpTree arranges items into trees, children ordered by
// (Position, ID), attaches each milestone to its item (ordered by DueOn,
// ID), and computes every node's progress. An item whose parent is not
// among items, or a cycle, is an error wrapping ErrInvalid.
func BuildFollowUpTree(items []FollowUpItem, milestones []Milestone) ([]*FollowUpNode, error) {
	nodes := make(map[uuid.UUID]*FollowUpNode, len(items))
	all := make([]FollowUpNode, len(items)) // one allocation for every node
	for i, it := range items {
		if _, dup := nodes[it.ID]; dup {
			return nil, fmt.Errorf("follow-up item %s twice: %w", it.ID, participation.ErrInvalid)
		}
		all[i] = FollowUpNode{Item: it, Children: []*FollowUpNode{}, Milestones: []Milestone{}}
		nodes[it.ID] = &all[i]
	}
	var roots []*FollowUpNode
	for _, it := range items {
		n := nodes[it.ID]
		if it.ParentID == nil {
			roots = append(roots, n)
			continue
		}
		p, ok := nodes[*it.ParentID]
		if !ok {
			return nil, fmt.Errorf("follow-up item %s: parent %s unknown: %w", it.ID, *it.ParentID, participation.ErrInvalid)
		}
		p.Children = append(p.Children, n)
	}
	for _, m := range milestones {
		n, ok := nodes[m.ItemID]
		if !ok {
			return nil, fmt.Errorf("milestone %s: item %s unknown: %w", m.ID, m.ItemID, participation.ErrInvalid)
		}
		n.Milestones = append(n.Milestones, m)
	}
	// Every node is reached from a root exactly once unless there is a
	// cycle; compute progress bottom-up with an explicit stack.
	visited := 0
	type frame struct {
		n    *FollowUpNode
		next int
	}
	sortNodes(roots)
	for _, r := range roots {
		stack := []frame{{n: r}}
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == 0 {
				visited++
				sortNodes(top.n.Children)
				slices.SortFunc(top.n.Milestones, func(a, b Milestone) int {
					return cmp.Or(a.DueOn.Compare(b.DueOn), bytes.Compare(a.ID[:], b.ID[:]))
				})
			}
			if top.next < len(top.n.Children) {
				child := top.n.Children[top.next]
				top.next++
				stack = append(stack, frame{n: child})
				continue
			}
			top.n.Progress = nodeProgress(top.n)
			stack = stack[:len(stack)-1]
		}
	}
	if visited != len(items) {
		return nil, fmt.Errorf("follow-up items form a cycle: %w", participation.ErrInvalid)
	}
	if roots == nil {
		roots = []*FollowUpNode{}
	}
	return roots, nil
}

func sortNodes(ns []*FollowUpNode) {
	slices.SortFunc(ns, func(a, b *FollowUpNode) int {
		return cmp.Or(cmp.Compare(a.Item.Position, b.Item.Position), bytes.Compare(a.Item.ID[:], b.Item.ID[:]))
	})
}

// itemWeight is the weight in force (1 when left at 0).
func itemWeight(it *FollowUpItem) float64 {
	if it.Weight > 0 {
		return it.Weight
	}
	return 1
}

// nodeProgress is the leaf's progress or the weighted mean of the
// children's computed progress.
func nodeProgress(n *FollowUpNode) float64 {
	if len(n.Children) == 0 {
		return n.Item.Progress
	}
	return WeightedProgress(n.Children)
}

// WeightedProgress returns the weighted mean of the nodes' Progress (0
// for none): the progress of a parent of these nodes, or of a whole
// evaluation from its roots.
func WeightedProgress(nodes []*FollowUpNode) float64 {
	var sum, weights float64
	for _, c := range nodes {
		w := itemWeight(&c.Item)
		sum += w * c.Progress
		weights += w
	}
	if weights == 0 {
		return 0
	}
	return sum / weights
}

// Evaluation is the evaluation step of a consultation: the decision, the
// follow-up tree and the overall progress, and the outcomes of the
// expression step.
type Evaluation struct {
	ConsultationID uuid.UUID       `json:"consultation_id"`
	Decision       *Decision       `json:"decision,omitempty"`
	Items          []*FollowUpNode `json:"items"`
	// Progress is the weighted mean of the root items' progress.
	Progress float64 `json:"progress"`
	// Outcomes are the public outcomes of the expression step (a vote's
	// questions), when the Service has an OutcomeSource; none before they
	// may be read.
	Outcomes []Outcome `json:"outcomes"`
}

// evaluationOpen refuses evaluation work before the decision can exist:
// the evaluation phase must be active, or the consultation closed.
func evaluationOpen(c *participation.Consultation) error {
	if c.Status == participation.StatusClosed {
		return nil
	}
	if p := c.ActivePhase(); p != nil && p.Kind == participation.PhaseEvaluation {
		return nil
	}
	pe := &participation.PhaseError{Action: participation.ActionFollowUp}
	if p := c.ActivePhase(); p != nil {
		pe.Phase = p.Kind
	}
	return pe
}

func dateOnly(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func datePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := dateOnly(*t)
	return &d
}

// SetDecision records the decision taken after the consultation, or
// replaces it when d.Version is that of the stored decision. It is
// allowed once the evaluation phase is active or the consultation is
// closed (*PhaseError otherwise).
func (s *Service) SetDecision(ctx context.Context, consultationID uuid.UUID, d Decision) (*Decision, error) {
	d.Summary, d.DecidedBy, d.DocumentURL = strings.TrimSpace(d.Summary), strings.TrimSpace(d.DecidedBy), strings.TrimSpace(d.DocumentURL)
	if !d.DecidedOn.IsZero() {
		d.DecidedOn = dateOnly(d.DecidedOn)
	}
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &d, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	c, err := s.core.GetConsultation(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("set decision: %w", err)
	}
	if err := evaluationOpen(c); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	d.ConsultationID = consultationID
	d.UpdatedAt = now
	cur, err := s.store.GetDecision(ctx, consultationID)
	switch {
	case errors.Is(err, participation.ErrNotFound):
		if d.Version != 0 {
			return nil, fmt.Errorf("set decision: no decision at version %d: %w", d.Version, participation.ErrConflict)
		}
		d.Version, d.CreatedAt, d.FollowUpConsultationID = 1, now, nil
		err = s.store.CreateDecision(ctx, &d)
	case err != nil:
	default:
		d.CreatedAt, d.FollowUpConsultationID = cur.CreatedAt, cur.FollowUpConsultationID
		err = s.store.UpdateDecision(ctx, &d)
	}
	if err != nil {
		return nil, fmt.Errorf("set decision: %w", err)
	}
	return &d, nil
}

func normalizeItem(it *FollowUpItem) {
	it.Title, it.Description = strings.TrimSpace(it.Title), strings.TrimSpace(it.Description)
	if it.Weight == 0 {
		it.Weight = 1
	}
	it.StartsOn, it.EndsOn = datePtr(it.StartsOn), datePtr(it.EndsOn)
}

func (s *Service) validateItem(it *FollowUpItem) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", it, ve)
	if math.IsNaN(it.Progress) { // NaN passes range tags
		ve.Add("progress", "finite", "")
	}
	if math.IsNaN(it.Weight) {
		ve.Add("weight", "finite", "")
	}
	if it.Status == FollowUpCompleted && it.Progress != 100 {
		ve.Add("progress", "eq_when_completed", "100")
	}
	if it.StartsOn != nil && it.EndsOn != nil && it.EndsOn.Before(*it.StartsOn) {
		ve.Add("ends_on", "gtefield", "starts_on")
	}
	return ve.Err()
}

// checkParent verifies that parent belongs to the consultation and that
// making it the parent of id creates no cycle.
func (s *Service) checkParent(ctx context.Context, consultationID uuid.UUID, id uuid.UUID, parent *uuid.UUID) error {
	if parent == nil {
		return nil
	}
	items, err := collect(func(after string, limit int) (civickit.Page[FollowUpItem], error) {
		return s.store.ListFollowUpItems(ctx, consultationID, after, limit)
	})
	if err != nil {
		return err
	}
	byID := make(map[uuid.UUID]*FollowUpItem, len(items))
	for i := range items {
		byID[items[i].ID] = &items[i]
	}
	for at, steps := parent, 0; at != nil; steps++ {
		if *at == id || steps > len(items) {
			return civickit.Invalid("parent_id", "acyclic", "")
		}
		p, ok := byID[*at]
		if !ok {
			return civickit.Invalid("parent_id", "same_consultation", "")
		}
		at = p.ParentID
	}
	return nil
}

// AddFollowUpItem validates it and adds it to the consultation's
// follow-up, under it.ParentID when set (an item of the same
// consultation). Allowed once the evaluation phase is active or the
// consultation is closed.
func (s *Service) AddFollowUpItem(ctx context.Context, consultationID uuid.UUID, it FollowUpItem) (*FollowUpItem, error) {
	normalizeItem(&it)
	if err := s.validateItem(&it); err != nil {
		return nil, err
	}
	c, err := s.core.GetConsultation(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("add follow-up item: %w", err)
	}
	if err := evaluationOpen(c); err != nil {
		return nil, err
	}
	it.ID = s.newID()
	if err := s.checkParent(ctx, consultationID, it.ID, it.ParentID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	it.ConsultationID, it.Version, it.CreatedAt, it.UpdatedAt = consultationID, 1, now, now
	if err := s.store.CreateFollowUpItem(ctx, &it); err != nil {
		return nil, fmt.Errorf("add follow-up item: %w", err)
	}
	return &it, nil
}

// UpdateFollowUpItem replaces the stored item whose ID and Version match
// (status, progress, weight, dates, parent...). A new parent must not
// make a cycle.
func (s *Service) UpdateFollowUpItem(ctx context.Context, it FollowUpItem) (*FollowUpItem, error) {
	normalizeItem(&it)
	if err := s.validateItem(&it); err != nil {
		return nil, err
	}
	cur, err := s.store.GetFollowUpItem(ctx, it.ID)
	if err != nil {
		return nil, fmt.Errorf("update follow-up item: %w", err)
	}
	if err := s.checkParent(ctx, cur.ConsultationID, it.ID, it.ParentID); err != nil {
		return nil, err
	}
	it.ConsultationID, it.CreatedAt, it.UpdatedAt = cur.ConsultationID, cur.CreatedAt, s.now().UTC()
	if err := s.store.UpdateFollowUpItem(ctx, &it); err != nil {
		return nil, fmt.Errorf("update follow-up item: %w", err)
	}
	return &it, nil
}

// AddMilestone validates m and adds it to a follow-up item.
func (s *Service) AddMilestone(ctx context.Context, itemID uuid.UUID, m Milestone) (*Milestone, error) {
	m.Title, m.Description = strings.TrimSpace(m.Title), strings.TrimSpace(m.Description)
	if !m.DueOn.IsZero() {
		m.DueOn = dateOnly(m.DueOn)
	}
	m.ReachedOn = datePtr(m.ReachedOn)
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &m, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	it, err := s.store.GetFollowUpItem(ctx, itemID)
	if err != nil {
		return nil, fmt.Errorf("add milestone: %w", err)
	}
	now := s.now().UTC()
	m.ID, m.ItemID, m.ConsultationID, m.Version, m.CreatedAt, m.UpdatedAt = s.newID(), itemID, it.ConsultationID, 1, now, now
	if err := s.store.CreateMilestone(ctx, &m); err != nil {
		return nil, fmt.Errorf("add milestone: %w", err)
	}
	return &m, nil
}

// ReachMilestone records the day a milestone was reached (nil: not
// reached after all); version is the milestone's current Version.
func (s *Service) ReachMilestone(ctx context.Context, consultationID, milestoneID uuid.UUID, version int, on *time.Time) (*Milestone, error) {
	ms, err := collect(func(after string, limit int) (civickit.Page[Milestone], error) {
		return s.store.ListMilestones(ctx, consultationID, after, limit)
	})
	if err != nil {
		return nil, fmt.Errorf("reach milestone: %w", err)
	}
	i := slices.IndexFunc(ms, func(m Milestone) bool { return m.ID == milestoneID })
	if i < 0 {
		return nil, fmt.Errorf("reach milestone %s: %w", milestoneID, participation.ErrNotFound)
	}
	m := ms[i]
	m.Version, m.ReachedOn, m.UpdatedAt = version, datePtr(on), s.now().UTC()
	if err := s.store.UpdateMilestone(ctx, &m); err != nil {
		return nil, fmt.Errorf("reach milestone: %w", err)
	}
	return &m, nil
}

// Evaluation returns the consultation's decision (nil when none yet),
// its follow-up tree with computed progress, the overall progress, and
// the outcomes of the expression step that Options.Outcomes gives (none
// without it).
func (s *Service) Evaluation(ctx context.Context, consultationID uuid.UUID) (*Evaluation, error) {
	if _, err := s.core.GetConsultation(ctx, consultationID); err != nil {
		return nil, fmt.Errorf("evaluation: %w", err)
	}
	out := &Evaluation{ConsultationID: consultationID}
	d, err := s.store.GetDecision(ctx, consultationID)
	switch {
	case err == nil:
		out.Decision = d
	case !errors.Is(err, participation.ErrNotFound):
		return nil, fmt.Errorf("evaluation: %w", err)
	}
	items, err := collect(func(after string, limit int) (civickit.Page[FollowUpItem], error) {
		return s.store.ListFollowUpItems(ctx, consultationID, after, limit)
	})
	if err != nil {
		return nil, fmt.Errorf("evaluation: %w", err)
	}
	ms, err := collect(func(after string, limit int) (civickit.Page[Milestone], error) {
		return s.store.ListMilestones(ctx, consultationID, after, limit)
	})
	if err != nil {
		return nil, fmt.Errorf("evaluation: %w", err)
	}
	out.Items, err = BuildFollowUpTree(items, ms)
	if err != nil {
		return nil, fmt.Errorf("evaluation: %w", err)
	}
	out.Progress = WeightedProgress(out.Items)
	out.Outcomes = []Outcome{}
	if s.outcomes != nil {
		os, err := s.outcomes.Outcomes(ctx, consultationID)
		if err != nil {
			return nil, fmt.Errorf("evaluation: outcomes: %w", err)
		}
		out.Outcomes = append(out.Outcomes, os...)
	}
	return out, nil
}

// StartFollowUpConsultation creates a consultation (as CreateConsultation
// does) that evaluates the policy decided after consultationID, links it
// with FollowUpOf and records it in the decision, which must exist.
func (s *Service) StartFollowUpConsultation(ctx context.Context, consultationID uuid.UUID, next participation.Consultation) (*participation.Consultation, error) {
	d, err := s.store.GetDecision(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("start follow-up consultation: decision: %w", err)
	}
	if d.FollowUpConsultationID != nil {
		return nil, fmt.Errorf("start follow-up consultation: already %s: %w", *d.FollowUpConsultationID, participation.ErrConflict)
	}
	next.FollowUpOf = &consultationID
	c, err := s.core.CreateConsultation(ctx, next)
	if err != nil {
		return nil, err
	}
	d.FollowUpConsultationID = &c.ID
	d.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateDecision(ctx, d); err != nil {
		return nil, fmt.Errorf("start follow-up consultation: %w", err)
	}
	return c, nil
}
