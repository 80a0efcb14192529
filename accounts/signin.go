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

// ErrBadCredentials is the one answer for an unknown e-mail, a wrong
// password and a disabled account, so the form reveals nothing.
var ErrBadCredentials = errors.New("wrong e-mail or password")

// ThrottledError says a sign-in was refused without checking the password
// because the account or the address failed too often; try after Wait.
type ThrottledError struct {
	Wait time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins; retry in %s", e.Wait)
}

// RetryAfterSeconds is the Retry-After value, rounded up.
func (e *ThrottledError) RetryAfterSeconds() string {
	return strconv.Itoa(int((e.Wait + time.Second - 1) / time.Second))
}

// Authenticator checks e-mail and password with the limits on failures.
type Authenticator struct {
	Passwords  *Passwords
	PerAccount *Throttle
	PerAddress *Throttle
}

// NewAuthenticator returns the portal's sign-in checks.
func NewAuthenticator(p *Passwords) *Authenticator {
	return &Authenticator{Passwords: p, PerAccount: AccountThrottle(), PerAddress: AddressThrottle()}
}

// SignIn returns the user whose e-mail and password match, or
// ErrBadCredentials, or a *ThrottledError. The try is counted on the account
// and on the address before the password is checked, so that a burst of
// simultaneous guesses gets no more tries than a slow one. Failures are
// audited.
func (a *Authenticator) SignIn(ctx context.Context, db bun.IDB, email, password, ip string) (*User, error) {
	email = throttleLogin(email)
	acctKey, addrKey := "acct:"+email, "addr:"+AddressKey(ip)
	refused, acctPenalty, err := a.PerAccount.Attempt(ctx, db, acctKey)
	if err != nil {
		return nil, err
	}
	if refused > 0 {
		return nil, &ThrottledError{Wait: refused}
	}
	refused, addrPenalty, err := a.PerAddress.Attempt(ctx, db, addrKey)
	if err != nil {
		return nil, err
	}
	if refused > 0 {
		// The account's try was counted but never made: give it back.
		if err := a.PerAccount.Succeeded(ctx, db, acctKey); err != nil {
			return nil, err
		}
		return nil, &ThrottledError{Wait: refused}
	}
	u, err := UserByLogin(ctx, db, email)
	switch {
	case errors.Is(err, database.ErrNotFound):
		a.Passwords.dummyVerify(ctx, password)
		return nil, a.fail(ctx, db, nil, email, ip, max(acctPenalty, addrPenalty))
	case err != nil:
		return nil, err
	}
	ok := false
	if u.PasswordHash != "" {
		if ok, err = a.Passwords.Verify(ctx, password, u.PasswordHash); err != nil && !errors.Is(err, errBadHash) {
			return nil, err
		}
	} else {
		a.Passwords.dummyVerify(ctx, password)
	}
	if !ok || u.Disabled {
		return nil, a.fail(ctx, db, u, email, ip, max(acctPenalty, addrPenalty))
	}
	if err := a.PerAccount.Reset(ctx, db, acctKey); err != nil {
		return nil, err
	}
	if err := a.PerAddress.Succeeded(ctx, db, addrKey); err != nil {
		return nil, err
	}
	return u, nil
}

// fail records a failed sign-in; a failure that has set a wait says so at
// once.
func (a *Authenticator) fail(ctx context.Context, db bun.IDB, u *User, email, ip string, wait time.Duration) error {
	e := AuditEntry{Action: AuditSignInFailed, ObjectType: "user", ObjectID: email, IP: ip}
	if u != nil {
		e.ObjectID = strconv.FormatInt(u.ID, 10)
	}
	if err := RecordAudit(ctx, db, e); err != nil {
		return err
	}
	if wait > 0 {
		return &ThrottledError{Wait: wait}
	}
	return ErrBadCredentials
}

// SignInHook carries what a visitor did before signing in (lesson progress,
// the self-assessments this browser holds) into the account, inside the
// sign-in's transaction.
type SignInHook func(ctx context.Context, tx bun.IDB, userID int64) error

// RecordSignIn completes a sign-in whose password (and second factor) were
// checked: each hook carries the visitor's state into the account and the
// sign-in is audited, in one transaction, so that both happen or neither
// does. who is the user signing in. The session is the caller's business.
func RecordSignIn(ctx context.Context, db bun.IDB, who Actor, carry ...SignInHook) error {
	if who.UserID == 0 {
		return ErrSignInRequired
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		for _, hook := range carry {
			if err := hook(ctx, tx, who.UserID); err != nil {
				return err
			}
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditSignIn, ObjectType: "user", ObjectID: strconv.FormatInt(who.UserID, 10)})
	})
}

// SignOut audits that who ended their session; for nobody signed in there
// is nothing to record. Ending the session is the caller's business.
func SignOut(ctx context.Context, db bun.IDB, who Actor) error {
	if who.UserID == 0 {
		return nil
	}
	return who.Record(ctx, db, AuditEntry{Action: AuditSignOut, ObjectType: "user", ObjectID: strconv.FormatInt(who.UserID, 10)})
}
