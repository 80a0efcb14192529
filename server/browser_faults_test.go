package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// faultyPages is a tiny site with one fault of each kind the browser
// checks look for, served with the portal's kind of CSP.
func faultyPages() http.Handler {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-n0nce'; style-src 'self'; img-src 'self'; form-action 'self'")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>t</title></head><body><main>`+body+`</main></body></html>`)
		}
	}
	mux.HandleFunc("GET /inaccessible", page(`<h1>Hi</h1><img src="/nothing.png"><input name="q">`))
	mux.HandleFunc("GET /inline", page(`<h1 style="color:red">Hi</h1><script>document.title = "x"</script>`))
	mux.HandleFunc("GET /scripted", page(`<script nonce="n0nce" src="/big.js" defer></script><div class="slot"></div>`))
	mux.HandleFunc("GET /big.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprintf(w, "/* %s */ document.querySelector('.slot').innerHTML = '<h1>Hi</h1>';", strings.Repeat("x", scriptBudget))
	})
	mux.HandleFunc("GET /wide", page(`<h1>Hi</h1><pre>`+strings.Repeat("wide ", 200)+`</pre>`))
	mux.HandleFunc("GET /forms", page(`<h1>Hi</h1>
<form method="post" action="/refuse"><label for="a">A</label><input id="a" name="a" required><button>Send</button></form>
<form method="post" action="/refuse"><label for="b">B</label><input id="b" name="b"></form>
<form method="post" action="/export"><button>Export</button></form>`))
	mux.HandleFunc("POST /export", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Disposition", `attachment; filename="x.csv"`)
		fmt.Fprintln(w, "a,b")
	})
	mux.HandleFunc("POST /refuse", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	})
	return mux
}

// TestBrowserChecksCatchFaults shows that each browser check fails on the
// fault it is for, so a green run of TestBrowserPages means something.
func TestBrowserChecksCatchFaults(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	hs := httptest.NewServer(faultyPages())
	t.Cleanup(hs.Close)
	ts := &testServer{t: t, http: hs, client: newClient()}

	t.Run("axe finds missing alt text and labels", func(t *testing.T) {
		tab := newTab(t, ts)
		tab.open("/inaccessible").mustStatus(t, http.StatusOK)
		vs, err := tab.axe()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range vs {
			got = append(got, v.ID)
		}
		for _, want := range []string{"image-alt", "label"} {
			if !slices.Contains(got, want) {
				t.Errorf("axe violations %v lack %q", got, want)
			}
		}
	})
	t.Run("the console shows what the CSP refuses", func(t *testing.T) {
		tab := newTab(t, ts)
		tab.open("/inline")
		var security int
		for _, e := range tab.consoleErrors() {
			if strings.Contains(e.Text, "Content Security Policy") {
				security++
			}
		}
		if security < 2 {
			t.Errorf("want the refused inline style and script in the console, got %v", tab.consoleErrors())
		}
	})
	t.Run("scripts count and can be turned off", func(t *testing.T) {
		l := newTab(t, ts).open("/scripted")
		if l.JS <= scriptBudget || l.Weight() != l.HTML+l.CSS+l.JS+l.Image {
			t.Errorf("JS %d bytes, want over %d", l.JS, scriptBudget)
		}
		on := newTab(t, ts)
		on.open("/scripted")
		off := newTab(t, ts, withoutScripts)
		off.open("/scripted")
		if got, want := [2]int{on.count("h1"), off.count("h1")}, [2]int{1, 0}; got != want {
			t.Errorf("headings made by the script with scripts on, off: %v, want %v", got, want)
		}
	})
	t.Run("a page wider than a phone shows", func(t *testing.T) {
		tab := newTab(t, ts, atPhoneWidth)
		tab.open("/wide")
		w, culprits := tab.overflow()
		if w <= phoneWidth || len(culprits) != 1 || !strings.HasPrefix(culprits[0], "<pre>") && !strings.Contains(culprits[0], "<pre>") {
			t.Errorf("width %d, culprits %q; want over %d, and the <pre>", w, culprits, phoneWidth)
		}
	})
	t.Run("forms: a refusal shows, a form without a button fails, a download passes", func(t *testing.T) {
		tab := newTab(t, ts, withoutScripts)
		tab.open("/forms")
		l, err := tab.submitForm(0) // required field left empty: novalidate lets it go
		if err != nil {
			t.Fatal(err)
		}
		if l.Status != http.StatusForbidden {
			t.Errorf("status %d, want 403 (responses %v)", l.Status, l.Chain)
		}
		tab.open("/forms")
		if _, err := tab.submitForm(1); err == nil || !strings.Contains(err.Error(), "no submit button") {
			t.Errorf("form without a button: error %v, want one saying so", err)
		}
		tab.open("/forms")
		if l, err := tab.submitForm(2); err != nil || !l.Download || l.Status != http.StatusOK {
			t.Errorf("export form: %+v, %v; want a download with status 200", l, err)
		}
	})
}
