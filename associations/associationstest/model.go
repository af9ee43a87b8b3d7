package associationstest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/civickit/civickit/associations"
)

// The reference model: the contract of the listing methods written out in
// plain Go over a slice, against which every store result is compared.

// MatchFilter reports whether a passes f, as SearchAssociations and
// NearAssociations must decide it.
func MatchFilter(f associations.Filter, a *associations.Association) bool {
	if f.Status != "" && a.Status != f.Status {
		return false
	}
	if f.CommuneCode != "" && a.Address.CommuneCode != f.CommuneCode {
		return false
	}
	if f.PostalCode != "" && a.Address.PostalCode != f.PostalCode {
		return false
	}
	if f.Department != "" && !strings.HasPrefix(a.Address.CommuneCode, f.Department) {
		return false
	}
	if f.Category != "" && !slices.ContainsFunc(a.Categories, func(c string) bool {
		return c == f.Category || strings.HasSuffix(f.Category, "000") && associations.ThemeOf(c) == f.Category
	}) {
		return false
	}
	if f.Text != "" {
		terms := associations.SearchTerms(a)
		for _, w := range associations.QueryWords(f.Text) {
			if !slices.ContainsFunc(terms, func(term string) bool { return strings.HasPrefix(term, w) }) {
				return false
			}
		}
	}
	return true
}

func compareSearch(a, b *associations.Association) int {
	return cmp.Or(
		strings.Compare(associations.SortKey(a.Name), associations.SortKey(b.Name)),
		strings.Compare(a.ID.String(), b.ID.String()),
	)
}

func afterSearchCursor(a *associations.Association, c *associations.SearchCursor) bool {
	if c == nil {
		return true
	}
	return cmp.Or(
		strings.Compare(associations.SortKey(a.Name), c.SortKey),
		strings.Compare(a.ID.String(), c.ID.String()),
	) > 0
}

// searchModel returns what walking SearchAssociations from after must yield.
func searchModel(all []associations.Association, f associations.Filter, after *associations.SearchCursor) []associations.Association {
	var out []associations.Association
	for i := range all {
		if MatchFilter(f, &all[i]) && afterSearchCursor(&all[i], after) {
			out = append(out, all[i])
		}
	}
	slices.SortFunc(out, func(a, b associations.Association) int { return compareSearch(&a, &b) })
	return out
}

// nearRow is what a near listing is compared on: IDs and exact distances.
type nearRow struct {
	ID     string
	Meters float64
}

func (r nearRow) String() string { return fmt.Sprintf("%s@%.17g", r.ID, r.Meters) }

func compareNear(a, b nearRow) int {
	return cmp.Or(cmp.Compare(a.Meters, b.Meters), strings.Compare(a.ID, b.ID))
}

// nearModel returns what walking NearAssociations from after (nil: from
// the start) must yield.
func nearModel(all []associations.Association, p associations.NearParams, after *associations.NearCursor) []nearRow {
	var out []nearRow
	for i := range all {
		a := &all[i]
		if a.Address.Location == nil || !MatchFilter(p.Filter, a) {
			continue
		}
		d := associations.Distance(p.Center, *a.Address.Location)
		if d > p.RadiusMeters {
			continue
		}
		r := nearRow{a.ID.String(), d}
		if after != nil && compareNear(r, nearRow{after.ID.String(), after.Meters}) <= 0 {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, compareNear)
	return out
}

func searchKey(a associations.Association) string {
	return fmt.Sprintf("%q/%s", associations.SortKey(a.Name), a.ID)
}

// assertSameSequence compares two long sequences and reports the first
// difference and a few missing and unexpected elements instead of a diff
// of thousands of lines.
func assertSameSequence[E comparable](t *testing.T, want, got []E, msg string, args ...any) bool {
	t.Helper()
	if slices.Equal(want, got) {
		return true
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	var wantAt, gotAt any = "(end)", "(end)"
	if i < len(want) {
		wantAt = want[i]
	}
	if i < len(got) {
		gotAt = got[i]
	}
	inGot := make(map[E]int, len(got))
	for _, e := range got {
		inGot[e]++
	}
	inWant := make(map[E]int, len(want))
	for _, e := range want {
		inWant[e]++
	}
	var missing, extra, dup []E
	for _, e := range want {
		if inGot[e] == 0 && len(missing) < 10 {
			missing = append(missing, e)
		}
	}
	for e, n := range inGot {
		if inWant[e] == 0 && len(extra) < 10 {
			extra = append(extra, e)
		}
		if n > 1 && len(dup) < 10 {
			dup = append(dup, e)
		}
	}
	return assert.Fail(t, fmt.Sprintf(msg, args...),
		"got %d elements, want %d; first difference at index %d: got %v, want %v\nmissing (up to 10): %v\nunexpected (up to 10): %v\nreturned more than once (up to 10): %v",
		len(got), len(want), i, gotAt, wantAt, missing, extra, dup)
}

// storedRows indexes the expected content of every association in a store.
type storedRows map[uuid.UUID]associations.Association

func (rows storedRows) all() []associations.Association {
	out := make([]associations.Association, 0, len(rows))
	for _, a := range rows {
		out = append(out, a)
	}
	return out
}

// assertRowsAreStored checks that listed associations are complete rows.
// It stops at the first mismatch.
func (rows storedRows) assertListed(t *testing.T, listed []associations.Association) bool {
	t.Helper()
	for _, a := range listed {
		want, ok := rows[a.ID]
		if !ok {
			continue // reported by the sequence comparison
		}
		if !assert.Equal(t, canonAssociation(want), canonAssociation(a), "a listed association must be the whole stored row") {
			return false
		}
	}
	return true
}

// someCategory returns the theme of the first category used in as.
func someCategory(as []associations.Association) string {
	for _, a := range as {
		if len(a.Categories) > 0 {
			return associations.ThemeOf(a.Categories[0])
		}
	}
	return "050000"
}
