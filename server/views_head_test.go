package server

import (
	"net/http"
	"testing"

	"digiportal/database/dbtest"
)

// TestLessonHeadIsNoView: a HEAD request (a link checker, an uptime probe)
// reads no lesson, whether the page is rendered for it or kept; GETs
// count, one view each, rendered or kept.
func TestLessonHeadIsNoView(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	lesson := "/vi/lessons/" + ts.srv.lessons.lib.Lessons[0].Slug
	for range 2 { // the first rendered and kept, the second from memory
		req, err := http.NewRequest(http.MethodHead, ts.http.URL+lesson, nil)
		if err != nil {
			t.Fatal(err)
		}
		ts.do(req).mustStatus(t, http.StatusOK)
	}
	if n := ts.srv.lessons.views.Pending(); n != 0 {
		t.Errorf("two HEAD requests counted %d views, want 0", n)
	}
	ts.get(lesson).mustStatus(t, http.StatusOK)
	ts.get(lesson).mustStatus(t, http.StatusOK)
	if n := ts.srv.lessons.views.Pending(); n != 2 {
		t.Errorf("two GETs counted %d views, want 2", n)
	}
}
