package participation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// OrganisationListPrefix starts the name of every census list of
// organisations. Such a list is claimed only through OrganisationVoices:
// ClaimCensus refuses it, so that no person can claim an association's
// identity (its ID is public) before the association does.
const OrganisationListPrefix = "org:"

// OrganisationVoices gives organisations — associations, collectives,
// neighbourhood groups — a voice of their own in consultations and
// votes: each organisation is one participant, created on first use and
// holding the organisation's identity on a census list of organisations.
// A consultation whose eligibility names that list (Eligibility.CensusList)
// hears one voice per organisation: whoever speaks for it (its
// authorised representative, whom the organisation's registry checks)
// acts as that participant, so a change of representative never gives
// the organisation a second voice.
type OrganisationVoices struct {
	svc  *Service
	list string
}

// NewOrganisationVoices returns the voices of the organisations on the
// census list named list, which must start with OrganisationListPrefix.
func NewOrganisationVoices(svc *Service, list string) (*OrganisationVoices, error) {
	ve := &civickit.ValidationError{}
	list = checkList(list, ve)
	if list != "" && !strings.HasPrefix(list, OrganisationListPrefix) {
		ve.Add("list", "startswith", OrganisationListPrefix)
	}
	if svc == nil {
		return nil, fmt.Errorf("participation: NewOrganisationVoices: nil service")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	return &OrganisationVoices{svc: svc, list: list}, nil
}

// List is the census list a consultation names to hear only
// organisations.
func (v *OrganisationVoices) List() string { return v.list }

// Voice returns the participant who is the organisation's voice, creating
// it (with no personal data) and putting the organisation on the list the
// first time. Concurrent first calls agree on one participant.
func (v *OrganisationVoices) Voice(ctx context.Context, organisationID uuid.UUID) (uuid.UUID, error) {
	if organisationID == uuid.Nil {
		return uuid.Nil, civickit.Invalid("organisation_id", "required", "")
	}
	ident := organisationID.String()
	p, err := v.svc.ParticipantByCensus(ctx, v.list, ident)
	switch {
	case err == nil:
		return p.ID, nil
	case !errors.Is(err, ErrNotFound):
		return uuid.Nil, fmt.Errorf("organisation voice: %w", err)
	}
	if err := v.svc.AddCensusEntries(ctx, v.list, []string{ident}); err != nil {
		return uuid.Nil, fmt.Errorf("organisation voice: %w", err)
	}
	np, err := v.svc.RegisterParticipant(ctx, nil)
	if err != nil {
		return uuid.Nil, fmt.Errorf("organisation voice: %w", err)
	}
	_, err = v.svc.claimCensus(ctx, np.ID, v.list, ident)
	var ce *CensusClaimError
	if errors.As(err, &ce) && ce.Rule == RuleOneParticipantPerIdentity {
		// Another call created the voice first: it is the voice. The
		// participant made here holds nothing and takes part in nothing.
		p, err := v.svc.ParticipantByCensus(ctx, v.list, ident)
		if err != nil {
			return uuid.Nil, fmt.Errorf("organisation voice: %w", err)
		}
		return p.ID, nil
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("organisation voice: %w", err)
	}
	return np.ID, nil
}
