package opendata

import (
	"sort"
	"time"

	"github.com/google/uuid"
)

// The model follows DCAT-AP 3.0.1 (https://semiceu.github.io/DCAT-AP/releases/3.0.1/).
// Each type documents the RDF class it becomes and each field the property.
// Zero values mean "absent": an empty string, a nil slice, a zero time.
//
// Dates: a time whose clock reads 00:00:00 in UTC is written as an xsd:date,
// any other time as an xsd:dateTime.

// Text is a literal given in several languages: BCP 47 language tag ("fr",
// "en") to text. The empty tag holds a literal without language.
type Text map[string]string

// Get returns the text in lang, else the one without language, else the
// English one, else the first by tag order; "" when t is empty.
func (t Text) Get(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	for _, l := range []string{"", "en"} {
		if s, ok := t[l]; ok && s != "" {
			return s
		}
	}
	for _, l := range t.Langs() {
		if t[l] != "" {
			return t[l]
		}
	}
	return ""
}

// IsZero reports whether t holds no non-empty text.
func (t Text) IsZero() bool {
	for _, s := range t {
		if s != "" {
			return false
		}
	}
	return true
}

// Langs returns the language tags of t in sorted order (stable output).
func (t Text) Langs() []string {
	if len(t) == 1 {
		for l := range t {
			return []string{l}
		}
	}
	langs := make([]string, 0, len(t))
	for l := range t {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// Keywords are dcat:keyword literals per BCP 47 language tag.
type Keywords map[string][]string

// Langs returns the language tags of k in sorted order.
func (k Keywords) Langs() []string {
	langs := make([]string, 0, len(k))
	for l := range k {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// Len returns the number of keywords over all languages.
func (k Keywords) Len() int {
	n := 0
	for _, ws := range k {
		n += len(ws)
	}
	return n
}

// AgentKind tells an organisation from a natural person. A person is
// personal data: serialisations never write a person (see Agent).
type AgentKind string

const (
	AgentOrganization AgentKind = "organization" // the default
	AgentPerson       AgentKind = "person"
)

// Agent is a foaf:Agent (publisher, creator, attributed party).
//
// Only organisations are published. An agent of Kind AgentPerson is
// personal data: writers leave it out of every export and validation reports
// it with RulePersonal.
type Agent struct {
	IRI        string    `json:"iri,omitempty"`        // the node's IRI; a blank node when empty
	Kind       AgentKind `json:"kind,omitempty"`       // organisation unless AgentPerson
	Name       Text      `json:"name,omitempty"`       // foaf:name (mandatory)
	Type       AgentType `json:"type,omitempty"`       // dct:type, ADMS publisher type (recommended)
	Homepage   string    `json:"homepage,omitempty"`   // foaf:homepage
	Email      string    `json:"email,omitempty"`      // foaf:mbox, a function mailbox
	Identifier string    `json:"identifier,omitempty"` // dct:identifier, e.g. a SIREN number
}

// IsPerson reports whether the agent is a natural person.
func (a *Agent) IsPerson() bool { return a != nil && a.Kind == AgentPerson }

// ContactKind tells a function (an office, a service) from an individual.
type ContactKind string

const (
	ContactOrganization ContactKind = "organization" // vcard:Organization ("" is a vcard:Kind of no stated kind, public like an organisation)
	ContactIndividual   ContactKind = "individual"   // vcard:Individual: personal data, never exported
)

// Address is a vcard:Address.
type Address struct {
	Street     string `json:"street,omitempty"`      // vcard:street-address
	Locality   string `json:"locality,omitempty"`    // vcard:locality
	PostalCode string `json:"postal_code,omitempty"` // vcard:postal-code
	Region     string `json:"region,omitempty"`      // vcard:region
	Country    string `json:"country,omitempty"`     // vcard:country-name
}

// IsZero reports whether no part of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// Contact is a dcat:contactPoint, a vcard:Kind. Contacts of kind
// ContactIndividual are personal data: writers leave them out and
// validation reports them with RulePersonal.
type Contact struct {
	IRI     string      `json:"iri,omitempty"`
	Kind    ContactKind `json:"kind,omitempty"`    // vcard:Organization when ContactOrganization; "" writes vcard:Kind only
	Name    string      `json:"name,omitempty"`    // vcard:fn
	Email   string      `json:"email,omitempty"`   // vcard:hasEmail (mailto: added when written)
	Phone   string      `json:"phone,omitempty"`   // vcard:hasTelephone (tel: added when written)
	URL     string      `json:"url,omitempty"`     // vcard:hasURL
	Address Address     `json:"address,omitempty"` // vcard:hasAddress
}

// IsIndividual reports whether the contact is a natural person.
func (c *Contact) IsIndividual() bool { return c != nil && c.Kind == ContactIndividual }

// LicenseDocument is a dct:LicenseDocument. Use KnownLicense for the usual
// open licences.
type LicenseDocument struct {
	IRI   string      `json:"iri,omitempty"`   // the licence IRI (mandatory when a licence is given)
	Title Text        `json:"title,omitempty"` // dct:title
	Type  LicenseType `json:"type,omitempty"`  // dct:type, ADMS licence type (recommended)
	SPDX  string      `json:"spdx,omitempty"`  // SPDX identifier for data.json / datapackage.json
	URL   string      `json:"url,omitempty"`   // human-readable text of the licence
}

// IsZero reports whether no licence is given.
func (l LicenseDocument) IsZero() bool { return l.IRI == "" && l.Title.IsZero() && l.SPDX == "" }

// RightsStatement is a dct:RightsStatement (dct:rights, dct:accessRights notes).
type RightsStatement struct {
	IRI   string `json:"iri,omitempty"`
	Label Text   `json:"label,omitempty"` // rdfs:label
}

// IsZero reports whether no rights statement is given.
func (r RightsStatement) IsZero() bool { return r.IRI == "" && r.Label.IsZero() }

// Location is a dct:Location (dct:spatial). IRI names a place from a
// gazetteer (EU country or place authority, GeoNames, INSEE code IRI);
// Geometry, BBox and Centroid are WKT literals (gsp:wktLiteral).
type Location struct {
	IRI      string `json:"iri,omitempty"`
	Label    Text   `json:"label,omitempty"`    // skos:prefLabel
	Geometry string `json:"geometry,omitempty"` // locn:geometry
	BBox     string `json:"bbox,omitempty"`     // dcat:bbox (recommended)
	Centroid string `json:"centroid,omitempty"` // dcat:centroid (recommended)
}

// PeriodOfTime is a dct:PeriodOfTime (dct:temporal).
type PeriodOfTime struct {
	Start time.Time `json:"start,omitempty"` // dcat:startDate
	End   time.Time `json:"end,omitempty"`   // dcat:endDate
}

// Checksum is an spdx:Checksum.
type Checksum struct {
	Algorithm ChecksumAlgorithm `json:"algorithm"` // spdx:algorithm
	Value     string            `json:"value"`     // spdx:checksumValue, lower-case hex
}

// Identifier is an adms:Identifier (adms:identifier: another identifier of
// the same dataset, e.g. in a national catalogue).
type Identifier struct {
	Notation string `json:"notation"`          // skos:notation
	Scheme   string `json:"scheme,omitempty"`  // IRI of the identifier scheme, written as the notation's datatype
	Issuer   string `json:"issuer,omitempty"`  // adms:schemaAgency, a name
	Created  string `json:"created,omitempty"` // dct:issued: a YYYY-MM-DD date (xsd:date) or free text
}

// Standard is a dct:Standard (dct:conformsTo): a schema, a specification,
// a data model. For example a schema.data.gouv.fr schema.
type Standard struct {
	IRI   string `json:"iri"`
	Title Text   `json:"title,omitempty"`
}

// ProvenanceStatement is a dct:ProvenanceStatement (dct:provenance): how the
// data came to be.
type ProvenanceStatement struct {
	IRI   string `json:"iri,omitempty"`
	Label Text   `json:"label"` // rdfs:label
}

// QualityNote is a dqv:QualityAnnotation with a textual body: a known
// limitation, a completeness or accuracy remark.
type QualityNote struct {
	Dimension string `json:"dimension,omitempty"` // IRI of a dqv:Dimension (e.g. ISO 25012 completeness); optional
	Body      Text   `json:"body"`                // the note
}

// Attribution is a prov:Attribution (prov:qualifiedAttribution): an agent
// and the role it played (an ISO 19115 role IRI).
type Attribution struct {
	Agent Agent  `json:"agent"`
	Role  string `json:"role"` // dcat:hadRole, e.g. RoleOriginator
}

// Activity is a prov:Activity (prov:wasGeneratedBy): the consultation, vote
// or survey that produced the data.
type Activity struct {
	IRI   string    `json:"iri,omitempty"`
	Label Text      `json:"label,omitempty"` // rdfs:label
	Start time.Time `json:"start,omitempty"` // prov:startedAtTime
	End   time.Time `json:"end,omitempty"`   // prov:endedAtTime
}

// ColumnType is the Frictionless Table Schema type of a column.
type ColumnType string

const (
	ColumnString   ColumnType = "string"
	ColumnInteger  ColumnType = "integer"
	ColumnNumber   ColumnType = "number"
	ColumnBoolean  ColumnType = "boolean"
	ColumnDate     ColumnType = "date"
	ColumnDateTime ColumnType = "datetime"
	ColumnYear     ColumnType = "year"
	ColumnGeoPoint ColumnType = "geopoint"
	ColumnAny      ColumnType = "any"
)

// Column is one entry of a tabular distribution's column dictionary
// (a Frictionless Table Schema field; csvw:column in RDF).
type Column struct {
	Name        string     `json:"name"`                  // header in the file
	Title       Text       `json:"title,omitempty"`       // human label
	Description Text       `json:"description,omitempty"` // meaning, unit, source
	Type        ColumnType `json:"type,omitempty"`        // string when empty
	Format      string     `json:"format,omitempty"`      // Table Schema format, e.g. "email", "%Y-%m-%d"
	Unit        string     `json:"unit,omitempty"`        // unit of measure (UCUM code or IRI)
	Required    bool       `json:"required,omitempty"`
	Enum        []string   `json:"enum,omitempty"` // allowed values
	PrimaryKey  bool       `json:"primary_key,omitempty"`
}

// Distribution is a dcat:Distribution: one available form of a dataset.
type Distribution struct {
	IRI         string `json:"iri,omitempty"`
	Title       Text   `json:"title,omitempty"`       // dct:title
	Description Text   `json:"description,omitempty"` // dct:description (recommended)
	// AccessURL (dcat:accessURL, mandatory) is where the data can be
	// reached; DownloadURL (dcat:downloadURL) the file itself.
	AccessURL      string             `json:"access_url,omitempty"`
	DownloadURL    string             `json:"download_url,omitempty"`
	AccessServices []string           `json:"access_services,omitempty"` // dcat:accessService, IRIs of DataServices
	Format         FileType           `json:"format,omitempty"`          // dct:format, EU file-type IRI (recommended)
	MediaType      MediaType          `json:"media_type,omitempty"`      // dcat:mediaType, IANA IRI
	CompressFormat MediaType          `json:"compress_format,omitempty"` // dcat:compressFormat
	PackageFormat  MediaType          `json:"package_format,omitempty"`  // dcat:packageFormat
	ByteSize       int64              `json:"byte_size,omitempty"`       // dcat:byteSize; 0 when unknown
	Checksum       *Checksum          `json:"checksum,omitempty"`        // spdx:checksum
	License        LicenseDocument    `json:"license,omitempty"`         // dct:license (recommended)
	Rights         RightsStatement    `json:"rights,omitempty"`          // dct:rights
	Languages      []Language         `json:"languages,omitempty"`       // dct:language
	ConformsTo     []Standard         `json:"conforms_to,omitempty"`     // dct:conformsTo
	Issued         time.Time          `json:"issued,omitempty"`          // dct:issued
	Modified       time.Time          `json:"modified,omitempty"`        // dct:modified
	Status         DistributionStatus `json:"status,omitempty"`          // adms:status
	Availability   Availability       `json:"availability,omitempty"`    // dcatap:availability (recommended)
	Documentation  []string           `json:"documentation,omitempty"`   // foaf:page
	// SpatialResolutionInMeters (dcat:spatialResolutionInMeters); 0 when unknown.
	SpatialResolutionInMeters float64 `json:"spatial_resolution_in_meters,omitempty"`
	// TemporalResolution (dcat:temporalResolution) is an xsd:duration such as "P1D".
	TemporalResolution string `json:"temporal_resolution,omitempty"`
	// Columns is the column dictionary of a tabular distribution (CSV):
	// written to datapackage.json as its Table Schema.
	Columns []Column `json:"columns,omitempty"`
	// Applicable (dcatap:applicableLegislation, ELI IRIs) is the law
	// this distribution is published under, when it differs from the
	// dataset's.
	Applicable []string `json:"applicable_legislation,omitempty"`
	// Encoding is the character set of a text file ("utf-8" when empty).
	Encoding string `json:"encoding,omitempty"`
	// Delimiter is the CSV field separator ("," when empty).
	Delimiter string `json:"delimiter,omitempty"`
}

// IsTabular reports whether the distribution is a table a Frictionless
// Tabular Data Resource can describe (CSV or TSV, or any distribution with
// a column dictionary).
func (d *Distribution) IsTabular() bool {
	switch d.Format {
	case FileTypeCSV, FileTypeTSV:
		return true
	}
	switch d.MediaType {
	case MediaTypeCSV, MediaTypeTSV:
		return true
	}
	return len(d.Columns) > 0
}

// DataService is a dcat:DataService: an API serving datasets.
type DataService struct {
	IRI string `json:"iri"`
	// Identifier (dct:identifier) is the key udata and other harvesters
	// de-duplicate services by; they skip a service without one.
	Identifier          string          `json:"identifier,omitempty"`
	Title               Text            `json:"title,omitempty"`                  // dct:title (mandatory)
	Description         Text            `json:"description,omitempty"`            // dct:description
	EndpointURLs        []string        `json:"endpoint_urls,omitempty"`          // dcat:endpointURL (mandatory)
	EndpointDescription []string        `json:"endpoint_description,omitempty"`   // dcat:endpointDescription (recommended)
	ServesDatasets      []string        `json:"serves_datasets,omitempty"`        // dcat:servesDataset, dataset IRIs (recommended)
	Publisher           *Agent          `json:"publisher,omitempty"`              // dct:publisher
	ContactPoints       []Contact       `json:"contact_points,omitempty"`         // dcat:contactPoint
	Keywords            Keywords        `json:"keywords,omitempty"`               // dcat:keyword
	Themes              []Theme         `json:"themes,omitempty"`                 // dcat:theme
	Formats             []FileType      `json:"formats,omitempty"`                // dct:format
	License             LicenseDocument `json:"license,omitempty"`                // dct:license
	AccessRights        AccessRights    `json:"access_rights,omitempty"`          // dct:accessRights
	ConformsTo          []Standard      `json:"conforms_to,omitempty"`            // dct:conformsTo
	LandingPage         string          `json:"landing_page,omitempty"`           // dcat:landingPage
	Rights              RightsStatement `json:"rights,omitempty"`                 // dct:rights (outside DCAT-AP; kept in JSON)
	Applicable          []string        `json:"applicable_legislation,omitempty"` // dcatap:applicableLegislation (ELI IRIs)
}

// DatasetSeries is a dcat:DatasetSeries: datasets published one after the
// other (budget of each year, results of each vote). Members point to it
// with Dataset.InSeries.
type DatasetSeries struct {
	IRI                string         `json:"iri"`
	Identifier         string         `json:"identifier,omitempty"`          // dct:identifier
	Title              Text           `json:"title,omitempty"`               // dct:title (mandatory)
	Description        Text           `json:"description,omitempty"`         // dct:description (mandatory)
	Publisher          *Agent         `json:"publisher,omitempty"`           // dct:publisher (recommended)
	ContactPoints      []Contact      `json:"contact_points,omitempty"`      // dcat:contactPoint (recommended)
	AccrualPeriodicity Frequency      `json:"accrual_periodicity,omitempty"` // dct:accrualPeriodicity
	Spatial            []Location     `json:"spatial,omitempty"`             // dct:spatial
	Temporal           []PeriodOfTime `json:"temporal,omitempty"`            // dct:temporal
	Issued             time.Time      `json:"issued,omitempty"`              // dct:issued
	Modified           time.Time      `json:"modified,omitempty"`            // dct:modified
	Applicable         []string       `json:"applicable_legislation,omitempty"`
	// Keywords and Themes: a series is also written as a dcat:Dataset
	// (DCAT 3 makes it a subclass), whose recommended properties these are.
	Keywords Keywords `json:"keywords,omitempty"` // dcat:keyword
	Themes   []Theme  `json:"themes,omitempty"`   // dcat:theme
}

// Dataset is a dcat:Dataset.
type Dataset struct {
	// ID is the store's key; Identifier the public, stable dct:identifier
	// that harvesters de-duplicate on; IRI the dataset's node in RDF.
	ID         uuid.UUID `json:"id"`
	Identifier string    `json:"identifier"`
	IRI        string    `json:"iri"`

	Title              Text                  `json:"title"`                            // dct:title (mandatory)
	Description        Text                  `json:"description"`                      // dct:description (mandatory)
	Keywords           Keywords              `json:"keywords,omitempty"`               // dcat:keyword (recommended)
	Themes             []Theme               `json:"themes,omitempty"`                 // dcat:theme, EU data themes (recommended)
	Type               DatasetType           `json:"type,omitempty"`                   // dct:type
	Publisher          *Agent                `json:"publisher,omitempty"`              // dct:publisher (recommended)
	Creators           []Agent               `json:"creators,omitempty"`               // dct:creator
	ContactPoints      []Contact             `json:"contact_points,omitempty"`         // dcat:contactPoint (recommended)
	Distributions      []Distribution        `json:"distributions,omitempty"`          // dcat:distribution (recommended)
	Issued             time.Time             `json:"issued,omitempty"`                 // dct:issued
	Modified           time.Time             `json:"modified,omitempty"`               // dct:modified
	Languages          []Language            `json:"languages,omitempty"`              // dct:language
	Spatial            []Location            `json:"spatial,omitempty"`                // dct:spatial (recommended)
	Temporal           []PeriodOfTime        `json:"temporal,omitempty"`               // dct:temporal (recommended)
	AccrualPeriodicity Frequency             `json:"accrual_periodicity,omitempty"`    // dct:accrualPeriodicity
	AccessRights       AccessRights          `json:"access_rights,omitempty"`          // dct:accessRights
	ConformsTo         []Standard            `json:"conforms_to,omitempty"`            // dct:conformsTo
	LandingPage        string                `json:"landing_page,omitempty"`           // dcat:landingPage
	Documentation      []string              `json:"documentation,omitempty"`          // foaf:page
	OtherIdentifiers   []Identifier          `json:"other_identifiers,omitempty"`      // adms:identifier
	Version            string                `json:"version,omitempty"`                // dcat:version
	VersionNotes       Text                  `json:"version_notes,omitempty"`          // adms:versionNotes
	HasVersion         []string              `json:"has_version,omitempty"`            // dcat:hasVersion, dataset IRIs
	IsVersionOf        string                `json:"is_version_of,omitempty"`          // dcat:isVersionOf
	PreviousVersion    string                `json:"previous_version,omitempty"`       // dcat:previousVersion
	InSeries           []string              `json:"in_series,omitempty"`              // dcat:inSeries, DatasetSeries IRIs
	Provenance         []ProvenanceStatement `json:"provenance,omitempty"`             // dct:provenance
	WasGeneratedBy     []Activity            `json:"was_generated_by,omitempty"`       // prov:wasGeneratedBy
	Attributions       []Attribution         `json:"attributions,omitempty"`           // prov:qualifiedAttribution
	QualityNotes       []QualityNote         `json:"quality_notes,omitempty"`          // dqv:hasQualityAnnotation
	Sources            []string              `json:"sources,omitempty"`                // dct:source, dataset IRIs
	Related            []string              `json:"related,omitempty"`                // dct:relation
	IsReferencedBy     []string              `json:"is_referenced_by,omitempty"`       // dct:isReferencedBy
	Applicable         []string              `json:"applicable_legislation,omitempty"` // dcatap:applicableLegislation (ELI IRIs)
	// SpatialResolutionInMeters (dcat:spatialResolutionInMeters); 0 when unknown.
	SpatialResolutionInMeters float64 `json:"spatial_resolution_in_meters,omitempty"`
	// TemporalResolution (dcat:temporalResolution) is an xsd:duration such as "P1D".
	TemporalResolution string `json:"temporal_resolution,omitempty"`
	// Reuses are what others made with the dataset (applications,
	// visualisations, articles), as data.gouv.fr lists them: written as
	// dct:isReferencedBy nodes with a title, a DCMI type and the
	// organisation that made them; shown on the landing page.
	Reuses []Reuse `json:"reuses,omitempty"`
	// QualifiedRelations (dcat:qualifiedRelation) are relations to other
	// resources with a role, as a harvest found them. A reuse is not
	// repeated here: every reuse is written with a qualified relation of
	// role ReuseRole too.
	QualifiedRelations []Relationship `json:"qualified_relations,omitempty"`
	// Samples (adms:sample) are distributions showing a part of the data
	// (the first rows, a preview), apart from the dataset's own.
	Samples []Distribution `json:"samples,omitempty"`
	// License is a dct:license given on the dataset itself (udata writes
	// one; DCAT-AP puts licences on distributions): kept so that a dataset
	// without distribution keeps its licence; CKAN and data.json fall back
	// to it.
	License LicenseDocument `json:"license,omitzero"`

	// State is the dataset's publication state ("" is published). Only
	// published datasets appear in feeds, searches and the CKAN API; a
	// withdrawn one is kept (never deleted) and a harvest never brings it
	// back.
	State DatasetState `json:"state,omitempty"`
	// HarvestSource names the source a harvest took the dataset from
	// (HarvesterOptions.Source), so that a later full harvest can withdraw
	// what the source dropped. Not written to any export.
	HarvestSource string `json:"harvest_source,omitempty"`

	// Revision is the store's optimistic-locking counter (not dcat:version):
	// an update carrying a stale Revision fails with ErrConflict.
	Revision  int       `json:"revision"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ReuseType is the kind of a reuse, a DCMI Type IRI.
type ReuseType string

const (
	ReuseApplication   ReuseType = "http://purl.org/dc/dcmitype/Software"            // an application, a service
	ReuseVisualization ReuseType = "http://purl.org/dc/dcmitype/InteractiveResource" // a map, a chart, a dashboard
	ReuseArticle       ReuseType = "http://purl.org/dc/dcmitype/Text"                // an article, a paper, a post
)

// Reuse is a work made with a dataset (dct:isReferencedBy): "cases of
// reuse, numerous yet little known". Only organisations are named as
// their authors: a person is personal data and is never written.
type Reuse struct {
	URL          string    `json:"url"`                    // the reuse's address (its node's IRI)
	Title        Text      `json:"title"`                  // dct:title
	Type         ReuseType `json:"type,omitempty"`         // dct:type
	Organization *Agent    `json:"organization,omitempty"` // dct:creator, an organisation
}

// ReuseRole is the dcat:hadRole of the dcat:qualifiedRelation written for
// every reuse: the DCMI term the unqualified form uses (DCAT 3 takes
// relationship roles from DCMI Metadata Terms, IANA link relations,
// DataCite and MARC relators; IANA has no "is referenced by").
const ReuseRole = "http://purl.org/dc/terms/isReferencedBy"

// Relationship is a dcat:Relationship: a related resource and the role it
// plays for the dataset.
type Relationship struct {
	Relation string `json:"relation"` // dct:relation, an IRI
	Role     string `json:"role"`     // dcat:hadRole, a dcat:Role IRI
}

// DatasetState is a dataset's publication state.
type DatasetState string

const (
	StatePublished DatasetState = "published" // the default ("" reads as published)
	StateDraft     DatasetState = "draft"     // being prepared: in no feed
	StateWithdrawn DatasetState = "withdrawn" // taken down: in no feed, never republished by a harvest
)

// EffectiveState returns the dataset's state, StatePublished for "".
func (d *Dataset) EffectiveState() DatasetState {
	if d.State == "" {
		return StatePublished
	}
	return d.State
}

// Catalog is a dcat:Catalog: the portal's list of datasets, series and
// services.
type Catalog struct {
	IRI           string          `json:"iri"`
	Title         Text            `json:"title"`                    // dct:title (mandatory)
	Description   Text            `json:"description"`              // dct:description (mandatory)
	Publisher     *Agent          `json:"publisher,omitempty"`      // dct:publisher (mandatory)
	Creator       *Agent          `json:"creator,omitempty"`        // dct:creator
	Homepage      string          `json:"homepage,omitempty"`       // foaf:homepage (recommended)
	Languages     []Language      `json:"languages,omitempty"`      // dct:language (recommended)
	License       LicenseDocument `json:"license,omitempty"`        // dct:license (recommended)
	Rights        RightsStatement `json:"rights,omitempty"`         // dct:rights
	Issued        time.Time       `json:"issued,omitempty"`         // dct:issued (recommended)
	Modified      time.Time       `json:"modified,omitempty"`       // dct:modified (recommended)
	Spatial       []Location      `json:"spatial,omitempty"`        // dct:spatial (recommended)
	ThemeTaxonomy []string        `json:"theme_taxonomy,omitempty"` // dcat:themeTaxonomy (recommended); the EU data-theme scheme is added when empty
	ContactPoints []Contact       `json:"contact_points,omitempty"` // dcat:contactPoint (outside DCAT-AP's catalogue; data.json's catalogue needs none)
	Applicable    []string        `json:"applicable_legislation,omitempty"`
	// Catalogs are IRIs of sub-catalogues (dcat:catalog).
	Catalogs []string `json:"catalogs,omitempty"`

	Datasets []*Dataset       `json:"datasets,omitempty"` // dcat:dataset
	Series   []*DatasetSeries `json:"series,omitempty"`   // dcat:dataset too (a series is a dataset)
	Services []*DataService   `json:"services,omitempty"` // dcat:service

	// all holds every dataset of the catalogue when this value is one page
	// of it (see Paginate), so that links to datasets on other pages can be
	// described.
	all []*Dataset
}
