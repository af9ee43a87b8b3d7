package opendatatest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/opendata"
)

// MediationPlace returns a valid place whose ID is id, with every field
// of the schema set (a real-looking public digital space; its phone and
// e-mail are the place's).
func MediationPlace(id string) opendata.MediationPlace {
	lat, lon := 45.764043, 4.835659
	return opendata.MediationPlace{
		ID: id, Pivot: "21690123100011", Name: "Espace public numérique " + id, Commune: "Lyon",
		PostalCode: "69001", INSEECode: "69381", Address: "1 place de la Comédie", AddressComplement: "Rez-de-chaussée",
		Latitude: &lat, Longitude: &lon, Typology: []string{"TIERS_LIEUX", "ASSO"}, Phone: "+33472103030",
		Emails: []string{"epn@example.org"}, Websites: []string{"https://epn.example.org"},
		OpeningHours: "Mo-Fr 09:00-18:00", Summary: "Accès libre et ateliers", Detail: "Ateliers d'initiation chaque semaine.",
		Source: "Ville de Lyon", Mobility: []string{"Fixe"}, Parent: "Ville de Lyon",
		Updated:  time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC),
		Services: []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		Publics:  []string{"Seniors"}, SpecificSupport: []string{"Handicaps moteurs"}, Fees: []string{"Gratuit"},
		NationalProgrammes: []string{"Conseillers numériques"}, OtherLabels: []string{"Label local"},
		AccessModes: []string{"Se présenter"}, SupportModes: []string{"Accompagnement individuel", "Dans un atelier collectif"},
		AccessibilitySheet: "https://acceslibre.beta.gouv.fr/app/69-lyon/a/bibliotheque/erp/epn/", AppointmentURL: "https://rdv.example.org/epn",
	}
}

// TestMediationStore runs the conformance suite of opendata.MediationStore
// against the implementation newStore builds (a fresh, empty store on
// every call).
func TestMediationStore(t *testing.T, newStore func(t *testing.T) opendata.MediationStore) {
	t.Helper()
	t.Run("CRUD", func(t *testing.T) {
		st := newStore(t)
		ctx := t.Context()
		p := MediationPlace("epn-1")
		require.NoError(t, st.CreateMediationPlace(ctx, &p))
		got, err := st.GetMediationPlace(ctx, "epn-1")
		require.NoError(t, err)
		assert.Equal(t, p, *got, "kept exactly as given")

		dup := MediationPlace("epn-1")
		assert.ErrorIs(t, st.CreateMediationPlace(ctx, &dup), opendata.ErrConflict)

		p.Name, p.Emails, p.Latitude = "EPN renommé", nil, nil
		require.NoError(t, st.UpdateMediationPlace(ctx, &p))
		got, err = st.GetMediationPlace(ctx, "epn-1")
		require.NoError(t, err)
		assert.Equal(t, p, *got)
		require.NoError(t, st.UpdateMediationPlace(ctx, &p), "the same content again is no error")

		ghost := MediationPlace("ghost")
		assert.ErrorIs(t, st.UpdateMediationPlace(ctx, &ghost), opendata.ErrNotFound)
		_, err = st.GetMediationPlace(ctx, "ghost")
		assert.ErrorIs(t, err, opendata.ErrNotFound)
		assert.ErrorIs(t, st.DeleteMediationPlace(ctx, "ghost"), opendata.ErrNotFound)

		require.NoError(t, st.DeleteMediationPlace(ctx, "epn-1"))
		_, err = st.GetMediationPlace(ctx, "epn-1")
		assert.ErrorIs(t, err, opendata.ErrNotFound)
		assert.ErrorIs(t, st.DeleteMediationPlace(ctx, "epn-1"), opendata.ErrNotFound)
	})
	t.Run("IDs", func(t *testing.T) {
		// IDs are compared bytewise: case and accents make other IDs.
		st := newStore(t)
		ctx := t.Context()
		for _, id := range []string{"a", "A", "é", "e", "a b"} {
			p := MediationPlace(id)
			require.NoError(t, st.CreateMediationPlace(ctx, &p), id)
		}
		page, err := st.ListMediationPlaces(ctx, "", 10)
		require.NoError(t, err)
		var ids []string
		for _, p := range page.Items {
			ids = append(ids, p.ID)
		}
		assert.Equal(t, []string{"A", "a", "a b", "e", "é"}, ids)
	})
	t.Run("Paging", func(t *testing.T) {
		st := newStore(t)
		ctx := t.Context()
		const n = 7
		for i := n - 1; i >= 0; i-- {
			p := MediationPlace(fmt.Sprintf("lieu-%02d", i))
			require.NoError(t, st.CreateMediationPlace(ctx, &p))
		}
		var ids []string
		after := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, n, "paging must end")
			page, err := st.ListMediationPlaces(ctx, after, 3)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(page.Items), 3)
			for _, p := range page.Items {
				ids = append(ids, p.ID)
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
		want := make([]string, n)
		for i := range want {
			want[i] = fmt.Sprintf("lieu-%02d", i)
		}
		assert.Equal(t, want, ids, "each place once, in ID order")

		_, err := st.ListMediationPlaces(ctx, "not a cursor", 3)
		assert.ErrorIs(t, err, civickit.ErrInvalid)
		_, err = st.ListMediationPlaces(ctx, "", -1)
		assert.ErrorIs(t, err, civickit.ErrInvalid)
		empty, err := newStore(t).ListMediationPlaces(ctx, "", 0)
		require.NoError(t, err)
		assert.Empty(t, empty.Items)
		assert.Empty(t, empty.Next)
	})
	t.Run("ConcurrentCreate", func(t *testing.T) {
		// Writers racing on one ID: exactly one wins, the others get
		// ErrConflict (or ErrUnavailable when the engine gave up).
		st := newStore(t)
		ctx := t.Context()
		const writers = 4
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := MediationPlace("same")
				p.Name = fmt.Sprintf("writer %d", i)
				errs[i] = st.CreateMediationPlace(ctx, &p)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, opendata.ErrConflict), errors.Is(err, opendata.ErrUnavailable):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		assert.Equal(t, 1, won)
		page, err := st.ListMediationPlaces(ctx, "", 10)
		require.NoError(t, err)
		assert.Len(t, page.Items, 1)
	})
}
