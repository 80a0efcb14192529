package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"digiportal/accounts"
	"digiportal/database"
	"digiportal/i18n"
	"digiportal/payments"
	"digiportal/server/export"
)

// reconcileColumns are the message IDs of the reconciliation's header, in
// column order. The first says what the line is; refund lines fill the
// refund columns and repeat their payment's reference.
var reconcileColumns = []string{
	"payments.csv.line", "payments.csv.ref", "payments.csv.fee_code", "payments.csv.fee", "payments.csv.amount",
	"payments.csv.currency", "payments.csv.status", "payments.csv.created_at", "payments.csv.paid_at",
	"payments.csv.refunded", "payments.csv.net", "payments.csv.session", "payments.csv.payment_intent",
	"payments.csv.demo", "payments.csv.refund_at", "payments.csv.refund_amount", "payments.csv.stripe_refund",
	"payments.csv.refund_by", "payments.csv.refund_status",
}

// maxXLSXLines bounds a reconciliation workbook: a spreadsheet of more
// lines is no use to read, and the workbook is built on the server. The
// CSV, written as it is read, has no such bound.
var maxXLSXLines = 20_000

// errTooManyLines stops a workbook past maxXLSXLines.
var errTooManyLines = errors.New("reconciliation: too many lines for a workbook")

// reconcileRows turns the reconciliation's lines into rows of text in the
// page's language: amounts in whole đồng without separators, statuses as
// codes, times as ISO 8601 in Asia/Ho_Chi_Minh. Totals come last.
type reconcileRows struct {
	ctx  context.Context
	s    *paymentsPart
	l    *i18n.Localizer
	who  map[int64]string
	zone *time.Location
}

func (s *paymentsPart) newReconcileRows(ctx context.Context, l *i18n.Localizer) *reconcileRows {
	return &reconcileRows{ctx: ctx, s: s, l: l, who: map[int64]string{}, zone: i18n.Location()}
}

func (rr *reconcileRows) header() []string {
	h := make([]string, len(reconcileColumns))
	for i, id := range reconcileColumns {
		h[i] = rr.l.T(id)
	}
	return h
}

func (rr *reconcileRows) at(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(rr.zone).Format(time.RFC3339)
}

func (rr *reconcileRows) row(ln payments.Line) ([]string, error) {
	p := ln.Payment
	fee := p.FeeCode
	if f, err := rr.s.svc.Catalogue().Fee(p.FeeCode); err == nil {
		fee = f.Text(rr.l.Lang).Procedure
	}
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	row := []string{rr.l.T("payments.line." + string(ln.Kind)), p.Ref, p.FeeCode, fee}
	if ln.Kind == payments.LinePayment {
		return append(row, num(p.Amount), strings.ToUpper(p.Currency), string(p.Status), rr.at(p.CreatedAt), rr.at(p.PaidAt),
			num(p.RefundedAmount), num(p.Net()), p.SessionID, p.PaymentIntentID, strconv.FormatBool(p.Demo),
			"", "", "", "", ""), nil
	}
	row = append(row, "", strings.ToUpper(p.Currency), "", "", "", "", "", "", p.PaymentIntentID, strconv.FormatBool(p.Demo))
	rf := ln.Refund
	if rf == nil { // refunded at Stripe, not yet known one by one
		return append(row, "", num(ln.Amount), "", rr.l.T("payments.refund.by_stripe"), string(payments.RefundSucceeded)), nil
	}
	who, err := rr.whoOf(rf)
	if err != nil {
		return nil, err
	}
	date := rf.CompletedAt
	if date.IsZero() {
		date = rf.CreatedAt
	}
	return append(row, rr.at(date), num(rf.Amount), rf.StripeRefundID, who, string(rf.Status)), nil
}

// whoOf is the address of the official who made a refund, or who else did.
func (rr *reconcileRows) whoOf(rf *payments.Refund) (string, error) {
	if rf.Source == payments.SourceStripe {
		return rr.l.T("payments.refund.by_stripe"), nil
	}
	if w, ok := rr.who[rf.ActorID]; ok {
		return w, nil
	}
	w := rr.l.T("payments.refund.by_unknown")
	u, err := accounts.UserByID(rr.ctx, rr.s.db, rf.ActorID)
	switch {
	case err == nil:
		w = u.Email
	case !errors.Is(err, database.ErrNotFound):
		return "", err
	}
	rr.who[rf.ActorID] = w
	return w, nil
}

// totals are the last rows: label in the first column, amount in the
// amount column.
func (rr *reconcileRows) totals(t payments.Totals) [][]string {
	var out [][]string
	for _, x := range []struct {
		id string
		n  int64
	}{{"payments.total.collected", t.Collected}, {"payments.total.refunded", t.Refunded},
		{"payments.total.held", t.Held}, {"payments.total.net", t.Net()}} {
		row := make([]string, len(reconcileColumns))
		row[0], row[4], row[5] = rr.l.T(x.id), strconv.FormatInt(x.n, 10), strings.ToUpper(payments.Currency)
		out = append(out, row)
	}
	return out
}

// typed makes a reconciliation row cells: amounts numbers, the rest
// text, nothing where nothing is.
func typed(row []string) []export.Cell {
	out := make([]export.Cell, len(row))
	for i, c := range row {
		switch {
		case c == "":
			out[i] = export.Empty()
		case i == 4 || i == 9 || i == 10 || i == 15: // amounts
			if v, err := strconv.ParseInt(c, 10, 64); err == nil {
				out[i] = export.Int(v)
				continue
			}
			out[i] = export.Text(c)
		default:
			out[i] = export.Text(c)
		}
	}
	return out
}

// paymentsReportCSV writes the reconciliation of the filtered payments as
// CSV, headed in the page's language, to match against Stripe's balance
// report: one line per payment, one per refund, and the totals. It is
// written as it is read.
func (s *paymentsPart) paymentsReportCSV(w http.ResponseWriter, r *http.Request, f payments.Filter, l *i18n.Localizer) error {
	rr := s.newReconcileRows(r.Context(), l)
	startCSV(w, "payments-"+l.In(time.Now()).Format("20060102-1504"))
	cw := export.NewCSV(w)
	if err := cw.Row(export.Texts(rr.header()...)); err != nil {
		return err
	}
	tot, err := payments.Reconcile(r.Context(), s.db, f, func(ln payments.Line) error {
		row, err := rr.row(ln)
		if err != nil {
			return err
		}
		return cw.Row(typed(row))
	})
	if err != nil {
		return err
	}
	for _, row := range rr.totals(tot) {
		if err := cw.Row(typed(row)); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// paymentsReportXLSX writes the same reconciliation as a workbook: a sheet
// saying what it is, then the lines, amounts as numbers. Rows are streamed
// to the workbook, but the workbook is sent whole, so a reconciliation of
// more than maxXLSXLines lines is refused with a page asking for a
// shorter period (or the CSV).
func (s *paymentsPart) paymentsReportXLSX(w http.ResponseWriter, r *http.Request, f payments.Filter, l *i18n.Localizer) ([]i18n.FieldError, error) {
	rr := s.newReconcileRows(r.Context(), l)
	day := func(t time.Time) string {
		if t.IsZero() {
			return "…"
		}
		return t.In(i18n.Location()).Format(time.DateOnly)
	}
	// To is the first instant after the period: its last day is the one before.
	period := day(f.From) + " – " + day(f.To.Add(-time.Nanosecond))
	if f.To.IsZero() {
		period = day(f.From) + " – …"
	}
	wb, err := export.NewWorkbook(l.T("stats.export.about"), [][2]string{
		{l.T("stats.export.what"), l.T("payments.report.title")},
		{l.T("stats.export.period"), period},
		{l.T("stats.export.time"), l.DateTime(time.Now())},
		{l.T("stats.export.missing"), ""},
	})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	if err := wb.Sheet(l.T("payments.report.title"), rr.header()); err != nil {
		return nil, err
	}
	lines := 0
	tot, err := payments.Reconcile(r.Context(), s.db, f, func(ln payments.Line) error {
		if lines++; lines > maxXLSXLines {
			return errTooManyLines
		}
		row, err := rr.row(ln)
		if err != nil {
			return err
		}
		return wb.Row(typed(row))
	})
	if errors.Is(err, errTooManyLines) {
		return []i18n.FieldError{{Field: "from", Message: l.T("payments.error.too_many_lines", "Max", maxXLSXLines)}}, nil
	}
	if err != nil {
		return nil, err
	}
	for _, row := range rr.totals(tot) {
		if err := wb.Row(typed(row)); err != nil {
			return nil, err
		}
	}
	return nil, sendXLSX(w, "payments-"+l.In(time.Now()).Format("20060102-1504"), wb)
}
