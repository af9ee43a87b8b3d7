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

type soThing = map[string]any

// WriteSchemaOrg writes the catalogue as a schema.org DataCatalog whose
// "dataset" lists every dataset.
func WriteSchemaOrg(w io.Writer, c *Catalog, opts SchemaOrgOptions) error {
	lang := opts.Language
	if lang == "" {
		lang = firstTag(c.Languages)
	}
	cat := soThing{
		"@context":    "https://schema.org/",
		"@type":       "DataCatalog",
		"@id":         c.IRI,
		"name":        c.Title.Get(lang),
		"description": c.Description.Get(lang),
		"inLanguage":  lang,
	}
	if c.Homepage != "" {
		cat["url"] = c.Homepage
	}
	if p := soOrganization(c.Publisher, lang); p != nil {
		cat["publisher"] = p
	}
	if !c.License.IsZero() {
		cat["license"] = soLicense(c.License)
	}
	datasets := make([]soThing, 0, len(c.Datasets))
	series := make(map[string]*DatasetSeries, len(c.Series))
	for _, s := range c.Series {
		if s != nil {
			series[s.IRI] = s
		}
	}
	for _, d := range c.Datasets {
		if d == nil {
			continue
		}
		ds := soDataset(d, c, series, lang)
		delete(ds, "@context")
		datasets = append(datasets, ds)
	}
	cat["dataset"] = datasets
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

func soDataset(d *Dataset, c *Catalog, series map[string]*DatasetSeries, lang string) soThing {
	ds := soThing{
		"@context":            "https://schema.org/",
		"@type":               "Dataset",
		"@id":                 d.IRI,
		"identifier":          d.Identifier,
		"name":                d.Title.Get(lang),
		"description":         d.Description.Get(lang),
		"isAccessibleForFree": d.AccessRights == "" || d.AccessRights == AccessPublic,
	}
	if d.LandingPage != "" {
		ds["url"] = d.LandingPage
	} else {
		ds["url"] = d.IRI
	}
	if kw := podKeywords(d.Keywords, lang); len(kw) > 0 {
		ds["keywords"] = kw
	}
	var ids []string
	for _, id := range d.OtherIdentifiers {
		ids = append(ids, id.Notation)
	}
	if len(ids) > 0 {
		ds["identifier"] = append([]string{d.Identifier}, ids...)
	}
	if t := soLicenseOf(d, c); t != nil {
		ds["license"] = t
	}
	if p := soOrganization(d.Publisher, lang); p != nil {
		ds["publisher"] = p
	} else if c != nil {
		if p := soOrganization(c.Publisher, lang); p != nil {
			ds["publisher"] = p
		}
	}
	var creators []soThing
	for i := range d.Creators {
		if o := soOrganization(&d.Creators[i], lang); o != nil {
			creators = append(creators, o)
		}
	}
	if len(creators) == 0 {
		if p, ok := ds["publisher"]; ok {
			creators = append(creators, p.(soThing))
		}
	}
	if len(creators) > 0 {
		ds["creator"] = creators
	}
	if !d.Issued.IsZero() {
		ds["datePublished"] = podTime(d.Issued)
	}
	if !d.Modified.IsZero() {
		ds["dateModified"] = podTime(d.Modified)
	}
	if t := podTemporal(d.Temporal); t != "" {
		ds["temporalCoverage"] = t
	} else if len(d.Temporal) > 0 {
		p := d.Temporal[0]
		if !p.Start.IsZero() {
			ds["temporalCoverage"] = podTime(p.Start) + "/.."
		} else if !p.End.IsZero() {
			ds["temporalCoverage"] = "../" + podTime(p.End)
		}
	}
	if len(d.Spatial) > 0 {
		places := make([]soThing, 0, len(d.Spatial))
		for _, l := range d.Spatial {
			places = append(places, soPlace(l, lang))
		}
		ds["spatialCoverage"] = places
	}
	var langs []string
	for _, l := range d.Languages {
		if t := l.Tag(); t != "" {
			langs = append(langs, t)
		}
	}
	if len(langs) > 0 {
		ds["inLanguage"] = langs
	}
	if d.Version != "" {
		ds["version"] = d.Version
	}
	if len(d.Themes) > 0 {
		about := make([]soThing, 0, len(d.Themes))
		for _, t := range d.Themes {
			about = append(about, soThing{"@type": "DefinedTerm", "@id": string(t), "name": t.Label(lang), "inDefinedTermSet": SchemeDataTheme})
		}
		ds["about"] = about
	}
	if len(d.ConformsTo) > 0 {
		var std []string
		for _, s := range d.ConformsTo {
			std = append(std, s.IRI)
		}
		ds["schemaVersion"] = std
	}
	if len(d.Provenance) > 0 {
		var notes []string
		for _, p := range d.Provenance {
			notes = append(notes, p.Label.Get(lang))
		}
		ds["measurementTechnique"] = strings.Join(notes, " ")
	}
	if len(d.WasGeneratedBy) > 0 && d.WasGeneratedBy[0].IRI != "" {
		ds["isBasedOn"] = d.WasGeneratedBy[0].IRI
	}
	if len(d.InSeries) > 0 {
		s := d.InSeries[0]
		part := soThing{"@type": "CreativeWorkSeries", "@id": s}
		if se, ok := series[s]; ok {
			part["name"] = se.Title.Get(lang)
		}
		ds["isPartOf"] = part
	}
	if c != nil {
		ds["includedInDataCatalog"] = soThing{"@type": "DataCatalog", "@id": c.IRI, "name": c.Title.Get(lang)}
	}
	var vars []soThing
	seenVar := make(map[string]bool)
	var dist []soThing
	for i := range d.Distributions {
		x := &d.Distributions[i]
		dd := soThing{"@type": "DataDownload"}
		if x.DownloadURL != "" {
			dd["contentUrl"] = x.DownloadURL
		} else {
			dd["contentUrl"] = x.AccessURL
		}
		if n := x.Title.Get(lang); n != "" {
			dd["name"] = n
		}
		if x.MediaType != "" {
			dd["encodingFormat"] = x.MediaType.Name()
		} else if x.Format != "" {
			dd["encodingFormat"] = conceptLabel(string(x.Format)).Get(lang)
		}
		if x.ByteSize > 0 {
			dd["contentSize"] = x.ByteSize
		}
		dist = append(dist, dd)
		for _, col := range x.Columns {
			if seenVar[col.Name] {
				continue
			}
			seenVar[col.Name] = true
			v := soThing{"@type": "PropertyValue", "name": col.Name}
			if s := col.Description.Get(lang); s != "" {
				v["description"] = s
			}
			if col.Unit != "" {
				v["unitText"] = col.Unit
			}
			vars = append(vars, v)
		}
	}
	if len(dist) > 0 {
		ds["distribution"] = dist
	}
	if len(vars) > 0 {
		ds["variableMeasured"] = vars
	}
	return ds
}

func soLicenseOf(d *Dataset, c *Catalog) any {
	for i := range d.Distributions {
		if !d.Distributions[i].License.IsZero() {
			return soLicense(d.Distributions[i].License)
		}
	}
	if c != nil && !c.License.IsZero() {
		return soLicense(c.License)
	}
	return nil
}

func soLicense(l LicenseDocument) any {
	if l.URL != "" {
		return l.URL
	}
	return l.IRI
}

func soOrganization(a *Agent, lang string) soThing {
	if a == nil || a.IsPerson() || a.Type == AgentPrivateIndividual || a.Name.IsZero() {
		return nil
	}
	o := soThing{"@type": "Organization", "name": a.Name.Get(lang)}
	if a.IRI != "" {
		o["@id"] = a.IRI
	}
	if a.Homepage != "" {
		o["url"] = a.Homepage
	}
	return o
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
