package participation_test

import (
	"context"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

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
				BirthDate: civickit.PartialDate{Year: 1990}})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.ClaimCensus(ctx, p.ID, "roll", "R-1"); err != nil {
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
