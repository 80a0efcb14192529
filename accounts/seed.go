package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"digiportal/database"
)

// DemoAccount is a demo login, returned only when it is first created so
// that its password is shown once.
type DemoAccount struct {
	Email    string
	Role     Role
	Unit     string
	Password string
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
// nothing and returns nothing, so no password is ever shown twice.
func SeedDemo(ctx context.Context, db bun.IDB, p *Passwords) ([]DemoAccount, error) {
	var created []DemoAccount
	for _, a := range demoAccounts() {
		_, err := UserByEmail(ctx, db, a.Email)
		if err == nil {
			continue
		}
		if !errors.Is(err, database.ErrNotFound) {
			return nil, err
		}
		a.Password = RandomToken(10) // 80 bits, 16 characters
		hash, err := p.Hash(ctx, a.Password)
		if err != nil {
			return nil, err
		}
		if _, err := CreateUser(ctx, db, NewUser{Email: a.Email, Role: a.Role, UnitCode: a.Unit, PasswordHash: hash}); err != nil {
			return nil, fmt.Errorf("accounts.SeedDemo: %w", err)
		}
		created = append(created, a)
	}
	return created, nil
}
