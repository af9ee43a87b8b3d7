package ballotbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// NormalizeVoterID puts an identifier in the form censuses are hashed in:
// letters and digits only, upper case ("ab 12-34" and "AB1234" are one
// voter).
func NormalizeVoterID(id string) string {
	var sb strings.Builder
	for _, r := range id {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(unicode.ToUpper(r))
		}
	}
	return sb.String()
}

// VoterKeyOf is the salted hash that stands for voter id in e's census and
// register: HMAC-SHA256 of the normalised identifier under e's salt.
func VoterKeyOf(e *Election, id string) VoterKey {
	h := hmac.New(sha256.New, e.Salt)
	h.Write([]byte("voter\x00"))
	h.Write(e.ID[:])
	h.Write([]byte(NormalizeVoterID(id)))
	return VoterKey(hex.EncodeToString(h.Sum(nil)))
}

// LoadCensus adds identifiers to an election's census. Only their salted
// hashes are stored. It returns how many were new; empty identifiers are
// refused with a ValidationError naming their index.
func (s *Service) LoadCensus(ctx context.Context, electionID uuid.UUID, ids []string) (int, error) {
	e, err := s.store.GetElection(ctx, electionID)
	if err != nil {
		return 0, err
	}
	if len(e.Salt) == 0 {
		return 0, fmt.Errorf("%w: election %s has no salt", ErrInvalid, electionID)
	}
	var fs []FieldError
	keys := make([]VoterKey, 0, len(ids))
	seen := make(map[VoterKey]bool, len(ids))
	for i, id := range ids {
		if NormalizeVoterID(id) == "" {
			fs = append(fs, FieldError{Field: fmt.Sprintf("ids[%d]", i), Rule: "required"})
			continue
		}
		k := VoterKeyOf(e, id)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if len(fs) > 0 {
		return 0, &ValidationError{Fields: fs}
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
