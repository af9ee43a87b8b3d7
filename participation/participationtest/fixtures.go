package participationtest

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
)

// Fixture builders. They are deterministic for a given rng, produce records
// that pass the participation Service's validation, and carry timestamps
// with microsecond precision so that a stored record compares equal to
// the one that was written.

// BaseTime is the instant every fixture timestamp is derived from.
var BaseTime = time.Date(2025, time.March, 3, 8, 0, 0, 123456000, time.UTC)

// NewRand returns a PCG generator for a fixed seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// NewID returns a random (version 4) UUID drawn from rng, so that fixtures
// are reproducible.
func NewID(rng *rand.Rand) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[:8], rng.Uint64())
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// Territories are the codes fixtures live in (INSEE commune codes).
var Territories = []string{"75056", "69123", "13055", "2A004", "97411"}

var (
	topics     = []string{"la place du marché", "les pistes cyclables", "le budget participatif", "la cantine scolaire", "l'éclairage public", "les jardins partagés"}
	organisers = []string{"Ville de Lyon", "Mairie de Paris", "Métropole Aix-Marseille", "Collectivité de Corse", "Commune de Saint-Denis"}
	names      = []string{"Éloïse Martin", "Noël Bernard", "Zoé Lefèvre", "Loïc Nguyễn", "Hélène O'Brien", "Jérôme García", "Anaïs Müller"}
)

// NewConsultation returns a valid draft consultation, unique to i, with
// the five phases back to back, each a week long from BaseTime plus i
// days, and Version 1.
func NewConsultation(rng *rand.Rand, i int) *participation.Consultation {
	start := BaseTime.Add(time.Duration(i) * 24 * time.Hour)
	var phases []participation.Phase
	at := start
	for _, k := range participation.PhaseKinds() {
		next := at.Add(7 * 24 * time.Hour)
		phases = append(phases, participation.Phase{Kind: k, Starts: at, Ends: next})
		at = next
	}
	topic := topics[rng.IntN(len(topics))]
	created := BaseTime.Add(-time.Duration(rng.IntN(1_000_000_000)) * time.Microsecond)
	return &participation.Consultation{
		ID:        NewID(rng),
		Title:     fmt.Sprintf("Consultation n°%d sur %s", i, topic),
		Summary:   "Donnez votre avis sur " + topic + ".",
		Body:      "Documents, réunions publiques et questionnaire : " + topic + ".\nParticipez en ligne ou sur papier.",
		Organiser: organisers[rng.IntN(len(organisers))],
		Territory: Territories[rng.IntN(len(Territories))],
		Languages: []string{"fr", "en"}[:1+rng.IntN(2)],
		Phases:    phases,
		Status:    participation.StatusDraft,
		Settings: participation.Settings{
			Channels: []civickit.Channel{civickit.ChannelWeb, civickit.ChannelPaper},
			AccessPoints: []participation.AccessPoint{
				{ID: "bm-part-dieu", Name: "Bibliothèque de la Part-Dieu", Address: "30 bd Vivier-Merle", Hours: "mar-sam 10h-19h"},
			},
			Eligibility: participation.Eligibility{MinAge: 16},
		},
		Version:   1,
		CreatedAt: created,
		UpdatedAt: created,
	}
}

// NewParticipant returns a participant unique to i and its personal data
// (a name, an e-mail address, a territory, a partial or full birth
// date), created at BaseTime plus i seconds.
func NewParticipant(rng *rand.Rand, i int) (*participation.Participant, *participation.PersonalData) {
	created := BaseTime.Add(time.Duration(i) * time.Second)
	p := &participation.Participant{ID: NewID(rng), CreatedAt: created}
	bd := civickit.PartialDate{Year: 1940 + rng.IntN(70)}
	switch rng.IntN(3) {
	case 1:
		bd.Month = 1 + rng.IntN(12)
	case 2:
		bd.Month, bd.Day = 1+rng.IntN(12), 1+rng.IntN(28)
	}
	pd := &participation.PersonalData{
		ParticipantID: p.ID,
		Name:          names[rng.IntN(len(names))],
		Email:         fmt.Sprintf("participant%d@example.org", i),
		Phone:         fmt.Sprintf("+33 6 %02d %02d %02d %02d", i/1000000%100, i/10000%100, i/100%100, i%100),
		Address:       fmt.Sprintf("%d rue de la République", 1+i%200),
		Territory:     Territories[rng.IntN(len(Territories))],
		BirthDate:     bd,
		CreatedAt:     created,
		UpdatedAt:     created,
	}
	return p, pd
}

// Provenance returns a valid provenance on channel ch, collected by
// agent-i at the first fixture access point when the channel needs it.
func Provenance(ch civickit.Channel, i int) civickit.Provenance {
	p := civickit.Provenance{Channel: ch}
	if ch.Assisted() && ch != civickit.ChannelKiosk {
		p.CollectedBy = fmt.Sprintf("agent-%d", i)
	}
	switch ch {
	case civickit.ChannelPaper, civickit.ChannelKiosk, civickit.ChannelMediator:
		p.Place = "bm-part-dieu"
	}
	return p
}
