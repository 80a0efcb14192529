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

// Errors of usernames and of the ways back into an account without e-mail.
var (
	ErrInvalidUsername = errors.New("invalid username")
	ErrUsernameTaken   = errors.New("username already taken")
	ErrEmailOrUsername = errors.New("give an e-mail address or a username, not both")
	ErrReasonRequired  = errors.New("a reason is required")
	ErrNotAResident    = errors.New("only a resident's or a business's password can be reset this way")
	ErrAccountDisabled = errors.New("the account is disabled")
)

// NormalizeUsername lowercases and trims a username and checks its form: 3
// to 32 letters a–z, digits, dots, dashes or underscores, beginning with a
// letter or digit. It never contains "@", so it never looks like an
// address.
func NormalizeUsername(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 3 || len(s) > 32 {
		return "", ErrInvalidUsername
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '.' || c == '-' || c == '_') && i > 0:
		default:
			return "", ErrInvalidUsername
		}
	}
	return s, nil
}

// UserByUsername returns a user or database.ErrNotFound.
func UserByUsername(ctx context.Context, db bun.IDB, username string) (*User, error) {
	name, err := NormalizeUsername(username)
	if err != nil {
		return nil, fmt.Errorf("accounts.UserByUsername: %w", database.ErrNotFound)
	}
	u := new(User)
	if err := db.NewSelect().Model(u).Where("username = ?", name).Scan(ctx); err != nil {
		if database.IsNoRows(err) {
			return nil, fmt.Errorf("accounts.UserByUsername: %w", database.ErrNotFound)
		}
		return nil, fmt.Errorf("accounts.UserByUsername: %w", err)
	}
	return u, nil
}

// UserByLogin finds the account a person names at sign-in: an e-mail
// address (it has an "@") or a username.
func UserByLogin(ctx context.Context, db bun.IDB, login string) (*User, error) {
	login = strings.TrimSpace(login)
	if strings.Contains(login, "@") {
		return UserByEmail(ctx, db, login)
	}
	return UserByUsername(ctx, db, login)
}

// ResetWithRecoveryCode sets a new password for the account named login
// (username or address) when code is one of its unused recovery codes,
// which it spends, ending every session, audited, in one transaction. The
// try counts against the account's sign-in limit before anything is
// checked. A wrong login or code is ErrBadCredentials; a password the
// policy refuses is a *ValidationError on "password" and spends nothing.
// The answer and its time are the same for a login without an account as
// for one with a wrong code: the policy is judged against the login typed
// before the account is looked up, and the slow hash is made only for a
// code that is right, so the form tells nobody who has an account.
func (a *Authenticator) ResetWithRecoveryCode(ctx context.Context, db bun.IDB, who Actor, login, code, password string) error {
	login = throttleLogin(login)
	key := "recover:" + login
	refused, penalty, err := a.PerAccount.Attempt(ctx, db, key)
	if err != nil {
		return err
	}
	if refused > 0 {
		return &ThrottledError{Wait: refused}
	}
	bad := func() error {
		if penalty > 0 {
			return &ThrottledError{Wait: penalty}
		}
		return ErrBadCredentials
	}
	if err := a.Passwords.Check(password, login); err != nil {
		return refuse("password", err)
	}
	u, err := UserByLogin(ctx, db, login)
	if errors.Is(err, database.ErrNotFound) {
		return bad()
	}
	if err != nil {
		return err
	}
	if u.Disabled || u.Role.Privileged() {
		return bad() // admins and officials recover through an admin
	}
	if u.Email != "" && u.TOTPEnabled {
		// Its codes stand in for the second factor: were they to reset
		// the password too, the sheet of codes alone would open the
		// account. It recovers the password by e-mail.
		return bad()
	}
	if ok, err := hasRecoveryCode(ctx, db, u.ID, code); err != nil {
		return err
	} else if !ok {
		return bad()
	}
	hash, err := a.Passwords.Hash(ctx, password)
	if err != nil {
		return err
	}
	ok := false
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if ok, err = UseRecoveryCode(ctx, tx, u.ID, code); err != nil || !ok {
			return err
		}
		if err := setPasswordHash(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		return UserActor(u, who.IP).Record(ctx, tx, AuditEntry{Action: AuditPasswordSet, ObjectType: "user",
			ObjectID: strconv.FormatInt(u.ID, 10), Detail: "recovery code"})
	})
	if err != nil {
		return err
	}
	if !ok {
		return bad()
	}
	return a.PerAccount.Reset(ctx, db, key)
}

// AssistedResetTTL is how long a reset link given in person works: the
// rest of the day, for a resident who sets the password at home.
const AssistedResetTTL = 24 * time.Hour

// maxReasonLen bounds the reason an official writes for an assisted reset.
const maxReasonLen = 500

// IssueAssistedReset gives a resident or a business, who came in person, a
// one-time reset link: who (a commune official; the route decides who may)
// names the account by username or address and says why. It is audited
// with who, when and why, and spends the account's earlier unused links,
// in one transaction. What CheckAssistedReset refuses changes nothing.
func IssueAssistedReset(ctx context.Context, db bun.IDB, who Actor, login, reason string) (*User, string, error) {
	u, err := CheckAssistedReset(ctx, db, login, reason)
	if err != nil {
		return nil, "", err
	}
	token, err := issueLink(ctx, db, who, u, newPasswordTokenTTL, AuditEntry{Action: AuditAssistedReset, Detail: strings.TrimSpace(reason)})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// issueLink gives u a new one-time link, valid AssistedResetTTL, made by
// newToken, spending the account's earlier unused links, and records e
// about u with who as the actor, in one transaction. An account deleted
// meanwhile is a *ValidationError on "login" (ErrBadCredentials).
func issueLink(ctx context.Context, db bun.IDB, who Actor, u *User, newToken func(context.Context, bun.IDB, int64, time.Duration) (string, error), e AuditEntry) (string, error) {
	var token string
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockUserLinks(ctx, tx, u.ID); err != nil {
			return err
		}
		if err := spendPasswordTokens(ctx, tx, u.ID); err != nil {
			return err
		}
		var err error
		if token, err = newToken(ctx, tx, u.ID, AssistedResetTTL); err != nil {
			return err
		}
		e.ObjectType, e.ObjectID = "user", strconv.FormatInt(u.ID, 10)
		return who.Record(ctx, tx, e)
	})
	if errors.Is(err, ErrTokenInvalid) {
		return "", refuse("login", ErrBadCredentials) // deleted meanwhile
	}
	return token, err
}

// CheckAssistedReset applies the rules of an assisted reset and returns the
// account: an unknown one is a *ValidationError on "login"
// (ErrBadCredentials), an admin's or official's too (ErrNotAResident), a
// disabled one too (ErrAccountDisabled); a missing or overlong reason one
// on "reason". All problems come at once.
func CheckAssistedReset(ctx context.Context, db bun.IDB, login, reason string) (*User, error) {
	var ps problems
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > maxReasonLen {
		ps.add("reason", ErrReasonRequired)
	}
	u, err := UserByLogin(ctx, db, login)
	switch {
	case errors.Is(err, database.ErrNotFound):
		ps.add("login", ErrBadCredentials)
	case err != nil:
		return nil, err
	case u.Role.Privileged():
		ps.add("login", ErrNotAResident)
	case u.Disabled:
		ps.add("login", ErrAccountDisabled) // an admin disabled it; a link would undo nothing
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return u, nil
}
