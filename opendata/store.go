package opendata

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Store persists datasets and searches them. It is owned here; package
// storage implements it with bun on SQLite, PostgreSQL and MariaDB, and
// opendatatest.TestStore checks any implementation against the contract
// written on each method.
//
// A store keeps datasets exactly as given (every field, to the
// microsecond for CreatedAt and UpdatedAt); it checks only what it needs
// as keys (see CheckStorable), not DCAT-AP conformance: call Validate
// before publishing, and let harvesters store what they could map.
type Store interface {
	// CreateDataset inserts d with Revision 1 (d.ID is set by the caller
	// and must not be nil). A zero CreatedAt is set to the store's clock;
	// a zero UpdatedAt to CreatedAt. ErrConflict if the ID, Identifier or
	// IRI is taken; ErrInvalid if CheckStorable refuses d.
	CreateDataset(ctx context.Context, d *Dataset) error
	// GetDataset returns ErrNotFound for an unknown ID.
	GetDataset(ctx context.Context, id uuid.UUID) (*Dataset, error)
	// GetDatasetByIdentifier returns ErrNotFound for an unknown identifier.
	GetDatasetByIdentifier(ctx context.Context, identifier string) (*Dataset, error)
	// UpdateDataset replaces the stored dataset if its Revision equals
	// d.Revision, then stores and sets d.Revision+1. A zero UpdatedAt is
	// set to the store's clock; CreatedAt is kept as stored. ErrNotFound
	// if absent, ErrConflict if the revision is stale or the new
	// Identifier or IRI is taken.
	UpdateDataset(ctx context.Context, d *Dataset) error
	// DeleteDataset removes a dataset; ErrNotFound if absent.
	DeleteDataset(ctx context.Context, id uuid.UUID) error
	// UpsertDatasetByIdentifier inserts d or, when its Identifier is known,
	// replaces the stored content (keeping the stored ID and CreatedAt,
	// bumping Revision) unless it is unchanged (every field but ID,
	// Revision, CreatedAt and UpdatedAt equal), in which case nothing is
	// written. On return d holds what is stored. created reports an
	// insert. It is idempotent: harvesting the same catalogue twice
	// creates nothing the second time. Concurrent upserts of one
	// identifier create it once.
	UpsertDatasetByIdentifier(ctx context.Context, d *Dataset) (created bool, err error)
	// SearchDatasets returns the page of datasets q selects (see
	// SearchQuery for the semantics), the total number of matches and the
	// facet counts q asks for. ErrInvalid if q.Normalize fails.
	SearchDatasets(ctx context.Context, q SearchQuery) (*SearchResult, error)
	// ListPublishers returns every publisher of a stored dataset with its
	// number of datasets, ordered by Key. The Agent is the publisher of
	// its first dataset in SortModified order (the most recently updated).
	ListPublishers(ctx context.Context) ([]PublisherCount, error)
}

// PublisherCount is a publisher and how many datasets it has.
type PublisherCount struct {
	Key      string `json:"key"` // PublisherKey(&Agent)
	Agent    Agent  `json:"agent"`
	Datasets int    `json:"datasets"`
}

// CheckStorable reports what keeps a store from keeping d: an empty or
// over-long Identifier (MaxIdentifierLen bytes), an over-long IRI
// (MaxIRILen bytes), text that is not UTF-8 in those keys. It returns a
// *ValidationError (ErrInvalid) or nil.
func CheckStorable(d *Dataset) error {
	var ve ValidationError
	switch {
	case strings.TrimSpace(d.Identifier) == "":
		ve.violation("identifier", RuleMandatory, "dct:identifier")
	case len(d.Identifier) > MaxIdentifierLen:
		ve.violation("identifier", RuleFormat, "at most "+strconv.Itoa(MaxIdentifierLen)+" bytes")
	case !validUTF8(d.Identifier):
		ve.violation("identifier", RuleFormat, "UTF-8")
	}
	if len(d.IRI) > MaxIRILen {
		ve.violation("iri", RuleFormat, "at most "+strconv.Itoa(MaxIRILen)+" bytes")
	} else if !validUTF8(d.IRI) {
		ve.violation("iri", RuleFormat, "UTF-8")
	}
	return ve.orNil()
}

func validUTF8(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
