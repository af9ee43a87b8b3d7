package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

// verifyBoard runs `tally verify [-head HASH] [-tracker T]... [-json] FILE`: it recomputes
// an exported ballot-box board (chain, head, entry count, every ballot,
// the tally and each question's result). A board that does not verify is
// reported by the index of its first bad entry and the reason (exit 1).
func verifyBoard(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tally verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	head := fs.String("head", "", "a head published elsewhere: the board must pass through it")
	asJSON := fs.Bool("json", false, "print the verdict, counts and results as JSON")
	var trackers []string
	fs.Func("tracker", "a receipt to look up on the board (repeatable): where it is, whether it counts", func(s string) error {
		if s == "" {
			return errors.New("empty tracker")
		}
		trackers = append(trackers, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: tally verify [-head HASH] [-tracker TRACKER]... [-json] FILE")
			fs.PrintDefaults()
			return usagef("see the usage above")
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("verify: want one board file, got %d arguments", fs.NArg())
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := ballotbox.VerifyWith(bufio.NewReaderSize(f, 1<<16), ballotbox.VerifyOptions{Registry: voting.NewRegistry(), Head: *head, Trackers: trackers})
	if rep == nil { // an unreadable header: not a board
		return usagef("%s: not a board file: %v", name, err)
	}
	if *asJSON {
		if jerr := writeVerifyJSON(stdout, rep); jerr != nil {
			return jerr
		}
	} else if err == nil {
		if werr := writeVerifyText(stdout, name, rep); werr != nil {
			return werr
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, tr := range trackers {
		if !rep.Trackers[tr].Found {
			return fmt.Errorf("%s: tracker %q is not on the board", name, tr)
		}
	}
	return nil
}

func writeVerifyText(w io.Writer, name string, rep *ballotbox.VerifyReport) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "board\t%s verifies\n", name)
	fmt.Fprintf(tw, "election\t%s %s\n", rep.Election.ID, rep.Election.Title)
	if rep.ClosedAt != nil {
		fmt.Fprintf(tw, "closed\t%s, early (published close %s)\n", rep.ClosedAt.UTC().Format(time.RFC3339),
			rep.Election.Closes.UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(tw, "head\t%s\n", rep.Head)
	fmt.Fprintf(tw, "entries\t%d\n", rep.Entries)
	fmt.Fprintf(tw, "ballots\t%d (%d replaced)\n", rep.Ballots, rep.Replaced)
	fmt.Fprintf(tw, "counted\t%d\n", rep.Counted)
	for _, tr := range slices.Sorted(maps.Keys(rep.Trackers)) {
		st := rep.Trackers[tr]
		switch {
		case !st.Found:
			fmt.Fprintf(tw, "tracker %s\tnot on the board\n", tr)
		case st.ReplacedBy != "":
			fmt.Fprintf(tw, "tracker %s\tentry %d, replaced by %s\n", tr, st.Index, st.ReplacedBy)
		case st.Counted:
			fmt.Fprintf(tw, "tracker %s\tentry %d, counted: %s\n", tr, st.Index, st.Ballot)
		default:
			fmt.Fprintf(tw, "tracker %s\tentry %d, voids another entry\n", tr, st.Index)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, qr := range rep.Results {
		q := rep.Election.Questions[i]
		if qr.Err != nil {
			fmt.Fprintf(w, "%s (%s): not counted: %s\n", qr.Question, q.Method, oneLine(qr.Err.Error()))
			continue
		}
		fmt.Fprintf(w, "%s (%s): %s\n", qr.Question, q.Method, summary(qr.Result.Named()))
	}
	return nil
}

// summary is one line of a result: the elected, the ranking if any.
func summary(n voting.NamedResult) string {
	s := "elected " + strings.Join(n.Elected, ", ")
	if n.Tied {
		s += " (tie broken by " + n.TieBreak + ")"
	}
	if len(n.Ranking) > 0 {
		parts := make([]string, len(n.Ranking))
		for i, g := range n.Ranking {
			parts[i] = strings.Join(g, " = ")
		}
		s += "; ranking " + strings.Join(parts, " > ")
	}
	return s + fmt.Sprintf("; %d ballots", n.Ballots)
}

type verifyJSON struct {
	Verifies  bool                               `json:"verifies"`
	Election  string                             `json:"election"`
	Title     string                             `json:"title"`
	ClosedAt  *time.Time                         `json:"closed_at,omitempty"`
	Genesis   string                             `json:"genesis"`
	Head      string                             `json:"head"`
	Published string                             `json:"published"`
	Entries   int64                              `json:"entries"`
	Ballots   int64                              `json:"ballots"`
	Replaced  int64                              `json:"replaced"`
	Counted   int64                              `json:"counted"`
	Results   map[string]*voting.NamedResult     `json:"results,omitempty"`
	Errors    map[string]string                  `json:"errors,omitempty"`
	Trackers  map[string]ballotbox.TrackerStatus `json:"trackers,omitempty"`
	Problem   *problemJSON                       `json:"problem,omitempty"`
}

type problemJSON struct {
	Kind   ballotbox.TamperKind `json:"kind"`
	Index  int64                `json:"index"`
	Line   int                  `json:"line,omitempty"`
	Detail string               `json:"detail"`
	Cause  string               `json:"cause,omitempty"`
}

func writeVerifyJSON(w io.Writer, rep *ballotbox.VerifyReport) error {
	out := verifyJSON{Verifies: rep.Problem == nil, Election: rep.Election.ID.String(), Title: rep.Election.Title, ClosedAt: rep.ClosedAt,
		Genesis: rep.Genesis, Head: rep.Head, Published: rep.Published, Entries: rep.Entries, Ballots: rep.Ballots,
		Replaced: rep.Replaced, Counted: rep.Counted, Trackers: rep.Trackers}
	if p := rep.Problem; p != nil {
		out.Problem = &problemJSON{Kind: p.Kind, Index: p.Index, Line: p.Line, Detail: p.Detail}
		if p.Err != nil {
			out.Problem.Cause = p.Err.Error()
		}
	}
	for _, qr := range rep.Results {
		if qr.Err != nil {
			if out.Errors == nil {
				out.Errors = map[string]string{}
			}
			out.Errors[qr.Question] = qr.Err.Error()
			continue
		}
		if out.Results == nil {
			out.Results = map[string]*voting.NamedResult{}
		}
		n := qr.Result.Named()
		out.Results[qr.Question] = &n
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
