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
// because the account, the address or the device failed too often; try
// after Wait. Scope says which (ScopeAccount, ScopeAddress, ScopeDevice),
// so that the person can be told in plain words.
type ThrottledError struct {
	Wait  time.Duration
	Scope string
}

// Which limit slowed a sign-in.
const (
	// ScopeAccount: the account, for devices it has not signed in on.
	ScopeAccount = "account"
	// ScopeAddress: the client's address (its /64 for IPv6).
	ScopeAddress = "address"
	// ScopeDevice: a device the account has signed in on before.
	ScopeDevice = "device"
)

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins (%s); retry in %s", e.Scope, e.Wait)
}

// RetryAfterSeconds is the Retry-After value, rounded up.
func (e *ThrottledError) RetryAfterSeconds() string {
	return strconv.Itoa(int((e.Wait + time.Second - 1) / time.Second))
}

// Authenticator checks e-mail and password with the limits on failures.
type Authenticator struct {
	Passwords  *Passwords
	PerAccount *Throttle // tries from devices the account has not signed in on
	PerAddress *Throttle // the same, per client address
	PerDevice  *Throttle // tries from a device the account has signed in on
}

// NewAuthenticator returns the portal's sign-in checks.
func NewAuthenticator(p *Passwords) *Authenticator {
	return &Authenticator{Passwords: p, PerAccount: AccountThrottle(), PerAddress: AddressThrottle(), PerDevice: AccountThrottle()}
}

// SignIn is SignInOnDevice from a browser without a device cookie.
func (a *Authenticator) SignIn(ctx context.Context, db bun.IDB, email, password, ip string) (*User, error) {
	return a.SignInOnDevice(ctx, db, email, password, ip, "")
}

// SignInOnDevice returns the user whose e-mail (or username) and password
// match, or ErrBadCredentials, or a *ThrottledError. deviceCookie is the
// browser's device cookie (IssueDevice), empty when it has none.
//
// From a device the account has signed in on, the try is counted on that
// device alone: failures elsewhere never refuse the account's owner there.
// From any other device the try is counted on the account and on the
// address. Either way the try is counted before the password is checked,
// so that a burst of simultaneous guesses gets no more tries than a slow
// one. Failures, and the waits they start, are audited.
func (a *Authenticator) SignInOnDevice(ctx context.Context, db bun.IDB, email, password, ip, deviceCookie string) (*User, error) {
	login := throttleLogin(email)
	nonce, known, err := knownDevice(ctx, db, deviceCookie, login)
	if err != nil {
		return nil, err
	}
	if known {
		return a.signInKnown(ctx, db, login, password, ip, "device:"+nonce)
	}
	acctKey, addrKey := "acct:"+login, "addr:"+AddressKey(ip)
	refused, acctPenalty, err := a.PerAccount.Attempt(ctx, db, acctKey)
	if err != nil {
		return nil, err
	}
	if refused > 0 {
		return nil, &ThrottledError{Wait: refused, Scope: ScopeAccount}
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
		return nil, &ThrottledError{Wait: refused, Scope: ScopeAddress}
	}
	u, ok, err := a.check(ctx, db, login, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		wait, scope := acctPenalty, ScopeAccount
		if addrPenalty > acctPenalty {
			wait, scope = addrPenalty, ScopeAddress
		}
		return nil, a.fail(ctx, db, u, login, ip, wait, scope)
	}
	if err := a.PerAccount.Reset(ctx, db, acctKey); err != nil {
		return nil, err
	}
	if err := a.PerAddress.Succeeded(ctx, db, addrKey); err != nil {
		return nil, err
	}
	return u, nil
}

// signInKnown is a sign-in from a device the account has signed in on,
// throttled on the device's own key.
func (a *Authenticator) signInKnown(ctx context.Context, db bun.IDB, login, password, ip, devKey string) (*User, error) {
	refused, penalty, err := a.PerDevice.Attempt(ctx, db, devKey)
	if err != nil {
		return nil, err
	}
	if refused > 0 {
		return nil, &ThrottledError{Wait: refused, Scope: ScopeDevice}
	}
	u, ok, err := a.check(ctx, db, login, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, a.fail(ctx, db, u, login, ip, penalty, ScopeDevice)
	}
	if err := a.PerDevice.Reset(ctx, db, devKey); err != nil {
		return nil, err
	}
	return u, nil
}

// check looks the login up and verifies the password, taking as long for
// an unknown login as for a wrong password. u is nil for an unknown login;
// ok is false for a wrong password or a disabled account.
func (a *Authenticator) check(ctx context.Context, db bun.IDB, login, password string) (u *User, ok bool, err error) {
	u, err = UserByLogin(ctx, db, login)
	switch {
	case errors.Is(err, database.ErrNotFound):
		if err := a.Passwords.dummyVerify(ctx, password); err != nil {
			return nil, false, err
		}
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	if u.PasswordHash != "" {
		if ok, err = a.Passwords.Verify(ctx, password, u.PasswordHash); err != nil && !errors.Is(err, errBadHash) {
			return nil, false, err
		}
	} else if err := a.Passwords.dummyVerify(ctx, password); err != nil {
		return nil, false, err
	}
	return u, ok && !u.Disabled, nil
}

// fail records a failed sign-in; a failure that has set a wait says so at
// once, and the wait is audited too (scope and seconds), so that an admin
// sees when and why an account's sign-in was slowed.
func (a *Authenticator) fail(ctx context.Context, db bun.IDB, u *User, login, ip string, wait time.Duration, scope string) error {
	e := AuditEntry{Action: AuditSignInFailed, ObjectType: "user", ObjectID: login, IP: ip}
	if u != nil {
		e.ObjectID = strconv.FormatInt(u.ID, 10)
	}
	if err := RecordAudit(ctx, db, e); err != nil {
		return err
	}
	if wait <= 0 {
		return ErrBadCredentials
	}
	e.Action, e.New, e.Detail = AuditSignInSlowed, scope, strconv.Itoa(int(wait/time.Second))+"s"
	if err := RecordAudit(ctx, db, e); err != nil {
		return err
	}
	return &ThrottledError{Wait: wait, Scope: scope}
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
