package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// SetPasswordTTL is how long a one-time set-password link works.
const SetPasswordTTL = 72 * time.Hour

// ErrTokenInvalid means a one-time link is unknown, used or expired; the
// page says the same for all three.
var ErrTokenInvalid = errors.New("invalid or expired link")

type passwordToken struct {
	bun.BaseModel `bun:"table:password_tokens"`
	TokenHash     string    `bun:"token_hash,pk"`
	UserID        int64     `bun:"user_id,notnull"`
	ExpiresAt     time.Time `bun:"expires_at,notnull"`
	UsedAt        time.Time `bun:"used_at,nullzero"`
}

// RandomToken returns a random string of n bytes of entropy in lowercase
// base32 without padding: safe in URLs and easy to read aloud.
func RandomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return lowerBase32.EncodeToString(b)
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewPasswordToken makes a one-time set-password link token for a user.
// Only its hash is stored, so a copy of the database opens no account.
func NewPasswordToken(ctx context.Context, db bun.IDB, userID int64) (string, error) {
	token := RandomToken(20)
	row := passwordToken{TokenHash: hashToken(token), UserID: userID, ExpiresAt: time.Now().UTC().Add(SetPasswordTTL)}
	if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return "", fmt.Errorf("accounts.NewPasswordToken: %w", err)
	}
	return token, nil
}

// PasswordTokenUser returns the user a valid token belongs to.
func PasswordTokenUser(ctx context.Context, db bun.IDB, token string) (int64, error) {
	var row passwordToken
	err := db.NewSelect().Model(&row).
		Where("token_hash = ?", hashToken(token)).
		Where("used_at IS NULL").
		Where("expires_at > ?", time.Now().UTC()).
		Scan(ctx)
	if database.IsNoRows(err) {
		return 0, ErrTokenInvalid
	}
	if err != nil {
		return 0, fmt.Errorf("accounts.PasswordTokenUser: %w", err)
	}
	return row.UserID, nil
}

// UsePasswordToken marks a token used; it fails when another request used
// it first, so one link sets one password.
func UsePasswordToken(ctx context.Context, db bun.IDB, token string) (int64, error) {
	userID, err := PasswordTokenUser(ctx, db, token)
	if err != nil {
		return 0, err
	}
	res, err := db.NewUpdate().Model((*passwordToken)(nil)).
		Set("used_at = ?", time.Now().UTC()).
		Where("token_hash = ?", hashToken(token)).
		Where("used_at IS NULL").
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("accounts.UsePasswordToken: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("accounts.UsePasswordToken: %w", err)
	}
	if n != 1 {
		return 0, ErrTokenInvalid
	}
	return userID, nil
}

// lockUserLinks makes the transaction the only one changing the user's
// links until it ends (on PostgreSQL a row lock on the user; SQLite's
// transactions hold the write lock already), so that of two links asked
// for at once only the newer works. Every transaction that changes links
// or the password takes the user's row before the links, so none waits on
// another in a circle.
func lockUserLinks(ctx context.Context, tx bun.IDB, userID int64) error {
	var id int64
	if err := database.ForUpdate(tx.NewSelect().Model((*User)(nil)).Column("id").Where("id = ?", userID)).Scan(ctx, &id); err != nil {
		if database.IsNoRows(err) {
			return ErrTokenInvalid
		}
		return fmt.Errorf("accounts.lockUserLinks: %w", err)
	}
	return nil
}

// spendPasswordTokens marks every unused link of a user used: only the
// newest link works, and none outlives a password change.
func spendPasswordTokens(ctx context.Context, db bun.IDB, userID int64) error {
	if _, err := db.NewUpdate().Model((*passwordToken)(nil)).Set("used_at = ?", time.Now().UTC()).
		Where("user_id = ?", userID).Where("used_at IS NULL").Exec(ctx); err != nil {
		return fmt.Errorf("accounts.spendPasswordTokens: %w", err)
	}
	return nil
}
