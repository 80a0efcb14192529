package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestDayGoneByShowsItsMonths: the dashboard and the API asked for a day
// before the reorganisation, with no months, answer with the twelve months
// up to that day's, where the old province's approved figures are; before,
// they showed the twelve months up to today, in which no unit of that day
// existed (every row 0 of 0 expected, every rate "–", every value null).
func TestDayGoneByShowsItsMonths(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	for _, lang := range i18n.Langs() {
		l := ts.srv.bundle.Localizer(lang)
		june, _ := indicators.ParsePeriod("2025-06")
		res := ts.get("/"+string(lang)+"/indicators?date=2025-06-30&unit=77").mustStatus(t, http.StatusOK)
		res.mustContain(t, `<th scope="row">`+indPeriodLabel(l, june)+`</th>`, `value="2024-07" selected`, `value="2025-06" selected`)
		if now := indicators.MonthOf(time.Now()).Prev(); strings.Contains(res.Body, `<th scope="row">`+indPeriodLabel(l, now)+`</th>`) {
			t.Errorf("%s: the page of 30 June 2025 shows %v, a month after the day asked about", lang, now)
		}
	}
	api := ts.get("/api/v1/values?unit=77&date=2025-06-30&indicator=FIBRE_HH").mustStatus(t, http.StatusOK)
	api.mustContain(t, `"period":"2024-07"`, `"period":"2025-06"`)
	if strings.Contains(api.Body, `"value":null`) || strings.Contains(api.Body, `"period":"2025-07"`) {
		t.Errorf("the API for 30 June 2025 answers months without figures: %.600s", api.Body)
	}
}
