package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/axioms"
	"github.com/civickit/civickit/voting/generate"
)

// axiomTable is tally axioms: violation rates of methods over generated
// profiles, one row per method and one column per axiom (violations /
// profiles where the axiom applies). -witness prints the first
// violation of each method and axiom.
//
//	tally axioms -methods plurality,irv,schulze -culture ic -m 5 -n 21 -profiles 1000
func axiomTable(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tally axioms", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	methods := fs.String("methods", "plurality,borda,irv,copeland,minimax,schulze", "comma-separated methods")
	culture := fs.String("culture", "ic", "ic, iac, urn (-alpha), mallows (-phi), sp-walsh, sp-conitzer, euclidean (-dim)")
	m := fs.Int("m", 5, "number of candidates")
	n := fs.Int64("n", 21, "number of voters")
	profiles := fs.Int("profiles", 1000, "number of profiles")
	seed := fs.Uint64("seed", 1, "seed of the first profile (profile i has seed+i)")
	phi := fs.Float64("phi", 0.5, "mallows dispersion")
	alpha := fs.Float64("alpha", 0.1, "urn replacement")
	dim := fs.Int("dim", 2, "euclidean dimensions")
	witness := fs.Bool("witness", false, "print the first violation found for each method and axiom")
	if err := fs.Parse(args); err != nil {
		return usagef("axioms: %v", err)
	}
	var c generate.Culture
	switch *culture {
	case "ic":
		c = generate.IC{}
	case "iac":
		c = generate.IAC{}
	case "urn":
		c = generate.Urn{Alpha: *alpha}
	case "mallows":
		c = generate.Mallows{Phi: *phi}
	case "sp-walsh":
		c = generate.SinglePeakedWalsh{}
	case "sp-conitzer":
		c = generate.SinglePeakedConitzer{}
	case "euclidean":
		c = generate.Euclidean{Dim: *dim}
	default:
		return usagef("axioms: unknown -culture %q", *culture)
	}
	reg := voting.NewRegistry()
	var ms []voting.Method
	for _, name := range strings.Split(*methods, ",") {
		meth, err := reg.Lookup(strings.TrimSpace(name))
		if err != nil {
			return err
		}
		ms = append(ms, meth)
	}
	all := axioms.All()
	rates, err := axioms.Batch(context.Background(), ms, all, generate.Options{Candidates: *m, Voters: *n, Seed: *seed, Culture: c}, *profiles, axioms.Options{Seed: *seed})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "method\t")
	for _, a := range all {
		fmt.Fprintf(tw, "%s\t", a)
	}
	fmt.Fprintln(tw)
	for i, meth := range ms {
		fmt.Fprintf(tw, "%s\t", meth.Name)
		for j := range all {
			r := rates[i*len(all)+j]
			fmt.Fprintf(tw, "%.1f%% (%d/%d)\t", 100*r.Fraction(), r.Violations, r.Checked)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d profiles: %s, %d candidates, %d voters, seeds %d..%d\n", *profiles, *culture, *m, *n, *seed, *seed+uint64(*profiles)-1)
	if *witness {
		for _, r := range rates {
			if r.Example != nil {
				fmt.Fprintf(stdout, "\n%s", r.Example)
			}
		}
	}
	return nil
}
