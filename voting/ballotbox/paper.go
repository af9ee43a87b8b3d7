package ballotbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/civickit/civickit"
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
	// BatchExcess: some sheets would make the sheets counted at the
	// batch's place outnumber the voters marked there; they are held
	// apart (BatchItem.Excess) until an official voids them (VoidSheet)
	// or more voters are marked and CommitBatch is run again.
	BatchExcess BatchState = "excess"
	// BatchCommitted: every sheet is on the board, spoiled or voided.
	BatchCommitted BatchState = "committed"
)

// Batch is a bundle of paper ballots from one polling place, entered by
// agents.
type Batch struct {
	ID         uuid.UUID `json:"id"`
	ElectionID uuid.UUID `json:"election_id"`
	// Place is the polling place, as its paper sessions name it: its
	// sheets are counted against the voters marked there.
	Place string `json:"place"`
	// Sheets is how many paper sheets the bundle holds, as counted at the
	// place; every keying must enter exactly that many.
	Sheets int `json:"sheets"`
	// DoubleKeyed asks two agents to key the batch independently; sheets
	// they disagree on are disputed.
	DoubleKeyed bool     `json:"double_keyed,omitempty"`
	Keyings     []Keying `json:"keyings,omitempty"`
	// Items are the reconciled sheets, by position, once keyed.
	Items    []BatchItem `json:"items,omitempty"`
	State    BatchState  `json:"state"`
	Recounts int         `json:"recounts,omitempty"`
	Version  int         `json:"version"`
	// CreatedAt and UpdatedAt are kept to the day, like ballots.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
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
	// Excess: counting the sheet would make the place's sheets outnumber
	// its marked voters; it waits for VoidSheet or more marks.
	Excess bool `json:"excess,omitempty"`
	// Voided: an official set the sheet aside (VoidSheet): it never
	// counts. VoidedBy and VoidReason say who and why.
	Voided     bool   `json:"voided,omitempty"`
	VoidedBy   string `json:"voided_by,omitempty"`
	VoidReason string `json:"void_reason,omitempty"`
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

// Excesses returns the positions of the batch's excess sheets.
func (b *Batch) Excesses() []int {
	var out []int
	for i, it := range b.Items {
		if it.Excess {
			out = append(out, i)
		}
	}
	return out
}

// state derives a keyed batch's state from its items.
func (b *Batch) state() BatchState {
	switch {
	case len(b.Items) == 0:
		return BatchKeying
	case len(b.Disputes()) > 0:
		return BatchDisputed
	case len(b.Excesses()) > 0:
		return BatchExcess
	}
	return BatchCommitted
}

// NewBatch describes a batch to create.
type NewBatch struct {
	ElectionID  uuid.UUID `json:"election_id"`
	Place       string    `json:"place"`
	Sheets      int       `json:"sheets"`
	DoubleKeyed bool      `json:"double_keyed,omitempty"`
}

// CreateBatch opens a batch of paper ballots for keying. Paper batches may
// be entered from the opening of the election on, also after the close
// (counting happens at the end of the day).
func (s *Service) CreateBatch(ctx context.Context, nb NewBatch) (*Batch, error) {
	ve := &civickit.ValidationError{}
	if strings.TrimSpace(nb.Place) == "" {
		ve.Add("place", "required", "")
	}
	if nb.Sheets <= 0 {
		ve.Add("sheets", "gt", "0")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	e, err := s.store.GetElection(ctx, nb.ElectionID)
	if err != nil {
		return nil, err
	}
	if err := s.admitPaper(ctx, e, nb.Place); err != nil {
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

// ListBatches returns a page of an election's batches, ordered by ID.
func (s *Service) ListBatches(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[Batch], error) {
	return s.store.ListBatches(ctx, electionID, after, limit)
}

// ListPlaces returns a page of the paper reconciliation of the election's
// polling places (voters marked and sheets counted), ordered by place.
func (s *Service) ListPlaces(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[PlaceCount], error) {
	return s.store.ListPlaces(ctx, electionID, after, limit)
}

// admitPaper asks the Gate to admit a write to a paper batch at place.
func (s *Service) admitPaper(ctx context.Context, e *Election, place string) error {
	return s.admit(ctx, e, Admission{Action: ActionPaperCommit, Channel: civickit.ChannelPaper, Place: place})
}

// batchOf loads a batch, its election, and asks the Gate to admit a
// write to it.
func (s *Service) batchOf(ctx context.Context, batchID uuid.UUID) (*Batch, *Election, error) {
	b, err := s.store.GetBatch(ctx, batchID)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.store.GetElection(ctx, b.ElectionID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.admitPaper(ctx, e, b.Place); err != nil {
		return nil, nil, err
	}
	return b, e, nil
}

// checkSheets validates a keying: the declared number of sheets, each
// ballot valid for its questions.
func (s *Service) checkSheets(e *Election, b *Batch, sheets []Sheet) error {
	if len(sheets) != b.Sheets {
		return civickit.Invalid("sheets", "len", strconv.Itoa(b.Sheets))
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
// person) has keyed it: the sheets both read alike are committed, the
// others are held as disputed. An invalid ballot refuses the whole keying
// (mark a null sheet Spoiled) and writes nothing.
//
// Committing a sheet (a ballot or a spoiled sheet) counts it against the
// voters marked at the batch's place (MarkPaperVoter), across all its
// batches: once the place's sheets reach its marked voters, the remaining
// sheets are held as excess (BatchExcess) and never counted, until an
// official voids them (VoidSheet) or more voters are marked and
// CommitBatch is run again. So a person refused at the polling place
// because they voted already cannot be counted twice through a paper
// sheet.
func (s *Service) KeyBatch(ctx context.Context, batchID uuid.UUID, agent string, sheets []Sheet) (*Batch, error) {
	if strings.TrimSpace(agent) == "" {
		return nil, civickit.Invalid("agent", "required", "")
	}
	b, e, err := s.batchOf(ctx, batchID)
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
		return nil, civickit.Invalid("agent", "distinct_agent", agent)
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
		return nil, civickit.Invalid("agent", "required", "")
	}
	b, e, err := s.batchOf(ctx, batchID)
	if err != nil {
		return nil, err
	}
	if pos < 0 || pos >= len(b.Items) || !b.Items[pos].Disputed {
		return nil, civickit.Invalid("pos", "disputed", strconv.Itoa(pos))
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

// VoidSheet sets aside the excess sheet at pos, as an official decided
// when reconciling the place's sheets with its marked voters: it never
// counts. Then the batch's other sheets are committed again (as by
// CommitBatch). agent and reason are kept on the sheet.
func (s *Service) VoidSheet(ctx context.Context, batchID uuid.UUID, pos int, agent, reason string) (*Batch, error) {
	ve := &civickit.ValidationError{}
	if strings.TrimSpace(agent) == "" {
		ve.Add("agent", "required", "")
	}
	if strings.TrimSpace(reason) == "" {
		ve.Add("reason", "required", "")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	b, e, err := s.batchOf(ctx, batchID)
	if err != nil {
		return nil, err
	}
	if pos < 0 || pos >= len(b.Items) || !b.Items[pos].Excess {
		return nil, civickit.Invalid("pos", "excess", strconv.Itoa(pos))
	}
	it := &b.Items[pos]
	it.Excess, it.Voided, it.VoidedBy, it.VoidReason = false, true, agent, reason
	b.UpdatedAt = day(s.now())
	if err := s.store.UpdateBatch(ctx, b); err != nil {
		return nil, err
	}
	return s.commitBatch(ctx, e, b)
}

// CommitBatch puts on the board every agreed sheet of a keyed batch that
// is not there yet. KeyBatch, ResolveSheet and VoidSheet do it
// themselves; call it to count excess sheets once more voters were marked
// at the place, or to finish a commit that an outage interrupted: sheets
// already on the board are found by their idempotency keys, never written
// twice.
func (s *Service) CommitBatch(ctx context.Context, batchID uuid.UUID) (*Batch, error) {
	b, e, err := s.batchOf(ctx, batchID)
	if err != nil {
		return nil, err
	}
	if len(b.Items) == 0 {
		return nil, fmt.Errorf("%w: batch %s is not keyed yet", ErrConflict, b.ID)
	}
	return s.commitBatch(ctx, e, b)
}

// paperKey is the idempotency key of a batch sheet in a recount round:
// committing again after a crash finds the sheets already on the board.
func (s *Service) paperKey(e *Election, b *Batch, pos, round int) string {
	return s.requestKey(e.ID, "batch:"+b.ID.String(), fmt.Sprintf("%d/%d", pos, round))
}

// commitBatch counts every agreed sheet of b not yet counted nor set
// aside, each taking one of the place's marked voters; once none is left
// the rest are held as excess. Then it stores the batch with its trackers
// and state.
func (s *Service) commitBatch(ctx context.Context, e *Election, b *Batch) (*Batch, error) {
	full := false
	for i := range b.Items {
		it := &b.Items[i]
		if it.Disputed || it.Committed || it.Voided {
			continue
		}
		if full {
			// Marks may arrive meanwhile; the next commit tries again.
			it.Excess = true
			continue
		}
		r, err := s.appendSheet(ctx, e, b, i, b.Recounts, it.Sheet, "", nil, true)
		if errors.Is(err, ErrExcess) {
			it.Excess, full = true, true
			continue
		}
		if err != nil {
			return nil, err
		}
		if it.Sheet.Ballot != nil {
			it.Tracker = r.Tracker
		}
		it.Excess, it.Committed = false, true
	}
	b.State = b.state()
	if err := s.store.UpdateBatch(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// appendSheet writes sheet pos of b, correcting the ballot tracked by
// replaces when set. A new sheet takes one of the place's marked voters;
// it goes on the board unless spoiled.
func (s *Service) appendSheet(ctx context.Context, e *Election, b *Batch, pos, round int, sh Sheet, replaces string, ch *Change, newSheet bool) (Receipt, error) {
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
		Replaces: replaces, NewSheet: newSheet, Channel: civickit.ChannelPaper, Place: b.Place, Day: day(s.now()), Change: ch,
	})
}
