package storage

import (
	"encoding/json"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Row types mirror the ballot box migrations (migrations/*/0002_ballotbox.sql
// and 0007_ballotbox_kernel.sql). Times are Unix microseconds; ballots
// keep only their day.

type bbElectionRow struct {
	bun.BaseModel `bun:"table:ballotbox_elections,alias:be"`

	ID          uuid.UUID `bun:"id,pk"`
	Title       string    `bun:"title"`
	Description string    `bun:"description"`
	Questions   string    `bun:"questions"`
	Opens       int64     `bun:"opens"`
	Closes      int64     `bun:"closes"`
	Eligibility string    `bun:"eligibility"`
	Revote      string    `bun:"revote"`
	Visibility  string    `bun:"visibility"`
	ClosedAt    *int64    `bun:"closed_at"`
	Version     int       `bun:"version"`
	CreatedAt   int64     `bun:"created_at"`
	UpdatedAt   int64     `bun:"updated_at"`
}

// bbSaltRow keeps an election's voter salt apart from the election, the
// census and the register.
type bbSaltRow struct {
	bun.BaseModel `bun:"table:ballotbox_salts,alias:bk"`

	ElectionID  uuid.UUID `bun:"election_id,pk"`
	Salt        string    `bun:"salt"`
	SecretCheck string    `bun:"secret_check"`
}

// bbPlaceRow is a polling place's paper reconciliation.
type bbPlaceRow struct {
	bun.BaseModel `bun:"table:ballotbox_places,alias:bp"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	Place      string    `bun:"place,pk"`
	Marked     int64     `bun:"marked"`
	Sheets     int64     `bun:"sheets"`
}

// bbEligibility is the stored JSON of an election's eligibility. Its
// names are the storage's, kept as they were first written (the API's
// JSON names may change without a data migration).
type bbEligibility struct {
	Census      bool                    `json:"Census"`
	Territories []string                `json:"Territories"`
	MinimumAge  int                     `json:"MinimumAge"`
	Assurance   civickit.AssuranceLevel `json:"Assurance"`
}

type bbHeadRow struct {
	bun.BaseModel `bun:"table:ballotbox_heads,alias:bh"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	Entries    int64     `bun:"entries"`
	Head       string    `bun:"head"`
}

type bbCensusRow struct {
	bun.BaseModel `bun:"table:ballotbox_census,alias:bc"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	VoterKey   string    `bun:"voter_key,pk"`
}

type bbRegisterRow struct {
	bun.BaseModel `bun:"table:ballotbox_register,alias:br"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	VoterKey   string    `bun:"voter_key,pk"`
}

// Ballot states.
const (
	bbCounted    = "counted"    // carries a ballot on the board that counts
	bbSuperseded = "superseded" // replaced by a later entry
	bbPaper      = "paper"      // a paper voter's marker: holds the slot, no ballot
	bbVoid       = "void"       // a correction that only voids what it replaces
	bbSpoiled    = "spoiled"    // a spoiled paper sheet: takes a place's mark, no entry
)

type bbBallotRow struct {
	bun.BaseModel `bun:"table:ballotbox_ballots,alias:bb"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	Tracker    string    `bun:"tracker,pk"`
	Slot       *string   `bun:"slot"`
	RequestKey string    `bun:"request_key"`
	Digest     string    `bun:"digest"`
	State      string    `bun:"state"`
	CastDay    int64     `bun:"cast_day"`
}

type bbEntryRow struct {
	bun.BaseModel `bun:"table:ballotbox_entries,alias:bn"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	Idx        int64     `bun:"idx,pk"`
	Tracker    string    `bun:"tracker"`
	Ballot     *string   `bun:"ballot"`
	Replaces   string    `bun:"replaces"`
	Channel    string    `bun:"channel"`
	Place      string    `bun:"place"`
	Prev       string    `bun:"prev"`
	Hash       string    `bun:"hash"`
}

type bbCountRow struct {
	bun.BaseModel `bun:"table:ballotbox_counts,alias:bt"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	Channel    string    `bun:"channel,pk"`
	Place      string    `bun:"place,pk"`
	Question   string    `bun:"question,pk"`
	AnswerHash string    `bun:"answer_hash,pk"`
	Answer     string    `bun:"answer"`
	N          int64     `bun:"n"`
}

type bbBatchRow struct {
	bun.BaseModel `bun:"table:ballotbox_batches,alias:ba"`

	ID          uuid.UUID `bun:"id,pk"`
	ElectionID  uuid.UUID `bun:"election_id"`
	Place       string    `bun:"place"`
	Sheets      int       `bun:"sheets"`
	DoubleKeyed bool      `bun:"double_keyed"`
	Keyings     string    `bun:"keyings"`
	Items       string    `bun:"items"`
	State       string    `bun:"state"`
	Recounts    int       `bun:"recounts"`
	Version     int       `bun:"version"`
	CreatedAt   int64     `bun:"created_at"`
	UpdatedAt   int64     `bun:"updated_at"`
}

type bbChangeRow struct {
	bun.BaseModel `bun:"table:ballotbox_changes,alias:bg"`

	ID         uuid.UUID `bun:"id,pk"`
	ElectionID uuid.UUID `bun:"election_id"`
	BatchID    uuid.UUID `bun:"batch_id"`
	Pos        int       `bun:"pos"`
	Round      int       `bun:"round"`
	OldTracker string    `bun:"old_tracker"`
	NewTracker string    `bun:"new_tracker"`
	Agent      string    `bun:"agent"`
	Reason     string    `bun:"reason"`
	At         int64     `bun:"at"`
}

type bbSessionRow struct {
	bun.BaseModel `bun:"table:ballotbox_sessions,alias:bs"`

	ID         uuid.UUID `bun:"id,pk"`
	ElectionID uuid.UUID `bun:"election_id"`
	Operator   string    `bun:"operator"`
	Place      string    `bun:"place"`
	Channel    string    `bun:"channel"`
	OpenedAt   int64     `bun:"opened_at"`
	ClosedAt   *int64    `bun:"closed_at"`
}

func toElectionRow(e *ballotbox.Election) *bbElectionRow {
	el := e.Eligibility
	r := &bbElectionRow{
		ID: e.ID, Title: e.Title, Description: e.Description,
		Questions: mustJSON(e.Questions),
		Opens:     micros(e.Opens),
		Closes:    micros(e.Closes),
		Eligibility: mustJSON(bbEligibility{Census: el.Census, Territories: el.Territories,
			MinimumAge: el.MinimumAge, Assurance: el.Assurance}),
		Revote: string(e.Revote), Visibility: string(e.Visibility),
		Version: e.Version, CreatedAt: micros(e.CreatedAt), UpdatedAt: micros(e.UpdatedAt),
	}
	if e.ClosedAt != nil {
		v := micros(*e.ClosedAt)
		r.ClosedAt = &v
	}
	return r
}

func (r *bbElectionRow) toDomain() (*ballotbox.Election, error) {
	e := &ballotbox.Election{
		ID: r.ID, Title: r.Title, Description: r.Description,
		Opens: fromMicros(r.Opens), Closes: fromMicros(r.Closes),
		Revote: ballotbox.RevotePolicy(r.Revote), Visibility: ballotbox.Visibility(r.Visibility),
		Version: r.Version, CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
	if r.ClosedAt != nil {
		t := fromMicros(*r.ClosedAt)
		e.ClosedAt = &t
	}
	if err := json.Unmarshal([]byte(r.Questions), &e.Questions); err != nil {
		return nil, fmt.Errorf("storage: election %s questions: %w", r.ID, err)
	}
	var el bbEligibility
	if err := json.Unmarshal([]byte(r.Eligibility), &el); err != nil {
		return nil, fmt.Errorf("storage: election %s eligibility: %w", r.ID, err)
	}
	e.Eligibility = ballotbox.Eligibility{Census: el.Census, Territories: el.Territories,
		MinimumAge: el.MinimumAge, Assurance: el.Assurance}
	return e, nil
}

func (r *bbEntryRow) toDomain() ballotbox.Entry {
	e := ballotbox.Entry{Index: r.Idx, Tracker: r.Tracker, Replaces: r.Replaces,
		Channel: civickit.Channel(r.Channel), Place: r.Place, Prev: r.Prev, Hash: r.Hash}
	if r.Ballot != nil {
		e.Ballot = json.RawMessage(*r.Ballot)
	}
	return e
}

func toBatchRow(b *ballotbox.Batch) *bbBatchRow {
	return &bbBatchRow{
		ID: b.ID, ElectionID: b.ElectionID, Place: b.Place, Sheets: b.Sheets, DoubleKeyed: b.DoubleKeyed,
		Keyings: mustJSON(b.Keyings), Items: mustJSON(b.Items), State: string(b.State), Recounts: b.Recounts,
		Version: b.Version, CreatedAt: micros(b.CreatedAt), UpdatedAt: micros(b.UpdatedAt),
	}
}

func (r *bbBatchRow) toDomain() (*ballotbox.Batch, error) {
	b := &ballotbox.Batch{
		ID: r.ID, ElectionID: r.ElectionID, Place: r.Place, Sheets: r.Sheets, DoubleKeyed: r.DoubleKeyed,
		State: ballotbox.BatchState(r.State), Recounts: r.Recounts, Version: r.Version,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}
	if err := json.Unmarshal([]byte(r.Keyings), &b.Keyings); err != nil {
		return nil, fmt.Errorf("storage: batch %s keyings: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Items), &b.Items); err != nil {
		return nil, fmt.Errorf("storage: batch %s items: %w", r.ID, err)
	}
	return b, nil
}

func (r *bbChangeRow) toDomain() ballotbox.Change {
	return ballotbox.Change{ID: r.ID, ElectionID: r.ElectionID, BatchID: r.BatchID, Pos: r.Pos, Round: r.Round,
		OldTracker: r.OldTracker, NewTracker: r.NewTracker, Agent: r.Agent, Reason: r.Reason, At: fromMicros(r.At)}
}

func (r *bbSessionRow) toDomain() *ballotbox.Session {
	s := &ballotbox.Session{ID: r.ID, ElectionID: r.ElectionID, Operator: r.Operator, Place: r.Place,
		Channel: civickit.Channel(r.Channel), OpenedAt: fromMicros(r.OpenedAt)}
	if r.ClosedAt != nil {
		t := fromMicros(*r.ClosedAt)
		s.ClosedAt = &t
	}
	return s
}

// bbRequestRow is a queued cast's request: its sealed receipt, on the
// register's side.
type bbRequestRow struct {
	bun.BaseModel `bun:"table:ballotbox_requests,alias:bq"`

	ElectionID uuid.UUID `bun:"election_id,pk"`
	RequestKey string    `bun:"request_hash,pk"`
	Sealed     string    `bun:"sealed"`
}

// bbQueueRow is a sealed ballot waiting for its batch.
type bbQueueRow struct {
	bun.BaseModel `bun:"table:ballotbox_queue,alias:bw"`

	Seq        int64     `bun:"seq,pk,autoincrement"`
	ElectionID uuid.UUID `bun:"election_id"`
	Sealed     string    `bun:"sealed"`
}
