package formats

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/civickit/civickit/voting"
)

// NIST SP 1500-103 cast vote records (the Common Data Format's JSON
// binding, "CVR.CastVoteRecordReport"), as RCTab reads and writes them:
// the election's candidates and contests, then one CVR per ballot whose
// current snapshot gives, for each contest, the selections with their
// ranks. CDF is read only: the writers of this package do not produce it.

// Overvote says what a ranking does with several candidates at one rank.
type Overvote int

const (
	// OvervoteTie keeps them as candidates ranked equal (a method may
	// then refuse the ballot, as STV does).
	OvervoteTie Overvote = iota
	// OvervoteSkip drops that rank and goes on to the next
	// (RCTab "alwaysSkipToNextRank").
	OvervoteSkip
	// OvervoteExhaust ends the ballot before that rank (RCTab
	// "exhaustImmediately").
	OvervoteExhaust
)

// CDFOptions tune ReadCDF.
type CDFOptions struct {
	// Contest names the contest to read, by its Name or @id; "" reads
	// the only contest of the file (an error names them when several).
	Contest string
	// Overvote is the rule for several candidates at one rank.
	Overvote Overvote
	// MaxSkipped ends a ballot after more than MaxSkipped consecutive
	// unused ranks (RCTab "maxSkippedRanksAllowed"); -1 never does.
	MaxSkipped int
	// Policy is the unranked policy of the profile.
	Policy voting.UnrankedPolicy
}

type cdfReport struct {
	Type     string `json:"@type"`
	Election []struct {
		Candidate []struct {
			ID   string `json:"@id"`
			Name string `json:"Name"`
		} `json:"Candidate"`
		Contest []struct {
			ID               string `json:"@id"`
			Name             string `json:"Name"`
			ContestSelection []struct {
				ID           string   `json:"@id"`
				CandidateIDs []string `json:"CandidateIds"`
			} `json:"ContestSelection"`
		} `json:"Contest"`
	} `json:"Election"`
	CVR []struct {
		CurrentSnapshotID string `json:"CurrentSnapshotId"`
		CVRSnapshot       []struct {
			ID         string `json:"@id"`
			CVRContest []struct {
				ContestID           string `json:"ContestId"`
				CVRContestSelection []struct {
					ContestSelectionID string `json:"ContestSelectionId"`
					SelectionPosition  []struct {
						HasIndication string `json:"HasIndication"`
						NumberVotes   int    `json:"NumberVotes"`
						Rank          int    `json:"Rank"`
					} `json:"SelectionPosition"`
				} `json:"CVRContestSelection"`
			} `json:"CVRContest"`
		} `json:"CVRSnapshot"`
	} `json:"CVR"`
}

// ReadCDF reads one contest of a NIST 1500-103 JSON cast vote record
// report as a ranked election. Faults are *ParseError values (Line 0: a
// JSON document has no meaningful line; Detail names the CVR and field).
func ReadCDF(r io.Reader, o CDFOptions) (*Election, error) {
	var rep cdfReport
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rep); err != nil {
		return nil, parseErr(0, "not a CDF JSON report", excerpt(err.Error()))
	}
	if rep.Type != "" && rep.Type != "CVR.CastVoteRecordReport" {
		return nil, parseErr(0, "not a cast vote record report", "@type "+excerpt(rep.Type))
	}
	names := map[string]string{}
	type contest struct {
		id, name   string
		selections map[string]int // selection @id -> candidate index
		candidates []string
	}
	var contests []contest
	for _, el := range rep.Election {
		for _, c := range el.Candidate {
			names[c.ID] = c.Name
		}
	}
	for _, el := range rep.Election {
		for _, c := range el.Contest {
			ct := contest{id: c.ID, name: c.Name, selections: map[string]int{}}
			seen := map[string]int{}
			for _, s := range c.ContestSelection {
				if len(s.CandidateIDs) != 1 {
					return nil, parseErr(0, "contest selection without one candidate", fmt.Sprintf("contest %s, selection %s: %d candidates", excerpt(c.ID), excerpt(s.ID), len(s.CandidateIDs)))
				}
				name, ok := names[s.CandidateIDs[0]]
				if !ok {
					return nil, parseErr(0, "unknown candidate", fmt.Sprintf("contest %s, selection %s: %s", excerpt(c.ID), excerpt(s.ID), excerpt(s.CandidateIDs[0])))
				}
				if _, dup := ct.selections[s.ID]; dup {
					return nil, parseErr(0, "duplicate contest selection", excerpt(s.ID))
				}
				idx, known := seen[name]
				if !known {
					if err := checkName(map[string]int{}, name, 0); err != nil {
						return nil, err
					}
					idx = len(ct.candidates)
					seen[name] = idx
					ct.candidates = append(ct.candidates, name)
				}
				ct.selections[s.ID] = idx
			}
			contests = append(contests, ct)
		}
	}
	var ct *contest
	var all []string
	for i := range contests {
		all = append(all, contests[i].name)
		if o.Contest == "" && len(contests) == 1 || o.Contest != "" && (contests[i].name == o.Contest || contests[i].id == o.Contest) {
			ct = &contests[i]
		}
	}
	switch {
	case len(contests) == 0:
		return nil, parseErr(0, "no contest in the report", "")
	case ct == nil && o.Contest == "":
		return nil, parseErr(0, "several contests: name one", strings.Join(all, ", "))
	case ct == nil:
		return nil, parseErr(0, "no such contest", fmt.Sprintf("%s (contests: %s)", excerpt(o.Contest), strings.Join(all, ", ")))
	case len(ct.candidates) > voting.MaxCandidates:
		return nil, tooManyCandidates(0, len(ct.candidates))
	}
	p, err := voting.NewProfile(ct.candidates, o.Policy)
	if err != nil {
		return nil, parseErr(0, "bad candidates", err.Error())
	}
	var marks []cdfMark
	for i, cvr := range rep.CVR {
		snap := -1
		for k, s := range cvr.CVRSnapshot {
			if s.ID == cvr.CurrentSnapshotID || snap < 0 && cvr.CurrentSnapshotID == "" {
				snap = k
			}
		}
		if snap < 0 {
			return nil, parseErr(0, "CVR without its current snapshot", fmt.Sprintf("CVR %d: CurrentSnapshotId %s", i+1, excerpt(cvr.CurrentSnapshotID)))
		}
		marks = marks[:0]
		inContest := false
		for _, cc := range cvr.CVRSnapshot[snap].CVRContest {
			if cc.ContestID != ct.id {
				continue
			}
			inContest = true
			for _, sel := range cc.CVRContestSelection {
				cand, ok := ct.selections[sel.ContestSelectionID]
				if !ok {
					return nil, parseErr(0, "unknown contest selection", fmt.Sprintf("CVR %d: %s", i+1, excerpt(sel.ContestSelectionID)))
				}
				for _, pos := range sel.SelectionPosition {
					if pos.HasIndication == "no" || pos.NumberVotes == 0 {
						continue
					}
					if pos.Rank < 1 {
						return nil, parseErr(0, "rank not a positive integer", fmt.Sprintf("CVR %d: rank %d", i+1, pos.Rank))
					}
					marks = append(marks, cdfMark{pos.Rank, cand})
				}
			}
		}
		if !inContest {
			continue // the ballot did not carry this contest
		}
		if err := p.Add(rankingOf(marks, o), 1); err != nil {
			return nil, parseErr(0, "invalid ballot", fmt.Sprintf("CVR %d: %v", i+1, err))
		}
	}
	if p.Voters() == 0 {
		return nil, parseErr(0, "no ballot for the contest", excerpt(ct.name))
	}
	return &Election{Title: ct.name, Candidates: ct.candidates, Ranked: p}, nil
}

// cdfMark is a candidate marked at a rank.
type cdfMark struct{ rank, cand int }

// rankingOf turns (rank, candidate) marks into a ranking: ranks in
// order, a candidate's repeated marks after its first ignored, skipped
// ranks closed up (or ending the ballot past o.MaxSkipped), overvotes by
// o.Overvote.
func rankingOf(marks []cdfMark, o CDFOptions) voting.Ranking {
	slices.SortStableFunc(marks, func(a, b cdfMark) int { return a.rank - b.rank })
	var r voting.Ranking
	used := map[int]bool{}
	last := 0
	for i := 0; i < len(marks); {
		j := i
		var group []int
		for ; j < len(marks) && marks[j].rank == marks[i].rank; j++ {
			if c := marks[j].cand; !used[c] && !slices.Contains(group, c) {
				group = append(group, c)
			}
		}
		rank := marks[i].rank
		i = j
		if o.MaxSkipped >= 0 && rank-last-1 > o.MaxSkipped {
			break
		}
		last = rank
		if len(group) == 0 {
			continue
		}
		if len(group) > 1 {
			switch o.Overvote {
			case OvervoteSkip:
				continue
			case OvervoteExhaust:
				return r
			}
		}
		for _, c := range group {
			used[c] = true
		}
		slices.Sort(group)
		r = append(r, group)
	}
	return r
}
