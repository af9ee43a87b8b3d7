package participation

import (
	"context"
	"fmt"
	"github.com/civickit/civickit"
	"time"

	"github.com/google/uuid"
)

// HiddenBy says why a debate item is hidden; "" means it is visible.
type HiddenBy string

const (
	HiddenByReports   HiddenBy = "reports"   // enough distinct people reported it
	HiddenByModerator HiddenBy = "moderator" // a moderator hid it
)

// Moderation is the moderation state of a comment or a statement: whether
// it is hidden and why, and how many reports await a decision.
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

// Report is one participant's report of a debate item. A person reports
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

// NewReport is a participant's report of a debate item.
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

// Report records a participant's report of a comment or a statement. The
// consultation's active phase must allow ActionReport. A person reports
// an item once (ErrConflict the second time). When the item reaches the
// consultation's HideAfterReports open reports it is hidden until a
// moderator decides, and the hiding is logged.
func (s *Service) Report(ctx context.Context, in NewReport) (*ReportResult, error) {
	ve := &civickit.ValidationError{}
	in.Item.check("item", ve)
	if in.ReporterID == uuid.Nil {
		ve.Add("reporter_id", "required", "")
	}
	if !in.Reason.Valid() {
		ve.Add("reason", "oneof", "spam offensive off_topic personal_data other")
	}
	in.Details = debateText("details", in.Details, MaxReportDetailsLen, in.Reason == ReasonOther, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	consultationID, err := s.itemConsultation(ctx, in.Item)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	c, err := s.CheckAction(ctx, consultationID, ActionReport)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	r := &Report{
		ID: s.newID(), ConsultationID: c.ID, Item: in.Item, ReporterID: in.ReporterID,
		Reason: in.Reason, Details: in.Details, Status: ReportOpen, CreatedAt: now,
	}
	hide := &ModerationDecision{
		ID: s.newID(), ConsultationID: c.ID, Item: in.Item, Kind: DecisionAutoHide,
		Moderator: AutoHideActor, At: now,
	}
	m, err := s.store.CreateReport(ctx, r, c.HideAfterReports(), hide)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return &ReportResult{Report: *r, Moderation: m}, nil
}

// ModerationRequest is a moderator's decision about an item.
type ModerationRequest struct {
	Item      ItemRef      `json:"item"`
	Kind      DecisionKind `json:"kind"`
	Moderator string       `json:"moderator"` // the moderator's user id
	Note      string       `json:"note,omitempty"`
}

// Moderate applies a moderator's decision (hide, restore, reject
// reports) to a comment or a statement and records it, with who and
// when, in the consultation's moderation log. Moderation is allowed in
// every phase. A decision that changes nothing is a *TransitionError.
func (s *Service) Moderate(ctx context.Context, r ModerationRequest) (*ModerationDecision, Moderation, error) {
	ve := &civickit.ValidationError{}
	r.Item.check("item", ve)
	if !r.Kind.Valid() {
		ve.Add("kind", "oneof", "hide restore reject_reports")
	}
	r.Moderator = debateText("moderator", r.Moderator, MaxModeratorLen, true, ve)
	r.Note = debateText("note", r.Note, MaxModerationNote, false, ve)
	if err := ve.Err(); err != nil {
		return nil, Moderation{}, err
	}
	consultationID, err := s.itemConsultation(ctx, r.Item)
	if err != nil {
		return nil, Moderation{}, fmt.Errorf("moderate: %w", err)
	}
	c, err := s.CheckAction(ctx, consultationID, ActionModerate)
	if err != nil {
		return nil, Moderation{}, err
	}
	d := &ModerationDecision{
		ID: s.newID(), ConsultationID: c.ID, Item: r.Item, Kind: r.Kind,
		Moderator: r.Moderator, Note: r.Note, At: s.now().UTC(),
	}
	m, err := s.store.Moderate(ctx, d)
	if err != nil {
		return nil, Moderation{}, fmt.Errorf("moderate: %w", err)
	}
	return d, m, nil
}

// ListReports returns a page of the reports of an item, oldest first.
// They name their reporters: show them to moderators only.
func (s *Service) ListReports(ctx context.Context, item ItemRef, after string, limit int) (civickit.Page[Report], error) {
	ve := &civickit.ValidationError{}
	item.check("item", ve)
	if err := ve.Err(); err != nil {
		return civickit.Page[Report]{}, err
	}
	if _, err := s.itemConsultation(ctx, item); err != nil {
		return civickit.Page[Report]{}, fmt.Errorf("reports: %w", err)
	}
	return s.store.ListReports(ctx, item, after, limit)
}

// ListModerationDecisions returns a page of the consultation's
// moderation log, oldest first.
func (s *Service) ListModerationDecisions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[ModerationDecision], error) {
	if _, err := s.store.GetConsultation(ctx, consultationID); err != nil {
		return civickit.Page[ModerationDecision]{}, fmt.Errorf("moderation log: %w", err)
	}
	return s.store.ListModerationDecisions(ctx, consultationID, after, limit)
}

// QueuedItem is a debate item awaiting a moderator: it has open
// reports.
type QueuedItem struct {
	Item       ItemRef    `json:"item"`
	Moderation Moderation `json:"moderation"`
}

// ListModerationQueue returns a page of the consultation's items with
// open reports, most reported first (then by kind and ID), for
// moderators to decide.
func (s *Service) ListModerationQueue(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[QueuedItem], error) {
	if _, err := s.store.GetConsultation(ctx, consultationID); err != nil {
		return civickit.Page[QueuedItem]{}, fmt.Errorf("moderation queue: %w", err)
	}
	q, err := s.store.ListModerationQueue(ctx, consultationID, after, limit)
	if err != nil {
		return civickit.Page[QueuedItem]{}, fmt.Errorf("moderation queue: %w", err)
	}
	return q, nil
}

// itemConsultation returns the consultation of a debate item.
func (s *Service) itemConsultation(ctx context.Context, item ItemRef) (uuid.UUID, error) {
	switch item.Kind {
	case ItemComment:
		c, err := s.store.GetComment(ctx, item.ID)
		if err != nil {
			return uuid.Nil, err
		}
		return c.ConsultationID, nil
	case ItemStatement:
		st, err := s.store.GetStatement(ctx, item.ID)
		if err != nil {
			return uuid.Nil, err
		}
		return st.ConsultationID, nil
	case ItemProposal:
		p, err := s.store.GetProposal(ctx, item.ID)
		if err != nil {
			return uuid.Nil, err
		}
		return p.ConsultationID, nil
	}
	return uuid.Nil, civickit.Invalid("item.kind", "oneof", "comment statement proposal")
}
