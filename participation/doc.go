// Package participation will hold the building blocks of public
// consultations: a consultation and its steps (information, debate,
// reflection, expression of a choice, then evaluation of the policy
// enacted), the contributions people make, the channel each comes through
// (web, paper, public access point, mediator) and the participants, with
// identification of the self-constituted panel against the population.
//
// It is being built and exports nothing yet. As in package associations, it
// will declare the Store interface its Service needs, package storage will
// implement that interface, and a participationtest subpackage will hold the
// conformance suite every implementation must pass. A panel subpackage will
// cover panel identification, weighting and sortition. An expression step
// of a consultation may be a vote, counted by package voting.
package participation
