package server

import (
	"net/http"

	"digiportal/i18n"
	"digiportal/indicators"
)

// flagOutliers warns, at each field of the entry form and in its list of
// warnings, about a value (the typed one when a post was refused, else the
// stored one) outside the unit's usual range. It never refuses anything.
func (s *indicatorsPart) flagOutliers(r *http.Request, v *entryView, u *indicators.Unit, period indicators.Period, els []indicators.Element, stored indicators.Values, typed map[int64]string) error {
	ranges, err := indicators.OutlierRanges(r.Context(), s.db, u.ID, period)
	if err != nil {
		return err
	}
	en := v.Lang == i18n.EN
	for i, e := range els {
		n, ok := stored[e.ID]
		if typed != nil {
			var blank, whole bool
			n, blank, whole = indicators.ParseWhole(typed[e.ID])
			ok = !blank && whole
		}
		rg, has := ranges[e.ID]
		if !ok || !has || !rg.Outside(n) {
			continue
		}
		msg := outlierText(v.L, e.Name(en), n, rg)
		v.Fields[i].Outlier = msg
		v.Warnings = append(v.Warnings, msg)
		v.OutlierNote = outlierNote(v.L)
	}
	return nil
}

// outlierText words a value outside its usual range.
func outlierText(l *i18n.Localizer, name string, n int64, rg indicators.OutlierRange) string {
	return l.T("quality.outlier.warning", "Name", name, "Value", l.Int(n), "Low", l.Int(rg.Low), "High", l.Int(rg.High), "Months", rg.Months)
}

// outlierRangeText words a usual range, "1.020–1.180".
func outlierRangeText(l *i18n.Localizer, rg indicators.OutlierRange) string {
	return l.T("quality.outlier.range", "Low", l.Int(rg.Low), "High", l.Int(rg.High))
}

// outlierNote says in plain words how a usual range is found.
func outlierNote(l *i18n.Localizer) string {
	return l.T("quality.outlier.explain", "Months", indicators.OutlierHistory, "Minimum", indicators.OutlierMinimum, "K", l.Decimal(indicators.OutlierK, 1))
}
