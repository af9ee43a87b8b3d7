package associations

import (
	"time"

	"github.com/google/uuid"
)

// GrantStatus is a grant application's place in its workflow:
//
//	draft -> submitted -> under_review -> granted -> paid -> reported
//	                                   \-> rejected
type GrantStatus string

const (
	GrantDraft       GrantStatus = "draft"
	GrantSubmitted   GrantStatus = "submitted"
	GrantUnderReview GrantStatus = "under_review"
	GrantGranted     GrantStatus = "granted"
	GrantRejected    GrantStatus = "rejected"
	GrantPaid        GrantStatus = "paid"
	GrantReported    GrantStatus = "reported"
)

// BudgetSide says whether a budget line is a charge or a resource.
type BudgetSide string

const (
	Charge  BudgetSide = "charge"  // CERFA accounts 60-68 and 86
	Revenue BudgetSide = "revenue" // CERFA accounts 70-78 and 87
)

// BudgetLine is one line of the project budget (CERFA 12156, section 6).
// Account is the accounting class of the French plan comptable used by the
// form ("60" purchases, "64" staff, "74" operating grants, "86"/"87"
// voluntary contributions in kind...). Grants (account 74) name their Funder.
type BudgetLine struct {
	Side        BudgetSide `json:"side" validate:"required,oneof=charge revenue"`
	Account     string     `json:"account" validate:"required,numeric,len=2"`
	Label       string     `json:"label" validate:"required,max=200"`
	AmountCents int64      `json:"amount_cents" validate:"gte=0"`
	Funder      string     `json:"funder,omitempty" validate:"max=200"`
}

// CoFunder is another body asked to fund the same project.
type CoFunder struct {
	Name        string `json:"name" validate:"required,max=200"`
	AmountCents int64  `json:"amount_cents" validate:"gt=0"`
	Obtained    bool   `json:"obtained"` // false: requested, not yet decided
}

// Applicant identifies the applying association (CERFA section 1-3).
type Applicant struct {
	Name               string `json:"name" validate:"required,max=250"`
	RNA                string `json:"rna,omitempty" validate:"omitempty,rna"`
	SIRET              string `json:"siret,omitempty" validate:"omitempty,siret"`
	Address            string `json:"address" validate:"required,max=500"`
	RepresentativeName string `json:"representative_name" validate:"required,max=200"`
	RepresentativeRole string `json:"representative_role" validate:"required,max=100"`
	ContactEmail       string `json:"contact_email" validate:"required,email,max=250"`
}

// Project describes the action to be funded (CERFA section 5).
type Project struct {
	Title         string    `json:"title" validate:"required,max=250"`
	Objectives    string    `json:"objectives" validate:"required,max=4000"`
	Description   string    `json:"description" validate:"required,max=8000"`
	Beneficiaries string    `json:"beneficiaries,omitempty" validate:"max=2000"`
	Location      string    `json:"location,omitempty" validate:"max=500"`
	StartOn       time.Time `json:"start_on" validate:"required"`
	EndOn         time.Time `json:"end_on" validate:"required,gtefield=StartOn"`
}

// Grant is an application for a grant by an association to a funder.
type Grant struct {
	ID            uuid.UUID `json:"id"`
	AssociationID uuid.UUID `json:"association_id" validate:"required"`
	Funder        string    `json:"funder" validate:"required,max=200"` // the authority asked
	// SchemeID names the aid scheme of the catalogue applied to, if any:
	// SubmitGrant checks its deadline, amounts and themes.
	SchemeID       *uuid.UUID   `json:"scheme_id,omitempty"`
	FundedYear     int          `json:"funded_year" validate:"gte=2000,lte=2200"`
	Applicant      Applicant    `json:"applicant"`
	Project        Project      `json:"project"`
	Budget         []BudgetLine `json:"budget" validate:"max=200,dive"`
	RequestedCents int64        `json:"requested_cents" validate:"gte=0"`
	CoFunders      []CoFunder   `json:"co_funders,omitempty" validate:"max=50,dive"`

	Status       GrantStatus `json:"status"`
	GrantedCents int64       `json:"granted_cents"`
	PaidCents    int64       `json:"paid_cents"`
	// ReportDueOn is set when the grant is awarded: the financial report is
	// due within six months after the funded year ends.
	ReportDueOn *time.Time `json:"report_due_on,omitempty"`
	ReportedOn  *time.Time `json:"reported_on,omitempty"`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// GrantTransition records one step of a grant's workflow: who, when, why.
type GrantTransition struct {
	ID      uuid.UUID   `json:"id"`
	GrantID uuid.UUID   `json:"grant_id"`
	From    GrantStatus `json:"from"`
	To      GrantStatus `json:"to"`
	Actor   string      `json:"actor"`
	At      time.Time   `json:"at"`
	Note    string      `json:"note,omitempty"`
}
