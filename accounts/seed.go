package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// DemoAccount is a demo login with the password it was just given, which
// exists nowhere else: only its hash is stored.
type DemoAccount struct {
	Email    string
	Role     Role
	Unit     string
	Password string
	// TOTPSecret is the base32 second-factor secret of a privileged demo
	// account, which must use one (TOTPRequired): a tester types it into
	// any authenticator app. Empty for the others.
	TOTPSecret string
	Created    bool // false: the account existed and its password was reset
}

// demoAccounts are the accounts of the demo portal: one per kind of person.
// The officials are scoped to units of today's hierarchy: Hồ Chí Minh City
// (code 79), which Bà Rịa – Vũng Tàu joined on 1 July 2025, and its ward
// Vũng Tàu (code 26506).
func demoAccounts() []DemoAccount {
	return []DemoAccount{
		{Email: "admin@demo.digiportal.test", Role: RoleAdmin},
		{Email: "tinh@demo.digiportal.test", Role: RoleProvinceOfficial, Unit: "79"},
		{Email: "xa@demo.digiportal.test", Role: RoleCommuneOfficial, Unit: "26506"},
		{Email: "nguoidan@demo.digiportal.test", Role: RoleResident},
		{Email: "doanhnghiep@demo.digiportal.test", Role: RoleBusiness},
	}
}

// SeedDemo creates the demo accounts that do not exist yet, each with a new
// random password, and returns those it created. Running it again creates
// nothing and returns nothing, so a server that seeds at every start never
// changes a password someone is using. actor names the command, for the
// audit log.
func SeedDemo(ctx context.Context, db bun.IDB, p *Passwords, actor string) ([]DemoAccount, error) {
	return seedDemo(ctx, db, p, actor, false)
}

// ResetDemo creates the demo accounts that are missing and gives every demo
// account, new or old, a fresh random password, which ends the sessions of
// the old ones. It returns them all, so that whoever lost the passwords
// printed once gets working ones without deleting the data. The whole
// change is one transaction, audited as done by actor.
func ResetDemo(ctx context.Context, db bun.IDB, p *Passwords, actor string) ([]DemoAccount, error) {
	return seedDemo(ctx, db, p, actor, true)
}

func seedDemo(ctx context.Context, db bun.IDB, p *Passwords, actor string, reset bool) ([]DemoAccount, error) {
	accounts := demoAccounts()
	hashes := make([]string, len(accounts))
	newPassword := func(i int) error {
		if hashes[i] != "" {
			return nil
		}
		accounts[i].Password = RandomToken(10) // 80 bits, 16 characters
		h, err := p.Hash(ctx, accounts[i].Password)
		hashes[i] = h
		return err
	}
	// A reset hashes every password before its transaction begins: each
	// hash takes a noticeable time, and an SQLite transaction holds the
	// write lock of a portal that may be serving.
	for i := range accounts {
		if !reset {
			break
		}
		if err := newPassword(i); err != nil {
			return nil, fmt.Errorf("accounts.SeedDemo: %w", err)
		}
	}
	var out []DemoAccount
	err := database.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		for i := range accounts {
			a := &accounts[i]
			u, err := UserByEmail(ctx, tx, a.Email)
			a.Created = errors.Is(err, database.ErrNotFound)
			switch {
			case err != nil && !a.Created:
				return err
			case !a.Created && !reset:
				continue
			}
			if err := newPassword(i); err != nil {
				return err
			}
			entry := AuditEntry{ObjectType: "user", Detail: "demo account"}
			if a.Created {
				u, err = CreateUser(ctx, tx, NewUser{Email: a.Email, Role: a.Role, UnitCode: a.Unit, PasswordHash: hashes[i]})
				entry.Action, entry.New = AuditUserCreated, string(a.Role)+" "+a.Unit
			} else {
				// An admin may have changed the account since it was
				// seeded: what is printed is what it is now.
				a.Role, a.Unit = u.Role, u.UnitCode
				err = setPasswordHash(ctx, tx, u.ID, hashes[i])
				entry.Action = AuditPasswordSet
			}
			if err != nil {
				return err
			}
			if a.Role.Privileged() {
				if a.TOTPSecret, err = NewTOTPSecret(); err != nil {
					return err
				}
				if _, err := enableTOTP(ctx, tx, u.ID, a.TOTPSecret); err != nil {
					return err
				}
			}
			entry.ObjectID = strconv.FormatInt(u.ID, 10)
			if err := SystemActor(actor).Record(ctx, tx, entry); err != nil {
				return err
			}
			out = append(out, *a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("accounts.SeedDemo: %w", err)
	}
	return out, nil
}
