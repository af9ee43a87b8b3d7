package participation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// ResourceKind is the kind of an information resource.
type ResourceKind string

const (
	ResourceDocument  ResourceKind = "document"  // a report, a plan, a deliberation
	ResourceLink      ResourceKind = "link"      // a web page elsewhere
	ResourceVideo     ResourceKind = "video"     // a recorded interview or meeting
	ResourceDataset   ResourceKind = "dataset"   // open data behind the project
	ResourceFAQ       ResourceKind = "faq"       // a question and its answer
	ResourceMap       ResourceKind = "map"       // a map of the territory concerned
	ResourceInterview ResourceKind = "interview" // a written interview
)

// ResourceKinds lists every kind in a stable order.
func ResourceKinds() []ResourceKind {
	return []ResourceKind{ResourceDocument, ResourceLink, ResourceVideo, ResourceDataset, ResourceFAQ, ResourceMap, ResourceInterview}
}

// Valid reports whether k is a known kind.
func (k ResourceKind) Valid() bool { return slices.Contains(ResourceKinds(), k) }

// Resource is a piece of information offered to participants. Required
// resources are part of the reflection step when the consultation asks
// for one (Settings.ReflectionRequired).
type Resource struct {
	ID             uuid.UUID    `json:"id"`
	ConsultationID uuid.UUID    `json:"consultation_id"`
	Kind           ResourceKind `json:"kind" validate:"required,resource_kind"`
	Title          string       `json:"title" validate:"required,max=250"`
	// Body is a description, or the answer of a FAQ entry.
	Body string `json:"body,omitempty" validate:"max=20000"`
	// URL points at the document, video, data set or page (required but
	// for FAQ entries).
	URL       string    `json:"url,omitempty" validate:"omitempty,http_url,max=2000"`
	Language  string    `json:"language,omitempty" validate:"omitempty,bcp47_language_tag"`
	Required  bool      `json:"required,omitempty"`
	Position  int       `json:"position" validate:"gte=0"`
	CreatedAt time.Time `json:"created_at"`
}

// PreliminaryQuestion is asked before a participant expresses a choice,
// so that the choice is a considered one. With Choices the answer must be
// one of them; without, it is free text.
type PreliminaryQuestion struct {
	ID             uuid.UUID `json:"id"`
	ConsultationID uuid.UUID `json:"consultation_id"`
	Prompt         string    `json:"prompt" validate:"required,max=2000"`
	Choices        []string  `json:"choices,omitempty" validate:"max=50,dive,required,max=250"`
	Mandatory      bool      `json:"mandatory,omitempty"`
	Position       int       `json:"position" validate:"gte=0"`
	CreatedAt      time.Time `json:"created_at"`
}

// MaxAnswerLen bounds a free-text preliminary answer, in bytes.
const MaxAnswerLen = 4000

// ResourceRead records that a participant opened a resource, through
// which channel, the first time.
type ResourceRead struct {
	ConsultationID uuid.UUID        `json:"consultation_id"`
	ResourceID     uuid.UUID        `json:"resource_id"`
	ParticipantID  uuid.UUID        `json:"participant_id"`
	Channel        civickit.Channel `json:"channel"`
	At             time.Time        `json:"at"`
}

// PreliminaryAnswer is a participant's (latest) answer to a preliminary
// question.
type PreliminaryAnswer struct {
	ConsultationID uuid.UUID        `json:"consultation_id"`
	QuestionID     uuid.UUID        `json:"question_id"`
	ParticipantID  uuid.UUID        `json:"participant_id"`
	Answer         string           `json:"answer"`
	Channel        civickit.Channel `json:"channel"`
	At             time.Time        `json:"at"`
}

// ReadCount is how many participants read a resource through a channel
// (first reads only: each participant counts once per resource).
type ReadCount struct {
	ResourceID uuid.UUID        `json:"resource_id"`
	Channel    civickit.Channel `json:"channel"`
	Count      int              `json:"count"`
}

// Reflection is where a participant stands in the reflection step.
type Reflection struct {
	ConsultationID uuid.UUID `json:"consultation_id"`
	ParticipantID  uuid.UUID `json:"participant_id"`
	// Read and Answered list the resources read and the questions
	// answered, in the consultation's order.
	Read     []uuid.UUID `json:"read"`
	Answered []uuid.UUID `json:"answered"`
	// MissingResources and MissingQuestions list the required resources
	// not read and the mandatory questions not answered.
	MissingResources []uuid.UUID `json:"missing_resources"`
	MissingQuestions []uuid.UUID `json:"missing_questions"`
}

// Complete reports whether nothing required is missing.
func (r *Reflection) Complete() bool {
	return len(r.MissingResources) == 0 && len(r.MissingQuestions) == 0
}

// organiserEdit refuses changes to a closed consultation.
func (s *Service) organiserEdit(ctx context.Context, consultationID uuid.UUID) (*Consultation, error) {
	c, err := s.current(ctx, consultationID)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusClosed {
		return nil, &TransitionError{Entity: "consultation", From: string(StatusClosed), To: "updated"}
	}
	return c, nil
}

// AddResource validates r and adds it to the consultation's information.
func (s *Service) AddResource(ctx context.Context, consultationID uuid.UUID, r Resource) (*Resource, error) {
	r.Title, r.Body, r.URL = strings.TrimSpace(r.Title), strings.TrimSpace(r.Body), strings.TrimSpace(r.URL)
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &r, ve)
	if r.URL == "" && r.Kind != ResourceFAQ {
		ve.Add("url", "required_unless", "kind faq")
	}
	if r.Kind == ResourceFAQ && r.Body == "" {
		ve.Add("body", "required_if", "kind faq")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if _, err := s.organiserEdit(ctx, consultationID); err != nil {
		return nil, fmt.Errorf("add resource: %w", err)
	}
	r.ID, r.ConsultationID, r.CreatedAt = s.newID(), consultationID, s.now().UTC()
	if err := s.store.CreateResource(ctx, &r); err != nil {
		return nil, fmt.Errorf("add resource: %w", err)
	}
	return &r, nil
}

// ListResources returns a page of the consultation's resources, by
// (Position, ID).
func (s *Service) ListResources(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Resource], error) {
	return s.store.ListResources(ctx, consultationID, after, limit)
}

// AddPreliminaryQuestion validates q and adds it to the consultation.
func (s *Service) AddPreliminaryQuestion(ctx context.Context, consultationID uuid.UUID, q PreliminaryQuestion) (*PreliminaryQuestion, error) {
	q.Prompt = strings.TrimSpace(q.Prompt)
	q.Choices = slices.Clone(q.Choices)
	for i := range q.Choices {
		q.Choices[i] = strings.TrimSpace(q.Choices[i])
	}
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &q, ve)
	for i, ch := range q.Choices {
		if slices.Index(q.Choices, ch) < i {
			ve.Add(fmt.Sprintf("choices[%d]", i), "unique", "")
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if _, err := s.organiserEdit(ctx, consultationID); err != nil {
		return nil, fmt.Errorf("add preliminary question: %w", err)
	}
	q.ID, q.ConsultationID, q.CreatedAt = s.newID(), consultationID, s.now().UTC()
	if err := s.store.CreatePreliminaryQuestion(ctx, &q); err != nil {
		return nil, fmt.Errorf("add preliminary question: %w", err)
	}
	return &q, nil
}

// ListPreliminaryQuestions returns a page of the consultation's
// preliminary questions, by (Position, ID).
func (s *Service) ListPreliminaryQuestions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[PreliminaryQuestion], error) {
	return s.store.ListPreliminaryQuestions(ctx, consultationID, after, limit)
}

// RecordRead records that the participant opened the resource through
// channel ch; only the first read is kept. The active phase must allow
// ActionReadResource.
func (s *Service) RecordRead(ctx context.Context, consultationID, resourceID, participantID uuid.UUID, ch civickit.Channel) error {
	if !ch.Valid() {
		return civickit.Invalid("channel", "channel", "")
	}
	c, err := s.CheckAction(ctx, consultationID, ActionReadResource)
	if err != nil {
		return err
	}
	if !c.OffersChannel(ch) {
		return civickit.Invalid("channel", "offered", string(ch))
	}
	rs, err := collect(func(after string, limit int) (civickit.Page[Resource], error) {
		return s.store.ListResources(ctx, consultationID, after, limit)
	})
	if err != nil {
		return fmt.Errorf("record read: %w", err)
	}
	if !slices.ContainsFunc(rs, func(r Resource) bool { return r.ID == resourceID }) {
		return fmt.Errorf("record read: resource %s: %w", resourceID, ErrNotFound)
	}
	read := &ResourceRead{ConsultationID: consultationID, ResourceID: resourceID, ParticipantID: participantID,
		Channel: ch, At: s.now().UTC()}
	if _, err := s.store.RecordRead(ctx, read); err != nil {
		return fmt.Errorf("record read: %w", err)
	}
	return nil
}

// AnswerPreliminary stores the participant's answer to a preliminary
// question (replacing an earlier one). The active phase must allow
// ActionAnswerPreliminary; the answer must be one of the question's
// choices when it has some, and non-empty when it is mandatory.
func (s *Service) AnswerPreliminary(ctx context.Context, consultationID, questionID, participantID uuid.UUID, answer string, ch civickit.Channel) error {
	answer = strings.TrimSpace(answer)
	if !ch.Valid() {
		return civickit.Invalid("channel", "channel", "")
	}
	c, err := s.CheckAction(ctx, consultationID, ActionAnswerPreliminary)
	if err != nil {
		return err
	}
	if !c.OffersChannel(ch) {
		return civickit.Invalid("channel", "offered", string(ch))
	}
	qs, err := collect(func(after string, limit int) (civickit.Page[PreliminaryQuestion], error) {
		return s.store.ListPreliminaryQuestions(ctx, consultationID, after, limit)
	})
	if err != nil {
		return fmt.Errorf("answer preliminary question: %w", err)
	}
	i := slices.IndexFunc(qs, func(q PreliminaryQuestion) bool { return q.ID == questionID })
	if i < 0 {
		return fmt.Errorf("answer preliminary question %s: %w", questionID, ErrNotFound)
	}
	q := qs[i]
	switch {
	case answer == "" && q.Mandatory:
		return civickit.Invalid("answer", "required", "")
	case len(answer) > MaxAnswerLen:
		return civickit.Invalid("answer", "max", fmt.Sprint(MaxAnswerLen))
	case answer != "" && len(q.Choices) > 0 && !slices.Contains(q.Choices, answer):
		return civickit.Invalid("answer", "oneof", strings.Join(q.Choices, " "))
	}
	a := &PreliminaryAnswer{ConsultationID: consultationID, QuestionID: questionID, ParticipantID: participantID,
		Answer: answer, Channel: ch, At: s.now().UTC()}
	if err := s.store.SavePreliminaryAnswer(ctx, a); err != nil {
		return fmt.Errorf("answer preliminary question: %w", err)
	}
	return nil
}

// Reflection returns what the participant has read and answered, and
// what the reflection step still requires of them.
func (s *Service) Reflection(ctx context.Context, consultationID, participantID uuid.UUID) (*Reflection, error) {
	if _, err := s.store.GetConsultation(ctx, consultationID); err != nil {
		return nil, fmt.Errorf("reflection: %w", err)
	}
	return s.reflection(ctx, consultationID, participantID)
}

func (s *Service) reflection(ctx context.Context, consultationID, participantID uuid.UUID) (*Reflection, error) {
	rs, err := collect(func(after string, limit int) (civickit.Page[Resource], error) {
		return s.store.ListResources(ctx, consultationID, after, limit)
	})
	if err != nil {
		return nil, err
	}
	qs, err := collect(func(after string, limit int) (civickit.Page[PreliminaryQuestion], error) {
		return s.store.ListPreliminaryQuestions(ctx, consultationID, after, limit)
	})
	if err != nil {
		return nil, err
	}
	reads, err := collect(func(after string, limit int) (civickit.Page[ResourceRead], error) {
		return s.store.ListReads(ctx, consultationID, participantID, after, limit)
	})
	if err != nil {
		return nil, err
	}
	answers, err := collect(func(after string, limit int) (civickit.Page[PreliminaryAnswer], error) {
		return s.store.ListPreliminaryAnswers(ctx, consultationID, participantID, after, limit)
	})
	if err != nil {
		return nil, err
	}
	read := make(map[uuid.UUID]bool, len(reads))
	for _, r := range reads {
		read[r.ResourceID] = true
	}
	answered := make(map[uuid.UUID]bool, len(answers))
	for _, a := range answers {
		answered[a.QuestionID] = a.Answer != ""
	}
	out := &Reflection{ConsultationID: consultationID, ParticipantID: participantID,
		Read: []uuid.UUID{}, Answered: []uuid.UUID{}, MissingResources: []uuid.UUID{}, MissingQuestions: []uuid.UUID{}}
	for _, r := range rs {
		switch {
		case read[r.ID]:
			out.Read = append(out.Read, r.ID)
		case r.Required:
			out.MissingResources = append(out.MissingResources, r.ID)
		}
	}
	for _, q := range qs {
		switch {
		case answered[q.ID]:
			out.Answered = append(out.Answered, q.ID)
		case q.Mandatory:
			out.MissingQuestions = append(out.MissingQuestions, q.ID)
		}
	}
	return out, nil
}

// ReadCounts returns how many participants read each resource of the
// consultation, by channel: the organiser's view of the information step
// (nothing personal).
func (s *Service) ReadCounts(ctx context.Context, consultationID uuid.UUID) ([]ReadCount, error) {
	if _, err := s.store.GetConsultation(ctx, consultationID); err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	out, err := s.store.CountReads(ctx, consultationID)
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	return out, nil
}

// ReflectionRequired reports whether c requires the reflection step of a
// participant expressing a choice through ch.
func (c *Consultation) ReflectionRequired(ch civickit.Channel) bool {
	if !c.Settings.ReflectionRequired {
		return false
	}
	return ch == civickit.ChannelWeb || c.Settings.ReflectionOnPaper
}

func (s *Service) checkReflection(ctx context.Context, c *Consultation, participantID uuid.UUID, ch civickit.Channel) error {
	if !ch.Valid() {
		return civickit.Invalid("channel", "channel", "")
	}
	if !c.ReflectionRequired(ch) {
		return nil
	}
	r, err := s.reflection(ctx, c.ID, participantID)
	if err != nil {
		return fmt.Errorf("check reflection: %w", err)
	}
	ve := &civickit.ValidationError{}
	for _, id := range r.MissingResources {
		ve.Add("reflection.resources."+id.String(), "read", "")
	}
	for _, id := range r.MissingQuestions {
		ve.Add("reflection.questions."+id.String(), "answered", "")
	}
	return ve.Err()
}
