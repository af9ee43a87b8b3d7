package ballotbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// Change is one line of the change log: a recount that read a paper
// sheet differently. The board shows the correction as an entry that
// Replaces the old one.
type Change struct {
	ID         uuid.UUID `json:"id"`
	ElectionID uuid.UUID `json:"election"`
	BatchID    uuid.UUID `json:"batch"`
	Pos        int       `json:"pos"`
	Round      int       `json:"round"`
	// OldTracker is "" when the sheet was spoiled before; NewTracker is the
	// correcting entry (a void one when the sheet is now spoiled).
	OldTracker string `json:"old_tracker,omitempty"`
	NewTracker string `json:"new_tracker"`
	Agent      string `json:"agent"`
	Reason     string `json:"reason"`
	// At is the day of the recount.
	At time.Time `json:"at"`
}

// RecountBatch records a recount of a committed batch: sheets holds the
// new reading of every sheet. Each sheet read differently is corrected on
// the board (an entry replacing the old one) and logged as a Change, with
// the agent and the reason. It returns the changes (none when the recount
// confirms the batch).
func (s *Service) RecountBatch(ctx context.Context, batchID uuid.UUID, agent, reason string, sheets []Sheet) ([]Change, error) {
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
	if b.State != BatchCommitted {
		return nil, fmt.Errorf("%w: batch %s is %s, not committed", ErrConflict, b.ID, b.State)
	}
	if err := s.checkSheets(e, b, sheets); err != nil {
		return nil, err
	}
	round := b.Recounts + 1
	var changes []Change
	for i, sh := range sheets {
		it := &b.Items[i]
		if it.Voided || sameSheet(e, it.Sheet, sh) {
			continue // a voided sheet never counts, whatever it reads
		}
		ch := Change{ID: s.newID(), ElectionID: e.ID, BatchID: b.ID, Pos: i, Round: round,
			OldTracker: it.Tracker, Agent: agent, Reason: reason, At: day(s.now())}
		r, err := s.appendSheet(ctx, e, b, i, round, sh, it.Tracker, &ch, false)
		if err != nil {
			return nil, err
		}
		ch.NewTracker = r.Tracker
		it.Sheet = sh
		it.Tracker = ""
		if sh.Ballot != nil {
			it.Tracker = r.Tracker
		}
		changes = append(changes, ch)
	}
	b.Recounts = round
	b.UpdatedAt = day(s.now())
	if err := s.store.UpdateBatch(ctx, b); err != nil {
		return nil, err
	}
	return changes, nil
}

// ListChanges returns a page of an election's change log, oldest first.
func (s *Service) ListChanges(ctx context.Context, electionID uuid.UUID, after string, limit int) (civickit.Page[Change], error) {
	return s.store.ListChanges(ctx, electionID, after, limit)
}
