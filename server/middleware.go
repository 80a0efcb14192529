package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

type ctxKey int

// The keys of what the middleware puts in a request's context, in one
// list so that no two can share a value.
const (
	nonceKey    ctxKey = iota
	infoKey            // the request's log details (reqInfo)
	userKey            // the signed-in user (auth.go)
	clientKey          // the client as resolveClient found it (client_addr.go)
	placeKey           // marks a request that holds a place in flight (overload.go)
	sessionsKey        // marks a request whose session is loaded (sessions_where.go)
)

// reqInfo is filled while a request is served, for its log line: the route
// pattern that matched. The raw path is not logged where the pattern has
// wildcards besides {lang}: those may carry one-time tokens or codes.
type reqInfo struct {
	route string
}

// logPath is what logs say about a request's path: the path itself when its
// route has no wildcard besides {lang}, else the route pattern.
func logPath(r *http.Request) string {
	info, _ := r.Context().Value(infoKey).(*reqInfo)
	if info == nil || info.route == "" {
		return "(unmatched)"
	}
	_, pattern, _ := strings.Cut(info.route, " ")
	if strings.Contains(strings.ReplaceAll(pattern, "{lang}", ""), "{") && !strings.HasSuffix(pattern, "{$}") {
		return pattern
	}
	return r.URL.Path
}

// nonceFrom returns the request's CSP nonce.
func nonceFrom(ctx context.Context) string {
	n, _ := ctx.Value(nonceKey).(string)
	return n
}

// recoverPanics turns a panic into a logged 500 page instead of a dropped
// connection.
func (s *web) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.LogAttrs(r.Context(), slog.LevelError, "panic",
					slog.String("path", logPath(r)), slog.Any("value", v), slog.String("stack", string(debug.Stack())))
				s.renderError(w, r, statusOf(fmt.Errorf("panic: %v", v)))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status and size a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (sr *statusRecorder) WriteHeader(code int) {
	if sr.status == 0 {
		sr.status = code
	}
	sr.ResponseWriter.WriteHeader(code)
}

func (sr *statusRecorder) Write(b []byte) (int, error) {
	if sr.status == 0 {
		sr.status = http.StatusOK
	}
	n, err := sr.ResponseWriter.Write(b)
	sr.bytes += n
	return n, err
}

func (sr *statusRecorder) Unwrap() http.ResponseWriter { return sr.ResponseWriter }

// logRequests writes one slog line per request. It logs the path (or, where
// the path may hold a token, the route pattern), never the query string,
// which may hold a resume code.
func (s *web) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), infoKey, &reqInfo{}))
		next.ServeHTTP(rec, r)
		s.logRequest(r, rec, start)
	})
}

// logRequest writes a request's log line, once it is answered.
func (s *web) logRequest(r *http.Request, rec *statusRecorder, start time.Time) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method),
		slog.String("path", logPath(r)),
		slog.Int("status", rec.status),
		slog.Int("bytes", rec.bytes),
		slog.Duration("duration", time.Since(start)))
}

// securityHeaders sets the headers every response carries and a fresh CSP
// nonce for each request: a script runs only when it carries the nonce.
func (s *web) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonceBytes := make([]byte, 16)
		rand.Read(nonceBytes)
		nonce := base64.RawURLEncoding.EncodeToString(nonceBytes) // no + or /, which html/template would escape in the attribute
		h := w.Header()
		h.Set("Content-Security-Policy", contentPolicy("'nonce-"+nonce+"'"))
		s.commonHeaders(h, r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey, nonce)))
	})
}

// commonHeaders sets the headers every answer carries besides its policy.
func (s *web) commonHeaders(h http.Header, r *http.Request) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure() || clientScheme(r) == "https" {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// contentPolicy is the Content-Security-Policy of a page whose scripts
// scriptSrc allows: a per-request nonce, or 'self' for the pages kept for
// every anonymous visitor (pagecache.go). Nothing inline runs either way.
func contentPolicy(scriptSrc string) string {
	return "default-src 'none'; script-src " + scriptSrc + "; style-src 'self'; img-src 'self' data:; " +
		"form-action 'self' https://checkout.stripe.com; frame-ancestors 'none'; base-uri 'none'"
}

// limitBody refuses bodies over limit with 413: at once when the declared
// length is too large, else when the handler reads past it.
func (s *web) limitBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			s.renderError(w, r, errTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// timeout bounds the time a handler may spend: its context is cancelled
// after the configured duration, which stops database work with it.
func (s *web) timeout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// oneAnswer lets the session manager's error page be the whole answer.
// The manager saves a session when the handler begins writing its answer
// (every request touches the session, to keep it alive), and when that
// fails, because the request is out of time or the database busy, it
// writes an error page of its own (ErrorFunc) and then lets the handler's
// answer through after it: two pages in one body, one status overruled.
// Under oneAnswer, ErrorFunc marks the answer given, and the handler's
// writes are dropped.
func oneAnswer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&answerWriter{ResponseWriter: w}, r)
	})
}

// answerWriter drops what is written once answered is set.
type answerWriter struct {
	http.ResponseWriter
	answered bool
}

func (a *answerWriter) WriteHeader(code int) {
	if !a.answered {
		a.ResponseWriter.WriteHeader(code)
	}
}

func (a *answerWriter) Write(b []byte) (int, error) {
	if a.answered {
		return len(b), nil
	}
	return a.ResponseWriter.Write(b)
}

func (a *answerWriter) Unwrap() http.ResponseWriter { return a.ResponseWriter }
