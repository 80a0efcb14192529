package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/payments"
)

// TestPracticeCardJourney is item 7 by card: with no Stripe key the
// portal's own checkout takes Stripe's test cards with their documented
// outcomes, and its signed events go through the webhook to the same
// state machine, receipt and refunds.
func TestPracticeCardJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db)
		ts.get("/vi/payments").mustStatus(t, 200).mustContain(t, `action="/vi/payments"`, "không có tiền thật nào được chuyển")
		ref := startPayment(t, ts, "vi")
		ts.get("/vi/payments/"+ref).mustStatus(t, 200).mustContain(t, "trang luyện thanh toán của cổng")
		res := ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/vi/payments/"+ref+"/practice" {
			t.Fatalf("checkout redirects to %q, want the practice page", loc)
		}
		card := "/vi/payments/" + ref + "/practice/card"
		ts.get("/vi/payments/"+ref+"/practice").mustStatus(t, 200).mustContain(t, "Luyện thanh toán bằng thẻ", "4000 0025 0000 3155", "không có tiền thật nào được chuyển")
		for number, want := range map[string]string{
			"4000 0000 0000 0002": "Thẻ của bạn bị từ chối",
			"4000000000009995":    "không đủ số dư",
			"4111 1111 1111 1111": "chỉ nhận các số thẻ thử nghiệm",
			"4242 4242 4242 4241": "không hợp lệ",
		} {
			body := ts.post(card, url.Values{"card": {number}, "expiry": {"12/34"}, "cvc": {"123"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, want).Body
			if strings.Contains(body, strings.ReplaceAll(number, " ", "")) || strings.Contains(body, `value="`+number+`"`) {
				t.Errorf("the card page shows the number %s back", number)
			}
		}
		if got := payment(t, db, ref); got.Status != payments.StatusOpen {
			t.Fatalf("after declined cards: %s, want open", got.Status)
		}
		// 3-D Secure: a plain page; refusing pays nothing, confirming pays.
		tds := ts.post(card, url.Values{"card": {"4000 0025 0000 3155"}, "expiry": {"12/34"}, "cvc": {"123"}}).mustStatus(t, 200).
			mustContain(t, "Xác nhận giao dịch với ngân hàng")
		token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(tds.Body)
		if token == nil {
			t.Fatal("the 3-D Secure page has no token")
		}
		ts.post("/vi/payments/"+ref+"/practice/3ds", url.Values{"token": {token[1]}, "answer": {"fail"}}).mustStatus(t, http.StatusBadRequest).mustContain(t, "chưa được ngân hàng xác nhận")
		ts.post("/vi/payments/"+ref+"/practice/3ds", url.Values{"token": {"1.bad"}, "answer": {"complete"}}).mustStatus(t, http.StatusBadRequest)
		other := startPayment(t, ts, "vi")
		ts.post("/vi/payments/"+other+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		ts.post("/vi/payments/"+other+"/practice/3ds", url.Values{"token": {token[1]}, "answer": {"complete"}}).mustStatus(t, http.StatusBadRequest)
		if got := payment(t, db, other); got.Status != payments.StatusOpen {
			t.Errorf("another payment's token paid it: %s", got.Status)
		}
		res = ts.post("/vi/payments/"+ref+"/practice/3ds", url.Values{"token": {token[1]}, "answer": {"complete"}}).mustStatus(t, http.StatusSeeOther)
		ts.get(res.Header.Get("Location")).mustStatus(t, 200).mustContain(t, "Đã nhận khoản thanh toán luyện tập")
		p := payment(t, db, ref)
		if p.Status != payments.StatusPaid || !strings.HasPrefix(p.PaymentIntentID, "pi_practice_") {
			t.Fatalf("after 3-D Secure: %s %q", p.Status, p.PaymentIntentID)
		}
		evs, _ := payments.EventsOf(ctx, db, p.ID)
		if len(evs) != 1 || evs[0].Type != payments.EventSessionCompleted || evs[0].Outcome != payments.OutcomeApplied {
			t.Errorf("events %+v, want one checkout.session.completed applied", evs)
		}
		ts.get("/vi/payments/"+ref+"/receipt").mustStatus(t, 200)
		// Paid: the practice pages say so, and another card pays nothing more.
		ts.get("/vi/payments/"+ref+"/practice").mustStatus(t, 200).mustContain(t, "không còn chờ thanh toán")
		ts.post(card, url.Values{"card": {"4242424242424242"}, "expiry": {"12/34"}, "cvc": {"123"}}).mustStatus(t, http.StatusSeeOther)
		if evs, _ := payments.EventsOf(ctx, db, p.ID); len(evs) != 1 {
			t.Errorf("%d events after paying a paid payment, want 1", len(evs))
		}
		// The refund works unchanged.
		official := ts.newVisitor()
		official.signInAs(accounts.RoleProvinceOfficial, "77")
		form := url.Values{"amount": {"200.000"}, "reason": {"requested_by_customer"}, "key": {refundFormKey(t, official, ref)}}
		official.post("/vi/reports/payments/"+ref+"/refund", form).mustStatus(t, http.StatusSeeOther)
		if got := payment(t, db, ref); got.Status != payments.StatusRefunded || got.RefundHeld != 0 {
			t.Errorf("after the practice refund: %s held %d", got.Status, got.RefundHeld)
		}
		// The same card page in English.
		en := startPayment(t, ts, "en")
		ts.post("/en/payments/"+en+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		ts.get("/en/payments/"+en+"/practice").mustStatus(t, 200).mustContain(t, "Practice payment by card", "no money moves")
		ts.post("/en/payments/"+en+"/practice/card", url.Values{"card": {"4242 4242 4242 4242"}, "expiry": {"12/34"}, "cvc": {"123"}}).mustStatus(t, http.StatusSeeOther)
		if got := payment(t, db, en); got.Status != payments.StatusPaid {
			t.Errorf("4242…: %s, want paid", got.Status)
		}
	})
}

// TestPracticeVietQRJourney is item 7 by bank transfer: the VietQR code
// is a valid payload for the practice account with the amount and the
// reference, drawn as an SVG; the simulated banking app's transfer pays
// the payment through Stripe's delayed-payment events, or fails it.
func TestPracticeVietQRJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ts := newTestServer(t, db)
		for _, tc := range []struct {
			answer string
			want   payments.Status
		}{{"confirm", payments.StatusPaid}, {"fail", payments.StatusFailed}} {
			ref := startPayment(t, ts, "vi")
			ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
			page := ts.get("/vi/payments/"+ref+"/practice/vietqr").mustStatus(t, 200).
				mustContain(t, "Luyện thanh toán bằng chuyển khoản", payments.PracticeAccount, ref, "200.000\u00a0₫", `src="/payments/`+ref+`/vietqr.svg"`)
			_ = page
			svg := ts.get("/payments/"+ref+"/vietqr.svg").mustStatus(t, 200)
			if ct := svg.Header.Get("Content-Type"); ct != "image/svg+xml" || !strings.HasPrefix(svg.Body, "<svg") || len(svg.Body) > 30_000 {
				t.Errorf("QR image: %s, %d bytes", ct, len(svg.Body))
			}
			payload, tr, err := practiceTransfer(payment(t, db, ref))
			if err != nil || tr.Amount != 200_000 || tr.Purpose != ref || tr.BankBIN != payments.PracticeBankBIN || !strings.Contains(payload, "0010"+payments.VietQRGUID) {
				t.Errorf("payload %q read as %+v, %v", payload, tr, err)
			}
			ts.get("/en/payments/"+ref+"/practice/bank").mustStatus(t, 200).mustContain(t, "Practice banking app", ref, "no money moves")
			res := ts.post("/vi/payments/"+ref+"/practice/bank", url.Values{"answer": {tc.answer}}).mustStatus(t, http.StatusSeeOther)
			ts.get(res.Header.Get("Location")).mustStatus(t, 200)
			p := payment(t, db, ref)
			if p.Status != tc.want {
				t.Errorf("%s: %s, want %s", tc.answer, p.Status, tc.want)
			}
			evs, _ := payments.EventsOf(ctx, db, p.ID)
			if len(evs) != 2 || evs[0].Type != payments.EventSessionCompleted {
				t.Errorf("%s: events %+v, want completed (unpaid) then the transfer's outcome", tc.answer, evs)
			}
		}
		ts.get("/payments/"+payments.NewRef()+"/vietqr.svg").mustStatus(t, http.StatusNotFound)
		// With Stripe configured, the practice pages do not exist.
		stripe := paymentsServer(t, dbtest.SQLite(t))
		stripe.get("/vi/payments/"+payments.NewRef()+"/practice").mustStatus(t, http.StatusNotFound)
	})
}

// TestPracticeExpires: a practice page left past its half hour is closed
// by the maintenance loop, as Stripe's checkout.session.expired would, and
// can no longer be paid.
func TestPracticeExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		ref := startPayment(t, ts, "vi")
		ts.post("/vi/payments/"+ref+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		if _, err := db.NewUpdate().TableExpr("payments").Set("session_expires_at = ?", time.Now().Add(-time.Hour).UTC()).
			Where("ref = ?", ref).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		ts.post("/vi/payments/"+ref+"/practice/card", url.Values{"card": {"4242 4242 4242 4242"}, "expiry": {"12/34"}, "cvc": {"123"}}).mustStatus(t, http.StatusSeeOther)
		ts.srv.maintainOnce(context.Background(), time.Now())
		if got := payment(t, db, ref); got.Status != payments.StatusExpired {
			t.Errorf("after its page expired: %s, want expired", got.Status)
		}
		ts.get("/vi/payments/"+ref+"/practice").mustStatus(t, 200).mustContain(t, "không còn chờ thanh toán")
	})
}

// TestPracticePagesClaimNoStripe: in the built-in practice, what a
// resident reads says what happened, not what Stripe would have done: the
// paid page and the waiting notice do not say Stripe confirmed, the
// receipt names the practice card or the VietQR transfer (not "test card
// through Stripe") and its ID as the practice's, and the test-card help
// asks for no name, which the practice card page has no field for.
func TestPracticePagesClaimNoStripe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ts := newTestServer(t, db)
		card := startPayment(t, ts, "vi")
		ts.get("/vi/payments/"+card).mustStatus(t, 200).mustContain(t, "Trên trang luyện thanh toán").mustNotContain(t, "Họ tên")
		ts.get("/en/payments/"+card).mustStatus(t, 200).mustNotContain(t, "Name: any name")
		ts.post("/vi/payments/"+card+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		// The practice's own pages do not name a service they do not use.
		for _, lang := range []string{"vi", "en"} {
			for _, page := range []string{"/practice", "/practice/vietqr", "/practice/bank"} {
				ts.get("/"+lang+"/payments/"+card+page).mustStatus(t, 200).mustNotContain(t, "Stripe")
			}
		}
		ts.get("/vi/payments/"+card+"/practice/bank").mustContain(t, "CONG DICH VU CONG LUYEN TAP")
		ts.get("/vi/payments/"+card+"?returned=1").mustStatus(t, 200).mustContain(t, "Cổng đang chờ xác nhận").mustNotContain(t, "chờ Stripe")
		ts.get("/en/payments/"+card+"?returned=1").mustStatus(t, 200).mustNotContain(t, "waiting for Stripe")
		ts.post("/vi/payments/"+card+"/practice/card", url.Values{"card": {"4242 4242 4242 4242"}, "expiry": {"12/34"}, "cvc": {"123"}}).mustStatus(t, http.StatusSeeOther)
		ts.get("/vi/payments/"+card).mustStatus(t, 200).mustContain(t, "Cổng đã ghi nhận").mustNotContain(t, "Stripe đã xác nhận")
		ts.get("/en/payments/"+card).mustStatus(t, 200).mustContain(t, "The portal has recorded").mustNotContain(t, "Stripe has confirmed")
		ts.get("/vi/payments/"+card+"/receipt").mustStatus(t, 200).mustContain(t, "Thẻ thử nghiệm, trên trang luyện thanh toán", "Mã giao dịch luyện tập").
			mustNotContain(t, "qua Stripe", "Mã giao dịch Stripe", "Chuyển khoản VietQR")
		ts.get("/en/payments/"+card+"/receipt").mustStatus(t, 200).mustContain(t, "Test card, on the portal", "Practice transaction ID").mustNotContain(t, "through Stripe")

		official := ts.newVisitor()
		official.signInAs(accounts.RoleProvinceOfficial, "77")
		form := url.Values{"amount": {"1.000"}, "reason": {"requested_by_customer"}, "key": {refundFormKey(t, official, card)}}
		done := official.post("/vi/reports/payments/"+card+"/refund", form).mustStatus(t, http.StatusSeeOther).Header.Get("Location")
		official.get(done).mustStatus(t, 200).mustContain(t, "Đã hoàn tiền trong phần luyện thanh toán").mustNotContain(t, "Stripe đã nhận yêu cầu")

		transfer := startPayment(t, ts, "en")
		ts.post("/en/payments/"+transfer+"/checkout", nil).mustStatus(t, http.StatusSeeOther)
		ts.post("/en/payments/"+transfer+"/practice/bank", url.Values{"answer": {"confirm"}}).mustStatus(t, http.StatusSeeOther)
		ts.get("/vi/payments/"+transfer+"/receipt").mustStatus(t, 200).mustContain(t, "Chuyển khoản VietQR luyện tập").mustNotContain(t, "Thẻ thử nghiệm")
		ts.get("/en/payments/"+transfer+"/receipt").mustStatus(t, 200).mustContain(t, "Practice VietQR bank transfer").mustNotContain(t, "Test card")
	})
}

// TestCardExpiry: the practice card page reads the expiry as people type
// it, a single-digit month included ("1/30" was refused as malformed),
// and nothing but ASCII digits.
func TestCardExpiry(t *testing.T) {
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	for in, want := range map[string][2]bool{
		"12/30": {true, false}, "1/30": {true, false}, "01/27": {true, false}, "1 / 2030": {true, false}, "12-30": {true, false},
		"1230": {true, false}, "122030": {true, false}, "12/26": {true, false}, "11/26": {true, true}, "12/00": {true, true},
		"13/30": {false, false}, "0/30": {false, false}, "00/30": {false, false}, "+1/30": {false, false}, "12/+3": {false, false},
		"12/-3": {false, false}, "１２/３０": {false, false}, "123/30": {false, false}, "12/3": {false, false}, "12/303": {false, false},
		"": {false, false}, "/": {false, false}, "12/": {false, false}, "/30": {false, false}, "12/30/30": {false, false},
	} {
		if ok, past := cardExpiry(in, now); ok != want[0] || past != want[1] {
			t.Errorf("cardExpiry(%q) = %v, %v; want %v, %v", in, ok, past, want[0], want[1])
		}
	}
}

// FuzzPracticeCard: the card page's parsers of what a resident types
// never panic, and accept only ASCII digits.
func FuzzPracticeCard(f *testing.F) {
	for _, s := range []string{"4242 4242 4242 4242", "4000-0025-0000-3155", "12/34", "1/30", "１２３", "+1/30", ""} {
		f.Add(s)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := cardDigits(s); ok && !asciiDigits(d) {
			t.Errorf("cardDigits(%q) = %q", s, d)
		}
		if ok, _ := cardExpiry(s, now); ok && strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789/- ", r) }) >= 0 {
			t.Errorf("cardExpiry accepted %q", s)
		}
	})
}
