package debate

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Statement is a short, Polis-style proposition that participants agree
// with, disagree with or pass on. Participants propose them during the
// debate; organisers may seed some (AuthorID nil, SeededBy set).
type Statement struct {
	ID             uuid.UUID                `json:"id"`
	ConsultationID uuid.UUID                `json:"consultation_id"`
	AuthorID       *uuid.UUID               `json:"author_id,omitempty"` // pseudonymous participant
	SeededBy       string                   `json:"seeded_by,omitempty"` // organiser's user id
	Text           string                   `json:"text"`
	Provenance     civickit.Provenance      `json:"provenance"`
	Counts         OpinionCounts            `json:"counts"`
	Moderation     participation.Moderation `json:"moderation"`
	// IdempotencyKey, when set on an authored statement, makes a retried
	// proposal store it once; it is not published.
	IdempotencyKey string    `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
}

// OpinionCounts are the votes a statement received.
type OpinionCounts struct {
	Agree    int `json:"agree"`
	Disagree int `json:"disagree"`
	Pass     int `json:"pass"`
}

// Opinion is a vote on a statement.
type Opinion string

const (
	OpinionAgree    Opinion = "agree"
	OpinionDisagree Opinion = "disagree"
	OpinionPass     Opinion = "pass"
)

// Valid reports whether o is a known opinion.
func (o Opinion) Valid() bool { return o == OpinionAgree || o == OpinionDisagree || o == OpinionPass }

// Value is the opinion as Polis codes it: 1 agree, -1 disagree, 0 pass.
func (o Opinion) Value() int {
	switch o {
	case OpinionAgree:
		return 1
	case OpinionDisagree:
		return -1
	}
	return 0
}

// OpinionFromValue is the inverse of Opinion.Value; ok is false for any
// other value.
func OpinionFromValue(v int) (o Opinion, ok bool) {
	switch v {
	case 1:
		return OpinionAgree, true
	case -1:
		return OpinionDisagree, true
	case 0:
		return OpinionPass, true
	}
	return "", false
}

// StatementVote is a participant's opinion on a statement; one per
// participant per statement, which they may change.
type StatementVote struct {
	StatementID    uuid.UUID           `json:"statement_id"`
	ConsultationID uuid.UUID           `json:"consultation_id"`
	ParticipantID  uuid.UUID           `json:"participant_id"`
	Opinion        Opinion             `json:"opinion"`
	Provenance     civickit.Provenance `json:"provenance"`
	VotedAt        time.Time           `json:"voted_at"`
}

// VoterOpinion is a statement vote as exports see it: the participant is
// replaced by a voter pseudonym, random and proper to the consultation,
// that the store assigns at the participant's first statement vote.
type VoterOpinion struct {
	Voter       string    `json:"voter"`
	StatementID uuid.UUID `json:"statement_id"`
	Opinion     Opinion   `json:"opinion"`
}

// NewStatement is a statement a participant proposes.
type NewStatement struct {
	ConsultationID uuid.UUID           `json:"consultation_id"`
	AuthorID       uuid.UUID           `json:"author_id"`
	Text           string              `json:"text"`
	Provenance     civickit.Provenance `json:"provenance"`
	// IdempotencyKey (optional) makes a retry return the statement
	// stored the first time.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// ProposeStatement stores a participant's statement. The active phase
// must allow ActionPropose and the author must be eligible.
func (s *Service) ProposeStatement(ctx context.Context, in NewStatement) (*Statement, error) {
	ve := &civickit.ValidationError{}
	if in.ConsultationID == uuid.Nil {
		ve.Add("consultation_id", "required", "")
	}
	in.Text = participation.CheckText("text", in.Text, MaxStatementLen, true, ve)
	participation.CheckContributor("author_id", in.AuthorID, in.Provenance, ve)
	civickit.CheckIdempotencyKey("idempotency_key", in.IdempotencyKey, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	c, err := s.core.Admit(ctx, in.ConsultationID, in.AuthorID, participation.ActionPropose, in.Provenance)
	if err != nil {
		return nil, err
	}
	author := in.AuthorID
	st := &Statement{
		ID: s.newID(), ConsultationID: c.ID, AuthorID: &author, Text: in.Text,
		Provenance: in.Provenance, IdempotencyKey: in.IdempotencyKey, CreatedAt: s.now().UTC(),
	}
	replayed, err := s.store.CreateStatement(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("propose statement: %w", err)
	}
	if replayed {
		if st.Text != in.Text {
			return nil, fmt.Errorf("idempotency key %q: %w", in.IdempotencyKey, participation.ErrKeyReused)
		}
	}
	return st, nil
}

// SeedStatement stores a statement written by the organiser (moderator's
// user id in SeededBy) to start the conversation; it is a moderation
// action, allowed in every phase.
func (s *Service) SeedStatement(ctx context.Context, consultationID uuid.UUID, moderator, text string) (*Statement, error) {
	ve := &civickit.ValidationError{}
	moderator = participation.CheckText("moderator", moderator, participation.MaxModeratorLen, true, ve)
	text = participation.CheckText("text", text, MaxStatementLen, true, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	c, err := s.core.CheckAction(ctx, consultationID, participation.ActionModerate)
	if err != nil {
		return nil, err
	}
	st := &Statement{
		ID: s.newID(), ConsultationID: c.ID, SeededBy: moderator, Text: text,
		Provenance: civickit.Provenance{Channel: civickit.ChannelWeb}, CreatedAt: s.now().UTC(),
	}
	if _, err := s.store.CreateStatement(ctx, st); err != nil {
		return nil, fmt.Errorf("seed statement: %w", err)
	}
	return st, nil
}

// ListStatements returns a page of the consultation's statements,
// oldest first; hidden ones only when includeHidden (moderators), so
// that a page may hold fewer than limit statements and still have a
// Next.
func (s *Service) ListStatements(ctx context.Context, consultationID uuid.UUID, includeHidden bool, after string, limit int) (civickit.Page[Statement], error) {
	if _, err := s.core.GetConsultation(ctx, consultationID); err != nil {
		return civickit.Page[Statement]{}, fmt.Errorf("statements: %w", err)
	}
	page, err := s.store.ListStatements(ctx, consultationID, after, limit)
	if err != nil {
		return civickit.Page[Statement]{}, fmt.Errorf("statements: %w", err)
	}
	if !includeHidden {
		page.Items = slices.DeleteFunc(page.Items, func(st Statement) bool { return st.Moderation.Hidden() })
	}
	return page, nil
}

// allStatements returns every statement of the consultation, oldest
// first (hidden ones only when includeHidden).
func (s *Service) allStatements(ctx context.Context, consultationID uuid.UUID, includeHidden bool) ([]Statement, error) {
	return collect(func(after string, limit int) (civickit.Page[Statement], error) {
		return s.ListStatements(ctx, consultationID, includeHidden, after, limit)
	})
}

// VoteStatement records or changes a participant's opinion on a
// statement and returns the statement with its new counts. The phase
// must allow ActionStatementVote, the voter must be eligible and the
// statement visible.
func (s *Service) VoteStatement(ctx context.Context, v StatementVote) (*Statement, error) {
	ve := &civickit.ValidationError{}
	if v.StatementID == uuid.Nil {
		ve.Add("statement_id", "required", "")
	}
	if !v.Opinion.Valid() {
		ve.Add("opinion", "oneof", "agree disagree pass")
	}
	participation.CheckContributor("participant_id", v.ParticipantID, v.Provenance, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	st, err := s.store.GetStatement(ctx, v.StatementID)
	if err != nil {
		return nil, fmt.Errorf("vote statement: %w", err)
	}
	c, err := s.core.Admit(ctx, st.ConsultationID, v.ParticipantID, participation.ActionStatementVote, v.Provenance)
	if err != nil {
		return nil, err
	}
	if st.Moderation.Hidden() {
		return nil, &participation.TransitionError{Entity: "statement", From: "hidden", To: "voted"}
	}
	v.ConsultationID = c.ID
	v.VotedAt = s.now().UTC()
	voter := s.newSecretID()
	counts, err := s.store.VoteStatement(ctx, &v, hex.EncodeToString(voter[:]))
	if err != nil {
		return nil, fmt.Errorf("vote statement: %w", err)
	}
	st.Counts = counts
	return st, nil
}

// MatrixOptions shape the participant × statement matrix export.
type MatrixOptions struct {
	// Key keys the HMAC that turns voter pseudonyms into the exported
	// participant keys: the same Key gives the same keys in every export
	// of the consultation. When nil, a random key is drawn for each
	// export, so two exports cannot be linked row by row.
	Key []byte `json:"-"`
	// MinVotes leaves out participants with fewer votes on the exported
	// statements (0: everyone who voted).
	MinVotes int `json:"min_votes,omitempty"`
	// IncludeHidden also exports the statements moderation hid.
	IncludeHidden bool `json:"include_hidden,omitempty"`
	// PageSize is how many votes are read at a time (0:
	// civickit.MaxLimit).
	PageSize int `json:"page_size,omitempty"`
}

// MatrixFixedColumns are the first columns of the matrix export; one
// column per statement, named by the statement's ID, follows.
func MatrixFixedColumns() []string {
	return []string{"participant", "n_votes", "n_agree", "n_disagree", "n_pass"}
}

// OpinionMatrix streams the participant × statement matrix of a
// consultation, as Polis exports it: yield is called first with the
// header (MatrixFixedColumns, then the statement IDs, oldest first),
// then once per participant with a pseudonymous key (see
// MatrixOptions.Key), their vote counts and one cell per statement: "1"
// agree, "-1" disagree, "0" pass, "" no vote. Rows come in the order of
// the voter pseudonyms, which is random. No personal data and no
// participant ID is read or written. Memory grows with the number of
// statements, not of participants or votes. It stops at the first error
// of the store or of yield; yield may keep the row.
func (s *Service) OpinionMatrix(ctx context.Context, consultationID uuid.UUID, opts MatrixOptions, yield func(row []string) error) error {
	if opts.MinVotes < 0 {
		return civickit.Invalid("min_votes", "min", "0")
	}
	if opts.PageSize <= 0 {
		opts.PageSize = civickit.MaxLimit
	}
	key := opts.Key
	if key == nil {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return fmt.Errorf("opinion matrix: %w", err)
		}
	}
	statements, err := s.allStatements(ctx, consultationID, opts.IncludeHidden)
	if err != nil {
		return fmt.Errorf("opinion matrix: %w", err)
	}
	fixed := MatrixFixedColumns()
	col := make(map[uuid.UUID]int, len(statements))
	header := append([]string(nil), fixed...)
	for i, st := range statements {
		col[st.ID] = len(fixed) + i
		header = append(header, st.ID.String())
	}
	if err := yield(header); err != nil {
		return err
	}
	mac := hmac.New(sha256.New, key)
	cur := ""
	var counts [3]int // agree, disagree, pass
	cells := make([]string, len(header))
	flush := func() error {
		n := counts[0] + counts[1] + counts[2]
		if cur == "" || n == 0 || n < opts.MinVotes {
			return nil
		}
		mac.Reset()
		mac.Write([]byte(cur))
		row := make([]string, len(header))
		copy(row, cells)
		row[0] = hex.EncodeToString(mac.Sum(nil)[:10])
		row[1] = strconv.Itoa(n)
		row[2], row[3], row[4] = strconv.Itoa(counts[0]), strconv.Itoa(counts[1]), strconv.Itoa(counts[2])
		return yield(row)
	}
	after := ""
	for {
		page, err := s.store.ListOpinions(ctx, consultationID, after, opts.PageSize)
		if err != nil {
			return fmt.Errorf("opinion matrix: %w", err)
		}
		for _, o := range page.Items {
			if o.Voter != cur {
				if err := flush(); err != nil {
					return err
				}
				cur, counts = o.Voter, [3]int{}
				clear(cells)
			}
			i, ok := col[o.StatementID]
			if !ok {
				continue // a hidden statement
			}
			switch o.Opinion {
			case OpinionAgree:
				counts[0]++
			case OpinionDisagree:
				counts[1]++
			default:
				counts[2]++
			}
			cells[i] = strconv.Itoa(o.Opinion.Value())
		}
		if page.Next == "" {
			return flush()
		}
		after = page.Next
	}
}

// WriteOpinionMatrixCSV writes OpinionMatrix as CSV (RFC 4180) to w. On
// error, what was written so far is an incomplete file.
func (s *Service) WriteOpinionMatrixCSV(ctx context.Context, w io.Writer, consultationID uuid.UUID, opts MatrixOptions) error {
	cw := csv.NewWriter(w)
	if err := s.OpinionMatrix(ctx, consultationID, opts, cw.Write); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("opinion matrix: %w", err)
	}
	return nil
}

// StatementColumns are the columns of WriteStatementsCSV.
func StatementColumns() []string {
	return []string{"statement", "created_at", "seeded", "agree", "disagree", "pass", "hidden", "text"}
}

// WriteStatementsCSV writes the consultation's statements (hidden ones
// only when includeHidden), oldest first, as CSV with StatementColumns:
// the companion of the opinion matrix, whose statement columns are the
// IDs in its first column. Authors are not written.
func (s *Service) WriteStatementsCSV(ctx context.Context, w io.Writer, consultationID uuid.UUID, includeHidden bool) error {
	statements, err := s.allStatements(ctx, consultationID, includeHidden)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(StatementColumns()); err != nil {
		return fmt.Errorf("statements: %w", err)
	}
	for _, st := range statements {
		row := []string{
			st.ID.String(), st.CreatedAt.UTC().Format(time.RFC3339), strconv.FormatBool(st.AuthorID == nil),
			strconv.Itoa(st.Counts.Agree), strconv.Itoa(st.Counts.Disagree), strconv.Itoa(st.Counts.Pass),
			strconv.FormatBool(st.Moderation.Hidden()), st.Text,
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("statements: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("statements: %w", err)
	}
	return nil
}
