package pb

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Result is a budget allocation with the record of how it was reached.
type Result struct {
	Rule    string `json:"rule"`
	Variant string `json:"variant,omitempty"`
	// Utility names the voters' utility the rule maximised or shared
	// ("approval", "cost", "points").
	Utility string  `json:"utility"`
	Budget  float64 `json:"budget"`
	Spent   float64 `json:"spent"`
	// Funded lists the funded projects (indices) in the order the rule
	// chose them.
	Funded []int `json:"funded"`
	// Projects gives every project's outcome, in file order.
	Projects []ProjectOutcome `json:"projects"`
	Voters   int              `json:"voters"`
	// TieBreak names the policy that decided a tie, if one was needed.
	TieBreak string   `json:"tie_break,omitempty"`
	Notes    []string `json:"notes,omitempty"`
}

// ProjectOutcome is what happened to one project, and why.
type ProjectOutcome struct {
	ID   string  `json:"id"`
	Name string  `json:"name,omitempty"`
	Cost float64 `json:"cost"`
	// Support is the number of voters whose ballot lists the project.
	Support int `json:"support"`
	// Utility is the voters' total utility for it.
	Utility float64 `json:"utility"`
	Funded  bool    `json:"funded"`
	// Round is the 1-based step at which it was funded (0 if not).
	Round int `json:"round,omitempty"`
	// Reason says why it was or was not funded, in a sentence.
	Reason string `json:"reason"`
}

// FundedIDs returns the ids of the funded projects, in file order.
func (r *Result) FundedIDs() []string {
	var out []string
	for _, p := range r.Projects {
		if p.Funded {
			out = append(out, p.ID)
		}
	}
	return out
}

// WriteText writes the allocation as a table, funded projects first in
// the order chosen, then the others in file order.
func (r *Result) WriteText(w io.Writer) error {
	title := r.Rule
	if r.Variant != "" {
		title += " (" + r.Variant + ")"
	}
	fmt.Fprintf(w, "%s, %s utility: %d of %d projects funded, %s of %s spent, %d voters\n",
		title, r.Utility, len(r.Funded), len(r.Projects), money(r.Spent), money(r.Budget), r.Voters)
	if r.TieBreak != "" {
		fmt.Fprintf(w, "ties decided by %s\n", r.TieBreak)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "round\tproject\tcost\tsupport\tutility\twhy")
	for _, p := range r.Funded {
		o := r.Projects[p]
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", o.Round, label(o), money(o.Cost), o.Support, num(o.Utility), o.Reason)
	}
	for _, o := range r.Projects {
		if !o.Funded {
			fmt.Fprintf(tw, "—\t%s\t%s\t%d\t%s\t%s\n", label(o), money(o.Cost), o.Support, num(o.Utility), o.Reason)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range r.Notes {
		if _, err := fmt.Fprintln(w, n); err != nil {
			return err
		}
	}
	return nil
}

func label(o ProjectOutcome) string {
	if o.Name == "" {
		return o.ID
	}
	name := o.Name
	if len(name) > 40 {
		cut := 40
		for cut > 0 && name[cut]&0xC0 == 0x80 {
			cut--
		}
		name = name[:cut] + "…"
	}
	return o.ID + " " + strings.TrimSpace(name)
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// money prints an amount with at most two decimals.
func money(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(s, "0"), "."), ".")
}
