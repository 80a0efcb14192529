package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

func TestRootRedirect(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	tests := []struct {
		accept, cookie, want string
	}{
		{"", "", "/vi/"},
		{"en-GB,en;q=0.9", "", "/en/"},
		{"fr-FR", "", "/vi/"},
		{"en", "vi", "/vi/"},
		{"vi", "en", "/en/"},
	}
	for _, tt := range tests {
		h := []string{}
		if tt.accept != "" {
			h = append(h, "Accept-Language", tt.accept)
		}
		if tt.cookie != "" {
			h = append(h, "Cookie", "lang="+tt.cookie)
		}
		res := ts.newVisitor().get("/", h...)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.want {
			t.Errorf("GET / Accept-Language %q cookie %q: %d %s, want 303 %s", tt.accept, tt.cookie, res.StatusCode, res.Header.Get("Location"), tt.want)
		}
	}
	// Visiting a language remembers it for "/".
	v := ts.newVisitor()
	v.get("/en/").mustStatus(t, 200)
	if loc := v.get("/", "Accept-Language", "vi").Header.Get("Location"); loc != "/en/" {
		t.Errorf("after visiting /en/, / redirects to %s", loc)
	}
}

func TestHomeBothLanguages(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	vi := ts.get("/vi/").mustStatus(t, 200)
	vi.mustContain(t, `<html lang="vi"`, "Bài học kỹ năng số", "Doanh nghiệp tự đánh giá", "Tập nộp phí trực tuyến", "Chỉ số chuyển đổi số",
		`hreflang="en" href="`+ts.http.URL+`/en/"`, `<a href="/vi/" lang="vi" hreflang="vi" aria-current="true">Tiếng Việt</a>`)
	en := ts.get("/en/").mustStatus(t, 200)
	en.mustContain(t, `<html lang="en"`, "Digital-skills lessons", "Business self-assessment", `<a href="/en/" lang="en" hreflang="en" aria-current="true">English</a>`)
	// The switcher keeps the page and its query.
	ts.get("/en/settings/text-size?return=%2Fen%2F").mustStatus(t, 200).
		mustContain(t, `href="/vi/settings/text-size?return=%2Fen%2F"`, `<link rel="alternate" hreflang="vi" href="`+ts.http.URL+`/vi/settings/text-size?return=%2Fen%2F">`)
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	// A page made for each request (a kept page has no nonce, see
	// TestPageCacheRendersOnce).
	a, b := ts.get("/vi/settings/text-size"), ts.get("/vi/settings/text-size")
	csp := a.Header.Get("Content-Security-Policy")
	m := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(csp)
	if m == nil {
		t.Fatalf("CSP %q has no script nonce", csp)
	}
	if !strings.Contains(a.Body, `nonce="`+m[1]+`"`) {
		t.Error("the page's script does not carry the CSP nonce")
	}
	if strings.Contains(b.Header.Get("Content-Security-Policy"), m[1]) {
		t.Error("two requests got the same nonce")
	}
	if strings.Count(a.Body, "<script") != strings.Count(a.Body, "nonce=") {
		t.Error("a script without a nonce")
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := a.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	for _, part := range []string{"frame-ancestors 'none'", "default-src 'none'", "style-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP lacks %q", part)
		}
	}
	if a.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
	// Over HTTPS: HSTS and the __Host- session cookie.
	secure := newTestServer(t, dbtest.SQLite(t), func(d *Deps) {
		d.Config.BaseURL, _ = url.Parse("https://portal.example.vn")
	})
	res := httptest.NewRecorder()
	secure.srv.ServeHTTP(res, httptest.NewRequest("GET", "/vi/login", nil))
	if !strings.HasPrefix(res.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS when the base URL is HTTPS")
	}
	if secure.srv.sessions.Cookie.Name != "__Host-session" || !secure.srv.sessions.Cookie.Secure {
		t.Errorf("session cookie over HTTPS: %s secure=%v", secure.srv.sessions.Cookie.Name, secure.srv.sessions.Cookie.Secure)
	}
	if !ts.srv.sessions.Cookie.HttpOnly || ts.srv.sessions.Cookie.SameSite != http.SameSiteLaxMode {
		t.Error("session cookie is not HttpOnly and SameSite=Lax")
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	body := strings.NewReader("size=large")
	req, _ := http.NewRequest("POST", ts.http.URL+"/en/settings/text-size", body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res := ts.do(req)
	res.mustStatus(t, http.StatusForbidden).mustContain(t, `<html lang="en"`, "sent from another site")
	if strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), ";"), "text_size=large") {
		t.Error("the refused request changed the setting")
	}
	// The same form from the same origin works.
	ts.post("/en/settings/text-size", url.Values{"size": {"large"}, "return": {"/en/"}}).mustStatus(t, 303)
	ts.get("/en/").mustContain(t, `class="large-text"`)
}

func TestBodyLimit(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.MaxBodyBytes = 2048 })
	big := url.Values{"size": {"large"}, "padding": {strings.Repeat("x", 4096)}}
	ts.post("/vi/settings/text-size", big).mustStatus(t, http.StatusRequestEntityTooLarge).mustContain(t, "Dữ liệu gửi lên quá lớn")
	// A body that lies about its length is cut off while being read.
	req, _ := http.NewRequest("POST", ts.http.URL+"/vi/settings/text-size", strings.NewReader(big.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.ContentLength = -1
	ts.do(req).mustStatus(t, http.StatusRequestEntityTooLarge)
}

func TestErrorPagesLocalizedWithoutInternals(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.get("/en/no-such-page").mustStatus(t, 404).mustContain(t, `<html lang="en"`, "Page not found")
	ts.get("/vi/khong-co").mustStatus(t, 404).mustContain(t, `<html lang="vi"`, "Không tìm thấy trang")
	ts.get("/xx/").mustStatus(t, 404)
	ts.post("/vi/settings/text-size", url.Values{"size": {"huge"}}).mustStatus(t, 400).mustContain(t, "Yêu cầu không hợp lệ")

	// A panic and an unknown error become the localized 500 page, which
	// never shows the error's text.
	h := ts.srv.recoverPanics(ts.srv.securityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret internal detail")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/en/boom", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Something went wrong") || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("panic: %d %.200s", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	ts.srv.adapt(func(http.ResponseWriter, *http.Request) error {
		return context.DeadlineExceeded
	}).ServeHTTP(rec, httptest.NewRequest("GET", "/vi/slow", nil))
	if rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("deadline: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestRequestTimeout(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.RequestTimeout = 20 * time.Millisecond })
	var deadline bool
	h := ts.srv.timeout(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, deadline = r.Context().Deadline()
		<-r.Context().Done()
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !deadline {
		t.Error("the handler's context has no deadline")
	}
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	home := ts.get("/vi/").Body
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no hashed stylesheet URL on the page")
	}
	res := ts.get(css[1]).mustStatus(t, 200)
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("Cache-Control = %q", res.Header.Get("Cache-Control"))
	}
	if n := len(res.Body); n > 20*1024 {
		t.Errorf("app.css is %d bytes, over the 20 KB budget", n)
	}
	ts.get("/static/app.00000000.css").mustStatus(t, 404)
	if strings.Contains(home, "http://") && !strings.Contains(home, ts.http.URL) {
		t.Error("the page refers to an external resource")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	ts.get("/livez").mustStatus(t, 200)
	ts.get("/readyz").mustStatus(t, 200)
	ts.get("/vi/").mustStatus(t, 200)
	ts.get("/en/").mustStatus(t, 200)
	ts.get("/vi/no-such").mustStatus(t, 404)
	m := ts.get("/metrics").mustStatus(t, 200)
	m.mustContain(t, `portal_http_requests_total{code="200",method="GET",route="GET /{lang}/{$}"} 2`,
		`portal_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`portal_http_request_duration_seconds_bucket{route="GET /{lang}/{$}"`)
	if strings.Contains(m.Body, `route="/vi/no-such"`) {
		t.Error("metrics are labelled by raw path")
	}
	ts.srv.ready.Store(false)
	ts.get("/readyz").mustStatus(t, 503)
	ts.srv.ready.Store(true)
	db.Close()
	ts.get("/readyz").mustStatus(t, 503)
	ts.get("/livez").mustStatus(t, 200)
}

// TestConcurrentLanguages renders pages in both languages at once and
// checks that no request's language leaks into another's.
func TestConcurrentLanguages(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	var wg sync.WaitGroup
	errs := make(chan string, 200)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lang, want, not := "vi", "Bài học kỹ năng số", "Digital-skills lessons"
			if i%2 == 1 {
				lang, want, not = "en", not, want
			}
			res, err := ts.client.Get(ts.http.URL + "/" + lang + "/")
			if err != nil {
				errs <- err.Error()
				return
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			if err != nil {
				errs <- err.Error()
				return
			}
			body := string(b)
			if !strings.Contains(body, want) || strings.Contains(body, not) || !strings.Contains(body, `lang="`+lang+`"`) {
				errs <- lang + " page mixed languages"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestUploadLimit: a file import may be larger than a form, and no larger
// than the upload limit.
func TestUploadLimit(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) {
		d.Config.MaxBodyBytes, d.Config.MaxUploadBytes = 4096, 64<<10
	})
	admin := ts.newVisitor()
	admin.signInAs(accounts.RoleAdmin, "")
	mid := url.Values{"kind": {"units"}, "padding": {strings.Repeat("x", 16<<10)}}
	admin.post("/vi/settings/text-size", mid).mustStatus(t, http.StatusRequestEntityTooLarge)
	if res := admin.post("/vi/admin/units/import", mid); res.StatusCode == http.StatusRequestEntityTooLarge {
		t.Error("a 16 KiB import was refused under a 64 KiB upload limit")
	}
	big := url.Values{"kind": {"units"}, "padding": {strings.Repeat("x", 128<<10)}}
	admin.post("/vi/admin/units/import", big).mustStatus(t, http.StatusRequestEntityTooLarge)
}

// TestHomeLinksEveryPart: each part on the home page leads to its page.
func TestHomeLinksEveryPart(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	for _, lang := range []string{"vi", "en"} {
		home := ts.get("/"+lang+"/").mustStatus(t, 200)
		for _, part := range []string{"/lessons", "/assessment", "/payments", "/indicators"} {
			home.mustContain(t, `<a href="/`+lang+part+`">`)
			ts.get("/"+lang+part).mustStatus(t, 200)
		}
	}
}

// TestLogsKeepTokensOut: a path that carries a one-time token is logged as
// its route pattern, never with the token.
func TestLogsKeepTokensOut(t *testing.T) {
	var buf syncBuffer
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) {
		d.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	})
	ts.get("/vi/set-password/secrettoken123").mustStatus(t, 200)
	ts.get("/vi/settings/text-size?return=%2Fvi%2Fresume-code-abc").mustStatus(t, 200)
	logs := buf.String()
	for _, secret := range []string{"secrettoken123", "resume-code-abc"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "/{lang}/set-password/{token}") || !strings.Contains(logs, "/vi/settings/text-size") {
		t.Errorf("the log lost the routes:\n%s", logs)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
