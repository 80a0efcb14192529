package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/payments"
	"digiportal/payments/stripemock"
)

// faultyStripe is a proxy in front of stripe-mock that, while drop is set,
// cuts the connection of every request to /v1/refunds without an answer:
// Stripe unreachable, the refund's outcome unknown.
type faultyStripe struct {
	*httptest.Server
	drop    atomic.Bool
	dropped atomic.Int32
	// refuse, while set, answers /v1/refunds with Stripe's 400 of a
	// refund it will not make.
	refuse atomic.Bool
}

func newFaultyStripe(t testing.TB) *faultyStripe {
	t.Helper()
	target, err := url.Parse(stripemock.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	f := &faultyStripe{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.drop.Load() && r.URL.Path == "/v1/refunds" {
			f.dropped.Add(1)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		if f.refuse.Load() && r.URL.Path == "/v1/refunds" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"refused by the test proxy"}}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// paidThroughProxy is a paid payment on a portal whose Stripe is behind a
// faulty proxy, and an official who may refund it.
func paidThroughProxy(t *testing.T, db *bun.DB) (*testServer, *faultyStripe, *testServer, string) {
	t.Helper()
	proxy := newFaultyStripe(t)
	ts := paymentsServer(t, db, func(d *Deps) { d.Config.StripeAPIBase = proxy.URL })
	ref := startPayment(t, ts, "vi")
	ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
	ts.deliver(completedFor(payment(t, db, ref), "evt_paid_"+ref)).mustStatus(t, 200)
	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "77")
	return ts, proxy, official, ref
}

var refundKeyField = regexp.MustCompile(`name="key" value="([0-9a-f]{32})"`)

func refundFormKey(t testing.TB, v *testServer, ref string) string {
	t.Helper()
	m := refundKeyField.FindStringSubmatch(v.get("/vi/reports/payments/"+ref).mustStatus(t, 200).Body)
	if m == nil {
		t.Fatal("the refund form has no idempotency key")
	}
	return m[1]
}

// TestRefundPendingFinishedByResend is issue 17's item 1: Stripe does not
// answer a full refund (503, the amount held); the same form sent again
// once Stripe answers finishes it: 303, refunded, nothing held.
func TestRefundPendingFinishedByResend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		_, proxy, official, ref := paidThroughProxy(t, db)
		form := url.Values{"amount": {"200.000"}, "reason": {"requested_by_customer"}, "key": {refundFormKey(t, official, ref)}}
		proxy.drop.Store(true)
		official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusServiceUnavailable).
			mustContain(t, "gửi lại")
		if proxy.dropped.Load() == 0 {
			t.Fatal("the refund never reached the proxy")
		}
		if got := payment(t, db, ref); got.RefundHeld != 200_000 || got.RefundedAmount != 0 || got.Status != payments.StatusPaid {
			t.Fatalf("while pending: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeld)
		}
		proxy.drop.Store(false)
		official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusSeeOther)
		got := payment(t, db, ref)
		if got.Status != payments.StatusRefunded || got.RefundedAmount != 200_000 || got.RefundHeld != 0 {
			t.Fatalf("after the resend: %s refunded %d held %d, want refunded 200000 held 0", got.Status, got.RefundedAmount, got.RefundHeld)
		}
		refunds, err := payments.RefundsOf(context.Background(), db, got.ID)
		if err != nil || len(refunds) != 1 || refunds[0].Status != payments.RefundSucceeded || refunds[0].StripeRefundID == "" {
			t.Errorf("refunds %+v, %v; want one succeeded with Stripe's ID", refunds, err)
		}
	})
}

// TestRefundPendingRetriedByMaintenance: a refund left pending is finished
// by the maintenance loop with its stored key, without the official.
func TestRefundPendingRetriedByMaintenance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts, proxy, official, ref := paidThroughProxy(t, db)
		form := url.Values{"amount": {"50.000"}, "reason": {"duplicate"}, "key": {refundFormKey(t, official, ref)}}
		proxy.drop.Store(true)
		official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusServiceUnavailable)
		// Too early: the official's own resend may still come.
		ts.srv.maintainOnce(context.Background(), time.Now())
		if got := payment(t, db, ref); got.RefundHeld != 50_000 {
			t.Fatalf("held %d right after, want 50000", got.RefundHeld)
		}
		// Still dropped: the refund stays pending.
		ts.srv.maintainOnce(context.Background(), time.Now().Add(time.Hour))
		if got := payment(t, db, ref); got.RefundHeld != 50_000 || got.RefundedAmount != 0 {
			t.Fatalf("after a retry Stripe did not answer: refunded %d held %d", got.RefundedAmount, got.RefundHeld)
		}
		proxy.drop.Store(false)
		ts.srv.maintainOnce(context.Background(), time.Now().Add(time.Hour))
		got := payment(t, db, ref)
		if got.Status != payments.StatusPartiallyRefunded || got.RefundedAmount != 50_000 || got.RefundHeld != 0 {
			t.Fatalf("after the retry: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeld)
		}
		entries, err := accounts.ListAudit(context.Background(), db, accounts.AuditFilter{Object: ref, Action: payments.AuditRefunded})
		if err != nil || len(entries) != 1 || entries[0].ActorEmail != "payments.retry" {
			t.Errorf("audit %+v, %v; want one refund by payments.retry", entries, err)
		}
	})
}

// TestRefundNeedsFreshSignIn is item 4: a refund asks for the password (and
// code) again after ten minutes; the refused attempt is audited; the page
// shows who refunded, Stripe's refund ID and the official's note.
func TestRefundNeedsFreshSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts, _, official, ref := paidThroughProxy(t, db)
		form := url.Values{"amount": {"30.000"}, "reason": {"duplicate"}, "note": {"Đơn số 12/2026"}, "key": {refundFormKey(t, official, ref)}}
		ts.srv.acct.freshFor = 0 // every sign-in is now too old
		res := official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/vi/reauth?return="+url.QueryEscape("/vi/reports/payments/"+ref) {
			t.Errorf("not fresh: redirected to %q, want the reauth page back to the payment", loc)
		}
		if got := payment(t, db, ref); got.RefundedAmount != 0 || got.RefundHeld != 0 {
			t.Fatalf("a refund without a fresh sign-in refunded %d held %d", got.RefundedAmount, got.RefundHeld)
		}
		refused, err := accounts.ListAudit(ctx, db, accounts.AuditFilter{Object: ref, Action: payments.AuditRefundRefused})
		if err != nil || len(refused) != 1 || refused[0].Detail != "why=not_fresh" {
			t.Fatalf("refused attempts audited: %+v, %v", refused, err)
		}
		ts.srv.acct.freshFor = time.Minute
		// Officials sign in with a second factor (issue 16): the code too.
		offs, err := accounts.ListUsers(ctx, db, accounts.UserFilter{Role: accounts.RoleProvinceOfficial})
		if err != nil || len(offs) == 0 {
			t.Fatalf("province officials: %v, %v", offs, err)
		}
		official.post("/vi/reauth", url.Values{"password": {testPassword}, "code": {official.totpCode(offs[0].Email)}, "return": {"/vi/reports/payments/" + ref}}).mustStatus(t, http.StatusSeeOther)
		// A note too long is refused, and audited.
		long := url.Values{"amount": {"30.000"}, "reason": {"duplicate"}, "note": {strings.Repeat("ạ", 501)}, "key": {form.Get("key")}}
		official.post("/en/reports/payments/"+ref+"/refund", long).mustStatus(t, http.StatusBadRequest).mustContain(t, "at most 500 characters", `href="#note"`)
		official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusSeeOther)
		show := official.get("/vi/reports/payments/"+ref).mustStatus(t, 200).mustContain(t, "Đơn số 12/2026", "Người thực hiện", "re_")
		u, _ := accounts.ListUsers(ctx, db, accounts.UserFilter{Role: accounts.RoleProvinceOfficial})
		if len(u) == 0 || !strings.Contains(show.Body, u[0].Email) {
			t.Error("the payment page does not show who refunded")
		}
		refused, _ = accounts.ListAudit(ctx, db, accounts.AuditFilter{Object: ref, Action: payments.AuditRefundRefused})
		if len(refused) != 2 {
			t.Errorf("%d refused attempts audited, want 2", len(refused))
		}
		rfs, _ := payments.RefundsOf(ctx, db, payment(t, db, ref).ID)
		if len(rfs) != 1 || rfs[0].Note != "Đơn số 12/2026" {
			t.Errorf("refunds %+v, want one with the note", rfs)
		}
	})
}

// TestPaymentPagesSmallThings is item 8: a receipt is never stored or
// indexed; when Stripe does not answer the checkout, the 503 page is the
// payment's own, with the button to try again.
func TestPaymentPagesSmallThings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		if err := payments.SeedDemo(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		ts := paymentsServer(t, db, func(d *Deps) { d.Config.StripeAPIBase = down.URL })
		for _, lang := range []string{"vi", "en"} {
			res := ts.get("/"+lang+"/payments/"+payments.DemoRefPaid+"/receipt").mustStatus(t, 200).mustContain(t, `<meta name="robots" content="noindex, nofollow">`)
			if res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(res.Header.Get("X-Robots-Tag"), "noindex") {
				t.Errorf("receipt headers %v", res.Header)
			}
		}
		ref := startPayment(t, ts, "vi")
		ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusServiceUnavailable).
			mustContain(t, "Chưa có khoản nào bị trừ", `action="/vi/payments/`+ref+`/checkout"`, "Tiếp tục sang trang thanh toán")
		ts.post("/en/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusServiceUnavailable).
			mustContain(t, "Try again with the button below", `action="/en/payments/`+ref+`/checkout"`)
	})
}

// TestStripeWithoutWebhookSecret is item 6: a key without the webhook
// secret starts, but warns in the log and on the officials' list.
func TestStripeWithoutWebhookSecret(t *testing.T) {
	db := dbtest.SQLite(t)
	var logs strings.Builder
	ts := paymentsServer(t, db, func(d *Deps) { d.Config.StripeWebhookSecret = "" }, logAlsoTo(t, &logs))
	if !strings.Contains(logs.String(), "STRIPE_WEBHOOK_SECRET is not") {
		t.Errorf("no warning at start; log:\n%s", logs.String())
	}
	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "77")
	official.get("/vi/reports/payments").mustStatus(t, 200).mustContain(t, "chưa đặt STRIPE_WEBHOOK_SECRET")
	official.get("/en/reports/payments").mustStatus(t, 200).mustContain(t, "STRIPE_WEBHOOK_SECRET is not set")
	with := paymentsServer(t, dbtest.SQLite(t))
	o2 := with.newVisitor()
	o2.signInAs(accounts.RoleProvinceOfficial, "77")
	if strings.Contains(o2.get("/en/reports/payments").mustStatus(t, 200).Body, "STRIPE_WEBHOOK_SECRET") {
		t.Error("the warning shows with the secret set")
	}
	_, err := New(Deps{DB: dbtest.SQLite(t), Bundle: ts.srv.bundle, Config: Config{StripeSecretKey: "sk_test_"}})
	if err == nil || !strings.Contains(err.Error(), "STRIPE_SECRET_KEY") {
		t.Errorf("New with the prefix alone: %v, want an error naming STRIPE_SECRET_KEY", err)
	}
}

// TestReconciliationExport is item 5: the CSV and the workbook have a line
// per payment and per refund (date, Stripe's refund ID, who) and the
// totals; the period may be by paid date or by refund date; a workbook
// too long is refused with a page that says why.
func TestReconciliationExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := payments.SeedDemo(ctx, db); err != nil {
			t.Fatal(err)
		}
		ts := paymentsServer(t, db)
		official := ts.newVisitor()
		official.signInAs(accounts.RoleProvinceOfficial, "77")
		today := time.Now().In(hcm(t))
		from, to := today.AddDate(0, 0, -7).Format("2006-01-02"), today.Format("2006-01-02")
		csv := official.get("/vi/reports/payments?format=csv&by=refund&from="+from+"&to="+to).mustStatus(t, 200).
			mustContain(t, "Loại dòng", `"Hoàn tiền","`+payments.DemoRefPartial+`"`, "re_demo_"+payments.DemoRefPartial, "Trên trang quản trị của Stripe", "Tổng đã hoàn")
		if strings.Contains(csv.Body, payments.DemoRefPaid) {
			t.Error("by refund date, a payment without refunds is listed")
		}
		en := official.get("/en/reports/payments?format=csv&by=paid&from="+from+"&to="+to).mustStatus(t, 200).Body
		for _, want := range []string{`"Payment","` + payments.DemoRefPaid + `"`, `"Total collected",,,,300000,"VND"`, `"Total refunded",,,,40000,"VND"`, `"Net (collected less refunded)",,,,260000,"VND"`} {
			if !strings.Contains(en, want) {
				t.Errorf("CSV by paid date lacks %q:\n%s", want, en)
			}
		}
		res := official.get("/en/reports/payments?format=xlsx&by=paid&from="+from+"&to="+to).mustStatus(t, 200)
		if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Errorf("workbook Content-Type %q", ct)
		}
		x, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		if about, _ := x.GetCellValue(x.GetSheetName(0), "B1"); about != "Practice payments" {
			t.Errorf("the first sheet says it holds %q", about)
		}
		rows, err := x.GetRows(x.GetSheetName(1), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		last := rows[len(rows)-1]
		if last[0] != "Net (collected less refunded)" || last[4] != "260000" {
			t.Errorf("last row %v", last)
		}
		official.get("/vi/reports/payments?format=csv&by=someday").mustStatus(t, 400).mustContain(t, `href="#by"`)
		maxXLSXLines = 1
		defer func() { maxXLSXLines = 20_000 }()
		official.get("/vi/reports/payments?format=xlsx").mustStatus(t, 400).mustContain(t, "hơn 1 dòng")
	})
}

// TestDisputeShownToOfficials: charge.dispute.created through the webhook
// puts a notice on the officials' page of the payment, in both languages.
func TestDisputeShownToOfficials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts, _, official, ref := paidThroughProxy(t, db)
		p := payment(t, db, ref)
		ts.deliver(stripemock.Event("evt_dispute_"+ref, payments.EventDisputeCreated, time.Now(),
			stripemock.Dispute("dp_test_1", p.PaymentIntentID, p.Amount))).mustStatus(t, 200)
		official.get("/vi/reports/payments/"+ref).mustStatus(t, 200).mustContain(t, "mở khiếu nại", "dp_test_1", "charge.dispute.created")
		official.get("/en/reports/payments/"+ref).mustStatus(t, 200).mustContain(t, "opened a dispute", "dp_test_1")
	})
}

// TestReconciliationDaysBounded: a day far outside the years a payment can
// have is a worded refusal on the form, in the list, the CSV and the
// workbook, not a 500 (on PostgreSQL, 0001-01-01 in Viet Nam's time is
// year 0 in UTC, out of its range) nor a CSV cut short after its heading.
func TestReconciliationDaysBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := paymentsServer(t, db)
		official := ts.newVisitor()
		official.signInAs(accounts.RoleProvinceOfficial, "77")
		for _, q := range []string{"from=0001-01-01", "by=refund&from=0001-01-01", "format=csv&from=0001-01-01", "format=xlsx&by=paid&from=0001-01-01",
			"to=9999-12-31", "format=csv&to=9999-12-31"} {
			official.get("/vi/reports/payments?"+q).mustStatus(t, http.StatusBadRequest).mustContain(t, "từ 2020-01-01 đến 2099-12-31")
		}
		official.get("/en/reports/payments?from=1999-12-31&to=2100-01-01").mustStatus(t, http.StatusBadRequest).
			mustContain(t, `href="#from">Enter a day from 2020-01-01 to 2099-12-31`, `href="#to">Enter a day from 2020-01-01 to 2099-12-31`)
		official.get("/en/reports/payments?format=csv&from=2020-01-01&to=2099-12-31").mustStatus(t, 200)
	})
}

// TestRefundFormSentTwice: the same refund form sent again after it was
// answered (a double click, the browser's back and resend) is that refund:
// after a full refund it says done, not "no more than 0 đ", and audits no
// refusal; after Stripe refused it, it says refused again, not done.
func TestRefundFormSentTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		_, proxy, official, ref := paidThroughProxy(t, db)
		// Refused by Stripe, then the same form again.
		refused := url.Values{"amount": {"50.000"}, "reason": {"duplicate"}, "key": {refundFormKey(t, official, ref)}}
		proxy.refuse.Store(true)
		official.post("/vi/reports/payments/"+ref+"/refund", refused).mustStatus(t, http.StatusBadRequest).mustContain(t, "đã từ chối")
		proxy.refuse.Store(false)
		official.post("/vi/reports/payments/"+ref+"/refund", refused).mustStatus(t, http.StatusBadRequest).mustContain(t, "đã từ chối")
		if got := payment(t, db, ref); got.RefundedAmount != 0 || got.RefundHeld != 0 {
			t.Fatalf("after a refused refund sent twice: refunded %d held %d", got.RefundedAmount, got.RefundHeld)
		}
		// A full refund, then the same form again.
		full := url.Values{"amount": {"200.000"}, "reason": {"requested_by_customer"}, "key": {refundFormKey(t, official, ref)}}
		official.post("/vi/reports/payments/"+ref+"/refund", full).mustStatus(t, http.StatusSeeOther)
		res := official.post("/vi/reports/payments/"+ref+"/refund", full).mustStatus(t, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); !strings.HasSuffix(loc, "?refunded=1") {
			t.Errorf("the form sent again goes to %q, want the done page", loc)
		}
		got := payment(t, db, ref)
		if got.Status != payments.StatusRefunded || got.RefundedAmount != 200_000 || got.RefundHeld != 0 {
			t.Fatalf("after the full refund sent twice: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeld)
		}
		n, err := db.NewSelect().Table("audit_log").Where("action = ? AND object_id = ?", payments.AuditRefundRefused, ref).Count(ctx)
		if err != nil || n != 0 {
			t.Errorf("%d refusals audited (%v), want none: every sending was answered as the refund it made", n, err)
		}
	})
}
