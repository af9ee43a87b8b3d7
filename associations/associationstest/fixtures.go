package associationstest

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// Fixture builders. They are deterministic for a given rng, produce records
// that pass associations.Service.Validate, and carry timestamps with
// microsecond precision (what every supported database keeps) so that a
// stored record compares equal to the one that was written.

// BaseTime is the instant every fixture timestamp is derived from.
var BaseTime = time.Date(2024, time.March, 1, 9, 30, 0, 123456000, time.UTC)

// NewRand returns a PCG generator for a fixed seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// NewID returns a random (version 4) UUID drawn from rng, so that fixtures
// are reproducible.
func NewID(rng *rand.Rand) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[:8], rng.Uint64())
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// Date returns midnight UTC of the given day, the form of every date field.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

func datePtr(t time.Time) *time.Time { return &t }

// RNA returns the Waldec number "W" + 9 digits of i (0 <= i < 1e9).
func RNA(i int) string { return fmt.Sprintf("W%09d", i) }

// SIREN returns a valid SIREN unique to i (0 <= i < 1e7).
func SIREN(i int) string { return withLuhnDigit(fmt.Sprintf("%08d", 20000000+i)) }

// SIRET returns a valid SIRET unique to i whose SIREN is SIREN(i).
func SIRET(i int) string { return withLuhnDigit(SIREN(i) + "0001") }

// SIRETFor returns a valid SIRET of establishment nic (0 <= nic < 1000) of SIREN(i).
func SIRETFor(i, nic int) string { return withLuhnDigit(SIREN(i) + fmt.Sprintf("%04d", nic)) }

// withLuhnDigit appends the check digit that makes an 8-digit SIREN stem or
// a 13-digit SIRET stem valid.
func withLuhnDigit(digits string) string {
	valid := associations.ValidSIREN
	if len(digits) == 13 {
		valid = associations.ValidSIRET
	}
	for d := byte('0'); d <= '9'; d++ {
		if s := digits + string(d); valid(s) {
			return s
		}
	}
	panic("unreachable: one Luhn digit always exists")
}

// Commune is a place fixtures are located in.
type Commune struct {
	Code, PostalCode, City, Country string
	Center                          associations.Point
}

// Communes are the places NewAssociation picks from: metropolitan France,
// Corsica (alphanumeric INSEE code), overseas departments (3-digit
// department) and Québec.
var Communes = []Commune{
	{"75056", "75011", "Paris", "FR", associations.Point{Lat: 48.856614, Lon: 2.3522219}},
	{"69123", "69001", "Lyon", "FR", associations.Point{Lat: 45.764043, Lon: 4.835659}},
	{"13055", "13001", "Marseille", "FR", associations.Point{Lat: 43.296482, Lon: 5.36978}},
	{"06088", "06000", "Nice", "FR", associations.Point{Lat: 43.710173, Lon: 7.261953}},
	{"2A004", "20000", "Ajaccio", "FR", associations.Point{Lat: 41.919229, Lon: 8.738635}},
	{"97105", "97100", "Basse-Terre", "FR", associations.Point{Lat: 15.997, Lon: -61.7261}},
	{"97411", "97400", "Saint-Denis", "FR", associations.Point{Lat: -20.882057, Lon: 55.450675}},
	{"66023", "H2Y1C6", "Montréal", "CA", associations.Point{Lat: 45.501689, Lon: -73.567256}},
}

var (
	nameKinds  = []string{"Association", "Comité", "Club", "Amicale", "Union", "Cercle", "Collectif", "Société", "Œuvre", "Fédération", "Les Amis"}
	nameLinks  = []string{"des", "de la", "du", "pour les", "des"}
	nameThings = []string{
		"fêtes", "pêcheurs", "randonneurs", "échecs", "théâtre", "musique", "jardins partagés",
		"anciens élèves", "parents d'élèves", "cyclistes", "joueurs de pétanque", "patrimoine",
		"bénévoles", "arts martiaux", "îles", "cœurs vaillants", "Straße", "ÉTÉ indien",
	}
	objectVerbs = []string{"Promouvoir", "Développer", "Défendre", "Organiser", "Favoriser"}
	languages   = []string{"fr", "en", "br", "oc", "ar", "es", "fr-CA", "it", "pt", "eu"}
	firstNames  = []string{"Éloïse", "Noël", "Zoé", "Loïc", "Hélène", "Jérôme", "Anaïs", "François", "Maëlle", "Øyvind"}
	lastNames   = []string{"Martin", "Bernard", "Lefèvre", "Dubœuf", "Nguyễn", "O'Brien", "García", "Müller", "Saint-Exupéry", "Leroy"}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// randomCategories returns n distinct valid category codes.
func randomCategories(rng *rand.Rand, n int) []string {
	themes := associations.Themes()
	var out []string
	seen := map[string]bool{}
	for len(out) < n {
		theme := pick(rng, themes)
		code := theme
		if rng.IntN(3) > 0 { // a sub-code of the theme
			code = fmt.Sprintf("%s%03d", theme[:3], 1+rng.IntN(999))
		}
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	return out
}

func initials(name string) string {
	var b strings.Builder
	for _, w := range civickit.Words(name, associations.MaxTermLen) {
		if len(w) > 2 {
			r, _ := utf8.DecodeRuneInString(w)
			b.WriteString(strings.ToUpper(string(r)))
		}
	}
	return b.String()
}

// micros returns a duration of a random number of microseconds below max.
func micros(rng *rand.Rand, max time.Duration) time.Duration {
	return time.Duration(rng.Int64N(int64(max/time.Microsecond))) * time.Microsecond
}

// NewAssociation returns a valid association for index i: its RNA is RNA(i)
// and, for two thirds of i, its SIRET is SIRET(i), so records of distinct i
// never collide on a unique key. The ID is drawn from rng. Version is 1 and
// the timestamps have microsecond precision. Names repeat often (with
// different case and accents), so listings have ties on SortKey. About one
// record in eight has no location; located ones lie within ~10 km of their
// commune.
func NewAssociation(rng *rand.Rand, i int) associations.Association {
	c := pick(rng, Communes)
	name := pick(rng, nameKinds) + " " + pick(rng, nameLinks) + " " + pick(rng, nameThings)
	if rng.IntN(3) == 0 {
		name += " de " + c.City
	}
	switch rng.IntN(6) {
	case 0:
		name = strings.ToUpper(name)
	case 1:
		name = strings.ToLower(name)
	}
	a := associations.Association{
		ID:          NewID(rng),
		Name:        name,
		Acronym:     initials(name),
		RNA:         RNA(i),
		SIREN:       SIREN(i),
		LegalStatus: pick(rng, []associations.LegalStatus{associations.LegalDeclared, associations.LegalDeclared, associations.LegalPublicUtility, associations.LegalLocalLaw, associations.LegalGeneralInterest}),
		Grouping:    pick(rng, []associations.Grouping{associations.GroupingSimple, associations.GroupingSimple, associations.GroupingUnion, associations.GroupingFederation}),
		Object:      pick(rng, objectVerbs) + " les " + pick(rng, nameThings) + " et " + pick(rng, nameThings) + " auprès des habitants.",
		Categories:  randomCategories(rng, rng.IntN(4)),
		Status:      associations.StatusActive,
		Address: associations.Address{
			Line1:       fmt.Sprintf("%d rue de la République", 1+rng.IntN(200)),
			PostalCode:  c.PostalCode,
			City:        c.City,
			CommuneCode: c.Code,
			Country:     c.Country,
		},
		Website: fmt.Sprintf("https://assoc-%d.example.org/", i),
		Access: associations.Accessibility{
			StepFreeAccess:    associations.Answer(rng.IntN(3)),
			AccessibleToilets: associations.Answer(rng.IntN(3)),
			HearingLoop:       associations.Answer(rng.IntN(3)),
			SignLanguage:      associations.Answer(rng.IntN(3)),
		},
		Version: 1,
	}
	if i%3 != 0 {
		a.SIRET = SIRET(i)
	}
	if c.Country == "CA" {
		a.LegalStatus = associations.LegalQuebecNPO
		a.NEQ = fmt.Sprintf("11%08d", i%100000000)
	}
	if rng.IntN(5) == 0 {
		a.Address.Line2 = "Bâtiment B, 2ᵉ étage"
	}
	if rng.IntN(4) == 0 {
		a.Access.Notes = "Rampe d'accès côté cour ; boucle magnétique à l'accueil."
	}
	if rng.IntN(8) != 0 {
		a.Address.Location = &associations.Point{
			Lat: c.Center.Lat + (rng.Float64()-0.5)*0.15,
			Lon: c.Center.Lon + (rng.Float64()-0.5)*0.2,
		}
	}
	for range rng.IntN(4) {
		switch rng.IntN(3) {
		case 0:
			a.Contacts = append(a.Contacts, associations.Contact{Kind: associations.ContactEmail, Value: fmt.Sprintf("contact+%d@assoc-%d.example.org", len(a.Contacts), i), Label: "Secrétariat", Public: true})
		case 1:
			a.Contacts = append(a.Contacts, associations.Contact{Kind: associations.ContactPhone, Value: fmt.Sprintf("+33 6 %02d %02d %02d %02d", rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100)), Public: rng.IntN(2) == 0})
		default:
			a.Contacts = append(a.Contacts, associations.Contact{Kind: associations.ContactSocial, Value: fmt.Sprintf("https://social.example/@assoc%d", i), Label: "Fédivers", Public: true})
		}
	}
	for _, l := range languages {
		if rng.IntN(6) == 0 {
			a.Languages = append(a.Languages, l)
		}
	}
	created := Date(1901+rng.IntN(123), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
	if rng.IntN(10) != 0 {
		a.CreatedOn = datePtr(created)
	}
	if rng.IntN(6) == 0 {
		a.Status = associations.StatusDissolved
		if a.CreatedOn != nil {
			a.DissolvedOn = datePtr(created.AddDate(1+rng.IntN(30), 0, rng.IntN(300)))
		}
	}
	a.CreatedAt = BaseTime.Add(time.Duration(i)*time.Minute + micros(rng, time.Minute))
	a.UpdatedAt = a.CreatedAt.Add(micros(rng, 24*time.Hour))
	return a
}

// NewGrant returns a valid draft grant application of association a to the
// city, with a balanced budget, two co-funders and project dates; Version 1.
func NewGrant(rng *rand.Rand, a associations.Association) associations.Grant {
	year := 2025 + rng.IntN(3)
	staff := int64(1000+rng.IntN(9000)) * 100
	purchases := int64(100+rng.IntN(5000)) * 100
	requested := (staff + purchases) / 2
	g := associations.Grant{
		ID:            NewID(rng),
		AssociationID: a.ID,
		Funder:        "Ville de Lyon",
		FundedYear:    year,
		Applicant: associations.Applicant{
			Name:               a.Name,
			RNA:                a.RNA,
			SIRET:              a.SIRET,
			Address:            "12 place des Terreaux, 69001 Lyon",
			RepresentativeName: pick(rng, firstNames) + " " + pick(rng, lastNames),
			RepresentativeRole: "Présidente",
			ContactEmail:       "tresorerie@example.org",
		},
		Project: associations.Project{
			Title:         "Fête de quartier « Les Pentes en musique »",
			Objectives:    "Créer du lien entre les habitants ; ouvrir la musique à tous.",
			Description:   "Trois journées de concerts gratuits,\nateliers pour enfants et repas partagé.",
			Beneficiaries: "Habitants du 1er arrondissement, ~2 000 personnes",
			Location:      "Place Sathonay",
			StartOn:       Date(year, time.June, 1+rng.IntN(20)),
			EndOn:         Date(year, time.September, 1+rng.IntN(28)),
		},
		Budget: []associations.BudgetLine{
			{Side: associations.Charge, Account: "60", Label: "Achats de matériel", AmountCents: purchases},
			{Side: associations.Charge, Account: "64", Label: "Rémunération des intervenants", AmountCents: staff},
			{Side: associations.Charge, Account: "86", Label: "Bénévolat (valorisation)", AmountCents: 0},
			{Side: associations.Revenue, Account: "74", Label: "Subvention municipale", AmountCents: requested, Funder: "Ville de Lyon"},
			{Side: associations.Revenue, Account: "70", Label: "Buvette", AmountCents: staff + purchases - requested},
		},
		RequestedCents: requested,
		CoFunders: []associations.CoFunder{
			{Name: "Région Auvergne-Rhône-Alpes", AmountCents: 150000, Obtained: false},
			{Name: "Fondation de France", AmountCents: 50000, Obtained: true},
		},
		Status:  associations.GrantDraft,
		Version: 1,
	}
	g.CreatedAt = BaseTime.Add(time.Duration(rng.IntN(1000))*time.Hour + micros(rng, time.Hour))
	g.UpdatedAt = g.CreatedAt
	return g
}

// NewPerson returns a valid person for index i (e-mail unique to i).
func NewPerson(rng *rand.Rand, i int) associations.Person {
	return associations.Person{
		ID:            NewID(rng),
		GivenName:     pick(rng, firstNames),
		FamilyName:    pick(rng, lastNames),
		Email:         fmt.Sprintf("person%d@example.org", i),
		Phone:         fmt.Sprintf("+33 7 %02d %02d %02d %02d", rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100)),
		PostalAddress: fmt.Sprintf("%d, chemin des Écoliers\n38000 Grenoble", 1+rng.IntN(99)),
		BirthDate:     datePtr(Date(1940+rng.IntN(65), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))),
		CreatedAt:     BaseTime.Add(time.Duration(i)*time.Minute + micros(rng, time.Minute)),
	}
}

// NewMembership returns a pending one-year membership of person in
// association starting on start (a date); Version 1.
func NewMembership(rng *rand.Rand, associationID, personID uuid.UUID, start time.Time) associations.Membership {
	m := associations.Membership{
		ID:            NewID(rng),
		AssociationID: associationID,
		PersonID:      personID,
		StartOn:       start,
		EndOn:         start.AddDate(1, 0, 0),
		FeeCents:      int64(500 * (1 + rng.IntN(10))),
		Currency:      "EUR",
		Status:        associations.MembershipPending,
		Version:       1,
	}
	m.CreatedAt = BaseTime.Add(micros(rng, 1000*time.Hour))
	m.UpdatedAt = m.CreatedAt
	return m
}
