package accounts

import (
	"context"
	"errors"
	"strconv"

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
