package participation_test

import (
	"context"
	"fmt"
	"github.com/civickit/civickit"
	"testing"
	"time"

	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// BenchmarkBuildFollowUpTree builds and rolls up a follow-up tree whose
// items hang under a random earlier item (about log n deep on average).
func BenchmarkBuildFollowUpTree(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := participationtest.NewRand(1)
			items := make([]participation.FollowUpItem, n)
			for i := range items {
				items[i] = participation.FollowUpItem{ID: participationtest.NewID(rng), Position: rng.IntN(10),
					Progress: float64(rng.IntN(101)), Weight: float64(1 + rng.IntN(5))}
				if i > 0 && rng.IntN(20) > 0 {
					items[i].ParentID = &items[rng.IntN(i)].ID
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := participation.BuildFollowUpTree(items, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}

// BenchmarkChecks measures the guards every contribution goes through,
// per engine: CheckAction (load the consultation, apply the schedule,
// consult the action table) and CheckEligibility with every rule on
// (territory, minimum age, census list, unexpired assurance level).
func BenchmarkChecks(b *testing.B) {
	ctx := context.Background()
	for _, engine := range storagetest.Engines() {
		b.Run(string(engine), func(b *testing.B) {
			st := storage.NewParticipationStore(storagetest.Open(b, engine))
			now := participationtest.BaseTime.Add(time.Hour)
			svc, err := participation.NewService(st, participation.Options{
				Now: func() time.Time { return now }, Verifiers: []participation.Verifier{letterVerifier{}},
			})
			if err != nil {
				b.Fatal(err)
			}
			in := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
			in.Settings.Schedule = true
			in.Settings.Eligibility = participation.Eligibility{Territories: []string{"69123"}, MinAge: 16,
				CensusList: "roll", MinAssurance: civickit.AssuranceSubstantial}
			c, err := svc.CreateConsultation(ctx, in)
			if err != nil {
				b.Fatal(err)
			}
			if err := svc.AddCensusEntries(ctx, "roll", []string{"R-1"}); err != nil {
				b.Fatal(err)
			}
			p, err := svc.RegisterParticipant(ctx, &participation.PersonalData{Territory: "69123",
				BirthDate: civickit.PartialDate{Year: 1990}, CensusKey: "R-1"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Verify(ctx, p.ID, "letter", participation.Evidence{Kind: "code", Value: "high 0"}); err != nil {
				b.Fatal(err)
			}
			b.Run("CheckAction", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := svc.CheckAction(ctx, c.ID, participation.ActionReadResource); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("CheckEligibility", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := svc.CheckEligibility(ctx, c.ID, p.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
