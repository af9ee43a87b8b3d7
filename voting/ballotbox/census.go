package ballotbox

import (
	"context"
	"crypto/hmac"
	"fmt"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
)

// VoterKey identifies a voter within one election: the identity key
// (civickit.Hasher.Key) of the normalised identifier, salted by the
// election's salt and keyed by Options.Secret. Censuses and the register
// hold only these.
type VoterKey = civickit.IdentityKey

// VoterSalt salts the voter keys of one election. The store keeps it
// apart from the census and the register (its own table), and it is
// never published nor serialised.
type VoterSalt struct {
	Salt civickit.Salt `json:"-"`
	// SecretCheck fingerprints the Service secret (Options.Secret) that
	// keys the election's voter keys on top of the salt, so that whoever
	// holds a copy of the database cannot test candidate identifiers
	// against them: HMAC-SHA256(secret, "secret-check" || election ID),
	// hex. A Service with another secret is refused the election
	// (ErrSecretMismatch): its keys would name no one, so a voter who
	// voted would vote again. It is empty for elections created before
	// keys were keyed by the secret (a migration carried their salts
	// over): their keys are salted only, as they were stored.
	SecretCheck string `json:"-"`
}

// voterScope delimits the identity keys of one election (fixed length):
// with an empty secret, the keys are those ballotbox has always stored,
// HMAC(salt, "voter\x00" || election ID || identifier).
func voterScope(electionID uuid.UUID) string { return "voter\x00" + string(electionID[:]) }

// VoterKeyOf returns the key of identifier id in the election electionID
// whose salt is salt, computed by h, and false when id has no letter or
// digit. The Service computes keys with VoterKey; this is for tools that
// hold the secret and the salt.
func VoterKeyOf(h civickit.Hasher, salt civickit.Salt, electionID uuid.UUID, id string) (VoterKey, bool) {
	return h.Key(salt, voterScope(electionID), id)
}

// secretCheck is the SecretCheck of the Service's secret for an election.
func (s *Service) secretCheck(electionID uuid.UUID) string {
	return s.mac([]byte("secret-check"), electionID[:])
}

// salt returns an election's voter salt, from the store the first time
// (a salt never changes), after checking that the Service's secret is the
// one that keys the election.
func (s *Service) salt(ctx context.Context, electionID uuid.UUID) (VoterSalt, error) {
	if v, ok := s.salts.Load(electionID); ok {
		return v.(VoterSalt), nil
	}
	vs, err := s.store.ElectionSalt(ctx, electionID)
	if err != nil {
		return VoterSalt{}, err
	}
	if len(vs.Salt) == 0 {
		return VoterSalt{}, fmt.Errorf("ballotbox: election %s has no salt", electionID)
	}
	if vs.SecretCheck != "" && len(s.secret) == 0 {
		return VoterSalt{}, fmt.Errorf("%w: election %s keys its voters with a secret", ErrSecretRequired, electionID)
	}
	if vs.SecretCheck != "" && !hmac.Equal([]byte(vs.SecretCheck), []byte(s.secretCheck(electionID))) {
		return VoterSalt{}, fmt.Errorf("%w: election %s", ErrSecretMismatch, electionID)
	}
	s.salts.Store(electionID, vs)
	return vs, nil
}

// hasher computes the keys of an election salted by vs.
func (s *Service) hasher(vs VoterSalt) civickit.Hasher {
	if vs.SecretCheck != "" {
		return civickit.Hasher{Secret: s.secret}
	}
	return civickit.Hasher{}
}

// VoterKey returns the key that stands for identifier id in the census and
// register of election electionID. An identifier without letter or digit
// is an *EligibilityError (rule "identifier"); ErrSecretMismatch when the
// Service's secret is not the election's.
func (s *Service) VoterKey(ctx context.Context, electionID uuid.UUID, id string) (VoterKey, error) {
	vs, err := s.salt(ctx, electionID)
	if err != nil {
		return "", err
	}
	k, ok := VoterKeyOf(s.hasher(vs), vs.Salt, electionID, id)
	if !ok {
		return "", &EligibilityError{Rule: "identifier", Detail: "no voter identifier"}
	}
	return k, nil
}

// LoadCensus adds identifiers to an election's census. Only their keys
// are stored. It returns how many were new; identifiers without letter or
// digit are refused with a *civickit.ValidationError naming their index.
func (s *Service) LoadCensus(ctx context.Context, electionID uuid.UUID, ids []string) (int, error) {
	vs, err := s.salt(ctx, electionID)
	if err != nil {
		return 0, err
	}
	h := s.hasher(vs)
	ve := &civickit.ValidationError{}
	keys := make([]VoterKey, 0, len(ids))
	seen := make(map[VoterKey]bool, len(ids))
	for i, id := range ids {
		k, ok := VoterKeyOf(h, vs.Salt, electionID, id)
		if !ok {
			ve.Addf("required", "", "ids[%d]", i)
			continue
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if err := ve.Err(); err != nil {
		return 0, err
	}
	const chunk = 1000
	added := 0
	for i := 0; i < len(keys); i += chunk {
		n, err := s.store.AddCensus(ctx, electionID, keys[i:min(i+chunk, len(keys))])
		added += n
		if err != nil {
			return added, err
		}
	}
	return added, nil
}
