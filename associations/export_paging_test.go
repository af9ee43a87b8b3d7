package associations

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
)

// pagedStore serves SearchAssociations two rows at a time, whatever the
// limit, as a store may: a page may be shorter than the limit and still
// have a Next. The other methods are not used by the export.
type pagedStore struct {
	Store
	rows   []Association
	afters []string
}

func (s *pagedStore) SearchAssociations(_ context.Context, _ Filter, after string, _ int) (civickit.Page[Association], error) {
	s.afters = append(s.afters, after)
	var c struct{ N int }
	if _, err := civickit.DecodeCursor(after, &c); err != nil {
		return civickit.Page[Association]{}, err
	}
	end := min(c.N+2, len(s.rows))
	p := civickit.Page[Association]{Items: s.rows[c.N:end]}
	if end < len(s.rows) {
		p.Next = civickit.EncodeCursor(struct{ N int }{end})
	}
	return p, nil
}

func TestExportFollowsNext(t *testing.T) {
	st := &pagedStore{}
	for _, n := range []string{"A", "B", "C", "D", "E"} {
		st.rows = append(st.rows, Association{ID: uuid.New(), Name: n, Status: StatusActive})
	}
	svc, err := NewService(st, Options{})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, svc.WritePublicCSV(t.Context(), &buf, Filter{}))
	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 6, "header and five rows")
	var names []string
	for _, r := range records[1:] {
		names = append(names, r[5])
	}
	assert.Equal(t, []string{"A", "B", "C", "D", "E"}, names)
	assert.Len(t, st.afters, 3, "three pages of two")
	assert.Equal(t, "", st.afters[0])
}
