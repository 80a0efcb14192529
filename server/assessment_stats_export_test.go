package server

import (
	"context"
	encsv "encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"digiportal/accounts"
	"digiportal/assessments"
	"digiportal/database/dbtest"
	"digiportal/i18n"
)

// addBusiness stores one business's consented result, as the assessment
// would, then sets its level (the answers score the same for everyone).
func addBusiness(t *testing.T, ts *testServer, db bun.IDB, p assessments.Profile, level int, consent bool) *assessments.Response {
	t.Helper()
	ctx := context.Background()
	c := ts.srv.assessments.cat
	now := time.Now()
	r, _, err := assessments.Start(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := assessments.SaveProfile(ctx, db, r.ID, p, c.Profile.SizeClassOf(p), now); err != nil {
		t.Fatal(err)
	}
	m := c.Current()
	for _, page := range m.Pages() {
		items, _ := m.PageItems(page)
		answers, problems := assessments.DecodeItems(items, middleForm(items))
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		if _, err := assessments.SaveAnswers(ctx, db, r.ID, items, answers, now); err != nil {
			t.Fatal(err)
		}
	}
	if r, err = assessments.Submit(ctx, db, c, r.ID, consent, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewUpdate().Table("assessment_responses").Set("level = ?", level).Where("id = ?", r.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	statsLink  = regexp.MustCompile(`<a href="([^"]*format=csv[^"]*)">`)
	statsTable = regexp.MustCompile(`(?s)aria-label="([^"]*)">\s*<table>(.*?)</table>`)
	statsRow   = regexp.MustCompile(`(?s)<tr><th scope="row">(.*?)</th>(.*?)</tr>`)
	statsCell  = regexp.MustCompile(`<td class="num">(.*?)</td>`)
)

// pageTables reads the tables of a statistics page: caption → rows of
// label and cells, as shown.
func pageTables(body string) map[string][][]string {
	out := map[string][][]string{}
	for _, m := range statsTable.FindAllStringSubmatch(body, -1) {
		var rows [][]string
		for _, r := range statsRow.FindAllStringSubmatch(m[2], -1) {
			row := []string{html.UnescapeString(r[1])}
			for _, c := range statsCell.FindAllStringSubmatch(r[2], -1) {
				row = append(row, html.UnescapeString(c[1]))
			}
			rows = append(rows, row)
		}
		out[html.UnescapeString(m[1])] = rows
	}
	return out
}

// TestAssessmentStatsExports: every CSV link of the statistics page keeps
// the page's filter, each CSV of the level tables and of the months
// holds exactly the table on screen, and so does its workbook (for the other tables: the same
// counts, hidden alike), for each filter, in both languages. Before, the
// filter was escaped into one value and a download filtered by sector J
// held every sector.
func TestAssessmentStatsExports(t *testing.T) {
	db := dbtest.SQLite(t)
	seedIndicators(t, db)
	ts := newTestServer(t, db)
	areas, err := ts.srv.assessments.assessmentAreas().Areas(context.Background())
	if err != nil || len(areas) < 2 {
		t.Fatalf("areas %v %v", areas, err)
	}
	a1, a2 := areas[0].Code, areas[1].Code
	profile := func(sector, area string, employees int) assessments.Profile {
		return assessments.Profile{Sector: sector, Employees: employees, Revenue: "r2", Capital: assessments.CapitalUnknown, Area: area}
	}
	for i := range 12 {
		addBusiness(t, ts, db, profile("G", a1, 20), 1+i%3, true)
	}
	for i := range 6 {
		addBusiness(t, ts, db, profile("C", a2, 150), 2+i%2, true)
	}
	addBusiness(t, ts, db, profile("J", a2, 20), 4, true) // the one ICT business
	official := ts.newVisitor()
	official.signInAs(accounts.RoleProvinceOfficial, "79")

	for _, filter := range []url.Values{
		{}, {"sector": {"J"}}, {"sector": {"G"}}, {"area": {a2}}, {"area": {a2}, "sector": {"J"}},
		{"size": {"micro"}}, {"model": {assessments.CurrentModel}, "sector": {"C"}},
	} {
		for _, lang := range []string{"vi", "en"} {
			page := official.get("/"+lang+"/reports/assessments?"+filter.Encode()).mustStatus(t, http.StatusOK)
			tables := pageTables(page.Body)
			links := statsLink.FindAllStringSubmatch(page.Body, -1)
			if len(links) != 6 {
				t.Fatalf("%s %v: %d CSV links, want 6", lang, filter, len(links))
			}
			for _, l := range links {
				u, err := url.Parse(html.UnescapeString(l[1]))
				if err != nil {
					t.Fatal(err)
				}
				for k := range filter {
					if u.Query().Get(k) != filter.Get(k) {
						t.Errorf("%s %v: link %s drops %s", lang, filter, u, k)
					}
				}
				res := official.get(u.String()).mustStatus(t, http.StatusOK)
				recs, err := encsv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", u, err)
				}
				table := u.Query().Get("table")
				// The workbook of the same table holds the same rows.
				xq := u.Query()
				xq.Set("format", "xlsx")
				xres := official.get(u.Path+"?"+xq.Encode()).mustStatus(t, http.StatusOK)
				x, err := excelize.OpenReader(strings.NewReader(xres.Body))
				if err != nil {
					t.Fatal(err)
				}
				sheets := x.GetSheetList()
				xrows, _ := x.GetRows(sheets[len(sheets)-1], excelize.Options{RawCellValue: true})
				x.Close()
				if len(sheets) != 2 || len(xrows) != len(recs) {
					t.Errorf("%s %v %s: workbook sheets %q, %d rows, CSV %d", lang, filter, table, sheets, len(xrows), len(recs))
				} else if table == "area" || table == "sector" || table == "months" {
					if got, want := flat(xrows), flat(recs); got != want {
						t.Errorf("%s %v %s: workbook\n%s\nCSV\n%s", lang, filter, table, got, want)
					}
				}
				var onScreen [][]string
				for caption, rows := range tables {
					if tableCaption(t, official, lang, table) == caption {
						onScreen = rows
					}
				}
				if onScreen == nil {
					t.Fatalf("%s %v: no table on screen for %s (%v)", lang, filter, table, keys(tables))
				}
				body := recs[1:]
				switch table {
				case "area", "sector", "months":
					if table == "months" {
						// The CSV names months as YYYY-MM, the page in words;
						// the counts are the same, newest first on both.
						for i := range body {
							body[i][0] = onScreenLabel(onScreen, i)
						}
					}
					if got, want := flat(body), flat(onScreen); got != want {
						t.Errorf("%s %v table %s:\nCSV  %s\npage %s", lang, filter, table, got, want)
					}
				default:
					for i, row := range onScreen {
						hiddenWord := map[string]string{"vi": "ẩn", "en": "hidden"}[lang]
						csvHidden := slicesContains(body[i], hiddenWord)
						pageHidden := slicesContains(row, hiddenWord)
						if body[i][0] != row[0] || csvHidden != pageHidden {
							t.Errorf("%s %v table %s row %d: CSV %q, page %q", lang, filter, table, i, body[i], row)
						}
					}
				}
			}
		}
	}
	official.get("/en/reports/assessments?format=pdf").mustStatus(t, http.StatusBadRequest)
	official.get("/en/reports/assessments?format=xlsx&table=nope").mustStatus(t, http.StatusBadRequest)
	// Filtered, averages, barriers and needs are hidden (the sectors' would
	// add up to the total's); unfiltered, they show.
	g := official.get("/en/reports/assessments?sector=G").mustContain(t, "With a filter, averages, barriers and needs are hidden")
	for _, row := range pageTables(g.Body)["Average score of each pillar"] {
		if row[1] != "hidden" {
			t.Errorf("filtered pillar shown: %q", row)
		}
	}
	for _, row := range pageTables(official.get("/en/reports/assessments").Body)["Average score of each pillar"] {
		if row[1] == "hidden" {
			t.Errorf("pillar of all 19 businesses hidden: %q", row)
		}
	}
	// Results stored directly carry no source: no day shows many from one place.
	official.get("/en/reports/assessments").mustContain(t, "No day had more than one result from one place.")
	// The case: the page of sector J shows the one ICT business's
	// area as a row of hidden counts only, zeros included. (Other areas
	// may show a few hidden counts too: they hide where it could be.)
	j := pageTables(official.get("/en/reports/assessments?sector=J").mustStatus(t, http.StatusOK).Body)
	found := false
	for _, row := range j["Businesses by area and level"] {
		if row[0] != areas[1].Name.EN && row[0] != areas[1].Name.VI {
			continue
		}
		found = true
		if strings.Join(row[1:], " ") != strings.Repeat("hidden ", 6)+"hidden" {
			t.Errorf("sector J by area shows %q", row)
		}
	}
	if !found {
		t.Errorf("sector J by area has no row for %s: %v", areas[1].Name.EN, j["Businesses by area and level"])
	}
}

func flat(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|"))
		b.WriteString("\n")
	}
	return b.String()
}

func onScreenLabel(rows [][]string, i int) string {
	if i < len(rows) {
		return rows[i][0]
	}
	return ""
}

func slicesContains(row []string, s string) bool {
	for _, x := range row {
		if x == s {
			return true
		}
	}
	return false
}

func keys(m map[string][][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// tableCaption is the caption a table key has on the page in lang.
func tableCaption(t *testing.T, ts *testServer, lang, key string) string {
	t.Helper()
	id := map[string]string{
		"area": "assessment.stats.byarea", "sector": "assessment.stats.bysector", "pillars": "assessment.stats.pillars.title",
		"barriers": "assessment.stats.barriers.title", "needs": "assessment.stats.needs.title", "months": "assessment.stats.months.title",
	}[key]
	l := ts.srv.bundle.Localizer(map[string]i18n.Lang{"vi": i18n.VI, "en": i18n.EN}[lang])
	return l.T(id)
}
