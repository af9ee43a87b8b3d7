package panel_test

import (
	"fmt"
	"strings"

	"github.com/civickit/civickit/participation/panel"
)

// Compare respondents with a census table, then weight them to it.
func Example() {
	census := "category;value;count\nsex;F;52\nsex;M;48\nage;60+;30\nage;18-59;70\n"
	m, err := panel.ReadMargins(strings.NewReader(census))
	if err != nil {
		fmt.Println(err)
		return
	}
	var rs []panel.Respondent
	for _, c := range []struct {
		sex, age string
		n        int
	}{{"F", "60+", 30}, {"F", "18-59", 30}, {"M", "60+", 25}, {"M", "18-59", 15}} {
		for range c.n {
			rs = append(rs, panel.Respondent{Attributes: map[string]string{"sex": c.sex, "age": c.age}})
		}
	}
	rep := panel.Representativeness(rs, m)
	fmt.Printf("score %.2f, under half: %v\n", rep.Score, rep.UnderHalf)
	res, err := panel.Rake(rs, m, nil, panel.RakeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("converged %v, Kish effective size %.1f of %d\n", res.Converged, res.Spread.Kish, len(rs))
	// Output:
	// score 0.75, under half: []
	// converged true, Kish effective size 75.8 of 100
}

// Draw a panel of 2 among 5 volunteers, fairly (LEXIMIN), and record the
// draw so that anyone can re-run it.
func ExampleDrawManifest() {
	in := panel.Instance{K: 2, Quotas: []panel.Quota{
		{Feature: "age", Value: "child", Min: 1, Max: 2}, {Feature: "age", Value: "adult", Min: 1, Max: 2},
		{Feature: "group", Value: "A", Min: 1, Max: 2}, {Feature: "group", Value: "B", Min: 1, Max: 2},
	}}
	for _, p := range [][3]string{{"p1", "child", "A"}, {"p2", "adult", "A"}, {"p3", "child", "B"}, {"p4", "child", "B"}, {"p5", "adult", "B"}} {
		in.People = append(in.People, panel.Person{ID: p[0], Features: map[string]string{"age": p[1], "group": p[2]}})
	}
	m, d, err := panel.DrawManifest(in, panel.SelectOptions{Algorithm: panel.Leximin}, "lottery of 2026-12-05", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range d.Probabilities {
		fmt.Printf("%s %.3f\n", p.ID, p.Probability)
	}
	fmt.Println(len(m.Selected), "selected,", len(m.AlternateIDs), "alternate; verifies:", panel.Verify(m, in.People) == nil)
	// Output:
	// p1 0.333
	// p2 0.667
	// p3 0.333
	// p4 0.333
	// p5 0.333
	// 2 selected, 1 alternate; verifies: true
}
