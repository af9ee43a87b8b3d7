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
	pkg := soThing{
		"$schema": DataPackageProfile,
		"name":    packageName(d.Identifier),
		"id":      d.IRI,
		"title":   d.Title.Get(lang),
	}
	if s := d.Description.Get(lang); s != "" {
		pkg["description"] = s
	}
	if d.LandingPage != "" {
		pkg["homepage"] = d.LandingPage
	}
	if d.Version != "" {
		pkg["version"] = d.Version
	}
	if !d.Issued.IsZero() {
		pkg["created"] = d.Issued.UTC().Format("2006-01-02T15:04:05Z")
	}
	if kw := podKeywords(d.Keywords, lang); len(kw) > 0 {
		pkg["keywords"] = kw
	}
	var licenses []soThing
	seenLicense := make(map[string]bool)
	for i := range d.Distributions {
		l := d.Distributions[i].License
		if l.IsZero() || seenLicense[l.IRI] {
			continue
		}
		seenLicense[l.IRI] = true
		licenses = append(licenses, dpLicense(l, lang))
	}
	if len(licenses) > 0 {
		pkg["licenses"] = licenses
	}
	var contributors []soThing
	if p := soOrganization(d.Publisher, lang); p != nil {
		c := soThing{"title": p["name"], "roles": []string{"publisher"}}
		if d.Publisher.Homepage != "" {
			c["path"] = d.Publisher.Homepage
		}
		contributors = append(contributors, c)
	}
	for i := range d.Creators {
		if o := soOrganization(&d.Creators[i], lang); o != nil {
			contributors = append(contributors, soThing{"title": o["name"], "roles": []string{"creator"}})
		}
	}
	if len(contributors) > 0 {
		pkg["contributors"] = contributors
	}
	var sources []soThing
	for _, s := range d.Sources {
		sources = append(sources, soThing{"title": s, "path": s})
	}
	for _, p := range d.Provenance {
		if t := p.Label.Get(lang); t != "" {
			src := soThing{"title": t}
			if p.IRI != "" {
				src["path"] = p.IRI
			}
			sources = append(sources, src)
		}
	}
	if len(sources) > 0 {
		pkg["sources"] = sources
	}
	resources := make([]soThing, 0, len(d.Distributions))
	names := make(map[string]int)
	for i := range d.Distributions {
		x := &d.Distributions[i]
		if opts.TabularOnly && !x.IsTabular() {
			continue
		}
		url := x.DownloadURL
		if url == "" {
			continue // a data package lists files
		}
		name := packageName(firstNonEmpty(x.Title.Get(lang), lastSegment(url)))
		if n := names[name]; n > 0 {
			name += "-" + strconv.Itoa(n+1)
		}
		names[name]++
		r := soThing{"name": name, "path": url}
		if x.IsTabular() {
			r["type"] = "table"
		}
		if t := x.Title.Get(lang); t != "" {
			r["title"] = t
		}
		if s := x.Description.Get(lang); s != "" {
			r["description"] = s
		}
		if f := dpFormat(x); f != "" {
			r["format"] = f
		}
		if x.MediaType != "" {
			r["mediatype"] = x.MediaType.Name()
		}
		if x.IsTabular() || x.Encoding != "" {
			r["encoding"] = firstNonEmpty(x.Encoding, "utf-8")
		}
		if x.ByteSize > 0 {
			r["bytes"] = x.ByteSize
		}
		if x.Checksum != nil && x.Checksum.Value != "" {
			if algo := dpHash(x.Checksum.Algorithm); algo != "" {
				r["hash"] = algo + ":" + strings.ToLower(x.Checksum.Value)
			}
		}
		if !x.License.IsZero() {
			r["licenses"] = []soThing{dpLicense(x.License, lang)}
		}
		if x.IsTabular() {
			if x.Delimiter != "" && x.Delimiter != "," {
				r["dialect"] = soThing{"delimiter": x.Delimiter}
			}
			if len(x.Columns) > 0 {
				r["schema"] = dpSchema(x.Columns, lang)
			}
		}
		resources = append(resources, r)
	}
	pkg["resources"] = resources
	enc := writeJSON
	return enc(w, pkg)
}

func dpSchema(cols []Column, lang string) soThing {
	fields := make([]soThing, 0, len(cols))
	var pk []string
	for _, c := range cols {
		f := soThing{"name": c.Name, "type": string(firstNonEmptyType(c.Type))}
		if t := c.Title.Get(lang); t != "" {
			f["title"] = t
		}
		if s := c.Description.Get(lang); s != "" {
			f["description"] = s
		}
		if c.Format != "" {
			f["format"] = c.Format
		}
		cons := soThing{}
		if c.Required {
			cons["required"] = true
		}
		if len(c.Enum) > 0 {
			cons["enum"] = c.Enum
		}
		if len(cons) > 0 {
			f["constraints"] = cons
		}
		if c.Unit != "" {
			f["unit"] = c.Unit // custom property (Table Schema allows extra properties)
		}
		if c.PrimaryKey {
			pk = append(pk, c.Name)
		}
		fields = append(fields, f)
	}
	s := soThing{"$schema": TableSchemaProfile, "fields": fields}
	if len(pk) > 0 {
		s["primaryKey"] = pk
	}
	return s
}

func firstNonEmptyType(t ColumnType) ColumnType {
	if t == "" {
		return ColumnString
	}
	return t
}

func dpLicense(l LicenseDocument, lang string) soThing {
	out := soThing{}
	if l.SPDX != "" {
		out["name"] = l.SPDX
	}
	out["path"] = firstNonEmpty(l.URL, l.IRI)
	if t := l.Title.Get(lang); t != "" {
		out["title"] = t
	}
	return out
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
