package participation

import (
	"time"

	"github.com/google/uuid"
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
	Channels []Channel `json:"channels,omitempty"`
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
func (c *Consultation) OffersChannel(ch Channel) bool {
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
