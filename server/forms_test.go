package server

import (
	"time"

	"github.com/pquerna/otp/totp"

	"bytes"
	"cmp"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/payments"
)

// formSend is one submission of a form: its values and the fields whose
// problems must all show at once, each linked from the error summary
// (none: the answer need not be a form with errors, as when a tampered
// choice gets the bad-request page).
type formSend struct {
	values url.Values
	fields []string
	upload bool // send as multipart/form-data, as the page's form does
	file   []byte
	status int // the status wanted with the fields' problems; 0 means 400
}

// formCase is how TestFormMessages sends one POST route's form.
type formCase struct {
	// setup prepares what the form needs (a response, a report, a token)
	// for the signed-in visitor v and returns the path to post to, with
	// {lang} left in, and sends that depend on what it made; nil posts to
	// the pattern's own path.
	setup formSetup
	// sends are the submissions besides the empty one; empty lists the
	// fields the empty submission must show, all at once.
	empty []string
	sends []formSend
	// noForm, when set, says why the route has no field a person fills
	// in (a button): it is still sent empty, and must show no stock text.
	noForm string
	upload bool // the form is multipart/form-data (a file import)
}

// formSetup prepares a form case; see formCase.setup.
type formSetup func(t *testing.T, f *formFixture, v *testServer) (string, []formSend)

// formFixture is what the form cases share: the server over the demo data
// and the units officials are scoped to.
type formFixture struct {
	ts    *testServer
	db    *bun.DB
	units map[accounts.Role]string
}

// formCases lists every POST route under a language prefix. A new form
// must be added here, or TestFormMessages fails saying so.
func formCases() map[string]formCase {
	long := func(n int) string { return strings.Repeat("a", n) }
	return map[string]formCase{
		"POST /{lang}/settings/text-size": {sends: []formSend{{values: url.Values{"size": {"huge"}}}}},
		"POST /{lang}/signup": {empty: []string{"email", "kind", "password"}, sends: []formSend{
			{values: url.Values{"email": {"lan@"}, "name": {long(101)}, "kind": {"admin"}, "password": {"abc"}}, fields: []string{"email", "name", "kind", "password"}},
			{values: url.Values{"email": {long(250) + "@example.test"}, "kind": {"resident"}, "password": {"password"}}, fields: []string{"email", "password"}},
		}},
		"POST /{lang}/signup/confirm/{token}": {noForm: "a button that finishes a sign-up from its e-mail link"},
		"POST /{lang}/login": {empty: []string{"email", "password"}, sends: []formSend{
			{values: url.Values{"email": {long(255)}, "password": {long(513)}}, fields: []string{"email", "password"}},
			{values: url.Values{"email": {"khong-co@example.test"}, "password": {"sai mật khẩu"}}, fields: []string{"email"}},
		}},
		"POST /{lang}/login/code": {setup: pendingSecondFactor, empty: []string{"code"}, sends: []formSend{
			{values: url.Values{"code": {"12"}}, fields: []string{"code"}},
		}},
		"POST /{lang}/logout": {noForm: "a button that signs out"},
		"POST /{lang}/password/recover": {empty: []string{"login", "code", "password"}, sends: []formSend{
			{values: url.Values{"login": {"ai.do"}, "code": {"sai"}, "password": {"một câu dài để thử nghiệm"}}, fields: []string{"code"}},
		}},
		"POST /{lang}/account/assisted-reset": {empty: []string{"login", "reason"}, sends: []formSend{
			{values: url.Values{"login": {"khong.co"}, "reason": {long(501)}}, fields: []string{"login", "reason"}},
		}},
		"POST /{lang}/password/forgot": {empty: []string{"email"}, sends: []formSend{
			{values: url.Values{"email": {"lan@"}}, fields: []string{"email"}},
			{values: url.Values{"email": {long(250) + "@example.test"}}, fields: []string{"email"}},
		}},
		"POST /{lang}/set-password/{token}": {setup: passwordLink, empty: []string{"password"}, sends: []formSend{{values: url.Values{"password": {"abc"}}, fields: []string{"password"}}}},
		"POST /{lang}/reauth":               {empty: []string{"password"}, sends: []formSend{{values: url.Values{"password": {"sai"}}, fields: []string{"password"}}}},
		"POST /{lang}/account/password": {empty: []string{"current", "new"}, sends: []formSend{
			{values: url.Values{"current": {"sai"}, "new": {"abc"}}, fields: []string{"current", "new"}},
		}},
		"POST /{lang}/account/2fa":                 {setup: totpEnrolment, empty: []string{"code"}, sends: []formSend{{values: url.Values{"code": {"12"}}, fields: []string{"code"}}}},
		"POST /{lang}/account/consents":            {noForm: "tick boxes only: no answer is wrong"},
		"POST /{lang}/reports/review/approve-all":  {noForm: "a button under the list it approves; the list is sent hidden"},
		"POST /{lang}/account/sessions/end-others": {noForm: "a button that signs out the other sessions"},
		"POST /{lang}/account/export":              {noForm: "a button that downloads the account's data"},
		"POST /{lang}/account/delete":              {empty: []string{"password"}, sends: []formSend{{values: url.Values{"password": {"sai"}}, fields: []string{"password"}}}},
		"POST /{lang}/admin/users/new": {empty: []string{"email", "role"}, sends: []formSend{
			{values: url.Values{"email": {"lan@"}, "name": {long(101)}, "role": {"commune_official"}}, fields: []string{"email", "name", "unit"}},
			{values: url.Values{"email": {"lan@example.test"}, "role": {"king"}, "unit": {long(21)}}, fields: []string{"role", "unit"}},
		}},
		"POST /{lang}/admin/users/{id}": {setup: otherUser, sends: []formSend{
			{values: url.Values{"op": {"role"}, "role": {"commune_official"}}, fields: []string{"unit"}},
			{values: url.Values{"op": {"role"}, "role": {"king"}, "unit": {strings.Repeat("7", 21)}}, fields: []string{"role", "unit"}},
		}},
		"POST /{lang}/admin/settings": {noForm: "tick boxes only: no answer is wrong"},

		"POST /{lang}/lessons/{slug}": {setup: firstLesson},
		"POST /{lang}/paths/{slug}/certificate": {setup: firstPath, empty: []string{"name", "consent"}, sends: []formSend{
			{values: url.Values{"name": {long(81)}, "consent": {"maybe"}}, fields: []string{"name", "consent"}},
			{values: url.Values{"name": {"   "}, "consent": {"yes"}}, fields: []string{"name"}},
		}},
		"POST /{lang}/progress/resume":                       {empty: []string{"code"}, sends: []formSend{{values: url.Values{"code": {"ABC"}}, fields: []string{"code"}}}},
		"POST /{lang}/progress/forget":                       {noForm: "a button that forgets this device's progress"},
		"POST /{lang}/certificates/{code}/withdraw":          {noForm: "a button that withdraws the learner's own certificate"},
		"POST /{lang}/assessment":                            {noForm: "a button that starts a self-assessment"},
		"POST /{lang}/assessment/resume":                     {empty: []string{"code"}, sends: []formSend{{values: url.Values{"code": {"ABC"}}, fields: []string{"code"}}}},
		"POST /{lang}/assessment/{id}/consent":               {setup: assessmentAt("consent"), noForm: "one tick box: no answer is wrong"},
		"POST /{lang}/assessment/{id}/retake":                {setup: assessmentAt("retake"), noForm: "a button that starts again"},
		"POST /{lang}/payments/{ref}/checkout":               {noForm: "a button that goes to the payment page"},
		"POST /{lang}/payments/{ref}/cancel":                 {noForm: "a button that cancels the practice payment"},
		"POST /{lang}/reports/import/commit":                 {noForm: "a button that writes a checked file"},
		"POST /{lang}/admin/definitions/targets/{id}/delete": {noForm: "a button that deletes a target"},
		"POST /{lang}/assessment/{id}/profile": {setup: assessmentAt("profile"), empty: []string{"sector", "employees", "revenue", "capital", "area"}, sends: []formSend{
			{values: url.Values{"sector": {"Z"}, "employees": {"mười"}, "revenue": {"r99"}, "capital": {"x"}, "area": {"99999"}}, fields: []string{"sector", "employees", "revenue", "capital", "area"}},
			{values: url.Values{"sector": {"G"}, "employees": {"99999999"}, "revenue": {"r1"}, "capital": {"unknown"}}, fields: []string{"employees", "area"}},
		}},
		"POST /{lang}/assessment/{id}/questions/{page}": {setup: assessmentPage},
		"POST /{lang}/assessment/{id}/review":           {setup: assessmentReview},
		"POST /{lang}/payments":                         {empty: []string{"fee"}, sends: []formSend{{values: url.Values{"fee": {"khong-co"}}}}},
		"POST /{lang}/payments/{ref}/practice/card": {setup: practicePayment("/card"), empty: []string{"card", "expiry", "cvc"}, sends: []formSend{
			{values: url.Values{"card": {"1234 5678"}, "expiry": {"13/99"}, "cvc": {"ab"}}, fields: []string{"card", "expiry", "cvc"}},
			{values: url.Values{"card": {"4000 0000 0000 0002"}, "expiry": {"01/20"}, "cvc": {"123"}}, fields: []string{"expiry"}},
			{values: url.Values{"card": {"4000 0000 0000 9995"}, "expiry": {"12/40"}, "cvc": {"123"}}, fields: []string{"card"}},
		}},
		"POST /{lang}/payments/{ref}/practice/3ds":  {setup: practicePayment("/3ds"), noForm: "buttons: the bank's step confirmed or not"},
		"POST /{lang}/payments/{ref}/practice/bank": {setup: practicePayment("/bank"), noForm: "buttons: the transfer arrives or does not"},
		"POST /{lang}/reports/payments/{ref}/refund": {setup: paidPayment, empty: []string{"amount", "reason"}, sends: []formSend{
			{values: url.Values{"amount": {"năm mươi"}, "reason": {"x"}}, fields: []string{"amount", "reason"}},
			{values: url.Values{"amount": {"999999999"}}, fields: []string{"amount", "reason"}},
		}},
		"POST /{lang}/reports/entry":       {setup: entryValues},
		"POST /{lang}/reports/review/{id}": {setup: reportIn(indicators.StatusSubmitted, ""), sends: []formSend{{values: url.Values{"action": {"return"}}, fields: []string{"comment"}}}},
		"POST /{lang}/reports/review/{id}/followups": {setup: reportIn(indicators.StatusSubmitted, "/followups"), empty: []string{"followup-element", "followup-question"}, sends: []formSend{
			{values: url.Values{"element": {"999999"}, "question": {strings.Repeat("?", 2001)}}, fields: []string{"followup-element", "followup-question"}},
		}},
		"POST /{lang}/reports/followups/{id}": {setup: followupAsked, sends: []formSend{
			{values: url.Values{"answer": {strings.Repeat("a", 2001)}}},
		}},
		"POST /{lang}/admin/rules": {empty: []string{"name_vi", "name_en", "left", "op", "right", "message_vi", "message_en"}, sends: []formSend{
			{values: url.Values{"name_vi": {"Quy tắc"}, "name_en": {"Rule"}, "left": {"KHONG_CO + "}, "op": {"<>"}, "right": {"HH_TOTAL"},
				"message_vi": {"Sai"}, "message_en": {"Wrong"}}, fields: []string{"left", "op"}},
		}},
		"POST /{lang}/teams": {empty: []string{"name", "households"}, sends: []formSend{
			{values: url.Values{"name": {long(101)}, "households": {"nhiều"}}, fields: []string{"name", "households"}},
		}},
		"POST /{lang}/teams/{id}/members/{member}/remove": {noForm: "a button that takes a member off the team"},
		"POST /{lang}/teams/leave":                        {noForm: "a button with which a helper leaves their team"},
		"POST /{lang}/teams/log": {setup: helpersInTeam(false), empty: []string{"day", "kind", "households"}, sends: []formSend{
			{values: url.Values{"day": {"hôm qua"}, "kind": {"x"}, "households": {"nhiều"}, "people_15_59": {"-1"}, "people_60": {"1001"}, "note": {"gọi 0912 345 678"}},
				fields: []string{"day", "kind", "households", "people_15_59", "people_60", "note"}},
		}},
		"POST /{lang}/teams/log/entries/{id}": {setup: helpersInTeam(true), empty: []string{"day", "kind", "households"}, sends: []formSend{
			{values: url.Values{"day": {"2020-01-01"}, "kind": {"visit"}, "households": {"2"}, "note": {"CCCD 001203004567"}}, fields: []string{"day", "note"}},
		}},
		"POST /{lang}/teams/assist/account": {empty: []string{"username"}, sends: []formSend{
			{values: url.Values{"username": {"a"}}, fields: []string{"username"}},
			{values: url.Values{"username": {"lan0912345678"}}, fields: []string{"username"}},
		}},
		"POST /{lang}/teams/assist/reset": {empty: []string{"login", "reason"}, sends: []formSend{
			{values: url.Values{"login": {long(255)}, "reason": {long(201)}}, fields: []string{"login", "reason"}},
			{values: url.Values{"login": {"khong.co"}, "reason": {"gọi 0912 345 678"}}, fields: []string{"reason"}},
			{values: url.Values{"login": {"khong.co"}, "reason": {"quên mật khẩu"}}, fields: []string{"login"}},
		}},
		"POST /{lang}/teams/classes": {setup: classHelpers(""), empty: []string{"place", "day", "start", "end", "capacity", "lessons"}, sends: []formSend{
			{values: url.Values{"place": {"gọi 0912 345 678"}, "day": {"mai"}, "start": {"8h"}, "end": {"x"}, "capacity": {"0"}, "lessons": {"nau-an"}, "note": {long(301)}},
				fields: []string{"place", "day", "start", "end", "capacity", "lessons", "note"}},
		}},
		"POST /{lang}/teams/classes/{id}/edit": {setup: classHelpers("/edit"), empty: []string{"place", "day", "start", "end", "capacity", "lessons"}, sends: []formSend{
			{values: url.Values{"place": {long(121)}, "day": {"2020-01-01"}, "start": {"08:00"}, "end": {"09:00"}, "capacity": {"501"}, "lessons": {"tai-khoan-dinh-danh-vneid"}, "note": {"CCCD 001203004567"}},
				fields: []string{"place", "day", "capacity", "note"}},
		}},
		"POST /{lang}/teams/classes/{id}/cancel": {noForm: "a button that cancels a class"},
		"POST /{lang}/teams/classes/{id}/attendance": {setup: classHelpers("/attendance"), empty: []string{"attended_15_59", "covered"}, sends: []formSend{
			{values: url.Values{"attended_15_59": {"-1"}, "attended_60": {"501"}, "covered": {"nau-an"}}, fields: []string{"attended_15_59", "attended_60", "covered"}},
		}},
		"POST /{lang}/teams/{id}": {setup: teamAt(""), empty: []string{"name", "households"}, sends: []formSend{
			{values: url.Values{"name": {"Tổ\u2028thôn"}, "households": {"-1"}}, fields: []string{"name", "households"}},
			{values: url.Values{"name": {"Tổ thôn"}, "households": {"1"}, "desk_place": {"Gọi 0912 345 678"}, "desk_hours": {long(121)}},
				fields: []string{"desk_place", "desk_hours"}},
		}},
		"POST /{lang}/teams/{id}/invite": {setup: teamAt("/invite"), empty: []string{"email"}, sends: []formSend{
			{values: url.Values{"email": {"lan@"}, "member_name": {long(101)}}, fields: []string{"email", "member_name"}},
		}},
		"POST /{lang}/admin/rules/{id}/delete":    {setup: fixedPath("/{lang}/admin/rules/1/delete"), noForm: "a button that deletes a rule"},
		"POST /{lang}/reports/review/{id}/unlock": {setup: reportIn(indicators.StatusApproved, "/unlock"), empty: []string{"comment"}},
		"POST /{lang}/reports/import": {upload: true, empty: []string{"file"}, sends: []formSend{
			// A file read row by row: the summary counts the rows' problems
			// and links to the table of them.
			{upload: true, file: []byte("Mã đơn vị,Kỳ\n26506,tháng mười\n"), fields: []string{"problems"}, status: http.StatusUnprocessableEntity},
		}},
		"POST /{lang}/admin/units/import": {upload: true, sends: []formSend{
			{upload: true, values: url.Values{"kind": {"units"}}, fields: []string{"import-day", "file"}},
			{upload: true, values: url.Values{"kind": {"mapping"}, "day": {"hôm qua"}}, file: []byte("Mã cũ,Mã mới\n"), fields: []string{"import-day"}},
		}},
		"POST /{lang}/admin/definitions/settings": {empty: []string{"jump", "complete"}, sends: []formSend{
			{values: url.Values{"jump": {"nhiều"}, "home": {"99999"}, "complete": {"80"}}, fields: []string{"jump", "home"}},
			{values: url.Values{"jump": {"30"}, "complete": {"120"}}, fields: []string{"complete"}},
		}},
		"POST /{lang}/admin/definitions/elements/{id}": {setup: fixedPath("/{lang}/admin/definitions/elements/3"), empty: []string{"name_vi", "name_en"}, sends: []formSend{
			{values: url.Values{"name_vi": {long(301)}, "name_en": {long(301)}, "min_age": {"mười"}, "max_age": {"200"}, "order": {"x"}}, fields: []string{"name_vi", "name_en", "min_age", "max_age", "order"}},
			{values: url.Values{"name_vi": {"Dân số"}, "name_en": {"Population"}, "min_age": {"60"}, "max_age": {"15"}}, fields: []string{"max_age"}},
		}},
		"POST /{lang}/admin/definitions/indicators/{code}": {setup: fixedPath("/{lang}/admin/definitions/indicators/SMARTPHONE"), empty: []string{"name_vi", "name_en", "numerator", "denominator"}, sends: []formSend{
			{values: url.Values{"name_vi": {"Tỷ lệ"}, "name_en": {"Share"}, "numerator": {"3"}, "denominator": {"3"}}, fields: []string{"denominator"}},
		}},
		"POST /{lang}/admin/definitions/targets": {empty: []string{"indicator", "year", "value", "source_vi", "source_en"}, sends: []formSend{
			{values: url.Values{"indicator": {"NOPE"}, "year": {"1999"}, "value": {"nhiều"}, "unit": {long(11)}, "source_vi": {long(501)}, "source_en": {long(501)}}, fields: []string{"indicator", "year", "value", "unit", "source_vi", "source_en"}},
			{values: url.Values{"indicator": {"SMARTPHONE"}, "year": {"2030"}, "value": {"150"}, "source_vi": {"Kế hoạch"}, "source_en": {"Plan"}}, fields: []string{"value"}},
		}},
	}
}

// stockFragments are what go-playground/validator's own messages say, and
// the lists of values and field names they show; none may reach a reader.
var stockFragments = []string{
	"is a required field", "must be a valid", "must be one of", "must be at", "phải là", "không được bỏ trống",
	"giá trị", "chỉ được chứa", "[", "]", "oneof", "required",
}

// TestFormMessages sends every form of the portal empty and with wrong
// values, in both languages, signed in as the least privileged role the
// route allows (as the browser checks do). Every problem shown, in the error
// summary or beside a field, must be one of the portal's own messages of
// that language (its template values filled in), never a stock text of
// the validator; and a form with several problems shows them all at once.
func TestFormMessages(t *testing.T) {
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	f := &formFixture{db: db, units: demoUnits(t, db)}
	// The built-in practice checkout, the default without a Stripe key: its
	// forms exist only there, and the refund form works the same.
	f.ts = newTestServer(t, db)
	known := map[i18n.Lang][]*regexp.Regexp{}
	for _, lang := range i18n.Langs() {
		known[lang] = portalMessages(t, lang)
	}
	cases := formCases()
	seen := map[string]bool{}
	for _, rt := range f.ts.srv.routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if method != http.MethodPost || !strings.HasPrefix(path, "/{lang}/") {
			continue
		}
		seen[rt.pattern] = true
		c, ok := cases[rt.pattern]
		if !ok {
			t.Errorf("%s: a form TestFormMessages does not send; add it to formCases", rt.pattern)
			continue
		}
		t.Run(strings.TrimPrefix(path, "/{lang}/"), func(t *testing.T) {
			if c.setup == nil && strings.Contains(strings.TrimPrefix(path, "/{lang}/"), "{") {
				if c.noForm == "" {
					t.Fatalf("%s: a form case needs a setup that fills in the path", rt.pattern)
				}
				t.Skipf("%s; nothing to fill in", c.noForm)
			}
			v := f.ts.newVisitor()
			v.t = t
			if rt.access != "" {
				role, ok := leastRoleFor(rt.access)
				if !ok {
					t.Fatalf("no role may take %q", rt.access)
				}
				v.signInAs(role, f.units[role])
			}
			at, sends := path, append([]formSend{{upload: c.upload, fields: c.empty}}, c.sends...)
			if c.setup != nil {
				var more []formSend
				at, more = c.setup(t, f, v)
				sends = append(sends, more...)
			}
			for _, lang := range i18n.Langs() {
				p := strings.ReplaceAll(at, "{lang}", string(lang))
				for i, s := range sends {
					res := v.send(p, s)
					if res.StatusCode >= 500 {
						t.Errorf("%s send %d: status %d", lang, i, res.StatusCode)
					}
					checkFormErrors(t, res, lang, known[lang], s, c.noForm == "")
				}
			}
		})
	}
	for p := range cases {
		if !seen[p] {
			t.Errorf("formCases lists %s, which is not a route", p)
		}
	}
}

// send posts s to path, as a browser sends the form.
func (ts *testServer) send(path string, s formSend) *response {
	ts.t.Helper()
	if !s.upload {
		return ts.post(path, s.values)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range s.values {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				ts.t.Fatal(err)
			}
		}
	}
	if s.file != nil {
		fw, err := mw.CreateFormFile("file", "du-lieu.csv")
		if err != nil {
			ts.t.Fatal(err)
		}
		fw.Write(s.file)
	}
	mw.Close()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.http.URL+path, &body)
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", ts.http.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return ts.do(req)
}

var (
	summaryList = regexp.MustCompile(`(?s)<div class="error-summary"[^>]*>.*?<ul>(.*?)</ul>`)
	summaryItem = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	summaryLink = regexp.MustCompile(`<a href="#([^"]+)">`)
	fieldError  = regexp.MustCompile(`(?s)<span class="field-error"[^>]*>(.*?)</span>`)
	anyTag      = regexp.MustCompile(`<[^>]+>`)
)

// checkFormErrors checks the problems a response shows: each is a portal
// message and holds no stock fragment, and the summary links to exactly
// the fields wanted (when fields are wanted, with status 400).
func checkFormErrors(t *testing.T, res *response, lang i18n.Lang, known []*regexp.Regexp, s formSend, form bool) {
	t.Helper()
	var texts []string
	var linked []string
	if m := summaryList.FindStringSubmatch(res.Body); m != nil {
		for _, li := range summaryItem.FindAllStringSubmatch(m[1], -1) {
			texts = append(texts, plainText(li[1]))
			if a := summaryLink.FindStringSubmatch(li[1]); a != nil {
				linked = append(linked, a[1])
			}
		}
	}
	for _, m := range fieldError.FindAllStringSubmatch(res.Body, -1) {
		texts = append(texts, plainText(m[1]))
	}
	where := res.Request.Method + " " + res.Request.URL.Path
	for _, text := range texts {
		for _, frag := range stockFragments {
			if strings.Contains(text, frag) {
				t.Errorf("%s (%s): %q holds %q, a validator's stock text or an internal value", where, lang, text, frag)
			}
		}
		if !slices.ContainsFunc(known, func(re *regexp.Regexp) bool { return re.MatchString(text) }) {
			t.Errorf("%s (%s): %q is not one of the portal's messages", where, lang, text)
		}
	}
	if len(s.fields) == 0 {
		return
	}
	if !form {
		t.Fatalf("%s: a route without a form cannot want fields", where)
	}
	status := cmp.Or(s.status, http.StatusBadRequest)
	if res.StatusCode != status {
		t.Errorf("%s (%s): status %d, want %d with the problems of %v", where, lang, res.StatusCode, status, s.fields)
	}
	slices.Sort(linked)
	want := slices.Clone(s.fields)
	slices.Sort(want)
	if !slices.Equal(slices.Compact(linked), want) {
		t.Errorf("%s (%s): the summary links to %v, want %v all at once (problems: %q)", where, lang, linked, want, texts)
	}
}

// plainText is the text a reader sees of an HTML fragment.
func plainText(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(anyTag.ReplaceAllString(s, ""))), " ")
}

var templateAction = regexp.MustCompile(`\{\{.*?\}\}`)

// portalMessages reads every message of lang from the message files and
// makes each a pattern that matches it with any template values filled in.
func portalMessages(t *testing.T, lang i18n.Lang) []*regexp.Regexp {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "i18n", "locales", "*."+string(lang)+".toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("message files of %s: %v", lang, err)
	}
	var out []*regexp.Regexp
	add := func(text string) {
		parts := templateAction.Split(strings.Join(strings.Fields(text), " "), -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		out = append(out, regexp.MustCompile(`^(?s)`+strings.Join(parts, `.*?`)+`$`))
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, v := range m {
			switch v := v.(type) {
			case string:
				add(v)
			case map[string]any:
				for form, text := range v {
					if s, ok := text.(string); ok && form != "description" {
						add(s)
					}
				}
			}
		}
	}
	return out
}

// The setups of the form cases.

func fixedPath(p string) formSetup {
	return func(*testing.T, *formFixture, *testServer) (string, []formSend) { return p, nil }
}

// pendingSecondFactor signs the visitor in with a password to an account
// with two-step verification, so that the code form waits for its code.
func pendingSecondFactor(t *testing.T, f *formFixture, v *testServer) (string, []formSend) {
	ctx := context.Background()
	hash, err := f.ts.srv.acct.passwords.Hash(ctx, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := accounts.CreateUser(ctx, f.db, accounts.NewUser{Email: "hai-buoc@example.test", Role: accounts.RoleResident, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.EnableTOTP(ctx, f.db, accounts.UserActor(u, "192.0.2.1"), secret, code); err != nil {
		t.Fatal(err)
	}
	v.post("/vi/login", url.Values{"email": {u.Email}, "password": {testPassword}}).mustStatus(t, http.StatusSeeOther)
	return "/{lang}/login/code", nil
}

// passwordLink makes a one-time set-password link for a new account.
func passwordLink(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
	ctx := context.Background()
	u, err := accounts.CreateUser(ctx, f.db, accounts.NewUser{Email: "lien-ket@example.test", Role: accounts.RoleBusiness})
	if err != nil {
		t.Fatal(err)
	}
	token, err := accounts.NewPasswordToken(ctx, f.db, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return "/{lang}/set-password/" + token, nil
}

// totpEnrolment opens the enrolment page, which keeps a new secret in the
// session for the form to confirm.
func totpEnrolment(t *testing.T, _ *formFixture, v *testServer) (string, []formSend) {
	v.get("/vi/account/2fa").mustStatus(t, http.StatusOK)
	return "/{lang}/account/2fa", nil
}

// otherUser is an account for the admin to change.
func otherUser(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
	u, err := accounts.CreateUser(context.Background(), f.db, accounts.NewUser{Email: "nguoi-khac@example.test", Role: accounts.RoleResident})
	if err != nil {
		t.Fatal(err)
	}
	return "/{lang}/admin/users/" + strconv.FormatInt(u.ID, 10), nil
}

func firstLesson(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
	lesson := f.ts.srv.lessons.lib.Lessons[0]
	var wrong []string
	vals := url.Values{}
	for _, q := range lesson.In(i18n.VI).Quiz {
		wrong = append(wrong, "answer-"+q.ID)
		vals.Set("answer-"+q.ID, "khong-co")
	}
	return "/{lang}/lessons/" + lesson.Slug, []formSend{{fields: wrong}, {values: vals, fields: wrong}}
}

// firstPath is a learning path the visitor has not finished, so that the
// certificate form also says the path is incomplete.
func firstPath(_ *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
	return "/{lang}/paths/" + f.ts.srv.lessons.lib.Paths[0].Slug + "/certificate", nil
}

// assessmentBase starts a self-assessment for the visitor and returns its
// address with {lang} left in.
func assessmentBase(t *testing.T, v *testServer) string {
	id, _ := startAssessment(t, v, "vi")
	return "/{lang}/assessment/" + id
}

// assessmentAt starts a self-assessment for the visitor and posts to one
// of its pages.
func assessmentAt(page string) formSetup {
	return func(t *testing.T, _ *formFixture, v *testServer) (string, []formSend) {
		return assessmentBase(t, v) + "/" + page, nil
	}
}

// assessmentPage posts to a question page that has a percentage question:
// sent on with nothing answered, every required question must show; with
// a percentage that cannot be read as well, that one too.
func assessmentPage(t *testing.T, f *formFixture, v *testServer) (string, []formSend) {
	m := f.ts.srv.assessments.cat.Current()
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		var required []string
		ratio := ""
		for _, it := range items {
			if !it.Optional {
				required = append(required, it.ID)
			}
			if it.Type == assessments.Ratio && ratio == "" {
				ratio = it.ID
			}
		}
		if ratio == "" || len(required) < 2 {
			continue
		}
		withRatio := required
		if !slices.Contains(withRatio, ratio) {
			withRatio = append(slices.Clone(required), ratio)
		}
		return assessmentBase(t, v) + "/questions/" + page, []formSend{
			{values: url.Values{"action": {"next"}}, fields: required},
			{values: url.Values{"action": {"next"}, ratio: {"nhiều"}}, fields: withRatio},
		}
	}
	t.Fatal("no question page has a percentage question and another")
	return "", nil
}

// assessmentReview submits a self-assessment with nothing answered: the
// profile and every question page must show at once.
func assessmentReview(t *testing.T, f *formFixture, v *testServer) (string, []formSend) {
	steps := []string{"step-profile"}
	for _, p := range f.ts.srv.assessments.cat.Current().Pages() {
		if p != assessments.NeedsPage {
			steps = append(steps, "step-"+p)
		}
	}
	return assessmentBase(t, v) + "/review", []formSend{{fields: steps}}
}

// practicePayment posts to a step of the demo payment open in the
// built-in practice checkout.
func practicePayment(step string) formSetup {
	return func(*testing.T, *formFixture, *testServer) (string, []formSend) {
		return "/{lang}/payments/" + payments.DemoRefPractice + "/practice" + step, nil
	}
}

func paidPayment(*testing.T, *formFixture, *testServer) (string, []formSend) {
	return "/{lang}/reports/payments/" + payments.DemoRefPaid + "/refund", nil
}

// entryValues sends the month's form with words for every figure: each
// figure must say so. Sent empty, there is no action and the request is
// refused whole.
func entryValues(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
	els, err := indicators.EnteredElements(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	vals, fields := url.Values{"action": {"save"}}, []string(nil)
	for _, e := range els {
		name := "e" + strconv.FormatInt(e.ID, 10)
		vals.Set(name, "nhiều")
		fields = append(fields, name)
	}
	return "/{lang}/reports/entry", []formSend{{values: vals, fields: fields}}
}

// reportIn posts to the review of a report of the demo province in the
// status st; the case's own sends word the comment's problems.
func reportIn(st indicators.Status, suffix string) formSetup {
	return func(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
		var id int64
		err := f.db.NewSelect().TableExpr("indicator_reports AS r").Join("JOIN org_units AS u ON u.id = r.unit_id").
			Column("r.id").Where("r.status = ?", st).Where("u.path LIKE ?", "%/"+f.units[accounts.RoleProvinceOfficial]+"/%").
			OrderExpr("r.id").Limit(1).Scan(context.Background(), &id)
		if err != nil {
			t.Fatalf("a demo report %s: %v", st, err)
		}
		return "/{lang}/reports/review/" + strconv.FormatInt(id, 10) + suffix, nil
	}
}

// TestFormFieldsWorded reads the form structs of the server's source: every
// field that is validated has a label and, for each of its validation
// tags, a message of its own named in its msg tag, and each exists in both
// languages. The generic wording is a fallback, never what a form of the
// portal shows.
func TestFormFieldsWorded(t *testing.T) {
	b, err := i18n.NewBundle()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	fields := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			f, ok := n.(*ast.Field)
			if !ok || f.Tag == nil || len(f.Names) == 0 {
				return true
			}
			raw, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				t.Fatal(err)
			}
			tag := reflect.StructTag(raw)
			rules, ok := tag.Lookup("validate")
			if !ok {
				return true
			}
			fields++
			where := fset.Position(f.Pos()).String() + " " + f.Names[0].Name
			ids := []string{tag.Get("label")}
			if ids[0] == "" {
				t.Errorf("%s: no label tag", where)
			}
			msgs := i18n.ParseMsgTag(tag.Get("msg"))
			for _, rule := range strings.Split(rules, ",") {
				name, _, _ := strings.Cut(rule, "=")
				if name == "omitempty" {
					continue
				}
				if msgs[name] == "" {
					t.Errorf("%s: the msg tag names no message for %q", where, name)
				}
				ids = append(ids, msgs[name])
			}
			for _, id := range ids {
				for _, lang := range i18n.Langs() {
					if id != "" && b.Localizer(lang).T(id) == id {
						t.Errorf("%s: message %q is missing in %s", where, id, lang)
					}
				}
			}
			return true
		})
	}
	if fields < 20 {
		t.Errorf("found %d validated fields; the reading of the source is broken", fields)
	}
}

// followupAsked asks, as the province, about a value of a report of the
// commune official's unit, and posts the commune's answer to it.
func followupAsked(t *testing.T, f *formFixture, _ *testServer) (string, []formSend) {
	ctx := context.Background()
	var row struct {
		ReportID  int64 `bun:"report_id"`
		ElementID int64 `bun:"element_id"`
	}
	err := f.db.NewSelect().TableExpr("indicator_values AS v").Join("JOIN indicator_reports AS r ON r.id = v.report_id").
		Join("JOIN org_units AS u ON u.id = r.unit_id").ColumnExpr("v.report_id, v.element_id").
		Where("u.code = ?", f.units[accounts.RoleCommuneOfficial]).OrderExpr("v.report_id, v.element_id").Limit(1).Scan(ctx, &row)
	if err != nil {
		t.Fatalf("a value of the commune's reports: %v", err)
	}
	fu, err := indicators.AskFollowup(ctx, f.db, accounts.Actor{UserID: 1}, row.ReportID, row.ElementID, "Vì sao số này tăng?")
	if err != nil {
		t.Fatal(err)
	}
	return "/{lang}/reports/followups/" + strconv.FormatInt(fu.ID, 10), nil
}
