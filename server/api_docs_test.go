package server

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"digiportal/database/dbtest"
)

// TestAPIDocsExamplesAnswer: every example address on the open-data page
// answers with data over the demo units, so the page never shows a code or
// parameter that no longer works (such as a province code from before the
// 2025 reorganisation used as today's).
func TestAPIDocsExamplesAnswer(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	for _, lang := range []string{"vi", "en"} {
		page := ts.get("/"+lang+"/api").mustStatus(t, 200)
		examples := regexp.MustCompile(regexp.QuoteMeta(ts.http.URL)+`(/api/v1/[^\s<]+)`).FindAllStringSubmatch(page.Body, -1)
		if len(examples) < 4 {
			t.Fatalf("/%s/api shows %d example addresses, want at least 4", lang, len(examples))
		}
		for _, m := range examples {
			path := html.UnescapeString(m[1])
			res := ts.get(path).mustStatus(t, 200)
			if !strings.Contains(res.Body, `"code":"`) {
				t.Errorf("%s answers no unit or indicator:\n%.300s", path, res.Body)
			}
		}
	}
}
