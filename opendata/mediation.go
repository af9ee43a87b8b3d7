package opendata

import (
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/civickit/civickit"
)

// Digital mediation places ("lieux de médiation numérique": public digital
// spaces, fablabs, third places...) published in the national schema
// LaMednum/standard-mediation-num v1.0.2 (schema.data.gouv.fr), a CSV with
// one place per line and lists joined by "|". Only places are described:
// their phone and e-mail are the place's own, never a person's.

// MediationSchemaVersion is the version of the schema the CSV follows.
const MediationSchemaVersion = "1.0.2"

// MediationSchemaIRI is the schema, for a distribution's dct:conformsTo.
const MediationSchemaIRI = "https://schema.data.gouv.fr/LaMednum/standard-mediation-num/" + MediationSchemaVersion + "/schema.json"

// MediationPlace is one place. The comment of each field is its column.
type MediationPlace struct {
	ID                 string    `json:"id"`                            // id (required): local identifier
	Pivot              string    `json:"pivot"`                         // pivot (required): SIREN/SIRET, or RNA
	Name               string    `json:"name"`                          // nom (required)
	Commune            string    `json:"commune"`                       // commune (required)
	PostalCode         string    `json:"postal_code"`                   // code_postal (required)
	INSEECode          string    `json:"insee_code,omitempty"`          // code_insee
	Address            string    `json:"address"`                       // adresse (required)
	AddressComplement  string    `json:"address_complement,omitempty"`  // complement_adresse
	Latitude           *float64  `json:"latitude,omitempty"`            // latitude
	Longitude          *float64  `json:"longitude,omitempty"`           // longitude
	Typology           []string  `json:"typology,omitempty"`            // typologie (codes: TIERS_LIEUX, ASSO, BIB...)
	Phone              string    `json:"phone,omitempty"`               // telephone (+33...)
	Emails             []string  `json:"emails,omitempty"`              // courriels: the place's
	Websites           []string  `json:"websites,omitempty"`            // site_web
	OpeningHours       string    `json:"opening_hours,omitempty"`       // horaires (OSM opening_hours)
	Summary            string    `json:"summary,omitempty"`             // presentation_resume
	Detail             string    `json:"detail,omitempty"`              // presentation_detail
	Source             string    `json:"source,omitempty"`              // source
	Mobility           []string  `json:"mobility,omitempty"`            // itinerance: Itinérant, Fixe
	Parent             string    `json:"parent,omitempty"`              // structure_parente
	Updated            time.Time `json:"updated"`                       // date_maj (required)
	Services           []string  `json:"services"`                      // services (required, the schema's labels)
	Publics            []string  `json:"publics,omitempty"`             // publics_specifiquement_adresses
	SpecificSupport    []string  `json:"specific_support,omitempty"`    // prise_en_charge_specifique
	Fees               []string  `json:"fees,omitempty"`                // frais_a_charge
	NationalProgrammes []string  `json:"national_programmes,omitempty"` // dispositif_programmes_nationaux
	Labels             []string  `json:"labels,omitempty"`              // formations_labels
	OtherLabels        []string  `json:"other_labels,omitempty"`        // autres_formations_labels
	AccessModes        []string  `json:"access_modes,omitempty"`        // modalites_acces
	SupportModes       []string  `json:"support_modes,omitempty"`       // modalites_accompagnement
	AccessibilitySheet string    `json:"accessibility_sheet,omitempty"` // fiche_acces_libre (acceslibre URL)
	AppointmentURL     string    `json:"appointment_url,omitempty"`     // prise_rdv
}

// MediationColumns are the schema's columns, in its order.
var MediationColumns = []string{
	"id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
	"latitude", "longitude", "typologie", "telephone", "courriels", "site_web", "horaires",
	"presentation_resume", "presentation_detail", "source", "itinerance", "structure_parente",
	"date_maj", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
	"frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
	"autres_formations_labels", "modalites_acces", "modalites_accompagnement",
	"fiche_acces_libre", "prise_rdv",
}

var (
	mediationPostal = regexp.MustCompile(`^\d{5}$`)
	mediationPivot  = regexp.MustCompile(`^[a-zA-Z0-9]{9,14}$`)
	mediationINSEE  = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)
)

// Validate checks what the schema requires of a place (required columns,
// postal and INSEE codes, pivot) and that no value breaks the CSV's list
// separator. It returns a *civickit.ValidationError or nil.
func (m *MediationPlace) Validate() error {
	ve := &civickit.ValidationError{}
	for _, f := range []struct{ path, v string }{
		{"id", m.ID}, {"pivot", m.Pivot}, {"name", m.Name}, {"commune", m.Commune},
		{"postal_code", m.PostalCode}, {"address", m.Address},
	} {
		if strings.TrimSpace(f.v) == "" {
			ve.Add(f.path, RuleMandatory, "")
		}
	}
	if m.PostalCode != "" && !mediationPostal.MatchString(m.PostalCode) {
		ve.Add("postal_code", RuleFormat, "5 digits")
	}
	if m.Pivot != "" && !mediationPivot.MatchString(m.Pivot) {
		ve.Add("pivot", RuleFormat, "SIREN, SIRET or RNA (9 to 14 letters or digits)")
	}
	if m.INSEECode != "" && !mediationINSEE.MatchString(m.INSEECode) {
		ve.Add("insee_code", RuleFormat, "INSEE commune code")
	}
	if m.Updated.IsZero() {
		ve.Add("updated", RuleMandatory, "")
	}
	if len(m.Services) == 0 {
		ve.Add("services", RuleMandatory, "")
	}
	for name, list := range map[string][]string{
		"typology": m.Typology, "emails": m.Emails, "websites": m.Websites, "mobility": m.Mobility,
		"services": m.Services, "publics": m.Publics, "specific_support": m.SpecificSupport, "fees": m.Fees,
		"national_programmes": m.NationalProgrammes, "labels": m.Labels, "other_labels": m.OtherLabels,
		"access_modes": m.AccessModes, "support_modes": m.SupportModes,
	} {
		for i, v := range list {
			if strings.Contains(v, "|") {
				ve.Add(index(name, i), RuleFormat, "no |")
			}
		}
	}
	return ve.Err()
}

// Row returns the place's CSV cells in MediationColumns order.
func (m *MediationPlace) Row() []string {
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	list := func(vs []string) string { return strings.Join(vs, "|") }
	date := ""
	if !m.Updated.IsZero() {
		date = m.Updated.UTC().Format(time.DateOnly)
	}
	return []string{
		m.ID, m.Pivot, m.Name, m.Commune, m.PostalCode, m.INSEECode, m.Address, m.AddressComplement,
		num(m.Latitude), num(m.Longitude), list(m.Typology), m.Phone, list(m.Emails), list(m.Websites),
		m.OpeningHours, m.Summary, m.Detail, m.Source, list(m.Mobility), m.Parent, date,
		list(m.Services), list(m.Publics), list(m.SpecificSupport), list(m.Fees),
		list(m.NationalProgrammes), list(m.Labels), list(m.OtherLabels), list(m.AccessModes),
		list(m.SupportModes), m.AccessibilitySheet, m.AppointmentURL,
	}
}

// WriteMediationPlacesCSV writes the places as the schema's CSV (header
// first). Every place is validated first: one invalid place writes
// nothing and is named in the error (paths "places[i].field").
func WriteMediationPlacesCSV(w io.Writer, places []MediationPlace) error {
	ve := &civickit.ValidationError{}
	for i := range places {
		ve.Merge(index("places", i), places[i].Validate())
	}
	if err := ve.Err(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(MediationColumns); err != nil {
		return err
	}
	for i := range places {
		if err := cw.Write(places[i].Row()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
