package server

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
)

// slowPost starts a form post to path whose body is sent in two halves:
// first, then, when the returned function is called, second. It returns
// the answer.
func slowPost(t *testing.T, ts *testServer, path, first, second string) (finish func() *http.Response) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, ts.http.URL+path, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(first + second))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.http.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	t.Cleanup(func() { pw.CloseWithError(io.ErrClosedPipe) }) // a failed test must not hang on it
	done := make(chan *http.Response, 1)
	go func() {
		res, err := newClient().Do(req)
		if err != nil {
			t.Error(err)
			done <- nil
			return
		}
		res.Body.Close()
		done <- res
	}()
	if _, err := pw.Write([]byte(first)); err != nil {
		t.Fatal(err)
	}
	return func() *http.Response {
		pw.Write([]byte(second))
		pw.Close()
		return <-done
	}
}

// TestSlowBodyHoldsNoPlace: a client that declares a form and sends it
// slowly (slowloris) holds no place in flight while it sends, so that as
// many such clients as there are places do not leave everyone else 503s;
// the form, once whole, is served as before; and the memory of bodies
// being read is bounded (503 past it, given back after each request).
func TestSlowBodyHoldsNoPlace(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.MaxInFlight = 1 })
	var finish []func() *http.Response
	for range 3 {
		finish = append(finish, slowPost(t, ts, "/vi/settings/text-size", "size=la", "rge"))
	}
	waitFor(t, "the slow bodies are being read", func() bool {
		return ts.srv.load.bodies.Load() <= bodyFirstBudget-3*int64(len("size=large"))
	})
	if n := len(ts.srv.load.all.slots); n != 0 {
		t.Errorf("slow bodies hold %d places", n)
	}
	ts.get("/vi/lessons").mustStatus(t, http.StatusOK)
	for _, f := range finish {
		res := f()
		if res == nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the slow form: %v", res)
		}
		if !strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), ";"), textSizeCookie+"=large") {
			t.Errorf("the slow form was not read whole: %v", res.Header.Values("Set-Cookie"))
		}
	}
	waitFor(t, "the memory of the bodies is given back", func() bool { return ts.srv.load.bodies.Load() == bodyFirstBudget })

	ts.srv.load.bodies.Store(4)
	res := ts.post("/vi/settings/text-size", map[string][]string{"size": {"large"}})
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != shedRetryAfter {
		t.Errorf("a body past the budget: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if got := ts.srv.load.bodies.Load(); got != 4 {
		t.Errorf("a refused body kept %d bytes of the budget", 4-got)
	}
	ts.get("/vi/lessons").mustStatus(t, http.StatusOK)
}

// TestSlowBodyPastTheLimitHoldsNoPlace: a body as long as the largest form
// allowed, with no length declared, whose next byte never comes: the form
// limit reads one byte past it to know it is too long, and that byte must
// not be awaited in a place in flight. Once it comes the answer is 413.
func TestSlowBodyPastTheLimitHoldsNoPlace(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), func(d *Deps) { d.Config.MaxInFlight = 1 })
	limit := ts.srv.cfg.MaxBodyBytes // the default, 1 MiB
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrClosedPipe) })
	req, err := http.NewRequest(http.MethodPost, ts.http.URL+"/vi/settings/text-size", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = -1 // chunked: the limit is found by reading
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan *http.Response, 1)
	go func() {
		res, err := newClient().Do(req)
		if err != nil {
			done <- nil
			return
		}
		res.Body.Close()
		done <- res
	}()
	if _, err := pw.Write([]byte("size=" + strings.Repeat("x", int(limit)-len("size=")))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the body up to the limit is read", func() bool {
		return ts.srv.load.bodies.Load() <= bodyFirstBudget-limit
	})
	ts.get("/vi/lessons").mustStatus(t, http.StatusOK)
	pw.Write([]byte("x"))
	pw.Close()
	if res := <-done; res == nil || res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("the body past the limit: %v, want 413", res)
	}
}

// TestDeclaredTooLongIsRefusedUnread: a body declared longer than a form
// may be is refused with 413 at once, as before bodies were read first:
// nothing of it is read (a client that waits for "100 Continue" never
// sends it), nor waited for.
func TestDeclaredTooLongIsRefusedUnread(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrClosedPipe) })
	req, err := http.NewRequest(http.MethodPost, ts.http.URL+"/vi/settings/text-size", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = ts.srv.cfg.MaxBodyBytes + 1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Expect", "100-continue")
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("a body declared too long: %v, want 413 at once", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a body declared too long: %d, want 413", res.StatusCode)
	}
}
