// Package voting will hold ballots, voter profiles, counting methods,
// results and tie-breaking policies. A counting method will be a pure
// function of a profile: no I/O, so researchers can run it on any data and
// check its result.
//
// It is being built and exports nothing yet. Planned subpackages: ballotbox
// (secret, exactly-once casting, receipts and a bulletin board), formats
// (readers and writers for PrefLib, BLT, Pabulib, ABIF and CSV files) and
// votingtest (the conformance suite for its Store interface).
package voting
