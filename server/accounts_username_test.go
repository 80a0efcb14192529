package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

var recoveryCodeRe = regexp.MustCompile(`<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{5})</code></li>`)

// TestUsernameSignUpAndRecoveryCodes: a resident without e-mail signs up
// with a username, is shown recovery codes once on a printable page (kept
// hashed), signs in with the username, and sets a new password with a
// code, which works once.
func TestUsernameSignUpAndRecoveryCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		ctx := context.Background()
		const pw = "một câu dài để thử nghiệm"
		v := ts.newVisitor()
		v.get("/vi/signup").mustStatus(t, http.StatusOK).mustContain(t, `name="username"`)
		res := v.post("/vi/signup", url.Values{"username": {"Ba.Lan-1950"}, "kind": {"resident"}, "password": {pw}}).mustStatus(t, http.StatusOK)
		res.mustContain(t, "Mã khôi phục của bạn", "ba.lan-1950")
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("the codes page is cacheable: %q", got)
		}
		codes := recoveryCodeRe.FindAllStringSubmatch(res.Body, -1)
		if len(codes) != accounts.RecoveryCodeCount {
			t.Fatalf("%d codes shown, want %d", len(codes), accounts.RecoveryCodeCount)
		}
		v.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, "ba.lan-1950")
		u, err := accounts.UserByUsername(ctx, db, "ba.lan-1950")
		if err != nil || u.Email != "" {
			t.Fatalf("stored as %+v, %v", u, err)
		}
		var clear int
		if err := db.NewSelect().TableExpr("recovery_codes").ColumnExpr("count(*)").Where("code_hash IN (?)", bun.List([]string{codes[0][1], strings.ReplaceAll(codes[0][1], "-", "")})).Scan(ctx, &clear); err != nil || clear != 0 {
			t.Errorf("a recovery code is stored in clear (%d, %v)", clear, err)
		}

		// Refusals: both identifiers, a business with a username, a taken
		// or malformed username, neither identifier.
		for _, f := range []url.Values{
			{"username": {"ba.lan-1950"}, "kind": {"resident"}, "password": {pw}},
			{"username": {"bacu"}, "email": {"a@example.test"}, "kind": {"resident"}, "password": {pw}},
			{"username": {"congty"}, "kind": {"business"}, "password": {pw}},
			{"username": {"có dấu"}, "kind": {"resident"}, "password": {pw}},
			{"username": {"-ab"}, "kind": {"resident"}, "password": {pw}},
			{"kind": {"resident"}, "password": {pw}},
		} {
			ts.newVisitor().post("/vi/signup", f).mustStatus(t, http.StatusBadRequest)
		}

		w := ts.newVisitor()
		w.signInWith("BA.LAN-1950", pw)
		if !w.signedIn() {
			t.Fatal("the username does not sign in")
		}

		const fresh = "mật khẩu mới của bà Lan"
		r := ts.newVisitor()
		r.get("/vi/login").mustContain(t, `href="/vi/password/recover"`)
		r.post("/vi/password/recover", url.Values{"login": {"ba.lan-1950"}, "code": {"aaaa-bbbb-ccccc"}, "password": {fresh}}).mustStatus(t, http.StatusBadRequest)
		r.post("/vi/password/recover", url.Values{"login": {"ba.lan-1950"}, "code": {codes[3][1]}, "password": {"abc"}}).mustStatus(t, http.StatusBadRequest)
		if to := location(t, r.post("/vi/password/recover", url.Values{"login": {"ba.lan-1950"}, "code": {codes[3][1]}, "password": {fresh}})); to != "/vi/login?set=1" {
			t.Fatalf("recovered, then went to %q", to)
		}
		r.post("/vi/password/recover", url.Values{"login": {"ba.lan-1950"}, "code": {codes[3][1]}, "password": {fresh + "!"}}).mustStatus(t, http.StatusBadRequest)
		if w.signedIn() {
			t.Error("the session from before the new password still works")
		}
		r.signInWith("ba.lan-1950", fresh)
		if !r.signedIn() {
			t.Error("the recovered password does not sign in")
		}
	})
}

// TestAssistedReset: a commune official gives a resident who came in
// person a one-time link, audited with who, when and why; the link sets a
// password once. Residents cannot, and officials' accounts cannot be reset
// this way.
func TestAssistedReset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		ctx := context.Background()
		hash, _ := ts.srv.acct.passwords.Hash(ctx, testPassword)
		resident, err := accounts.CreateUser(ctx, db, accounts.NewUser{Username: "ong.ba", Role: accounts.RoleResident, PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		ts.newVisitor().signInAs(accounts.RoleResident, "")
		res := ts.newVisitor()
		res.signInAs(accounts.RoleResident, "")
		res.get("/vi/account/assisted-reset").mustStatus(t, http.StatusForbidden)

		official := ts.newVisitor()
		o := official.signInAs(accounts.RoleCommuneOfficial, "26734")
		official.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/account/assisted-reset"`)
		official.get("/vi/account/assisted-reset").mustStatus(t, http.StatusOK).mustContain(t, `name="reason"`)
		official.post("/vi/account/assisted-reset", url.Values{"login": {"ong.ba"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#reason"`)
		official.post("/vi/account/assisted-reset", url.Values{"login": {"khong.co"}, "reason": {"CCCD"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "Không có tài khoản")
		official.post("/vi/account/assisted-reset", url.Values{"login": {o.Email}, "reason": {"CCCD"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "Chỉ cấp được")
		official.post("/vi/account/assisted-reset", url.Values{"login": {"ong.ba"}, "reason": {strings.Repeat("a", 501)}}).mustStatus(t, http.StatusBadRequest)
		page := official.post("/vi/account/assisted-reset", url.Values{"login": {"ong.ba"}, "reason": {"Đã xem CCCD; ông quên mật khẩu"}}).mustStatus(t, http.StatusOK)
		if got := page.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("the link page is cacheable: %q", got)
		}
		m := setPasswordLinkRe.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no link on the page:\n%s", page.Body)
		}
		log, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: accounts.AuditAssistedReset})
		if err != nil || len(log) != 1 {
			t.Fatalf("audit %+v, %v", log, err)
		}
		if e := log[0]; e.ActorID != o.ID || e.ObjectID != itoa64(resident.ID) || e.Detail != "Đã xem CCCD; ông quên mật khẩu" || e.At.IsZero() {
			t.Errorf("audited as %+v", e)
		}
		home := ts.newVisitor()
		home.post("/vi/set-password/"+m[2], url.Values{"password": {"mật khẩu mới của ông Ba"}}).mustStatus(t, http.StatusSeeOther)
		home.post("/vi/set-password/"+m[2], url.Values{"password": {"mật khẩu mới của ông Ba"}}).mustStatus(t, http.StatusBadRequest)
		home.signInWith("ong.ba", "mật khẩu mới của ông Ba")
		if !home.signedIn() {
			t.Error("the new password does not sign in")
		}
	})
}

// TestUsernameResidentChangesPassword: a resident known only by a username
// changes the password on the account page (the current one was checked
// against an empty address, so it was always "wrong"), and the new one may
// not be the username itself, whichever way it is set.
func TestUsernameResidentChangesPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		const pw, next = "một câu dài để thử nghiệm", "câu mới cũng dài như thế"
		v := ts.newVisitor()
		res := v.post("/vi/signup", url.Values{"username": {"ong.tu-1948"}, "kind": {"resident"}, "password": {pw}}).mustStatus(t, http.StatusOK)
		codes := recoveryCodeRe.FindAllStringSubmatch(res.Body, -1)
		if len(codes) == 0 {
			t.Fatal("no recovery codes shown")
		}
		v.post("/vi/account/password", url.Values{"current": {pw}, "new": {"ong.tu-1948"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#new"`).mustNotContain(t, `href="#current"`)
		if to := location(t, v.post("/vi/account/password", url.Values{"current": {pw}, "new": {next}})); to != "/vi/account?password=1" {
			t.Fatalf("changing the password went to %q", to)
		}
		w := ts.newVisitor()
		w.signInWith("ong.tu-1948", next)
		if !w.signedIn() {
			t.Error("the changed password does not sign in")
		}
		ts.newVisitor().post("/vi/password/recover", url.Values{"login": {"ong.tu-1948"}, "code": {codes[0][1]}, "password": {"ONG.TU-1948"}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#password"`)
	})
}

// TestRecoverTellsNobodyWhoHasAnAccount: the recovery form answers a weak
// password, a wrong code and a privileged account the same whether or not
// the login has an account, so it cannot be used to list the accounts.
func TestRecoverTellsNobodyWhoHasAnAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		ctx := context.Background()
		hash, _ := ts.srv.acct.passwords.Hash(ctx, testPassword)
		if _, err := accounts.CreateUser(ctx, db, accounts.NewUser{Username: "co.nam", Role: accounts.RoleResident, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
		u := ts.newVisitor().signInAs(accounts.RoleResident, "")
		admin := ts.newVisitor().signInAs(accounts.RoleAdmin, "")
		for _, pw := range []string{"abc", "một mật khẩu mới đủ dài"} {
			var want string
			for i, login := range []string{"khong.co.ai", "co.nam", u.Email, "nobody@example.test", admin.Email} {
				got := ts.newVisitor().post("/en/password/recover", url.Values{"login": {login}, "code": {"aaaa-bbbb-ccccc"}, "password": {pw}}).mustStatus(t, http.StatusBadRequest)
				body := strings.ReplaceAll(mainOf(got.Body), html.EscapeString(login), "LOGIN")
				if i == 0 {
					want = body
				} else if body != want {
					t.Errorf("password %q: the answer for %s differs from the answer for a login without an account", pw, login)
				}
			}
		}
	})
}
