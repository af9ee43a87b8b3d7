package associations_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/opendata"
)

// One text folding: an association's name and a dataset's title index to
// the kernel's words, whatever bytes they hold, so that one query finds
// both alike.
func TestTextFoldsLikeTheKernel(t *testing.T) {
	inputs := []string{
		"Fêtes de l'Œuvre",
		"ÆSOPE théâtre — Straße 12",
		"Comité des fêtes de Saint-Étienne",
		"caf\xe9 cr\xc3\xa8me",             // Latin-1 é, then a valid è
		"\xff\xfeœuvres\x80d'art",          // invalid bytes between words
		"Łódź \xc3 Ødegaard",               // a truncated sequence
		"naïve " + strings.Repeat("é", 40), // a word longer than MaxTermLen
		"",
	}
	for _, s := range inputs {
		kernel := civickit.Words(s, associations.MaxTermLen)
		var distinct []string
		for _, w := range kernel {
			if !slices.Contains(distinct, w) {
				distinct = append(distinct, w)
			}
		}
		assoc := associations.SearchTerms(&associations.Association{Name: s})
		data := opendata.SearchTerms(&opendata.Dataset{Title: opendata.Text{"fr": s}})
		if len(distinct) == 0 {
			assert.Empty(t, assoc, "%q", s)
			assert.Empty(t, data, "%q", s)
			continue
		}
		assert.Equal(t, distinct, assoc, "association terms of %q", s)
		sorted := slices.Sorted(slices.Values(distinct))
		assert.Equal(t, sorted, data, "dataset terms of %q (sorted)", s)
		assert.Equal(t, associations.QueryWords(s), (&opendata.SearchQuery{Text: s}).QueryWords(), "query words of %q", s)
		assert.Equal(t, associations.SortKey(s), opendata.TitleKey(opendata.Text{"": s}), "sort keys of %q", s)
		for _, w := range assoc {
			assert.True(t, strings.ToValidUTF8(w, "") == w, "%q indexes %q, not UTF-8", s, w)
		}
	}
	assert.Equal(t, []string{"fetes", "de", "l", "oeuvre"}, associations.SearchTerms(&associations.Association{Name: inputs[0]}))
	assert.Equal(t, []string{"caf", "creme"}, associations.SearchTerms(&associations.Association{Name: inputs[3]}),
		"a byte that is not UTF-8 separates words")
}
