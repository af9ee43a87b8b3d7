package voting_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/civickit/civickit/voting"
)

func TestScratchDump(t *testing.T) {
	p := readElections(t, "tennessee.txt", voting.UnrankedLast)[0].Profile
	reg := voting.NewRegistry()
	for _, name := range []string{"plurality", "irv", "schulze", "bucklin", "baldwin", "copeland", "two-round", "coombs"} {
		m, _ := reg.Lookup(name)
		r, err := m.Run(voting.Input{Ranked: p}, voting.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		os.Stdout.Write(append(b, '\n'))
	}
}
