package formats

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit/voting"
)

// countColumn names the optional column of ballot counts.
const countColumn = "count"

type rankCell struct{ rank, c int }

func readCSV(r io.Reader, opts ReadOptions) (*Election, error) {
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, csvErr(err, "empty input")
	}
	countAt := -1
	var names []string
	var column []int // column → candidate, -1 for the count
	seen := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\xef\xbb\xbf")
		}
		h = strings.TrimSpace(h)
		if strings.EqualFold(h, countColumn) {
			if countAt >= 0 {
				return nil, parseErr(1, "count column repeated", "")
			}
			countAt = i
			column = append(column, -1)
			continue
		}
		line, _ := cr.FieldPos(i)
		if strings.ContainsAny(h, "\r\n") {
			// encoding/csv rewrites line breaks in quoted fields
			return nil, parseErr(line, "line break in a name", excerpt(h))
		}
		if err := checkName(seen, h, line); err != nil {
			return nil, err
		}
		column = append(column, len(names))
		names = append(names, h)
	}
	if len(names) == 0 {
		return nil, parseErr(1, "no candidates", "")
	}
	if len(names) > voting.MaxCandidates {
		return nil, tooManyCandidates(1, len(names))
	}
	rb := newRunBuilder(len(names))
	set := newRankedSet()
	var cells []rankCell
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(err, "")
		}
		line, _ := cr.FieldPos(0)
		count := int64(1)
		cells = cells[:0]
		for i, f := range rec {
			f = strings.TrimSpace(f)
			if column[i] < 0 {
				v, j, ok := parseUint([]byte(f), 0, math.MaxInt64)
				if !ok || j != len(f) || v == 0 {
					return nil, parseErr(line, "count not a positive integer", excerpt(f))
				}
				count = v
				continue
			}
			if f == "" {
				continue
			}
			v, j, ok := parseUint([]byte(f), 0, math.MaxInt32)
			if !ok || j != len(f) || v == 0 {
				return nil, parseErr(line, "rank not a positive integer", excerpt(f)+" for "+excerpt(names[column[i]]))
			}
			cells = append(cells, rankCell{int(v), column[i]})
		}
		slices.SortFunc(cells, func(a, b rankCell) int { return cmp.Compare(a.rank, b.rank) })
		rb.reset()
		for k, cell := range cells {
			if k > 0 && cell.rank != cells[k-1].rank {
				rb.close()
			}
			rb.add(int64(cell.c) + 1)
		}
		if len(cells) > 0 {
			rb.close()
		}
		if !set.addBallot(rb, count) {
			return nil, parseErr(line, "total count overflows", errTotal)
		}
	}
	e := &Election{Candidates: names}
	if e.Ranked, err = set.rankedProfile(names, opts.Policy); err != nil {
		return nil, err
	}
	return e, nil
}

// csvErr turns encoding/csv's errors into ParseErrors.
func csvErr(err error, empty string) error {
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return parseErr(0, empty, "")
	case errors.As(err, &pe):
		rule := "csv syntax"
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			rule = "wrong number of fields"
		}
		return parseErr(pe.Line, rule, pe.Err.Error())
	}
	return err
}

func writeCSV(w *bufio.Writer, e *Election) error {
	if e.Ranked == nil {
		return fmt.Errorf("%w: the CSV format holds ranked ballots", ErrUnsupported)
	}
	names := e.Ranked.Candidates()
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), countColumn) || strings.TrimSpace(n) != n || strings.ContainsAny(n, "\r\n") {
			return fmt.Errorf("%w: candidate name %q would not read back as a name", ErrUnsupported, n)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(names, countColumn)); err != nil {
		return err
	}
	row := make([]string, len(names)+1)
	for r, c := range e.Ranked.Ballots() {
		clear(row)
		for gi, g := range r {
			for _, cand := range g {
				row[cand] = strconv.Itoa(gi + 1)
			}
		}
		row[len(names)] = strconv.FormatInt(c, 10)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
