package voting

// Ballot returns the i-th distinct ranking of Ballots' order (0 ≤ i <
// Distinct()) and its count, made for the caller. Writers that reorder the
// ballots (PrefLib's by decreasing count) use it to keep an index per
// ballot instead of every Ranking.
func (p *Profile) Ballot(i int) (Ranking, int64) {
	return rankingOf(p.set.Ballot(i)), p.set.Counts[i]
}
