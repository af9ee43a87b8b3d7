package voting

import (
	"fmt"
	"slices"
	"sort"
)

// Input carries the ballots a method counts: Ranked for ranked methods,
// Cardinal for cardinal and graded ones.
type Input struct {
	Ranked   *Profile
	Cardinal *CardinalProfile
}

// Options tune a count.
type Options struct {
	// Variant picks one of the method's variants ("" = its default).
	Variant string
	// Tie decides ties; CandidateOrder when nil. Every decision it makes
	// is named in the Result.
	Tie TiePolicy
	// Weights are the scores of ranks 1, 2, ... for the positional method.
	Weights []float64
	// Params holds other method parameters by name (documented per method).
	Params map[string]float64
}

// Ballots names the kind of input a method counts.
type Ballots string

const (
	RankedBallots   Ballots = "ranked"
	CardinalBallots Ballots = "cardinal"
)

// Method is a named counting rule.
type Method struct {
	// Name is lower-case and hyphenated ("ranked-pairs").
	Name string
	// Title is the usual name ("Ranked Pairs").
	Title string
	// Description says what the method does, in a sentence or two.
	Description string
	// Source cites where the method is defined.
	Source string
	// Ballots is the kind of input it needs; Kinds narrows cardinal input.
	Ballots Ballots
	Kinds   []CardinalKind
	// Variants lists the accepted Options.Variant values; the first is the
	// default.
	Variants []string
	// Params documents the accepted Options.Params keys.
	Params map[string]string
	// Count runs the method. It is called by Run after the input and the
	// variant were checked.
	Count func(in Input, o Options) (*Result, error)
}

// Run checks in and o against the method and counts.
func (m Method) Run(in Input, o Options) (*Result, error) {
	switch m.Ballots {
	case RankedBallots:
		if in.Ranked == nil {
			return nil, fmt.Errorf("%w: %s counts ranked ballots", ErrWrongBallots, m.Name)
		}
	case CardinalBallots:
		if in.Cardinal == nil {
			return nil, fmt.Errorf("%w: %s counts cardinal ballots", ErrWrongBallots, m.Name)
		}
		if len(m.Kinds) > 0 && !slices.Contains(m.Kinds, in.Cardinal.spec.Kind) {
			return nil, fmt.Errorf("%w: %s counts %v ballots, not %s", ErrWrongBallots, m.Name, m.Kinds, in.Cardinal.spec.Kind)
		}
	}
	if o.Variant == "" && len(m.Variants) > 0 {
		o.Variant = m.Variants[0]
	}
	if o.Variant != "" && !slices.Contains(m.Variants, o.Variant) {
		return nil, fmt.Errorf("%w: %s has no variant %q (variants: %v)", ErrInvalidOption, m.Name, o.Variant, m.Variants)
	}
	for k := range o.Params {
		if _, ok := m.Params[k]; !ok {
			return nil, fmt.Errorf("%w: %s takes no parameter %q", ErrInvalidOption, m.Name, k)
		}
	}
	if o.Tie == nil {
		o.Tie = CandidateOrder()
	}
	r, err := m.Count(in, o)
	if err != nil {
		return nil, err
	}
	r.Method, r.Variant = m.Name, o.Variant
	return r, nil
}

// Registry lists methods by name. NewRegistry returns one holding every
// built-in method; contributors Register their own.
type Registry struct {
	methods map[string]Method
}

// NewRegistry returns a registry of the built-in methods.
func NewRegistry() *Registry {
	r := &Registry{methods: map[string]Method{}}
	for _, m := range builtins() {
		if err := r.Register(m); err != nil {
			panic(err) // a built-in registered twice is a programming error
		}
	}
	return r
}

// Register adds m; a duplicate or incomplete method is refused.
func (r *Registry) Register(m Method) error {
	if m.Name == "" || m.Count == nil || m.Description == "" {
		return fmt.Errorf("%w: method needs a name, a description and a count function", ErrInvalidOption)
	}
	if _, ok := r.methods[m.Name]; ok {
		return fmt.Errorf("%w: method %q registered twice", ErrInvalidOption, m.Name)
	}
	r.methods[m.Name] = m
	return nil
}

// Lookup returns the method named name.
func (r *Registry) Lookup(name string) (Method, error) {
	m, ok := r.methods[name]
	if !ok {
		return Method{}, fmt.Errorf("%w: %q", ErrUnknownMethod, name)
	}
	return m, nil
}

// Methods returns every method, sorted by name.
func (r *Registry) Methods() []Method {
	out := make([]Method, 0, len(r.methods))
	for _, m := range r.methods {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// builtins lists the built-in methods; each family file contributes a
// function returning its methods.
func builtins() []Method {
	var all []Method
	for _, family := range []func() []Method{
		positionalMethods,
		eliminationMethods,
		condorcetMethods,
		exactMethods,
		cardinalMethods,
		researchMethods,
		maximalLotteryMethods,
		knockoutMethods,
		utilityMethods,
		moreMarginMethods,
		greatestMedianMethods,
		lockingTiebreakMethods,
		approvalIRVMethods,
		pluralityVetoMethods,
		bracketMethods,
	} {
		all = append(all, family()...)
	}
	return all
}
