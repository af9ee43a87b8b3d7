package evaluation

import (
	"context"

	"github.com/google/uuid"
)

// Outcome sources.
const (
	// SourceVote: a question of a ballot-box election of the
	// consultation (package participation/vote).
	SourceVote = "vote"
)

// Outcome is the outcome of one question put to the participants in the
// consultation's expression step — a question of a vote — as the
// evaluation shows it beside the decision and its follow-up.
type Outcome struct {
	// Source says where the outcome comes from (SourceVote).
	Source        string    `json:"source"`
	ElectionID    uuid.UUID `json:"election_id"`
	ElectionTitle string    `json:"election_title"`
	QuestionID    string    `json:"question_id"`
	QuestionTitle string    `json:"question_title,omitempty"`
	// Method is the counting method (a voting.Registry name).
	Method string `json:"method"`
	// Winners are the candidates the count put first, before any tie
	// break; Elected the outcome after it.
	Winners []string `json:"winners"`
	Elected []string `json:"elected"`
	// Ballots is the number of ballots counted.
	Ballots int64 `json:"ballots"`
	// Final is true once the vote has closed; before, the outcome is a
	// live count that may still change.
	Final bool `json:"final"`
}

// OutcomeSource gives the outcomes of a consultation's expression step
// that the public may read now (*vote.Service implements it): an outcome
// still hidden by its visibility rules is left out, not leaked.
type OutcomeSource interface {
	Outcomes(ctx context.Context, consultationID uuid.UUID) ([]Outcome, error)
}
