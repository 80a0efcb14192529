package accounts

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Check applies the rules an account must meet that need no database: a
// well-formed e-mail address, a known role, and a unit for an official.
// CreateUserWithLink applies them; the command line asks first as well, so
// that a mistyped command opens no database.
func (n NewUser) Check() error {
	var ps problems
	if _, err := NormalizeEmail(n.Email); err != nil {
		ps.add("email", err)
	}
	checkRoleUnit(&ps, n.Role, n.UnitCode)
	return ps.err()
}

// CreateUserWithLink creates an account without a password together with
// the one-time token its owner sets one with, and audits the creation, in
// one transaction: when any step fails no account is left behind, so the
// form or the command can simply be tried again. It is the one way to
// create an account for someone else, used by the admin page and by
// `portal user create`; no password ever passes through the admin. The
// token is returned once; only its hash is stored.
func CreateUserWithLink(ctx context.Context, db bun.IDB, who Actor, n NewUser) (*User, string, error) {
	n.PasswordHash = ""
	if err := n.Check(); err != nil {
		return nil, "", err
	}
	var u *User
	var token string
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = CreateUser(ctx, tx, n); err != nil {
			if errors.Is(err, ErrEmailTaken) {
				return refuse("email", err)
			}
			return err
		}
		if token, err = NewPasswordToken(ctx, tx, u.ID); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditUserCreated, ObjectType: "user",
			ObjectID: strconv.FormatInt(u.ID, 10), New: string(n.Role) + " " + n.UnitCode})
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// endSessions ends every session of a user at once: the sessions that
// began before now stop counting on every instance (SessionsValidAfter),
// and the stored ones are ended, so that the user's list shows none.
func endSessions(ctx context.Context, db bun.IDB, userID int64) error {
	if err := updateUser(ctx, db, "accounts.endSessions", userID, map[string]any{"sessions_valid_after": time.Now().UTC()}); err != nil {
		return err
	}
	_, err := database.EndUserSessions(ctx, db, userID, "")
	return err
}

// EndOtherSessions ends every session of the signed-in user but the one
// with the token current, and audits how many, in one transaction.
func EndOtherSessions(ctx context.Context, db bun.IDB, who Actor, current string) (int64, error) {
	if who.UserID == 0 {
		return 0, ErrSignInRequired
	}
	var n int64
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if n, err = database.EndUserSessions(ctx, tx, who.UserID, current); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditSessionsEnded, ObjectType: "user",
			ObjectID: strconv.FormatInt(who.UserID, 10), New: strconv.FormatInt(n, 10)})
	})
	return n, err
}

// ChangeRole gives a user a role and a unit together, since an official's
// unit only makes sense with the role, and audits the role and unit before
// and after, in one transaction; it ends the user's sessions and spends
// their unused set-password links. An admin cannot change their own role
// (ErrOwnAccount): another admin must. A role or unit the rules refuse is
// a *ValidationError on "role" or "unit".
func ChangeRole(ctx context.Context, db bun.IDB, who Actor, userID int64, role Role, unit string) error {
	if userID == who.UserID {
		return ErrOwnAccount
	}
	var ps problems
	checkRoleUnit(&ps, role, unit)
	if err := ps.err(); err != nil {
		return err
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		was, err := UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := setRole(ctx, tx, userID, role, unit); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, userID); err != nil {
			return err
		}
		// A link given for the account as it was does not open it as it
		// is: a helper's code for a resident must not set the password of
		// the official the resident has just become.
		if err := spendPasswordTokens(ctx, tx, userID); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditRoleChanged, ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10),
			Old: string(was.Role) + " " + was.UnitCode, New: string(role) + " " + unit})
	})
}

// SetDisabled disables or enables a user and audits it, in one
// transaction; disabling ends every session of theirs. An admin cannot
// lock themselves out (ErrOwnAccount).
func SetDisabled(ctx context.Context, db bun.IDB, who Actor, userID int64, disabled bool) error {
	if userID == who.UserID {
		return ErrOwnAccount
	}
	action := AuditEnabled
	if disabled {
		action = AuditDisabled
	}
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := setDisabled(ctx, tx, userID, disabled); err != nil {
			return err
		}
		if disabled {
			if err := endSessions(ctx, tx, userID); err != nil {
				return err
			}
		}
		return who.Record(ctx, tx, AuditEntry{Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10)})
	})
}

// ResetTOTP removes a user's second factor and recovery codes, for one who
// lost their phone, and audits it, in one transaction; the user enrols
// again at the next sign-in when their role must use one.
func ResetTOTP(ctx context.Context, db bun.IDB, who Actor, userID int64) error {
	return database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		if err := resetTOTP(ctx, tx, userID); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, userID); err != nil {
			return err
		}
		return who.Record(ctx, tx, AuditEntry{Action: AuditTOTPReset, ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10)})
	})
}
