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
func (s *Server) paymentsReportCSV(w http.ResponseWriter, r *http.Request, f payments.Filter, l *i18n.Localizer) error {
	header := make([]string, len(payments.ReconciliationColumns))
	for i, id := range payments.ReconciliationColumns {
		header[i] = l.T(id)
	}
	name := "payments-" + l.In(time.Now()).Format("20060102-1504") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	return payments.WriteReconciliation(r.Context(), s.db, w, f, header, s.payments.svc.Catalogue(), l.Lang)
}
