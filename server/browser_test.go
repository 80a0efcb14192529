package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// The page-weight budget of every page, in bytes transferred (headers
// included) with an empty cache, kB counted as DevTools counts them.
const (
	weightBudget = 50_000 // HTML + CSS + JavaScript + images
	scriptBudget = 10_000 // JavaScript alone
)

// screenshotDir holds a phone-width screenshot of every page after a run,
// and weights.txt with the figures; git ignores it.
const screenshotDir = "testdata/screenshots"

// pageCase is one page the browser checks visit.
type pageCase struct {
	name    string // the path without its leading slash, for the subtest
	pattern string // the route, for messages
	lang    i18n.Lang
	path    string
	status  int
	access  accounts.Action
	role    accounts.Role // when set, the role to sign in as instead of the least privileged
}

// pageCases lists every GET page of the route list in both languages, with
// its sample paths, and the not-found page.
func pageCases(s *Server) []pageCase {
	var out []pageCase
	for _, lang := range i18n.Langs() {
		for _, p := range s.Pages() {
			for _, path := range p.Paths {
				path = strings.ReplaceAll(path, "{lang}", string(lang))
				out = append(out, pageCase{pattern: p.Pattern, lang: lang, path: path, status: http.StatusOK, access: p.Access})
				for _, role := range p.AlsoAs {
					out = append(out, pageCase{pattern: p.Pattern, lang: lang, path: path, status: http.StatusOK, access: p.Access, role: role})
				}
			}
		}
		out = append(out, pageCase{pattern: "(no route)", lang: lang, path: "/" + string(lang) + "/no-such-page", status: http.StatusNotFound})
	}
	for i := range out {
		out[i].name = strings.TrimPrefix(out[i].path, "/")
		if out[i].role != "" {
			out[i].name += "/as-" + string(out[i].role)
		}
	}
	return out
}

// TestBrowserPages opens every page of the portal, in both languages, in
// headless Chromium over a database holding the demo data, and holds each to
// the quality gates of DESIGN.md §5: zero axe-core violations of WCAG 2.2
// AA, the right <html lang>, one <h1>, nothing wider than a 360-pixel
// phone, a header at most 120 px tall there and tap targets of at least
// 44×44 px (checkPhoneFrame), the weight budget, and — with JavaScript off — the page renders
// and each of its forms submits. It saves a phone-width screenshot of each
// page under testdata/screenshots.
func TestBrowserPages(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	lengthenNames(t, db, units[accounts.RoleCommuneOfficial])
	pc := &pageChecks{ts: newTestServer(t, db), units: units}
	cases := pageCases(pc.ts.srv)
	if len(cases) < 4 {
		t.Fatalf("only %d pages to check: the route list lost its pages", len(cases))
	}
	t.Run("page", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				pc.check(t, c)
			})
		}
	})
	pc.report.write(t)
}

// pageChecks holds what the checks of TestBrowserPages share.
type pageChecks struct {
	ts     *testServer
	units  map[accounts.Role]string // the unit an official of the role is scoped to
	report weightReport
}

// check checks one page in one tab: first with JavaScript on, the way most
// visitors see it, then with JavaScript off.
func (pc *pageChecks) check(t *testing.T, c pageCase) {
	tab := newTab(t, pc.visitor(t, c), atPhoneWidth)
	pc.withScripts(t, tab, c)
	tab.setScripts(false)
	pc.withoutScripts(t, tab, c)
}

// visitor returns a new visitor for the page: signed out, or for a
// protected page signed in as a user of the least privileged role that may
// see it. Each check has its own, since a form may end the session.
func (pc *pageChecks) visitor(t *testing.T, c pageCase) *testServer {
	t.Helper()
	v := pc.ts.newVisitor()
	v.t = t
	if c.access == "" {
		return v
	}
	role, ok := leastRoleFor(c.access)
	if !ok {
		t.Fatalf("no role may take %q", c.access)
	}
	if c.role != "" {
		role = c.role
	}
	v.signInAs(role, pc.units[role])
	return v
}

// leastRoleFor returns the least privileged role allowed act on an object
// of no unit, asking the one access decision of the portal.
func leastRoleFor(act accounts.Action) (accounts.Role, bool) {
	access := accounts.NewAccess(nil) // no unit is asked about, so no hierarchy is needed
	for _, r := range accounts.Roles() {
		if access.Allow(context.Background(), &accounts.User{Role: r}, act, accounts.Object{}) == nil {
			return r, true
		}
	}
	return "", false
}

// withScripts loads the page with JavaScript on and checks it, and the
// weight of its first load into an empty cache.
func (pc *pageChecks) withScripts(t *testing.T, tab *tab, c pageCase) {
	l := tab.open(c.path).mustStatus(t, c.status)
	checkFrame(t, tab, c, l)
	pc.report.add(c, l)
	if l.Weight() > weightBudget {
		t.Errorf("page weight %d bytes (HTML %d, CSS %d, JS %d, images %d), budget %d: paginate or trim", l.Weight(), l.HTML, l.CSS, l.JS, l.Image, weightBudget)
	}
	if l.JS > scriptBudget {
		t.Errorf("JavaScript %d bytes, budget %d", l.JS, scriptBudget)
	}
	if width, culprits := tab.overflow(); width > phoneWidth {
		t.Errorf("the page is %d px wide on a %d px phone; what sticks out:\n    %s", width, phoneWidth, strings.Join(culprits, "\n    "))
	}
	tab.screenshot(filepath.Join(screenshotDir, screenshotName(c)))
	checkPhoneFrame(t, tab)
	for _, e := range tab.consoleErrors() {
		if e.Source == "network" && e.URL == l.URL && c.status != http.StatusOK {
			continue // the page's own error status, as wanted
		}
		t.Errorf("browser console: %s", e)
	}
	tab.mustPassAxe()
}

// withoutScripts loads the page in a tab with JavaScript off, then submits
// each of its forms in turn, as it is filled when the page loads, by a
// mouse click on its submit button. A form may answer 400 with its errors,
// or send the visitor on; it must not be refused (403) or break (5xx), and
// the page it leads to must have its heading.
func (pc *pageChecks) withoutScripts(t *testing.T, tab *tab, c pageCase) {
	checkFrame(t, tab, c, tab.open(c.path).mustStatus(t, c.status))
	// Last form first: a form that removes something from a list moves
	// only the forms after it, which are done by then.
	forms := tab.count("form")
	for i := forms - 1; i >= 0; i-- {
		if i < forms-1 {
			if l := tab.open(c.path); len(l.Chain) != 1 || l.Status != c.status {
				// The form before ended the session (sign out): start anew.
				tab = newTab(t, pc.visitor(t, c), atPhoneWidth, withoutScripts)
				tab.open(c.path).mustStatus(t, c.status)
			}
			if n := tab.count("form"); n <= i {
				t.Logf("form %d not sent: a form sent before left %d on the page", i, n)
				continue
			}
		}
		l, err := tab.submitForm(i)
		if err != nil {
			t.Errorf("without JavaScript: %v", err)
			continue
		}
		for _, r := range l.Chain {
			if r.Status == http.StatusForbidden || r.Status >= 500 {
				t.Errorf("without JavaScript, form %d: %s answered %d (responses: %v)", i, r.URL, r.Status, l.Chain)
			}
		}
		if l.Left || l.Download {
			t.Logf("form %d: a download or another site: %v", i, l.Chain)
			continue
		}
		if n := tab.count("h1"); n != 1 {
			t.Errorf("without JavaScript, form %d led to %s (%d) with %d <h1> elements, want 1", i, l.URL, l.Status, n)
		}
		t.Logf("form %d: %v", i, l.Chain)
	}
}

// checkFrame checks what every page has: it answers at once (a redirect,
// say to the sign-in page, would hide the page), in its language, with one
// top-level heading.
func checkFrame(t *testing.T, tab *tab, c pageCase, l *pageLoad) {
	t.Helper()
	if len(l.Chain) != 1 {
		t.Errorf("redirected: %v", l.Chain)
	}
	if lang, _ := tab.attr("html", "lang"); lang != string(c.lang) {
		t.Errorf(`<html lang=%q>, want %q`, lang, c.lang)
	}
	if n := tab.count("h1"); n != 1 {
		t.Errorf("%d <h1> elements, want 1", n)
	}
}

var unsafeName = regexp.MustCompile(`[^a-z0-9-]+`)

// screenshotName turns "/vi/lessons/dich-vu-cong?q=a" into
// "vi_lessons_dich-vu-cong_q_a.png" and "/en/" into "en_home.png".
func screenshotName(c pageCase) string {
	rest := strings.TrimPrefix(c.path, "/"+string(c.lang))
	slug := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(rest), "_"), "_")
	if slug == "" {
		slug = "home"
	}
	if c.role != "" {
		slug += "_as_" + string(c.role)
	}
	return string(c.lang) + "_" + slug + ".png"
}

// weightReport collects the page weights of a run for weights.txt.
type weightReport struct {
	mu   sync.Mutex
	rows []string
}

func (r *weightReport) add(c pageCase, l *pageLoad) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows = append(r.rows, fmt.Sprintf("%-48s %3d %7d %6d %6d %6d %6d", c.name, l.Status, l.Weight(), l.HTML, l.CSS, l.JS, l.Image))
}

// write logs the figures and saves them beside the screenshots.
func (r *weightReport) write(t *testing.T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.Sort(r.rows)
	head := fmt.Sprintf("%-48s %3s %7s %6s %6s %6s %6s\n", "page", "st", "total", "html", "css", "js", "img")
	table := head + strings.Join(r.rows, "\n") + "\n"
	t.Logf("bytes transferred per page (budget %d total, %d JS):\n%s", weightBudget, scriptBudget, table)
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, "weights.txt"), []byte(table), 0o644); err != nil {
		t.Error(err)
	}
}

// seedDemo fills db with the demo data of every part, so that the sample
// paths of the route list exist.
func seedDemo(t *testing.T, db *bun.DB) {
	t.Helper()
	for _, seed := range DemoSeeds() {
		if err := seed.Run(context.Background(), db); err != nil {
			t.Fatalf("demo seed %s: %v", seed.Part, err)
		}
	}
}

// lengthenNames gives the demo data the long, unbroken outside strings real
// data has (the signed-in accounts' e-mail addresses are long already): a
// commune, the one the commune official works in, and the holder of the demo
// certificate get names with no space to break at, so every page that shows
// them must wrap them to fit a phone.
func lengthenNames(t *testing.T, db *bun.DB, commune string) {
	t.Helper()
	ctx := context.Background()
	const vi, en = "XãThửNghiệmCóTênRấtDàiMàKhôngCóMộtKhoảngTrắngNàoĐểXuốngDòng", "CommuneWithAVeryLongNameThatHasNoSpaceAnywhereToBreakTheLine"
	for what, q := range map[string]*bun.UpdateQuery{
		"commune " + commune: db.NewUpdate().Table("org_units").Set("name = ?, name_en = ?", vi, en).Where("code = ?", commune),
		"certificate holder": db.NewUpdate().Table("lesson_certificates").Set("holder_name = ?", "NguyễnThịThanhHươngCóMộtTênRấtDàiKhôngKhoảngTrắng").Where("1 = 1"),
	} {
		res, err := q.Exec(ctx)
		if err != nil {
			t.Fatalf("rename the %s: %v", what, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("rename the %s: no row", what)
		}
	}
}

// demoUnits picks the units that officials are scoped to when they sign
// in for the checks: the demo province and its first commune.
func demoUnits(t *testing.T, db *bun.DB) map[accounts.Role]string {
	t.Helper()
	ctx := context.Background()
	home, err := indicators.HomeUnit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	units := map[accounts.Role]string{accounts.RoleProvinceOfficial: home, accounts.RoleCommuneOfficial: home}
	communes, err := indicators.Children(ctx, db, home, indicators.Today(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(communes) > 0 {
		units[accounts.RoleCommuneOfficial] = communes[0].Code
	}
	units[accounts.RoleHelper] = units[accounts.RoleCommuneOfficial]
	return units
}

// TestBrowserLargeTextWithoutScripts chooses large text with JavaScript
// off, by mouse, and checks that the page it returns to is large and still
// passes the checks at phone width.
func TestBrowserLargeTextWithoutScripts(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	tab := newTab(t, ts, atPhoneWidth, withoutScripts)
	tab.open("/vi/settings/text-size?return=%2Fvi%2F").mustStatus(t, http.StatusOK)
	tab.click("#size-large")
	l := tab.submit(0).mustStatus(t, http.StatusOK)
	if want := ts.http.URL + "/vi/"; l.URL != want {
		t.Errorf("ended at %s, want %s", l.URL, want)
	}
	if class, _ := tab.attr("html", "class"); class != "large-text" {
		t.Errorf(`<html class=%q>, want "large-text"`, class)
	}
	if w, culprits := tab.overflow(); w > phoneWidth {
		t.Errorf("large text at phone width: page %d px wide because of %q", w, culprits)
	}
	tab.screenshot(filepath.Join(screenshotDir, "vi_home_large-text.png"))
	tab.mustPassAxe()
}
