package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/formats"
	"github.com/civickit/civickit/voting/generate"
)

// generateFile is tally gen: it draws a profile from a statistical
// culture (package voting/generate) and writes it in any format.
//
//	tally gen -culture mallows -phi 0.5 -m 5 -n 1000 -seed 1 -format soc -o out.soc
func generateFile(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tally gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	culture := fs.String("culture", "ic", "ic, iac, urn, mallows, mallows-mixture, sp-walsh, sp-conitzer, euclidean, plackett-luce")
	m := fs.Int("m", 5, "number of candidates")
	n := fs.Int64("n", 100, "number of voters")
	seed := fs.Uint64("seed", 1, "seed of the draw (same seed, same file)")
	phi := fs.Float64("phi", 0.5, "Mallows dispersion in [0, 1]")
	normPhi := fs.Bool("norm-phi", false, "read -phi as Boehmer et al.'s normalised dispersion")
	components := fs.Int("components", 2, "mallows-mixture: components with random centres, equal weights")
	alpha := fs.Float64("alpha", 0.1, "urn: copies added per draw, as a fraction of m!")
	dim := fs.Int("dim", 2, "euclidean: dimensions")
	space := fs.String("space", "uniform", "euclidean: uniform (unit cube) or gaussian")
	weights := fs.String("weights", "", "plackett-luce: comma-separated positive weights (default m, m-1, …, 1)")
	minRanked := fs.Int("min-ranked", 0, "truncation: fewest candidates ranked (with -max-ranked)")
	maxRanked := fs.Int("max-ranked", 0, "truncation: most candidates ranked (0: complete ballots)")
	ties := fs.Float64("ties", 0, "probability that a candidate is tied with the one above")
	approve := fs.String("approval", "", "approval ballots: each voter approves its top K, or MIN-MAX")
	scoreMax := fs.Int("score", 0, "score ballots on 0..MAX spread linearly over each ranking")
	format := fs.String("format", "soc", "output format: soc, soi, toc, toi, cat, blt, hil, abif, csv")
	out := fs.String("o", "", "output file (default standard output)")
	if err := fs.Parse(args); err != nil {
		return usagef("gen: %v", err)
	}
	if fs.NArg() > 0 {
		return usagef("gen: unexpected argument %q", fs.Arg(0))
	}
	f, err := formats.ParseFormat(*format)
	if err != nil {
		return usagef("gen: -format: %v", err)
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
		c = generate.Mallows{Phi: *phi, NormPhi: *normPhi}
	case "mallows-mixture":
		// The centres are drawn from IC with the same seed, so the file
		// is reproducible from the command line alone.
		if *components < 1 || *components > 1000 {
			return usagef("gen: -components %d: must be in [1, 1000]", *components)
		}
		mix := generate.Mixture{}
		err := generate.Each(generate.Options{Candidates: *m, Voters: int64(*components), Seed: *seed ^ 0x5eed}, func(r voting.Ranking) bool {
			center := make([]int, 0, *m)
			for _, g := range r {
				center = append(center, g...)
			}
			mix.Components = append(mix.Components, generate.Mallows{Phi: *phi, NormPhi: *normPhi, Center: center})
			mix.Weights = append(mix.Weights, 1)
			return true
		})
		if err != nil {
			return err
		}
		c = mix
	case "sp-walsh":
		c = generate.SinglePeakedWalsh{}
	case "sp-conitzer":
		c = generate.SinglePeakedConitzer{}
	case "euclidean":
		e := generate.Euclidean{Dim: *dim}
		switch *space {
		case "uniform":
		case "gaussian":
			e.Space = generate.Gaussian
		default:
			return usagef("gen: -space %q: want uniform or gaussian", *space)
		}
		c = e
	case "plackett-luce":
		pl := generate.PlackettLuce{}
		if *weights == "" {
			for i := range *m {
				pl.Weights = append(pl.Weights, float64(*m-i))
			}
		}
		for _, w := range strings.Split(*weights, ",") {
			if *weights == "" {
				break
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
			if err != nil {
				return usagef("gen: -weights: %q is not a number", w)
			}
			pl.Weights = append(pl.Weights, v)
		}
		c = pl
	default:
		return usagef("gen: unknown -culture %q", *culture)
	}
	o := generate.Options{Candidates: *m, Voters: *n, Seed: *seed, Culture: c, MinRanked: *minRanked, MaxRanked: *maxRanked, Ties: *ties}
	if *maxRanked > 0 && *minRanked == 0 {
		o.MinRanked = 1
	}
	e := &formats.Election{Title: fmt.Sprintf("%s, %d voters, seed %d (tally gen)", *culture, *n, *seed)}
	switch {
	case *approve != "" && *scoreMax > 0:
		return usagef("gen: -approval and -score exclude each other")
	case *approve != "":
		lo, hi, err := parseRange(*approve)
		if err != nil {
			return usagef("gen: -approval: %v", err)
		}
		e.Cardinal, err = generate.Approval(o, lo, hi)
		if err != nil {
			return err
		}
	case *scoreMax > 0:
		e.Cardinal, err = generate.Scores(o, *scoreMax)
		if err != nil {
			return err
		}
	default:
		e.Ranked, err = generate.Ranked(o)
		if err != nil {
			return err
		}
	}
	w := stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	if err := formats.Write(w, e, f); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	if file, ok := w.(*os.File); ok && *out != "" {
		return file.Close()
	}
	return nil
}

// parseRange reads "K" or "MIN-MAX".
func parseRange(s string) (lo, hi int, err error) {
	a, b, ok := strings.Cut(s, "-")
	if lo, err = strconv.Atoi(strings.TrimSpace(a)); err != nil {
		return 0, 0, fmt.Errorf("%q is not K or MIN-MAX", s)
	}
	if !ok {
		return lo, lo, nil
	}
	if hi, err = strconv.Atoi(strings.TrimSpace(b)); err != nil {
		return 0, 0, fmt.Errorf("%q is not K or MIN-MAX", s)
	}
	return lo, hi, nil
}
