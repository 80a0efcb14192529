package site

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"digiportal/i18n"
)

func TestDemoIsComplete(t *testing.T) {
	s := Demo()
	if !s.IsDemo() || !strings.Contains(s.Notice(i18n.VI), "trình diễn") || !strings.Contains(s.Notice(i18n.EN), "demonstration") {
		t.Fatal("the demo site must say plainly that it is a demonstration")
	}
	for _, name := range []string{"privacy", "terms", "accessibility"} {
		for _, l := range i18n.Langs() {
			if !strings.Contains(string(s.Text(name, l)), "<h2") {
				t.Errorf("%s in %s has no section headings", name, l)
			}
		}
	}
	if !strings.Contains(string(s.Text("privacy", i18n.VI)), "91/2025/QH15") || !strings.Contains(string(s.Text("privacy", i18n.EN)), "356/2025") {
		t.Error("the privacy notice must name the law and decree it follows")
	}
	if s.HotlineTel() != "18000000" {
		t.Errorf("HotlineTel = %q", s.HotlineTel())
	}
}

// set replaces one top-level key or table of the demo file.
func set(key, value string) []byte {
	var out []string
	skip := false
	for _, line := range strings.Split(string(demoFile), "\n") {
		switch {
		case strings.HasPrefix(line, "["):
			skip = line == "["+key+"]"
		case strings.HasPrefix(line, key+" ="):
			continue
		}
		if !skip {
			out = append(out, line)
		}
	}
	return []byte(value + "\n" + strings.Join(out, "\n"))
}

func TestParseNamesTheField(t *testing.T) {
	for _, c := range []struct {
		name, file, field, why string
	}{
		{"empty agency", string(set("agency", `agency = {vi = "", en = "Dept"}`)), "agency.vi", "empty"},
		{"two-line province", string(set("province", `province = {vi = "a\nb", en = "b"}`)), "province.vi", "one line"},
		{"bad email", string(set("email", `email = "Ann <a@b.example>"`)), "email", "bare address"},
		{"look-alike letters in the email", string(set("email", "email = \"lienhe@minhh\u043ea.example\"")), "email", "Latin"},
		{"quoted email", string(set("email", `email = '"a b"@minhhoa.example'`)), "email", "bare address"},
		{"bad hotline", string(set("hotline", `hotline = "call us"`)), "hotline", "digits"},
		{"duplicate key", "hotline = \"1\"\n" + string(demoFile), "hotline", "already defined"},
		{"unknown field", "colour = \"red\"\n" + string(demoFile), "colour", "unknown"},
		{"wrong type", string(set("hotline", `hotline = 1800`)), "hotline", "want text in quotes"},
		{"text where a table goes", string(set("province", `province = "tỉnh Minh Họa"`)), "province", "want a table with vi and en"},
		{"number where true or false goes", string(set("demo", `demo = 1`)), "demo", "want true or false"},
		{"html in text", string(set("terms", "terms = {vi = \"<script>x</script>\", en = \"a\"}")), "terms.vi", "Markdown"},
		{"missing text", string(set("accessibility", "")), "accessibility.en", "empty"},
		{"demo without notice", string(set("notice", "")), "notice.vi", "empty"},
		{"logo script", "logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\"><script>alert(1)</script></svg>'''\n" + string(demoFile), "logo_svg", "<script>"},
		{"logo outside image", "logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"40\" viewBox=\"0 0 40 40\"><image xlink:href=\"https://evil.example/a.png\"/></svg>'''\n" + string(demoFile), "logo_svg", "not allowed"},
		{"logo url()", "logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\"><rect fill=\"url(https://evil.example/#a)\" width=\"4\" height=\"4\"/></svg>'''\n" + string(demoFile), "logo_svg", "refers"},
		{"logo too big", "logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\">" + strings.Repeat("<rect width=\"4\" height=\"4\"/>", 400) + "</svg>'''\n" + string(demoFile), "logo_svg", "bytes"},
		{"logo not SVG at all", "logo_svg = 'hello world'\n" + string(demoFile), "logo_svg", "root"},
		{"logo words before the root", "logo_svg = '''FAKE <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\"/>'''\n" + string(demoFile), "logo_svg", "words outside"},
		{"logo two roots", "logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\"/><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\"/>'''\n" + string(demoFile), "logo_svg", "one <svg>"},
		{"logo CSS escape", "logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\"><rect fill=\"u\\72l(https://evil.example/#a)\" width=\"4\" height=\"4\"/></svg>'''\n" + string(demoFile), "logo_svg", "backslash"},
		{"bidi override in a name", string(set("province", `province = {vi = "tỉnh Minh Họa", en = "Minh Hoa \u202eecnivorP"}`)), "province.en", "invisible"},
		{"zero-width space in the agency", string(set("agency", `agency = {vi = "Sở\u200bKhoa học", en = "Dept"}`)), "agency.vi", "invisible"},
		{"line separator in the address", string(set("address", `address = {vi = "Số 1\u2028Mẫu", en = "1 Mau"}`)), "address.vi", "invisible"},
		{"bidi isolate in a text", string(set("terms", "terms = {vi = \"Xem \\u2067vn.vog\\u2069\", en = \"a\"}")), "terms.vi", "invisible"},
		{"javascript link", string(set("terms", "terms = {vi = \"[x](JaVaScRiPt:alert(1))\", en = \"a\"}")), "terms.vi", "link"},
		{"entity-hidden javascript link", string(set("terms", "terms = {vi = \"a\", en = \"[x](&#106;avascript:alert(1))\"}")), "terms.en", "link"},
		{"data link", string(set("privacy", "privacy = {vi = \"a\", en = \"[x](data:text/html;base64,PHNjcmlwdD4=)\"}")), "privacy.en", "link"},
		{"ftp link", string(set("privacy", "privacy = {vi = \"[x](ftp://evil.example/a)\", en = \"a\"}")), "privacy.vi", "link"},
		{"outside picture", string(set("accessibility", "accessibility = {vi = \"![x](https://evil.example/t.png)\", en = \"a\"}")), "accessibility.vi", "pictures"},
		{"data picture", string(set("accessibility", "accessibility = {vi = \"a\", en = \"![x](data:image/png;base64,iVBORw0KGgo=)\"}")), "accessibility.en", "pictures"},
		{"logo heavier than a page can carry", "logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" viewBox=\"0 0 40 40\">" + strings.Repeat("<rect width=\"4\" height=\"4\"/>", 60) + "</svg>'''\n" + string(demoFile), "logo_svg", "within 50 kB"},
		{"quotes nested deep", string(set("terms", "terms = {vi = '"+strings.Repeat(">", 19000)+" x', en = \"a\"}")), "terms.vi", "deep"},
		{"lists nested deep", string(set("terms", "terms = {vi = \"a\", en = '"+strings.Repeat("- ", 7)+"x'}")), "terms.en", "deep"},
		{"text heavier than its page", string(set("privacy", "privacy = {vi = '"+strings.Repeat("Đường ", 3300)+"', en = \"a\"}")), "privacy.vi", "50 kB"},
		{"file too big", string(demoFile) + "\n#" + strings.Repeat("x", MaxFileBytes), "(file)", "more than 262144 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("test.toml", []byte(c.file))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			for _, p := range e.Problems {
				if p.Field == c.field && strings.Contains(p.Why, c.why) {
					if !strings.Contains(err.Error(), "test.toml") || !strings.Contains(err.Error(), c.field) {
						t.Errorf("message %q names neither file nor field", err)
					}
					return
				}
			}
			t.Errorf("problems %+v, want %s: …%s…", e.Problems, c.field, c.why)
		})
	}
}

func TestLogoKeptWhenClean(t *testing.T) {
	logo := `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="18" fill="#da251d"/></svg>`
	s, err := Parse("t", []byte("logo_svg = '''"+logo+"'''\n"+string(demoFile)))
	if err != nil {
		t.Fatal(err)
	}
	if string(s.Logo()) != logo {
		t.Errorf("Logo = %q", s.Logo())
	}
}

// TestLogoInlineIsWhatWasChecked: the logo goes inside every page, where a
// browser reads it by HTML's rules, not XML's. Pictures that pass the XML
// check but carry markup for an HTML parser (a comment "<!-->" that HTML
// ends at once, a processing instruction that HTML ends at its first ">",
// a CDATA section) must reach the page as shapes and words only.
func TestLogoInlineIsWhatWasChecked(t *testing.T) {
	const open = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">`
	for name, logo := range map[string]string{
		"comment":   open + `<!--><img src=x onerror=alert(1)><a href="https://evil.example/">Pay here</a>--><rect width="4" height="4"/></svg>`,
		"procinst":  `<?xml ><form action="https://evil.example/"><input name=password></form>?>` + open + `</svg>`,
		"cdata":     open + `<text font-size="20" y="20"><![CDATA[</text><img src=x onerror=alert(1)>]]></text></svg>`,
		"entities":  open + `<title>&lt;img src=x onerror=alert(1)&gt;</title><text font-size="20" y="20" fill="a&quot;b">&#60;b&#62;</text></svg>`,
		"newlines":  "<svg\nxmlns=\"http://www.w3.org/2000/svg\"\twidth=\"40\" viewBox=\"0 0 40 40\">\n<rect width=\"4\"\nheight=\"4\"></rect></svg>",
		"xmlprolog": `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + open + `</svg>`,
	} {
		t.Run(name, func(t *testing.T) {
			s, err := Parse("t", []byte("logo_svg = '''"+logo+"'''\n"+string(demoFile)))
			if err != nil {
				t.Fatal(err)
			}
			checkInline(t, string(s.Logo()))
		})
	}
}

// checkInline parses a logo as a browser does inside a page's body and
// fails on anything but SVG shapes and words.
func checkInline(t *testing.T, logo string) {
	t.Helper()
	span := &html.Node{Type: html.ElementNode, Data: "span", DataAtom: atom.Span}
	nodes, err := html.ParseFragment(strings.NewReader(logo), span)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			if n.Namespace != "svg" {
				t.Errorf("element <%s> outside SVG reaches the page from logo %q", n.Data, logo)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "href" || a.Key == "action" {
					t.Errorf("attribute %s reaches the page from logo %q", a.Key, logo)
				}
			}
		case html.CommentNode:
			t.Errorf("comment %q reaches the page from logo %q", n.Data, logo)
		case html.TextNode:
			p := n.Parent
			if strings.TrimSpace(n.Data) != "" && (p == nil || (p.Data != "text" && p.Data != "tspan" && p.Data != "title" && p.Data != "desc")) {
				t.Errorf("words %q outside <text> reach the page from logo %q", n.Data, logo)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// TestSafeLinksKept: unsafe links stop the start (TestParseNamesTheField);
// the ordinary kinds reach the page.
func TestSafeLinksKept(t *testing.T) {
	s, err := Parse("t", set("terms", "terms = {vi = \"[a](/vi/contact) [b](mailto:a@b.example) [c](tel:18000000) [d](#top)\", en = \"[y](https://dichvucong.gov.vn)\"}"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(s.Text("terms", i18n.VI)); strings.Count(got, `href=""`) > 0 || strings.Count(got, "<a href") != 4 {
		t.Errorf("safe link lost: %s", got)
	}
	if !strings.Contains(string(s.Text("terms", i18n.EN)), `href="https://dichvucong.gov.vn"`) {
		t.Errorf("safe link lost: %s", s.Text("terms", i18n.EN))
	}
}

func FuzzParse(f *testing.F) {
	f.Add(demoFile)
	f.Add([]byte("logo_svg = '<svg/>'"))
	f.Add([]byte("[terms]\nvi = \"<\""))
	f.Add([]byte("logo_svg = '''<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" viewBox=\"0 0 9 9\"><!--><b>x</b>--></svg>'''\n" + string(demoFile)))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse("fuzz", b)
		if err == nil {
			checkInline(t, string(s.Logo()))
			for _, l := range i18n.Langs() {
				if strings.Contains(string(s.Text("privacy", l)), "<script") {
					t.Fatal("script in a text")
				}
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) || len(e.Problems) == 0 {
			t.Fatalf("err = %v, want *Error with problems", err)
		}
	})
}
