package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// wrongCode returns a six-digit code that no step around now accepts for
// secret, so a refusal never depends on luck.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	taken := map[string]bool{}
	now := time.Now()
	for step := -2; step <= 2; step++ {
		c, err := totp.GenerateCode(secret, now.Add(time.Duration(step)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		taken[c] = true
	}
	for n := 0; ; n++ {
		if c := fmt.Sprintf("%06d", n); !taken[c] {
			return c
		}
	}
}

func TestEnableTOTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		u := mustUser(t, db, "tinh@example.test", RoleProvinceOfficial, "79")
		who := UserActor(u, "192.0.2.40")
		enr, err := NewTOTP("digiportal", u.Email)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := EnableTOTP(ctx, db, who, enr.Secret, wrongCode(t, enr.Secret)); !errors.Is(err, ErrTOTPCode) {
			t.Errorf("wrong code: %v, want ErrTOTPCode", err)
		} else {
			wantProblems(t, err, "code")
		}
		code, _ := totp.GenerateCode(enr.Secret, time.Now())
		if _, err := EnableTOTP(ctx, db, Actor{IP: who.IP}, enr.Secret, code); !errors.Is(err, ErrSignInRequired) {
			t.Errorf("nobody: %v, want ErrSignInRequired", err)
		}
		if got, _ := UserByID(ctx, db, u.ID); got.TOTPEnabled || got.TOTPSecret != "" {
			t.Error("a refused enrolment turned the second factor on")
		}
		if n := rows(t, db, (*recoveryCode)(nil)) + rows(t, db, (*AuditEntry)(nil)); n != 0 {
			t.Errorf("%d recovery codes and audit entries after refused enrolments, want 0", n)
		}

		codes, err := EnableTOTP(ctx, db, who, enr.Secret, code)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := UserByID(ctx, db, u.ID)
		if !got.TOTPEnabled || got.TOTPSecret != enr.Secret {
			t.Error("the confirmed secret was not stored")
		}
		if n, _ := RecoveryCodesLeft(ctx, db, u.ID); len(codes) != RecoveryCodeCount || n != RecoveryCodeCount {
			t.Errorf("%d codes shown, %d stored, want %d", len(codes), n, RecoveryCodeCount)
		}
		wantAudit(t, db, AuditTOTPEnabled, who, "user", strconv.FormatInt(u.ID, 10))
	})
}

func TestCheckSecondFactor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a := NewAuthenticator(NewPasswords(1))
		u := mustUser(t, db, "admin@example.test", RoleAdmin, "")
		who := UserActor(u, "192.0.2.50")
		enr, _ := NewTOTP("digiportal", u.Email)
		secret := enr.Secret
		code, _ := totp.GenerateCode(secret, time.Now())
		recovery, err := EnableTOTP(ctx, db, who, secret, code)
		if err != nil {
			t.Fatal(err)
		}
		check := func(code string, allowRecovery bool) bool {
			t.Helper()
			ok, err := a.CheckSecondFactor(ctx, db, who, code, allowRecovery)
			if err != nil {
				t.Fatalf("CheckSecondFactor(%q): %v", code, err)
			}
			return ok
		}
		if check(wrongCode(t, secret), true) {
			t.Error("a wrong code was accepted")
		}
		if check(recovery[0], false) {
			t.Error("a recovery code was accepted where only the app's code may be")
		}
		if n, _ := RecoveryCodesLeft(ctx, db, u.ID); n != RecoveryCodeCount {
			t.Errorf("refused tries spent recovery codes: %d left", n)
		}
		if got := audits(t, db, AuditRecoveryUsed); len(got) != 0 {
			t.Errorf("refused tries wrote %d %s entries", len(got), AuditRecoveryUsed)
		}
		if !check(" "+recovery[0]+" ", true) {
			t.Fatal("an unused recovery code was refused")
		}
		if n, _ := RecoveryCodesLeft(ctx, db, u.ID); n != RecoveryCodeCount-1 {
			t.Errorf("%d recovery codes left, want %d", n, RecoveryCodeCount-1)
		}
		wantAudit(t, db, AuditRecoveryUsed, who, "user", strconv.FormatInt(u.ID, 10))
		if check(recovery[0], true) {
			t.Error("a spent recovery code worked again")
		}
		// The enrolment's code was never used to sign in, so it works once.
		if !check(code, false) {
			t.Error("the app's code was refused")
		}

		// Past the limit a try is refused before the code is looked at, and
		// a right recovery code is not spent by it.
		a.PerAccount = &Throttle{Free: 1, Base: time.Minute, Max: time.Minute, Window: time.Hour}
		var te *ThrottledError
		if _, err := a.CheckSecondFactor(ctx, db, who, wrongCode(t, secret), true); err != nil {
			t.Fatalf("first wrong try: %v, want a plain refusal", err)
		}
		if _, err := a.CheckSecondFactor(ctx, db, who, wrongCode(t, secret), true); !errors.As(err, &te) {
			t.Errorf("second wrong try: %v, want a *ThrottledError", err)
		}
		if ok, err := a.CheckSecondFactor(ctx, db, who, recovery[1], true); ok || !errors.As(err, &te) {
			t.Errorf("a try while waiting: %v, %v; want a *ThrottledError", ok, err)
		}
		if n, _ := RecoveryCodesLeft(ctx, db, u.ID); n != RecoveryCodeCount-1 {
			t.Errorf("a throttled try spent a recovery code: %d left", n)
		}
	})
}
