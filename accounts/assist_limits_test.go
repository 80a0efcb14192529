package accounts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestAssistLimitsUnderConcurrency: twenty tries of one helper at once
// never pass a bound: with one code left today exactly one new account is
// opened, and a helper one try short of the hourly bound gets exactly one
// more look-up logged, on SQLite and PostgreSQL alike.
func TestAssistLimitsUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		newHelper := func(name string) Actor {
			h, err := CreateUser(ctx, db, NewUser{Email: name + "@example.test", Role: RoleHelper, UnitCode: "26506"})
			if err != nil {
				t.Fatal(err)
			}
			return UserActor(h, "192.0.2.1")
		}
		race := func(fn func(i int) error) (ok int) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					err := fn(i)
					var ve *ValidationError
					if err != nil && !errors.As(err, &ve) {
						t.Errorf("try %d: %v", i, err)
					}
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						ok++
					}
				}(i)
			}
			wg.Wait()
			return ok
		}

		day := newHelper("ban.ron")
		for i := 0; i < AssistPerDay-1; i++ {
			if _, _, err := StartAssistedAccount(ctx, db, day, fmt.Sprintf("truoc.%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		opened := race(func(i int) error {
			_, _, err := StartAssistedAccount(ctx, db, day, fmt.Sprintf("cung.luc.%d", i))
			return err
		})
		if n, _ := AssistIssuedToday(ctx, db, day); opened != 1 || n != AssistPerDay {
			t.Errorf("with one code left, 20 tries at once opened %d accounts, %d codes today, want 1 and %d", opened, n, AssistPerDay)
		}

		hour := newHelper("do.ten")
		for i := 0; i < AssistTriesPerHour-1; i++ {
			if _, _, err := IssueHelperReset(ctx, db, hour, fmt.Sprintf("khong.co.%d", i), "quên mật khẩu"); err == nil {
				t.Fatal("an unknown account got a code")
			}
		}
		race(func(i int) error {
			_, _, err := IssueHelperReset(ctx, db, hour, fmt.Sprintf("doan.%d", i), "quên mật khẩu")
			return err
		})
		if n, _ := countAssist(ctx, db, hour, time.Hour, AuditAssistStarted, AuditAssistReset, AuditAssistLookup); n != AssistTriesPerHour {
			t.Errorf("one try short of the hourly bound, 20 tries at once left %d tries logged, want %d", n, AssistTriesPerHour)
		}
	})
}

// TestHelperResetRefusesGuardedResidents: a resident's account named by
// username is still refused a helper's code when it has an address (it
// recovers by e-mail) or a second factor (its owner recovers with the
// recovery codes or at the commune): a code would let the helper, or
// whoever stands beside them, take the password of an account its owner
// guards. Nothing is issued.
func TestHelperResetRefusesGuardedResidents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		h, err := CreateUser(ctx, db, NewUser{Email: "giup@example.test", Role: RoleHelper, UnitCode: "26506"})
		if err != nil {
			t.Fatal(err)
		}
		helper := UserActor(h, "")
		for name, set := range map[string]map[string]any{
			"co.thu":     {"email": "co.thu@example.test"},
			"co.hai.lop": {"totp_enabled": true, "totp_secret": "JBSWY3DPEHPK3PXP"},
		} {
			u, err := CreateUser(ctx, db, NewUser{Username: name, Role: RoleResident})
			if err != nil {
				t.Fatal(err)
			}
			if err := updateUser(ctx, db, "test", u.ID, set); err != nil {
				t.Fatal(err)
			}
			_, code, err := IssueHelperReset(ctx, db, helper, name, "quên mật khẩu")
			var ve *ValidationError
			if !errors.As(err, &ve) || code != "" {
				t.Errorf("%s (%v): a helper's reset gave %q, %v; want a refusal", name, set, code, err)
			}
			if n, err := db.NewSelect().Model((*passwordToken)(nil)).Where("user_id = ?", u.ID).Count(ctx); err != nil || n != 0 {
				t.Errorf("%s: %d links made (%v)", name, n, err)
			}
		}
	})
}

// TestAssistNeedsAHelperNow: an account that is no longer a helper's (the
// official removed them from the team, which makes them a resident) or is
// disabled gets nothing, even with an actor made while it was a helper's,
// as a request already under way would hold.
func TestAssistNeedsAHelperNow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		target, err := CreateUser(ctx, db, NewUser{Username: "nguoi.can.giup", Role: RoleResident})
		if err != nil {
			t.Fatal(err)
		}
		for i, set := range []map[string]any{{"role": RoleResident, "unit_code": ""}, {"disabled": true}} {
			h, err := CreateUser(ctx, db, NewUser{Email: fmt.Sprintf("cu.%d@example.test", i), Role: RoleHelper, UnitCode: "26506"})
			if err != nil {
				t.Fatal(err)
			}
			who := UserActor(h, "")
			if err := updateUser(ctx, db, "test", h.ID, set); err != nil {
				t.Fatal(err)
			}
			if _, code, err := IssueHelperReset(ctx, db, who, target.Username, "quên mật khẩu"); !errors.Is(err, ErrForbidden) || code != "" {
				t.Errorf("%v: a reset gave %q, %v; want ErrForbidden", set, code, err)
			}
			if _, code, err := StartAssistedAccount(ctx, db, who, fmt.Sprintf("moi.%d", i)); !errors.Is(err, ErrForbidden) || code != "" {
				t.Errorf("%v: a new account gave %q, %v; want ErrForbidden", set, code, err)
			}
		}
	})
}

// TestRoleChangeSpendsLinks: a helper's code given to a resident stops
// working when an admin makes the account an official's before it is
// used, so that it cannot set the password of an account a helper may not
// reset.
func TestRoleChangeSpendsLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		h, err := CreateUser(ctx, db, NewUser{Email: "giup.do@example.test", Role: RoleHelper, UnitCode: "26506"})
		if err != nil {
			t.Fatal(err)
		}
		r, code, err := StartAssistedAccount(ctx, db, UserActor(h, ""), "se.len.chuc")
		if err != nil {
			t.Fatal(err)
		}
		if err := ChangeRole(ctx, db, SystemActor("test"), r.ID, RoleCommuneOfficial, "26506"); err != nil {
			t.Fatal(err)
		}
		err = SetPasswordWithToken(ctx, db, NewPasswords(1), Actor{}, code, "một mật khẩu đủ dài và khó đoán")
		if !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("the helper's code set the password of an account made an official's: %v", err)
		}
	})
}

// TestHelperTextIdentifiesNoOne: a username holding a phone number, or a
// reason holding an ID or phone number, characters a reader cannot see or
// the username itself, is refused at its field before anything is looked
// up: no account made, no link, no try counted against the helper.
func TestHelperTextIdentifiesNoOne(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	h, err := CreateUser(ctx, db, NewUser{Email: "giup@example.test", Role: RoleHelper, UnitCode: "26506"})
	if err != nil {
		t.Fatal(err)
	}
	helper := UserActor(h, "")
	if _, err := CreateUser(ctx, db, NewUser{Username: "ba.lan", Role: RoleResident}); err != nil {
		t.Fatal(err)
	}
	refused := func(what string, err error, field string, want error) {
		t.Helper()
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Field != field || !errors.Is(ve.Problems[0].Err, want) {
			t.Errorf("%s: %v, want %v at %s", what, err, want, field)
		}
	}
	_, _, err = StartAssistedAccount(ctx, db, helper, "lan0912345678")
	refused("a username with a phone number", err, "username", ErrUsernamePersonal)
	for reason, want := range map[string]error{
		"gọi lại 0912 345 678":          ErrReasonPersonal,
		"CCCD 001203004567":             ErrReasonPersonal,
		"quên\u200bmật khẩu":            ErrReasonInvisible,
		"bà BA.LAN quên mật khẩu":       ErrReasonNamesLogin,
		"quên mật khẩu\nđổi điện thoại": ErrReasonInvisible,
	} {
		_, _, err := IssueHelperReset(ctx, db, helper, "ba.lan", reason)
		refused(reason, err, "reason", want)
	}
	if n, err := db.NewSelect().Model((*AuditEntry)(nil)).Where("actor_id = ?", h.ID).Count(ctx); err != nil || n != 0 {
		t.Errorf("refused texts counted as %d tries (%v)", n, err)
	}
	if n, err := db.NewSelect().Model((*User)(nil)).Count(ctx); err != nil || n != 2 {
		t.Errorf("%d accounts after refusals, want the helper and the resident (%v)", n, err)
	}
}
