package server

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// TestBrowserLessonJourney is what the lessons part promises, done by mouse
// and keyboard on a 360-pixel phone with JavaScript off, in each language:
// find a lesson by typing without accents, read it, pass its quiz (after a
// wrong try), finish a learning path, print the certificate on one A4
// page, and have someone else, on another browser, verify it by its code.
func TestBrowserLessonJourney(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	const pathSlug, lessonSlug = "cong-dan-so-co-ban", "dich-vu-cong-truc-tuyen"
	for _, tc := range []struct {
		lang  i18n.Lang
		query string // typed without accents
		name  string
		found string // what the verify page says
	}{
		{i18n.VI, "dich vu cong", "Trần Thị Lan", "Giấy chứng nhận hợp lệ"},
		{i18n.EN, "dich vu cong", "Nguyễn Văn Bình", "This certificate is genuine"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, dbtest.SQLite(t))
			lang := "/" + string(tc.lang)
			tab := newTab(t, ts, atPhoneWidth, withoutScripts)

			// Find the lesson by typing without accents.
			tab.open(lang+"/lessons").mustStatus(t, http.StatusOK)
			tab.fill("#q", tc.query)
			tab.submit(0).mustStatus(t, http.StatusOK)
			tab.follow(`a[href="`+lang+`/lessons/`+lessonSlug+`"]`).mustStatus(t, http.StatusOK)
			lesson, _ := ts.srv.lessons.lib.Lesson(lessonSlug)
			if got := text(t, tab, "h1"); got != lesson.In(tc.lang).Title {
				t.Fatalf("lesson page heading %q, want %q", got, lesson.In(tc.lang).Title)
			}

			// A wrong answer is explained and the quiz can be retried.
			answerQuiz(t, tab, ts, lessonSlug, tc.lang, true)
			tab.submit(0).mustStatus(t, http.StatusOK)
			if n := tab.count(".answer.wrong"); n == 0 {
				t.Fatal("a wrong answer shows no explanation")
			}
			tab.mustPassAxe()
			answerQuiz(t, tab, ts, lessonSlug, tc.lang, false)
			tab.submit(0).mustStatus(t, http.StatusOK)
			if n, want := tab.count(".answer.right"), len(lesson.In(tc.lang).Quiz); n != want {
				t.Fatalf("%d answers marked right, want %d", n, want)
			}
			tab.mustPassAxe()

			// Finish the path, lesson by lesson, from the path page.
			tab.follow(`a[href="`+lang+`/paths/`+pathSlug+`"]`).mustStatus(t, http.StatusOK)
			path, _ := ts.srv.lessons.lib.Path(pathSlug)
			for range path.Lessons {
				if tab.count("a.button") == 0 {
					break // every lesson passed
				}
				l := tab.follow("a.button").mustStatus(t, http.StatusOK)
				slug := l.URL[strings.LastIndex(l.URL, "/")+1:]
				answerQuiz(t, tab, ts, slug, tc.lang, false)
				tab.submit(0).mustStatus(t, http.StatusOK)
				if tab.count(".quiz .notice.success") != 1 {
					t.Fatalf("passing %s: no success notice", slug)
				}
				tab.open(lang+"/paths/"+pathSlug).mustStatus(t, http.StatusOK)
			}

			// Ask for the certificate and print it.
			tab.fill("#name", tc.name)
			tab.click("#consent")
			l := tab.submit(0).mustStatus(t, http.StatusOK)
			if !strings.HasSuffix(l.URL, "/print") {
				t.Fatalf("the certificate form led to %s, want the printable certificate", l.URL)
			}
			if got := text(t, tab, ".cert-name"); got != tc.name {
				t.Errorf("certificate name %q, want %q", got, tc.name)
			}
			tab.mustPassAxe()
			code := text(t, tab, ".certificate .code")
			if !regexp.MustCompile(`^[2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5}$`).MatchString(code) {
				t.Fatalf("certificate code %q, want three groups of five", code)
			}
			if pages := printedPages(t, tab); pages != 1 {
				t.Errorf("the certificate prints on %d A4 pages, want 1", pages)
			}
			tab.screenshot(filepath.Join(screenshotDir, "journey_"+string(tc.lang)+"_certificate.png"))

			// Someone else checks it, typing the code their own way.
			other := newTab(t, ts.newVisitor(), atPhoneWidth, withoutScripts)
			other.open(lang+"/certificates").mustStatus(t, http.StatusOK)
			other.fill("#code", strings.ToLower(strings.ReplaceAll(code, "-", " ")))
			l = other.submit(0).mustStatus(t, http.StatusOK)
			if !strings.HasSuffix(l.URL, "/certificates/"+code) {
				t.Errorf("verification ended at %s, want the page of %s", l.URL, code)
			}
			if got := text(t, other, "h1"); got != tc.found {
				t.Errorf("verify page heading %q, want %q", got, tc.found)
			}
			if got := text(t, other, ".cert-holder"); got != tc.name {
				t.Errorf("verify page shows %q, want %q", got, tc.name)
			}
			other.mustPassAxe()

			// A swapped pair of characters is caught before any lookup.
			typo := []byte(code)
			typo[0], typo[1] = typo[1], typo[0]
			if typo[0] != typo[1] {
				other.open(lang+"/certificates").mustStatus(t, http.StatusOK)
				other.fill("#code", string(typo))
				other.submit(0).mustStatus(t, http.StatusBadRequest)
				other.mustPassAxe()
			}
		})
	}
}

// answerQuiz chooses, by mouse, every right answer of a lesson's quiz, or
// with wrong set a wrong one for each question.
func answerQuiz(t *testing.T, tab *tab, ts *testServer, slug string, lang i18n.Lang, wrong bool) {
	t.Helper()
	lesson, ok := ts.srv.lessons.lib.Lesson(slug)
	if !ok {
		t.Fatalf("no lesson %q", slug)
	}
	for _, q := range lesson.In(lang).Quiz {
		for i, o := range q.Options {
			if o.Correct == wrong {
				continue
			}
			id := "answer-" + q.ID
			if i > 0 {
				id += "-" + o.ID
			}
			tab.click("#" + id)
			break
		}
	}
}

// text returns the trimmed text of the first element matching selector.
func text(t *testing.T, tab *tab, selector string) string {
	t.Helper()
	s, err := evaluate[string](tab, `(document.querySelector(`+jsString(selector)+`) || {textContent: ""}).textContent.trim()`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// printedPages prints the tab as the browser's print command would, on the
// page size the stylesheet asks for (A4), and counts the pages.
func printedPages(t *testing.T, tab *tab) int {
	t.Helper()
	var pdf []byte
	err := tab.run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true)})
		if err != nil {
			return err
		}
		pdf = res.Data
		return nil
	}))
	if err != nil {
		t.Fatalf("print: %v", err)
	}
	n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	if n == 0 {
		t.Fatalf("print: %d bytes of PDF with no page in it", len(pdf))
	}
	return n
}
