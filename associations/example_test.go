package associations_test

import (
	"fmt"

	"github.com/civickit/civickit/associations"
)

func ExampleValidSIRET() {
	fmt.Println(associations.ValidSIRET("73282932000074")) // Luhn holds
	fmt.Println(associations.ValidSIRET("73282932000075")) // one digit off
	fmt.Println(associations.ValidSIRET("35600000000048")) // La Poste: digit sum 25
	// Output:
	// true
	// false
	// true
}

func ExampleValidRNA() {
	for _, rna := range []string{"W751234567", "751P00085568", "2A1P00012345", "W75123456"} {
		fmt.Println(rna, associations.ValidRNA(rna))
	}
	// Output:
	// W751234567 true
	// 751P00085568 true
	// 2A1P00012345 true
	// W75123456 false
}

func ExampleDistance() {
	paris := associations.Point{Lat: 48.8566, Lon: 2.3522}
	lyon := associations.Point{Lat: 45.7640, Lon: 4.8357}
	fmt.Printf("%.0f km\n", associations.Distance(paris, lyon)/1000)
	// Output:
	// 391 km
}

func ExampleAllowedGrantTransitions() {
	for _, from := range []associations.GrantStatus{
		associations.GrantDraft, associations.GrantSubmitted, associations.GrantUnderReview,
		associations.GrantGranted, associations.GrantPaid, associations.GrantRejected,
	} {
		fmt.Println(from, "->", associations.AllowedGrantTransitions(from))
	}
	// Output:
	// draft -> [submitted]
	// submitted -> [under_review]
	// under_review -> [granted rejected]
	// granted -> [paid]
	// paid -> [reported]
	// rejected -> []
}

func ExampleBudgetBalance() {
	budget := []associations.BudgetLine{
		{Side: associations.Charge, Account: "60", Label: "Achats", AmountCents: 150000},
		{Side: associations.Charge, Account: "62", Label: "Location de salle", AmountCents: 50000},
		{Side: associations.Revenue, Account: "70", Label: "Billetterie", AmountCents: 80000},
		{Side: associations.Revenue, Account: "74", Label: "Subvention", AmountCents: 100000, Funder: "Ville de Nantes"},
	}
	charges, revenues := associations.BudgetBalance(budget)
	fmt.Printf("charges %d, revenues %d, balanced %t\n", charges, revenues, charges == revenues)
	// Output:
	// charges 200000, revenues 180000, balanced false
}

func ExampleGrant_CheckBudget() {
	g := associations.Grant{
		Funder:         "Ville de Nantes",
		RequestedCents: 100000,
		Budget: []associations.BudgetLine{
			{Side: associations.Charge, Account: "60", Label: "Achats", AmountCents: 150000},
			{Side: associations.Charge, Account: "62", Label: "Location de salle", AmountCents: 50000},
			{Side: associations.Revenue, Account: "70", Label: "Billetterie", AmountCents: 80000},
			{Side: associations.Revenue, Account: "74", Label: "Subvention", AmountCents: 100000, Funder: "Ville de Nantes"},
		},
	}
	fmt.Println(g.CheckBudget())

	g.Budget = append(g.Budget, associations.BudgetLine{Side: associations.Revenue, Account: "75", Label: "Cotisations", AmountCents: 20000})
	fmt.Println(g.CheckBudget())
	// Output:
	// invalid input: budget: balanced=charges:200000,revenues:180000
	// <nil>
}

func ExampleReportDueDate() {
	fmt.Println(associations.ReportDueDate(2025).Format("2006-01-02"))
	// Output:
	// 2026-06-30
}
