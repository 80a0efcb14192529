package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/database/dbtest"
	"digiportal/payments"
)

// TestPaymentLimitPerIPv6Network: an IPv6 client holds a whole /64, so
// taking a new address for each try must not escape the per-address limit
// on starting payments (each a row, each checkout a call to Stripe).
func TestPaymentLimitPerIPv6Network(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		if err := payments.SeedDemo(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		ts := paymentsServer(t, db)
		fee := url.Values{"fee": {"ly-lich-tu-phap"}}
		got := map[int]int{}
		for i := range 31 {
			res := postFrom(ts, "/vi/payments", fmt.Sprintf("[2001:db8:1:2::%x]:4000", i+1), fee)
			got[res.Code]++
		}
		if got[http.StatusSeeOther] != 30 || got[http.StatusTooManyRequests] != 1 {
			t.Errorf("31 starts from one /64, each from its own address, answered %v, want 30 × 303 and 1 × 429", got)
		}
		if res := postFrom(ts, "/vi/payments", "[2001:db8:1:3::1]:4000", fee); res.Code != http.StatusSeeOther {
			t.Errorf("the next /64 got %d, want 303", res.Code)
		}
	})
}

// forwardedTransport sends every request as from addr behind the proxy.
type forwardedTransport struct{ addr string }

func (f forwardedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return http.DefaultTransport.RoundTrip(r)
}

// TestAssessmentSendLimitPerIPv6Network: results sent from one IPv6 /64
// share the limit however many of its addresses send them.
func TestAssessmentSendLimitPerIPv6Network(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db, trustLoopback)
	ts.srv.assessments.sends = &accounts.Throttle{Free: 2, Base: time.Minute, Max: time.Hour, Window: time.Hour}
	for i := range 3 {
		v := ts.newVisitor()
		v.client.Transport = forwardedTransport{fmt.Sprintf("2001:db8:1:2::%x", i+1)}
		id, _ := startAssessment(t, v, "vi")
		completeAssessment(t, v, "vi", id, true)
	}
	v := ts.newVisitor()
	v.client.Transport = forwardedTransport{"2001:db8:1:2::99"}
	id, _ := startAssessment(t, v, "en")
	base := "/en/assessment/" + id + "/"
	location(t, v.post(base+"profile", shopProfile(t, ts)))
	m := ts.srv.assessments.cat.Current()
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		f := middleForm(items)
		f.Set("action", "next")
		location(t, v.post(base+"questions/"+page, f))
	}
	v.post(base+"review", url.Values{"consent": {assessments.ConsentVersion}}).mustStatus(t, http.StatusTooManyRequests)
}
