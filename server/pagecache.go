package server

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alexedwards/scs/v2"
)

// Anonymous pages rendered once. Executing the templates is most of what a
// page costs (61–74% of the CPU of an anonymous lesson page), while a
// lesson, the catalogue, a learning path, the home page or the fee
// catalogue reads the same for every visitor who has no session: its words
// depend only on the path, the language (part of the path) and the
// text-size setting. A route that says so (route.cache) has such answers
// kept in memory, as they are and gzipped, with a strong ETag, and served
// from there; visitors with a session (signed in, or with lesson progress
// or a self-assessment of their own) always get a page made for them.
//
// Kept pages carry no CSP nonce: the same bytes go to everyone, so their
// policy allows the portal's own script file ('self') instead, still with
// no inline script or style (contentPolicy).

// defaultPageCacheBytes bounds the kept pages (bodies, both encodings)
// when the configuration does not say otherwise.
const defaultPageCacheBytes = 32 << 20

// cachePolicy says that a GET route's anonymous answers may be kept.
type cachePolicy struct {
	// variant, when set, adds to the key what else the page shows besides
	// its path and text size, such as the version of the indicator data; an
	// error serves the request as if nothing were kept.
	variant func(r *http.Request) (string, error)
	// served, when set, runs for every answer served from memory: what the
	// handler would have done besides rendering (counting a lesson's view).
	served func(r *http.Request)
}

// pageCache holds rendered pages, least recently used first out, within a
// bound in bytes.
type pageCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // of *keptPage, most recently used at the front
	pages map[string]*list.Element
	// routes are the paths whose pages have been kept, with what serving
	// one from memory needs to know of its route (pagecache_fast.go).
	routes map[string]*keptRoute
	// servedFirst counts the pages keptFirst served.
	servedFirst atomic.Int64
}

// keptPage is one variant of a page, ready to send.
type keptPage struct {
	key         string
	contentType string
	body, gz    []byte
	etag, gzTag string
}

func (p *keptPage) cost() int64 { return int64(len(p.key) + len(p.body) + len(p.gz) + 256) }

// newPageCache returns a cache of at most max bytes; max < 0 keeps nothing.
func newPageCache(max int64) *pageCache {
	if max == 0 {
		max = defaultPageCacheBytes
	}
	return &pageCache{max: max, order: list.New(), pages: map[string]*list.Element{}, routes: map[string]*keptRoute{}}
}

func (c *pageCache) get(key string) *keptPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.pages[key]
	if !ok {
		return nil
	}
	c.order.MoveToFront(e)
	return e.Value.(*keptPage)
}

func (c *pageCache) put(p *keptPage) {
	if p.cost() > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.pages[p.key]; ok {
		c.size -= old.Value.(*keptPage).cost()
		c.order.Remove(old)
	}
	c.pages[p.key] = c.order.PushFront(p)
	c.size += p.cost()
	for c.size > c.max {
		last := c.order.Back()
		lp := last.Value.(*keptPage)
		c.order.Remove(last)
		delete(c.pages, lp.key)
		c.size -= lp.cost()
	}
}

// stats returns how many pages are kept and their cost in bytes.
func (c *pageCache) stats() (pages int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pages), c.size
}

// keepable reports whether r may be answered with a kept page: a GET or
// HEAD without a query string, from a visitor with no session and so no
// sign-in, progress or flash of their own.
func (s *web) keepable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.URL.RawQuery != "" || r.URL.ForceQuery {
		return false
	}
	if _, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
		return false
	}
	return s.currentUser(r) == nil
}

// pageKey is the variant of a page a request asks for, before the route's
// own part.
func pageKey(r *http.Request) string {
	size := "normal"
	if c, err := r.Cookie(textSizeCookie); err == nil && c.Value == "large" {
		size = "large"
	}
	return r.URL.Path + "\x00" + size
}

// keepPages serves a route's anonymous answers from memory, rendering each
// variant once: the first request renders it (without a nonce) and keeps
// it when it is a 200 that changed no session.
func (s *web) keepPages(pc *cachePolicy, pattern string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.pages.max < 0 || !s.keepable(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := pageKey(r)
		if pc.variant != nil {
			v, err := pc.variant(r)
			if err != nil {
				s.log.LogAttrs(r.Context(), slog.LevelWarn, "page cache: variant", slog.Any("err", err))
				next.ServeHTTP(w, r)
				return
			}
			key += "\x00" + v
		}
		if p := s.pages.get(key); p != nil {
			s.rememberLang(w, r)
			if pc.served != nil {
				pc.served(r)
			}
			sendKept(w, r, p)
			return
		}
		// The page rendered here may be sent to anyone: no nonce in it,
		// and the policy that goes with that.
		w.Header().Set("Content-Security-Policy", contentPolicy("'self'"))
		rec := &pageRecorder{header: http.Header{}}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), nonceKey, "")))
		if !s.keepableAnswer(r, rec) {
			rec.sendTo(w, r)
			return
		}
		p, err := keep(key, rec)
		if err != nil {
			s.log.LogAttrs(r.Context(), slog.LevelWarn, "page cache: compress", slog.Any("err", err))
			rec.sendTo(w, r)
			return
		}
		s.pages.put(p)
		s.pages.noteRoute(r.URL.Path, &keptRoute{policy: pc, pattern: pattern, values: pathValuesOf(pattern, r)})
		for _, c := range rec.header.Values("Set-Cookie") {
			w.Header().Add("Set-Cookie", c)
		}
		sendKept(w, r, p)
	})
}

// keepableAnswer reports whether a rendered answer is the same for every
// visitor without a session: a 200 HTML page whose only cookie is the
// language remembered for "/", that left the session untouched.
func (s *web) keepableAnswer(r *http.Request, rec *pageRecorder) bool {
	if rec.status != http.StatusOK || !strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
		return false
	}
	if rec.header.Get("Cache-Control") != "" || rec.header.Get("Content-Encoding") != "" {
		return false
	}
	for _, c := range rec.header.Values("Set-Cookie") {
		if !strings.HasPrefix(c, langCookie+"=") {
			return false
		}
	}
	return s.sessions.Status(r.Context()) == scs.Unmodified
}

// keep makes the kept form of a rendered page: the body as it is and
// gzipped, each with its own strong ETag (they are different bytes).
func keep(key string, rec *pageRecorder) (*keptPage, error) {
	body := bytes.Clone(rec.body.Bytes())
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:18])
	return &keptPage{
		key:         key,
		contentType: rec.header.Get("Content-Type"),
		body:        body,
		gz:          bytes.Clone(gz.Bytes()),
		etag:        `"` + tag + `"`,
		gzTag:       `"` + tag + `-gz"`,
	}, nil
}

// sendKept answers with a kept page: gzipped when the client takes gzip,
// 304 when its copy is current. Browsers keep it but ask again each time
// (no-cache), so a visitor who signs in gets their own page at once.
func sendKept(w http.ResponseWriter, r *http.Request, p *keptPage) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentPolicy("'self'"))
	h.Set("Content-Type", p.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	body, tag := p.body, p.etag
	if acceptsGzip(r) {
		body, tag = p.gz, p.gzTag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", tag)
	if etagListed(r.Header.Get("If-None-Match"), p.etag, p.gzTag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// etagListed reports whether an If-None-Match header names one of tags
// (compared weakly, as RFC 9110 asks for If-None-Match) or is "*".
func etagListed(header string, tags ...string) bool {
	if header == "" {
		return false
	}
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == "*" {
			return true
		}
		for _, t := range tags {
			if part == t {
				return true
			}
		}
	}
	return false
}

// rememberLang sets the language cookie that sends "/" back to the page's
// language, as page does for a page rendered for the request.
func (s *web) rememberLang(w http.ResponseWriter, r *http.Request) {
	lang, prefixed := s.langOf(r)
	if !prefixed {
		return
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value == string(lang) {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode,
	})
}

// pageRecorder holds a handler's answer until it is known whether it can
// be kept.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (rec *pageRecorder) Header() http.Header { return rec.header }

func (rec *pageRecorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
}

func (rec *pageRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}

// sendTo passes a recorded answer on unchanged, but for the policy: the
// page was rendered without a nonce.
func (rec *pageRecorder) sendTo(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, vs := range rec.header {
		if k == "Content-Security-Policy" {
			continue
		}
		h[k] = append(h[k], vs...)
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	if r.Method != http.MethodHead {
		w.Write(rec.body.Bytes())
	}
}
