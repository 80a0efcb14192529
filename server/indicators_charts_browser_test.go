package server

import (
	"fmt"
	"net/http"
	"testing"

	"digiportal/accounts"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// chartLabelProblems measures, in the page as drawn, every label of every
// chart: its font size in CSS pixels (the computed size times the chart's
// scale, the drawn width over the viewBox width), whether it lies inside its
// chart, and whether its box overlaps another label's of the same chart. It
// returns the number of labels measured and a line per problem.
const chartLabelProblems = `(function () {
	var out = {labels: 0, problems: []};
	document.querySelectorAll("svg.chart").forEach(function (svg) {
		var box = svg.getBoundingClientRect();
		var scale = box.width / svg.viewBox.baseVal.width;
		var texts = Array.prototype.slice.call(svg.querySelectorAll("text"));
		var rects = texts.map(function (t) { return t.getBoundingClientRect(); });
		var name = svg.getAttribute("aria-labelledby");
		texts.forEach(function (t, i) {
			out.labels++;
			var px = parseFloat(getComputedStyle(t).fontSize) * scale;
			if (px < 12) {
				out.problems.push(name + ": \"" + t.textContent + "\" drawn at " + px.toFixed(1) + " px");
			}
			var r = rects[i];
			if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
				out.problems.push(name + ": \"" + t.textContent + "\" sticks out of its chart (" + [r.left, r.right, r.top, r.bottom].map(Math.round) + " in " + [box.left, box.right, box.top, box.bottom].map(Math.round) + ")");
			}
			for (var j = i + 1; j < texts.length; j++) {
				var o = rects[j];
				var w = Math.min(r.right, o.right) - Math.max(r.left, o.left);
				var h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
				if (w > 0.5 && h > 0.5) {
					out.problems.push(name + ": \"" + t.textContent + "\" overlaps \"" + texts[j].textContent + "\"");
				}
			}
		});
	});
	return out;
})()`

// TestBrowserChartLabels opens every dashboard that draws charts, in both
// languages, on a 360 px phone, and holds each chart label to a readable
// size (12 CSS px or more), inside its chart and clear of the others. The
// month labels are in the page's language, not ISO.
func TestBrowserChartLabels(t *testing.T) {
	sharedBrowser(t)
	db := dbtest.SQLite(t)
	seedDemo(t, db)
	units := demoUnits(t, db)
	lengthenNames(t, db, units[accounts.RoleCommuneOfficial])
	ts := newTestServer(t, db)
	pages := []struct {
		path   string
		role   accounts.Role
		charts int
	}{
		{"/%s/indicators/SMARTPHONE", "", 2},
		{"/%s/indicators/FIBRE_HH?unit=" + units[accounts.RoleCommuneOfficial], "", 1},
		{"/%s/indicators/progress", "", 1},
		{"/%s/reports/dashboard?indicator=ACCOUNT_15", accounts.RoleProvinceOfficial, 2},
	}
	// A month label of the trend chart, as the page's language words it.
	month := map[i18n.Lang]string{i18n.VI: `^T\\d{1,2}/\\d{2}$`, i18n.EN: `^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{2}$`}
	for _, lang := range i18n.Langs() {
		for _, pg := range pages {
			path := fmt.Sprintf(pg.path, lang)
			t.Run(path[1:], func(t *testing.T) {
				v := ts.newVisitor()
				v.t = t
				if pg.role != "" {
					v.signInAs(pg.role, units[pg.role])
				}
				tab := newTab(t, v, atPhoneWidth)
				tab.open(path).mustStatus(t, http.StatusOK)
				if n := tab.count("svg.chart"); n != pg.charts {
					t.Fatalf("%d charts, want %d", n, pg.charts)
				}
				got, err := evaluate[struct {
					Labels   int
					Problems []string
				}](tab, chartLabelProblems)
				if err != nil {
					t.Fatal(err)
				}
				if got.Labels < 3*pg.charts {
					t.Errorf("only %d labels measured on %d charts", got.Labels, pg.charts)
				}
				for _, p := range got.Problems {
					t.Error(p)
				}
				isoLabels, err := evaluate[int](tab, `Array.prototype.filter.call(document.querySelectorAll("svg.chart text"), function (t) { return /^\d{4}-\d{2}$/.test(t.textContent); }).length`)
				if err != nil {
					t.Fatal(err)
				}
				if isoLabels > 0 {
					t.Errorf("%d chart labels name a month as ISO (2026-10), not in the page's language", isoLabels)
				}
				if tab.count(`svg[aria-labelledby^="trend"]`) == 0 {
					return
				}
				named, err := evaluate[int](tab, `Array.prototype.filter.call(document.querySelectorAll('svg[aria-labelledby^="trend"] text'), function (t) { return new RegExp("`+month[lang]+`").test(t.textContent); }).length`)
				if err != nil {
					t.Fatal(err)
				}
				if named < 2 {
					t.Errorf("%d month labels on the trend chart in the page's language, want 2 or more", named)
				}
			})
		}
	}
}
