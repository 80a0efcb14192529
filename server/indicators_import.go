package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

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
		out = append(out, importError{Row: int64(e.Row), Column: e.Column, Value: e.Value, Reason: rowErrorText(p.L, e)})
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
	u := s.currentUser(r)
	due := dueMonth(s.now())
	v := &importView{Page: p, Due: due.String(), Periods: indMonthOptions(p.L, indicators.MonthOf(s.now()), 24)}
	root, err := indicators.LatestUnit(r.Context(), s.db, u.UnitCode, indicators.Today(s.now()))
	if err == nil {
		v.Units = append(v.Units, indOption{root.Code, root.DisplayName(p.Lang == i18n.EN)})
	}
	return v, nil
}

// reportsTemplate downloads the XLSX template for the units that report
// below a unit in the official's scope, for one month.
func (s *indicatorsPart) reportsTemplate(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	period, err := indicators.ParsePeriod(q.Get("period"))
	if err != nil || period.Kind != indicators.Monthly {
		return errBadRequest
	}
	code := q.Get("unit")
	if code == "" {
		code = s.currentUser(r).UnitCode
	}
	if err := s.authorizeUnit(r, accounts.ActIndicatorsEnter, code); err != nil {
		return err
	}
	units, err := s.reportingUnits(r.Context(), code, period, 5000)
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return errNotFound
	}
	els, err := indicators.EnteredElements(r.Context(), s.db)
	if err != nil {
		return err
	}
	lang, _ := i18n.Parse(r.PathValue("lang"))
	l := s.bundle.Localizer(lang)
	from, to := period.ReportingWindow()
	txt := indicators.TemplateText{
		UnitCode: l.T("indicators.xlsx.unit_code"), UnitName: l.T("indicators.xlsx.unit_name"), Period: l.T("indicators.xlsx.period"),
		DataSheet: l.T("indicators.xlsx.data_sheet"), NotesSheet: l.T("indicators.xlsx.notes_sheet"),
		Notes: []string{
			l.T("indicators.xlsx.note.title", "Month", indPeriodLabel(l, period)),
			l.T("indicators.entry.window", "From", l.Date(from), "To", l.Date(to)),
			l.T("indicators.xlsx.note.whole"), l.T("indicators.xlsx.note.ratio"), l.T("indicators.xlsx.note.blank"),
			l.T("indicators.xlsx.note.codes"), l.T("indicators.xlsx.note.upload"),
		},
	}
	data, err := indicators.Template(els, units, period, lang == i18n.EN, txt)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mau-bao-cao-%s-%s.xlsx"`, code, period))
	_, err = w.Write(data)
	return err
}

// reportsImportCheck is the dry run: it reads the uploaded file, checks
// every row and shows the problems row by row, changing nothing. The rows
// of a file without problems are kept so that the commit needs no second
// upload.
func (s *indicatorsPart) reportsImportCheck(w http.ResponseWriter, r *http.Request) error {
	v, err := s.importView(w, r)
	if err != nil {
		return err
	}
	form, err := readUpload(r, "file")
	if err != nil {
		return err
	}
	if form.data == nil {
		v.Errors = []i18n.FieldError{{Field: "file", Message: v.L.T("indicators.import.error.nofile")}}
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-import", v)
	}
	data := form.data
	v.Submit = form.values.Get("submit") == "yes"
	v.Name = form.name
	plan, err := s.planImport(r, data, v.Submit)
	if errors.Is(err, indicators.ErrNotTable) {
		v.Errors = []i18n.FieldError{{Field: "file", Message: importFileError(v.L, err)}}
		return s.renderStatus(w, r, http.StatusBadRequest, "reports-import", v)
	}
	if err != nil {
		return err
	}
	v.Checked, v.Reports = true, plan.Reports
	v.Errors2 = importProblems(&v.Page, plan.Errors)
	if len(plan.Errors) == 0 && plan.Reports > 0 {
		if v.Token, err = indicators.KeepUpload(r.Context(), s.db, s.currentUser(r).ID, form.name, plan.Rows); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if len(plan.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderStatus(w, r, status, "reports-import", v)
}

func (s *indicatorsPart) planImport(r *http.Request, data []byte, submit bool) (*indicators.ImportPlan, error) {
	els, err := indicators.EnteredElements(r.Context(), s.db)
	if err != nil {
		return nil, err
	}
	rows, perrs, err := indicators.ParseValueFile(data, els)
	if err != nil {
		return nil, err
	}
	return s.planRows(r, rows, perrs, submit)
}

// planRows checks rows read from a file against the database and the
// importer's scope, as the dry run does and the commit does again.
func (s *indicatorsPart) planRows(r *http.Request, rows []indicators.ImportRow, perrs []indicators.RowError, submit bool) (*indicators.ImportPlan, error) {
	inScope := func(_ context.Context, code string) (bool, error) {
		err := s.authorize(r, accounts.ActIndicatorsEnter, accounts.Object{Unit: code})
		if errors.Is(err, accounts.ErrForbidden) {
			return false, nil
		}
		return err == nil, err
	}
	return indicators.PlanImport(r.Context(), s.db, rows, perrs, inScope, submit)
}

// rowErrorText words one problem of an imported file.
func rowErrorText(l *i18n.Localizer, e indicators.RowError) string {
	return l.T(e.MsgID, "Name", e.Column, "Other", e.Other, "Row", e.Row, "Ref", e.Ref)
}

// reportsImportCommit writes the rows of a checked file, all or none,
// after checking them again: the database may have changed since.
func (s *indicatorsPart) reportsImportCommit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	token := strings.TrimSpace(r.PostForm.Get("token"))
	if token == "" || len(token) > 64 {
		return errBadRequest
	}
	name, rows, err := indicators.TakeUpload(r.Context(), s.db, s.currentUser(r).ID, token)
	if err != nil {
		return err
	}
	submit := r.PostForm.Get("submit") == "yes"
	v, err := s.importView(w, r)
	if err != nil {
		return err
	}
	v.Name, v.Submit = name, submit
	plan, err := s.planRows(r, rows, nil, submit)
	if err != nil {
		return err
	}
	if len(plan.Errors) == 0 {
		err = indicators.CommitImport(r.Context(), s.db, s.actor(r), plan, submit)
	}
	if len(plan.Errors) > 0 || errors.Is(err, indicators.ErrInvalid) {
		// Something changed since the dry run: show the new problems.
		v.Checked = true
		v.Errors2 = importProblems(&v.Page, plan.Errors)
		return s.renderStatus(w, r, http.StatusConflict, "reports-import", v)
	}
	if err != nil {
		return err
	}
	v.Done = plan.Reports
	return s.render(w, r, "reports-import", v)
}
