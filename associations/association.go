package associations

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
)

// Status is an association's place in its lifecycle: active, then dissolved.
type Status string

const (
	StatusActive    Status = "active"
	StatusDissolved Status = "dissolved"
)

// LegalStatus is the legal form, following the RNA "nature" codes plus the
// Québec non-profit.
type LegalStatus string

const (
	LegalDeclared        LegalStatus = "declared"         // RNA D: association loi 1901 déclarée
	LegalPublicUtility   LegalStatus = "public_utility"   // RNA R: reconnue d'utilité publique
	LegalLocalLaw        LegalStatus = "local_law"        // Alsace-Moselle, inscrite au tribunal
	LegalGeneralInterest LegalStatus = "general_interest" // RNA G
	LegalQuebecNPO       LegalStatus = "quebec_npo"       // Québec: personne morale sans but lucratif
	LegalOther           LegalStatus = "other"
)

// Grouping is the RNA "groupement": a simple association, a union or a federation.
type Grouping string

const (
	GroupingSimple     Grouping = "simple"
	GroupingUnion      Grouping = "union"
	GroupingFederation Grouping = "federation"
)

// Point is a WGS 84 position in decimal degrees.
type Point struct {
	Lat float64 `json:"lat" validate:"gte=-90,lte=90"`
	Lon float64 `json:"lon" validate:"gte=-180,lte=180"`
}

// Address is the association's registered or public address.
type Address struct {
	Line1       string `json:"line1,omitempty" validate:"max=200"`
	Line2       string `json:"line2,omitempty" validate:"max=200"`
	PostalCode  string `json:"postal_code,omitempty" validate:"max=16"`
	City        string `json:"city,omitempty" validate:"max=120"`
	CommuneCode string `json:"commune_code,omitempty" validate:"omitempty,len=5,alphanum"` // INSEE code (or Québec municipal code)
	Country     string `json:"country,omitempty" validate:"omitempty,iso3166_1_alpha2"`
	Location    *Point `json:"location,omitempty"`
	// Precision says how close Location is to the address when a
	// geocoder found it ("" when the association gave its position).
	Precision Precision `json:"precision,omitempty" validate:"omitempty,oneof=housenumber street municipality postal_code"`
	// Public says the association chose to publish its street lines and
	// exact position. Many small associations are registered at a
	// member's home, so by default (and for every import) the public view
	// shows only the postal code, city and commune, and a position rounded
	// to about a kilometre (see Association.Public).
	Public bool `json:"public"`
}

// ContactKind names a contact channel.
type ContactKind string

const (
	ContactEmail  ContactKind = "email"
	ContactPhone  ContactKind = "phone"
	ContactPostal ContactKind = "postal"
	ContactSocial ContactKind = "social"
	ContactOther  ContactKind = "other"
)

// Contact is one way to reach the association. Only contacts marked Public
// are shown or exported; the others are for the city's staff.
type Contact struct {
	Kind   ContactKind `json:"kind" validate:"required,oneof=email phone postal social other"`
	Value  string      `json:"value" validate:"required,max=250"`
	Label  string      `json:"label,omitempty" validate:"max=120"`
	Public bool        `json:"public"`
}

// Answer is a yes / no / unknown answer. The zero value is Unknown, so an
// import that does not know says so rather than "no", which would mislead
// a disabled person.
type Answer uint8

const (
	Unknown Answer = iota
	Yes
	No
)

var answerNames = [...]string{Unknown: "unknown", Yes: "yes", No: "no"}

// String returns "unknown", "yes" or "no".
func (v Answer) String() string {
	if int(v) < len(answerNames) {
		return answerNames[v]
	}
	return "unknown"
}

// ParseAnswer reads "yes", "no", "unknown" or "" (unknown).
func ParseAnswer(s string) (Answer, bool) {
	switch s {
	case "yes":
		return Yes, true
	case "no":
		return No, true
	case "unknown", "":
		return Unknown, true
	}
	return Unknown, false
}

// MarshalJSON writes the answer's name.
func (v Answer) MarshalJSON() ([]byte, error) {
	return []byte(`"` + v.String() + `"`), nil
}

// UnmarshalJSON reads "yes", "no", "unknown" or null, and the booleans
// that rows stored before the answer had three values hold.
func (v *Answer) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true":
		*v = Yes
		return nil
	case "false":
		*v = No
		return nil
	case "null":
		*v = Unknown
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: answer: %v", ErrInvalid, err)
	}
	a, ok := ParseAnswer(s)
	if !ok {
		return fmt.Errorf("%w: answer %q: want yes, no or unknown", ErrInvalid, s)
	}
	*v = a
	return nil
}

// Accessibility describes the premises for people with disabilities.
type Accessibility struct {
	StepFreeAccess    Answer `json:"step_free_access" validate:"lte=2"`
	AccessibleToilets Answer `json:"accessible_toilets" validate:"lte=2"`
	HearingLoop       Answer `json:"hearing_loop" validate:"lte=2"`
	SignLanguage      Answer `json:"sign_language" validate:"lte=2"`
	// Notes is free text that may name people ("ask Marie at the door"):
	// it is a moderated field, public only once NotesPublic is set.
	Notes       string `json:"notes,omitempty" validate:"max=1000"`
	NotesPublic bool   `json:"notes_public"`
}

// MaxShortTitleRunes bounds Association.ShortTitle.
const MaxShortTitleRunes = 250

// Association is one entry of the registry.
type Association struct {
	ID          uuid.UUID     `json:"id"`
	Name        string        `json:"name" validate:"required,max=250"`
	Acronym     string        `json:"acronym,omitempty" validate:"max=60"`
	ShortTitle  string        `json:"short_title,omitempty" validate:"max=250"` // RNA titre_court
	RNA         string        `json:"rna,omitempty" validate:"omitempty,rna"`
	SIREN       string        `json:"siren,omitempty" validate:"omitempty,siren"`
	SIRET       string        `json:"siret,omitempty" validate:"omitempty,siret"`
	NEQ         string        `json:"neq,omitempty" validate:"omitempty,neq"`
	LegalStatus LegalStatus   `json:"legal_status,omitempty" validate:"omitempty,oneof=declared public_utility local_law general_interest quebec_npo other"`
	Grouping    Grouping      `json:"grouping,omitempty" validate:"omitempty,oneof=simple union federation"`
	Object      string        `json:"object,omitempty" validate:"max=4000"` // social object, as declared
	Categories  []string      `json:"categories,omitempty" validate:"max=10,dive,category"`
	CreatedOn   *time.Time    `json:"created_on,omitempty"`   // date of creation (UTC midnight)
	DissolvedOn *time.Time    `json:"dissolved_on,omitempty"` // date of dissolution (UTC midnight)
	Status      Status        `json:"status" validate:"required,oneof=active dissolved"`
	Address     Address       `json:"address"`
	Contacts    []Contact     `json:"contacts,omitempty" validate:"max=20,dive"`
	Website     string        `json:"website,omitempty" validate:"omitempty,http_url,max=500"`
	Languages   []string      `json:"languages,omitempty" validate:"max=20,dive,bcp47_language_tag"`
	Access      Accessibility `json:"accessibility"`

	// Version is incremented by every update; an update carrying a stale
	// Version fails with ErrConflict.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PublicContacts returns the contacts marked public.
func (a *Association) PublicContacts() []Contact {
	var out []Contact
	for _, c := range a.Contacts {
		if c.Public {
			out = append(out, c)
		}
	}
	return out
}

// Public returns what anyone may see of a: the public contacts only; the
// street lines and exact position only when the address is marked public
// (otherwise the position is rounded to PublicPrecisionDegrees, about a
// kilometre, enough for a map of the commune); the accessibility notes
// only when marked public.
func (a Association) Public() Association {
	a.Contacts = a.PublicContacts()
	a.Address = a.Address.PublicView()
	if !a.Access.NotesPublic {
		a.Access.Notes = ""
	}
	return a
}

// PublicView returns the address as anyone may see it: the street lines
// and exact position only when it is marked public.
func (ad Address) PublicView() Address {
	if !ad.Public {
		ad.Line1, ad.Line2 = "", ""
		if p := ad.Location; p != nil {
			ad.Location = &Point{Lat: roundTo(p.Lat, PublicPrecisionDegrees), Lon: roundTo(p.Lon, PublicPrecisionDegrees)}
		}
	}
	return ad
}

// PublicPrecisionDegrees is the grid a non-public position is rounded to
// in the public view: 0.01° is about 1.1 km north-south.
const PublicPrecisionDegrees = 0.01

// PublicDistanceStepMeters is the step a distance to an association whose
// address is not public is rounded up to, so that distances from several
// points cannot locate its street line.
const PublicDistanceStepMeters = 500

func roundTo(v, step float64) float64 { return math.Round(v/step) * step }

// Public returns the hit as anyone may see it: the association's public
// view and, when its address is not public, the distance rounded up to a
// multiple of PublicDistanceStepMeters (at least one step: 0 would say
// "you are at its door").
func (h NearHit) Public() NearHit {
	if !h.Association.Address.Public {
		h.DistanceMeters = max(1, math.Ceil(h.DistanceMeters/PublicDistanceStepMeters)) * PublicDistanceStepMeters
	}
	h.Association = h.Association.Public()
	return h
}
