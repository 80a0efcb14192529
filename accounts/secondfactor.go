package accounts

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// EnableTOTP turns on who's second factor once a code from their
// authenticator app confirms the secret, and audits it, in one transaction.
// It returns fresh recovery codes, replacing any earlier ones, to be shown
// once. A code that does not match is a *ValidationError on "code"
// (ErrTOTPCode) and changes nothing.
func EnableTOTP(ctx context.Context, db bun.IDB, who Actor, secret, code string) ([]string, error) {
	if who.UserID == 0 {
		return nil, ErrSignInRequired
	}
	if !ValidTOTP(secret, code, time.Now()) {
		return nil, refuse("code", ErrTOTPCode)
	}
	var codes []string
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if codes, err = enableTOTP(ctx, tx, who.UserID, secret); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditTOTPEnabled, ObjectType: "user", ObjectID: strconv.FormatInt(who.UserID, 10)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// CheckSecondFactor checks a code from who's authenticator app, or with
// allowRecovery a one-time recovery code, which it spends and audits in one
// transaction. Each try is counted against the same per-account limit as
// passwords, before the code is looked at, so that six digits cannot be
// guessed by a burst of tries sent at once; past the limit it returns a
// *ThrottledError. A wrong code is false with no error.
func (a *Authenticator) CheckSecondFactor(ctx context.Context, db bun.IDB, who Actor, code string, allowRecovery bool) (bool, error) {
	if who.UserID == 0 {
		return false, ErrSignInRequired
	}
	key := "totp:" + strconv.FormatInt(who.UserID, 10)
	refused, penalty, err := a.PerAccount.Attempt(ctx, db, key)
	if err != nil {
		return false, err
	}
	if refused > 0 {
		return false, &ThrottledError{Wait: refused}
	}
	u, err := UserByID(ctx, db, who.UserID)
	if err != nil {
		return false, err
	}
	code = strings.TrimSpace(code)
	ok := false
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if ok, err = UseTOTP(ctx, tx, u, code, time.Now()); err != nil || ok || !allowRecovery || len(code) <= 6 {
			return err
		}
		if ok, err = UseRecoveryCode(ctx, tx, u.ID, code); err != nil || !ok {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditRecoveryUsed, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	})
	if err != nil {
		return false, err
	}
	if !ok {
		if penalty > 0 {
			return false, &ThrottledError{Wait: penalty}
		}
		return false, nil
	}
	return true, a.PerAccount.Reset(ctx, db, key)
}
