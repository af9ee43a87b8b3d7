package participation

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// PhaseKind is one of the steps of a consultation: information, debate,
// reflection and expression of the choice, then, after the decision,
// evaluation of the policy carried out.
type PhaseKind string

const (
	PhaseInformation PhaseKind = "information" // documents, interviews, maps, links
	PhaseDebate      PhaseKind = "debate"      // forums, live discussion with decision makers
	PhaseReflection  PhaseKind = "reflection"  // time, resources, preliminary questions
	PhaseExpression  PhaseKind = "expression"  // vote, questionnaire, call for proposals
	PhaseEvaluation  PhaseKind = "evaluation"  // follow-up of the decision carried out
)

// PhaseKinds lists the kinds in their canonical order.
func PhaseKinds() []PhaseKind {
	return []PhaseKind{PhaseInformation, PhaseDebate, PhaseReflection, PhaseExpression, PhaseEvaluation}
}

// Valid reports whether k is a known phase kind.
func (k PhaseKind) Valid() bool { return slices.Contains(PhaseKinds(), k) }

// Phase is one step of a consultation as the organiser scheduled it: the
// steps chosen among the five kinds, each at most once, in order, with
// half-open date ranges [Starts, Ends) that do not overlap. At most one
// phase is Active at a time.
type Phase struct {
	Kind   PhaseKind `json:"kind"`
	Starts time.Time `json:"starts"`
	Ends   time.Time `json:"ends"`
	Active bool      `json:"active"`
}

// Action is something a participant (or an agent on their behalf) does in
// a consultation. Which actions a phase allows is declared in an
// ActionTable.
type Action string

const (
	ActionReadResource      Action = "read_resource"      // open a document, link, video, FAQ
	ActionAnswerPreliminary Action = "answer_preliminary" // answer a preliminary question
	ActionComment           Action = "comment"            // post or edit a comment
	ActionVoteComment       Action = "vote_comment"       // up/down vote a comment
	ActionReport            Action = "report"             // report an item to moderators
	ActionStatementVote     Action = "statement_vote"     // agree/disagree/pass on a statement
	ActionPropose           Action = "propose"            // submit a statement or a proposal
	ActionRespond           Action = "respond"            // submit a questionnaire response
	ActionSupport           Action = "support"            // support a proposal
	ActionFollowUp          Action = "follow_up"          // comment on the follow-up of the decision
	ActionVote              Action = "vote"               // cast a ballot in the consultation's election
	// ActionModerate is always allowed (to moderators) whatever the phase.
	ActionModerate Action = "moderate"
)

// Actions lists every action in a stable order.
func Actions() []Action {
	return []Action{
		ActionReadResource, ActionAnswerPreliminary, ActionComment, ActionVoteComment,
		ActionReport, ActionStatementVote, ActionPropose, ActionRespond, ActionSupport,
		ActionFollowUp, ActionVote, ActionModerate,
	}
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return slices.Contains(Actions(), a) }

// ActionTable declares, for each phase kind, the actions it allows. A
// consultation uses DefaultActionTable unless its Settings carry their
// own table.
type ActionTable map[PhaseKind][]Action

// DefaultActionTable returns a fresh copy of the default table:
//
//	information  read_resource
//	debate       read_resource comment vote_comment report statement_vote propose
//	reflection   read_resource answer_preliminary
//	expression   read_resource answer_preliminary respond support report vote
//	evaluation   read_resource comment vote_comment report follow_up
//
// Comments live only in debate and evaluation, responses and votes
// only in expression. Moderation is allowed in every phase and is not listed.
func DefaultActionTable() ActionTable {
	return ActionTable{
		PhaseInformation: {ActionReadResource},
		PhaseDebate:      {ActionReadResource, ActionComment, ActionVoteComment, ActionReport, ActionStatementVote, ActionPropose},
		PhaseReflection:  {ActionReadResource, ActionAnswerPreliminary},
		PhaseExpression:  {ActionReadResource, ActionAnswerPreliminary, ActionRespond, ActionSupport, ActionReport, ActionVote},
		PhaseEvaluation:  {ActionReadResource, ActionComment, ActionVoteComment, ActionReport, ActionFollowUp},
	}
}

// Allows reports whether phase kind k allows action a in table t.
// ActionModerate is always allowed.
func (t ActionTable) Allows(k PhaseKind, a Action) bool {
	if a == ActionModerate {
		return true
	}
	return slices.Contains(t[k], a)
}

// Trigger says what caused a phase transition.
type Trigger string

const (
	TriggerManual   Trigger = "manual"   // an organiser moved the consultation on
	TriggerSchedule Trigger = "schedule" // the phase dates did
)

// PhaseTransition is one entry of a consultation's audit log: the phase
// left and the phase entered ("" for none: before opening, after
// closing), who did it and when.
type PhaseTransition struct {
	ID             uuid.UUID `json:"id"`
	ConsultationID uuid.UUID `json:"consultation_id"`
	Seq            int       `json:"seq"` // 1, 2, ... in order
	From           PhaseKind `json:"from"`
	To             PhaseKind `json:"to"`
	Trigger        Trigger   `json:"trigger"`
	Actor          string    `json:"actor"` // organiser's user id, or "schedule"
	At             time.Time `json:"at"`
	Note           string    `json:"note,omitempty"`
}
