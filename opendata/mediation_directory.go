package opendata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/civickit/civickit"
)

// MediationStore persists a directory of digital mediation places, keyed
// by their local identifier (MediationPlace.ID). It is owned here; package
// storage implements it on SQLite, PostgreSQL and MariaDB and
// opendatatest.TestMediationStore checks any implementation. A store keeps
// places as given: the MediationDirectory validates and stamps them.
type MediationStore interface {
	// CreateMediationPlace inserts p; ErrConflict if its ID is taken.
	CreateMediationPlace(ctx context.Context, p *MediationPlace) error
	// GetMediationPlace returns ErrNotFound for an unknown ID.
	GetMediationPlace(ctx context.Context, id string) (*MediationPlace, error)
	// UpdateMediationPlace replaces the place of p.ID; ErrNotFound if absent.
	UpdateMediationPlace(ctx context.Context, p *MediationPlace) error
	// DeleteMediationPlace removes a place; ErrNotFound if absent.
	DeleteMediationPlace(ctx context.Context, id string) error
	// ListMediationPlaces returns a page of places ordered by ID (bytewise),
	// with the kernel's paging (civickit.CheckLimit; a malformed after is
	// ErrInvalid).
	ListMediationPlaces(ctx context.Context, after string, limit int) (civickit.Page[MediationPlace], error)
}

// MaxMediationIDLen is the longest place ID a store keeps, in bytes.
const MaxMediationIDLen = 200

// MediationIdentifier is the dct:identifier of the dataset describing the
// directory in the catalogue.
const MediationIdentifier = "lieux-mediation-numerique"

// MediationOptions tunes a MediationDirectory. The zero value works.
type MediationOptions struct {
	// Now returns the current time; time.Now by default. It stamps
	// Updated (date_maj) when a place comes without one.
	Now func() time.Time
	// Catalog, when set, receives the directory's DCAT description
	// (MediationDataset) after every change, so that the catalogue's
	// dct:modified follows the directory. *Service implements it.
	Catalog DatasetUpserter
	// Dataset describes the directory in the catalogue.
	Dataset MediationDatasetOptions
}

// MediationDirectory is a city's directory of digital mediation places:
// it validates places against the national schema's rules, keeps them in
// a MediationStore and publishes them as the schema's CSV and as JSON.
// It holds places only: the schema's contact fields (telephone, courriels)
// are the place's, and MediationPlace has no field for a person.
type MediationDirectory struct {
	store   MediationStore
	now     func() time.Time
	catalog DatasetUpserter
	dataset MediationDatasetOptions
}

// NewMediationDirectory returns a directory over store.
func NewMediationDirectory(store MediationStore, opts MediationOptions) (*MediationDirectory, error) {
	if store == nil {
		return nil, errors.New("opendata: NewMediationDirectory: nil store")
	}
	d := &MediationDirectory{store: store, now: opts.Now, catalog: opts.Catalog, dataset: opts.Dataset}
	if d.now == nil {
		d.now = time.Now
	}
	return d, nil
}

// check validates p for the directory: the schema's rules (Validate), a
// storable ID, e-mail addresses, no date_maj in the future.
func (d *MediationDirectory) check(p *MediationPlace) error {
	ve := &civickit.ValidationError{}
	ve.Merge("", p.Validate())
	if len(p.ID) > MaxMediationIDLen {
		ve.Add("id", RuleFormat, "at most "+strconv.Itoa(MaxMediationIDLen)+" bytes")
	} else if !utf8.ValidString(p.ID) || strings.ContainsFunc(p.ID, unicode.IsControl) {
		ve.Add("id", RuleFormat, "printable UTF-8")
	}
	for i, e := range p.Emails {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || a.Name != "" {
			ve.Add(index("emails", i), RuleFormat, "e-mail address")
		}
	}
	if p.Updated.After(d.now().Add(FutureTolerance)) {
		ve.Add("updated", RuleFormat, "not in the future")
	}
	return ve.Err()
}

func (d *MediationDirectory) prepare(p *MediationPlace) error {
	if p.Updated.IsZero() {
		p.Updated = d.now().UTC().Truncate(time.Microsecond)
	}
	return d.check(p)
}

// Create adds a place; ErrConflict if its ID is taken.
func (d *MediationDirectory) Create(ctx context.Context, p MediationPlace) (*MediationPlace, error) {
	if err := d.prepare(&p); err != nil {
		return nil, fmt.Errorf("create mediation place: %w", err)
	}
	if err := d.store.CreateMediationPlace(ctx, &p); err != nil {
		return nil, err
	}
	return &p, d.publish(ctx)
}

// Update replaces the place of p.ID; ErrNotFound if absent. A zero
// Updated is stamped now.
func (d *MediationDirectory) Update(ctx context.Context, p MediationPlace) (*MediationPlace, error) {
	if err := d.prepare(&p); err != nil {
		return nil, fmt.Errorf("update mediation place: %w", err)
	}
	if err := d.store.UpdateMediationPlace(ctx, &p); err != nil {
		return nil, err
	}
	return &p, d.publish(ctx)
}

// Get returns a place; ErrNotFound if absent.
func (d *MediationDirectory) Get(ctx context.Context, id string) (*MediationPlace, error) {
	return d.store.GetMediationPlace(ctx, id)
}

// Delete removes a place; ErrNotFound if absent.
func (d *MediationDirectory) Delete(ctx context.Context, id string) error {
	if err := d.store.DeleteMediationPlace(ctx, id); err != nil {
		return err
	}
	return d.publish(ctx)
}

// List returns a page of places ordered by ID.
func (d *MediationDirectory) List(ctx context.Context, after string, limit int) (civickit.Page[MediationPlace], error) {
	return d.store.ListMediationPlaces(ctx, after, limit)
}

// All returns every place, ordered by ID, read page by page.
func (d *MediationDirectory) All(ctx context.Context) ([]MediationPlace, error) {
	var out []MediationPlace
	after := ""
	for {
		page, err := d.store.ListMediationPlaces(ctx, after, civickit.MaxLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out, nil
		}
		after = page.Next
	}
}

// Dataset returns the directory's DCAT description (see MediationDataset).
func (d *MediationDirectory) Dataset(ctx context.Context) (*Dataset, error) {
	places, err := d.All(ctx)
	if err != nil {
		return nil, err
	}
	return MediationDataset(places, d.dataset), nil
}

func (d *MediationDirectory) publish(ctx context.Context) error {
	if d.catalog == nil {
		return nil
	}
	ds, err := d.Dataset(ctx)
	if err != nil {
		return err
	}
	if _, err := d.catalog.UpsertDataset(ctx, ds); err != nil {
		return fmt.Errorf("publish the mediation places dataset: %w", err)
	}
	return nil
}

// MediationDatasetOptions describe the directory's dataset.
type MediationDatasetOptions struct {
	// BaseURL is where the directory is served: its files are
	// BaseURL+"/mediation-places.csv" and ".json".
	BaseURL string
	// Publisher is the city publishing the directory.
	Publisher *Agent
	// ContactPoints are the service's own (never a person). data.json
	// (POD v1.1) needs one with an e-mail address.
	ContactPoints []Contact
	// License defaults to DefaultLicense (Licence Ouverte 2.0).
	License LicenseDocument
}

// MediationDataset describes a directory as a dcat:Dataset: a CSV
// distribution that dct:conformsTo the national schema
// (MediationSchemaIRI) and a JSON one; dct:modified is the latest date_maj.
func MediationDataset(places []MediationPlace, o MediationDatasetOptions) *Dataset {
	base := strings.TrimRight(o.BaseURL, "/")
	lic := o.License
	if lic.IsZero() {
		lic = DefaultLicense()
	}
	var modified time.Time
	for i := range places {
		if places[i].Updated.After(modified) {
			modified = places[i].Updated
		}
	}
	n := strconv.Itoa(len(places))
	d := &Dataset{
		Identifier: MediationIdentifier,
		Title:      Text{"fr": "Lieux de médiation numérique", "en": "Digital mediation places"},
		Description: Text{
			"fr": "Annuaire des " + n + " lieux de médiation numérique (espaces publics numériques, fablabs, tiers-lieux…) au standard national des lieux de médiation numérique " + MediationSchemaVersion + ".",
			"en": "Directory of the " + n + " digital mediation places (public digital spaces, fablabs, third places…) in the French national schema " + MediationSchemaVersion + ".",
		},
		Keywords:      Keywords{"fr": {"médiation numérique", "inclusion numérique", "tiers-lieux"}, "en": {"digital inclusion"}},
		Themes:        []Theme{ThemeSociety, ThemeScience},
		Publisher:     o.Publisher,
		ContactPoints: o.ContactPoints,
		Modified:      modified,
		Languages:     []Language{LanguageFrench},
		AccessRights:  AccessPublic,
		ConformsTo:    []Standard{{IRI: MediationSchemaIRI, Title: Text{"fr": "Standard des lieux de médiation numérique " + MediationSchemaVersion}}},
		License:       lic,
	}
	if base != "" {
		d.IRI = base + "/datasets/" + MediationIdentifier
		d.LandingPage = d.IRI
		d.Distributions = []Distribution{{
			IRI:         base + "/mediation-places.csv#distribution",
			Title:       Text{"fr": "Lieux de médiation numérique (CSV, standard national)"},
			AccessURL:   base + "/mediation-places.csv",
			DownloadURL: base + "/mediation-places.csv",
			Format:      FileTypeCSV,
			MediaType:   MediaTypeCSV,
			License:     lic,
			ConformsTo:  []Standard{{IRI: MediationSchemaIRI, Title: Text{"fr": "Standard des lieux de médiation numérique " + MediationSchemaVersion}}},
			Encoding:    "utf-8",
			Delimiter:   ",",
			Modified:    modified,
		}, {
			IRI:         base + "/mediation-places.json#distribution",
			Title:       Text{"fr": "Lieux de médiation numérique (JSON)"},
			AccessURL:   base + "/mediation-places.json",
			DownloadURL: base + "/mediation-places.json",
			Format:      FileTypeJSON,
			MediaType:   MediaTypeJSON,
			License:     lic,
			Modified:    modified,
		}}
	}
	return d
}

// mediationJSON is a place as WriteMediationPlacesJSON writes it: the
// schema's column names, lists as arrays, coordinates as numbers.
type mediationJSON struct {
	ID                 string   `json:"id"`
	Pivot              string   `json:"pivot"`
	Name               string   `json:"nom"`
	Commune            string   `json:"commune"`
	PostalCode         string   `json:"code_postal"`
	INSEECode          string   `json:"code_insee,omitempty"`
	Address            string   `json:"adresse"`
	AddressComplement  string   `json:"complement_adresse,omitempty"`
	Latitude           *float64 `json:"latitude,omitempty"`
	Longitude          *float64 `json:"longitude,omitempty"`
	Typology           []string `json:"typologie,omitempty"`
	Phone              string   `json:"telephone,omitempty"`
	Emails             []string `json:"courriels,omitempty"`
	Websites           []string `json:"site_web,omitempty"`
	OpeningHours       string   `json:"horaires,omitempty"`
	Summary            string   `json:"presentation_resume,omitempty"`
	Detail             string   `json:"presentation_detail,omitempty"`
	Source             string   `json:"source,omitempty"`
	Mobility           []string `json:"itinerance,omitempty"`
	Parent             string   `json:"structure_parente,omitempty"`
	Updated            string   `json:"date_maj"`
	Services           []string `json:"services"`
	Publics            []string `json:"publics_specifiquement_adresses,omitempty"`
	SpecificSupport    []string `json:"prise_en_charge_specifique,omitempty"`
	Fees               []string `json:"frais_a_charge,omitempty"`
	NationalProgrammes []string `json:"dispositif_programmes_nationaux,omitempty"`
	Labels             []string `json:"formations_labels,omitempty"`
	OtherLabels        []string `json:"autres_formations_labels,omitempty"`
	AccessModes        []string `json:"modalites_acces,omitempty"`
	SupportModes       []string `json:"modalites_accompagnement,omitempty"`
	AccessibilitySheet string   `json:"fiche_acces_libre,omitempty"`
	AppointmentURL     string   `json:"prise_rdv,omitempty"`
}

// WriteMediationPlacesJSON writes the places as a JSON array of objects
// keyed by the schema's column names. Places are validated first, as for
// the CSV.
func WriteMediationPlacesJSON(w io.Writer, places []MediationPlace) error {
	ve := &civickit.ValidationError{}
	for i := range places {
		ve.Merge(index("places", i), places[i].Validate())
	}
	if err := ve.Err(); err != nil {
		return err
	}
	out := make([]mediationJSON, len(places))
	for i := range places {
		m := &places[i]
		out[i] = mediationJSON{
			ID: m.ID, Pivot: m.Pivot, Name: m.Name, Commune: m.Commune, PostalCode: m.PostalCode,
			INSEECode: m.INSEECode, Address: m.Address, AddressComplement: m.AddressComplement,
			Latitude: m.Latitude, Longitude: m.Longitude, Typology: m.Typology, Phone: m.Phone,
			Emails: m.Emails, Websites: m.Websites, OpeningHours: m.OpeningHours, Summary: m.Summary,
			Detail: m.Detail, Source: m.Source, Mobility: m.Mobility, Parent: m.Parent,
			Updated: m.Updated.UTC().Format(time.DateOnly), Services: m.Services, Publics: m.Publics,
			SpecificSupport: m.SpecificSupport, Fees: m.Fees, NationalProgrammes: m.NationalProgrammes,
			Labels: m.Labels, OtherLabels: m.OtherLabels, AccessModes: m.AccessModes,
			SupportModes: m.SupportModes, AccessibilitySheet: m.AccessibilitySheet, AppointmentURL: m.AppointmentURL,
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}
