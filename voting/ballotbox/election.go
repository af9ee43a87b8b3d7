package ballotbox

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/google/uuid"
)

// RevotePolicy says which of a voter's ballots counts.
type RevotePolicy string

const (
	// RevoteNone refuses a second ballot (ErrAlreadyVoted): the first counts.
	RevoteNone RevotePolicy = "first"
	// RevoteLast lets a voter vote again; the last ballot replaces the
	// previous one (a defence against coercion).
	RevoteLast RevotePolicy = "last"
)

// Visibility says when results may be read.
type Visibility string

const (
	// VisibleAfterClose: nobody sees results before the election closes.
	VisibleAfterClose Visibility = "after_close"
	// VisibleAfterVote: a voter sees them once they voted; the public after close.
	VisibleAfterVote Visibility = "after_vote"
	// VisibleLive: results are public while voting goes on.
	VisibleLive Visibility = "live"
)

// Election is a set of questions voted on together in one window.
type Election struct {
	ID          uuid.UUID  `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Questions   []Question `json:"questions"`
	// Opens and Closes bound the voting window [Opens, Closes), as
	// published on the board (its genesis hash covers them).
	Opens  time.Time `json:"opens"`
	Closes time.Time `json:"closes"`
	// ClosedAt is set when the election was closed before Closes, by
	// CloseNow (the process it belongs to ended its vote early): the
	// window then ends at ClosedAt. It is not part of the public
	// definition, which the board's entries already chain from; an
	// exported board's header carries it instead (BoardHeader.ClosedAt).
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	// Eligibility restricts who may vote.
	Eligibility Eligibility  `json:"eligibility"`
	Revote      RevotePolicy `json:"revote"`
	Visibility  Visibility   `json:"visibility"`
	Version     int          `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Question is one contest of an election: candidates (options), the kind
// of ballot and the counting method.
type Question struct {
	// ID is short and unique within the election ("mayor", "q1").
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Candidates []string `json:"candidates"`
	// Method is a voting.Registry name ("schulze", "majority-judgment").
	// Its Ballots decide the answer kind: a Ranking or Scores.
	Method  string             `json:"method"`
	Variant string             `json:"variant,omitempty"`
	Params  map[string]float64 `json:"params,omitempty"`
	// Spec describes cardinal ballots (kind, bounds, scale, budget).
	Spec voting.CardinalSpec `json:"spec"`
	// MaxRanks caps how many candidates a ranked ballot may rank (0: all).
	MaxRanks int `json:"max_ranks,omitempty"`
	// Seats is the number to elect for committee methods (0: one).
	Seats int `json:"seats,omitempty"`
	// Optional lets a voter leave the question blank.
	Optional bool `json:"optional,omitempty"`
}

// Eligibility lists the rules a voter must meet.
type Eligibility struct {
	// Census, when true, admits only identifiers loaded into the
	// election's census (stored as identity keys, never in clear).
	Census bool `json:"census,omitempty"`
	// Territories admits voters whose territory code is listed (empty: any).
	Territories []string `json:"territories,omitempty"`
	// MinimumAge is checked on the closing day (of Closes, as published)
	// against partial birth dates: a voter whose date is too imprecise to
	// prove the age is refused.
	MinimumAge int `json:"minimum_age,omitempty"`
	// Assurance is the lowest identity assurance level accepted
	// (civickit.AssuranceNone: any); an unknown level is invalid.
	Assurance civickit.AssuranceLevel `json:"assurance,omitempty"`
}

// Question returns the question with id.
func (e *Election) Question(id string) (*Question, bool) {
	for i := range e.Questions {
		if e.Questions[i].ID == id {
			return &e.Questions[i], true
		}
	}
	return nil, false
}

// End is when the window ends: Closes, or ClosedAt when the election was
// closed early.
func (e *Election) End() time.Time {
	if e.ClosedAt != nil && e.ClosedAt.Before(e.Closes) {
		return *e.ClosedAt
	}
	return e.Closes
}

// Open reports whether t falls in the voting window [Opens, End()).
func (e *Election) Open(t time.Time) bool {
	return !t.Before(e.Opens) && t.Before(e.End())
}

// Closed reports whether the window has ended at t.
func (e *Election) Closed(t time.Time) bool { return !t.Before(e.End()) }

// Validate checks e against the methods of reg and reports every broken
// rule with its field path.
func (e *Election) Validate(reg *voting.Registry) error {
	ve := &civickit.ValidationError{}
	add := ve.Add
	if e.Title == "" {
		add("title", "required", "")
	}
	if e.Opens.IsZero() {
		add("opens", "required", "")
	}
	if e.Closes.IsZero() {
		add("closes", "required", "")
	} else if !e.Closes.After(e.Opens) {
		add("closes", "gtfield", "opens")
	}
	switch e.Revote {
	case RevoteNone, RevoteLast:
	default:
		add("revote", "oneof", "first last")
	}
	switch e.Visibility {
	case VisibleAfterClose, VisibleAfterVote, VisibleLive:
	default:
		add("visibility", "oneof", "after_close after_vote live")
	}
	if !e.Eligibility.Assurance.Valid() {
		add("eligibility.assurance", "oneof", "low substantial high")
	}
	if e.Eligibility.MinimumAge < 0 {
		add("eligibility.minimum_age", "gte", "0")
	}
	if len(e.Questions) == 0 {
		add("questions", "required", "")
	}
	seen := map[string]bool{}
	for i, q := range e.Questions {
		p := fmt.Sprintf("questions[%d]", i)
		if q.ID == "" {
			add(p+".id", "required", "")
		} else if !utf8.ValidString(q.ID) {
			// The board is JSON: an ID that is not UTF-8 would not read back as written.
			add(p+".id", "utf8", "")
		} else if seen[q.ID] {
			add(p+".id", "unique", "")
		}
		seen[q.ID] = true
		if len(q.Candidates) < 2 {
			add(p+".candidates", "min", "2")
		} else {
			names := map[string]bool{}
			for j, c := range q.Candidates {
				if c == "" {
					add(fmt.Sprintf("%s.candidates[%d]", p, j), "required", "")
				} else if !utf8.ValidString(c) {
					add(fmt.Sprintf("%s.candidates[%d]", p, j), "utf8", "")
				} else if names[c] {
					add(fmt.Sprintf("%s.candidates[%d]", p, j), "unique", "")
				}
				names[c] = true
			}
		}
		if q.MaxRanks < 0 {
			add(p+".max_ranks", "gte", "0")
		}
		if q.Seats < 0 || q.Seats >= len(q.Candidates) && q.Seats > 0 {
			add(p+".seats", "ltfield", "candidates")
		}
		m, err := reg.Lookup(q.Method)
		if err != nil {
			add(p+".method", "unknown_method", q.Method)
			continue
		}
		if len(m.Variants) > 0 && q.Variant != "" && !slices.Contains(m.Variants, q.Variant) {
			add(p+".variant", "oneof", fmt.Sprint(m.Variants))
		}
		for k := range q.Params {
			if _, ok := m.Params[k]; !ok {
				add(p+".params."+k, "unknown_param", "")
			}
		}
		if m.Ballots == voting.CardinalBallots {
			if err := q.Spec.Validate(); err != nil {
				add(p+".spec", "invalid", err.Error())
			} else if len(m.Kinds) > 0 && !slices.Contains(m.Kinds, q.Spec.Kind) {
				add(p+".spec.kind", "oneof", fmt.Sprint(m.Kinds))
			}
		}
	}
	return ve.Err()
}

// Public is what the board publishes of an election: everything needed to
// recount, nothing about voters.
type Public struct {
	ID         uuid.UUID  `json:"id"`
	Title      string     `json:"title"`
	Questions  []Question `json:"questions"`
	Opens      time.Time  `json:"opens"`
	Closes     time.Time  `json:"closes"`
	Revote     string     `json:"revote"`
	Visibility string     `json:"visibility"`
}

// Public returns the public part of e.
func (e *Election) Public() Public {
	return Public{ID: e.ID, Title: e.Title, Questions: slices.Clone(e.Questions), Opens: e.Opens.UTC(),
		Closes: e.Closes.UTC(), Revote: string(e.Revote), Visibility: string(e.Visibility)}
}
