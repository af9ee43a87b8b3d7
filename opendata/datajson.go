package opendata

import (
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Project Open Data Metadata Schema v1.1 (data.json), the format data.gov
// harvests. The output validates against the non-federal profile that
// data.gov's harvester (GSA ckanext-datajson) applies; give BureauCode and
// ProgramCode to produce the federal profile.

// DataJSONOptions tunes WriteDataJSON. The zero value works.
type DataJSONOptions struct {
	// Language is the BCP 47 tag of the texts to write (data.json has one
	// language). Default: the tag of the catalogue's first language, else "en".
	Language string
	// CatalogURL is the address of the data.json itself (@id); optional.
	CatalogURL string
	// BureauCode and ProgramCode are the US federal codes ("015:11",
	// "015:001") written on every dataset; leave empty outside the US
	// federal government.
	BureauCode  []string
	ProgramCode []string
}

// Vocabulary of the POD v1.1 catalogue.
const (
	PODConformsTo  = "https://project-open-data.cio.gov/v1.1/schema"
	PODContext     = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
	PODDescribedBy = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
)

type podCatalog struct {
	Context     string       `json:"@context"`
	ID          string       `json:"@id,omitempty"`
	Type        string       `json:"@type"`
	ConformsTo  string       `json:"conformsTo"`
	DescribedBy string       `json:"describedBy"`
	Dataset     []podDataset `json:"dataset"`
}

type podDataset struct {
	Type               string            `json:"@type"`
	Title              string            `json:"title"`
	Description        string            `json:"description"`
	Keyword            []string          `json:"keyword,omitempty"`
	Modified           string            `json:"modified,omitempty"`
	Publisher          *podOrganization  `json:"publisher,omitempty"`
	ContactPoint       *podContact       `json:"contactPoint,omitempty"`
	Identifier         string            `json:"identifier"`
	AccessLevel        string            `json:"accessLevel"`
	BureauCode         []string          `json:"bureauCode,omitempty"`
	ProgramCode        []string          `json:"programCode,omitempty"`
	License            string            `json:"license,omitempty"`
	Rights             string            `json:"rights,omitempty"`
	Spatial            string            `json:"spatial,omitempty"`
	Temporal           string            `json:"temporal,omitempty"`
	Distribution       []podDistribution `json:"distribution,omitempty"`
	AccrualPeriodicity string            `json:"accrualPeriodicity,omitempty"`
	ConformsTo         string            `json:"conformsTo,omitempty"`
	DescribedBy        string            `json:"describedBy,omitempty"`
	DescribedByType    string            `json:"describedByType,omitempty"`
	IsPartOf           string            `json:"isPartOf,omitempty"`
	Issued             string            `json:"issued,omitempty"`
	Language           []string          `json:"language,omitempty"`
	LandingPage        string            `json:"landingPage,omitempty"`
	References         []string          `json:"references,omitempty"`
	Theme              []string          `json:"theme,omitempty"`
}

type podOrganization struct {
	Type              string           `json:"@type"`
	Name              string           `json:"name"`
	SubOrganizationOf *podOrganization `json:"subOrganizationOf,omitempty"`
}

type podContact struct {
	Type     string `json:"@type"`
	FN       string `json:"fn"`
	HasEmail string `json:"hasEmail,omitempty"`
}

type podDistribution struct {
	Type            string `json:"@type"`
	Title           string `json:"title,omitempty"`
	Description     string `json:"description,omitempty"`
	DownloadURL     string `json:"downloadURL,omitempty"`
	MediaType       string `json:"mediaType,omitempty"`
	Format          string `json:"format,omitempty"`
	AccessURL       string `json:"accessURL,omitempty"`
	ConformsTo      string `json:"conformsTo,omitempty"`
	DescribedBy     string `json:"describedBy,omitempty"`
	DescribedByType string `json:"describedByType,omitempty"`
}

// WriteDataJSON writes the catalogue as a Project Open Data v1.1 data.json.
// Dataset series are written as datasets too, so that the members'
// isPartOf names a dataset of the same file, as data.gov expects.
// Agents of kind AgentPerson and contacts of kind ContactIndividual are
// left out; a dataset without an organisational contact point falls back
// to its publisher's (or the catalogue publisher's) name and mailbox.
func WriteDataJSON(w io.Writer, c *Catalog, opts DataJSONOptions) error {
	lang := opts.Language
	if lang == "" {
		lang = "en"
		for _, l := range c.Languages {
			if t := l.Tag(); t != "" {
				lang = t
				break
			}
		}
	}
	out := podCatalog{
		Context:     PODContext,
		ID:          opts.CatalogURL,
		Type:        "dcat:Catalog",
		ConformsTo:  PODConformsTo,
		DescribedBy: PODDescribedBy,
		Dataset:     make([]podDataset, 0, len(c.Datasets)+len(c.Series)),
	}
	seriesID := make(map[string]string, len(c.Series))
	for _, s := range c.Series {
		if s == nil {
			continue
		}
		id := s.Identifier
		if id == "" {
			id = s.IRI
		}
		seriesID[s.IRI] = id
		out.Dataset = append(out.Dataset, podSeries(c, s, id, lang, opts))
	}
	for _, d := range c.Datasets {
		if d != nil {
			out.Dataset = append(out.Dataset, podFromDataset(c, d, seriesID, lang, opts))
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func podSeries(c *Catalog, s *DatasetSeries, id, lang string, opts DataJSONOptions) podDataset {
	p := podDataset{
		Type:               "dcat:Dataset",
		Title:              s.Title.Get(lang),
		Description:        s.Description.Get(lang),
		Identifier:         id,
		AccessLevel:        "public",
		BureauCode:         opts.BureauCode,
		ProgramCode:        opts.ProgramCode,
		Modified:           podTime(firstTime(s.Modified, s.Issued)),
		Issued:             podTime(s.Issued),
		Publisher:          podPublisher(s.Publisher, c.Publisher, lang),
		ContactPoint:       podContactPoint(s.ContactPoints, s.Publisher, c.Publisher, lang),
		AccrualPeriodicity: podFrequency(s.AccrualPeriodicity),
		Spatial:            podSpatial(s.Spatial, lang),
		Temporal:           podTemporal(s.Temporal),
		LandingPage:        s.IRI,
	}
	p.Keyword = podKeywords(s.Keywords, lang)
	if len(p.Keyword) == 0 {
		p.Keyword = []string{p.Title} // federal data.json needs one
	}
	for _, t := range s.Themes {
		p.Theme = append(p.Theme, t.Label(lang))
	}
	if !c.License.IsZero() {
		p.License = c.License.IRI
	}
	return p
}

func podFromDataset(c *Catalog, d *Dataset, seriesID map[string]string, lang string, opts DataJSONOptions) podDataset {
	p := podDataset{
		Type:               "dcat:Dataset",
		Title:              d.Title.Get(lang),
		Description:        d.Description.Get(lang),
		Keyword:            podKeywords(d.Keywords, lang),
		Modified:           podTime(firstTime(d.Modified, d.Issued)),
		Publisher:          podPublisher(d.Publisher, c.Publisher, lang),
		ContactPoint:       podContactPoint(d.ContactPoints, d.Publisher, c.Publisher, lang),
		Identifier:         d.Identifier,
		AccessLevel:        podAccessLevel(d.AccessRights),
		BureauCode:         opts.BureauCode,
		ProgramCode:        opts.ProgramCode,
		Spatial:            podSpatial(d.Spatial, lang),
		Temporal:           podTemporal(d.Temporal),
		AccrualPeriodicity: podFrequency(d.AccrualPeriodicity),
		Issued:             podTime(d.Issued),
		LandingPage:        d.LandingPage,
		References:         podReferences(d),
	}
	if len(d.ConformsTo) > 0 {
		p.ConformsTo = d.ConformsTo[0].IRI
	}
	for _, s := range d.InSeries {
		if id, ok := seriesID[s]; ok {
			p.IsPartOf = id
			break
		}
	}
	for _, l := range d.Languages {
		if t := l.Tag(); t != "" {
			p.Language = append(p.Language, t)
		}
	}
	for _, t := range d.Themes {
		p.Theme = append(p.Theme, t.Label(lang))
	}
	if !d.License.IsZero() && d.License.IRI != "" {
		p.License = d.License.IRI
	}
	for i := range d.Distributions {
		ds := &d.Distributions[i]
		if p.License == "" && ds.License.IRI != "" {
			p.License = ds.License.IRI
		}
		if p.Rights == "" && p.AccessLevel != "public" {
			p.Rights = truncateRunes(ds.Rights.Label.Get(lang), 255)
		}
		p.Distribution = append(p.Distribution, podFromDistribution(ds, lang))
	}
	if p.License == "" && !c.License.IsZero() {
		p.License = c.License.IRI
	}
	return p
}

func podFromDistribution(ds *Distribution, lang string) podDistribution {
	pd := podDistribution{
		Type:        "dcat:Distribution",
		Title:       ds.Title.Get(lang),
		Description: ds.Description.Get(lang),
		DownloadURL: ds.DownloadURL,
		AccessURL:   ds.AccessURL,
	}
	if ds.DownloadURL != "" {
		pd.MediaType = podMediaType(ds)
		if pd.MediaType == "" {
			// data.json needs a media type with a download URL.
			pd.MediaType = "application/octet-stream"
		}
		if ds.AccessURL == ds.DownloadURL {
			pd.AccessURL = ""
		}
	} else if mt := podMediaType(ds); mt != "" {
		pd.MediaType = mt
	}
	if ds.Format != "" {
		pd.Format = conceptLabel(string(ds.Format)).Get(lang)
	}
	if len(ds.ConformsTo) > 0 {
		pd.ConformsTo = ds.ConformsTo[0].IRI
	}
	return pd
}

func podMediaType(ds *Distribution) string {
	if ds.MediaType == "" {
		return ""
	}
	name := ds.MediaType.Name()
	if strings.Count(name, "/") != 1 {
		return ""
	}
	return name
}

func podPublisher(a, fallback *Agent, lang string) *podOrganization {
	for _, ag := range []*Agent{a, fallback} {
		if ag != nil && !ag.IsPerson() && ag.Type != AgentPrivateIndividual && !ag.Name.IsZero() {
			return &podOrganization{Type: "org:Organization", Name: ag.Name.Get(lang)}
		}
	}
	return nil
}

func podContactPoint(cs []Contact, publisher, fallback *Agent, lang string) *podContact {
	for i := range cs {
		c := &cs[i]
		if c.IsIndividual() || c.Name == "" {
			continue
		}
		pc := &podContact{Type: "vcard:Contact", FN: c.Name}
		if c.Email != "" {
			pc.HasEmail = mailto(c.Email)
		}
		return pc
	}
	for _, ag := range []*Agent{publisher, fallback} {
		if ag != nil && !ag.IsPerson() && ag.Type != AgentPrivateIndividual && !ag.Name.IsZero() {
			pc := &podContact{Type: "vcard:Contact", FN: ag.Name.Get(lang)}
			if ag.Email != "" {
				pc.HasEmail = mailto(ag.Email)
			}
			return pc
		}
	}
	return nil
}

func podKeywords(k Keywords, lang string) []string {
	var out []string
	seen := make(map[string]bool)
	add := func(ws []string) {
		for _, w := range ws {
			if w != "" && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	add(k[lang])
	for _, l := range k.Langs() {
		if l != lang {
			add(k[l])
		}
	}
	return out
}

func podAccessLevel(a AccessRights) string {
	switch a {
	case AccessRestricted:
		return "restricted public"
	case AccessNonPublic:
		return "non-public"
	}
	return "public"
}

// podFrequency maps an EU frequency to an ISO 8601 repeating duration.
func podFrequency(f Frequency) string {
	switch f {
	case FrequencyContinuous:
		return "R/PT1S"
	case FrequencyHourly:
		return "R/PT1H"
	case FrequencyDaily:
		return "R/P1D"
	case FrequencyWeekly:
		return "R/P1W"
	case FrequencyMonthly:
		return "R/P1M"
	case FrequencyQuarterly:
		return "R/P3M"
	case FrequencySemiannual:
		return "R/P6M"
	case FrequencyAnnual:
		return "R/P1Y"
	case FrequencyIrregular:
		return "irregular"
	}
	return ""
}

// podSpatial writes the first location: its IRI when it has one (a
// harvester reads it back as the same place; a name alone would come back
// as a location without identity), else its box, geometry or name.
func podSpatial(ls []Location, lang string) string {
	for _, l := range ls {
		switch {
		case l.IRI != "":
			return l.IRI
		case l.BBox != "":
			return l.BBox
		case l.Geometry != "":
			return l.Geometry
		case !l.Label.IsZero():
			return l.Label.Get(lang)
		}
	}
	return ""
}

func podTemporal(ps []PeriodOfTime) string {
	for _, p := range ps {
		if !p.Start.IsZero() && !p.End.IsZero() {
			return podTime(p.Start) + "/" + podTime(p.End)
		}
	}
	return ""
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// podTime writes a date for a time at UTC midnight, else an RFC 3339 time.
// podReferences lists the documentation, then the reuses: POD's
// "references" are "related documents such as technical information about
// a dataset, developer documentation, etc.", the only place for a reuse's
// URL in data.json.
func podReferences(d *Dataset) []string {
	out := slices.Clone(d.Documentation)
	for _, u := range d.Reuses {
		if u.URL != "" && !slices.Contains(out, u.URL) {
			out = append(out, u.URL)
		}
	}
	return out
}

func podTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return timeLiteral(t).value
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
