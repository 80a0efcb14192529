package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/payments"
	"digiportal/payments/stripemock"
)

// paymentsServer is the portal with the practice configured against
// stripe-mock, as STRIPE_SECRET_KEY, STRIPE_API_BASE and
// STRIPE_WEBHOOK_SECRET would configure it.
func paymentsServer(t testing.TB, db *bun.DB, opts ...func(*Deps)) *testServer {
	t.Helper()
	base := stripemock.URL(t)
	return newTestServer(t, db, append([]func(*Deps){func(d *Deps) {
		d.Config.StripeSecretKey = stripemock.TestKey
		d.Config.StripeAPIBase = base
		d.Config.StripeWebhookSecret = stripemock.WebhookSecret
	}}, opts...)...)
}

// postWebhook sends body to the webhook as Stripe does: no browser headers.
func (ts *testServer) postWebhook(body []byte, signature string, header ...string) *response {
	ts.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.http.URL+"/webhooks/stripe", bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return ts.do(req)
}

// deliver signs body now with the test secret and posts it.
func (ts *testServer) deliver(body []byte) *response {
	ts.t.Helper()
	return ts.postWebhook(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Time{}))
}

var refInPath = regexp.MustCompile(`/payments/([0-9A-Z]{20})$`)

// startPayment chooses the judicial-record fee on the catalogue and
// returns the new payment's reference.
func startPayment(t testing.TB, ts *testServer, lang string) string {
	t.Helper()
	res := ts.post("/"+lang+"/payments", url.Values{"fee": {"ly-lich-tu-phap"}}).mustStatus(t, http.StatusSeeOther)
	m := refInPath.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("start: Location %q is not a payment page", res.Header.Get("Location"))
	}
	return m[1]
}

func payment(t testing.TB, db bun.IDB, ref string) *payments.Payment {
	t.Helper()
	p, err := payments.PaymentByRef(context.Background(), db, ref)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func completedFor(p *payments.Payment, id string) []byte {
	return stripemock.Event(id, payments.EventSessionCompleted, time.Now(),
		stripemock.Session(p.SessionID, p.Ref, "complete", "paid", p.Amount, "pi_test_"+strings.ToLower(p.Ref)))
}

// TestPaymentsNotConfigured: with PORTAL_PAYMENTS=stripe and no key (which
// cmd/portal refuses, but a caller may skip) the pages explain, in both
// languages, that the practice is off; they still answer 200, and nothing
// can be started.
func TestPaymentsNotConfigured(t *testing.T) {
	db := dbtest.SQLite(t)
	if err := payments.SeedDemo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, db, func(d *Deps) { d.Config.Payments = "stripe" })
	ts.get("/vi/payments").mustStatus(t, 200).mustContain(t, "Phần luyện nộp phí chưa được bật", "Không có tiền thật nào bị trừ", "200.000\u00a0₫")
	res := ts.get("/en/payments").mustStatus(t, 200).mustContain(t, "The payment practice is not switched on", "No real money is taken", "₫200,000")
	if strings.Contains(res.Body, `action="/en/payments"`) {
		t.Error("the catalogue offers to start a payment that cannot be made")
	}
	ts.post("/vi/payments", url.Values{"fee": {"ly-lich-tu-phap"}}).mustStatus(t, http.StatusSeeOther)
	if _, n, _ := payments.ListPayments(context.Background(), db, payments.Filter{}); n != 5 {
		t.Errorf("%d payments, want only the 5 demo ones", n)
	}
	ts.get("/vi/payments/"+payments.DemoRefCreated).mustStatus(t, 200).mustContain(t, "Phần luyện nộp phí chưa được bật")
	ts.get("/en/payments/"+payments.DemoRefPaid+"/receipt").mustStatus(t, 200)
	body := completedFor(payment(t, db, payments.DemoRefPaid), "evt_unconfigured")
	ts.deliver(body).mustStatus(t, http.StatusServiceUnavailable)
}

// TestPaymentFlow goes through the practice as a resident: catalogue,
// check page, Stripe's page (stripe-mock), back before the webhook
// (waiting, refreshing without JavaScript), the signed webhook, then paid
// and the receipt.
func TestPaymentFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := paymentsServer(t, db)
		ts.get("/vi/payments").mustStatus(t, 200).mustContain(t, `action="/vi/payments"`, `value="ly-lich-tu-phap"`, "Luyện nộp khoản phí này")
		ref := startPayment(t, ts, "vi")
		ts.get("/vi/payments/"+ref).mustStatus(t, 200).mustContain(t,
			"Kiểm tra khoản phí trước khi thanh toán", payments.FormatRef(ref), "200.000\u00a0₫", "4242 4242 4242 4242", "Không có tiền thật nào bị trừ")

		res := ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		stripeURL := res.Header.Get("Location")
		if !strings.HasPrefix(stripeURL, "https://checkout.stripe.com/") {
			t.Fatalf("checkout redirects to %q, want Stripe's hosted page", stripeURL)
		}
		if again := ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther).Header.Get("Location"); again != stripeURL {
			t.Errorf("a second click redirects to %q, want the same page %q", again, stripeURL)
		}
		p := payment(t, db, ref)
		if p.Status != payments.StatusOpen || p.SessionID == "" {
			t.Fatalf("after checkout: %s session %q", p.Status, p.SessionID)
		}

		// Back on the success page before the webhook: stripe-mock says the
		// session is open and unpaid, so the page waits and refreshes.
		back := ts.get("/vi/payments/"+ref+"?session_id="+p.SessionID).mustStatus(t, 200)
		back.mustContain(t, "Đang chờ xác nhận thanh toán", `http-equiv="refresh"`, "wait=1", "Dừng tự động tải lại trang")
		if got := payment(t, db, ref).Status; got != payments.StatusOpen {
			t.Errorf("the success page alone made the payment %s, want open", got)
		}
		// A forged query string changes nothing.
		ts.get("/vi/payments/"+ref+"?session_id=cs_forged&status=paid").mustStatus(t, 200)
		if got := payment(t, db, ref).Status; got != payments.StatusOpen {
			t.Errorf("a forged query made the payment %s", got)
		}
		// The refreshing stops after a while.
		last := "/vi/payments/" + ref + "?returned=1&wait=" + strconv.Itoa(maxWaits)
		ts.get(last).mustStatus(t, 200).mustContain(t, "Vẫn chưa có xác nhận")
		if strings.Contains(ts.get(last).Body, `http-equiv="refresh"`) {
			t.Error("the page still refreshes after the last wait")
		}

		ts.deliver(completedFor(p, "evt_flow_completed")).mustStatus(t, 200)
		paid := ts.get("/vi/payments/"+ref+"?session_id="+p.SessionID).mustStatus(t, 200)
		paid.mustContain(t, "Đã nhận khoản thanh toán luyện tập", "/receipt")
		if strings.Contains(paid.Body, `http-equiv="refresh"`) {
			t.Error("a paid payment's page refreshes")
		}
		p = payment(t, db, ref)
		receipt := ts.get("/vi/payments/"+ref+"/receipt").mustStatus(t, 200)
		receipt.mustContain(t, "DEMO", "Biên lai luyện tập", payments.FormatRef(ref), "200.000\u00a0₫",
			p.PaidAt.In(hcm(t)).Format("15:04 02/01/2006"), "Thông tư số 16/2025/TT-BTC")
		ts.get("/en/payments/"+ref+"/receipt").mustStatus(t, 200).mustContain(t, "DEMO", "Practice receipt", "₫200,000", p.PaidAt.In(hcm(t)).Format("2 Jan 2006, 15:04"))
	})
}

func hcm(t testing.TB) *time.Location {
	z, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// TestWebhookWithoutReturn: the resident never comes back to the portal;
// the webhook alone marks the payment paid, once however often it comes.
func TestWebhookWithoutReturn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := paymentsServer(t, db)
		ref := startPayment(t, ts, "en")
		ts.post("/en/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		p := payment(t, db, ref)
		body := completedFor(p, "evt_no_return")
		for range 3 {
			ts.deliver(body).mustStatus(t, 200)
		}
		got := payment(t, db, ref)
		if got.Status != payments.StatusPaid {
			t.Fatalf("status %s, want paid", got.Status)
		}
		evs, _ := payments.EventsOf(context.Background(), db, got.ID)
		if len(evs) != 1 || evs[0].Outcome != payments.OutcomeApplied {
			t.Errorf("events %+v, want one applied", evs)
		}
		ts.get("/en/payments/"+ref).mustStatus(t, 200).mustContain(t, "Practice payment received")
	})
}

// TestWebhookConcurrentDuplicates: copies of one event posted at once all
// get 200 and make one change.
func TestWebhookConcurrentDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := paymentsServer(t, db)
		ref := startPayment(t, ts, "vi")
		ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		p := payment(t, db, ref)
		body := completedFor(p, "evt_concurrent")
		sig := stripemock.Sign(body, stripemock.WebhookSecret, time.Time{})
		var wg sync.WaitGroup
		codes := make([]int, 6)
		start := make(chan struct{})
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest(http.MethodPost, ts.http.URL+"/webhooks/stripe", bytes.NewReader(body))
				req.Header.Set("Stripe-Signature", sig)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				codes[i] = res.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		for i, c := range codes {
			if c != 200 {
				t.Errorf("copy %d answered %d, want 200", i, c)
			}
		}
		got := payment(t, db, ref)
		evs, _ := payments.EventsOf(context.Background(), db, got.ID)
		if got.Status != payments.StatusPaid || len(evs) != 1 {
			t.Errorf("status %s with %d events, want paid with 1", got.Status, len(evs))
		}
	})
}

// TestWebhookRefusals: what fails verification is refused with 400 and
// changes nothing; a body over the limit is 413; a type the practice
// does not handle is answered 200.
func TestWebhookRefusals(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := paymentsServer(t, db)
	ref := startPayment(t, ts, "vi")
	ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	p := payment(t, db, ref)
	body := completedFor(p, "evt_refusals")
	good := stripemock.Sign(body, stripemock.WebhookSecret, time.Time{})
	altered := bytes.Replace(body, []byte(`"payment_status":"paid"`), []byte(`"payment_status":"paid" `), 1)
	for _, tc := range []struct {
		name      string
		body      []byte
		signature string
		want      int
	}{
		{"body altered after signing", altered, good, 400},
		{"stale timestamp", body, stripemock.Sign(body, stripemock.WebhookSecret, time.Now().Add(-10*time.Minute)), 400},
		{"wrong secret", body, stripemock.Sign(body, "whsec_not_ours", time.Time{}), 400},
		{"no signature", body, "", 400},
		{"not JSON but signed", []byte("hello"), stripemock.Sign([]byte("hello"), stripemock.WebhookSecret, time.Time{}), 400},
		{"too large", bytes.Repeat([]byte("x"), payments.MaxEventBytes+1), "t=1,v1=00", 413},
	} {
		res := ts.postWebhook(tc.body, tc.signature)
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.want)
		}
		if got := payment(t, db, ref).Status; got != payments.StatusOpen {
			t.Fatalf("%s changed the payment to %s", tc.name, got)
		}
	}
	unknown := stripemock.Event("evt_unknown_type", "customer.created", time.Now(), map[string]any{"object": "customer", "id": "cus_1"})
	ts.deliver(unknown).mustStatus(t, 200)
}

// TestWebhookOnlyExemptRoute: the webhook is exempt from the cross-origin
// check (Stripe is no browser) but the portal's forms are not.
func TestWebhookOnlyExemptRoute(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := paymentsServer(t, db)
	ref := startPayment(t, ts, "vi")
	ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	p := payment(t, db, ref)
	body := completedFor(p, "evt_cross_site")
	ts.postWebhook(body, stripemock.Sign(body, stripemock.WebhookSecret, time.Time{}),
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site").mustStatus(t, 200)

	req, _ := http.NewRequest(http.MethodPost, ts.http.URL+"/vi/payments", strings.NewReader("fee=ly-lich-tu-phap"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	ts.do(req).mustStatus(t, http.StatusForbidden)
	for _, path := range []string{"/vi/payments/" + ref + "/checkout", "/vi/payments/" + ref + "/cancel"} {
		req, _ := http.NewRequest(http.MethodPost, ts.http.URL+path, nil)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		ts.do(req).mustStatus(t, http.StatusForbidden)
	}
}

// TestPaymentCancel: leaving Stripe's page by its back link explains that
// nothing was paid; cancelling expires the session and closes the payment.
func TestPaymentCancel(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := paymentsServer(t, db)
	ref := startPayment(t, ts, "en")
	ts.post("/en/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	ts.get("/en/payments/"+ref+"?left=1").mustStatus(t, 200).mustContain(t, "You left the payment page without paying", "Cancel this payment")
	ts.post("/en/payments/"+ref+"/cancel", nil).mustStatus(t, http.StatusSeeOther)
	ts.get("/en/payments/"+ref).mustStatus(t, 200).mustContain(t, "Practice payment cancelled")
	if got := payment(t, db, ref).Status; got != payments.StatusCanceled {
		t.Errorf("status %s, want canceled", got)
	}
	// Going to Stripe again is no longer possible; the page says why.
	ts.post("/en/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	ts.get("/en/payments/"+ref+"/receipt").mustStatus(t, http.StatusSeeOther)
	ts.get("/en/payments/NOT-A-REFERENCE").mustStatus(t, http.StatusNotFound)
	ts.get("/en/payments/"+payments.NewRef()).mustStatus(t, http.StatusNotFound)
}

// TestRefundByOfficial: a province official lists the payments, refunds
// part of one (the amount typed the Vietnamese way), is refused more than
// is left, and each refund is in the audit log.
func TestRefundByOfficial(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := paymentsServer(t, db)
		ref := startPayment(t, ts, "vi")
		ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		p := payment(t, db, ref)
		ts.deliver(completedFor(p, "evt_refund_flow")).mustStatus(t, 200)

		official := ts.newVisitor()
		u := official.signInAs(accounts.RoleProvinceOfficial, "77")
		official.get("/vi/reports/payments").mustStatus(t, 200).mustContain(t, payments.FormatRef(ref), "Đã thanh toán")
		official.get("/vi/reports/payments?status=paid&fee=ly-lich-tu-phap").mustStatus(t, 200).mustContain(t, payments.FormatRef(ref))
		official.get("/vi/reports/payments?status=refunded").mustStatus(t, 200).mustContain(t, "Không có khoản thanh toán nào")
		official.get("/vi/reports/payments?from=2026-13-01").mustStatus(t, 400).mustContain(t, "Lỗi: ")
		official.get("/vi/reports/payments?ref="+url.QueryEscape(strings.ToLower(payments.FormatRef(ref)))).mustStatus(t, 200).mustContain(t, "1 khoản thanh toán", payments.FormatRef(ref))
		official.get("/en/reports/payments?ref=nonsense").mustStatus(t, 400).mustContain(t, "Error: ", "20 letters and digits")
		show := official.get("/vi/reports/payments/"+ref).mustStatus(t, 200).mustContain(t, `name="amount"`, "checkout.session.completed")
		key := regexp.MustCompile(`name="key" value="([0-9a-f]{32})"`).FindStringSubmatch(show.Body)
		if key == nil {
			t.Fatal("the refund form has no idempotency key")
		}
		form := url.Values{"amount": {"50.000"}, "reason": {"requested_by_customer"}, "key": {key[1]}}
		official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusSeeOther)
		// The same form again (a double click) refunds nothing more.
		official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusSeeOther)
		got := payment(t, db, ref)
		if got.Status != payments.StatusPartiallyRefunded || got.RefundedAmount != 50_000 {
			t.Fatalf("after the refund: %s refunded %d, want partially_refunded 50000", got.Status, got.RefundedAmount)
		}
		official.get("/vi/reports/payments/"+ref+"?refunded=1").mustStatus(t, 200).mustContain(t, "Stripe đã nhận yêu cầu hoàn tiền", "50.000\u00a0₫")
		tooMuch := url.Values{"amount": {"150.001"}, "reason": {"duplicate"}, "key": {payments.NewRefundKey()}}
		official.post("/vi/reports/payments/"+ref+"/refund", tooMuch).mustStatus(t, 400).mustContain(t, "Lỗi: ", "150.000\u00a0₫")
		official.post("/vi/reports/payments/"+ref+"/refund", url.Values{"amount": {"năm mươi"}, "reason": {"duplicate"}, "key": {payments.NewRefundKey()}}).
			mustStatus(t, 400).mustContain(t, `href="#amount"`)
		entries, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Object: ref})
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, e := range entries {
			if e.Action == payments.AuditRefunded {
				done++
				if e.ActorID != u.ID || e.IP == "" || !strings.Contains(e.New, "refunded=50000") {
					t.Errorf("audit entry %+v", e)
				}
			}
		}
		if done != 1 {
			t.Errorf("%d refund audit entries, want 1", done)
		}

		csv := official.get("/vi/reports/payments?format=csv&status=partially_refunded").mustStatus(t, 200)
		if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("CSV Content-Type %q", ct)
		}
		if !strings.Contains(csv.Body, `"`+ref+`","ly-lich-tu-phap",`) || !strings.Contains(csv.Body, `,200000,"VND","partially_refunded",`) || !strings.Contains(csv.Body, "Mã thanh toán") {
			t.Errorf("CSV lacks the payment or its header:\n%s", csv.Body)
		}
	})
}

// TestRefundNeedsTheRight: officials who may list but not refund, and
// other roles, are refused by the route's access check.
func TestRefundNeedsTheRight(t *testing.T) {
	db := dbtest.SQLite(t)
	if err := payments.SeedDemo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	ts := paymentsServer(t, db)
	form := url.Values{"amount": {"1000"}, "reason": {"duplicate"}, "key": {payments.NewRefundKey()}}
	ts.post("/vi/reports/payments/"+payments.DemoRefPaid+"/refund", form).mustStatus(t, http.StatusSeeOther) // to sign-in
	commune := ts.newVisitor()
	commune.signInAs(accounts.RoleCommuneOfficial, "77")
	commune.post("/vi/reports/payments/"+payments.DemoRefPaid+"/refund", form).mustStatus(t, http.StatusForbidden)
	commune.get("/vi/reports/payments").mustStatus(t, http.StatusForbidden)
	if got := payment(t, db, payments.DemoRefPaid); got.RefundedAmount != 0 {
		t.Errorf("a refused refund refunded %d", got.RefundedAmount)
	}
}

// TestInitPaymentsRefusesLiveKey: the server does not start with a live
// key even if the configuration check was skipped.
func TestInitPaymentsRefusesLiveKey(t *testing.T) {
	bundle := newTestServer(t, dbtest.SQLite(t)).srv.bundle
	for _, key := range []string{"sk_live_51HypotheticalSecretValue", "rk_live_51HypotheticalSecretValue"} {
		_, err := New(Deps{DB: dbtest.SQLite(t), Bundle: bundle, Config: Config{StripeSecretKey: key}})
		if err == nil || !strings.Contains(err.Error(), "STRIPE_SECRET_KEY") || strings.Contains(err.Error(), "HypotheticalSecretValue") {
			t.Errorf("New with %s…: %v, want an error naming STRIPE_SECRET_KEY without the key", key[:8], err)
		}
	}
}

// FuzzWebhook posts bodies of any shape, signed and not, to the webhook:
// it answers 200, 400 or 413, never 5xx, and never pays a payment for a
// body that was not signed.
func FuzzWebhook(f *testing.F) {
	ref := payments.DemoRefCreated
	for _, b := range [][]byte{
		stripemock.Event("evt_f1", payments.EventSessionCompleted, time.Now(), stripemock.Session("cs_test_f", ref, "complete", "paid", 75000, "pi_f")),
		stripemock.Event("evt_f2", payments.EventChargeRefunded, time.Now(), stripemock.Charge("ch_f", ref, "pi_f", 75000, 75000)),
		stripemock.Event("evt_f3", payments.EventSessionExpired, time.Now(), stripemock.Session("cs_test_f", ref, "expired", "unpaid", 75000, "")),
		[]byte(`{"id":"evt_x","type":"checkout.session.completed","created":1,"data":{"object":{"object":"checkout.session","id":"cs","status":"complete","payment_status":"paid","amount_total":-5}}}`),
		[]byte(`{}`), []byte(``),
	} {
		f.Add(b, true)
	}
	db := dbtest.SQLite(f)
	if err := payments.SeedDemo(context.Background(), db); err != nil {
		f.Fatal(err)
	}
	// The fuzz target may not log through f, so the server logs nowhere.
	ts := paymentsServer(f, db, func(d *Deps) { d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)) })
	f.Fuzz(func(t *testing.T, body []byte, sign bool) {
		sig := "t=1,v1=00"
		if sign {
			sig = stripemock.Sign(body, stripemock.WebhookSecret, time.Time{})
		}
		v := *ts
		v.t = t // the fuzz target's own test, for helpers
		res := v.postWebhook(body, sig)
		switch res.StatusCode {
		case 200, 400, 413:
		default:
			t.Fatalf("status %d for %q", res.StatusCode, body)
		}
		if !sign && res.StatusCode == 200 {
			t.Fatalf("an unsigned body was accepted: %q", body)
		}
	})
}

// TestSweepPayments: the periodic maintenance closes a payment abandoned
// before Stripe.
func TestSweepPayments(t *testing.T) {
	db := dbtest.SQLite(t)
	ts := paymentsServer(t, db)
	ref := startPayment(t, ts, "vi")
	if _, err := db.NewUpdate().TableExpr("payments").Set("created_at = ?", time.Now().Add(-48*time.Hour).UTC()).
		Where("ref = ?", ref).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts.srv.maintainOnce(context.Background(), time.Now())
	ts.get("/vi/payments/"+ref).mustStatus(t, 200).mustContain(t, "Đã hủy khoản thanh toán luyện tập")
}
