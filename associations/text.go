package associations

import (
	"strings"

	"github.com/civickit/civickit"
)

// Full-text search has one meaning on every engine, the kernel's (see
// civickit.Fold and civickit.Words): a query matches an association when
// each query word is a prefix of some word of its name, acronym or social
// object, after folding case and accents. Stores index the words returned
// by SearchTerms; engine-specific full-text features (stemming, stop
// words, minimum word lengths) would make SQLite, PostgreSQL and MariaDB
// disagree, so they are not used.

// MaxTermLen bounds an indexed word, in bytes (longer words are cut).
const MaxTermLen = 48

// MaxSortKeyLen bounds a SortKey, in bytes.
const MaxSortKeyLen = 250

// QueryWords returns the words of a text query as stores match them: the
// kernel's words cut to MaxTermLen, each once, in order.
func QueryWords(text string) []string {
	return distinct(civickit.Words(text, MaxTermLen))
}

// SearchTerms returns the distinct words a store indexes for a.
func SearchTerms(a *Association) []string {
	return distinct(civickit.Words(a.Name+" "+a.ShortTitle+" "+a.Acronym+" "+a.Object, MaxTermLen))
}

func distinct(words []string) []string {
	seen := make(map[string]bool, len(words))
	out := words[:0]
	for _, w := range words {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// SortKey is the key by which listings are ordered (then by ID): the
// folded words of the name, cut to MaxSortKeyLen bytes.
func SortKey(name string) string {
	return civickit.Truncate(strings.Join(civickit.Words(name, MaxTermLen), " "), MaxSortKeyLen)
}
