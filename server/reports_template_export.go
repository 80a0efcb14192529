package server

import (
	"fmt"
	"net/http"

	"digiportal/accounts"
	"digiportal/i18n"
	"digiportal/indicators"
)

// reportsTemplateExport downloads the XLSX template for the units that report
// below a unit in the official's scope, for one month.
func (s *indicatorsPart) reportsTemplateExport(w http.ResponseWriter, r *http.Request) error {
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
	units, err := indicators.ReportingUnits(r.Context(), s.db, code, period, 5000)
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
