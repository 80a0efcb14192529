package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/payments"
)

// holdPost takes the one place in flight as a request being served would
// (a slow page; a slow client no longer holds one, TestSlowBodyHoldsNoPlace).
// The returned function gives the place back and then makes the form post
// at path, whose answer it returns.
func holdPost(t *testing.T, ts *testServer, path string) (release func() *http.Response) {
	t.Helper()
	ts.srv.load.all.slots <- struct{}{}
	return func() *http.Response {
		<-ts.srv.load.all.slots
		req, err := http.NewRequest(http.MethodPost, ts.http.URL+path, strings.NewReader("size=large"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", ts.http.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := newClient().Do(req)
		if err != nil {
			t.Error(err)
			return nil
		}
		res.Body.Close()
		return res
	}
}

// waitFor waits until cond holds, as the server's goroutines reach the
// state the test needs; it fails the test after ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestOverloadAnswers503Quickly: with every place in flight held by a
// request that does not finish, a page waits at most the short queue and
// gets 503 with Retry-After and the small bilingual page (the URL's
// language first; JSON under /api/), health checks still answer, shed
// requests are logged as one line per interval with their count, and once
// the held request ends pages are served again.
func TestOverloadAnswers503Quickly(t *testing.T) {
	var logs bytes.Buffer
	ts := newTestServer(t, dbtest.SQLite(t), logAlsoTo(t, &logs), func(d *Deps) { d.Config.MaxInFlight = 1 })
	release := holdPost(t, ts, "/vi/settings/text-size")
	waitFor(t, "the held request takes the one place", func() bool { return len(ts.srv.load.all.slots) == 1 })

	bundle := ts.srv.bundle
	for _, c := range []struct {
		path, first, second, ct string
	}{
		{"/vi/lessons", "vi", "en", "text/html"},
		{"/en/lessons", "en", "vi", "text/html"},
		{"/vi/account", "vi", "en", "text/html"},
		{"/api/v1/units", "", "", "application/json"},
	} {
		start := time.Now()
		res := ts.get(c.path)
		took := time.Since(start)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != shedRetryAfter ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), c.ct) {
			t.Fatalf("%s while full: %d, Retry-After %q, Content-Type %q", c.path, res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"))
		}
		if took > shedQueueWait+2*time.Second {
			t.Errorf("%s: shed after %v", c.path, took)
		}
		if c.first == "" {
			res.mustContain(t, `"error":"Service Unavailable"`, bundle.Localizer(i18n.EN).T("load.busy.body"))
			continue
		}
		first, second := bundle.Localizer(i18n.Lang(c.first)), bundle.Localizer(i18n.Lang(c.second))
		res.mustContain(t, `<html lang="`+c.first+`">`, "<h1>"+first.T("load.busy.title")+"</h1>", second.T("load.busy.body"))
		if strings.Index(res.Body, first.T("load.busy.body")) > strings.Index(res.Body, second.T("load.busy.body")) {
			t.Errorf("%s: the %s text is not first", c.path, c.first)
		}
	}
	ts.get("/livez").mustStatus(t, http.StatusOK)
	ts.get("/readyz").mustStatus(t, http.StatusOK)
	ts.get("/metrics").mustStatus(t, http.StatusOK).mustContain(t, `portal_http_requests_shed_total{reason="overload"} 4`)

	if n := strings.Count(logs.String(), "requests shed"); n != 1 {
		t.Errorf("%d log lines about shed requests within the interval, want 1:\n%s", n, logs.String())
	}
	ts.srv.reportLoad(context.Background(), time.Now().Add(loadLogEvery))
	if n := strings.Count(logs.String(), "requests shed"); n != 2 || !strings.Contains(logs.String(), "count=3") {
		t.Errorf("after the interval: %d lines, want 2, the second with count=3:\n%s", n, logs.String())
	}

	if res := release(); res == nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the held request: %v", res)
	}
	ts.get("/vi/lessons").mustStatus(t, http.StatusOK)
}

// TestOverloadDropsGoneClients: a request whose client goes while it
// waits for a place is dropped unanswered and counted, not rendered.
func TestOverloadDropsGoneClients(t *testing.T) {
	var logs bytes.Buffer
	ts := newTestServer(t, dbtest.SQLite(t), logAlsoTo(t, &logs), func(d *Deps) { d.Config.MaxInFlight = 1 })
	// A long wait, so that only the client's going ends it.
	ts.srv.load.all.wait = time.Minute
	release := holdPost(t, ts, "/vi/settings/text-size")
	waitFor(t, "the held request takes the one place", func() bool { return len(ts.srv.load.all.slots) == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.http.URL+"/vi/lessons", nil)
	errc := make(chan error, 1)
	go func() {
		res, err := ts.client.Do(req)
		if err == nil {
			res.Body.Close()
		}
		errc <- err
	}()
	waitFor(t, "the second request waits", func() bool { return ts.srv.load.all.waiting.Load() == 1 })
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("the cancelled request was answered")
	}
	// The count is made after the wait ends: wait for the count itself.
	waitFor(t, "the server drops it and counts it", func() bool {
		return ts.srv.load.all.waiting.Load() == 0 &&
			strings.Contains(ts.get("/metrics").Body, `portal_http_requests_shed_total{reason="client_gone"} 1`)
	})
	if !strings.Contains(logs.String(), "requests dropped") || !strings.Contains(logs.String(), "count=1") {
		t.Errorf("the dropped request was not counted:\n%s", logs.String())
	}
	if res := release(); res == nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the held request: %v", res)
	}
	if len(ts.srv.load.all.slots) != 0 {
		t.Error("a place is still taken")
	}
}

// TestExpensiveRequestsShareFewPlaces: lesson search, figures over a
// period of the visitor's choosing and the API share a few places across
// the portal. With every one held busy they wait briefly and get 503 with
// Retry-After (a page in the visitor's language; JSON under /api/), while
// the default figures and other pages are served as usual.
func TestExpensiveRequestsShareFewPlaces(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	ts.srv.load.expensive.wait = 50 * time.Millisecond
	hold, held := make(chan struct{}), make(chan struct{})
	busy := ts.srv.expensive(always, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		held <- struct{}{}
		<-hold
	}))
	places := cap(ts.srv.load.expensive.slots)
	for range places {
		go busy.ServeHTTP(nil, (&http.Request{}).WithContext(context.Background()))
		<-held
	}
	en := ts.srv.bundle.Localizer(i18n.EN)
	for _, path := range []string{"/en/lessons/search?q=vneid", "/en/indicators?from=2025-01", "/en/indicators/SMARTPHONE?date=2025-06-30", "/export/en/indicators?format=csv&to=2025-06"} {
		res := ts.get(path).mustStatus(t, http.StatusServiceUnavailable)
		if res.Header.Get("Retry-After") != errExpensive.retry {
			t.Errorf("%s: Retry-After %q", path, res.Header.Get("Retry-After"))
		}
		res.mustContain(t, en.T("load.expensive"))
	}
	api := ts.get("/api/v1/indicators").mustStatus(t, http.StatusServiceUnavailable)
	if !strings.HasPrefix(api.Header.Get("Content-Type"), "application/json") || api.Header.Get("Retry-After") == "" {
		t.Errorf("API while busy: %q, Retry-After %q", api.Header.Get("Content-Type"), api.Header.Get("Retry-After"))
	}
	ts.get("/en/indicators").mustStatus(t, http.StatusOK)
	ts.get("/en/lessons").mustStatus(t, http.StatusOK)
	close(hold)
	waitFor(t, "the held requests end", func() bool { return len(ts.srv.load.expensive.slots) == 0 })
	ts.get("/en/lessons/search?q=vneid").mustStatus(t, http.StatusOK)
	ts.get("/api/v1/indicators").mustStatus(t, http.StatusOK)
}

// TestDatabaseOutageIs503: when the database cannot be reached, a
// signed-in page is 503 with Retry-After and a page saying so (not 500),
// and the outage is logged once per interval, not once per request.
func TestDatabaseOutageIs503(t *testing.T) {
	var logs bytes.Buffer
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db, logAlsoTo(t, &logs))
	ts.signInAs(accounts.RoleResident, "")
	ts.get("/vi/account").mustStatus(t, http.StatusOK)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/vi/account", "/en/account", "/vi/lessons"} {
		res := ts.get(path).mustStatus(t, http.StatusServiceUnavailable)
		if res.Header.Get("Retry-After") != errDBDown.retry {
			t.Errorf("%s: Retry-After %q", path, res.Header.Get("Retry-After"))
		}
		lang := i18n.Lang(path[1:3])
		res.mustContain(t, ts.srv.bundle.Localizer(lang).T("load.dbdown"))
	}
	if n := strings.Count(logs.String(), "database unavailable"); n != 1 {
		t.Errorf("%d log lines about the outage, want 1:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "request failed") {
		t.Errorf("the outage was logged as a failure per request:\n%s", logs.String())
	}
}

// TestNestedRequestUsesItsPlace: the practice checkout delivers its event
// to the portal's own webhook inside the request that pays. With one place
// in flight that inner request uses the outer one's place instead of
// waiting for a second, which it would never get: the payment is paid.
func TestNestedRequestUsesItsPlace(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db, func(d *Deps) { d.Config.MaxInFlight = 1 })
	ts.srv.load.all.wait = time.Minute // a wait for itself would show as a hung test, not a 503
	ref := startPayment(t, ts, "vi")
	ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	res := ts.post("/vi/payments/"+ref+"/practice/card", url.Values{"card": {"4242 4242 4242 4242"}, "expiry": {"12/34"}, "cvc": {"123"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("paying with one place in flight: %d\n%.400s", res.StatusCode, res.Body)
	}
	if p := payment(t, db, ref); p.Status != payments.StatusPaid {
		t.Errorf("payment %s, want paid", p.Status)
	}
}
