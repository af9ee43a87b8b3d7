package participation

import (
	"context"
	"fmt"
	"github.com/civickit/civickit"
	"strings"

	"github.com/google/uuid"
)

// The debate step: threaded comments with an alignment (for, neutral,
// against), up and down votes and an edit history; Polis-style
// statements on which participants agree, disagree or pass; proposals
// and their supports; reports by participants, automatic hiding after
// enough distinct reports, and moderators' decisions. Every contribution
// records its Provenance.

// ErrNotAuthor: a participant tried to change a contribution that is not
// theirs (e.g. edit someone else's comment).
var ErrNotAuthor = civickit.Sentinel(civickit.ErrForbidden, "participation: not the author")

// Limits of debate inputs.
const (
	MaxCommentLen       = 5000 // runes of a comment
	MaxStatementLen     = 1000 // runes of a statement (Polis suggests 140)
	MaxReportDetailsLen = 1000 // runes of a report's details
	MaxModeratorLen     = 200  // runes of a moderator's id
	MaxModerationNote   = 2000 // runes of a decision's note
	DefaultCommentPage  = 50   // comments per page when the query gives no limit
	MaxCommentPage      = 500  // the largest page of comments
	MaxDebateKeyLen     = 100  // bytes of an idempotency key
)

// ItemKind names what a report or a moderation decision is about.
type ItemKind string

const (
	ItemComment   ItemKind = "comment"
	ItemStatement ItemKind = "statement"
	ItemProposal  ItemKind = "proposal"
)

// Valid reports whether k is a known item kind.
func (k ItemKind) Valid() bool { return k == ItemComment || k == ItemStatement || k == ItemProposal }

// ItemRef points at a debate item.
type ItemRef struct {
	Kind ItemKind  `json:"kind"`
	ID   uuid.UUID `json:"id"`
}

func (r ItemRef) String() string { return string(r.Kind) + ":" + r.ID.String() }

// check adds r's broken rules to ve under prefix.
func (r ItemRef) check(prefix string, ve *civickit.ValidationError) {
	if !r.Kind.Valid() {
		ve.Add(prefix+".kind", "oneof", "comment statement proposal")
	}
	if r.ID == uuid.Nil {
		ve.Add(prefix+".id", "required", "")
	}
}

// debateText trims s and adds a rule to ve when it is empty or longer
// than maxRunes runes.
func debateText(field, s string, maxRunes int, required bool, ve *civickit.ValidationError) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		ve.Add(field, "required", "")
	case len([]rune(s)) > maxRunes:
		ve.Add(field, "max", fmt.Sprint(maxRunes))
	}
	return s
}

// debateContributor adds the broken rules of a contributor and of the
// provenance of their contribution to ve: a participant is required and
// the provenance must be valid.
func debateContributor(field string, participantID uuid.UUID, p civickit.Provenance, ve *civickit.ValidationError) {
	if participantID == uuid.Nil {
		ve.Add(field, "required", "")
	}
	p.Check("provenance", ve)
}

// debateOffered returns a *ValidationError when c does not offer the
// channel of p.
// admitAuthor admits a new contribution by author: the active phase must
// allow a, the consultation must offer the provenance's channel and the
// author must be eligible.
func (s *Service) admitAuthor(ctx context.Context, consultationID uuid.UUID, a Action, author uuid.UUID, p civickit.Provenance) (*Consultation, error) {
	c, err := s.CheckAction(ctx, consultationID, a)
	if err != nil {
		return nil, err
	}
	if err := debateOffered(c, p); err != nil {
		return nil, err
	}
	if err := s.CheckEligibility(ctx, c.ID, author); err != nil {
		return nil, err
	}
	return c, nil
}

func debateOffered(c *Consultation, p civickit.Provenance) error {
	if !c.OffersChannel(p.Channel) {
		return civickit.Invalid("provenance.channel", "offered", string(p.Channel))
	}
	return nil
}

// debateKey checks an idempotency key: at most MaxDebateKeyLen bytes of
// printable ASCII.
func debateKey(key string, ve *civickit.ValidationError) {
	if len(key) > MaxDebateKeyLen {
		ve.Add("idempotency_key", "max", fmt.Sprint(MaxDebateKeyLen))
		return
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			ve.Add("idempotency_key", "printascii", "")
			return
		}
	}
}

// debateReplay checks that a contribution returned for a retried
// idempotency key is the one asked for again; a key reused for
// something else is ErrConflict.
func debateReplay(same bool, key string) error {
	if !same {
		return fmt.Errorf("idempotency key %q already used for another contribution: %w", key, ErrConflict)
	}
	return nil
}
