package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/civickit/civickit/voting/formats"
	"github.com/civickit/civickit/voting/pb"
)

// isPabulib reports whether the file is a participatory budget: -format
// pb, a .pb name, or a file starting with META.
func isPabulib(o options) bool {
	if o.format != "" {
		return strings.EqualFold(strings.TrimPrefix(o.format, "."), "pb")
	}
	if strings.EqualFold(filepath.Ext(o.filename), ".pb") {
		return true
	}
	f, err := os.Open(o.filename)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	return strings.HasPrefix(strings.TrimPrefix(string(head[:n]), "\xef\xbb\xbf"), "META")
}

// listBudgetRules adds the participatory-budgeting rules to -list.
func listBudgetRules(tw io.Writer) {
	for _, r := range pb.Rules() {
		desc, _, _ := strings.Cut(r.Description, ". ")
		variants := ""
		if r.Name == "mes" {
			variants = " [none|add-one|epsilon|utilitarian|add-one+utilitarian]"
		}
		fmt.Fprintf(tw, "%s%s\tpabulib budgets\t%s. Flags: -utility approval|cost|points, -budget AMOUNT.\n", r.Name, variants, strings.TrimSuffix(desc, "."))
	}
}

// countBudget counts a Pabulib file with the rules of package pb: -method
// or -compare name them (default greedy), -variant is the MES completion,
// -utility the voters' utility, -budget replaces the file's budget,
// -param step=X the per-voter step of the epsilon completion.
func countBudget(o options, stdout, stderr io.Writer) error {
	names := []string{"greedy"}
	if o.methodOK {
		names = []string{o.method}
	}
	if o.compare != "" {
		names = strings.Split(o.compare, ",")
	}
	var rules []pb.Rule
	for _, n := range names {
		r, err := pb.LookupRule(strings.TrimSpace(n))
		if err != nil {
			return err
		}
		rules = append(rules, r)
	}
	tie, err := tiePolicy(&o, stderr)
	if err != nil {
		return err
	}
	f, err := os.Open(o.filename)
	if err != nil {
		return err
	}
	defer f.Close()
	e, err := formats.ReadPabulib(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return fmt.Errorf("%s: %w", o.filename, err)
	}
	if o.budget > 0 {
		e.Budget = o.budget
	}
	opts := pb.Options{Utility: pb.Utility(o.utility), Completion: pb.Completion(o.variant), Tie: tie, Step: o.params["step"]}
	for k := range o.params {
		if k != "step" {
			return usagef("budget rules take -param step=X only, not %q", k)
		}
	}
	var results []*pb.Result
	for _, r := range rules {
		ro := opts
		if r.Name != "mes" {
			ro.Completion = ""
		}
		res, err := r.Count(e, ro)
		if err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
		results = append(results, res)
	}
	if o.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if len(results) == 1 {
			return enc.Encode(results[0])
		}
		return enc.Encode(results)
	}
	if len(results) == 1 {
		return results[0].WriteText(stdout)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rule\tfunded\tspent\tprojects")
	for _, r := range results {
		name := r.Rule
		if r.Variant != "" {
			name += " (" + r.Variant + ")"
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\n", name, len(r.Funded), r.Spent, strings.Join(r.FundedIDs(), ", "))
	}
	return tw.Flush()
}
