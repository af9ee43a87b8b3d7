package debatetest_test

import (
	"fmt"

	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/debate/debatetest"
	"github.com/civickit/civickit/participation/participationtest"
)

// ThreadOrder is the order a debate.Store lists comments in: each comment
// followed by its replies, siblings oldest first.
func ExampleThreadOrder() {
	rng := participationtest.NewRand(1)
	consultation, author := participationtest.NewID(rng), participationtest.NewID(rng)
	root := debatetest.NewComment(rng, consultation, author, nil, 0)
	later := debatetest.NewComment(rng, consultation, author, nil, 5)
	reply := debatetest.NewComment(rng, consultation, author, root, 9)
	label := map[*debate.Comment]string{root: "root", later: "later", reply: "reply"}
	for _, c := range debatetest.ThreadOrder([]debate.Comment{*later, *reply, *root}) {
		for p, name := range label {
			if p.ID == c.ID {
				fmt.Println(name, c.Depth)
			}
		}
	}
	// Output:
	// root 1
	// reply 2
	// later 1
}
