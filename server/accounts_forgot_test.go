package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/mail"
	"digiportal/mail/mailpit"
)

// withMailpit is an option of newTestServer: the portal sends its e-mail
// over SMTP to mp.
func withMailpit(t *testing.T, mp *mailpit.Server) func(*Deps) {
	return func(d *Deps) {
		c, err := mail.ParseSMTPURL(mp.SMTPURL())
		if err != nil {
			t.Fatal(err)
		}
		c.From, c.FromName = "noreply@portal.example.test", "Cổng Chuyển đổi số tỉnh"
		d.Mail = mail.NewSMTP(c)
	}
}

var (
	setPasswordLinkRe = regexp.MustCompile(`https?://[^\s"<>]+/(vi|en)/set-password/([a-z2-7]+)`)
	nonceRe           = regexp.MustCompile(`nonce="[^"]*"`)
)

// mainOf is the page without what changes from one answer to the next
// (the script nonce), to compare two answers.
func mainOf(body string) string { return nonceRe.ReplaceAllString(body, "") }

// TestPasswordForgotThroughMailpit: a resident who forgot the password asks
// for a link, which arrives by e-mail (read back from Mailpit), in both
// languages, as text and HTML; it sets a new password once; the answer is
// the same for an address without an account, which gets no e-mail; only
// the newest link works; the token is kept hashed and lives 30 minutes.
func TestPasswordForgotThroughMailpit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		mp := mailpit.Start(t)
		ts := newTestServer(t, db, withMailpit(t, mp))
		ctx := context.Background()
		u := ts.newVisitor().signInAs(accounts.RoleResident, "")
		v := ts.newVisitor()
		v.get("/vi/login").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/password/forgot"`)
		v.get("/vi/password/forgot").mustStatus(t, http.StatusOK).mustNotContain(t, "chưa được cài đặt để gửi thư")

		v.post("/vi/password/forgot", url.Values{"email": {""}}).mustStatus(t, http.StatusBadRequest)
		v.post("/vi/password/forgot", url.Values{"email": {"not an address"}}).mustStatus(t, http.StatusBadRequest)
		known := v.post("/vi/password/forgot", url.Values{"email": {strings.ToUpper(u.Email)}}).mustStatus(t, http.StatusOK)
		unknown := v.post("/vi/password/forgot", url.Values{"email": {"nobody@example.test"}}).mustStatus(t, http.StatusOK)
		if mainOf(known.Body) != mainOf(unknown.Body) {
			t.Error("the answer differs for an address with an account and one without")
		}
		known.mustContain(t, "Nếu địa chỉ này thuộc một tài khoản")
		ts.srv.WaitMail()
		msgs := mp.Messages(t)
		if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != u.Email {
			t.Fatalf("messages %+v, want one to %s", msgs, u.Email)
		}
		m := msgs[0]
		if !strings.Contains(m.Subject, "Đặt lại mật khẩu") || !strings.Contains(m.Subject, "Reset your password") || !strings.Contains(m.From, "Cổng Chuyển đổi số tỉnh") {
			t.Errorf("subject %q from %q", m.Subject, m.From)
		}
		for _, part := range []string{m.Text, m.HTML} {
			if !strings.Contains(part, "30 phút") || !strings.Contains(part, "30 minutes") {
				t.Errorf("a body lacks one language:\n%s", part)
			}
		}
		link := setPasswordLinkRe.FindStringSubmatch(m.Text)
		if link == nil || !strings.Contains(m.HTML, link[0]) {
			t.Fatalf("no set-password link in both bodies:\n%s", m.Text)
		}
		token := link[2]
		var inClear int
		if err := db.NewSelect().TableExpr("password_tokens").ColumnExpr("count(*)").Where("token_hash = ?", token).Scan(ctx, &inClear); err != nil || inClear != 0 {
			t.Errorf("the token is stored in clear (%d, %v)", inClear, err)
		}
		var expires time.Time
		if err := db.NewSelect().TableExpr("password_tokens").Column("expires_at").Where("user_id = ?", u.ID).Where("used_at IS NULL").Scan(ctx, &expires); err != nil {
			t.Fatal(err)
		}
		if d := time.Until(expires); d > accounts.ResetTTL || d < accounts.ResetTTL-time.Minute {
			t.Errorf("the link lives %s, want 30 minutes", d)
		}

		// A second request makes a new link and spends the first.
		v.post("/en/password/forgot", url.Values{"email": {u.Email}}).mustStatus(t, http.StatusOK).mustContain(t, "If this address belongs")
		ts.srv.WaitMail()
		msgs = mp.Messages(t)
		if len(msgs) != 2 {
			t.Fatalf("%d messages after the second request, want 2", len(msgs))
		}
		second := setPasswordLinkRe.FindStringSubmatch(msgs[0].Text)
		if second == nil || second[2] == token {
			t.Fatalf("the second e-mail carries no new link")
		}
		v.get("/vi/set-password/"+token).mustStatus(t, http.StatusOK).mustNotContain(t, `name="password"`)
		v.get("/vi/set-password/"+second[2]).mustStatus(t, http.StatusOK).mustContain(t, `name="password"`)
		const fresh = "một mật khẩu mới thật dài"
		v.post("/vi/set-password/"+second[2], url.Values{"password": {fresh}}).mustStatus(t, http.StatusSeeOther)
		v.post("/vi/set-password/"+second[2], url.Values{"password": {fresh + " nữa"}}).mustStatus(t, http.StatusBadRequest)
		v.signInWith(u.Email, fresh)
		if !v.signedIn() {
			t.Error("the new password does not sign in")
		}
	})
}

// TestPasswordForgotWithoutMail: with no SMTP the page says recovery by
// e-mail is not configured, and the link goes to the log.
func TestPasswordForgotWithoutMail(t *testing.T) {
	var logged strings.Builder
	ts := newTestServer(t, dbtest.SQLite(t), logAlsoTo(t, &logged))
	u := ts.newVisitor().signInAs(accounts.RoleResident, "")
	ts.get("/vi/password/forgot").mustStatus(t, http.StatusOK).mustContain(t, "chưa được cài đặt để gửi thư")
	ts.get("/en/password/forgot").mustStatus(t, http.StatusOK).mustContain(t, "not set up to send e-mail")
	ts.post("/vi/password/forgot", url.Values{"email": {u.Email}}).mustStatus(t, http.StatusOK)
	ts.srv.WaitMail()
	if !setPasswordLinkRe.MatchString(logged.String()) {
		t.Errorf("the log lacks the link:\n%s", logged.String())
	}
}

// TestPasswordForgotThrottled: a burst of requests for one address sends
// three e-mails, then the address gets no more (silently), while the page
// answers the same.
func TestPasswordForgotThrottled(t *testing.T) {
	mp := mailpit.Start(t)
	ts := newTestServer(t, dbtest.SQLite(t), withMailpit(t, mp))
	u := ts.newVisitor().signInAs(accounts.RoleResident, "")
	for range 5 {
		ts.newVisitor().post("/vi/password/forgot", url.Values{"email": {u.Email}}).mustStatus(t, http.StatusOK)
	}
	ts.srv.WaitMail()
	if n := len(mp.Messages(t)); n != 3 {
		t.Errorf("%d e-mails after 5 requests, want 3", n)
	}
}

// TestNewOfficialLinkEmailed: an admin may send a new official's
// set-password link by e-mail as well as see it.
func TestNewOfficialLinkEmailed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		mp := mailpit.Start(t)
		ts := newTestServer(t, db, withMailpit(t, mp))
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		admin.get("/vi/admin/users/new").mustStatus(t, http.StatusOK).mustContain(t, `name="email_link"`)
		res := admin.post("/vi/admin/users/new", url.Values{"email": {"canbo.moi@example.test"}, "role": {"admin"}, "email_link": {"yes"}}).mustStatus(t, http.StatusOK)
		res.mustContain(t, "Đường dẫn cũng đã được gửi")
		ts.srv.WaitMail()
		msgs := mp.Messages(t)
		if len(msgs) != 1 || msgs[0].To[0] != "canbo.moi@example.test" {
			t.Fatalf("messages %+v", msgs)
		}
		link := setPasswordLinkRe.FindStringSubmatch(msgs[0].Text)
		if link == nil || !strings.Contains(res.Body, link[0]) {
			t.Fatal("the e-mail does not carry the link the page shows")
		}
	})
}
