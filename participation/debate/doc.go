// Package debate is the debate step of a consultation: threaded comments
// with an alignment (for, neutral, against), up and down votes and an
// edit history; Polis-style statements on which participants agree,
// disagree or pass, and the participant × statement matrix export;
// reports by participants, automatic hiding after enough distinct
// reports, and moderators' decisions (participation.Moderator). Every
// contribution records its civickit.Provenance.
//
// The Service admits every contribution through the consultation core
// (Core, which *participation.Service implements): the phase must allow
// the action, the channel be offered and the participant eligible.
// Package storage implements Store (storage.NewDebateStore), and
// debatetest.TestStore checks any implementation.
package debate
