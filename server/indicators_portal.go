package server

import (
	"net/http"

	"digiportal/indicators"
)

// portalFigures adds the portal's own monthly use (lessons completed,
// self-assessments, practice payments) to the province's dashboard. They
// count the whole portal, so they appear only at the top.
func (s *indicatorsPart) portalFigures(r *http.Request, v *indicatorsView, d *indicators.Dashboard) error {
	home, err := indicators.HomeUnit(r.Context(), s.db)
	if err != nil {
		return err
	}
	if d.Unit != nil && d.Unit.Code != home {
		return nil
	}
	rows, err := indicators.PortalFigures(r.Context(), d.Elements, s.counters, d.Months)
	if err != nil {
		return err
	}
	en := v.Lang == "en"
	for _, m := range d.Months {
		v.PortalHead = append(v.PortalHead, indPeriodLabel(v.L, m))
	}
	for _, row := range rows {
		v.Portal = append(v.Portal, indPortalRow{Name: row.Element.Name(en), Available: row.Available, Counts: row.Counts, Total: row.Total})
	}
	return nil
}
