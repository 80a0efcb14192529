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
	Email string
	// Username stands instead of Email for a resident without one; such
	// an account gets recovery codes at sign-up, its way back in.
	Username string
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
	switch {
	case g.Username != "" && g.Email != "":
		ps.add("username", ErrEmailOrUsername)
	case g.Username != "":
		if _, err := NormalizeUsername(g.Username); err != nil {
			ps.add("username", err)
		}
		if g.Role != RoleResident {
			ps.add("role", ErrInvalidRole)
		}
	default:
		if _, err := NormalizeEmail(g.Email); err != nil {
			ps.add("email", err)
		}
	}
	if g.Role != RoleResident && g.Role != RoleBusiness {
		ps.add("role", ErrInvalidRole)
	}
	ps.add("password", pw.Check(g.Password, g.Email+g.Username))
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
// (RecordSignIn). An account with a username comes with recovery codes,
// returned to be shown once (only their hashes are kept).
func SignUp(ctx context.Context, db bun.IDB, pw *Passwords, who Actor, g Registration) (*User, []string, error) {
	if err := g.Check(pw); err != nil {
		return nil, nil, err
	}
	hash, err := pw.hashNewAccount(ctx, g.Password)
	if err != nil {
		return nil, nil, err
	}
	var u *User
	var codes []string
	err = database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		u, codes, err = openAccount(ctx, tx, who, g, hash)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return u, codes, nil
}

// openAccount creates the account of a checked registration whose password
// is already hashed, with its recovery codes (for a username), consents
// and audit line, inside the caller's transaction.
func openAccount(ctx context.Context, tx bun.IDB, who Actor, g Registration, hash string) (*User, []string, error) {
	u, err := CreateUser(ctx, tx, NewUser{Email: g.Email, Username: g.Username, Name: g.Name, Role: g.Role, PasswordHash: hash})
	if errors.Is(err, ErrEmailTaken) {
		return nil, nil, refuse("email", err)
	}
	if errors.Is(err, ErrUsernameTaken) {
		return nil, nil, refuse("username", err)
	}
	if err != nil {
		return nil, nil, err
	}
	var codes []string
	if u.Username != "" {
		if codes, err = newRecoveryCodes(ctx, tx, u.ID); err != nil {
			return nil, nil, err
		}
	}
	for _, purpose := range g.Consents {
		if err := GrantConsent(ctx, tx, u.ID, purpose); err != nil {
			return nil, nil, err
		}
	}
	err = UserActor(u, who.IP).Record(ctx, tx, AuditEntry{Action: AuditSignUp, ObjectType: "user",
		ObjectID: strconv.FormatInt(u.ID, 10), New: string(u.Role)})
	if err != nil {
		return nil, nil, err
	}
	return u, codes, nil
}
