package civickit_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/civickit/civickit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeIdentifier(t *testing.T) {
	tests := map[string]string{
		"ab 12-34":     "AB1234",
		"AB1234":       "AB1234",
		"ＡＢ１２３４":       "AB1234", // full-width forms (NFKC)
		"  é-01 ":      "É01",
		"--- ":         "",
		"W751\xff0001": "W7510001", // invalid bytes are dropped
	}
	for in, want := range tests {
		assert.Equal(t, want, civickit.NormalizeIdentifier(in), "%q", in)
	}
}

func TestHasherKey(t *testing.T) {
	salt := civickit.Salt(bytes.Repeat([]byte{7}, civickit.SaltSize))
	other := civickit.Salt(bytes.Repeat([]byte{8}, civickit.SaltSize))
	scope := "census\x00roll-2026\x00"

	plain := civickit.Hasher{}
	k1, ok := plain.Key(salt, scope, "ab 12-34")
	require.True(t, ok)
	k2, _ := plain.Key(salt, scope, "AB1234")
	assert.Equal(t, k1, k2, "one person whatever the spelling")
	assert.Len(t, string(k1), 64)

	// The documented construction, recomputed independently.
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(scope + "AB1234"))
	assert.Equal(t, civickit.IdentityKey(hex.EncodeToString(m.Sum(nil))), k1)

	k3, _ := plain.Key(other, scope, "AB1234")
	assert.NotEqual(t, k1, k3, "another salt, another key")
	k4, _ := plain.Key(salt, "census\x00roll-2027\x00", "AB1234")
	assert.NotEqual(t, k1, k4, "another scope, another key")

	peppered := civickit.Hasher{Secret: []byte("a secret kept outside the database")}
	k5, _ := peppered.Key(salt, scope, "AB1234")
	assert.NotEqual(t, k1, k5, "the secret changes the key")
	assert.NotContains(t, string(k5), "AB1234")

	_, ok = plain.Key(salt, scope, " -- ")
	assert.False(t, ok, "an identifier without letters or digits names no one")
}

func TestNewSalt(t *testing.T) {
	s, err := civickit.NewSalt(bytes.NewReader(bytes.Repeat([]byte{1}, 64)))
	require.NoError(t, err)
	assert.Len(t, s, civickit.SaltSize)
	_, err = civickit.NewSalt(bytes.NewReader([]byte{1, 2, 3}))
	assert.Error(t, err, "a short random source is an error, not a short salt")
}
