package participation

// EvaluationStore persists the evaluation step: the decision, the
// follow-up items and their milestones.
type EvaluationStore interface{}
