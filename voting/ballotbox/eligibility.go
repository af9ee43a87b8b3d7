package ballotbox

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/civickit/civickit"
)

// Voter is who casts, as the identity provider and the operator know
// them. Nothing of it is stored but the VoterKey of its ID.
type Voter struct {
	// ID is the identifier the census lists (a document number, a
	// resident number, an account ID), compared after
	// civickit.NormalizeIdentifier.
	ID        string `json:"id"`
	Territory string `json:"territory,omitempty"`
	// BirthDate may be partial: a year only, or a year and month.
	BirthDate civickit.PartialDate    `json:"birth_date,omitzero"`
	Assurance civickit.AssuranceLevel `json:"assurance,omitempty"`
}

// CheckEligibility checks v against e's rules: an identifier, assurance
// level, territory, minimum age on the closing day, census (a store read).
// It returns an *EligibilityError naming the first rule failed.
func (s *Service) CheckEligibility(ctx context.Context, e *Election, v Voter) error {
	if civickit.NormalizeIdentifier(v.ID) == "" {
		return &EligibilityError{Rule: "identifier", Detail: "no voter identifier"}
	}
	key, err := s.VoterKey(ctx, e.ID, v.ID)
	if err != nil {
		return err
	}
	return s.checkEligibility(ctx, e, v, key)
}

func (s *Service) checkEligibility(ctx context.Context, e *Election, v Voter, key VoterKey) error {
	el := e.Eligibility
	if el.Assurance != civickit.AssuranceNone && !v.Assurance.AtLeast(el.Assurance) {
		return &EligibilityError{Rule: "assurance", Detail: fmt.Sprintf("%q below %q", v.Assurance, el.Assurance)}
	}
	if len(el.Territories) > 0 && !slices.Contains(el.Territories, v.Territory) {
		return &EligibilityError{Rule: "territory"}
	}
	// The closing day is the day of the published close's last instant
	// (a close at midnight ends the day before), in UTC; an early close
	// does not change who is old enough.
	if el.MinimumAge > 0 && !v.BirthDate.CertainlyAtLeast(el.MinimumAge, e.Closes.Add(-time.Nanosecond).UTC()) {
		return &EligibilityError{Rule: "minimum_age", Detail: fmt.Sprintf("not proven %d on the closing day", el.MinimumAge)}
	}
	if el.Census {
		ok, err := s.store.InCensus(ctx, e.ID, key)
		if err != nil {
			return err
		}
		if !ok {
			return &EligibilityError{Rule: "census"}
		}
	}
	return nil
}
