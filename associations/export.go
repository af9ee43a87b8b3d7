package associations

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/civickit/civickit"
)

// The public export is an allow-list: a column is published only once it
// is listed in publicFields. It never reads Person data, non-public
// contacts or accessibility notes (free text that may name people), and
// leaves out the street address lines: a small association is often
// registered at a member's home, so only the postal code, city, commune
// and coordinates are published.

// publicField is one exported column and how it is read.
type publicField struct {
	name  string
	value func(a *Association) string
}

// publicFields returns the exported columns in order. It is a function so
// that no caller can change the allow-list.
func publicFields() []publicField {
	return []publicField{
		{"id", func(a *Association) string { return a.ID.String() }},
		{"rna", func(a *Association) string { return a.RNA }},
		{"siren", func(a *Association) string { return a.SIREN }},
		{"siret", func(a *Association) string { return a.SIRET }},
		{"neq", func(a *Association) string { return a.NEQ }},
		{"name", func(a *Association) string { return a.Name }},
		{"acronym", func(a *Association) string { return a.Acronym }},
		{"legal_status", func(a *Association) string { return string(a.LegalStatus) }},
		{"grouping", func(a *Association) string { return string(a.Grouping) }},
		{"object", func(a *Association) string { return a.Object }},
		{"categories", func(a *Association) string { return joinList(a.Categories) }},
		{"theme_labels", func(a *Association) string { return joinList(themeLabels(a.Categories)) }},
		{"status", func(a *Association) string { return string(a.Status) }},
		{"created_on", func(a *Association) string { return formatDay(a.CreatedOn) }},
		{"dissolved_on", func(a *Association) string { return formatDay(a.DissolvedOn) }},
		{"postal_code", func(a *Association) string { return a.Address.PostalCode }},
		{"city", func(a *Association) string { return a.Address.City }},
		{"commune_code", func(a *Association) string { return a.Address.CommuneCode }},
		{"country", func(a *Association) string { return a.Address.Country }},
		{"lat", func(a *Association) string { lat, _ := coordinates(a.Address.Location); return lat }},
		{"lon", func(a *Association) string { _, lon := coordinates(a.Address.Location); return lon }},
		{"website", func(a *Association) string { return a.Website }},
		{"public_contacts", func(a *Association) string { return joinList(publicContacts(a)) }},
		{"languages", func(a *Association) string { return joinList(a.Languages) }},
		{"step_free_access", func(a *Association) string { return a.Access.StepFreeAccess.String() }},
		{"accessible_toilets", func(a *Association) string { return a.Access.AccessibleToilets.String() }},
		{"hearing_loop", func(a *Association) string { return a.Access.HearingLoop.String() }},
		{"sign_language", func(a *Association) string { return a.Access.SignLanguage.String() }},
		{"updated_at", func(a *Association) string { return a.UpdatedAt.UTC().Format(time.RFC3339) }},
	}
}

// PublicColumns returns the names of the columns of the public export, in
// the order of PublicRow.
func PublicColumns() []string {
	fields := publicFields()
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

// PublicRow returns the public part of a, one value per PublicColumns.
// Lists (categories, theme labels, contacts, languages) are joined with
// ";"; a ";" inside an item becomes "," so the items can be split again.
// Dates are YYYY-MM-DD, updated_at is RFC 3339 in UTC, an unknown location
// is two empty cells.
func PublicRow(a *Association) []string {
	return publicRow(publicFields(), a)
}

func publicRow(fields []publicField, a *Association) []string {
	row := make([]string, len(fields))
	for i, f := range fields {
		row[i] = f.value(a)
	}
	return row
}

// ExportPublic calls yield with PublicRow of every association passing f,
// ordered by name. It reads the registry page by page, so memory does not
// grow with the registry, and stops at the first error of the store or of
// yield.
func (s *Service) ExportPublic(ctx context.Context, f Filter, yield func(row []string) error) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", &f, ve)
	if err := ve.Err(); err != nil {
		return err
	}
	fields := publicFields()
	after := ""
	for {
		page, err := s.store.SearchAssociations(ctx, f, after, civickit.MaxLimit)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for i := range page.Items {
			if err := yield(publicRow(fields, &page.Items[i])); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		after = page.Next
	}
}

// WritePublicCSV writes the public export of the associations passing f to
// w as CSV (RFC 4180), with PublicColumns as its header. On error, what was
// written so far is an incomplete file.
func (s *Service) WritePublicCSV(ctx context.Context, w io.Writer, f Filter) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(PublicColumns()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := s.ExportPublic(ctx, f, cw.Write); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// joinList joins items with ";", replacing any ";" inside an item by ",".
func joinList(items []string) string {
	clean := make([]string, len(items))
	for i, it := range items {
		clean[i] = strings.ReplaceAll(it, ";", ",")
	}
	return strings.Join(clean, ";")
}

// themeLabels returns the labels of the themes of codes, each once, in the
// order the codes name them.
func themeLabels(codes []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		l := ThemeLabel(c)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// publicContacts returns "kind:value" for each contact marked public.
func publicContacts(a *Association) []string {
	var out []string
	for _, c := range a.PublicContacts() {
		out = append(out, string(c.Kind)+":"+c.Value)
	}
	return out
}

func formatDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// coordinates formats p in the shortest decimal form that reads back exactly.
func coordinates(p *Point) (lat, lon string) {
	if p == nil {
		return "", ""
	}
	return strconv.FormatFloat(p.Lat, 'f', -1, 64), strconv.FormatFloat(p.Lon, 'f', -1, 64)
}
