package proposals

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Proposal is a participant's proposal, submitted during the debate (a
// call for proposals) and supported by others when the consultation
// moves to the expression of choices.
type Proposal struct {
	ID             uuid.UUID                `json:"id"`
	ConsultationID uuid.UUID                `json:"consultation_id"`
	AuthorID       uuid.UUID                `json:"author_id"` // pseudonymous participant
	Title          string                   `json:"title"`
	Body           string                   `json:"body"`
	Provenance     civickit.Provenance      `json:"provenance"`
	Supports       int                      `json:"supports"`
	Moderation     participation.Moderation `json:"moderation"`
	// IdempotencyKey, when set, makes a retried submission store the
	// proposal once; it is not published.
	IdempotencyKey string    `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
}

// Support is a participant's support of a proposal: one per participant
// per proposal, whatever the channel (web, paper, kiosk, mediator,
// import), which they may withdraw.
type Support struct {
	ProposalID    uuid.UUID           `json:"proposal_id"`
	ParticipantID uuid.UUID           `json:"participant_id"`
	Provenance    civickit.Provenance `json:"provenance"`
	SupportedAt   time.Time           `json:"supported_at"`
}

// NewProposal is a proposal to submit.
type NewProposal struct {
	ConsultationID uuid.UUID           `json:"consultation_id"`
	AuthorID       uuid.UUID           `json:"author_id"`
	Title          string              `json:"title"`
	Body           string              `json:"body"`
	Provenance     civickit.Provenance `json:"provenance"`
	// IdempotencyKey (optional) makes a retry return the proposal stored
	// the first time.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// SubmitProposal stores a participant's proposal. The active phase must
// allow ActionPropose and the author must be eligible.
func (s *Service) SubmitProposal(ctx context.Context, in NewProposal) (*Proposal, error) {
	ve := &civickit.ValidationError{}
	if in.ConsultationID == uuid.Nil {
		ve.Add("consultation_id", "required", "")
	}
	in.Title = participation.CheckText("title", in.Title, MaxTitleLen, true, ve)
	in.Body = participation.CheckText("body", in.Body, MaxBodyLen, true, ve)
	participation.CheckContributor("author_id", in.AuthorID, in.Provenance, ve)
	civickit.CheckIdempotencyKey("idempotency_key", in.IdempotencyKey, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	c, err := s.core.Admit(ctx, in.ConsultationID, in.AuthorID, participation.ActionPropose, in.Provenance)
	if err != nil {
		return nil, err
	}
	p := &Proposal{
		ID: s.newID(), ConsultationID: c.ID, AuthorID: in.AuthorID, Title: in.Title, Body: in.Body,
		Provenance: in.Provenance, IdempotencyKey: in.IdempotencyKey, CreatedAt: s.now().UTC(),
	}
	replayed, err := s.store.CreateProposal(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("submit proposal: %w", err)
	}
	if replayed {
		if p.Title != in.Title || p.Body != in.Body {
			return nil, fmt.Errorf("idempotency key %q: %w", in.IdempotencyKey, participation.ErrKeyReused)
		}
	}
	return p, nil
}

// ListProposals returns a page of the consultation's proposals, oldest
// first; hidden ones only when includeHidden (moderators), so that a
// page may hold fewer than limit proposals and still have a Next.
func (s *Service) ListProposals(ctx context.Context, consultationID uuid.UUID, includeHidden bool, after string, limit int) (civickit.Page[Proposal], error) {
	if _, err := s.core.GetConsultation(ctx, consultationID); err != nil {
		return civickit.Page[Proposal]{}, fmt.Errorf("proposals: %w", err)
	}
	page, err := s.store.ListProposals(ctx, consultationID, after, limit)
	if err != nil {
		return civickit.Page[Proposal]{}, fmt.Errorf("proposals: %w", err)
	}
	if !includeHidden {
		page.Items = slices.DeleteFunc(page.Items, func(p Proposal) bool { return p.Moderation.Hidden() })
	}
	return page, nil
}

// SupportProposal records a participant's support of a proposal and
// returns the proposal with its new count. The phase must allow
// ActionSupport, the supporter must be eligible and the proposal
// visible; a second support by the same participant, through any
// channel, is ErrConflict.
func (s *Service) SupportProposal(ctx context.Context, sp Support) (*Proposal, error) {
	p, err := s.supportTarget(ctx, sp)
	if err != nil {
		return nil, err
	}
	if _, err := s.core.Admit(ctx, p.ConsultationID, sp.ParticipantID, participation.ActionSupport, sp.Provenance); err != nil {
		return nil, err
	}
	if p.Moderation.Hidden() {
		return nil, &participation.TransitionError{Entity: "proposal", From: "hidden", To: "supported"}
	}
	sp.SupportedAt = s.now().UTC()
	n, err := s.store.SupportProposal(ctx, &sp)
	if err != nil {
		return nil, fmt.Errorf("support proposal: %w", err)
	}
	p.Supports = n
	return p, nil
}

// WithdrawSupport removes a participant's support of a proposal while
// the phase allows ActionSupport (ErrNotFound when there is none).
func (s *Service) WithdrawSupport(ctx context.Context, proposalID, participantID uuid.UUID) (*Proposal, error) {
	p, err := s.supportTarget(ctx, Support{ProposalID: proposalID, ParticipantID: participantID,
		Provenance: civickit.Provenance{Channel: civickit.ChannelWeb}})
	if err != nil {
		return nil, err
	}
	if _, err := s.core.CheckAction(ctx, p.ConsultationID, participation.ActionSupport); err != nil {
		return nil, err
	}
	n, err := s.store.WithdrawSupport(ctx, proposalID, participantID)
	if err != nil {
		return nil, fmt.Errorf("withdraw support: %w", err)
	}
	p.Supports = n
	return p, nil
}

// supportTarget validates sp and returns its proposal.
func (s *Service) supportTarget(ctx context.Context, sp Support) (*Proposal, error) {
	ve := &civickit.ValidationError{}
	if sp.ProposalID == uuid.Nil {
		ve.Add("proposal_id", "required", "")
	}
	participation.CheckContributor("participant_id", sp.ParticipantID, sp.Provenance, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	p, err := s.store.GetProposal(ctx, sp.ProposalID)
	if err != nil {
		return nil, fmt.Errorf("support: %w", err)
	}
	return p, nil
}

// Limits of proposals.
const (
	MaxTitleLen = 200   // runes of a proposal's title
	MaxBodyLen  = 10000 // runes of a proposal's text
)
