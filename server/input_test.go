package server

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestControlCharactersRefused sends a NUL byte (and other characters no
// person types) in each kind of text input, through the whole router on
// both databases: each is refused with a localized 400 (JSON for the API),
// or 404 for a path, before it reaches the database, so nothing is written
// and nothing is logged as an error. Text areas keep their line breaks.
func TestControlCharactersRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		var logs syncBuffer
		ts := newTestServer(t, db, logAlsoTo(t, &logs))
		anon := ts.newVisitor()
		admin := ts.newVisitor()
		admin.signInAs(accounts.RoleAdmin, "")
		province := ts.newVisitor()
		province.signInAs(accounts.RoleProvinceOfficial, "79")
		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, "26506")
		var reports []int64
		if err := db.NewRaw("SELECT id FROM indicator_reports WHERE status = ? ORDER BY id LIMIT 2", indicators.StatusSubmitted).Scan(ctx, &reports); err != nil || len(reports) < 2 {
			t.Fatalf("the demo data has no two submitted reports to review: %v %v", reports, err)
		}
		review := func(lang string) string { return "/" + lang + "/reports/review/" + strconv.FormatInt(reports[0], 10) }
		signupEmail := func(lang string) string { return "nul-signup-" + lang + "@example.test" }

		tests := []struct {
			name string
			send func(lang string) *response
			want int // 400 with the characters page (JSON for api), or 404 for paths
			api  bool
		}{
			{"login email", func(lang string) *response {
				return anon.post("/"+lang+"/login", url.Values{"email": {"a\x00@example.test"}, "password": {testPassword}})
			}, 400, false},
			{"login email, escape", func(lang string) *response {
				return anon.post("/"+lang+"/login", url.Values{"email": {"a\x1b[31m@example.test"}, "password": {testPassword}})
			}, 400, false},
			{"signup name", func(lang string) *response {
				return anon.post("/"+lang+"/signup", url.Values{"email": {signupEmail(lang)}, "name": {"Hoa\x00"}, "kind": {"resident"}, "password": {testPassword}})
			}, 400, false},
			{"signup name, C1 control", func(lang string) *response {
				return anon.post("/"+lang+"/signup", url.Values{"email": {signupEmail(lang)}, "name": {"Hoa\u0085"}, "kind": {"resident"}, "password": {testPassword}})
			}, 400, false},
			{"signup field name", func(lang string) *response {
				return anon.post("/"+lang+"/signup", url.Values{"email": {signupEmail(lang)}, "kind": {"resident"}, "password": {testPassword}, "na\x00me": {"Hoa"}})
			}, 400, false},
			{"review comment", func(lang string) *response {
				return province.post(review(lang), url.Values{"action": {"return"}, "comment": {"Số hộ\x00 tăng gấp đôi"}})
			}, 400, false},
			{"review comment, DEL", func(lang string) *response {
				return province.post(review(lang), url.Values{"action": {"return"}, "comment": {"Số hộ\x7f"}})
			}, 400, false},
			{"admin user search", func(lang string) *response { return admin.get("/" + lang + "/admin/users?q=a%00") }, 400, false},
			{"admin user search, not UTF-8", func(lang string) *response { return admin.get("/" + lang + "/admin/users?q=a%FF") }, 400, false},
			{"lesson search", func(lang string) *response { return anon.get("/" + lang + "/lessons/search?q=a%00") }, 400, false},
			{"unit import field", func(lang string) *response {
				return admin.postFile("/"+lang+"/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01\x00"}}, "file", "list.csv", []byte("a\tb\n"))
			}, 400, false},
			{"unit import field name", func(lang string) *response {
				return admin.postFile("/"+lang+"/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}, "x\u009b": {"1"}}, "file", "list.csv", []byte("a\tb\n"))
			}, 400, false},
			{"unit import file name, C1 control", func(lang string) *response {
				return admin.postFile("/"+lang+"/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "file", "list\u0085.csv", []byte("a\tb\n"))
			}, 400, false},
			{"report import field", func(lang string) *response {
				return commune.postFile("/"+lang+"/reports/import", url.Values{"submit": {"yes\x00"}}, "file", "month.csv", []byte("a\tb\n"))
			}, 400, false},
			{"report import file name, not UTF-8", func(lang string) *response {
				return commune.postFile("/"+lang+"/reports/import", nil, "file", "th\xe1ng.csv", []byte("a\tb\n"))
			}, 400, false},
			{"report import file name, encoded NUL", func(lang string) *response {
				return commune.postDisposition("/"+lang+"/reports/import", `form-data; name="file"; filename*=UTF-8''month%00.csv`, []byte("a\tb\n"))
			}, 400, false},
			{"api units", func(lang string) *response { return anon.get("/api/v1/units?q=a%00", "Accept-Language", lang) }, 400, true},
			{"api units, C1 control", func(lang string) *response { return anon.get("/api/v1/units?q=%C2%9B", "Accept-Language", lang) }, 400, true},
			{"lesson path", func(lang string) *response { return anon.get("/" + lang + "/lessons/a%00b") }, 404, false},
			{"certificate path", func(lang string) *response { return anon.get("/" + lang + "/certificates/%00") }, 404, false},
			{"certificate print path", func(lang string) *response { return anon.get("/" + lang + "/certificates/%00/print") }, 404, false},
			{"payment path", func(lang string) *response { return anon.get("/" + lang + "/payments/a%0Ab") }, 404, false},
		}
		for _, lang := range []string{"vi", "en"} {
			l := ts.srv.bundle.Localizer(i18n.Lang(lang))
			for _, tt := range tests {
				res := tt.send(lang)
				if res.StatusCode != tt.want {
					t.Errorf("%s %s: status %d, want %d\n%.600s", lang, tt.name, res.StatusCode, tt.want, res.Body)
					continue
				}
				switch {
				case tt.api:
					var got map[string]string
					if err := json.Unmarshal([]byte(res.Body), &got); err != nil || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
						t.Errorf("%s %s: not JSON (%s, %v): %.300s", lang, tt.name, res.Header.Get("Content-Type"), err, res.Body)
						continue
					}
					if want := l.T("error.400.characters_api"); got["error"] != "Bad Request" || got["parameter"] != "q" || got["detail"] != want {
						t.Errorf("%s %s: got %v, want error Bad Request, parameter q, detail %q", lang, tt.name, got, want)
					}
				case tt.want == http.StatusNotFound:
					res.mustContain(t, l.T("error.404.body"))
				default:
					res.mustContain(t, `<html lang="`+lang+`"`, l.T("error.400.characters"))
				}
			}
		}

		// Nothing was written.
		var n int
		if err := db.NewRaw("SELECT count(*) FROM users WHERE email LIKE ?", "nul-signup-%").Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("refused sign-ups created %d users (%v), want 0", n, err)
		}
		rep, _, err := indicators.ReportByID(ctx, db, reports[0])
		if err != nil || rep.Status != indicators.StatusSubmitted || rep.Comment != "" {
			t.Errorf("refused review changed the report: %+v %v", rep, err)
		}
		if err := db.NewRaw("SELECT count(*) FROM indicator_uploads").Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("refused imports kept %d files (%v), want 0", n, err)
		}
		if strings.Contains(logs.String(), "level=ERROR") {
			t.Errorf("refused input was logged as an error:\n%s", logs.String())
		}

		// What people do type passes: line breaks and tabs in a text area,
		// and a file part whatever its bytes; so does the webhook's JSON,
		// which is not a form.
		province.post("/vi/reports/review/"+strconv.FormatInt(reports[1], 10), url.Values{"action": {"return"}, "comment": {"Dòng một,\r\n\tdòng hai"}}).mustStatus(t, http.StatusSeeOther)
		if rep, _, err := indicators.ReportByID(ctx, db, reports[1]); err != nil || rep.Comment != "Dòng một,\r\n\tdòng hai" {
			t.Errorf("a comment with line breaks was not kept: %+v %v", rep, err)
		}
		res := admin.postFile("/vi/admin/units/import", url.Values{"kind": {"units"}, "day": {"2020-01-01"}}, "file", "list.xlsx", []byte("PK\x03\x04\x00\x00\x01\x9b\xff"))
		if strings.Contains(res.Body, ts.srv.bundle.Localizer(i18n.VI).T("error.400.characters")) {
			t.Errorf("a binary file part was refused as text: %d", res.StatusCode)
		}
		req, err := http.NewRequest(http.MethodPost, ts.http.URL+"/webhooks/stripe", strings.NewReader("{\"id\":\"evt_\x00\x01\"}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if res := anon.do(req); res.StatusCode == http.StatusBadRequest && strings.Contains(res.Body, ts.srv.bundle.Localizer(i18n.VI).T("error.400.characters")) {
			t.Error("the webhook's JSON body was checked as a form")
		}
	})
}

// FuzzUsablePath checks that a path usablePath accepts is text a person
// could have typed (i18n.Typeable, fuzzed in its own package) without the
// tab and line breaks that no path holds.
func FuzzUsablePath(f *testing.F) {
	for _, s := range []string{"", "/vi/lessons/dich-vu-cong", "/a\tb", "/a\nb", "/a\x00b", "/\u0085", "/\xff", "/🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := i18n.Typeable(s) && !strings.ContainsAny(s, "\t\n\r")
		if got := usablePath(s); got != want {
			t.Errorf("usablePath(%q) = %v, want %v", s, got, want)
		}
	})
}

// postDisposition posts a multipart form of one part whose
// Content-Disposition header is given whole, as no helper of
// mime/multipart would write it (a file name in RFC 2231's encoding).
func (ts *testServer) postDisposition(path, disposition string, data []byte) *response {
	ts.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Disposition": {disposition}})
	if err != nil {
		ts.t.Fatal(err)
	}
	pw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, ts.http.URL+path, &body)
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", ts.http.URL)
	return ts.do(req)
}
