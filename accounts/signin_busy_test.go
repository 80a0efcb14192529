package accounts

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestSignInBusyRevealsNoAccount: while every hashing place and the queue
// are taken (a flood, or many people at once), a sign-in is refused as busy
// whether or not the e-mail has an account, and whether or not the account
// has a password. Before, an unknown e-mail skipped the check that could
// not run and answered "wrong e-mail or password" at once, while a known
// one answered busy: an attacker who kept the hashing busy could tell
// which e-mails have accounts.
func TestSignInBusyRevealsNoAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(1))
		hash, err := a.Passwords.Hash(ctx, "mật khẩu đúng rồi")
		if err != nil {
			t.Fatal(err)
		}
		u := mustUser(t, db, "co@example.vn", RoleResident, "")
		if err := setPasswordHash(ctx, db, u.ID, hash); err != nil {
			t.Fatal(err)
		}
		mustUser(t, db, "chua-dat@example.vn", RoleResident, "") // no password yet
		a.Passwords.all.run <- struct{}{}
		for range cap(a.Passwords.all.wait) {
			a.Passwords.all.wait <- struct{}{}
		}
		for i, email := range []string{"co@example.vn", "khong-co@example.vn", "chua-dat@example.vn"} {
			if _, err := a.SignIn(ctx, db, email, "đoán thử một lần", "198.51.100."+string(rune('1'+i))); !errors.Is(err, ErrBusy) {
				t.Errorf("%s while hashing is busy: %v, want ErrBusy", email, err)
			}
		}
	})
}
