// Package pb counts participatory budgets: an Election holds a budget,
// projects with costs and the voters' ballots (approval, ordinal,
// cumulative or scoring, as in Pabulib files, read by
// voting/formats.ReadPabulib), and the rules of the pabutools family fund
// projects within the budget: Greedy (by utility, the rule of most
// cities), GreedyRatio (by utility per cost), MaxUtility (the exact
// utilitarian optimum, by branch and bound, refused past a node limit),
// MES (the Method of Equal Shares, with the add-one, epsilon and
// utilitarian completions) and Phragmen (sequential Phragmén).
//
// Every Result lists each project's support, utility and the reason it
// was or was not funded, and writes itself as text or JSON. Ties go to a
// voting.TiePolicy over the projects (file order by default). Amounts are
// float64: Pabulib budgets carry cents; comparisons with the budget allow
// a relative 1e-12 for rounding.
package pb
