package opendata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// CKAN-compatible shapes (CKAN Action API v3, with the extras of
// ckanext-dcat), so that CKAN clients and harvesters can read a civickit
// portal. This file holds the types and the query logic; HTTP routes
// (GET/POST /api/3/action/<name>) belong to the server, which wraps each
// result in a CKANResponse and each error with CKANErrorOf.

// CKAN action names.
const (
	ActionPackageSearch    = "package_search"
	ActionPackageShow      = "package_show"
	ActionPackageList      = "package_list"
	ActionOrganizationList = "organization_list"
	ActionOrganizationShow = "organization_show"
	ActionTagList          = "tag_list"
	ActionLicenseList      = "license_list"
	ActionStatusShow       = "status_show"
)

// CKANAPIVersion is the CKAN version whose Action API shapes civickit
// answers with (status_show's ckan_version).
const CKANAPIVersion = "2.10.0"

// Namespaces of the name-based UUIDs (v5) CKAN clients expect as ids of
// organisations, tags, groups: stable across calls and portals.
var (
	nsCKANOrganization = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://civickit.org/ns/ckan/organization"))
	nsCKANTag          = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://civickit.org/ns/ckan/tag"))
	nsCKANGroup        = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://civickit.org/ns/ckan/group"))
)

// CKANOrganizationID returns the id of the CKAN organization whose name is
// key (a PublisherKey): a UUID, as CKAN clients and schemas expect.
func CKANOrganizationID(key string) string {
	return uuid.NewSHA1(nsCKANOrganization, []byte(key)).String()
}

// CKANResponse is CKAN's envelope: {"help": ..., "success": ..., "result":
// ...} on success, {"help": ..., "success": false, "error": {...}} on
// failure.
type CKANResponse struct {
	Help    string     `json:"help"`
	Success bool       `json:"success"`
	Result  any        `json:"result,omitempty"`
	Error   *CKANError `json:"error,omitempty"`
}

// CKANError is CKAN's error object: a "__type" ("Not Found Error",
// "Validation Error", ...), a message, and for validation errors one list
// of messages per field, written beside "__type" as CKAN does:
// {"__type": "Validation Error", "fq": ["syntax: unterminated quote"]}.
type CKANError struct {
	Type    string
	Message string
	Fields  map[string][]string
}

// MarshalJSON writes the fields beside __type and message.
func (e *CKANError) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(e.Fields)+2)
	for k, v := range e.Fields {
		m[k] = v
	}
	m["__type"] = e.Type
	if e.Message != "" {
		m["message"] = e.Message
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads CKAN's error object back.
func (e *CKANError) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*e = CKANError{}
	for k, raw := range m {
		switch k {
		case "__type":
			if err := json.Unmarshal(raw, &e.Type); err != nil {
				return err
			}
		case "message":
			if err := json.Unmarshal(raw, &e.Message); err != nil {
				return err
			}
		default:
			var msgs []string
			if err := json.Unmarshal(raw, &msgs); err != nil {
				var one string
				if json.Unmarshal(raw, &one) != nil {
					continue // an unknown member: ignored, as CKAN clients do
				}
				msgs = []string{one}
			}
			if e.Fields == nil {
				e.Fields = map[string][]string{}
			}
			e.Fields[k] = msgs
		}
	}
	return nil
}

// CKAN error types.
const (
	CKANNotFound      = "Not Found Error"
	CKANValidation    = "Validation Error"
	CKANConflict      = "Conflict Error"
	CKANUnavailable   = "Service Unavailable"
	CKANInternalError = "Internal Server Error"
)

// CKANErrorOf maps an error of this package to CKAN's error object and the
// HTTP status CKAN answers with: 404 for ErrNotFound, 409 for ErrInvalid
// (with every field error) and ErrConflict, 503 for ErrUnavailable, 500
// otherwise. Internal messages are never shown.
func CKANErrorOf(err error) (status int, e *CKANError) {
	var ve *civickit.ValidationError
	switch {
	case errors.As(err, &ve):
		e = &CKANError{Type: CKANValidation, Fields: map[string][]string{}}
		for _, f := range ve.Fields {
			msg := f.Rule
			if f.Param != "" {
				msg += ": " + f.Param
			}
			e.Fields[f.Path] = append(e.Fields[f.Path], msg)
		}
		return 409, e
	case errors.Is(err, ErrNotFound):
		return 404, &CKANError{Type: CKANNotFound, Message: "Not found"}
	case errors.Is(err, ErrInvalid):
		return 409, &CKANError{Type: CKANValidation, Message: "Invalid input"}
	case errors.Is(err, ErrConflict):
		return 409, &CKANError{Type: CKANConflict, Message: "Conflict"}
	case errors.Is(err, ErrUnavailable):
		return 503, &CKANError{Type: CKANUnavailable, Message: "Service unavailable, try again later"}
	}
	return 500, &CKANError{Type: CKANInternalError, Message: "Internal server error"}
}

// CKANHelp returns the "help" member of a response for action: the
// help_show URL under the portal's API base, e.g.
// "https://data.example.org/api/3/action/help_show?name=package_search".
func CKANHelp(apiBase, action string) string {
	return strings.TrimRight(apiBase, "/") + "/3/action/help_show?name=" + url.QueryEscape(action)
}

// CKANResult wraps a result in the success envelope.
func CKANResult(apiBase, action string, result any) CKANResponse {
	return CKANResponse{Help: CKANHelp(apiBase, action), Success: true, Result: result}
}

// CKANFailure wraps err in the error envelope and returns the HTTP status.
func CKANFailure(apiBase, action string, err error) (int, CKANResponse) {
	status, e := CKANErrorOf(err)
	return status, CKANResponse{Help: CKANHelp(apiBase, action), Success: false, Error: e}
}

// CKANPackage is a CKAN package (dataset) dictionary.
type CKANPackage struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Title            string `json:"title"`
	Notes            string `json:"notes"`
	URL              string `json:"url"`
	Version          string `json:"version"`
	State            string `json:"state"`
	Type             string `json:"type"`
	Private          bool   `json:"private"`
	MetadataCreated  string `json:"metadata_created"`
	MetadataModified string `json:"metadata_modified"`
	LicenseID        string `json:"license_id"`
	LicenseTitle     string `json:"license_title"`
	LicenseURL       string `json:"license_url"`
	IsOpen           bool   `json:"isopen"`
	// Author, AuthorEmail, Maintainer and MaintainerEmail come from
	// organisations only; nil (the keys left out) with
	// CKANOptions.NoContactKeys.
	Author                 *string           `json:"author,omitempty"`
	AuthorEmail            *string           `json:"author_email,omitempty"`
	Maintainer             *string           `json:"maintainer,omitempty"`
	MaintainerEmail        *string           `json:"maintainer_email,omitempty"`
	OwnerOrg               string            `json:"owner_org"`
	Organization           *CKANOrganization `json:"organization"`
	Tags                   []CKANTag         `json:"tags"`
	Groups                 []CKANGroup       `json:"groups"`
	Resources              []CKANResource    `json:"resources"`
	NumResources           int               `json:"num_resources"`
	NumTags                int               `json:"num_tags"`
	Extras                 []CKANExtra       `json:"extras"`
	RelationshipsAsSubject []any             `json:"relationships_as_subject"`
	RelationshipsAsObject  []any             `json:"relationships_as_object"`
	// CreatorUserID is null: civickit has no CKAN users, and a harvested
	// dataset's author is no account of this portal.
	CreatorUserID *string `json:"creator_user_id"`
	// RevisionID names the stored revision: a UUID derived from the ID
	// and Revision, so it changes exactly when the dataset does.
	RevisionID string `json:"revision_id"`
}

// CKANResource is a CKAN resource (distribution) dictionary.
type CKANResource struct {
	ID          string `json:"id"`
	PackageID   string `json:"package_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Format      string `json:"format"`
	URL         string `json:"url"`
	AccessURL   string `json:"access_url,omitempty"`   // ckanext-dcat
	DownloadURL string `json:"download_url,omitempty"` // ckanext-dcat
	URI         string `json:"uri,omitempty"`          // ckanext-dcat
	Mimetype    string `json:"mimetype"`
	Size        *int64 `json:"size"`
	Hash        string `json:"hash"`
	License     string `json:"license,omitempty"` // ckanext-dcat: the licence IRI
	// Created is always a timestamp (udata's CKAN harvester requires it):
	// the distribution's dct:issued, else the dataset's, else
	// metadata_created. LastModified is null when unknown, never "".
	Created      string  `json:"created"`
	LastModified *string `json:"last_modified"`
	Position     int     `json:"position"`
	State        string  `json:"state"`
	URLType      *string `json:"url_type"`
	// ResourceType is "file" for a downloadable file, "api" for a
	// distribution reached through a data service only.
	ResourceType     string  `json:"resource_type"`
	MimetypeInner    *string `json:"mimetype_inner"`
	CacheURL         *string `json:"cache_url"`
	CacheLastUpdated *string `json:"cache_last_updated"`
	DatastoreActive  bool    `json:"datastore_active"`
	RevisionID       string  `json:"revision_id"` // the package's
}

// CKANOrganization is a CKAN organization dictionary.
type CKANOrganization struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Title          string `json:"title"`
	DisplayName    string `json:"display_name"`
	Description    string `json:"description"`
	ImageURL       string `json:"image_url"`
	Type           string `json:"type"`
	IsOrganization bool   `json:"is_organization"`
	State          string `json:"state"`
	ApprovalStatus string `json:"approval_status"`
	// Created is when its first dataset was stored (CKAN's schemas
	// require it); RevisionTimestamp repeats it.
	Created           string `json:"created"`
	RevisionID        string `json:"revision_id"`
	RevisionTimestamp string `json:"revision_timestamp"`
	PackageCount      *int   `json:"package_count,omitempty"`
}

// CKANTag is a CKAN tag. Its ID is a UUID derived from its name.
type CKANTag struct {
	ID           string  `json:"id"`
	VocabularyID *string `json:"vocabulary_id"`
	Name         string  `json:"name"`
	DisplayName  string  `json:"display_name"`
	State        string  `json:"state"`
}

// CKANGroup is a CKAN group; civickit's groups are the EU data themes.
type CKANGroup struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Title       string `json:"title"`
	DisplayName string `json:"display_name"`
	Description string `json:"description"`
}

// CKANExtra is a key-value pair of a package's extras.
type CKANExtra struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// CKANOptions tunes the CKAN shapes. The zero value works.
type CKANOptions struct {
	// Language is the BCP 47 tag of the texts to show (Text.Get; default
	// "": the text without language, else English, else the first).
	Language string
	// NoContactKeys leaves out author, author_email, maintainer and
	// maintainer_email. data.gov.uk's schemas refuse these keys (personal
	// in CKAN's model), whereas udata's CKAN harvester requires them: off
	// by default, the shape most clients read.
	NoContactKeys bool
	// Publisher is the organisation of a dataset that names none (the
	// catalogue's publisher): CKAN packages belong to an organisation and
	// data.gov.uk's schemas require one.
	Publisher *Agent
}

// ckanTime is CKAN's timestamp form: ISO 8601 in UTC without a zone.
func ckanTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000")
}

// ValidCKANName reports whether s is a CKAN name: 2 to 100 lower-case
// ASCII letters, digits, '-' or '_'.
func ValidCKANName(s string) bool {
	return len(s) >= 2 && len(s) <= 100 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}

// PackageName returns the CKAN name of a dataset: its identifier when that
// is already a valid CKAN name, else a slug of it (of its last path
// segment for a URL, so that "https://x.org/datasets/Budget-2025" becomes
// "budget-2025") followed by the 32 hex digits of the dataset's ID. The
// name depends only on the Identifier and the ID, which never change, so
// it is stable; the ID suffix makes it unique and lets PackageShow
// resolve it without an index.
func PackageName(d *Dataset) string {
	id := d.Identifier
	if ValidCKANName(id) {
		return id
	}
	base := id
	if u, err := url.Parse(id); err == nil && u.Scheme != "" && u.Host != "" {
		base = firstNonEmpty(lastSegment(strings.TrimRight(u.Path, "/")), u.Host)
	}
	slug := Slug(base)
	if len(slug) > 67 {
		slug = strings.TrimRight(slug[:67], "-")
	}
	hex := strings.ReplaceAll(d.ID.String(), "-", "")
	if slug == "" {
		return hex
	}
	return slug + "-" + hex
}

// idOfPackageName returns the dataset ID a PackageName carries as its
// suffix, if any.
func idOfPackageName(name string) (uuid.UUID, bool) {
	if len(name) < 32 {
		return uuid.Nil, false
	}
	u, err := uuid.Parse(name[len(name)-32:])
	if err != nil || (len(name) > 32 && name[len(name)-33] != '-') {
		return uuid.Nil, false
	}
	return u, true
}

// ckanOrganization returns the CKAN organization of a publisher; nil for
// none or a person.
func ckanOrganization(a *Agent, lang string, count *int) *CKANOrganization {
	key := PublisherKey(a)
	if key == "" {
		return nil
	}
	title := a.Name.Get(lang)
	o := &CKANOrganization{
		ID: CKANOrganizationID(key), Name: key, Title: title, DisplayName: title,
		// No organisation revisions are kept: one stable revision.
		RevisionID: uuid.NewSHA1(nsCKANOrganization, []byte("revision/"+key)).String(),
		Type:       "organization", IsOrganization: true, State: "active", ApprovalStatus: "approved",
		PackageCount: count,
	}
	if a.Homepage != "" {
		o.Description = a.Homepage
	}
	return o
}

// PackageFromDataset returns the CKAN package of d. Personal data never
// appears: a publisher who is a person is left out, and author and
// maintainer come only from organisations (the first creator and contact
// point that are not individuals).
func PackageFromDataset(d *Dataset, opts CKANOptions) CKANPackage {
	lang := opts.Language
	p := CKANPackage{
		ID:                     d.ID.String(),
		Name:                   PackageName(d),
		Title:                  d.Title.Get(lang),
		Notes:                  d.Description.Get(lang),
		URL:                    d.LandingPage,
		Version:                d.Version,
		State:                  "active",
		Type:                   "dataset",
		MetadataCreated:        ckanTime(d.CreatedAt),
		MetadataModified:       ckanTime(d.UpdatedAt),
		Tags:                   []CKANTag{},
		Groups:                 []CKANGroup{},
		Resources:              []CKANResource{},
		Extras:                 []CKANExtra{},
		RelationshipsAsSubject: []any{},
		RelationshipsAsObject:  []any{},
		RevisionID:             ckanRevisionID(d),
	}
	publisher := d.Publisher
	if PublisherKey(publisher) == "" {
		publisher = opts.Publisher
	}
	if org := ckanOrganization(publisher, lang, nil); org != nil {
		p.Organization, p.OwnerOrg = org, org.ID
		// The stored creation of the publisher's first dataset is set by
		// the Service (orgCreated); this one stands in meanwhile.
		org.Created = ckanTime(d.CreatedAt)
		org.RevisionTimestamp = org.Created
	}
	if !opts.NoContactKeys {
		var author, authorEmail, maintainer, maintainerEmail string
		for _, c := range d.Creators {
			if !c.IsPerson() {
				author, authorEmail = c.Name.Get(lang), c.Email
				break
			}
		}
		for _, c := range d.ContactPoints {
			if !c.IsIndividual() {
				maintainer, maintainerEmail = c.Name, strings.TrimPrefix(c.Email, "mailto:")
				break
			}
		}
		p.Author, p.AuthorEmail, p.Maintainer, p.MaintainerEmail = &author, &authorEmail, &maintainer, &maintainerEmail
	}
	// The dataset's licence is that of its distributions when they agree.
	var lic *LicenseDocument
	for i := range d.Distributions {
		l := &d.Distributions[i].License
		if l.IsZero() {
			continue
		}
		if lic == nil {
			lic = l
		} else if lic.IRI != l.IRI {
			lic = nil
			break
		}
	}
	if lic == nil && !d.License.IsZero() {
		lic = &d.License
	}
	if lic != nil {
		p.LicenseID = lic.SPDX
		if p.LicenseID == "" {
			p.LicenseID = lic.IRI
		}
		p.LicenseTitle = lic.Title.Get(lang)
		p.LicenseURL = firstNonEmpty(lic.URL, lic.IRI)
		_, p.IsOpen = KnownLicense(lic.IRI)
	}
	seen := map[string]bool{}
	for _, l := range d.Keywords.Langs() {
		for _, w := range d.Keywords[l] {
			if w = strings.TrimSpace(w); w != "" && !seen[w] {
				seen[w] = true
				p.Tags = append(p.Tags, CKANTag{ID: uuid.NewSHA1(nsCKANTag, []byte(w)).String(), Name: w, DisplayName: w, State: "active"})
			}
		}
	}
	for _, t := range d.Themes {
		name := ckanFacetValue(FacetTheme, string(t))
		label := t.Label(lang)
		p.Groups = append(p.Groups, CKANGroup{ID: uuid.NewSHA1(nsCKANGroup, []byte(t)).String(), Name: name, Title: label, DisplayName: label, Description: string(t)})
	}
	for i := range d.Distributions {
		p.Resources = append(p.Resources, ckanResource(d, i, lang))
	}
	p.NumResources, p.NumTags = len(p.Resources), len(p.Tags)
	extra := func(k, v string) {
		if v != "" {
			p.Extras = append(p.Extras, CKANExtra{Key: k, Value: v})
		}
	}
	extra("identifier", d.Identifier)
	extra("uri", d.IRI)
	if len(d.Themes) > 0 {
		b, _ := json.Marshal(d.Themes)
		extra("theme", string(b))
	}
	if len(d.Languages) > 0 {
		b, _ := json.Marshal(d.Languages)
		extra("language", string(b))
	}
	extra("frequency", string(d.AccrualPeriodicity))
	extra("access_rights", string(d.AccessRights))
	if !d.Issued.IsZero() {
		extra("issued", d.Issued.UTC().Format(time.RFC3339))
	}
	if !d.Modified.IsZero() {
		extra("modified", d.Modified.UTC().Format(time.RFC3339))
	}
	if len(d.Temporal) > 0 {
		if !d.Temporal[0].Start.IsZero() {
			extra("temporal_start", d.Temporal[0].Start.UTC().Format(time.RFC3339))
		}
		if !d.Temporal[0].End.IsZero() {
			extra("temporal_end", d.Temporal[0].End.UTC().Format(time.RFC3339))
		}
	}
	if len(d.Spatial) > 0 {
		extra("spatial_uri", d.Spatial[0].IRI)
	}
	if d.Publisher != nil && !d.Publisher.IsPerson() {
		extra("publisher_uri", d.Publisher.IRI)
		extra("publisher_name", d.Publisher.Name.Get(lang))
	}
	if len(d.Provenance) > 0 {
		extra("provenance", d.Provenance[0].Label.Get(lang))
	}
	// Reuses under ckanext-dcat's names: "is_referenced_by" (a JSON list
	// of IRIs) and "qualified_relation" (a JSON list of {relation, role});
	// extras values are strings, which every client reads.
	refs, rels := ckanReuses(d)
	if len(refs) > 0 {
		b, _ := json.Marshal(refs)
		extra("is_referenced_by", string(b))
	}
	if len(rels) > 0 {
		b, _ := json.Marshal(rels)
		extra("qualified_relation", string(b))
	}
	return p
}

// ckanReuses returns the IRIs referencing d (its reuses first) and its
// qualified relations, a reuse's with role ReuseRole.
func ckanReuses(d *Dataset) ([]string, []Relationship) {
	var refs []string
	var rels []Relationship
	for _, u := range d.Reuses {
		if u.URL != "" {
			refs = append(refs, u.URL)
			rels = append(rels, Relationship{Relation: u.URL, Role: ReuseRole})
		}
	}
	refs = append(refs, d.IsReferencedBy...)
	for _, q := range d.QualifiedRelations {
		if q.Relation != "" && q.Role != "" {
			rels = append(rels, q)
		}
	}
	return refs, rels
}

func ckanRevisionID(d *Dataset) string {
	return uuid.NewSHA1(d.ID, []byte("revision/"+strconv.Itoa(d.Revision))).String()
}

func ckanResource(d *Dataset, i int, lang string) CKANResource {
	x := &d.Distributions[i]
	created := x.Issued
	if created.IsZero() {
		created = d.Issued
	}
	if created.IsZero() {
		created = d.CreatedAt
	}
	r := CKANResource{
		ID:           uuid.NewSHA1(d.ID, []byte("distribution/"+strconv.Itoa(i))).String(),
		PackageID:    d.ID.String(),
		Name:         x.Title.Get(lang),
		Description:  x.Description.Get(lang),
		Format:       ckanFacetValue(FacetFormat, string(x.Format)),
		URL:          firstNonEmpty(x.DownloadURL, x.AccessURL),
		AccessURL:    x.AccessURL,
		DownloadURL:  x.DownloadURL,
		URI:          x.IRI,
		Mimetype:     x.MediaType.Name(),
		License:      x.License.IRI,
		Created:      ckanTime(created),
		Position:     i,
		State:        "active",
		ResourceType: "file",
		RevisionID:   ckanRevisionID(d),
	}
	if !x.Modified.IsZero() {
		m := ckanTime(x.Modified)
		r.LastModified = &m
	}
	if x.DownloadURL == "" && len(x.AccessServices) > 0 {
		r.ResourceType = "api"
	}
	if x.Format == "" && x.MediaType != "" {
		r.Format = strings.ToUpper(lastSegment(x.MediaType.Name()))
	}
	if x.ByteSize > 0 {
		n := x.ByteSize
		r.Size = &n
	}
	if x.Checksum != nil {
		r.Hash = x.Checksum.Value
	}
	return r
}

// PackageSearchParams are package_search's parameters.
type PackageSearchParams struct {
	Q     string `json:"q"`
	FQ    string `json:"fq"`
	Sort  string `json:"sort"`
	Rows  *int   `json:"rows"`  // default 10, at most MaxSearchLimit
	Start *int   `json:"start"` // default 0
	// FacetFields are CKAN field names: organization, tags, res_format,
	// license_id, groups (or theme).
	FacetFields []string `json:"facet.field"`
	FacetLimit  *int     `json:"facet.limit"` // default 50; -1: as many as MaxSearchLimit
}

// UnmarshalJSON reads a POST body (see CKANValues): the same parameters
// as a query string.
func (p *PackageSearchParams) UnmarshalJSON(b []byte) error {
	v, err := CKANValues(b)
	if err != nil {
		return err
	}
	parsed, err := ParsePackageSearchParams(v)
	if err != nil {
		return err
	}
	*p = parsed
	return nil
}

// CKANValues turns the JSON object CKAN clients POST (ckanapi posts every
// action so) into the parameters a GET query string would carry: a string
// or number is one value, a list is repeated values, true and false are
// "true" and "false", null is absent, an object is its JSON text. So an
// action reads POST and GET alike.
func CKANValues(body []byte) (url.Values, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, civickit.Invalid("body", RuleFormat, "a JSON object")
	}
	v := url.Values{}
	var add func(k string, m json.RawMessage, nested bool) error
	add = func(k string, m json.RawMessage, nested bool) error {
		t := bytes.TrimSpace(m)
		if len(t) == 0 {
			return nil
		}
		switch t[0] {
		case 'n':
			return nil
		case '"':
			var s string
			if err := json.Unmarshal(t, &s); err != nil {
				return civickit.Invalid(k, RuleFormat, "string")
			}
			v.Add(k, s)
		case '[':
			if nested {
				v.Add(k, string(t))
				return nil
			}
			var list []json.RawMessage
			if err := json.Unmarshal(t, &list); err != nil {
				return civickit.Invalid(k, RuleFormat, "list")
			}
			for _, e := range list {
				if err := add(k, e, true); err != nil {
					return err
				}
			}
		default:
			v.Add(k, string(t)) // numbers, booleans, objects: their JSON text
		}
		return nil
	}
	for k, m := range raw {
		if err := add(k, m, false); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// ParsePackageSearchParams reads package_search's parameters from a query
// string. Repeated keys are lists, as CKAN reads them: several fq (and
// CKAN 2.9's fq_list) are ANDed, several q too; facet.field is a JSON list
// ('["tags"]', what CKAN documents) or one name per key
// (facet.field=tags&facet.field=organization). Unknown parameters are
// ignored, as CKAN does for include_private and friends.
func ParsePackageSearchParams(v url.Values) (PackageSearchParams, error) {
	ve := &civickit.ValidationError{}
	fq := append(append([]string(nil), v["fq"]...), v["fq_list"]...)
	p := PackageSearchParams{Q: strings.Join(v["q"], " "), FQ: strings.Join(fq, " "), Sort: v.Get("sort")}
	num := func(name string) *int {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			ve.Add(name, RuleFormat, "integer")
			return nil
		}
		return &n
	}
	p.Rows, p.Start, p.FacetLimit = num("rows"), num("start"), num("facet.limit")
	for _, s := range v["facet.field"] {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
		case strings.HasPrefix(s, "["):
			var list []string
			if err := json.Unmarshal([]byte(s), &list); err != nil {
				ve.Add("facet.field", RuleFormat, "JSON list of strings")
			}
			p.FacetFields = append(p.FacetFields, list...)
		default:
			p.FacetFields = append(p.FacetFields, s)
		}
	}
	return p, ve.Err()
}

// ckanSorts maps CKAN sort fields to orders: [ascending, descending].
//
// "id" has no order of its own here: ckanext-harvest sorts by id only to
// page through a stable order, which creation order (ties broken by ID)
// is, and datasets added while it pages come last instead of shifting
// the pages.
var ckanSorts = map[string][2]SortOrder{
	"id":                {SortCreatedAsc, SortCreated},
	"metadata_modified": {SortModifiedAsc, SortModified},
	"metadata_created":  {SortCreatedAsc, SortCreated},
	"title_string":      {SortTitle, SortTitleDesc},
	"title":             {SortTitle, SortTitleDesc},
	"name":              {SortIdentifier, ""},
	"identifier":        {SortIdentifier, ""},
}

// DefaultCKANSort is CKAN's default order. Without a relevance score,
// civickit orders "score desc" by modification date.
const DefaultCKANSort = "score desc, metadata_modified desc"

// parseCKANSort reads "field dir[, field dir]". The first field other than
// score decides; ties are broken by ID.
func parseCKANSort(s string) (SortOrder, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultCKANSort
	}
	for part := range strings.SplitSeq(s, ",") {
		f := strings.Fields(part)
		if len(f) == 0 || len(f) > 2 {
			return "", syntaxError("sort", "want \"field asc|desc\"")
		}
		dir := "asc"
		if len(f) == 2 {
			dir = strings.ToLower(f[1])
		}
		if dir != "asc" && dir != "desc" {
			return "", syntaxError("sort", "direction asc or desc")
		}
		if f[0] == "score" {
			continue
		}
		orders, ok := ckanSorts[f[0]]
		if !ok {
			return "", civickit.Invalid("sort", RuleVocabulary, civickit.Truncate(f[0], 64))
		}
		o := orders[0]
		if dir == "desc" {
			o = orders[1]
		}
		if o == "" {
			return "", syntaxError("sort", f[0]+" sorts ascending only")
		}
		return o, nil
	}
	return SortModified, nil // "score desc" alone
}

// ckanFacet maps a CKAN facet field to its facet.
func ckanFacet(name string) (Facet, bool) {
	f, ok := ckanFields[name]
	return f, ok
}

// Query turns the parameters into a store query.
func (p PackageSearchParams) Query() (SearchQuery, error) {
	ve := &civickit.ValidationError{}
	q := SearchQuery{Limit: 10}
	parsed, err := ParseCKANQuery(p.Q, p.FQ)
	ve.Merge("", err)
	q.Text, q.Filters, q.Modified, q.Created = parsed.Text, parsed.Filters, parsed.Modified, parsed.Created
	q.Sort, err = parseCKANSort(p.Sort)
	ve.Merge("", err)
	if p.Rows != nil {
		// CKAN cuts rows to its maximum (ckan.search.rows_max, 1000)
		// rather than refusing: clients ask for more and page on.
		switch {
		case *p.Rows < 0:
			ve.Add("rows", RuleFormat, ">=0")
		default:
			q.Limit = min(*p.Rows, MaxSearchLimit)
		}
	}
	if p.Start != nil {
		if *p.Start < 0 {
			ve.Add("start", RuleFormat, ">=0")
		} else {
			q.Offset = *p.Start
		}
	}
	for i, name := range p.FacetFields {
		f, ok := ckanFacet(name)
		if !ok {
			ve.Add(index("facet.field", i), RuleVocabulary, civickit.Truncate(name, 64))
			continue
		}
		if !slices.Contains(q.Facets, f) {
			q.Facets = append(q.Facets, f)
		}
	}
	if p.FacetLimit != nil {
		switch n := *p.FacetLimit; {
		case n < 0:
			q.FacetLimit = MaxSearchLimit
		case n == 0:
			q.Facets = nil
		default:
			q.FacetLimit = min(n, MaxSearchLimit)
		}
	}
	return q, ve.Err()
}

// CKANFacetItem is one value of a search facet.
type CKANFacetItem struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Count       int    `json:"count"`
}

// CKANSearchFacet is one facet of package_search's search_facets.
type CKANSearchFacet struct {
	Title string          `json:"title"`
	Items []CKANFacetItem `json:"items"`
}

// PackageSearchResult is package_search's result.
type PackageSearchResult struct {
	Count        int                        `json:"count"`
	Sort         string                     `json:"sort"`
	Facets       map[string]map[string]int  `json:"facets"`
	SearchFacets map[string]CKANSearchFacet `json:"search_facets"`
	Results      []CKANPackage              `json:"results"`
}

// PackageSearch answers package_search, paging by offset as CKAN does
// (rows and start). Errors are *civickit.ValidationError for bad
// parameters (CKANErrorOf maps them to CKAN's 409 "Validation Error") or
// the store's.
func (s *Service) PackageSearch(ctx context.Context, p PackageSearchParams, opts CKANOptions) (*PackageSearchResult, error) {
	q, err := p.Query()
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit == 0 {
		q.Limit = 1 // CKAN's rows=0: counts and facets only
	}
	res, err := s.SearchDatasets(ctx, q)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		res.Items = nil
	}
	out := &PackageSearchResult{
		Count:        res.Total,
		Sort:         firstNonEmpty(p.Sort, DefaultCKANSort),
		Facets:       map[string]map[string]int{},
		SearchFacets: map[string]CKANSearchFacet{},
		Results:      make([]CKANPackage, len(res.Items)),
	}
	ps := make([]*CKANPackage, len(res.Items))
	for i := range res.Items {
		out.Results[i] = PackageFromDataset(&res.Items[i], opts)
		ps[i] = &out.Results[i]
	}
	s.setOrgCreated(ctx, ps, map[string]string{})
	orgTitles := map[string]string{}
	for i := range res.Items {
		if a := res.Items[i].Publisher; a != nil {
			orgTitles[PublisherKey(a)] = a.Name.Get(opts.Language)
		}
	}
	for _, name := range p.FacetFields {
		f, ok := ckanFacet(name)
		if !ok {
			continue
		}
		counts := map[string]int{}
		sf := CKANSearchFacet{Title: name, Items: []CKANFacetItem{}}
		for _, c := range res.Facets[f] {
			v := ckanFacetValue(f, c.Value)
			counts[v] = c.Count
			sf.Items = append(sf.Items, CKANFacetItem{Name: v, DisplayName: ckanDisplayName(f, c.Value, orgTitles, opts.Language), Count: c.Count})
		}
		out.Facets[name], out.SearchFacets[name] = counts, sf
	}
	return out, nil
}

func ckanDisplayName(f Facet, v string, orgTitles map[string]string, lang string) string {
	switch f {
	case FacetTheme:
		return Theme(v).Label(lang)
	case FacetFormat:
		return conceptLabel(v).Get(lang)
	case FacetLicense:
		if l, ok := KnownLicense(v); ok {
			return l.Title.Get(lang)
		}
	case FacetPublisher:
		if t := orgTitles[v]; t != "" {
			return t
		}
	}
	return ckanFacetValue(f, v)
}

// PackageShow answers package_show: id is the dataset's UUID, its
// identifier or the CKAN name package_search and package_list hand out
// (PackageName). An empty id is a *civickit.ValidationError; an unknown
// one ErrNotFound.
func (s *Service) PackageShow(ctx context.Context, id string, opts CKANOptions) (*CKANPackage, error) {
	d, err := s.FindDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	p := PackageFromDataset(d, opts)
	s.setOrgCreated(ctx, []*CKANPackage{&p}, map[string]string{})
	return &p, nil
}

// FindDataset returns the published dataset that id names: its UUID, its
// identifier or its CKAN name (PackageName). An empty id is a
// *civickit.ValidationError; an unknown one, a draft or a withdrawn one
// ErrNotFound.
func (s *Service) FindDataset(ctx context.Context, id string) (*Dataset, error) {
	d, err := s.findAnyDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.EffectiveState() != StatePublished {
		// Drafts and withdrawn datasets are in no public answer.
		return nil, fmt.Errorf("package %q: %w", civickit.Truncate(id, 100), ErrNotFound)
	}
	return d, nil
}

func (s *Service) findAnyDataset(ctx context.Context, id string) (*Dataset, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, civickit.Invalid("id", RuleMandatory, "")
	}
	if u, err := uuid.Parse(id); err == nil && len(id) == 36 {
		d, err := s.GetDataset(ctx, u)
		if !errors.Is(err, ErrNotFound) {
			return d, err
		}
	}
	d, err := s.GetDatasetByIdentifier(ctx, id)
	if !errors.Is(err, ErrNotFound) {
		return d, err
	}
	if u, ok := idOfPackageName(id); ok {
		d, err := s.GetDataset(ctx, u)
		if err == nil && PackageName(d) == id {
			return d, nil
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("package %q: %w", civickit.Truncate(id, 100), ErrNotFound)
}

// orgCreated returns when the first dataset of publisher key was stored,
// in CKAN's form; memo keeps answers within one call.
func (s *Service) orgCreated(ctx context.Context, key string, memo map[string]string) string {
	if c, ok := memo[key]; ok {
		return c
	}
	res, err := s.SearchDatasets(ctx, SearchQuery{
		Filters: []Filter{{Facet: FacetPublisher, Values: []string{key}}},
		Sort:    SortCreatedAsc, Limit: 1,
	})
	c := ""
	if err == nil && len(res.Items) > 0 {
		c = ckanTime(res.Items[0].CreatedAt)
	}
	memo[key] = c
	return c
}

// setOrgCreated sets the creation time of the packages' organisations.
// On a store error the dataset's own time (PackageFromDataset's) stays.
func (s *Service) setOrgCreated(ctx context.Context, ps []*CKANPackage, memo map[string]string) {
	for _, p := range ps {
		if p.Organization == nil {
			continue
		}
		if c := s.orgCreated(ctx, p.Organization.Name, memo); c != "" {
			p.Organization.Created, p.Organization.RevisionTimestamp = c, c
		}
	}
}

// PackageList answers package_list: the names of every dataset, sorted,
// from offset, at most limit of them (0: all). It reads the whole
// catalogue by pages of MaxSearchLimit.
func (s *Service) PackageList(ctx context.Context, limit, offset int) ([]string, error) {
	if limit < 0 {
		return nil, civickit.Invalid("limit", RuleFormat, ">=0")
	}
	if offset < 0 {
		return nil, civickit.Invalid("offset", RuleFormat, ">=0")
	}
	names := []string{}
	q := SearchQuery{Sort: SortIdentifier, Limit: MaxSearchLimit}
	for {
		res, err := s.SearchDatasets(ctx, q)
		if err != nil {
			return nil, err
		}
		for i := range res.Items {
			names = append(names, PackageName(&res.Items[i]))
		}
		if res.Next == "" {
			break
		}
		q.After = res.Next
	}
	slices.Sort(names)
	names = names[min(offset, len(names)):]
	if limit > 0 && len(names) > limit {
		names = names[:limit]
	}
	return names, nil
}

// TagList answers tag_list: the keywords of the datasets, sorted (at
// most MaxSearchLimit, the most used first when there are more).
func (s *Service) TagList(ctx context.Context) ([]string, error) {
	res, err := s.SearchDatasets(ctx, SearchQuery{Limit: 1, Facets: []Facet{FacetKeyword}, FacetLimit: MaxSearchLimit})
	if err != nil {
		return nil, err
	}
	tags := make([]string, 0, len(res.Facets[FacetKeyword]))
	for _, c := range res.Facets[FacetKeyword] {
		tags = append(tags, c.Value)
	}
	slices.Sort(tags)
	return tags, nil
}

// CKANLicense is an entry of license_list.
type CKANLicense struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	URL                string `json:"url"`
	Status             string `json:"status"`
	Maintainer         string `json:"maintainer"`
	Family             string `json:"family"`
	ODConformance      string `json:"od_conformance"`
	OSDConformance     string `json:"osd_conformance"`
	DomainContent      bool   `json:"domain_content"`
	DomainData         bool   `json:"domain_data"`
	DomainSoftware     bool   `json:"domain_software"`
	IsGeneric          bool   `json:"is_generic"`
	IsOKDCompliant     bool   `json:"is_okd_compliant"`
	IsOSICompliant     bool   `json:"is_osi_compliant"`
	LicenseDocumentIRI string `json:"license_document_iri"` // civickit: the DCAT-AP licence IRI
}

// LicenseList answers license_list: the open licences civickit knows
// (KnownLicense), ids as package_search's license_id.
func LicenseList(opts CKANOptions) []CKANLicense {
	ls := knownLicenses()
	out := make([]CKANLicense, 0, len(ls))
	for _, l := range ls {
		out = append(out, CKANLicense{
			ID: firstNonEmpty(l.SPDX, l.IRI), Title: l.Title.Get(opts.Language), URL: firstNonEmpty(l.URL, l.IRI),
			Status: "active", ODConformance: "approved", OSDConformance: "not reviewed",
			DomainData: true, IsOKDCompliant: true, LicenseDocumentIRI: l.IRI,
		})
	}
	return out
}

// CKANStatus is status_show's result.
type CKANStatus struct {
	SiteTitle   string   `json:"site_title"`
	SiteURL     string   `json:"site_url"`
	SiteDesc    string   `json:"site_description"`
	CKANVersion string   `json:"ckan_version"`
	Locale      string   `json:"locale_default"`
	Extensions  []string `json:"extensions"`
}

// StatusShow answers status_show for a portal.
func StatusShow(siteURL, title, description, locale string) CKANStatus {
	return CKANStatus{
		SiteTitle: title, SiteURL: siteURL, SiteDesc: description,
		CKANVersion: CKANAPIVersion, Locale: firstNonEmpty(locale, "en"),
		Extensions: []string{"dcat"},
	}
}

// OrganizationShow answers organization_show: id is the organisation's
// name (a PublisherKey) or its id (CKANOrganizationID).
func (s *Service) OrganizationShow(ctx context.Context, id string, opts CKANOptions) (*CKANOrganization, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, civickit.Invalid("id", RuleMandatory, "")
	}
	orgs, err := s.organizations(ctx, opts)
	if err != nil {
		return nil, err
	}
	for i := range orgs {
		if orgs[i].Name == id || orgs[i].ID == id {
			return &orgs[i], nil
		}
	}
	return nil, fmt.Errorf("organization %q: %w", civickit.Truncate(id, 100), ErrNotFound)
}

// organizations returns every publisher as a CKAN organization, with its
// package_count and creation time, ordered by name.
func (s *Service) organizations(ctx context.Context, opts CKANOptions) ([]CKANOrganization, error) {
	// CKAN sorts organisations by title or count too: read them all (a
	// portal has far fewer publishers than datasets).
	var pubs []PublisherCount
	for after := ""; ; {
		page, err := s.ListPublishers(ctx, after, civickit.MaxLimit)
		if err != nil {
			return nil, err
		}
		pubs = append(pubs, page.Items...)
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	memo := map[string]string{}
	orgs := make([]CKANOrganization, 0, len(pubs))
	for _, pc := range pubs {
		n := pc.Datasets
		if o := ckanOrganization(&pc.Agent, opts.Language, &n); o != nil {
			o.ID, o.Name = CKANOrganizationID(pc.Key), pc.Key
			o.Created = s.orgCreated(ctx, pc.Key, memo)
			o.RevisionTimestamp = o.Created
			orgs = append(orgs, *o)
		}
	}
	return orgs, nil
}

// OrganizationListParams are organization_list's parameters.
type OrganizationListParams struct {
	Sort      string // "name asc" (default), "name desc", "title asc|desc", "package_count desc|asc"
	Limit     int    // 0: all
	Offset    int
	AllFields bool // full organization objects instead of names
}

// ParseOrganizationListParams reads organization_list's parameters from a
// query string.
func ParseOrganizationListParams(v url.Values) (OrganizationListParams, error) {
	ve := &civickit.ValidationError{}
	p := OrganizationListParams{Sort: v.Get("sort")}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"limit", &p.Limit}, {"offset", &p.Offset}} {
		if s := v.Get(n.name); s != "" {
			x, err := strconv.Atoi(s)
			if err != nil || x < 0 {
				ve.Add(n.name, RuleFormat, "integer >= 0")
			}
			*n.dst = x
		}
	}
	switch strings.ToLower(v.Get("all_fields")) {
	case "", "false", "0", "no":
	case "true", "1", "yes":
		p.AllFields = true
	default:
		ve.Add("all_fields", RuleFormat, "boolean")
	}
	return p, ve.Err()
}

// OrganizationList answers organization_list: the names of the
// organisations that publish datasets, or with AllFields their
// CKANOrganization objects (with package_count). The result is []string or
// []CKANOrganization.
func (s *Service) OrganizationList(ctx context.Context, p OrganizationListParams, opts CKANOptions) (any, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, civickit.Invalid("limit", RuleFormat, ">=0")
	}
	orgs, err := s.organizations(ctx, opts)
	if err != nil {
		return nil, err
	}
	field, dir, _ := strings.Cut(strings.TrimSpace(firstNonEmpty(p.Sort, "name asc")), " ")
	dir = strings.ToLower(strings.TrimSpace(dir))
	if dir == "" {
		dir = "asc"
	}
	if dir != "asc" && dir != "desc" {
		return nil, syntaxError("sort", "direction asc or desc")
	}
	var cmpf func(a, b CKANOrganization) int
	switch field {
	case "name":
		cmpf = func(a, b CKANOrganization) int { return strings.Compare(a.Name, b.Name) }
	case "title":
		cmpf = func(a, b CKANOrganization) int {
			return strings.Compare(civickit.Fold(a.Title), civickit.Fold(b.Title))
		}
	case "package_count":
		cmpf = func(a, b CKANOrganization) int { return *a.PackageCount - *b.PackageCount }
	default:
		return nil, civickit.Invalid("sort", RuleVocabulary, civickit.Truncate(field, 64))
	}
	slices.SortStableFunc(orgs, func(a, b CKANOrganization) int {
		c := cmpf(a, b)
		if dir == "desc" {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(a.Name, b.Name)
		}
		return c
	})
	lo := min(p.Offset, len(orgs))
	hi := len(orgs)
	if p.Limit > 0 {
		hi = min(lo+p.Limit, hi)
	}
	orgs = orgs[lo:hi]
	if p.AllFields {
		return orgs, nil
	}
	names := make([]string, len(orgs))
	for i, o := range orgs {
		names[i] = o.Name
	}
	return names, nil
}

// String describes the params for logs and test failures.
func (p PackageSearchParams) String() string {
	return fmt.Sprintf("q=%q fq=%q sort=%q facets=%v", p.Q, p.FQ, p.Sort, p.FacetFields)
}
