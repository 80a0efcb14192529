package server

import (
	"net/http"
	"testing"

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
