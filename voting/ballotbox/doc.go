// Package ballotbox casts secret ballots exactly once per eligible person
// across every channel (web, paper, public access points, mediators,
// imports), hands each voter a receipt, and keeps a public hash-chained
// board from which anyone can recompute the chain and the tally.
//
// Who voted (the voter register) and what was voted (the ballots) are kept
// apart: ballot identifiers are random, stored times are coarse, and no
// column, key or order links a ballot to a register entry. Voters are
// known only by identity keys (civickit.Hasher) salted per election and
// keyed by the Service's secret (Options.Secret, required).
//
// Exactly once per person: every identified ballot (web, kiosk, mediator,
// import) and every voter marked at a polling place goes through one
// register, and a polling place never counts more paper sheets than voters
// marked there — the excess is held for reconciliation (BatchExcess).
//
// An election may belong to a wider process (a consultation's phase):
// Options.Gate admits each write, and OpenNow and CloseNow move its window.
//
// Counting is done by the methods of package voting: an Election's
// questions name a method, and a Tally turns accepted ballots into the
// profile that method counts.
//
// Errors match the kernel's kinds (civickit.ErrNotFound, ErrConflict,
// ErrInvalid, ErrForbidden, ErrWrongState, ErrUnavailable) with
// errors.Is; invalid input is a *civickit.ValidationError.
package ballotbox
