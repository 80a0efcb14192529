// Package site holds who runs the portal: the province or city it serves,
// the managing agency and how to reach it, an optional logo, and the texts
// of the privacy notice, the terms of use and the accessibility statement.
// They come from one TOML file (PORTAL_SITE_FILE), checked at start-up so
// that a wrong file stops the start with a message naming the field; a
// portal without one runs on the embedded demonstration file, which says
// plainly that it is a demonstration.
package site

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"digiportal/content"
	"digiportal/i18n"
)

// Limits of a site file. A name fits the phone header on two lines; a
// text is a page of reading, not a book; the whole file stays small.
const (
	MaxFileBytes = 256 << 10
	MaxNameChars = 80
	MaxLineChars = 200
	MaxTextChars = 20000
	// MaxTextHTMLBytes is what a text may weigh once it is HTML: with the
	// frame (about 5 kB), the stylesheet (15 kB) and the script, its page
	// stays within 50 kB. Vietnamese takes two or three bytes a letter, and
	// Markdown such as ">>>>" turns a byte into a dozen.
	MaxTextHTMLBytes = 28000
	// MaxNesting is how deep quotes and lists may go inside each other.
	MaxNesting = 6
	// MaxLogoBytes is far below a lesson picture's 6 KiB: the logo sits
	// inside every page's header, and the heaviest page (an indicator's
	// dashboard, 47,591 bytes on 7 Dec 2026) has under 2.5 kB left of the
	// 50 kB budget. A mark of a few shapes fits.
	MaxLogoBytes = 1536
)

//go:embed demo.toml
var demoFile []byte

// Text is a piece of text in both languages.
type Text struct {
	VI string `toml:"vi"`
	EN string `toml:"en"`
}

// In returns the text in lang.
func (t Text) In(lang i18n.Lang) string {
	if lang == i18n.EN {
		return t.EN
	}
	return t.VI
}

// file is the site file as written.
type file struct {
	Demo          bool   `toml:"demo"`
	Notice        Text   `toml:"notice"`
	Province      Text   `toml:"province"`
	Agency        Text   `toml:"agency"`
	Address       Text   `toml:"address"`
	OfficeHours   Text   `toml:"office_hours"`
	Hotline       string `toml:"hotline"`
	Email         string `toml:"email"`
	LogoSVG       string `toml:"logo_svg"`
	Privacy       Text   `toml:"privacy"`
	Terms         Text   `toml:"terms"`
	Accessibility Text   `toml:"accessibility"`
}

// Site is a checked site file with its texts already turned into HTML.
type Site struct {
	f     file
	logo  template.HTML
	texts map[string]map[i18n.Lang]template.HTML // "privacy" → vi → HTML
}

// Problem is what is wrong with one field of a site file.
type Problem struct {
	Field, Why string
}

// Error lists every problem of a site file, each naming its field.
type Error struct {
	Source   string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "site file %s:", e.Source)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s: %s", p.Field, p.Why)
	}
	return b.String()
}

// Demo returns the embedded demonstration site.
func Demo() *Site {
	s, err := Parse("(embedded demo)", demoFile)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return s
}

// Parse checks a site file and returns the site, or an *Error naming every
// field that is wrong.
func Parse(source string, b []byte) (*Site, error) {
	fail := func(field, why string) error {
		return &Error{Source: source, Problems: []Problem{{field, why}}}
	}
	if len(b) > MaxFileBytes {
		return nil, fail("(file)", fmt.Sprintf("more than %d bytes: a site file is a few pages of text", MaxFileBytes)) // the caller may have read only that far
	}
	if !utf8.Valid(b) {
		return nil, fail("(file)", "not UTF-8 text")
	}
	var f file
	dec := toml.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) && len(strict.Errors) > 0 {
			e := &Error{Source: source}
			for _, de := range strict.Errors {
				e.Problems = append(e.Problems, Problem{strings.Join(de.Key(), "."), "unknown field"})
			}
			return nil, e
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			field := strings.Join(de.Key(), ".")
			if field == "" {
				field = fmt.Sprintf("(line %d, column %d)", row, col)
			}
			if strings.Contains(de.Error(), "cannot decode") {
				// go-toml names the Go struct field; the writer knows the key.
				return nil, fail(field, fmt.Sprintf("line %d: %s", row, wantType(field)))
			}
			return nil, fail(field, de.Error())
		}
		return nil, fail("(file)", err.Error())
	}
	s := &Site{f: f, texts: map[string]map[i18n.Lang]template.HTML{}}
	var problems []Problem
	add := func(field, why string) { problems = append(problems, Problem{field, why}) }
	line := func(field string, v string, need bool, limit int) {
		switch {
		case strings.TrimSpace(v) == "" && need:
			add(field, "must not be empty")
		case utf8.RuneCountInString(v) > limit:
			add(field, fmt.Sprintf("%d characters, want at most %d", utf8.RuneCountInString(v), limit))
		case strings.ContainsAny(v, "\r\n\t"):
			add(field, "must be one line")
		case v != "" && (!i18n.Typeable(v) || i18n.Invisible(v)):
			add(field, "holds characters a person cannot type (control or invisible characters)")
		}
	}
	both := func(name string, t Text, need bool, limit int) {
		line(name+".vi", t.VI, need, limit)
		line(name+".en", t.EN, need, limit)
	}
	both("province", f.Province, true, MaxNameChars)
	both("agency", f.Agency, true, MaxNameChars)
	both("address", f.Address, true, MaxLineChars)
	both("office_hours", f.OfficeHours, true, MaxLineChars)
	both("notice", f.Notice, f.Demo, MaxLineChars)
	line("hotline", f.Hotline, true, 20)
	if f.Hotline != "" && !phoneLike(f.Hotline) {
		add("hotline", "want digits, spaces, dots, dashes and an optional leading +, such as 1800 1234")
	}
	line("email", f.Email, true, 120)
	if f.Email != "" {
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email || a.Name != "" || strings.ContainsAny(f.Email, `"\`) {
			add("email", "want a bare address such as lienhe@example.gov.vn")
		} else if !ascii(f.Email) {
			// A Cyrillic "о" in "minhhоa" looks like the agency's own domain.
			add("email", "want plain Latin letters, digits and . - _ @ only: letters from other alphabets can look like the agency's own domain")
		}
	}
	if len(f.LogoSVG) > MaxLogoBytes {
		add("logo_svg", fmt.Sprintf("%d bytes, want at most %d: the logo is in every page, and every page must stay within 50 kB; draw fewer, simpler shapes", len(f.LogoSVG), MaxLogoBytes))
	} else if f.LogoSVG != "" {
		inline, logoProblems := content.InlineSVG([]byte(f.LogoSVG))
		for _, p := range logoProblems {
			add("logo_svg", p)
		}
		s.logo = template.HTML(inline) // written again from the checked shapes and words

	}
	md := goldmark.New() // raw HTML is left out and unsafe links are dropped
	for _, t := range []struct {
		name string
		text Text
	}{{"privacy", f.Privacy}, {"terms", f.Terms}, {"accessibility", f.Accessibility}} {
		s.texts[t.name] = map[i18n.Lang]template.HTML{}
		for _, lang := range i18n.Langs() {
			field := t.name + "." + string(lang)
			v := t.text.In(lang)
			switch {
			case strings.TrimSpace(v) == "":
				add(field, "must not be empty")
				continue
			case utf8.RuneCountInString(v) > MaxTextChars:
				add(field, fmt.Sprintf("%d characters, want at most %d", utf8.RuneCountInString(v), MaxTextChars))
				continue
			case strings.Contains(v, "<"):
				add(field, "write Markdown, not HTML: no < in the text")
				continue
			case !i18n.Typeable(strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(v)) || i18n.Invisible(v):
				add(field, "holds characters a person cannot type (control or invisible characters)")
				continue
			}
			if why := wordsAndLinks(md, v); why != "" {
				add(field, why)
				continue
			}
			var buf bytes.Buffer
			if err := md.Convert([]byte(v), &buf); err != nil {
				add(field, err.Error())
				continue
			}
			if buf.Len() > MaxTextHTMLBytes {
				add(field, fmt.Sprintf("%d bytes as a page, want at most %d: its page must stay within 50 kB; shorten the text", buf.Len(), MaxTextHTMLBytes))
				continue
			}
			if strings.Contains(buf.String(), "<h1") {
				add(field, "start headings at ## : the page already has its title")
				continue
			}
			s.texts[t.name][lang] = template.HTML(buf.String()) // goldmark's safe rendering
		}
	}
	if len(problems) > 0 {
		return nil, &Error{Source: source, Problems: problems}
	}
	return s, nil
}

// wordsAndLinks says what is wrong with a text's Markdown beyond its
// characters: a picture (a text is words; an outside picture is blocked by
// the pages' security policy and would show broken) or a link goldmark
// would drop (javascript:, data: and the like would become a link to the
// page itself, without a word to the writer). "" means it is fine.
func wordsAndLinks(md goldmark.Markdown, v string) string {
	src := []byte(v)
	var why string
	depth := 0
	ast.Walk(md.Parser().Parse(text.NewReader(src)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.Kind() {
		case ast.KindBlockquote, ast.KindList:
			if !entering {
				depth--
				return ast.WalkContinue, nil
			}
			if depth++; depth > MaxNesting {
				why = fmt.Sprintf("quotes or lists more than %d deep inside each other", MaxNesting)
				return ast.WalkStop, nil
			}
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch n := n.(type) {
		case *ast.Image:
			why = "no pictures in the text: write words"
			return ast.WalkStop, nil
		case *ast.Link:
			dest = n.Destination
		case *ast.AutoLink:
			dest = n.URL(src)
		default:
			return ast.WalkContinue, nil
		}
		// As goldmark writes it: character references resolved.
		dest = util.URLEscape(dest, true)
		u, err := url.Parse(string(dest))
		if err != nil || html.IsDangerousURL(dest) || !linkSchemes[strings.ToLower(u.Scheme)] {
			why = fmt.Sprintf("link %q: want an https:, mailto: or tel: address or a path on the portal", dest)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return why
}

// wantType says what a key of the site file holds, for a value of the
// wrong type.
func wantType(field string) string {
	switch field {
	case "demo":
		return "want true or false"
	case "notice", "province", "agency", "address", "office_hours", "privacy", "terms", "accessibility":
		return fmt.Sprintf("want a table with vi and en, such as [%s] followed by vi = \"…\" and en = \"…\"", field)
	}
	return "want text in quotes, such as \"…\""
}

// linkSchemes are the kinds of address a text may link to; "" is a path
// on the portal.
var linkSchemes = map[string]bool{"": true, "http": true, "https": true, "mailto": true, "tel": true}

func ascii(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func phoneLike(v string) bool {
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '.' || r == '-':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 3
}

// IsDemo reports whether the site is a demonstration.
func (s *Site) IsDemo() bool { return s.f.Demo }

// Notice is the line every page shows under the header, or "".
func (s *Site) Notice(lang i18n.Lang) string { return s.f.Notice.In(lang) }

// Province is the province or city the portal serves, as in "tỉnh Minh Họa".
func (s *Site) Province(lang i18n.Lang) string { return s.f.Province.In(lang) }

// Agency is the managing agency.
func (s *Site) Agency(lang i18n.Lang) string { return s.f.Agency.In(lang) }

// Address is the agency's postal address.
func (s *Site) Address(lang i18n.Lang) string { return s.f.Address.In(lang) }

// OfficeHours says when the hotline and the office answer.
func (s *Site) OfficeHours(lang i18n.Lang) string { return s.f.OfficeHours.In(lang) }

// Hotline is the telephone number as written for people.
func (s *Site) Hotline() string { return s.f.Hotline }

// HotlineTel is the number for a tel: link: digits and a leading +.
func (s *Site) HotlineTel() string {
	return strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, s.f.Hotline)
}

// Email is the agency's contact address.
func (s *Site) Email() string { return s.f.Email }

// Logo is the checked logo SVG, or "".
func (s *Site) Logo() template.HTML { return s.logo }

// Text is one of the long texts ("privacy", "terms", "accessibility") as HTML.
func (s *Site) Text(name string, lang i18n.Lang) template.HTML { return s.texts[name][lang] }
