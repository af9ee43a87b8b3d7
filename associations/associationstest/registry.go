package associationstest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/associations"
)

// fullAssociation sets every field, with values that trip naive storage:
// non-ASCII and 4-byte UTF-8 text, coordinates needing all 17 significant
// digits, contacts in a significant order, a dissolution date.
func fullAssociation() associations.Association {
	return associations.Association{
		Name:        "Comité des Fêtes de l'Œuvre 🎉 « Ça ira »",
		Acronym:     "CFO",
		RNA:         "751P00085568",
		SIREN:       SIREN(9001),
		SIRET:       SIRETFor(9001, 12),
		NEQ:         "",
		LegalStatus: associations.LegalPublicUtility,
		Grouping:    associations.GroupingFederation,
		Object:      "Organiser des fêtes populaires.\nDeuxième ligne : « guillemets », apostrophe ' et antislash \\ ; 100 % bénévole_.",
		Categories:  []string{"007000", "006030", "011002"},
		CreatedOn:   datePtr(Date(1901, time.July, 1)),
		DissolvedOn: datePtr(Date(2023, time.December, 31)),
		Status:      associations.StatusDissolved,
		Address: associations.Address{
			Line1:       "1 place de l'Hôtel de Ville",
			Line2:       "Bureau 2ᵉ étage",
			PostalCode:  "75004",
			City:        "Paris",
			CommuneCode: "75056",
			Country:     "FR",
			Location:    &associations.Point{Lat: 48.85661400000001, Lon: -0.1234567890123456},
		},
		Contacts: []associations.Contact{
			{Kind: associations.ContactPhone, Value: "+33 1 23 45 67 89", Label: "Accueil", Public: true},
			{Kind: associations.ContactEmail, Value: "presidence@example.org", Label: "Présidence", Public: false},
			{Kind: associations.ContactPostal, Value: "BP 12, 75004 Paris", Public: true},
			{Kind: associations.ContactSocial, Value: "https://social.example/@fetes", Public: true},
			{Kind: associations.ContactOther, Value: "Permanence le mardi", Label: "Permanence", Public: false},
		},
		Website:   "https://fetes.example.org/accueil?lang=fr",
		Languages: []string{"fr", "oc", "en"},
		Access: associations.Accessibility{
			StepFreeAccess: associations.Yes, AccessibleToilets: associations.No, HearingLoop: associations.Yes, SignLanguage: associations.Yes,
			Notes: "Entrée par la cour, rampe amovible.", NotesPublic: true,
		},
		Version:   1,
		CreatedAt: BaseTime,
		UpdatedAt: BaseTime.Add(36*time.Hour + 999999*time.Microsecond),
	}
}

func (s *suite) testAssociations(t *testing.T) {
	t.Run("CreateGet", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(1)
		full := fullAssociation()
		full.ID = NewID(rng)

		minimal := associations.Association{
			ID: NewID(rng), Name: "Minimal", Status: associations.StatusActive,
			Version: 1, CreatedAt: BaseTime.Add(time.Second), UpdatedAt: BaseTime.Add(time.Second),
		}
		// A second record without RNA nor SIRET: absent keys must not collide.
		quebec := associations.Association{
			ID: NewID(rng), Name: "Société Saint-Jean-Baptiste de Montréal", NEQ: "1140000000",
			LegalStatus: associations.LegalQuebecNPO, Status: associations.StatusActive,
			Address: associations.Address{
				City: "Montréal", PostalCode: "H2X 1X3", CommuneCode: "66023", Country: "CA",
				Location: &associations.Point{Lat: 45.5088, Lon: -73.5878},
			},
			Languages: []string{"fr-CA"},
			Version:   1, CreatedAt: BaseTime.Add(2 * time.Second), UpdatedAt: BaseTime.Add(3 * time.Second),
		}
		// Extreme coordinates and a SIREN shared with full (only RNA and
		// SIRET are unique keys).
		extreme := associations.Association{
			ID: NewID(rng), Name: "Antipodes", RNA: RNA(9002), SIREN: SIREN(9001), SIRET: SIRETFor(9001, 13),
			Status:  associations.StatusActive,
			Address: associations.Address{Location: &associations.Point{Lat: -90, Lon: 180}},
			Version: 1, CreatedAt: BaseTime, UpdatedAt: BaseTime,
		}
		// Both RNA families at their longest and with letters: Mayotte's
		// Waldec numbers and the 14-character import numbers of a
		// sous-préfecture (real numbers from etalab's rna_as_api fixtures).
		mayotte := associations.Association{
			ID: NewID(rng), Name: "Mayotte", RNA: "W9T1000123", ShortTitle: "MAY",
			Status: associations.StatusActive, Address: associations.Address{CommuneCode: "97611", Public: true},
			Version: 1, CreatedAt: BaseTime, UpdatedAt: BaseTime,
		}
		sousPrefecture := associations.Association{
			ID: NewID(rng), Name: "CONTACTS FRANCE UKRAINE", RNA: "061S0061013683",
			Status: associations.StatusActive, Version: 1, CreatedAt: BaseTime, UpdatedAt: BaseTime,
		}
		cases := []struct {
			name string
			a    associations.Association
		}{
			{"full", full},
			{"minimal", minimal},
			{"quebec", quebec},
			{"extreme", extreme},
			{"mayotte", mayotte},
			{"sous-prefecture", sousPrefecture},
		}
		for i := range 12 {
			cases = append(cases, struct {
				name string
				a    associations.Association
			}{fmt.Sprintf("generated%d", i), NewAssociation(rng, i)})
		}
		for _, c := range cases {
			a := cloneAssociation(c.a)
			require.NoError(t, st.CreateAssociation(t.Context(), &a), c.name)
		}
		for _, c := range cases {
			assertStoredAssociation(t, st, c.a)
		}
		for _, c := range []associations.Association{mayotte, sousPrefecture} {
			got, err := st.GetAssociationByRNA(t.Context(), c.RNA)
			require.NoError(t, err, c.RNA)
			assert.Equal(t, c.ID, got.ID)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(2)
		a := NewAssociation(rng, 1)
		mustCreate(t, st, a)
		assertNoAssociation(t, st, NewID(rng))
		assertNoAssociation(t, st, uuid.Nil)
		assertNoRNA(t, st, RNA(2))
		assertNoRNA(t, st, "W12345678")          // a prefix of nothing stored
		assertNoRNA(t, st, a.RNA[:len(a.RNA)-1]) // a prefix of a stored RNA
	})

	t.Run("Duplicates", func(t *testing.T) {
		rng := NewRand(3)
		first := NewAssociation(rng, 1)
		first.SIRET = SIRET(1)
		cases := []struct {
			name   string
			mutate func(dup *associations.Association)
		}{
			{"ID", func(dup *associations.Association) { dup.ID = first.ID }},
			{"RNA", func(dup *associations.Association) { dup.RNA = first.RNA }},
			{"SIRET", func(dup *associations.Association) { dup.SIREN = first.SIREN; dup.SIRET = first.SIRET }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				st := s.store(t)
				mustCreate(t, st, first)
				dup := NewAssociation(rng, 2)
				dup.SIRET = SIRET(2)
				c.mutate(&dup)
				err := st.CreateAssociation(t.Context(), &dup)
				assert.ErrorIs(t, err, associations.ErrConflict)
				assertStoredAssociation(t, st, first)
				if dup.ID != first.ID {
					assertNoAssociation(t, st, dup.ID)
				}
				if dup.RNA != first.RNA {
					assertNoRNA(t, st, dup.RNA)
				}
			})
		}
	})

	t.Run("Update", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(4)
		orig := fullAssociation()
		orig.ID = NewID(rng)
		mustCreate(t, st, orig)

		// Change every field, including the RNA.
		v2 := cloneAssociation(orig)
		v2.Name = "Fêtes & Musique du Vieux-Lyon"
		v2.Acronym = "FMVL"
		v2.RNA = RNA(77)
		v2.SIREN = SIREN(77)
		v2.SIRET = SIRET(77)
		v2.LegalStatus = associations.LegalDeclared
		v2.Grouping = associations.GroupingSimple
		v2.Object = "Concerts"
		v2.Categories = []string{"006000"}
		v2.CreatedOn = datePtr(Date(1998, time.February, 28))
		v2.DissolvedOn = nil
		v2.Status = associations.StatusActive
		v2.Address = associations.Address{Line1: "2 quai Saint-Vincent", PostalCode: "69001", City: "Lyon", CommuneCode: "69123", Country: "FR",
			Location: &associations.Point{Lat: 45.7670001, Lon: 4.8260002}}
		v2.Contacts = []associations.Contact{orig.Contacts[3], {Kind: associations.ContactEmail, Value: "bureau@example.org", Public: true}}
		v2.Website = ""
		v2.Languages = []string{"en"}
		v2.Access = associations.Accessibility{SignLanguage: associations.Yes}
		v2.UpdatedAt = orig.UpdatedAt.Add(time.Hour)
		up := cloneAssociation(v2)
		require.NoError(t, st.UpdateAssociation(t.Context(), &up))
		assert.Equal(t, 2, up.Version, "UpdateAssociation must set the new Version")
		v2.Version = 2
		assertStoredAssociation(t, st, v2)
		assertNoRNA(t, st, orig.RNA)

		// Clear every optional field.
		v3 := associations.Association{
			ID: orig.ID, Name: "Sans rien", Status: associations.StatusActive,
			Version: 2, CreatedAt: orig.CreatedAt, UpdatedAt: v2.UpdatedAt.Add(time.Minute),
		}
		up = cloneAssociation(v3)
		require.NoError(t, st.UpdateAssociation(t.Context(), &up))
		assert.Equal(t, 3, up.Version)
		v3.Version = 3
		assertStoredAssociation(t, st, v3)
		assertNoRNA(t, st, v2.RNA)

		// Stale (older, newer and zero) versions change nothing.
		for _, version := range []int{1, 2, 4, 0} {
			stale := cloneAssociation(v2)
			stale.Version = version
			err := st.UpdateAssociation(t.Context(), &stale)
			assert.ErrorIs(t, err, associations.ErrConflict, "update at version %d of a row at version 3", version)
			assert.Equal(t, version, stale.Version, "a failed update must not change a.Version")
		}
		assertStoredAssociation(t, st, v3)
		assertNoRNA(t, st, v2.RNA)

		// Unknown ID.
		ghost := NewAssociation(rng, 5)
		err := st.UpdateAssociation(t.Context(), &ghost)
		assert.ErrorIs(t, err, associations.ErrNotFound)
		assertNoAssociation(t, st, ghost.ID)
		assertNoRNA(t, st, ghost.RNA)
	})

	t.Run("UpdateTakesKey", func(t *testing.T) {
		rng := NewRand(5)
		a := NewAssociation(rng, 1)
		a.SIRET = SIRET(1)
		b := NewAssociation(rng, 2)
		b.SIRET = SIRET(2)
		cases := []struct {
			name   string
			mutate func(x *associations.Association)
		}{
			{"RNA", func(x *associations.Association) { x.RNA = b.RNA }},
			{"SIRET", func(x *associations.Association) { x.SIREN = b.SIREN; x.SIRET = b.SIRET }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				st := s.store(t)
				mustCreate(t, st, a, b)
				x := cloneAssociation(a)
				x.Name = "Renamed"
				c.mutate(&x)
				err := st.UpdateAssociation(t.Context(), &x)
				assert.ErrorIs(t, err, associations.ErrConflict)
				assertStoredAssociation(t, st, a)
				assertStoredAssociation(t, st, b)
				// The failed update did not consume the version.
				y := cloneAssociation(a)
				y.Object = "still at version 1"
				require.NoError(t, st.UpdateAssociation(t.Context(), &y))
				assert.Equal(t, 2, y.Version)
			})
		}
	})
}

func (s *suite) testUpsert(t *testing.T) {
	t.Run("CreatedUnchangedUpdated", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(10)
		orig := NewAssociation(rng, 1)
		orig.Address.Location = &associations.Point{Lat: 43.6, Lon: 1.44}

		a := cloneAssociation(orig)
		res, err := st.UpsertAssociationByRNA(t.Context(), &a)
		require.NoError(t, err)
		assert.Equal(t, associations.Created, res, "first upsert of an RNA")
		assert.Equal(t, orig.ID, a.ID, "Created keeps the caller's ID")
		assert.Equal(t, 1, a.Version)
		assertStoredAssociation(t, st, orig)

		// Same content, but another ID, no version, other timestamps: the
		// bookkeeping fields are not content.
		same := cloneAssociation(orig)
		same.ID = NewID(rng)
		same.Version = 0
		same.CreatedAt = orig.CreatedAt.Add(48 * time.Hour)
		same.UpdatedAt = orig.UpdatedAt.Add(48 * time.Hour)
		otherID := same.ID
		res, err = st.UpsertAssociationByRNA(t.Context(), &same)
		require.NoError(t, err)
		assert.Equal(t, associations.Unchanged, res, "same content again")
		assert.Equal(t, orig.ID, same.ID, "a.ID is set to the stored ID")
		assert.Equal(t, 1, same.Version, "a.Version is set to the stored Version")
		assert.True(t, same.CreatedAt.Equal(orig.CreatedAt), "a.CreatedAt is set to the stored one: got %v want %v", same.CreatedAt, orig.CreatedAt)
		assertStoredAssociation(t, st, orig)
		assertNoAssociation(t, st, otherID)

		// Changed content.
		changed := cloneAssociation(orig)
		changed.ID = NewID(rng)
		changed.Version = 7
		changed.CreatedAt = orig.CreatedAt.Add(72 * time.Hour)
		changed.UpdatedAt = orig.UpdatedAt.Add(72 * time.Hour)
		changed.Object = "Objet modifié par l'import du RNA"
		otherID = changed.ID
		res, err = st.UpsertAssociationByRNA(t.Context(), &changed)
		require.NoError(t, err)
		assert.Equal(t, associations.Updated, res, "changed content")
		assert.Equal(t, orig.ID, changed.ID, "Updated keeps the stored ID")
		assert.Equal(t, 2, changed.Version, "Updated bumps the Version")
		assert.True(t, changed.CreatedAt.Equal(orig.CreatedAt), "Updated keeps the stored CreatedAt: got %v want %v", changed.CreatedAt, orig.CreatedAt)
		want := cloneAssociation(changed)
		want.ID, want.Version, want.CreatedAt = orig.ID, 2, orig.CreatedAt
		assertStoredAssociation(t, st, want)
		assertNoAssociation(t, st, otherID)

		// And the new content is now the unchanged one.
		again := cloneAssociation(want)
		again.ID = uuid.Nil
		res, err = st.UpsertAssociationByRNA(t.Context(), &again)
		require.NoError(t, err)
		assert.Equal(t, associations.Unchanged, res)
		assert.Equal(t, 2, again.Version)
		assertStoredAssociation(t, st, want)
	})

	t.Run("NilIDRefused", func(t *testing.T) {
		st := s.store(t)
		a := NewAssociation(NewRand(11), 1)
		a.ID = uuid.Nil
		_, err := st.UpsertAssociationByRNA(t.Context(), &a)
		assert.ErrorIs(t, err, associations.ErrInvalid, "a new association without an ID: the store does not make IDs")
		assertNoRNA(t, st, a.RNA)
	})

	// Every content field takes part in change detection.
	t.Run("EachFieldIsContent", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(12)
		base := fullAssociation()
		base.ID = NewID(rng)
		base.Status = associations.StatusActive
		base.DissolvedOn = nil
		cur := cloneAssociation(base)
		res, err := st.UpsertAssociationByRNA(t.Context(), &cur)
		require.NoError(t, err)
		require.Equal(t, associations.Created, res)

		mutations := []struct {
			name   string
			mutate func(a *associations.Association)
		}{
			{"Name", func(a *associations.Association) { a.Name += " (bis)" }},
			{"NameAccentOnly", func(a *associations.Association) { a.Name = "Comite des Fetes de l'Oeuvre 🎉 « Ça ira » (BIS)" }},
			{"Acronym", func(a *associations.Association) { a.Acronym = "CDF" }},
			{"SIREN+SIRET", func(a *associations.Association) { a.SIREN = SIREN(31); a.SIRET = SIRET(31) }},
			{"NEQ", func(a *associations.Association) { a.NEQ = "2260000000" }},
			{"LegalStatus", func(a *associations.Association) { a.LegalStatus = associations.LegalOther }},
			{"Grouping", func(a *associations.Association) { a.Grouping = associations.GroupingUnion }},
			{"Object", func(a *associations.Association) { a.Object += "." }},
			{"CategoryAdded", func(a *associations.Association) { a.Categories = append(a.Categories, "050000") }},
			{"CategoriesCleared", func(a *associations.Association) { a.Categories = nil }},
			{"CreatedOn", func(a *associations.Association) { a.CreatedOn = datePtr(a.CreatedOn.AddDate(0, 0, 1)) }},
			{"Dissolved", func(a *associations.Association) {
				a.Status = associations.StatusDissolved
				a.DissolvedOn = datePtr(Date(2024, time.January, 2))
			}},
			{"Line2", func(a *associations.Association) { a.Address.Line2 = "" }},
			{"PostalCode", func(a *associations.Association) { a.Address.PostalCode = "75005" }},
			{"LatitudeTiny", func(a *associations.Association) { a.Address.Location.Lat += 1e-9 }},
			{"LongitudeTiny", func(a *associations.Association) { a.Address.Location.Lon -= 1e-9 }},
			{"LocationRemoved", func(a *associations.Association) { a.Address.Location = nil }},
			{"LocationAdded", func(a *associations.Association) { a.Address.Location = &associations.Point{Lat: 0, Lon: 0} }},
			{"ContactPublicFlag", func(a *associations.Association) { a.Contacts[0].Public = !a.Contacts[0].Public }},
			{"ContactsReordered", func(a *associations.Association) { a.Contacts[0], a.Contacts[1] = a.Contacts[1], a.Contacts[0] }},
			{"ContactRemoved", func(a *associations.Association) { a.Contacts = a.Contacts[1:] }},
			{"Website", func(a *associations.Association) { a.Website = "https://example.net/" }},
			{"Languages", func(a *associations.Association) { a.Languages = []string{"fr"} }},
			{"HearingLoop", func(a *associations.Association) { a.Access.HearingLoop = (a.Access.HearingLoop + 1) % 3 }},
			{"HearingLoopUnknown", func(a *associations.Association) { a.Access.HearingLoop = associations.Unknown }},
			{"NotesPublic", func(a *associations.Association) { a.Access.NotesPublic = !a.Access.NotesPublic }},
			{"AddressPublic", func(a *associations.Association) { a.Address.Public = !a.Address.Public }},
			{"ShortTitle", func(a *associations.Association) { a.ShortTitle = "COMITE FETES" }},
			{"AccessNotes", func(a *associations.Association) { a.Access.Notes = "" }},
		}
		for _, m := range mutations {
			t.Run(m.name, func(t *testing.T) {
				next := cloneAssociation(cur)
				m.mutate(&next)
				next.ID = NewID(rng)
				next.UpdatedAt = next.UpdatedAt.Add(time.Minute)
				in := cloneAssociation(next)
				res, err := st.UpsertAssociationByRNA(t.Context(), &in)
				require.NoError(t, err)
				assert.Equal(t, associations.Updated, res)
				assert.Equal(t, base.ID, in.ID)
				assert.Equal(t, cur.Version+1, in.Version)
				next.ID, next.Version, next.CreatedAt = base.ID, cur.Version+1, base.CreatedAt
				assertStoredAssociation(t, st, next)
				cur = next

				in = cloneAssociation(next)
				res, err = st.UpsertAssociationByRNA(t.Context(), &in)
				require.NoError(t, err)
				assert.Equal(t, associations.Unchanged, res, "the same content a second time")
				assert.Equal(t, cur.Version, in.Version)
			})
		}
	})

	t.Run("Batch", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(14)
		same, changed := NewAssociation(rng, 1), NewAssociation(rng, 2)
		mustCreate(t, st, same, changed)
		fresh1, fresh2 := NewAssociation(rng, 3), NewAssociation(rng, 4)

		inSame := cloneAssociation(same)
		inSame.ID, inSame.Version = NewID(rng), 0
		inChanged := cloneAssociation(changed)
		inChanged.ID, inChanged.Version = NewID(rng), 0
		inChanged.Name += " (nouveau nom)"
		inChanged.UpdatedAt = inChanged.UpdatedAt.Add(time.Hour)
		in1, in2 := cloneAssociation(fresh1), cloneAssociation(fresh2)
		batch := []*associations.Association{&in1, &inSame, &inChanged, &in2}
		res, err := st.UpsertAssociationsByRNA(t.Context(), batch)
		require.NoError(t, err)
		assert.Equal(t, []associations.UpsertResult{associations.Created, associations.Unchanged, associations.Updated, associations.Created}, res,
			"results in input order")
		assert.Equal(t, []uuid.UUID{fresh1.ID, same.ID, changed.ID, fresh2.ID}, []uuid.UUID{in1.ID, inSame.ID, inChanged.ID, in2.ID},
			"each element's ID is set to the stored one")
		assert.Equal(t, []int{1, 1, 2, 1}, []int{in1.Version, inSame.Version, inChanged.Version, in2.Version}, "versions")
		assertStoredAssociation(t, st, fresh1)
		assertStoredAssociation(t, st, fresh2)
		assertStoredAssociation(t, st, same)
		wantChanged := cloneAssociation(inChanged)
		wantChanged.ID, wantChanged.Version, wantChanged.CreatedAt = changed.ID, 2, changed.CreatedAt
		assertStoredAssociation(t, st, wantChanged)
		got := searchAll(t, st, associations.Filter{Text: "nouveau nom"})
		assert.Equal(t, []uuid.UUID{changed.ID}, idsOf(got), "the batch maintains the search index")

		res, err = st.UpsertAssociationsByRNA(t.Context(), nil)
		assert.NoError(t, err, "an empty batch")
		assert.Empty(t, res)
	})

	// A batch is one transaction: when one element fails, none is written.
	t.Run("BatchAtomic", func(t *testing.T) {
		rng := NewRand(15)
		taken := NewAssociation(rng, 1)
		taken.SIRET = SIRET(1)
		existing := NewAssociation(rng, 2)
		cases := []struct {
			name    string
			wantErr error
			bad     func(a *associations.Association)
		}{
			{"SIRETTaken", associations.ErrConflict, func(a *associations.Association) { a.SIREN, a.SIRET = taken.SIREN, taken.SIRET }},
			{"RNARepeated", associations.ErrInvalid, func(a *associations.Association) { a.RNA = RNA(3) }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				st := s.store(t)
				mustCreate(t, st, taken, existing)
				ok1 := NewAssociation(rng, 3)
				upd := cloneAssociation(existing)
				upd.Object = "Objet qui ne doit pas être écrit"
				bad := NewAssociation(rng, 4)
				c.bad(&bad)
				ok2 := NewAssociation(rng, 5)
				ids := []uuid.UUID{ok1.ID, bad.ID, ok2.ID}
				rnas := []string{ok1.RNA, bad.RNA, ok2.RNA}
				batch := []*associations.Association{&ok1, &upd, &bad, &ok2}
				_, err := st.UpsertAssociationsByRNA(t.Context(), batch)
				assert.ErrorIs(t, err, c.wantErr)
				for _, id := range ids {
					assertNoAssociation(t, st, id)
				}
				for _, rna := range rnas {
					assertNoRNA(t, st, rna)
				}
				assertStoredAssociation(t, st, existing)
				assertStoredAssociation(t, st, taken)
				all := searchAll(t, st, associations.Filter{})
				assert.Len(t, all, 2, "only the rows stored before the batch")
			})
		}
	})

	t.Run("ConflictOnSIRET", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(13)
		a := NewAssociation(rng, 1)
		a.SIRET = SIRET(1)
		mustCreate(t, st, a)
		b := NewAssociation(rng, 2)
		b.SIREN, b.SIRET = a.SIREN, a.SIRET
		_, err := st.UpsertAssociationByRNA(t.Context(), &b)
		assert.ErrorIs(t, err, associations.ErrConflict)
		assertNoRNA(t, st, b.RNA)
		assertStoredAssociation(t, st, a)
	})
}
