// Command tally counts an election file with the methods of package
// voting, for researchers.
//
//	tally -list
//	tally [-method NAME] [-variant V] [-seats N] [-param NAME=VALUE]... [-tie POLICY] [-seed N] [-json] [-svg FILE] FILE
//	tally -compare NAME,NAME,... [-json] FILE   (NAME may be METHOD:VARIANT, e.g. stv:meek)
//	tally verify [-head HASH] [-tracker TRACKER]... [-json] BOARD
//	tally gen -culture NAME -m M -n N [-seed S] [-format F] [-o FILE] ...
//	tally axioms -methods NAME,... [-culture NAME -m M -n N -profiles K -seed S]
//	tally apportion -method NAME -seats N [-threshold SHARE] [-exempt P,...] [-json] VOTES.csv
//
// The file's format (PrefLib soc/soi/toc/toi/cat, BLT, HIL, ABIF, CSV,
// NIST 1500-103 JSON cast vote records "cdf", Pabulib .pb) is told from
// its extension or content, or given with -format. A Pabulib file is
// counted with the participatory-budgeting rules (-method
// greedy|greedy-ratio|max-utility|mes|phragmen, -variant for the MES
// completion, -utility, -budget); committee rules count approval ballots
// with -seats N (or -param seats=N). Exit status:
// 0 on success, 2 with a one-line message for an unreadable file, an
// unknown method or an invalid option. With -compare, a method that does
// not apply to the ballots gets its reason in its row and the others are
// counted; the status is that of the first failure only when none counts.
// -tie lot (or backward-lot) without -seed draws a seed and prints it on
// standard error, so that the count can be repeated.
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
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/formats"
	"github.com/civickit/civickit/voting/stv"
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
	seedSet  bool
	params   map[string]float64
	format   string
	policy   string
	weights  string
	asJSON   bool
	seats    int    // -seats: 0 = the file's
	methodOK bool   // -method was given
	tieSet   bool   // -tie was given
	skipped  int    // -max-skipped, for cast vote records
	contest  string // -contest, for cast vote records
	rctab    bool   // -rctab: print an STV count in RCTab's JSON shape
	report   *stv.Report
	svg      string
	filename string
	// Participatory budgets (budget.go).
	budget  float64
	utility string
}

func run(args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 && args[0] == "verify" {
		err = verifyBoard(args[1:], stdout, stderr)
	} else if len(args) > 0 && args[0] == "gen" {
		err = generateFile(args[1:], stdout)
	} else if len(args) > 0 && args[0] == "axioms" {
		err = axiomTable(args[1:], stdout)
	} else if len(args) > 0 && args[0] == "apportion" {
		err = apportionSeats(args[1:], stdout, stderr)
	} else {
		err = tally(args, stdout, stderr)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "tally:", oneLine(err.Error()))
	return exitStatus(err)
}

// exitStatus is 1 for a tampered board, 2 for a mistake of the caller or
// an input that cannot be counted as asked, 1 otherwise.
func exitStatus(err error) int {
	if errors.Is(err, ballotbox.ErrTampered) {
		return 1
	}
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, voting.ErrUnknownMethod) || errors.Is(err, voting.ErrInvalidOption) ||
		errors.Is(err, voting.ErrWrongBallots) || errors.Is(err, voting.ErrTooLarge) || errors.Is(err, formats.ErrParse) || errors.Is(err, os.ErrNotExist) {
		return 2
	}
	return 1
}

// oneLine folds a message onto one line of at most maxMessage bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// maxMessage bounds an error line: a garbage file gets a short message.
const maxMessage = 300

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
	fs.StringVar(&o.format, "format", "", "file format: soc, soi, toc, toi, cat, blt, hil, abif, csv, cdf (default: detect)")
	fs.StringVar(&o.policy, "unranked", "last", "unranked candidates: last (tied below the ranked) or skip")
	fs.StringVar(&o.weights, "weights", "", "comma-separated scores of ranks 1, 2, … for -method positional")
	fs.Func("param", "method parameter NAME=VALUE, repeatable (see -list; e.g. -param max_work=1e9)", func(v string) error {
		name, value, ok := strings.Cut(v, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return fmt.Errorf("want NAME=VALUE, not %q", v)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return fmt.Errorf("%s: %q is not a number", name, value)
		}
		if o.params == nil {
			o.params = map[string]float64{}
		}
		o.params[name] = f
		return nil
	})
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	fs.StringVar(&o.contest, "contest", "", "cast vote records (cdf): the contest to count, by name or id (default: the only one)")
	fs.IntVar(&o.skipped, "max-skipped", 1, "cast vote records (cdf): a ballot ends after more consecutive skipped ranks than this (-1: never)")
	fs.BoolVar(&o.rctab, "rctab", false, "with -method stv: print RCTab's JSON result shape (detailed report) instead")
	fs.IntVar(&o.seats, "seats", 0, "seats to fill (default: the file's, e.g. a BLT header; 1 when it says none)")
	fs.Float64Var(&o.budget, "budget", 0, "participatory budget (.pb): replace the file's budget by this amount")
	fs.StringVar(&o.utility, "utility", "", "participatory budget (.pb): voters' utility, approval, cost or points")
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
	fs.Visit(func(f *flag.Flag) {
		o.seedSet = o.seedSet || f.Name == "seed"
		o.methodOK = o.methodOK || f.Name == "method"
		o.tieSet = o.tieSet || f.Name == "tie"
	})
	switch {
	case o.list && fs.NArg() == 0:
	case fs.NArg() == 1:
		o.filename = fs.Arg(0)
	default:
		return o, usagef("want one election file (or -list), got %d arguments", fs.NArg())
	}
	return o, nil
}

// tiePolicy returns the policy the flags name. A lot without -seed draws
// its seed, printed on stderr: a count decided by lot must be repeatable.
func tiePolicy(o *options, stderr io.Writer) (voting.TiePolicy, error) {
	if (o.tie == "lot" || o.tie == "backward-lot") && !o.seedSet {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		o.seed, o.seedSet = binary.LittleEndian.Uint64(b[:]), true
		fmt.Fprintf(stderr, "tally: -tie %s without -seed: drew seed %d (pass -seed %d to repeat this count)\n", o.tie, o.seed, o.seed)
	}
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
	reg := newRegistry()
	if o.list {
		if err := list(stdout, reg); err != nil {
			return err
		}
		return listPresets(stdout)
	}
	if isPabulib(o) {
		return countBudget(o, stdout, stderr)
	}
	names := []string{o.method}
	if o.compare != "" {
		names = strings.Split(o.compare, ",")
	}
	var methods []voting.Method
	for _, n := range names {
		m, err := lookupMethod(reg, strings.TrimSpace(n))
		if err != nil {
			return err
		}
		methods = append(methods, m)
	}
	tie, err := tiePolicy(&o, stderr)
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
	in, fileSeats, err := readElection(o)
	if err != nil {
		return err
	}
	if methods, err = applySeats(&o, fileSeats, methods, reg, stderr); err != nil {
		return err
	}
	results := make([]counted, len(methods))
	var firstErr error
	for i, m := range methods {
		mo := opts
		if len(methods) > 1 && mo.Variant != "" && !slices.Contains(m.Variants, mo.Variant) {
			mo.Variant = "" // -variant applies to the methods that have it
		}
		if len(methods) > 1 {
			mo.Params = nil // -param, like -variant, applies to the methods that take it
			for k, v := range o.params {
				if _, ok := m.Params[k]; ok {
					if mo.Params == nil {
						mo.Params = map[string]float64{}
					}
					mo.Params[k] = v
				}
			}
		} else {
			mo.Params = o.params
		}
		r, err := m.Run(in, mo)
		results[i] = counted{method: m.Name, result: r}
		if err != nil {
			err = fmt.Errorf("%s: %w", m.Name, err)
			results[i].err = err
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	// One method: its failure is the command's. Several: the others are
	// still worth reading, unless none could count.
	if firstErr != nil && (len(methods) == 1 || !slices.ContainsFunc(results, func(c counted) bool { return c.err == nil })) {
		return firstErr
	}
	if o.svg != "" {
		for _, c := range results {
			if c.err == nil {
				if err := writeSVG(o.svg, c.result); err != nil {
					return err
				}
				break
			}
		}
	}
	return output(stdout, o, results)
}

// counted is one method's result, or why it could not count.
type counted struct {
	method string
	result *voting.Result
	err    error
}

// notCounted is the JSON row of a method that could not count.
type notCounted struct {
	Method string `json:"method"`
	Error  string `json:"error"`
}

// readElection reads the file and builds the method input; candidates the
// file withdraws are removed before the count.
// It also returns the seats the file says (0 when it says none).
func readElection(o options) (voting.Input, int, error) {
	if in, ok, err := readCDF(o); ok || err != nil {
		return in, 0, err
	}
	f, err := os.Open(o.filename)
	if err != nil {
		return voting.Input{}, 0, err
	}
	defer f.Close()
	// The readers of voting/formats buffer 256 KiB; a buffer as large
	// here is reused by them instead of copied through a second one.
	br := bufio.NewReaderSize(f, 256<<10)
	var format formats.Format
	if o.format != "" {
		if format, err = formats.ParseFormat(o.format); err != nil {
			return voting.Input{}, 0, usageError{err.Error()}
		}
	} else {
		head, _ := br.Peek(8192)
		if format, err = formats.Detect(o.filename, head); err != nil {
			return voting.Input{}, 0, usagef("%s: cannot tell the format (use -format): %v", o.filename, err)
		}
	}
	policy := voting.UnrankedLast
	switch o.policy {
	case "last":
	case "skip":
		policy = voting.UnrankedSkip
	default:
		return voting.Input{}, 0, usagef("-unranked: want last or skip, not %q", o.policy)
	}
	e, err := formats.Read(br, format, formats.ReadOptions{Policy: policy})
	if err != nil {
		return voting.Input{}, 0, fmt.Errorf("%s: %w", o.filename, err)
	}
	// The reader's lookup tables are garbage now; hand their pages back
	// before the count allocates its own, so that the process's peak
	// memory is the larger of the two phases, not their sum.
	debug.FreeOSMemory()
	in := voting.Input{Ranked: e.Ranked, Cardinal: e.Cardinal}
	if len(e.Withdrawn) > 0 && e.Ranked != nil {
		var keep []int
		for c := range e.Ranked.N() {
			if !slices.Contains(e.Withdrawn, c) {
				keep = append(keep, c)
			}
		}
		if in.Ranked, err = e.Ranked.Restrict(keep); err != nil {
			return voting.Input{}, 0, err
		}
	}
	return in, e.Seats, nil
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
		params := ""
		if len(m.Params) > 0 {
			keys := slices.Sorted(maps.Keys(m.Params))
			params = " Parameters (-param): " + strings.Join(keys, ", ") + "."
		}
		fmt.Fprintf(tw, "%s%s\t%s ballots\t%s.%s\n", m.Name, variants, m.Ballots, desc, params)
	}
	listBudgetRules(tw)
	return tw.Flush()
}

func output(w io.Writer, o options, results []counted) error {
	if o.rctab {
		return writeRCTab(w, o)
	}
	if o.asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if len(results) == 1 {
			return enc.Encode(results[0].result.Named())
		}
		rows := make([]any, len(results))
		for i, c := range results {
			if c.err != nil {
				rows[i] = notCounted{Method: c.method, Error: oneLine(c.err.Error())}
			} else {
				rows[i] = c.result.Named()
			}
		}
		return enc.Encode(rows)
	}
	if len(results) == 1 {
		return results[0].result.WriteText(w)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "method\twinners\telected\tranking")
	for _, c := range results {
		if c.err != nil {
			fmt.Fprintf(tw, "%s\t—\t—\tnot counted: %s\n", c.method, oneLine(c.err.Error()))
			continue
		}
		n := c.result.Named()
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
