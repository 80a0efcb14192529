package content

import (
	"strings"
	"testing"

	"digiportal/i18n"
)

// TestLanguageSpans: a lesson marks words in the other language with a span
// that reaches the page as written; every other use of HTML is refused and
// never rendered.
func TestLanguageSpans(t *testing.T) {
	tests := []struct {
		name    string
		lang    i18n.Lang
		src     string
		html    string // the rendered body must contain this ("" for none)
		problem string // the first problem must contain this ("" for none)
	}{
		{"Vietnamese words in English", i18n.EN, "Tap **<span lang=\"vi\">Đăng nhập</span>** (Sign in).",
			`<strong><span lang="vi">Đăng nhập</span></strong>`, ""},
		{"bold inside the span", i18n.EN, "Tap <span lang=\"vi\">**Đăng nhập**</span>.",
			`<span lang="vi"><strong>Đăng nhập</strong></span>`, ""},
		{"two spans in one paragraph", i18n.EN, "<span lang=\"vi\">Có</span> or <span lang=\"vi\">Không</span>",
			`<span lang="vi">Có</span> or <span lang="vi">Không</span>`, ""},
		{"English words in Vietnamese", i18n.VI, "Bấm <span lang=\"en\">QR Pay</span>.",
			`<span lang="en">QR Pay</span>`, ""},
		{"in a list item and a link", i18n.EN, "- See [<span lang=\"vi\">Cổng</span>](https://dichvucong.gov.vn).",
			`<a href="https://dichvucong.gov.vn"><span lang="vi">Cổng</span></a>`, ""},
		{"the page's own language", i18n.EN, "A <span lang=\"en\">word</span>.", "", "raw HTML"},
		{"another attribute", i18n.EN, "A <span lang=\"vi\" onclick=\"x()\">chữ</span>.", "", "raw HTML"},
		{"single quotes", i18n.EN, "A <span lang='vi'>chữ</span>.", "", "raw HTML"},
		{"other tag", i18n.EN, "A <b>word</b>.", "", "raw HTML"},
		{"not closed", i18n.EN, "A <span lang=\"vi\">chữ.", "", "not closed"},
		{"closed in the next paragraph", i18n.EN, "A <span lang=\"vi\">chữ.\n\nMore.</span>", "", "not closed"},
		{"nested", i18n.EN, "<span lang=\"vi\">a <span lang=\"vi\">b</span></span>", "", "inside another"},
		{"close without open", i18n.EN, "a</span>", "", "without its"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, problems := renderMarkdown([]byte(tt.src+"\n"), tt.lang, "s", nil, linkTargets{})
			switch {
			case tt.problem == "" && len(problems) > 0:
				t.Fatalf("problems %q, want none", problems)
			case tt.problem != "" && len(problems) == 0:
				t.Fatalf("no problem, want one containing %q", tt.problem)
			case tt.problem != "" && !strings.Contains(problems[0], tt.problem):
				t.Fatalf("problem %q, want one containing %q", problems[0], tt.problem)
			}
			if tt.html != "" && !strings.Contains(string(doc.html), tt.html) {
				t.Errorf("rendered %s\nwant it to contain %s", doc.html, tt.html)
			}
			if tt.problem != "" {
				for _, bad := range []string{"onclick", "<b>", "lang='vi'"} {
					if strings.Contains(string(doc.html), bad) {
						t.Errorf("rendered HTML holds %q:\n%s", bad, doc.html)
					}
				}
			}
		})
	}
}

// TestLanguageSpanPlainText: the search text of a lesson holds the words
// inside a span and none of the tag.
func TestLanguageSpanPlainText(t *testing.T) {
	doc, problems := renderMarkdown([]byte("Tap <span lang=\"vi\">Đăng nhập</span> now.\n"), i18n.EN, "s", nil, linkTargets{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if got, want := doc.plain, "Tap Đăng nhập now."; got != want {
		t.Errorf("plain = %q, want %q", got, want)
	}
}
