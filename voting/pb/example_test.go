package pb_test

import (
	"fmt"
	"os"

	"github.com/civickit/civickit/voting/pb"
)

func ExampleMES() {
	// Four voters share a budget of 4: three projects cost 1, one costs 2.
	e := &pb.Election{
		Budget:   4,
		VoteType: pb.Approval,
		Projects: []pb.Project{{ID: "park", Cost: 2}, {ID: "bench", Cost: 1}, {ID: "lamp", Cost: 1}, {ID: "mural", Cost: 1}},
		Voters: []pb.Voter{
			{ID: "1", Projects: []int{0, 1}},
			{ID: "2", Projects: []int{0, 1}},
			{ID: "3", Projects: []int{0, 2}},
			{ID: "4", Projects: []int{3}},
		},
	}
	r, err := pb.MES(e, pb.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.FundedIDs())
	_ = r.WriteText(os.Stdout)
	// Output:
	// [park bench mural]
	// mes (none), approval utility: 3 of 4 projects funded, 4 of 4 spent, 4 voters
	// ties decided by candidate-order
	// round  project  cost  support  utility  why
	// 1      bench    1     2        2        funded in round 1: its supporters paid 0.5 for each unit of utility (share 1)
	// 2      park     2     3        3        funded in round 2: its supporters paid 1 for each unit of utility (share 1)
	// 3      mural    1     1        1        funded in round 3: its supporters paid 1 for each unit of utility (share 1)
	// —      lamp     1     1        1        not funded: its 1 supporters held 0 of its cost 1 when no project could be bought
}
