package stv

import (
	"errors"
	"testing"

	"github.com/civickit/civickit/voting"
)

// FuzzCount counts arbitrary small elections (the bytes give the
// candidates, seats and ballots, equal preferences included) by every
// preset: no panic, no error but the documented refusal of equal
// preferences, exactly the seats elected, and votes + exhausted + loss
// equal to the valid votes at every stage.
func FuzzCount(f *testing.F) {
	f.Add([]byte{4, 1, 3, 0, 1, 2, 255, 2, 2, 0, 255, 1, 3, 1})
	f.Add([]byte{6, 3, 5, 0, 1, 128 | 2, 3, 255, 1, 5, 4})
	f.Add([]byte{2, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 || len(data) > 512 {
			return
		}
		n := 2 + int(data[0])%7
		seats := 1 + int(data[1])%(n-1)
		names := make([]string, n)
		for i := range names {
			names[i] = string(rune('A' + i))
		}
		p, err := voting.NewProfile(names, voting.UnrankedLast)
		if err != nil {
			t.Fatal(err)
		}
		// Ballots: a count byte, then candidate bytes up to 255; a
		// candidate byte with the high bit set joins the previous group.
		rest := data[2:]
		for len(rest) > 0 {
			count := 1 + int64(rest[0]%5)
			rest = rest[1:]
			var r voting.Ranking
			seen := make([]bool, n)
			for len(rest) > 0 && rest[0] != 255 {
				c := int(rest[0]&0x7f) % n
				join := rest[0]&0x80 != 0 && len(r) > 0
				rest = rest[1:]
				if seen[c] {
					continue
				}
				seen[c] = true
				if join {
					r[len(r)-1] = append(r[len(r)-1], c)
				} else {
					r = append(r, []int{c})
				}
			}
			if len(rest) > 0 {
				rest = rest[1:] // the 255 that ends the ballot
			}
			if err := p.Add(r, count); err != nil {
				t.Fatal(err)
			}
		}
		for _, rules := range Presets() {
			rep, err := Count(p, seats, rules, nil)
			if errors.Is(err, voting.ErrInvalidBallot) {
				continue // equal preferences under Meek, Warren or whole votes
			}
			if err != nil {
				t.Fatalf("%s: %v", rules.Name, err)
			}
			if len(rep.Result.Elected) != seats {
				t.Fatalf("%s: %d elected for %d seats", rules.Name, len(rep.Result.Elected), seats)
			}
			checkConserved(t, rep)
		}
	})
}
