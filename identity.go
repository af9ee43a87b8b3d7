package civickit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The census and identity model. A person's identifier (an electoral roll
// number, a resident card, an account ID) is never stored: every census
// list, register and "who already took part" table holds only its
// IdentityKey, a keyed and salted hash.
//
//   - The salt is random per scope (one census list, one election), so
//     that keys of two scopes cannot be joined. Stores keep it apart from
//     the keys it salts (its own table), and never publish it.
//   - The Hasher's Secret is kept outside the database (configuration, a
//     secret manager). Identifiers such as roll numbers are few enough to
//     be tried one by one: without the secret, whoever holds a copy of
//     the database cannot test a candidate identifier against the keys.

// NormalizeIdentifier puts an identifier in the one form in which it is
// hashed: compatibility-normalised (NFKC), letters and digits only, upper
// case — so "ab 12-34", "AB1234" and "ＡＢ１２３４" are one person.
func NormalizeIdentifier(id string) string {
	var sb strings.Builder
	for _, r := range norm.NFKC.String(strings.ToValidUTF8(id, "")) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(unicode.ToUpper(r))
		}
	}
	return sb.String()
}

// SaltSize is the length of a Salt in bytes.
const SaltSize = 32

// Salt keys the identity hashes of one scope.
type Salt []byte

// NewSalt draws a salt from r (crypto/rand.Reader in production).
func NewSalt(r io.Reader) (Salt, error) {
	s := make(Salt, SaltSize)
	if _, err := io.ReadFull(r, s); err != nil {
		return nil, fmt.Errorf("civickit: drawing a salt: %w", err)
	}
	return s, nil
}

// IdentityKey is the stored form of an identifier within one scope: the
// lower-case hex of a SHA-256 HMAC.
type IdentityKey string

// Hasher computes identity keys. The zero Hasher salts but does not key;
// a deployment sets Secret (at least 32 random bytes).
type Hasher struct {
	// Secret is the key applied on top of the salt; never stored with the
	// data.
	Secret []byte
}

// Key returns the identity key of identifier in the scope salted by salt,
// and false when the identifier has no letter or digit (then it names no
// one). scope must delimit itself (fixed length, or ending with a NUL
// byte), so that no two (scope, identifier) pairs hash the same input:
//
//	inner = HMAC-SHA256(salt, scope || NormalizeIdentifier(identifier))
//	key   = inner                          when Secret is empty
//	key   = HMAC-SHA256(Secret, inner)     otherwise
func (h Hasher) Key(salt Salt, scope, identifier string) (IdentityKey, bool) {
	id := NormalizeIdentifier(identifier)
	if id == "" {
		return "", false
	}
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(scope))
	m.Write([]byte(id))
	sum := m.Sum(nil)
	if len(h.Secret) > 0 {
		k := hmac.New(sha256.New, h.Secret)
		k.Write(sum)
		sum = k.Sum(nil)
	}
	return IdentityKey(hex.EncodeToString(sum)), true
}
