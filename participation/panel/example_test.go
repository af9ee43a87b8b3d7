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
