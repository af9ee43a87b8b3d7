package associations_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

// Real rows published by etalab (testdata/rna/README.md gives the source):
// files whose numbers, layouts and column orders the reader must take
// whole.

func TestRNARealImportIDs(t *testing.T) {
	// etalab's reencode_test.csv: 9 rows of the import register, 3 of
	// them with sous-préfecture ("S") or 14-character numbers.
	layout, recs, errs := readAll(t, bytes.NewReader(readFixture(t, "etalab_reencode_test.csv")))
	require.Empty(t, errs, "every real row is read")
	assert.Equal(t, associations.RNAImport, layout)
	require.Len(t, recs, 9)
	byRNA := map[string]associations.RNARecord{}
	for _, r := range recs {
		byRNA[r.Association.RNA] = r
	}
	for rna, by := range map[string]string{
		"061S0061013683": "W061004727",
		"772P0772007945": "W772003946",
		"751P00085568":   "W751085568",
	} {
		r, ok := byRNA[rna]
		require.True(t, ok, rna)
		assert.True(t, r.Superseded, rna)
		assert.Equal(t, by, r.SupersededBy, rna)
	}
	r := byRNA["031S0031000113"] // position D: dissolved, not superseded
	assert.False(t, r.Superseded)
	assert.Equal(t, associations.StatusDissolved, r.Association.Status)
	assert.Equal(t, "ILETS SPORTS MONTLUCONNAIS", r.Association.Name)
	assert.Equal(t, "27 rue des faucheroux", r.Association.Address.Line1)
	assert.Equal(t, "Espace boris vian", r.Association.Address.Line2)
	assert.Equal(t, "03185", r.Association.Address.CommuneCode)
	assert.Equal(t, associations.Unknown, r.Association.Access.StepFreeAccess, "an import knows nothing of accessibility")
}

func TestRNARealImportLayouts(t *testing.T) {
	// The same three real Waldec rows in 41 columns (as published), 39
	// columns (the current files: no telephone, no email) and 39 columns
	// in reverse order: the reader finds columns by name.
	var want []associations.Association
	for _, name := range []string{"etalab_rna_sample_waldec.csv", "etalab_waldec_39columns.csv", "etalab_waldec_39columns_reversed.csv"} {
		t.Run(name, func(t *testing.T) {
			layout, recs, errs := readAll(t, bytes.NewReader(readFixture(t, name)))
			require.Empty(t, errs)
			assert.Equal(t, associations.RNAWaldec, layout)
			require.Len(t, recs, 3)
			got := make([]associations.Association, len(recs))
			for i, r := range recs {
				got[i] = r.Association
				got[i].Contacts = nil // only the 41-column file has them
			}
			if want == nil {
				want = got
				ufic := got[2]
				assert.Equal(t, "W012000005", ufic.RNA)
				assert.Equal(t, "UNITE FRANCAISE D'INTERVENTION EN CATASTROPHE (UFIC)", ufic.Name)
				assert.Equal(t, "UNITE FRANCAISE D'INTERVENTION EN ...", ufic.ShortTitle, "titre_court is a short title")
				assert.Empty(t, ufic.Acronym, "titre_court is not an acronym")
				assert.Equal(t, "", got[1].ShortTitle, "a short title equal to the title adds nothing")
				assert.Equal(t, associations.StatusDissolved, got[0].Status)
				return
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestRNARealImportSummary(t *testing.T) {
	ctx := context.Background()
	svc := newTestService(t, newSQLiteStore(t))
	var progress []associations.ImportProgress
	opts := associations.ImportOptions{
		OnProgress:       func(p associations.ImportProgress) { progress = append(progress, p) },
		ProgressInterval: time.Nanosecond,
	}
	file := readFixture(t, "etalab_reencode_test.csv")
	rep, err := svc.ImportRNA(ctx, bytes.NewReader(file), opts)
	require.NoError(t, err)
	assert.Equal(t, associations.ImportReport{Layout: associations.RNAImport, Lines: 9, Created: 1, Superseded: 8}, rep)
	require.NotEmpty(t, progress)
	last := progress[len(progress)-1]
	assert.True(t, last.Done)
	assert.Equal(t, 9, last.Lines)
	assert.Equal(t, int64(len(file)), last.Bytes)
	assert.Zero(t, last.Remaining(int64(len(file))), "nothing left at the end")

	// A Waldec file, then the same rows again: unchanged.
	file = readFixture(t, "etalab_waldec_39columns.csv")
	rep, err = svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, associations.ImportReport{Layout: associations.RNAWaldec, Lines: 3, Created: 3}, rep)
	rep, err = svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, associations.ImportReport{Layout: associations.RNAWaldec, Lines: 3, Unchanged: 3}, rep)
	// The 41-column file adds the declarant's phone (staff only): updated.
	rep, err = svc.ImportRNA(ctx, bytes.NewReader(readFixture(t, "etalab_rna_sample_waldec.csv")), associations.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, associations.ImportReport{Layout: associations.RNAWaldec, Lines: 3, Updated: 1, Unchanged: 2}, rep)
	a, err := svc.GetByRNA(ctx, "W632007046")
	require.NoError(t, err)
	require.Len(t, a.Contacts, 1)
	assert.False(t, a.Contacts[0].Public)
	assert.Empty(t, a.Public().Contacts, "the declarant's phone is never public")
	assert.Empty(t, a.Public().Address.Line1, "an imported street line is not public")
	assert.Equal(t, "63000", a.Public().Address.PostalCode)
}

func TestImportProgressPace(t *testing.T) {
	p := associations.ImportProgress{Lines: 1000, Bytes: 250, Elapsed: 2 * time.Second}
	assert.InDelta(t, 500, p.LinesPerSecond(), 1e-9)
	assert.Equal(t, 6*time.Second, p.Remaining(1000)) // 750 bytes left at 125 B/s
	assert.Zero(t, p.Remaining(0), "unknown size")
	assert.Zero(t, associations.ImportProgress{}.LinesPerSecond())
}
