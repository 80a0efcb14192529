package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/database/dbtest"
)

// sessionCookie is the visitor's session cookie value.
func (ts *testServer) sessionCookie() string {
	u, _ := url.Parse(ts.http.URL)
	for _, c := range ts.client.Jar.Cookies(u) {
		if c.Name == "session" {
			return c.Value
		}
	}
	return ""
}

// signedIn reports whether the visitor is signed in: the account page
// answers instead of sending to sign-in.
func (ts *testServer) signedIn() bool {
	return ts.get("/vi/account").StatusCode == http.StatusOK
}

const firefoxOnAndroid = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"

// TestSessionsListAndEndOthers: a user signed in on two browsers sees both
// on the sessions page, with the browser, the network and "this device",
// and ending the others signs the second browser out and keeps this one.
func TestSessionsListAndEndOthers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		u := ts.signInAs(accounts.RoleResident, "")
		phone := ts.newVisitor()
		phone.post("/vi/login", url.Values{"email": {u.Email}, "password": {testPassword}}).mustStatus(t, http.StatusSeeOther)
		phone.get("/vi/account", "User-Agent", firefoxOnAndroid).mustStatus(t, http.StatusOK)
		ts.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/account/sessions"`)

		res := ts.get("/vi/account/sessions").mustStatus(t, http.StatusOK)
		res.mustContain(t, "thiết bị này", "Firefox, Android", "127.0.0.0/24", `action="/vi/account/sessions/end-others"`)
		if n := strings.Count(res.Body, "<tr>"); n != 3 { // the head and two sessions
			t.Errorf("%d rows, want a head and two sessions", n)
		}
		ts.get("/en/account/sessions").mustStatus(t, http.StatusOK).mustContain(t, "this device", "Sign out all other sessions")

		// Nobody else's sessions show: another user's list has one row.
		other := ts.newVisitor()
		other.signInAs(accounts.RoleResident, "")
		if body := other.get("/vi/account/sessions").Body; strings.Contains(body, "Firefox") || strings.Count(body, "<tr>") != 2 {
			t.Error("another user's list shows sessions not theirs")
		}

		to := location(t, ts.post("/vi/account/sessions/end-others", nil))
		if to != "/vi/account/sessions?ended=1" {
			t.Fatalf("ended the others, then went to %q", to)
		}
		if phone.signedIn() {
			t.Error("the other browser is still signed in")
		}
		if !ts.signedIn() || !other.signedIn() {
			t.Error("ending the others signed out this browser or another user")
		}
		res = ts.get(to).mustStatus(t, http.StatusOK)
		res.mustContain(t, "Đã đăng xuất các phiên khác").mustNotContain(t, "Firefox")
		var n int
		if err := db.NewSelect().TableExpr("audit_log").ColumnExpr("count(*)").Where("action = ?", accounts.AuditSessionsEnded).Where("actor_id = ?", u.ID).Scan(context.Background(), &n); err != nil || n != 1 {
			t.Errorf("audit rows of ending sessions = %d, %v; want 1", n, err)
		}
		// Signed out, the page asks to sign in; the button needs a user too.
		anon := ts.newVisitor()
		if to := location(t, anon.get("/vi/account/sessions")); !strings.HasPrefix(to, "/vi/login") {
			t.Errorf("signed out, the sessions page went to %q", to)
		}
		if to := location(t, anon.post("/vi/account/sessions/end-others", nil)); !strings.HasPrefix(to, "/vi/login") {
			t.Errorf("signed out, ending sessions went to %q", to)
		}
	})
}

// TestReauthRenewsToken: proving who one is again gives the session a new
// token, and the old one is worth nothing afterwards.
func TestReauthRenewsToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		ts.signInAs(accounts.RoleResident, "")
		before := ts.sessionCookie()
		ts.post("/vi/reauth", url.Values{"password": {testPassword}, "return": {"/vi/account"}}).mustStatus(t, http.StatusSeeOther)
		after := ts.sessionCookie()
		if after == "" || after == before {
			t.Fatalf("token after re-authentication %q, before %q: want a new one", after, before)
		}
		if !ts.signedIn() {
			t.Fatal("signed out by re-authentication")
		}
		thief := ts.newVisitor()
		u, _ := url.Parse(ts.http.URL)
		thief.client.Jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: before, Path: "/"}})
		if thief.signedIn() {
			t.Error("the token from before re-authentication still works")
		}
	})
}

// TestAdminActionsEndTargetSessions: an admin's role change, disabling or
// second-factor reset of a user ends that user's sessions at once, and
// leaves nothing of them in the sessions list.
func TestAdminActionsEndTargetSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		admin := ts.newVisitor().signInAs(accounts.RoleAdmin, "")
		who := accounts.UserActor(admin, "127.0.0.1")
		ctx := context.Background()
		for name, act := range map[string]func(id int64) error{
			"role":    func(id int64) error { return accounts.ChangeRole(ctx, db, who, id, accounts.RoleBusiness, "") },
			"disable": func(id int64) error { return accounts.SetDisabled(ctx, db, who, id, true) },
			"2fa":     func(id int64) error { return accounts.ResetTOTP(ctx, db, who, id) },
		} {
			v := ts.newVisitor()
			u := v.signInAs(accounts.RoleResident, "")
			if !v.signedIn() {
				t.Fatalf("%s: not signed in", name)
			}
			if err := act(u.ID); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if v.signedIn() {
				t.Errorf("%s: the user is still signed in", name)
			}
			live, err := database.NewSessionStore(db).UserSessions(ctx, u.ID)
			if err != nil || len(live) != 0 {
				t.Errorf("%s: %d sessions left in the list, %v", name, len(live), err)
			}
		}
	})
}
