// Package vote makes a consultation's expression step a vote: elections
// of the ballot box (package voting/ballotbox) that belong to a
// consultation, voted in only under the consultation's rules.
//
// A linked election is one system with its consultation:
//
//   - Phase → gate: Gate implements ballotbox.Gate. Every cast, paper
//     voter's mark and offline sync of a linked election is admitted by
//     the consultation core (participation.Service.Admit with
//     participation.ActionVote): the active phase must allow the vote,
//     the consultation must offer the channel and the participant must be
//     eligible (territory, minimum age, census claim, assurance). The
//     voter's ID is the participant's ID: participants become voters
//     through the consultation's one identity model, and no census is
//     loaded into the ballot box. A refusal is the core's typed error
//     (*participation.PhaseError, *participation.EligibilityError, a
//     *civickit.ValidationError with rule "offered") and nothing is
//     written.
//   - Phase → window: an election's window is the expression phase's
//     dates, so that a consultation following its schedule needs
//     nothing more. Service.Transition moves a consultation by hand and
//     then Reconcile opens its elections early (ballotbox OpenNow) when
//     the expression phase starts early, and closes them
//     (ballotbox CloseNow) when the consultation leaves it.
//   - Box → results → evaluation: Service.Results gives each election's
//     results under the ballot box's visibility rules; Service.Outcomes
//     implements evaluation.OutcomeSource, so that the evaluation of the
//     consultation shows the vote's public outcome.
//
// Wiring, the Gate first since the ballot box needs it and the Service
// needs the ballot box:
//
//	links := storage.NewVoteStore(db)
//	gate := vote.NewGate(links, core)
//	box, _ := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{Gate: gate, Secret: secret})
//	votes, _ := vote.NewService(links, core, box, vote.Options{})
//	evals, _ := evaluation.NewService(storage.NewEvaluationStore(db), core, evaluation.Options{Outcomes: votes})
//
// Package storage implements Store (storage.NewVoteStore), and
// votetest.TestStore checks any implementation.
package vote
