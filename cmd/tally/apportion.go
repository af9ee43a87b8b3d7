package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/civickit/civickit/voting/apportion"
)

// apportionSeats is "tally apportion": seats to parties (or states) from a
// CSV of names and votes (or populations), by a method of package
// voting/apportion. A first line whose second field is not a number is a
// header.
func apportionSeats(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tally apportion", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	method := fs.String("method", "dhondt", "apportionment method (dhondt, sainte-lague, sainte-lague-modified, huntington-hill, adams, danish, imperiali, hare, droop)")
	seats := fs.Int("seats", 0, "seats to allocate (required)")
	threshold := fs.Float64("threshold", 0, "share of the votes a party needs (0.05 for 5 %)")
	exempt := fs.String("exempt", "", "comma-separated parties exempt from the threshold")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: tally apportion -method NAME -seats N [-threshold SHARE] [-exempt P,...] [-json] VOTES.csv")
			fs.PrintDefaults()
			return usagef("see the usage above")
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("apportion: want one CSV file of parties and votes, got %d arguments", fs.NArg())
	}
	if *seats < 1 {
		return usagef("apportion: -seats %d: want the number of seats to allocate", *seats)
	}
	m, err := apportion.Lookup(*method)
	if err != nil {
		return err
	}
	parties, votes, err := readVotes(fs.Arg(0))
	if err != nil {
		return err
	}
	o := apportion.Options{Threshold: *threshold}
	if *exempt != "" {
		o.Exempt = make([]bool, len(parties))
		for _, p := range strings.Split(*exempt, ",") {
			i := slices.Index(parties, strings.TrimSpace(p))
			if i < 0 {
				return usagef("apportion: -exempt: no party %q in %s", p, fs.Arg(0))
			}
			o.Exempt[i] = true
		}
	}
	r, err := m.Allocate(parties, votes, *seats, o)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(stdout)
}

// readVotes reads "name,votes" lines.
func readVotes(path string) ([]string, []int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 2
	var parties []string
	var votes []int64
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, usagef("%s: %v", path, err)
		}
		v, err := strconv.ParseInt(strings.TrimSpace(rec[1]), 10, 64)
		if err != nil {
			if line == 1 {
				continue // a header
			}
			return nil, nil, usagef("%s: line %d: votes %q not a whole number", path, line, rec[1])
		}
		parties = append(parties, strings.TrimSpace(rec[0]))
		votes = append(votes, v)
	}
	if len(parties) == 0 {
		return nil, nil, usagef("%s: no party", path)
	}
	return parties, votes, nil
}
