package civickit_test

import (
	"testing"

	"github.com/civickit/civickit"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckLimit(t *testing.T) {
	tests := []struct {
		in, want int
		invalid  bool
	}{
		{0, civickit.DefaultLimit, false},
		{1, 1, false},
		{civickit.MaxLimit, civickit.MaxLimit, false},
		{civickit.MaxLimit + 1, civickit.MaxLimit, false},
		{-1, 0, true},
	}
	for _, tt := range tests {
		got, err := civickit.CheckLimit(tt.in)
		if tt.invalid {
			assert.ErrorIs(t, err, civickit.ErrInvalid)
			assert.Equal(t, []civickit.FieldError{{Path: "limit", Rule: "gte", Param: "0"}}, civickit.FieldErrors(err))
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
}

type position struct {
	Key string    `json:"k"`
	ID  uuid.UUID `json:"i"`
}

func TestCursorRoundTrip(t *testing.T) {
	in := position{Key: "jardin partagé", ID: uuid.MustParse("0190d7e4-8d7a-7cc2-9a5e-8a0c2f1d3b4e")}
	c := civickit.EncodeCursor(in)
	assert.NotContains(t, c, "=", "URL-safe without padding")
	var out position
	ok, err := civickit.DecodeCursor(c, &out)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, in, out)

	var untouched position
	ok, err = civickit.DecodeCursor("", &untouched)
	require.NoError(t, err)
	assert.False(t, ok, "the empty cursor is the first page")
}

func TestDecodeCursorRefusesGarbage(t *testing.T) {
	for _, c := range []string{"!!!", "bm90IGpzb24", civickit.EncodeCursor([]int{1})} {
		var p position
		_, err := civickit.DecodeCursor(c, &p)
		require.ErrorIs(t, err, civickit.ErrInvalid, c)
		assert.Equal(t, []civickit.FieldError{{Path: "after", Rule: "cursor"}}, civickit.FieldErrors(err))
	}
}

func TestOffsetCursor(t *testing.T) {
	assert.Equal(t, "", civickit.OffsetCursor(0))
	for _, n := range []int{1, 20, 10_000} {
		got, err := civickit.DecodeOffsetCursor(civickit.OffsetCursor(n))
		require.NoError(t, err)
		assert.Equal(t, n, got)
	}
	n, err := civickit.DecodeOffsetCursor("")
	require.NoError(t, err)
	assert.Zero(t, n)
	_, err = civickit.DecodeOffsetCursor(civickit.EncodeCursor("-3"))
	assert.ErrorIs(t, err, civickit.ErrInvalid)
	_, err = civickit.DecodeOffsetCursor(civickit.EncodeCursor(position{}))
	assert.ErrorIs(t, err, civickit.ErrInvalid)
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(civickit.EncodeCursor(position{Key: "a", ID: uuid.Nil}))
	f.Add("")
	f.Add("e30")
	f.Fuzz(func(t *testing.T, c string) {
		var p position
		ok, err := civickit.DecodeCursor(c, &p)
		if err != nil {
			if !assert.ErrorIs(t, err, civickit.ErrInvalid) {
				return
			}
			return
		}
		if ok {
			// A cursor that decodes re-encodes to one that decodes to the same position.
			var again position
			_, err := civickit.DecodeCursor(civickit.EncodeCursor(p), &again)
			require.NoError(t, err)
			assert.Equal(t, p, again)
		}
	})
}
