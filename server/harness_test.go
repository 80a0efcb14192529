package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

// testServer is the whole portal behind httptest, with a browser-like
// client: a cookie jar, no automatic redirects, and same-origin headers on
// form posts as a browser sends them.
type testServer struct {
	t      testing.TB
	srv    *Server
	http   *httptest.Server
	client *http.Client
	db     *bun.DB
	seq    int
	// totp holds the second-factor secret of each privileged user the
	// harness made, by e-mail, and the last 30-second step it used, so that
	// signing in again never replays a code.
	totp *totpSecrets
}

type totpSecrets struct {
	mu     sync.Mutex
	secret map[string]string
	step   map[string]int64
}

// newTestServer builds the portal over db (see dbtest.Each / dbtest.SQLite).
// Change deps with opts before the server is built.
func newTestServer(t testing.TB, db *bun.DB, opts ...func(*Deps)) *testServer {
	t.Helper()
	// The portal's start seeds the standard definitions after migrating
	// (cmd/portal); so does the harness, as a fresh portal has them.
	if err := indicators.SeedDefinitions(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.NewBundle()
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{
		DB:     db,
		Bundle: bundle,
		Logger: slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	for _, o := range opts {
		o(&d)
	}
	hs := httptest.NewUnstartedServer(nil)
	hs.Start()
	if d.Config.BaseURL == nil {
		d.Config.BaseURL, _ = url.Parse(hs.URL)
	}
	srv, err := New(d)
	if err != nil {
		hs.Close()
		t.Fatal(err)
	}
	hs.Config.Handler = srv
	t.Cleanup(hs.Close)
	return &testServer{t: t, srv: srv, http: hs, client: newClient(), db: db,
		totp: &totpSecrets{secret: map[string]string{}, step: map[string]int64{}}}
}

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// newVisitor returns a second browser (its own cookies) on the same server.
func (ts *testServer) newVisitor() *testServer {
	c := *ts
	c.client = newClient()
	return &c
}

// response is a finished request: status, headers and the body as text.
type response struct {
	*http.Response
	Body string
}

func (ts *testServer) do(req *http.Request) *response {
	ts.t.Helper()
	res, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return &response{Response: res, Body: string(b)}
}

// get requests path with GET, headers given as name, value pairs.
func (ts *testServer) get(path string, header ...string) *response {
	ts.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.http.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return ts.do(req)
}

// post submits a form as a same-origin browser would.
func (ts *testServer) post(path string, form url.Values) *response {
	ts.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.http.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.http.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return ts.do(req)
}

// mustStatus fails the test unless res has status want.
func (res *response) mustStatus(t testing.TB, want int) *response {
	t.Helper()
	if res.StatusCode != want {
		body := res.Body
		if len(body) > 600 {
			body = body[:600] + "…"
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, body)
	}
	return res
}

// mustContain fails the test unless the body holds every one of subs.
func (res *response) mustContain(t testing.TB, subs ...string) *response {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(res.Body, s) {
			t.Errorf("%s %s: body lacks %q", res.Request.Method, res.Request.URL.Path, s)
		}
	}
	return res
}

// testPassword is the password signInAs gives the users it creates.
const testPassword = "một câu dài để thử nghiệm"

// signInAs creates a user with role (and unit, for officials) and signs
// this visitor in through the real sign-in form. It returns the user.
func (ts *testServer) signInAs(role accounts.Role, unit string) *accounts.User {
	ts.t.Helper()
	return ts.signInEnrolled(role, unit, true)
}

// signInWithoutSecondFactor is signInAs for an admin or official who has
// not enrolled a second factor yet: the portal sends them to enrol first.
func (ts *testServer) signInWithoutSecondFactor(role accounts.Role, unit string) *accounts.User {
	ts.t.Helper()
	return ts.signInEnrolled(role, unit, false)
}

func (ts *testServer) signInEnrolled(role accounts.Role, unit string, enrol bool) *accounts.User {
	ts.t.Helper()
	ctx := context.Background()
	hash, err := ts.srv.acct.passwords.Hash(ctx, testPassword)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.seq++
	// The address is as long as an address's local part may be (64
	// characters) and has nowhere to break, as some real ones are: every
	// page that shows it must still fit a phone.
	local := fmt.Sprintf("%s%d%d", strings.ReplaceAll(string(role), "_", ""), ts.seq, time.Now().UnixNano())
	email := local + strings.Repeat("w", max(0, 64-len(local))) + "@example.test"
	u, err := accounts.CreateUser(ctx, ts.db, accounts.NewUser{Email: email, Role: role, UnitCode: unit, PasswordHash: hash})
	if err != nil {
		ts.t.Fatal(err)
	}
	// Admins and officials must use a second factor (accounts.TOTPRequired):
	// theirs is enrolled as the enrolment page would.
	if enrol && role.Privileged() {
		secret, err := accounts.NewTOTPSecret()
		if err != nil {
			ts.t.Fatal(err)
		}
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			ts.t.Fatal(err)
		}
		if _, err := accounts.EnableTOTP(ctx, ts.db, accounts.UserActor(u, ""), secret, code); err != nil {
			ts.t.Fatal(err)
		}
		ts.totp.mu.Lock()
		ts.totp.secret[email] = secret
		ts.totp.mu.Unlock()
		if u, err = accounts.UserByID(ctx, ts.db, u.ID); err != nil {
			ts.t.Fatal(err)
		}
	}
	ts.signInWith(email, testPassword)
	return u
}

// signInWith signs this visitor in through the sign-in form and, for a
// user the harness enrolled, the second-factor form.
func (ts *testServer) signInWith(email, password string) {
	ts.t.Helper()
	res := ts.post("/vi/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		ts.t.Fatalf("sign in as %s: status %d\n%.600s", email, res.StatusCode, res.Body)
	}
	if !strings.HasPrefix(res.Header.Get("Location"), "/vi/login/code") {
		return
	}
	res = ts.post("/vi/login/code", url.Values{"code": {ts.totpCode(email)}})
	if res.StatusCode != http.StatusSeeOther {
		ts.t.Fatalf("second factor of %s: status %d\n%.600s", email, res.StatusCode, res.Body)
	}
}

// totpCode is a code of the user's authenticator for a 30-second step the
// portal accepts now and has not seen: a code is good once (accounts.UseTOTP).
func (ts *testServer) totpCode(email string) string {
	ts.t.Helper()
	ts.totp.mu.Lock()
	defer ts.totp.mu.Unlock()
	secret, ok := ts.totp.secret[email]
	if !ok {
		ts.t.Fatalf("%s has a second factor the harness did not enrol", email)
	}
	step := max(time.Now().Unix()/30-1, ts.totp.step[email]+1)
	if step > time.Now().Unix()/30+1 {
		ts.t.Fatalf("%s signed in more than three times in 30 seconds", email)
	}
	ts.totp.step[email] = step
	code, err := totp.GenerateCode(secret, time.Unix(step*30, 0))
	if err != nil {
		ts.t.Fatal(err)
	}
	return code
}

// logAlsoTo is an option of newTestServer: the server's warnings and errors
// go to buf as well as to the test log, for tests that check what was logged.
func logAlsoTo(t testing.TB, buf io.Writer) func(*Deps) {
	return func(d *Deps) {
		d.Logger = slog.New(slog.NewTextHandler(io.MultiWriter(testLogWriter{t}, buf), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
}

// testLogWriter sends the server's warnings and errors to the test log, so
// a 500 in a test says why.
type testLogWriter struct{ t testing.TB }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
