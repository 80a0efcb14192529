package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"digiportal/i18n"
	"digiportal/payments"
)

// The built-in practice checkout (payments.Practice): a card page that
// takes Stripe's published test card numbers with their documented
// outcomes, a 3-D Secure step as a plain confirmation page, and a VietQR
// bank transfer with a simulated banking app. Every page works without
// JavaScript and says that it is practice and no money moves. Each
// finishes by delivering signed events to the portal's own webhook path.

// deliverToWebhook posts a practice event through the portal's whole
// handler to its webhook path, as Stripe would over the network.
func (s *Server) deliverToWebhook(ctx context.Context, body []byte, signature string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/webhooks/stripe", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Host = s.cfg.BaseURL.Host
	req.RemoteAddr = "127.0.0.1:0"
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", signature)
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec.Code, nil
}

// testCard is one of Stripe's published test card numbers and what it
// does (https://docs.stripe.com/testing).
type testCard struct {
	Number  string // grouped for reading
	Outcome string // success, declined, insufficient_funds, authenticate
}

var testCards = []testCard{
	{"4242 4242 4242 4242", "success"},
	{"4000 0025 0000 3155", "authenticate"},
	{"4000 0000 0000 0002", "declined"},
	{"4000 0000 0000 9995", "insufficient_funds"},
}

// practiceCardForm is the card page's form. The number is never shown
// back, stored or logged: a resident might type a real one.
type practiceCardForm struct {
	Card   string `form:"card" validate:"required,max=40" label:"payments.practice.field.card" msg:"required=payments.practice.error.card_missing,max=payments.practice.error.card_invalid"`
	Expiry string `form:"expiry" validate:"required,max=10" label:"payments.practice.field.expiry" msg:"required=payments.practice.error.expiry_missing,max=payments.practice.error.expiry_invalid"`
	CVC    string `form:"cvc" validate:"required,max=4" label:"payments.practice.field.cvc" msg:"required=payments.practice.error.cvc_missing,max=payments.practice.error.cvc_invalid"`
}

type practiceView struct {
	Page
	Pay     paymentView
	Offline bool // always: these pages are the built-in practice
	Open    bool // the payment can be paid now
	Cards   []testCard
	Form    practiceCardForm
	Token   string // of the 3-D Secure step
	Expires time.Time
	// The VietQR transfer, as the code says it (read back from the payload).
	Transfer payments.VietQRTransfer
	Holder   string
	QRPath   string
	Payload  string
}

func (s *paymentsPart) practicePage(w http.ResponseWriter, r *http.Request, titleID string) (*practiceView, error) {
	if !s.svc.Practice() {
		return nil, errNotFound
	}
	pay, err := s.paymentByPath(r)
	if err != nil {
		return nil, err
	}
	open, err := s.svc.PracticeOpen(r.Context(), s.db, pay.Ref)
	switch {
	case err == nil:
		pay = open
	case errors.Is(err, payments.ErrPracticeClosed):
		if pay, err = s.svc.Sync(r.Context(), s.db, pay.Ref); err != nil { // an expired page closes the payment
			return nil, err
		}
	default:
		return nil, err
	}
	v := &practiceView{Page: s.page(w, r, titleID), Offline: true, Open: err == nil && open != nil && pay.Status == payments.StatusOpen, Cards: testCards}
	v.Pay = s.paymentView(v.L, pay)
	v.Expires = pay.SessionExpiresAt
	w.Header().Set("Cache-Control", "no-store")
	return v, nil
}

// paymentsPracticeCard is the practice card page.
func (s *paymentsPart) paymentsPracticeCard(w http.ResponseWriter, r *http.Request) error {
	v, err := s.practicePage(w, r, "payments.practice.card.title")
	if err != nil {
		return err
	}
	return s.render(w, r, "payments-practice-card", v)
}

// cardDigits reads a card number as typed: digits, with spaces or hyphens
// between groups.
func cardDigits(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
		default:
			return "", false
		}
	}
	d := b.String()
	return d, len(d) >= 12 && len(d) <= 19 && luhn(d)
}

// luhn reports whether the digits pass the Luhn check every card number
// passes.
func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// cardExpiry reads the expiry as people type it: MM/YY, M/YY, MM / YYYY,
// MM-YY or MMYY, and reports whether the card is still valid in Viet
// Nam's current month.
func cardExpiry(s string, now time.Time) (ok bool, past bool) {
	s = strings.ReplaceAll(s, " ", "")
	var month, year string
	if i := strings.IndexAny(s, "/-"); i >= 0 {
		month, year = s[:i], s[i+1:]
	} else if len(s) == 4 || len(s) == 6 {
		month, year = s[:2], s[2:]
	}
	if len(month) < 1 || len(month) > 2 || (len(year) != 2 && len(year) != 4) || !asciiDigits(month) || !asciiDigits(year) {
		return false, false
	}
	m, _ := strconv.Atoi(month)
	y, _ := strconv.Atoi(year)
	if m < 1 || m > 12 {
		return false, false
	}
	if len(year) == 2 {
		y += 2000
	}
	now = now.In(i18n.Location())
	return true, y < now.Year() || (y == now.Year() && m < int(now.Month()))
}

// asciiDigits reports whether s is all of 0-9 (no sign, no other script's
// digits).
func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// paymentsPracticeCardPay takes the card page's form.
func (s *paymentsPart) paymentsPracticeCardPay(w http.ResponseWriter, r *http.Request) error {
	v, err := s.practicePage(w, r, "payments.practice.card.title")
	if err != nil {
		return err
	}
	if !v.Open {
		http.Redirect(w, r, paymentPath(v.Lang, v.Pay.Ref), http.StatusSeeOther)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	form := practiceCardForm{Card: r.PostForm.Get("card"), Expiry: strings.TrimSpace(r.PostForm.Get("expiry")), CVC: strings.TrimSpace(r.PostForm.Get("cvc"))}
	v.Form = practiceCardForm{Expiry: form.Expiry, CVC: form.CVC}
	l := v.L
	v.Errors = l.Validate(&form)
	add := func(field, msgID string) {
		v.Errors = append(v.Errors, i18n.FieldError{Field: field, Message: l.T(msgID)})
	}
	digits := ""
	if !i18n.HasErrorFor(v.Errors, "card") {
		var ok bool
		if digits, ok = cardDigits(form.Card); !ok {
			add("card", "payments.practice.error.card_invalid")
		}
	}
	if !i18n.HasErrorFor(v.Errors, "expiry") {
		switch ok, past := cardExpiry(form.Expiry, time.Now()); {
		case !ok:
			add("expiry", "payments.practice.error.expiry_invalid")
		case past:
			add("expiry", "payments.practice.error.expiry_past")
		}
	}
	if !i18n.HasErrorFor(v.Errors, "cvc") {
		if len(form.CVC) < 3 || !asciiDigits(form.CVC) {
			add("cvc", "payments.practice.error.cvc_invalid")
		}
	}
	outcome := ""
	if len(v.Errors) == 0 {
		for _, c := range testCards {
			if strings.ReplaceAll(c.Number, " ", "") == digits {
				outcome = c.Outcome
			}
		}
		switch outcome {
		case "":
			add("card", "payments.practice.error.not_test_card")
		case "declined":
			add("card", "payments.practice.error.declined")
		case "insufficient_funds":
			add("card", "payments.practice.error.insufficient_funds")
		}
	}
	if len(v.Errors) > 0 {
		v.Errors = i18n.InFieldOrder(v.Errors, "card", "expiry", "cvc")
		return s.renderStatus(w, r, http.StatusBadRequest, "payments-practice-card", v)
	}
	if outcome == "authenticate" {
		// The bank's step, as Stripe's test page shows it: a plain page to
		// confirm or refuse, bound to this payment for a few minutes.
		v.Title = l.T("payments.practice.3ds.title")
		v.Token = s.svc.PracticeToken(v.Pay.Payment, "3ds", time.Now())
		return s.render(w, r, "payments-practice-3ds", v)
	}
	return s.practiceFinish(w, r, v, s.svc.PracticePayByCard(r.Context(), s.db, v.Pay.Ref))
}

// practiceFinish sends the resident to the payment's page, as Stripe's
// success URL does, once the practice events are delivered.
func (s *paymentsPart) practiceFinish(w http.ResponseWriter, r *http.Request, v *practiceView, err error) error {
	switch {
	case err == nil:
		http.Redirect(w, r, paymentPath(v.Lang, v.Pay.Ref)+"?returned=1", http.StatusSeeOther)
		return nil
	case errors.Is(err, payments.ErrPracticeClosed):
		http.Redirect(w, r, paymentPath(v.Lang, v.Pay.Ref), http.StatusSeeOther)
		return nil
	}
	s.log.LogAttrs(r.Context(), slog.LevelError, "payments: practice event", slog.String("ref", v.Pay.Ref), slog.Any("err", err))
	return err
}

// paymentsPractice3DS takes the answer of the 3-D Secure step.
func (s *paymentsPart) paymentsPractice3DS(w http.ResponseWriter, r *http.Request) error {
	v, err := s.practicePage(w, r, "payments.practice.card.title")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	if !v.Open {
		http.Redirect(w, r, paymentPath(v.Lang, v.Pay.Ref), http.StatusSeeOther)
		return nil
	}
	if !s.svc.CheckPracticeToken(v.Pay.Payment, "3ds", r.PostForm.Get("token")) {
		v.Errors = []i18n.FieldError{{Field: "card", Message: v.L.T("payments.practice.error.3ds_expired")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "payments-practice-card", v)
	}
	if r.PostForm.Get("answer") == "complete" {
		return s.practiceFinish(w, r, v, s.svc.PracticePayByCard(r.Context(), s.db, v.Pay.Ref))
	}
	v.Errors = []i18n.FieldError{{Field: "card", Message: v.L.T("payments.practice.error.3ds_failed")}}
	return s.renderStatus(w, r, http.StatusBadRequest, "payments-practice-card", v)
}

// practiceTransfer is the VietQR transfer of a payment: to the practice's
// fake account, its amount, its reference as the transfer's content.
func practiceTransfer(pay *payments.Payment) (string, payments.VietQRTransfer, error) {
	payload, err := payments.BuildVietQR(payments.VietQRTransfer{
		BankBIN: payments.PracticeBankBIN, Account: payments.PracticeAccount, Amount: pay.Amount, Purpose: pay.Ref,
	})
	if err != nil {
		return "", payments.VietQRTransfer{}, err
	}
	// What a banking app would read from the code, read back from it.
	t, err := payments.ParseVietQR(payload)
	return payload, t, err
}

func (s *paymentsPart) practiceTransferView(w http.ResponseWriter, r *http.Request, titleID string) (*practiceView, error) {
	v, err := s.practicePage(w, r, titleID)
	if err != nil {
		return nil, err
	}
	if v.Payload, v.Transfer, err = practiceTransfer(v.Pay.Payment); err != nil {
		return nil, err
	}
	// The holder's name as banking apps show names: capitals without
	// diacritics, in the messages like every text a person reads.
	v.Holder = v.L.T("payments.practice.bank.holder_name")
	v.QRPath = "/payments/" + v.Pay.Ref + "/vietqr.svg"
	return v, nil
}

// paymentsPracticeVietQR is the bank-transfer page: the VietQR code and
// the same details in words.
func (s *paymentsPart) paymentsPracticeVietQR(w http.ResponseWriter, r *http.Request) error {
	v, err := s.practiceTransferView(w, r, "payments.practice.vietqr.title")
	if err != nil {
		return err
	}
	return s.render(w, r, "payments-practice-vietqr", v)
}

// paymentsPracticeBank is the simulated banking app, showing the transfer
// the code asks for.
func (s *paymentsPart) paymentsPracticeBank(w http.ResponseWriter, r *http.Request) error {
	v, err := s.practiceTransferView(w, r, "payments.practice.bank.title")
	if err != nil {
		return err
	}
	return s.render(w, r, "payments-practice-bank", v)
}

// paymentsPracticeBankSend takes the banking app's answer: the transfer
// arrives, or it does not.
func (s *paymentsPart) paymentsPracticeBankSend(w http.ResponseWriter, r *http.Request) error {
	v, err := s.practicePage(w, r, "payments.practice.bank.title")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	if !v.Open {
		http.Redirect(w, r, paymentPath(v.Lang, v.Pay.Ref), http.StatusSeeOther)
		return nil
	}
	var arrived bool
	switch r.PostForm.Get("answer") {
	case "confirm":
		arrived = true
	case "fail":
	default:
		v, err := s.practiceTransferView(w, r, "payments.practice.bank.title")
		if err != nil {
			return err
		}
		v.Errors = []i18n.FieldError{{Message: v.L.T("payments.practice.error.answer")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "payments-practice-bank", v)
	}
	return s.practiceFinish(w, r, v, s.svc.PracticeBankTransfer(r.Context(), s.db, v.Pay.Ref, arrived))
}

// paymentsPracticeQR is the VietQR code of a practice payment as an SVG
// image, drawn on the server.
func (s *paymentsPart) paymentsPracticeQR(w http.ResponseWriter, r *http.Request) error {
	if !s.svc.Practice() {
		return errNotFound
	}
	pay, err := s.paymentByPath(r)
	if err != nil {
		return err
	}
	payload, _, err := practiceTransfer(pay)
	if err != nil {
		return err
	}
	svg, err := qrSVG(payload)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, err = w.Write(svg)
	return err
}

// qrSVG draws payload as a QR code (error correction M) in SVG: one path
// of the dark modules, row runs merged, with the four-module quiet zone.
func qrSVG(payload string) ([]byte, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	const quiet = 4
	size := len(bits) + 2*quiet
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, size, size, size, size)
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start+quiet, y+quiet, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}
