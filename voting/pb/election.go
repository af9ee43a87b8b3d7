package pb

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/civickit/civickit/voting"
)

// VoteType is the kind of ballot of a participatory budget (Pabulib's
// vote_type).
type VoteType string

const (
	// Approval: each voter lists the projects they support.
	Approval VoteType = "approval"
	// Ordinal: each voter lists projects, best first.
	Ordinal VoteType = "ordinal"
	// Cumulative: each voter spreads points over projects.
	Cumulative VoteType = "cumulative"
	// Scoring: each voter scores the projects they list.
	Scoring VoteType = "scoring"
)

// MetaField is one key of an election's META section; the order of the
// file is kept.
type MetaField struct {
	Key, Value string
}

// Project is a project put to the vote.
type Project struct {
	ID   string
	Name string
	// Cost is what funding the project takes from the budget.
	Cost float64
	// Fields are the values of Election.ProjectColumns for this project
	// ("votes", "score", "category", "selected", ...).
	Fields []string
}

// Voter is one voter's ballot.
type Voter struct {
	ID string
	// Projects are indices into Election.Projects; for ordinal ballots,
	// best first.
	Projects []int
	// Points are the points given to Projects[i] (cumulative and scoring
	// ballots); nil for approval and ordinal ballots.
	Points []float64
	// Fields are the values of Election.VoterColumns for this voter.
	Fields []string
}

// Election is a participatory budget: a budget, projects with costs and
// the voters' ballots.
type Election struct {
	Meta     []MetaField
	Budget   float64
	VoteType VoteType
	Projects []Project
	Voters   []Voter
	// ProjectColumns and VoterColumns name the other columns of the
	// PROJECTS and VOTES sections, in the file's order.
	ProjectColumns []string
	VoterColumns   []string
}

// MetaValue returns the META value of key, "" when absent.
func (e *Election) MetaValue(key string) string {
	for _, f := range e.Meta {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// ProjectField returns project p's value in column name, "" when absent.
func (e *Election) ProjectField(p int, name string) string {
	i := slices.Index(e.ProjectColumns, name)
	if i < 0 || i >= len(e.Projects[p].Fields) {
		return ""
	}
	return e.Projects[p].Fields[i]
}

// Selected returns the projects the file marks as funded (column
// "selected" = 1), in file order, and false when the file has no such
// column.
func (e *Election) Selected() ([]int, bool) {
	if !slices.Contains(e.ProjectColumns, "selected") {
		return nil, false
	}
	var out []int
	for p := range e.Projects {
		if v, err := strconv.ParseFloat(e.ProjectField(p, "selected"), 64); err == nil && v >= 1 {
			out = append(out, p)
		}
	}
	return out, true
}

// Validate checks the rules every counted election must meet: a finite
// budget and costs >= 0, ballots naming known projects once each, points
// matching projects. It names the offending project or voter.
func (e *Election) Validate() error {
	if math.IsNaN(e.Budget) || math.IsInf(e.Budget, 0) || e.Budget < 0 {
		return fmt.Errorf("%w: budget %v is not a finite amount >= 0", voting.ErrInvalidProfile, e.Budget)
	}
	switch e.VoteType {
	case Approval, Ordinal, Cumulative, Scoring:
	default:
		return fmt.Errorf("%w: vote type %q (approval, ordinal, cumulative, scoring)", voting.ErrInvalidProfile, e.VoteType)
	}
	ids := make(map[string]bool, len(e.Projects))
	for _, p := range e.Projects {
		if ids[p.ID] {
			return fmt.Errorf("%w: project %q listed twice", voting.ErrInvalidProfile, p.ID)
		}
		ids[p.ID] = true
		if math.IsNaN(p.Cost) || math.IsInf(p.Cost, 0) || p.Cost < 0 {
			return fmt.Errorf("%w: project %q: cost %v is not a finite amount >= 0", voting.ErrInvalidProfile, p.ID, p.Cost)
		}
	}
	seen := make([]int, len(e.Projects))
	for v, voter := range e.Voters {
		for _, p := range voter.Projects {
			if p < 0 || p >= len(e.Projects) {
				return &voting.BallotError{Rule: "unknown_candidate", Detail: fmt.Sprintf("voter %q: project index %d", voter.ID, p)}
			}
			if seen[p] == v+1 {
				return &voting.BallotError{Rule: "duplicate", Detail: fmt.Sprintf("voter %q: project %q twice", voter.ID, e.Projects[p].ID)}
			}
			seen[p] = v + 1
		}
		points := e.VoteType == Cumulative || e.VoteType == Scoring
		if points && len(voter.Points) != len(voter.Projects) {
			return &voting.BallotError{Rule: "count", Detail: fmt.Sprintf("voter %q: %d points for %d projects", voter.ID, len(voter.Points), len(voter.Projects))}
		}
		if !points && voter.Points != nil {
			return &voting.BallotError{Rule: "count", Detail: fmt.Sprintf("voter %q: points on a %s ballot", voter.ID, e.VoteType)}
		}
		for _, x := range voter.Points {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				return &voting.BallotError{Rule: "range", Detail: fmt.Sprintf("voter %q: points %v", voter.ID, x)}
			}
		}
	}
	return nil
}
