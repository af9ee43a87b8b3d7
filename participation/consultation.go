package participation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Status is where a consultation stands as a whole.
type Status string

const (
	StatusDraft  Status = "draft"  // being prepared: no phase active yet
	StatusOpen   Status = "open"   // exactly one phase active
	StatusClosed Status = "closed" // finished: no phase active any more
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusOpen, StatusClosed:
		return true
	}
	return false
}

// Consultation is an online (and offline) public consultation: what it is
// about, who organises it, where, in which languages, and its phases.
type Consultation struct {
	ID        uuid.UUID `json:"id"`
	Title     string    `json:"title" validate:"required,max=250"`
	Summary   string    `json:"summary" validate:"max=2000"`
	Body      string    `json:"body" validate:"max=200000"`
	Organiser string    `json:"organiser" validate:"required,max=250"`
	// Territory is the code of the area concerned (e.g. an INSEE commune
	// or department code, an ISO 3166-2 code).
	Territory string `json:"territory" validate:"required,max=20"`
	// Languages are BCP 47 tags, the first being the main one.
	Languages []string `json:"languages" validate:"required,min=1,max=20,dive,bcp47_language_tag"`
	Phases    []Phase  `json:"phases" validate:"required,min=1,max=5"`
	Status    Status   `json:"status"`
	Settings  Settings `json:"settings"`
	// FollowUpOf links a follow-up consultation to the consultation whose
	// evaluation step started it.
	FollowUpOf *uuid.UUID `json:"follow_up_of,omitempty"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Defaults of Settings' zero values.
const (
	DefaultMaxCommentDepth  = 3
	DefaultHideAfterReports = 3
)

// Settings are the per-consultation rules.
type Settings struct {
	// Actions overrides DefaultActionTable when non-nil.
	Actions ActionTable `json:"actions,omitempty"`
	// Schedule makes phases follow their dates: when a phase's end or the
	// next phase's start has passed, the consultation moves on by itself
	// (the move is recorded with TriggerSchedule). Manual transitions
	// remain possible.
	Schedule bool `json:"schedule,omitempty"`
	// Channels offered (nil: all). The texts ask that paper be offered
	// beside the web.
	Channels []civickit.Channel `json:"channels,omitempty"`
	// AccessPoints lists the public internet access points (kiosks) and
	// other places where one can take part.
	AccessPoints []AccessPoint `json:"access_points,omitempty" validate:"max=1000,dive"`
	// ReflectionRequired: before expressing (responding, supporting), a
	// participant must have read every required resource and answered
	// every mandatory preliminary question.
	ReflectionRequired bool `json:"reflection_required,omitempty"`
	// ReflectionOnPaper extends ReflectionRequired to assisted channels
	// (paper, kiosk, mediator, import), where it is never required
	// otherwise.
	ReflectionOnPaper bool `json:"reflection_on_paper,omitempty"`
	// Eligibility says who may take part.
	Eligibility Eligibility `json:"eligibility"`
	// MaxCommentDepth caps comment threads (0: DefaultMaxCommentDepth).
	MaxCommentDepth int `json:"max_comment_depth,omitempty" validate:"gte=0,lte=20"`
	// HideAfterReports hides an item reported by that many distinct
	// people until a moderator decides (0: DefaultHideAfterReports).
	HideAfterReports int `json:"hide_after_reports,omitempty" validate:"gte=0,lte=1000"`
}

// AccessPoint is a public place where one can take part (a library's
// computers, a town-hall kiosk, a paper-form desk).
type AccessPoint struct {
	ID      string `json:"id" validate:"required,max=100"`
	Name    string `json:"name" validate:"required,max=250"`
	Address string `json:"address,omitempty" validate:"max=500"`
	Hours   string `json:"hours,omitempty" validate:"max=500"`
}

// ActionTable returns the table in force: Settings.Actions or the default.
func (c *Consultation) ActionTable() ActionTable {
	if c.Settings.Actions != nil {
		return c.Settings.Actions
	}
	return DefaultActionTable()
}

// ActivePhase returns the active phase, or nil when none is.
func (c *Consultation) ActivePhase() *Phase {
	for i := range c.Phases {
		if c.Phases[i].Active {
			return &c.Phases[i]
		}
	}
	return nil
}

// Phase returns the phase of kind k, or nil when the organiser did not
// choose it.
func (c *Consultation) Phase(k PhaseKind) *Phase {
	for i := range c.Phases {
		if c.Phases[i].Kind == k {
			return &c.Phases[i]
		}
	}
	return nil
}

// Allows returns nil when the active phase allows a, and a *PhaseError
// otherwise (with Phase "" when no phase is active). ActionModerate is
// always allowed.
func (c *Consultation) Allows(a Action) error {
	if a == ActionModerate {
		return nil
	}
	p := c.ActivePhase()
	if p == nil || c.Status != StatusOpen {
		return &PhaseError{Action: a}
	}
	if !c.ActionTable().Allows(p.Kind, a) {
		return &PhaseError{Action: a, Phase: p.Kind}
	}
	return nil
}

// OffersChannel reports whether ch is one of the consultation's channels.
func (c *Consultation) OffersChannel(ch civickit.Channel) bool {
	if !ch.Valid() {
		return false
	}
	if c.Settings.Channels == nil {
		return true
	}
	for _, x := range c.Settings.Channels {
		if x == ch {
			return true
		}
	}
	return false
}

// MaxCommentDepth returns the comment depth limit in force.
func (c *Consultation) MaxCommentDepth() int {
	if c.Settings.MaxCommentDepth > 0 {
		return c.Settings.MaxCommentDepth
	}
	return DefaultMaxCommentDepth
}

// HideAfterReports returns the report threshold in force.
func (c *Consultation) HideAfterReports() int {
	if c.Settings.HideAfterReports > 0 {
		return c.Settings.HideAfterReports
	}
	return DefaultHideAfterReports
}

// activeIndex returns the index of the active phase, or -1.
func (c *Consultation) activeIndex() int {
	for i := range c.Phases {
		if c.Phases[i].Active {
			return i
		}
	}
	return -1
}

// NextDue returns when the schedule next moves the consultation on, and
// false when it will not (Settings.Schedule off, closed). A draft opens
// at its first phase's start; an open consultation moves to the next
// phase at that phase's start (the active phase stays active through any
// gap between the two) and closes at the last phase's end.
func (c *Consultation) NextDue() (time.Time, bool) {
	if !c.Settings.Schedule || len(c.Phases) == 0 {
		return time.Time{}, false
	}
	switch c.Status {
	case StatusDraft:
		return c.Phases[0].Starts, true
	case StatusOpen:
		i := c.activeIndex()
		switch {
		case i < 0:
			return time.Time{}, false
		case i+1 < len(c.Phases):
			return c.Phases[i+1].Starts, true
		default:
			return c.Phases[i].Ends, true
		}
	}
	return time.Time{}, false
}

// ScheduledMove returns where the schedule puts the consultation at now:
// the phase to activate, or close=true when the last phase has ended. ok
// is false when nothing is due (Settings.Schedule off, or the next date
// not reached). The schedule only moves forward: a phase the organiser
// activated early by hand is not undone.
func (c *Consultation) ScheduledMove(now time.Time) (to PhaseKind, closeIt, ok bool) {
	due, scheduled := c.NextDue()
	if !scheduled || now.Before(due) {
		return "", false, false
	}
	n := len(c.Phases)
	if !now.Before(c.Phases[n-1].Ends) {
		return "", true, true
	}
	cur := c.activeIndex()
	target := -1
	for j := range c.Phases {
		if !now.Before(c.Phases[j].Starts) {
			target = j
		}
	}
	if target <= cur {
		return "", false, false
	}
	return c.Phases[target].Kind, false, true
}

// move activates phase to (or closes the consultation when to is "") in
// memory.
func (c *Consultation) move(to PhaseKind) {
	for i := range c.Phases {
		c.Phases[i].Active = c.Phases[i].Kind == to
	}
	if to == "" {
		c.Status = StatusClosed
	} else {
		c.Status = StatusOpen
	}
}

// phaseIndex returns the index of the phase of kind k, or -1.
func (c *Consultation) phaseIndex(k PhaseKind) int {
	for i := range c.Phases {
		if c.Phases[i].Kind == k {
			return i
		}
	}
	return -1
}

// normalizeConsultation trims free text and drops duplicate languages.
func normalizeConsultation(c *Consultation) {
	c.Title = strings.TrimSpace(c.Title)
	c.Summary = strings.TrimSpace(c.Summary)
	c.Organiser = strings.TrimSpace(c.Organiser)
	c.Territory = strings.TrimSpace(c.Territory)
	for i := range c.Languages {
		c.Languages[i] = strings.TrimSpace(c.Languages[i])
	}
	for i := range c.Phases {
		c.Phases[i].Starts = c.Phases[i].Starts.UTC()
		c.Phases[i].Ends = c.Phases[i].Ends.UTC()
	}
}

// ValidateConsultation checks c against the struct rules and the domain
// rules and returns a *ValidationError naming every broken rule:
// phases of known kinds, each at most once, in the order information,
// debate, reflection, expression, evaluation, each ending after it starts
// and none overlapping the next; exactly one active phase when open and
// none otherwise; a valid action table, channel list, access points and
// eligibility.
func (s *Service) ValidateConsultation(c *Consultation) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", c, ve)
	validateConsultationRules(c, ve)
	return ve.Err()
}

func validateConsultationRules(c *Consultation, ve *civickit.ValidationError) {
	if !c.Status.Valid() {
		ve.Add("status", "oneof", "draft open closed")
	}
	seen := map[string]bool{}
	for i, l := range c.Languages {
		if seen[l] {
			ve.Add(fmt.Sprintf("languages[%d]", i), "unique", "")
		}
		seen[l] = true
	}
	active, last := 0, -1
	for i, p := range c.Phases {
		path := fmt.Sprintf("phases[%d]", i)
		if p.Active {
			active++
		}
		k := slices.Index(PhaseKinds(), p.Kind)
		switch {
		case k < 0:
			ve.Add(path+".kind", "phase_kind", "")
		case k == last:
			ve.Add(path+".kind", "unique", "")
		case k < last:
			ve.Add(path+".kind", "phase_order", string(PhaseKinds()[last]))
		}
		last = max(last, k)
		if p.Starts.IsZero() {
			ve.Add(path+".starts", "required", "")
		}
		if !p.Ends.After(p.Starts) {
			ve.Add(path+".ends", "gtfield", "starts")
		}
		if i > 0 && p.Starts.Before(c.Phases[i-1].Ends) {
			ve.Add(path+".starts", "gtefield", fmt.Sprintf("phases[%d].ends", i-1))
		}
	}
	switch {
	case c.Status == StatusOpen && active != 1:
		ve.Add("phases", "one_active", "")
	case c.Status != StatusOpen && active != 0:
		ve.Add("phases", "none_active", string(c.Status))
	}
	validateSettings(&c.Settings, ve)
}

func validateSettings(st *Settings, ve *civickit.ValidationError) {
	for k, acts := range st.Actions {
		if !k.Valid() {
			ve.Add("settings.actions", "phase_kind", string(k))
			continue
		}
		for i, a := range acts {
			if !a.Valid() {
				ve.Add(fmt.Sprintf("settings.actions.%s[%d]", k, i), "action", string(a))
			}
		}
	}
	seenCh := map[civickit.Channel]bool{}
	for i, ch := range st.Channels {
		path := fmt.Sprintf("settings.channels[%d]", i)
		switch {
		case !ch.Valid():
			ve.Add(path, "channel", "")
		case seenCh[ch]:
			ve.Add(path, "unique", "")
		}
		seenCh[ch] = true
	}
	if st.Channels != nil && len(st.Channels) == 0 {
		ve.Add("settings.channels", "min", "1")
	}
	seenAP := map[string]bool{}
	for i, ap := range st.AccessPoints {
		if seenAP[ap.ID] {
			ve.Add(fmt.Sprintf("settings.access_points[%d].id", i), "unique", "")
		}
		seenAP[ap.ID] = true
	}
	if !st.Eligibility.MinAssurance.Valid() {
		ve.Add("settings.eligibility.min_assurance", "assurance", "")
	}
}

// CreateConsultation validates c and stores it as a new draft: the ID,
// Status, Version and timestamps are set by the service and no phase is
// active.
func (s *Service) CreateConsultation(ctx context.Context, c Consultation) (*Consultation, error) {
	c.Languages = slices.Clone(c.Languages)
	c.Phases = slices.Clone(c.Phases)
	normalizeConsultation(&c)
	c.Status = StatusDraft
	for i := range c.Phases {
		c.Phases[i].Active = false
	}
	if err := s.ValidateConsultation(&c); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	c.ID = s.newID()
	c.Version = 1
	c.CreatedAt, c.UpdatedAt = now, now
	if err := s.store.CreateConsultation(ctx, &c); err != nil {
		return nil, fmt.Errorf("create consultation: %w", err)
	}
	return &c, nil
}

// GetConsultation returns the consultation, with any transition its
// schedule makes due applied first.
func (s *Service) GetConsultation(ctx context.Context, id uuid.UUID) (*Consultation, error) {
	return s.current(ctx, id)
}

// UpdateConsultation replaces the description, phases' dates and settings
// of the stored consultation whose ID and Version match. The status and
// the active phase are not changed by an update (Transition does that):
// they are taken from the stored consultation, and the active phase must
// remain among the phases. A closed consultation cannot be updated.
func (s *Service) UpdateConsultation(ctx context.Context, c Consultation) (*Consultation, error) {
	c.Languages = slices.Clone(c.Languages)
	c.Phases = slices.Clone(c.Phases)
	normalizeConsultation(&c)
	cur, err := s.store.GetConsultation(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("update consultation: %w", err)
	}
	if cur.Status == StatusClosed {
		return nil, &TransitionError{Entity: "consultation", From: string(StatusClosed), To: "updated"}
	}
	c.Status = cur.Status
	active := PhaseKind("")
	if p := cur.ActivePhase(); p != nil {
		active = p.Kind
	}
	for i := range c.Phases {
		c.Phases[i].Active = c.Phases[i].Kind == active
	}
	ve := &civickit.ValidationError{}
	if active != "" && c.phaseIndex(active) < 0 {
		ve.Add("phases", "keeps_active", string(active))
	}
	civickit.CheckStruct(s.validate, "", &c, ve)
	validateConsultationRules(&c, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	c.FollowUpOf = cur.FollowUpOf
	c.CreatedAt = cur.CreatedAt
	c.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateConsultation(ctx, &c); err != nil {
		return nil, fmt.Errorf("update consultation: %w", err)
	}
	return &c, nil
}

// TransitionRequest asks to move a consultation by hand.
type TransitionRequest struct {
	// To is the phase to activate; "" closes the consultation.
	To PhaseKind `json:"to" validate:"omitempty,phase_kind"`
	// Actor is who asks (the organiser's user id); recorded in the log.
	Actor string `json:"actor" validate:"required,max=200"`
	Note  string `json:"note,omitempty" validate:"max=2000"`
}

// Transition moves a consultation by hand to the phase r.To, or closes it
// when r.To is "", and records the move in the audit log. Moves go
// forward only: a draft may open at any of its phases, an open
// consultation may go to a later phase or close, a closed one stays
// closed (*TransitionError otherwise). Transitions the schedule made due
// are applied first.
func (s *Service) Transition(ctx context.Context, id uuid.UUID, r TransitionRequest) (*Consultation, error) {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &r, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	c, err := s.current(ctx, id)
	if err != nil {
		return nil, err
	}
	from := PhaseKind("")
	if p := c.ActivePhase(); p != nil {
		from = p.Kind
	}
	refuse := &TransitionError{Entity: "consultation", From: string(c.Status), To: "closed"}
	if from != "" {
		refuse.From = string(from)
	}
	if r.To != "" {
		refuse.To = string(r.To)
	}
	switch {
	case c.Status == StatusClosed:
		return nil, refuse
	case r.To == "":
		// close from draft (cancelled) or open
	case c.phaseIndex(r.To) < 0:
		return nil, civickit.Invalid("to", "chosen_phase", string(r.To))
	case c.phaseIndex(r.To) <= c.activeIndex():
		return nil, refuse
	}
	c.move(r.To)
	c.UpdatedAt = s.now().UTC()
	t := &PhaseTransition{
		ID: s.newID(), ConsultationID: c.ID, From: from, To: r.To, Trigger: TriggerManual,
		Actor: r.Actor, At: c.UpdatedAt, Note: r.Note,
	}
	if err := s.store.TransitionConsultation(ctx, c, t); err != nil {
		return nil, fmt.Errorf("transition consultation: %w", err)
	}
	return c, nil
}

// ScheduleActor is the actor recorded for transitions made by the
// schedule.
const ScheduleActor = "schedule"

// current returns the consultation with the transition its schedule
// makes due applied (one jump to the phase whose dates contain now, or
// closed after the last phase). Concurrent callers may race to apply
// it; the loser reloads.
func (s *Service) current(ctx context.Context, id uuid.UUID) (*Consultation, error) {
	for attempt := 0; ; attempt++ {
		c, err := s.store.GetConsultation(ctx, id)
		if err != nil {
			return nil, err
		}
		now := s.now().UTC()
		to, closeIt, ok := c.ScheduledMove(now)
		if !ok {
			return c, nil
		}
		from := PhaseKind("")
		if p := c.ActivePhase(); p != nil {
			from = p.Kind
		}
		if closeIt {
			to = ""
		}
		c.move(to)
		c.UpdatedAt = now
		t := &PhaseTransition{
			ID: s.newID(), ConsultationID: c.ID, From: from, To: to, Trigger: TriggerSchedule,
			Actor: ScheduleActor, At: now,
		}
		err = s.store.TransitionConsultation(ctx, c, t)
		switch {
		case err == nil:
			return c, nil
		case errors.Is(err, ErrConflict) && attempt < 3:
			continue // another writer moved it; look again
		}
		return nil, fmt.Errorf("scheduled transition: %w", err)
	}
}

// AdvanceSchedule applies the transitions the schedule has made due, for
// up to limit consultations (0: 100), and returns how many moved. Call
// it from a ticker; consultations are also moved when they are read.
func (s *Service) AdvanceSchedule(ctx context.Context, limit int) (int, error) {
	if limit <= 0 {
		limit = 100
	}
	ids, err := s.store.DueConsultations(ctx, s.now().UTC(), limit)
	if err != nil {
		return 0, fmt.Errorf("advance schedule: %w", err)
	}
	moved := 0
	for _, id := range ids {
		before, err := s.store.GetConsultation(ctx, id)
		if err != nil {
			return moved, fmt.Errorf("advance schedule: %w", err)
		}
		after, err := s.current(ctx, id)
		if err != nil {
			return moved, fmt.Errorf("advance schedule: %w", err)
		}
		if after.Version != before.Version {
			moved++
		}
	}
	return moved, nil
}

// ListTransitions returns a page of the consultation's audit log of
// phase transitions, in order.
func (s *Service) ListTransitions(ctx context.Context, id uuid.UUID, after string, limit int) (civickit.Page[PhaseTransition], error) {
	if _, err := s.store.GetConsultation(ctx, id); err != nil {
		return civickit.Page[PhaseTransition]{}, err
	}
	return s.store.ListTransitions(ctx, id, after, limit)
}

// ConsultationFilter narrows a listing of consultations.
type ConsultationFilter struct {
	Territory string `json:"territory,omitempty" validate:"max=20"`
	Status    Status `json:"status,omitempty" validate:"omitempty,oneof=draft open closed"`
}

// ListConsultations returns a page of the consultations passing the
// filter, newest first. Consultations are returned as stored: a schedule
// is applied when one is read with GetConsultation or by
// AdvanceSchedule.
func (s *Service) ListConsultations(ctx context.Context, f ConsultationFilter, after string, limit int) (civickit.Page[Consultation], error) {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &f, ve)
	if _, err := civickit.CheckLimit(limit); err != nil {
		ve.Merge("", err)
	}
	if err := ve.Err(); err != nil {
		return civickit.Page[Consultation]{}, err
	}
	p, err := s.store.ListConsultations(ctx, f, after, limit)
	if err != nil {
		return civickit.Page[Consultation]{}, fmt.Errorf("list consultations: %w", err)
	}
	if p.Items == nil {
		p.Items = []Consultation{}
	}
	return p, nil
}
