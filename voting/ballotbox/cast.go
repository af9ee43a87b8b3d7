package ballotbox

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// Cast is one voter's ballot submission.
type Cast struct {
	ElectionID uuid.UUID `json:"election_id"`
	Voter      Voter     `json:"voter"`
	Ballot     Ballot    `json:"ballot"`
	// Channel is civickit.ChannelWeb when empty. Paper ballots go through
	// batches (CreateBatch) and paper voters through MarkPaperVoter.
	Channel civickit.Channel `json:"channel,omitempty"`
	// Session is the operator session of a kiosk or mediator cast
	// (required for those channels); it gives the place.
	Session uuid.UUID `json:"session,omitzero"`
	// Place is the polling place of an import; ignored for other channels
	// (a session gives the place of a kiosk or mediator cast).
	Place string `json:"place,omitempty"`
	// IdempotencyKey makes retries safe: the same key with the same ballot
	// returns the first receipt; with another ballot, ErrConflict. Keys are
	// per voter. Empty: every request is new.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// Cast checks and records one ballot: the election's Gate admits it, the
// election is open, the ballot is valid for every question's method, the
// voter is eligible and has not voted yet in any channel (or may revote).
// Each refusal is a typed error and writes nothing: the Gate's error
// (wrapped), ErrClosed, *BallotError (ErrInvalidBallot), *EligibilityError
// (ErrNotEligible), ErrAlreadyVoted, ErrConflict for a reused idempotency
// key.
func (s *Service) Cast(ctx context.Context, c Cast) (Receipt, error) {
	return s.cast(ctx, c, time.Time{}, ActionCast)
}

// cast records c as cast at at (the present when zero), admitted by the
// Gate as action.
func (s *Service) cast(ctx context.Context, c Cast, at time.Time, action Action) (Receipt, error) {
	e, err := s.store.GetElection(ctx, c.ElectionID)
	if err != nil {
		return Receipt{}, err
	}
	if c.Channel == "" {
		c.Channel = civickit.ChannelWeb
	}
	if !c.Channel.Valid() || c.Channel == civickit.ChannelPaper {
		return Receipt{}, civickit.Invalid("channel", "oneof", "web kiosk mediator import")
	}
	key, err := s.VoterKey(ctx, e.ID, c.Voter.ID)
	if err != nil {
		return Receipt{}, err
	}
	canonical := e.Canonical(c.Ballot)
	digest := BallotDigest(canonical)
	var reqKey string
	if c.IdempotencyKey != "" {
		// A request seen before answers first: a retry after the close,
		// or through a session closed since, gets its receipt.
		reqKey = s.requestKey(e.ID, "voter:"+string(key), c.IdempotencyKey)
		if r, ok, err := s.replayCast(ctx, e.ID, reqKey, digest); ok || err != nil {
			return r, err
		}
	} else {
		b, err := s.random(16)
		if err != nil {
			return Receipt{}, err
		}
		reqKey = hex.EncodeToString(b)
	}
	if err := s.checkSecret(e); err != nil {
		return Receipt{}, err
	}
	var place string
	switch c.Channel {
	case civickit.ChannelKiosk, civickit.ChannelMediator:
		sess, err := s.openSession(ctx, e, c.Session, c.Channel, at)
		if err != nil {
			return Receipt{}, err
		}
		place = sess.Place
	case civickit.ChannelImport:
		place = c.Place
	}
	voter := c.Voter
	if err := s.admit(ctx, e, Admission{Action: action, Voter: &voter, Channel: c.Channel, Place: place}); err != nil {
		return Receipt{}, err
	}
	if at.IsZero() {
		at = s.now()
	}
	if !e.Open(at) {
		return Receipt{}, fmt.Errorf("%w: %s not in [%s, %s)", ErrClosed, at.UTC().Format(time.RFC3339),
			e.Opens.UTC().Format(time.RFC3339), e.End().UTC().Format(time.RFC3339))
	}
	if err := e.CheckBallot(s.reg, c.Ballot); err != nil {
		return Receipt{}, err
	}
	if err := s.checkEligibility(ctx, e, c.Voter, key); err != nil {
		return Receipt{}, err
	}
	tracker, err := s.newTracker()
	if err != nil {
		return Receipt{}, err
	}
	if s.k > 1 {
		return s.enqueue(ctx, e, key, reqKey, digest, tracker, canonical, c.Channel, place, at)
	}
	return s.store.Append(ctx, &Append{
		ElectionID: e.ID,
		Voter:      &VoterMark{Key: key, Slot: s.slotFor(e, key)},
		Revote:     e.Revote,
		RequestKey: reqKey,
		Digest:     digest,
		Tracker:    tracker,
		Ballot:     canonical,
		Channel:    c.Channel,
		Place:      place,
		Day:        day(at),
	})
}

// replayCast is replay for a cast: with an anonymity set, casts store
// their requests apart (QueueStore.Request) and only there.
func (s *Service) replayCast(ctx context.Context, electionID uuid.UUID, reqKey, digest string) (Receipt, bool, error) {
	if s.k <= 1 {
		return s.replay(ctx, electionID, reqKey, digest)
	}
	sealed, err := s.store.Request(ctx, electionID, reqKey)
	switch {
	case errors.Is(err, ErrNotFound):
		return Receipt{}, false, nil
	case err != nil:
		return Receipt{}, false, err
	}
	r, err := s.replaySealed(ctx, electionID, sealed, digest)
	return r, err == nil, err
}

// replay answers a request key seen before: its receipt when digest
// matches (ok), ErrConflict when it does not, nothing when it is new.
func (s *Service) replay(ctx context.Context, electionID uuid.UUID, reqKey, digest string) (Receipt, bool, error) {
	sealed, err := s.store.Request(ctx, electionID, reqKey)
	switch {
	case err == nil: // a queued cast (Options.Anonymity > 1)
		r, err := s.replaySealed(ctx, electionID, sealed, digest)
		return r, err == nil, err
	case !errors.Is(err, ErrNotFound):
		return Receipt{}, false, err
	}
	r, stored, err := s.store.Replay(ctx, electionID, reqKey)
	switch {
	case errors.Is(err, ErrNotFound):
		return Receipt{}, false, nil
	case err != nil:
		return Receipt{}, false, err
	case stored != digest:
		return Receipt{}, false, fmt.Errorf("%w: idempotency key reused with another ballot", ErrConflict)
	}
	r.Replayed = true
	return r, true, nil
}
