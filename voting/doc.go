// Package voting counts votes: ballots and profiles, the ballot methods
// (ranked, Condorcet, cardinal, graded), results that explain themselves
// round by round, and tie-breaking policies. It is pure computation: no
// storage, no I/O in the methods.
//
// A Profile stores each distinct ballot once with its count, so memory and
// most work grow with the number of distinct ballots, not of voters.
// Methods are listed in a Registry; each takes an Input (ranked or
// cardinal ballots) and Options (variant, tie policy) and returns a Result
// with the winners before any tie-break, the elected after the tie policy,
// the ranking where the method defines one, and its rounds.
package voting
