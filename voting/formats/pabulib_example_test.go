package formats_test

import (
	"fmt"
	"strings"

	"github.com/civickit/civickit/voting/formats"
	"github.com/civickit/civickit/voting/pb"
)

func ExampleReadPabulib() {
	const file = `META
key;value
description;A small budget
budget;100
vote_type;approval
num_projects;3
num_votes;4
PROJECTS
project_id;cost;name
1;60;Park
2;30;Bench
3;40;Library hours
VOTES
voter_id;vote
a;1,2
b;1
c;3
d;3,2
`
	e, err := formats.ReadPabulib(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := pb.Greedy(e, pb.Options{})
	for _, p := range r.Projects {
		fmt.Printf("%s: %s\n", p.Name, p.Reason)
	}
	// Output:
	// Park: funded: approvals 2, cost 60 within the 100 left
	// Bench: funded: approvals 2, cost 30 within the 40 left
	// Library hours: not funded: approvals 2, its cost 40 exceeded the 10 left at its turn
}
