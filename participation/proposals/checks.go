package proposals

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Limits of proposals.
const (
	MaxTitleLen = 200   // runes of a proposal's title
	MaxBodyLen  = 10000 // runes of a proposal's text
	MaxKeyLen   = 100   // bytes of an idempotency key
)

// checkContributor adds the broken rules of a contributor and of the
// provenance of their contribution to ve: a participant is required and
// the provenance must be valid.
func checkContributor(field string, participantID uuid.UUID, p civickit.Provenance, ve *civickit.ValidationError) {
	if participantID == uuid.Nil {
		ve.Add(field, "required", "")
	}
	p.Check("provenance", ve)
}

// checkKey checks an idempotency key: at most MaxKeyLen bytes of
// printable ASCII.
func checkKey(key string, ve *civickit.ValidationError) {
	if len(key) > MaxKeyLen {
		ve.Add("idempotency_key", "max", fmt.Sprint(MaxKeyLen))
		return
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			ve.Add("idempotency_key", "printascii", "")
			return
		}
	}
}

// checkReplay checks that a contribution returned for a retried
// idempotency key is the one asked for again; a key reused for
// something else is ErrConflict.
func checkReplay(same bool, key string) error {
	if !same {
		return fmt.Errorf("idempotency key %q already used for another contribution: %w", key, participation.ErrConflict)
	}
	return nil
}
