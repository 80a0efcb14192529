package server

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
	"digiportal/i18n"
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
		{"/vi/contact", "vi", "thứ Hai đến thứ Sáu"},
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

// TestDemoPrivacyNoticeMatchesTheCode: the demonstration's privacy notice,
// which a province copies as the start of its own, says what the code
// does. Retention periods are the maintenance loop's; the system log keeps
// the address (IP) of whoever acts, and the built-in practice checkout,
// the default, takes the card number on the portal's own page.
func TestDemoPrivacyNoticeMatchesTheCode(t *testing.T) {
	s := site.Demo()
	days := func(d time.Duration) string { return strconv.Itoa(int(d / (24 * time.Hour))) }
	for _, c := range []struct {
		lang                          i18n.Lang
		learners, assessments, ip, no string
	}{
		{i18n.VI, days(staleLearnerAge) + " ngày không dùng", days(abandonedAssessmentAge) + " ngày kể từ lần sửa cuối", "địa chỉ IP", "cổng không nhận số thẻ"},
		{i18n.EN, days(staleLearnerAge) + " days unused", days(abandonedAssessmentAge) + " days after their last change", "IP address", "never to the portal"},
	} {
		notice := string(s.Text("privacy", c.lang))
		for _, want := range []string{c.learners, c.assessments, c.ip} {
			if !strings.Contains(notice, want) {
				t.Errorf("%s privacy notice lacks %q", c.lang, want)
			}
		}
		if strings.Contains(notice, c.no) {
			t.Errorf("%s privacy notice says %q, but the built-in practice takes the card number on the portal's page", c.lang, c.no)
		}
	}
}
