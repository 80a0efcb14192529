package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/server"
)

// The load test (DESIGN §5: figures as ratios against a baseline run in
// the same command). It starts the portal in this process, on a temporary
// SQLite database with the demo data (or on DATABASE_URL), and beside it a
// static server that answers each page with the bytes the portal gave for
// it, from memory: the fastest any server could answer on this machine.
// Both listen on 127.0.0.1 only. For each class of page it loads the
// portal and the baseline in turn (interleaved, round after round, so a
// machine whose load changes affects both), at the highest rate a fixed
// number of connections reaches and then at a fixed rate; last it sends
// about three times the portal's capacity to see it shed what it cannot
// serve.

// loadOptions are the load test's flags.
type loadOptions struct {
	duration     time.Duration // of each phase
	rounds       int
	rate         int // requests per second of the fixed-rate phase
	connections  int // of the maximum-throughput phase
	overload     bool
	overloadFor  time.Duration
	overloadPage string
	pageCache    bool // keep anonymous pages rendered (server.Config.PageCacheBytes)
}

func loadtestCommand() command {
	var o loadOptions
	return command{
		name:  "loadtest",
		usage: "loadtest [-duration 5s] [-rounds 3] [-rate 500] [-connections 32] [-overload=true] [-overload-duration 10s] [-overload-page signed-in] [-page-cache=false]",
		flags: func(fs *flag.FlagSet) {
			fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each phase, per page class and server")
			fs.IntVar(&o.rounds, "rounds", 3, "times each maximum-throughput phase is repeated, portal and baseline in turn")
			fs.IntVar(&o.rate, "rate", 500, "requests per second of the fixed-rate phase")
			fs.IntVar(&o.connections, "connections", 32, "concurrent connections of the maximum-throughput phase")
			fs.BoolVar(&o.overload, "overload", true, "end with a run at about three times the portal's capacity")
			fs.DurationVar(&o.overloadFor, "overload-duration", 10*time.Second, "length of the overload run")
			fs.StringVar(&o.overloadPage, "overload-page", "signed-in", "the page class the overload run sends")
			fs.BoolVar(&o.pageCache, "page-cache", true, "keep anonymous pages rendered in memory, as `portal serve` does (-page-cache=false to compare)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if err := noArguments(args); err != nil {
				return err
			}
			if o.duration <= 0 || o.rounds < 1 || o.rounds > 100 || o.rate < 1 || o.connections < 1 || o.connections > 4096 || o.overloadFor <= 0 {
				return &usageError{"-duration and -overload-duration must be positive, -rounds 1–100, -rate at least 1, -connections 1–4096"}
			}
			ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
			defer stop()
			return loadtest(ctx, e, o)
		},
	}
}

// loadClassNames are the page classes of loadClasses, in order.
var loadClassNames = []string{"lesson", "home", "catalogue", "search", "signed-in", "css", "indicators", "indicator"}

// pageClass is one kind of request the load test sends.
type pageClass struct {
	name   string
	path   string
	header http.Header
}

// loadtest runs the whole test and prints its tables on e.stdout.
func loadtest(ctx context.Context, e *env, o loadOptions) error {
	if !slices.Contains(loadClassNames, o.overloadPage) {
		return &usageError{fmt.Sprintf("-overload-page %q is none of %s", o.overloadPage, strings.Join(loadClassNames, ", "))}
	}
	fmt.Fprintln(e.stdout, "- Preparing the portal and its data…")
	db, cleanup, err := loadtestDB(ctx, e)
	if err != nil {
		return err
	}
	defer cleanup()
	portal, err := startLoadPortal(ctx, e, db, o.pageCache)
	if err != nil {
		return err
	}
	defer portal.close()
	classes, done, err := loadClasses(ctx, db, portal.url)
	if err != nil {
		return err
	}
	defer done()
	baseline, err := startBaseline(classes, portal.url)
	if err != nil {
		return err
	}
	defer baseline.close()
	fmt.Fprintf(e.stdout, "- Portal at %s (anonymous pages kept: %v), baseline at %s; %d page classes, %d rounds of %s; load average %s\n\n",
		portal.url, o.pageCache, baseline.url, len(classes), o.rounds, o.duration, loadAverage())
	results, err := runClasses(ctx, classes, portal.url, baseline.url, o)
	if err != nil {
		return err
	}
	printLoadTable(e.stdout, results, o)
	if !o.overload {
		return nil
	}
	for _, c := range classes {
		if c.name != o.overloadPage {
			continue
		}
		capacity := 0.0
		for _, r := range results {
			if r.class.name == c.name {
				capacity = r.portalMax()
			}
		}
		res, err := overloadRun(ctx, c, portal.url, capacity, o.overloadFor)
		if err != nil {
			return err
		}
		printOverload(e.stdout, res)
	}
	return nil
}

// loadtestDB opens the configured database (DATABASE_URL, as it is: no
// demo data is added to it), or a new SQLite database in a temporary
// directory, migrated and with the demo data.
func loadtestDB(ctx context.Context, e *env) (*bun.DB, func(), error) {
	dir := ""
	cfg := *e.cfg
	if cfg.DatabaseURL == "" {
		var err error
		if dir, err = os.MkdirTemp("", "portal-loadtest-"); err != nil {
			return nil, nil, err
		}
		cfg.DataDir = dir
	}
	cleanup := func() {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	db, err := openDB(ctx, &cfg)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if dir != "" {
		// The demo accounts' passwords of a database that is gone when the
		// test ends are of no use to anyone: not logged.
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		if _, err := seedDemo(ctx, db, quiet, "portal loadtest", false); err != nil {
			db.Close()
			cleanup()
			return nil, nil, err
		}
	}
	return db, func() { db.Close(); cleanup() }, nil
}

// loadPortal is the portal served in this process.
type loadPortal struct {
	url   string
	close func()
}

// startLoadPortal serves the portal on a free port of 127.0.0.1 with the
// settings of `portal serve`. It logs as a served portal does (one line
// per request), to nowhere: the work of logging is part of what is
// measured, the lines are not wanted.
func startLoadPortal(ctx context.Context, e *env, db *bun.DB, pageCache bool) (*loadPortal, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse("http://" + ln.Addr().String())
	bundle, err := i18n.NewBundle()
	if err != nil {
		ln.Close()
		return nil, err
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := server.New(server.Deps{
		Config: server.Config{
			BaseURL:        base,
			MaxBodyBytes:   e.cfg.MaxBodyBytes,
			MaxUploadBytes: e.cfg.MaxUploadBytes,
			RequestTimeout: e.cfg.RequestTimeout,
			Version:        version,
			Demo:           true,
			Site:           e.cfg.Site,
			Payments:       "practice",
			PageCacheBytes: map[bool]int64{true: 0, false: -1}[pageCache],
		},
		DB: db, Bundle: bundle, Logger: log,
	})
	if err != nil {
		ln.Close()
		return nil, err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go hs.Serve(ln)
	return &loadPortal{url: base.String(), close: func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		srv.WaitMail()
	}}, nil
}

// loadClasses are the page classes: anonymous pages (kept ones and ones
// made per request), a signed-in page, the style sheet and a dashboard.
// Every request takes gzip, as browsers do.
func loadClasses(ctx context.Context, db *bun.DB, portal string) (classes []pageClass, done func(), err error) {
	anon := http.Header{"Accept-Encoding": {"gzip"}}
	home, err := fetch(ctx, portal+"/vi/", anon)
	if err != nil {
		return nil, nil, err
	}
	css := regexp.MustCompile(`href="(/static/app\.[^"]+\.css)"`).FindStringSubmatch(home)
	lesson := regexp.MustCompile(`href="/vi/lessons/([a-z0-9-]+)"`)
	cat, err := fetch(ctx, portal+"/vi/lessons", anon)
	if err != nil {
		return nil, nil, err
	}
	l := lesson.FindStringSubmatch(cat)
	if css == nil || l == nil {
		return nil, nil, fmt.Errorf("loadtest: the home page names no style sheet or the catalogue no lesson")
	}
	cookie, err := signedInCookie(ctx, db, portal)
	if err != nil {
		return nil, nil, err
	}
	done = func() {
		// The account made for the test goes, with its session.
		if err := accounts.DeleteUser(context.WithoutCancel(ctx), db, cookie.userID, nil); err != nil {
			fmt.Fprintln(os.Stderr, "portal loadtest: the test's account was not deleted:", err)
		}
	}
	signed := http.Header{"Accept-Encoding": {"gzip"}, "Cookie": {cookie.header}}
	return []pageClass{
		{name: "lesson", path: "/vi/lessons/" + l[1], header: anon},
		{name: "home", path: "/vi/", header: anon},
		{name: "catalogue", path: "/vi/lessons", header: anon},
		{name: "search", path: "/vi/lessons/search?q=dich+vu+cong", header: anon},
		{name: "signed-in", path: "/vi/lessons/" + l[1], header: signed},
		{name: "css", path: css[1], header: anon},
		{name: "indicators", path: "/vi/indicators", header: anon},
		{name: "indicator", path: "/vi/indicators/SMARTPHONE", header: anon},
	}, done, nil
}

// signedIn is the account the test signs in with and its session cookie.
type signedIn struct {
	userID int64
	header string // name=value, for a Cookie header
}

// signedInCookie makes a resident account and signs it in through the
// sign-in form, returning the session cookie to send.
func signedInCookie(ctx context.Context, db *bun.DB, portal string) (signedIn, error) {
	var si signedIn
	pw := accounts.NewPasswords(1)
	secret := make([]byte, 12)
	rand.Read(secret)
	password := "loadtest " + hex.EncodeToString(secret)
	hash, err := pw.Hash(ctx, password)
	if err != nil {
		return si, err
	}
	email := "loadtest-" + hex.EncodeToString(secret[:6]) + "@example.invalid"
	u, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: email, Role: accounts.RoleResident, PasswordHash: hash})
	if err != nil {
		return si, err
	}
	si.userID = u.ID
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, portal+"/vi/login", strings.NewReader(form.Encode()))
	if err != nil {
		return si, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", portal)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		return si, err
	}
	res.Body.Close()
	pu, _ := url.Parse(portal)
	for _, ck := range jar.Cookies(pu) {
		if strings.HasSuffix(ck.Name, "session") {
			si.header = ck.Name + "=" + ck.Value
			return si, nil
		}
	}
	return si, fmt.Errorf("loadtest: signing in answered %d without a session", res.StatusCode)
}

// fetch GETs a page as text (no compression asked for), to read links.
func fetch(ctx context.Context, u string, _ http.Header) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	res, err := doRaw(req)
	if err != nil {
		return "", err
	}
	return string(res.body), nil
}

// fetched is an answer kept whole: headers and the body as sent.
type fetched struct {
	header http.Header
	body   []byte
}

// doRaw sends req as it is (a gzip it asks for stays gzip) and keeps the
// answer, which must be a 200.
func doRaw(req *http.Request) (*fetched, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("loadtest: GET %s answered %d", req.URL.Path, res.StatusCode)
	}
	return &fetched{header: res.Header, body: b}, nil
}

// baseline is the static server: each class's path answered with the
// bytes and headers the portal sent for it, from memory.
type baseline struct {
	url   string
	close func()
}

func startBaseline(classes []pageClass, portal string) (*baseline, error) {
	pages := map[string]*fetched{}
	for _, c := range classes {
		req, err := http.NewRequest(http.MethodGet, portal+c.path, nil)
		if err != nil {
			return nil, err
		}
		req.Header = c.header.Clone()
		f, err := doRaw(req)
		if err != nil {
			return nil, err
		}
		pages[c.name] = f
	}
	byPath := map[string]*fetched{}
	for _, c := range classes {
		byPath[c.path+"\x00"+c.header.Get("Cookie")] = pages[c.name]
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := byPath[r.URL.RequestURI()+"\x00"+r.Header.Get("Cookie")]
		if f == nil {
			http.NotFound(w, r)
			return
		}
		for _, k := range []string{"Content-Type", "Content-Encoding", "ETag", "Cache-Control", "Vary"} {
			if v := f.header.Get(k); v != "" {
				w.Header().Set(k, v)
			}
		}
		w.Write(f.body)
	})}
	go hs.Serve(ln)
	return &baseline{url: "http://" + ln.Addr().String(), close: func() { hs.Close() }}, nil
}
