package civickit_test

import (
	"errors"
	"fmt"

	"github.com/civickit/civickit"
)

// A domain package refines a kind with its own sentinel; callers test the
// precise error or only its kind.
func ExampleSentinel() {
	errAlreadyVoted := civickit.Sentinel(civickit.ErrConflict, "ballotbox: already voted")
	err := fmt.Errorf("cast in election 42: %w", errAlreadyVoted)

	fmt.Println(errors.Is(err, errAlreadyVoted))
	fmt.Println(errors.Is(err, civickit.ErrConflict))
	fmt.Println(civickit.KindOf(err).Name())
	// Output:
	// true
	// true
	// conflict
}

// Collect every broken rule of an input, then return them at once.
func ExampleValidationError() {
	ve := &civickit.ValidationError{}
	title, phases := "", 0
	if title == "" {
		ve.Add("title", "required", "")
	}
	if phases < 1 {
		ve.Add("phases", "min", "1")
	}
	err := ve.Err()

	fmt.Println(errors.Is(err, civickit.ErrInvalid))
	for _, f := range civickit.FieldErrors(err) {
		fmt.Println(f)
	}
	// Output:
	// true
	// title: required
	// phases: min=1
}

// A store writes the position of a page's last item into an opaque
// cursor; the next call starts strictly after it.
func ExamplePage() {
	names := []string{"Ateliers", "Bibliothèque", "Chorale", "Danse", "Échecs"}
	type pos struct {
		I int `json:"i"`
	}
	list := func(after string, limit int) (civickit.Page[string], error) {
		limit, err := civickit.CheckLimit(limit)
		if err != nil {
			return civickit.Page[string]{}, err
		}
		start := 0
		var p pos
		if ok, err := civickit.DecodeCursor(after, &p); err != nil {
			return civickit.Page[string]{}, err
		} else if ok {
			start = p.I + 1
		}
		end := min(start+limit, len(names))
		page := civickit.Page[string]{Items: names[start:end]}
		if end < len(names) {
			page.Next = civickit.EncodeCursor(pos{I: end - 1})
		}
		return page, nil
	}

	after := ""
	for {
		page, err := list(after, 2)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(page.Items)
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	_, err := list("not-a-cursor", 2)
	fmt.Println(err)
	// Output:
	// [Ateliers Bibliothèque]
	// [Chorale Danse]
	// [Échecs]
	// invalid input: after: cursor
}

// Census lists and registers hold identity keys, never identifiers.
func ExampleHasher() {
	salt := civickit.Salt("a 32-byte salt drawn at random..")
	h := civickit.Hasher{Secret: []byte("kept outside the database")}
	a, _ := h.Key(salt, "census\x00electoral-roll\x00", "ab 12-34")
	b, _ := h.Key(salt, "census\x00electoral-roll\x00", "AB1234")
	fmt.Println(a == b, len(a))
	// Output: true 64
}

func ExampleFold() {
	fmt.Println(civickit.Fold("Fêtes de l'Œuvre"))
	fmt.Println(civickit.Words("Jardin partagé des Tilleuls", 0))
	// Output:
	// fetes de l'oeuvre
	// [jardin partage des tilleuls]
}

func ExamplePartialDate_CertainlyAtLeast() {
	born, _ := civickit.ParsePartialDate("2008") // the year only
	fmt.Println(born.CertainlyAtLeast(18, mustDate("2026-06-01")))
	fmt.Println(born.CertainlyAtLeast(18, mustDate("2026-12-31")))
	// Output:
	// false
	// true
}
