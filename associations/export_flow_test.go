package associations_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

// Personal and private data stored beside the registry. None of it may
// appear in the public export.
var canaries = []string{
	// the association's private contacts, street address, accessibility notes
	"secret.member@example.org", "+33 6 12 34 56 78", "12 rue des Secrets", "Escalier B", "demander Mme Privée",
	// a member's personal data
	"Secretgiven", "Secretfamily", "member.home@example.org", "+33 7 00 11 22 33", "8 impasse Privée",
	// a grant application's contact
	"Claire Secretrep", "tresorier.prive@example.org",
}

// exportFixture fills a registry of five associations, one dissolved, with
// members and a grant.
func exportFixture(t *testing.T) *associations.Service {
	t.Helper()
	ctx := context.Background()
	svc := newService(t, openStore(t), memberStart, associations.Options{})

	created := time.Date(1998, 4, 2, 0, 0, 0, 0, time.UTC)
	chorale, err := svc.Create(ctx, associations.Association{
		Name:       "Chorale du Vieux-Lyon",
		RNA:        "W691234567",
		Object:     "Chant choral",
		Categories: []string{"006030"},
		CreatedOn:  &created,
		Address: associations.Address{
			Line1: "12 rue des Secrets", Line2: "Escalier B",
			PostalCode: "69005", City: "Lyon", CommuneCode: "69385", Country: "FR",
			Location: &associations.Point{Lat: 45.7624, Lon: 4.8271},
		},
		Contacts: []associations.Contact{
			{Kind: associations.ContactEmail, Value: "contact@chorale.example", Public: true},
			{Kind: associations.ContactEmail, Value: "secret.member@example.org", Label: "trésorière"},
			{Kind: associations.ContactPhone, Value: "+33 6 12 34 56 78"},
		},
		Access: associations.Accessibility{StepFreeAccess: associations.Yes, Notes: "Fauteuil : demander Mme Privée"},
	})
	require.NoError(t, err)
	for _, name := range []string{"Zèbre Théâtre", "Amicale des Boulistes", "Éco-Jardin"} {
		newAssociation(t, svc, name)
	}
	bank := newAssociation(t, svc, "Banque alimentaire")
	_, err = svc.Dissolve(ctx, bank.ID, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)

	birth := time.Date(1961, 2, 3, 0, 0, 0, 0, time.UTC)
	_, err = svc.Join(ctx, chorale.ID, associations.Person{
		GivenName: "Secretgiven", FamilyName: "Secretfamily", Email: "member.home@example.org",
		Phone: "+33 7 00 11 22 33", PostalAddress: "8 impasse Privée, 69005 Lyon", BirthDate: &birth,
	}, schoolYear(2500))
	require.NoError(t, err)

	g := completeGrant(chorale.ID)
	g.Applicant.RepresentativeName = "Claire Secretrep"
	g.Applicant.ContactEmail = "tresorier.prive@example.org"
	_, err = svc.CreateGrant(ctx, g, "claire")
	require.NoError(t, err)
	return svc
}

func TestWritePublicCSVCanary(t *testing.T) {
	svc := exportFixture(t)
	var buf bytes.Buffer
	require.NoError(t, svc.WritePublicCSV(context.Background(), &buf, associations.Filter{}))
	out := buf.String()

	for _, secret := range canaries {
		assert.NotContains(t, out, secret)
	}

	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, records)
	assert.Equal(t, associations.PublicColumns(), records[0])
	col := slices.Index(records[0], "name")
	require.GreaterOrEqual(t, col, 0)
	var names []string
	for _, r := range records[1:] {
		names = append(names, r[col])
	}
	// Every page, ordered by name without case or accents.
	assert.Equal(t, []string{"Amicale des Boulistes", "Banque alimentaire", "Chorale du Vieux-Lyon", "Éco-Jardin", "Zèbre Théâtre"}, names)

	// The public part is there: the canary test would fail on leaks, not pass on silence.
	chorale := records[3]
	assert.Equal(t, "Chorale du Vieux-Lyon", chorale[col])
	assert.Equal(t, "email:contact@chorale.example", chorale[slices.Index(records[0], "public_contacts")])
	assert.Equal(t, "69005", chorale[slices.Index(records[0], "postal_code")])
	assert.Equal(t, "45.7624", chorale[slices.Index(records[0], "lat")])
	assert.Equal(t, "1998-04-02", chorale[slices.Index(records[0], "created_on")])
	assert.Equal(t, "yes", chorale[slices.Index(records[0], "step_free_access")])
}

func TestExportPublic(t *testing.T) {
	ctx := context.Background()
	svc := exportFixture(t)
	nameCol := slices.Index(associations.PublicColumns(), "name")

	t.Run("filter", func(t *testing.T) {
		var rows [][]string
		err := svc.ExportPublic(ctx, associations.Filter{Status: associations.StatusDissolved}, func(row []string) error {
			rows = append(rows, row)
			return nil
		})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, "Banque alimentaire", rows[0][nameCol])
		assert.Equal(t, "2024-12-31", rows[0][slices.Index(associations.PublicColumns(), "dissolved_on")])
	})
	t.Run("yield error stops the export", func(t *testing.T) {
		stop := errors.New("client gone")
		calls := 0
		err := svc.ExportPublic(ctx, associations.Filter{}, func(row []string) error {
			calls++
			if calls == 3 {
				return stop
			}
			return nil
		})
		assert.ErrorIs(t, err, stop)
		assert.Equal(t, 3, calls)
	})
	t.Run("invalid filter", func(t *testing.T) {
		err := svc.ExportPublic(ctx, associations.Filter{Category: "999999"}, func([]string) error {
			t.Error("no row expected")
			return nil
		})
		assertFields(t, err, "category category")
	})
	t.Run("store error", func(t *testing.T) {
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		var buf bytes.Buffer
		err := svc.WritePublicCSV(cancelled, &buf, associations.Filter{})
		assert.ErrorIs(t, err, context.Canceled)
	})
}
