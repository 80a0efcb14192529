package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"digiportal/i18n"
)

// svgOf wraps shapes in the root element of a 320-pixel picture.
func svgOf(inner string) string {
	return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="100" viewBox="0 0 320 100" font-family="sans-serif" font-size="16">` + inner + `</svg>`
}

func TestCheckSVG(t *testing.T) {
	tests := []struct {
		name     string
		svg      string
		want     string // in a problem; "" means no problem
		hasWords bool
	}{
		{"shapes", svgOf(`<rect x="1" y="1" width="300" height="90" rx="8" fill="#fff" stroke="#333"/><circle cx="20" cy="20" r="5"/>`), "", false},
		{"words", svgOf(`<text x="10" y="30">Đăng nhập</text>`), "", true},
		{"title only", svgOf(`<title>Màn hình</title><rect width="5" height="5"/>`), "", false},
		{"declaration", `<?xml version="1.0" encoding="UTF-8"?>` + svgOf(`<path d="M0 0h10"/>`), "", false},
		{"script", svgOf(`<script>alert(1)</script>`), "element <script>", false},
		{"foreignObject", svgOf(`<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>`), "element <foreignObject>", false},
		{"image", svgOf(`<image href="https://example.test/a.png" width="10" height="10"/>`), "element <image>", false},
		{"link", svgOf(`<a href="https://example.test/"><rect width="5" height="5"/></a>`), "element <a>", false},
		{"use", svgOf(`<use href="#x"/>`), "element <use>", false},
		{"style element", svgOf(`<style>rect{fill:red}</style>`), "element <style>", false},
		{"event handler", svgOf(`<rect width="5" height="5" onclick="alert(1)"/>`), "attribute onclick", false},
		{"onload on root", `<svg xmlns="http://www.w3.org/2000/svg" width="320" viewBox="0 0 320 100" onload="alert(1)"/>`, "attribute onload", false},
		{"xlink href", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="320" viewBox="0 0 320 100"><rect xlink:href="https://example.test/" width="5" height="5"/></svg>`, "href", false},
		{"style attribute", svgOf(`<rect width="5" height="5" style="fill:red"/>`), "attribute style", false},
		{"url reference", svgOf(`<rect width="5" height="5" fill="url(https://example.test/#g)"/>`), "refers to something else", false},
		{"doctype", `<!DOCTYPE svg [<!ENTITY x "y">]>` + svgOf(``), "DOCTYPE", false},
		{"other root", `<html xmlns="http://www.w3.org/1999/xhtml"/>`, "root must be <svg", false},
		{"no namespace", `<svg width="320" viewBox="0 0 320 100"/>`, "root must be <svg", false},
		{"not XML", svgOf(`<rect>`), "well-formed", false},
		{"too big", svgOf(strings.Repeat(`<rect width="5" height="5"/>`, 300)), "bytes, want at most", false},
		{"too wide", `<svg xmlns="http://www.w3.org/2000/svg" width="400" viewBox="0 0 400 100"/>`, "width 400", false},
		{"no width", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 100"/>`, "set width", false},
		{"no viewBox", `<svg xmlns="http://www.w3.org/2000/svg" width="320"/>`, "viewBox is missing", false},
		{"small words", svgOf(`<text x="1" y="20" font-size="12">nhỏ</text>`), "12.0 px high", true},
		{"words without size", `<svg xmlns="http://www.w3.org/2000/svg" width="320" viewBox="0 0 320 100"><text>x</text></svg>`, "0.0 px high", true},
		// Drawn at half its units, 20-unit words are 10 pixels high.
		{"scaled down", `<svg xmlns="http://www.w3.org/2000/svg" width="320" viewBox="0 0 640 200" font-size="20"><text>x</text></svg>`, "10.0 px high", true},
		{"scaled up", `<svg xmlns="http://www.w3.org/2000/svg" width="320" viewBox="0 0 160 50" font-size="8"><text>x</text></svg>`, "", true},
		{"size in a group", svgOf(`<g font-size="14"><text>vừa</text><text><tspan font-size="13">nhỏ</tspan></text></g>`), "13.0 px high", true},
		{"em size", svgOf(`<text font-size="1em">x</text>`), `font-size "1em"`, true},
		{"loose words", svgOf(`<g>chữ</g>`), "words outside <text>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, problems := checkSVG([]byte(tt.svg))
			got := strings.Join(problems, "; ")
			switch {
			case tt.want == "" && len(problems) > 0:
				t.Errorf("checkSVG = %s, want no problems", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("checkSVG = %q, want a problem with %q", got, tt.want)
			}
			if tt.want == "" && info.hasText != tt.hasWords {
				t.Errorf("hasText = %v, want %v", info.hasText, tt.hasWords)
			}
		})
	}
}

// TestLoadPictures adds pictures to the fixture lesson nop-ho-so and
// checks the rules a lesson's set of pictures must meet.
func TestLoadPictures(t *testing.T) {
	const dir = "lessons/nop-ho-so/"
	words := svgOf(`<text x="10" y="30">Bấm</text>`)
	shapes := svgOf(`<rect width="50" height="20"/>`)
	show := func(lang i18n.Lang, file, alt string) func(fstest.MapFS) {
		return func(m fstest.MapFS) {
			f := dir + string(lang) + ".md"
			m[f] = &fstest.MapFile{Data: append(append([]byte(nil), m[f].Data...), fmt.Sprintf("\n![%s](%s)\n", alt, file)...)}
		}
	}
	put := func(file, svg string) func(fstest.MapFS) {
		return func(m fstest.MapFS) { m[dir+file] = &fstest.MapFile{Data: []byte(svg)} }
	}
	tests := []struct {
		name    string
		changes []func(fstest.MapFS)
		file    string // "" means the content loads
		want    string
	}{
		{"a picture per language", []func(fstest.MapFS){put("nut-vi.svg", words), put("nut-en.svg", words), show(i18n.VI, "nut-vi.svg", "Nút Đăng nhập"), show(i18n.EN, "nut-en.svg", "The Sign in button")}, "", ""},
		{"one picture without words for both", []func(fstest.MapFS){put("hinh.svg", shapes), show(i18n.VI, "hinh.svg", "Hình"), show(i18n.EN, "hinh.svg", "A shape")}, "", ""},
		{"English picture in vi.md", []func(fstest.MapFS){put("nut-en.svg", words), show(i18n.VI, "nut-en.svg", "Nút"), show(i18n.EN, "nut-en.svg", "Button")}, dir + "vi.md", "words are in en"},
		{"words but no language in the name", []func(fstest.MapFS){put("nut.svg", words), show(i18n.VI, "nut.svg", "Nút"), show(i18n.EN, "nut.svg", "Button")}, dir + "nut.svg", "name must end in the language"},
		{"picture in one language only", []func(fstest.MapFS){put("nut-vi.svg", words), show(i18n.VI, "nut-vi.svg", "Nút")}, dir + "en.md", "shows 1 pictures, vi.md shows 2"},
		{"unused picture", []func(fstest.MapFS){put("thua.svg", shapes)}, dir + "thua.svg", "no lesson file shows"},
		{"picture with script", []func(fstest.MapFS){put("xau.svg", svgOf(`<script>alert(1)</script>`)), show(i18n.VI, "xau.svg", "Xấu"), show(i18n.EN, "xau.svg", "Bad")}, dir + "xau.svg", "element <script>"},
		{"picture without alt text", []func(fstest.MapFS){put("hinh.svg", shapes), show(i18n.VI, "hinh.svg", " "), show(i18n.EN, "hinh.svg", "A shape")}, dir + "vi.md", "no alt text"},
		{"picture too big", []func(fstest.MapFS){put("to.svg", svgOf(strings.Repeat(`<rect width="5" height="5"/>`, 300))), show(i18n.VI, "to.svg", "To"), show(i18n.EN, "to.svg", "Big")}, dir + "to.svg", "want at most 6144"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fixture(t)
			for _, c := range tt.changes {
				c(m)
			}
			lib, err := Load(m)
			if tt.file == "" {
				if err != nil {
					t.Fatalf("Load = %v, want the pictures accepted", err)
				}
				l, _ := lib.Lesson("nop-ho-so")
				if b, ctype, err := lib.Media("nop-ho-so", "nut-vi.svg"); err == nil && (ctype != "image/svg+xml" || len(b) == 0) {
					t.Errorf("Media(nut-vi.svg) = %q, %d bytes; want image/svg+xml", ctype, len(b))
				}
				if !strings.Contains(string(l.In(i18n.EN).Body), `src="/media/lessons/nop-ho-so/`) {
					t.Errorf("the English body shows no picture:\n%s", l.In(i18n.EN).Body)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Load = %v, want a *ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.File == tt.file && strings.Contains(p.Msg, tt.want) {
					return
				}
			}
			t.Errorf("problems lack %s: …%q; got:\n%v", tt.file, tt.want, err)
		})
	}
}

// TestEmbeddedPictures holds the shipped lessons to what a first-time
// phone user needs: every lesson shows at least one picture, in both
// languages.
func TestEmbeddedPictures(t *testing.T) {
	lib, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lib.Lessons {
		for _, lang := range i18n.Langs() {
			if n := strings.Count(string(l.In(lang).Body), "<img "); n == 0 {
				t.Errorf("%s/%s.md shows no picture", l.Slug, lang)
			}
		}
	}
}
