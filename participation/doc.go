// Package participation is the core of public consultations: a
// consultation and its phases (information, debate, reflection,
// expression of a choice, then evaluation of the policy enacted), the
// actions each phase allows, the channels a contribution comes through
// (web, paper, public access point, mediator, import), the participants,
// whose personal data live apart from their contributions, who may take
// part (eligibility: territory, age, census lists, identity assurance),
// and the information and reflection steps (resources, preliminary
// questions, what each participant read).
//
// The concerns built on a consultation live in sub-packages, each with
// its own Store, Service and conformance suite, so that an integrator
// implements only the stores of the parts they use:
//
//   - debate: threaded comments, votes, edit history, Polis-style
//     statements and the opinion matrix;
//   - proposals: calls for proposals and supports;
//   - questionnaire: questionnaires, responses through every channel,
//     paper batches keyed twice, results (grids and rankings counted by
//     package voting) and k-suppressed exports;
//   - evaluation: the decision, the follow-up of its carrying out, the
//     follow-up consultation and the outcomes of the expression step;
//   - vote: the expression step as a vote — elections of package
//     voting/ballotbox linked to the consultation, admitted by its rules
//     (a ballotbox.Gate), opened and closed with its expression phase.
//
// A sub-package never looks at a consultation's phases, channels or
// eligibility rules itself: it asks the core through a narrow interface
// of its own, which *Service implements — Admit (the phase allows the
// action, the channel is offered, the participant is eligible),
// CheckAction, CheckReflection and GetConsultation. Moderation (reports,
// automatic hiding, moderators' decisions and their log) is one
// implementation, Moderator, that the debate and proposals services
// embed. An expression step may also be a vote (ActionVote), cast in
// package voting/ballotbox and admitted through package vote.
//
// A census list holds identity keys only (civickit.Hasher, keyed by
// Options.IdentitySecret): a participant claims one identity of a list,
// held by no one else, so that one person is one participant on every
// channel (ClaimCensus, ParticipantByCensus).
//
// As in package associations, the package declares the Store interface
// its Service needs (store.go); package storage implements it, and the
// participationtest subpackage holds the conformance suite every
// implementation must pass. Every List method returns a civickit.Page.
//
// Errors match the kernel's kinds (civickit.ErrNotFound, ErrConflict,
// ErrInvalid, ErrForbidden, ErrWrongState...) with errors.Is; the
// package's refinements (ErrWrongPhase, ErrIllegalTransition,
// ErrNotEligible, ErrHidden, ErrCensusClaimed) and typed errors
// (*PhaseError, *EligibilityError, *TransitionError, *CensusClaimError)
// name the rule, read with errors.As.
package participation
