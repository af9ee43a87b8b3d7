package civickit

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search has one meaning everywhere in civickit: a query word matches a
// word of the indexed text when it is a prefix of it, after both are
// folded by Fold. Stores index the words Words returns, and compare them
// with binary collation on every engine.

// Fold lower-cases s, removes diacritics and expands the common
// ligatures: "Fêtes de l'Œuvre" → "fetes de l'oeuvre". Invalid UTF-8 bytes
// become U+FFFD first, so every input folds to valid UTF-8 and folding
// is idempotent.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, "\uFFFD")) {
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

// Words splits s, folded, into words of letters and digits, each cut to
// at most maxLen bytes (0: no limit) without splitting a character.
func Words(s string, maxLen int) []string {
	words := strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if maxLen > 0 {
		for i, w := range words {
			words[i] = Truncate(w, maxLen)
		}
	}
	return words
}

// Truncate shortens s to at most n bytes without splitting a UTF-8
// character.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}
