package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// apiLangs are the ways a client picks the language of the API's errors:
// nothing (English), Accept-Language, the lang cookie. A language the
// portal lacks falls back to English, not to the pages' Vietnamese.
var apiLangs = []struct {
	name   string
	header []string
	want   i18n.Lang
}{
	{"default", nil, i18n.EN},
	{"Accept-Language vi", []string{"Accept-Language", "vi-VN,vi;q=0.9"}, i18n.VI},
	{"cookie vi", []string{"Cookie", "lang=vi"}, i18n.VI},
	{"Accept-Language fr", []string{"Accept-Language", "fr-FR"}, i18n.EN},
	{"Accept-Language en", []string{"Accept-Language", "en"}, i18n.EN},
}

// checkAPIError fails unless res is a JSON error answer with status want,
// naming param, explained by message msgID (with data) in lang.
func checkAPIError(t *testing.T, bundle *i18n.Bundle, what string, res *http.Response, body string, want int, lang i18n.Lang, param, msgID string, data ...any) {
	t.Helper()
	if res.StatusCode != want {
		t.Errorf("%s: status %d, want %d\n%.300s", what, res.StatusCode, want, body)
		return
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s: Content-Type %q, want application/json; charset=utf-8\n%.300s", what, ct, body)
		return
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Errorf("%s: not JSON: %v\n%.300s", what, err, body)
		return
	}
	wantDetail := bundle.Localizer(lang).T(msgID, data...)
	if wantDetail == msgID {
		t.Fatalf("%s: message %q is missing", what, msgID)
	}
	if got["error"] != http.StatusText(want) || got["parameter"] != param || got["detail"] != wantDetail {
		t.Errorf("%s: got %v\nwant error %q, parameter %q, detail %q", what, got, http.StatusText(want), param, wantDetail)
	}
	if cl := res.Header.Get("Content-Language"); cl != string(lang) {
		t.Errorf("%s: Content-Language %q, want %s", what, cl, lang)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", what, cc)
	}
	if res.Header.Get("ETag") != "" || res.Header.Get("Last-Modified") != "" {
		t.Errorf("%s: an error answer carries validators: ETag %q, Last-Modified %q", what, res.Header.Get("ETag"), res.Header.Get("Last-Modified"))
	}
}

// TestAPIErrorsAnswerJSON: every failure under /api/, whoever meets it
// (the handler, the query check, the input check, the body limit, the
// router, the request timeout), answers JSON in the client's language —
// English unless it asks for Vietnamese — naming the parameter at fault.
func TestAPIErrorsAnswerJSON(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db, func(d *Deps) { d.Config.MaxBodyBytes = 1024 })
	slow := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.RequestTimeout = time.Nanosecond })

	tests := []struct {
		name   string
		server *testServer
		method string
		path   string
		body   string
		want   int
		param  string
		msgID  string
		data   []any
		header string // a header the answer must carry
	}{
		{"unknown parameter", ts, "GET", "/api/v1/values?color=red", "", 400, "color", "api.param.unknown", nil, ""},
		{"parameter twice", ts, "GET", "/api/v1/units?q=a&q=b", "", 400, "q", "api.param.once", nil, ""},
		{"a parameter of another address", ts, "GET", "/api/v1/units?unit=77", "", 400, "unit", "api.param.unknown", nil, ""},
		{"months on the units", ts, "GET", "/api/v1/units?from=2025-01", "", 400, "from", "api.param.unknown", nil, ""},
		{"a parameter on the indicators", ts, "GET", "/api/v1/indicators?date=2025-01-01", "", 400, "date", "api.param.unknown", nil, ""},
		{"unit and parent", ts, "GET", "/api/v1/values?unit=79&parent=79", "", 400, "parent", "api.param.unit_or_parent", nil, ""},
		{"too many children at once", ts, "GET", "/api/v1/values?parent=79&limit=51", "", 400, "limit", "api.param.limit", []any{"Max", apiValuesParentMax}, ""},
		{"unknown parent", ts, "GET", "/api/v1/values?parent=98765", "", 404, "parent", "api.notfound.unit", nil, ""},
		{"limit out of range", ts, "GET", "/api/v1/units?limit=0", "", 400, "limit", "api.param.limit", []any{"Max", apiMaxLimit}, ""},
		{"wrong month", ts, "GET", "/api/v1/values?from=2025-13", "", 400, "from", "api.param.month", nil, ""},
		{"too many months", ts, "GET", "/api/v1/values?from=2019-01&to=2025-12", "", 400, "from", "api.param.months", []any{"Max", 60}, ""},
		{"control character", ts, "GET", "/api/v1/units?q=a%00", "", 400, "q", "error.400.characters_api", nil, ""},
		{"unknown unit", ts, "GET", "/api/v1/values?unit=98765", "", 404, "unit", "api.notfound.unit", nil, ""},
		{"unknown indicator", ts, "GET", "/api/v1/values?indicator=SMARTPHONE,NOPE", "", 404, "indicator", "api.notfound.indicator", nil, ""},
		{"unknown address", ts, "GET", "/api/v2/units", "", 404, "", "api.error.404", nil, ""},
		{"wrong method", ts, "POST", "/api/v1/units", "", 405, "", "api.error.405", nil, "Allow"},
		{"body too large", ts, "GET", "/api/v1/units", strings.Repeat("x", 2048), 413, "", "api.error.413", nil, ""},
		{"request timeout", slow, "GET", "/api/v1/units", "", 503, "", "api.error.503", nil, "Retry-After"},
	}
	for _, tt := range tests {
		for _, l := range apiLangs {
			req, err := http.NewRequest(tt.method, tt.server.http.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i+1 < len(l.header); i += 2 {
				req.Header.Set(l.header[i], l.header[i+1])
			}
			res := tt.server.newVisitor().do(req)
			what := tt.name + ", " + l.name
			checkAPIError(t, ts.srv.bundle, what, res.Response, res.Body, tt.want, l.want, tt.param, tt.msgID, tt.data...)
			if tt.header != "" && res.Header.Get(tt.header) == "" {
				t.Errorf("%s: no %s header", what, tt.header)
			}
		}
	}
	if allow := ts.newVisitor().do(mustRequest(t, "POST", ts.http.URL+"/api/v1/units")).Header.Get("Allow"); allow != "GET, HEAD" {
		t.Errorf("POST /api/v1/units: Allow %q, want GET, HEAD", allow)
	}
}

// TestAPIErrorsFromTheAdapter covers the failures no API route meets
// today but the adapter must still answer as JSON: a 429, an unknown error
// (whose text is never shown), a panic, and a handler that waits on its
// context past the request timeout and then fails in words of its own, as
// a database driver may.
func TestAPIErrorsFromTheAdapter(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.RequestTimeout = time.Nanosecond })
	waits := func(_ http.ResponseWriter, r *http.Request) error {
		<-r.Context().Done()
		return errors.New("sqlite: interrupted (secret detail)")
	}
	tests := []struct {
		name    string
		handler http.Handler
		want    int
		msgID   string
		header  string
	}{
		{"too many", ts.srv.adapt(func(http.ResponseWriter, *http.Request) error { return tooMany("7") }), 429, "api.error.429", "Retry-After"},
		{"unknown error", ts.srv.adapt(func(http.ResponseWriter, *http.Request) error {
			return fmt.Errorf("query: %w", errors.New("secret detail"))
		}), 500, "api.error.500", ""},
		{"panic", ts.srv.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") })), 500, "api.error.500", ""},
		{"timeout", ts.srv.timeout(ts.srv.adapt(waits)), 503, "api.error.503", "Retry-After"},
		{"deadline passed", ts.srv.adapt(func(http.ResponseWriter, *http.Request) error { return context.DeadlineExceeded }), 503, "api.error.503", "Retry-After"},
	}
	for _, tt := range tests {
		for _, l := range apiLangs {
			req := httptest.NewRequest("GET", "/api/v1/units", nil)
			for i := 0; i+1 < len(l.header); i += 2 {
				req.Header.Set(l.header[i], l.header[i+1])
			}
			rec := httptest.NewRecorder()
			tt.handler.ServeHTTP(rec, req)
			what := tt.name + ", " + l.name
			checkAPIError(t, ts.srv.bundle, what, rec.Result(), rec.Body.String(), tt.want, l.want, "", tt.msgID)
			if tt.header != "" && rec.Header().Get(tt.header) == "" {
				t.Errorf("%s: no %s header", what, tt.header)
			}
			if strings.Contains(rec.Body.String(), "secret") {
				t.Errorf("%s: the answer shows the error's text: %s", what, rec.Body.String())
			}
		}
	}
}

// TestErrorPagesOutsideAPI: the same failures outside /api/ stay localized
// HTML pages in the language of the URL.
func TestErrorPagesOutsideAPI(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	slow := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.RequestTimeout = time.Nanosecond })
	tests := []struct {
		name string
		res  *response
		want int
		lang string
		text string
	}{
		{"timeout", slow.get("/en/indicators"), 503, "en", "Service temporarily unavailable"},
		{"timeout", slow.get("/vi/indicators"), 503, "vi", "Dịch vụ tạm thời gián đoạn"},
		{"wrong method", ts.post("/en/api", nil), 405, "en", "This page cannot be opened this way"},
		{"wrong method", ts.post("/vi/api", nil), 405, "vi", "Không mở được trang theo cách này"},
		{"not found", ts.get("/vi/api/v1/units"), 404, "vi", "Không tìm thấy trang"},
	}
	for _, tt := range tests {
		if tt.res.StatusCode != tt.want || !strings.HasPrefix(tt.res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s %s: %d %s, want %d HTML", tt.name, tt.res.Request.URL.Path, tt.res.StatusCode, tt.res.Header.Get("Content-Type"), tt.want)
			continue
		}
		tt.res.mustContain(t, `<html lang="`+tt.lang+`"`, tt.text)
	}
	if allow := ts.post("/en/api", nil).Header.Get("Allow"); allow != "GET, HEAD" {
		t.Errorf("POST /en/api: Allow %q, want GET, HEAD", allow)
	}
	if allow := ts.post("/en/settings/text-size", nil).Header.Get("Allow"); allow != "" {
		t.Errorf("POST /en/settings/text-size is a route, yet answered with Allow %q", allow)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
