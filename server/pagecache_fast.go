package server

import (
	"context"
	"net/http"
	"regexp"
	"time"
)

// Kept pages served first. A page kept in memory (pagecache.go) was still
// reached through the whole middleware chain: a fresh CSP nonce from the
// system's random source, a deadline with its timer, the cross-origin
// check, the session manager looking for a cookie, the router, the route's
// metrics and input checks. On the home page, whose compressed bytes are
// few, that chain was most of an answer's cost (43% of the static
// baseline's throughput where the larger lesson page reached 76%).
//
// keptFirst answers a request that could only be given a kept page with
// that page before the chain: the headers every answer carries, the
// page's own policy, the language cookie, the route's "served" work (a
// lesson's view), its metrics and its log line, as the chain would have
// given them. Anything else, and any page not yet kept, goes through the
// chain as before, which keeps it for the next visitor. A kept page still
// takes a place in flight (overload.go), as every page does: it holds it
// for a few microseconds.

// maxKeptRoutes bounds the paths keptFirst knows; past it, a newly kept
// page is still served from memory, through the chain.
const maxKeptRoutes = 4096

// keptRoute is what keptFirst needs to know of the route behind a kept
// path: its policy, its pattern (for the log and metrics) and the values
// its handler reads from the path.
type keptRoute struct {
	policy  *cachePolicy
	pattern string
	values  [][2]string
}

// noteRoute remembers the route of a path whose page was kept.
func (c *pageCache) noteRoute(path string, kr *keptRoute) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.routes[path]; ok || len(c.routes) < maxKeptRoutes {
		c.routes[path] = kr
	}
}

// route returns the route of a path whose page was kept, or nil.
func (c *pageCache) route(path string) *keptRoute {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.routes[path]
}

// wildcards finds the names of a route pattern's wildcards.
var wildcards = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(?:\.\.\.)?\}`)

// pathValuesOf reads the values of a pattern's wildcards from a request
// the router matched.
func pathValuesOf(pattern string, r *http.Request) [][2]string {
	var out [][2]string
	for _, m := range wildcards.FindAllStringSubmatch(pattern, -1) {
		out = append(out, [2]string{m[1], r.PathValue(m[1])})
	}
	return out
}

// plainGet reports whether r is a GET or HEAD that the chain would hand
// to its route untouched and keepable would accept: no query, no body and
// no kind of body, a path that needed no escaping, no session cookie.
func (s *web) plainGet(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		r.URL.RawQuery == "" && !r.URL.ForceQuery && r.URL.RawPath == "" &&
		r.ContentLength == 0 && len(r.TransferEncoding) == 0 && r.Header.Get("Content-Type") == "" &&
		!hasCookie(r, s.sessions.Cookie.Name)
}

// hasCookie reports whether r carries a cookie of that name.
func hasCookie(r *http.Request, name string) bool {
	_, err := r.Cookie(name)
	return err == nil
}

// keptFirst serves kept pages before next, the rest of the chain.
func (s *web) keptFirst(next http.Handler) http.Handler {
	if s.pages.max < 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.plainGet(r) {
			next.ServeHTTP(w, r)
			return
		}
		kr := s.pages.route(r.URL.Path)
		if kr == nil {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		for _, v := range kr.values {
			r.SetPathValue(v[0], v[1])
		}
		key := pageKey(r)
		if kr.policy.variant != nil {
			v, err := kr.policy.variant(r)
			if err != nil {
				next.ServeHTTP(w, r) // the chain logs it and renders
				return
			}
			key += "\x00" + v
		}
		p := s.pages.get(key)
		if p == nil {
			next.ServeHTTP(w, r)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), infoKey, &reqInfo{route: kr.pattern}))
		rec := &statusRecorder{ResponseWriter: w}
		s.commonHeaders(w.Header(), r)
		// The page is for visitors without a session cookie: a shared
		// cache must not give it to one with one (the session manager
		// says so through the chain).
		w.Header().Add("Vary", "Cookie")
		s.rememberLang(rec, r)
		if kr.policy.served != nil {
			kr.policy.served(r)
		}
		sendKept(rec, r, p)
		s.pages.servedFirst.Add(1)
		s.metrics.observe(kr.pattern, r, rec, start)
		s.logRequest(r, rec, start)
	})
}
