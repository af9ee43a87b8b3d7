package stv

import (
	"fmt"
	"slices"
)

// Quota names how the quota is computed from V valid votes and S seats.
type Quota int

const (
	// Droop is floor(V/(S+1)) + 1, the statutory quota of Scotland,
	// Ireland and ERS97 (which computes it on votes to two decimals).
	Droop Quota = iota
	// Hare is V/S.
	Hare
	// DroopExact is V/(S+1) exactly (the Hagenbach-Bischoff quota); a
	// candidate must pass it, not reach it.
	DroopExact
	// DroopFractional is V/(S+1) plus the smallest unit of the arithmetic
	// (10^-Decimals), to be reached: RCTab's "non-integer winning
	// threshold".
	DroopFractional
)

// MarshalText writes the quota's name in JSON.
func (q Quota) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

func (q Quota) String() string {
	return [...]string{"droop", "hare", "droop-exact", "droop-fractional"}[q]
}

// Transfer names how surpluses move.
type Transfer int

const (
	// Inclusive is the weighted inclusive Gregory method (WIGM): every
	// paper of the elected candidate moves, each at (its value × surplus
	// / the candidate's votes).
	Inclusive Transfer = iota
	// LastParcel moves only the papers of the parcel that elected the
	// candidate (the first preferences when elected at the first stage),
	// at surplus / value of the transferable papers in it, never more than
	// the value they came with (ERS97, Gregory's original method).
	LastParcel
	// WholeVotes moves a number of whole papers of the last parcel to
	// each continuing candidate in proportion to the next preferences
	// (Irish Electoral Act 1992, s. 121); which papers move is a seeded,
	// reproducible draw instead of the returning officer's mixing.
	WholeVotes
	// Meek recomputes every ballot from the start at each iteration, each
	// elected candidate keeping a fraction (its keep value) of what
	// reaches it (Hill, Wichmann & Woodall 1987; NZ 2001).
	Meek
	// Warren is Meek's iteration where an elected candidate keeps its keep
	// value of each ballot's original value (or all that remains).
	Warren
)

// MarshalText writes the transfer's name in JSON.
func (t Transfer) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

func (t Transfer) String() string {
	return [...]string{"inclusive", "last-parcel", "whole-votes", "meek", "warren"}[t]
}

// EqualRanks says what a ballot that ranks candidates equal (BLT "=",
// an overvote) counts for.
type EqualRanks int

const (
	// Split shares the paper equally between the group's continuing
	// candidates, each part continuing after the group (Gregory methods
	// only).
	Split EqualRanks = iota
	// Truncate counts the ballot up to the preference before the
	// repetition, the usual statutory treatment of a preference number
	// given twice (for example NSW Local Government (General) Regulation
	// 2005, sch. 5, cl. 2: "only those preferences preceding the
	// repetition ... can be taken into account"); the default of the
	// statutory presets.
	Truncate
	// Skip drops the repeated preference and goes on with the next
	// (RCTab "alwaysSkipToNextRank").
	Skip
)

func (e EqualRanks) String() string { return [...]string{"split", "truncate", "skip"}[e] }

// MarshalText writes the rule's name in JSON.
func (e EqualRanks) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Rules are the parameters of one STV count.
type Rules struct {
	// Name is the preset's name ("scottish").
	Name string `json:"name"`
	// Title and Source describe it for -list and the report.
	Title  string `json:"title"`
	Source string `json:"source"`
	// Transfer and Quota are the rule's method of transfer and quota.
	Transfer Transfer `json:"transfer"`
	Quota    Quota    `json:"quota"`
	// Decimals is the fixed-point precision of every value (votes, paper
	// values, quota), truncated; -1 counts in exact rationals (not for
	// Meek and Warren, whose keep values only converge).
	Decimals int `json:"decimals"`
	// Omega is the Meek/Warren convergence bound on the total surplus, in
	// units of 10^-Decimals.
	Omega int64 `json:"omega,omitempty"`
	// Seed seeds the draw of WholeVotes.
	Seed uint64 `json:"seed,omitempty"`
	// SurplusFraction computes an Inclusive transfer as RCTab does: the
	// fraction surplus/votes first, truncated, then each paper's value
	// times it, truncated (the Scottish order truncates surplus × value /
	// votes once).
	SurplusFraction bool `json:"surplus_fraction,omitempty"`
	// BatchSurplus transfers every pending surplus in one stage, electing
	// new candidates only after all of them (RCTab "allow multiple
	// winners per round"); otherwise one surplus a stage, largest first.
	// As RCTab does, the surpluses pending when the last seat is filled
	// are then still transferred, in a last stage.
	BatchSurplus bool `json:"batch_surplus,omitempty"`
	// BatchElimination excludes at once the lowest candidates whose votes
	// added up are below the next candidate's (RCTab "batchElimination"),
	// not for Meek and Warren.
	BatchElimination bool `json:"batch_elimination,omitempty"`
	// EqualRanks is the treatment of candidates ranked equal.
	EqualRanks EqualRanks `json:"equal_ranks"`
}

// Validate checks the rule's parameters against each other.
func (r Rules) Validate() error {
	switch {
	case r.Transfer < Inclusive || r.Transfer > Warren:
		return fmt.Errorf("%w: transfer %d", errOption, r.Transfer)
	case r.Quota < Droop || r.Quota > DroopFractional:
		return fmt.Errorf("%w: quota %d", errOption, r.Quota)
	case r.Decimals < -1 || r.Decimals > 12:
		return fmt.Errorf("%w: decimals %d: want -1 (exact) or 0..12", errOption, r.Decimals)
	case r.Decimals == -1 && (r.Transfer == Meek || r.Transfer == Warren):
		return fmt.Errorf("%w: %s keep values converge only in the limit: give decimals, not exact arithmetic", errOption, r.Transfer)
	case r.BatchElimination && (r.Transfer == Meek || r.Transfer == Warren):
		return fmt.Errorf("%w: batch elimination is not implemented for %s", errOption, r.Transfer)
	case r.EqualRanks < Split || r.EqualRanks > Skip:
		return fmt.Errorf("%w: equal ranks %d", errOption, r.EqualRanks)
	case r.Transfer == WholeVotes && r.Decimals != 0:
		return fmt.Errorf("%w: whole-vote transfers count whole papers: decimals must be 0", errOption)
	}
	return nil
}

// Presets are the named statutory and reference rules, in -list order.
// Their fields are the documentation of what each statute says.
func Presets() []Rules {
	return []Rules{
		{
			Name: "scottish", Title: "Scottish STV (Local Government Elections Order 2007)",
			Source:   "The Scottish Local Government Elections Order 2007 (SSI 2007/42), sch. 1, rules 45-52: Droop quota on whole votes, weighted inclusive Gregory transfers, every value calculated to five decimal places with any remainder ignored; one surplus a stage, largest first; exclusion of the lowest candidate, every paper at its value in one stage; ties by the earliest stage with unequal votes, then lot.",
			Transfer: Inclusive, Quota: Droop, Decimals: 5, EqualRanks: Truncate,
		},
		{
			Name: "meek", Title: "Meek STV (New Zealand, Local Electoral Regulations 2001, sch. 1A)",
			Source:   "Hill, Wichmann & Woodall, 'Algorithm 123: Single transferable vote by Meek's method', Computer Journal 30 (1987); NZ Local Electoral Regulations 2001, sch. 1A: values to 9 decimal places, votes kept rounded up (the remainder passes on, so no vote is lost), quota (votes - excess)/(seats+1) truncated plus 10^-9, iteration until the total surplus is below 0.00001.",
			Transfer: Meek, Quota: DroopExact, Decimals: 9, Omega: 10000, EqualRanks: Truncate,
		},
		{
			Name: "meek-prf", Title: "Meek STV, Proportional Representation Foundation reference rule",
			Source:   "Proportional Representation Foundation, 'Reference Meek Rule' (prfound.org): the meek preset with the reference rule's convergence bound, total surplus below 0.000001 (9 decimal places, fixed point). Not yet: the reference rule's treatment as tied of the lowest candidates within the total surplus of each other.",
			Transfer: Meek, Quota: DroopExact, Decimals: 9, Omega: 1000, EqualRanks: Truncate,
		},
		{
			Name: "warren", Title: "Warren STV",
			Source:   "C. H. E. Warren, 'Counting in STV elections', Voting matters 1 (1994): Meek's iteration where each elected candidate keeps its keep value of a ballot's original value (or what remains of it). Same precision and stopping rule as the meek preset.",
			Transfer: Warren, Quota: DroopExact, Decimals: 9, Omega: 10000, EqualRanks: Truncate,
		},
		{
			Name: "rctab", Title: "RCTab multi-winner (fractional surplus transfers)",
			Source:   "RCTab (Bright Spots) tabulator, winnerElectionMode 'multiWinnerAllowMultipleWinnersPerRound', decimalPlacesForVoteArithmetic 4: Droop threshold on whole votes (quota 4 for the non-integer threshold), every surplus of a round transferred together, each ballot at value × (surplus/votes truncated), truncated to 4 decimals.",
			Transfer: Inclusive, Quota: Droop, Decimals: 4, SurplusFraction: true, BatchSurplus: true, EqualRanks: Skip,
		},
		{
			Name: "wigm", Title: "Weighted inclusive Gregory, exact",
			Source:   "The Scottish rules without rounding: exact rational arithmetic and the Droop quota (the reference the rounded statutes approximate).",
			Transfer: Inclusive, Quota: Droop, Decimals: -1,
		},
		{
			Name: "gregory", Title: "Gregory (fractional last-parcel transfers), exact",
			Source:   "J. B. Gregory (1880), as in the ERS97 rules (Electoral Reform Society, 'How to conduct an election by the single transferable vote', 3rd ed. 1997, s. 5.2): the last parcel's transferable papers move at surplus / their value; exact rational arithmetic; exclusion in one stage.",
			Transfer: LastParcel, Quota: Droop, Decimals: -1,
		},
		{
			Name: "ers97", Title: "ERS97-style (last parcel, two decimals)",
			Source:   "Electoral Reform Society, 'How to conduct an election by the single transferable vote', 3rd ed. (1997): last-parcel transfer values and votes to two decimal places, remainders ignored, Droop quota. Not yet: the deferral of small surpluses and the exclusion parcel by parcel of ERS97 s. 5.2.5 and 5.4.",
			Transfer: LastParcel, Quota: Droop, Decimals: 2, EqualRanks: Truncate,
		},
		{
			Name: "irish", Title: "Irish STV (whole votes, seeded draw)",
			Source:   "Electoral Act 1992 (Ireland), ss. 120-122: Droop quota, surpluses moved as whole papers from the last parcel in proportion to next preferences (largest remainders for the odd papers); the papers that move are drawn with the published seed instead of taken from the top of a mixed parcel. Not yet: the non-transfer of a surplus that cannot change the result (s. 121(4)).",
			Transfer: WholeVotes, Quota: Droop, Decimals: 0, EqualRanks: Truncate,
		},
	}
}

// Preset returns the named preset.
func Preset(name string) (Rules, error) {
	i := slices.IndexFunc(Presets(), func(r Rules) bool { return r.Name == name })
	if i < 0 {
		return Rules{}, fmt.Errorf("%w: no STV preset %q (presets: %v)", errOption, name, presetNames())
	}
	return Presets()[i], nil
}

func presetNames() []string {
	var out []string
	for _, r := range Presets() {
		out = append(out, r.Name)
	}
	return out
}
