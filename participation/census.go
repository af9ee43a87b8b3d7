package participation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Census lists (an electoral roll, the residents of a district) say who
// may take part. Following the kernel's identity model, neither a list
// nor a participant holds an identifier in clear: both hold its identity
// key, civickit.Hasher{Secret: Options.IdentitySecret}.Key(salt, scope,
// identifier), with one random salt per list kept apart from the keys.
//
// A participant claims the identity of one person on a list, once: one
// identity is held by at most one participant, so that the same person
// registered twice (on the web, then on paper) cannot take part twice.
// An agent keying a paper form finds the participant already holding an
// identity (ParticipantByCensus) and keys the form for them; the rule of
// one response per participant then holds across channels.

// ErrCensusClaimed: the census identity is held by another participant,
// or the participant already holds another identity of that list; see
// *CensusClaimError.
var ErrCensusClaimed = civickit.Sentinel(civickit.ErrConflict, "participation: census identity already claimed")

// Rules a census claim can break.
const (
	// RuleOneParticipantPerIdentity: another participant holds the
	// identity.
	RuleOneParticipantPerIdentity = "one_participant_per_identity"
	// RuleOneIdentityPerParticipant: the participant holds another
	// identity of the list.
	RuleOneIdentityPerParticipant = "one_identity_per_participant"
)

// CensusClaimError refuses a census claim and names the rule. It matches
// ErrCensusClaimed and civickit.ErrConflict.
type CensusClaimError struct {
	List string `json:"list"`
	Rule string `json:"rule"`
}

func (e *CensusClaimError) Error() string {
	return fmt.Sprintf("participation: census list %q: %s", e.List, e.Rule)
}

// Unwrap makes errors.Is(err, ErrCensusClaimed) true.
func (e *CensusClaimError) Unwrap() error { return ErrCensusClaimed }

// CensusClaim records that a participant is the person holding an
// identity of a census list. The identity key is never published.
type CensusClaim struct {
	List          string               `json:"list"`
	Key           civickit.IdentityKey `json:"-"`
	ParticipantID uuid.UUID            `json:"participant_id"`
	ClaimedAt     time.Time            `json:"claimed_at"`
}

// Limits of census inputs.
const (
	MaxCensusBatch   = 100_000 // identifiers of one AddCensusEntries call
	MaxCensusListLen = 100     // bytes of a list's name
	MaxIdentifierLen = 100     // bytes of an identifier
)

// censusScope is the hashing scope of a list's identities: it delimits
// itself with NUL bytes, as civickit.Hasher.Key requires.
func censusScope(list string) string { return "census\x00" + list + "\x00" }

// checkList adds the rules a list name breaks to ve and returns it
// trimmed.
func checkList(list string, ve *civickit.ValidationError) string {
	list = strings.TrimSpace(list)
	switch {
	case list == "":
		ve.Add("list", "required", "")
	case len(list) > MaxCensusListLen:
		ve.Add("list", "max", fmt.Sprint(MaxCensusListLen))
	}
	return list
}

// censusSalt returns the list's salt, drawing and storing one when the
// list has none and create is set; without create a list with no salt
// is ErrNotFound.
func (s *Service) censusSalt(ctx context.Context, list string, create bool) (civickit.Salt, error) {
	var fresh civickit.Salt
	if create {
		var err error
		if fresh, err = civickit.NewSalt(s.rand); err != nil {
			return nil, err
		}
	}
	return s.store.CensusSalt(ctx, list, fresh)
}

// checkIdentifier adds the rules an identifier breaks to ve on path: at
// most MaxIdentifierLen bytes, and at least one letter or digit.
func checkIdentifier(path, identifier string, ve *civickit.ValidationError) {
	switch {
	case len(identifier) > MaxIdentifierLen:
		ve.Add(path, "max", fmt.Sprint(MaxIdentifierLen))
	case civickit.NormalizeIdentifier(identifier) == "":
		ve.Add(path, "identifier", "")
	}
}

// identityKey returns the identity key of identifier on the list, or a
// *civickit.ValidationError on path when the identifier names no one.
func (s *Service) identityKey(salt civickit.Salt, list, identifier, path string) (civickit.IdentityKey, error) {
	ve := &civickit.ValidationError{}
	checkIdentifier(path, identifier, ve)
	if err := ve.Err(); err != nil {
		return "", err
	}
	key, _ := s.hasher.Key(salt, censusScope(list), identifier)
	return key, nil
}

// AddCensusEntries adds people to the census list named list, by their
// identifiers (electoral roll numbers, resident card numbers), of which
// only the identity keys are stored. Identifiers are compared in the
// kernel's normal form: "ab 12-34" and "AB1234" are one person.
func (s *Service) AddCensusEntries(ctx context.Context, list string, identifiers []string) error {
	ve := &civickit.ValidationError{}
	list = checkList(list, ve)
	if len(identifiers) > MaxCensusBatch {
		ve.Add("identifiers", "max", fmt.Sprint(MaxCensusBatch))
	} else {
		for i, id := range identifiers {
			checkIdentifier(fmt.Sprintf("identifiers[%d]", i), id, ve)
		}
	}
	if err := ve.Err(); err != nil {
		return err
	}
	salt, err := s.censusSalt(ctx, list, true)
	if err != nil {
		return fmt.Errorf("add census entries: %w", err)
	}
	keys := make([]civickit.IdentityKey, len(identifiers))
	for i, id := range identifiers {
		keys[i], _ = s.hasher.Key(salt, censusScope(list), id)
	}
	if err := s.store.AddCensusKeys(ctx, list, keys); err != nil {
		return fmt.Errorf("add census entries: %w", err)
	}
	return nil
}

// ClaimCensus records that the participant is the person identified by
// identifier on the census list. Claiming again the identity one holds
// is not an error. An identity held by another participant, or a second
// identity of the same list, is a *CensusClaimError (ErrConflict) and
// nothing is stored: one person, one participant. The identifier need
// not be on the list (yet): eligibility checks that.
//
// Lists of organisations (named with OrganisationListPrefix) are claimed
// only through OrganisationVoices: a claim here is refused with the rule
// "reserved".
func (s *Service) ClaimCensus(ctx context.Context, participantID uuid.UUID, list, identifier string) (*CensusClaim, error) {
	if strings.HasPrefix(strings.TrimSpace(list), OrganisationListPrefix) {
		return nil, civickit.Invalid("list", "reserved", OrganisationListPrefix)
	}
	return s.claimCensus(ctx, participantID, list, identifier)
}

func (s *Service) claimCensus(ctx context.Context, participantID uuid.UUID, list, identifier string) (*CensusClaim, error) {
	ve := &civickit.ValidationError{}
	list = checkList(list, ve)
	if participantID == uuid.Nil {
		ve.Add("participant_id", "required", "")
	}
	checkIdentifier("identifier", identifier, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	salt, err := s.censusSalt(ctx, list, true)
	if err != nil {
		return nil, fmt.Errorf("claim census: %w", err)
	}
	key, err := s.identityKey(salt, list, identifier, "identifier")
	if err != nil {
		return nil, err
	}
	c := &CensusClaim{List: list, Key: key, ParticipantID: participantID, ClaimedAt: s.now().UTC()}
	err = s.store.ClaimCensus(ctx, c)
	if errors.Is(err, ErrConflict) {
		// Name the rule: the identity is someone else's, or the
		// participant holds another one.
		rule := RuleOneIdentityPerParticipant
		if holder, herr := s.store.CensusHolder(ctx, list, key); herr == nil && holder != participantID {
			rule = RuleOneParticipantPerIdentity
		}
		return nil, &CensusClaimError{List: list, Rule: rule}
	}
	if err != nil {
		return nil, fmt.Errorf("claim census: %w", err)
	}
	return c, nil
}

// ParticipantByCensus returns the participant who claimed identifier on
// the census list, or ErrNotFound. An agent keying a paper form looks
// the respondent up with it, so that a person who took part on the web
// is keyed as the same participant.
func (s *Service) ParticipantByCensus(ctx context.Context, list, identifier string) (*Participant, error) {
	ve := &civickit.ValidationError{}
	list = checkList(list, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	salt, err := s.censusSalt(ctx, list, false)
	if err != nil {
		return nil, fmt.Errorf("participant by census: %w", err)
	}
	key, err := s.identityKey(salt, list, identifier, "identifier")
	if err != nil {
		return nil, err
	}
	id, err := s.store.CensusHolder(ctx, list, key)
	if err != nil {
		return nil, fmt.Errorf("participant by census: %w", err)
	}
	return s.store.GetParticipant(ctx, id)
}

// inCensus reports whether the participant claimed an identity of the
// list that is on it.
func (s *Service) inCensus(ctx context.Context, list string, participantID uuid.UUID) (bool, error) {
	key, err := s.store.CensusKeyOf(ctx, list, participantID)
	switch {
	case errors.Is(err, ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return s.store.InCensus(ctx, list, key)
}
