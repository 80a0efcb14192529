package server

import (
	"compress/gzip"
	"context"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// TestSessionsOnlyWhereUsed: a signed-in visitor's requests for assets,
// lesson pictures, the API, health checks and metrics neither read nor
// write the session (no
// Set-Cookie, which every request with a loaded session gets as its idle
// expiry moves on) and assets never vary by cookie, while a page does both.
func TestSessionsOnlyWhereUsed(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.signInAs(accounts.RoleResident, "")
	page := ts.get("/vi/lessons").mustStatus(t, 200)
	if len(page.Header.Values("Set-Cookie")) == 0 || !strings.Contains(strings.Join(page.Header.Values("Vary"), ","), "Cookie") {
		t.Fatalf("a signed-in page: Set-Cookie %q, Vary %q; want the session's cookie and Vary: Cookie",
			page.Header.Values("Set-Cookie"), page.Header.Values("Vary"))
	}
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(page.Body)
	if css == nil {
		t.Fatal("no stylesheet on the page")
	}
	lesson := ts.get("/vi/lessons/"+ts.srv.lessons.lib.Lessons[0].Slug).mustStatus(t, 200)
	media := regexp.MustCompile(`src="(/media/lessons/[^"]+)"`).FindStringSubmatch(lesson.Body)
	if media == nil {
		t.Fatal("no lesson picture on the lesson page")
	}
	for _, path := range []string{css[1], media[1], "/api/v1/indicators", "/livez", "/readyz", "/metrics", "/static/app.00000000.css"} {
		res := ts.get(path)
		if res.StatusCode >= 500 {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
		if c := res.Header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s: Set-Cookie %q: the session was loaded and saved", path, c)
		}
		if v := strings.Join(res.Header.Values("Vary"), ","); strings.Contains(v, "Cookie") {
			t.Errorf("%s: Vary %q", path, v)
		}
	}
}

// TestLessonViewsCountedOffTheRequest: a lesson view writes nothing while
// it is answered (the counts wait in memory), and the usage page, which
// writes what its instance has counted first, shows every view at once.
func TestLessonViewsCountedOffTheRequest(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	lesson := ts.srv.lessons.lib.Lessons[0]
	for range 3 {
		ts.get("/vi/lessons/"+lesson.Slug).mustStatus(t, 200)
	}
	var rows int
	if err := ts.db.NewRaw("SELECT COUNT(*) FROM lesson_usage").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || ts.srv.lessons.views.Pending() != 3 {
		t.Fatalf("after 3 views: %d rows written, %d views pending; want 0 and 3", rows, ts.srv.lessons.views.Pending())
	}
	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "79")
	official.get("/vi/reports/lessons").mustStatus(t, 200).
		mustContain(t, `<th scope="row">`+template.HTMLEscapeString(lesson.In(i18n.VI).Title)+`</th><td class="num">3</td>`)
}

// TestAnswersCompressedWhenAccepted: pages go out gzipped to a client
// that takes gzip and plain, with their length, to one that does not; the
// stylesheet goes out precompressed (brotli first) and never varies by
// cookie.
func TestAnswersCompressedWhenAccepted(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.signInAs(accounts.RoleResident, "")
	lesson := "/vi/lessons/" + ts.srv.lessons.lib.Lessons[0].Slug
	plain := ts.get(lesson, "Accept-Encoding", "identity").mustStatus(t, 200)
	if plain.Header.Get("Content-Encoding") != "" || plain.Header.Get("Content-Length") != strconv.Itoa(len(plain.Body)) {
		t.Errorf("plain page: Content-Encoding %q, Content-Length %q for %d bytes",
			plain.Header.Get("Content-Encoding"), plain.Header.Get("Content-Length"), len(plain.Body))
	}
	for _, ae := range []string{"gzip", "gzip, deflate, br, zstd", "br;q=1, gzip;q=0.5"} {
		res := ts.get(lesson, "Accept-Encoding", ae).mustStatus(t, 200)
		if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, Vary %q", ae, res.Header.Get("Content-Encoding"), res.Header.Values("Vary"))
			continue
		}
		zr, err := gzip.NewReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), "</html>") || len(res.Body) > len(page)/2 {
			t.Errorf("Accept-Encoding %q: %d bytes for a page of %d", ae, len(res.Body), len(page))
		}
	}
	if res := ts.get(lesson, "Accept-Encoding", "gzip;q=0, br"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip refused: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(plain.Body)[1]
	for ae, want := range map[string]string{"identity": "", "gzip": "gzip", "gzip, br": "br"} {
		res := ts.get(css, "Accept-Encoding", ae).mustStatus(t, 200)
		vary := strings.Join(res.Header.Values("Vary"), ",")
		if res.Header.Get("Content-Encoding") != want || vary != "Accept-Encoding" ||
			res.Header.Get("Content-Length") != strconv.Itoa(len(res.Body)) || res.Header.Get("ETag") == "" {
			t.Errorf("stylesheet for %q: Content-Encoding %q (want %q), Vary %q, Content-Length %q for %d bytes, ETag %q", ae,
				res.Header.Get("Content-Encoding"), want, vary, res.Header.Get("Content-Length"), len(res.Body), res.Header.Get("ETag"))
		}
	}
}

// TestCompressedETag: a compressed answer has an ETag of its own, and a
// client that sends it back gets 304 from a handler that knows only the
// plain body's ETag.
func TestCompressedETag(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	body := strings.Repeat("<p>Chuyển đổi số</p>\n", 200)
	h := ts.srv.compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(body))
	}))
	get := func(header ...string) *http.Response {
		r := httptest.NewRequest(http.MethodGet, "/vi/", nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
	gz := get("Accept-Encoding", "gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") != `"v1-gzip"` {
		t.Fatalf("compressed: Content-Encoding %q, ETag %q", gz.Header.Get("Content-Encoding"), gz.Header.Get("ETag"))
	}
	if res := get("Accept-Encoding", "gzip", "If-None-Match", `"v1-gzip"`); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the compressed ETag: %d, want 304", res.StatusCode)
	}
	if res := get("If-None-Match", `"v1"`); res.StatusCode != http.StatusNotModified || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("If-None-Match with the plain ETag: %d %q, want 304 plain", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if res := get("Accept-Encoding", "gzip", "If-None-Match", `"v0-gzip"`); res.StatusCode != http.StatusOK {
		t.Errorf("an old ETag: %d, want 200", res.StatusCode)
	}
}

// TestSettingsKeptAndForgottenOnSave: which roles must use a second factor
// is read once per settingsTTL, not on every guarded request: a change
// made elsewhere (another instance, straight in the database) shows within
// the TTL, while a save on the settings page takes effect here at once.
func TestSettingsKeptAndForgottenOnSave(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	admin := ts.newVisitor()
	adminUser := admin.signInAs(accounts.RoleAdmin, "")
	admin.post("/vi/admin/settings", url.Values{}).mustStatus(t, http.StatusSeeOther) // nobody must
	o := ts.newVisitor()
	o.signInWithoutSecondFactor(accounts.RoleCommuneOfficial, "26734")
	o.get("/vi/account").mustStatus(t, http.StatusOK)
	// Changed elsewhere: this instance keeps what it read for now.
	if err := accounts.SetTOTPRequired(context.Background(), db, accounts.UserActor(adminUser, "127.0.0.1"),
		[]accounts.Role{accounts.RoleCommuneOfficial}); err != nil {
		t.Fatal(err)
	}
	o.get("/vi/account").mustStatus(t, http.StatusOK)
	// Saved here: at once.
	admin.post("/vi/admin/settings", url.Values{"totp_commune_official": {"yes"}}).mustStatus(t, http.StatusSeeOther)
	if to := o.get("/vi/account").mustStatus(t, http.StatusSeeOther).Header.Get("Location"); to != "/vi/account/2fa" {
		t.Errorf("after the save the official went to %q, want the enrolment page", to)
	}
}

// TestSecretPagesNotCompressed: the second factor's enrolment shows the
// same key on every load and reflects the request's query in its links; it
// goes out uncompressed whatever the client takes, so its length says
// nothing about the key (BREACH), while the account page beside it is
// compressed as usual.
func TestSecretPagesNotCompressed(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.signInAs(accounts.RoleResident, "")
	enrol := ts.get("/vi/account/2fa?x="+strings.Repeat("A", 2000), "Accept-Encoding", "gzip").mustStatus(t, 200)
	if enc := enrol.Header.Get("Content-Encoding"); enc != "" {
		t.Errorf("the enrolment page went out with Content-Encoding %q", enc)
	}
	if enc := ts.get("/vi/account", "Accept-Encoding", "gzip").mustStatus(t, 200).Header.Get("Content-Encoding"); enc != "gzip" {
		t.Errorf("the account page went out with Content-Encoding %q, want gzip", enc)
	}
}
