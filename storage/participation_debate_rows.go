package storage

import (
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/proposals"
)

// Row types mirror migrations/*/0005_participation_debate.sql.

type debateCommentRow struct {
	bun.BaseModel `bun:"table:debate_comments,alias:dc"`

	ID             uuid.UUID  `bun:"id,pk"`
	ConsultationID uuid.UUID  `bun:"consultation_id"`
	ParentID       *uuid.UUID `bun:"parent_id"`
	Depth          int        `bun:"depth"`
	Path           string     `bun:"path"`
	AuthorID       uuid.UUID  `bun:"author_id"`
	Body           string     `bun:"body"`
	Alignment      string     `bun:"alignment"`
	Channel        string     `bun:"channel"`
	CollectedBy    string     `bun:"collected_by"`
	Place          string     `bun:"place"`
	UpVotes        int        `bun:"up_votes"`
	DownVotes      int        `bun:"down_votes"`
	OpenReports    int        `bun:"open_reports"`
	HiddenBy       string     `bun:"hidden_by"`
	IdemKey        *string    `bun:"idem_key"`
	Version        int        `bun:"version"`
	CreatedAt      int64      `bun:"created_at"`
	UpdatedAt      int64      `bun:"updated_at"`
}

// debatePathSegment is a comment's part of its thread path: 16 hex
// digits of its creation time, then the 32 hex digits of its ID, so that
// siblings sort by creation time, then ID, and a path sorts before the
// paths that extend it (its replies).
func debatePathSegment(c *debate.Comment) string {
	return fmt.Sprintf("%016x", uint64(micros(c.CreatedAt))) + hex.EncodeToString(c.ID[:])
}

func toDebateCommentRow(c *debate.Comment, path string) *debateCommentRow {
	return &debateCommentRow{
		ID: c.ID, ConsultationID: c.ConsultationID, ParentID: c.ParentID, Depth: c.Depth, Path: path,
		AuthorID: c.AuthorID, Body: c.Body, Alignment: string(c.Alignment),
		Channel: string(c.Provenance.Channel), CollectedBy: c.Provenance.CollectedBy, Place: c.Provenance.Place,
		UpVotes: c.Up, DownVotes: c.Down, OpenReports: c.Moderation.OpenReports,
		HiddenBy: string(c.Moderation.HiddenBy), IdemKey: debateIdem(c.IdempotencyKey), Version: c.Version,
		CreatedAt: micros(c.CreatedAt), UpdatedAt: micros(c.UpdatedAt),
	}
}

// debateIdem stores an empty idempotency key as NULL, which unique
// indexes never compare equal.
func debateIdem(key string) *string {
	if key == "" {
		return nil
	}
	return &key
}

func fromDebateIdem(key *string) string {
	if key == nil {
		return ""
	}
	return *key
}

func (r *debateCommentRow) toDomain() debate.Comment {
	return debate.Comment{
		ID: r.ID, ConsultationID: r.ConsultationID, ParentID: r.ParentID, Depth: r.Depth,
		AuthorID: r.AuthorID, Body: r.Body, Alignment: debate.Alignment(r.Alignment),
		Provenance: civickit.Provenance{
			Channel: civickit.Channel(r.Channel), CollectedBy: r.CollectedBy, Place: r.Place,
		},
		Up: r.UpVotes, Down: r.DownVotes,
		Moderation:     participation.Moderation{HiddenBy: participation.HiddenBy(r.HiddenBy), OpenReports: r.OpenReports},
		IdempotencyKey: fromDebateIdem(r.IdemKey),
		Version:        r.Version, CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
}

type debateRevisionRow struct {
	bun.BaseModel `bun:"table:debate_comment_revisions,alias:dr"`

	CommentID  uuid.UUID `bun:"comment_id,pk"`
	Version    int       `bun:"version,pk"`
	Body       string    `bun:"body"`
	Alignment  string    `bun:"alignment"`
	WrittenAt  int64     `bun:"written_at"`
	ReplacedAt int64     `bun:"replaced_at"`
}

func (r *debateRevisionRow) toDomain() debate.CommentRevision {
	return debate.CommentRevision{
		CommentID: r.CommentID, Version: r.Version, Body: r.Body,
		Alignment: debate.Alignment(r.Alignment),
		WrittenAt: fromMicros(r.WrittenAt), ReplacedAt: fromMicros(r.ReplacedAt),
	}
}

type debateCommentVoteRow struct {
	bun.BaseModel `bun:"table:debate_comment_votes,alias:dcv"`

	CommentID     uuid.UUID `bun:"comment_id,pk"`
	ParticipantID uuid.UUID `bun:"participant_id,pk"`
	Value         int       `bun:"value"`
	Channel       string    `bun:"channel"`
	CollectedBy   string    `bun:"collected_by"`
	Place         string    `bun:"place"`
	VotedAt       int64     `bun:"voted_at"`
}

type debateStatementRow struct {
	bun.BaseModel `bun:"table:debate_statements,alias:ds"`

	ID             uuid.UUID  `bun:"id,pk"`
	ConsultationID uuid.UUID  `bun:"consultation_id"`
	AuthorID       *uuid.UUID `bun:"author_id"`
	SeededBy       string     `bun:"seeded_by"`
	Body           string     `bun:"body"`
	Channel        string     `bun:"channel"`
	CollectedBy    string     `bun:"collected_by"`
	Place          string     `bun:"place"`
	NAgree         int        `bun:"n_agree"`
	NDisagree      int        `bun:"n_disagree"`
	NPass          int        `bun:"n_pass"`
	OpenReports    int        `bun:"open_reports"`
	HiddenBy       string     `bun:"hidden_by"`
	IdemKey        *string    `bun:"idem_key"`
	CreatedAt      int64      `bun:"created_at"`
}

func toDebateStatementRow(s *debate.Statement) *debateStatementRow {
	return &debateStatementRow{
		ID: s.ID, ConsultationID: s.ConsultationID, AuthorID: s.AuthorID, SeededBy: s.SeededBy,
		Body: s.Text, Channel: string(s.Provenance.Channel), CollectedBy: s.Provenance.CollectedBy,
		Place: s.Provenance.Place, NAgree: s.Counts.Agree, NDisagree: s.Counts.Disagree,
		NPass: s.Counts.Pass, OpenReports: s.Moderation.OpenReports,
		HiddenBy: string(s.Moderation.HiddenBy), IdemKey: debateIdem(s.IdempotencyKey), CreatedAt: micros(s.CreatedAt),
	}
}

func (r *debateStatementRow) toDomain() debate.Statement {
	return debate.Statement{
		ID: r.ID, ConsultationID: r.ConsultationID, AuthorID: r.AuthorID, SeededBy: r.SeededBy,
		Text: r.Body,
		Provenance: civickit.Provenance{
			Channel: civickit.Channel(r.Channel), CollectedBy: r.CollectedBy, Place: r.Place,
		},
		Counts:         debate.OpinionCounts{Agree: r.NAgree, Disagree: r.NDisagree, Pass: r.NPass},
		Moderation:     participation.Moderation{HiddenBy: participation.HiddenBy(r.HiddenBy), OpenReports: r.OpenReports},
		IdempotencyKey: fromDebateIdem(r.IdemKey),
		CreatedAt:      fromMicros(r.CreatedAt),
	}
}

type debateVoterRow struct {
	bun.BaseModel `bun:"table:debate_voters,alias:dv"`

	ConsultationID uuid.UUID `bun:"consultation_id,pk"`
	ParticipantID  uuid.UUID `bun:"participant_id,pk"`
	Voter          string    `bun:"voter"`
}

type debateStatementVoteRow struct {
	bun.BaseModel `bun:"table:debate_statement_votes,alias:dsv"`

	StatementID    uuid.UUID `bun:"statement_id,pk"`
	ParticipantID  uuid.UUID `bun:"participant_id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	Voter          string    `bun:"voter"`
	Value          int       `bun:"value"`
	Channel        string    `bun:"channel"`
	CollectedBy    string    `bun:"collected_by"`
	Place          string    `bun:"place"`
	VotedAt        int64     `bun:"voted_at"`
}

type debateReportRow struct {
	bun.BaseModel `bun:"table:debate_reports,alias:drp"`

	ID             uuid.UUID  `bun:"id,pk"`
	ConsultationID uuid.UUID  `bun:"consultation_id"`
	ItemKind       string     `bun:"item_kind"`
	ItemID         uuid.UUID  `bun:"item_id"`
	ReporterID     uuid.UUID  `bun:"reporter_id"`
	Reason         string     `bun:"reason"`
	Details        string     `bun:"details"`
	Status         string     `bun:"status"`
	CreatedAt      int64      `bun:"created_at"`
	ResolvedAt     *int64     `bun:"resolved_at"`
	DecisionID     *uuid.UUID `bun:"decision_id"`
}

func (r *debateReportRow) toDomain() participation.Report {
	out := participation.Report{
		ID: r.ID, ConsultationID: r.ConsultationID,
		Item:       participation.ItemRef{Kind: participation.ItemKind(r.ItemKind), ID: r.ItemID},
		ReporterID: r.ReporterID, Reason: participation.ReportReason(r.Reason), Details: r.Details,
		Status: participation.ReportStatus(r.Status), CreatedAt: fromMicros(r.CreatedAt), DecisionID: r.DecisionID,
	}
	if r.ResolvedAt != nil {
		out.ResolvedAt = fromMicros(*r.ResolvedAt)
	}
	return out
}

type debateModerationRow struct {
	bun.BaseModel `bun:"table:debate_moderation,alias:dm"`

	ID              uuid.UUID `bun:"id,pk"`
	ConsultationID  uuid.UUID `bun:"consultation_id"`
	ItemKind        string    `bun:"item_kind"`
	ItemID          uuid.UUID `bun:"item_id"`
	Kind            string    `bun:"kind"`
	Moderator       string    `bun:"moderator"`
	Note            string    `bun:"note"`
	ReportsResolved int       `bun:"reports_resolved"`
	At              int64     `bun:"at"`
}

func toDebateModerationRow(d *participation.ModerationDecision) *debateModerationRow {
	return &debateModerationRow{
		ID: d.ID, ConsultationID: d.ConsultationID, ItemKind: string(d.Item.Kind), ItemID: d.Item.ID,
		Kind: string(d.Kind), Moderator: d.Moderator, Note: d.Note, ReportsResolved: d.ReportsResolved,
		At: micros(d.At),
	}
}

func (r *debateModerationRow) toDomain() participation.ModerationDecision {
	return participation.ModerationDecision{
		ID: r.ID, ConsultationID: r.ConsultationID,
		Item: participation.ItemRef{Kind: participation.ItemKind(r.ItemKind), ID: r.ItemID},
		Kind: participation.DecisionKind(r.Kind), Moderator: r.Moderator, Note: r.Note,
		ReportsResolved: r.ReportsResolved, At: fromMicros(r.At),
	}
}

type debateProposalRow struct {
	bun.BaseModel `bun:"table:debate_proposals,alias:dp"`

	ID             uuid.UUID `bun:"id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	AuthorID       uuid.UUID `bun:"author_id"`
	Title          string    `bun:"title"`
	Body           string    `bun:"body"`
	Channel        string    `bun:"channel"`
	CollectedBy    string    `bun:"collected_by"`
	Place          string    `bun:"place"`
	Supports       int       `bun:"supports"`
	OpenReports    int       `bun:"open_reports"`
	HiddenBy       string    `bun:"hidden_by"`
	IdemKey        *string   `bun:"idem_key"`
	CreatedAt      int64     `bun:"created_at"`
}

func toDebateProposalRow(p *proposals.Proposal) *debateProposalRow {
	return &debateProposalRow{
		ID: p.ID, ConsultationID: p.ConsultationID, AuthorID: p.AuthorID, Title: p.Title, Body: p.Body,
		Channel: string(p.Provenance.Channel), CollectedBy: p.Provenance.CollectedBy, Place: p.Provenance.Place,
		Supports: p.Supports, OpenReports: p.Moderation.OpenReports, HiddenBy: string(p.Moderation.HiddenBy),
		IdemKey: debateIdem(p.IdempotencyKey), CreatedAt: micros(p.CreatedAt),
	}
}

func (r *debateProposalRow) toDomain() proposals.Proposal {
	return proposals.Proposal{
		ID: r.ID, ConsultationID: r.ConsultationID, AuthorID: r.AuthorID, Title: r.Title, Body: r.Body,
		Provenance: civickit.Provenance{
			Channel: civickit.Channel(r.Channel), CollectedBy: r.CollectedBy, Place: r.Place,
		},
		Supports:       r.Supports,
		Moderation:     participation.Moderation{HiddenBy: participation.HiddenBy(r.HiddenBy), OpenReports: r.OpenReports},
		IdempotencyKey: fromDebateIdem(r.IdemKey),
		CreatedAt:      fromMicros(r.CreatedAt),
	}
}

type debateSupportRow struct {
	bun.BaseModel `bun:"table:debate_supports,alias:dsp"`

	ProposalID    uuid.UUID `bun:"proposal_id,pk"`
	ParticipantID uuid.UUID `bun:"participant_id,pk"`
	Channel       string    `bun:"channel"`
	CollectedBy   string    `bun:"collected_by"`
	Place         string    `bun:"place"`
	SupportedAt   int64     `bun:"supported_at"`
}
