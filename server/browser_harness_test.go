package server

// The browser harness: one headless Debian Chromium per test binary, driven
// with chromedp, and a tab per check in a browser context of its own, so no
// cookie or cache passes from one check to the next.
//
// Flow tests use it like this (ts from newTestServer; a tab starts with the
// cookies that ts's client holds, so sign in on ts first to browse signed in):
//
//	tab := newTab(t, ts, atPhoneWidth, withoutScripts)
//	tab.open("/vi/settings/text-size").mustStatus(t, http.StatusOK)
//	tab.click("#size-large")
//	tab.submit(0).mustStatus(t, http.StatusOK) // the first form, by a mouse click
//	if n := tab.count("h1"); n != 1 { … }
//	tab.mustPassAxe()
//
// Without Chromium at /usr/bin/chromium, or without axe-core in
// node_modules, the tests that need them fail under CI=true and are skipped,
// loudly, elsewhere; `make test` installs both.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, which `make test` installs.
const chromiumPath = "/usr/bin/chromium"

// tabTimeout bounds each step of a tab (a load, a click, an axe run), so a
// page that never loads fails its check instead of hanging the suite.
const tabTimeout = 30 * time.Second

// phoneWidth is the narrowest screen the portal is laid out for, in CSS
// pixels: a cheap Android phone.
const phoneWidth = 360

// browser is the Chromium shared by every test of the binary, started on
// first use and stopped by TestMain.
var browser struct {
	once   sync.Once
	ctx    context.Context // the browser's chromedp context; tabs derive from it
	stop   func()
	output lockedBuffer // what Chromium printed, shown when it fails to start
	err    error
}

// TestMain stops the shared browser once the package's tests have run.
func TestMain(m *testing.M) {
	code := m.Run()
	if browser.stop != nil {
		browser.stop()
	}
	os.Exit(code)
}

// toolMissing fails the test under CI=true, where every tool must be
// there, and skips it loudly elsewhere, saying how to get the tool.
func toolMissing(t testing.TB, what string) {
	t.Helper()
	msg := what + "; `make test` installs what the browser checks need"
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: a missing test tool is a failure)", msg)
	}
	t.Skipf("\n\n*** SKIPPING BROWSER CHECK: %s ***\n", msg)
}

// sharedBrowser returns the chromedp context of the shared browser,
// starting the browser on first use.
func sharedBrowser(t testing.TB) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser checks do not run with -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		toolMissing(t, "Chromium is not installed at "+chromiumPath+" (apt-get install chromium)")
	}
	browser.once.Do(startBrowser)
	if browser.err != nil {
		t.Fatalf("start Chromium: %v\nChromium printed:\n%s", browser.err, browser.output.String())
	}
	return browser.ctx
}

func startBrowser() {
	dir, err := os.MkdirTemp("", "portal-chromium-")
	if err != nil {
		browser.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// The machines' network is closed: without these Chromium keeps
		// trying to reach Google's hosts.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.CombinedOutput(&browser.output),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	browser.ctx = ctx
	browser.stop = func() {
		cancel()
		allocCancel()
		os.RemoveAll(dir)
	}
	// The first run starts the browser. It takes no timeout: the browser
	// lives as long as the context of that run.
	browser.err = chromedp.Do(ctx)
}

// lockedBuffer keeps the first 64 KiB that Chromium prints (the start says
// why it failed), safe for its output goroutine and a failing test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() < 64<<10 {
		l.buf.Write(p)
	}
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// tabOption changes how newTab sets up a tab.
type tabOption func(*tabConfig)

type tabConfig struct {
	noScript bool
	phone    bool
}

// withoutScripts turns JavaScript off in the tab, as for a visitor whose
// browser runs none. The harness still reads the page through the DevTools
// protocol: DOM queries, clicks and even Runtime evaluation keep working.
func withoutScripts(c *tabConfig) { c.noScript = true }

// atPhoneWidth lays pages out as a mobile browser 360 CSS pixels wide.
func atPhoneWidth(c *tabConfig) { c.phone = true }

// tab is one browser tab on the test server.
type tab struct {
	t        testing.TB
	ts       *testServer
	ctx      context.Context
	noScript bool

	mu   sync.Mutex
	reqs map[network.RequestID]*netRequest // of the current load
	docs []docResponse                     // document responses of the current load, redirects first
	errs []consoleError                    // errors logged since the page loaded
}

// netRequest is one request of a load as the network events tell it.
type netRequest struct {
	kind  network.ResourceType
	url   string
	bytes float64 // transferred: headers and encoded bodies, redirects included
}

// docResponse is one response to a top-level document request.
type docResponse struct {
	URL      string
	Status   int
	Download bool // Content-Disposition: attachment, such as a CSV export
}

func (r docResponse) String() string {
	s := fmt.Sprintf("%d %s", r.Status, r.URL)
	if r.Download {
		s += " (download)"
	}
	return s
}

// newTab opens a tab in a fresh browser context of the shared browser,
// with the cookies that ts's client holds for the server (a session made by
// signing in on ts carries over). The tab closes when the test ends.
func newTab(t testing.TB, ts *testServer, opts ...tabOption) *tab {
	t.Helper()
	var cfg tabConfig
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := chromedp.NewContext(sharedBrowser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab; like the browser's, it takes no timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v\nChromium printed:\n%s", err, browser.output.String())
	}
	tb := &tab{t: t, ts: ts, ctx: ctx, noScript: cfg.noScript, reqs: map[network.RequestID]*netRequest{}}
	if err := chromedp.Listen(ctx, tb.record); err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	// Downloads are refused, so that a form answering with a file (an
	// export) saves nothing anywhere; its response still shows.
	dctx, dcancel := context.WithTimeout(ctx, tabTimeout)
	_, err := chromedp.CallBrowser(dctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDeny, BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
	})
	dcancel()
	if err != nil {
		t.Fatalf("refuse downloads: %v", err)
	}
	var steps []chromedp.Action[chromedp.Void]
	if cfg.noScript {
		steps = append(steps, command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}))
	}
	if cfg.phone {
		steps = append(steps, chromedp.EmulateViewport(phoneWidth, 720, chromedp.EmulateMobile, chromedp.EmulateTouch))
	}
	base, err := url.Parse(ts.http.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ts.client.Jar.Cookies(base) {
		steps = append(steps, command(network.SetCookie, network.SetCookieParams{
			Name: c.Name, Value: c.Value, URL: base.String(), Path: "/",
			HTTPOnly: new(true), SameSite: network.CookieSameSiteLax,
		}))
	}
	if err := tb.run(chromedp.Steps(steps...)); err != nil {
		t.Fatalf("set up the tab: %v", err)
	}
	return tb
}

// command makes an action of one protocol command whose result is not needed.
func command[P, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// record keeps the network events of a load. It runs in the tab's event
// loop, so it only stores.
func (tb *tab) record(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r := tb.reqs[ev.RequestID]
		if r == nil {
			r = &netRequest{}
			tb.reqs[ev.RequestID] = r
		}
		if rr := ev.RedirectResponse; rr != nil {
			r.bytes += rr.EncodedDataLength
			if ev.Type == network.ResourceTypeDocument {
				tb.docs = append(tb.docs, docResponse{URL: rr.URL, Status: int(rr.Status)})
			}
		}
		r.kind, r.url = ev.Type, ev.Request.URL
	case *network.EventResponseReceived:
		if r := tb.reqs[ev.RequestID]; r != nil {
			r.kind = ev.Type
		}
		if ev.Type == network.ResourceTypeDocument {
			tb.docs = append(tb.docs, docResponse{URL: ev.Response.URL, Status: int(ev.Response.Status), Download: isAttachment(ev.Response.Headers)})
		}
	case *network.EventLoadingFinished:
		if r := tb.reqs[ev.RequestID]; r != nil {
			r.bytes += ev.EncodedDataLength
		}
	case *cdplog.EventEntryAdded:
		// The browser's own errors: failed loads, CSP violations.
		if e := ev.Entry; e.Level == cdplog.EntryLevelError {
			tb.errs = append(tb.errs, consoleError{Source: string(e.Source), Text: e.Text, URL: e.URL})
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		tb.errs = append(tb.errs, consoleError{Source: "exception", Text: msg, URL: fmt.Sprintf("%s:%d", d.URL, d.LineNumber+1)})
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			tb.errs = append(tb.errs, consoleError{Source: "console", Text: strings.Join(parts, " ")})
		}
	}
}

// isAttachment reports whether response headers make a download.
func isAttachment(h network.Headers) bool {
	for k, v := range h {
		if s, ok := v.(string); ok && strings.EqualFold(k, "Content-Disposition") {
			return strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "attachment")
		}
	}
	return false
}

// consoleError is an error the page or the browser logged.
type consoleError struct {
	Source string // "network", "security", "exception", "console"…
	Text   string
	URL    string
}

func (e consoleError) String() string { return e.Source + ": " + e.Text + " (" + e.URL + ")" }

// consoleErrors returns the errors logged since the page loaded: by its
// scripts, and by the browser about it (a resource that failed, a style or
// script the CSP refused).
func (tb *tab) consoleErrors() []consoleError {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return slices.Clone(tb.errs)
}

// run runs an action in the tab within tabTimeout.
func (tb *tab) run(a chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(tb.ctx, tabTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, a)
	return err
}

// pageLoad is what one navigation of a tab brought.
type pageLoad struct {
	URL    string        // where the tab ended up
	Status int           // of the last document response
	Chain  []docResponse // every document response, redirects first
	// Left is true when the navigation ended on another host (such as a
	// payment provider) that the closed test network cannot reach.
	Left bool
	// Download is true when the answer was a file to save (the browser
	// then stays on the page it was on).
	Download bool
	// Bytes transferred (headers included) by kind of resource.
	HTML, CSS, JS, Image, Other int
}

// Weight is what the page-weight budget counts: HTML, CSS, JavaScript and
// images (a lesson's pictures are part of what a phone must fetch to show
// the page).
func (l *pageLoad) Weight() int { return l.HTML + l.CSS + l.JS + l.Image }

// mustStatus fails the test unless the page answered with want.
func (l *pageLoad) mustStatus(t testing.TB, want int) *pageLoad {
	t.Helper()
	if l.Status != want {
		t.Fatalf("%s: status %d, want %d (responses: %v)", l.URL, l.Status, want, l.Chain)
	}
	return l
}

// navigate runs a step that starts a navigation, waits until the new page
// has loaded and says what it brought.
func (tb *tab) navigate(what string, step chromedp.Action[chromedp.Void]) (*pageLoad, error) {
	tb.mu.Lock()
	tb.reqs, tb.docs, tb.errs = map[network.RequestID]*netRequest{}, nil, nil
	tb.mu.Unlock()

	ctx, cancel := context.WithTimeout(tb.ctx, tabTimeout)
	defer cancel()
	_, navErr := chromedp.RunResponse(ctx, step)

	tb.mu.Lock()
	defer tb.mu.Unlock()
	l := &pageLoad{Chain: append([]docResponse(nil), tb.docs...)}
	for _, r := range tb.reqs {
		n := int(r.bytes)
		switch r.kind {
		case network.ResourceTypeDocument:
			l.HTML += n
			l.URL = r.url
		case network.ResourceTypeStylesheet:
			l.CSS += n
		case network.ResourceTypeScript:
			l.JS += n
		case network.ResourceTypeImage:
			l.Image += n
		default:
			l.Other += n
		}
	}
	if len(l.Chain) > 0 {
		last := l.Chain[len(l.Chain)-1]
		l.Status, l.Download = last.Status, last.Download
	}
	if navErr != nil {
		var le *chromedp.LoadError
		switch {
		case !errors.As(navErr, &le):
		case l.Download: // the browser refuses downloads (see newTab)
			return l, nil
		case l.URL != "" && !strings.HasPrefix(l.URL, tb.ts.http.URL+"/"):
			l.Left = true
			return l, nil
		}
		return l, fmt.Errorf("%s: %w (responses so far: %v)", what, navErr, l.Chain)
	}
	return l, nil
}

// open loads path (such as "/vi/") from the test server.
func (tb *tab) open(path string) *pageLoad {
	tb.t.Helper()
	l, err := tb.navigate("open "+path, chromedp.Navigate(tb.ts.http.URL+path))
	if err != nil {
		tb.t.Fatal(err)
	}
	return l
}

// follow clicks the first element that matches the CSS selector, with a
// real mouse event, and waits for the page it leads to.
func (tb *tab) follow(selector string) *pageLoad {
	tb.t.Helper()
	l, err := tb.navigate("click "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeReady))
	if err != nil {
		tb.t.Fatal(err)
	}
	return l
}

// click clicks the first element that matches the CSS selector, with a real
// mouse event, when the click leads nowhere (a radio button, a checkbox).
func (tb *tab) click(selector string) {
	tb.t.Helper()
	if err := tb.run(chromedp.Click(chromedp.CSS(selector), chromedp.NodeReady)); err != nil {
		tb.t.Fatalf("click %s: %v", selector, err)
	}
}

// fill types text into the first field that matches the CSS selector.
func (tb *tab) fill(selector, text string) {
	tb.t.Helper()
	if err := tb.run(chromedp.SendKeys(chromedp.CSS(selector), text, chromedp.NodeReady)); err != nil {
		tb.t.Fatalf("fill %s: %v", selector, err)
	}
}

// submitButtons selects what can submit a form without JavaScript.
const submitButtons = `button:not([type]), button[type="submit"], input[type="submit"], input[type="image"]`

// submit submits the page's form number i (from 0, in document order) by a
// mouse click on its first submit button, as it is filled now, and waits
// for the page it leads to. The browser's own constraint validation is
// turned off (novalidate) first, so the server's validation answers, as it
// must for every browser.
func (tb *tab) submit(i int) *pageLoad {
	tb.t.Helper()
	l, err := tb.submitForm(i)
	if err != nil {
		tb.t.Fatal(err)
	}
	return l
}

func (tb *tab) submitForm(i int) (*pageLoad, error) {
	forms, err := tb.nodes("form")
	if err != nil {
		return nil, err
	}
	if i >= len(forms) {
		return nil, fmt.Errorf("submit form %d: the page has %d forms", i, len(forms))
	}
	form := forms[i]
	// A form inside a closed <details> (sign out, in the header's menu) is
	// reached as a person reaches it: by opening the menu first.
	if _, err := evaluate[bool](tb, fmt.Sprintf(`(() => { for (let d = document.forms[%d].closest("details"); d; d = d.parentElement.closest("details")) d.open = true; return true; })()`, i)); err != nil {
		return nil, fmt.Errorf("submit form %d: open its menu: %w", i, err)
	}
	if err := tb.run(command(dom.SetAttributeValue, dom.SetAttributeValueParams{NodeID: form.NodeID, Name: "novalidate", Value: ""})); err != nil {
		return nil, fmt.Errorf("submit form %d: %w", i, err)
	}
	buttons, err := tb.nodesIn(form, submitButtons)
	if err != nil {
		return nil, err
	}
	if len(buttons) == 0 {
		return nil, fmt.Errorf("form %d (action %q) has no submit button: without JavaScript nobody can send it", i, form.AttributeValue("action"))
	}
	return tb.navigate(fmt.Sprintf("submit form %d (action %q)", i, form.AttributeValue("action")), chromedp.MouseClickNode(buttons[0]))
}

// nodes returns the elements that match the CSS selector, possibly none.
func (tb *tab) nodes(selector string) ([]*chromedp.Node, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, tabTimeout)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(selector), chromedp.AtLeast(0)))
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", selector, err)
	}
	return n, nil
}

// nodesIn returns the elements inside parent that match the CSS selector.
func (tb *tab) nodesIn(parent *chromedp.Node, selector string) ([]*chromedp.Node, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, tabTimeout)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(selector), chromedp.FromNode(parent), chromedp.AtLeast(0)))
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", selector, err)
	}
	return n, nil
}

// count returns how many elements match the CSS selector.
func (tb *tab) count(selector string) int {
	tb.t.Helper()
	n, err := tb.nodes(selector)
	if err != nil {
		tb.t.Fatal(err)
	}
	return len(n)
}

// attr returns an attribute of the first element that matches the CSS
// selector, and whether it is there.
func (tb *tab) attr(selector, name string) (string, bool) {
	tb.t.Helper()
	n, err := tb.nodes(selector)
	if err != nil {
		tb.t.Fatal(err)
	}
	if len(n) == 0 {
		tb.t.Fatalf("no element matches %s", selector)
	}
	return n[0].Attribute(name)
}

// evaluate runs a JavaScript expression through the DevTools protocol (it
// works with the page's scripts turned off) and decodes its value.
func evaluate[T any](tb *tab, expr string, opts ...chromedp.EvaluateOption) (T, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, tabTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
}

// screenshot saves a PNG of the whole page to file.
func (tb *tab) screenshot(file string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, tabTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// setScripts turns JavaScript on or off for the pages the tab loads next.
func (tb *tab) setScripts(on bool) {
	tb.t.Helper()
	if err := tb.run(command(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})); err != nil {
		tb.t.Fatalf("turn scripts on=%v: %v", on, err)
	}
	tb.noScript = !on
}
