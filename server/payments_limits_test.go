package server

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/payments"
	"digiportal/payments/stripemock"
)

// stripeCounter stands between the portal and stripe-mock: it counts the
// calls the portal makes and, while busy is set, answers each as Stripe
// does when it rate-limits (429).
type stripeCounter struct {
	url     string
	reads   atomic.Int32 // GET /v1/checkout/sessions/{id}
	creates atomic.Int32 // POST /v1/checkout/sessions
	all     atomic.Int32
	busy    atomic.Bool
}

func newStripeCounter(t testing.TB) *stripeCounter {
	t.Helper()
	target, err := url.Parse(stripemock.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	c := &stripeCounter{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.all.Add(1)
		switch {
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/checkout/sessions/"):
			c.reads.Add(1)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/checkout/sessions":
			c.creates.Add(1)
		}
		if c.busy.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests hit the API too quickly."}}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c.url = srv.URL
	return c
}

// countedPaymentsServer is paymentsServer with Stripe behind a counter.
func countedPaymentsServer(t testing.TB, db *bun.DB) (*testServer, *stripeCounter) {
	t.Helper()
	c := newStripeCounter(t)
	return paymentsServer(t, db, func(d *Deps) { d.Config.StripeAPIBase = c.url }), c
}

// metricValue reads one sample of the portal's /metrics; 0 when absent.
func metricValue(t testing.TB, ts *testServer, sample string) int {
	t.Helper()
	body := ts.get("/metrics").mustStatus(t, http.StatusOK).Body
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\d+)$`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestOpenPaymentPageAsksStripeOnceAWhile: a hundred views of an open
// payment's page, twenty at a time, by anyone, answer 200 and make one call
// to Stripe between them (on main: a hundred); /metrics counts it.
func TestOpenPaymentPageAsksStripeOnceAWhile(t *testing.T) {
	db := dbtest.SQLite(t)
	ts, stripe := countedPaymentsServer(t, db)
	ref := startPayment(t, ts, "vi")
	ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	if payment(t, db, ref).Status != payments.StatusOpen {
		t.Fatal("the payment did not open")
	}
	const views, together = 100, 20
	var wg sync.WaitGroup
	statuses := make(chan int, views)
	for i := range together {
		visitor := ts.newVisitor()
		wg.Go(func() {
			for range views / together {
				statuses <- visitor.get("/" + []string{"vi", "en"}[i%2] + "/payments/" + ref).StatusCode
			}
		})
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Fatalf("a view answered %d, want 200", s)
		}
	}
	if n := stripe.reads.Load(); n != 1 {
		t.Errorf("%d views of the page made %d calls to Stripe, want 1", views, n)
	}
	if got, want := metricValue(t, ts, `portal_stripe_requests_total{outcome="ok"}`), int(stripe.all.Load()); got != want || want < 2 {
		t.Errorf("/metrics counts %d calls to Stripe, the counter saw %d (want at least the creation and one read)", got, want)
	}
}

// TestStripeBusy: when Stripe answers 429, the checkout button's answer is
// the payment's page with 429, Retry-After and, in each language, "try
// again in a minute" (nothing charged, the button again); an open payment's
// page says the status could not be checked and to reload in a minute.
// Nothing changes, and once Stripe answers again the same button works.
func TestStripeBusy(t *testing.T) {
	db := dbtest.SQLite(t)
	ts, stripe := countedPaymentsServer(t, db)
	opened := startPayment(t, ts, "vi")
	ts.post("/vi/payments/"+opened+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	ref := startPayment(t, ts, "vi")
	attempt := payment(t, db, ref).Attempt
	stripe.busy.Store(true)
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		res := ts.post("/"+string(lang)+"/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusTooManyRequests)
		res.mustContain(t, `<html lang="`+string(lang)+`"`, html.EscapeString(l.T("limits.payments.stripe_busy")),
			`action="/`+string(lang)+`/payments/`+ref+`/checkout"`)
		if got := res.Header.Get("Retry-After"); got != "60" {
			t.Errorf("%s: Retry-After %q, want 60", lang, got)
		}
		ts.get("/"+string(lang)+"/payments/"+opened).mustStatus(t, http.StatusOK).
			mustContain(t, html.EscapeString(l.T("limits.payments.stripe_busy_status")))
	}
	if p := payment(t, db, ref); p.Status != payments.StatusCreated || p.Attempt != attempt {
		t.Errorf("after Stripe's 429: %s, attempt %d; want created, attempt %d (the key kept)", p.Status, p.Attempt, attempt)
	}
	if n := metricValue(t, ts, `portal_stripe_requests_total{outcome="rate_limited"}`); n < 2 {
		t.Errorf("/metrics counts %d refused calls, want at least 2", n)
	}
	stripe.busy.Store(false)
	ts.post("/en/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
}

// postFrom sends a form straight to the handler from the client address
// peer, as a browser on another machine would.
func postFrom(ts *testServer, path, peer string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = peer
	rec := httptest.NewRecorder()
	ts.srv.ServeHTTP(rec, req)
	return rec
}

// TestPaymentFloodsRefusedPerAddress: a hundred payments started from one
// address within seconds (all created on main) start thirty; the rest get
// 429 with Retry-After and the words to wait, in each language, and create
// nothing; another address still starts one. Sending forty unopened
// payments to Stripe's page from one address makes thirty sessions.
func TestPaymentFloodsRefusedPerAddress(t *testing.T) {
	dbtest.Each(t, testPaymentFloodsRefusedPerAddress)
}

func testPaymentFloodsRefusedPerAddress(t *testing.T, db *bun.DB) {
	ctx := context.Background()
	if err := payments.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	ts, stripe := countedPaymentsServer(t, db)
	count := func() int {
		_, n, err := payments.ListPayments(ctx, db, payments.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	fee := url.Values{"fee": {"ly-lich-tu-phap"}}
	got := map[int]int{}
	for i := range 100 {
		lang := i18n.Langs()[i%2]
		res := postFrom(ts, "/"+string(lang)+"/payments", "192.0.2.7:4000", fee)
		got[res.Code]++
		if res.Code == http.StatusTooManyRequests {
			l := ts.srv.bundle.Localizer(lang)
			if body := res.Body.String(); !strings.Contains(body, html.EscapeString(l.T("limits.payments.too_many"))) || res.Header().Get("Retry-After") == "" {
				t.Fatalf("a refused start says %q with Retry-After %q", body, res.Header().Get("Retry-After"))
			}
		}
	}
	if got[http.StatusSeeOther] != 30 || got[http.StatusTooManyRequests] != 70 {
		t.Errorf("100 starts from one address answered %v, want 30 × 303 and 70 × 429", got)
	}
	if n := count() - before; n != 30 {
		t.Errorf("%d payments created, want 30", n)
	}
	if res := postFrom(ts, "/vi/payments", "198.51.100.9:4000", fee); res.Code != http.StatusSeeOther {
		t.Errorf("another address got %d, want 303", res.Code)
	}

	fees := payments.Fee{}
	if f, err := ts.srv.payments.svc.Catalogue().Fee("ly-lich-tu-phap"); err == nil {
		fees = *f
	} else {
		t.Fatal(err)
	}
	got = map[int]int{}
	for i := range 40 {
		p, err := payments.CreatePayment(ctx, db, &fees, i18n.VI, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		lang := i18n.Langs()[i%2]
		res := postFrom(ts, "/"+string(lang)+"/payments/"+p.Ref+"/checkout", "192.0.2.8:4000", nil)
		got[res.Code]++
		if res.Code == http.StatusTooManyRequests && !strings.Contains(res.Body.String(), html.EscapeString(ts.srv.bundle.Localizer(lang).T("limits.payments.too_many_checkout"))) {
			t.Fatalf("a refused checkout says %q", res.Body.String())
		}
	}
	if got[http.StatusSeeOther] != 30 || got[http.StatusTooManyRequests] != 10 || stripe.creates.Load() != 30 {
		t.Errorf("40 checkouts from one address answered %v with %d sessions made at Stripe, want 30 × 303, 10 × 429, 30 sessions",
			got, stripe.creates.Load())
	}
}
