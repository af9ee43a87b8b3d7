// Command panel answers, for researchers and organisers, who answered a
// consultation and who is drawn for a citizens' panel (package
// participation/panel).
//
//	panel select -categories FILE -respondents FILE -k N [-algorithm leximin|maximin|nash|legacy]
//	             [-id COLUMN] [-households COL,COL] [-seed TEXT] [-alternates N] [-json]
//	panel draw   -categories FILE -respondents FILE -k N -seed TEXT [...] [-o MANIFEST]
//	panel verify MANIFEST RESPONDENTS
//	panel represent -census FILE -respondents FILE [-svg FILE] [-json]
//	panel rake -census FILE -respondents FILE [-cap X] [-floor X] [-o WEIGHTS.csv]
//
// select and draw read the Sortition Foundation's CSV layout (a
// categories table: category, name, min, max — or feature, value — and a
// respondents table with an id column and one column per category).
// select prints everyone's selection probability and, with -seed, one
// draw. draw writes the manifest of a draw; verify re-runs it on the
// respondents file and exits 0 when it gives the same panel, 1 when it
// does not (naming the first difference). represent compares
// respondents (one column per census category, optional channel and
// recruitment columns) with a census table (category, value, count or
// share; commas or INSEE's semicolons); rake weights them to it.
// Exit status 2 with a one-line message for unreadable input or a bad
// option.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/civickit/civickit/participation/panel"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a mistake of the caller: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// mismatch is a manifest that does not verify: exit status 1.
type mismatch struct{ error }

const usage = "usage: panel select|draw|verify|represent|rake ... (see go doc ./cmd/panel)"

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "select":
		err = selectCmd(args[1:], stdout, false)
	case "draw":
		err = selectCmd(args[1:], stdout, true)
	case "verify":
		err = verifyCmd(args[1:], stdout)
	case "represent":
		err = representCmd(args[1:], stdout)
	case "rake":
		err = rakeCmd(args[1:], stdout)
	default:
		err = usagef("unknown command %q; %s", args[0], usage)
	}
	if err == nil {
		return 0
	}
	msg := strings.TrimPrefix(strings.Join(strings.Fields(err.Error()), " "), "panel: ")
	fmt.Fprintln(stderr, "panel:", msg)
	var mm mismatch
	if errors.As(err, &mm) {
		return 1
	}
	return 2
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}

func open(path, what string) (*os.File, error) {
	if path == "" {
		return nil, usagef("-%s is required", what)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("%s: %v", what, err)
	}
	return f, nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func selectCmd(args []string, w io.Writer, manifest bool) error {
	name := "select"
	if manifest {
		name = "draw"
	}
	fs := newFlags(name)
	cats := fs.String("categories", "", "categories CSV")
	resp := fs.String("respondents", "", "respondents CSV")
	k := fs.Int("k", 0, "panel size")
	alg := fs.String("algorithm", "leximin", "leximin, maximin, nash or legacy")
	idCol := fs.String("id", "", "identifier column")
	homes := fs.String("households", "", "comma-separated address columns: one person per household")
	seed := fs.String("seed", "", "published seed of the draw")
	alternates := fs.Int("alternates", 0, "alternates to draw")
	runs := fs.Int("legacy-runs", 10000, "greedy draws estimating legacy's probabilities")
	asJSON := fs.Bool("json", false, "JSON output")
	out := fs.String("o", "", "manifest file (draw; default standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *k < 1 {
		return usagef("-k must be a panel size of at least 1")
	}
	if manifest && *seed == "" {
		return usagef("draw needs -seed")
	}
	cf, err := open(*cats, "categories")
	if err != nil {
		return err
	}
	defer cf.Close()
	rf, err := open(*resp, "respondents")
	if err != nil {
		return err
	}
	defer rf.Close()
	fopts := panel.FoundationOptions{K: *k, IDColumn: *idCol, HouseholdColumns: splitList(*homes)}
	in, err := panel.ReadFoundationCSV(cf, rf, fopts)
	if err != nil {
		return err
	}
	opts := panel.SelectOptions{Algorithm: panel.Algorithm(*alg), LegacyRuns: *runs}
	if manifest {
		m, _, err := panel.DrawManifest(in, opts, *seed, *alternates)
		if err != nil {
			return err
		}
		m.IDColumn, m.HouseholdColumns = *idCol, fopts.HouseholdColumns
		data, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		data = append(data, '\n')
		if *out == "" {
			_, err = w.Write(data)
			return err
		}
		return os.WriteFile(*out, data, 0o644)
	}
	d, err := panel.Select(in, opts)
	if err != nil {
		return err
	}
	var sel *panel.Selection
	if *seed != "" {
		s, err := panel.Draw(in, d, *seed, *alternates)
		if err != nil {
			return err
		}
		sel = &s
	}
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Distribution panel.Distribution `json:"distribution"`
			Draw         *panel.Selection   `json:"draw,omitempty"`
		}{d, sel})
	}
	fmt.Fprintf(w, "%s: pool %d, panel %d, %d types of interchangeable people, %d panels in the support\n",
		d.Algorithm, len(in.People), in.K, len(d.Types), len(d.Panels))
	fmt.Fprintf(w, "minimum probability %.4f (k/n = %.4f)", d.Minimum, float64(in.K)/float64(len(in.People)))
	if len(d.Uncoverable) > 0 {
		fmt.Fprintf(w, "; %d people no feasible panel includes", len(d.Uncoverable))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tprobability")
	for _, p := range d.Probabilities {
		fmt.Fprintf(tw, "%s\t%.6f\n", p.ID, p.Probability)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if sel != nil {
		fmt.Fprintf(w, "draw with seed %q: %s\n", *seed, strings.Join(sel.Panel, " "))
		if len(sel.Alternates) > 0 {
			fmt.Fprintf(w, "alternates: %s\n", strings.Join(sel.Alternates, " "))
		}
	}
	return nil
}

func verifyCmd(args []string, w io.Writer) error {
	if len(args) != 2 {
		return usagef("usage: panel verify MANIFEST RESPONDENTS")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return usagef("manifest: %v", err)
	}
	var m panel.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return usagef("manifest: %v", err)
	}
	rf, err := open(args[1], "respondents")
	if err != nil {
		return err
	}
	defer rf.Close()
	people, err := panel.ReadPoolCSV(rf, m.Quotas, panel.FoundationOptions{K: m.K, IDColumn: m.IDColumn, HouseholdColumns: m.HouseholdColumns})
	if err != nil {
		return err
	}
	if err := panel.Verify(m, people); err != nil {
		var me *panel.MismatchError
		if errors.As(err, &me) {
			return mismatch{err}
		}
		return err
	}
	fmt.Fprintf(w, "verified: %s %s on a pool of %d (sha256 %s), seed %q: %d selected, %d alternates\n",
		m.Version, m.Algorithm, m.PoolSize, m.PoolSHA256, m.Seed, len(m.Selected), len(m.AlternateIDs))
	return nil
}

func readCensus(census, resp string) (panel.Margins, []panel.Respondent, error) {
	cf, err := open(census, "census")
	if err != nil {
		return panel.Margins{}, nil, err
	}
	defer cf.Close()
	m, err := panel.ReadMargins(cf)
	if err != nil {
		return panel.Margins{}, nil, err
	}
	rf, err := open(resp, "respondents")
	if err != nil {
		return panel.Margins{}, nil, err
	}
	defer rf.Close()
	rs, err := panel.ReadRespondents(rf, m)
	return m, rs, err
}

func representCmd(args []string, w io.Writer) error {
	fs := newFlags("represent")
	census := fs.String("census", "", "census CSV (category, value, count or share)")
	resp := fs.String("respondents", "", "respondents CSV")
	svg := fs.String("svg", "", "write the overall chart to this SVG file")
	asJSON := fs.Bool("json", false, "JSON output")
	if err := parse(fs, args); err != nil {
		return err
	}
	m, rs, err := readCensus(*census, *resp)
	if err != nil {
		return err
	}
	a := panel.Assess(rs, m)
	if *svg != "" {
		f, err := os.Create(*svg)
		if err != nil {
			return usagef("svg: %v", err)
		}
		if err := a.Overall.WriteSVG(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	}
	reports := append([]panel.Report{a.Overall}, a.ByChannel...)
	reports = append(reports, a.ByRecruitment...)
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := r.WriteTable(w); err != nil {
			return err
		}
	}
	return nil
}

func rakeCmd(args []string, w io.Writer) error {
	fs := newFlags("rake")
	census := fs.String("census", "", "census CSV (category, value, count or share)")
	resp := fs.String("respondents", "", "respondents CSV")
	capW := fs.Float64("cap", 0, "largest weight, as a multiple of the mean (0: none)")
	floor := fs.Float64("floor", 0, "smallest weight, as a multiple of the mean (0: none)")
	out := fs.String("o", "", "write one weight per respondent, in order, to this CSV")
	if err := parse(fs, args); err != nil {
		return err
	}
	m, rs, err := readCensus(*census, *resp)
	if err != nil {
		return err
	}
	res, err := panel.Rake(rs, m, nil, panel.RakeOptions{Cap: *capW, Floor: *floor})
	if err != nil {
		return err
	}
	sp := res.Spread
	fmt.Fprintf(w, "%d respondents, converged %v after %d sweeps, largest gap to a margin %.2g\n",
		len(rs), res.Converged, res.Iterations, res.MaxDeviation)
	fmt.Fprintf(w, "weights: min %.3f, max %.3f, CV %.3f, Kish effective size %.1f, design effect %.2f, trimmed %d\n",
		sp.Min, sp.Max, sp.CV, sp.Kish, sp.DesignEffect, res.Trimmed)
	if len(res.Unreachable) > 0 {
		fmt.Fprintf(w, "no respondent for: %s\n", strings.Join(res.Unreachable, ", "))
	}
	if *out != "" {
		var b strings.Builder
		b.WriteString("weight\n")
		for _, x := range res.Weights {
			b.WriteString(strconv.FormatFloat(x, 'g', 10, 64) + "\n")
		}
		return os.WriteFile(*out, []byte(b.String()), 0o644)
	}
	return nil
}
