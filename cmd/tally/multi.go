package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/committee"
	"github.com/civickit/civickit/voting/formats"
	"github.com/civickit/civickit/voting/stv"
)

// Multi-winner counts. A file that names its seats (BLT, HIL) is counted
// for those seats, never silently for one: without -method it is counted
// by STV (the 'scottish' preset unless -variant names another), and a
// single-winner method is refused with a message naming -seats and
// -method. -seats overrides the file; -seats 1 asks for a single winner.

// newRegistry is the built-in single-winner methods plus the multi-winner
// ones of the voting subpackages.
func newRegistry() *voting.Registry {
	reg := voting.NewRegistry()
	for _, m := range append(stv.Methods(), committee.Methods()...) {
		if err := reg.Register(m); err != nil {
			panic(err) // a name registered twice is a programming error
		}
	}
	return reg
}

// takesSeats reports whether m fills several seats.
func takesSeats(m voting.Method) bool {
	_, ok := m.Params["seats"]
	return ok
}

// applySeats settles the number of seats and the methods that count them.
func applySeats(o *options, fileSeats int, methods []voting.Method, reg *voting.Registry, stderr io.Writer) ([]voting.Method, error) {
	if o.seats < 0 {
		return nil, usagef("-seats %d: want a positive number of seats", o.seats)
	}
	seats, from := o.seats, "-seats"
	if seats == 0 {
		seats, from = max(fileSeats, 1), o.filename
	}
	if seats > 1 && !o.methodOK && o.compare == "" {
		m, err := reg.Lookup("stv")
		if err != nil {
			return nil, err
		}
		methods = []voting.Method{m}
		variant := o.variant
		if variant == "" {
			variant = m.Variants[0]
		}
		fmt.Fprintf(stderr, "tally: %s: %d seats: counting by STV (-method stv -variant %s); -method and -variant choose another rule, -seats 1 a single winner\n", from, seats, variant)
	}
	if o.rctab {
		if len(methods) != 1 || methods[0].Name != "stv" {
			return nil, usagef("-rctab prints an STV count: use it with -method stv")
		}
		// Keep the whole report for the RCTab output.
		o.report = &stv.Report{}
		report := o.report
		methods = []voting.Method{methods[0]}
		methods[0].Count = func(in voting.Input, mo voting.Options) (*voting.Result, error) {
			rep, err := stv.CountWith(in, mo)
			if err != nil {
				return nil, err
			}
			*report = *rep
			return rep.Result, nil
		}
	}
	out := make([]voting.Method, len(methods))
	for i, m := range methods {
		out[i] = m
		if !takesSeats(m) {
			if seats > 1 {
				out[i].Count = refuse(fmt.Errorf("%w: %s: %d seats to fill, but %s elects one winner: count with a multi-winner method (-method stv, see -list) or pass -seats 1 to elect one", voting.ErrInvalidOption, from, seats, m.Name))
			}
			continue
		}
		if _, ok := o.params["seats"]; !ok {
			if o.seats == 0 && fileSeats == 0 {
				// Never a silent single seat for a multi-winner rule.
				out[i].Count = refuse(fmt.Errorf("%w: %s fills several seats and %s names none: say how many with -seats N", voting.ErrInvalidOption, m.Name, o.filename))
				continue
			}
			// -param seats is what -seats sets; the explicit one wins.
			params := maps.Clone(o.params)
			if params == nil {
				params = map[string]float64{}
			}
			params["seats"] = float64(seats)
			out[i].Count = withParams(m.Count, params)
		}
	}
	for i := range out {
		if out[i].Name == "stv" && !o.tieSet {
			out[i].Count = statutoryTies(out[i].Count)
		}
	}
	return out, nil
}

// statutoryTies lets an STV count use its rule's tie-breaking (earliest
// stage with unequal votes, then a lot drawn from the preset's seed)
// unless -tie chose a policy.
func statutoryTies(count func(voting.Input, voting.Options) (*voting.Result, error)) func(voting.Input, voting.Options) (*voting.Result, error) {
	return func(in voting.Input, o voting.Options) (*voting.Result, error) {
		o.Tie = nil
		return count(in, o)
	}
}

// withParams adds the seats to the method's parameters at count time (Run
// checked the user's parameters against the method before).
func withParams(count func(voting.Input, voting.Options) (*voting.Result, error), params map[string]float64) func(voting.Input, voting.Options) (*voting.Result, error) {
	return func(in voting.Input, o voting.Options) (*voting.Result, error) {
		merged := maps.Clone(params)
		maps.Copy(merged, o.Params)
		merged["seats"] = params["seats"]
		o.Params = merged
		return count(in, o)
	}
}

func refuse(err error) func(voting.Input, voting.Options) (*voting.Result, error) {
	return func(voting.Input, voting.Options) (*voting.Result, error) { return nil, err }
}

// readCDF reads a NIST 1500-103 JSON cast vote record report (-format
// cdf, or a .json file that says it is one); ok is false for any other
// file. Overvotes skip to the next rank, and a ballot ends after more
// than -max-skipped consecutive skipped ranks (RCTab's "alwaysSkipToNextRank"
// and "maxSkippedRanksAllowed", 1 by default as in RCTab's test
// configurations); -contest picks one of several contests (a report
// with several is refused, naming them, without it).
func readCDF(o options) (voting.Input, bool, error) {
	if o.format != "" && o.format != "cdf" {
		return voting.Input{}, false, nil
	}
	if o.format == "" && !strings.EqualFold(filepath.Ext(o.filename), ".json") {
		return voting.Input{}, false, nil
	}
	f, err := os.Open(o.filename)
	if err != nil {
		return voting.Input{}, true, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 256<<10)
	head, _ := br.Peek(4096)
	if o.format == "" && !bytes.Contains(head, []byte("CVR.CastVoteRecordReport")) && !bytes.Contains(head, []byte(`"CVR"`)) {
		return voting.Input{}, false, nil
	}
	policy := voting.UnrankedLast
	if o.policy == "skip" {
		policy = voting.UnrankedSkip
	}
	e, err := formats.ReadCDF(br, formats.CDFOptions{Contest: o.contest, Overvote: formats.OvervoteSkip, MaxSkipped: o.skipped, Policy: policy})
	if err != nil {
		return voting.Input{}, true, fmt.Errorf("%s: %w", o.filename, err)
	}
	return voting.Input{Ranked: e.Ranked}, true, nil
}

// writeRCTab prints the STV count in RCTab's JSON result shape.
func writeRCTab(w io.Writer, o options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	name := strings.TrimSuffix(filepath.Base(o.filename), filepath.Ext(o.filename))
	return enc.Encode(o.report.RCTab(stv.RCTabMeta{Contest: name}))
}

// listPresets follows -list's methods with the STV presets, each with
// the rule it implements (stv.Presets documents each in full).
func listPresets(w io.Writer) error {
	var b strings.Builder
	b.WriteString("\nSTV presets (-method stv -variant NAME):\n")
	for _, r := range stv.Presets() {
		fmt.Fprintf(&b, "  %-9s %s\n", r.Name, r.Title)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// lookupMethod finds a method by name, or METHOD:VARIANT ("stv:meek"):
// the method restricted to that variant, so that -compare can set presets
// side by side.
func lookupMethod(reg *voting.Registry, name string) (voting.Method, error) {
	base, variant, ok := strings.Cut(name, ":")
	m, err := reg.Lookup(base)
	if err != nil || !ok {
		return m, err
	}
	if !slices.Contains(m.Variants, variant) {
		return voting.Method{}, fmt.Errorf("%w: %s has no variant %q (variants: %v)", voting.ErrInvalidOption, base, variant, m.Variants)
	}
	m.Variants = []string{variant}
	return m, nil
}
