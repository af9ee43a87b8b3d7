package participation

// ResponseStore persists questionnaires, responses, paper batches and
// results (owned by the questionnaires and responses work).
type ResponseStore interface{}
