package server

import (
	"net/http"

	"digiportal/payments"
)

type paymentsCatalogueView struct {
	Page
	Configured bool
	Offline    bool // the built-in practice checkout, not Stripe
	Fees       []feeView
}

type feeView struct {
	Code   string
	Amount int64
	payments.FeeText
}

// paymentsCatalogue lists the fees a resident may practise paying.
func (s *paymentsPart) paymentsCatalogue(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "payments.catalogue.title")
	return s.renderCatalogue(w, r, http.StatusOK, p)
}

func (s *paymentsPart) renderCatalogue(w http.ResponseWriter, r *http.Request, status int, p Page) error {
	svc := s.svc
	v := paymentsCatalogueView{Page: p, Configured: svc.Configured(), Offline: svc.Practice()}
	for _, f := range svc.Catalogue().Fees {
		v.Fees = append(v.Fees, feeView{Code: f.Code, Amount: f.Amount, FeeText: f.Text(p.Lang)})
	}
	return s.renderStatus(w, r, status, "payments-catalogue", &v)
}
