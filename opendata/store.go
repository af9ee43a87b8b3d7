package opendata

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Store persists datasets and searches them: narrow persistence, used
// through a Service, which owns the clock, the identifiers and the
// checks. It is owned here; package storage implements it with bun on
// SQLite, PostgreSQL and MariaDB, and opendatatest.TestStore checks any
// implementation against the contract written on each method.
//
// A store keeps datasets exactly as given (every field, to the
// microsecond for CreatedAt and UpdatedAt). It neither reads a clock nor
// makes identifiers nor validates: the Service has checked what it hands
// over (CheckStorable, SearchQuery.Normalize).
type Store interface {
	// CreateDataset inserts d as given: its ID (not nil), Revision 1,
	// CreatedAt and UpdatedAt. ErrConflict if the ID, Identifier or IRI is
	// taken.
	CreateDataset(ctx context.Context, d *Dataset) error
	// GetDataset returns ErrNotFound for an unknown ID.
	GetDataset(ctx context.Context, id uuid.UUID) (*Dataset, error)
	// GetDatasetByIdentifier returns ErrNotFound for an unknown identifier.
	GetDatasetByIdentifier(ctx context.Context, identifier string) (*Dataset, error)
	// UpdateDataset replaces the stored dataset if its Revision equals
	// d.Revision, then stores and sets d.Revision+1; d.UpdatedAt is stored
	// as given, CreatedAt is kept as stored (and set in d). ErrNotFound if
	// absent, ErrConflict if the revision is stale or the new Identifier
	// or IRI is taken.
	UpdateDataset(ctx context.Context, d *Dataset) error
	// DeleteDataset removes a dataset; ErrNotFound if absent.
	DeleteDataset(ctx context.Context, id uuid.UUID) error
	// UpsertDatasetByIdentifier inserts d as CreateDataset does or, when
	// its Identifier is known, replaces the stored content (keeping the
	// stored ID and CreatedAt, storing d.UpdatedAt, bumping Revision)
	// unless it is unchanged (every field but ID, Revision, CreatedAt and
	// UpdatedAt equal), in which case nothing is written. On return d
	// holds what is stored. created reports an insert. Concurrent upserts
	// of one identifier create it once.
	UpsertDatasetByIdentifier(ctx context.Context, d *Dataset) (created bool, err error)
	// SearchDatasets returns the page of datasets q selects (see
	// SearchQuery for the semantics), the total number of matches and the
	// facet counts q asks for. q has been normalised (Normalize); a
	// malformed q.After is still a *civickit.ValidationError on "after".
	SearchDatasets(ctx context.Context, q SearchQuery) (*SearchResult, error)
	// ListPublishers returns a page of the publishers of stored datasets
	// with their number of datasets, ordered by Key, with the kernel's
	// paging (civickit.CheckLimit, a malformed after is ErrInvalid). The
	// Agent is the publisher of its first dataset in SortModified order
	// (the most recently updated).
	ListPublishers(ctx context.Context, after string, limit int) (civickit.Page[PublisherCount], error)
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
// *civickit.ValidationError (ErrInvalid) or nil.
func CheckStorable(d *Dataset) error {
	ve := &civickit.ValidationError{}
	switch {
	case strings.TrimSpace(d.Identifier) == "":
		ve.Add("identifier", RuleMandatory, "dct:identifier")
	case len(d.Identifier) > MaxIdentifierLen:
		ve.Add("identifier", RuleFormat, "at most "+strconv.Itoa(MaxIdentifierLen)+" bytes")
	case !validUTF8(d.Identifier):
		ve.Add("identifier", RuleFormat, "UTF-8")
	}
	if len(d.IRI) > MaxIRILen {
		ve.Add("iri", RuleFormat, "at most "+strconv.Itoa(MaxIRILen)+" bytes")
	} else if !validUTF8(d.IRI) {
		ve.Add("iri", RuleFormat, "UTF-8")
	}
	return ve.Err()
}

func validUTF8(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
