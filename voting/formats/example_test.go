package formats_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/civickit/civickit/voting/formats"
)

// Read a PrefLib file, count it, and write it for an STV program.
func Example() {
	const soc = `# TITLE: Tennessee capital
# DATA TYPE: soc
# NUMBER ALTERNATIVES: 4
# NUMBER VOTERS: 100
# NUMBER UNIQUE ORDERS: 4
# ALTERNATIVE NAME 1: Memphis
# ALTERNATIVE NAME 2: Nashville
# ALTERNATIVE NAME 3: Chattanooga
# ALTERNATIVE NAME 4: Knoxville
42: 1,2,3,4
26: 2,3,4,1
15: 3,4,2,1
17: 4,3,2,1
`
	e, err := formats.Read(strings.NewReader(soc), formats.PrefLibSOC, formats.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Title+":", e.Ranked.Voters(), "voters,", e.Ranked.Distinct(), "distinct ballots")
	fmt.Println("Condorcet winner:", e.Candidates[e.Ranked.Pairwise().CondorcetWinner()])

	e.Seats = 1
	if err := formats.Write(os.Stdout, e, formats.BLT); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Tennessee capital: 100 voters, 4 distinct ballots
	// Condorcet winner: Nashville
	// 4 1
	// 42 1 2 3 4 0
	// 26 2 3 4 1 0
	// 15 3 4 2 1 0
	// 17 4 3 2 1 0
	// 0
	// "Memphis"
	// "Nashville"
	// "Chattanooga"
	// "Knoxville"
	// "Tennessee capital"
}

// Errors name the line and the rule broken.
func ExampleParseError() {
	const blt = "3 1\n2 1 2 0\n1 2 4 0\n0\n\"A\" \"B\" \"C\" \"Title\"\n"
	_, err := formats.Read(strings.NewReader(blt), formats.BLT, formats.ReadOptions{})
	fmt.Println(err)
	// Output:
	// formats: line 3: unknown candidate: 4
}

// Detect tells the format from the file name or, failing that, the
// content.
func ExampleDetect() {
	for _, file := range []struct{ name, head string }{
		{"dublin-north.soi", ""},
		{"ballots", "4 2\n-2\n3 1 3 4 0\n"},
		{"ballots", "{\"title\": \"x\"}\n42:Memph>Nash\n"},
	} {
		f, err := formats.Detect(file.name, []byte(file.head))
		fmt.Println(f, err)
	}
	// Output:
	// soi <nil>
	// blt <nil>
	// abif <nil>
}
