package accounts

import (
	"context"
	"errors"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// Registration is what a resident or a business gives to open their own
// account. Officials and admins never sign up: an admin creates them.
type Registration struct {
	Email    string
	Name     string
	Role     Role // RoleResident or RoleBusiness
	Password string
	// Consents lists the purposes the person ticked; the form ticks none
	// for them.
	Consents []string
}

// Check applies the rules of a registration that need no database: a
// well-formed address, a role one may give oneself, the password policy and
// known purposes. SignUp applies them; a form whose own checks failed asks
// too, so that one round trip shows every problem.
func (g Registration) Check(pw *Passwords) error {
	var ps problems
	if _, err := NormalizeEmail(g.Email); err != nil {
		ps.add("email", err)
	}
	if g.Role != RoleResident && g.Role != RoleBusiness {
		ps.add("role", ErrInvalidRole)
	}
	ps.add("password", pw.Check(g.Password, g.Email))
	for _, c := range g.Consents {
		if _, ok := PurposeByID(c); !ok {
			ps.add("consents", ErrUnknownPurpose)
		}
	}
	return ps.err()
}

// SignUp opens an account for a resident or a business with the consents
// they ticked, and audits it, in one transaction. The visitor becomes the
// actor of their own sign-up: the audit line names the new account, from
// who's address. Signing the new user in is the caller's next step
// (RecordSignIn).
func SignUp(ctx context.Context, db bun.IDB, pw *Passwords, who Actor, g Registration) (*User, error) {
	if err := g.Check(pw); err != nil {
		return nil, err
	}
	hash, err := pw.Hash(ctx, g.Password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		u, err = CreateUser(ctx, tx, NewUser{Email: g.Email, Name: g.Name, Role: g.Role, PasswordHash: hash})
		if errors.Is(err, ErrEmailTaken) {
			return refuse("email", err)
		}
		if err != nil {
			return err
		}
		for _, purpose := range g.Consents {
			if err := GrantConsent(ctx, tx, u.ID, purpose); err != nil {
				return err
			}
		}
		return UserActor(u, who.IP).Record(ctx, tx, AuditEntry{Action: AuditSignUp, ObjectType: "user",
			ObjectID: strconv.FormatInt(u.ID, 10), New: string(u.Role)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
