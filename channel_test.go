package civickit_test

import (
	"strings"
	"testing"

	"github.com/civickit/civickit"
	"github.com/stretchr/testify/assert"
)

func TestChannels(t *testing.T) {
	for _, c := range civickit.Channels() {
		assert.True(t, c.Valid(), c)
		assert.Equal(t, c != civickit.ChannelWeb, c.Assisted(), c)
	}
	for _, c := range []civickit.Channel{"", "fax", "Web"} {
		assert.False(t, c.Valid(), c)
		assert.False(t, c.Assisted(), c)
	}
}

func TestProvenanceValidate(t *testing.T) {
	long := strings.Repeat("x", civickit.MaxPlaceLen+1)
	tests := []struct {
		name string
		p    civickit.Provenance
		want []civickit.FieldError
	}{
		{"web", civickit.Provenance{Channel: civickit.ChannelWeb}, nil},
		{"web with a collector", civickit.Provenance{Channel: civickit.ChannelWeb, CollectedBy: "agent-1"},
			[]civickit.FieldError{{Path: "provenance.collected_by", Rule: "excluded_with", Param: "web"}}},
		{"paper needs agent and place", civickit.Provenance{Channel: civickit.ChannelPaper},
			[]civickit.FieldError{{Path: "provenance.collected_by", Rule: "required"}, {Path: "provenance.place", Rule: "required"}}},
		{"paper complete", civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-1", Place: "mairie"}, nil},
		{"kiosk without operator", civickit.Provenance{Channel: civickit.ChannelKiosk, Place: "médiathèque"}, nil},
		{"kiosk without place", civickit.Provenance{Channel: civickit.ChannelKiosk},
			[]civickit.FieldError{{Path: "provenance.place", Rule: "required"}}},
		{"import needs its job", civickit.Provenance{Channel: civickit.ChannelImport},
			[]civickit.FieldError{{Path: "provenance.collected_by", Rule: "required"}}},
		{"unknown channel", civickit.Provenance{Channel: "fax"},
			[]civickit.FieldError{{Path: "provenance.channel", Rule: "oneof", Param: "web paper kiosk mediator import"}}},
		{"place too long", civickit.Provenance{Channel: civickit.ChannelMediator, CollectedBy: "m", Place: long},
			[]civickit.FieldError{{Path: "provenance.place", Rule: "max", Param: "100"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, civickit.ErrInvalid)
			assert.Equal(t, tt.want, civickit.FieldErrors(err))
		})
	}
}

func TestAssuranceLevel(t *testing.T) {
	levels := []civickit.AssuranceLevel{civickit.AssuranceNone, civickit.AssuranceLow, civickit.AssuranceSubstantial, civickit.AssuranceHigh}
	for i, have := range levels {
		assert.Equal(t, i, have.Rank())
		assert.True(t, have.Valid())
		for j, want := range levels {
			assert.Equal(t, i >= j, have.AtLeast(want), "%q at least %q", have, want)
		}
	}
	unknown := civickit.AssuranceLevel("eidas-ultra")
	assert.Equal(t, -1, unknown.Rank())
	assert.False(t, unknown.Valid())
	assert.False(t, unknown.AtLeast(civickit.AssuranceNone), "an unknown level meets nothing")
	assert.False(t, civickit.AssuranceHigh.AtLeast(unknown), "an unknown requirement is met by nothing")
}
