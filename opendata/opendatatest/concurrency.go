package opendatatest

import (
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/opendata"
)

// concurrently runs f(0..n-1) in n goroutines released at the same moment
// and returns their errors.
func concurrently(n int, f func(g int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			<-start
			errs[g] = f(g)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func (s *suite) testConcurrency(t *testing.T) {
	const n = 8

	t.Run("UpsertSameIdentifier", func(t *testing.T) {
		// Harvesters racing on one identifier create it once; every caller
		// ends with the one stored ID.
		st := s.store(t)
		d := NewDataset(NewRand(50), 1)
		d.ID = uuid.Nil
		results := make([]opendata.Dataset, n)
		created := make([]bool, n)
		errs := concurrently(n, func(g int) error {
			c := Clone(d)
			var err error
			for range 5 {
				created[g], err = st.UpsertDatasetByIdentifier(t.Context(), &c)
				if err == nil || !retriable(err) {
					break
				}
			}
			results[g] = c
			return err
		})
		winners := 0
		for g, err := range errs {
			require.NoError(t, err, "goroutine %d", g)
			if created[g] {
				winners++
			}
		}
		assert.Equal(t, 1, winners, "exactly one upsert creates the dataset")
		for g := range results {
			assert.Equal(t, results[0].ID, results[g].ID, "goroutine %d", g)
			assert.Equal(t, 1, results[g].Revision, "goroutine %d: identical content is written once", g)
		}
		res, err := search(t, st, opendata.SearchQuery{})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Total)
	})

	t.Run("UpsertChanges", func(t *testing.T) {
		// Racing upserts with different content: every one is applied in
		// some order; the store ends at revision 1+changes with one of them.
		st := s.store(t)
		d := NewDataset(NewRand(51), 1)
		mustCreate(t, st, d)
		errs := concurrently(n, func(g int) error {
			c := Clone(d)
			c.Description = opendata.Text{"fr": "version " + string(rune('A'+g))}
			var err error
			for range 10 {
				if _, err = st.UpsertDatasetByIdentifier(t.Context(), &c); err == nil || !retriable(err) {
					break
				}
			}
			return err
		})
		for g, err := range errs {
			require.NoError(t, err, "goroutine %d", g)
		}
		got, err := st.GetDataset(t.Context(), d.ID)
		require.NoError(t, err)
		assert.Equal(t, 1+n, got.Revision)
		assert.Regexp(t, `^version [A-H]$`, got.Description["fr"])
	})

	t.Run("UpdateSameRevision", func(t *testing.T) {
		st := s.store(t)
		d := NewDataset(NewRand(52), 1)
		mustCreate(t, st, d)
		errs := concurrently(n, func(g int) error {
			c := Clone(d)
			c.Revision = 1
			c.Title = opendata.Text{"fr": "titre " + string(rune('A'+g))}
			return st.UpdateDataset(t.Context(), &c)
		})
		winner := -1
		for g, err := range errs {
			switch {
			case err == nil && winner < 0:
				winner = g
			case err == nil:
				assert.Fail(t, "two updates at one revision", "goroutines %d and %d", winner, g)
			default:
				assert.True(t, retriable(err), "goroutine %d: %v", g, err)
			}
		}
		require.GreaterOrEqual(t, winner, 0, "no update succeeded: %v", errs)
		got, err := st.GetDataset(t.Context(), d.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Revision)
		assert.Equal(t, "titre "+string(rune('A'+winner)), got.Title["fr"])
	})
}
