package ballotbox

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"slices"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// ReceiptCheck is what a voter learns from their tracker.
type ReceiptCheck struct {
	// Entry is the board entry the tracker names.
	Entry Entry `json:"entry"`
	// Counted is true while no later entry replaces it and it carries a
	// ballot.
	Counted bool `json:"counted"`
	// ReplacedBy is the tracker of the entry that superseded it (a revote,
	// a recount correction), if any.
	ReplacedBy string `json:"replaced_by,omitempty"`
	// Head is the board's published head when checked.
	Head Head `json:"head"`
}

// CheckReceipt finds a tracker on the board. ErrNotFound when absent.
func (s *Service) CheckReceipt(ctx context.Context, electionID uuid.UUID, tracker string) (ReceiptCheck, error) {
	if el, err := s.store.GetElection(ctx, electionID); err != nil {
		return ReceiptCheck{}, err
	} else if err := s.settle(ctx, el); err != nil {
		return ReceiptCheck{}, err
	}
	e, by, err := s.store.EntryByTracker(ctx, electionID, tracker)
	if err != nil {
		return ReceiptCheck{}, err
	}
	h, err := s.store.Head(ctx, electionID)
	if err != nil {
		return ReceiptCheck{}, err
	}
	return ReceiptCheck{Entry: e, Counted: by == "" && !e.Void(), ReplacedBy: by, Head: h}, nil
}

// Head returns the board's head, which may be published at any time: it
// reveals the number of entries, not their content.
func (s *Service) Head(ctx context.Context, electionID uuid.UUID) (Head, error) {
	// After the close the head published is the final one: the queue's
	// last batch first.
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return Head{}, err
	}
	if err := s.settle(ctx, e); err != nil {
		return Head{}, err
	}
	return s.store.Head(ctx, electionID)
}

// entries yields the first n entries of the board.
func (s *Service) entries(ctx context.Context, electionID uuid.UUID, n int64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		if n == 0 {
			return
		}
		for e, err := range s.store.Entries(ctx, electionID, 0) {
			if !yield(e, err) || err != nil || e.Index+1 >= n {
				return
			}
		}
	}
}

// ExportBoard writes the board as a file Verify and `tally verify` read:
// the header with the election's public definition, genesis and head
// (and the early close, if the election was closed early), then every
// entry in chain order. The board shows ballots, so before the
// close it is only exported when results are live (ErrHidden otherwise);
// its head may be published at any time.
func (s *Service) ExportBoard(ctx context.Context, electionID uuid.UUID, w io.Writer) error {
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return err
	}
	if err := s.visible(ctx, e, nil); err != nil {
		return err
	}
	if err := s.settle(ctx, e); err != nil {
		return err
	}
	h, err := s.store.Head(ctx, electionID)
	if err != nil {
		return err
	}
	pub := e.Public()
	hdr := BoardHeader{Format: BoardFormat, Election: pub, Genesis: GenesisHash(pub), Head: h.Hash, Entries: h.Entries}
	if e.ClosedAt != nil && e.ClosedAt.Before(e.Closes) {
		at := e.ClosedAt.UTC()
		hdr.ClosedAt = &at
	}
	return WriteBoard(w, hdr, s.entries(ctx, electionID, h.Entries))
}

// CountedBallot is a line of ExportBallots.
type CountedBallot struct {
	Tracker string           `json:"tracker"`
	Ballot  json.RawMessage  `json:"ballot"`
	Channel civickit.Channel `json:"channel"`
	Place   string           `json:"place,omitempty"`
}

// ExportBallots writes the counted ballots as JSON lines sorted by tracker,
// a random key, so that the file's order says nothing about when or by
// whom a ballot was cast. Guarded like ExportBoard.
func (s *Service) ExportBallots(ctx context.Context, electionID uuid.UUID, w io.Writer) error {
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return err
	}
	if err := s.visible(ctx, e, nil); err != nil {
		return err
	}
	if err := s.settle(ctx, e); err != nil {
		return err
	}
	counted, err := s.counted(ctx, electionID)
	if err != nil {
		return err
	}
	list := make([]CountedBallot, 0, len(counted))
	for _, en := range counted {
		list = append(list, CountedBallot{Tracker: en.Tracker, Ballot: en.Ballot, Channel: en.Channel, Place: en.Place})
	}
	slices.SortFunc(list, func(a, b CountedBallot) int { return cmp.Compare(a.Tracker, b.Tracker) })
	enc := json.NewEncoder(w)
	for _, c := range list {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

// counted reads the board and returns the entries that count: carrying a
// ballot and replaced by no later entry.
func (s *Service) counted(ctx context.Context, electionID uuid.UUID) (map[string]Entry, error) {
	h, err := s.store.Head(ctx, electionID)
	if err != nil {
		return nil, err
	}
	out := map[string]Entry{}
	for en, err := range s.entries(ctx, electionID, h.Entries) {
		if err != nil {
			return nil, err
		}
		if en.Replaces != "" {
			if _, ok := out[en.Replaces]; !ok {
				return nil, errors.Join(ErrTampered, errors.New("ballotbox: an entry replaces one that does not count"))
			}
			delete(out, en.Replaces)
		}
		if !en.Void() {
			out[en.Tracker] = en
		}
	}
	return out, nil
}
