package server

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"digiportal/i18n"
)

// How the portal sheds load instead of collapsing under it. At 1,000–1,500
// requests a second a two-core machine held 9,000 connections and 890 MB,
// answering none of them in time. Now at most Config.MaxInFlight requests
// are served at once; a few more wait a moment for a place, and the rest
// get 503 with Retry-After at once, from a page built at start without
// templates. A request whose client has gone while it waited is dropped
// unanswered. Shed requests are summed in one log line per interval.
const (
	// shedQueueWait is the longest a request waits for a place.
	shedQueueWait = 250 * time.Millisecond
	// shedRetryAfter is the Retry-After of a shed request, in seconds.
	shedRetryAfter = "2"
	// expensiveWait is the longest an expensive request (lesson search,
	// figures over a custom period, the API) waits for one of its places.
	expensiveWait = time.Second
	// loadLogEvery is how often shed requests and database outages are
	// logged at most: one line with the count, not one per request.
	loadLogEvery = 10 * time.Second
)

// DefaultMaxInFlight is the number of requests served at once when the
// configuration names none: 32 per core the process may use. A page costs
// a few milliseconds of CPU, so a full house waits some 50 ms for the CPU.
func DefaultMaxInFlight() int { return 32 * runtime.GOMAXPROCS(0) }

// limiter is a counting semaphore with a short, bounded queue.
type limiter struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	wait    time.Duration
}

func newLimiter(n, queue int, wait time.Duration) *limiter {
	return &limiter{slots: make(chan struct{}, max(n, 1)), queue: int64(queue), wait: wait}
}

// acquire takes a place, waiting up to l.wait behind at most l.queue
// others. It reports whether it got one (to give back with release), and
// whether the request's context ended while it waited (its client went).
func (l *limiter) acquire(ctx context.Context) (ok, gone bool) {
	select {
	case l.slots <- struct{}{}:
		return true, false
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return false, false
	}
	defer l.waiting.Add(-1)
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true, false
	case <-t.C:
		return false, false
	case <-ctx.Done():
		return false, true
	}
}

func (l *limiter) release() { <-l.slots }

// intervalLog counts events that are logged at most once per interval.
type intervalLog struct {
	reason string // the label of portal_http_requests_shed_total
	msg    string // the log line's message
	mu     sync.Mutex
	last   time.Time
	n      int64 // events since the last line
}

// add counts one event. When the last line is an interval old or more it
// returns the events to log now (this one included) and true.
func (l *intervalLog) add(now time.Time) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	return l.takeLocked(now)
}

// due returns the events not logged yet, once the interval has passed.
func (l *intervalLog) due(now time.Time) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == 0 {
		return 0, false
	}
	return l.takeLocked(now)
}

func (l *intervalLog) takeLocked(now time.Time) (int64, bool) {
	if !l.last.IsZero() && now.Sub(l.last) < loadLogEvery {
		return 0, false
	}
	n := l.n
	l.n, l.last = 0, now
	return n, true
}

// loadState is the portal's guard against overload.
type loadState struct {
	all       *limiter
	expensive *limiter
	// pages are the 503 page with each language first; api is the JSON.
	pages map[i18n.Lang][]byte
	api   []byte
	// The counts logged once per interval.
	shed, gone, expensiveShed, dbDown intervalLog
	// shedTotal counts them for /metrics, by reason.
	shedTotal *prometheus.CounterVec
	// pingFailed is when a ping of the database last failed (Unix ns).
	pingFailed atomic.Int64
	// bodies is the memory left for bodies read before their request
	// takes a place (body_first.go).
	bodies atomic.Int64
}

// newLoadState builds the limits and the 503 answers, once.
func newLoadState(bundle *i18n.Bundle, maxInFlight int) (*loadState, error) {
	if maxInFlight <= 0 {
		maxInFlight = DefaultMaxInFlight()
	}
	cheap := max(2, runtime.GOMAXPROCS(0))
	ls := &loadState{
		all:       newLimiter(maxInFlight, maxInFlight, shedQueueWait),
		expensive: newLimiter(cheap, 4*cheap, expensiveWait),
		pages:     map[i18n.Lang][]byte{},
		shed:      intervalLog{reason: "overload", msg: "requests shed: too many at once"},
		gone:      intervalLog{reason: "client_gone", msg: "requests dropped: the client went while they waited"},
		expensiveShed: intervalLog{reason: "expensive",
			msg: "expensive requests shed: too many at once"},
		dbDown: intervalLog{reason: "database", msg: "database unavailable: requests answered 503"},
		shedTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portal_http_requests_shed_total",
			Help: "Requests not served by reason: overload (503 at the in-flight limit), client_gone (dropped while waiting), expensive (503 at the limit of expensive requests), database (503, database unreachable).",
		}, []string{"reason"}),
	}
	ls.bodies.Store(bodyFirstBudget)
	langs := i18n.Langs()
	for _, first := range langs {
		order := []i18n.Lang{first}
		for _, l := range langs {
			if l != first {
				order = append(order, l)
			}
		}
		ls.pages[first] = busyPage(bundle, order)
	}
	en := bundle.Localizer(i18n.EN)
	body, err := json.Marshal(apiErrorBody{Error: http.StatusText(http.StatusServiceUnavailable), Detail: en.T("load.busy.body")})
	if err != nil {
		return nil, err
	}
	ls.api = append(body, '\n')
	return ls, nil
}

// busyPage is the 503 page in every language, order[0] first: a few
// hundred bytes of HTML with nothing to load.
func busyPage(bundle *i18n.Bundle, order []i18n.Lang) []byte {
	var b strings.Builder
	first := bundle.Localizer(order[0])
	b.WriteString(`<!doctype html><html lang="` + string(order[0]) + `"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width,initial-scale=1"><title>` + html.EscapeString(first.T("load.busy.title")) + `</title></head><body><main>`)
	for i, lang := range order {
		l := bundle.Localizer(lang)
		tag := "h2"
		if i == 0 {
			tag = "h1"
		}
		b.WriteString(`<div lang="` + string(lang) + `"><` + tag + `>` + html.EscapeString(l.T("load.busy.title")) + `</` + tag + `><p>` +
			html.EscapeString(l.T("load.busy.body")) + `</p></div>`)
	}
	b.WriteString(`</main></body></html>`)
	return []byte(b.String())
}

// shedLoad serves at most the configured number of requests at once; see
// the constants above. Assets, pictures, health checks and metrics pass
// (cheapPaths): they cost next to nothing, and the health checks must
// answer under load. A request made inside one that holds a place (the
// practice checkout delivers its events to the portal's own webhook)
// uses that place: waiting for a second one could wait for itself.
func (s *web) shedLoad(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if held, _ := r.Context().Value(placeKey).(bool); held || cheap(r) {
			next.ServeHTTP(w, r)
			return
		}
		// The body first: a slow client must not hold a place meanwhile.
		done, ok := s.readBodyFirst(r)
		if !ok {
			s.noteLoad(r.Context(), &s.load.shed, nil)
			s.writeBusy(w, r)
			return
		}
		defer done()
		ok, gone := s.load.all.acquire(r.Context())
		if !ok {
			if gone {
				s.noteLoad(r.Context(), &s.load.gone, nil)
				return
			}
			s.noteLoad(r.Context(), &s.load.shed, nil)
			s.writeBusy(w, r)
			return
		}
		defer s.load.all.release()
		if r.Context().Err() != nil {
			// The client went while it waited: nobody reads the page.
			s.noteLoad(r.Context(), &s.load.gone, nil)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), placeKey, true)))
	})
}

// writeBusy answers 503 with the page built at start.
func (s *web) writeBusy(w http.ResponseWriter, r *http.Request) {
	body, ct := s.load.pages[i18n.VI], "text/html; charset=utf-8"
	switch {
	case isAPI(r):
		body, ct = s.load.api, "application/json; charset=utf-8"
	case r.URL.Path == "/en" || strings.HasPrefix(r.URL.Path, "/en/"):
		body = s.load.pages[i18n.EN]
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Retry-After", shedRetryAfter)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	// The connection goes too: idle connections held open were most of
	// the memory of an overloaded portal.
	h.Set("Connection", "close")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// expensive makes a route's costly requests (when says which) share a few
// places across the portal: lesson search, figures over a period of the
// visitor's choosing, the API. A request waits briefly for a place, then
// gets 503 with Retry-After; the rest of the portal goes on meanwhile.
func (s *web) expensive(when func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !when(r) {
			next.ServeHTTP(w, r)
			return
		}
		ok, gone := s.load.expensive.acquire(r.Context())
		switch {
		case errors.Is(r.Context().Err(), context.DeadlineExceeded):
			// Out of the request's own time while it waited (the client is
			// still there): the time-out's 503, not silence.
			if ok {
				s.load.expensive.release()
			}
			s.renderError(w, r, errTimedOut)
			return
		case gone:
			s.noteLoad(r.Context(), &s.load.gone, nil)
			return
		case !ok:
			s.noteLoad(r.Context(), &s.load.expensiveShed, nil)
			s.renderError(w, r, errExpensive)
			return
		}
		defer s.load.expensive.release()
		if r.Context().Err() != nil {
			s.noteLoad(r.Context(), &s.load.gone, nil) // nobody reads the answer
			return
		}
		next.ServeHTTP(w, r)
	})
}

// always is the when of a route whose every request is expensive.
func always(*http.Request) bool { return true }

// customPeriod is the when of the figures' pages: a period or day of the
// visitor's choosing is computed, the default one is not.
func customPeriod(r *http.Request) bool {
	q := r.URL.Query()
	return q.Has("from") || q.Has("to") || q.Has("date")
}

// noteLoad counts an event of l and logs it, with the others since the
// last line, at most once per interval (an outage as an error with its
// cause, err).
func (s *web) noteLoad(ctx context.Context, l *intervalLog, err error) {
	s.load.shedTotal.WithLabelValues(l.reason).Inc()
	if n, ok := l.add(time.Now()); ok {
		attrs := []slog.Attr{slog.Int64("count", n), slog.Duration("within", loadLogEvery)}
		level := slog.LevelWarn
		if err != nil {
			level, attrs = slog.LevelError, append(attrs, slog.Any("err", err))
		}
		s.log.LogAttrs(ctx, level, l.msg, attrs...)
	}
}

// reportLoad logs the counts not logged yet whose interval has passed;
// RunCounters calls it every few seconds.
func (s *web) reportLoad(ctx context.Context, now time.Time) {
	for _, l := range []*intervalLog{&s.load.shed, &s.load.gone, &s.load.expensiveShed, &s.load.dbDown} {
		if n, ok := l.due(now); ok {
			s.log.LogAttrs(ctx, slog.LevelWarn, l.msg, slog.Int64("count", n), slog.Duration("within", loadLogEvery))
		}
	}
}

// databaseDown reports whether the database cannot be reached: asked when
// a request failed for a reason nobody named, so that an outage is a 503
// with Retry-After rather than a 500. A failed ping is believed for a
// second, so that an outage is not asked again by every request.
func (s *web) databaseDown(ctx context.Context) bool {
	if t := s.load.pingFailed.Load(); t != 0 && time.Since(time.Unix(0, t)) < time.Second {
		return true
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		s.load.pingFailed.Store(time.Now().UnixNano())
		return true
	}
	return false
}

// noteDBDown logs a request refused for a database outage, once per
// interval with the count and the error.
func (s *web) noteDBDown(ctx context.Context, err error) { s.noteLoad(ctx, &s.load.dbDown, err) }

var (
	// errExpensive: the places for expensive requests stayed taken.
	errExpensive = &statusError{status: http.StatusServiceUnavailable, msgID: "load.expensive", retry: "5"}
	// errDBDown: the database could not be reached.
	errDBDown = &statusError{status: http.StatusServiceUnavailable, msgID: "load.dbdown", retry: "30"}
)
