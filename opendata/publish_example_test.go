package opendata_test

import (
	"context"
	"fmt"
	"time"

	"github.com/civickit/civickit/opendata"
)

// A consultation publishes its results: only the allow-listed columns are
// read from each row, and counts below k are left empty.
func ExamplePublisher_Publish() {
	p, err := opendata.NewPublisher(opendata.PublisherOptions{
		BaseURL:   "https://data.example.org",
		Publisher: &opendata.Agent{Name: opendata.Text{"fr": "Ville de Lyon"}, Type: opendata.AgentLocalAuthority},
		Now:       func() time.Time { return time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rows := opendata.Rows{
		opendata.MapRow{"proposition": "Plus de bancs", "soutiens": 132, "auteur": "Jeanne Martin"},
		opendata.MapRow{"proposition": "Un kiosque", "soutiens": 3, "auteur": "Paul Durand"},
	}
	out, err := p.Publish(context.Background(), opendata.Publication{
		Identifier:  "consultation-parc-2025",
		Title:       opendata.Text{"fr": "Consultation sur le parc : soutiens"},
		Description: opendata.Text{"fr": "Soutiens reçus par chaque proposition."},
		Columns: []opendata.PublishedColumn{
			{Column: opendata.Column{Name: "proposition"}},
			{Column: opendata.Column{Name: "soutiens", Type: opendata.ColumnInteger}, Count: true},
		},
	}, rows)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out.Files[0].Data))
	fmt.Println(out.Dataset.Distributions[0].License.SPDX, out.Files[0].URL)
	// Output:
	// proposition,soutiens
	// Plus de bancs,132
	// Un kiosque,
	// etalab-2.0 https://data.example.org/files/consultation-parc-2025.csv
}
