package participation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// HiddenBy says why an item is hidden; "" means it is visible.
type HiddenBy string

const (
	HiddenByReports   HiddenBy = "reports"   // enough distinct people reported it
	HiddenByModerator HiddenBy = "moderator" // a moderator hid it
)

// Moderation is the moderation state of an item (a comment, a
// statement, a proposal): whether it is hidden and why, and how many
// reports await a decision.
type Moderation struct {
	HiddenBy    HiddenBy `json:"hidden_by,omitempty"`
	OpenReports int      `json:"open_reports"`
}

// Hidden reports whether the item is hidden from participants.
func (m Moderation) Hidden() bool { return m.HiddenBy != "" }

// Reported returns the state after one more report, with hideAfter the
// consultation's threshold: a visible item is hidden by reports once it
// has hideAfter open reports (each from a distinct person, as a person
// reports an item at most once). Reports rejected by a moderator no
// longer count.
func (m Moderation) Reported(hideAfter int) Moderation {
	m.OpenReports++
	if m.HiddenBy == "" && hideAfter > 0 && m.OpenReports >= hideAfter {
		m.HiddenBy = HiddenByReports
	}
	return m
}

// ReportReason is why a participant reports an item.
type ReportReason string

const (
	ReasonSpam         ReportReason = "spam"
	ReasonOffensive    ReportReason = "offensive"     // insults, hate, harassment
	ReasonOffTopic     ReportReason = "off_topic"     // does not belong in this debate
	ReasonPersonalData ReportReason = "personal_data" // discloses someone's personal data
	ReasonOther        ReportReason = "other"         // explained in Details
)

// ReportReasons lists the reasons in a stable order.
func ReportReasons() []ReportReason {
	return []ReportReason{ReasonSpam, ReasonOffensive, ReasonOffTopic, ReasonPersonalData, ReasonOther}
}

// Valid reports whether r is a known reason.
func (r ReportReason) Valid() bool {
	switch r {
	case ReasonSpam, ReasonOffensive, ReasonOffTopic, ReasonPersonalData, ReasonOther:
		return true
	}
	return false
}

// ReportStatus is where a report stands.
type ReportStatus string

const (
	ReportOpen     ReportStatus = "open"     // awaiting a moderator
	ReportUpheld   ReportStatus = "upheld"   // the moderator hid the item
	ReportRejected ReportStatus = "rejected" // the moderator kept or restored the item
)

// Report is one participant's report of an item. A person reports
// an item at most once, whatever the outcome.
type Report struct {
	ID             uuid.UUID    `json:"id"`
	ConsultationID uuid.UUID    `json:"consultation_id"`
	Item           ItemRef      `json:"item"`
	ReporterID     uuid.UUID    `json:"reporter_id"`
	Reason         ReportReason `json:"reason"`
	Details        string       `json:"details,omitempty"`
	Status         ReportStatus `json:"status"`
	CreatedAt      time.Time    `json:"created_at"`
	// ResolvedAt and DecisionID are set once a moderator decided.
	ResolvedAt time.Time  `json:"resolved_at,omitzero"`
	DecisionID *uuid.UUID `json:"decision_id,omitempty"`
}

// DecisionKind is what a moderator decided about an item.
type DecisionKind string

const (
	// DecisionHide hides the item; its open reports are upheld.
	DecisionHide DecisionKind = "hide"
	// DecisionRestore makes a hidden item visible again; its open
	// reports are rejected.
	DecisionRestore DecisionKind = "restore"
	// DecisionRejectReports rejects the open reports; an item they hid
	// becomes visible, an item a moderator hid stays hidden.
	DecisionRejectReports DecisionKind = "reject_reports"
	// DecisionAutoHide records that reports hid the item. Only the store
	// records it, with Moderator AutoHideActor; moderators cannot ask for
	// it.
	DecisionAutoHide DecisionKind = "auto_hide"
)

// AutoHideActor is the Moderator recorded for automatic hiding.
const AutoHideActor = "reports"

// Valid reports whether k is a decision a moderator may take.
func (k DecisionKind) Valid() bool {
	switch k {
	case DecisionHide, DecisionRestore, DecisionRejectReports:
		return true
	}
	return false
}

// ModerationDecision is one entry of a consultation's moderation log: who
// decided what about which item, and when. Automatic hiding is logged
// too (Kind DecisionAutoHide).
type ModerationDecision struct {
	ID             uuid.UUID    `json:"id"`
	ConsultationID uuid.UUID    `json:"consultation_id"`
	Item           ItemRef      `json:"item"`
	Kind           DecisionKind `json:"kind"`
	Moderator      string       `json:"moderator"`
	Note           string       `json:"note,omitempty"`
	// ReportsResolved is how many open reports the decision closed.
	ReportsResolved int       `json:"reports_resolved"`
	At              time.Time `json:"at"`
}

// ApplyDecision returns the moderation state after decision k on an item
// in state m, and the status its open reports take. It refuses with a
// *TransitionError a decision that changes nothing: hiding an item a
// moderator already hid, restoring a visible item, rejecting reports
// when none is open. Stores call it while they hold the item's row.
func ApplyDecision(m Moderation, k DecisionKind) (Moderation, ReportStatus, error) {
	from := "visible"
	switch m.HiddenBy {
	case HiddenByReports:
		from = "hidden_by_reports"
	case HiddenByModerator:
		from = "hidden_by_moderator"
	}
	refuse := &TransitionError{Entity: "moderation", From: from, To: string(k)}
	switch k {
	case DecisionHide:
		if m.HiddenBy == HiddenByModerator {
			return m, "", refuse
		}
		return Moderation{HiddenBy: HiddenByModerator}, ReportUpheld, nil
	case DecisionRestore:
		if !m.Hidden() {
			return m, "", refuse
		}
		return Moderation{}, ReportRejected, nil
	case DecisionRejectReports:
		if m.OpenReports == 0 {
			refuse.From = "no_open_reports"
			return m, "", refuse
		}
		next := Moderation{HiddenBy: m.HiddenBy}
		if next.HiddenBy == HiddenByReports {
			next.HiddenBy = ""
		}
		return next, ReportRejected, nil
	}
	return m, "", civickit.Invalid("kind", "oneof", "hide restore reject_reports")
}

// NewReport is a participant's report of an item.
type NewReport struct {
	Item       ItemRef      `json:"item"`
	ReporterID uuid.UUID    `json:"reporter_id"`
	Reason     ReportReason `json:"reason"`
	// Details are required when Reason is ReasonOther.
	Details string `json:"details,omitempty"`
}

// ReportResult is a stored report and the moderation state of the item
// after it.
type ReportResult struct {
	Report     Report     `json:"report"`
	Moderation Moderation `json:"moderation"`
}

// ModerationRequest is a moderator's decision about an item.
type ModerationRequest struct {
	Item      ItemRef      `json:"item"`
	Kind      DecisionKind `json:"kind"`
	Moderator string       `json:"moderator"` // the moderator's user id
	Note      string       `json:"note,omitempty"`
}

// QueuedItem is an item awaiting a moderator: it has open reports.
type QueuedItem struct {
	Item       ItemRef    `json:"item"`
	Moderation Moderation `json:"moderation"`
}

// ModerationStore is what moderation needs of the store of a package
// whose items participants report (package debate's comments and
// statements, package proposals' proposals). Each such package's Store
// embeds it and answers for its own item kinds only: an item of another
// kind is ErrNotFound there.
type ModerationStore interface {
	// CreateReport inserts r (status open, its ConsultationID set from
	// the item's) and, in the same transaction, updates the item's
	// moderation with Moderation.Reported(hideAfter); when that hides the
	// item, hide is appended to the moderation log (with r's item and
	// consultation). It returns the item's moderation after the report.
	// ErrConflict when the reporter already reported the item (whatever
	// became of that report); ErrNotFound when the item or the reporter
	// is unknown.
	CreateReport(ctx context.Context, r *Report, hideAfter int, hide *ModerationDecision) (Moderation, error)
	// ListReports returns a page of an item's reports, by CreatedAt, then
	// ID.
	ListReports(ctx context.Context, item ItemRef, after string, limit int) (civickit.Page[Report], error)
	// Moderate applies ApplyDecision(current moderation, d.Kind) to the
	// item while holding it, resolves its open reports with the status
	// ApplyDecision returns (setting their ResolvedAt to d.At and their
	// DecisionID to d.ID), sets d.ConsultationID and d.ReportsResolved
	// and appends d to the moderation log, in one transaction. It returns
	// the new moderation. ApplyDecision's *TransitionError, or
	// ErrNotFound for an unknown item, leave everything unchanged.
	Moderate(ctx context.Context, d *ModerationDecision) (Moderation, error)
	// ListModerationQueue returns a page of the consultation's items (of
	// the store's kinds) with open reports, by open reports (most
	// first), then kind, then ID. An item whose count of open reports
	// changes between two pages may be seen twice or not at all.
	ListModerationQueue(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[QueuedItem], error)
	// ListModerationDecisions returns a page of the consultation's
	// moderation log about items of the store's kinds, by At, then ID.
	ListModerationDecisions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[ModerationDecision], error)
}

// PhaseChecker is the part of the consultation Service that moderation
// needs: the consultation, and whether its phase allows an action.
type PhaseChecker interface {
	GetConsultation(ctx context.Context, id uuid.UUID) (*Consultation, error)
	CheckAction(ctx context.Context, consultationID uuid.UUID, a Action) (*Consultation, error)
}

// ModeratorConfig configures a Moderator.
type ModeratorConfig struct {
	// Kinds are the item kinds moderated (at least one).
	Kinds []ItemKind
	// ConsultationOf returns the consultation of an item of one of Kinds
	// (ErrNotFound for an unknown item).
	ConsultationOf func(ctx context.Context, item ItemRef) (uuid.UUID, error)
	// Now and NewID are the service's clock and ID source.
	Now   func() time.Time
	NewID func() uuid.UUID
}

// Moderator reports and moderates the items of one package (comments
// and statements, or proposals): participants report items, enough
// distinct reports hide an item until a moderator decides, and every
// decision is logged. The services of package debate and package
// proposals embed one, so that moderation has one implementation.
type Moderator struct {
	store ModerationStore
	core  PhaseChecker
	cfg   ModeratorConfig
}

// NewModerator returns a Moderator over store.
func NewModerator(store ModerationStore, core PhaseChecker, cfg ModeratorConfig) (*Moderator, error) {
	if store == nil || core == nil || cfg.ConsultationOf == nil || cfg.Now == nil || cfg.NewID == nil || len(cfg.Kinds) == 0 {
		return nil, fmt.Errorf("participation: NewModerator: store, core, kinds, ConsultationOf, Now and NewID are required")
	}
	return &Moderator{store: store, core: core, cfg: cfg}, nil
}

// checkItem adds item's broken rules to ve under prefix: a kind this
// moderator handles and an ID.
func (m *Moderator) checkItem(prefix string, item ItemRef, ve *civickit.ValidationError) {
	if !slices.Contains(m.cfg.Kinds, item.Kind) {
		kinds := make([]string, len(m.cfg.Kinds))
		for i, k := range m.cfg.Kinds {
			kinds[i] = string(k)
		}
		ve.Add(prefix+".kind", "oneof", strings.Join(kinds, " "))
	}
	if item.ID == uuid.Nil {
		ve.Add(prefix+".id", "required", "")
	}
}

// Report records a participant's report of an item. The consultation's
// active phase must allow ActionReport. A person reports an item once
// (ErrConflict the second time). When the item reaches the
// consultation's HideAfterReports open reports it is hidden until a
// moderator decides, and the hiding is logged.
func (m *Moderator) Report(ctx context.Context, in NewReport) (*ReportResult, error) {
	ve := &civickit.ValidationError{}
	m.checkItem("item", in.Item, ve)
	if in.ReporterID == uuid.Nil {
		ve.Add("reporter_id", "required", "")
	}
	if !in.Reason.Valid() {
		ve.Add("reason", "oneof", "spam offensive off_topic personal_data other")
	}
	in.Details = CheckText("details", in.Details, MaxReportDetailsLen, in.Reason == ReasonOther, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	consultationID, err := m.cfg.ConsultationOf(ctx, in.Item)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	c, err := m.core.CheckAction(ctx, consultationID, ActionReport)
	if err != nil {
		return nil, err
	}
	now := m.cfg.Now().UTC()
	r := &Report{
		ID: m.cfg.NewID(), ConsultationID: c.ID, Item: in.Item, ReporterID: in.ReporterID,
		Reason: in.Reason, Details: in.Details, Status: ReportOpen, CreatedAt: now,
	}
	hide := &ModerationDecision{
		ID: m.cfg.NewID(), ConsultationID: c.ID, Item: in.Item, Kind: DecisionAutoHide,
		Moderator: AutoHideActor, At: now,
	}
	mod, err := m.store.CreateReport(ctx, r, c.HideAfterReports(), hide)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return &ReportResult{Report: *r, Moderation: mod}, nil
}

// Moderate applies a moderator's decision (hide, restore, reject
// reports) to an item and records it, with who and when, in the
// consultation's moderation log. Moderation is allowed in every phase.
// A decision that changes nothing is a *TransitionError.
func (m *Moderator) Moderate(ctx context.Context, r ModerationRequest) (*ModerationDecision, Moderation, error) {
	ve := &civickit.ValidationError{}
	m.checkItem("item", r.Item, ve)
	if !r.Kind.Valid() {
		ve.Add("kind", "oneof", "hide restore reject_reports")
	}
	r.Moderator = CheckText("moderator", r.Moderator, MaxModeratorLen, true, ve)
	r.Note = CheckText("note", r.Note, MaxModerationNote, false, ve)
	if err := ve.Err(); err != nil {
		return nil, Moderation{}, err
	}
	consultationID, err := m.cfg.ConsultationOf(ctx, r.Item)
	if err != nil {
		return nil, Moderation{}, fmt.Errorf("moderate: %w", err)
	}
	c, err := m.core.CheckAction(ctx, consultationID, ActionModerate)
	if err != nil {
		return nil, Moderation{}, err
	}
	d := &ModerationDecision{
		ID: m.cfg.NewID(), ConsultationID: c.ID, Item: r.Item, Kind: r.Kind,
		Moderator: r.Moderator, Note: r.Note, At: m.cfg.Now().UTC(),
	}
	mod, err := m.store.Moderate(ctx, d)
	if err != nil {
		return nil, Moderation{}, fmt.Errorf("moderate: %w", err)
	}
	return d, mod, nil
}

// ListReports returns a page of the reports of an item, oldest first.
// They name their reporters: show them to moderators only.
func (m *Moderator) ListReports(ctx context.Context, item ItemRef, after string, limit int) (civickit.Page[Report], error) {
	ve := &civickit.ValidationError{}
	m.checkItem("item", item, ve)
	if err := ve.Err(); err != nil {
		return civickit.Page[Report]{}, err
	}
	if _, err := m.cfg.ConsultationOf(ctx, item); err != nil {
		return civickit.Page[Report]{}, fmt.Errorf("reports: %w", err)
	}
	return m.store.ListReports(ctx, item, after, limit)
}

// ListModerationDecisions returns a page of the consultation's
// moderation log (about this moderator's kinds), oldest first.
func (m *Moderator) ListModerationDecisions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[ModerationDecision], error) {
	if _, err := m.core.GetConsultation(ctx, consultationID); err != nil {
		return civickit.Page[ModerationDecision]{}, fmt.Errorf("moderation log: %w", err)
	}
	return m.store.ListModerationDecisions(ctx, consultationID, after, limit)
}

// ListModerationQueue returns a page of the consultation's items (of
// this moderator's kinds) with open reports, most reported first (then
// by kind and ID), for moderators to decide.
func (m *Moderator) ListModerationQueue(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[QueuedItem], error) {
	if _, err := m.core.GetConsultation(ctx, consultationID); err != nil {
		return civickit.Page[QueuedItem]{}, fmt.Errorf("moderation queue: %w", err)
	}
	q, err := m.store.ListModerationQueue(ctx, consultationID, after, limit)
	if err != nil {
		return civickit.Page[QueuedItem]{}, fmt.Errorf("moderation queue: %w", err)
	}
	return q, nil
}

// Limits of moderation inputs.
const (
	MaxReportDetailsLen = 1000 // runes of a report's details
	MaxModeratorLen     = 200  // runes of a moderator's id
	MaxModerationNote   = 2000 // runes of a decision's note
)

// ItemKind names what a report or a moderation decision is about.
type ItemKind string

const (
	ItemComment   ItemKind = "comment"   // package debate
	ItemStatement ItemKind = "statement" // package debate
	ItemProposal  ItemKind = "proposal"  // package proposals
)

// Valid reports whether k is a known item kind.
func (k ItemKind) Valid() bool { return k == ItemComment || k == ItemStatement || k == ItemProposal }

// ItemRef points at a reportable item.
type ItemRef struct {
	Kind ItemKind  `json:"kind"`
	ID   uuid.UUID `json:"id"`
}

func (r ItemRef) String() string { return string(r.Kind) + ":" + r.ID.String() }

// CheckText trims s and adds a rule to ve on path when it is empty
// (and required) or longer than maxRunes runes; it returns s trimmed.
// Contributions (comments, statements, proposals, reports) check their
// texts with it.
func CheckText(path, s string, maxRunes int, required bool, ve *civickit.ValidationError) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		ve.Add(path, "required", "")
	case utf8.RuneCountInString(s) > maxRunes:
		ve.Add(path, "max", fmt.Sprint(maxRunes))
	}
	return s
}
