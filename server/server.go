package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/content"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/indicators"
	"digiportal/mail"
	"digiportal/site"
	"digiportal/static"
	"digiportal/teams"
)

// Config is what the server needs from the portal's configuration.
type Config struct {
	BaseURL        *url.URL      // absolute links; https turns on HSTS and __Host- cookies
	MaxBodyBytes   int64         // request bodies larger than this get 413
	MaxUploadBytes int64         // the same for routes that take file uploads
	RequestTimeout time.Duration // a handler's context is cancelled after this
	Version        string
	// MetricsNetworks are the peers that may read /metrics; others get 404.
	// Empty means the machine itself (loopback).
	MetricsNetworks []netip.Prefix
	// TrustedProxies are the peers whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; empty believes nobody's.
	TrustedProxies []netip.Prefix
	// Demo marks a portal holding demo data; pages may say so.
	Demo bool
	// Stripe test-mode settings for the fee-payment practice; an empty
	// secret key means the practice is not configured.
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string
	// Payments: "practice" runs the built-in offline checkout, "stripe"
	// Stripe's test mode; empty means stripe when a key is set, else
	// practice.
	Payments string
	// Site is who runs the portal; nil means the embedded demonstration.
	Site *site.Site
	// MaxInFlight is how many requests are served at once; more wait
	// briefly, then get 503 (overload.go). 0: DefaultMaxInFlight.
	MaxInFlight int
	// PageCacheBytes bounds the anonymous pages kept rendered in memory
	// (pagecache.go): 0 means 32 MiB, negative keeps none.
	PageCacheBytes int64
}

// Deps are the parts the server is built from; cmd/portal makes them.
type Deps struct {
	Config Config
	DB     *bun.DB
	Bundle *i18n.Bundle
	Logger *slog.Logger
	// Mail sends the portal's e-mail; nil writes it to the log (a
	// developer's portal without PORTAL_SMTP_URL).
	Mail mail.Sender
	// Ready reports whether the instance takes traffic; it turns false when
	// shutdown begins so that /readyz answers 503 while requests drain.
	Ready *atomic.Bool
}

// web is what every part's handlers share: configuration, the database,
// the message bundle, the templates, the sessions, the access decision and
// the navigation. Each part's struct embeds it and adds exactly what its
// own handlers need.
type web struct {
	cfg      Config
	db       *bun.DB
	bundle   *i18n.Bundle
	log      *slog.Logger
	ready    *atomic.Bool
	assets   *static.Assets
	views    *views
	sessions *scs.SessionManager
	// sessionStore is the sessions' store, for the lists a user sees.
	sessionStore *database.SessionStore
	metrics      *metrics
	// access decides every protected route and object (accounts.Access).
	access *accounts.Access
	// freshFor is how recent a sign-in sensitive changes need.
	freshFor time.Duration
	nav      []navItem
	// mail sends e-mail; background counts the sends still running, which
	// go on after their request has been answered.
	mail       mail.Sender
	background sync.WaitGroup
	// load sheds what the portal cannot serve in time (overload.go).
	load *loadState
	// settings keeps the settings every guarded request reads.
	settings settingsCache
	// pages are the anonymous pages kept rendered (pagecache.go).
	pages *pageCache
}

// Server is the portal's HTTP handler: the shared frame, the parts, and
// the route list that joins them.
type Server struct {
	*web
	routes  []route
	handler http.Handler

	acct        *accountsPart
	lessons     *lessonsPart
	assessments *assessmentsPart
	payments    *paymentsPart
	indicators  *indicatorsPart
}

// New builds the server: it parses every template (a broken one is an
// error here, so the start stops), sets up sessions in the database, builds
// each part with what it needs from the others, and registers the routes.
func New(d Deps) (*Server, error) {
	if d.Config.MaxBodyBytes <= 0 {
		d.Config.MaxBodyBytes = 1 << 20
	}
	if d.Config.MaxUploadBytes < d.Config.MaxBodyBytes {
		d.Config.MaxUploadBytes = max(d.Config.MaxBodyBytes, 32<<20)
	}
	if d.Config.RequestTimeout <= 0 {
		d.Config.RequestTimeout = 30 * time.Second
	}
	if len(d.Config.MetricsNetworks) == 0 {
		d.Config.MetricsNetworks = loopbackNetworks()
	}
	if d.Config.Site == nil {
		d.Config.Site = site.Demo()
	}
	if d.Mail == nil {
		d.Mail = mail.NewLog(d.Logger)
	}
	if d.Ready == nil {
		d.Ready = new(atomic.Bool)
		d.Ready.Store(true)
	}
	assets, err := static.New("/static/")
	if err != nil {
		return nil, err
	}
	v, err := parseViews(assets)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	w := &web{
		cfg:      d.Config,
		db:       d.DB,
		bundle:   d.Bundle,
		log:      d.Logger,
		ready:    d.Ready,
		assets:   assets,
		views:    v,
		access:   accounts.NewAccess(indicators.NewScope(d.DB, nil)),
		freshFor: freshWindow,
		mail:     d.Mail,
		pages:    newPageCache(d.Config.PageCacheBytes),
	}
	if w.load, err = newLoadState(d.Bundle, d.Config.MaxInFlight); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	w.sessionStore = database.NewSessionStore(d.DB)
	w.sessionStore.Describe = describeSession
	w.sessionStore.Same = sameSession
	w.sessions = newSessions(w.sessionStore, w.secure())
	w.sessions.ErrorFunc = func(rw http.ResponseWriter, r *http.Request, err error) {
		se := statusOf(err)
		level := slog.LevelError
		if se.status == http.StatusInternalServerError && w.databaseDown(r.Context()) {
			se = errDBDown
		}
		switch se {
		case errBusy, errTimedOut:
			level = slog.LevelWarn // see adapt
		case errDBDown:
			level = slog.LevelDebug // logged once per interval
			w.noteDBDown(r.Context(), err)
		}
		w.log.LogAttrs(r.Context(), level, "session", slog.Any("err", err))
		w.renderError(rw, r, se)
		// A session that cannot be saved is found as the handler begins
		// its answer; once this page is written, what the handler goes on
		// writing goes nowhere (see oneAnswer).
		if a, ok := rw.(*answerWriter); ok {
			a.answered = true
		}
	}
	w.metrics = newMetrics(prometheus.NewRegistry())
	w.metrics.registry.MustRegister(newHoldingsCollector(d.DB))
	s := &Server{web: w}
	if s.lessons, err = newLessonsPart(w); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if s.assessments, err = newAssessmentsPart(w, s.lessons.lib); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if s.payments, err = newPaymentsPart(w); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.indicators = newIndicatorsPart(w)
	s.indicators.lib = s.lessons.lib
	s.indicators.help = newHelpCatalogue(s.payments.svc.Catalogue(), s.lessons.lib)
	// Signing in carries a visitor's lesson progress and self-assessments
	// into the account; export and deletion reach the data each part keeps.
	s.acct = newAccountsPart(w, accountHooks{
		onSignIn:  []signInHook{s.lessons.mergeLessonProgress, s.assessments.assessmentKeepSession},
		onConsent: []consentHook{s.assessments.assessmentsConsentChanged, s.lessons.lessonsConsentChanged},
		holders: map[string]accounts.DataHolder{"lessons": content.DataHolder{}, "assessments": assessments.DataHolder{},
			"indicators": indicators.DataHolder{}, "teams": teams.DataHolder{}},
		assessmentRows: s.assessments.assessmentAccountRows,
	})
	s.routes = s.routeList()
	w.nav = navOf(s.routes)
	s.handler = s.build()
	w.metrics.registry.MustRegister(w.load.shedTotal)
	s.payments.svc.SetDeliverer(s.deliverToWebhook)
	return s, nil
}

// ServeHTTP serves a request through the middleware chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// secure reports whether the portal is served over HTTPS.
func (s *web) secure() bool { return s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https" }

// build registers every route on a ServeMux and wraps it in the middleware
// that applies to all of them, outermost first.
func (s *Server) build() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		limit := s.cfg.MaxBodyBytes
		if rt.upload {
			limit = s.cfg.MaxUploadBytes
		}
		h := s.wrap(rt)
		if rt.expensive != nil {
			h = s.expensive(rt.expensive, h)
		}
		h = s.metrics.instrument(rt.pattern, s.limitBody(limit, s.checkInput(rt, h)))
		if !strings.Contains(rt.pattern, "{lang}") {
			mux.Handle(rt.pattern, h)
			continue
		}
		// A {lang} wildcard in the first segment would collide with every
		// fixed route of the same shape (/static/{file}), so each language
		// is registered as a literal prefix and the handler still reads
		// r.PathValue("lang").
		for _, l := range i18n.Langs() {
			mux.Handle(strings.Replace(rt.pattern, "{lang}", string(l), 1), withLang(l, h))
		}
	}
	mux.Handle("/", s.metrics.instrument("unmatched", s.limitBody(s.cfg.MaxBodyBytes, s.adapt(unmatched(mux, routeMethods(s.routes))))))

	cop := http.NewCrossOriginProtection()
	// Stripe signs its webhook; it cannot and need not pass a browser check.
	cop.AddInsecureBypassPattern("POST /webhooks/stripe")
	cop.SetDenyHandler(s.adapt(func(w http.ResponseWriter, r *http.Request) error { return errCrossOrigin }))

	var h http.Handler = mux
	h = s.withSessions(h) // the session and the user, where a route may use them
	h = oneAnswer(h)
	h = cop.Handler(h)
	h = s.timeout(h)
	h = s.securityHeaders(h)
	h = s.compress(h)
	h = s.logRequests(h)
	h = s.keptFirst(h) // kept anonymous pages, before the rest (pagecache_fast.go)
	h = s.shedLoad(h)  // before the log: shed requests are summed, not logged one by one
	h = s.recoverPanics(h)
	h = s.resolveClient(h)
	return h
}

// withLang gives a handler registered under a literal language prefix the
// "lang" path value it would have had from a wildcard.
func withLang(l i18n.Lang, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.SetPathValue("lang", string(l))
		next.ServeHTTP(w, r)
	})
}
