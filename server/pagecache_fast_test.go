package server

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// A kept page served before the middleware chain (keptFirst) is the very
// answer the chain gave when it kept it: status, body and every header
// but the date, the language cookie included; HEAD, If-None-Match and the
// text size work as through the chain; the lesson's view, the route's
// metrics and the log line are still there. Requests that might need
// more than a kept page (a session, a query, a body) go through the chain.
func TestPageCacheServedFirst(t *testing.T) {
	var logs bytes.Buffer
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db, func(d *Deps) {
		d.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	slug := ts.srv.lessons.lib.Lessons[0].Slug
	lesson := "/en/lessons/" + slug
	for _, p := range []string{"/vi/", lesson, "/vi/lessons", "/vi/indicators/SMARTPHONE"} {
		for _, size := range []string{"", "text_size=large"} {
			var extra []string
			if size != "" {
				extra = []string{"Cookie", size}
			}
			chain := ts.newVisitor().get(p, extra...).mustStatus(t, 200).mustKept(t)
			before := ts.srv.pages.servedFirst.Load()
			first := ts.newVisitor().get(p, extra...).mustStatus(t, 200).mustKept(t)
			if ts.srv.pages.servedFirst.Load() != before+1 {
				t.Errorf("GET %s (%q) again was not served before the chain", p, size)
			}
			if first.Body != chain.Body {
				t.Errorf("GET %s (%q): another body from memory", p, size)
			}
			for _, h := range []http.Header{chain.Header, first.Header} {
				h.Del("Date")
				h["Vary"] = varyTokens(h)
			}
			for k, vs := range chain.Header {
				if got := first.Header.Values(k); !slices.Equal(got, vs) {
					t.Errorf("GET %s (%q): %s %q before the chain, %q through it", p, size, k, got, vs)
				}
			}
			for k := range first.Header {
				if chain.Header.Values(k) == nil {
					t.Errorf("GET %s (%q): %s only before the chain", p, size, k)
				}
			}
			ts.newVisitor().get(p, append(extra, "If-None-Match", chain.Header.Get("ETag"))...).mustStatus(t, http.StatusNotModified)
		}
	}

	// HEAD: the headers, no body.
	req, _ := http.NewRequest(http.MethodHead, ts.http.URL+lesson, nil)
	res, err := newClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("ETag") == "" || res.ContentLength <= 0 {
		t.Errorf("HEAD %s: %d, ETag %q, length %d", lesson, res.StatusCode, res.Header.Get("ETag"), res.ContentLength)
	}

	// The lesson's views: two rendered, two kept and two conditional
	// asks, with both text sizes (HEAD is no view), all counted.
	if err := ts.srv.FlushCounters(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := lessonViews(t, db, slug); got != 6 {
		t.Errorf("six views of the lesson: %d counted", got)
	}
	if !strings.Contains(logs.String(), "path=/{lang}/lessons/{slug}") || !strings.Contains(logs.String(), "path=/{lang}/indicators/{code}") {
		t.Errorf("the log names no route pattern of a kept page:\n%s", logs.String())
	}
	ts.get("/metrics").mustStatus(t, 200).mustContain(t,
		`portal_http_requests_total{code="200",method="GET",route="GET /{lang}/lessons/{slug}"} 4`,
		`portal_http_requests_total{code="304",method="GET",route="GET /{lang}/{$}"} 2`)

	// What might need more than a kept page goes through the chain.
	signed := ts.newVisitor()
	signed.signInAs(accounts.RoleResident, "")
	before := ts.srv.pages.servedFirst.Load()
	signed.get(lesson).mustStatus(t, 200).mustContain(t, `href="/en/account"`)
	ts.newVisitor().get(lesson+"?x=1").mustStatus(t, 200)
	ts.newVisitor().get(lesson, "Content-Type", "multipart/form-data; boundary=x").mustStatus(t, http.StatusUnsupportedMediaType)
	ts.newVisitor().get(strings.Replace(lesson, "/en/", "/%65n/", 1))
	if got := ts.srv.pages.servedFirst.Load() - before; got != 0 {
		t.Errorf("%d requests with a session, a query, a body type or an escaped path served from memory first", got)
	}
}

// varyTokens are the names a Vary header lists, each once, sorted.
func varyTokens(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Vary") {
		for _, tok := range strings.Split(v, ",") {
			if tok = http.CanonicalHeaderKey(strings.TrimSpace(tok)); tok != "" && !slices.Contains(out, tok) {
				out = append(out, tok)
			}
		}
	}
	slices.Sort(out)
	return out
}
