package ballotbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// An election that belongs to a wider process opens and closes when the
// process says so: OpenNow and CloseNow move its window to the present,
// within the rules of the public definition.
//
// Opening early changes Opens, which the board's genesis hash covers; it
// is allowed only before the window opened, while the board is still
// empty, so the genesis simply follows the new definition (as for any
// change before the opening). Closing early cannot change Closes once
// ballots chain from the genesis: it sets the election's ClosedAt, which
// ends the window for every check (Election.End), and an exported board
// carries it in its header (BoardHeader.ClosedAt), which the genesis does
// not cover; Verify checks that it falls within the published window.

// maxWindowTries bounds the retries of OpenNow and CloseNow when a
// concurrent update changed the election's version.
const maxWindowTries = 5

// OpenNow opens an election at the present time, when its process opens
// the vote before the published Opens: Opens becomes now. It is allowed
// only before the window opened (ErrClosed, which matches
// civickit.ErrWrongState, once it has closed); on an election already open
// it changes nothing, so that a repeated call is harmless. It returns the
// stored election.
func (s *Service) OpenNow(ctx context.Context, electionID uuid.UUID) (*Election, error) {
	return s.moveWindow(ctx, electionID, func(e *Election, now time.Time) (bool, error) {
		switch {
		case e.Closed(now):
			return false, fmt.Errorf("%w: election %s closed at %s", ErrClosed, e.ID, e.End().UTC().Format(time.RFC3339))
		case e.Open(now):
			return false, nil
		}
		e.Opens = now
		return true, nil
	})
}

// CloseNow closes an election at the present time, when its process ends
// the vote before the published Closes: the window ends now (ClosedAt).
// It only shortens the window: on an election already closed it changes
// nothing. Closed before it opened, an election never opens. Paper
// batches may still be counted after the close, as after any close;
// offline submissions sync within Options.SyncGrace of the early close.
// It returns the stored election.
func (s *Service) CloseNow(ctx context.Context, electionID uuid.UUID) (*Election, error) {
	e, err := s.closeNow(ctx, electionID)
	if err != nil {
		return nil, err
	}
	// The queue's last batch: the board is complete once closed.
	if _, err := s.Sequence(ctx, electionID); err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Service) closeNow(ctx context.Context, electionID uuid.UUID) (*Election, error) {
	return s.moveWindow(ctx, electionID, func(e *Election, now time.Time) (bool, error) {
		if e.Closed(now) {
			return false, nil
		}
		at := now
		e.ClosedAt = &at
		return true, nil
	})
}

// moveWindow applies change to the stored election and stores it, again
// on a concurrent update.
func (s *Service) moveWindow(ctx context.Context, id uuid.UUID, change func(e *Election, now time.Time) (bool, error)) (*Election, error) {
	for try := 0; ; try++ {
		e, err := s.store.GetElection(ctx, id)
		if err != nil {
			return nil, err
		}
		now := s.now()
		changed, err := change(e, now)
		switch {
		case err != nil:
			return nil, err
		case !changed:
			return e, nil
		}
		e.UpdatedAt = now
		err = s.store.UpdateElection(ctx, e)
		switch {
		case err == nil:
			return e, nil
		case !errors.Is(err, ErrConflict) || try+1 == maxWindowTries:
			return nil, err
		}
	}
}
