package associations

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnswerJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Answer
		ok   bool
	}{
		{`"yes"`, Yes, true},
		{`"no"`, No, true},
		{`"unknown"`, Unknown, true},
		{`null`, Unknown, true},
		{`true`, Yes, true}, // rows stored when the answer was a boolean
		{`false`, No, true},
		{`"maybe"`, Unknown, false},
		{`3`, Unknown, false},
	}
	for _, tt := range tests {
		var a Answer
		err := json.Unmarshal([]byte(tt.in), &a)
		if !tt.ok {
			assert.ErrorIs(t, err, ErrInvalid, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, a, tt.in)
	}
	b, err := json.Marshal(Accessibility{StepFreeAccess: Yes, HearingLoop: No})
	require.NoError(t, err)
	assert.JSONEq(t, `{"step_free_access":"yes","accessible_toilets":"unknown","hearing_loop":"no","sign_language":"unknown","notes_public":false}`, string(b))
}

func TestPublicView(t *testing.T) {
	a := Association{
		Address: Address{Line1: "3 rue X", Line2: "chez Y", PostalCode: "69001", City: "Lyon", CommuneCode: "69381",
			Location: &Point{Lat: 45.76401, Lon: 4.83573}},
		Access:   Accessibility{Notes: "demander Z"},
		Contacts: []Contact{{Kind: ContactPhone, Value: "0600000000"}},
	}
	p := a.Public()
	assert.Equal(t, Address{PostalCode: "69001", City: "Lyon", CommuneCode: "69381", Location: &Point{Lat: 45.76, Lon: 4.84}}, p.Address)
	assert.Empty(t, p.Access.Notes)
	assert.Empty(t, p.Contacts)
	assert.Equal(t, "3 rue X", a.Address.Line1, "the original is untouched")
	assert.Equal(t, 45.76401, a.Address.Location.Lat, "the original is untouched")

	a.Address.Public, a.Access.NotesPublic = true, true
	p = a.Public()
	assert.Equal(t, a.Address, p.Address)
	assert.Equal(t, "demander Z", p.Access.Notes)

	for _, tt := range []struct{ in, want float64 }{{0, 500}, {1, 500}, {500, 500}, {501, 1000}} {
		h := NearHit{DistanceMeters: tt.in}
		assert.Equal(t, tt.want, h.Public().DistanceMeters, tt.in)
	}
}
