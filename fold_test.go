package civickit_test

import (
	"testing"
	"unicode/utf8"

	"github.com/civickit/civickit"
	"github.com/stretchr/testify/assert"
)

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Fêtes de l'Œuvre":        "fetes de l'oeuvre",
		"Délibérations — ÆSOP":    "deliberations — aesop",
		"Straße":                  "strasse",
		"Ça":                      "ca",
		"e\u0301cole":             "ecole", // decomposed accent
		"caf\xe9":                 "caf\ufffd",
		"\xff\xfe":                "\ufffd", // a run of invalid bytes is one U+FFFD
		"déjà vu\xc3 (tronqué)":   "deja vu\ufffd (tronque)",
		"ÉCOLE MATERNELLE 12 bis": "ecole maternelle 12 bis",
	}
	for in, want := range tests {
		got := civickit.Fold(in)
		assert.Equal(t, want, got, "%q", in)
		assert.True(t, utf8.ValidString(got))
		assert.Equal(t, got, civickit.Fold(got), "idempotent on %q", in)
	}
}

func TestWords(t *testing.T) {
	assert.Equal(t, []string{"jardin", "partage", "des", "tilleuls", "69"},
		civickit.Words("Jardin partagé des Tilleuls (69)", 0))
	assert.Equal(t, []string{"assoc", "ab"}, civickit.Words("Associations, AB!", 5))
	assert.Equal(t, []string{"ecol"}, civickit.Words("écoles", 4))
	assert.Empty(t, civickit.Words(" -- ", 0))
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, "abc", civickit.Truncate("abc", 5))
	assert.Equal(t, "ab", civickit.Truncate("abc", 2))
	assert.Equal(t, "", civickit.Truncate("é", 1), "never half a character")
	assert.Equal(t, "a", civickit.Truncate("aé", 2))
	assert.Equal(t, "aé", civickit.Truncate("aé", 3))
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Fêtes de l'Œuvre", "caf\xe9", "Straße", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := civickit.Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q: not UTF-8", s, got)
		}
		if again := civickit.Fold(got); again != got {
			t.Fatalf("Fold not idempotent on %q: %q then %q", s, got, again)
		}
		for _, w := range civickit.Words(s, 48) {
			if len(w) > 48 || !utf8.ValidString(w) || w == "" {
				t.Fatalf("Words(%q) gave %q", s, w)
			}
		}
	})
}
