package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/content"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// executed is how many pages the server's templates have executed.
func (ts *testServer) executed() int64 { return ts.srv.views.executed.Load() }

// mustKept fails unless res is a kept page: an ETag, and a policy that
// allows the portal's own script instead of a nonce.
func (res *response) mustKept(t *testing.T) *response {
	t.Helper()
	if res.Header.Get("ETag") == "" {
		t.Errorf("GET %s: no ETag on a page that should be kept", res.Request.URL.Path)
	}
	csp := res.Header.Get("Content-Security-Policy")
	if strings.Contains(csp, "nonce") || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") {
		t.Errorf("GET %s: policy %q, want script-src 'self' without a nonce", res.Request.URL.Path, csp)
	}
	if strings.Contains(res.Body, "nonce=") {
		t.Errorf("GET %s: a kept page carries a nonce", res.Request.URL.Path)
	}
	return res
}

func TestPageCacheRendersOnce(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	lesson := "/vi/lessons/" + ts.srv.lessons.lib.Lessons[0].Slug
	path := "/en/paths/" + ts.srv.lessons.lib.Paths[0].Slug
	for _, p := range []string{"/vi/", "/en/", "/vi/lessons", lesson, path, "/vi/payments", "/en/privacy", "/vi/contact",
		"/vi/indicators/SMARTPHONE", "/en/indicators/progress"} {
		first := ts.newVisitor().get(p).mustStatus(t, 200).mustKept(t)
		before := ts.executed()
		second := ts.newVisitor().get(p).mustStatus(t, 200).mustKept(t)
		if got := ts.executed() - before; got != 0 {
			t.Errorf("GET %s again: %d templates executed, want 0", p, got)
		}
		if second.Body != first.Body || second.Header.Get("ETag") != first.Header.Get("ETag") {
			t.Errorf("GET %s again: another page or ETag (%s, %s)", p, first.Header.Get("ETag"), second.Header.Get("ETag"))
		}
		// A browser that holds the page asks whether it changed.
		res := ts.newVisitor().get(p, "If-None-Match", first.Header.Get("ETag")).mustStatus(t, http.StatusNotModified)
		if res.Body != "" || res.Header.Get("ETag") != first.Header.Get("ETag") {
			t.Errorf("GET %s with its ETag: body %d bytes, ETag %q", p, len(res.Body), res.Header.Get("ETag"))
		}
		ts.newVisitor().get(p, "If-None-Match", `"other"`).mustStatus(t, 200)
		if got := ts.executed() - before; got != 0 {
			t.Errorf("GET %s conditionally: %d templates executed, want 0", p, got)
		}
	}
	// The language cookie that sends "/" back to the page's language is
	// still set when the page comes from memory.
	v := ts.newVisitor()
	v.get("/en/lessons").mustStatus(t, 200)
	v.get("/").mustStatus(t, http.StatusSeeOther)
	if res := v.get("/"); res.Header.Get("Location") != "/en/" {
		t.Errorf("/ after a kept English page goes to %q, want /en/", res.Header.Get("Location"))
	}
}

func TestPageCacheVariants(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	lesson := "/en/lessons/" + ts.srv.lessons.lib.Lessons[0].Slug
	normal := ts.newVisitor().get(lesson).mustStatus(t, 200).mustKept(t)
	before := ts.executed()
	large := ts.newVisitor().get(lesson, "Cookie", "text_size=large").mustStatus(t, 200).mustKept(t)
	ts.newVisitor().get(lesson, "Cookie", "text_size=large").mustStatus(t, 200)
	if got := ts.executed() - before; got != 1 {
		t.Errorf("large text twice: %d templates executed, want 1 (its own variant, once)", got)
	}
	if !strings.Contains(large.Body, `class="large-text"`) || strings.Contains(normal.Body, `class="large-text"`) || large.Header.Get("ETag") == normal.Header.Get("ETag") {
		t.Error("the large-text page is not its own variant")
	}
	// The same page in the other language is another page.
	if vi := ts.newVisitor().get(strings.Replace(lesson, "/en/", "/vi/", 1)).mustStatus(t, 200); !strings.Contains(vi.Body, `lang="vi"`) {
		t.Error("the Vietnamese lesson came back in another language")
	}

	// Anything in the query string may change the page: made each time.
	before = ts.executed()
	for range 2 {
		if res := ts.newVisitor().get("/en/lessons?topic=x").mustStatus(t, 200); res.Header.Get("ETag") != "" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "nonce-") {
			t.Error("a page with a query string was served kept")
		}
	}
	if got := ts.executed() - before; got != 2 {
		t.Errorf("two pages with a query string: %d templates executed, want 2", got)
	}

	// gzip for a client that takes it, with its own ETag; identity for
	// one that does not.
	req, _ := http.NewRequest(http.MethodGet, ts.http.URL+lesson, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatalf("gzipped lesson: %v (Content-Encoding %q)", err, res.Header.Get("Content-Encoding"))
	}
	unzipped, _ := io.ReadAll(zr)
	if string(unzipped) != normal.Body || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzipped lesson: %d bytes unzipped, want %d", len(unzipped), len(normal.Body))
	}
	if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Encoding") {
		t.Errorf("Vary %q lacks Accept-Encoding", res.Header.Values("Vary"))
	}
	req.Header.Set("Accept-Encoding", "gzip;q=0")
	res2, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res2.Body)
	res2.Body.Close()
	if string(body) != normal.Body || res2.Header.Get("Content-Encoding") != "" || res2.Header.Get("ETag") == res.Header.Get("ETag") {
		t.Errorf("gzip refused: Content-Encoding %q, %d bytes, ETag %q as gzipped", res2.Header.Get("Content-Encoding"), len(body), res2.Header.Get("ETag"))
	}
	// HEAD: the headers, no body.
	hreq, _ := http.NewRequest(http.MethodHead, ts.http.URL+lesson, nil)
	hres, err := http.DefaultClient.Do(hreq)
	if err != nil {
		t.Fatal(err)
	}
	hres.Body.Close()
	if hres.StatusCode != 200 || hres.Header.Get("ETag") == "" {
		t.Errorf("HEAD %s: %d, ETag %q", lesson, hres.StatusCode, hres.Header.Get("ETag"))
	}
}

// A visitor with a session of their own, signed in or not, never gets a
// kept page: it may show their progress, their account or a flash.
func TestPageCacheNotForSessions(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	lesson := ts.srv.lessons.lib.Lessons[0]
	page := "/vi/lessons/" + lesson.Slug
	kept := ts.newVisitor().get(page).mustStatus(t, 200).mustKept(t)

	user := ts.newVisitor()
	user.signInAs(accounts.RoleResident, "")
	before := ts.executed()
	for range 2 {
		res := user.get(page).mustStatus(t, 200)
		if res.Header.Get("ETag") != "" || res.Body == kept.Body || !strings.Contains(res.Header.Get("Content-Security-Policy"), "nonce-") {
			t.Error("a signed-in visitor got the kept page")
		}
		res.mustContain(t, `href="/vi/account"`, "nonce=")
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("signed-in page: Cache-Control %q", res.Header.Get("Cache-Control"))
		}
	}
	if got := ts.executed() - before; got != 2 {
		t.Errorf("a signed-in visitor's two pages: %d templates executed, want 2", got)
	}
	// Even the kept page's ETag gets a signed-in visitor their own page.
	user.get(page, "If-None-Match", kept.Header.Get("ETag")).mustStatus(t, 200).mustContain(t, `href="/vi/account"`)

	// A visitor's progress lives in a session: once they pass the quiz,
	// they see it, and the next anonymous visitor still does not.
	learner := ts.newVisitor()
	form := map[string][]string{}
	for _, q := range lesson.In(i18n.VI).Quiz {
		form["answer-"+q.ID] = []string{q.Correct()}
	}
	learner.post(page, form).mustStatus(t, 200)
	mine := learner.get(page).mustStatus(t, 200)
	if mine.Header.Get("ETag") != "" || mine.Body == kept.Body {
		t.Error("a visitor with progress got the kept page")
	}
	if again := ts.newVisitor().get(page).mustStatus(t, 200).mustKept(t); again.Body != kept.Body {
		t.Error("one visitor's progress changed the page kept for everyone")
	}
}

// A kept lesson page still counts as a view.
func TestPageCacheCountsLessonViews(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	slug := ts.srv.lessons.lib.Lessons[0].Slug
	for range 3 {
		ts.newVisitor().get("/en/lessons/"+slug).mustStatus(t, 200)
	}
	if err := ts.srv.FlushCounters(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := lessonViews(t, db, slug); got != 3 {
		t.Errorf("three views, one rendered and two kept: %d counted, want 3", got)
	}
}

func lessonViews(t *testing.T, db bun.IDB, slug string) int64 {
	t.Helper()
	rows, err := content.UsageOfMonth(context.Background(), db, time.Now().In(i18n.Location()).Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range rows {
		if u.Key == slug {
			return u.Views
		}
	}
	return 0
}

// A public indicator page is kept for one version of the data: a change
// of what it shows (here a target, as an admin sets it) is seen at once,
// on both databases.
func TestPageCacheIndicatorDataVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		page := "/en/indicators/progress"
		first := ts.newVisitor().get(page).mustStatus(t, 200).mustKept(t)
		before := ts.executed()
		ts.newVisitor().get(page).mustStatus(t, 200)
		if got := ts.executed() - before; got != 0 {
			t.Fatalf("second GET: %d templates executed, want 0", got)
		}
		v1, err := indicators.DataVersion(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		err = indicators.SaveTarget(ctx, db, accounts.SystemActor("test"), indicators.TargetInput{
			Indicator: "SMARTPHONE", Year: 2030, Value: 97.5, SourceVI: "Thử nghiệm", SourceEN: "Test"})
		if err != nil {
			t.Fatal(err)
		}
		if v2, _ := indicators.DataVersion(ctx, db); v2 == v1 {
			t.Errorf("data version %q unchanged by a new target", v2)
		}
		after := ts.newVisitor().get(page).mustStatus(t, 200).mustKept(t)
		if after.Header.Get("ETag") == first.Header.Get("ETag") || !strings.Contains(after.Body, "97.5%") || strings.Contains(first.Body, "97.5%") {
			t.Errorf("the page after the target changed: ETag %s (was %s), shows 97.5%%: %v",
				after.Header.Get("ETag"), first.Header.Get("ETag"), strings.Contains(after.Body, "97.5%"))
		}
		ts.newVisitor().get(page, "If-None-Match", first.Header.Get("ETag")).mustStatus(t, 200)
	})
}

func TestPageCacheBound(t *testing.T) {
	c := newPageCache(3 * (1000 + 256 + 1))
	page := func(key string) *keptPage {
		return &keptPage{key: key, body: bytes.Repeat([]byte("x"), 600), gz: bytes.Repeat([]byte("z"), 400)}
	}
	for _, k := range []string{"a", "b", "c"} {
		c.put(page(k))
	}
	c.get("a") // used: b is now the least recent
	c.put(page("d"))
	if n, size := c.stats(); n != 3 || size > c.max {
		t.Errorf("after four pages: %d kept in %d bytes, want 3 within %d", n, size, c.max)
	}
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if got := c.get(k) != nil; got != want {
			t.Errorf("page %s kept: %v, want %v", k, got, want)
		}
	}
	if huge := (&keptPage{key: "h", body: make([]byte, c.max)}); true {
		c.put(huge)
		if c.get("h") != nil {
			t.Error("a page larger than the whole cache was kept")
		}
	}
	if n, _ := newPageCache(-1).stats(); n != 0 {
		t.Error("a disabled cache holds pages")
	}
}

func TestPageCacheOff(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.PageCacheBytes = -1 })
	before := ts.executed()
	for range 2 {
		if res := ts.newVisitor().get("/vi/lessons").mustStatus(t, 200); res.Header.Get("ETag") != "" {
			t.Error("a page was kept with the cache off")
		}
	}
	if got := ts.executed() - before; got != 2 {
		t.Errorf("cache off: %d templates executed, want 2", got)
	}
}

// FuzzEtagListed reads If-None-Match headers as a client may send them:
// never a panic, a tag listed anywhere (weak or strong) matches, and a
// header without it or "*" does not.
func FuzzEtagListed(f *testing.F) {
	for _, s := range []string{"", "*", `"a"`, `W/"a", "b"`, ",,,", `"a`, "W/W/\"a\"", strings.Repeat(`"x",`, 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		const tag = `"kept-tag"`
		got := etagListed(header, tag)
		listed := strings.Contains(header, tag) || strings.Contains(header, "*")
		if got && !listed {
			t.Errorf("%q matched %s", header, tag)
		}
		if !etagListed(header+", W/"+tag, tag) || !etagListed(tag+","+header, tag) {
			t.Errorf("%s listed beside %q did not match", tag, header)
		}
	})
}
