// Package panel answers two questions about a consultation's public.
//
// Who answered? Respondents declare attributes (age band, gender,
// district…; "unknown" and "declined" are explicit values), population
// margins come from a census table (CSV: category, value, count or
// share), and Representativeness compares the two: each value's share
// against the population's with absolute and relative gaps, chi-square
// and G tests with p-values, an R-indicator, and the groups missing or
// under half their share — as a table or an accessible SVG chart. Rake
// weights respondents to the margins (iterative proportional fitting,
// with trimming and the Kish effective sample size) so weighted results
// can be shown next to the raw ones.
//
// Who is drawn? Select draws a citizens' panel of size k from a pool of
// volunteers with per-value quotas and at most one person per household:
// LEGACY (the Sortition Foundation's greedy), MAXIMIN, NASH and LEXIMIN
// (column generation over panels, an LP master and an integer pricing
// problem, both solved here in pure Go). It returns the distribution
// over panels and everyone's selection probability; Draw takes one panel
// from it with a published seed, and a Manifest lets anyone re-run the
// draw to the same panel. Infeasible quotas are explained with the
// smallest relaxation that makes them feasible.
//
// The package is pure computation: no storage, no clock, no global
// state. People in the pool are known by the pool's pseudonyms only.
package panel
