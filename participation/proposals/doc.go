// Package proposals holds what participants propose during a
// consultation: proposals submitted in a call for proposals and supported
// by others during the expression of choices, one support per person
// whatever the channel, and their reports and moderation
// (participation.Moderator). It is where participatory budgets and
// councils grow.
//
// The Service admits every contribution through the consultation core
// (Core, which *participation.Service implements). Package storage
// implements Store (storage.NewProposalStore), and proposalstest.TestStore
// checks any implementation.
package proposals
