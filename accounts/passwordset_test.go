package accounts

import (
	"context"
	"errors"
	"strconv"
	"sync"
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

// TestLinksDieWithThePassword: a reset link made before the password
// changed (by the owner, by another link, by a recovery code) or before the
// account was disabled sets nothing afterwards, even once the account is
// enabled again; a disabled account's link sets nothing and an official
// cannot hand one out for it.
func TestLinksDieWithThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(2))
		admin := SystemActor("test")
		u := mustUser(t, db, "hoa@example.test", RoleResident, "")
		const old = "mật khẩu cũ đủ dài"
		hash, _ := a.Passwords.Hash(ctx, old)
		if err := setPasswordHash(ctx, db, u.ID, hash); err != nil {
			t.Fatal(err)
		}
		u, _ = UserByID(ctx, db, u.ID)
		link := func() string {
			t.Helper()
			_, token, err := RequestPasswordReset(ctx, db, Actor{IP: "203.0.113.5"}, u.Email)
			if err != nil || token == "" {
				t.Fatalf("RequestPasswordReset: %q %v", token, err)
			}
			return token
		}
		wantDead := func(when, token string) {
			t.Helper()
			if err := SetPasswordWithToken(ctx, db, a.Passwords, Actor{IP: "198.51.100.9"}, token, "kẻ gian đặt mật khẩu này"); !errors.Is(err, ErrTokenInvalid) {
				t.Errorf("%s: the older link still sets a password (%v)", when, err)
			}
		}

		token := link()
		if err := a.ChangePassword(ctx, db, UserActor(u, "192.0.2.1"), old, "mật khẩu mới của chủ tài khoản"); err != nil {
			t.Fatal(err)
		}
		wantDead("after the owner changed the password", token)

		token = link()
		if err := SetDisabled(ctx, db, admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := SetDisabled(ctx, db, admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		wantDead("after the account was disabled and enabled again", token)

		if err := SetDisabled(ctx, db, admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		raw, err := newPasswordTokenTTL(ctx, db, u.ID, ResetTTL) // made however: still no use
		if err != nil {
			t.Fatal(err)
		}
		wantDead("for a disabled account", raw)
		_, err = CheckAssistedReset(ctx, db, u.Email, "giấy tờ đã xem")
		if !errors.Is(err, ErrAccountDisabled) {
			t.Errorf("assisted reset of a disabled account: %v, want ErrAccountDisabled", err)
		}
		if got, _ := UserByID(ctx, db, u.ID); got.PasswordHash == hash {
			t.Error("the owner's change did not stick")
		} else if ok, _ := a.Passwords.Verify(ctx, "mật khẩu mới của chủ tài khoản", got.PasswordHash); !ok {
			t.Error("a dead link changed the password")
		}
	})
}

// TestRecoveryCodesAreNotBothFactors: a resident with an address who
// turned on two-step verification holds codes that stand in for the
// second factor; one of them does not also reset the password (the sheet
// of codes alone would open the account). A resident known by a username
// still resets with one.
func TestRecoveryCodesAreNotBothFactors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(2))
		u := mustUser(t, db, "mai@example.test", RoleResident, "")
		codes, err := enableTOTP(ctx, db, u.ID, "JBSWY3DPEHPK3PXP")
		if err != nil || len(codes) == 0 {
			t.Fatalf("enableTOTP: %v, %v", codes, err)
		}
		err = a.ResetWithRecoveryCode(ctx, db, Actor{IP: "203.0.113.7"}, u.Email, codes[0], "mật khẩu của kẻ nhặt được giấy")
		if !errors.Is(err, ErrBadCredentials) {
			t.Errorf("a second-factor code reset the password: %v", err)
		}
		if left, _ := RecoveryCodesLeft(ctx, db, u.ID); left != len(codes) {
			t.Errorf("%d codes left, want %d: the refused reset spent one", left, len(codes))
		}

		n, err := CreateUser(ctx, db, NewUser{Username: "ba.mai", Role: RoleResident})
		if err != nil {
			t.Fatal(err)
		}
		codes, err = newRecoveryCodes(ctx, db, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.ResetWithRecoveryCode(ctx, db, Actor{IP: "203.0.113.7"}, "ba.mai", codes[0], "mật khẩu mới của bà Mai"); err != nil {
			t.Errorf("a username resident's code: %v", err)
		}
	})
}

// TestResetLinksAskedAtOnce: of reset links asked for at the same moment
// (a double click, two tabs), only one works afterwards, on both
// databases: each request spends the links before it, and on PostgreSQL
// they no longer miss each other's new link.
func TestResetLinksAskedAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "song.song@example.test", RoleResident, "")
		const n = 8
		tokens := make(chan string, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, token, err := RequestPasswordReset(ctx, db, Actor{IP: "203.0.113.8"}, u.Email)
				if err != nil {
					t.Error(err)
				}
				tokens <- token
			}()
		}
		wg.Wait()
		close(tokens)
		var working int
		for token := range tokens {
			if _, err := PasswordTokenUser(ctx, db, token); err == nil {
				working++
			}
		}
		if working != 1 {
			t.Errorf("%d of %d links asked for at once work, want 1", working, n)
		}
	})
}

// TestDeletionWhileResetAsked: an account deleted while reset links are
// asked for is deleted, and every request ends without an error (no
// deadlock between the deletion, which removes the links, and the
// requests, which spend them): both take the user's row first.
func TestDeletionWhileResetAsked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		for round := range 5 {
			u := mustUser(t, db, "xoa.luc.dang."+strconv.Itoa(round)+"@example.test", RoleResident, "")
			if _, _, err := RequestPasswordReset(ctx, db, Actor{IP: "203.0.113.9"}, u.Email); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 5)
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _, err := RequestPasswordReset(ctx, db, Actor{IP: "203.0.113.9"}, u.Email)
					errs <- err
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- DeleteUser(ctx, db, u.ID, nil)
			}()
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("round %d: %v", round, err)
				}
			}
			if _, err := UserByID(ctx, db, u.ID); err == nil {
				t.Errorf("round %d: the account is still there", round)
			}
		}
	})
}
