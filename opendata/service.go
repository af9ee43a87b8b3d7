package opendata

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// Options configures a Service. The zero value is usable.
type Options struct {
	// Now returns the current time; time.Now by default. It stamps
	// CreatedAt and UpdatedAt.
	Now func() time.Time
	// NewID returns the ID of a new dataset; civickit.NewPublicID (UUID
	// v7) by default: a catalogue's creation order is public.
	NewID func() uuid.UUID
	// Strict refuses, on every write, a dataset whose Validate report
	// holds a violation (warnings pass). Off by default: a harvester
	// stores what it could map, and Validate is for publishing.
	Strict bool
}

// Service is the catalogue's API: it owns the clock, the dataset IDs and
// the checks, and calls the Store. The harvester (HarvestTarget), the
// publisher (DatasetUpserter) and the CKAN actions go through it.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func() uuid.UUID
	strict bool
}

// NewService returns a Service over store.
func NewService(store Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("opendata: NewService: nil store")
	}
	s := &Service{store: store, now: opts.Now, newID: opts.NewID, strict: opts.Strict}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = civickit.NewPublicID
	}
	return s, nil
}

// check returns why d cannot be stored: CheckStorable, and in Strict mode
// the violations of its Validate report.
func (s *Service) check(d *Dataset) error {
	ve := &civickit.ValidationError{}
	ve.Merge("", CheckStorable(d))
	// Dates in the future are refused in every mode, by the service's
	// clock (Strict mode reports them through Validate too).
	if !s.strict {
		for _, f := range futureDates(d, s.now()) {
			ve.Add(f, RuleFormat, "in the future")
		}
	}
	if s.strict {
		ve.Merge("", d.Validate().Err())
	}
	return ve.Err()
}

// CreateDataset stores d as a new dataset. The service sets its ID,
// Revision and timestamps. ErrConflict if its Identifier or IRI is taken;
// a *civickit.ValidationError if it cannot be stored (CheckStorable, and
// Validate in Strict mode).
func (s *Service) CreateDataset(ctx context.Context, d Dataset) (*Dataset, error) {
	if err := s.check(&d); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	d.ID = s.newID()
	d.Revision = 1
	d.CreatedAt, d.UpdatedAt = now, now
	if err := s.store.CreateDataset(ctx, &d); err != nil {
		return nil, fmt.Errorf("create dataset: %w", err)
	}
	return &d, nil
}

// GetDataset returns the dataset with that ID.
func (s *Service) GetDataset(ctx context.Context, id uuid.UUID) (*Dataset, error) {
	return s.store.GetDataset(ctx, id)
}

// GetDatasetByIdentifier returns the dataset with that dct:identifier.
func (s *Service) GetDatasetByIdentifier(ctx context.Context, identifier string) (*Dataset, error) {
	if strings.TrimSpace(identifier) == "" || len(identifier) > MaxIdentifierLen {
		return nil, fmt.Errorf("get dataset by identifier: %w", ErrNotFound)
	}
	return s.store.GetDatasetByIdentifier(ctx, identifier)
}

// UpdateDataset replaces the stored dataset whose ID and Revision match d
// (ErrConflict on a stale Revision) and stamps UpdatedAt; CreatedAt stays
// as stored.
func (s *Service) UpdateDataset(ctx context.Context, d Dataset) (*Dataset, error) {
	if d.ID == uuid.Nil {
		return nil, civickit.Invalid("id", "required", "")
	}
	if err := s.check(&d); err != nil {
		return nil, err
	}
	d.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateDataset(ctx, &d); err != nil {
		return nil, fmt.Errorf("update dataset: %w", err)
	}
	return &d, nil
}

// WithdrawDataset takes a dataset out of every feed, keeping it: a
// withdrawn dataset is never republished by a harvest or an upsert.
func (s *Service) WithdrawDataset(ctx context.Context, id uuid.UUID) (*Dataset, error) {
	d, err := s.store.GetDataset(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("withdraw dataset: %w", err)
	}
	if d.State == StateWithdrawn {
		return d, nil
	}
	d.State = StateWithdrawn
	return s.UpdateDataset(ctx, *d)
}

// WithdrawDropped withdraws the published datasets harvested from source
// (Dataset.HarvestSource) whose identifiers are not in kept: what a full
// harvest did not find any more. It returns their identifiers. Nothing
// is deleted.
func (s *Service) WithdrawDropped(ctx context.Context, source string, kept map[string]bool) ([]string, error) {
	if source == "" {
		return nil, civickit.Invalid("source", RuleMandatory, "")
	}
	var drop []Dataset
	q := SearchQuery{Sort: SortIdentifier, Limit: MaxSearchLimit}
	for {
		res, err := s.SearchDatasets(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, d := range res.Items {
			if d.HarvestSource == source && !kept[d.Identifier] {
				drop = append(drop, d)
			}
		}
		if res.Next == "" {
			break
		}
		q.After = res.Next
	}
	var out []string
	for _, d := range drop {
		d.State = StateWithdrawn
		if _, err := s.UpdateDataset(ctx, d); err != nil {
			return out, fmt.Errorf("withdraw dropped %q: %w", civickit.Truncate(d.Identifier, 100), err)
		}
		out = append(out, d.Identifier)
	}
	return out, nil
}

// DeleteDataset removes a dataset; ErrNotFound if absent. Prefer
// WithdrawDataset for a dataset that was ever published.
func (s *Service) DeleteDataset(ctx context.Context, id uuid.UUID) error {
	if err := s.store.DeleteDataset(ctx, id); err != nil {
		return fmt.Errorf("delete dataset: %w", err)
	}
	return nil
}

// UpsertDataset creates d or replaces the dataset with the same
// Identifier, unless its content is unchanged (then nothing is written).
// On return d holds what is stored; created reports a creation. A new
// dataset keeps d.ID when set, else gets one. It is idempotent:
// harvesting or publishing the same content twice creates and changes
// nothing the second time.
func (s *Service) UpsertDataset(ctx context.Context, d *Dataset) (created bool, err error) {
	o, err := s.UpsertDatasetOutcome(ctx, d)
	return o == UpsertCreated, err
}

// UpsertDatasetOutcome is UpsertDataset telling also an unchanged
// dataset (nothing written) from an updated one: the store keeps its
// UpdatedAt for an unchanged dataset, so an UpdatedAt other than this
// call's clock reading means unchanged (with a clock that does not move,
// an unchanged dataset reads as updated).
func (s *Service) UpsertDatasetOutcome(ctx context.Context, d *Dataset) (UpsertOutcome, error) {
	if err := s.check(d); err != nil {
		return 0, err
	}
	// A withdrawn dataset never comes back through an upsert.
	old, err := s.store.GetDatasetByIdentifier(ctx, d.Identifier)
	switch {
	case err == nil && old.EffectiveState() == StateWithdrawn && d.EffectiveState() != StateWithdrawn:
		return 0, fmt.Errorf("upsert dataset %q: %w: withdrawn here, not republished", civickit.Truncate(d.Identifier, 100), ErrWrongState)
	case err == nil && d.State == "" && old.State != "":
		d.State = old.State // an upsert without a state keeps the stored one (a draft stays a draft)
	case err != nil && !errors.Is(err, ErrNotFound):
		return 0, fmt.Errorf("upsert dataset: %w", err)
	}
	in := *d
	if d.ID == uuid.Nil {
		d.ID = s.newID()
	}
	now := s.now().UTC()
	d.CreatedAt, d.UpdatedAt = now, now
	created, err := s.store.UpsertDatasetByIdentifier(ctx, d)
	if err != nil {
		*d = in
		return 0, fmt.Errorf("upsert dataset: %w", err)
	}
	switch {
	case created:
		return UpsertCreated, nil
	case d.UpdatedAt.Equal(now.Truncate(time.Microsecond)) || d.UpdatedAt.Equal(now):
		return UpsertUpdated, nil
	}
	return UpsertUnchanged, nil // the store kept its own UpdatedAt
}

// SearchDatasets returns a page of the datasets q selects, with the total
// and the facet counts it asks for (see SearchQuery). A bad query is a
// *civickit.ValidationError naming every bad field.
func (s *Service) SearchDatasets(ctx context.Context, q SearchQuery) (*SearchResult, error) {
	q.Filters = cloneFilters(q.Filters)
	q.Facets = append([]Facet(nil), q.Facets...)
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	res, err := s.store.SearchDatasets(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search datasets: %w", err)
	}
	if res.Items == nil {
		res.Items = []Dataset{}
	}
	return res, nil
}

// ListPublishers returns a page of the publishers of stored datasets,
// ordered by key, each with its number of datasets.
func (s *Service) ListPublishers(ctx context.Context, after string, limit int) (civickit.Page[PublisherCount], error) {
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return civickit.Page[PublisherCount]{}, err
	}
	p, err := s.store.ListPublishers(ctx, after, limit)
	if err != nil {
		return civickit.Page[PublisherCount]{}, fmt.Errorf("list publishers: %w", err)
	}
	if p.Items == nil {
		p.Items = []PublisherCount{}
	}
	return p, nil
}

func cloneFilters(fs []Filter) []Filter {
	if fs == nil {
		return nil
	}
	out := make([]Filter, len(fs))
	for i, f := range fs {
		f.Values = append([]string(nil), f.Values...)
		out[i] = f
	}
	return out
}
