package server

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// serve sends one request straight to the server's handler, from peer.
func serve(srv *Server, method, target, peer string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = peer
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// TestMetricsIgnoreMadeUpMethods: the catch-all route takes any method, so
// a client making up a new one per request must not make a new series per
// request. 10,000 made-up methods leave /metrics small and name none of them.
func TestMetricsIgnoreMadeUpMethods(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t))
	const n = 10_000
	rnd := rand.New(rand.NewPCG(11, 3))
	letters := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	made := map[string]bool{}
	for i := range n {
		m := make([]byte, 6+rnd.IntN(10))
		for j := range m {
			m[j] = letters[rnd.IntN(len(letters))]
		}
		method := "X" + string(m) // never one of the standard methods
		made[method] = true
		path := "/no-such/" + strconv.Itoa(i)
		if i%2 == 1 {
			path = "/vi/lessons/no-such-" + strconv.Itoa(i)
		}
		serve(ts.srv, method, path, "198.51.100.7:4000")
	}
	res := serve(ts.srv, http.MethodGet, "/metrics", "127.0.0.1:4000")
	if res.Code != http.StatusOK {
		t.Fatalf("/metrics: status %d, want 200", res.Code)
	}
	body := res.Body.String()
	if len(body) >= 100_000 {
		t.Errorf("/metrics is %d bytes after %d made-up methods, want under 100 KB", len(body), n)
	}
	known := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
		"DELETE": true, "OPTIONS": true, "CONNECT": true, "TRACE": true, "other": true}
	for _, m := range regexp.MustCompile(`method="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if !known[m[1]] {
			t.Errorf("/metrics has the label method=%q", m[1])
		}
		if made[m[1]] {
			t.Fatalf("/metrics names the made-up method %q", m[1])
		}
	}
	// Every one of them is counted, under the one label of unmatched paths.
	var counted int
	for _, m := range regexp.MustCompile(`portal_http_requests_total\{code="(\d+)",method="other",route="([^"]*)"\} (\d+)`).FindAllStringSubmatch(body, -1) {
		if m[2] != "unmatched" {
			t.Errorf("made-up methods counted under route %q", m[2])
		}
		c, _ := strconv.Atoi(m[3])
		counted += c
	}
	if counted != n {
		t.Errorf("method=\"other\" counts %d requests, want %d\n%.2000s", counted, n, body)
	}
}

// TestMetricsOnlyForAllowedNetworks: /metrics answers the configured
// networks (the machine itself by default) and gives everyone else the
// ordinary 404 page, whatever X-Forwarded-For claims.
func TestMetricsOnlyForAllowedNetworks(t *testing.T) {
	db := dbtest.SQLite(t)
	byDefault := newTestServer(t, db)
	custom := newTestServer(t, db, func(d *Deps) {
		d.Config.MetricsNetworks = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	})
	tests := []struct {
		srv    *Server
		peer   string
		header []string
		want   int
		lang   i18n.Lang // of the 404 page
	}{
		{byDefault.srv, "127.0.0.1:5000", nil, 200, ""},
		{byDefault.srv, "127.8.9.10:5000", nil, 200, ""},
		{byDefault.srv, "[::1]:5000", nil, 200, ""},
		{byDefault.srv, "[::ffff:127.0.0.1]:5000", nil, 200, ""},
		{byDefault.srv, "203.0.113.9:5000", nil, 404, i18n.VI},
		{byDefault.srv, "10.1.2.3:5000", nil, 404, i18n.VI},
		{byDefault.srv, "[2001:db8::1]:5000", nil, 404, i18n.VI},
		{byDefault.srv, "203.0.113.9:5000", []string{"X-Forwarded-For", "127.0.0.1"}, 404, i18n.VI},
		{byDefault.srv, "203.0.113.9:5000", []string{"Accept-Language", "en"}, 404, i18n.EN},
		{byDefault.srv, "not an address", nil, 404, i18n.VI},
		{custom.srv, "10.1.2.3:5000", nil, 200, ""},
		{custom.srv, "[2001:db8::1]:5000", nil, 200, ""},
		{custom.srv, "127.0.0.1:5000", nil, 404, i18n.VI},
		{custom.srv, "192.0.2.1:5000", nil, 404, i18n.VI},
	}
	for _, tt := range tests {
		res := serve(tt.srv, http.MethodGet, "/metrics", tt.peer, tt.header...)
		body := res.Body.String()
		if res.Code != tt.want {
			t.Errorf("/metrics from %s %v: status %d, want %d", tt.peer, tt.header, res.Code, tt.want)
			continue
		}
		if tt.want == http.StatusOK {
			if !strings.Contains(body, "go_goroutines") {
				t.Errorf("/metrics from %s: no metrics in the answer", tt.peer)
			}
			continue
		}
		if strings.Contains(body, "portal_http") {
			t.Errorf("/metrics from %s: refused, yet the body holds metrics", tt.peer)
		}
		if want := tt.srv.bundle.Localizer(tt.lang).T("error.404.body"); !strings.Contains(body, want) {
			t.Errorf("/metrics from %s %v: body lacks the %s 404 text %q", tt.peer, tt.header, tt.lang, want)
		}
	}
}
