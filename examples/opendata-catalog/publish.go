package main

import (
	"context"
	"fmt"
	"time"

	"github.com/civickit/civickit/opendata"
	"github.com/civickit/civickit/voting"
)

// publishedAt is the clock of the publisher and the stores: a fixed
// instant, so that the example writes the same files on every run.
func publishedAt() time.Time { return time.Date(2024, time.November, 3, 9, 0, 0, 0, time.UTC) }

// voteRows counts the ranked vote on the redesign of the market square
// with the Schulze method and returns one row per project. Each row also
// holds who proposed the project and how to reach them: the publisher
// never reads those columns.
func voteRows() (opendata.Rows, error) {
	projects := []string{"Fontaine", "Jardin partagé", "Kiosque à musique", "Aire de jeux"}
	p, err := voting.NewProfile(projects, voting.UnrankedLast)
	if err != nil {
		return nil, err
	}
	for _, b := range []struct {
		r voting.Ranking
		n int64
	}{
		{voting.Ranking{{1}, {3}, {0}, {2}}, 41},
		{voting.Ranking{{3}, {1}, {0}, {2}}, 33},
		{voting.Ranking{{0}, {1}, {3}, {2}}, 27},
		{voting.Ranking{{2}, {0}, {3}, {1}}, 3}, // 3 first choices: suppressed
		{voting.Ranking{{3}, {0}, {1}}, 12},     // the kiosk left unranked
	} {
		if err := p.Add(b.r, b.n); err != nil {
			return nil, err
		}
	}
	m, err := voting.NewRegistry().Lookup("schulze")
	if err != nil {
		return nil, err
	}
	res, err := m.Run(voting.Input{Ranked: p}, voting.Options{})
	if err != nil {
		return nil, err
	}
	first := make([]int64, p.N())
	for r, n := range p.Ballots() {
		first[r[0][0]] += n
	}
	proposers := []opendata.MapRow{
		{"auteur": "Jeanne Martin", "courriel": "jeanne.martin@exemple.net"},
		{"auteur": "Paul Durand", "telephone": "+33 6 12 34 56 78"},
		{"auteur": "Léa Bernard", "courriel": "lea.bernard@exemple.net"},
		{"auteur": "Hugo Petit", "telephone": "06 11 22 33 44"},
	}
	elected := map[int]bool{}
	for _, c := range res.Elected {
		elected[c] = true
	}
	var rows opendata.Rows
	for rank, tier := range res.Ranking {
		for _, c := range tier {
			wins := 0
			for o := range p.N() {
				if o != c && res.Pairwise.Beats(c, o) {
					wins++
				}
			}
			row := opendata.MapRow{
				"rang":           rank + 1,
				"projet":         projects[c],
				"premiers_choix": first[c],
				"duels_gagnes":   wins,
				"retenu":         elected[c],
			}
			for k, v := range proposers[c] {
				row[k] = v
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// consultationRows is the count of a consultation: supports per proposal.
// One count is below k and is published empty. The rows also carry the
// authors' contact details, which are not in the allow-list.
func consultationRows() opendata.Rows {
	return opendata.Rows{
		opendata.MapRow{"proposition": "Plus de bancs place du Marché", "quartier": "Centre", "soutiens": 132, "auteur": "Jeanne Martin", "courriel": "jeanne.martin@exemple.net"},
		opendata.MapRow{"proposition": "Piste cyclable vers la gare", "quartier": "Gare", "soutiens": 87, "auteur": "Paul Durand", "telephone": "+33 6 12 34 56 78"},
		opendata.MapRow{"proposition": "Un composteur de quartier", "quartier": "Nord", "soutiens": 2, "auteur": "Léa Bernard", "courriel": "lea.bernard@exemple.net"},
		opendata.MapRow{"proposition": "Éclairage du parc", "quartier": "Sud", "soutiens": 45, "auteur": "Hugo Petit", "telephone": "06 11 22 33 44"},
	}
}

// Identifiers of the published datasets.
const (
	voteID         = "vote-place-du-marche-2024-resultats"
	consultationID = "consultation-quartiers-2024-soutiens"
)

// publications describes the two result tables and their allow-lists.
func publications(town *opendata.Agent, office opendata.Contact, area opendata.Location) []opendata.Publication {
	common := func(p opendata.Publication) opendata.Publication {
		p.ContactPoints = []opendata.Contact{office}
		p.Languages = []opendata.Language{opendata.LanguageFrench, opendata.LanguageEnglish}
		p.Spatial = []opendata.Location{area}
		p.Temporal = []opendata.PeriodOfTime{{Start: day(2024, time.September, 1), End: day(2024, time.October, 31)}}
		p.Themes = []opendata.Theme{opendata.ThemeGovernment}
		return p
	}
	return []opendata.Publication{
		common(opendata.Publication{
			Identifier: voteID,
			Title:      opendata.Text{"fr": "Vote sur la place du Marché 2024 : résultats", "en": "Market square vote 2024: results"},
			Description: opendata.Text{
				"fr": "Classement des quatre projets pour la place du Marché, vote par classement compté avec la méthode de Schulze : rang, premiers choix et duels gagnés.",
				"en": "Ranking of the four projects for the market square, a ranked vote counted with the Schulze method: rank, first choices and head-to-head wins.",
			},
			Keywords: opendata.Keywords{"fr": {"vote", "place du Marché", "méthode de Schulze"}, "en": {"vote", "Schulze method"}},
			Columns: []opendata.PublishedColumn{
				{Column: opendata.Column{Name: "rang", Title: opendata.Text{"fr": "Rang", "en": "Rank"}, Type: opendata.ColumnInteger, Required: true}},
				{Column: opendata.Column{Name: "projet", Title: opendata.Text{"fr": "Projet", "en": "Project"}, Type: opendata.ColumnString, Required: true, PrimaryKey: true}},
				{Column: opendata.Column{Name: "premiers_choix", Title: opendata.Text{"fr": "Premiers choix", "en": "First choices"}, Type: opendata.ColumnInteger,
					Description: opendata.Text{"fr": "Bulletins classant le projet en premier.", "en": "Ballots ranking the project first."}}, Count: true},
				{Column: opendata.Column{Name: "duels_gagnes", Title: opendata.Text{"fr": "Duels gagnés", "en": "Head-to-head wins"}, Type: opendata.ColumnInteger}},
				{Column: opendata.Column{Name: "retenu", Title: opendata.Text{"fr": "Retenu", "en": "Elected"}, Type: opendata.ColumnBoolean}},
			},
			Provenance: opendata.Text{
				"fr": "Bulletins comptés avec la méthode de Schulze de civickit (paquet voting).",
				"en": "Ballots counted with civickit's Schulze method (package voting).",
			},
			Activity: &opendata.Activity{
				IRI:   baseURL + "/consultation/place-du-marche-2024",
				Label: opendata.Text{"fr": "Vote sur la place du Marché 2024", "en": "Market square vote 2024"},
				Start: day(2024, time.October, 1), End: day(2024, time.October, 15),
			},
		}),
		common(opendata.Publication{
			Identifier: consultationID,
			Title:      opendata.Text{"fr": "Consultation des quartiers 2024 : soutiens", "en": "District consultation 2024: supports"},
			Description: opendata.Text{
				"fr": "Soutiens reçus par chaque proposition de la consultation des quartiers.",
				"en": "Supports received by each proposal of the district consultation.",
			},
			Keywords: opendata.Keywords{"fr": {"consultation", "démocratie participative"}, "en": {"consultation"}},
			Columns: []opendata.PublishedColumn{
				{Column: opendata.Column{Name: "proposition", Title: opendata.Text{"fr": "Proposition", "en": "Proposal"}, Type: opendata.ColumnString, Required: true}},
				{Column: opendata.Column{Name: "quartier", Title: opendata.Text{"fr": "Quartier", "en": "District"}, Type: opendata.ColumnString,
					Enum: []string{"Centre", "Nord", "Sud", "Gare"}}},
				{Column: opendata.Column{Name: "soutiens", Title: opendata.Text{"fr": "Soutiens", "en": "Supports"}, Type: opendata.ColumnInteger}, Count: true},
			},
			Provenance: opendata.Text{
				"fr": "Soutiens recueillis en ligne et en mairie, comptés par civickit.",
				"en": "Supports collected online and at the town hall, counted by civickit.",
			},
			Activity: &opendata.Activity{
				IRI:   baseURL + "/consultation/quartiers-2024",
				Label: opendata.Text{"fr": "Consultation des quartiers 2024", "en": "District consultation 2024"},
				Start: day(2024, time.September, 1), End: day(2024, time.September, 30),
			},
		}),
	}
}

// publish publishes the vote and the consultation into st and returns
// what was published, in the order of publications.
func publish(ctx context.Context, st opendata.DatasetUpserter, town *opendata.Agent, office opendata.Contact, area opendata.Location) ([]*opendata.Published, error) {
	p, err := opendata.NewPublisher(opendata.PublisherOptions{
		BaseURL:   baseURL,
		Publisher: town,
		Now:       publishedAt,
	})
	if err != nil {
		return nil, err
	}
	vote, err := voteRows()
	if err != nil {
		return nil, fmt.Errorf("vote: %w", err)
	}
	sources := []opendata.RowSource{vote, consultationRows()}
	var out []*opendata.Published
	for i, pub := range publications(town, office, area) {
		res, _, err := p.PublishTo(ctx, st, pub, sources[i])
		if err != nil {
			return nil, fmt.Errorf("publish %s: %w", pub.Identifier, err)
		}
		out = append(out, res)
	}
	return out, nil
}
