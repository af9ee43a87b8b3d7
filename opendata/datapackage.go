package opendata

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Frictionless Data Package v2 (https://datapackage.org/): a
// datapackage.json describing a dataset's files, with a Table Schema (the
// column dictionary) for each tabular one.

// Profiles of Data Package v2.
const (
	DataPackageProfile  = "https://datapackage.org/profiles/2.0/datapackage.json"
	DataResourceProfile = "https://datapackage.org/profiles/2.0/dataresource.json"
	TableSchemaProfile  = "https://datapackage.org/profiles/2.0/tableschema.json"
)

// DataPackageOptions tunes WriteDataPackage. The zero value works.
type DataPackageOptions struct {
	// Language is the BCP 47 tag of the texts to write. Default: the
	// dataset's first language, else "en".
	Language string
	// TabularOnly keeps only tabular distributions (CSV, TSV, or with a
	// column dictionary).
	TabularOnly bool
}

type dpPackage struct {
	Schema       string          `json:"$schema"`
	Name         string          `json:"name"`
	ID           string          `json:"id,omitempty"`
	Title        string          `json:"title,omitempty"`
	Description  string          `json:"description,omitempty"`
	Homepage     string          `json:"homepage,omitempty"`
	Version      string          `json:"version,omitempty"`
	Created      string          `json:"created,omitempty"`
	Keywords     []string        `json:"keywords,omitempty"`
	Licenses     []dpLicenseJSON `json:"licenses,omitempty"`
	Contributors []dpContributor `json:"contributors,omitempty"`
	Sources      []dpSource      `json:"sources,omitempty"`
	Resources    []dpResource    `json:"resources"`
}

type dpLicenseJSON struct {
	Name  string `json:"name,omitempty"`
	Path  string `json:"path,omitempty"`
	Title string `json:"title,omitempty"`
}

type dpContributor struct {
	Title string   `json:"title"`
	Roles []string `json:"roles"`
	Path  string   `json:"path,omitempty"`
}

type dpSource struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

type dpResource struct {
	Name        string          `json:"name"`
	Path        string          `json:"path"`
	Type        string          `json:"type,omitempty"`
	Title       string          `json:"title,omitempty"`
	Description string          `json:"description,omitempty"`
	Format      string          `json:"format,omitempty"`
	MediaType   string          `json:"mediatype,omitempty"`
	Encoding    string          `json:"encoding,omitempty"`
	Bytes       int64           `json:"bytes,omitempty"`
	Hash        string          `json:"hash,omitempty"`
	Licenses    []dpLicenseJSON `json:"licenses,omitempty"`
	Dialect     *dpDialect      `json:"dialect,omitempty"`
	Schema      *dpTableSchema  `json:"schema,omitempty"`
}

type dpDialect struct {
	Delimiter string `json:"delimiter"`
}

type dpTableSchema struct {
	Schema     string    `json:"$schema"`
	Fields     []dpField `json:"fields"`
	PrimaryKey []string  `json:"primaryKey,omitempty"`
}

type dpField struct {
	Name        string         `json:"name"`
	Type        ColumnType     `json:"type"`
	Title       string         `json:"title,omitempty"`
	Description string         `json:"description,omitempty"`
	Format      string         `json:"format,omitempty"`
	Constraints *dpConstraints `json:"constraints,omitempty"`
	// Unit is a custom property (Table Schema allows extra properties).
	Unit string `json:"unit,omitempty"`
}

type dpConstraints struct {
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
}

// WriteDataPackage writes a dataset as a Frictionless datapackage.json:
// package metadata (name, id, title, licences, keywords, contributing
// organisations, sources) and one resource per distribution that has a
// download URL; tabular ones carry a Table Schema built from their column
// dictionary. People are never listed as contributors.
func WriteDataPackage(w io.Writer, d *Dataset, opts DataPackageOptions) error {
	lang := opts.Language
	if lang == "" {
		lang = firstTag(d.Languages)
	}
	pkg := dpPackage{
		Schema:      DataPackageProfile,
		Name:        packageName(d.Identifier),
		ID:          d.IRI,
		Title:       d.Title.Get(lang),
		Description: d.Description.Get(lang),
		Homepage:    d.LandingPage,
		Version:     d.Version,
		Keywords:    podKeywords(d.Keywords, lang),
		Resources:   make([]dpResource, 0, len(d.Distributions)),
	}
	if !d.Issued.IsZero() {
		pkg.Created = d.Issued.UTC().Format("2006-01-02T15:04:05Z")
	}
	var seenLicense map[string]bool
	for i := range d.Distributions {
		l := d.Distributions[i].License
		if l.IsZero() || seenLicense[l.IRI] {
			continue
		}
		if seenLicense == nil {
			seenLicense = make(map[string]bool)
		}
		seenLicense[l.IRI] = true
		pkg.Licenses = append(pkg.Licenses, dpLicense(l, lang))
	}
	if p := soOrganization(d.Publisher, lang); p != nil {
		pkg.Contributors = append(pkg.Contributors, dpContributor{Title: p.Name, Roles: []string{"publisher"}, Path: p.URL})
	}
	for i := range d.Creators {
		if o := soOrganization(&d.Creators[i], lang); o != nil {
			pkg.Contributors = append(pkg.Contributors, dpContributor{Title: o.Name, Roles: []string{"creator"}})
		}
	}
	for _, s := range d.Sources {
		pkg.Sources = append(pkg.Sources, dpSource{Title: s, Path: s})
	}
	for _, p := range d.Provenance {
		if t := p.Label.Get(lang); t != "" {
			pkg.Sources = append(pkg.Sources, dpSource{Title: t, Path: p.IRI})
		}
	}
	var names map[string]int
	for i := range d.Distributions {
		x := &d.Distributions[i]
		if opts.TabularOnly && !x.IsTabular() {
			continue
		}
		if x.DownloadURL == "" {
			continue // a data package lists files
		}
		name := packageName(firstNonEmpty(x.Title.Get(lang), lastSegment(x.DownloadURL)))
		if names == nil {
			names = make(map[string]int)
		}
		if n := names[name]; n > 0 {
			name += "-" + strconv.Itoa(n+1)
		}
		names[name]++
		r := dpResource{
			Name:        name,
			Path:        x.DownloadURL,
			Title:       x.Title.Get(lang),
			Description: x.Description.Get(lang),
			Format:      dpFormat(x),
			MediaType:   x.MediaType.Name(),
			Bytes:       max(x.ByteSize, 0),
		}
		tabular := x.IsTabular()
		// "type": "table" promises a Table Schema (the Data Package
		// profile refuses a table without one, as the Frictionless
		// validator showed on a CSV without a column dictionary).
		if tabular && len(x.Columns) > 0 {
			r.Type = "table"
		}
		if tabular || x.Encoding != "" {
			r.Encoding = firstNonEmpty(x.Encoding, "utf-8")
		}
		if x.Checksum != nil && x.Checksum.Value != "" {
			if algo := dpHash(x.Checksum.Algorithm); algo != "" {
				r.Hash = algo + ":" + strings.ToLower(x.Checksum.Value)
			}
		}
		if !x.License.IsZero() {
			r.Licenses = []dpLicenseJSON{dpLicense(x.License, lang)}
		}
		if tabular {
			if x.Delimiter != "" && x.Delimiter != "," {
				r.Dialect = &dpDialect{Delimiter: x.Delimiter}
			}
			if len(x.Columns) > 0 {
				r.Schema = dpSchema(x.Columns, lang)
			}
		}
		pkg.Resources = append(pkg.Resources, r)
	}
	return writeJSON(w, pkg)
}

func dpSchema(cols []Column, lang string) *dpTableSchema {
	s := &dpTableSchema{Schema: TableSchemaProfile, Fields: make([]dpField, 0, len(cols))}
	for _, c := range cols {
		f := dpField{
			Name:        c.Name,
			Type:        firstNonEmptyType(c.Type),
			Title:       c.Title.Get(lang),
			Description: c.Description.Get(lang),
			Format:      c.Format,
			Unit:        c.Unit,
		}
		if c.Required || len(c.Enum) > 0 {
			f.Constraints = &dpConstraints{Required: c.Required, Enum: c.Enum}
		}
		if c.PrimaryKey {
			s.PrimaryKey = append(s.PrimaryKey, c.Name)
		}
		s.Fields = append(s.Fields, f)
	}
	return s
}

func firstNonEmptyType(t ColumnType) ColumnType {
	if t == "" {
		return ColumnString
	}
	return t
}

func dpLicense(l LicenseDocument, lang string) dpLicenseJSON {
	return dpLicenseJSON{Name: l.SPDX, Path: firstNonEmpty(l.URL, l.IRI), Title: l.Title.Get(lang)}
}

func dpFormat(x *Distribution) string {
	if x.Format != "" {
		return strings.ToLower(strings.ReplaceAll(lastSegment(string(x.Format)), "_", "-"))
	}
	if x.MediaType != "" {
		return lastSegment(x.MediaType.Name())
	}
	return ""
}

func dpHash(a ChecksumAlgorithm) string {
	switch a.Canonical() {
	case ChecksumSHA256:
		return "sha256"
	case ChecksumSHA1:
		return "sha1"
	case ChecksumMD5:
		return "md5"
	}
	return ""
}

// packageName turns a string into a Data Package name: lower case ASCII
// letters (accents removed), digits, '.', '_' and '-'.
func packageName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue // accents: "é" becomes "e"
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "dataset"
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
