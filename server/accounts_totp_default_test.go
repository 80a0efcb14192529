package server

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestSecondFactorByDefault: on a new portal an admin or official with a
// password alone is sent to enrol a second factor and reaches nothing
// else; once an admin relaxes the setting (audited), the password is let
// through. A resident is never asked.
func TestSecondFactorByDefault(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		ctx := context.Background()
		hash, err := ts.srv.acct.passwords.Hash(ctx, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		signIn := func(email string, role accounts.Role, unit string) (*testServer, string) {
			if _, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: email, Role: role, UnitCode: unit, PasswordHash: hash}); err != nil {
				t.Fatal(err)
			}
			v := ts.newVisitor()
			return v, location(t, v.post("/vi/login", url.Values{"email": {email}, "password": {testPassword}}))
		}
		for i, role := range []accounts.Role{accounts.RoleAdmin, accounts.RoleProvinceOfficial, accounts.RoleCommuneOfficial} {
			v, to := signIn("p"+string(rune('a'+i))+"@example.test", role, map[bool]string{true: "79", false: ""}[role.Official()])
			if to != "/vi/account/2fa" {
				t.Errorf("%s with a password alone went to %q, want the enrolment page", role, to)
			}
			if to := location(t, v.get("/vi/reports")); to != "/vi/account/2fa" {
				t.Errorf("%s without a second factor reached /vi/reports (went to %q)", role, to)
			}
		}
		if _, to := signIn("r@example.test", accounts.RoleResident, ""); to == "/vi/account/2fa" {
			t.Error("a resident was made to enrol a second factor")
		}
		admin := ts.newVisitor().signInAs(accounts.RoleAdmin, "")
		if err := accounts.SetTOTPRequired(ctx, db, accounts.UserActor(admin, "127.0.0.1"), nil); err != nil {
			t.Fatal(err)
		}
		ts.srv.forgetSettings() // as the settings page does after saving
		if v, to := signIn("relaxed@example.test", accounts.RoleAdmin, ""); to == "/vi/account/2fa" {
			t.Errorf("relaxed, an admin was still sent to enrol")
		} else {
			v.get("/vi/admin/users").mustStatus(t, http.StatusOK)
		}
	})
}
