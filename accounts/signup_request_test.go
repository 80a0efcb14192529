package accounts

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
)

// TestSignUpRequests: an e-mail sign-up is kept until its link is used,
// once; a newer request for the address replaces it; an address with an
// account keeps nothing and names the account; expired requests are
// forgotten with their password hashes.
func TestSignUpRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pw := NewPasswords(2)
		g := Registration{Email: "Lan@Example.test", Name: " Lan ", Role: RoleBusiness, Password: "bốn từ không liên quan", Consents: []string{"progress"}}
		hash, err := PrepareSignUp(ctx, pw, g)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := PrepareSignUp(ctx, pw, Registration{Email: "x@example.test", Role: RoleAdmin, Password: "password"}); err == nil {
			t.Error("a registration breaking the rules was prepared")
		}
		_, first, err := RequestSignUp(ctx, db, g, hash)
		if err != nil {
			t.Fatal(err)
		}
		_, second, err := RequestSignUp(ctx, db, g, hash)
		if err != nil || second == first {
			t.Fatalf("second request: %q, %v", second, err)
		}
		if _, err := ConfirmSignUp(ctx, db, Actor{IP: "198.51.100.3"}, first); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("a replaced link: %v, want ErrTokenInvalid", err)
		}
		if email, err := SignUpRequestEmail(ctx, db, second); err != nil || email != "lan@example.test" {
			t.Errorf("SignUpRequestEmail = %q, %v", email, err)
		}
		u, err := ConfirmSignUp(ctx, db, Actor{IP: "198.51.100.3"}, second)
		if err != nil || u.Email != "lan@example.test" || u.Role != RoleBusiness || u.Name != "Lan" || u.PasswordHash != hash {
			t.Fatalf("confirmed: %+v, %v", u, err)
		}
		if ok, _ := HasConsent(ctx, db, u.ID, "progress"); !ok {
			t.Error("the consent ticked at sign-up was not granted")
		}
		if lines, _ := ListAudit(ctx, db, AuditFilter{Action: AuditSignUp}); len(lines) != 1 || lines[0].IP != "198.51.100.3" {
			t.Errorf("sign-up audited as %+v", lines)
		}
		if _, err := ConfirmSignUp(ctx, db, Actor{}, second); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("a used link: %v, want ErrTokenInvalid", err)
		}
		existing, token, err := RequestSignUp(ctx, db, Registration{Email: "LAN@example.test", Role: RoleResident}, hash)
		if err != nil || existing == nil || existing.ID != u.ID || token != "" {
			t.Errorf("request for a taken address: %+v, %q, %v", existing, token, err)
		}

		_, old, err := RequestSignUp(ctx, db, Registration{Email: "cu@example.test", Role: RoleResident}, hash)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewUpdate().Model((*signupRequest)(nil)).Set("expires_at = ?", time.Now().UTC().Add(-time.Minute)).Where("token_hash = ?", hashToken(old)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := SignUpRequestEmail(ctx, db, old); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("an expired link: %v, want ErrTokenInvalid", err)
		}
		if n, err := DeleteExpiredSignUpRequests(ctx, db); err != nil || n != 1 {
			t.Errorf("DeleteExpiredSignUpRequests = %d, %v, want 1", n, err)
		}
	})
}
