package server

import (
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics counts requests and their latency by route pattern (never by raw
// path, which would make one series per lesson or payment). Every label
// value comes from a fixed set — the route list, the known methods, the
// status codes handlers write — so that no client can add series: each new
// series stays in memory for the life of the process.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler // the exposition, for metricsShow
	// registry takes the collectors of the parts (Stripe's calls, the
	// checked files held).
	registry *prometheus.Registry
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portal_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "portal_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		handler:  promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		registry: reg,
	}
	reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// instrument wraps the handler of one route pattern.
func (m *metrics) instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if info, ok := r.Context().Value(infoKey).(*reqInfo); ok {
			info.route = route
		}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		m.observe(route, r, rec, start)
	})
}

// observe counts one answered request of a route pattern.
func (m *metrics) observe(route string, r *http.Request, rec *statusRecorder, start time.Time) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	m.requests.WithLabelValues(route, methodLabel(r.Method), strconv.Itoa(rec.status)).Inc()
	m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
}

// methodLabel is the method as a label: the catch-all route takes any
// method a client makes up, so only the standard ones are named.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// metricsShow answers /metrics to the networks allowed to read it and a
// plain 404 to everyone else: the figures say how the portal is used and
// cost work to gather. The peer is clientIP's: the connection's own
// address, or behind a trusted proxy the address that proxy saw, so that a
// proxy on the machine itself does not open /metrics to everyone.
func (s *web) metricsShow(w http.ResponseWriter, r *http.Request) error {
	peer, err := netip.ParseAddr(clientIP(r))
	if err != nil || !inNetworks(s.cfg.MetricsNetworks, peer.Unmap()) {
		return errNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}

// loopbackNetworks may read /metrics when the configuration names no
// networks: the machine itself.
func loopbackNetworks() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}
