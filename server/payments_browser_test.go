package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
	"digiportal/payments"
	"digiportal/payments/stripemock"
)

// TestBrowserPaymentToStripe goes, in each language, with JavaScript off
// (as on many cheap phones) and at phone width, from the fee catalogue to
// Stripe's hosted payment page, with the practice configured against
// stripe-mock. The browser must follow the 303 to checkout.stripe.com
// (which the CSP's form-action allows; the closed test network then stops
// it). Back at the portal before Stripe's confirmation the page waits;
// after the signed event it shows the payment paid and the receipt. Each
// page passes axe-core: these are the configured variants of the pages
// the general browser checks see unconfigured.
func TestBrowserPaymentToStripe(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	ts := paymentsServer(t, db)
	refPath := regexp.MustCompile(`/payments/([0-9A-Z]{20})$`)
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			v := ts.newVisitor()
			v.t = t
			tab := newTab(t, v, atPhoneWidth, withoutScripts)
			tab.open("/"+lang+"/payments").mustStatus(t, http.StatusOK)
			tab.mustPassAxe()

			// Choose the first fee: a 303 to the page that checks it.
			l := tab.follow(`form[action="/`+lang+`/payments"] button[type="submit"]`).mustStatus(t, http.StatusOK)
			m := refPath.FindStringSubmatch(l.URL)
			if m == nil || len(l.Chain) != 2 || l.Chain[0].Status != http.StatusSeeOther {
				t.Fatalf("choosing a fee led to %s (responses %v), want a 303 to the payment's page", l.URL, l.Chain)
			}
			ref := m[1]
			if n := tab.count(".practice-notice"); n != 1 {
				t.Errorf("the check page has %d practice notices, want 1", n)
			}
			tab.mustPassAxe()

			// Continue: the portal answers 303 to Stripe's hosted page.
			l = tab.follow(`form[action$="/checkout"] button[type="submit"]`)
			if !l.Left || !strings.HasPrefix(l.URL, "https://checkout.stripe.com/") {
				t.Fatalf("continuing led to %s (left the portal: %v, responses %v), want Stripe's checkout", l.URL, l.Left, l.Chain)
			}
			if len(l.Chain) == 0 || l.Chain[0].Status != http.StatusSeeOther || !strings.HasSuffix(l.Chain[0].URL, "/"+lang+"/payments/"+ref+"/checkout") {
				t.Errorf("responses %v, want the portal's 303 first", l.Chain)
			}
			for _, e := range tab.consoleErrors() {
				if strings.Contains(e.Text, "Content Security Policy") {
					t.Errorf("the CSP stopped the redirect: %s", e)
				}
			}
			p := payment(t, db, ref)
			if p.Status != payments.StatusOpen || !strings.HasPrefix(l.URL, p.SessionURL[:len("https://checkout.stripe.com/")]) {
				t.Fatalf("payment %s with session URL %q after the redirect to %s", p.Status, p.SessionURL, l.URL)
			}

			// Back from Stripe before its confirmation: the page waits.
			tab.open("/"+lang+"/payments/"+ref+"?session_id="+p.SessionID).mustStatus(t, http.StatusOK)
			if n := tab.count(`meta[http-equiv="refresh"]`); n != 1 {
				t.Errorf("the waiting page has %d refresh elements, want 1", n)
			}
			// The one axe-core rule this page breaks is the one the issue
			// asks for: a timed meta refresh (see waitInterval). Every
			// other rule must pass.
			vs, err := tab.axe()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				if v.ID != "meta-refresh" {
					t.Error(v)
				}
			}

			// Stripe's signed confirmation, then the paid page and receipt.
			body := stripemock.Event("evt_browser_"+lang, payments.EventSessionCompleted, time.Now(),
				stripemock.Session(p.SessionID, p.Ref, "complete", "paid", p.Amount, "pi_browser_"+lang))
			v.deliver(body).mustStatus(t, http.StatusOK)
			tab.open("/"+lang+"/payments/"+ref).mustStatus(t, http.StatusOK)
			tab.mustPassAxe()
			l = tab.follow(`a[href$="/receipt"]`).mustStatus(t, http.StatusOK)
			if n := tab.count(".stamp"); n != 1 {
				t.Errorf("the receipt at %s has %d DEMO stamps, want 1", l.URL, n)
			}
			tab.mustPassAxe()
		})
	}
}

// TestBrowserPracticeJourney runs the whole built-in practice in real
// Chromium with JavaScript off, at phone width, in both languages, on a
// fresh embedded portal with no Stripe key: catalogue, check page, the
// card page refusing a declined card, the 3-D Secure page, paid, the
// receipt; then a second payment by VietQR through the practice banking
// app. Every page passes axe-core.
func TestBrowserPracticeJourney(t *testing.T) {
	sharedBrowser(t)
	axeSource(t)
	db := dbtest.SQLite(t)
	ts := newTestServer(t, db)
	refPath := regexp.MustCompile(`/payments/([0-9A-Z]{20})$`)
	start := func(t *testing.T, tab *tab, lang string) string {
		t.Helper()
		tab.open("/"+lang+"/payments").mustStatus(t, http.StatusOK)
		tab.mustPassAxe()
		l := tab.follow(`form[action="/`+lang+`/payments"] button[type="submit"]`).mustStatus(t, http.StatusOK)
		m := refPath.FindStringSubmatch(l.URL)
		if m == nil {
			t.Fatalf("choosing a fee led to %s", l.URL)
		}
		tab.mustPassAxe()
		l = tab.follow(`form[action$="/checkout"] button[type="submit"]`).mustStatus(t, http.StatusOK)
		if !strings.HasSuffix(l.URL, "/"+lang+"/payments/"+m[1]+"/practice") || l.Left {
			t.Fatalf("continuing led to %s, want the practice card page", l.URL)
		}
		if n := tab.count(".practice-notice"); n != 1 {
			t.Errorf("the card page has %d practice notices, want 1", n)
		}
		tab.mustPassAxe()
		return m[1]
	}
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			v := ts.newVisitor()
			v.t = t
			tab := newTab(t, v, atPhoneWidth, withoutScripts)
			ref := start(t, tab, lang)
			pay := `form[action$="/practice/card"] button[type="submit"]`
			tab.fill("#card", "4000 0000 0000 0002")
			tab.fill("#expiry", "12/34")
			tab.fill("#cvc", "123")
			tab.follow(pay).mustStatus(t, http.StatusBadRequest)
			if n := tab.count(".error-summary"); n != 1 {
				t.Errorf("a declined card shows %d error summaries, want 1", n)
			}
			tab.mustPassAxe()
			tab.fill("#card", "4000 0025 0000 3155")
			tab.follow(pay).mustStatus(t, http.StatusOK)
			if n := tab.count(`form[action$="/practice/3ds"]`); n != 2 {
				t.Fatalf("the 3-D Secure page has %d forms, want 2", n)
			}
			tab.mustPassAxe()
			l := tab.follow(`form[action$="/practice/3ds"] button[type="submit"]`).mustStatus(t, http.StatusOK)
			if p := payment(t, db, ref); p.Status != payments.StatusPaid {
				t.Fatalf("after 3-D Secure at %s: %s, want paid", l.URL, p.Status)
			}
			tab.mustPassAxe()
			tab.follow(`a[href$="/receipt"]`).mustStatus(t, http.StatusOK)
			tab.mustPassAxe()

			// A second payment, by VietQR and the practice banking app.
			ref = start(t, tab, lang)
			tab.follow(`a[href$="/practice/vietqr"]`).mustStatus(t, http.StatusOK)
			if ok, err := evaluate[bool](tab, `(() => { const i = document.querySelector('.qr img'); return !!i && i.complete && i.naturalWidth > 0 })()`); err != nil || !ok {
				t.Errorf("the VietQR image did not load: %v", err)
			}
			tab.mustPassAxe()
			tab.follow(`a[href$="/practice/bank"]`).mustStatus(t, http.StatusOK)
			tab.mustPassAxe()
			tab.follow(`form[action$="/practice/bank"] button[type="submit"]`).mustStatus(t, http.StatusOK)
			if p := payment(t, db, ref); p.Status != payments.StatusPaid {
				t.Fatalf("after the practice transfer: %s, want paid", p.Status)
			}
			tab.mustPassAxe()
		})
	}
}
