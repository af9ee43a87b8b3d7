package participation

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Store is what the Service needs from persistence: consultations,
// participants and the information step. It is owned here; package
// storage implements it and participationtest.TestStore checks any
// implementation against the contract written on each method. The
// sub-packages (debate, proposals, questionnaire, evaluation) own their
// stores: an integrator implements only those of the parts they use.
//
// Every List method returns one page (civickit.Page) of at most limit
// items (0: civickit.DefaultLimit; above civickit.MaxLimit: MaxLimit),
// starting strictly after the opaque cursor after ("" for the first
// page); a malformed cursor or a negative limit is a
// *civickit.ValidationError (ErrInvalid).
type Store interface {
	ConsultationStore
	ParticipantStore
	InformationStore
}

// ConsultationStore persists consultations and their phase audit log.
type ConsultationStore interface {
	// CreateConsultation inserts c (ID set by the caller, Version 1).
	// ErrConflict on a taken ID.
	CreateConsultation(ctx context.Context, c *Consultation) error
	// GetConsultation returns ErrNotFound for an unknown ID.
	GetConsultation(ctx context.Context, id uuid.UUID) (*Consultation, error)
	// UpdateConsultation replaces the stored consultation if its Version
	// equals c.Version, then stores c.Version+1 and sets c.Version
	// accordingly. ErrNotFound if absent, ErrConflict if the version is
	// stale: then nothing is written.
	UpdateConsultation(ctx context.Context, c *Consultation) error
	// TransitionConsultation does UpdateConsultation and, in the same
	// transaction, appends t to the consultation's audit log with the
	// next sequence number (1 for the first), which it sets in t.Seq.
	// On ErrConflict (stale version) nothing is written.
	TransitionConsultation(ctx context.Context, c *Consultation, t *PhaseTransition) error
	// ListTransitions returns a page of a consultation's audit log, by
	// Seq.
	ListTransitions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[PhaseTransition], error)
	// ListConsultations returns a page of the consultations passing the
	// filter (zero fields match anything), newest first: by (CreatedAt,
	// ID) descending.
	ListConsultations(ctx context.Context, f ConsultationFilter, after string, limit int) (civickit.Page[Consultation], error)
	// DueConsultations returns up to limit IDs of consultations whose
	// NextDue is at or before now, earliest first (then by ID).
	DueConsultations(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error)
}

// ParticipantStore persists participants and, in separate tables, their
// personal data, verifications, census lists (identity keys only, their
// salts apart) and census claims.
type ParticipantStore interface {
	// CreateParticipant inserts p and, when pd is non-nil, its personal
	// data (pd.ParticipantID must equal p.ID), in one transaction.
	// ErrConflict on a taken ID.
	CreateParticipant(ctx context.Context, p *Participant, pd *PersonalData) error
	// GetParticipant returns ErrNotFound for an unknown ID.
	GetParticipant(ctx context.Context, id uuid.UUID) (*Participant, error)
	// GetPersonalData returns ErrNotFound when the participant has none
	// (never given, or erased).
	GetPersonalData(ctx context.Context, participantID uuid.UUID) (*PersonalData, error)
	// PutPersonalData inserts or replaces a participant's personal data.
	// ErrNotFound if the participant is unknown.
	PutPersonalData(ctx context.Context, pd *PersonalData) error
	// ErasePersonalData deletes a participant's personal data,
	// declared attributes and verifications; the pseudonymous participant, its contributions and
	// its census claims stay. Erasing what is absent is not an error.
	ErasePersonalData(ctx context.Context, participantID uuid.UUID) error
	// PutAttributes inserts or replaces a participant's declared
	// attributes (stored apart, like personal data; ErasePersonalData
	// deletes them too). ErrNotFound if the participant is unknown.
	PutAttributes(ctx context.Context, a *Attributes) error
	// GetAttributes returns ErrNotFound when the participant has none.
	GetAttributes(ctx context.Context, participantID uuid.UUID) (*Attributes, error)
	// ListAttributes returns the attributes held for those of ids who
	// have some, in no particular order (ids may repeat or be unknown).
	ListAttributes(ctx context.Context, ids []uuid.UUID) ([]Attributes, error)
	// SaveVerification inserts v. ErrNotFound if the participant is
	// unknown; ErrConflict on a taken ID.
	SaveVerification(ctx context.Context, v *Verification) error
	// ListVerifications returns a page of a participant's
	// verifications, newest first (by VerifiedAt, then ID, descending).
	ListVerifications(ctx context.Context, participantID uuid.UUID, after string, limit int) (civickit.Page[Verification], error)
	// CensusSalt returns the salt of the census list. When the list has
	// none yet, it stores fresh as its salt and returns it, or returns
	// ErrNotFound when fresh is nil; concurrent callers all get the one
	// salt stored. Salts are kept apart from the keys and never listed.
	CensusSalt(ctx context.Context, list string, fresh civickit.Salt) (civickit.Salt, error)
	// AddCensusKeys adds identity keys to the census list; keys already
	// there are ignored.
	AddCensusKeys(ctx context.Context, list string, keys []civickit.IdentityKey) error
	// InCensus reports whether key is on the census list.
	InCensus(ctx context.Context, list string, key civickit.IdentityKey) (bool, error)
	// ClaimCensus records that c.ParticipantID holds c.Key on c.List.
	// Claiming again what one holds is not an error (the first claim is
	// kept). ErrConflict when another participant holds the key on that
	// list, or the participant holds another key on it: then nothing is
	// written, and of two claims of one key racing exactly one wins.
	// ErrNotFound when the participant is unknown.
	ClaimCensus(ctx context.Context, c *CensusClaim) error
	// CensusKeyOf returns the key the participant claimed on the list;
	// ErrNotFound when none.
	CensusKeyOf(ctx context.Context, list string, participantID uuid.UUID) (civickit.IdentityKey, error)
	// CensusHolder returns the participant who claimed key on the list;
	// ErrNotFound when none.
	CensusHolder(ctx context.Context, list string, key civickit.IdentityKey) (uuid.UUID, error)
}

// InformationStore persists the information offered (resources,
// preliminary questions) and what each participant read and answered.
type InformationStore interface {
	// CreateResource inserts r. ErrNotFound if the consultation is
	// unknown; ErrConflict on a taken ID.
	CreateResource(ctx context.Context, r *Resource) error
	// ListResources returns a page of a consultation's resources, by
	// (Position, ID).
	ListResources(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[Resource], error)
	// CreatePreliminaryQuestion inserts q. ErrNotFound if the
	// consultation is unknown; ErrConflict on a taken ID.
	CreatePreliminaryQuestion(ctx context.Context, q *PreliminaryQuestion) error
	// ListPreliminaryQuestions returns a page of a consultation's
	// preliminary questions, by (Position, ID).
	ListPreliminaryQuestions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[PreliminaryQuestion], error)
	// RecordRead inserts r unless the participant already read that
	// resource (then the first read is kept and false returned).
	// ErrNotFound if the resource or the participant is unknown.
	RecordRead(ctx context.Context, r *ResourceRead) (bool, error)
	// ListReads returns a page of the participant's reads in the
	// consultation, by (At, ResourceID).
	ListReads(ctx context.Context, consultationID, participantID uuid.UUID, after string, limit int) (civickit.Page[ResourceRead], error)
	// CountReads returns, for each resource of the consultation read at
	// least once, how many participants read it through each channel,
	// ordered by (ResourceID, Channel).
	CountReads(ctx context.Context, consultationID uuid.UUID) ([]ReadCount, error)
	// SavePreliminaryAnswer inserts a or replaces the participant's
	// earlier answer to that question. ErrNotFound if the question or
	// the participant is unknown.
	SavePreliminaryAnswer(ctx context.Context, a *PreliminaryAnswer) error
	// ListPreliminaryAnswers returns a page of the participant's answers
	// in the consultation, by (At, QuestionID).
	ListPreliminaryAnswers(ctx context.Context, consultationID, participantID uuid.UUID, after string, limit int) (civickit.Page[PreliminaryAnswer], error)
}
