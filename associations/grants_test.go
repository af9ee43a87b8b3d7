package associations

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
)

var allGrantStatuses = []GrantStatus{
	"", GrantDraft, GrantSubmitted, GrantUnderReview, GrantGranted, GrantRejected, GrantPaid, GrantReported, "unknown",
}

func TestAllowedGrantTransitions(t *testing.T) {
	// The workflow as the CERFA procedure runs it; every other pair is refused.
	allowed := map[[2]GrantStatus]bool{
		{GrantDraft, GrantSubmitted}:       true,
		{GrantSubmitted, GrantUnderReview}: true,
		{GrantUnderReview, GrantGranted}:   true,
		{GrantUnderReview, GrantRejected}:  true,
		{GrantGranted, GrantPaid}:          true,
		{GrantPaid, GrantReported}:         true,
	}
	for _, from := range allGrantStatuses {
		next := AllowedGrantTransitions(from)
		for _, to := range allGrantStatuses {
			assert.Equal(t, allowed[[2]GrantStatus{from, to}], slices.Contains(next, to), "%q -> %q", from, to)
		}
	}
}

func TestAllowedGrantTransitionsIsACopy(t *testing.T) {
	next := AllowedGrantTransitions(GrantUnderReview)
	require.NotEmpty(t, next)
	next[0] = GrantReported
	assert.Equal(t, []GrantStatus{GrantGranted, GrantRejected}, AllowedGrantTransitions(GrantUnderReview))
}

// validGrant returns a complete application whose budget balances:
// charges 12 000 € = resources 12 000 €, of which 5 000 € asked of the city
// and 3 000 € of the department.
func validGrant() Grant {
	return Grant{
		AssociationID: uuid.MustParse("0190a7a0-0000-7000-8000-000000000001"),
		Funder:        "Ville de Lyon",
		FundedYear:    2025,
		Applicant: Applicant{
			Name:               "Les Amis du Jardin",
			RNA:                "W691234567",
			Address:            "3 place des Tilleuls, 69001 Lyon",
			RepresentativeName: "Claire Martin",
			RepresentativeRole: "Présidente",
			ContactEmail:       "bureau@amis-du-jardin.example",
		},
		Project: Project{
			Title:       "Jardin partagé",
			Objectives:  "Créer un jardin partagé de quartier",
			Description: "Aménagement de 20 parcelles et ateliers mensuels",
			StartOn:     time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
			EndOn:       time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC),
		},
		Budget: []BudgetLine{
			{Side: Charge, Account: "60", Label: "Achats de semences et outils", AmountCents: 400000},
			{Side: Charge, Account: "64", Label: "Animatrice", AmountCents: 700000},
			{Side: Charge, Account: "86", Label: "Bénévolat valorisé", AmountCents: 100000},
			{Side: Revenue, Account: "70", Label: "Participation des adhérents", AmountCents: 300000},
			{Side: Revenue, Account: "74", Label: "Subvention ville", AmountCents: 500000, Funder: "Ville de Lyon"},
			{Side: Revenue, Account: "74", Label: "Subvention département", AmountCents: 300000, Funder: "Département du Rhône"},
			{Side: Revenue, Account: "87", Label: "Bénévolat valorisé", AmountCents: 100000},
		},
		RequestedCents: 500000,
		CoFunders:      []CoFunder{{Name: "Département du Rhône", AmountCents: 300000}},
	}
}

// fieldRules returns "field rule" for each field error of err.
func fieldRules(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	require.ErrorIs(t, err, ErrInvalid)
	out := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		out[i] = f.Path + " " + f.Rule
	}
	return out
}

func TestCheckBudget(t *testing.T) {
	tests := []struct {
		name   string
		change func(g *Grant)
		want   []string // "field rule", in order; nil when the budget is valid
	}{
		{"valid", func(g *Grant) {}, nil},
		{"funder names compare without case or accents", func(g *Grant) {
			g.Funder = "  VILLE de  lyon "
			g.CoFunders[0].Name = "departement du rhone"
		}, nil},
		{"unbalanced", func(g *Grant) { g.Budget[1].AmountCents = 800000 },
			[]string{"budget balanced"}},
		{"no charge line", func(g *Grant) {
			g.Budget = []BudgetLine{{Side: Revenue, Account: "74", Label: "Subvention", AmountCents: 500000, Funder: "Ville de Lyon"}}
			g.CoFunders = nil
		}, []string{"budget charge_required", "budget balanced", "requested_cents lte_charges"}},
		{"revenue account on the charge side", func(g *Grant) { g.Budget[0].Account = "70" },
			[]string{"budget[0].account charge_account"}},
		{"charge account on the revenue side", func(g *Grant) { g.Budget[3].Account = "64" },
			[]string{"budget[3].account revenue_account"}},
		{"account 69 is no charge class", func(g *Grant) { g.Budget[1].Account = "69" },
			[]string{"budget[1].account charge_account"}},
		{"account 79 is no revenue class", func(g *Grant) { g.Budget[3].Account = "79" },
			[]string{"budget[3].account revenue_account"}},
		{"account must be two digits", func(g *Grant) { g.Budget[0].Account = "6A" },
			[]string{"budget[0].account charge_account"}},
		{"unknown side", func(g *Grant) { g.Budget[0].Side = "expense" },
			[]string{"budget[0].side oneof", "budget balanced"}},
		{"negative amount", func(g *Grant) { g.Budget[2].AmountCents = -100000; g.Budget[6].AmountCents = -100000 },
			[]string{"budget[2].amount_cents gte", "budget[6].amount_cents gte"}},
		{"amount beyond any budget", func(g *Grant) {
			g.Budget[2].AmountCents = maxAmountCents + 1
			g.Budget[6].AmountCents = maxAmountCents + 1
		},
			[]string{"budget[2].amount_cents lte", "budget[6].amount_cents lte"}},
		{"requested differs from the funder's account 74", func(g *Grant) { g.RequestedCents = 400000 },
			[]string{"requested_cents eq_account_74"}},
		{"requested zero", func(g *Grant) {
			g.RequestedCents = 0
			g.Budget[4].Funder = "Région"
			g.CoFunders = append(g.CoFunders, CoFunder{Name: "Région", AmountCents: 500000})
		}, []string{"requested_cents gt"}},
		{"requested above total charges", func(g *Grant) {
			g.Budget[4].AmountCents = 1300000
			g.RequestedCents = 1300000
		}, []string{"budget balanced", "requested_cents lte_charges"}},
		{"co-funder amount differs", func(g *Grant) { g.CoFunders[0].AmountCents = 250000 },
			[]string{"co_funders[0].amount_cents eq_account_74"}},
		{"co-funder declared twice", func(g *Grant) { g.CoFunders = append(g.CoFunders, g.CoFunders[0]) },
			[]string{"co_funders[1].name unique"}},
		{"co-funder is the funder", func(g *Grant) { g.CoFunders = append(g.CoFunders, CoFunder{Name: "ville de lyon", AmountCents: 1}) },
			[]string{"co_funders[1].name unique"}},
		{"co-funder without a budget line", func(g *Grant) { g.CoFunders = append(g.CoFunders, CoFunder{Name: "Région", AmountCents: 100}) },
			[]string{"co_funders[1].amount_cents eq_account_74"}},
		{"grant line of an undeclared funder", func(g *Grant) { g.CoFunders = nil },
			[]string{"budget[5].funder declared_funder"}},
		{"grant line without funder", func(g *Grant) { g.Budget[5].Funder = " "; g.CoFunders = nil },
			[]string{"budget[5].funder required"}},
		{"too many lines", func(g *Grant) {
			for range maxBudgetLines {
				g.Budget = append(g.Budget, BudgetLine{Side: Charge, Account: "60", Label: "x", AmountCents: 1})
			}
		}, []string{"budget max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := validGrant()
			tt.change(&g)
			assert.Equal(t, tt.want, fieldRules(t, g.CheckBudget()))
		})
	}
}

func TestCheckBudgetNamesTheTotals(t *testing.T) {
	g := validGrant()
	g.Budget[1].AmountCents = 800000
	var ve *civickit.ValidationError
	require.ErrorAs(t, g.CheckBudget(), &ve)
	assert.Equal(t, []civickit.FieldError{{Path: "budget", Rule: "balanced", Param: "charges:1300000,revenues:1200000"}}, ve.Fields)
}

func TestBudgetBalance(t *testing.T) {
	tests := []struct {
		name               string
		lines              []BudgetLine
		charges, revenuess int64
	}{
		{"empty", nil, 0, 0},
		{"complete budget", validGrant().Budget, 1200000, 1200000},
		{"lines of no side are left out", []BudgetLine{
			{Side: Charge, AmountCents: 5}, {Side: "", AmountCents: 7}, {Side: Revenue, AmountCents: 3},
		}, 5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, r := BudgetBalance(tt.lines)
			assert.Equal(t, tt.charges, c, "charges")
			assert.Equal(t, tt.revenuess, r, "revenues")
		})
	}
}

func testService() *Service {
	return &Service{validate: newValidator(), now: func() time.Time { return time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC) }}
}

func TestValidateGrant(t *testing.T) {
	tests := []struct {
		name   string
		change func(g *Grant)
		want   []string
	}{
		{"complete", func(g *Grant) {}, nil},
		{"required fields", func(g *Grant) {
			g.Funder = ""
			g.Applicant.ContactEmail = ""
			g.Project.Title = ""
		}, []string{"funder required", "applicant.contact_email required", "project.title required",
			"requested_cents eq_account_74", "budget[4].funder declared_funder"}},
		{"format of the fields", func(g *Grant) {
			g.Applicant.SIRET = "12345678901234"
			g.FundedYear = 1999
			g.Project.EndOn = g.Project.StartOn.AddDate(0, 0, -1)
		}, []string{"funded_year gte", "applicant.siret siret", "project.end_on gtefield"}},
		{"budget tag and rule report a negative amount once", func(g *Grant) {
			g.Budget[2].AmountCents = -100000
			g.Budget[6].AmountCents = -100000
		}, []string{"budget[2].amount_cents gte", "budget[6].amount_cents gte"}},
		{"budget line fields", func(g *Grant) { g.Budget[0].Label = "" },
			[]string{"budget[0].label required"}},
	}
	s := testService()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := validGrant()
			tt.change(&g)
			assert.Equal(t, tt.want, fieldRules(t, s.ValidateGrant(&g)))
		})
	}
}

func TestValidateGrantDraft(t *testing.T) {
	assoc := uuid.MustParse("0190a7a0-0000-7000-8000-000000000001")
	tests := []struct {
		name  string
		draft Grant
		want  []string
	}{
		{"nearly empty", Grant{AssociationID: assoc}, nil},
		{"association required", Grant{Funder: "Ville de Lyon"}, []string{"association_id required"}},
		{"unbalanced budget waits for submission", Grant{AssociationID: assoc, Budget: []BudgetLine{{Side: Charge, AmountCents: 100}}}, nil},
		{"filled fields keep their form", Grant{
			AssociationID: assoc,
			FundedYear:    1999,
			Applicant:     Applicant{ContactEmail: "not an email"},
			Budget:        []BudgetLine{{Account: "6"}},
		}, []string{"funded_year gte", "applicant.contact_email email", "budget[0].account len"}},
		{"project dates in order once both are set", Grant{
			AssociationID: assoc,
			Project:       Project{StartOn: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), EndOn: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)},
		}, []string{"project.end_on gtefield"}},
		{"start date alone", Grant{
			AssociationID: assoc,
			Project:       Project{StartOn: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		}, nil},
	}
	s := testService()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, fieldRules(t, s.validateGrantDraft(&tt.draft)))
		})
	}
}

func TestNormalizeGrant(t *testing.T) {
	g := validGrant()
	g.Funder = "  Ville de Lyon "
	g.Applicant.RNA = " w691234567 "
	g.Applicant.SIRET = "732 829 320 00074"
	g.Project.StartOn = time.Date(2025, 3, 1, 22, 30, 0, 0, time.UTC)
	g.Budget[0].Account = " 60 "
	normalizeGrant(&g)
	assert.Equal(t, "Ville de Lyon", g.Funder)
	assert.Equal(t, "W691234567", g.Applicant.RNA)
	assert.Equal(t, "73282932000074", g.Applicant.SIRET)
	assert.Equal(t, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), g.Project.StartOn)
	assert.Equal(t, "60", g.Budget[0].Account)
}

func TestReportDueDate(t *testing.T) {
	tests := []struct {
		year int
		want time.Time
	}{
		{2024, time.Date(2025, time.June, 30, 0, 0, 0, 0, time.UTC)},
		{2025, time.Date(2026, time.June, 30, 0, 0, 0, 0, time.UTC)},
		{2099, time.Date(2100, time.June, 30, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got := ReportDueDate(tt.year)
		assert.True(t, tt.want.Equal(got), "ReportDueDate(%d) = %v, want %v", tt.year, got, tt.want)
		assert.Equal(t, time.UTC, got.Location())
		// Six months after the last day of the funded year.
		endOfYear := time.Date(tt.year, time.December, 31, 0, 0, 0, 0, time.UTC)
		assert.Equal(t, endOfYear.AddDate(0, 6, -1), got)
	}
}

func TestReportOverdue(t *testing.T) {
	due := ReportDueDate(2025) // 2026-06-30
	reported := time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)
	onDueDay := time.Date(2026, 6, 30, 23, 59, 0, 0, time.UTC)
	dayAfter := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		grant  Grant
		now    time.Time
		expect bool
	}{
		{"granted, before due date", Grant{Status: GrantGranted, ReportDueOn: &due}, onDueDay, false},
		{"granted, day after due date", Grant{Status: GrantGranted, ReportDueOn: &due}, dayAfter, true},
		{"paid, day after due date", Grant{Status: GrantPaid, ReportDueOn: &due}, dayAfter, true},
		{"paid, in another time zone", Grant{Status: GrantPaid, ReportDueOn: &due}, dayAfter.In(time.FixedZone("UTC-5", -5*3600)), true},
		{"reported", Grant{Status: GrantReported, ReportDueOn: &due, ReportedOn: &reported}, dayAfter, false},
		{"rejected", Grant{Status: GrantRejected}, dayAfter, false},
		{"draft", Grant{Status: GrantDraft}, dayAfter, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.expect, tt.grant.ReportOverdue(tt.now))
		})
	}
}

func TestFunderKey(t *testing.T) {
	assert.Equal(t, funderKey("Ville de Saint-Étienne"), funderKey("  ville  de saint-etienne"))
	assert.NotEqual(t, funderKey("Ville de Lyon"), funderKey("Métropole de Lyon"))
}

func TestCheckActor(t *testing.T) {
	long := strings.Repeat("é", maxActorLen+1)
	for _, tt := range []struct {
		actor string
		want  []string
	}{
		{"agent.dupont", nil},
		{"  ", []string{"actor required"}},
		{long, []string{"actor max"}},
	} {
		ve := &civickit.ValidationError{}
		checkActor(tt.actor, ve)
		err := ve.Err()
		assert.Equal(t, tt.want, fieldRules(t, err))
		if tt.want != nil {
			assert.True(t, errors.Is(err, ErrInvalid))
		}
	}
}
