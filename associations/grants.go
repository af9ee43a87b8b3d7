package associations

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"

	"github.com/civickit/civickit"
)

// AllowedGrantTransitions returns the statuses a grant in status from may
// move to. Rejected and reported grants are final. Creation ("" -> draft)
// is not in the table: only CreateGrant makes drafts.
func AllowedGrantTransitions(from GrantStatus) []GrantStatus {
	switch from {
	case GrantDraft:
		return []GrantStatus{GrantSubmitted}
	case GrantSubmitted:
		return []GrantStatus{GrantUnderReview}
	case GrantUnderReview:
		return []GrantStatus{GrantGranted, GrantRejected}
	case GrantGranted:
		return []GrantStatus{GrantPaid}
	case GrantPaid:
		return []GrantStatus{GrantReported}
	}
	return nil
}

// Bounds on a budget: with at most maxBudgetLines lines of at most
// maxAmountCents each, no total can overflow an int64.
const (
	maxBudgetLines = 200                   // as the struct tag on Grant.Budget
	maxAmountCents = 1_000_000_000_000_000 // ten thousand billion euros
)

// Lengths, in characters, of what a transition records.
const (
	maxActorLen = 200
	maxNoteLen  = 2000 // notes and rejection reasons
)

// ReportDueDate returns the day the financial report of a grant for
// fundedYear is due: six months after the funded year ends, June 30 of the
// next year (UTC midnight).
func ReportDueDate(fundedYear int) time.Time {
	return time.Date(fundedYear+1, time.June, 30, 0, 0, 0, 0, time.UTC)
}

// ReportOverdue reports whether g was awarded and its financial report is
// still missing after its due date. Dates are UTC days: the due day itself
// is not late.
func (g *Grant) ReportOverdue(now time.Time) bool {
	if g.ReportDueOn == nil || g.ReportedOn != nil {
		return false
	}
	if g.Status != GrantGranted && g.Status != GrantPaid {
		return false
	}
	return !now.Before(g.ReportDueOn.AddDate(0, 0, 1))
}

// BudgetBalance returns the totals of the charge and of the revenue lines.
// It adds the amounts as they are; CheckBudget bounds them so that the
// totals of an accepted budget cannot overflow.
func BudgetBalance(lines []BudgetLine) (charges, revenues int64) {
	for _, l := range lines {
		switch l.Side {
		case Charge:
			charges += l.AmountCents
		case Revenue:
			revenues += l.AmountCents
		}
	}
	return charges, revenues
}

// CheckBudget checks the CERFA budget rules and returns a *civickit.ValidationError
// naming every broken one:
//   - there is at least one charge line ("budget": "charge_required");
//   - total charges equal total revenues ("budget": "balanced");
//   - charges use accounts 60-68 or 86, revenues 70-78 or 87
//     ("budget[i].account": "charge_account" / "revenue_account");
//   - grant lines (revenue, account 74) name their funder, which is the
//     grant's Funder or a declared co-funder ("budget[i].funder");
//   - RequestedCents equals the account-74 lines of Funder, is positive and
//     does not exceed total charges ("requested_cents");
//   - each co-funder's amount equals its account-74 lines
//     ("co_funders[i].amount_cents": "eq_account_74").
//
// Funder names are compared ignoring case, accents and repeated spaces.
func (g *Grant) CheckBudget() error {
	ve := &civickit.ValidationError{}
	g.checkBudget(ve)
	return ve.Err()
}

func (g *Grant) checkBudget(ve *civickit.ValidationError) {
	if len(g.Budget) > maxBudgetLines {
		ve.Add("budget", "max", strconv.Itoa(maxBudgetLines))
		return // the sums below could overflow
	}
	var charges, revenues int64
	hasCharge := false
	byFunder := map[string]int64{} // account-74 revenue per funder key
	for i, l := range g.Budget {
		path := "budget[" + strconv.Itoa(i) + "]"
		amount := l.AmountCents
		switch {
		case amount < 0:
			ve.Add(path+".amount_cents", "gte", "0")
			amount = 0
		case amount > maxAmountCents:
			ve.Add(path+".amount_cents", "lte", strconv.FormatInt(maxAmountCents, 10))
			amount = 0
		}
		switch l.Side {
		case Charge:
			hasCharge = true
			charges += amount
			if !chargeAccount(l.Account) {
				ve.Add(path+".account", "charge_account", "60-68|86")
			}
		case Revenue:
			revenues += amount
			if !revenueAccount(l.Account) {
				ve.Add(path+".account", "revenue_account", "70-78|87")
			}
			if l.Account == "74" {
				if strings.TrimSpace(l.Funder) == "" {
					ve.Add(path+".funder", "required", "")
				} else {
					byFunder[funderKey(l.Funder)] += amount
				}
			}
		default:
			ve.Add(path+".side", "oneof", "charge revenue")
		}
	}
	if !hasCharge {
		ve.Add("budget", "charge_required", "")
	}
	if charges != revenues {
		ve.Add("budget", "balanced", fmt.Sprintf("charges:%d,revenues:%d", charges, revenues))
	}

	funder := funderKey(g.Funder)
	if g.RequestedCents <= 0 {
		ve.Add("requested_cents", "gt", "0")
	} else if g.RequestedCents > charges {
		ve.Add("requested_cents", "lte_charges", strconv.FormatInt(charges, 10))
	}
	if g.RequestedCents != byFunder[funder] {
		ve.Add("requested_cents", "eq_account_74", strconv.FormatInt(byFunder[funder], 10))
	}

	declared := map[string]bool{funder: true}
	for i, c := range g.CoFunders {
		path := "co_funders[" + strconv.Itoa(i) + "]"
		key := funderKey(c.Name)
		if declared[key] {
			ve.Add(path+".name", "unique", "")
			continue
		}
		declared[key] = true
		if c.AmountCents != byFunder[key] {
			ve.Add(path+".amount_cents", "eq_account_74", strconv.FormatInt(byFunder[key], 10))
		}
	}
	// A grant asked of an undeclared funder would escape the co-funder list.
	for i, l := range g.Budget {
		if l.Side == Revenue && l.Account == "74" && strings.TrimSpace(l.Funder) != "" && !declared[funderKey(l.Funder)] {
			ve.Add("budget["+strconv.Itoa(i)+"].funder", "declared_funder", "")
		}
	}
}

// chargeAccount reports whether account is a CERFA charge class: 60-68, 86.
func chargeAccount(account string) bool {
	return len(account) == 2 && allDigits(account) &&
		(account >= "60" && account <= "68" || account == "86")
}

// revenueAccount reports whether account is a CERFA resource class: 70-78, 87.
func revenueAccount(account string) bool {
	return len(account) == 2 && allDigits(account) &&
		(account >= "70" && account <= "78" || account == "87")
}

// funderKey is how funder names compare: "Ville de Saint-Étienne" and
// "ville de  saint-etienne" are the same funder.
func funderKey(name string) string {
	return strings.Join(strings.Fields(civickit.Fold(name)), " ")
}

// ValidateGrant checks a grant for submission: every struct rule (required
// fields included), the budget rules of CheckBudget, and returns a
// *civickit.ValidationError naming every broken rule.
func (s *Service) ValidateGrant(g *Grant) error {
	ve := &civickit.ValidationError{}
	civickit.CheckStruct(s.validate, "", g, ve)
	g.checkBudget(ve)
	return uniqueFieldErrors(ve).Err()
}

// validateGrantDraft checks what a draft must satisfy: it names its
// association, and the fields filled in so far have the right form.
func (s *Service) validateGrantDraft(g *Grant) error {
	ve := &civickit.ValidationError{}
	if g.AssociationID == uuid.Nil {
		ve.Add("association_id", "required", "")
	}
	checkFilledFields(s.validate, g, ve)
	return ve.Err()
}

// checkFilledFields is civickit.CheckStruct for partial input: a rule broken by a
// field still at its zero value is not reported, so "required" never is,
// nor a range such as funded_year's on a year not yet chosen.
func checkFilledFields(v *validator.Validate, s any, into *civickit.ValidationError) {
	err := v.Struct(s)
	if err == nil {
		return
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		into.Add("", "invalid", "")
		return
	}
	for _, fe := range verrs {
		if fv := reflect.ValueOf(fe.Value()); !fv.IsValid() || fv.IsZero() {
			continue
		}
		// Namespace is "Type.field.sub"; drop the root type name.
		path := fe.Namespace()
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest
		}
		into.Add(path, fe.Tag(), fe.Param())
	}
}

// uniqueFieldErrors drops repeated field errors: a struct tag and a domain
// rule may both catch the same mistake.
func uniqueFieldErrors(ve *civickit.ValidationError) *civickit.ValidationError {
	seen := make(map[civickit.FieldError]bool, len(ve.Fields))
	out := ve.Fields[:0]
	for _, f := range ve.Fields {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	ve.Fields = out
	return ve
}

// normalizeGrant trims text and reduces dates to UTC days.
func normalizeGrant(g *Grant) {
	g.Funder = strings.TrimSpace(g.Funder)
	ap := &g.Applicant
	ap.Name = strings.TrimSpace(ap.Name)
	ap.RNA = strings.ToUpper(strings.TrimSpace(ap.RNA))
	ap.SIRET = strings.ReplaceAll(strings.TrimSpace(ap.SIRET), " ", "")
	ap.Address = strings.TrimSpace(ap.Address)
	ap.RepresentativeName = strings.TrimSpace(ap.RepresentativeName)
	ap.RepresentativeRole = strings.TrimSpace(ap.RepresentativeRole)
	ap.ContactEmail = strings.TrimSpace(ap.ContactEmail)
	p := &g.Project
	p.Title = strings.TrimSpace(p.Title)
	p.Objectives = strings.TrimSpace(p.Objectives)
	p.Description = strings.TrimSpace(p.Description)
	p.StartOn = *dateOnly(&p.StartOn)
	p.EndOn = *dateOnly(&p.EndOn)
	for i := range g.Budget {
		l := &g.Budget[i]
		l.Account = strings.TrimSpace(l.Account)
		l.Label = strings.TrimSpace(l.Label)
		l.Funder = strings.TrimSpace(l.Funder)
	}
	for i := range g.CoFunders {
		g.CoFunders[i].Name = strings.TrimSpace(g.CoFunders[i].Name)
	}
}

// checkActor returns the trimmed actor and records it if missing or too long.
func checkActor(actor string, ve *civickit.ValidationError) string {
	actor = strings.TrimSpace(actor)
	switch {
	case actor == "":
		ve.Add("actor", "required", "")
	case utf8.RuneCountInString(actor) > maxActorLen:
		ve.Add("actor", "max", strconv.Itoa(maxActorLen))
	}
	return actor
}

// checkNote records a note or reason longer than maxNoteLen.
func checkNote(field, note string, ve *civickit.ValidationError) {
	if utf8.RuneCountInString(note) > maxNoteLen {
		ve.Add(field, "max", strconv.Itoa(maxNoteLen))
	}
}

// CreateGrant stores g as a new draft on behalf of actor and records the
// transition "" -> draft. A draft may be incomplete: only the form of the
// fields filled in is checked, and that its association exists
// (ErrNotFound otherwise). ID, status, amounts decided by the funder,
// version and timestamps are set by the service.
func (s *Service) CreateGrant(ctx context.Context, g Grant, actor string) (*Grant, error) {
	ve := &civickit.ValidationError{}
	actor = checkActor(actor, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	normalizeGrant(&g)
	if err := s.validateGrantDraft(&g); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	g.ID = s.newID()
	g.Status = GrantDraft
	g.GrantedCents, g.PaidCents = 0, 0
	g.ReportDueOn, g.ReportedOn = nil, nil
	g.Version = 1
	g.CreatedAt, g.UpdatedAt = now, now
	t := GrantTransition{ID: s.newID(), GrantID: g.ID, To: GrantDraft, Actor: actor, At: now}
	if err := s.store.CreateGrant(ctx, &g, t); err != nil {
		return nil, fmt.Errorf("create grant: %w", err)
	}
	return &g, nil
}

// UpdateGrantDraft replaces the applicant's part of a draft (g.ID and
// g.Version name the draft and the version read). The edit is recorded in
// the history as draft -> draft with the note "draft updated", so that the
// trail shows who changed the application before it was submitted. Once
// submitted, a grant cannot be edited: *TransitionError.
func (s *Service) UpdateGrantDraft(ctx context.Context, g Grant, actor string) (*Grant, error) {
	ve := &civickit.ValidationError{}
	actor = checkActor(actor, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	cur, err := s.store.GetGrant(ctx, g.ID)
	if err != nil {
		return nil, fmt.Errorf("get grant: %w", err)
	}
	if cur.Status != GrantDraft {
		return nil, &TransitionError{Entity: "grant", From: string(cur.Status), To: string(GrantDraft)}
	}
	switch g.AssociationID {
	case uuid.Nil:
		g.AssociationID = cur.AssociationID
	case cur.AssociationID:
	default:
		return nil, civickit.Invalid("association_id", "immutable", "")
	}
	normalizeGrant(&g)
	if err := s.validateGrantDraft(&g); err != nil {
		return nil, err
	}
	// The workflow's fields are the service's, not the applicant's.
	g.Status = cur.Status
	g.GrantedCents, g.PaidCents = cur.GrantedCents, cur.PaidCents
	g.ReportDueOn, g.ReportedOn = cur.ReportDueOn, cur.ReportedOn
	g.CreatedAt = cur.CreatedAt
	return s.saveGrant(ctx, &g, GrantDraft, actor, "draft updated")
}

// SubmitGrant checks the complete application (ValidateGrant) and moves
// the draft to submitted.
func (s *Service) SubmitGrant(ctx context.Context, id uuid.UUID, version int, actor string) (*Grant, error) {
	var schemeErr error
	g, err := s.moveGrant(ctx, id, version, GrantSubmitted, actor, "", func(g *Grant, ve *civickit.ValidationError) {
		ve.Merge("", s.ValidateGrant(g))
		if schemeErr = s.checkScheme(ctx, g, s.now(), ve); schemeErr != nil {
			ve.Add("scheme_id", "unavailable", "") // stops the move; schemeErr is returned
		}
	})
	if schemeErr != nil {
		return nil, fmt.Errorf("submit grant: %w", schemeErr)
	}
	return g, err
}

// StartReview moves a submitted grant to under_review.
func (s *Service) StartReview(ctx context.Context, id uuid.UUID, version int, actor string) (*Grant, error) {
	return s.moveGrant(ctx, id, version, GrantUnderReview, actor, "", nil)
}

// AwardGrant grants grantedCents (0 < grantedCents <= requested) and sets
// the report's due date, ReportDueDate(FundedYear).
func (s *Service) AwardGrant(ctx context.Context, id uuid.UUID, version int, actor string, grantedCents int64, note string) (*Grant, error) {
	note = strings.TrimSpace(note)
	return s.moveGrant(ctx, id, version, GrantGranted, actor, note, func(g *Grant, ve *civickit.ValidationError) {
		switch {
		case grantedCents <= 0:
			ve.Add("granted_cents", "gt", "0")
		case grantedCents > g.RequestedCents:
			ve.Add("granted_cents", "ltefield", "requested_cents")
		}
		checkNote("note", note, ve)
		due := ReportDueDate(g.FundedYear)
		g.GrantedCents = grantedCents
		g.ReportDueOn = &due
	})
}

// RejectGrant refuses a grant under review; the reason is required and
// kept in the history.
func (s *Service) RejectGrant(ctx context.Context, id uuid.UUID, version int, actor, reason string) (*Grant, error) {
	reason = strings.TrimSpace(reason)
	return s.moveGrant(ctx, id, version, GrantRejected, actor, reason, func(g *Grant, ve *civickit.ValidationError) {
		if reason == "" {
			ve.Add("reason", "required", "")
		}
		checkNote("reason", reason, ve)
	})
}

// RecordPayment records the payment of paidCents (0 < paidCents <= granted).
func (s *Service) RecordPayment(ctx context.Context, id uuid.UUID, version int, actor string, paidCents int64) (*Grant, error) {
	return s.moveGrant(ctx, id, version, GrantPaid, actor, "", func(g *Grant, ve *civickit.ValidationError) {
		switch {
		case paidCents <= 0:
			ve.Add("paid_cents", "gt", "0")
		case paidCents > g.GrantedCents:
			ve.Add("paid_cents", "ltefield", "granted_cents")
		}
		g.PaidCents = paidCents
	})
}

// RecordReport records that the financial report was received on the
// given day, which cannot be in the future.
func (s *Service) RecordReport(ctx context.Context, id uuid.UUID, version int, actor string, on time.Time) (*Grant, error) {
	return s.moveGrant(ctx, id, version, GrantReported, actor, "", func(g *Grant, ve *civickit.ValidationError) {
		if on.IsZero() {
			ve.Add("reported_on", "required", "")
			return
		}
		day, now := dateOnly(&on), s.now().UTC()
		if day.After(*dateOnly(&now)) {
			ve.Add("reported_on", "lte", "today")
		}
		g.ReportedOn = day
	})
}

// GetGrant returns the grant with that ID.
func (s *Service) GetGrant(ctx context.Context, id uuid.UUID) (*Grant, error) {
	return s.store.GetGrant(ctx, id)
}

// ListGrants returns a page of an association's grants, oldest first.
func (s *Service) ListGrants(ctx context.Context, associationID uuid.UUID, after string, limit int) (civickit.Page[Grant], error) {
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return civickit.Page[Grant]{}, err
	}
	p, err := s.store.ListGrants(ctx, associationID, after, limit)
	if err != nil {
		return civickit.Page[Grant]{}, fmt.Errorf("list grants: %w", err)
	}
	if p.Items == nil {
		p.Items = []Grant{}
	}
	return p, nil
}

// GrantHistory returns a page of a grant's transitions in the order they
// happened.
func (s *Service) GrantHistory(ctx context.Context, grantID uuid.UUID, after string, limit int) (civickit.Page[GrantTransition], error) {
	limit, err := civickit.CheckLimit(limit)
	if err != nil {
		return civickit.Page[GrantTransition]{}, err
	}
	p, err := s.store.GrantHistory(ctx, grantID, after, limit)
	if err != nil {
		return civickit.Page[GrantTransition]{}, fmt.Errorf("grant history: %w", err)
	}
	if p.Items == nil {
		p.Items = []GrantTransition{}
	}
	return p, nil
}

// moveGrant is the one way a grant changes status: it checks the actor and
// the transition table, lets apply check the step's arguments and set its
// fields, then stores the grant and the transition together. The stored
// version must equal version, else the store's ErrConflict. Nothing is
// written when any check fails.
func (s *Service) moveGrant(ctx context.Context, id uuid.UUID, version int, to GrantStatus, actor, note string, apply func(g *Grant, ve *civickit.ValidationError)) (*Grant, error) {
	ve := &civickit.ValidationError{}
	actor = checkActor(actor, ve)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	g, err := s.store.GetGrant(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get grant: %w", err)
	}
	from := g.Status
	if !slices.Contains(AllowedGrantTransitions(from), to) {
		return nil, &TransitionError{Entity: "grant", From: string(from), To: string(to)}
	}
	if apply != nil {
		apply(g, ve)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	g.Status = to
	g.Version = version
	return s.saveGrant(ctx, g, from, actor, note)
}

// saveGrant stores g (version-checked) with the transition from -> g.Status.
func (s *Service) saveGrant(ctx context.Context, g *Grant, from GrantStatus, actor, note string) (*Grant, error) {
	now := s.now().UTC()
	g.UpdatedAt = now
	t := &GrantTransition{ID: s.newID(), GrantID: g.ID, From: from, To: g.Status, Actor: actor, At: now, Note: note}
	if err := s.store.UpdateGrant(ctx, g, t); err != nil {
		return nil, fmt.Errorf("update grant: %w", err)
	}
	return g, nil
}
