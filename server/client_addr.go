package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"digiportal/accounts"
)

// client is who sent a request as far as the portal can tell: the address
// (the connection's peer, or the address a trusted proxy saw) and the
// scheme the client used.
type client struct {
	addr   netip.Addr
	scheme string
}

// resolveClient finds the request's client once, before anything else
// looks at it, so that rate limits, the audit log, the sessions list and
// /metrics all see the same address. A forwarding header is believed only
// from a peer in the trusted proxies (PORTAL_TRUSTED_PROXIES); from anyone
// else it is the client's own word and is ignored.
func (s *web) resolveClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := clientOf(r, s.cfg.TrustedProxies)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey, c)))
	})
}

// clientOf works out the client of r given the trusted proxies.
func clientOf(r *http.Request, trusted []netip.Prefix) client {
	c := client{addr: peerAddr(r.RemoteAddr), scheme: "http"}
	if r.TLS != nil {
		c.scheme = "https"
	}
	if !c.addr.IsValid() || !inNetworks(trusted, c.addr) {
		return c
	}
	c.addr = forwardedFor(c.addr, r.Header.Values("X-Forwarded-For"), trusted)
	if p := lastListItem(r.Header.Values("X-Forwarded-Proto")); p == "http" || p == "https" {
		c.scheme = p
	}
	return c
}

// forwardedFor walks X-Forwarded-For from the right, where each trusted
// proxy appended the address it saw: the first hop that is not a trusted
// proxy is the client. Whatever lies further left the client wrote itself.
// A hop that is not an address stops the walk at the last proxy reached.
// When every hop is a trusted proxy, the leftmost is the client.
func forwardedFor(peer netip.Addr, headers []string, trusted []netip.Prefix) netip.Addr {
	var hops []string
	for _, h := range headers {
		hops = append(hops, strings.Split(h, ",")...)
	}
	addr := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop := peerAddr(strings.TrimSpace(hops[i]))
		if !hop.IsValid() {
			return addr
		}
		addr = hop
		if !inNetworks(trusted, hop) {
			return hop
		}
	}
	return addr
}

// lastListItem is the last entry of a comma-separated header, lower case.
func lastListItem(values []string) string {
	if len(values) == 0 {
		return ""
	}
	v := values[len(values)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// peerAddr parses an address with or without a port ("192.0.2.1:5000",
// "[2001:db8::1]:443", "2001:db8::1"); an IPv4 address written as IPv6 is
// read as IPv4. A zone is dropped. The zero Addr means it is not one.
func peerAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

func inNetworks(networks []netip.Prefix, a netip.Addr) bool {
	for _, n := range networks {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the one answer to "where did this request come from" for
// every part of the portal: the address resolveClient found.
func clientIP(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey).(client); ok && c.addr.IsValid() {
		return c.addr.String()
	}
	if a := peerAddr(r.RemoteAddr); a.IsValid() {
		return a.String()
	}
	return r.RemoteAddr
}

// clientScheme is "https" when the client reached the portal over HTTPS
// (directly, or through a trusted proxy that says so), else "http".
func clientScheme(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey).(client); ok {
		return c.scheme
	}
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// clientKeyOf is the client as rate limits count it: its address, or for
// IPv6 its /64 (accounts.AddressKey).
func clientKeyOf(r *http.Request) string { return accounts.AddressKey(clientIP(r)) }
