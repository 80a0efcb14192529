package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// ResetTTL is how long an e-mailed password-reset link works.
const ResetTTL = 30 * time.Minute

// ResetThrottle limits reset e-mails per address typed and per client
// address: three e-mails (two free tries, and the third, which sets the
// first wait), then a wait from a minute up to an hour, so that nobody can
// fill a stranger's inbox or make the portal a mail cannon.
func ResetThrottle() *Throttle {
	return &Throttle{Free: 2, Base: time.Minute, Max: time.Hour, Window: time.Hour, nowFunc: time.Now}
}

// newPasswordTokenTTL makes a one-time token valid for ttl; only its hash
// is stored.
func newPasswordTokenTTL(ctx context.Context, db bun.IDB, userID int64, ttl time.Duration) (string, error) {
	return insertPasswordToken(ctx, db, userID, RandomToken(20), ttl)
}

// insertPasswordToken stores the hash of token, valid for ttl.
func insertPasswordToken(ctx context.Context, db bun.IDB, userID int64, token string, ttl time.Duration) (string, error) {
	row := passwordToken{TokenHash: hashToken(token), UserID: userID, ExpiresAt: time.Now().UTC().Add(ttl)}
	if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return "", fmt.Errorf("accounts.newPasswordToken: %w", err)
	}
	return token, nil
}

// RequestPasswordReset makes a one-time reset link token, valid ResetTTL,
// for the account with the address email, audited in one transaction with
// the earlier unused links of the account spent, so that only the newest
// works. For an address that is malformed, unknown, or a disabled
// account's, it returns a nil user and no error: the caller answers the
// same either way, and nobody learns who has an account.
func RequestPasswordReset(ctx context.Context, db bun.IDB, who Actor, email string) (*User, string, error) {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return nil, "", nil
	}
	u, err := UserByEmail(ctx, db, norm)
	if errors.Is(err, database.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		return nil, "", nil
	}
	var token string
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockUserLinks(ctx, tx, u.ID); err != nil {
			return err
		}
		if err := spendPasswordTokens(ctx, tx, u.ID); err != nil {
			return err
		}
		if token, err = newPasswordTokenTTL(ctx, tx, u.ID, ResetTTL); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditResetRequested, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	})
	if errors.Is(err, ErrTokenInvalid) {
		return nil, "", nil // deleted meanwhile: nobody to send to
	}
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}
