package associations

import (
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

// Accessibility describes the premises for people with disabilities.
type Accessibility struct {
	StepFreeAccess    bool   `json:"step_free_access"`
	AccessibleToilets bool   `json:"accessible_toilets"`
	HearingLoop       bool   `json:"hearing_loop"`
	SignLanguage      bool   `json:"sign_language"`
	Notes             string `json:"notes,omitempty" validate:"max=1000"`
}

// Association is one entry of the registry.
type Association struct {
	ID          uuid.UUID     `json:"id"`
	Name        string        `json:"name" validate:"required,max=250"`
	Acronym     string        `json:"acronym,omitempty" validate:"max=60"`
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
