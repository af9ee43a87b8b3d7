package opendata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FormatCKAN is a CKAN Action API answer (package_search or
// package_show), harvested as a catalogue source.
const FormatCKAN Format = "ckan"

// CKANSearchURL returns the package_search address that harvests the
// CKAN portal at base: pages of rows (default 100, at most 1000) in a
// stable order, and, when since is not zero, only the datasets modified
// since then (incremental harvesting, as ckanext-harvest does).
func CKANSearchURL(base string, since time.Time, rows int) string {
	if rows <= 0 {
		rows = 100
	}
	v := url.Values{"rows": {strconv.Itoa(min(rows, MaxSearchLimit))}, "start": {"0"}, "sort": {"id asc"}}
	if !since.IsZero() {
		v.Set("fq", "metadata_modified:["+since.UTC().Format("2006-01-02T15:04:05.000000")+"Z TO *]")
	}
	return strings.TrimRight(base, "/") + "/api/3/action/package_search?" + v.Encode()
}

// ReadCKAN reads a CKAN Action API answer: a package_search result (its
// datasets, and as the next page the same search from start + rows while
// datasets remain), or a package_show result (one dataset). package_list
// names no dataset's content and an error envelope is the portal's
// refusal: both are errors saying so, never an empty catalogue. opts.Base
// is the address the answer came from: page links are built on it.
//
// A package becomes a dataset keyed by its dct:identifier when
// ckanext-dcat gave one (extras "identifier"), else by its CKAN id; its
// IRI is extras "uri", else the portal's /dataset/<name> page.
func ReadCKAN(r io.Reader, opts ReadOptions) (*ReadResult, error) {
	src, err := readAllLimited(r, opts.MaxBytes, "ckan")
	if err != nil {
		return nil, err
	}
	var env struct {
		Success *bool           `json:"success"`
		Result  json.RawMessage `json:"result"`
		Error   *CKANError      `json:"error"`
	}
	if err := json.Unmarshal(src, &env); err != nil {
		return nil, jsonSyntaxError("ckan", src, err)
	}
	if env.Success == nil {
		return nil, &SyntaxError{Format: "ckan", Msg: "not a CKAN Action API answer: no \"success\" member"}
	}
	if !*env.Success {
		msg := "the portal answered success=false"
		if env.Error != nil {
			msg += ": " + truncateRunes(strings.TrimSpace(env.Error.Type+" "+env.Error.Message), 200)
		}
		return nil, fmt.Errorf("%w: ckan: %s", ErrInvalid, msg)
	}
	res := &ReadResult{Catalog: &Catalog{}}
	cr := &ckanReader{opts: opts, res: res}
	body := bytes.TrimSpace(env.Result)
	switch {
	case len(body) > 0 && body[0] == '[':
		return nil, fmt.Errorf("%w: ckan: a package_list answer names datasets without describing them: harvest %s instead", ErrInvalid, ActionPackageSearch)
	case len(body) > 0 && body[0] == '{':
	default:
		return nil, &SyntaxError{Format: "ckan", Msg: "result is neither an object nor a list"}
	}
	var search struct {
		Count   *int              `json:"count"`
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(body, &search); err == nil && search.Count != nil {
		for i, raw := range search.Results {
			cr.pkg(raw, index("datasets", i))
		}
		res.Page = cr.nextPage(*search.Count, len(search.Results))
		return res, nil
	}
	cr.pkg(body, "datasets[0]")
	return res, nil
}

type ckanReader struct {
	opts ReadOptions
	res  *ReadResult
}

func (cr *ckanReader) problem(p, rule, param string) {
	cr.res.Problems = append(cr.res.Problems, Finding{Path: p, Rule: rule, Param: param, Severity: SeverityWarning})
}

// nextPage returns the page after this one: the same address with start
// moved by the datasets read, while some remain.
func (cr *ckanReader) nextPage(count, got int) *Page {
	u, err := url.Parse(cr.opts.Base)
	if err != nil || cr.opts.Base == "" {
		return nil
	}
	q := u.Query()
	start, _ := strconv.Atoi(q.Get("start"))
	p := &Page{IRI: cr.opts.Base, TotalItems: count, ItemsPerPage: got}
	if got > 0 && start+got < count {
		q.Set("start", strconv.Itoa(start+got))
		u.RawQuery = q.Encode()
		p.Next = u.String()
	}
	return p
}

// ckanPackage is the part of a CKAN package a harvest maps.
type ckanPackage struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	Title            string          `json:"title"`
	Notes            *string         `json:"notes"`
	URL              *string         `json:"url"`
	Version          *string         `json:"version"`
	State            string          `json:"state"`
	Private          bool            `json:"private"`
	MetadataCreated  string          `json:"metadata_created"`
	MetadataModified string          `json:"metadata_modified"`
	LicenseID        *string         `json:"license_id"`
	LicenseTitle     *string         `json:"license_title"`
	LicenseURL       *string         `json:"license_url"`
	Organization     *ckanOrgIn      `json:"organization"`
	Tags             []CKANTag       `json:"tags"`
	Resources        []ckanResIn     `json:"resources"`
	Extras           json.RawMessage `json:"extras"`
}

type ckanOrgIn struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type ckanResIn struct {
	ID           string  `json:"id"`
	Name         *string `json:"name"`
	Description  *string `json:"description"`
	Format       *string `json:"format"`
	URL          *string `json:"url"`
	AccessURL    *string `json:"access_url"`
	DownloadURL  *string `json:"download_url"`
	URI          *string `json:"uri"`
	Mimetype     *string `json:"mimetype"`
	Size         any     `json:"size"`
	Hash         *string `json:"hash"`
	License      *string `json:"license"`
	Created      *string `json:"created"`
	LastModified *string `json:"last_modified"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// ckanTimeIn reads CKAN's timestamps (no zone: UTC) and ISO 8601 ones.
func ckanTimeIn(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// extras reads CKAN's extras: a list of {key, value} (CKAN 2) or an
// object (CKAN 1.x, some DKANs).
func (cr *ckanReader) extras(raw json.RawMessage) map[string]string {
	out := map[string]string{}
	var list []struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	}
	if json.Unmarshal(raw, &list) == nil {
		for _, e := range list {
			out[e.Key] = extraString(e.Value)
		}
		return out
	}
	var obj map[string]any
	if json.Unmarshal(raw, &obj) == nil {
		for k, v := range obj {
			out[k] = extraString(v)
		}
	}
	return out
}

func extraString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (cr *ckanReader) pkg(raw json.RawMessage, p string) {
	var in ckanPackage
	if err := json.Unmarshal(raw, &in); err != nil {
		cr.problem(p, RuleFormat, "not a CKAN package: "+truncateRunes(err.Error(), 100))
		return
	}
	if in.Private || (in.State != "" && in.State != "active") {
		cr.problem(p, RuleVocabulary, "package "+truncateRunes(in.Name, 100)+" is "+firstNonEmpty(in.State, "private")+": not harvested")
		return
	}
	ex := cr.extras(in.Extras)
	lang := cr.opts.Language
	d := &Dataset{
		Identifier: firstNonEmpty(ex["identifier"], in.ID),
		IRI:        ex["uri"],
		Title:      Text{lang: in.Title},
		Version:    deref(in.Version),
	}
	if d.IRI == "" && in.Name != "" && cr.opts.Base != "" {
		if u, err := url.Parse(cr.opts.Base); err == nil && u.Host != "" {
			d.IRI = u.Scheme + "://" + u.Host + "/dataset/" + url.PathEscape(in.Name)
		}
	}
	if n := deref(in.Notes); n != "" {
		d.Description = Text{lang: n}
	}
	if u := deref(in.URL); isAbsoluteIRI(u) {
		d.LandingPage = u
	}
	if t, ok := ckanTimeIn(firstNonEmpty(ex["issued"], in.MetadataCreated)); ok {
		d.Issued = t
	}
	if t, ok := ckanTimeIn(firstNonEmpty(ex["modified"], in.MetadataModified)); ok {
		d.Modified = t
	}
	for _, tg := range in.Tags {
		if w := strings.TrimSpace(firstNonEmpty(tg.DisplayName, tg.Name)); w != "" {
			if d.Keywords == nil {
				d.Keywords = Keywords{}
			}
			d.Keywords[lang] = append(d.Keywords[lang], w)
		}
	}
	if o := in.Organization; o != nil && firstNonEmpty(o.Title, o.Name) != "" {
		d.Publisher = &Agent{Name: Text{lang: firstNonEmpty(o.Title, o.Name)}, Identifier: o.Name, IRI: ex["publisher_uri"]}
	}
	var themes []string
	if json.Unmarshal([]byte(ex["theme"]), &themes) == nil {
		for _, t := range themes {
			if isAbsoluteIRI(t) {
				d.Themes = append(d.Themes, Theme(t))
			}
		}
	}
	// ckanext-dcat's relation extras, as PackageFromDataset writes them: a
	// relation of role ReuseRole is a reuse.
	var rels []Relationship
	if v := ex["qualified_relation"]; v != "" && json.Unmarshal([]byte(v), &rels) != nil {
		cr.problem(path(p, "qualified_relations"), RuleFormat, "extras qualified_relation is not a JSON list of {relation, role}")
	}
	for _, q := range rels {
		switch {
		case !isAbsoluteIRI(q.Relation):
		case q.Role == ReuseRole:
			d.Reuses = append(d.Reuses, Reuse{URL: q.Relation})
		case isAbsoluteIRI(q.Role):
			d.QualifiedRelations = append(d.QualifiedRelations, q)
		}
	}
	var refs []string
	if v := ex["is_referenced_by"]; v != "" && json.Unmarshal([]byte(v), &refs) != nil {
		cr.problem(path(p, "is_referenced_by"), RuleFormat, "extras is_referenced_by is not a JSON list of IRIs")
	}
	for _, u := range refs {
		if isAbsoluteIRI(u) && !slices.ContainsFunc(d.Reuses, func(r Reuse) bool { return r.URL == u }) {
			d.IsReferencedBy = append(d.IsReferencedBy, u)
		}
	}
	lic := LicenseDocument{}
	if id := deref(in.LicenseID); id != "" && id != "notspecified" && id != "not-specified" {
		if l, ok := KnownLicense(id); ok {
			lic = l
		} else if u := deref(in.LicenseURL); isAbsoluteIRI(u) {
			lic = LicenseDocument{IRI: u, Title: Text{lang: deref(in.LicenseTitle)}}
		} else {
			cr.problem(path(p, "license"), RuleVocabulary, "licence "+truncateRunes(id, 100)+" has no IRI: not mapped")
		}
	}
	for i, r := range in.Resources {
		x := Distribution{
			IRI:         deref(r.URI),
			AccessURL:   firstNonEmpty(deref(r.AccessURL), deref(r.URL)),
			DownloadURL: firstNonEmpty(deref(r.DownloadURL), deref(r.URL)),
			License:     lic,
		}
		if n := deref(r.Name); n != "" {
			x.Title = Text{lang: n}
		}
		if n := deref(r.Description); n != "" {
			x.Description = Text{lang: n}
		}
		if l := deref(r.License); isAbsoluteIRI(l) {
			if kl, ok := KnownLicense(l); ok {
				x.License = kl
			} else {
				x.License = LicenseDocument{IRI: l}
			}
		}
		if f := deref(r.Format); f != "" {
			if isAbsoluteIRI(f) {
				x.Format = FileType(f)
			} else {
				x.Format = FileTypeOf(f)
			}
		}
		if m := deref(r.Mimetype); isMediaTypeName(m) {
			x.MediaType = MediaTypeOf(m)
		}
		switch v := r.Size.(type) {
		case float64:
			if v > 0 {
				x.ByteSize = int64(v)
			}
		case string:
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				x.ByteSize = n
			}
		}
		if t, ok := ckanTimeIn(deref(r.Created)); ok {
			x.Issued = t
		}
		if t, ok := ckanTimeIn(deref(r.LastModified)); ok {
			x.Modified = t
		}
		if x.AccessURL == "" {
			cr.problem(index(path(p, "distributions"), i), RuleMandatory, "resource without url: not mapped")
			continue
		}
		d.Distributions = append(d.Distributions, x)
	}
	cr.res.Catalog.Datasets = append(cr.res.Catalog.Datasets, d)
}
