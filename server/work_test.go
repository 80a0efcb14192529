package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// workClock is the day the workspace tests run on: March 2031 is due then
// (its window closed on the 14th) and the demo has no report for it.
func workClock() time.Time { return time.Date(2031, 3, 20, 10, 0, 0, 0, i18n.Location()) }

// TestWorkspaceByRole: each role finds what needs doing now on its
// workspace — the commune its month due with its due date, the state and
// the province's comment, and the months before; the province the reports
// waiting by month, the units late and the reports returned; the admin the
// administration — and exactly the official pages its role may open.
func TestWorkspaceByRole(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	ts.srv.indicators.now = workClock
	ctx := context.Background()
	l := ts.srv.bundle.Localizer(i18n.VI)
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	due := indicators.DueMonth(workClock())
	if due.String() != "2031-03" {
		t.Fatalf("due month %s, want 2031-03", due)
	}
	units, err := indicators.ReportingUnits(ctx, db, home, due, 1000)
	if err != nil || len(units) < 3 {
		t.Fatalf("%d reporting units, %v", len(units), err)
	}
	c1, c2 := units[0], units[1]

	commune := ts.newVisitor()
	commune.signInAs(accounts.RoleCommuneOfficial, c1.Code)
	from, to := due.ReportingWindow()
	page := commune.get("/vi/work").mustStatus(t, http.StatusOK)
	page.mustContain(t,
		html.EscapeString(l.T("workspace.due", "From", l.Date(from), "To", l.Date(to), "DueBy", "14/04/2031")),
		`href="/vi/reports/entry?unit=`+c1.Code+`&amp;period=2031-03"`, l.T("indicators.status.draft"),
		`href="/vi/reports/entry?unit=`+c1.Code+`&amp;period=2031-02"`, // the month before
		`href="/vi/reports/entry"`, `href="/vi/reports/import"`, `href="/vi/reports/dashboard"`, `href="/vi/reports/review"`,
		`href="/vi/reports/lessons"`, `href="/vi/account/assisted-reset"`)
	for _, not := range []string{`href="/vi/admin/`, `href="/vi/reports/payments"`, `href="/vi/reports/assessments"`, l.T("workspace.waiting.heading")} {
		if strings.Contains(page.Body, not) {
			t.Errorf("a commune official's workspace shows %s", not)
		}
	}

	// The commune sends March; the province returns it with a comment. A
	// second commune sends February and March.
	ids := map[string]int64{}
	els, err := indicators.Elements(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range els {
		ids[e.Code] = e.ID
	}
	vals := indicators.Values{ids[indicators.ElemHouseholds]: 1000, ids[indicators.ElemFibreHouseholds]: 800, ids[indicators.ElemPop15]: 2700,
		ids[indicators.ElemSmartphone]: 2200, ids[indicators.ElemAccount]: 2000, ids[indicators.ElemSignature]: 900,
		ids[indicators.ElemVNeID]: 1800, ids[indicators.ElemWorkingAge]: 2100, ids[indicators.ElemTrained]: 1300}
	who := accounts.Actor{UserID: 1, Email: "xa@example.test"}
	rep, err := indicators.Submit(ctx, db, who, &c1, due, vals)
	if err != nil {
		t.Fatal(err)
	}
	const comment = "Số hộ có cáp quang <chưa> khớp"
	if _, err := indicators.Return(ctx, db, who, rep.ID, comment); err != nil {
		t.Fatal(err)
	}
	for _, m := range []indicators.Period{due.Prev(), due} {
		if _, err := indicators.Submit(ctx, db, who, &c2, m, vals); err != nil {
			t.Fatal(err)
		}
	}
	commune.get("/vi/work").mustStatus(t, http.StatusOK).mustContain(t, l.T("indicators.status.returned"),
		html.EscapeString(l.T("workspace.comment", "Comment", comment)))

	province := ts.newVisitor()
	province.signInAs(accounts.RoleProvinceOfficial, home)
	page = province.get("/vi/work").mustStatus(t, http.StatusOK)
	page.mustContain(t,
		`href="/vi/reports/review?status=submitted&amp;period=2031-03"`, `href="/vi/reports/review/approve-all?period=2031-03"`,
		`href="/vi/reports/review?status=submitted&amp;period=2031-02"`,
		// February: every unit but the second is late, due on 14 March.
		html.EscapeString(l.N("workspace.late.some", len(units)-1, "Month", indPeriodLabel(l, due.Prev()), "DueBy", "14/03/2031")),
		c1.Name, `href="/vi/reports/review/`+strconv.FormatInt(rep.ID, 10)+`"`, html.EscapeString(comment),
		`href="/vi/reports/payments"`, `href="/vi/reports/assessments"`, `href="/vi/reports/dashboard"`)
	for _, not := range []string{`href="/vi/admin/`, `href="/vi/reports/entry"`} {
		if strings.Contains(page.Body, not) {
			t.Errorf("a province official's workspace shows %s", not)
		}
	}
	// The March row counts only the second commune: the first was returned.
	if i := strings.Index(page.Body, `period=2031-03"`); i < 0 || !strings.Contains(page.Body[i:min(i+200, len(page.Body))], `<td class="num">1</td>`) {
		t.Errorf("March's waiting count is not 1:\n%s", page.Body[max(i, 0):min(max(i, 0)+200, len(page.Body))])
	}

	// An official of a unit the table does not hold is told so and shown
	// no other unit's work.
	lost := ts.newVisitor()
	lost.signInAs(accounts.RoleProvinceOfficial, "99")
	page = lost.get("/vi/work").mustStatus(t, http.StatusOK).mustContain(t, l.T("workspace.no_unit"))
	if strings.Contains(page.Body, l.T("workspace.waiting.heading")) {
		t.Error("an official without a unit sees reports waiting")
	}

	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	admin.get("/vi/work").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/admin/users"`, `href="/vi/admin/units"`,
		`href="/vi/admin/definitions"`, `href="/vi/admin/settings"`, `href="/vi/admin/audit"`, `href="/vi/reports/review"`,
		`href="/vi/reports/payments"`, `href="/vi/reports/assessments"`, `href="/vi/reports/lessons"`, `href="/vi/reports/dashboard"`)

	// The old start page sends its links on.
	if to := location(t, province.get("/en/reports")); to != "/en/work" {
		t.Errorf("/en/reports sends to %q, want /en/work", to)
	}
}

// TestWorkspaceInNavigation: officials and admins have the workspace in
// the main navigation and on their account page; residents see neither
// and may not open it.
func TestWorkspaceInNavigation(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	home, err := indicators.HomeUnit(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	const link = `<li><a href="/vi/work"`
	for _, role := range []accounts.Role{accounts.RoleCommuneOfficial, accounts.RoleProvinceOfficial, accounts.RoleAdmin} {
		v := ts.newVisitor()
		v.signInAs(role, map[bool]string{true: home}[role.Official()])
		v.get("/vi/").mustStatus(t, http.StatusOK).mustContain(t, link)
		v.get("/vi/account").mustStatus(t, http.StatusOK).mustContain(t, `href="/vi/work"`)
		v.get("/vi/work").mustStatus(t, http.StatusOK).mustContain(t, `<a href="/vi/work" aria-current="page"`)
	}
	for _, role := range []accounts.Role{"", accounts.RoleResident, accounts.RoleBusiness} {
		v := ts.newVisitor()
		if role != "" {
			v.signInAs(role, "")
		}
		for _, path := range []string{"/vi/", "/vi/lessons", "/en/"} {
			if body := v.get(path).mustStatus(t, http.StatusOK).Body; strings.Contains(body, "/work\"") {
				t.Errorf("%q sees a link to the workspace on %s", role, path)
			}
		}
		if role != "" {
			v.get("/vi/account").mustStatus(t, http.StatusOK)
			v.get("/vi/work").mustStatus(t, http.StatusForbidden)
		}
	}
}

// TestSignInLandsOnWorkspace: an official or admin who signs in without a
// return address lands on the workspace; a resident on the home page as
// before; anyone with a return address on this site goes there, whether
// signing in or already signed in, and an address elsewhere is ignored.
func TestSignInLandsOnWorkspace(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	home, err := indicators.HomeUnit(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	signIn := func(u *accounts.User, ret string) (*testServer, string) {
		t.Helper()
		v := ts.newVisitor()
		form := url.Values{"email": {u.Email}, "password": {testPassword}}
		if ret != "" {
			v.get("/vi/login?return="+url.QueryEscape(ret)).mustStatus(t, http.StatusOK)
			form.Set("return", ret)
		}
		to := location(t, v.post("/vi/login", form))
		if to == "/vi/login/code" {
			to = location(t, v.post("/vi/login/code", url.Values{"code": {ts.totpCode(u.Email)}}))
		}
		return v, to
	}
	for _, c := range []struct {
		role accounts.Role
		unit string
		want string
	}{
		{accounts.RoleCommuneOfficial, home, "/vi/work"},
		{accounts.RoleProvinceOfficial, home, "/vi/work"},
		{accounts.RoleAdmin, "", "/vi/work"},
		{accounts.RoleResident, "", "/vi/"},
	} {
		u := ts.newVisitor().signInAs(c.role, c.unit)
		v, to := signIn(u, "")
		if to != c.want {
			t.Errorf("%s signed in and went to %q, want %q", c.role, to, c.want)
		}
		if _, to := signIn(u, "/vi/reports/dashboard?from=2026-01"); to != "/vi/reports/dashboard?from=2026-01" {
			t.Errorf("%s signed in with a return address and went to %q", c.role, to)
		}
		// Signed in already, "sign in" goes on to the return address.
		if to := location(t, v.get("/vi/login?return="+url.QueryEscape("/vi/lessons"))); to != "/vi/lessons" {
			t.Errorf("%s, signed in, following sign-in went to %q, want /vi/lessons", c.role, to)
		}
		want := c.want
		if c.role == accounts.RoleResident {
			want = "/vi/account"
		}
		for _, ret := range []string{"", "//evil.example/vi/", "https://evil.example/vi/", "/en/lessons"} {
			if to := location(t, v.get("/vi/login?return="+url.QueryEscape(ret))); to != want {
				t.Errorf("%s, signed in, following sign-in with return %q went to %q, want %q", c.role, ret, to, want)
			}
		}
	}
}

// TestWorkspaceLinksEveryOfficialPage: every official page that needs no
// example (a report, a unit) is one click from the workspace of each role
// that may open it, and from no other role's, so a page added to the route
// list later is not forgotten.
func TestWorkspaceLinksEveryOfficialPage(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	home, err := indicators.HomeUnit(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	access := accounts.NewAccess(nil)
	checked := 0
	for _, role := range []accounts.Role{accounts.RoleCommuneOfficial, accounts.RoleProvinceOfficial, accounts.RoleAdmin} {
		v := ts.newVisitor()
		v.signInAs(role, map[bool]string{true: home}[role.Official()])
		body := v.get("/en/work").mustStatus(t, http.StatusOK).Body
		for _, rt := range ts.srv.routes {
			method, path, _ := strings.Cut(rt.pattern, " ")
			page := strings.TrimPrefix(path, "/{lang}")
			official := strings.HasPrefix(page, "/reports") || strings.HasPrefix(page, "/admin") || rt.access == accounts.ActAssistedReset || strings.HasPrefix(page, "/teams")
			if method != http.MethodGet || !official || rt.moved || len(rt.samples) > 0 || strings.Contains(page, "{") || page == path {
				continue
			}
			allowed := access.Allow(context.Background(), &accounts.User{Role: role}, rt.access, accounts.Object{}) == nil
			if linked := strings.Contains(body, `href="/en`+page+`"`); linked != allowed {
				t.Errorf("%s: the workspace links %s: %v; the role may open it: %v", role, page, linked, allowed)
			}
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("only %d official pages checked over three roles: the route list lost them", checked)
	}
}
