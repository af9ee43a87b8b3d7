package civickit

import "strconv"

// MaxIdempotencyKeyLen bounds an idempotency key, in bytes.
const MaxIdempotencyKeyLen = 100

// CheckIdempotencyKey adds the broken rule of an idempotency key, if any,
// to ve under path: at most MaxIdempotencyKeyLen bytes of printable ASCII
// (no spaces), so that a key travels unchanged through headers, logs and
// every engine's collation. The empty key (no idempotency) is allowed.
func CheckIdempotencyKey(path, key string, ve *ValidationError) {
	if len(key) > MaxIdempotencyKeyLen {
		ve.Add(path, "max", strconv.Itoa(MaxIdempotencyKeyLen))
		return
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			ve.Add(path, "printascii", "")
			return
		}
	}
}
