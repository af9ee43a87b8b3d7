package associations

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Check values were computed outside this package (an independent Luhn
// and digit-sum implementation), not with the functions under test.
func TestIdentifiers(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) bool
		in    string
		want  bool
	}{
		{"RNA waldec", ValidRNA, "W751000001", true},
		{"RNA waldec short", ValidRNA, "W75100000", false},
		{"RNA waldec letter", ValidRNA, "W75100000A", false},
		{"RNA lower-case w", ValidRNA, "w751000001", false},
		{"RNA import layout", ValidRNA, "751P00085568", true},
		{"RNA import Corsica", ValidRNA, "2A1P00001234", true},
		{"RNA import bad letter", ValidRNA, "751X00085568", false},
		{"RNA import 2C (form only: the letter is not checked)", ValidRNA, "2C1P00001234", true},
		{"RNA waldec Mayotte", ValidRNA, "W9T1000123", true},
		{"RNA waldec Corsica 2A", ValidRNA, "W2A1000456", true},
		{"RNA waldec Corsica 2B", ValidRNA, "W2B2000789", true},
		{"RNA waldec letter in department part", ValidRNA, "W9R4001234", true},
		{"RNA waldec letter first", ValidRNA, "WA11000123", false},
		{"RNA waldec lower-case department", ValidRNA, "W9t1000123", false},
		{"RNA import sous-préfecture 14", ValidRNA, "061S0061013683", true},
		{"RNA import sous-préfecture 14 (2)", ValidRNA, "031S0031000113", true},
		{"RNA import préfecture 14", ValidRNA, "772P0772007945", true},
		{"RNA import sous-préfecture 12", ValidRNA, "031S00311234", true},
		{"RNA import 13", ValidRNA, "772P077200794", false},
		{"RNA import 14 letter", ValidRNA, "772P07720079A5", false},
		{"RNA empty", ValidRNA, "", false},
		{"SIREN Luhn ok", ValidSIREN, "732829320", true},
		{"SIREN Luhn ok 2", ValidSIREN, "552100554", true},
		{"SIREN Luhn bad", ValidSIREN, "732829321", false},
		{"SIREN 8 digits", ValidSIREN, "73282932", false},
		{"SIREN spaces", ValidSIREN, "732 829 320", false},
		{"SIRET Luhn ok", ValidSIRET, "73282932000074", true},
		{"SIRET Luhn ok 2", ValidSIRET, "55210055400013", true},
		{"SIRET Luhn bad", ValidSIRET, "73282932000075", false},
		{"SIRET 13 digits", ValidSIRET, "7328293200007", false},
		// La Poste (SIREN 356000000): digit sum multiple of 5, Luhn or not.
		{"SIRET La Poste digit sum", ValidSIRET, "35600000000001", true},
		{"SIRET La Poste digit sum 2", ValidSIRET, "35600000049837", true},
		{"SIRET La Poste Luhn", ValidSIRET, "35600000000048", true},
		{"SIRET La Poste neither", ValidSIRET, "35600000000002", false},
		{"SIRET digit sum elsewhere", ValidSIRET, "73282932000003", false},
		{"NEQ", ValidNEQ, "1143511573", true},
		{"NEQ 9 digits", ValidNEQ, "114351157", false},
		{"NEQ letters", ValidNEQ, "11435115AB", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.check(tt.in), tt.in)
		})
	}
}

func TestCategories(t *testing.T) {
	tests := []struct {
		code  string
		valid bool
		theme string
	}{
		{"006000", true, "006000"},
		{"006030", true, "006000"},
		{"024000", true, "024000"},
		{"008000", false, "008000"}, // no theme 008 in the nomenclature
		{"000000", false, "000000"},
		{"06000", false, ""},
		{"00600a", false, "006000"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.valid, ValidCategory(tt.code), tt.code)
		assert.Equal(t, tt.theme, ThemeOf(tt.code), tt.code)
	}
	assert.Equal(t, "Sports, activités de plein air", ThemeLabel("011020"))
	themes := Themes()
	assert.IsIncreasing(t, themes)
	assert.Contains(t, themes, "050000")
}
