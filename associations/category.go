package associations

import "slices"

// The RNA social-object nomenclature ("nomenclature des objets sociaux")
// codes an object with 6 digits: the first three name the theme, the last
// three a sub-theme (000 for the theme itself). 000000 means "none".
// Only the themes are listed here; any sub-code of a known theme is valid.

// Themes maps each theme code to its French label.
var themes = map[string]string{
	"001000": "Activités politiques",
	"002000": "Clubs, cercles de réflexion",
	"003000": "Défense de droits fondamentaux, activités civiques",
	"004000": "Justice",
	"005000": "Information communication",
	"006000": "Culture, pratiques d'activités artistiques, pratiques culturelles",
	"007000": "Clubs de loisirs, relations",
	"009000": "Action socio-culturelle",
	"010000": "Préservation du patrimoine",
	"011000": "Sports, activités de plein air",
	"013000": "Chasse pêche",
	"014000": "Amicales, groupements affinitaires, groupements d'entraide",
	"015000": "Éducation formation",
	"016000": "Recherche",
	"017000": "Santé",
	"018000": "Services et établissements médico-sociaux",
	"019000": "Interventions sociales",
	"020000": "Associations caritatives, humanitaires, aide au développement, développement du bénévolat",
	"021000": "Services familiaux, services aux personnes âgées",
	"022000": "Conduite d'activités économiques",
	"023000": "Représentation, promotion et défense d'intérêts économiques",
	"024000": "Environnement, cadre de vie",
	"030000": "Aide à l'emploi, développement local, promotion de solidarités économiques, vie locale",
	"032000": "Logement",
	"034000": "Tourisme",
	"036000": "Sécurité, protection civile",
	"038000": "Armée (dont préparation militaire, médailles)",
	"040000": "Activités religieuses, spirituelles ou philosophiques",
	"050000": "Domaines divers, domaines de nomenclature non spécifiés",
}

// NoCategory is the RNA code for "no social object given".
const NoCategory = "000000"

// ThemeOf returns the theme code of a category code ("006030" -> "006000").
func ThemeOf(code string) string {
	if len(code) != 6 {
		return ""
	}
	return code[:3] + "000"
}

// ValidCategory reports whether code is a theme or a sub-code of a known theme.
func ValidCategory(code string) bool {
	if len(code) != 6 || !allDigits(code) {
		return false
	}
	_, ok := themes[ThemeOf(code)]
	return ok
}

// ThemeLabel returns the French label of the theme code belongs to, or "".
func ThemeLabel(code string) string {
	return themes[ThemeOf(code)]
}

// Themes returns the theme codes in ascending order.
func Themes() []string {
	out := make([]string, 0, len(themes))
	for k := range themes {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
