package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/mail/mailpit"
)

// protectedPrefixes are the URL areas that must never be served without an
// access check; a route there without `access` fails the matrix test.
var protectedPrefixes = []string{"/{lang}/account", "/{lang}/admin/", "/{lang}/reports/", "/{lang}/reauth"}

// concretePath fills a pattern's wildcards: {lang} with vi and the rest
// with the route's sample when it has one, else with a value that names
// nothing.
func concretePath(rt route) string {
	_, p, _ := strings.Cut(rt.pattern, " ")
	if len(rt.samples) > 0 {
		p = rt.samples[0]
	}
	p = strings.ReplaceAll(strings.TrimSuffix(p, "{$}"), "{lang}", "vi")
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(p, "zz-unknown")
}

// TestAccessMatrix asks every protected route as every role and as nobody.
// Nobody is sent to sign in; a role the policy does not allow gets 403 (or
// 404); an allowed role is never refused. It also fails when a route in a
// protected area forgets to declare its check.
func TestAccessMatrix(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	visitors := map[accounts.Role]*testServer{}
	for _, rt := range ts.srv.routes {
		method, p, _ := strings.Cut(rt.pattern, " ")
		if rt.access == "" {
			for _, pre := range protectedPrefixes {
				if strings.HasPrefix(p, pre) {
					t.Errorf("route %q is in a protected area but declares no access", rt.pattern)
				}
			}
			continue
		}
		path := concretePath(rt)
		send := func(v *testServer) *response {
			if method == http.MethodPost {
				return v.post(path, url.Values{})
			}
			return v.get(path)
		}
		anon := send(ts.newVisitor())
		if anon.StatusCode != http.StatusSeeOther || !strings.Contains(anon.Header.Get("Location"), "/login") {
			t.Errorf("%s as nobody: %d %s, want 303 to sign-in", rt.pattern, anon.StatusCode, anon.Header.Get("Location"))
		}
		for _, role := range accounts.Roles() {
			unit := ""
			if role.Scoped() {
				unit = "77"
			}
			v := visitors[role]
			if v == nil {
				// One signed-in visitor per role serves every route: no
				// route here ends a session on an empty form.
				v = ts.newVisitor()
				v.signInAs(role, unit)
				visitors[role] = v
			}
			res := send(v)
			allowed := ts.srv.acct.access.Allow(context.Background(), &accounts.User{Role: role, UnitCode: unit}, rt.access, accounts.Object{}) == nil
			refused := res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusNotFound
			toLogin := res.StatusCode == http.StatusSeeOther && strings.Contains(res.Header.Get("Location"), "/login")
			switch {
			case allowed && (res.StatusCode == http.StatusForbidden || toLogin):
				t.Errorf("%s as %s (allowed): %d", rt.pattern, role, res.StatusCode)
			case !allowed && !refused:
				t.Errorf("%s as %s (not allowed): %d, want 403 or 404", rt.pattern, role, res.StatusCode)
			case !allowed && strings.Contains(res.Body, "@example.test"):
				t.Errorf("%s as %s leaked account data in its refusal", rt.pattern, role)
			}
		}
	}
}

func TestSignUpHashesAndSignsIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		mp := mailpit.Start(t)
		ts := newTestServer(t, db, withMailpit(t, mp))
		// Consent boxes are there, and never ticked for the visitor.
		form := ts.get("/vi/signup").mustStatus(t, 200)
		form.mustContain(t, `name="consent_progress" value="yes">`, `name="consent_assessments" value="yes">`)
		if strings.Contains(form.Body, `value="yes" checked`) {
			t.Error("a consent box is ticked by default")
		}
		before := sessionCookie(ts)
		res := ts.post("/vi/signup", url.Values{"email": {"Hoa@Example.test"}, "kind": {"resident"}, "password": {"password"}})
		res.mustStatus(t, 400).mustContain(t, "Lỗi: ", "quá phổ biến")
		res = ts.post("/en/signup", url.Values{"email": {"hoa@example.test"}, "kind": {"resident"}, "password": {"mèo đen"}})
		res.mustStatus(t, 400).mustContain(t, "Error: ", "8 characters or more")
		res = ts.signUpByEmail(mp, url.Values{"email": {"hoa@example.test"}, "kind": {"resident"}, "password": {"bốn từ không liên quan"}, "consent_progress": {"yes"}})
		res.mustStatus(t, 303)
		if after := sessionCookie(ts); after == "" || after == before {
			t.Error("the session token was not renewed at sign-up")
		}
		var hash string
		if err := db.NewRaw("SELECT password_hash FROM users WHERE email = ?", "hoa@example.test").Scan(context.Background(), &hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=47104,t=1,p=1$") {
			t.Errorf("stored hash %q is not argon2id with the ASVS parameters", hash)
		}
		ts.get("/vi/account").mustStatus(t, 200).mustContain(t, "hoa@example.test")
		u, _ := accounts.UserByEmail(context.Background(), db, "hoa@example.test")
		if ok, _ := accounts.HasConsent(context.Background(), db, u.ID, "progress"); !ok {
			t.Error("the ticked consent was not recorded")
		}
		if ok, _ := accounts.HasConsent(context.Background(), db, u.ID, "assessments"); ok {
			t.Error("an unticked consent was recorded")
		}
	})
}

func sessionCookie(ts *testServer) string {
	u, _ := url.Parse(ts.http.URL)
	for _, c := range ts.client.Jar.Cookies(u) {
		if c.Name == "session" {
			return c.Value
		}
	}
	return ""
}

// TestBruteForce is the scripted attack: one account gets 429s
// with Retry-After, while another account still signs in from the same
// address.
func TestBruteForce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		victim := ts.newVisitor().signInAs(accounts.RoleResident, "")
		other := ts.newVisitor()
		otherUser := other.signInAs(accounts.RoleResident, "")
		attacker := ts.newVisitor()
		var got429 bool
		for i := range 12 {
			res := attacker.post("/vi/login", url.Values{"email": {victim.Email}, "password": {"đoán thử lần " + string(rune('a'+i))}})
			switch res.StatusCode {
			case http.StatusBadRequest:
				if got429 {
					t.Fatalf("attempt %d answered 400 after a 429", i)
				}
				res.mustContain(t, "Email hoặc mật khẩu không đúng.")
			case http.StatusTooManyRequests:
				got429 = true
				if res.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				res.mustContain(t, "tạm thời bị làm chậm", "từ thiết bị mới")
			default:
				t.Fatalf("attempt %d: status %d", i, res.StatusCode)
			}
		}
		if !got429 {
			t.Fatal("12 wrong passwords never got a 429")
		}
		// The right password is refused while the account waits…
		attacker.post("/vi/login", url.Values{"email": {victim.Email}, "password": {testPassword}}).mustStatus(t, 429)
		// …but another account signs in from the same address.
		fresh := ts.newVisitor()
		fresh.post("/vi/login", url.Values{"email": {otherUser.Email}, "password": {testPassword}}).mustStatus(t, 303)
		// An unknown address gets the same words as a wrong password.
		ts.newVisitor().post("/vi/login", url.Values{"email": {"khong-co@example.test"}, "password": {"gì cũng được"}}).
			mustStatus(t, 400).mustContain(t, "Email hoặc mật khẩu không đúng.")
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	a := ts.newVisitor()
	u := a.signInAs(accounts.RoleResident, "")
	b := ts.newVisitor()
	b.post("/vi/login", url.Values{"email": {u.Email}, "password": {testPassword}}).mustStatus(t, 303)
	b.get("/vi/account").mustStatus(t, 200)
	tokenBefore := sessionCookie(a)
	a.post("/vi/account/password", url.Values{"current": {testPassword}, "new": {"một mật khẩu mới thật dài"}}).mustStatus(t, 303)
	if sessionCookie(a) == tokenBefore {
		t.Error("the changing session's token was not renewed")
	}
	a.get("/vi/account").mustStatus(t, 200)
	res := b.get("/vi/account")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/vi/login") {
		t.Errorf("other session after password change: %d %s, want 303 to sign-in", res.StatusCode, res.Header.Get("Location"))
	}
	// Signing out renews the token and ends the session.
	tokenBefore = sessionCookie(a)
	a.post("/vi/logout", nil).mustStatus(t, 303)
	if sessionCookie(a) == tokenBefore {
		t.Error("sign-out did not renew the token")
	}
	a.get("/vi/account").mustStatus(t, 303)
}

func TestAdminCreatesOfficialWithOneTimeLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		res := admin.post("/vi/admin/users/new", url.Values{"email": {"canbo.xa@example.test"}, "role": {"commune_official"}})
		res.mustStatus(t, 400).mustContain(t, "cần có mã đơn vị")
		res = admin.post("/vi/admin/users/new", url.Values{"email": {"canbo.xa@example.test"}, "role": {"commune_official"}, "unit": {"26734"}})
		res.mustStatus(t, 200)
		m := regexp.MustCompile(`/vi/set-password/([a-z2-7]+)`).FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("no set-password link on the page:\n%.800s", res.Body)
		}
		official := ts.newVisitor()
		official.get("/vi/set-password/"+m[1]).mustStatus(t, 200).mustContain(t, `name="password"`)
		official.post("/vi/set-password/"+m[1], url.Values{"password": {"12345678"}}).mustStatus(t, 400)
		official.post("/vi/set-password/"+m[1], url.Values{"password": {"lúa chín vàng đồng quê"}}).mustStatus(t, 303)
		official.post("/vi/set-password/"+m[1], url.Values{"password": {"lúa chín vàng đồng quê"}}).mustStatus(t, 400).mustContain(t, "không còn dùng được")
		// An official must use a second factor: the first sign-in leads to
		// its enrolment, and nowhere else until it is done.
		if to := location(t, official.post("/vi/login", url.Values{"email": {"canbo.xa@example.test"}, "password": {"lúa chín vàng đồng quê"}})); to != "/vi/account/2fa" {
			t.Errorf("the new official's first sign-in went to %q, want the enrolment page", to)
		}
		official.get("/vi/account").mustStatus(t, 303)
		official.get("/vi/account/2fa").mustStatus(t, 200)
		admin.get("/vi/admin/audit?action=account.").mustStatus(t, 200).mustContain(t, "account.created", "account.password_set")
	})
}

func TestTOTPEnrolmentAndSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		v := ts.newVisitor()
		u := v.signInWithoutSecondFactor(accounts.RoleProvinceOfficial, "77")
		page := v.get("/en/account/2fa").mustStatus(t, 200).mustContain(t, "data:image/png;base64,")
		m := regexp.MustCompile(`<code>([A-Z2-7]{16,})</code>`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("no manual key on the enrolment page")
		}
		v.post("/en/account/2fa", url.Values{"code": {"000000"}}).mustStatus(t, 400).mustContain(t, "Error: ")
		code, _ := totp.GenerateCode(m[1], time.Now())
		res := v.post("/en/account/2fa", url.Values{"code": {code}}).mustStatus(t, 200)
		recovery := regexp.MustCompile(`<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{5})</code></li>`).FindAllStringSubmatch(res.Body, -1)
		if len(recovery) != accounts.RecoveryCodeCount {
			t.Fatalf("%d recovery codes shown, want %d", len(recovery), accounts.RecoveryCodeCount)
		}
		// Confirming who you are again takes the password and a fresh code,
		// and a code works only once.
		now := time.Now()
		code2, _ := totp.GenerateCode(m[1], now)
		v.post("/en/reauth", url.Values{"password": {testPassword}, "code": {"000000"}, "return": {"/en/account"}}).mustStatus(t, 400)
		v.post("/en/reauth", url.Values{"password": {testPassword}, "code": {code2}, "return": {"/en/account"}}).mustStatus(t, 303)
		v.post("/en/reauth", url.Values{"password": {testPassword}, "code": {code2}, "return": {"/en/account"}}).mustStatus(t, 400)
		// A new sign-in now asks for the code before the session is the user's.
		w := ts.newVisitor()
		w.post("/en/login", url.Values{"email": {u.Email}, "password": {testPassword}}).mustStatus(t, 303)
		w.get("/en/account").mustStatus(t, 303)
		w.post("/en/login/code", url.Values{"code": {"123456"}}).mustStatus(t, 400)
		w.post("/en/login/code", url.Values{"code": {recovery[0][1]}}).mustStatus(t, 303)
		w.get("/en/account").mustStatus(t, 200).mustContain(t, "9 unused recovery codes left.")
		// Without a password checked first there is nothing to finish.
		ts.newVisitor().get("/en/login/code").mustStatus(t, 200).mustContain(t, "Sign in again")
		ts.newVisitor().post("/en/login/code", url.Values{"code": {"123456"}}).mustStatus(t, 400)
		// A spent recovery code does not work twice.
		x := ts.newVisitor()
		x.post("/en/login", url.Values{"email": {u.Email}, "password": {testPassword}}).mustStatus(t, 303)
		x.post("/en/login/code", url.Values{"code": {recovery[0][1]}}).mustStatus(t, 400)
	})
}

func TestMandatorySecondFactor(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	admin.post("/vi/admin/settings", url.Values{"totp_commune_official": {"yes"}}).mustStatus(t, 303)
	req, _ := accounts.TOTPRequired(context.Background(), db)
	if !req[accounts.RoleCommuneOfficial] || req[accounts.RoleAdmin] {
		t.Fatalf("required roles = %v", req)
	}
	o := ts.newVisitor()
	o.signInWithoutSecondFactor(accounts.RoleCommuneOfficial, "26734")
	res := o.get("/vi/account")
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/vi/account/2fa") {
		t.Errorf("official without 2FA on a protected page: %d %s, want 303 to enrolment", res.StatusCode, res.Header.Get("Location"))
	}
	o.get("/vi/account/2fa").mustStatus(t, 200)
}

func TestSensitiveChangesNeedFreshSignIn(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	a := admin.signInAs(accounts.RoleAdmin, "")
	target := ts.newVisitor().signInAs(accounts.RoleResident, "")
	ts.srv.acct.freshFor = 0 // every sign-in is now too old
	res := admin.post("/vi/admin/users/"+itoa64(target.ID), url.Values{"op": {"disable"}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/vi/reauth") {
		t.Fatalf("stale admin change: %d %s, want 303 to reauth", res.StatusCode, res.Header.Get("Location"))
	}
	got, _ := accounts.UserByID(context.Background(), db, target.ID)
	if got.Disabled {
		t.Error("a stale admin disabled a user")
	}
	ts.srv.acct.freshFor = time.Minute
	admin.post("/vi/reauth", url.Values{"password": {testPassword}, "code": {admin.totpCode(a.Email)}, "return": {"/vi/admin/users"}}).mustStatus(t, 303)
	admin.post("/vi/admin/users/"+itoa64(target.ID), url.Values{"op": {"disable"}}).mustStatus(t, 303)
	got, _ = accounts.UserByID(context.Background(), db, target.ID)
	if !got.Disabled {
		t.Error("a fresh admin could not disable a user")
	}
	entries, _ := accounts.ListAudit(context.Background(), db, accounts.AuditFilter{Action: accounts.AuditDisabled})
	if len(entries) != 1 || entries[0].ObjectID != itoa64(target.ID) {
		t.Errorf("disabling audited as %+v", entries)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestExportAndDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		v := ts.newVisitor()
		u := v.signInAs(accounts.RoleResident, "")
		res := v.post("/vi/account/export", nil).mustStatus(t, 200)
		var x accounts.Export
		if err := json.Unmarshal([]byte(res.Body), &x); err != nil || x.Account.Email != u.Email {
			t.Fatalf("export = %+v, %v", x.Account, err)
		}
		if strings.Contains(res.Body, "argon2id") {
			t.Error("the export holds the password hash")
		}
		v.post("/vi/account/delete", url.Values{"password": {"sai"}}).mustStatus(t, 400)
		v.post("/vi/account/delete", url.Values{"password": {testPassword}}).mustStatus(t, 303)
		if _, err := accounts.UserByID(context.Background(), db, u.ID); err == nil {
			t.Error("the account still exists after deletion")
		}
		v.get("/vi/account").mustStatus(t, 303)
	})
}

func TestDisablingEndsSessions(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	if ts.srv.sessions.IdleTimeout != 30*time.Minute || ts.srv.sessions.Lifetime != 12*time.Hour {
		t.Errorf("session timeouts idle %v absolute %v, want 30m and 12h", ts.srv.sessions.IdleTimeout, ts.srv.sessions.Lifetime)
	}
	user := ts.newVisitor()
	u := user.signInAs(accounts.RoleBusiness, "")
	user.get("/en/account").mustStatus(t, 200)
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	admin.post("/en/admin/users/"+itoa64(u.ID), url.Values{"op": {"disable"}}).mustStatus(t, 303)
	if res := user.get("/en/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user's session: %d, want 303 to sign-in", res.StatusCode)
	}
	// A disabled user cannot sign in again, and is told nothing more than
	// "wrong e-mail or password".
	user.post("/en/login", url.Values{"email": {u.Email}, "password": {testPassword}}).mustStatus(t, 400).mustContain(t, "The email address or password is wrong.")
	admin.post("/en/admin/users/"+itoa64(u.ID), url.Values{"op": {"enable"}}).mustStatus(t, 303)
	user.post("/en/login", url.Values{"email": {u.Email}, "password": {testPassword}}).mustStatus(t, 303)
}
