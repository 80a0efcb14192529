package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/content"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// answers returns the quiz form of a lesson, every answer right, or, with
// wrong set, every answer wrong.
func answers(t testing.TB, ts *testServer, slug string, lang i18n.Lang, wrong bool) url.Values {
	t.Helper()
	l, ok := ts.srv.lessons.lib.Lesson(slug)
	if !ok {
		t.Fatalf("no lesson %s", slug)
	}
	form := url.Values{}
	for _, q := range l.In(lang).Quiz {
		pick := q.Correct()
		if wrong {
			for _, o := range q.Options {
				if !o.Correct {
					pick = o.ID
					break
				}
			}
		}
		form.Set("answer-"+q.ID, pick)
	}
	return form
}

var resumeCodeRe = regexp.MustCompile(`<strong class="code">([2-9A-Z]{5}-[2-9A-Z]{5})</strong>`)

func TestLessonPagesBothLanguages(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	lib := ts.srv.lessons.lib
	first := lib.Lessons[0]
	for _, lang := range i18n.Langs() {
		l := "/" + string(lang)
		ts.get(l+"/lessons").mustStatus(t, http.StatusOK).mustContain(t, first.In(lang).Title, lib.Paths[0].Name[lang], `action="`+l+`/lessons/search"`)
		ts.get(l+"/lessons/"+first.Slug).mustStatus(t, http.StatusOK).
			mustContain(t, "<h1>"+first.In(lang).Title+"</h1>", `id="quiz"`, `name="answer-`+first.In(lang).Quiz[0].ID+`"`)
		ts.get(l+"/paths/"+lib.Paths[0].Slug).mustStatus(t, http.StatusOK).mustContain(t, lib.Paths[0].Name[lang])
		ts.get(l+"/progress").mustStatus(t, http.StatusOK)
		ts.get(l+"/certificates").mustStatus(t, http.StatusOK)
		ts.get(l+"/lessons/khong-co-bai-nay").mustStatus(t, http.StatusNotFound)
		ts.get(l+"/paths/khong-co").mustStatus(t, http.StatusNotFound)
	}
	// The language switcher leads to the same page in the other language.
	for _, p := range []string{"/lessons", "/lessons/" + first.Slug, "/paths/" + lib.Paths[0].Slug, "/progress", "/certificates"} {
		ts.get("/vi"+p).mustContain(t, `<a href="/en`+p+`" lang="en" hreflang="en">`)
	}
	if got := ts.get("/vi/lessons").Body; !strings.Contains(got, `href="/vi/lessons" aria-current="page"`) {
		t.Error("the main navigation lacks the lessons item, marked current")
	}
}

func TestLessonSearchPage(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	vneid, _ := ts.srv.lessons.lib.Lesson("tai-khoan-dinh-danh-vneid")
	for _, q := range []string{"dinh danh", "ĐỊNH DANH", "định danh"} {
		ts.get("/vi/lessons/search?q="+url.QueryEscape(q)).mustStatus(t, http.StatusOK).
			mustContain(t, `href="/vi/lessons/tai-khoan-dinh-danh-vneid"`, vneid.In(i18n.VI).Title)
	}
	// Nothing found is said in words, never as "0 lessons".
	for _, tt := range []struct{ path, want, never string }{
		{"/vi/lessons/search?q=huyen", "Không có bài học nào phù hợp với “huyen”", "Có 0"},
		{"/en/lessons/search?q=xyzzy", "No lessons found for “xyzzy”", "0 lessons"},
	} {
		res := ts.get(tt.path).mustStatus(t, http.StatusOK).mustContain(t, tt.want)
		if strings.Contains(res.Body, tt.never) {
			t.Errorf("%s says %q", tt.path, tt.never)
		}
	}
	ts.get("/en/lessons/search?q=scam").mustStatus(t, http.StatusOK).mustContain(t, "lessons match “scam”")
	ts.get("/vi/lessons/search").mustStatus(t, http.StatusOK)
	res := ts.get("/en/lessons/search?q="+url.QueryEscape(`<script>alert(1)</script>`)).mustStatus(t, http.StatusOK)
	if strings.Contains(res.Body, "<script>alert") {
		t.Error("the query is echoed unescaped")
	}
}

// answerRe finds each checked answer: its verdict and its explanation.
var answerRe = regexp.MustCompile(`<p class="answer (?:right|wrong)"><strong>([^<]*)</strong> ?([^<]*)</p>`)

// TestQuizVerdictSaidOnce: each checked answer says right or wrong once,
// in the verdict, never again at the start of its explanation.
func TestQuizVerdictSaidOnce(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	again := map[i18n.Lang][]string{
		i18n.VI: {"Đúng.", "Đúng rồi.", "Sai.", "Sai và", "Không đúng.", "Chưa đúng."},
		i18n.EN: {"Right.", "Correct.", "Wrong.", "Wrong and", "Not right.", "Not quite."},
	}
	for _, l := range ts.srv.lessons.lib.Lessons {
		for _, lang := range i18n.Langs() {
			for _, wrong := range []bool{true, false} {
				body := ts.post("/"+string(lang)+"/lessons/"+l.Slug, answers(t, ts, l.Slug, lang, wrong)).mustStatus(t, http.StatusOK).Body
				found := answerRe.FindAllStringSubmatch(body, -1)
				if len(found) != len(l.In(lang).Quiz) {
					t.Fatalf("%s %s: %d checked answers, want %d", lang, l.Slug, len(found), len(l.In(lang).Quiz))
				}
				for _, m := range found {
					for _, v := range again[lang] {
						if strings.HasPrefix(m[2], v) {
							t.Errorf("%s %s: %q %q says the verdict twice", lang, l.Slug, m[1], m[2])
						}
					}
				}
			}
		}
	}
}

// TestLessonSearchEchoIsBounded: a pasted page is searched and shown back
// only up to content.MaxQueryBytes, cut between characters, so the answer
// stays small however long the query.
func TestLessonSearchEchoIsBounded(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	short := ts.get("/vi/lessons/search?q="+url.QueryEscape(strings.Repeat("đ", 100))).mustStatus(t, http.StatusOK)
	for _, n := range []int{101, 5000} { // đ is 2 bytes: 101 of them cross the bound
		q := strings.Repeat("đ", n)
		res := ts.get("/vi/lessons/search?q="+url.QueryEscape(q)).mustStatus(t, http.StatusOK)
		kept := strings.Repeat("đ", content.MaxQueryBytes/2)
		res.mustContain(t, kept)
		if strings.Contains(res.Body, kept+"đ") {
			t.Errorf("%d characters: the page shows more than the first %d bytes of the query", n, content.MaxQueryBytes)
		}
		if len(res.Body) > len(short.Body)+50 {
			t.Errorf("%d characters: page of %d bytes, want about %d as for a query at the bound", n, len(res.Body), len(short.Body))
		}
	}
}

// weightOf is what a response costs a phone as the browser checks count
// it: the body and, roughly, the status line and headers.
func weightOf(res *response) int {
	n := len(res.Body) + len("HTTP/1.1 200 OK\r\n\r\n")
	for k, vs := range res.Header {
		for _, v := range vs {
			n += len(k) + len(": \r\n") + len(v)
		}
	}
	return n
}

var (
	lessonImgRe   = regexp.MustCompile(`<img src="(/media/lessons/[^"]+)" alt="([^"]*)"`)
	stylesheetRe  = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`)
	scriptFilesRe = regexp.MustCompile(`<script[^>]* src="([^"]+)"`)
)

// TestLessonPagesWithPicturesWithinBudget loads every lesson in both
// languages as a first-time visitor's browser would (page, style sheet,
// script and pictures) and holds it to the 50 kB page-weight budget the
// browser checks apply to the one lesson they visit. Each picture is an SVG
// served by the portal with alt text in the page's language.
func TestLessonPagesWithPicturesWithinBudget(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	const budget = 50_000
	heaviest, heaviestPage := 0, ""
	for _, l := range ts.srv.lessons.lib.Lessons {
		for _, lang := range i18n.Langs() {
			page := ts.get("/"+string(lang)+"/lessons/"+l.Slug).mustStatus(t, http.StatusOK)
			total := weightOf(page)
			var assets []string
			for _, re := range []*regexp.Regexp{stylesheetRe, scriptFilesRe} {
				for _, m := range re.FindAllStringSubmatch(page.Body, -1) {
					assets = append(assets, m[1])
				}
			}
			imgs := lessonImgRe.FindAllStringSubmatch(page.Body, -1)
			if len(imgs) == 0 {
				t.Errorf("%s/%s shows no picture", lang, l.Slug)
			}
			for _, m := range imgs {
				if strings.TrimSpace(m[2]) == "" {
					t.Errorf("%s/%s: picture %s has no alt text", lang, l.Slug, m[1])
				}
				if !strings.HasSuffix(m[1], "-"+string(lang)+".svg") {
					t.Errorf("%s/%s shows %s, want the picture for its language", lang, l.Slug, m[1])
				}
				assets = append(assets, m[1])
			}
			for _, a := range assets {
				res := ts.get(a).mustStatus(t, http.StatusOK)
				if strings.HasSuffix(a, ".svg") && res.Header.Get("Content-Type") != "image/svg+xml" {
					t.Errorf("%s: Content-Type %q, want image/svg+xml", a, res.Header.Get("Content-Type"))
				}
				total += weightOf(res)
			}
			if total > budget {
				t.Errorf("%s/%s weighs %d bytes with its pictures, budget %d", lang, l.Slug, total, budget)
			}
			if total > heaviest {
				heaviest, heaviestPage = total, string(lang)+"/"+l.Slug
			}
		}
	}
	t.Logf("heaviest lesson page: %s, %d bytes of %d", heaviestPage, heaviest, budget)
}

func TestQuizRetryThenPass(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	slug := "nhan-dien-lua-dao-truc-tuyen"
	lesson, _ := ts.srv.lessons.lib.Lesson(slug)
	quiz := lesson.In(i18n.VI).Quiz

	// Nothing chosen: the form comes back with an error per question.
	res := ts.post("/vi/lessons/"+slug, url.Values{}).mustStatus(t, http.StatusBadRequest)
	res.mustContain(t, "<title>Lỗi: ", `href="#answer-`+quiz[0].ID+`"`, `id="answer-`+quiz[0].ID+`"`)

	// All wrong: each answer says why, nothing is recorded.
	wrong := answers(t, ts, slug, i18n.VI, true)
	res = ts.post("/vi/lessons/"+slug, wrong).mustStatus(t, http.StatusOK)
	o, _ := quiz[0].Option(wrong.Get("answer-" + quiz[0].ID))
	res.mustContain(t, "Chưa đúng.", o.Explanation, "Kiểm tra lại")
	if strings.Contains(res.Body, "Hoàn thành ngày") || strings.Contains(res.Body, "đã được ghi là hoàn thành") {
		t.Error("a failed quiz shows the lesson as completed")
	}

	// All right: completed, with a resume code.
	res = ts.post("/vi/lessons/"+slug, answers(t, ts, slug, i18n.VI, false)).mustStatus(t, http.StatusOK)
	res.mustContain(t, "Chúc mừng", "Đúng rồi.", "Bài học này đã được ghi là hoàn thành.")
	m := resumeCodeRe.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no resume code after passing:\n%s", res.Body)
	}
	ts.get("/vi/progress").mustStatus(t, http.StatusOK).mustContain(t, m[1], lesson.In(i18n.VI).Title)
	ts.get("/en/lessons").mustStatus(t, http.StatusOK).mustContain(t, "You have completed 1 of")

	// Passing again keeps one completion.
	ts.post("/en/lessons/"+slug, answers(t, ts, slug, i18n.EN, false)).mustStatus(t, http.StatusOK).mustContain(t, "already completed")

	// Another device carries on with the code; a typo is caught first.
	other := ts.newVisitor()
	typo := []byte(m[1])
	typo[0], typo[1] = typo[1], typo[0]
	if typo[0] != typo[1] {
		other.post("/vi/progress/resume", url.Values{"code": {string(typo)}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "gõ nhầm hoặc đảo chỗ")
	}
	other.post("/vi/progress/resume", url.Values{"code": {"22222-2222X"}}).mustStatus(t, http.StatusBadRequest)
	other.post("/vi/progress/resume", url.Values{"code": {""}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "Hãy nhập mã")
	other.post("/vi/progress/resume", url.Values{"code": {strings.ToLower(m[1])}}).mustStatus(t, http.StatusSeeOther)
	other.get("/vi/progress?resumed=1").mustStatus(t, http.StatusOK).mustContain(t, lesson.In(i18n.VI).Title, "Đã tìm thấy tiến độ")

	// Stop showing it on a shared computer.
	other.post("/vi/progress/forget", url.Values{}).mustStatus(t, http.StatusSeeOther)
	if strings.Contains(other.get("/vi/progress").Body, m[1]) {
		t.Error("the progress page still shows the resume code after forgetting")
	}
}

// exampleCodeRe finds the example code in a form's hint.
var exampleCodeRe = regexp.MustCompile(`[0-9A-Z]{4,5}(?:-[0-9A-Z]{3,5})+`)

// TestHintExamplesAreValidCodes: a person who types the example of a hint
// to see what happens is told "not found", never "mistyped": the example is
// a well-formed code of its kind.
func TestHintExamplesAreValidCodes(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	parse := func(f func(string) (string, error)) func(string) error {
		return func(s string) error { _, err := f(s); return err }
	}
	for _, tt := range []struct {
		key   string
		parse func(string) error
	}{
		{"lessons.resume.hint", parse(content.ParseResumeCode)},
		{"lessons.verify.code_hint", parse(content.ParseCertificateCode)},
		{"assessment.resume.hint", parse(assessments.ParseResumeCode)},
	} {
		for _, lang := range i18n.Langs() {
			hint := ts.srv.bundle.Localizer(lang).T(tt.key)
			example := exampleCodeRe.FindString(hint)
			if example == "" {
				t.Errorf("%s %s = %q: no example code found", lang, tt.key, hint)
				continue
			}
			if err := tt.parse(example); err != nil {
				t.Errorf("%s %s: example %q does not read as a code: %v", lang, tt.key, example, err)
			}
		}
	}
}

func TestUnknownResumeCodesAreThrottled(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	var last *response
	for i := range 40 {
		data := "2345" + string("ABCDEFGHJKMNPQRSTUVWXYZ"[i%23]) + "6789"
		code, _ := content.ParseResumeCode(data + string(checkCharFor(t, data)))
		last = ts.post("/vi/progress/resume", url.Values{"code": {code}})
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Errorf("40 unknown codes from one address: last status %d, want 429", last.StatusCode)
	}
}

// checkCharFor finds the character that completes data into a valid
// resume code, through the public parser only.
func checkCharFor(t *testing.T, data string) byte {
	t.Helper()
	for _, c := range []byte("23456789ABCDEFGHJKMNPQRSTUVWXYZ") {
		if _, err := content.ParseResumeCode(data + string(c)); err == nil {
			return c
		}
	}
	t.Fatalf("no check character completes %q", data)
	return 0
}

// finishPath passes every lesson of the path as visitor ts.
func finishPath(t *testing.T, ts *testServer, lang i18n.Lang, slug string) {
	t.Helper()
	p, ok := ts.srv.lessons.lib.Path(slug)
	if !ok {
		t.Fatalf("no path %s", slug)
	}
	for _, l := range p.Lessons {
		ts.post("/"+string(lang)+"/lessons/"+l, answers(t, ts, l, lang, false)).mustStatus(t, http.StatusOK)
	}
}

var certCodeRe = regexp.MustCompile(`/certificates/([2-9A-Z]{5}-[2-9A-Z]{5}-[2-9A-Z]{5})/print`)

func TestCertificateIssueVerifyWithdraw(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		path := ts.srv.lessons.lib.Paths[0]
		ts.get("/vi/paths/"+path.Slug).mustStatus(t, http.StatusOK).mustContain(t, "Hoàn thành cả")
		ts.post("/vi/paths/"+path.Slug+"/certificate", url.Values{"name": {"Trần Thị Lan"}, "consent": {"yes"}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, "hoàn thành tất cả các bài")
		finishPath(t, ts, i18n.VI, path.Slug)
		ts.get("/vi/paths/"+path.Slug).mustStatus(t, http.StatusOK).mustContain(t, `name="name"`, `name="consent"`)

		ts.post("/vi/paths/"+path.Slug+"/certificate", url.Values{"name": {"Trần Thị Lan"}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#consent"`)
		ts.post("/vi/paths/"+path.Slug+"/certificate", url.Values{"name": {""}, "consent": {"yes"}}).
			mustStatus(t, http.StatusBadRequest).mustContain(t, `href="#name"`)
		res := ts.post("/vi/paths/"+path.Slug+"/certificate", url.Values{"name": {"Trần Thị Lan"}, "consent": {"yes"}}).mustStatus(t, http.StatusSeeOther)
		m := certCodeRe.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("issued to %q, want a certificate's print page", res.Header.Get("Location"))
		}
		code := m[1]
		// Asking again, under another name, gives the same certificate.
		again := ts.post("/vi/paths/"+path.Slug+"/certificate", url.Values{"name": {"Trần Lan"}, "consent": {"yes"}}).mustStatus(t, http.StatusSeeOther)
		if loc := again.Header.Get("Location"); loc != res.Header.Get("Location") {
			t.Errorf("issued again to %q, want the first certificate %q", loc, res.Header.Get("Location"))
		}
		page := ts.get("/vi/paths/"+path.Slug).mustStatus(t, http.StatusOK).mustContain(t, code, "Bạn đã có giấy chứng nhận")
		if strings.Contains(page.Body, `name="consent"`) {
			t.Error("the path page offers a second certificate")
		}
		ts.get("/vi/certificates/"+code+"/print").mustStatus(t, http.StatusOK).
			mustContain(t, "Trần Thị Lan", path.Name[i18n.VI], path.Name[i18n.EN], code, `lang="en"`, "Certificate of completion")

		// Someone else verifies it, typing it their way.
		verifier := ts.newVisitor()
		res = verifier.get("/en/certificates?code=" + url.QueryEscape(strings.ToLower(strings.ReplaceAll(code, "-", " "))))
		res.mustStatus(t, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/en/certificates/"+code {
			t.Errorf("verify form sent to %q, want /en/certificates/%s", loc, code)
		}
		verifier.get("/en/certificates/"+code).mustStatus(t, http.StatusOK).
			mustContain(t, "This certificate is genuine", "Trần Thị Lan", path.Name[i18n.EN])
		verifier.get("/en/certificates/"+strings.ToLower(code)).mustStatus(t, http.StatusSeeOther)

		// One swapped pair is caught by the check character.
		typo := []byte(code)
		i := 0
		for typo[i] == typo[i+1] || typo[i] == '-' || typo[i+1] == '-' {
			i++
		}
		typo[i], typo[i+1] = typo[i+1], typo[i]
		verifier.get("/en/certificates/"+string(typo)).mustStatus(t, http.StatusNotFound).mustContain(t, "mistyped")
		verifier.get("/en/certificates?code="+string(typo)).mustStatus(t, http.StatusBadRequest).mustContain(t, "mistyped or swapped")
		verifier.get("/vi/certificates/22222-22222-2222X").mustStatus(t, http.StatusNotFound)
		unknown, _ := content.NewCertificateCode()
		verifier.get("/vi/certificates/"+content.FormatCode(unknown)).mustStatus(t, http.StatusNotFound).
			mustContain(t, "Không có giấy chứng nhận nào mang mã này")

		// Only the holder may withdraw it; then the name is gone.
		verifier.post("/vi/certificates/"+code+"/withdraw", url.Values{}).mustStatus(t, http.StatusNotFound)
		ts.get("/vi/progress").mustStatus(t, http.StatusOK).mustContain(t, code)
		ts.post("/vi/certificates/"+code+"/withdraw", url.Values{}).mustStatus(t, http.StatusSeeOther)
		res = verifier.get("/vi/certificates/"+code).mustStatus(t, http.StatusOK)
		res.mustContain(t, "đã bị thu hồi")
		if strings.Contains(res.Body, "Trần Thị Lan") {
			t.Error("a withdrawn certificate still shows the name")
		}
	})
}

// TestCertificatePathMistyped: a code in the address that no certificate
// could have is answered as the verify form answers it, "mistyped", with
// what codes look like; never "not found", which would suggest a forgery.
func TestCertificatePathMistyped(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/en/certificates/ABCDE-FGHJK-MNPQ0", []string{"The verification code is mistyped", "never 0, 1, I, L or O"}},
		{"/en/certificates/ABCDE-FGHJK-MNPQ", []string{"The verification code is mistyped", "15 characters"}},
		{"/vi/certificates/ABCDE-FGHJK-MNPQO", []string{"Mã xác minh bị gõ nhầm", "không có số 0, số 1, chữ I, L, O"}},
		{"/vi/certificates/ABCDE-FGHJK-MNPQR", []string{"Mã xác minh bị gõ nhầm", "Ký tự kiểm tra"}},
		{"/en/certificates/ABCDE-FGHJK-MNPQ0/print", []string{"The verification code is mistyped"}},
	} {
		res := ts.get(tt.path).mustStatus(t, http.StatusNotFound).mustContain(t, tt.want...)
		if strings.Contains(res.Body, "No certificate has this code") || strings.Contains(res.Body, "Không có giấy chứng nhận nào") {
			t.Errorf("%s says not found, want mistyped", tt.path)
		}
	}
}

func TestDemoCertificateSample(t *testing.T) {
	db := dbtest.SQLite(t)
	if err := content.SeedDemo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, db)
	for _, p := range ts.srv.Pages() {
		if !strings.Contains(p.Pattern, "/lessons") && !strings.Contains(p.Pattern, "/paths") &&
			!strings.Contains(p.Pattern, "/progress") && !strings.Contains(p.Pattern, "/certificates") {
			continue
		}
		if p.Access != "" {
			continue
		}
		for _, path := range p.Paths {
			for _, lang := range i18n.Langs() {
				ts.get(strings.ReplaceAll(path, "{lang}", string(lang))).mustStatus(t, http.StatusOK)
			}
		}
	}
}

func TestProgressMergedAtSignIn(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	slug := "mat-khau-va-xac-thuc-hai-buoc"
	ts.post("/vi/lessons/"+slug, answers(t, ts, slug, i18n.VI, false)).mustStatus(t, http.StatusOK)
	ts.signInAs(accounts.RoleResident, "")
	lesson, _ := ts.srv.lessons.lib.Lesson(slug)
	// Without the consent to keep progress the progress stays the
	// session's, still shown, with its resume code.
	res := ts.get("/vi/progress").mustStatus(t, http.StatusOK)
	res.mustContain(t, lesson.In(i18n.VI).Title).mustNotContain(t, "lưu trong tài khoản")
	// Ticking the consent takes it into the account.
	if to := location(t, ts.post("/vi/account/consents", url.Values{"consent_" + content.ProgressPurpose: {"yes"}})); to != "/vi/account?saved=1" {
		t.Fatalf("consents saved, then went to %q", to)
	}
	res = ts.get("/vi/progress").mustStatus(t, http.StatusOK)
	res.mustContain(t, lesson.In(i18n.VI).Title, "lưu trong tài khoản")
	if resumeCodeRe.MatchString(res.Body) {
		t.Error("a signed-in learner is shown a resume code")
	}
	// Withdrawing it cuts the progress loose: this browser keeps it under a
	// new resume code, the account keeps nothing.
	if to := location(t, ts.post("/vi/account/consents", url.Values{})); to != "/vi/account?saved=1" {
		t.Fatalf("consents saved, then went to %q", to)
	}
	res = ts.get("/vi/progress").mustStatus(t, http.StatusOK)
	res.mustContain(t, lesson.In(i18n.VI).Title).mustNotContain(t, "lưu trong tài khoản")
}

func TestLessonsStatsNeedsAnOfficial(t *testing.T) {
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	ts := newTestServer(t, db)
	ts.get("/vi/reports/lessons").mustStatus(t, http.StatusSeeOther)
	resident := ts.newVisitor()
	resident.signInAs(accounts.RoleResident, "")
	resident.get("/vi/reports/lessons").mustStatus(t, http.StatusForbidden)
	official := ts.newVisitor()
	official.signInAs(accounts.RoleCommuneOfficial, units[accounts.RoleCommuneOfficial])
	first := ts.srv.lessons.lib.Lessons[0]
	official.get("/en/reports/lessons").mustStatus(t, http.StatusOK).mustContain(t, "Lesson usage", first.In(i18n.EN).Title)
	official.get("/en/reports/lessons?month=2026-13").mustStatus(t, http.StatusBadRequest)
}

func TestLessonMedia(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.get("/media/lessons/dich-vu-cong-truc-tuyen/khong-co.png").mustStatus(t, http.StatusNotFound)
	ts.get("/media/lessons/dich-vu-cong-truc-tuyen/vi.md").mustStatus(t, http.StatusNotFound)
}

func FuzzQuizForm(f *testing.F) {
	ts := newTestServer(f, dbtest.SQLite(f))
	f.Add("answer-q1=a&answer-q2=b")
	f.Add("answer-q1=%00&answer-zz=1")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, body string) {
		req, err := http.NewRequest(http.MethodPost, ts.http.URL+"/vi/lessons/nhan-dien-lua-dao-truc-tuyen", strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := ts.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Errorf("body %q: status %d", body, res.StatusCode)
		}
	})
}

// The indicators part reads lesson completions through its MonthlyCounter,
// and account export and deletion reach lesson data through DataHolder.
var (
	_ indicators.MonthlyCounter = content.CompletionCounter{}
	_ accounts.DataHolder       = content.DataHolder{}
)
