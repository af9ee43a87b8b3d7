// Package participation holds the building blocks of public
// consultations: a consultation and its phases (information, debate,
// reflection, expression of a choice, then evaluation of the policy
// enacted), the actions each phase allows, the contributions people make,
// the channel each comes through (web, paper, public access point,
// mediator, import) and the participants, whose personal data live apart
// from their contributions.
//
// As in package associations, the package declares the Store interface
// its Service needs (store.go); package storage implements it, and the
// participationtest subpackage holds the conformance suite every
// implementation must pass. An expression step of a consultation may be a
// vote, counted by package voting.
//
// Errors are sentinels (ErrNotFound, ErrWrongPhase, ErrNotEligible, ...)
// matched with errors.Is, and typed errors (*ValidationError, *PhaseError,
// *EligibilityError, *TransitionError) that name the field and the rule,
// read with errors.As.
package participation
