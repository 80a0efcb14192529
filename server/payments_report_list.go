package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"digiportal/i18n"
	"digiportal/payments"
)

// reportPageSize is how many payments one page of the list shows, within
// the page-weight budget.
const reportPageSize = 50

// paymentsFilterForm is the officials' filter of the payment list, also
// used by the reconciliation CSV (?format=csv).
type paymentsFilterForm struct {
	Status string `form:"status,choice" validate:"omitempty,oneof=created open paid partially_refunded refunded expired canceled failed" label:"payments.field.status" msg:"oneof=payments.error.status_choose"`
	Fee    string `form:"fee,choice" validate:"omitempty,max=60" label:"payments.field.fee" msg:"max=payments.error.unknown_fee"`
	Ref    string `form:"ref" validate:"omitempty,max=64" label:"payments.field.ref" msg:"max=payments.error.bad_ref"`
	By     string `form:"by,choice" validate:"omitempty,oneof=created paid refund" label:"payments.field.by" msg:"oneof=payments.error.by_choose"`
	From   string `form:"from" validate:"omitempty,datetime=2006-01-02" label:"payments.field.from" msg:"datetime=payments.error.from_format"`
	To     string `form:"to" validate:"omitempty,datetime=2006-01-02" label:"payments.field.to" msg:"datetime=payments.error.to_format"`
}

type option struct {
	Value, Label string
	Selected     bool
}

type paymentsListView struct {
	Page
	Form     paymentsFilterForm
	Statuses []option
	Fees     []option
	Bys      []option
	Rows     []paymentView
	Total    int
	PageNo   int
	Pages    int
	PrevURL  string
	NextURL  string
	CSVURL   string
	XLSXURL  string
	// NoWebhookSecret: Stripe is configured but its events cannot be
	// verified, so every one is refused and payments stay unconfirmed.
	NoWebhookSecret bool
}

// paymentsReportList is the officials' list of practice payments with
// filters by status, fee and dates, and the reconciliation CSV of the
// same filter.
func (s *paymentsPart) paymentsReportList(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "payments.report.title")
	q := r.URL.Query()
	form := paymentsFilterForm{Status: q.Get("status"), Fee: q.Get("fee"), Ref: q.Get("ref"), By: q.Get("by"), From: q.Get("from"), To: q.Get("to")}
	f, errs := s.paymentsFilter(p.L, &form)
	p.Errors = errs
	switch {
	case errs != nil:
	case q.Get("format") == "csv":
		return s.paymentsReportCSV(w, r, f, p.L)
	case q.Get("format") == "xlsx":
		var err error
		if errs, err = s.paymentsReportXLSX(w, r, f, p.L); err != nil || errs == nil {
			return err
		}
		p.Errors = errs
	}
	v := paymentsListView{Page: p, Form: form, PageNo: 1, NoWebhookSecret: s.svc.Configured() && !s.svc.WebhooksConfigured()}
	v.Statuses = append(v.Statuses, option{Label: p.L.T("payments.filter.any_status")})
	for _, st := range payments.Statuses() {
		v.Statuses = append(v.Statuses, option{Value: string(st), Label: p.L.T("payments.status." + string(st)), Selected: form.Status == string(st)})
	}
	v.Fees = append(v.Fees, option{Label: p.L.T("payments.filter.any_fee")})
	for _, fee := range s.svc.Catalogue().Fees {
		v.Fees = append(v.Fees, option{Value: fee.Code, Label: fee.Text(p.Lang).Procedure, Selected: form.Fee == fee.Code})
	}
	for _, by := range []payments.DateBy{payments.ByCreated, payments.ByPaid, payments.ByRefund} {
		v.Bys = append(v.Bys, option{Value: string(by), Label: p.L.T("payments.by." + string(by)),
			Selected: form.By == string(by) || (form.By == "" && by == payments.ByCreated)})
	}
	if errs != nil {
		return s.renderStatus(w, r, http.StatusBadRequest, "payments-report-list", &v)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n < 1_000_000 {
		v.PageNo = n
	}
	f.Limit, f.Offset = reportPageSize, (v.PageNo-1)*reportPageSize
	rows, total, err := payments.ListPayments(r.Context(), s.db, f)
	if err != nil {
		return err
	}
	for i := range rows {
		v.Rows = append(v.Rows, s.paymentView(p.L, &rows[i]))
	}
	v.Total, v.Pages = total, (total+reportPageSize-1)/reportPageSize
	link := func(extra url.Values) string {
		vals := url.Values{}
		for k, x := range map[string]string{"status": form.Status, "fee": form.Fee, "ref": form.Ref, "by": form.By, "from": form.From, "to": form.To} {
			if x != "" {
				vals.Set(k, x)
			}
		}
		for k := range extra {
			vals.Set(k, extra.Get(k))
		}
		if len(vals) == 0 {
			return "/" + string(p.Lang) + "/reports/payments"
		}
		return "/" + string(p.Lang) + "/reports/payments?" + vals.Encode()
	}
	if v.PageNo > 1 {
		v.PrevURL = link(url.Values{"page": {strconv.Itoa(v.PageNo - 1)}})
	}
	if v.PageNo < v.Pages {
		v.NextURL = link(url.Values{"page": {strconv.Itoa(v.PageNo + 1)}})
	}
	v.CSVURL = link(url.Values{"format": {"csv"}})
	v.XLSXURL = link(url.Values{"format": {"xlsx"}})
	return s.render(w, r, "payments-report-list", &v)
}

// The days a period of the payment list may name (inclusive), as the
// form's ISO dates: the practice has no payment before 2020.
const (
	firstReportDay = "2020-01-01"
	lastReportDay  = "2099-12-31"
)

// paymentsFilter checks the filter form and turns it into a store filter;
// the dates are days in Asia/Ho_Chi_Minh, both included.
func (s *paymentsPart) paymentsFilter(l *i18n.Localizer, form *paymentsFilterForm) (payments.Filter, []i18n.FieldError) {
	// Every field is checked, so that all problems show at once.
	errs := l.Validate(form)
	f := payments.Filter{Status: payments.Status(form.Status), FeeCode: form.Fee, By: payments.DateBy(form.By)}
	if form.Fee != "" && !i18n.HasErrorFor(errs, "fee") {
		if _, err := s.svc.Catalogue().Fee(form.Fee); err != nil {
			errs = append(errs, i18n.FieldError{Field: "fee", Message: l.T("payments.error.unknown_fee")})
		}
	}
	if form.Ref != "" && !i18n.HasErrorFor(errs, "ref") {
		ref, err := payments.ParseRef(form.Ref)
		if err != nil {
			errs = append(errs, i18n.FieldError{Field: "ref", Message: l.T("payments.error.bad_ref")})
		}
		f.Ref = ref
	}
	zone := i18n.Location()
	// A day outside the years a payment can have is a typing slip, and
	// year 1 in Viet Nam's time is year 0 in UTC, which PostgreSQL refuses.
	day := func(field, text string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02", text, zone)
		if text < firstReportDay || text > lastReportDay {
			errs = append(errs, i18n.FieldError{Field: field, Message: l.T("payments.error.date_range", "First", firstReportDay, "Last", lastReportDay)})
			return time.Time{}
		}
		return d
	}
	if form.From != "" && !i18n.HasErrorFor(errs, "from") {
		f.From = day("from", form.From)
	}
	if form.To != "" && !i18n.HasErrorFor(errs, "to") {
		if to := day("to", form.To); !to.IsZero() {
			f.To = to.AddDate(0, 0, 1)
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs = append(errs, i18n.FieldError{Field: "to", Message: l.T("payments.error.dates_order")})
	}
	if len(errs) > 0 {
		return payments.Filter{}, i18n.InFieldOrder(errs, "status", "fee", "ref", "by", "from", "to")
	}
	return f, nil
}
