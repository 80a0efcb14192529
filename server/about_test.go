package server

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"digiportal/database/dbtest"
	"digiportal/site"
)

// TestAboutPagesFromSiteFile: the privacy notice, terms, accessibility
// statement and contact page show the site file's words in each language,
// and every page's frame names the province and the managing agency and
// links to all four from its footer.
func TestAboutPagesFromSiteFile(t *testing.T) {
	b, err := os.ReadFile("../site/demo.toml")
	if err != nil {
		t.Fatal(err)
	}
	// A site of its own, so that nothing here passes on the demo's words.
	src := strings.NewReplacer("Minh Họa", "Thử Nghiệm", "Minh Hoa", "Thu Nghiem", "1800 0000", "0210 3333 444").Replace(string(b))
	st, err := site.Parse("test", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.Site = st })
	footer := func(lang string) []string {
		return []string{`href="/` + lang + `/privacy"`, `href="/` + lang + `/terms"`, `href="/` + lang + `/accessibility"`, `href="/` + lang + `/contact"`, `href="tel:02103333444"`}
	}
	for _, c := range []struct{ path, lang, want string }{
		{"/vi/privacy", "vi", "91/2025/QH15"},
		{"/en/privacy", "en", "Decree 356/2025/ND-CP"},
		{"/vi/terms", "vi", "Thực hành nộp phí"},
		{"/en/terms", "en", "The fee-payment practice"},
		{"/vi/accessibility", "vi", "WCAG 2.2"},
		{"/en/accessibility", "en", "Known limits"},
		{"/vi/contact", "vi", "Thứ Hai đến Thứ Sáu"},
		{"/en/contact", "en", "Monday to Friday"},
		{"/vi/", "vi", "Cổng Chuyển đổi số tỉnh Thử Nghiệm"},
		{"/en/lessons", "en", "Thu Nghiem Province Digital Transformation Portal"},
	} {
		res := ts.get(c.path).mustStatus(t, http.StatusOK)
		agency := "Sở Khoa học và Công nghệ tỉnh Thử Nghiệm"
		if c.lang == "en" {
			agency = "Department of Science and Technology, Thu Nghiem Province"
		}
		res.mustContain(t, append(footer(c.lang), c.want, agency)...)
		if strings.Contains(res.Body, "Minh Họa") || strings.Contains(res.Body, "Minh Hoa") {
			t.Errorf("%s shows the demo's province, not the site file's", c.path)
		}
	}
	// The not-found page has the same frame.
	ts.get("/en/no-such-page").mustStatus(t, http.StatusNotFound).mustContain(t, footer("en")...)
}

// TestDemoSiteSaysSo: without a site file, every page says it is a
// demonstration.
func TestDemoSiteSaysSo(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.get("/vi/").mustStatus(t, http.StatusOK).mustContain(t, `class="site-notice"`, "Đây là bản trình diễn")
	ts.get("/en/contact").mustStatus(t, http.StatusOK).mustContain(t, "This is a demonstration", "lienhe@minhhoa.example")
}
