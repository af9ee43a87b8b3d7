package associations

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Full-text search has one meaning on every engine: a query matches an
// association when each query word is a prefix of some word of its name,
// acronym or social object, after folding case and accents. Stores index
// the words returned by SearchTerms; engine-specific full-text features
// (stemming, stop words, minimum word lengths) would make SQLite,
// PostgreSQL and MariaDB disagree, so they are not used.

// MaxTermLen bounds an indexed word (longer words are cut).
const MaxTermLen = 48

// Fold lower-cases s, removes diacritics and expands common ligatures:
// "Fêtes de l'Œuvre" -> "fetes de l'oeuvre".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Words splits folded text into words of letters and digits.
func Words(s string) []string {
	words := strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		if len(w) > MaxTermLen {
			w = w[:MaxTermLen]
			for len(w) > 0 && !utf8ValidEnd(w) {
				w = w[:len(w)-1]
			}
			words[i] = w
		}
	}
	return words
}

func utf8ValidEnd(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s
}

// SearchTerms returns the distinct words a store indexes for a.
func SearchTerms(a *Association) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range Words(a.Name + " " + a.Acronym + " " + a.Object) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// SortKey is the key by which listings are ordered (then by ID).
func SortKey(name string) string {
	k := strings.Join(Words(name), " ")
	if len(k) > 250 {
		k = k[:250]
		for len(k) > 0 && !utf8ValidEnd(k) {
			k = k[:len(k)-1]
		}
	}
	return k
}
