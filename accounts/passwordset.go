package accounts

import (
	"context"
	"errors"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// ChangePassword replaces who's password. The current one is checked
// through the throttled sign-in path, so a wrong one is counted and audited
// like any failed sign-in, and the new one against the policy; then the new
// hash and its audit line are written in one transaction, which ends every
// session begun before it. A refusal is a *ThrottledError, or a
// *ValidationError on "current" (ErrBadCredentials) or "new" (the policy).
func (a *Authenticator) ChangePassword(ctx context.Context, db bun.IDB, who Actor, current, next string) error {
	return a.ChangePasswordOnDevice(ctx, db, who, "", current, next)
}

// ChangePasswordOnDevice is ChangePassword from a browser holding
// deviceCookie: on a device the account has signed in on, the current
// password is throttled on that device alone (SignInOnDevice), so that
// guesses from elsewhere cannot stop its owner changing it.
func (a *Authenticator) ChangePasswordOnDevice(ctx context.Context, db bun.IDB, who Actor, deviceCookie, current, next string) error {
	if who.UserID == 0 {
		return ErrSignInRequired
	}
	u, err := UserByID(ctx, db, who.UserID)
	if err != nil {
		return err
	}
	// Both are judged before either is refused, so that the form shows
	// a wrong current password and a weak new one at once. The account is
	// named by its login: a resident known by a username has no address.
	var ps problems
	if _, err := a.SignInOnDevice(ctx, db, u.Login(), current, who.IP, deviceCookie); err != nil {
		if !errors.Is(err, ErrBadCredentials) {
			return err
		}
		ps.add("current", err)
	}
	ps.add("new", a.Passwords.Check(next, u.Login()))
	if err := ps.err(); err != nil {
		return err
	}
	hash, err := a.Passwords.Hash(ctx, next)
	if err != nil {
		return err
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := setPasswordHash(ctx, tx, who.UserID, hash); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditPasswordSet, ObjectType: "user", ObjectID: strconv.FormatInt(who.UserID, 10)})
	})
}

// SetPasswordWithToken spends a one-time link and sets the password of
// the account it was made for, with an audit line, in one transaction: of
// two requests racing with the same link only one sets a password. The
// link's owner is the actor, from who's address. A refusal is
// ErrTokenInvalid for an unknown, used or expired link, or a
// *ValidationError on "password" for the policy.
func SetPasswordWithToken(ctx context.Context, db bun.IDB, pw *Passwords, who Actor, token, password string) error {
	userID, err := PasswordTokenUser(ctx, db, token)
	if err != nil {
		return err
	}
	u, err := UserByID(ctx, db, userID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return ErrTokenInvalid // a disabled account keeps its password as it is
	}
	if err := pw.Check(password, u.Login()); err != nil {
		return refuse("password", err)
	}
	hash, err := pw.Hash(ctx, password)
	if err != nil {
		return err
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockUserLinks(ctx, tx, u.ID); err != nil {
			return err
		}
		if _, err := UsePasswordToken(ctx, tx, token); err != nil {
			return err
		}
		if err := setPasswordHash(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		return UserActor(u, who.IP).Record(ctx, tx, AuditEntry{Action: AuditPasswordSet, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)})
	})
}
