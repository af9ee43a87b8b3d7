package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"slices"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/proposals"
	"github.com/google/uuid"
)

// debateRoutes lists the routes of comments, statements, proposals,
// reports and moderation. Participants act as themselves
// (Principal.Participant) on the web channel; items are public without
// their author.
func (a *api) debateRoutes() []Route {
	c := "/api/v1/consultations/{consultation}"
	var rs []Route
	if a.part.Debate != nil {
		rs = append(rs,
			Route{Method: http.MethodGet, Pattern: c + "/comments", Summary: "a page of the consultation's comments in thread order (hidden ones blanked but for its moderators)",
				Answer: civickit.Page[publicComment]{}, handler: a.listComments},
			Route{Method: http.MethodPost, Pattern: c + "/comments", Summary: "post a comment, or a reply, as the caller", Access: RoleParticipant,
				Body: commentRequest{}, Answer: debate.Comment{}, handler: a.postComment},
			Route{Method: http.MethodPut, Pattern: "/api/v1/comments/{comment}", Summary: "edit one's own comment (the previous text is kept as a revision)", Access: RoleParticipant,
				Body: commentEdit{}, Answer: debate.Comment{}, handler: a.editComment},
			Route{Method: http.MethodPut, Pattern: "/api/v1/comments/{comment}/vote", Summary: "vote a comment up (1), down (-1) or withdraw the vote (0)", Access: RoleParticipant,
				Body: commentVote{}, Answer: publicComment{}, handler: a.voteComment},
			Route{Method: http.MethodGet, Pattern: "/api/v1/comments/{comment}/revisions", Summary: "a page of a comment's earlier texts, oldest first (a hidden comment's only for moderators)",
				Answer: civickit.Page[debate.CommentRevision]{}, handler: a.commentRevisions},
			Route{Method: http.MethodGet, Pattern: c + "/statements.csv", Summary: "the consultation's visible statements and their counts as CSV, without authors",
				handler: a.statementsCSV},
			Route{Method: http.MethodGet, Pattern: c + "/opinion-matrix.csv", Summary: "the participant × statement matrix as Polis exports it (?min_votes=): rows keyed afresh at each export, so two exports cannot be linked, and no participant ID",
				handler: a.opinionMatrixCSV},
			Route{Method: http.MethodGet, Pattern: c + "/statements", Summary: "a page of the consultation's statements with their agree/disagree/pass counts",
				Answer: civickit.Page[publicStatement]{}, handler: a.listStatements},
			Route{Method: http.MethodPost, Pattern: c + "/statements", Summary: "propose a statement as the caller", Access: RoleParticipant,
				Body: statementRequest{}, Answer: debate.Statement{}, handler: a.proposeStatement},
			Route{Method: http.MethodPost, Pattern: c + "/seed-statements", Summary: "seed a statement to start the conversation", Access: RoleModerator, Scope: "consultation",
				Body: statementRequest{}, Answer: debate.Statement{}, handler: a.seedStatement},
			Route{Method: http.MethodPut, Pattern: "/api/v1/statements/{statement}/opinion", Summary: "agree, disagree or pass on a statement", Access: RoleParticipant,
				Body: opinionRequest{}, Answer: publicStatement{}, handler: a.voteStatement},
		)
	}
	if a.part.Proposals != nil {
		rs = append(rs,
			Route{Method: http.MethodGet, Pattern: c + "/proposals", Summary: "a page of the consultation's visible proposals with their supports",
				Answer: civickit.Page[publicProposal]{}, handler: a.listProposals},
			Route{Method: http.MethodPost, Pattern: c + "/proposals", Summary: "submit a proposal as the caller", Access: RoleParticipant,
				Body: proposalRequest{}, Answer: proposals.Proposal{}, handler: a.submitProposal},
			Route{Method: http.MethodPut, Pattern: "/api/v1/proposals/{proposal}/support", Summary: "support a proposal (once per person, whatever the channel)", Access: RoleParticipant,
				Answer: publicProposal{}, handler: a.supportProposal},
			Route{Method: http.MethodDelete, Pattern: "/api/v1/proposals/{proposal}/support", Summary: "withdraw one's support of a proposal", Access: RoleParticipant,
				Answer: publicProposal{}, handler: a.withdrawSupport},
		)
	}
	rs = append(rs,
		Route{Method: http.MethodPost, Pattern: "/api/v1/reports", Summary: "report a comment, statement or proposal to the moderators", Access: RoleParticipant,
			Body: reportRequest{}, Answer: participation.ReportResult{}, handler: a.report},
		Route{Method: http.MethodGet, Pattern: c + "/moderation/queue", Summary: "a page of reported items awaiting a decision (?domain=debate or proposals)", Access: RoleModerator, Scope: "consultation",
			Answer: civickit.Page[participation.QueuedItem]{}, handler: a.moderationQueue},
		Route{Method: http.MethodGet, Pattern: c + "/moderation/decisions", Summary: "a page of the moderation log (?domain=debate or proposals)", Access: RoleModerator, Scope: "consultation",
			Answer: civickit.Page[participation.ModerationDecision]{}, handler: a.moderationDecisions},
		Route{Method: http.MethodGet, Pattern: c + "/moderation/reports", Summary: "a page of an item's reports (?kind=&id=)", Access: RoleModerator, Scope: "consultation",
			Answer: civickit.Page[participation.Report]{}, handler: a.itemReports},
		Route{Method: http.MethodPost, Pattern: c + "/moderation/decisions", Summary: "hide, restore an item or reject its reports", Access: RoleModerator, Scope: "consultation",
			Body: moderationRequest{}, Answer: moderationAnswer{}, handler: a.moderate},
	)
	return rs
}

type commentRequest struct {
	ParentID  *uuid.UUID       `json:"parent_id,omitempty"`
	Body      string           `json:"body"`
	Alignment debate.Alignment `json:"alignment,omitempty"`
}

type commentEdit struct {
	Body      string           `json:"body"`
	Alignment debate.Alignment `json:"alignment,omitempty"`
	Version   int              `json:"version"`
}

type commentVote struct {
	Value debate.CommentVoteValue `json:"value"`
}

type statementRequest struct {
	Text string `json:"text"`
}

type opinionRequest struct {
	Opinion debate.Opinion `json:"opinion"`
}

type proposalRequest struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

type reportRequest struct {
	Item    participation.ItemRef      `json:"item"`
	Reason  participation.ReportReason `json:"reason"`
	Details string                     `json:"details,omitempty"`
}

type moderationRequest struct {
	Item participation.ItemRef      `json:"item"`
	Kind participation.DecisionKind `json:"kind"`
	Note string                     `json:"note,omitempty"`
}

type moderationAnswer struct {
	Decision   participation.ModerationDecision `json:"decision"`
	Moderation participation.Moderation         `json:"moderation"`
}

// publicProvenance is a contribution's channel and place without the
// agent who collected it.
type publicProvenance struct {
	Channel civickit.Channel `json:"channel"`
	Place   string           `json:"place,omitempty"`
}

func publicOf(p civickit.Provenance) publicProvenance {
	return publicProvenance{Channel: p.Channel, Place: p.Place}
}

// publicComment is a comment as anyone sees it: the outer fields shadow
// the author and the collecting agent (encoding/json keeps the
// shallowest field of a name), which stay out of public answers.
type publicComment struct {
	debate.Comment
	AuthorID   *uuid.UUID       `json:"author_id,omitempty"`
	Provenance publicProvenance `json:"provenance"`
}

type publicStatement struct {
	debate.Statement
	AuthorID   *uuid.UUID       `json:"author_id,omitempty"`
	SeededBy   string           `json:"seeded_by,omitempty"`
	Provenance publicProvenance `json:"provenance"`
}

type publicProposal struct {
	proposals.Proposal
	AuthorID   *uuid.UUID       `json:"author_id,omitempty"`
	Provenance publicProvenance `json:"provenance"`
}

func newPublicComment(c debate.Comment) publicComment {
	return publicComment{Comment: c, Provenance: publicOf(c.Provenance)}
}

func newPublicStatement(s debate.Statement) publicStatement {
	return publicStatement{Statement: s, Provenance: publicOf(s.Provenance)}
}

func newPublicProposal(p proposals.Proposal) publicProposal {
	return publicProposal{Proposal: p, Provenance: publicOf(p.Provenance)}
}

// publicPage maps a page's items to their public view.
func publicPage[T, P any](p civickit.Page[T], f func(T) P) civickit.Page[P] {
	out := civickit.Page[P]{Items: make([]P, len(p.Items)), Next: p.Next}
	for i, it := range p.Items {
		out.Items[i] = f(it)
	}
	return out
}

func (a *api) listComments(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		mod := PrincipalFrom(r.Context()).Has(RoleModerator, c.ID)
		p, err := a.part.Debate.ListComments(r.Context(), c.ID, mod, after, limit)
		if err != nil || mod {
			return http.StatusOK, p, err
		}
		return http.StatusOK, publicPage(p, newPublicComment), nil
	})
}

func (a *api) postComment(w http.ResponseWriter, r *http.Request) {
	var in commentRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		cm, err := a.part.Debate.PostComment(r.Context(), debate.NewComment{ConsultationID: c.ID, ParentID: in.ParentID,
			AuthorID: participant(r), Body: in.Body, Alignment: in.Alignment, Provenance: web, IdempotencyKey: idempotencyKey(r)})
		return http.StatusCreated, cm, err
	})
}

func (a *api) editComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "comment")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in commentEdit
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	cm, err := a.part.Debate.EditComment(r.Context(), debate.CommentEdit{CommentID: id, AuthorID: participant(r),
		Body: in.Body, Alignment: in.Alignment, Version: in.Version})
	a.answer(w, r, http.StatusOK, cm, err)
}

func (a *api) voteComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "comment")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in commentVote
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	cm, err := a.part.Debate.VoteComment(r.Context(), debate.CommentVote{CommentID: id, ParticipantID: participant(r), Value: in.Value, Provenance: web})
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, newPublicComment(*cm))
}

func (a *api) commentRevisions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "comment")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	cm, err := a.part.Debate.GetComment(r.Context(), id)
	if err == nil {
		_, err = a.visibleConsultation(r, cm.ConsultationID)
	}
	if err == nil && cm.Moderation.Hidden() && !PrincipalFrom(r.Context()).Has(RoleModerator, cm.ConsultationID) {
		err = civickit.Sentinel(civickit.ErrNotFound, "httpapi: comment hidden")
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	after, limit, err := pageParams(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	p, err := a.part.Debate.ListCommentRevisions(r.Context(), id, after, limit)
	a.answer(w, r, http.StatusOK, p, err)
}

// statementsCSV writes the CSV into memory first: a consultation has at
// most a few thousand statements, and an error then is still a problem
// document rather than a cut file.
func (a *api) statementsCSV(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "consultation")
	if err == nil {
		_, err = a.visibleConsultation(r, id)
	}
	var buf bytes.Buffer
	if err == nil {
		err = a.part.Debate.WriteStatementsCSV(r.Context(), &buf, id, false)
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes()) // the client may have gone
}

func (a *api) opinionMatrixCSV(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "consultation")
	if err == nil {
		_, err = a.visibleConsultation(r, id)
	}
	q := queryParams{r: r}
	minVotes := q.int("min_votes")
	if err == nil {
		err = q.err()
	}
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	// A nil Key draws a fresh HMAC key per export.
	lw := &lazyWriter{w: w, ctype: "text/csv; charset=utf-8"}
	switch err := a.part.Debate.WriteOpinionMatrixCSV(r.Context(), lw, id, debate.MatrixOptions{MinVotes: minVotes}); {
	case err != nil && !lw.started:
		writeError(w, r, a.log, err)
	case err != nil:
		a.log.Error("opinion matrix failed midway", "pattern", r.Pattern, "err", err)
		panic(http.ErrAbortHandler)
	}
}

func (a *api) listStatements(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		mod := PrincipalFrom(r.Context()).Has(RoleModerator, c.ID)
		p, err := a.part.Debate.ListStatements(r.Context(), c.ID, mod, after, limit)
		if err != nil || mod {
			return http.StatusOK, p, err
		}
		return http.StatusOK, publicPage(p, newPublicStatement), nil
	})
}

func (a *api) proposeStatement(w http.ResponseWriter, r *http.Request) {
	var in statementRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		st, err := a.part.Debate.ProposeStatement(r.Context(), debate.NewStatement{ConsultationID: c.ID, AuthorID: participant(r),
			Text: in.Text, Provenance: web, IdempotencyKey: idempotencyKey(r)})
		return http.StatusCreated, st, err
	})
}

func (a *api) seedStatement(w http.ResponseWriter, r *http.Request) {
	var in statementRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		st, err := a.part.Debate.SeedStatement(r.Context(), c.ID, actor(r), in.Text)
		return http.StatusCreated, st, err
	})
}

func (a *api) voteStatement(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "statement")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	var in opinionRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	st, err := a.part.Debate.VoteStatement(r.Context(), debate.StatementVote{StatementID: id, ParticipantID: participant(r), Opinion: in.Opinion, Provenance: web})
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, newPublicStatement(*st))
}

func (a *api) listProposals(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		mod := PrincipalFrom(r.Context()).Has(RoleModerator, c.ID)
		p, err := a.part.Proposals.ListProposals(r.Context(), c.ID, mod, after, limit)
		if err != nil || mod {
			return http.StatusOK, p, err
		}
		return http.StatusOK, publicPage(p, newPublicProposal), nil
	})
}

func (a *api) submitProposal(w http.ResponseWriter, r *http.Request) {
	var in proposalRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		p, err := a.part.Proposals.SubmitProposal(r.Context(), proposals.NewProposal{ConsultationID: c.ID, AuthorID: participant(r),
			Title: in.Title, Body: in.Body, Provenance: web, IdempotencyKey: idempotencyKey(r)})
		return http.StatusCreated, p, err
	})
}

func (a *api) supportProposal(w http.ResponseWriter, r *http.Request) {
	a.proposalAction(w, r, func(id uuid.UUID) (*proposals.Proposal, error) {
		return a.part.Proposals.SupportProposal(r.Context(), proposals.Support{ProposalID: id, ParticipantID: participant(r), Provenance: web})
	})
}

func (a *api) withdrawSupport(w http.ResponseWriter, r *http.Request) {
	a.proposalAction(w, r, func(id uuid.UUID) (*proposals.Proposal, error) {
		return a.part.Proposals.WithdrawSupport(r.Context(), id, participant(r))
	})
}

func (a *api) proposalAction(w http.ResponseWriter, r *http.Request, f func(id uuid.UUID) (*proposals.Proposal, error)) {
	id, err := pathID(r, "proposal")
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	p, err := f(id)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	writeJSON(w, http.StatusOK, newPublicProposal(*p))
}

// moderator is the promoted moderation of package debate or proposals.
type moderator interface {
	Report(ctx context.Context, in participation.NewReport) (*participation.ReportResult, error)
	Moderate(ctx context.Context, r participation.ModerationRequest) (*participation.ModerationDecision, participation.Moderation, error)
	ListReports(ctx context.Context, item participation.ItemRef, after string, limit int) (civickit.Page[participation.Report], error)
	ListModerationQueue(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.QueuedItem], error)
	ListModerationDecisions(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[participation.ModerationDecision], error)
}

// moderatorOf returns the service moderating items of kind k.
func (a *api) moderatorOf(k participation.ItemKind) (moderator, error) {
	switch {
	case (k == participation.ItemComment || k == participation.ItemStatement) && a.part.Debate != nil:
		return a.part.Debate, nil
	case k == participation.ItemProposal && a.part.Proposals != nil:
		return a.part.Proposals, nil
	}
	return nil, civickit.Invalid("item.kind", "oneof", "comment statement proposal")
}

// moderatorOfDomain reads ?domain= (debate by default).
func (a *api) moderatorOfDomain(r *http.Request) (moderator, error) {
	switch d := r.URL.Query().Get("domain"); {
	case (d == "" || d == "debate") && a.part.Debate != nil:
		return a.part.Debate, nil
	case (d == "" || d == "proposals") && a.part.Proposals != nil:
		return a.part.Proposals, nil
	}
	return nil, civickit.Invalid("domain", "oneof", "debate proposals")
}

// itemIn refuses an item of another consultation than c: a moderator
// scoped to one consultation moderates only its items.
func (a *api) itemIn(ctx context.Context, c *participation.Consultation, item participation.ItemRef) error {
	found := false
	switch item.Kind {
	case participation.ItemComment:
		cm, err := a.part.Debate.GetComment(ctx, item.ID)
		if err != nil {
			return err
		}
		found = cm.ConsultationID == c.ID
	case participation.ItemStatement:
		all, err := collectAll(ctx, func(ctx context.Context, after string, limit int) (civickit.Page[debate.Statement], error) {
			return a.part.Debate.ListStatements(ctx, c.ID, true, after, limit)
		})
		if err != nil {
			return err
		}
		found = slices.ContainsFunc(all, func(s debate.Statement) bool { return s.ID == item.ID })
	case participation.ItemProposal:
		all, err := collectAll(ctx, func(ctx context.Context, after string, limit int) (civickit.Page[proposals.Proposal], error) {
			return a.part.Proposals.ListProposals(ctx, c.ID, true, after, limit)
		})
		if err != nil {
			return err
		}
		found = slices.ContainsFunc(all, func(p proposals.Proposal) bool { return p.ID == item.ID })
	}
	if !found {
		return civickit.Sentinel(civickit.ErrNotFound, "httpapi: no such item in this consultation")
	}
	return nil
}

func (a *api) report(w http.ResponseWriter, r *http.Request) {
	var in reportRequest
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	m, err := a.moderatorOf(in.Item.Kind)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	res, err := m.Report(r.Context(), participation.NewReport{Item: in.Item, ReporterID: participant(r), Reason: in.Reason, Details: in.Details})
	a.answer(w, r, http.StatusCreated, res, err)
}

func (a *api) moderationQueue(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		m, err := a.moderatorOfDomain(r)
		if err != nil {
			return 0, nil, err
		}
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := m.ListModerationQueue(r.Context(), c.ID, after, limit)
		return http.StatusOK, p, err
	})
}

func (a *api) moderationDecisions(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		m, err := a.moderatorOfDomain(r)
		if err != nil {
			return 0, nil, err
		}
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := m.ListModerationDecisions(r.Context(), c.ID, after, limit)
		return http.StatusOK, p, err
	})
}

func (a *api) itemReports(w http.ResponseWriter, r *http.Request) {
	a.withConsultation(w, r, func(c *participation.Consultation) (int, any, error) {
		q := r.URL.Query()
		id, err := uuid.Parse(q.Get("id"))
		if err != nil {
			return 0, nil, civickit.Invalid("id", "uuid", "")
		}
		item := participation.ItemRef{Kind: participation.ItemKind(q.Get("kind")), ID: id}
		m, err := a.moderatorOf(item.Kind)
		if err != nil {
			return 0, nil, err
		}
		if err := a.itemIn(r.Context(), c, item); err != nil {
			return 0, nil, err
		}
		after, limit, err := pageParams(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := m.ListReports(r.Context(), item, after, limit)
		return http.StatusOK, p, err
	})
}

func (a *api) moderate(w http.ResponseWriter, r *http.Request) {
	var in moderationRequest
	a.withBody(w, r, &in, func(c *participation.Consultation) (int, any, error) {
		m, err := a.moderatorOf(in.Item.Kind)
		if err != nil {
			return 0, nil, err
		}
		if err := a.itemIn(r.Context(), c, in.Item); err != nil {
			return 0, nil, err
		}
		d, mod, err := m.Moderate(r.Context(), participation.ModerationRequest{Item: in.Item, Kind: in.Kind, Moderator: actor(r), Note: in.Note})
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, moderationAnswer{Decision: *d, Moderation: mod}, nil
	})
}
