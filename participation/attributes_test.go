package participation_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/panel"
)

func TestDeclareAttributes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, participation.Options{})
	p, err := e.svc.RegisterParticipant(ctx, &participation.PersonalData{Name: "Ana"})
	require.NoError(t, err)

	_, err = e.svc.DeclareAttributes(ctx, p.ID, map[string]string{"sexe": "Femmes"}, false)
	var ve *civickit.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "consent", ve.Fields[0].Path)
	_, err = e.svc.DeclareAttributes(ctx, p.ID, map[string]string{" ": "x"}, true)
	assert.ErrorIs(t, err, civickit.ErrInvalid)
	_, err = e.svc.DeclareAttributes(ctx, p.ID, map[string]string{"sexe": strings.Repeat("x", 101)}, true)
	assert.ErrorIs(t, err, civickit.ErrInvalid)
	_, err = e.svc.DeclareAttributes(ctx, uuid.New(), map[string]string{"sexe": "Femmes"}, true)
	assert.ErrorIs(t, err, civickit.ErrNotFound)

	a, err := e.svc.DeclareAttributes(ctx, p.ID, map[string]string{" sexe ": "Femmes", "age": panel.Declined, "diplôme": ""}, true)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"sexe": "Femmes", "age": panel.Declined}, a.Values, "trimmed, empty left out")
	got, err := e.svc.Attributes(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, a.Values, got.Values)

	// Erasing personal data erases the attributes too.
	require.NoError(t, e.svc.ErasePersonalData(ctx, p.ID))
	_, err = e.svc.Attributes(ctx, p.ID)
	assert.ErrorIs(t, err, civickit.ErrNotFound)
}

// A consultation's respondents compared with the INSEE census, then a
// citizens' panel drawn among volunteers, one per household, with a
// manifest that names no participant.
func TestPanelRespondentsAndPool(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, participation.Options{})
	census, err := os.Open("panel/testdata/insee_rp2018_france.csv")
	require.NoError(t, err)
	defer census.Close()
	m, err := panel.ReadMargins(census)
	require.NoError(t, err)

	var rs []participation.RespondentChannel
	var volunteers []uuid.UUID
	for i := range 12 {
		addr := fmt.Sprintf("%d rue de la Paix", i/2) // two people per address
		p, err := e.svc.RegisterParticipant(ctx, &participation.PersonalData{Address: addr})
		require.NoError(t, err)
		sexe := []string{"Femmes", "Hommes"}[i%2]
		age := []string{"15 à 29 ans", "30 à 44 ans", "45 à 59 ans", "60 à 74 ans", "75 ans ou plus", "60 à 74 ans"}[i%6]
		if i != 11 { // one said nothing
			_, err = e.svc.DeclareAttributes(ctx, p.ID, map[string]string{"sexe": sexe, "age": age}, true)
			require.NoError(t, err)
		}
		ch := civickit.ChannelWeb
		if i%3 == 0 {
			ch = civickit.ChannelPaper
		}
		rs = append(rs, participation.RespondentChannel{Respondent: participation.Respondent{ParticipantID: p.ID, Recruitment: participation.RecruitOpenCall}, Channel: ch})
		volunteers = append(volunteers, p.ID)
	}
	prs, err := e.svc.PanelRespondents(ctx, rs)
	require.NoError(t, err)
	a := panel.Assess(prs, m)
	assert.Equal(t, 12, a.Overall.Respondents)
	assert.Equal(t, 1, a.Overall.Categories[0].Unknown)
	require.Len(t, a.ByChannel, 2)
	assert.Equal(t, "recruitment=open_call", a.ByRecruitment[0].Group)

	salt := []byte("a secret per draw, 16+ bytes long")
	people, byPseudonym, err := e.svc.PanelPool(ctx, volunteers, salt, true)
	require.NoError(t, err)
	require.Len(t, people, 12)
	people = people[:11] // the one without attributes cannot be placed in quotas
	in := panel.Instance{K: 4, People: people, Quotas: []panel.Quota{
		{Feature: "sexe", Value: "Femmes", Min: 2, Max: 2}, {Feature: "sexe", Value: "Hommes", Min: 2, Max: 2},
		{Feature: "age", Value: "15 à 29 ans", Min: 0, Max: 1}, {Feature: "age", Value: "30 à 44 ans", Min: 0, Max: 1},
		{Feature: "age", Value: "45 à 59 ans", Min: 0, Max: 1}, {Feature: "age", Value: "60 à 74 ans", Min: 1, Max: 2},
		{Feature: "age", Value: "75 ans ou plus", Min: 0, Max: 1},
	}}
	man, d, err := panel.DrawManifest(in, panel.SelectOptions{}, "published seed", 2)
	require.NoError(t, err)
	assert.Len(t, d.Types, 11, "everyone shares an address with someone: their own type")
	homes := map[string]bool{}
	for _, id := range man.Selected {
		pid, ok := byPseudonym[id]
		require.True(t, ok)
		pd, err := e.svc.PersonalData(ctx, pid)
		require.NoError(t, err)
		assert.False(t, homes[pd.Address], "one per household")
		homes[pd.Address] = true
	}
	data, err := json.Marshal(man)
	require.NoError(t, err)
	for _, id := range volunteers {
		assert.NotContains(t, string(data), id.String(), "the manifest names pseudonyms only")
	}
	assert.NotContains(t, string(data), "rue de la Paix")
	require.NoError(t, panel.Verify(man, in.People))

	_, _, err = e.svc.PanelPool(ctx, volunteers, []byte("short"), false)
	assert.ErrorIs(t, err, civickit.ErrInvalid)
}
