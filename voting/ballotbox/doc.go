// Package ballotbox casts secret ballots exactly once per eligible voter
// across every channel (web, paper, public access points, mediators,
// imports), hands each voter a receipt, and keeps a public hash-chained
// board from which anyone can recompute the chain and the tally.
//
// Who voted (the voter register) and what was voted (the ballots) are kept
// apart: ballot identifiers are random, stored times are coarse, and no
// column, key or order links a ballot to a register entry.
//
// Counting is done by the methods of package voting: an Election's
// questions name a method, and a Tally turns accepted ballots into the
// profile that method counts.
package ballotbox
