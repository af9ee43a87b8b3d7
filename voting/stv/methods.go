package stv

import (
	"fmt"
	"math"

	"github.com/civickit/civickit/voting"
)

// Methods returns the STV method for a voting.Registry: one method, "stv",
// whose variants are the presets. Register it with
//
//	reg := voting.NewRegistry()
//	for _, m := range stv.Methods() { reg.Register(m) }
//
// Package voting does not import stv, so that single-winner users do not
// carry it; the tally command registers it.
func Methods() []voting.Method {
	var variants []string
	desc := "Single transferable vote: candidates reaching the quota are elected and their surplus moves on; otherwise the lowest is excluded and its papers move on, until the seats are filled. Variants are statutory presets:"
	for _, r := range Presets() {
		variants = append(variants, r.Name)
		desc += " '" + r.Name + "' (" + r.Title + ");"
	}
	return []voting.Method{{
		Name: "stv", Title: "Single transferable vote (multi-winner)",
		Description: desc[:len(desc)-1] + ".",
		Source:      "See each preset's Source (stv.Presets).",
		Ballots:     voting.RankedBallots,
		Variants:    variants,
		Params: map[string]string{
			"seats":    "number of seats to fill (required; tally sets it from -seats or the file)",
			"exact":    "when 1, count in exact rational arithmetic instead of the preset's decimals (not meek/warren)",
			"decimals": "override the preset's fixed-point decimals (0..12)",
			"quota":    "override the quota: 1 Droop, 2 Hare, 3 exact Droop (Hagenbach-Bischoff, must be passed), 4 fractional Droop (V/(S+1) plus the last decimal, RCTab non-integer threshold)",
			"seed":     "seed of the irish preset's draw of papers (published, reproducible)",
			"equal":    "candidates ranked equal: 1 split the paper between them (Gregory methods), 2 count the ballot up to the repetition, 3 skip the repeated rank (default: the preset's)",
			"batch":    "when 1, exclude at once the lowest candidates whose votes added up are below the next one's (RCTab batchElimination; not meek/warren)",
		},
		Count: countMethod,
	}}
}

func countMethod(in voting.Input, o voting.Options) (*voting.Result, error) {
	rep, err := CountWith(in, o)
	if err != nil {
		return nil, err
	}
	return rep.Result, nil
}

// CountWith counts as the registry's "stv" method does (o.Variant names
// the preset, "" the first; o.Params as Methods documents), returning
// the whole Report. A nil o.Tie is the rule's own tie-breaking (see
// Count); voting.Method.Run always passes a policy (candidate order by
// default).
func CountWith(in voting.Input, o voting.Options) (*Report, error) {
	if in.Ranked == nil {
		return nil, fmt.Errorf("%w: stv counts ranked ballots", voting.ErrWrongBallots)
	}
	if o.Variant == "" {
		o.Variant = Presets()[0].Name
	}
	rules, err := Preset(o.Variant)
	if err != nil {
		return nil, err
	}
	seats, ok := o.Params["seats"]
	if !ok {
		return nil, fmt.Errorf("%w: stv needs the number of seats (-param seats=N, or tally -seats N)", errOption)
	}
	if seats != math.Trunc(seats) || seats < 1 || seats > float64(in.Ranked.N()) {
		return nil, fmt.Errorf("%w: seats %v: want a whole number from 1 to the %d candidates", errOption, seats, in.Ranked.N())
	}
	if v, ok := o.Params["exact"]; ok && v == 1 {
		rules.Decimals = -1
	}
	if v, ok := o.Params["decimals"]; ok {
		if v != math.Trunc(v) || v < 0 || v > 12 {
			return nil, fmt.Errorf("%w: decimals %v: want 0..12", errOption, v)
		}
		rules.Decimals = int(v)
	}
	if v, ok := o.Params["quota"]; ok {
		if v != 1 && v != 2 && v != 3 && v != 4 {
			return nil, fmt.Errorf("%w: quota %v: want 1 (Droop), 2 (Hare), 3 (exact Droop) or 4 (fractional Droop)", errOption, v)
		}
		rules.Quota = Quota(v - 1)
	}
	if v, ok := o.Params["equal"]; ok {
		if v != 1 && v != 2 && v != 3 {
			return nil, fmt.Errorf("%w: equal %v: want 1 (split), 2 (truncate) or 3 (skip)", errOption, v)
		}
		rules.EqualRanks = EqualRanks(v - 1)
	}
	if v, ok := o.Params["batch"]; ok {
		rules.BatchElimination = v == 1
	}
	if v, ok := o.Params["seed"]; ok {
		if v < 0 || v != math.Trunc(v) {
			return nil, fmt.Errorf("%w: seed %v: want a whole number", errOption, v)
		}
		rules.Seed = uint64(v)
	}
	return Count(in.Ranked, int(seats), rules, o.Tie)
}
