// Package evaluation is the evaluation step of a consultation: the
// decision taken after it, the follow-up of its carrying out (a tree of
// items with milestones and weighted progress) and the follow-up
// consultation that evaluates the policy. Beside them, Evaluation shows
// the public outcomes of the expression step (a vote's results) that an
// OutcomeSource gives (Options.Outcomes; package participation/vote
// provides one).
//
// Package storage implements Store (storage.NewEvaluationStore), and
// evaluationtest.TestStore checks any implementation.
package evaluation
