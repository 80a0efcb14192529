package accounts

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

func TestChangePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(2))
		u := mustUser(t, db, "lan@example.test", RoleResident, "")
		const old, next = "mật khẩu cũ đủ dài", "một mật khẩu mới thật dài"
		hash, _ := a.Passwords.Hash(ctx, old)
		if err := setPasswordHash(ctx, db, u.ID, hash); err != nil {
			t.Fatal(err)
		}
		u, _ = UserByID(ctx, db, u.ID)
		who := UserActor(u, "192.0.2.20")

		refused := []struct {
			name          string
			who           Actor
			current, next string
			field         string
			want          error
		}{
			{"nobody", Actor{IP: who.IP}, old, next, "", ErrSignInRequired},
			{"wrong current", who, "không phải mật khẩu", next, "current", ErrBadCredentials},
			{"short new", who, old, "ngắn", "new", ErrPasswordShort},
			{"common new", who, old, "password", "new", ErrPasswordCommon},
		}
		for _, c := range refused {
			err := a.ChangePassword(ctx, db, c.who, c.current, c.next)
			if !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
			if c.field != "" {
				wantProblems(t, err, c.field)
			}
		}
		if got, _ := UserByID(ctx, db, u.ID); got.PasswordHash != hash || !got.SessionsValidAfter.Equal(u.SessionsValidAfter) {
			t.Error("a refused change touched the password or the sessions")
		}
		if got := audits(t, db, AuditPasswordSet); len(got) != 0 {
			t.Errorf("refused changes wrote %d %s entries, want 0", len(got), AuditPasswordSet)
		}

		before := time.Now().UTC()
		if err := a.ChangePassword(ctx, db, who, old, next); err != nil {
			t.Fatal(err)
		}
		got, _ := UserByID(ctx, db, u.ID)
		if ok, _ := a.Passwords.Verify(ctx, next, got.PasswordHash); !ok {
			t.Error("the new password does not verify")
		}
		if got.SessionValid(before.Add(-time.Second)) {
			t.Error("a session begun before the change is still valid")
		}
		wantAudit(t, db, AuditPasswordSet, who, "user", strconv.FormatInt(u.ID, 10))
	})
}

func TestSetPasswordWithToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pw := NewPasswords(2)
		u, token, err := CreateUserWithLink(ctx, db, SystemActor("test"), NewUser{Email: "canbo@example.test", Role: RoleProvinceOfficial, UnitCode: "79"})
		if err != nil {
			t.Fatal(err)
		}
		visitor := Actor{IP: "203.0.113.30"}
		if err := SetPasswordWithToken(ctx, db, pw, visitor, "unknown-token", "lúa chín vàng đồng quê"); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("unknown link: %v, want ErrTokenInvalid", err)
		}
		err = SetPasswordWithToken(ctx, db, pw, visitor, token, "12345678")
		wantProblems(t, err, "password")
		if got, _ := UserByID(ctx, db, u.ID); got.PasswordHash != "" {
			t.Error("a refused password was stored")
		}
		if _, err := PasswordTokenUser(ctx, db, token); err != nil {
			t.Errorf("a refused password spent the link: %v", err)
		}
		if got := audits(t, db, AuditPasswordSet); len(got) != 0 {
			t.Errorf("refused passwords wrote %d entries, want 0", len(got))
		}

		if err := SetPasswordWithToken(ctx, db, pw, visitor, token, "lúa chín vàng đồng quê"); err != nil {
			t.Fatal(err)
		}
		got, _ := UserByID(ctx, db, u.ID)
		if ok, _ := pw.Verify(ctx, "lúa chín vàng đồng quê", got.PasswordHash); !ok {
			t.Error("the password set through the link does not verify")
		}
		wantAudit(t, db, AuditPasswordSet, Actor{UserID: u.ID, Email: u.Email, IP: visitor.IP}, "user", strconv.FormatInt(u.ID, 10))
		if err := SetPasswordWithToken(ctx, db, pw, visitor, token, "một mật khẩu khác hẳn"); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("second use of the link: %v, want ErrTokenInvalid", err)
		}
		if got := audits(t, db, AuditPasswordSet); len(got) != 1 {
			t.Errorf("%d %s entries after a spent link was tried, want 1", len(got), AuditPasswordSet)
		}
	})
}
