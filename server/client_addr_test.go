package server

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/content"
	"digiportal/database/dbtest"
)

// TestClientOf: a forwarding header counts only from a trusted proxy, and
// then its rightmost hop that is not a trusted proxy is the client; the
// scheme comes from X-Forwarded-Proto under the same condition.
func TestClientOf(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	tests := []struct {
		name, peer   string
		xff          []string
		proto        string
		want, scheme string
	}{
		{"no proxy, header ignored", "198.51.100.7:4000", []string{"203.0.113.9"}, "https", "198.51.100.7", "http"},
		{"trusted proxy, one hop", "10.1.2.3:4000", []string{"203.0.113.9"}, "https", "203.0.113.9", "https"},
		{"client's own left part is skipped", "10.1.2.3:4000", []string{"1.2.3.4, 203.0.113.9"}, "http", "203.0.113.9", "http"},
		{"two trusted proxies", "10.1.2.3:4000", []string{"6.6.6.6, 203.0.113.9, 10.9.9.9"}, "", "203.0.113.9", "http"},
		{"header split over lines", "10.1.2.3:4000", []string{"6.6.6.6", "203.0.113.9"}, "", "203.0.113.9", "http"},
		{"only proxies: the leftmost", "10.1.2.3:4000", []string{"10.5.5.5, 10.6.6.6"}, "", "10.5.5.5", "http"},
		{"garbage stops at the last proxy", "10.1.2.3:4000", []string{"203.0.113.9, nonsense"}, "", "10.1.2.3", "http"},
		{"no header: the proxy itself", "10.1.2.3:4000", nil, "", "10.1.2.3", "http"},
		{"IPv6 client through IPv6 proxy", "[2001:db8:ffff::1]:443", []string{"2001:db8:1:2::5"}, "HTTPS", "2001:db8:1:2::5", "https"},
		{"IPv4 written as IPv6", "[::ffff:10.1.2.3]:80", []string{"::ffff:203.0.113.9"}, "", "203.0.113.9", "http"},
		{"hop with a port", "10.1.2.3:4000", []string{"203.0.113.9:5555"}, "", "203.0.113.9", "http"},
		{"an odd scheme is ignored", "10.1.2.3:4000", []string{"203.0.113.9"}, "gopher", "203.0.113.9", "http"},
		{"spoofed proto from the client", "198.51.100.7:4000", nil, "https", "198.51.100.7", "http"},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tt.peer
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if tt.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		c := clientOf(r, trusted)
		if c.addr.String() != tt.want || c.scheme != tt.scheme {
			t.Errorf("%s: got %s %s, want %s %s", tt.name, c.addr, c.scheme, tt.want, tt.scheme)
		}
	}
}

// TestAddressKeys: rate limits count an IPv6 client by its /64 and a
// network by its /24 or /48.
func TestAddressKeys(t *testing.T) {
	for _, c := range []struct{ ip, addr, network string }{
		{"198.51.100.7", "198.51.100.7", "198.51.100.0/24"},
		{"::ffff:198.51.100.7", "198.51.100.7", "198.51.100.0/24"},
		{"2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64", "2001:db8:1::/48"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64", "2001:db8:1::/48"},
	} {
		if got := accounts.AddressKey(c.ip); got != c.addr {
			t.Errorf("AddressKey(%s) = %s, want %s", c.ip, got, c.addr)
		}
		if got := accounts.NetworkKey(c.ip); got != c.network {
			t.Errorf("NetworkKey(%s) = %s, want %s", c.ip, got, c.network)
		}
	}
}

// postFrom submits a form as a browser behind a proxy: the proxy adds the
// X-Forwarded-For header naming the browser's address.
func (ts *testServer) postFrom(path string, form url.Values, forwardedFor string) *response {
	ts.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.http.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.http.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	return ts.do(req)
}

func trustLoopback(d *Deps) {
	d.Config.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// TestBehindProxy is the attack behind a reverse proxy: 31 failed
// sign-ins from one client no longer refuse every other client, the audit
// log names the client rather than the proxy, /metrics is not opened to the
// world by a proxy on the same machine, and without trusted proxies a
// forged X-Forwarded-For escapes nothing.
func TestBehindProxy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db, trustLoopback)
		victim := ts.newVisitor().signInAs(accounts.RoleResident, "")
		attacker := ts.newVisitor()
		var refused bool
		for i := range 32 {
			// Every guess on an account of its own, so that only the
			// address limit can stop them.
			res := attacker.postFrom("/vi/login", url.Values{"email": {"khach" + strings.Repeat("x", i) + "@example.test"}, "password": {"đoán sai mãi thôi"}}, "203.0.113.66")
			refused = refused || res.StatusCode == http.StatusTooManyRequests
		}
		if !refused {
			t.Fatal("32 failed sign-ins from one client behind the proxy were never slowed")
		}
		ts.newVisitor().postFrom("/vi/login", url.Values{"email": {victim.Email}, "password": {testPassword}}, "198.51.100.20").mustStatus(t, http.StatusSeeOther)

		failed, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: accounts.AuditSignInFailed, Limit: 1})
		if err != nil || len(failed) == 0 || failed[0].IP != "203.0.113.66" {
			t.Errorf("failed sign-in audited as %+v (%v), want the client's address 203.0.113.66", failed, err)
		}
		signedIn, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Action: accounts.AuditSignIn, Limit: 1})
		if err != nil || len(signedIn) == 0 || signedIn[0].IP != "198.51.100.20" {
			t.Errorf("sign-in audited as %+v (%v), want 198.51.100.20", signedIn, err)
		}
		// A proxy on this machine passes the world's requests: /metrics
		// follows the client's address, not the proxy's.
		ts.get("/metrics", "X-Forwarded-For", "203.0.113.66").mustStatus(t, http.StatusNotFound)
		ts.get("/metrics").mustStatus(t, http.StatusOK)
		if got := ts.get("/vi/", "X-Forwarded-Proto", "https").Header.Get("Strict-Transport-Security"); got == "" {
			t.Error("HTTPS at the proxy gave no Strict-Transport-Security")
		}

		// Without trusted proxies the header is the client's word: a
		// different forged address on each try changes nothing.
		direct := newTestServer(t, db)
		refused = false
		for i := range 32 {
			res := direct.postFrom("/vi/login", url.Values{"email": {"la" + strings.Repeat("y", i) + "@example.test"}, "password": {"đoán sai mãi thôi"}}, "192.0.2."+strings.Repeat("1", 1+i%3))
			refused = refused || res.StatusCode == http.StatusTooManyRequests
		}
		if !refused {
			t.Error("a forged X-Forwarded-For from an untrusted peer escaped the address limit")
		}
		if got := direct.get("/vi/", "X-Forwarded-Proto", "https").Header.Get("Strict-Transport-Security"); got != "" {
			t.Error("a forged X-Forwarded-Proto turned on Strict-Transport-Security")
		}
	})
}

// TestIPv6ClientsCountedBy64: guesses from addresses across one /64 share
// one address limit; another /64 is not held back by them.
func TestIPv6ClientsCountedBy64(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db, trustLoopback)
		victim := ts.newVisitor().signInAs(accounts.RoleResident, "")
		var refused bool
		for i := range 32 {
			res := ts.newVisitor().postFrom("/en/login", url.Values{"email": {"v6" + strings.Repeat("z", i) + "@example.test"}, "password": {"wrong guess again"}},
				"2001:db8:5:6:"+strings.Repeat("a", 1+i%4)+"::"+string(rune('1'+i%9)))
			refused = refused || res.StatusCode == http.StatusTooManyRequests
		}
		if !refused {
			t.Fatal("32 failed sign-ins from one IPv6 /64, each from a new address, were never slowed")
		}
		ts.newVisitor().postFrom("/en/login", url.Values{"email": {victim.Email}, "password": {testPassword}}, "2001:db8:5:7::1").mustStatus(t, http.StatusSeeOther)
	})
}

// TestBehindProxyResumeAndSessions: behind the proxy, one client's wrong
// resume codes do not hold back another client, and the sessions list
// names the client's network, not the proxy's.
func TestBehindProxyResumeAndSessions(t *testing.T) {
	ts := newTestServer(t, dbtest.SQLite(t), trustLoopback)
	resume := func(i int, from string) *response {
		data := "2345" + string("ABCDEFGHJKMNPQRSTUVWXYZ"[i%23]) + "6789"
		code, _ := content.ParseResumeCode(data + string(checkCharFor(t, data)))
		return ts.newVisitor().postFrom("/vi/progress/resume", url.Values{"code": {code}}, from)
	}
	var refused bool
	for i := range 40 {
		if resume(i, "203.0.113.66").StatusCode == http.StatusTooManyRequests {
			refused = true
			break
		}
	}
	if !refused {
		t.Fatal("40 unknown resume codes from one client behind the proxy were never slowed")
	}
	if res := resume(1, "198.51.100.20"); res.StatusCode == http.StatusTooManyRequests {
		t.Error("another client's resume code was refused for the first client's guesses")
	}

	v := ts.newVisitor()
	hash, err := v.srv.acct.passwords.Hash(context.Background(), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := accounts.CreateUser(context.Background(), ts.db, accounts.NewUser{Email: "phien@example.test", Role: accounts.RoleResident, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	v.postFrom("/vi/login", url.Values{"email": {u.Email}, "password": {testPassword}}, "198.51.100.20").mustStatus(t, http.StatusSeeOther)
	req, _ := http.NewRequest(http.MethodGet, ts.http.URL+"/vi/account/sessions", nil)
	req.Header.Set("X-Forwarded-For", "198.51.100.20")
	v.do(req).mustStatus(t, http.StatusOK).mustContain(t, "198.51.100.0/24").mustNotContain(t, "127.0.0.0/24")
}
