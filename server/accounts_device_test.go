package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// TestLockoutIsNoWeapon is the issue's attack on an admin: guesses from
// another device slow the account's sign-in from new devices (429, said in
// words, audited), yet the admin signs in at once, with the right password,
// on the browser they used before. A device cookie of another login, or a
// forged one, is no way around the limit.
func TestLockoutIsNoWeapon(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db)
		own := ts.newVisitor()
		admin := own.signInAs(accounts.RoleAdmin, "")
		own.post("/vi/logout", nil).mustStatus(t, http.StatusSeeOther)

		attacker := ts.newVisitor()
		slowed := 0
		for i := range 20 {
			res := attacker.post("/en/login", url.Values{"email": {admin.Email}, "password": {"guess number " + strconv.Itoa(i)}})
			if res.StatusCode == http.StatusTooManyRequests {
				slowed++
				res.mustContain(t, "signing in from a new device is slowed down", "where you have signed in before")
				if res.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
			}
		}
		if slowed == 0 {
			t.Fatal("20 wrong passwords from one device were never slowed")
		}
		// The real admin, on their own browser, gets in at once.
		own.signInWith(admin.Email, testPassword)
		own.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, admin.Email)
		// Confirming the password there before a sensitive change, or
		// changing it, is not refused either.
		own.post("/vi/reauth", url.Values{"password": {testPassword}, "code": {own.totpCode(admin.Email)}, "return": {"/vi/account"}}).
			mustStatus(t, http.StatusSeeOther)
		own.post("/vi/account/password", url.Values{"current": {testPassword}, "new": {"một mật khẩu mới hẳn"}}).mustStatus(t, http.StatusSeeOther)
		own.post("/vi/logout", nil).mustStatus(t, http.StatusSeeOther)
		if loc := own.post("/vi/login", url.Values{"email": {admin.Email}, "password": {"một mật khẩu mới hẳn"}}).mustStatus(t, http.StatusSeeOther).Header.Get("Location"); !strings.HasPrefix(loc, "/vi/login/code") {
			t.Errorf("the new password on the admin's own browser led to %q, want the code step", loc)
		}
		// The stranger's guesses still wait, now against the new password.
		attacker.post("/en/login", url.Values{"email": {admin.Email}, "password": {"một mật khẩu mới hẳn"}}).mustStatus(t, http.StatusTooManyRequests)

		// A new device with the right password waits, told why in words.
		res := ts.newVisitor().post("/vi/login", url.Values{"email": {admin.Email}, "password": {"một mật khẩu mới hẳn"}})
		res.mustStatus(t, http.StatusTooManyRequests).mustContain(t, "từ thiết bị mới tạm thời bị làm chậm", "Lỗi: ")

		// Another account's device cookie, or a forged one, does not count.
		other := ts.newVisitor()
		other.signInAs(accounts.RoleResident, "")
		other.post("/vi/logout", nil).mustStatus(t, http.StatusSeeOther)
		other.post("/vi/login", url.Values{"email": {admin.Email}, "password": {"một mật khẩu mới hẳn"}}).mustStatus(t, http.StatusTooManyRequests)
		forged := ts.newVisitor()
		u, _ := url.Parse(ts.http.URL)
		good := deviceCookieOf(own)
		if good == "" {
			t.Fatal("the admin's browser holds no device cookie")
		}
		login, _, _ := strings.Cut(good, ".")
		forged.client.Jar.SetCookies(u, []*http.Cookie{{Name: "device", Value: login + ".AAAAAAAAAAAAAAAAAAAAAA.AAAA"}})
		forged.post("/vi/login", url.Values{"email": {admin.Email}, "password": {"một mật khẩu mới hẳn"}}).mustStatus(t, http.StatusTooManyRequests)

		slowedLines, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: accounts.AuditSignInSlowed})
		if err != nil || len(slowedLines) == 0 {
			t.Fatalf("no audit line says sign-in was slowed (%v)", err)
		}
		if e := slowedLines[0]; e.ObjectID != strconv.FormatInt(admin.ID, 10) || e.New != accounts.ScopeAccount {
			t.Errorf("slowed sign-in audited as %+v, want the admin's account, scope account", e)
		}
	})
}

// TestKnownDeviceThrottledOnItsOwn: wrong passwords on a known device slow
// that device (and say so), not the account's other devices.
func TestKnownDeviceThrottledOnItsOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		laptop, phone := ts.newVisitor(), ts.newVisitor()
		user := laptop.signInAs(accounts.RoleResident, "")
		laptop.post("/vi/logout", nil).mustStatus(t, http.StatusSeeOther)
		phone.signInWith(user.Email, testPassword)
		phone.post("/vi/logout", nil).mustStatus(t, http.StatusSeeOther)
		var slowed bool
		for i := range 10 {
			res := laptop.post("/vi/login", url.Values{"email": {user.Email}, "password": {"gõ nhầm lần " + strconv.Itoa(i)}})
			if res.StatusCode == http.StatusTooManyRequests {
				slowed = true
				res.mustContain(t, "nhập sai nhiều lần trên thiết bị này")
			}
		}
		if !slowed {
			t.Fatal("10 wrong passwords on a known device were never slowed")
		}
		laptop.post("/vi/login", url.Values{"email": {user.Email}, "password": {testPassword}}).mustStatus(t, http.StatusTooManyRequests)
		phone.signInWith(user.Email, testPassword)
		// Nor did the laptop's mistakes count against new devices.
		ts.newVisitor().signInWith(user.Email, testPassword)
	})
}

// TestDeviceCookieRemembersSeveralLogins: a shared computer stays a known
// device for each of the last few accounts that signed in on it.
func TestDeviceCookieRemembersSeveralLogins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db)
		office := ts.newVisitor()
		first := office.signInAs(accounts.RoleResident, "")
		office.post("/vi/logout", nil).mustStatus(t, http.StatusSeeOther)
		office.signInAs(accounts.RoleBusiness, "")
		office.post("/vi/logout", nil).mustStatus(t, http.StatusSeeOther)
		// Lock the first account out for new devices.
		attacker := ts.newVisitor()
		for i := range 8 {
			attacker.post("/vi/login", url.Values{"email": {first.Email}, "password": {"sai " + strconv.Itoa(i) + " lần rồi"}})
		}
		attacker.post("/vi/login", url.Values{"email": {first.Email}, "password": {testPassword}}).mustStatus(t, http.StatusTooManyRequests)
		office.signInWith(first.Email, testPassword)
		if n := strings.Count(deviceCookieOf(office), "~") + 1; n != 2 {
			t.Errorf("the shared computer's cookie holds %d logins, want 2", n)
		}
		v, err := accounts.IssueDevice(ctx, db, "x@example.test", strings.Repeat("y", accounts.DeviceCookieMax+1))
		if err != nil || strings.Contains(v, "~") {
			t.Errorf("an oversized old cookie was kept: %q, %v", v, err)
		}
	})
}

func deviceCookieOf(ts *testServer) string {
	u, _ := url.Parse(ts.http.URL)
	for _, c := range ts.client.Jar.Cookies(u) {
		if c.Name == "device" {
			return c.Value
		}
	}
	return ""
}
