package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
	"digiportal/indicators"
)

// TestReportsOutliers: a value far outside the commune's own usual range
// is flagged at its field when entered and in review, saved and sent all
// the same; values inside their ranges are not flagged.
func TestReportsOutliers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedIndicators(t, db)
		ts := newTestServer(t, db)
		l := ts.srv.bundle.Localizer(i18n.VI)
		const code = "26536"
		period := indicators.MonthOf(time.Now()) // the demo leaves it empty
		u, err := indicators.UnitByCode(ctx, db, code, period.Day())
		if err != nil {
			t.Fatal(err)
		}
		ranges, err := indicators.OutlierRanges(ctx, db, u.ID, period)
		if err != nil {
			t.Fatal(err)
		}
		els, err := indicators.EnteredElements(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		// Every value at its median, but households far above its range.
		form := url.Values{"unit": {code}, "period": {period.String()}, "action": {"save"}}
		var households indicators.Element
		for _, e := range els {
			rg, ok := ranges[e.ID]
			if !ok {
				t.Fatalf("no usual range for %s", e.Code)
			}
			n := int64(rg.Median)
			if e.Code == indicators.ElemHouseholds {
				households, n = e, 3*rg.High
			}
			form.Set(fmt.Sprintf("e%d", e.ID), fmt.Sprint(n))
		}
		rg := ranges[households.ID]
		warning := l.T("quality.outlier.warning", "Name", households.Name(false), "Value", l.Int(3*rg.High), "Low", l.Int(rg.Low), "High", l.Int(rg.High), "Months", rg.Months)
		note := outlierNote(l)

		commune := ts.newVisitor()
		commune.signInAs(accounts.RoleCommuneOfficial, code)
		entry := fmt.Sprintf("/vi/reports/entry?unit=%s&period=%s", code, period)
		if res := commune.get(entry).mustStatus(t, http.StatusOK); strings.Contains(res.Body, note) {
			t.Error("an empty form flags an outlier")
		}
		// Saving warns (about the jump too) and keeps the draft.
		res := commune.post("/vi/reports/entry", form)
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving a draft with an outlier: %d", res.StatusCode)
		}
		commune.get(entry).mustStatus(t, http.StatusOK).mustContain(t, warning, note,
			fmt.Sprintf(`aria-describedby="e%d-hint e%d-outlier"`, households.ID, households.ID))
		if strings.Count(commune.get(entry).Body, `-outlier">`) != 2 { // its warning and its input

			t.Error("values at their medians are flagged too")
		}
		// Submitting is not refused for it.
		form.Set("action", "submit")
		form.Set("confirm", "yes")
		commune.post("/vi/reports/entry", form).mustStatus(t, http.StatusSeeOther)
		rep := reportOf(t, db, code, period)
		if rep.Status != indicators.StatusSubmitted {
			t.Fatalf("a report with an outlier was not sent: %s", rep.Status)
		}

		// The province sees it flagged in review, with each usual range.
		province := ts.newVisitor()
		province.signInAs(accounts.RoleProvinceOfficial, u.ParentCode)
		province.get(fmt.Sprintf("/vi/reports/review/%d", rep.ID)).mustStatus(t, http.StatusOK).mustContain(t,
			l.N("quality.outlier.review", 1), `<span class="tag warn">⚠ `+l.Int(3*rg.High)+`</span>`,
			`<td class="num">`+outlierRangeText(l, rg)+`</td>`, note)
		// Last month's report of the same commune has no outlier.
		last := reportOf(t, db, code, period.Prev())
		if res := province.get(fmt.Sprintf("/vi/reports/review/%d", last.ID)).mustStatus(t, http.StatusOK); strings.Contains(res.Body, l.N("quality.outlier.review", 1)) {
			t.Error("last month's ordinary report is flagged")
		}
	})
}
