package server

import (
	"context"
	"errors"
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

type importView struct {
	Page
	Units   []indOption
	Periods []indOption
	Due     string
	Checked bool
	Name    string
	Errors2 []importError
	Reports int
	Token   string
	Submit  bool
	Done    int
	// RuleWarnings words the validation rules the file's rows break.
	RuleWarnings []string
}

// importError is one row problem as the import pages show it. Row is
// int64 because the templates format it with Localizer.Int.
type importError struct {
	Row                   int64
	Column, Value, Reason string
}

// importProblems words the row problems of a file in the reader's
// language, and adds to the page's error summary one line that counts them
// and links to their table (id "problems"), so that the title says "Error:"
// and a screen reader hears the count first. The imports stop at one
// problem past indicators.MaxRowErrors; the page lists that many and says
// there are more.
// problemCell is how many characters of a cell a problem shows.
const problemCell = 80

func importProblems(p *Page, errs []indicators.RowError) []importError {
	if len(errs) == 0 {
		return nil
	}
	summary := p.L.N("indicators.import.problems", len(errs))
	if len(errs) > indicators.MaxRowErrors {
		errs = errs[:indicators.MaxRowErrors]
		summary = p.L.N("indicators.import.problems_more", len(errs))
	}
	out := make([]importError, 0, len(errs))
	for _, e := range errs {
		// A cell can hold thousands of characters, a hundred of which
		// would make the table a wall: the start shows which cell it is.
		out = append(out, importError{Row: int64(e.Row), Column: shorten(e.Column, problemCell), Value: shorten(e.Value, problemCell), Reason: rowErrorText(p.L, e)})
	}
	p.Errors = append(p.Errors, i18n.FieldError{Field: "problems", Message: summary})
	return out
}

// reportsImportForm offers the Excel template for the official's units
// and a month, and the upload of a filled file.
func (s *indicatorsPart) reportsImportForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.importView(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, "reports-import", v)
}

func (s *indicatorsPart) importView(w http.ResponseWriter, r *http.Request) (*importView, error) {
	p := s.page(w, r, "indicators.import.title")
	due := indicators.DueMonth(s.now())
	v := &importView{Page: p, Due: due.String(), Periods: indMonthOptions(p.L, indicators.MonthOf(s.now()), 24)}
	root, ok, err := s.ownUnit(r)
	if err != nil {
		return nil, err
	}
	if ok {
		v.Units = append(v.Units, indOption{root.Code, root.DisplayName(p.Lang == i18n.EN)})
	}
	return v, nil
}

// importScope says whether the signed-in official may enter values for a
// unit, for the checks of an imported file.
func (s *indicatorsPart) importScope(r *http.Request) indicators.ScopeFunc {
	return func(_ context.Context, code string) (bool, error) {
		err := s.authorize(r, accounts.ActIndicatorsEnter, accounts.Object{Unit: code})
		if errors.Is(err, accounts.ErrForbidden) {
			return false, nil
		}
		return err == nil, err
	}
}

// rowErrorText words one problem of an imported file.
func rowErrorText(l *i18n.Localizer, e indicators.RowError) string {
	return l.T(e.MsgID, "Name", e.Column, "Other", e.Other, "Row", e.Row, "Ref", e.Ref)
}
