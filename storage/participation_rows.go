package storage

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/evaluation"
)

// Row types mirror migrations/*/0003_participation.sql. Times are Unix
// microseconds; lists, phases and settings are JSON text.

type consultationRow struct {
	bun.BaseModel `bun:"table:consultations,alias:c"`

	ID          uuid.UUID  `bun:"id,pk"`
	Title       string     `bun:"title"`
	Summary     string     `bun:"summary"`
	Body        string     `bun:"body"`
	Organiser   string     `bun:"organiser"`
	Territory   string     `bun:"territory"`
	Languages   string     `bun:"languages"`
	Phases      string     `bun:"phases"`
	Status      string     `bun:"status"`
	ActivePhase string     `bun:"active_phase"`
	Settings    string     `bun:"settings"`
	NextDueAt   *int64     `bun:"next_due_at"`
	FollowUpOf  *uuid.UUID `bun:"follow_up_of"`
	Version     int        `bun:"version"`
	CreatedAt   int64      `bun:"created_at"`
	UpdatedAt   int64      `bun:"updated_at"`
}

// phaseJSON is a phase as stored: times in microseconds, so that they
// round-trip exactly.
type phaseJSON struct {
	Kind   participation.PhaseKind `json:"kind"`
	Starts int64                   `json:"starts"`
	Ends   int64                   `json:"ends"`
	Active bool                    `json:"active,omitempty"`
}

func toConsultationRow(c *participation.Consultation) *consultationRow {
	phases := make([]phaseJSON, len(c.Phases))
	active := ""
	for i, p := range c.Phases {
		phases[i] = phaseJSON{Kind: p.Kind, Starts: micros(p.Starts), Ends: micros(p.Ends), Active: p.Active}
		if p.Active {
			active = string(p.Kind)
		}
	}
	langs := c.Languages
	if langs == nil {
		langs = []string{}
	}
	r := &consultationRow{
		ID: c.ID, Title: c.Title, Summary: c.Summary, Body: c.Body, Organiser: c.Organiser,
		Territory: c.Territory, Languages: mustJSON(langs), Phases: mustJSON(phases),
		Status: string(c.Status), ActivePhase: active, Settings: mustJSON(c.Settings),
		FollowUpOf: c.FollowUpOf, Version: c.Version,
		CreatedAt: micros(c.CreatedAt), UpdatedAt: micros(c.UpdatedAt),
	}
	if due, ok := c.NextDue(); ok {
		v := micros(due)
		r.NextDueAt = &v
	}
	return r
}

func (r *consultationRow) toDomain() (*participation.Consultation, error) {
	c := &participation.Consultation{
		ID: r.ID, Title: r.Title, Summary: r.Summary, Body: r.Body, Organiser: r.Organiser,
		Territory: r.Territory, Status: participation.Status(r.Status), FollowUpOf: r.FollowUpOf,
		Version: r.Version, CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
	if err := json.Unmarshal([]byte(r.Languages), &c.Languages); err != nil {
		return nil, fmt.Errorf("storage: consultation %s languages: %w", r.ID, err)
	}
	var phases []phaseJSON
	if err := json.Unmarshal([]byte(r.Phases), &phases); err != nil {
		return nil, fmt.Errorf("storage: consultation %s phases: %w", r.ID, err)
	}
	c.Phases = make([]participation.Phase, len(phases))
	for i, p := range phases {
		c.Phases[i] = participation.Phase{Kind: p.Kind, Starts: fromMicros(p.Starts), Ends: fromMicros(p.Ends), Active: p.Active}
	}
	if err := json.Unmarshal([]byte(r.Settings), &c.Settings); err != nil {
		return nil, fmt.Errorf("storage: consultation %s settings: %w", r.ID, err)
	}
	return c, nil
}

type consultationTransitionRow struct {
	bun.BaseModel `bun:"table:consultation_transitions,alias:ct"`

	ID             uuid.UUID `bun:"id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Seq            int       `bun:"seq"`
	FromPhase      string    `bun:"from_phase"`
	ToPhase        string    `bun:"to_phase"`
	TriggerKind    string    `bun:"trigger_kind"`
	Actor          string    `bun:"actor"`
	At             int64     `bun:"at"`
	Note           string    `bun:"note"`
}

func (r *consultationTransitionRow) toDomain() participation.PhaseTransition {
	return participation.PhaseTransition{
		ID: r.ID, ConsultationID: r.ConsultationID, Seq: r.Seq,
		From: participation.PhaseKind(r.FromPhase), To: participation.PhaseKind(r.ToPhase),
		Trigger: participation.Trigger(r.TriggerKind), Actor: r.Actor, At: fromMicros(r.At), Note: r.Note,
	}
}

type participantRow struct {
	bun.BaseModel `bun:"table:participants,alias:pa"`

	ID        uuid.UUID `bun:"id,pk"`
	CreatedAt int64     `bun:"created_at"`
}

type personalDataRow struct {
	bun.BaseModel `bun:"table:participant_personal_data,alias:pd"`

	ParticipantID uuid.UUID `bun:"participant_id,pk"`
	Name          string    `bun:"name"`
	Email         string    `bun:"email"`
	Phone         string    `bun:"phone"`
	Address       string    `bun:"address"`
	Territory     string    `bun:"territory"`
	BirthYear     int       `bun:"birth_year"`
	BirthMonth    int       `bun:"birth_month"`
	BirthDay      int       `bun:"birth_day"`
	CreatedAt     int64     `bun:"created_at"`
	UpdatedAt     int64     `bun:"updated_at"`
}

func toPersonalDataRow(pd *participation.PersonalData) *personalDataRow {
	return &personalDataRow{
		ParticipantID: pd.ParticipantID, Name: pd.Name, Email: pd.Email, Phone: pd.Phone,
		Address: pd.Address, Territory: pd.Territory, BirthYear: pd.BirthDate.Year,
		BirthMonth: pd.BirthDate.Month, BirthDay: pd.BirthDate.Day,
		CreatedAt: micros(pd.CreatedAt), UpdatedAt: micros(pd.UpdatedAt),
	}
}

func (r *personalDataRow) toDomain() *participation.PersonalData {
	return &participation.PersonalData{
		ParticipantID: r.ParticipantID, Name: r.Name, Email: r.Email, Phone: r.Phone,
		Address: r.Address, Territory: r.Territory,
		BirthDate: civickit.PartialDate{Year: r.BirthYear, Month: r.BirthMonth, Day: r.BirthDay},
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
}

type verificationRow struct {
	bun.BaseModel `bun:"table:participant_verifications,alias:pv"`

	ID            uuid.UUID `bun:"id,pk"`
	ParticipantID uuid.UUID `bun:"participant_id"`
	Verifier      string    `bun:"verifier"`
	Level         string    `bun:"level"`
	VerifiedAt    int64     `bun:"verified_at"`
	ExpiresAt     *int64    `bun:"expires_at"`
	CreatedAt     int64     `bun:"created_at"`
}

func toVerificationRow(v *participation.Verification) *verificationRow {
	r := &verificationRow{
		ID: v.ID, ParticipantID: v.ParticipantID, Verifier: v.Verifier, Level: string(v.Level),
		VerifiedAt: micros(v.VerifiedAt), CreatedAt: micros(v.VerifiedAt),
	}
	if !v.ExpiresAt.IsZero() {
		e := micros(v.ExpiresAt)
		r.ExpiresAt = &e
	}
	return r
}

func (r *verificationRow) toDomain() participation.Verification {
	v := participation.Verification{
		ID: r.ID, ParticipantID: r.ParticipantID, Verifier: r.Verifier,
		Level: civickit.AssuranceLevel(r.Level), VerifiedAt: fromMicros(r.VerifiedAt),
	}
	if r.ExpiresAt != nil {
		v.ExpiresAt = fromMicros(*r.ExpiresAt)
	}
	return v
}

type censusSaltRow struct {
	bun.BaseModel `bun:"table:census_salts,alias:cs"`

	ListName  string `bun:"list_name,pk"`
	Salt      []byte `bun:"salt"`
	CreatedAt int64  `bun:"created_at"`
}

type censusKeyRow struct {
	bun.BaseModel `bun:"table:census_keys,alias:ck"`

	ListName    string `bun:"list_name,pk"`
	IdentityKey string `bun:"identity_key,pk"`
}

type censusClaimRow struct {
	bun.BaseModel `bun:"table:census_claims,alias:cc"`

	ListName      string    `bun:"list_name,pk"`
	IdentityKey   string    `bun:"identity_key,pk"`
	ParticipantID uuid.UUID `bun:"participant_id"`
	ClaimedAt     int64     `bun:"claimed_at"`
}

type resourceRow struct {
	bun.BaseModel `bun:"table:consultation_resources,alias:cr"`

	ID             uuid.UUID `bun:"id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Kind           string    `bun:"kind"`
	Title          string    `bun:"title"`
	Body           string    `bun:"body"`
	URL            string    `bun:"url"`
	Language       string    `bun:"language"`
	Required       bool      `bun:"required"`
	Position       int       `bun:"position"`
	CreatedAt      int64     `bun:"created_at"`
}

func (r *resourceRow) toDomain() participation.Resource {
	return participation.Resource{
		ID: r.ID, ConsultationID: r.ConsultationID, Kind: participation.ResourceKind(r.Kind),
		Title: r.Title, Body: r.Body, URL: r.URL, Language: r.Language, Required: r.Required,
		Position: r.Position, CreatedAt: fromMicros(r.CreatedAt),
	}
}

type preliminaryQuestionRow struct {
	bun.BaseModel `bun:"table:preliminary_questions,alias:pq"`

	ID             uuid.UUID `bun:"id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Prompt         string    `bun:"prompt"`
	Choices        string    `bun:"choices"`
	Mandatory      bool      `bun:"mandatory"`
	Position       int       `bun:"position"`
	CreatedAt      int64     `bun:"created_at"`
}

func (r *preliminaryQuestionRow) toDomain() (participation.PreliminaryQuestion, error) {
	q := participation.PreliminaryQuestion{
		ID: r.ID, ConsultationID: r.ConsultationID, Prompt: r.Prompt, Mandatory: r.Mandatory,
		Position: r.Position, CreatedAt: fromMicros(r.CreatedAt),
	}
	if err := json.Unmarshal([]byte(r.Choices), &q.Choices); err != nil {
		return q, fmt.Errorf("storage: preliminary question %s choices: %w", r.ID, err)
	}
	return q, nil
}

type resourceReadRow struct {
	bun.BaseModel `bun:"table:resource_reads,alias:rr"`

	ResourceID     uuid.UUID `bun:"resource_id,pk"`
	ParticipantID  uuid.UUID `bun:"participant_id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Channel        string    `bun:"channel"`
	At             int64     `bun:"at"`
}

type preliminaryAnswerRow struct {
	bun.BaseModel `bun:"table:preliminary_answers,alias:pan"`

	QuestionID     uuid.UUID `bun:"question_id,pk"`
	ParticipantID  uuid.UUID `bun:"participant_id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Answer         string    `bun:"answer"`
	Channel        string    `bun:"channel"`
	At             int64     `bun:"at"`
}

type decisionRow struct {
	bun.BaseModel `bun:"table:consultation_decisions,alias:cd"`

	ConsultationID         uuid.UUID  `bun:"consultation_id,pk"`
	Summary                string     `bun:"summary"`
	DecidedBy              string     `bun:"decided_by"`
	DecidedOn              string     `bun:"decided_on"`
	DocumentURL            string     `bun:"document_url"`
	FollowUpConsultationID *uuid.UUID `bun:"follow_up_consultation_id"`
	Version                int        `bun:"version"`
	CreatedAt              int64      `bun:"created_at"`
	UpdatedAt              int64      `bun:"updated_at"`
}

func toDecisionRow(d *evaluation.Decision) *decisionRow {
	return &decisionRow{
		ConsultationID: d.ConsultationID, Summary: d.Summary, DecidedBy: d.DecidedBy,
		DecidedOn: d.DecidedOn.UTC().Format(dateLayout), DocumentURL: d.DocumentURL,
		FollowUpConsultationID: d.FollowUpConsultationID, Version: d.Version,
		CreatedAt: micros(d.CreatedAt), UpdatedAt: micros(d.UpdatedAt),
	}
}

func (r *decisionRow) toDomain() (*evaluation.Decision, error) {
	on, err := parseDate(&r.DecidedOn)
	if err != nil {
		return nil, err
	}
	return &evaluation.Decision{
		ConsultationID: r.ConsultationID, Summary: r.Summary, DecidedBy: r.DecidedBy, DecidedOn: *on,
		DocumentURL: r.DocumentURL, FollowUpConsultationID: r.FollowUpConsultationID, Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}, nil
}

type followUpItemRow struct {
	bun.BaseModel `bun:"table:follow_up_items,alias:fi"`

	ID             uuid.UUID  `bun:"id,pk"`
	ConsultationID uuid.UUID  `bun:"consultation_id"`
	ParentID       *uuid.UUID `bun:"parent_id"`
	Title          string     `bun:"title"`
	Description    string     `bun:"description"`
	Status         string     `bun:"status"`
	Progress       float64    `bun:"progress"`
	Weight         float64    `bun:"weight"`
	Position       int        `bun:"position"`
	StartsOn       *string    `bun:"starts_on"`
	EndsOn         *string    `bun:"ends_on"`
	Version        int        `bun:"version"`
	CreatedAt      int64      `bun:"created_at"`
	UpdatedAt      int64      `bun:"updated_at"`
}

func toFollowUpItemRow(it *evaluation.FollowUpItem) *followUpItemRow {
	return &followUpItemRow{
		ID: it.ID, ConsultationID: it.ConsultationID, ParentID: it.ParentID, Title: it.Title,
		Description: it.Description, Status: string(it.Status), Progress: it.Progress, Weight: it.Weight,
		Position: it.Position, StartsOn: dateString(it.StartsOn), EndsOn: dateString(it.EndsOn),
		Version: it.Version, CreatedAt: micros(it.CreatedAt), UpdatedAt: micros(it.UpdatedAt),
	}
}

func (r *followUpItemRow) toDomain() (evaluation.FollowUpItem, error) {
	starts, err := parseDate(r.StartsOn)
	if err != nil {
		return evaluation.FollowUpItem{}, err
	}
	ends, err := parseDate(r.EndsOn)
	if err != nil {
		return evaluation.FollowUpItem{}, err
	}
	return evaluation.FollowUpItem{
		ID: r.ID, ConsultationID: r.ConsultationID, ParentID: r.ParentID, Title: r.Title,
		Description: r.Description, Status: evaluation.FollowUpStatus(r.Status), Progress: r.Progress,
		Weight: r.Weight, Position: r.Position, StartsOn: starts, EndsOn: ends, Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}, nil
}

type milestoneRow struct {
	bun.BaseModel `bun:"table:follow_up_milestones,alias:fm"`

	ID             uuid.UUID `bun:"id,pk"`
	ItemID         uuid.UUID `bun:"item_id"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Title          string    `bun:"title"`
	Description    string    `bun:"description"`
	DueOn          string    `bun:"due_on"`
	ReachedOn      *string   `bun:"reached_on"`
	Version        int       `bun:"version"`
	CreatedAt      int64     `bun:"created_at"`
	UpdatedAt      int64     `bun:"updated_at"`
}

func toMilestoneRow(m *evaluation.Milestone) *milestoneRow {
	return &milestoneRow{
		ID: m.ID, ItemID: m.ItemID, ConsultationID: m.ConsultationID, Title: m.Title,
		Description: m.Description, DueOn: m.DueOn.UTC().Format(dateLayout), ReachedOn: dateString(m.ReachedOn),
		Version: m.Version, CreatedAt: micros(m.CreatedAt), UpdatedAt: micros(m.UpdatedAt),
	}
}

func (r *milestoneRow) toDomain() (evaluation.Milestone, error) {
	due, err := parseDate(&r.DueOn)
	if err != nil {
		return evaluation.Milestone{}, err
	}
	reached, err := parseDate(r.ReachedOn)
	if err != nil {
		return evaluation.Milestone{}, err
	}
	return evaluation.Milestone{
		ID: r.ID, ItemID: r.ItemID, ConsultationID: r.ConsultationID, Title: r.Title,
		Description: r.Description, DueOn: *due, ReachedOn: reached, Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}, nil
}

// attributesRow holds a participant's declared attributes (category →
// value) as one JSON object: personal data, apart from contributions.
type attributesRow struct {
	bun.BaseModel `bun:"table:participant_attributes,alias:pat"`

	ParticipantID uuid.UUID `bun:"participant_id,pk"`
	Attributes    string    `bun:"attributes"`
	ConsentedAt   int64     `bun:"consented_at"`
	UpdatedAt     int64     `bun:"updated_at"`
}
