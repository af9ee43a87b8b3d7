package associations_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/storage"
)

// The flow tests run the Service on the real SQLite store.

// clock returns a later minute on each call, so that every write has its
// own time, as in production.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

// openStore returns a store on a new SQLite database.
func openStore(t *testing.T) associations.Store {
	t.Helper()
	db, err := storage.Open(context.Background(), storage.Config{
		DSN:    "sqlite:" + filepath.Join(t.TempDir(), "t.db"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return storage.NewAssociationStore(db)
}

// newService returns a Service over store whose clock starts on start.
func newService(t *testing.T, store associations.Store, start time.Time, opts associations.Options) *associations.Service {
	t.Helper()
	opts.Now = (&clock{t: start}).Now
	svc, err := associations.NewService(store, opts)
	require.NoError(t, err)
	return svc
}

// newAssociation creates an active association named name.
func newAssociation(t *testing.T, svc *associations.Service, name string) *associations.Association {
	t.Helper()
	a, err := svc.Create(context.Background(), associations.Association{Name: name})
	require.NoError(t, err)
	return a
}

// completeGrant returns an application ready for submission: charges
// 12 000 € = resources 12 000 €, 5 000 € asked of the city, 3 000 € of the
// department.
func completeGrant(associationID uuid.UUID) associations.Grant {
	return associations.Grant{
		AssociationID: associationID,
		Funder:        "Ville de Lyon",
		FundedYear:    2025,
		Applicant: associations.Applicant{
			Name:               "Les Amis du Jardin",
			Address:            "3 place des Tilleuls, 69001 Lyon",
			RepresentativeName: "Claire Martin",
			RepresentativeRole: "Présidente",
			ContactEmail:       "bureau@amis-du-jardin.example",
		},
		Project: associations.Project{
			Title:       "Jardin partagé",
			Objectives:  "Créer un jardin partagé de quartier",
			Description: "Aménagement de 20 parcelles et ateliers mensuels",
			StartOn:     time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
			EndOn:       time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC),
		},
		Budget: []associations.BudgetLine{
			{Side: associations.Charge, Account: "60", Label: "Semences et outils", AmountCents: 400000},
			{Side: associations.Charge, Account: "64", Label: "Animatrice", AmountCents: 700000},
			{Side: associations.Charge, Account: "86", Label: "Bénévolat valorisé", AmountCents: 100000},
			{Side: associations.Revenue, Account: "70", Label: "Participation des adhérents", AmountCents: 300000},
			{Side: associations.Revenue, Account: "74", Label: "Subvention ville", AmountCents: 500000, Funder: "Ville de Lyon"},
			{Side: associations.Revenue, Account: "74", Label: "Subvention département", AmountCents: 300000, Funder: "Département du Rhône"},
			{Side: associations.Revenue, Account: "87", Label: "Bénévolat valorisé", AmountCents: 100000},
		},
		RequestedCents: 500000,
		CoFunders:      []associations.CoFunder{{Name: "Département du Rhône", AmountCents: 300000}},
	}
}

// grantStart is when the grant tests' clock starts: during the year after
// the funded one, so that a report may be recorded.
var grantStart = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

type step struct {
	from, to    associations.GrantStatus
	actor, note string
}

func steps(history []associations.GrantTransition) []step {
	out := make([]step, len(history))
	for i, h := range history {
		out[i] = step{h.From, h.To, h.Actor, h.Note}
	}
	return out
}

func TestGrantHappyPath(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})
	a := newAssociation(t, svc, "Les Amis du Jardin")

	g, err := svc.CreateGrant(ctx, completeGrant(a.ID), "claire.martin")
	require.NoError(t, err)
	assert.Equal(t, associations.GrantDraft, g.Status)
	assert.Equal(t, 1, g.Version)

	edit := *g
	edit.Project.Description = "Aménagement de 24 parcelles et ateliers mensuels"
	g, err = svc.UpdateGrantDraft(ctx, edit, "claire.martin")
	require.NoError(t, err)
	assert.Equal(t, 2, g.Version)

	g, err = svc.SubmitGrant(ctx, g.ID, g.Version, "claire.martin")
	require.NoError(t, err)
	assert.Equal(t, associations.GrantSubmitted, g.Status)

	g, err = svc.StartReview(ctx, g.ID, g.Version, "instructeur.leroy")
	require.NoError(t, err)
	assert.Equal(t, associations.GrantUnderReview, g.Status)

	g, err = svc.AwardGrant(ctx, g.ID, g.Version, "elu.bernard", 400000, "Commission du 12 mai")
	require.NoError(t, err)
	assert.Equal(t, associations.GrantGranted, g.Status)
	assert.Equal(t, int64(400000), g.GrantedCents)
	require.NotNil(t, g.ReportDueOn)
	assert.True(t, associations.ReportDueDate(2025).Equal(*g.ReportDueOn), "report due %v", g.ReportDueOn)

	g, err = svc.RecordPayment(ctx, g.ID, g.Version, "tresorerie.petit", 400000)
	require.NoError(t, err)
	assert.Equal(t, associations.GrantPaid, g.Status)
	assert.True(t, g.ReportOverdue(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)), "unreported after the due date")

	reportDay := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	g, err = svc.RecordReport(ctx, g.ID, g.Version, "claire.martin", reportDay.Add(15*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, associations.GrantReported, g.Status)
	assert.Equal(t, 7, g.Version)
	require.NotNil(t, g.ReportedOn)
	assert.True(t, reportDay.Equal(*g.ReportedOn), "reported on %v", g.ReportedOn)
	assert.False(t, g.ReportOverdue(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)))

	stored, err := svc.GetGrant(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g, stored)
	assert.Equal(t, "Aménagement de 24 parcelles et ateliers mensuels", stored.Project.Description)

	history, err := allHistory(ctx, svc, g.ID)
	require.NoError(t, err)
	assert.Equal(t, []step{
		{"", associations.GrantDraft, "claire.martin", ""},
		{associations.GrantDraft, associations.GrantDraft, "claire.martin", "draft updated"},
		{associations.GrantDraft, associations.GrantSubmitted, "claire.martin", ""},
		{associations.GrantSubmitted, associations.GrantUnderReview, "instructeur.leroy", ""},
		{associations.GrantUnderReview, associations.GrantGranted, "elu.bernard", "Commission du 12 mai"},
		{associations.GrantGranted, associations.GrantPaid, "tresorerie.petit", ""},
		{associations.GrantPaid, associations.GrantReported, "claire.martin", ""},
	}, steps(history))
	for i, h := range history {
		assert.Equal(t, g.ID, h.GrantID)
		assert.NotEqual(t, uuid.Nil, h.ID)
		if i > 0 {
			assert.True(t, h.At.After(history[i-1].At), "transition %d is not after the one before", i)
		}
	}

	list, err := allGrants(ctx, svc, a.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, g.ID, list[0].ID)
}

func TestGrantRejected(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})
	g := grantAt(t, svc, associations.GrantUnderReview)

	_, err := svc.RejectGrant(ctx, g.ID, g.Version, "elu.bernard", "  ")
	assertFields(t, err, "reason required")

	g, err = svc.RejectGrant(ctx, g.ID, g.Version, "elu.bernard", "Hors des priorités 2025")
	require.NoError(t, err)
	assert.Equal(t, associations.GrantRejected, g.Status)
	assert.Nil(t, g.ReportDueOn)
	assert.False(t, g.ReportOverdue(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))

	history, err := allHistory(ctx, svc, g.ID)
	require.NoError(t, err)
	last := history[len(history)-1]
	assert.Equal(t, step{associations.GrantUnderReview, associations.GrantRejected, "elu.bernard", "Hors des priorités 2025"}, steps(history)[len(history)-1])
	assert.False(t, last.At.IsZero())
}

// grantAt returns a new grant moved through the workflow to status.
func grantAt(t *testing.T, svc *associations.Service, status associations.GrantStatus) *associations.Grant {
	t.Helper()
	ctx := context.Background()
	a := newAssociation(t, svc, "Association "+string(status))
	g, err := svc.CreateGrant(ctx, completeGrant(a.ID), "applicant")
	require.NoError(t, err)
	path := map[associations.GrantStatus][]func(g *associations.Grant) (*associations.Grant, error){}
	submit := func(g *associations.Grant) (*associations.Grant, error) {
		return svc.SubmitGrant(ctx, g.ID, g.Version, "applicant")
	}
	review := func(g *associations.Grant) (*associations.Grant, error) {
		return svc.StartReview(ctx, g.ID, g.Version, "instructor")
	}
	award := func(g *associations.Grant) (*associations.Grant, error) {
		return svc.AwardGrant(ctx, g.ID, g.Version, "council", 500000, "")
	}
	pay := func(g *associations.Grant) (*associations.Grant, error) {
		return svc.RecordPayment(ctx, g.ID, g.Version, "treasury", 500000)
	}
	report := func(g *associations.Grant) (*associations.Grant, error) {
		return svc.RecordReport(ctx, g.ID, g.Version, "applicant", grantStart)
	}
	reject := func(g *associations.Grant) (*associations.Grant, error) {
		return svc.RejectGrant(ctx, g.ID, g.Version, "council", "no budget left")
	}
	path[associations.GrantDraft] = nil
	path[associations.GrantSubmitted] = append(path[associations.GrantSubmitted], submit)
	path[associations.GrantUnderReview] = append(path[associations.GrantSubmitted], review)
	path[associations.GrantGranted] = append(path[associations.GrantUnderReview], award)
	path[associations.GrantRejected] = append(path[associations.GrantUnderReview], reject)
	path[associations.GrantPaid] = append(path[associations.GrantGranted], pay)
	path[associations.GrantReported] = append(path[associations.GrantPaid], report)
	steps, ok := path[status]
	require.True(t, ok, "no path to %q", status)
	for _, step := range steps {
		g, err = step(g)
		require.NoError(t, err)
	}
	require.Equal(t, status, g.Status)
	return g
}

// assertFields checks that err is a *civickit.ValidationError naming exactly the
// given "field rule" pairs.
func assertFields(t *testing.T, err error, want ...string) {
	t.Helper()
	var ve *civickit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, associations.ErrInvalid)
	got := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		got[i] = f.Path + " " + f.Rule
	}
	assert.Equal(t, want, got)
}

// assertGrantUnchanged checks that the stored grant and its history are
// still before and history.
func assertGrantUnchanged(t *testing.T, svc *associations.Service, before *associations.Grant, history []associations.GrantTransition) {
	t.Helper()
	ctx := context.Background()
	stored, err := svc.GetGrant(ctx, before.ID)
	require.NoError(t, err)
	assert.Equal(t, before, stored, "stored grant changed")
	after, err := allHistory(ctx, svc, before.ID)
	require.NoError(t, err)
	assert.Equal(t, history, after, "history changed")
}

func TestGrantIllegalTransitions(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})

	// Each operation with valid arguments, and the status it moves to.
	ops := []struct {
		name string
		to   associations.GrantStatus
		call func(g *associations.Grant) error
	}{
		{"UpdateGrantDraft", associations.GrantDraft, func(g *associations.Grant) error {
			_, err := svc.UpdateGrantDraft(ctx, *g, "applicant")
			return err
		}},
		{"SubmitGrant", associations.GrantSubmitted, func(g *associations.Grant) error {
			_, err := svc.SubmitGrant(ctx, g.ID, g.Version, "applicant")
			return err
		}},
		{"StartReview", associations.GrantUnderReview, func(g *associations.Grant) error {
			_, err := svc.StartReview(ctx, g.ID, g.Version, "instructor")
			return err
		}},
		{"AwardGrant", associations.GrantGranted, func(g *associations.Grant) error {
			_, err := svc.AwardGrant(ctx, g.ID, g.Version, "council", 100000, "")
			return err
		}},
		{"RejectGrant", associations.GrantRejected, func(g *associations.Grant) error {
			_, err := svc.RejectGrant(ctx, g.ID, g.Version, "council", "no")
			return err
		}},
		{"RecordPayment", associations.GrantPaid, func(g *associations.Grant) error {
			_, err := svc.RecordPayment(ctx, g.ID, g.Version, "treasury", 100000)
			return err
		}},
		{"RecordReport", associations.GrantReported, func(g *associations.Grant) error {
			_, err := svc.RecordReport(ctx, g.ID, g.Version, "applicant", grantStart)
			return err
		}},
	}
	statuses := []associations.GrantStatus{
		associations.GrantDraft, associations.GrantSubmitted, associations.GrantUnderReview,
		associations.GrantGranted, associations.GrantRejected, associations.GrantPaid, associations.GrantReported,
	}
	refused := 0
	for _, from := range statuses {
		g := grantAt(t, svc, from)
		history, err := allHistory(ctx, svc, g.ID)
		require.NoError(t, err)
		for _, op := range ops {
			legal := from == associations.GrantDraft && op.to == associations.GrantDraft
			for _, next := range associations.AllowedGrantTransitions(from) {
				legal = legal || next == op.to
			}
			if legal {
				continue
			}
			refused++
			t.Run(string(from)+"/"+op.name, func(t *testing.T) {
				err := op.call(g)
				var te *associations.TransitionError
				require.ErrorAs(t, err, &te)
				assert.ErrorIs(t, err, associations.ErrIllegalTransition)
				assert.Equal(t, associations.TransitionError{Entity: "grant", From: string(from), To: string(op.to)}, *te)
				assertGrantUnchanged(t, svc, g, history)
			})
		}
	}
	// 7 statuses x 7 operations, less the legal ones: edit and submit a
	// draft, award or reject under review, one step from submitted,
	// granted and paid.
	assert.Equal(t, 7*7-7, refused)
}

func TestGrantSubmitChecksTheApplication(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})
	a := newAssociation(t, svc, "Les Amis du Jardin")

	tests := []struct {
		name   string
		change func(g *associations.Grant)
		want   []string
	}{
		{"unbalanced budget", func(g *associations.Grant) { g.Budget[1].AmountCents = 800000 },
			[]string{"budget balanced"}},
		{"requested amount not in the budget", func(g *associations.Grant) { g.RequestedCents = 600000 },
			[]string{"requested_cents eq_account_74"}},
		{"charge on a revenue account", func(g *associations.Grant) { g.Budget[0].Account = "74" },
			[]string{"budget[0].account charge_account"}},
		{"incomplete draft", func(g *associations.Grant) {
			g.Project = associations.Project{}
			g.Applicant.ContactEmail = ""
		}, []string{"applicant.contact_email required", "project.title required", "project.objectives required",
			"project.description required", "project.start_on required", "project.end_on required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			draft := completeGrant(a.ID)
			tt.change(&draft)
			g, err := svc.CreateGrant(ctx, draft, "applicant")
			require.NoError(t, err, "a draft may be incomplete or unbalanced")
			history, err := allHistory(ctx, svc, g.ID)
			require.NoError(t, err)

			_, err = svc.SubmitGrant(ctx, g.ID, g.Version, "applicant")
			assertFields(t, err, tt.want...)
			assertGrantUnchanged(t, svc, g, history)
		})
	}
}

func TestGrantStaleVersion(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})
	g := grantAt(t, svc, associations.GrantSubmitted)
	history, err := allHistory(ctx, svc, g.ID)
	require.NoError(t, err)

	_, err = svc.StartReview(ctx, g.ID, g.Version-1, "instructor")
	require.ErrorIs(t, err, associations.ErrConflict)
	assertGrantUnchanged(t, svc, g, history)

	// Two editors of one draft: the second one's version is stale.
	d := grantAt(t, svc, associations.GrantDraft)
	first, second := *d, *d
	first.Funder, second.Funder = "Ville de Lyon", "Métropole de Lyon"
	updated, err := svc.UpdateGrantDraft(ctx, first, "alice")
	require.NoError(t, err)
	history, err = allHistory(ctx, svc, d.ID)
	require.NoError(t, err)
	_, err = svc.UpdateGrantDraft(ctx, second, "bob")
	require.ErrorIs(t, err, associations.ErrConflict)
	assertGrantUnchanged(t, svc, updated, history)
}

func TestGrantStepArguments(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})

	review := grantAt(t, svc, associations.GrantUnderReview)
	granted := grantAt(t, svc, associations.GrantGranted)
	paid := grantAt(t, svc, associations.GrantPaid)
	tests := []struct {
		name  string
		grant *associations.Grant
		call  func(g *associations.Grant) error
		want  []string
	}{
		{"actor required", review, func(g *associations.Grant) error {
			_, err := svc.AwardGrant(ctx, g.ID, g.Version, " ", 1000, "")
			return err
		}, []string{"actor required"}},
		{"nothing granted", review, func(g *associations.Grant) error {
			_, err := svc.AwardGrant(ctx, g.ID, g.Version, "council", 0, "")
			return err
		}, []string{"granted_cents gt"}},
		{"more granted than requested", review, func(g *associations.Grant) error {
			_, err := svc.AwardGrant(ctx, g.ID, g.Version, "council", 500001, "")
			return err
		}, []string{"granted_cents ltefield"}},
		{"nothing paid", granted, func(g *associations.Grant) error {
			_, err := svc.RecordPayment(ctx, g.ID, g.Version, "treasury", -5)
			return err
		}, []string{"paid_cents gt"}},
		{"more paid than granted", granted, func(g *associations.Grant) error {
			_, err := svc.RecordPayment(ctx, g.ID, g.Version, "treasury", 500001)
			return err
		}, []string{"paid_cents ltefield"}},
		{"report without date", paid, func(g *associations.Grant) error {
			_, err := svc.RecordReport(ctx, g.ID, g.Version, "applicant", time.Time{})
			return err
		}, []string{"reported_on required"}},
		{"report in the future", paid, func(g *associations.Grant) error {
			_, err := svc.RecordReport(ctx, g.ID, g.Version, "applicant", grantStart.AddDate(0, 0, 2))
			return err
		}, []string{"reported_on lte"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			history, err := allHistory(ctx, svc, tt.grant.ID)
			require.NoError(t, err)
			assertFields(t, tt.call(tt.grant), tt.want...)
			assertGrantUnchanged(t, svc, tt.grant, history)
		})
	}
}

func TestCreateGrant(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, openStore(t), grantStart, associations.Options{})
	a := newAssociation(t, svc, "Les Amis du Jardin")

	t.Run("partial draft", func(t *testing.T) {
		g, err := svc.CreateGrant(ctx, associations.Grant{AssociationID: a.ID, Funder: "Ville de Lyon"}, "applicant")
		require.NoError(t, err)
		stored, err := svc.GetGrant(ctx, g.ID)
		require.NoError(t, err)
		assert.Equal(t, g, stored)
		history, err := allHistory(ctx, svc, g.ID)
		require.NoError(t, err)
		assert.Equal(t, []step{{"", associations.GrantDraft, "applicant", ""}}, steps(history))
	})
	t.Run("workflow fields are the service's", func(t *testing.T) {
		in := completeGrant(a.ID)
		in.Status = associations.GrantGranted
		in.GrantedCents, in.PaidCents = 500000, 500000
		g, err := svc.CreateGrant(ctx, in, "applicant")
		require.NoError(t, err)
		assert.Equal(t, associations.GrantDraft, g.Status)
		assert.Zero(t, g.GrantedCents)
		assert.Zero(t, g.PaidCents)

		edit := *g
		edit.Status = associations.GrantReported
		edit.GrantedCents = 1
		g, err = svc.UpdateGrantDraft(ctx, edit, "applicant")
		require.NoError(t, err)
		assert.Equal(t, associations.GrantDraft, g.Status)
		assert.Zero(t, g.GrantedCents)
	})
	t.Run("unknown association", func(t *testing.T) {
		_, err := svc.CreateGrant(ctx, completeGrant(uuid.New()), "applicant")
		assert.ErrorIs(t, err, associations.ErrNotFound)
	})
	t.Run("draft rules", func(t *testing.T) {
		_, err := svc.CreateGrant(ctx, associations.Grant{Applicant: associations.Applicant{ContactEmail: "nobody"}}, "applicant")
		assertFields(t, err, "association_id required", "applicant.contact_email email")
	})
	t.Run("actor required", func(t *testing.T) {
		_, err := svc.CreateGrant(ctx, completeGrant(a.ID), "")
		assertFields(t, err, "actor required")
	})
	t.Run("association cannot change", func(t *testing.T) {
		g, err := svc.CreateGrant(ctx, completeGrant(a.ID), "applicant")
		require.NoError(t, err)
		other := newAssociation(t, svc, "Autre association")
		edit := *g
		edit.AssociationID = other.ID
		_, err = svc.UpdateGrantDraft(ctx, edit, "applicant")
		assertFields(t, err, "association_id immutable")
	})
	t.Run("unknown grant", func(t *testing.T) {
		_, err := svc.StartReview(ctx, uuid.New(), 1, "instructor")
		assert.ErrorIs(t, err, associations.ErrNotFound)
		_, err = svc.UpdateGrantDraft(ctx, associations.Grant{ID: uuid.New(), Version: 1}, "applicant")
		assert.ErrorIs(t, err, associations.ErrNotFound)
	})

	list, err := allGrants(ctx, svc, a.ID)
	require.NoError(t, err)
	assert.Len(t, list, 3, "partial draft, workflow fields, association cannot change")
	empty, err := allGrants(ctx, svc, uuid.New())
	require.NoError(t, err)
	assert.NotNil(t, empty)
	assert.Empty(t, empty)
	assert.False(t, errors.Is(err, associations.ErrNotFound))
}

// walkAll reads every page of a listing, two items at a time, so that the
// flows cross page boundaries.
func walkAll[T any](list func(after string, limit int) (civickit.Page[T], error)) ([]T, error) {
	out := []T{}
	after := ""
	for {
		p, err := list(after, 2)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out, nil
		}
		after = p.Next
	}
}

func allHistory(ctx context.Context, svc *associations.Service, grantID uuid.UUID) ([]associations.GrantTransition, error) {
	return walkAll(func(after string, limit int) (civickit.Page[associations.GrantTransition], error) {
		return svc.GrantHistory(ctx, grantID, after, limit)
	})
}

func allGrants(ctx context.Context, svc *associations.Service, associationID uuid.UUID) ([]associations.Grant, error) {
	return walkAll(func(after string, limit int) (civickit.Page[associations.Grant], error) {
		return svc.ListGrants(ctx, associationID, after, limit)
	})
}

func allMemberships(ctx context.Context, svc *associations.Service, associationID uuid.UUID) ([]associations.Membership, error) {
	return walkAll(func(after string, limit int) (civickit.Page[associations.Membership], error) {
		return svc.ListMemberships(ctx, associationID, after, limit)
	})
}
