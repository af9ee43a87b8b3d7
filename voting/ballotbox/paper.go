package ballotbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// BatchState is where a paper batch stands.
type BatchState string

const (
	// BatchKeying waits for its keyings (one, or two when double keyed).
	BatchKeying BatchState = "keying"
	// BatchDisputed: the two keyings disagree on some sheets, held apart
	// until ResolveSheet settles each.
	BatchDisputed BatchState = "disputed"
	// BatchCommitted: every sheet is on the board (or spoiled).
	BatchCommitted BatchState = "committed"
)

// Batch is a bundle of paper ballots from one polling place, entered by
// agents.
type Batch struct {
	ID         uuid.UUID
	ElectionID uuid.UUID
	Place      string
	// Sheets is how many paper sheets the bundle holds, as counted at the
	// place; every keying must enter exactly that many.
	Sheets int
	// DoubleKeyed asks two agents to key the batch independently; sheets
	// they disagree on are disputed.
	DoubleKeyed bool
	Keyings     []Keying
	// Items are the reconciled sheets, by position, once keyed.
	Items    []BatchItem
	State    BatchState
	Recounts int
	Version  int
	// CreatedAt and UpdatedAt are kept to the day, like ballots.
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Keying is one agent's entry of a batch.
type Keying struct {
	Agent  string  `json:"agent"`
	Sheets []Sheet `json:"sheets"`
}

// Sheet is one paper ballot as keyed: a ballot, or a spoiled (null) sheet.
type Sheet struct {
	Ballot  *Ballot `json:"ballot,omitempty"`
	Spoiled bool    `json:"spoiled,omitempty"`
}

// BatchItem is a reconciled sheet.
type BatchItem struct {
	Sheet Sheet `json:"sheet"`
	// Disputed: the keyings disagree; Alternatives holds each agent's
	// reading until the dispute is resolved.
	Disputed     bool    `json:"disputed,omitempty"`
	Alternatives []Sheet `json:"alternatives,omitempty"`
	// Tracker is the board entry of the sheet's ballot, once committed ("" for a spoiled sheet).
	Tracker   string `json:"tracker,omitempty"`
	Committed bool   `json:"committed,omitempty"`
}

// Disputes returns the positions of the batch's disputed sheets.
func (b *Batch) Disputes() []int {
	var out []int
	for i, it := range b.Items {
		if it.Disputed {
			out = append(out, i)
		}
	}
	return out
}

// NewBatch describes a batch to create.
type NewBatch struct {
	ElectionID  uuid.UUID
	Place       string
	Sheets      int
	DoubleKeyed bool
}

// CreateBatch opens a batch of paper ballots for keying. Paper batches may
// be entered from the opening of the election on, also after the close
// (counting happens at the end of the day).
func (s *Service) CreateBatch(ctx context.Context, nb NewBatch) (*Batch, error) {
	var fs []FieldError
	if strings.TrimSpace(nb.Place) == "" {
		fs = append(fs, FieldError{Field: "place", Rule: "required"})
	}
	if nb.Sheets <= 0 {
		fs = append(fs, FieldError{Field: "sheets", Rule: "gt", Param: "0"})
	}
	if len(fs) > 0 {
		return nil, &ValidationError{Fields: fs}
	}
	e, err := s.store.GetElection(ctx, nb.ElectionID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.Before(e.Opens) {
		return nil, fmt.Errorf("%w: the election has not opened", ErrClosed)
	}
	b := &Batch{ID: s.newID(), ElectionID: e.ID, Place: nb.Place, Sheets: nb.Sheets, DoubleKeyed: nb.DoubleKeyed,
		State: BatchKeying, CreatedAt: day(now), UpdatedAt: day(now)}
	if err := s.store.CreateBatch(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Batch returns a stored batch.
func (s *Service) Batch(ctx context.Context, id uuid.UUID) (*Batch, error) {
	return s.store.GetBatch(ctx, id)
}

// checkSheets validates a keying: the declared number of sheets, each
// ballot valid for its questions.
func (s *Service) checkSheets(e *Election, b *Batch, sheets []Sheet) error {
	if len(sheets) != b.Sheets {
		return &ValidationError{Fields: []FieldError{{Field: "sheets", Rule: "len", Param: strconv.Itoa(b.Sheets)}}}
	}
	for i, sh := range sheets {
		if err := s.checkSheet(e, sh); err != nil {
			var be *BallotError
			if errors.As(err, &be) {
				be.Detail = strings.TrimPrefix(fmt.Sprintf("sheet %d; %s", i, be.Detail), "; ")
			}
			return err
		}
	}
	return nil
}

func (s *Service) checkSheet(e *Election, sh Sheet) error {
	switch {
	case sh.Spoiled && sh.Ballot != nil:
		return &BallotError{Rule: "spoiled", Detail: "a spoiled sheet carries no ballot"}
	case !sh.Spoiled && sh.Ballot == nil:
		return &BallotError{Rule: "missing", Detail: "a sheet is a ballot or spoiled"}
	case sh.Ballot != nil:
		return e.CheckBallot(s.reg, *sh.Ballot)
	}
	return nil
}

// sameSheet compares two readings of a sheet by their canonical ballots.
func sameSheet(e *Election, a, b Sheet) bool {
	if a.Spoiled || b.Spoiled || a.Ballot == nil || b.Ballot == nil {
		return a.Spoiled == b.Spoiled && (a.Ballot == nil) == (b.Ballot == nil)
	}
	return bytes.Equal(e.Canonical(*a.Ballot), e.Canonical(*b.Ballot))
}

// KeyBatch records one agent's keying of a batch. A single-keyed batch is
// committed at once; a double-keyed one when the second agent (another
// person) has keyed it: the sheets both read alike go on the board, the
// others are held as disputed. An invalid ballot refuses the whole keying
// (mark a null sheet Spoiled) and writes nothing.
func (s *Service) KeyBatch(ctx context.Context, batchID uuid.UUID, agent string, sheets []Sheet) (*Batch, error) {
	if strings.TrimSpace(agent) == "" {
		return nil, &ValidationError{Fields: []FieldError{{Field: "agent", Rule: "required"}}}
	}
	b, err := s.store.GetBatch(ctx, batchID)
	if err != nil {
		return nil, err
	}
	e, err := s.store.GetElection(ctx, b.ElectionID)
	if err != nil {
		return nil, err
	}
	want := 1
	if b.DoubleKeyed {
		want = 2
	}
	switch {
	case b.State != BatchKeying || len(b.Keyings) >= want:
		return nil, fmt.Errorf("%w: batch %s is %s", ErrConflict, b.ID, b.State)
	case len(b.Keyings) == 1 && b.Keyings[0].Agent == agent:
		return nil, &ValidationError{Fields: []FieldError{{Field: "agent", Rule: "distinct_agent", Param: agent}}}
	}
	if err := s.checkSheets(e, b, sheets); err != nil {
		return nil, err
	}
	b.Keyings = append(b.Keyings, Keying{Agent: agent, Sheets: sheets})
	if len(b.Keyings) == want {
		b.Items = make([]BatchItem, b.Sheets)
		for i := range b.Items {
			first := b.Keyings[0].Sheets[i]
			b.Items[i].Sheet = first
			if want == 2 && !sameSheet(e, first, b.Keyings[1].Sheets[i]) {
				b.Items[i] = BatchItem{Disputed: true, Alternatives: []Sheet{first, b.Keyings[1].Sheets[i]}}
			}
		}
	}
	b.UpdatedAt = day(s.now())
	if err := s.store.UpdateBatch(ctx, b); err != nil {
		return nil, err
	}
	if len(b.Items) == 0 {
		return b, nil
	}
	return s.commitBatch(ctx, e, b)
}

// ResolveSheet settles the disputed sheet at pos with the reading an
// agent established (by looking at the paper) and commits it.
func (s *Service) ResolveSheet(ctx context.Context, batchID uuid.UUID, pos int, agent string, sh Sheet) (*Batch, error) {
	if strings.TrimSpace(agent) == "" {
		return nil, &ValidationError{Fields: []FieldError{{Field: "agent", Rule: "required"}}}
	}
	b, err := s.store.GetBatch(ctx, batchID)
	if err != nil {
		return nil, err
	}
	e, err := s.store.GetElection(ctx, b.ElectionID)
	if err != nil {
		return nil, err
	}
	if pos < 0 || pos >= len(b.Items) || !b.Items[pos].Disputed {
		return nil, &ValidationError{Fields: []FieldError{{Field: "pos", Rule: "disputed", Param: strconv.Itoa(pos)}}}
	}
	if err := s.checkSheet(e, sh); err != nil {
		return nil, err
	}
	b.Items[pos] = BatchItem{Sheet: sh}
	b.UpdatedAt = day(s.now())
	if err := s.store.UpdateBatch(ctx, b); err != nil {
		return nil, err
	}
	return s.commitBatch(ctx, e, b)
}

// CommitBatch puts on the board every agreed sheet of a keyed batch that
// is not there yet. KeyBatch and ResolveSheet do it themselves; call it to
// finish a commit that an outage interrupted: sheets already on the board
// are found by their idempotency keys, never written twice.
func (s *Service) CommitBatch(ctx context.Context, batchID uuid.UUID) (*Batch, error) {
	b, err := s.store.GetBatch(ctx, batchID)
	if err != nil {
		return nil, err
	}
	if len(b.Items) == 0 {
		return nil, fmt.Errorf("%w: batch %s is not keyed yet", ErrConflict, b.ID)
	}
	e, err := s.store.GetElection(ctx, b.ElectionID)
	if err != nil {
		return nil, err
	}
	return s.commitBatch(ctx, e, b)
}

// paperKey is the idempotency key of a batch sheet in a recount round:
// committing again after a crash finds the sheets already on the board.
func (s *Service) paperKey(e *Election, b *Batch, pos, round int) string {
	return s.requestKey(e.ID, "batch:"+b.ID.String(), fmt.Sprintf("%d/%d", pos, round))
}

// commitBatch puts every agreed, uncommitted sheet of b on the board, then
// stores the batch with its trackers and state.
func (s *Service) commitBatch(ctx context.Context, e *Election, b *Batch) (*Batch, error) {
	for i := range b.Items {
		it := &b.Items[i]
		if it.Disputed || it.Committed {
			continue
		}
		if it.Sheet.Ballot != nil {
			r, err := s.appendSheet(ctx, e, b, i, b.Recounts, it.Sheet, "", nil)
			if err != nil {
				return nil, err
			}
			it.Tracker = r.Tracker
		}
		it.Committed = true
	}
	b.State = BatchCommitted
	if len(b.Disputes()) > 0 {
		b.State = BatchDisputed
	}
	if err := s.store.UpdateBatch(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// appendSheet writes sheet pos of b to the board, correcting the ballot
// tracked by replaces when set.
func (s *Service) appendSheet(ctx context.Context, e *Election, b *Batch, pos, round int, sh Sheet, replaces string, ch *Change) (Receipt, error) {
	var canonical []byte
	if sh.Ballot != nil {
		canonical = e.Canonical(*sh.Ballot)
	}
	digest := BallotDigest(canonical)
	reqKey := s.paperKey(e, b, pos, round)
	if r, ok, err := s.replay(ctx, e.ID, reqKey, digest); ok || err != nil {
		return r, err
	}
	tracker, err := s.newTracker()
	if err != nil {
		return Receipt{}, err
	}
	if ch != nil {
		ch.NewTracker = tracker
	}
	return s.store.Append(ctx, &Append{
		ElectionID: e.ID, RequestKey: reqKey, Digest: digest, Tracker: tracker, Ballot: canonical,
		Replaces: replaces, Channel: ChannelPaper, Place: b.Place, Day: day(s.now()), Change: ch,
	})
}
