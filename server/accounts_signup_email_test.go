package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/mail/mailpit"
)

var signupLinkRe = regexp.MustCompile(`https?://[^\s"<>]+/(vi|en)/signup/confirm/([a-z2-7]+)`)

// signUpByEmail signs this visitor up with form through the e-mail link,
// read back from mp as the newest message to form's address, and returns
// the answer to the link's button.
func (ts *testServer) signUpByEmail(mp *mailpit.Server, form url.Values) *response {
	ts.t.Helper()
	ts.post("/vi/signup", form).mustStatus(ts.t, http.StatusOK).mustContain(ts.t, "hãy mở đường dẫn có trong thư")
	ts.srv.WaitMail()
	for _, m := range mp.Messages(ts.t) {
		if len(m.To) == 1 && strings.EqualFold(m.To[0], form.Get("email")) {
			link := signupLinkRe.FindStringSubmatch(m.Text)
			if link == nil {
				ts.t.Fatalf("the newest e-mail to %s holds no sign-up link:\n%s", form.Get("email"), m.Text)
			}
			ts.get("/vi/signup/confirm/"+link[2]).mustStatus(ts.t, http.StatusOK).mustContain(ts.t, strings.ToLower(form.Get("email")), `action="/vi/signup/confirm/`+link[2]+`"`)
			return ts.post("/vi/signup/confirm/"+link[2], nil)
		}
	}
	ts.t.Fatalf("no e-mail reached %s", form.Get("email"))
	return nil
}

// TestSignUpRevealsNoAccount is the probe: a sign-up with the
// address of an official's account gets the very answer a new address
// gets, and only the e-mail to that address says the account exists. The
// password just chosen signs in neither before the link is opened.
func TestSignUpRevealsNoAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		mp := mailpit.Start(t)
		ts := newTestServer(t, db, withMailpit(t, mp))
		official, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: "can.bo.xa@example.test", Role: accounts.RoleCommuneOfficial, UnitCode: "26734"})
		if err != nil {
			t.Fatal(err)
		}
		const chosen = "một câu mật khẩu mới toanh"
		probe := func(email string) *response {
			return ts.newVisitor().post("/en/signup", url.Values{"email": {email}, "kind": {"resident"}, "password": {chosen}}).mustStatus(t, http.StatusOK)
		}
		taken, fresh := probe(strings.ToUpper(official.Email)), probe("moi.toanh@example.test")
		if mainOf(taken.Body) != mainOf(fresh.Body) {
			t.Error("the answer differs for an address with an account and one without")
		}
		fresh.mustContain(t, "Open the link in it within 24 hours").mustNotContain(t, "already has an account.")
		for _, email := range []string{official.Email, "moi.toanh@example.test"} {
			ts.newVisitor().post("/en/login", url.Values{"email": {email}, "password": {chosen}}).mustStatus(t, http.StatusBadRequest)
		}
		if _, err := accounts.UserByEmail(ctx, db, "moi.toanh@example.test"); err == nil {
			t.Error("an account was opened before its link was followed")
		}
		ts.srv.WaitMail()
		msgs := mp.Messages(t)
		if len(msgs) != 2 {
			t.Fatalf("%d e-mails, want 2", len(msgs))
		}
		for _, m := range msgs {
			link := signupLinkRe.FindStringSubmatch(m.Text)
			switch m.To[0] {
			case official.Email:
				if link != nil || !strings.Contains(m.Text, "already has one") || !strings.Contains(m.Text, "/en/login") || !strings.Contains(m.Subject, "Bạn đã có tài khoản") {
					t.Errorf("the official's e-mail does not say the account exists, or carries a link:\n%s", m.Text)
				}
			default:
				if link == nil || !strings.Contains(m.HTML, link[0]) {
					t.Fatalf("the new address's e-mail has no link in both bodies:\n%s", m.Text)
				}
				v := ts.newVisitor()
				v.post("/en/signup/confirm/"+link[2], nil).mustStatus(t, http.StatusSeeOther)
				v.get("/en/account").mustStatus(t, http.StatusOK).mustContain(t, "moi.toanh@example.test")
				// The link works once.
				ts.newVisitor().post("/en/signup/confirm/"+link[2], nil).mustStatus(t, http.StatusBadRequest).mustContain(t, "already used")
				ts.newVisitor().get("/vi/signup/confirm/"+link[2]).mustStatus(t, http.StatusOK).mustContain(t, "Đăng ký lại").mustNotContain(t, `method="post"`)
			}
		}
		var left int
		if err := db.NewSelect().TableExpr("signup_requests").ColumnExpr("count(*)").Scan(ctx, &left); err != nil || left != 0 {
			t.Errorf("%d sign-up requests kept after the account was opened (%v)", left, err)
		}
	})
}

// TestSignUpConfirmTaken: an address that got an account between the
// e-mail and the click is told so, and nothing is changed.
func TestSignUpConfirmTaken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db)
		g := accounts.Registration{Email: "cham.tre@example.test", Role: accounts.RoleResident, Password: "bốn từ không liên quan"}
		hash, err := accounts.PrepareSignUp(ctx, ts.srv.acct.passwords, g)
		if err != nil {
			t.Fatal(err)
		}
		_, token, err := accounts.RequestSignUp(ctx, db, g, hash)
		if err != nil || token == "" {
			t.Fatalf("request: %q, %v", token, err)
		}
		if _, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: g.Email, Role: accounts.RoleBusiness}); err != nil {
			t.Fatal(err)
		}
		ts.newVisitor().post("/vi/signup/confirm/"+token, nil).mustStatus(t, http.StatusConflict).mustContain(t, "đã có tài khoản", `href="/vi/password/forgot"`)
		if u, _ := accounts.UserByEmail(ctx, db, g.Email); u == nil || u.Role != accounts.RoleBusiness {
			t.Errorf("the account made meanwhile changed: %+v", u)
		}
	})
}

// TestSignUpLimited is the flood: one address gets ten sign-ups an
// hour, then a 429 that says why in words with Retry-After, and creates
// nothing more; another address signs up meanwhile; a network gets thirty
// across its addresses.
func TestSignUpLimited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db, trustLoopback)
		form := func(i int) url.Values {
			return url.Values{"username": {"nguoi.dung." + strconv.Itoa(i)}, "kind": {"resident"}, "password": {"bốn từ không liên quan"}}
		}
		for i := range 10 {
			ts.newVisitor().postFrom("/vi/signup", form(i), "198.51.100.9").mustStatus(t, http.StatusOK)
		}
		res := ts.newVisitor().postFrom("/vi/signup", form(10), "198.51.100.9").mustStatus(t, http.StatusTooManyRequests)
		res.mustContain(t, "việc đăng ký mới từ mạng này tạm dừng", "Lỗi: ")
		if res.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		if _, err := accounts.UserByLogin(ctx, db, "nguoi.dung.10"); err == nil {
			t.Error("the refused sign-up opened an account")
		}
		ts.newVisitor().postFrom("/vi/signup", form(11), "192.0.2.1").mustStatus(t, http.StatusOK)

		// Thirty from one /24, spread so that no address reaches its own
		// limit (refused by the password rules, still counted), then the
		// network is paused.
		for i := range 30 {
			bad := url.Values{"email": {"thu" + strconv.Itoa(i) + "@example.test"}, "kind": {"resident"}, "password": {"password"}}
			ts.newVisitor().postFrom("/en/signup", bad, "203.0.113."+strconv.Itoa(i%5)).mustStatus(t, http.StatusBadRequest)
		}
		ts.newVisitor().postFrom("/en/signup", form(12), "203.0.113.77").mustStatus(t, http.StatusTooManyRequests).
			mustContain(t, "new sign-ups from here are paused")
	})
}

// TestHashBusyPage: too many passwords being checked at once is a 503 in
// words, in each language, with Retry-After.
func TestHashBusyPage(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	for _, c := range []struct {
		lang i18n.Lang
		want string
	}{{i18n.VI, "Cổng đang bận kiểm tra nhiều mật khẩu"}, {i18n.EN, "The portal is busy checking many passwords"}} {
		if se := statusOf(accounts.ErrBusy); se != errHashBusy {
			t.Fatalf("accounts.ErrBusy maps to %+v", se)
		}
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/"+string(c.lang)+"/signup", nil)
		r.SetPathValue("lang", string(c.lang))
		ts.srv.renderError(w, r, statusOf(accounts.ErrBusy))
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("%s: %d, Retry-After %q, body lacks %q", c.lang, w.Code, w.Header().Get("Retry-After"), c.want)
		}
	}
}

// TestSignUpMailsBounded: sign-ups cannot fill someone's mailbox: however
// many are sent for one address, from however many clients, it gets at
// most three e-mails an hour, and every answer is the same.
func TestSignUpMailsBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		mp := mailpit.Start(t)
		ts := newTestServer(t, db, withMailpit(t, mp), trustLoopback)
		for i := range 6 {
			ts.newVisitor().postFrom("/vi/signup", url.Values{"email": {"hop.thu@example.test"}, "kind": {"resident"}, "password": {"bốn từ không liên quan"}},
				"198.51."+strconv.Itoa(i)+".7").mustStatus(t, http.StatusOK).mustContain(t, "hãy mở đường dẫn có trong thư")
		}
		ts.srv.WaitMail()
		if n := len(mp.Messages(t)); n != 3 {
			t.Errorf("%d e-mails to one address after 6 sign-ups, want 3", n)
		}
	})
}
