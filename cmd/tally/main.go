// Command tally counts an election file with the methods of package
// voting, for researchers.
//
//	tally -list
//	tally [-method NAME] [-variant V] [-tie POLICY] [-seed N] [-json] [-svg FILE] FILE
//	tally -compare NAME,NAME,... [-json] FILE
//	tally verify [-head HASH] [-tracker TRACKER]... [-json] BOARD
//
// The file's format (PrefLib soc/soi/toc/toi/cat, BLT, HIL, ABIF, CSV) is
// told from its extension or content, or given with -format. Exit status:
// 0 on success, 2 with a one-line message for an unreadable file, an
// unknown method or an invalid option.
//
// tally verify recomputes a board exported by a ballot box (package
// voting/ballotbox): its hash chain from the election's genesis, the
// published head and entry count, every ballot, the tally and each
// question's result. It prints a summary and exits 0 when the board
// verifies; when it does not, it names the first changed, deleted,
// inserted or reordered entry by index, with the reason, and exits 1.
// -tracker looks a receipt up on the board (exit 1 when it is missing).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/formats"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake of the caller: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

type options struct {
	list     bool
	method   string
	compare  string
	variant  string
	tie      string
	seed     uint64
	format   string
	policy   string
	weights  string
	asJSON   bool
	svg      string
	filename string
}

func run(args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 && args[0] == "verify" {
		err = verifyBoard(args[1:], stdout, stderr)
	} else {
		err = tally(args, stdout, stderr)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "tally:", oneLine(err.Error()))
	if errors.Is(err, ballotbox.ErrTampered) {
		return 1
	}
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, voting.ErrUnknownMethod) || errors.Is(err, voting.ErrInvalidOption) ||
		errors.Is(err, voting.ErrWrongBallots) || errors.Is(err, formats.ErrParse) || errors.Is(err, os.ErrNotExist) {
		return 2
	}
	return 1
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("tally", flag.ContinueOnError)
	// A mistake gets one line; the full usage only when asked with -h.
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.list, "list", false, "list every method with a one-line description")
	fs.StringVar(&o.method, "method", "schulze", "method to count with (see -list)")
	fs.StringVar(&o.compare, "compare", "", "comma-separated methods to run side by side")
	fs.StringVar(&o.variant, "variant", "", "method variant (see -list)")
	fs.StringVar(&o.tie, "tie", "candidate-order", "tie policy: candidate-order, lot, forward, backward, backward-lot")
	fs.Uint64Var(&o.seed, "seed", 0, "published seed of the lot (with -tie lot or backward-lot)")
	fs.StringVar(&o.format, "format", "", "file format: soc, soi, toc, toi, cat, blt, hil, abif, csv (default: detect)")
	fs.StringVar(&o.policy, "unranked", "last", "unranked candidates: last (tied below the ranked) or skip")
	fs.StringVar(&o.weights, "weights", "", "comma-separated scores of ranks 1, 2, … for -method positional")
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	fs.StringVar(&o.svg, "svg", "", "also write an SVG chart of the result to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: tally -list | tally [flags] FILE | tally -compare NAME,NAME,... FILE | tally verify [flags] BOARD")
			fs.PrintDefaults()
			return o, usagef("see the usage above")
		}
		return o, usageError{err.Error()}
	}
	switch {
	case o.list && fs.NArg() == 0:
	case fs.NArg() == 1:
		o.filename = fs.Arg(0)
	default:
		return o, usagef("want one election file (or -list), got %d arguments", fs.NArg())
	}
	return o, nil
}

func tiePolicy(o options) (voting.TiePolicy, error) {
	switch o.tie {
	case "candidate-order":
		return voting.CandidateOrder(), nil
	case "lot":
		return voting.Lot(o.seed), nil
	case "forward":
		return voting.Forward(), nil
	case "backward":
		return voting.Backward(), nil
	case "backward-lot":
		return voting.Chain(voting.Backward(), voting.Lot(o.seed)), nil
	}
	return nil, usagef("unknown tie policy %q (candidate-order, lot, forward, backward, backward-lot)", o.tie)
}

func tally(args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	reg := voting.NewRegistry()
	if o.list {
		return list(stdout, reg)
	}
	names := []string{o.method}
	if o.compare != "" {
		names = strings.Split(o.compare, ",")
	}
	var methods []voting.Method
	for _, n := range names {
		m, err := reg.Lookup(strings.TrimSpace(n))
		if err != nil {
			return err
		}
		methods = append(methods, m)
	}
	tie, err := tiePolicy(o)
	if err != nil {
		return err
	}
	opts := voting.Options{Variant: o.variant, Tie: tie}
	if o.weights != "" {
		for _, w := range strings.Split(o.weights, ",") {
			var f float64
			if _, err := fmt.Sscan(strings.TrimSpace(w), &f); err != nil {
				return usagef("-weights: %q is not a number", w)
			}
			opts.Weights = append(opts.Weights, f)
		}
	}
	in, err := readElection(o)
	if err != nil {
		return err
	}
	var results []*voting.Result
	for _, m := range methods {
		mo := opts
		if len(methods) > 1 && mo.Variant != "" && !slices.Contains(m.Variants, mo.Variant) {
			mo.Variant = "" // -variant applies to the methods that have it
		}
		r, err := m.Run(in, mo)
		if err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
		results = append(results, r)
	}
	if o.svg != "" {
		if err := writeSVG(o.svg, results[0]); err != nil {
			return err
		}
	}
	return output(stdout, o, results)
}

// readElection reads the file and builds the method input; candidates the
// file withdraws are removed before the count.
func readElection(o options) (voting.Input, error) {
	f, err := os.Open(o.filename)
	if err != nil {
		return voting.Input{}, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var format formats.Format
	if o.format != "" {
		if format, err = formats.ParseFormat(o.format); err != nil {
			return voting.Input{}, usageError{err.Error()}
		}
	} else {
		head, _ := br.Peek(8192)
		if format, err = formats.Detect(o.filename, head); err != nil {
			return voting.Input{}, usagef("%s: cannot tell the format (use -format): %v", o.filename, err)
		}
	}
	policy := voting.UnrankedLast
	switch o.policy {
	case "last":
	case "skip":
		policy = voting.UnrankedSkip
	default:
		return voting.Input{}, usagef("-unranked: want last or skip, not %q", o.policy)
	}
	e, err := formats.Read(br, format, formats.ReadOptions{Policy: policy})
	if err != nil {
		return voting.Input{}, fmt.Errorf("%s: %w", o.filename, err)
	}
	in := voting.Input{Ranked: e.Ranked, Cardinal: e.Cardinal}
	if len(e.Withdrawn) > 0 && e.Ranked != nil {
		var keep []int
		for c := range e.Ranked.N() {
			if !slices.Contains(e.Withdrawn, c) {
				keep = append(keep, c)
			}
		}
		if in.Ranked, err = e.Ranked.Restrict(keep); err != nil {
			return voting.Input{}, err
		}
	}
	return in, nil
}

func list(w io.Writer, reg *voting.Registry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range reg.Methods() {
		desc, _, _ := strings.Cut(m.Description, ". ")
		desc = strings.TrimSuffix(desc, ".")
		variants := ""
		if len(m.Variants) > 0 {
			variants = " [" + strings.Join(m.Variants, "|") + "]"
		}
		fmt.Fprintf(tw, "%s%s\t%s ballots\t%s.\n", m.Name, variants, m.Ballots, desc)
	}
	return tw.Flush()
}

func output(w io.Writer, o options, results []*voting.Result) error {
	if o.asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if len(results) == 1 {
			return enc.Encode(results[0].Named())
		}
		named := make([]voting.NamedResult, len(results))
		for i, r := range results {
			named[i] = r.Named()
		}
		return enc.Encode(named)
	}
	if len(results) == 1 {
		return results[0].WriteText(w)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "method\twinners\telected\tranking")
	for _, r := range results {
		n := r.Named()
		method := n.Method
		if n.Variant != "" {
			method += " (" + n.Variant + ")"
		}
		ranking := "—"
		if len(n.Ranking) > 0 {
			var parts []string
			for _, g := range n.Ranking {
				parts = append(parts, strings.Join(g, " = "))
			}
			ranking = strings.Join(parts, " > ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", method, strings.Join(n.Winners, ", "), strings.Join(n.Elected, ", "), ranking)
	}
	return tw.Flush()
}

func writeSVG(path string, r *voting.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := r.WriteSVG(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
