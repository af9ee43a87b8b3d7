// Package committee elects committees from approval ballots: the rules
// of the abcvoting family (AV, SAV, PAV, SLAV, CC and their sequential
// and reverse-sequential forms, sequential Phragmén, Phragmén–Eneström,
// the consensus rule, the Method of Equal Shares with its completions,
// maximin support, minimax and leximax Phragmén,
// Monroe and greedy Monroe, minimax AV) and the axioms of proportional
// representation (JR, PJR, EJR) with a witness group when a committee
// violates one, and priceability with a price system when it holds (a
// linear programme solved by a small simplex in the package).
//
// Rules return a voting.Result: Elected is the committee (sorted), Rounds
// record each step of a sequential rule (the criterion per candidate and
// who was elected), Notes the optimum of an exact rule. Ties go to a
// voting.TiePolicy; the default, candidate order, is abcvoting's resolute
// tie-breaking. The NP-hard rules are solved exactly within stated limits
// and refused beyond them with voting.ErrTooLarge: PAV, SLAV and CC by
// branch and bound (Options.MaxNodes, and 10^10 steps), Monroe, minimax AV
// and minimax/leximax Phragmén by enumeration (Options.MaxWork). Scores are
// float64, compared with a relative tolerance of 1e-9.
//
// Methods returns the rules as voting.Method values, so that a
// voting.Registry (and the tally command) can run them on approval
// ballots with the committee size in Options.Params["seats"].
package committee
