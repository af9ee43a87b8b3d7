package opendata

import (
	"encoding/json"
	"io"
	"strings"
)

// schema.org Dataset JSON-LD, the markup search engines (Google Dataset
// Search) read on a dataset's landing page.

// SchemaOrgOptions tunes the schema.org writers. The zero value works.
type SchemaOrgOptions struct {
	// Language is the BCP 47 tag of the texts to write. Default: the
	// dataset's (or catalogue's) first language, else "en".
	Language string
}

// soThing is a free-form JSON object (used for small nested values).
type soThing = map[string]any

type soCatalog struct {
	Context     string        `json:"@context"`
	Type        string        `json:"@type"`
	ID          string        `json:"@id,omitempty"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	InLanguage  string        `json:"inLanguage,omitempty"`
	URL         string        `json:"url,omitempty"`
	Publisher   *soOrg        `json:"publisher,omitempty"`
	License     string        `json:"license,omitempty"`
	Dataset     []soDatasetLD `json:"dataset"`
}

type soOrg struct {
	Type string `json:"@type"`
	ID   string `json:"@id,omitempty"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type soDatasetLD struct {
	Context               string         `json:"@context,omitempty"`
	Type                  string         `json:"@type"`
	ID                    string         `json:"@id,omitempty"`
	Identifier            any            `json:"identifier,omitempty"`
	Name                  string         `json:"name"`
	Description           string         `json:"description"`
	URL                   string         `json:"url,omitempty"`
	Keywords              []string       `json:"keywords,omitempty"`
	License               string         `json:"license,omitempty"`
	IsAccessibleForFree   bool           `json:"isAccessibleForFree"`
	Publisher             *soOrg         `json:"publisher,omitempty"`
	Creator               []*soOrg       `json:"creator,omitempty"`
	DatePublished         string         `json:"datePublished,omitempty"`
	DateModified          string         `json:"dateModified,omitempty"`
	TemporalCoverage      string         `json:"temporalCoverage,omitempty"`
	SpatialCoverage       []soThing      `json:"spatialCoverage,omitempty"`
	InLanguage            []string       `json:"inLanguage,omitempty"`
	Version               string         `json:"version,omitempty"`
	About                 []soTerm       `json:"about,omitempty"`
	SchemaVersion         []string       `json:"schemaVersion,omitempty"`
	MeasurementTechnique  string         `json:"measurementTechnique,omitempty"`
	IsBasedOn             string         `json:"isBasedOn,omitempty"`
	IsPartOf              *soRef         `json:"isPartOf,omitempty"`
	IncludedInDataCatalog *soRef         `json:"includedInDataCatalog,omitempty"`
	Distribution          []soDownload   `json:"distribution,omitempty"`
	VariableMeasured      []soPropertyVa `json:"variableMeasured,omitempty"`
}

type soTerm struct {
	Type             string `json:"@type"`
	ID               string `json:"@id"`
	Name             string `json:"name"`
	InDefinedTermSet string `json:"inDefinedTermSet"`
}

type soRef struct {
	Type string `json:"@type"`
	ID   string `json:"@id"`
	Name string `json:"name,omitempty"`
}

type soDownload struct {
	Type           string `json:"@type"`
	ContentURL     string `json:"contentUrl"`
	Name           string `json:"name,omitempty"`
	EncodingFormat string `json:"encodingFormat,omitempty"`
	ContentSize    int64  `json:"contentSize,omitempty"`
}

type soPropertyVa struct {
	Type        string `json:"@type"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	UnitText    string `json:"unitText,omitempty"`
}

// WriteSchemaOrg writes the catalogue as a schema.org DataCatalog whose
// "dataset" lists every dataset.
func WriteSchemaOrg(w io.Writer, c *Catalog, opts SchemaOrgOptions) error {
	lang := opts.Language
	if lang == "" {
		lang = firstTag(c.Languages)
	}
	cat := soCatalog{
		Context:     "https://schema.org/",
		Type:        "DataCatalog",
		ID:          c.IRI,
		Name:        c.Title.Get(lang),
		Description: c.Description.Get(lang),
		InLanguage:  lang,
		URL:         c.Homepage,
		Publisher:   soOrganization(c.Publisher, lang),
		Dataset:     make([]soDatasetLD, 0, len(c.Datasets)),
	}
	if !c.License.IsZero() {
		cat.License = soLicense(c.License)
	}
	series := make(map[string]*DatasetSeries, len(c.Series))
	for _, s := range c.Series {
		if s != nil {
			series[s.IRI] = s
		}
	}
	for _, d := range c.Datasets {
		if d != nil {
			ds := soDataset(d, c, series, lang)
			ds.Context = ""
			cat.Dataset = append(cat.Dataset, ds)
		}
	}
	return writeJSON(w, cat)
}

// WriteSchemaOrgDataset writes one dataset as a schema.org Dataset, for a
// <script type="application/ld+json"> element of its landing page.
func WriteSchemaOrgDataset(w io.Writer, d *Dataset, opts SchemaOrgOptions) error {
	lang := opts.Language
	if lang == "" {
		lang = firstTag(d.Languages)
	}
	return writeJSON(w, soDataset(d, nil, nil, lang))
}

func firstTag(ls []Language) string {
	for _, l := range ls {
		if t := l.Tag(); t != "" {
			return t
		}
	}
	return "en"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true) // safe inside an HTML <script> element
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func soDataset(d *Dataset, c *Catalog, series map[string]*DatasetSeries, lang string) soDatasetLD {
	ds := soDatasetLD{
		Context:             "https://schema.org/",
		Type:                "Dataset",
		ID:                  d.IRI,
		Identifier:          d.Identifier,
		Name:                d.Title.Get(lang),
		Description:         d.Description.Get(lang),
		URL:                 firstNonEmpty(d.LandingPage, d.IRI),
		Keywords:            podKeywords(d.Keywords, lang),
		IsAccessibleForFree: d.AccessRights == "" || d.AccessRights == AccessPublic,
		Version:             d.Version,
		DatePublished:       podTime(d.Issued),
		DateModified:        podTime(d.Modified),
	}
	if len(d.OtherIdentifiers) > 0 {
		ids := []string{d.Identifier}
		for _, id := range d.OtherIdentifiers {
			ids = append(ids, id.Notation)
		}
		ds.Identifier = ids
	}
	ds.License = soLicenseOf(d, c)
	ds.Publisher = soOrganization(d.Publisher, lang)
	if ds.Publisher == nil && c != nil {
		ds.Publisher = soOrganization(c.Publisher, lang)
	}
	for i := range d.Creators {
		if o := soOrganization(&d.Creators[i], lang); o != nil {
			ds.Creator = append(ds.Creator, o)
		}
	}
	if len(ds.Creator) == 0 && ds.Publisher != nil {
		ds.Creator = []*soOrg{ds.Publisher}
	}
	ds.TemporalCoverage = podTemporal(d.Temporal)
	if ds.TemporalCoverage == "" && len(d.Temporal) > 0 {
		p := d.Temporal[0]
		if !p.Start.IsZero() {
			ds.TemporalCoverage = podTime(p.Start) + "/.."
		} else if !p.End.IsZero() {
			ds.TemporalCoverage = "../" + podTime(p.End)
		}
	}
	for _, l := range d.Spatial {
		ds.SpatialCoverage = append(ds.SpatialCoverage, soPlace(l, lang))
	}
	for _, l := range d.Languages {
		if t := l.Tag(); t != "" {
			ds.InLanguage = append(ds.InLanguage, t)
		}
	}
	for _, t := range d.Themes {
		ds.About = append(ds.About, soTerm{Type: "DefinedTerm", ID: string(t), Name: t.Label(lang), InDefinedTermSet: SchemeDataTheme})
	}
	for _, s := range d.ConformsTo {
		ds.SchemaVersion = append(ds.SchemaVersion, s.IRI)
	}
	if len(d.Provenance) > 0 {
		notes := make([]string, 0, len(d.Provenance))
		for _, p := range d.Provenance {
			notes = append(notes, p.Label.Get(lang))
		}
		ds.MeasurementTechnique = strings.Join(notes, " ")
	}
	if len(d.WasGeneratedBy) > 0 {
		ds.IsBasedOn = d.WasGeneratedBy[0].IRI
	}
	if len(d.InSeries) > 0 {
		s := d.InSeries[0]
		ds.IsPartOf = &soRef{Type: "CreativeWorkSeries", ID: s}
		if se, ok := series[s]; ok {
			ds.IsPartOf.Name = se.Title.Get(lang)
		}
	}
	if c != nil {
		ds.IncludedInDataCatalog = &soRef{Type: "DataCatalog", ID: c.IRI, Name: c.Title.Get(lang)}
	}
	var seenVar map[string]bool
	for i := range d.Distributions {
		x := &d.Distributions[i]
		dd := soDownload{
			Type:        "DataDownload",
			ContentURL:  firstNonEmpty(x.DownloadURL, x.AccessURL),
			Name:        x.Title.Get(lang),
			ContentSize: max(x.ByteSize, 0),
		}
		if x.MediaType != "" {
			dd.EncodingFormat = x.MediaType.Name()
		} else if x.Format != "" {
			dd.EncodingFormat = x.Format.Label(lang)
		}
		ds.Distribution = append(ds.Distribution, dd)
		for _, col := range x.Columns {
			if seenVar == nil {
				seenVar = make(map[string]bool)
			}
			if seenVar[col.Name] {
				continue
			}
			seenVar[col.Name] = true
			ds.VariableMeasured = append(ds.VariableMeasured, soPropertyVa{
				Type: "PropertyValue", Name: col.Name, Description: col.Description.Get(lang), UnitText: col.Unit,
			})
		}
	}
	return ds
}

func soLicenseOf(d *Dataset, c *Catalog) string {
	for i := range d.Distributions {
		if !d.Distributions[i].License.IsZero() {
			return soLicense(d.Distributions[i].License)
		}
	}
	if c != nil && !c.License.IsZero() {
		return soLicense(c.License)
	}
	return ""
}

func soLicense(l LicenseDocument) string { return firstNonEmpty(l.URL, l.IRI) }

func soOrganization(a *Agent, lang string) *soOrg {
	if a == nil || a.IsPerson() || a.Type == AgentPrivateIndividual || a.Name.IsZero() {
		return nil
	}
	return &soOrg{Type: "Organization", ID: a.IRI, Name: a.Name.Get(lang), URL: a.Homepage}
}

func soPlace(l Location, lang string) soThing {
	p := soThing{"@type": "Place"}
	if l.IRI != "" {
		p["@id"] = l.IRI
	}
	if n := l.Label.Get(lang); n != "" {
		p["name"] = n
	}
	if box, ok := wktBox(l.BBox); ok {
		p["geo"] = soThing{"@type": "GeoShape", "box": box}
	} else if lat, lon, ok := wktPoint(l.Centroid); ok {
		p["geo"] = soThing{"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
	}
	return p
}
