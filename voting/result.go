package voting

// Result is what a method found, with the record of how.
type Result struct {
	Method     string   `json:"method"`
	Variant    string   `json:"variant,omitempty"`
	Candidates []string `json:"candidates"`
	// Winners is the winner set before any tie-break.
	Winners []int `json:"winners"`
	// Elected is the outcome after the tie policy (for a single-winner
	// method, one candidate). Equal to Winners when there was no tie.
	Elected []int `json:"elected"`
	// TieBreak names the policy that chose Elected among tied Winners, or
	// tied candidates during the count; empty when none was needed.
	TieBreak string `json:"tie_break,omitempty"`
	// Ranking orders every candidate, best first, ties grouped, when the
	// method defines a full order; nil otherwise.
	Ranking [][]int `json:"ranking,omitempty"`
	// Scores is the method's final score per candidate when it has one
	// (points, approvals, Copeland score, ...).
	Scores []float64 `json:"scores,omitempty"`
	// Rounds records each round of a multi-round method, or the single
	// count of a one-round method.
	Rounds []Round `json:"rounds,omitempty"`
	// Pairwise is the comparison matrix, for methods that use one.
	Pairwise *Matrix `json:"pairwise,omitempty"`
	// Strengths holds the Schulze path strengths (or similar), when used.
	Strengths [][]float64 `json:"strengths,omitempty"`
	// Ballots is the number of voters counted.
	Ballots int64 `json:"ballots"`
	// Notes carries method-specific explanations, one sentence each.
	Notes []string `json:"notes,omitempty"`
}

// Tied reports whether the winner set had to be broken by the tie policy.
func (r *Result) Tied() bool { return len(r.Winners) > len(r.Elected) }

// Round is one step of a count.
type Round struct {
	// Counts holds each candidate's tally this round; for candidates no
	// longer in the count, Active is false.
	Counts []float64 `json:"counts"`
	Active []bool    `json:"active,omitempty"`
	// Eliminated and Elected list who left the count this round, and how.
	Eliminated []int `json:"eliminated,omitempty"`
	Elected    []int `json:"elected,omitempty"`
	// Transfers are the votes moved from one candidate to another (To = -1
	// for exhausted ballots).
	Transfers []Transfer `json:"transfers,omitempty"`
	// Exhausted is the number of ballots with no remaining preference,
	// cumulated up to this round.
	Exhausted float64 `json:"exhausted,omitempty"`
	// TieBreak names the policy used this round, if any.
	TieBreak string `json:"tie_break,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Transfer is a movement of votes between two candidates in one round.
type Transfer struct {
	From  int     `json:"from"`
	To    int     `json:"to"` // -1: exhausted
	Votes float64 `json:"votes"`
}
