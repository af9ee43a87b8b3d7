// Command research-count counts one election file with several voting
// methods and compares their outcomes, as a researcher would:
//
//	go run ./examples/research-count                      # the shipped example file
//	go run ./examples/research-count -file ED-00004.soc   # a PrefLib, BLT, ABIF or CSV file
//	go run ./examples/research-count -methods irv,schulze,copeland
//
// It reads the file with voting/formats (the format is told from the name
// or the content; -format forces one), counts it with each method of
// voting.NewRegistry() named by -methods, prints a table of the winners
// and rankings, then the round-by-round report of the instant runoff.
//
// Without -file it counts testdata/footbridge.blt, a small file of
// invented ballots embedded in the program, on which plurality, the
// instant runoff and the Condorcet methods elect three different sites.
package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
)

//go:embed testdata/footbridge.blt
var footbridge []byte

// defaultMethods are the methods compared unless -methods says otherwise.
const defaultMethods = "plurality,irv,schulze,ranked-pairs,borda,kemeny-young"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run parses args, counts and reports on stdout; it returns the exit
// status: 0 on success, 2 for bad flags, 1 for any other failure.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("research-count", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("file", "", "election file to count (default: the embedded testdata/footbridge.blt)")
	format := fs.String("format", "", "file format: soc, soi, toc, toi, blt, hil, abif or csv (default: detected)")
	methods := fs.String("methods", defaultMethods, "comma-separated methods of voting.NewRegistry() to compare")
	report := fs.String("report", "irv", "method whose full report is printed after the table (\"\" for none)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "research-count: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if err := count(stdout, *file, *format, splitList(*methods), *report); err != nil {
		fmt.Fprintln(stderr, "research-count:", err)
		return 1
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// readElection reads the named file, or the embedded example when name is
// empty, in the given format (detected when empty).
func readElection(name, format string) (*formats.Election, string, formats.Format, error) {
	data, label := footbridge, "testdata/footbridge.blt (embedded)"
	if name != "" {
		var err error
		if data, err = os.ReadFile(name); err != nil {
			return nil, "", 0, err
		}
		label = name
	} else {
		name = "footbridge.blt"
	}
	var f formats.Format
	var err error
	if format != "" {
		f, err = formats.ParseFormat(format)
	} else {
		f, err = formats.Detect(name, data[:min(len(data), 4096)])
	}
	if err != nil {
		return nil, "", 0, err
	}
	e, err := formats.Read(bytes.NewReader(data), f, formats.ReadOptions{})
	if err != nil {
		return nil, "", 0, fmt.Errorf("%s: %w", label, err)
	}
	return e, label, f, nil
}

// count reads the election, runs every method and writes the comparison.
func count(w io.Writer, name, format string, methods []string, report string) error {
	if len(methods) == 0 {
		return errors.New("no method to compare")
	}
	reg := voting.NewRegistry()
	for _, m := range append(slices.Clone(methods), report) {
		if _, err := reg.Lookup(m); m != "" && err != nil {
			return fmt.Errorf("%w (see voting.NewRegistry().Methods())", err)
		}
	}
	e, label, f, err := readElection(name, format)
	if err != nil {
		return err
	}
	if e.Ranked == nil {
		return fmt.Errorf("%s holds cardinal ballots; this example compares methods on ranked ballots", label)
	}
	if e.Seats > 1 {
		// Never count a multi-seat election as if it elected one.
		return fmt.Errorf("%s elects %d seats; this example compares single-winner methods: count it by STV with tally (go run ./cmd/tally %s)", label, e.Seats, label)
	}
	profile := e.Ranked
	if len(e.Withdrawn) > 0 {
		// A BLT file may withdraw candidates: they stay on the ballots as
		// cast, and the count leaves them out.
		var keep []int
		for c := range profile.N() {
			if !slices.Contains(e.Withdrawn, c) {
				keep = append(keep, c)
			}
		}
		if profile, err = profile.Restrict(keep); err != nil {
			return err
		}
	}

	title := e.Title
	if title == "" {
		title = "(untitled)"
	}
	fmt.Fprintf(w, "%s\n", title)
	fmt.Fprintf(w, "file: %s, format %s\n", label, f)
	fmt.Fprintf(w, "%d candidates, %d voters, %d distinct ballots", profile.N(), profile.Voters(), profile.Distinct())
	if len(e.Withdrawn) > 0 {
		fmt.Fprintf(w, " (%d withdrawn candidates left out)", len(e.Withdrawn))
	}
	fmt.Fprintln(w)
	if cw := profile.Pairwise().CondorcetWinner(); cw >= 0 {
		fmt.Fprintf(w, "Condorcet winner: %s\n", profile.Candidates()[cw])
	} else {
		fmt.Fprintln(w, "no Condorcet winner")
	}
	fmt.Fprintln(w)

	results := map[string]*voting.Result{}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "method\telected\tranking, best first (= ties; the method's score in parentheses)")
	winners := map[string]bool{}
	for _, name := range methods {
		m, _ := reg.Lookup(name)
		r, err := m.Run(voting.Input{Ranked: profile}, voting.Options{})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results[name] = r
		elected := names(r.Candidates, r.Elected)
		winners[strings.Join(elected, ", ")] = true
		if r.Tied() {
			elected = append(elected, "(tie broken: "+r.TieBreak+")")
		}
		ranking := "—"
		if len(r.Ranking) > 0 {
			groups := make([]string, len(r.Ranking))
			for i, g := range r.Ranking {
				members := make([]string, len(g))
				for j, c := range g {
					members[j] = r.Candidates[c]
					if c < len(r.Scores) {
						members[j] += " (" + strconv.FormatFloat(r.Scores[c], 'f', -1, 64) + ")"
					}
				}
				groups[i] = strings.Join(members, " = ")
			}
			ranking = strings.Join(groups, " > ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, strings.Join(elected, ", "), ranking)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(winners) == 1 {
		fmt.Fprintf(w, "\nall %d methods agree\n", len(methods))
	} else {
		fmt.Fprintf(w, "\nthe %d methods elect %d different outcomes\n", len(methods), len(winners))
	}

	if report == "" {
		return nil
	}
	r := results[report]
	if r == nil {
		m, _ := reg.Lookup(report)
		if r, err = m.Run(voting.Input{Ranked: profile}, voting.Options{}); err != nil {
			return fmt.Errorf("%s: %w", report, err)
		}
	}
	fmt.Fprintf(w, "\nReport of %s:\n\n", report)
	return r.WriteText(w)
}

// names returns the names of candidates cs.
func names(candidates []string, cs []int) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = candidates[c]
	}
	return out
}
