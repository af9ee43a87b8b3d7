package civickit

import "github.com/google/uuid"

// Identifiers are injected into every Service (Options.NewID and, where a
// row's order must not leak, Options.NewSecretID); these are the defaults.

// NewPublicID returns a time-ordered identifier (UUID version 7), for
// rows whose creation order is public anyway (consultations, datasets).
func NewPublicID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// NewSecretID returns a random identifier (UUID version 4), for rows whose
// order must not leak (participants, people, ballots).
func NewSecretID() uuid.UUID { return uuid.New() }
