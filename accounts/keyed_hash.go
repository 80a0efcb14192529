package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/uptrace/bun"
)

// KeyedHash returns an HMAC of value under the portal's own secret (the
// one the throttle keys use), for purpose: what other parts store instead
// of something they must be able to match but never read back, such as a
// client address. Without the secret, which stays in the database, the
// hash cannot be reversed by trying every address.
func KeyedHash(ctx context.Context, db bun.IDB, purpose, value string) (string, error) {
	secret, err := throttleSecret(ctx, db)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16]), nil
}
