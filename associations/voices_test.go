package associations_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/participationtest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

// byName geocodes an association's city to a fixed result, as a
// geocoder reading a given address file would.
type byName map[string]associations.Geocoded

func (g byName) Geocode(_ context.Context, a associations.Address) (associations.Geocoded, error) {
	if r, ok := g[a.City]; ok {
		return r, nil
	}
	return associations.Geocoded{}, associations.ErrNotFound
}

func TestGeocodePrecisionStoredAndImproved(t *testing.T) {
	ctx := context.Background()
	store := newSQLiteStore(t)
	svc := newTestService(t, store)
	coarse, err := svc.Create(ctx, associations.Association{Name: "Amicale du bourg", Address: associations.Address{City: "Bourg"}})
	require.NoError(t, err)
	given, err := svc.Create(ctx, associations.Association{Name: "Club du port", Address: associations.Address{
		City: "Bourg", Location: &associations.Point{Lat: 45.2, Lon: 5.2}}})
	require.NoError(t, err)

	commune := byName{"Bourg": {Point: associations.Point{Lat: 45.1, Lon: 5.1}, Precision: associations.PrecisionMunicipality}}
	rep, err := svc.GeocodeAll(ctx, commune, associations.GeocodeOptions{})
	require.NoError(t, err)
	assert.Equal(t, map[associations.Precision]int{associations.PrecisionMunicipality: 1}, rep.Located)
	got, err := svc.Get(ctx, coarse.ID)
	require.NoError(t, err)
	assert.Equal(t, associations.PrecisionMunicipality, got.Address.Precision, "the precision is stored with the position")

	// A finer address file: Improve moves the coarse position, never the
	// one the association gave.
	door := byName{"Bourg": {Point: associations.Point{Lat: 45.15, Lon: 5.15}, Precision: associations.PrecisionHouseNumber}}
	rep, err = svc.GeocodeAll(ctx, door, associations.GeocodeOptions{Improve: true})
	require.NoError(t, err)
	assert.Equal(t, map[associations.Precision]int{associations.PrecisionHouseNumber: 1}, rep.Located)
	assert.Equal(t, 1, rep.AlreadyLocated)
	got, err = svc.Get(ctx, coarse.ID)
	require.NoError(t, err)
	assert.Equal(t, associations.PrecisionHouseNumber, got.Address.Precision)
	assert.Equal(t, &associations.Point{Lat: 45.15, Lon: 5.15}, got.Address.Location)
	kept, err := svc.Get(ctx, given.ID)
	require.NoError(t, err)
	assert.Equal(t, &associations.Point{Lat: 45.2, Lon: 5.2}, kept.Address.Location)
	assert.Empty(t, kept.Address.Precision)

	// A coarser file never degrades a position.
	rep, err = svc.GeocodeAll(ctx, commune, associations.GeocodeOptions{Improve: true})
	require.NoError(t, err)
	assert.Empty(t, rep.Located)
	got, err = svc.Get(ctx, coarse.ID)
	require.NoError(t, err)
	assert.Equal(t, associations.PrecisionHouseNumber, got.Address.Precision)

	_, err = svc.Create(ctx, associations.Association{Name: "X", Address: associations.Address{Precision: "door"}})
	assert.Equal(t, []civickit.FieldError{{Path: "address.precision", Rule: "oneof", Param: "housenumber street municipality postal_code"}}, civickit.FieldErrors(err))
}

// TestAssociationsInDecisions: a consultation for associations hears one
// voice per association, spoken by its mandated representatives; a new
// representative speaks with the same voice.
func TestAssociationsInDecisions(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t, storage.SQLite)
	core, err := participation.NewService(storage.NewParticipationStore(db), participation.Options{})
	require.NoError(t, err)
	voices, err := participation.NewOrganisationVoices(core, "org:associations")
	require.NoError(t, err)
	svc, err := associations.NewService(storage.NewAssociationStore(db), associations.Options{Voices: voices})
	require.NoError(t, err)

	club := newAssociation(t, svc, "Club de lecture")
	gone := newAssociation(t, svc, "Ancienne amicale")
	gone.Status = associations.StatusDissolved
	_, err = svc.Update(ctx, *gone)
	require.NoError(t, err)

	claire, err := core.RegisterParticipant(ctx, &participation.PersonalData{Name: "Claire"})
	require.NoError(t, err)
	marc, err := core.RegisterParticipant(ctx, &participation.PersonalData{Name: "Marc"})
	require.NoError(t, err)

	// No mandate, no voice.
	_, err = svc.ActingFor(ctx, claire.ID, club.ID)
	require.ErrorIs(t, err, associations.ErrNotRepresentative)
	require.ErrorIs(t, err, civickit.ErrForbidden)

	mandate := associations.Representative{AssociationID: club.ID, ParticipantID: claire.ID,
		AuthorisedBy: "agent-12", Evidence: "procès-verbal du conseil d'administration du 2026-03-01"}
	_, err = svc.AuthoriseRepresentative(ctx, mandate)
	require.NoError(t, err)
	_, err = svc.AuthoriseRepresentative(ctx, mandate)
	require.ErrorIs(t, err, civickit.ErrConflict, "one mandate per person and association")
	_, err = svc.AuthoriseRepresentative(ctx, associations.Representative{AssociationID: gone.ID, ParticipantID: claire.ID, AuthorisedBy: "a", Evidence: "b"})
	require.ErrorIs(t, err, civickit.ErrWrongState, "a dissolved association has no representative")
	_, err = svc.AuthoriseRepresentative(ctx, associations.Representative{AssociationID: uuid.New(), ParticipantID: claire.ID, AuthorisedBy: "a", Evidence: "b"})
	require.ErrorIs(t, err, civickit.ErrNotFound)
	_, err = svc.AuthoriseRepresentative(ctx, associations.Representative{})
	assert.ElementsMatch(t, []civickit.FieldError{
		{Path: "association_id", Rule: "required"}, {Path: "participant_id", Rule: "required"},
		{Path: "authorised_by", Rule: "required"}, {Path: "evidence", Rule: "required"},
	}, civickit.FieldErrors(err))

	voice, err := svc.ActingFor(ctx, claire.ID, club.ID)
	require.NoError(t, err)
	assert.NotEqual(t, claire.ID, voice, "the association speaks as itself, not as Claire")

	// A consultation for associations: the voice is eligible, Claire as
	// herself is not.
	c, err := core.CreateConsultation(ctx, consultationFor(voices.List()))
	require.NoError(t, err)
	require.NoError(t, core.CheckEligibility(ctx, c.ID, voice))
	var ee *participation.EligibilityError
	require.True(t, errors.As(core.CheckEligibility(ctx, c.ID, claire.ID), &ee))

	// Claire steps down, Marc takes over: the same voice.
	require.NoError(t, svc.RevokeRepresentative(ctx, club.ID, claire.ID))
	_, err = svc.ActingFor(ctx, claire.ID, club.ID)
	require.ErrorIs(t, err, associations.ErrNotRepresentative)
	require.ErrorIs(t, svc.RevokeRepresentative(ctx, club.ID, claire.ID), civickit.ErrNotFound)
	mandate.ParticipantID = marc.ID
	_, err = svc.AuthoriseRepresentative(ctx, mandate)
	require.NoError(t, err)
	again, err := svc.ActingFor(ctx, marc.ID, club.ID)
	require.NoError(t, err)
	assert.Equal(t, voice, again)

	page, err := svc.Representatives(ctx, club.ID, "", 0)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, marc.ID, page.Items[0].ParticipantID)
	assert.Equal(t, "agent-12", page.Items[0].AuthorisedBy)

	// Once dissolved, the association speaks no more.
	club, err = svc.Get(ctx, club.ID)
	require.NoError(t, err)
	club.Status = associations.StatusDissolved
	_, err = svc.Update(ctx, *club)
	require.NoError(t, err)
	_, err = svc.ActingFor(ctx, marc.ID, club.ID)
	require.ErrorIs(t, err, civickit.ErrWrongState)

	noVoices := newTestService(t, storage.NewAssociationStore(db))
	_, err = noVoices.ActingFor(ctx, marc.ID, club.ID)
	require.ErrorIs(t, err, civickit.ErrUnavailable)
}

// consultationFor returns a valid consultation open only to the census
// list named list.
func consultationFor(list string) participation.Consultation {
	c := *participationtest.NewConsultation(participationtest.NewRand(1), 0)
	c.Settings.Eligibility = participation.Eligibility{CensusList: list}
	return c
}
