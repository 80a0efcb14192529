package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// assistCodeRe finds the code a helper's page shows once, in groups of four.
var assistCodeRe = regexp.MustCompile(`<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>`)

// assistCode is the code on a page that issued one, and the link that
// holds it, which must open the same set-password page.
func assistCode(t *testing.T, res *response) string {
	t.Helper()
	m := assistCodeRe.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no code on the page:\n%.1500s", res.Body)
	}
	code := strings.ReplaceAll(m[1], "-", "")
	link := setPasswordLinkRe.FindStringSubmatch(res.Body)
	if link == nil || link[2] != code {
		t.Fatalf("the link on the page %v does not hold the code %s", link, code)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with the code: Cache-Control %q", cc)
	}
	return code
}

// assistAudit returns the audit lines of action by the actor.
func assistAudit(t *testing.T, db bun.IDB, actor int64, action string) []accounts.AuditEntry {
	t.Helper()
	rows, err := accounts.ListAudit(context.Background(), db, accounts.AuditFilter{ActorID: actor, Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestTeamsAssist: a helper opens a resident's account whose password the
// resident sets on their own phone with a short code, then signs in; gives
// a resident who lost access a code, which ends the resident's sessions
// when the new password is set; is refused, in both languages with nothing
// issued, an unknown account, any account but a plain resident's, a
// disabled one, a missing, long or personal reason, a username holding a
// phone number, a used or expired code, more codes than a day allows and
// more look-ups than an hour allows. Everything issued is audited with the
// helper and the kind; no other role reaches the pages.
func TestTeamsAssist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		a, _ := twoCommunes(t, db)
		team := newTeam(t, db, a, "Tổ thôn Đông", "200")
		hv := ts.newVisitor()
		helper := hv.signInAs(accounts.RoleHelper, a)
		joinTeam(t, db, team.ID, helper.ID)

		// The help log leads to the page, which says what is left today.
		hv.get("/vi/teams/log").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/teams/assist"`, "Hỗ trợ người dân mở tài khoản")
		hv.get("/en/teams/log").mustStatus(t, http.StatusOK).mustContain(t, `href="/en/teams/assist"`, "Help a resident open an account")
		hv.get("/vi/teams/assist").mustStatus(t, http.StatusOK).
			mustContain(t, "Mở tài khoản mới", "còn có thể cấp 10/10 mã", `action="/vi/teams/assist/account"`, `action="/vi/teams/assist/reset"`)
		hv.get("/en/teams/assist").mustStatus(t, http.StatusOK).mustContain(t, "Open a new account", "10 more of 10 codes")

		// No other role reaches the pages; nobody signed out either.
		for _, role := range []accounts.Role{accounts.RoleResident, accounts.RoleBusiness, accounts.RoleCommuneOfficial, accounts.RoleProvinceOfficial, accounts.RoleAdmin} {
			o := ts.newVisitor()
			unit := ""
			if role.Official() {
				unit = a
			}
			o.signInAs(role, unit)
			o.get("/vi/teams/assist").mustStatus(t, http.StatusForbidden)
			o.post("/en/teams/assist/account", url.Values{"username": {"ke.gian"}}).mustStatus(t, http.StatusForbidden)
			o.post("/vi/teams/assist/reset", url.Values{"login": {"ke.gian"}, "reason": {"thử"}}).mustStatus(t, http.StatusForbidden)
		}
		if to := location(t, ts.newVisitor().get("/vi/teams/assist")); !strings.HasPrefix(to, "/vi/login") {
			t.Errorf("signed out, the page sent to %q", to)
		}
		if n := countRows(t, db, "users", "username <> ''"); n != 0 {
			t.Fatalf("other roles' tries opened %d accounts", n)
		}

		// A new account: refused a bad or personal username, then opened.
		for lang, want := range map[string]string{"vi": "Tên đăng nhập có vẻ chứa số điện thoại", "en": "seems to hold a phone number"} {
			hv.post("/"+lang+"/teams/assist/account", url.Values{"username": {"lan.0912345678"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, want)
		}
		hv.post("/vi/teams/assist/account", url.Values{"username": {"Lan Đông"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "Tên đăng nhập gồm 3 đến 32 chữ cái")
		hv.post("/en/teams/assist/account", url.Values{"username": {""}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "Enter the username the resident chose")
		res := hv.post("/vi/teams/assist/account", url.Values{"username": {" Lan.ThonDong "}}).mustStatus(t, http.StatusOK)
		res.mustContain(t, "Đã mở tài khoản lan.thondong", "còn có thể cấp 9/10 mã", "/vi/set-password</code>")
		code := assistCode(t, res)
		if len(code) != accounts.AssistCodeLen {
			t.Errorf("a code of %d characters", len(code))
		}
		resident, err := accounts.UserByUsername(ctx, db, "lan.thondong")
		if err != nil {
			t.Fatal(err)
		}
		if resident.Role != accounts.RoleResident || resident.UnitCode != "" || resident.PasswordHash != "" || resident.Email != "" {
			t.Errorf("the account opened: %+v, want a plain resident's without a password", resident)
		}
		for lang, want := range map[string]string{"vi": "đã có người dùng", "en": "This username is taken"} {
			hv.post("/"+lang+"/teams/assist/account", url.Values{"username": {"lan.thondong"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, want)
		}
		started := assistAudit(t, db, helper.ID, accounts.AuditAssistStarted)
		if len(started) != 1 || started[0].ObjectID != fmt.Sprint(resident.ID) || started[0].Detail != accounts.AssistKindNew {
			t.Fatalf("audit of the account opened: %+v", started)
		}
		for _, e := range started {
			if strings.Contains(e.Old+e.New+e.Detail, "lan") {
				t.Errorf("the audit line holds the username: %+v", e)
			}
		}

		// On the resident's own phone: the code page, typed as shown.
		phone := ts.newVisitor()
		phone.get("/vi/set-password").mustStatus(t, http.StatusOK).mustContain(t, "Nhập mã đặt mật khẩu", `name="code"`)
		phone.get("/en/set-password?code=").mustStatus(t, http.StatusBadRequest).mustContain(t, "Enter the code you were given")
		phone.get("/vi/set-password?code=abc-def").mustStatus(t, http.StatusBadRequest).mustContain(t, "Mã gồm 16 chữ cái")
		typed := strings.ToUpper(code[:4] + " " + code[4:8] + "-" + code[8:])
		if to := location(t, phone.get("/vi/set-password?code="+url.QueryEscape(typed))); to != "/vi/set-password/"+code {
			t.Fatalf("the code page led to %q", to)
		}
		phone.get("/vi/set-password/"+code).mustStatus(t, http.StatusOK).mustContain(t, `name="password"`)
		const first = "cây cau trước ngõ nhà tôi"
		if to := location(t, phone.post("/vi/set-password/"+code, url.Values{"password": {first}})); to != "/vi/login?set=1" {
			t.Errorf("after setting the password the resident went to %q", to)
		}
		phone.post("/vi/set-password/"+code, url.Values{"password": {"một mật khẩu khác hẳn"}}).mustStatus(t, http.StatusBadRequest)
		phone.get("/en/set-password/"+code).mustStatus(t, http.StatusOK).mustContain(t, "no longer works")
		phone.signInWith("lan.thondong", first)
		phone.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, "lan.thondong")
		if u, _ := accounts.UserByID(ctx, db, resident.ID); u.Role != accounts.RoleResident || u.UnitCode != "" {
			t.Errorf("after setting the password the account is %s %q", u.Role, u.UnitCode)
		}

		// Lost access: refusals say why and issue nothing.
		// Accounts with a username are opened as residents; an admin may
		// make one another role since.
		others := map[accounts.Role]string{}
		for _, role := range []accounts.Role{accounts.RoleBusiness, accounts.RoleHelper, accounts.RoleCommuneOfficial, accounts.RoleAdmin} {
			unit := ""
			if role.Scoped() {
				unit = a
			}
			name := "khac." + strings.ReplaceAll(string(role), "_", ".")
			u, err := accounts.CreateUser(ctx, db, accounts.NewUser{Username: name, Role: accounts.RoleResident})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.NewUpdate().Table("users").Set("role = ?", role).Set("unit_code = ?", unit).Where("id = ?", u.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			others[role] = name
		}
		withEmail, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: "co-thu@example.test", Role: accounts.RoleResident})
		if err != nil {
			t.Fatal(err)
		}
		disabled, err := accounts.CreateUser(ctx, db, accounts.NewUser{Username: "bi.khoa", Role: accounts.RoleResident})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewUpdate().Table("users").Set("disabled = ?", true).Where("id = ?", disabled.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		// A resident's account named by username but guarded by its owner
		// with an address or a second factor is not the helper's to reset.
		for name, set := range map[string]string{"co.thu.nua": "email = 'co.thu.nua@example.test'", "co.hai.lop": "totp_enabled = TRUE"} {
			u, err := accounts.CreateUser(ctx, db, accounts.NewUser{Username: name, Role: accounts.RoleResident})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.NewUpdate().Table("users").Set(set).Where("id = ?", u.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		tokens := countRows(t, db, "password_tokens", "1 = 1")
		guarded := ts.newVisitor()
		guarded.signInAs(accounts.RoleHelper, a)
		for login, want := range map[string][2]string{
			"co.thu.nua": {"Tài khoản có thư điện tử thì người dân tự lấy lại mật khẩu qua thư", "gets back in by e-mail"},
			"co.hai.lop": {"Tài khoản này có xác thực hai bước", "This account has two-step verification"},
		} {
			guarded.post("/vi/teams/assist/reset", url.Values{"login": {login}, "reason": {"quên mật khẩu"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, want[0])
			guarded.post("/en/teams/assist/reset", url.Values{"login": {login}, "reason": {"forgot"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, want[1])
		}
		for _, c := range []struct {
			login, reason string
			vi, en        string
			lookup        bool // the try looked an account up, and counts
		}{
			{"", "", "Nhập tên đăng nhập của tài khoản", "Enter the account", false},
			{"lan.thondong", "", "Ghi ngắn gọn lý do", "Write a short reason", false},
			{"lan.thondong", strings.Repeat("ư", 201), "Lý do dài quá 200 ký tự", "longer than 200 characters", false},
			{"lan.thondong", "gọi lại 0912 345 678", "Lý do có vẻ chứa số căn cước", "seems to hold an ID card number", false},
			{"lan.thondong", "CCCD 001203004567", "Lý do có vẻ chứa số căn cước", "seems to hold an ID card number", false},
			{"lan.thondong", "quên\u200bmật khẩu", "Lý do có ký tự ẩn", "hidden characters", false},
			{"lan.thondong", "Lan.ThonDong quên mật khẩu", "Lý do không ghi lại tên đăng nhập", "Do not repeat the account&#39;s username", false},
			{"khong.co.ai", "quên mật khẩu", "Không có tài khoản nào", "No account has this username", true},
			{others[accounts.RoleBusiness], "quên mật khẩu", "chỉ cấp mã cho tài khoản người dân", "issues codes for residents", true},
			{others[accounts.RoleHelper], "quên mật khẩu", "chỉ cấp mã cho tài khoản người dân", "issues codes for residents", true},
			{others[accounts.RoleCommuneOfficial], "quên mật khẩu", "chỉ cấp mã cho tài khoản người dân", "issues codes for residents", true},
			{others[accounts.RoleAdmin], "quên mật khẩu", "chỉ cấp mã cho tài khoản người dân", "issues codes for residents", true},
			{"bi.khoa", "quên mật khẩu", "Tài khoản này đã bị khóa", "This account is disabled", true},
			{withEmail.Email, "quên mật khẩu", "Tài khoản có thư điện tử thì người dân tự lấy lại mật khẩu qua thư", "gets back in by e-mail", false},
			{"khong.co@example.test", "quên mật khẩu", "Tài khoản có thư điện tử thì người dân tự lấy lại mật khẩu qua thư", "gets back in by e-mail", false},
		} {
			before := len(assistAudit(t, db, helper.ID, accounts.AuditAssistLookup))
			hv.post("/vi/teams/assist/reset", url.Values{"login": {c.login}, "reason": {c.reason}}).mustStatus(t, http.StatusBadRequest).mustContain(t, c.vi)
			hv.post("/en/teams/assist/reset", url.Values{"login": {c.login}, "reason": {c.reason}}).mustStatus(t, http.StatusBadRequest).mustContain(t, c.en)
			after := len(assistAudit(t, db, helper.ID, accounts.AuditAssistLookup))
			if want := map[bool]int{true: 2}[c.lookup]; after-before != want {
				t.Errorf("%q %q: %d look-ups logged, want %d", c.login, c.reason, after-before, want)
			}
		}
		if n := countRows(t, db, "password_tokens", "1 = 1"); n != tokens {
			t.Fatalf("refused tries made %d links", n-tokens)
		}
		if n := len(assistAudit(t, db, helper.ID, accounts.AuditAssistReset)); n != 0 {
			t.Fatalf("refused tries audited %d resets", n)
		}

		// Lost access: the code sets a new password and ends the sessions
		// the resident had.
		res = hv.post("/en/teams/assist/reset", url.Values{"login": {"LAN.THONDONG"}, "reason": {"forgot the password"}}).mustStatus(t, http.StatusOK)
		res.mustContain(t, "A password reset code has been issued for the account lan.thondong", "8 more of 10 codes")
		reset := assistCode(t, res)
		resets := assistAudit(t, db, helper.ID, accounts.AuditAssistReset)
		if len(resets) != 1 || resets[0].ObjectID != fmt.Sprint(resident.ID) || resets[0].New != accounts.AssistKindLost ||
			resets[0].Detail != "forgot the password" || resets[0].ActorID != helper.ID || time.Since(resets[0].At) > time.Minute {
			t.Fatalf("audit of the reset: %+v", resets)
		}
		phone.get("/vi/account").mustStatus(t, http.StatusOK) // still signed in until the password changes
		other := ts.newVisitor()
		const second = "hoa sen nở giữa mùa hè"
		location(t, other.post("/vi/set-password/"+reset, url.Values{"password": {second}}))
		if to := location(t, phone.get("/vi/account")); !strings.HasPrefix(to, "/vi/login") {
			t.Errorf("the resident's earlier session still works after the reset: sent to %q", to)
		}
		if res := other.post("/vi/login", url.Values{"email": {"lan.thondong"}, "password": {first}}); res.StatusCode == http.StatusSeeOther {
			t.Error("the old password still signs in")
		}
		other.signInWith("lan.thondong", second)
		other.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, "lan.thondong")

		// A code expires: after AssistedResetTTL its page says so and it
		// sets nothing.
		res = hv.post("/vi/teams/assist/reset", url.Values{"login": {"lan.thondong"}, "reason": {"quên mật khẩu"}}).mustStatus(t, http.StatusOK)
		expired := assistCode(t, res)
		var expiresAt time.Time
		if err := db.NewSelect().Table("password_tokens").Column("expires_at").Where("user_id = ?", resident.ID).Where("used_at IS NULL").Scan(ctx, &expiresAt); err != nil {
			t.Fatal(err)
		}
		if d := time.Until(expiresAt); d > accounts.AssistedResetTTL || d < accounts.AssistedResetTTL-time.Minute {
			t.Errorf("the code works for %v, want %v", d, accounts.AssistedResetTTL)
		}
		if _, err := db.NewUpdate().Table("password_tokens").Set("expires_at = ?", time.Now().UTC().Add(-time.Minute)).Where("user_id = ?", resident.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		ts.newVisitor().get("/vi/set-password/"+expired).mustStatus(t, http.StatusOK).mustContain(t, "không còn dùng được")
		ts.newVisitor().post("/en/set-password/"+expired, url.Values{"password": {"một mật khẩu mới toanh"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "no longer works")
		other.signInWith("lan.thondong", second)

		// A day allows AssistPerDay codes a helper.
		busy := ts.newVisitor()
		busyHelper := busy.signInAs(accounts.RoleHelper, a)
		for i := 0; i < accounts.AssistPerDay; i++ {
			busy.post("/vi/teams/assist/reset", url.Values{"login": {"lan.thondong"}, "reason": {"quên mật khẩu"}}).mustStatus(t, http.StatusOK)
		}
		busy.get("/vi/teams/assist").mustStatus(t, http.StatusOK).mustContain(t, "còn có thể cấp 0/10 mã")
		busy.post("/vi/teams/assist/reset", url.Values{"login": {"lan.thondong"}, "reason": {"quên mật khẩu"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Bạn đã cấp đủ 10 mã trong 24 giờ qua")
		busy.post("/en/teams/assist/account", url.Values{"username": {"moi.nguoi"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "You have issued 10 codes in the last 24 hours")
		if n := len(assistAudit(t, db, busyHelper.ID, accounts.AuditAssistReset)); n != accounts.AssistPerDay {
			t.Errorf("%d resets audited for the busy helper, want %d", n, accounts.AssistPerDay)
		}
		if _, err := accounts.UserByUsername(ctx, db, "moi.nguoi"); err == nil {
			t.Error("the account refused for the day's limit was opened")
		}

		// An hour allows AssistTriesPerHour tries: a helper guessing
		// usernames is stopped, even before a real one.
		guess := ts.newVisitor()
		guesser := guess.signInAs(accounts.RoleHelper, a)
		for i := 0; i < accounts.AssistTriesPerHour; i++ {
			guess.post("/vi/teams/assist/reset", url.Values{"login": {fmt.Sprintf("doan.%d", i)}, "reason": {"quên mật khẩu"}}).mustStatus(t, http.StatusBadRequest)
		}
		guess.post("/vi/teams/assist/reset", url.Values{"login": {"lan.thondong"}, "reason": {"quên mật khẩu"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "Bạn đã tra quá nhiều tài khoản trong một giờ qua")
		guess.post("/en/teams/assist/reset", url.Values{"login": {"lan.thondong"}, "reason": {"forgot"}}).mustStatus(t, http.StatusBadRequest).
			mustContain(t, "You have looked up too many accounts in the last hour")
		if n := len(assistAudit(t, db, guesser.ID, accounts.AuditAssistLookup)); n != accounts.AssistTriesPerHour {
			t.Errorf("%d look-ups logged for the guessing helper, want %d", n, accounts.AssistTriesPerHour)
		}
		if n := len(assistAudit(t, db, guesser.ID, accounts.AuditAssistReset)); n != 0 {
			t.Errorf("the guessing helper got %d codes", n)
		}
	})
}

// TestAssistHintExampleIsACode: the example on the resident's code page
// reads as a well-formed code, so that typing it leads to the set-password
// page's plain "no longer works", never to "mistyped".
func TestAssistHintExampleIsACode(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	example := regexp.MustCompile(`[a-z2-7]{4}(?:-[a-z2-7]{4}){3}`)
	for _, lang := range []string{"vi", "en"} {
		hint := ts.srv.bundle.Localizer(i18n.Lang(lang)).T("assist.enter.hint")
		code := example.FindString(hint)
		if code == "" || !codeShaped(accounts.NormalizeCode(code)) {
			t.Errorf("%s: the hint %q has no example that reads as a code (%q)", lang, hint, code)
		}
	}
}

// TestTeamsAssistGuards: a helper's account help is refused a cross-site
// form (another site posting with the helper's cookie) and, when the
// helper's last password is older than ten minutes, sends them to enter it
// again; neither opens an account nor issues a code.
func TestTeamsAssistGuards(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	a, _ := twoCommunes(t, db)
	hv := ts.newVisitor()
	hv.signInAs(accounts.RoleHelper, a)
	if _, err := accounts.CreateUser(ctx, db, accounts.NewUser{Username: "nguoi.quen", Role: accounts.RoleResident}); err != nil {
		t.Fatal(err)
	}
	for path, form := range map[string]url.Values{
		"/vi/teams/assist/account": {"username": {"tu.trang.khac"}},
		"/vi/teams/assist/reset":   {"login": {"nguoi.quen"}, "reason": {"quên mật khẩu"}},
	} {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hv.http.URL+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://ke-gian.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := hv.do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("a cross-site POST %s: status %d, want 403", path, res.StatusCode)
		}
	}
	ts.srv.acct.freshFor = 0 // the helper's sign-in is now too old
	for path, form := range map[string]url.Values{
		"/vi/teams/assist/account": {"username": {"qua.han"}},
		"/vi/teams/assist/reset":   {"login": {"nguoi.quen"}, "reason": {"quên mật khẩu"}},
	} {
		if to := location(t, hv.post(path, form)); !strings.HasPrefix(to, "/vi/reauth?return=") {
			t.Errorf("POST %s with a stale sign-in went to %q, want the password again", path, to)
		}
	}
	if to := location(t, hv.get("/vi/teams/assist")); !strings.HasPrefix(to, "/vi/reauth?return=") {
		t.Errorf("the page with a stale sign-in went to %q", to)
	}
	if n := countRows(t, db, "password_tokens", "1 = 1"); n != 0 {
		t.Errorf("%d codes issued", n)
	}
	if n := countRows(t, db, "users", "username IN ('tu.trang.khac', 'qua.han')"); n != 0 {
		t.Errorf("%d accounts opened", n)
	}
}
