package panel

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/civickit/civickit"
)

// FoundationOptions tell ReadFoundationCSV how to read the Sortition
// Foundation's two tables.
type FoundationOptions struct {
	K int // panel size
	// IDColumn names the respondents' identifier column (default: "id",
	// else "nationbuilder_id", else the first column).
	IDColumn string
	// HouseholdColumns, when set, are concatenated into a household key
	// (for instance the address and postcode columns): at most one person
	// per key is selected.
	HouseholdColumns []string
}

// ReadFoundationCSV reads the Sortition Foundation's layout: a
// categories table (feature or category, value or name, min, max; extra
// columns such as min_flex are ignored) and a respondents table with an
// identifier column (without one, the row number from 1 is the ID) and
// one column per feature.
func ReadFoundationCSV(categories, respondents io.Reader, opts FoundationOptions) (Instance, error) {
	in := Instance{K: opts.K}
	rows, err := readAll(categories, "categories")
	if err != nil {
		return in, err
	}
	col := columns(rows[0])
	// The Foundation writes category,name; the Nature 2021 replication
	// category,feature; civickit's fixtures feature,value.
	fi := pickCol(col, "category", "feature")
	vi := pickCol(col, "value", "name")
	if vi < 0 && fi == col["category"] {
		vi = pickCol(col, "feature")
	}
	mi, okMin := col["min"]
	xi, okMax := col["max"]
	ve := &civickit.ValidationError{}
	if fi < 0 {
		ve.Add("categories.header.feature", "required", "")
	}
	if vi < 0 {
		ve.Add("categories.header.value", "required", "")
	}
	if !okMin {
		ve.Add("categories.header.min", "required", "")
	}
	if !okMax {
		ve.Add("categories.header.max", "required", "")
	}
	if err := ve.Err(); err != nil {
		return in, err
	}
	for r, rec := range rows[1:] {
		line := r + 2
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		lo, err1 := strconv.Atoi(get(mi))
		hi, err2 := strconv.Atoi(get(xi))
		if err1 != nil {
			ve.Addf("integer", "", "categories.line[%d].min", line)
		}
		if err2 != nil {
			ve.Addf("integer", "", "categories.line[%d].max", line)
		}
		in.Quotas = append(in.Quotas, Quota{Feature: get(fi), Value: get(vi), Min: lo, Max: hi})
	}
	if err := ve.Err(); err != nil {
		return in, err
	}
	people, err := ReadPoolCSV(respondents, in.Quotas, opts)
	in.People = people
	return in, err
}

// ReadPoolCSV reads the respondents table of the Sortition Foundation's
// layout against quotas already known (a manifest's, for instance).
func ReadPoolCSV(respondents io.Reader, quotas []Quota, opts FoundationOptions) ([]Person, error) {
	ve := &civickit.ValidationError{}
	var people []Person
	rows, err := readAll(respondents, "respondents")
	if err != nil {
		return nil, err
	}
	col := columns(rows[0])
	idc := -1 // no identifier column: the row number is the ID
	switch {
	case opts.IDColumn != "":
		i, ok := col[strings.ToLower(opts.IDColumn)]
		if !ok {
			return nil, invalid("respondents.header."+opts.IDColumn, "required", "")
		}
		idc = i
	default:
		if i := pickCol(col, "id", "nationbuilder_id"); i >= 0 {
			idc = i
		}
	}
	feats := map[string]int{}
	for _, q := range quotas {
		i, ok := col[strings.ToLower(q.Feature)]
		if !ok {
			ve.Add("respondents.header."+q.Feature, "required", "")
			continue
		}
		feats[q.Feature] = i
	}
	var homeCols []int
	for _, h := range opts.HouseholdColumns {
		i, ok := col[strings.ToLower(h)]
		if !ok {
			ve.Add("respondents.header."+h, "required", "")
			continue
		}
		homeCols = append(homeCols, i)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	for r, rec := range rows[1:] {
		get := func(i int) string {
			if i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		id := get(idc)
		if idc < 0 {
			id = strconv.Itoa(r + 1)
		}
		p := Person{ID: id, Features: map[string]string{}}
		for f, i := range feats {
			p.Features[f] = get(i)
		}
		if len(homeCols) > 0 {
			parts := make([]string, len(homeCols))
			for j, i := range homeCols {
				parts[j] = strings.ToLower(strings.Join(strings.Fields(get(i)), " "))
			}
			if key := strings.Join(parts, "|"); strings.Trim(key, "|") != "" {
				p.Household = key
			}
		}
		people = append(people, p)
	}
	return people, nil
}

func readAll(r io.Reader, name string) ([][]string, error) {
	cr := csv.NewReader(io.LimitReader(r, 256<<20))
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, invalid(fmt.Sprintf("%s.line[%d]", name, len(rows)+1), "csv", "")
		}
		if len(rows) > MaxPool+1 {
			return nil, fmt.Errorf("panel: %s over %d rows: %w", name, MaxPool, civickit.ErrTooLarge)
		}
		rows = append(rows, rec)
	}
	if len(rows) == 0 {
		return nil, invalid(name+".header", "required", "")
	}
	if len(rows[0]) > 0 {
		rows[0][0] = strings.TrimPrefix(rows[0][0], "\ufeff")
	}
	return rows, nil
}

func columns(header []string) map[string]int {
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	return col
}

func pickCol(col map[string]int, names ...string) int {
	for _, n := range names {
		if i, ok := col[n]; ok {
			return i
		}
	}
	return -1
}
