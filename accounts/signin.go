package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
	email = strings.ToLower(strings.TrimSpace(email))
	acctKey, addrKey := "acct:"+email, "addr:"+ip
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
	u, err := UserByEmail(ctx, db, email)
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
