package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
)

// BenchmarkLessonPage serves one lesson through the whole router, to an
// anonymous visitor (kept page) and to a signed-in resident (rendered for
// them), for profiles of where a page's time goes:
//
//	go test -run '^$' -bench LessonPage -cpuprofile /tmp/cpu.out ./server/
func BenchmarkLessonPage(b *testing.B) {
	ts := newTestServer(b, dbtest.SQLite(b))
	page := "/vi/lessons/" + ts.srv.lessons.lib.Lessons[0].Slug
	for _, who := range []struct {
		name   string
		signIn bool
	}{{"anonymous", false}, {"signed-in", true}} {
		b.Run(who.name, func(b *testing.B) {
			v := ts.newVisitor()
			if who.signIn {
				v.signInAs(accounts.RoleResident, "")
			}
			for b.Loop() {
				v.get(page, "Accept-Encoding", "gzip").mustStatus(b, http.StatusOK)
			}
		})
	}
}

// BenchmarkPagesAgainstStatic measures pages against a baseline in the
// same run, as portal loadtest does: each iteration asks the portal for a
// page and then a static server (the same client, the bytes and headers the
// portal sent, from memory) for the same, and reports the two times and
// portal÷static throughput. The ratio, not the time, is what carries over
// between machines and loads:
//
//	go test -run '^$' -bench PagesAgainstStatic ./server/
func BenchmarkPagesAgainstStatic(b *testing.B) {
	db := dbtest.SQLite(b)
	seedIndicators(b, db)
	ts := newTestServer(b, db)
	lesson := "/vi/lessons/" + ts.srv.lessons.lib.Lessons[0].Slug
	for _, c := range []struct {
		name, path string
		signIn     bool
	}{
		{"home", "/vi/", false}, {"lesson", lesson, false}, {"lesson-signed-in", lesson, true},
		{"search", "/vi/lessons/search?q=dich+vu+cong", false}, {"dashboard", "/vi/indicators", false},
	} {
		b.Run(c.name, func(b *testing.B) {
			v := ts.newVisitor()
			if c.signIn {
				v.signInAs(accounts.RoleResident, "")
			}
			v.get(c.path, "Accept-Encoding", "gzip").mustStatus(b, http.StatusOK) // kept, when it may be
			sent := v.get(c.path, "Accept-Encoding", "gzip").mustStatus(b, http.StatusOK)
			static := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, vs := range sent.Header {
					if k != "Date" && k != "Set-Cookie" && k != "Content-Length" {
						w.Header()[k] = vs
					}
				}
				io.WriteString(w, sent.Body)
			}))
			defer static.Close()
			sv := ts.newVisitor()
			sv.http = static
			var portal, base time.Duration
			for b.Loop() {
				t0 := time.Now()
				v.get(c.path, "Accept-Encoding", "gzip").mustStatus(b, http.StatusOK)
				t1 := time.Now()
				sv.get(c.path, "Accept-Encoding", "gzip").mustStatus(b, http.StatusOK)
				portal += t1.Sub(t0)
				base += time.Since(t1)
			}
			n := float64(b.N)
			b.ReportMetric(float64(portal.Nanoseconds())/n, "portal-ns/op")
			b.ReportMetric(float64(base.Nanoseconds())/n, "static-ns/op")
			b.ReportMetric(float64(base)/float64(portal), "portal/static")
		})
	}
}
