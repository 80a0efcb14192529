package server

import (
	"net/http"
	"time"

	"digiportal/i18n"
	"digiportal/payments"
)

// paymentsReportCSV writes the reconciliation CSV of the filtered
// payments, headed in the page's language, to match against Stripe's
// balance report.
func (s *paymentsPart) paymentsReportCSV(w http.ResponseWriter, r *http.Request, f payments.Filter, l *i18n.Localizer) error {
	header := make([]string, len(payments.ReconciliationColumns))
	for i, id := range payments.ReconciliationColumns {
		header[i] = l.T(id)
	}
	startCSV(w, "payments-"+l.In(time.Now()).Format("20060102-1504"))
	cw, err := newCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := payments.ReconciliationRows(r.Context(), s.db, f, s.svc.Catalogue(), l.Lang, cw.Write); err != nil {
		return err
	}
	return cw.Flush()
}
