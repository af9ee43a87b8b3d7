package formats

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit/voting/pb"
)

// Pabulib (pabulib.org/format; Faliszewski et al., "Pabulib: A
// Participatory Budgeting Library", 2023) is the format of participatory
// budgets: three sections, each a line META, PROJECTS or VOTES followed
// by a header row and rows of ';'-separated fields, quoted as in CSV.
// META holds "key;value" rows (the header row may be missing); budget and vote_type are required (a file
// without vote_type reads as approval, as pabutools does), num_projects
// and num_votes must, when present, match the rows read. PROJECTS needs
// the columns project_id and cost; VOTES needs voter_id and vote (project
// ids separated by ',', best first for ordinal ballots) and, for
// cumulative and scoring ballots, points (one per listed project).
// Other columns are kept, in order (pb.Election.ProjectColumns and
// VoterColumns), and written back. Costs, budget and points are decimal
// numbers read as float64 (Pabulib budgets carry cents).

// ReadPabulib reads a Pabulib .pb file. Faults of the file are
// *ParseError values naming the line and the rule.
func ReadPabulib(r io.Reader) (*pb.Election, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	p := pabulibReader{cr: cr, e: &pb.Election{}, projectIndex: map[string]int{}, voterIDs: map[string]bool{}}
	if err := p.read(); err != nil {
		return nil, err
	}
	return p.e, nil
}

type pabulibReader struct {
	cr           *csv.Reader
	e            *pb.Election
	line         int
	projectIndex map[string]int
	voterIDs     map[string]bool
	numProjects  int
	numVotes     int
}

// next returns the next record; nil at the end of the input.
func (p *pabulibReader) next() ([]string, error) {
	rec, err := p.cr.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, parseErr(pe.Line, "malformed row", pe.Err.Error())
		}
		return nil, err
	}
	p.line, _ = p.cr.FieldPos(0)
	for _, f := range rec {
		if strings.ContainsAny(f, "\r\n") {
			return nil, parseErr(p.line, "line break inside a field", "")
		}
	}
	return rec, nil
}

func section(rec []string) string {
	if len(rec) == 1 {
		switch s := strings.TrimSpace(rec[0]); s {
		case "META", "PROJECTS", "VOTES":
			return s
		}
	}
	return ""
}

func (p *pabulibReader) read() error {
	rec, err := p.next()
	if err != nil {
		return err
	}
	if rec == nil || section(rec) != "META" {
		return parseErr(p.line, "missing section", "a Pabulib file starts with META")
	}
	rec, err = p.readMeta()
	if err != nil {
		return err
	}
	if section(rec) != "PROJECTS" {
		return parseErr(p.line, "missing section", "PROJECTS after META")
	}
	rec, err = p.readProjects()
	if err != nil {
		return err
	}
	if section(rec) != "VOTES" {
		return parseErr(p.line, "missing section", "VOTES after PROJECTS")
	}
	if err := p.readVotes(); err != nil {
		return err
	}
	if p.numProjects >= 0 && p.numProjects != len(p.e.Projects) {
		return parseErr(0, "projects mismatch", fmt.Sprintf("num_projects %d, %d projects read", p.numProjects, len(p.e.Projects)))
	}
	if p.numVotes >= 0 && p.numVotes != len(p.e.Voters) {
		return parseErr(0, "votes mismatch", fmt.Sprintf("num_votes %d, %d votes read", p.numVotes, len(p.e.Voters)))
	}
	return nil
}

// header reads a section's header row and returns the index of each
// required column, the other columns and their indices.
func (p *pabulibReader) header(sectionName string, required ...string) (idx map[string]int, other []string, otherIdx []int, err error) {
	rec, err := p.next()
	if err != nil {
		return nil, nil, nil, err
	}
	if rec == nil || section(rec) != "" {
		return nil, nil, nil, parseErr(p.line, "missing header", sectionName+" needs a header row")
	}
	idx = map[string]int{}
	for i, name := range rec {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, nil, nil, parseErr(p.line, "empty column name", fmt.Sprintf("%s column %d", sectionName, i+1))
		}
		if _, dup := idx[name]; dup {
			return nil, nil, nil, parseErr(p.line, "duplicate column", name)
		}
		idx[name] = i
		if !slices.Contains(required, name) {
			other = append(other, name)
			otherIdx = append(otherIdx, i)
		}
	}
	for _, name := range required {
		if _, ok := idx[name]; !ok {
			return nil, nil, nil, parseErr(p.line, "missing column", sectionName+" needs "+name)
		}
	}
	return idx, other, otherIdx, nil
}

func (p *pabulibReader) readMeta() ([]string, error) {
	p.numProjects, p.numVotes = -1, -1
	budget, voteType := false, false
	p.e.VoteType = pb.Approval
	for first := true; ; first = false {
		rec, err := p.next()
		if err != nil {
			return nil, err
		}
		// The "key;value" header row is missing from some published
		// files (Warsaw's Przyczółek Grochowski); pabutools reads them.
		if first && len(rec) == 2 && strings.EqualFold(strings.TrimSpace(rec[0]), "key") && strings.EqualFold(strings.TrimSpace(rec[1]), "value") {
			continue
		}
		if rec == nil || section(rec) != "" {
			if !budget {
				return nil, parseErr(p.line, "missing budget", "META needs budget")
			}
			_ = voteType
			return rec, nil
		}
		if len(rec) != 2 {
			return nil, parseErr(p.line, "field count", fmt.Sprintf("META rows are key;value, got %d fields", len(rec)))
		}
		key, value := strings.TrimSpace(rec[0]), rec[1]
		if key == "" {
			return nil, parseErr(p.line, "empty key", "")
		}
		if slices.ContainsFunc(p.e.Meta, func(f pb.MetaField) bool { return f.Key == key }) {
			return nil, parseErr(p.line, "duplicate key", key)
		}
		switch key {
		case "budget":
			b, err := amount(value)
			if err != nil {
				return nil, parseErr(p.line, "budget not an amount", value)
			}
			p.e.Budget, budget = b, true
		case "vote_type":
			switch t := pb.VoteType(strings.TrimSpace(value)); t {
			case pb.Approval, pb.Ordinal, pb.Cumulative, pb.Scoring:
				p.e.VoteType, voteType = t, true
			default:
				return nil, parseErr(p.line, "unknown vote_type", value)
			}
		case "num_projects", "num_votes":
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, parseErr(p.line, key+" not a count", value)
			}
			if key == "num_projects" {
				p.numProjects = n
			} else {
				p.numVotes = n
			}
		}
		p.e.Meta = append(p.e.Meta, pb.MetaField{Key: key, Value: value})
	}
}

// amount parses a cost, budget or points value: a finite decimal >= 0,
// with a decimal comma accepted as pabutools does ("1234,5").
func amount(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		return 0, errors.New("not an amount")
	}
	return x, nil
}

func (p *pabulibReader) readProjects() ([]string, error) {
	idx, other, otherIdx, err := p.header("PROJECTS", "project_id", "cost")
	if err != nil {
		return nil, err
	}
	nameAt, hasName := idx["name"]
	if hasName {
		i := slices.Index(other, "name")
		other = slices.Delete(other, i, i+1)
		otherIdx = slices.Delete(otherIdx, i, i+1)
	}
	p.e.ProjectColumns = other
	width := len(idx)
	for {
		rec, err := p.next()
		if err != nil {
			return nil, err
		}
		if rec == nil || section(rec) != "" {
			return rec, nil
		}
		if len(rec) != width {
			return nil, parseErr(p.line, "field count", fmt.Sprintf("%d fields, header has %d", len(rec), width))
		}
		id := strings.TrimSpace(rec[idx["project_id"]])
		if id == "" || strings.Contains(id, ",") {
			return nil, parseErr(p.line, "bad project id", strconv.Quote(id)+" (not empty, no ',')")
		}
		if _, dup := p.projectIndex[id]; dup {
			return nil, parseErr(p.line, "duplicate project", id)
		}
		cost, err := amount(rec[idx["cost"]])
		if err != nil {
			return nil, parseErr(p.line, "cost not an amount", rec[idx["cost"]])
		}
		pr := pb.Project{ID: id, Cost: cost, Fields: make([]string, len(otherIdx))}
		if hasName {
			pr.Name = rec[nameAt]
		}
		for i, j := range otherIdx {
			pr.Fields[i] = rec[j]
		}
		p.projectIndex[id] = len(p.e.Projects)
		p.e.Projects = append(p.e.Projects, pr)
	}
}

func (p *pabulibReader) readVotes() error {
	required := []string{"voter_id", "vote"}
	points := p.e.VoteType == pb.Cumulative || p.e.VoteType == pb.Scoring
	if points {
		required = append(required, "points")
	}
	idx, other, otherIdx, err := p.header("VOTES", required...)
	if err != nil {
		return err
	}
	if !points {
		// A points column on approval or ordinal ballots is kept as data.
		delete(idx, "points")
	}
	p.e.VoterColumns = other
	width := len(other) + len(required)
	seen := make([]int, len(p.e.Projects))
	if p.numVotes > 0 {
		// Trust the declared count for capacity only, within reason.
		n := min(p.numVotes, 1<<20)
		p.voterIDs = make(map[string]bool, n)
		p.e.Voters = make([]pb.Voter, 0, n)
	}
	// Ballots' project lists and fields are cut from shared blocks: one
	// allocation per few thousand voters instead of two per voter.
	var ints []int
	var strs []string
	for {
		rec, err := p.next()
		if err != nil {
			return err
		}
		if rec == nil {
			return nil
		}
		if s := section(rec); s != "" {
			return parseErr(p.line, "unexpected section", s+" after VOTES")
		}
		if len(rec) != width {
			return parseErr(p.line, "field count", fmt.Sprintf("%d fields, header has %d", len(rec), width))
		}
		id := strings.TrimSpace(rec[idx["voter_id"]])
		if id == "" {
			return parseErr(p.line, "empty voter id", "")
		}
		if p.voterIDs[id] {
			return parseErr(p.line, "duplicate voter", id)
		}
		p.voterIDs[id] = true
		if len(strs) < len(otherIdx) {
			strs = make([]string, max(4096, len(otherIdx)))
		}
		v := pb.Voter{ID: id, Fields: strs[:len(otherIdx):len(otherIdx)]}
		strs = strs[len(otherIdx):]
		for i, j := range otherIdx {
			v.Fields[i] = rec[j]
		}
		ballot := len(p.e.Voters) + 1
		if s := strings.TrimSpace(rec[idx["vote"]]); s != "" {
			n := strings.Count(s, ",") + 1
			if len(ints) < n {
				ints = make([]int, max(8192, n))
			}
			v.Projects = ints[:0:n]
			ints = ints[n:]
			for rest, more := s, true; more; {
				var pid string
				pid, rest, more = strings.Cut(rest, ",")
				pid = strings.TrimSpace(pid)
				c, ok := p.projectIndex[pid]
				if !ok {
					return parseErr(p.line, "unknown project", strconv.Quote(pid))
				}
				if seen[c] == ballot {
					return parseErr(p.line, "duplicate project in vote", pid)
				}
				seen[c] = ballot
				v.Projects = append(v.Projects, c)
			}
		}
		if points {
			v.Points = []float64{}
			if s := strings.TrimSpace(rec[idx["points"]]); s != "" {
				for _, x := range strings.Split(s, ",") {
					f, err := amount(x)
					if err != nil {
						return parseErr(p.line, "points not an amount", strconv.Quote(x))
					}
					v.Points = append(v.Points, f)
				}
			}
			if len(v.Points) != len(v.Projects) {
				return parseErr(p.line, "points mismatch", fmt.Sprintf("%d points for %d projects", len(v.Points), len(v.Projects)))
			}
		}
		p.e.Voters = append(p.e.Voters, v)
	}
}

// WritePabulib writes e as a Pabulib file. META is written in e's order,
// with budget, vote_type, num_projects and num_votes taken from e (added
// when missing). It refuses, with ErrUnsupported, what the format cannot
// hold: line breaks in a field, ids that are empty or hold ',', fields
// not matching their columns.
func WritePabulib(w io.Writer, e *pb.Election) error {
	if e == nil {
		return fmt.Errorf("%w: no election", ErrUnsupported)
	}
	if err := e.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	if err := checkIDs(e); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	var rows [][]string
	rows = append(rows, []string{"META"}, []string{"key", "value"})
	set := map[string]string{
		"budget":       num(e.Budget),
		"vote_type":    string(e.VoteType),
		"num_projects": strconv.Itoa(len(e.Projects)),
		"num_votes":    strconv.Itoa(len(e.Voters)),
	}
	done := map[string]bool{}
	for _, f := range e.Meta {
		v := f.Value
		if s, ok := set[f.Key]; ok {
			v = s
		}
		done[f.Key] = true
		rows = append(rows, []string{f.Key, v})
	}
	for _, k := range []string{"num_projects", "num_votes", "budget", "vote_type"} {
		if !done[k] {
			rows = append(rows, []string{k, set[k]})
		}
	}
	rows = append(rows, []string{"PROJECTS"}, append([]string{"project_id", "cost", "name"}, e.ProjectColumns...))
	for _, p := range e.Projects {
		if len(p.Fields) != len(e.ProjectColumns) {
			return fmt.Errorf("%w: project %q has %d fields for %d columns", ErrUnsupported, p.ID, len(p.Fields), len(e.ProjectColumns))
		}
		rows = append(rows, append([]string{p.ID, num(p.Cost), p.Name}, p.Fields...))
	}
	head := []string{"voter_id", "vote"}
	points := e.VoteType == pb.Cumulative || e.VoteType == pb.Scoring
	if points {
		head = append(head, "points")
	}
	if err := checkColumns(append(slices.Clone(head), e.VoterColumns...)); err != nil {
		return err
	}
	if err := checkColumns(append([]string{"project_id", "cost", "name"}, e.ProjectColumns...)); err != nil {
		return err
	}
	rows = append(rows, []string{"VOTES"}, append(head, e.VoterColumns...))
	if err := writeRows(cw, rows); err != nil {
		return err
	}
	ids := make([]string, 0, 16)
	var pts []string
	for _, v := range e.Voters {
		if len(v.Fields) != len(e.VoterColumns) {
			return fmt.Errorf("%w: voter %q has %d fields for %d columns", ErrUnsupported, v.ID, len(v.Fields), len(e.VoterColumns))
		}
		ids, pts = ids[:0], pts[:0]
		for i, c := range v.Projects {
			ids = append(ids, e.Projects[c].ID)
			if points {
				pts = append(pts, num(v.Points[i]))
			}
		}
		row := []string{v.ID, strings.Join(ids, ",")}
		if points {
			row = append(row, strings.Join(pts, ","))
		}
		if err := writeRows(cw, [][]string{append(row, v.Fields...)}); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// checkIDs refuses ids and keys the reader would read differently.
func checkIDs(e *pb.Election) error {
	bad := func(s string) bool { return s == "" || strings.TrimSpace(s) != s }
	keys := map[string]bool{}
	for _, f := range e.Meta {
		if bad(f.Key) || keys[f.Key] {
			return fmt.Errorf("%w: META key %q empty, padded or repeated", ErrUnsupported, f.Key)
		}
		keys[f.Key] = true
	}
	for _, p := range e.Projects {
		if bad(p.ID) || strings.Contains(p.ID, ",") {
			return fmt.Errorf("%w: project id %q empty, padded or holding ','", ErrUnsupported, p.ID)
		}
	}
	voters := make(map[string]bool, len(e.Voters))
	for _, v := range e.Voters {
		if bad(v.ID) || voters[v.ID] {
			return fmt.Errorf("%w: voter id %q empty, padded or repeated", ErrUnsupported, v.ID)
		}
		voters[v.ID] = true
	}
	return nil
}

func checkColumns(cols []string) error {
	seen := map[string]bool{}
	for _, c := range cols {
		if strings.TrimSpace(c) != c || c == "" || seen[c] {
			return fmt.Errorf("%w: column %q empty, padded or repeated", ErrUnsupported, c)
		}
		seen[c] = true
	}
	return nil
}

func writeRows(cw *csv.Writer, rows [][]string) error {
	for _, r := range rows {
		for _, f := range r {
			if strings.ContainsAny(f, "\r\n") {
				return fmt.Errorf("%w: line break in field %q", ErrUnsupported, f)
			}
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
