package associations

// French and Québec identifiers. Check rules:
//   - RNA, two families. Waldec numbers (since 2009): "W", then the
//     department's 2 characters, whose second may be a letter (2A/2B in
//     Corsica, 9T in Mayotte; data.gouv.fr's own detector is
//     ^W\d[\dA-Z]\d{7}$), then 7 digits. Import numbers (the older
//     register): 3 characters of préfecture code (a digit, a digit or a
//     letter, a digit: 751, 2A1, 974), "P" (préfecture) or "S"
//     (sous-préfecture), then 8 digits (751P00085568) or 10 digits
//     (061S0061013683, 772P0772007945).
//   - SIREN: 9 digits, Luhn.
//   - SIRET: 14 digits, Luhn; La Poste's establishments (SIREN 356000000)
//     do not follow Luhn: theirs pass when the digit sum is a multiple of 5.
//   - NEQ (Québec enterprise number): 10 digits. Revenu Québec publishes no
//     check digit, so only the form is checked.

// LaPosteSIREN is the one SIREN whose SIRETs use the digit-sum rule.
const LaPosteSIREN = "356000000"

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// luhn reports whether the digit string passes the Luhn mod-10 check.
func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// ValidRNA reports whether s is an RNA number of either family.
func ValidRNA(s string) bool {
	switch len(s) {
	case 10:
		return s[0] == 'W' && digit(s[1]) && (digit(s[2]) || upper(s[2])) && allDigits(s[3:])
	case 12, 14:
		return digit(s[0]) && (digit(s[1]) || upper(s[1])) && digit(s[2]) &&
			(s[3] == 'P' || s[3] == 'S') && allDigits(s[4:])
	}
	return false
}

func digit(c byte) bool { return c >= '0' && c <= '9' }
func upper(c byte) bool { return c >= 'A' && c <= 'Z' }

// ValidSIREN reports whether s is 9 digits passing the Luhn check.
func ValidSIREN(s string) bool {
	return len(s) == 9 && allDigits(s) && luhn(s)
}

// ValidSIRET reports whether s is 14 digits passing the Luhn check, or a
// La Poste SIRET whose digit sum is a multiple of 5.
func ValidSIRET(s string) bool {
	if len(s) != 14 || !allDigits(s) {
		return false
	}
	if s[:9] == LaPosteSIREN {
		if luhn(s) {
			return true
		}
		sum := 0
		for i := 0; i < len(s); i++ {
			sum += int(s[i] - '0')
		}
		return sum%5 == 0
	}
	return luhn(s)
}

// ValidNEQ reports whether s has the form of a Québec enterprise number.
func ValidNEQ(s string) bool {
	return len(s) == 10 && allDigits(s)
}
